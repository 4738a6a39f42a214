import { dateFromParts, daysInMonthOf, type IsoDate } from './date.ts';
import { fail, normalizeCell, ok, type Parsed } from './result.ts';

/** 工资月份 — a wage month, held as `YYYY-MM` (sorts and compares as text). */
export type Month = string & { readonly __kind: 'Month' };

function monthFromParts(year: number, month: number): Month | undefined {
  if (!Number.isInteger(year) || year < 1900 || year > 2999 || !Number.isInteger(month) || month < 1 || month > 12) {
    return undefined;
  }
  return `${year}-${String(month).padStart(2, '0')}` as Month;
}

const MONTH_PATTERNS: readonly RegExp[] = [
  /^(\d{4})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})$/,
  /^(\d{4})(\d{2})$/,
  /^(\d{4})年(\d{1,2})月(?:份)?$/,
];

/** Parses `2026-10`, `2026/10`, `202610`, `2026年10月` (full-width digits too). */
export function parseMonth(raw: string): Parsed<Month> {
  const text = normalizeCell(raw);
  if (text === '') return fail('月份为空');
  for (const pattern of MONTH_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const month = monthFromParts(Number(m[1]), Number(m[2]));
    return month ? ok(month) : fail(`“${raw.trim()}”不是有效月份（月份应在 1–12 之间）`);
  }
  return fail(`“${raw.trim()}”不是可识别的月份：请写成 2026-10、2026/10、202610 或 2026年10月`);
}

export function month(text: string): Month {
  const parsed = parseMonth(text);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  return parsed.value;
}

export function monthParts(m: Month): { year: number; month: number } {
  return { year: Number(m.slice(0, 4)), month: Number(m.slice(5, 7)) };
}

export function monthOf(date: IsoDate): Month {
  return date.slice(0, 7) as Month;
}

export function addMonths(m: Month, n: number): Month {
  const { year, month } = monthParts(m);
  const index = year * 12 + (month - 1) + n;
  return monthFromParts(Math.floor(index / 12), (index % 12) + 1)!;
}

export function daysInMonth(m: Month): number {
  const { year, month } = monthParts(m);
  return daysInMonthOf(year, month);
}

/**
 * A month's first and last day, made once per month: a project's ledger asks them for every worker-month
 * and every payment (who employed the worker in M, reports/part.ts), and building the two dates anew was
 * the largest allocation of a night's evaluation. Months are few; the table is cleared if it ever grows large.
 */
const bounds = new Map<string, readonly [IsoDate, IsoDate]>();

function boundsOf(m: Month): readonly [IsoDate, IsoDate] {
  let b = bounds.get(m);
  if (b === undefined) {
    const { year, month } = monthParts(m);
    b = [dateFromParts(year, month, 1)!, dateFromParts(year, month, daysInMonthOf(year, month))!];
    if (bounds.size >= 10_000) bounds.clear();
    bounds.set(m, b);
  }
  return b;
}

export function firstDayOf(m: Month): IsoDate {
  return boundsOf(m)[0];
}

export function lastDayOf(m: Month): IsoDate {
  return boundsOf(m)[1];
}

/** Day `day` of month m, clamped to the month's last day (a pay day of 31 in November is the 30th). */
export function clampedDayOf(m: Month, day: number): IsoDate {
  const { year, month } = monthParts(m);
  return dateFromParts(year, month, Math.min(day, daysInMonthOf(year, month)))!;
}

/** Months from a to b inclusive (empty when b is before a). */
export function monthsFromTo(a: Month, b: Month): Month[] {
  const out: Month[] = [];
  for (let m = a; m <= b; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** 2026年10月 — how a month is written in sentences for people. */
export function formatMonthZh(m: Month): string {
  const { year, month } = monthParts(m);
  return `${year}年${month}月`;
}
