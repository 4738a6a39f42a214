/**
 * 个人信息遮蔽 — masking of identity, bank card and phone numbers at every output boundary.
 *
 * One walker serves responses (the onSend hook in access.ts) and log lines (logging.ts), so a new route
 * or a new log call cannot forget: known field names are masked by their kind, and any other string is
 * scanned for a valid GB 11643 identity number, a Luhn-valid card number of 16–19 digits (also in groups of
 * four) or a mobile number, wherever it stands (issue 15: neighbours — letters, digits, `_` — do not hide it).
 */
import { luhnValid, maskBankCard } from '../domain/bankCard.ts';
import { maskIdNumber, parseIdNumber } from '../domain/idNumber.ts';
import { maskPhone } from '../domain/phone.ts';

const digitsOnly = (s: string) => s.replace(/[^0-9Xx]/g, '');

/** Field names whose values are personal data, with the mask for each (camelCase and snake_case). */
const PERSONAL_FIELDS: Readonly<Record<string, (value: string) => string>> = {
  idNumber: (v) => maskIdNumber(digitsOnly(v).toUpperCase()),
  id_number: (v) => maskIdNumber(digitsOnly(v).toUpperCase()),
  bankCard: (v) => maskBankCard(digitsOnly(v)),
  bank_card: (v) => maskBankCard(digitsOnly(v)),
  payeeCard: (v) => maskBankCard(digitsOnly(v)),
  payee_card: (v) => maskBankCard(digitsOnly(v)),
  phone: (v) => maskPhone(digitsOnly(v)),
};

/**
 * Fields that hold bank references of companies' accounts (not persons): long digit runs there are
 * transaction or account numbers, so the card and phone patterns are not applied (identity numbers still are).
 */
const ACCOUNT_FIELDS = new Set(['wageAccountNo', 'wage_account_no', 'accountNo', 'bankRef', 'bank_ref', 'voucherNo', 'voucher_no', 'sha256']);

const isMasked = (s: string) => s.includes('*');

/** A freshly issued API token (`hx_…`, shown once): random base64url, never personal data. */
const isApiToken = (key: string | undefined, s: string) => key === 'token' && /^hx_[A-Za-z0-9_-]{43}$/.test(s);

interface Counter {
  n: number;
}

/** Request ids and other UUIDs: their digit groups are not card numbers. */
const UUID_SPLIT = /([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})/;

/** Cheap pre-check: nothing shorter than a mobile number (11 digits) or three groups of four can be personal. */
const MAY_HOLD = /\d{11}|\d{4}[ -]\d{4}[ -]\d{4}/;

const isDigit = (c: number) => c >= 48 && c <= 57;

/** A candidate found in a text: where it is, what it is, and which of its characters its mask hides. */
interface Found {
  start: number;
  end: number;
  kind: 'id' | 'card' | 'phone';
  /** offsets (from start) of the characters its mask replaces by `*` */
  hidden: (offset: number, length: number) => boolean;
  /** the mask of the candidate alone */
  mask: string;
}

const ID_HIDES = (o: number, n: number) => o >= 6 && o < n - 4;
const PHONE_HIDES = (o: number) => o >= 3 && o < 7;

/** A GB 11643 identity number starting at i: 17 digits, a check character that matches, a real birth date. */
function idAt(text: string, i: number): Found | null {
  if (i + 18 > text.length) return null;
  for (let k = 0; k < 17; k++) if (!isDigit(text.charCodeAt(i + k))) return null;
  const c = text[i + 17]!;
  if (!/[0-9Xx]/.test(c)) return null;
  const candidate = text.slice(i, i + 18).toUpperCase();
  // a valid number is masked wherever it stands; an 18-character run that only has the shape (a typo, a
  // wrong check digit, quoted by an import problem) is still 17 digits of someone's number: masked when
  // it stands alone (no digit right before or after)
  const alone = !isDigit(text.charCodeAt(i - 1)) && !isDigit(text.charCodeAt(i + 18));
  if (!alone && !parseIdNumber(candidate).ok) return null;
  return { start: i, end: i + 18, kind: 'id', hidden: ID_HIDES, mask: maskIdNumber(candidate) };
}

