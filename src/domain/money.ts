import { Decimal } from 'decimal.js';
import { fail, normalizeCell, ok, type Parsed } from './result.ts';

/**
 * 金额（分）— an exact amount of money in integer fen (1 yuan = 100 fen).
 *
 * Yuan never live in a JavaScript float anywhere in Huxin: files and requests are parsed straight from
 * their decimal text into integer fen, sums and differences are integer arithmetic (exact up to
 * 2^53 fen ≈ 90 trillion yuan), ratios go through decimal.js, and output prints fen back as a yuan
 * string with two decimals. The brand stops a plain count or a float from being passed as money.
 */
export type Fen = number & { readonly __unit: 'fen' };

export const ZERO_FEN = 0 as Fen;

/** Wraps an integer count of fen; throws on anything that is not a safe integer (a programming error). */
export function fen(n: number | bigint): Fen {
  const v = typeof n === 'bigint' ? Number(n) : n;
  if (!Number.isSafeInteger(v)) throw new RangeError(`not an exact fen amount: ${String(n)}`);
  return v as Fen;
}

export function addFen(a: Fen, b: Fen): Fen {
  return fen(a + b);
}

export function subFen(a: Fen, b: Fen): Fen {
  return fen(a - b);
}

export function sumFen(values: Iterable<Fen>): Fen {
  let total = 0;
  for (const v of values) total += v;
  return fen(total);
}

export function maxFen(a: Fen, b: Fen): Fen {
  return (a > b ? a : b) as Fen;
}

export function minFen(a: Fen, b: Fen): Fen {
  return (a < b ? a : b) as Fen;
}

/**
 * amount × ratio, rounded to the fen half away from zero (四舍五入). The ratio is exact (a decimal string
 * such as "0.02", a Decimal, or a fraction [numerator, denominator]) so no float enters the product.
 */
export function mulFen(amount: Fen, ratio: Decimal.Value | readonly [Decimal.Value, Decimal.Value]): Fen {
  const r = Array.isArray(ratio) ? new Decimal(ratio[0] as Decimal.Value).div(ratio[1] as Decimal.Value) : new Decimal(ratio as Decimal.Value);
  return fen(new Decimal(amount).mul(r).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber());
}

const YUAN_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses yuan as written in the bureau's files: `4823.5`, `4823.50`, `4,823.50`, `￥4823.50`, `¥4823.50`,
 * full-width digits too. At most two decimals: a third is an error, never rounded away silently.
 */
export function parseYuan(raw: string): Parsed<Fen> {
  const text = normalizeCell(raw).replace(/^[¥￥]/, '').replace(/^RMB/i, '').trim();
  if (text === '') return fail('金额为空');
  // Thousands separators must sit in groups of three, so "48,23.50" is a typo, not 4823.50.
  const digits = /^-?\d{1,3}(,\d{3})+(\.\d*)?$/.test(text) ? text.replace(/,/g, '') : text;
  const m = YUAN_PATTERN.exec(digits);
  if (!m) return fail(`“${raw.trim()}”不是金额：请填写数字，如 4823.50（可带 ¥ 和千分位逗号）`);
  const [, sign, whole = '0', frac = ''] = m;
  if (frac.length > 2) {
    return fail(`金额“${raw.trim()}”超过两位小数：金额以元为单位，最多精确到分，请核对后重填（系统不会自动四舍五入）`);
  }
  if (whole.length > 13) return fail(`金额“${raw.trim()}”过大，请核对`);
  const value = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return ok(fen(sign ? -value : value));
}

/** 4823.50 — fen printed as yuan with exactly two decimals (no thousands separator; the API format). */
export function formatYuan(amount: Fen): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${negative ? '-' : ''}${yuan}.${cents.toString().padStart(2, '0')}`;
}

/** Parses the API/report format back ("4823.50"); strict, for tests and round trips. */
export function yuan(text: string): Fen {
  const parsed = parseYuan(text);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  return parsed.value;
}

/**
 * 1,234,567.50 — a yuan string grouped by thousands for people to read (sentences, pages, the HTML report,
 * evidence packs). Takes fen or an API yuan string ("1234567.50"); never goes through a float. The API
 * JSON and CSV number cells keep the plain form of formatYuan, so machines and Excel read a number.
 */
export function yuanText(amount: Fen | string): string {
  const plain = typeof amount === 'number' ? formatYuan(amount) : amount;
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(plain);
  if (!m) return plain;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}
