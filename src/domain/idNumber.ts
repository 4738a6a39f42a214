import { dateFromParts, type IsoDate } from './date.ts';
import { fail, normalizeCell, ok, type Parsed } from './result.ts';

/**
 * 公民身份号码 — a resident identity number (GB 11643-1999): 6-digit area code, 8-digit birth date,
 * 3-digit sequence, 1 check character (0–9 or X). Stored upper-case. Personal data: mask it in output.
 */
export type IdNumber = string & { readonly __kind: 'IdNumber' };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** GB 11643 check character of the first 17 digits: Σ(digit × weight) mod 11 → `1 0 X 9 8 7 6 5 4 3 2`. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

const EXCEL_ADVICE = '请在 Excel 中把该列设置为“文本”格式，重新填写完整的18位号码后再导出';

export function parseIdNumber(raw: string): Parsed<IdNumber> {
  const text = normalizeCell(raw).replace(/\s+/g, '').toUpperCase();
  if (text === '') return fail('身份证号为空');
  // Excel turns long numbers into floating point: 1.30503E+17, or keeps 15 significant digits and zeroes the rest.
  if (/^\d(\.\d+)?E\+?\d+$/.test(text)) {
    return fail(`身份证号“${raw.trim()}”被 Excel 转成了科学计数法，后几位已经丢失，无法还原：${EXCEL_ADVICE}`);
  }
  if (/^\d{15}$/.test(text)) {
    return fail(`身份证号“${raw.trim()}”是15位旧号码：请向本人核实并填写现行的18位身份证号`);
  }
  if (!/^\d{17}[\dX]$/.test(text)) {
    return fail(`身份证号“${raw.trim()}”格式不对：应为18位，前17位是数字，最后一位是数字或 X`);
  }
  const birth = birthDateOfDigits(text);
  if (!birth) return fail(`身份证号“${raw.trim()}”中的出生日期（第7–14位）不是真实日期，请核对`);
  const expected = idCheckCharacter(text.slice(0, 17));
  if (text[17] !== expected) {
    if (/000$/.test(text)) {
      return fail(`身份证号“${raw.trim()}”末几位是0且校验位不符，像是被 Excel 截断了（只保留15位有效数字）：${EXCEL_ADVICE}`);
    }
    return fail(`身份证号“${raw.trim()}”校验位不符（按 GB 11643 应为 ${expected}），可能有数字录错，请与本人身份证核对`);
  }
  return ok(text as IdNumber);
}

function birthDateOfDigits(text: string): IsoDate | undefined {
  return dateFromParts(Number(text.slice(6, 10)), Number(text.slice(10, 12)), Number(text.slice(12, 14)));
}

/** The birth date inside the number (digits 7–14). */
export function birthDateOf(id: IdNumber): IsoDate {
  return birthDateOfDigits(id)!;
}

/** Whole years of age on a given day. */
export function ageOn(id: IdNumber, on: IsoDate): number {
  const birth = birthDateOf(id);
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? years - 1 : years;
}

/** 130503********0012 — area code and last four kept, birth date and sequence hidden. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

export function idNumber(text: string): IdNumber {
  const parsed = parseIdNumber(text);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  return parsed.value;
}