/** a decimal part right after a candidate: an amount (12345678901234567.50), not a card or phone */
const amountAfter = (text: string, end: number) => text[end] === '.' && isDigit(text.charCodeAt(end + 1));

/** Luhn-valid cards of 16–19 digits starting at i, written in one run or in groups of four. */
function cardsAt(text: string, i: number, out: Found[]): void {
  // one run: every length 16–19 whose digits pass Luhn
  let run = 0;
  while (run < 19 && i + run < text.length && isDigit(text.charCodeAt(i + run))) run++;
  for (let len = 16; len <= run; len++) {
    const digits = text.slice(i, i + len);
    if (luhnValid(digits) && !amountAfter(text, i + len)) out.push(card(i, i + len, digits, text));
  }
  // in groups: 6222 0212 3456 7890 (123), separated by a space or a hyphen
  if (run !== 4) return;
  const grouped = /\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?/y;
  grouped.lastIndex = i;
  const m = grouped.exec(text);
  if (!m) return;
  for (let end = i + m[0].length; end >= i + 19; end--) {
    const part = text.slice(i, end);
    if (!isDigit(part.charCodeAt(part.length - 1))) continue;
    const digits = part.replace(/[ -]/g, '');
    if (digits.length >= 16 && digits.length <= 19 && luhnValid(digits) && !amountAfter(text, end)) out.push(card(i, end, digits, text));
  }
}

function card(start: number, end: number, digits: string, text: string): Found {
  const span = text.slice(start, end);
  // the positions (in the span) of the first and last four digits stay; every other digit is hidden
  const digitOffsets: number[] = [];
  for (let o = 0; o < span.length; o++) if (isDigit(span.charCodeAt(o))) digitOffsets.push(o);
  const keep = new Set([...digitOffsets.slice(0, 4), ...digitOffsets.slice(-4)]);
  return { start, end, kind: 'card', hidden: (o) => isDigit(span.charCodeAt(o)) && !keep.has(o), mask: maskBankCard(digits) };
}

/** A mainland mobile number starting at i: 1, then 3–9, then nine digits. */
function phoneAt(text: string, i: number): Found | null {
  if (i + 11 > text.length || text[i] !== '1') return null;
  const second = text.charCodeAt(i + 1);
  if (second < 51 || second > 57) return null;
  for (let k = 2; k < 11; k++) if (!isDigit(text.charCodeAt(i + k))) return null;
  if (amountAfter(text, i + 11)) return null;
  return { start: i, end: i + 11, kind: 'phone', hidden: PHONE_HIDES, mask: maskPhone(text.slice(i, i + 11)) };
}

/**
 * Every identity number, card and mobile number in a text, wherever it stands: beside letters, digits,
 * `_` or Chinese (`ID130529…`, `card6222…`, `花名册_130529…_十月.csv`, inside a longer digit run).
 */
function findAll(text: string, options: { accountField?: boolean }): Found[] {
  const found: Found[] = [];
  for (let i = 0; i < text.length; i++) {
    if (!isDigit(text.charCodeAt(i))) continue;
    const id = idAt(text, i);
    if (id) found.push(id);
    if (options.accountField) continue;
    cardsAt(text, i, found);
    const phone = phoneAt(text, i);
    if (phone) found.push(phone);
  }
  return found;
}

const PRIORITY = { id: 0, card: 1, phone: 2 } as const;

/**
 * Of two candidates where one lies inside the other (a phone inside a Hebei identity number 13…, a
 * 16-digit Luhn window inside a 19-digit card), only the stronger is masked: identity number before card
 * before phone, the longer before the shorter. Its mask hides part of the other, which cannot be read
 * either (every candidate is longer than what any mask leaves visible in one piece).
 */
