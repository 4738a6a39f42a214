import { fail, normalizeCell, ok, type Parsed } from './result.ts';

/**
 * 日期 — a calendar date in Asia/Shanghai, held as its ISO text `YYYY-MM-DD`.
 *
 * Wage law counts whole calendar days, never instants, so a date carries no time or zone. Arithmetic goes
 * through day numbers (days since 1970-01-01) computed with Date.UTC, which is a pure function: nothing
 * here reads the clock. ISO text sorts and compares correctly as a string.
 */
export type IsoDate = string & { readonly __kind: 'IsoDate' };

const MS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonthOf(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Builds a date from its parts, or undefined when the parts name no real day (2026-02-30). */
export function dateFromParts(year: number, month: number, day: number): IsoDate | undefined {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) return undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonthOf(year, month)) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as IsoDate;
}

export function dateParts(date: IsoDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

const DATE_PATTERNS: readonly RegExp[] = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/** Parses `2026-10-05`, `2026/10/5`, `2026.10.05`, `2026年10月5日` (and `20261005`); full-width digits too. */
export function parseDate(raw: string): Parsed<IsoDate> {
  const text = normalizeCell(raw);
  if (text === '') return fail('日期为空');
  for (const pattern of DATE_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const date = dateFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!date) return fail(`“${raw.trim()}”不是真实存在的日期，请核对年月日`);
    return ok(date);
  }
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    return fail(`“${raw.trim()}”像是 Excel 的日期序号：请把该列设置为日期或文本格式（如 2026-10-05）后重新导出`);
  }
  return fail(`“${raw.trim()}”不是可识别的日期：请写成 2026-10-05、2026/10/5、2026.10.05 或 2026年10月5日`);
}

/**
 * Excel 日期序号 — the number Excel writes for a date cell saved as 常规 (General), in its 1900 date system:
 * serial 1 = 1900-01-01, and serial 60 is Excel's fictitious 1900-02-29 (kept for Lotus 1-2-3 compatibility),
 * so from serial 61 (1900-03-01) on a serial is the day number since 1970-01-01 plus 25569.
 * Only whole serials 61 … 73415 (1900-03-01 … 2100-12-31) are taken, so the fictitious day never has to be
 * interpreted. A fractional serial carries a time of day; wage law counts whole days and a clerk's file
 * that has times in a date column was exported wrong, so it is refused rather than cut to the day.
 */
export const EXCEL_SERIAL_MIN = 61;
export const EXCEL_SERIAL_MAX = 73_415;
/**
 * An import cell takes serials from 18264 (1950-01-01) only: no date of a wage file lies before it, and a
 * bare year typed into a date column (`2026`) must be refused, not read as 1905-07-18.
 */
export const CELL_SERIAL_MIN = 18_264;
const EXCEL_SERIAL_OF_1970_01_01 = 25_569;

export function dateFromExcelSerial(serial: number): IsoDate | undefined {
  if (!Number.isInteger(serial) || serial < EXCEL_SERIAL_MIN || serial > EXCEL_SERIAL_MAX) return undefined;
  return dateFromDayNumber(serial - EXCEL_SERIAL_OF_1970_01_01);
}

/**
 * A date cell of an imported file (导入文件中的日期单元格): every form `parseDate` reads, and an Excel date
 * serial (`46310` = 2026-10-15). Only imports take serials; dates typed on the command line, in parameter
 * files or in API requests stay `parseDate`, where a bare number is a mistake, not Excel's doing.
 */
export function parseCellDate(raw: string): Parsed<IsoDate> {
  const text = normalizeCell(raw);
  const m = /^(\d{1,5})(?:\.(\d+))?$/.exec(text);
  if (!m) return parseDate(raw);
  const shown = raw.trim();
  if (m[2] !== undefined && /[1-9]/.test(m[2])) {
    return fail(
      `“${shown}”是带时间的 Excel 日期序号（小数部分是一天中的时刻）：工资相关日期只记到日，请把该列设置为日期格式（如 2026-10-15）后重新导出`,
    );
  }
  const serial = Number(m[1]);
  const date = serial >= CELL_SERIAL_MIN ? dateFromExcelSerial(serial) : undefined;
  if (!date) {
    return fail(
      `“${shown}”不是完整日期，也不在可识别的 Excel 日期序号范围内（${CELL_SERIAL_MIN}–${EXCEL_SERIAL_MAX}，即 1950-01-01 至 2100-12-31）：请写成 2026-10-05、2026/10/5 或 2026年10月5日`,
    );
  }
  return ok(date);
}

/** For constants and tests: a date known to be valid. */
export function isoDate(text: string): IsoDate {
  const parsed = parseDate(text);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  return parsed.value;
}

export function dayNumber(date: IsoDate): number {
  const { year, month, day } = dateParts(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function dateFromDayNumber(n: number): IsoDate {
  const d = new Date(n * MS_PER_DAY);
  return dateFromParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())!;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return dateFromDayNumber(dayNumber(date) + days);
}

/** b − a in days (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function isWeekend(date: IsoDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

/** Adds whole years, clamping 29 February to the 28th in a common year. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const { year, month, day } = dateParts(date);
  return dateFromParts(year + years, month, Math.min(day, daysInMonthOf(year + years, month)))!;
}

/**
 * The calendar date in Asia/Shanghai of an instant (UTC+8 all year: China keeps no daylight saving).
 * The instant is passed in; this module never reads the clock.
 */
export function shanghaiDateOf(instant: Date): IsoDate {
  const shifted = new Date(instant.getTime() + 8 * 3_600_000);
  return dateFromParts(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate())!;
}
