/**
 * The one masker (src/api/masking.ts), property-tested: generated identity numbers (GB 11643-valid),
 * Luhn-valid cards of 16–19 digits (in one run or in groups of four) and mobile numbers, planted among
 * generated neighbours — letters, digits, `_`, Chinese, punctuation — on either side. After masking, the
 * planted number never appears, and an independent scanner finds no valid number of any kind in the output.
 * (Issue 15 finding 2: `ID130529…`, `card6222…`, `花名册_130529…_十月.csv` passed unmasked before.)
 */
import { describe, expect, it } from 'vitest';
import { maskPersonalData, maskText } from '../../src/api/masking.ts';
import { luhnCheckDigit, luhnValid } from '../../src/domain/bankCard.ts';
import { idCheckCharacter, parseIdNumber } from '../../src/domain/idNumber.ts';
import { rng } from '../reliability/helpers.ts';

// the suite's seeded generator: the same cases on every run, a failure can be replayed
const random = rng(20261202);
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;

function idNumber(): string {
  const area = pick(['130529', '130503', '110105', '440305', '510104', '13052']) .padEnd(6, '9');
  const year = int(1950, 2008);
  const month = String(int(1, 12)).padStart(2, '0');
  const day = String(int(1, 28)).padStart(2, '0');
  const first17 = `${area}${year}${month}${day}${digits(3)}`;
  return first17 + idCheckCharacter(first17);
}
function card(): string {
  const len = int(16, 19);
  const body = pick(['6222', '6217', '6228', '4367', '6212']) + digits(len - 5);
  return body + luhnCheckDigit(body);
}
const spaced = (c: string) => c.replace(/(\d{4})(?=\d)/g, `$1${pick([' ', '-'])}`);
const phone = () => `1${int(3, 9)}${digits(9)}`;

const NEIGHBOURS = ['', 'ID', 'id', 'card', 'x', 'A', '_', '__', '9', '12', '0', '7x_', '花名册_', '_十月.csv', '（', '）', '：', ' ', '-', '/', '=', '#', '卡号', '身份证'];
const neighbour = () => Array.from({ length: int(0, 3) }, () => pick(NEIGHBOURS)).join('') + (random() < 0.3 ? digits(int(1, 4)) : '');

/** An independent scanner: every valid identity number, Luhn-valid 16–19 digit card (runs and groups), mobile number. */
function validNumbersIn(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 18 <= text.length; i++) {
    const w = text.slice(i, i + 18);
    if (/^\d{17}[\dXx]$/.test(w) && parseIdNumber(w).ok) out.push(w);
  }
  for (let i = 0; i < text.length; i++)
    for (let len = 16; len <= 19; len++) {
      const w = text.slice(i, i + len);
      if (w.length === len && /^\d+$/.test(w) && luhnValid(w)) out.push(w);
    }
  for (const m of text.matchAll(/(?=(\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?))/g)) {
    const d = m[1]!.replace(/[ -]/g, '');
    if (luhnValid(d)) out.push(m[1]!);
  }
  for (let i = 0; i + 11 <= text.length; i++) {
    const w = text.slice(i, i + 11);
    if (/^1[3-9]\d{9}$/.test(w) && !/^\.\d/.test(text.slice(i + 11, i + 13))) out.push(w);
  }
  return out;
}

const CASES = 3000;

describe('one masker: planted numbers among generated neighbours', () => {
  for (const [kind, make] of [
    ['identity number', idNumber],
    ['card (one run)', card],
    ['card (groups of four)', () => spaced(card())],
    ['mobile number', phone],
  ] as const) {
    it(`${kind}: never left whole, nothing valid left (${CASES} generated texts)`, () => {
      const failures: string[] = [];
      for (let n = 0; n < CASES; n++) {
        const secret = make();
        const text = `${neighbour()}${secret}${neighbour()}`;
        const masked = maskText(text);
        const squeezed = masked.replace(/[ -]/g, '');
        if (masked.includes(secret) || squeezed.includes(secret.replace(/[ -]/g, '')) || validNumbersIn(masked).length > 0) failures.push(`${text} → ${masked}`);
      }
      expect(failures.slice(0, 5)).toEqual([]);
    });
  }

  it('several numbers glued together in one string (file names, log lines) are all masked', () => {
    const failures: string[] = [];
    for (let n = 0; n < 1000; n++) {
      const parts = Array.from({ length: int(2, 4) }, () => pick([idNumber, card, phone])());
      const text = parts.map((p) => `${neighbour()}${p}`).join('') + neighbour();
      const masked = maskText(text);
      if (parts.some((p) => masked.includes(p)) || validNumbersIn(masked).length > 0) failures.push(`${text} → ${masked}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('the cases of the review: ID…, card…, 花名册_…_十月.csv, in JSON values and keys alike', () => {
    const id = '130529199001011642';
    expect(parseIdNumber(id).ok).toBe(true);
    const c = '6222021234567890128';
    expect(maskText(`ID${id}`)).toBe('ID130529********1642');
    expect(maskText(`card${c}`)).toBe('card6222 **** **** 0128');
    expect(maskText(`花名册_${id}_十月.csv`)).toBe('花名册_130529********1642_十月.csv');
    expect(maskText(`x_13812345678_y`)).toBe('x_138****5678_y');
    const { value } = maskPersonalData({ fileName: `花名册_${id}_十月.csv`, [`k${id}`]: 1, note: `卡号 ${spaced(c)}` });
    expect(JSON.stringify(value)).not.toContain(id);
    expect(validNumbersIn(JSON.stringify(value))).toEqual([]);
  });

  it('leaves what is not personal: dates, amounts, UUIDs, short codes, invalid numbers', () => {
    for (const s of ['2026-10-01 2026-10-31', '123456789012.50', '46d624f6-5113-4457-9453-123456789012', 'XT-2026-001', '12345678901', '6222021234567' /* 13 digits: no card */]) {
      expect(maskText(s)).toBe(s);
    }
  });

  it('an identity number with a typo (wrong check character, impossible date) is masked when it stands alone', () => {
    for (const bad of ['440305200013011642' /* month 13 */, '440305200001011640' /* check character */]) {
      expect(parseIdNumber(bad).ok).toBe(false);
      expect(maskText(`身份证号“${bad}”校验位不符`)).toBe(`身份证号“${bad.slice(0, 6)}********${bad.slice(-4)}”校验位不符`);
    }
  });

  it('is idempotent', () => {
    for (let n = 0; n < 500; n++) {
      const once = maskText(`${neighbour()}${pick([idNumber, card, phone])()}${neighbour()}`);
      expect(maskText(once)).toBe(once);
    }
  });
});
