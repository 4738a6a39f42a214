/**
 * 工作日 — the working-day calendar (RULES.md "Working days").
 *
 * Implements 全国年节及纪念日放假办法 (国务院令第795号; 第644号 before 2025: which days are statutory holidays) as
 * arranged each year by the State Council's notice (国务院办公厅关于X年部分节假日安排的通知: rest days 放假 and
 * make-up working days 调休上班); every other Saturday and Sunday is a rest day (国务院关于职工工作时间的规定
 * 第七条). Read by 条例 第十四条 (a pay day on a rest day moves earlier) and every period in working days.
 *
 * A day is a working day when it is a make-up
 * working day (调休上班), or a Monday–Friday that is not a statutory rest day (放假). Built from the holiday
 * schedules in params; a day in a year with no schedule throws, because a deadline counted without the
 * year's notice could be wrong.
 */
import { addDays, dayOfWeek, type IsoDate } from '../domain/date.ts';
import type { HolidaySchedule } from './params/holidays.ts';
import { cite, type ParamUse } from './params/dated.ts';

export class MissingHolidayScheduleError extends RangeError {
  constructor(readonly year: number) {
    super(`${year}年没有全国年节放假安排：无法判断 ${year} 年的工作日，请先录入当年的放假通知 (no holiday schedule for ${year})`);
    this.name = 'MissingHolidayScheduleError';
  }
}

export class WorkingDayCalendar {
  private readonly byYear = new Map<number, { rest: Set<string>; work: Set<string>; schedule: HolidaySchedule }>();

  constructor(schedules: readonly HolidaySchedule[]) {
    for (const s of schedules) {
      if (this.byYear.has(s.year)) throw new Error(`two holiday schedules for ${s.year}`);
      const rest = new Set<string>();
      for (const [first, last] of s.restDays) {
        for (let day = first; day <= last; day = addDays(day, 1)) rest.add(day);
      }
      this.byYear.set(s.year, { rest, work: new Set(s.makeUpWorkDays), schedule: s });
    }
  }

  private year(date: IsoDate) {
    const y = Number(date.slice(0, 4));
    const entry = this.byYear.get(y);
    if (!entry) throw new MissingHolidayScheduleError(y);
    return entry;
  }

  /** 是否工作日 */
  isWorkingDay(date: IsoDate): boolean {
    const { rest, work } = this.year(date);
    if (work.has(date)) return true;
    if (rest.has(date)) return false;
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  /** The last working day strictly before `date`. */
  lastWorkingDayBefore(date: IsoDate): IsoDate {
    let day = addDays(date, -1);
    while (!this.isWorkingDay(day)) day = addDays(day, -1);
    return day;
  }

  /** `date` itself when it is a working day, else the last working day before it. */
  lastWorkingDayOnOrBefore(date: IsoDate): IsoDate {
    return this.isWorkingDay(date) ? date : this.lastWorkingDayBefore(date);
  }

  /** The n-th working day after `date` (n ≥ 1; `date` itself is day 0 and never counts). */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`addWorkingDays: n must be a positive integer, got ${n}`);
    let day = date;
    let counted = 0;
    while (counted < n) {
      day = addDays(day, 1);
      if (this.isWorkingDay(day)) counted++;
    }
    return day;
  }

  /** The holiday schedule of `date`'s year, cited as a parameter. */
  citeYear(date: IsoDate, value?: unknown): ParamUse {
    const { schedule } = this.year(date);
    return cite(
      { name: `${schedule.year}年全国年节放假安排`, value: null, from: `${schedule.year}-01-01` as IsoDate, source: schedule.source },
      value ?? { restDays: schedule.restDays, makeUpWorkDays: schedule.makeUpWorkDays },
    );
  }
}

const cache = new WeakMap<readonly HolidaySchedule[], WorkingDayCalendar>();

/** The calendar of a schedule list (built once per list). */
export function calendarOf(schedules: readonly HolidaySchedule[]): WorkingDayCalendar {
  let cal = cache.get(schedules);
  if (!cal) {
    cal = new WorkingDayCalendar(schedules);
    cache.set(schedules, cal);
  }
  return cal;
}
