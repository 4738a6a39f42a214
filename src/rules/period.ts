/**
 * 期间计算 — how a period counted in days, months or years runs, by 民法典 第二百条至第二百零四条:
 *
 * - 第二百零一条: a period counted in years, months or days does not count the day it starts on; it runs from
 *   the next day;
 * - 第二百零二条: a period counted in years or months ends on the corresponding day of the last month (the
 *   month's last day when that month has no such day: 2028-02-29 + 3 years → 2031-02-28);
 * - 第二百零三条: when the last day is a statutory holiday (法定休假日, the rest days of the official schedule,
 *   weekends included), the period ends on the day after the holiday — the first working day after it;
 * - 第二百零四条: this is how every period is counted unless a law provides otherwise (民事诉讼法 第八十五条 and
 *   劳动人事争议仲裁办案规则 第八十条 say the same for court and arbitration periods; the blacklist decree and
 *   the arbitration rules' 3/5/10-day periods count working days instead).
 *
 * Two kinds of period use these rules differently:
 * - a **deadline** (期限: a time within which someone must act — open an account, apply for enforcement) rolls
 *   forward by 第二百零三条, because the rule protects the one who must act by the last day;
 * - a **term or waiting time** (期间届满才发生效果: the 3-year listing term, the 6 months on the list before an
 *   early removal) does not roll forward: 第二百零三条 gives the actor a working day to act, it does not lengthen
 *   a sanction or a wait. The last day of a term is its corresponding day; the effect begins the day after.
 *
 * Pure: the working-day calendar is passed in.
 */
import { addDays, addYears, dateFromParts, dateParts, daysInMonthOf, type IsoDate } from '../domain/date.ts';
import type { WorkingDayCalendar } from './calendar.ts';

/** 民法典 articles, cited by every period computed here. */
export const CIVIL_CODE = '中华人民共和国民法典';
export const PERIOD_ARTICLES = '第二百零一条、第二百零二条、第二百零三条、第二百零四条';

/** A civil-code period unit (working days are not a civil-code unit: see deadlines.ts). */
export type CivilPeriodUnit = 'days' | 'months' | 'years';

/** Adds whole months; a day the end month lacks becomes its last day (第二百零二条: 08-31 + 3 months → 11-30). */
export function addMonthsToDate(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return dateFromParts(y, m, Math.min(day, daysInMonthOf(y, m)))!;
}

/**
 * The last day of a period of n units that starts on `start` (the start day not counted, 第二百零一条), before
 * any roll-forward: n days → start + n; n months or years → the corresponding day (第二百零二条).
 */
export function periodLastDay(start: IsoDate, n: number, unit: CivilPeriodUnit): IsoDate {
  switch (unit) {
    case 'days':
      return addDays(start, n);
    case 'months':
      return addMonthsToDate(start, n);
    case 'years':
      return addYears(start, n);
  }
}

/** The first working day on or after `date` (第二百零三条: the day after the holiday ends). */
export function firstWorkingDayOnOrAfter(date: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  let day = date;
  while (!calendar.isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** 期限 — a deadline by the civil code: its unrolled last day, and the day it really ends after 第二百零三条. */
export interface CivilDeadline {
  /** start + n units (第二百零一、二百零二条) */
  readonly raw: IsoDate;
  /** the last day to act: `raw`, or the first working day after it when `raw` is a rest day (第二百零三条) */
  readonly last: IsoDate;
  readonly rolled: boolean;
}

/**
 * A deadline of n units from `start`, counted by the civil code. Throws MissingHolidayScheduleError when the
 * last day falls in a year without a holiday schedule (whether it rolls cannot be known).
 */
export function civilDeadline(start: IsoDate, n: number, unit: CivilPeriodUnit, calendar: WorkingDayCalendar): CivilDeadline {
  const raw = periodLastDay(start, n, unit);
  const last = firstWorkingDayOnOrAfter(raw, calendar);
  return { raw, last, rolled: last !== raw };
}

/**
 * A term of n units from `start` (a listing term, a waiting time): its last day is the corresponding day,
 * never rolled; the term's effect (off the list, eligible to apply) begins the day after.
 */
export function civilTerm(start: IsoDate, n: number, unit: CivilPeriodUnit): { readonly lastDay: IsoDate; readonly dayAfter: IsoDate } {
  const lastDay = periodLastDay(start, n, unit);
  return { lastDay, dayAfter: addDays(lastDay, 1) };
}