function withoutNested(found: Found[]): Found[] {
  const ranked = [...found].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Found[] = [];
  for (const f of ranked) {
    const nested = kept.some((k) => (f.start >= k.start && f.end <= k.end) || (k.start >= f.start && k.end <= f.end));
    if (!nested) kept.push(f);
  }
  return kept;
}

/**
 * One pass: each candidate alone is written as its mask (`130529********1642`, `6222 **** **** 1234`,
 * `138****5678`); candidates that overlap (a card window across an identity number, a phone inside a long
 * run) are masked together character by character, each hiding what its own mask hides — so no candidate
 * is left readable because another one was chosen.
 */
function maskOnce(text: string, counter: Counter, options: { accountField?: boolean }): string {
  const found = withoutNested(findAll(text, options));
  if (found.length === 0) return text;
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (let k = 0; k < found.length; ) {
    const cluster = [found[k]!];
    let end = found[k]!.end;
    k++;
    while (k < found.length && found[k]!.start < end) {
      cluster.push(found[k]!);
      end = Math.max(end, found[k]!.end);
      k++;
    }
    const start = cluster[0]!.start;
    out += text.slice(at, start);
    counter.n += cluster.length;
    if (cluster.length === 1) out += cluster[0]!.mask;
    else {
      for (let p = start; p < end; p++) {
        const hide = cluster.some((f) => p >= f.start && p < f.end && f.hidden(p - f.start, f.end - f.start));
        out += hide ? '*' : text[p];
      }
    }
    at = end;
  }
  return out + text.slice(at);
}

function maskPart(text: string, counter: Counter, options: { accountField?: boolean }): string {
  // a mask's visible digits next to other digits could read as a new number: mask until nothing is left
  let out = text;
  for (let pass = 0; pass < 4; pass++) {
    const next = maskOnce(out, pass === 0 ? counter : { n: 0 }, options);
    if (next === out) break;
    out = next;
  }
  return out;
}

/**
 * Masks every identity/card/phone number found in free text (UUIDs in it are left alone). The one masker
 * of the system: responses, pages, log lines, audit rows, reports, evidence packs and file names all use it.
 */
export function maskText(text: string, counter: Counter = { n: 0 }, options: { accountField?: boolean } = {}): string {
  if (!MAY_HOLD.test(text)) return text;
  if (UUID_SPLIT.test(text)) {
    return text
      .split(UUID_SPLIT)
      .map((part, i) => (i % 2 === 1 ? part : maskPart(part, counter, options)))
      .join('');
  }
  return maskPart(text, counter, options);
}

function walk(value: unknown, key: string | undefined, counter: Counter): unknown {
  if (typeof value === 'string') {
    const byField = key === undefined ? undefined : PERSONAL_FIELDS[key];
    if (byField) {
      if (value === '' || isMasked(value)) return value;
      counter.n++;
      return byField(value);
    }
    if (isApiToken(key, value)) return value;
    return maskText(value, counter, { accountField: key !== undefined && ACCOUNT_FIELDS.has(key) });
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined, counter));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[maskText(k, counter)] = walk(v, k, counter);
    return out;
  }
  return value;
}

/**
 * A masked deep copy of a JSON-like value, and how many personal values it held. `found === 0` means
 * the value carried no personal data (the copy equals the input).
 */
export function maskPersonalData<T>(value: T): { value: T; found: number } {
  const counter = { n: 0 };
  const masked = walk(value, undefined, counter) as T;
  return { value: masked, found: counter.n };
}

/** The mask for one named field (pino `redact` censor); unknown fields are scanned as text. */
export function maskField(field: string | undefined, value: unknown): unknown {
  if (typeof value !== 'string') return maskPersonalData(value).value;
  return walk(value, field, { n: 0 });
}
