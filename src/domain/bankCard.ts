import { fail, normalizeCell, ok, type Parsed } from './result.ts';

/** 银行卡号 — a worker's bank card number (12–19 digits, Luhn check). Personal data: mask it in output. */
export type BankCard = string & { readonly __kind: 'BankCard' };

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit that completes a number (used by fixture generators). */
export function luhnCheckDigit(withoutCheck: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(withoutCheck + d)) return String(d);
  throw new Error('unreachable');
}

export function parseBankCard(raw: string): Parsed<BankCard> {
  const text = normalizeCell(raw).replace(/[\s-]+/g, '');
  if (text === '') return fail('银行卡号为空');
  if (/^\d(\.\d+)?E\+?\d+$/i.test(text)) {
    return fail(`银行卡号“${raw.trim()}”被 Excel 转成了科学计数法，后几位已丢失：请把该列设置为“文本”格式，填写完整卡号后重新导出`);
  }
  if (!/^\d{12,19}$/.test(text)) return fail(`银行卡号“${raw.trim()}”应为12–19位数字`);
  if (!luhnValid(text)) {
    if (/000$/.test(text) && text.length > 15) {
      return fail(`银行卡号“${raw.trim()}”末几位是0且校验不通过，像是被 Excel 截断（只保留15位有效数字）：请把该列设置为“文本”格式后重新导出`);
    }
    return fail(`银行卡号“${raw.trim()}”校验不通过（Luhn），可能有数字录错，请与银行卡核对`);
  }
  return ok(text as BankCard);
}

/** 6222 **** **** 1234 — first four and last four digits only. */
export function maskBankCard(card: string): string {
  if (card.length < 8) return '*'.repeat(card.length);
  return `${card.slice(0, 4)} **** **** ${card.slice(-4)}`;
}

export function bankCard(text: string): BankCard {
  const parsed = parseBankCard(text);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  return parsed.value;
}
