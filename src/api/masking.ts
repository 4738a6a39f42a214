/**
 * 个人信息遮蔽 — masking of identity, bank card and phone numbers at every output boundary.
 *
 * One walker serves responses (the onSend hook in access.ts) and log lines (logging.ts), so a new route
 * or a new log call cannot forget: known field names are masked by their kind, and any other string is
 * scanned for things that look like an identity number (18 characters), a card number (12–19 digits,
 * optionally in groups of four) or a mobile number.
 */
import { maskBankCard } from '../domain/bankCard.ts';
import { maskIdNumber } from '../domain/idNumber.ts';
import { maskPhone } from '../domain/phone.ts';

const B = '(?<![0-9A-Za-z_])';
/** not followed by a word character, nor by a decimal part (12345678901234.50 is an amount) */
const E = '(?![0-9A-Za-z_]|\\.\\d)';
const ID_PATTERN = new RegExp(`${B}\\d{17}[\\dXx]${E}`, 'g');
const CARD_PATTERN = new RegExp(`${B}(?:\\d{12,19}|\\d{4}(?:[ -]\\d{4}){2,3}(?:[ -]?\\d{1,3})?)${E}`, 'g');
const PHONE_PATTERN = new RegExp(`${B}1[3-9]\\d{9}${E}`, 'g');

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

/** Masks every identity/card/phone number found in free text (UUIDs in it are left alone). */
export function maskText(text: string, counter: Counter = { n: 0 }, options: { accountField?: boolean } = {}): string {
  if (!/\d{9}|\d{4}[ -]\d{4}/.test(text)) return text;
  if (UUID_SPLIT.test(text)) {
    return text
      .split(UUID_SPLIT)
      .map((part, i) => (i % 2 === 1 ? part : maskPart(part, counter, options)))
      .join('');
  }
  return maskPart(text, counter, options);
}

function maskPart(text: string, counter: Counter, options: { accountField?: boolean }): string {
  let out = text.replace(ID_PATTERN, (m) => {
    counter.n++;
    return maskIdNumber(m.toUpperCase());
  });
  if (options.accountField) return out;
  out = out.replace(CARD_PATTERN, (m) => {
    counter.n++;
    return maskBankCard(digitsOnly(m));
  });
  out = out.replace(PHONE_PATTERN, (m) => {
    counter.n++;
    return maskPhone(m);
  });
  return out;
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
