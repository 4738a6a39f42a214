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
 * schedules in params.
 *
 * A year with no schedule never stops a computation (RULES.md: "A year without a schedule never drops a
 * project or a month from the ledger"): its days are placed on weekends alone (Saturday and Sunday rest,
 * Monday–Friday work), and every date that needed such a year is marked provisional — the caller asks
 * `missingYears(from, to)` for the days a result depended on, and `citeYear` cites the missing notice as
 * such, so the finding, the ledger line and the report all say which dates may still move.
 */
import { addDays, dayOfWeek, type IsoDate } from '../domain/date.ts';
import type { HolidaySchedule } from './params/holidays.ts';
import { cite, type ParamUse } from './params/dated.ts';

/**
 * Kept for callers that still catch it (the API maps it to 422); the calendar itself no longer throws it:
 * a missing year is computed on weekends alone and marked provisional.
 */
export class MissingHolidayScheduleError extends RangeError {
  constructor(readonly year: number) {
    super(`${year}年没有全国年节放假安排：无法判断 ${year} 年的工作日，请先录入当年的放假通知 (no holiday schedule for ${year})`);
    this.name = 'MissingHolidayScheduleError';
  }
}

/** 暂定 — why a date is provisional, in Chinese. */
export function missingYearReason(year: number): string {
  return `${year}年放假安排未录入：该年日期按周末计算（周六、周日休息），为暂定日期；录入当年放假通知后重算即更正`;
}

/** The warning code of a missing holiday schedule (report `warnings`). */
export const MISSING_HOLIDAY_SCHEDULE = 'MISSING_HOLIDAY_SCHEDULE';

export class WorkingDayCalendar {
  private readonly byYear = new Map<number, { rest: Set<string>; work: Set<string>; schedule: HolidaySchedule }>();

  private strictCopy: WorkingDayCalendar | null = null;
  /** while `record` runs: the missing years a day was asked of */
  private recording: Set<number> | null = null;

  /**
   * `strict`: a day of a year without a schedule throws MissingHolidayScheduleError instead of being placed
   * on weekends alone — for the enforcement deadlines (deadlines.ts), which report such a deadline as not
   * yet determinable ("not before" a certain day) rather than provisional.
   */
  constructor(
    private readonly schedules: readonly HolidaySchedule[],
    readonly strict = false,
  ) {
    for (const s of schedules) {
      if (this.byYear.has(s.year)) throw new Error(`two holiday schedules for ${s.year}`);
      const rest = new Set<string>();
      for (const [first, last] of s.restDays) {
        for (let day = first; day <= last; day = addDays(day, 1)) rest.add(day);
      }
      this.byYear.set(s.year, { rest, work: new Set(s.makeUpWorkDays), schedule: s });
    }
  }

  /** The same calendar, throwing for a year without a schedule (see the constructor). */
  strictView(): WorkingDayCalendar {
    if (this.strict) return this;
    return (this.strictCopy ??= new WorkingDayCalendar(this.schedules, true));
  }

  /**
   * Runs `run`, adding to `into` every year without a schedule that a day was asked of meanwhile: whatever
   * rule placed a date in such a year (a due date, a deposit or account deadline), the project it ran for
   * knows its dates are provisional (evaluate.ts → ProjectEvaluation.provisionalYears → report warnings).
   */
  record<T>(into: Set<number>, run: () => T): T {
    const before = this.recording;
    this.recording = into;
    try {
      return run();
    } finally {
      this.recording = before;
    }
  }

  /** Is the year's schedule known? */
  hasYear(year: number): boolean {
    return this.byYear.has(year);
  }

  /** The years without a schedule among the days from `a` to `b` (either order, inclusive), ascending. */
  missingYears(a: IsoDate, b: IsoDate): number[] {
    const from = Number((a < b ? a : b).slice(0, 4));
    const to = Number((a < b ? b : a).slice(0, 4));
    const out: number[] = [];
    for (let y = from; y <= to; y++) if (!this.byYear.has(y)) out.push(y);
    return out;
  }

  /** 是否工作日 (a year without a schedule: weekends alone) */
  isWorkingDay(date: IsoDate): boolean {
    const entry = this.byYear.get(Number(date.slice(0, 4)));
    if (!entry) {
      if (this.strict) throw new MissingHolidayScheduleError(Number(date.slice(0, 4)));
      this.recording?.add(Number(date.slice(0, 4)));
    }
    if (entry) {
      if (entry.work.has(date)) return true;
      if (entry.rest.has(date)) return false;
    }
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

  /**
   * The holiday schedule of `date`'s year, cited as a parameter. For a year without a schedule the citation
   * says so: its value carries `provisional: true` and the reason, its source is the missing notice.
   */
  citeYear(date: IsoDate, value?: unknown): ParamUse {
    const year = Number(date.slice(0, 4));
    const entry = this.byYear.get(year);
    if (!entry) {
      return cite(
        {
          name: `${year}年全国年节放假安排`,
          value: null,
          from: `${year}-01-01` as IsoDate,
          source: { document: `国务院办公厅关于${year}年部分节假日安排的通知（未录入）`, verified: false, note: missingYearReason(year) },
        },
        { ...(value && typeof value === 'object' ? value : {}), provisional: true, reason: missingYearReason(year) },
      );
    }
    const { schedule } = entry;
    return cite(
      { name: `${schedule.year}年全国年节放假安排`, value: null, from: `${schedule.year}-01-01` as IsoDate, source: schedule.source },
      value ?? { restDays: schedule.restDays, makeUpWorkDays: schedule.makeUpWorkDays },
    );
  }
}

/** The years a set of citations marks provisional (a missing holiday schedule cited by citeYear). */
export function provisionalYearsOf(params: readonly ParamUse[], into: Set<number> = new Set()): Set<number> {
  for (const p of params) {
    const v = p.value as { provisional?: unknown } | null;
    if (v && typeof v === 'object' && v.provisional === true) into.add(Number(p.from.slice(0, 4)));
  }
  return into;
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
