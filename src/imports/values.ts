/**
 * Cell parsers the import tables need beyond the domain value types: person names, days worked,
 * the pay day, and money with a sign rule.
 */
import { parseYuan, type Fen } from '../domain/money.ts';
import { fail, normalizeCell, ok, type Parsed } from '../domain/result.ts';

/**
 * 姓名 — a person's name. Wage tables pad two-character names with a full-width space ("张　三") to line
 * them up with three-character ones; that space is not part of the name, so spaces between CJK characters
 * are removed (the payroll name must equal the roster name).
 */
export function normalizeName(raw: string): string {
  const t = normalizeCell(raw);
  return /\s/.test(t) && /^[\p{Script=Han}\s·•.]+$/u.test(t) ? t.replace(/\s+/g, '') : t.replace(/\s+/g, ' ');
}

export function parseName(raw: string): Parsed<string> {
  const t = normalizeName(raw);
  if (t === '') return fail('姓名为空');
  if (/\d/.test(t)) return fail(`姓名“${raw.trim()}”含有数字：请检查是否与其他列错位`);
  return ok(t);
}

/** 出勤天数 in hundredths of a day: 0–31 with at most two decimals (21.5 → 2150), exact like money. */
export function parseDaysCenti(raw: string): Parsed<number> {
  const t = normalizeCell(raw);
  const m = /^(\d{1,3})(?:\.(\d*))?$/.exec(t);
  if (!m) return fail(`出勤天数“${raw.trim()}”不是数字：请填写 0 到 31 之间的天数，如 21 或 21.5`);
  const frac = m[2] ?? '';
  if (frac.length > 2) return fail(`出勤天数“${raw.trim()}”超过两位小数，请核对（最多写到 0.01 天）`);
  const centi = Number(m[1]) * 100 + Number(frac.padEnd(2, '0'));
  if (centi > 3100) return fail(`出勤天数“${raw.trim()}”超过31天：一个月最多31天，请核对考勤`);
  return ok(centi);
}

/** 工资支付日 — day of the month, 1–31. */
export function parsePayDay(raw: string): Parsed<number> {
  const t = normalizeCell(raw).replace(/[日号]$/, '');
  if (!/^\d{1,2}$/.test(t)) return fail(`工资支付日“${raw.trim()}”应为 1 到 31 之间的整数（每月几号发工资）`);
  const day = Number(t);
  if (day < 1 || day > 31) return fail(`工资支付日“${raw.trim()}”应为 1 到 31 之间的整数（每月几号发工资）`);
  return ok(day);
}

/** Money that must be above zero (amounts paid, transferred, deposited). */
export function parsePositiveYuan(raw: string): Parsed<Fen> {
  const p = parseYuan(raw);
  if (p.ok && p.value <= 0) return fail(`金额“${raw.trim()}”必须大于0`);
  return p;
}

/** Money that may be zero but not negative (wages, deductions, costs). */
export function parseNonNegativeYuan(raw: string): Parsed<Fen> {
  const p = parseYuan(raw);
  if (p.ok && p.value < 0) return fail(`金额“${raw.trim()}”不能为负数`);
  return p;
}

/** Identifiers written by banks and clerks (流水号, 凭证号, 项目编号): NFKC, no spaces inside. */
export function normalizeCode(raw: string): string {
  return normalizeCell(raw).replace(/\s+/g, '');
}

/** A reference number (银行流水号, 凭证号, 账号): text, but Excel's scientific notation is caught. */
export function parseRef(label: string): (raw: string) => Parsed<string> {
  return (raw) => {
    const t = normalizeCode(raw);
    if (t === '') return fail(`${label}为空`);
    if (/^\d(\.\d+)?E\+?\d+$/i.test(t)) {
      return fail(`${label}“${raw.trim()}”被 Excel 转成了科学计数法，后几位已经丢失：请把该列设置为“文本”格式，填写完整后重新导出`);
    }
    return ok(t);
  };
}
