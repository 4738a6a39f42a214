import { fail, normalizeCell, ok, type Parsed } from './result.ts';

/** 手机号码 — a mainland mobile number: 11 digits starting with 1. */
export type Phone = string & { readonly __kind: 'Phone' };

export function parsePhone(raw: string): Parsed<Phone> {
  const text = normalizeCell(raw).replace(/[\s-]+/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  if (!/^1\d{10}$/.test(text)) return fail(`手机号码“${raw.trim()}”应为以1开头的11位数字`);
  return ok(text as Phone);
}

/** 138****5678 */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '*'.repeat(phone.length);
}
