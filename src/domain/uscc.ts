import { fail, normalizeCell, ok, type Parsed } from './result.ts';

/** 统一社会信用代码 — unified social credit code of an employer (GB 32100-2015). */
export type Uscc = string & { readonly __kind: 'Uscc' };

/** The 31 characters of GB 32100: digits and capitals without I, O, Z, S, V. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Check character: (31 − Σ(value × weight) mod 31) mod 31, in the code's alphabet. */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function parseUscc(raw: string): Parsed<Uscc> {
  const text = normalizeCell(raw).replace(/\s+/g, '').toUpperCase();
  if (text === '') return fail('统一社会信用代码为空');
  if (text.length !== 18) return fail(`统一社会信用代码“${raw.trim()}”应为18位，现为${text.length}位，请核对营业执照`);
  const bad = [...text].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) {
    return fail(`统一社会信用代码“${raw.trim()}”含有不允许的字符“${bad}”（代码中不使用 I、O、Z、S、V），请核对营业执照`);
  }
  const expected = usccCheckCharacter(text.slice(0, 17));
  if (text[17] !== expected) {
    return fail(`统一社会信用代码“${raw.trim()}”校验位不符（按 GB 32100 应为 ${expected}），请核对营业执照`);
  }
  return ok(text as Uscc);
}

export function uscc(text: string): Uscc {
  const parsed = parseUscc(text);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  return parsed.value;
}
