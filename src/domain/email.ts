import { fail, normalizeCell, ok, type Parsed } from './result.ts';

/** 电子邮箱 — an e-mail address: local part, @, a domain with a dot; no spaces. Lower-cased domain. */
export type Email = string & { readonly __kind: 'Email' };

const SHAPE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function parseEmail(raw: string): Parsed<Email> {
  const text = normalizeCell(raw);
  if (text.length > 254 || !SHAPE.test(text) || text.includes('..')) return fail(`电子邮箱“${raw.trim()}”格式不正确，应形如 name@example.com`);
  const at = text.lastIndexOf('@');
  return ok(`${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}` as Email);
}

/** z***@example.com — the first character of the local part and the domain. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '*'.repeat(email.length);
  return `${email[0]}***${email.slice(at)}`;
}
