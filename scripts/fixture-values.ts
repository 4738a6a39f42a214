/**
 * Helpers for the fixture and benchmark generators: a seeded PRNG, valid identity numbers, credit codes and
 * bank cards built with the domain check-character functions, CSV writing, and a GB18030 encoder (Node
 * can decode GB18030 but not encode it; the table is built by decoding every two-byte code once).
 */
import { TextDecoder } from 'node:util';
import { luhnCheckDigit } from '../src/domain/bankCard.ts';
import { idCheckCharacter } from '../src/domain/idNumber.ts';
import { usccCheckCharacter } from '../src/domain/uscc.ts';

/** mulberry32: a small deterministic PRNG, so generated fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function int(r: () => number, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

export function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

/** An 18-character identity number: area code, birth date YYYYMMDD, 3-digit sequence, check character. */
export function identityNumber(area: string, birth: string, seq: number): string {
  const first17 = `${area}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A unified social credit code: registration type (91 company, 11 government body), area, 9-char body. */
export function creditCode(r: () => number, type: string, area: string): string {
  let body = '';
  for (let i = 0; i < 9; i++) body += USCC_ALPHABET[int(r, 0, i < 2 ? 9 : 30)];
  const first17 = `${type}${area}${body}`;
  return first17 + usccCheckCharacter(first17);
}

/** A Luhn-valid card number with the given bank prefix, 19 digits long. */
export function cardNumber(r: () => number, prefix: string): string {
  let digits = prefix;
  while (digits.length < 18) digits += String(int(r, 0, 9));
  return digits + luhnCheckDigit(digits);
}

/** fen → "4823.50" */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** fen → "4,823.50", as Excel shows money with a thousands separator */
export function yuanGrouped(fen: number): string {
  const [whole, frac] = yuan(fen).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** One CSV line; cells with the delimiter, quotes or line breaks are quoted. */
export function csvLine(cells: readonly (string | number | null | undefined)[], delimiter = ','): string {
  return cells
    .map((c) => {
      const s = c === null || c === undefined ? '' : String(c);
      return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(delimiter);
}

let gbTable: Map<string, Buffer> | undefined;

/** Encodes text as GB18030 (GBK two-byte range plus ASCII), as Excel on a Chinese Windows saves CSV. */
export function encodeGb18030(text: string): Buffer {
  if (!gbTable) {
    gbTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const bytes = Buffer.from([lead, trail]);
        const ch = decoder.decode(bytes);
        if (ch.length === 1 && ch !== '\ufffd' && !gbTable.has(ch)) gbTable.set(ch, bytes);
      }
    }
  }
  const out: Buffer[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(Buffer.from([code]));
    else {
      const bytes = gbTable.get(ch);
      if (!bytes) throw new Error(`no two-byte GB18030 code for ${JSON.stringify(ch)}`);
      out.push(bytes);
    }
  }
  return Buffer.concat(out);
}

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
