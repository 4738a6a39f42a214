/**
 * 法定期限 — statutory deadlines counted as the law says (RULES.md "Which days count"; 民法典 第二百零一至
 * 二百零四条 through period.ts, 民事诉讼法 第八十五条, 劳动人事争议仲裁办案规则 第八十条):
 *
 * - the start day never counts (民事诉讼法 第八十五条: 期间开始的时和日，不计算在期间内);
 * - working-day periods (the blacklist decree; 3, 5 and 10-day arbitration periods, 办案规则 第八十条) count
 *   working days of the official calendar, make-up working days (调休上班) included;
 * - calendar-day periods (15 and 45 days in arbitration) count every day; months and years end on the
 *   corresponding day of the end month (the month's last day when it has none);
 * - a calendar, month or year period whose last day is a rest day or holiday ends on the first working day
 *   after it (民事诉讼法 第八十五条; 办案规则 第八十条).
 *
 * A deadline that needs a year with no holiday schedule is not guessed: `due` is null, `problem` says why,
 * and `notBefore` gives the bound that is certain (rolling forward only ever moves a deadline later).
 */
import { addDays, type IsoDate } from '../domain/date.ts';
import { MissingHolidayScheduleError, type WorkingDayCalendar } from './calendar.ts';
import { cite, ParamNotInForceError, type Dated, type ParamUse } from './params/dated.ts';
import type { PeriodRule, PeriodUnit } from './params/enforcement.ts';
import { firstWorkingDayOnOrAfter, periodLastDay } from './period.ts';

// the civil-code period computation lives in period.ts; re-exported for the callers that import it from here
export { addMonthsToDate, firstWorkingDayOnOrAfter } from './period.ts';

/** 期限 — one computed deadline. */
export interface Deadline {
  /** machine name, e.g. arbitration_award */
  readonly kind: string;
  /** 中文名称 */
  readonly name: string;
  /** the day the period runs from (not counted) */
  readonly start: IsoDate;
  readonly n: number;
  readonly unit: PeriodUnit;
  /** last day of the period; null when the calendar of the year it falls in is not published */
  readonly due: IsoDate | null;
  /** the last day with the longest lawful extension (null when not extendable or unknown) */
  readonly extendedDue: IsoDate | null;
  /** a day the deadline is certainly not before (the unrolled end of a calendar period; the start + n days otherwise) */
  readonly notBefore: IsoDate;
  /** how the day was found, in Chinese (readable aloud) */
  readonly explanation: string;
  readonly basis: { readonly document: string; readonly article: string };
  readonly params: readonly ParamUse[];
  /** why `due` is unknown */
  readonly problem?: string;
}

/** The unrolled end of a period (working-day periods need the calendar). */
function rawEnd(start: IsoDate, n: number, unit: PeriodUnit, calendar: WorkingDayCalendar): IsoDate {
  switch (unit) {
    case 'working_days':
      return calendar.addWorkingDays(start, n);
    case 'calendar_days':
      return periodLastDay(start, n, 'days');
    case 'months':
      return periodLastDay(start, n, 'months');
    case 'years':
      return periodLastDay(start, n, 'years');
  }
}

const UNIT_ZH: Record<PeriodUnit, string> = { working_days: '个工作日', calendar_days: '日', months: '个月', years: '年' };

function endOf(start: IsoDate, n: number, rule: PeriodRule, calendar: WorkingDayCalendar): { due: IsoDate; raw: IsoDate; rolled: boolean } {
  const raw = rawEnd(start, n, rule.unit, calendar);
  if (rule.unit === 'working_days' || !rule.rollForward) return { due: raw, raw, rolled: false };
  const due = firstWorkingDayOnOrAfter(raw, calendar);
  return { due, raw, rolled: due !== raw };
}

/**
 * The deadline of a period that starts on `start`, by the dated rule in force on that day.
 * Never throws for a missing holiday schedule: see `problem`.
 */
export function deadlineOf(kind: string, param: Dated<PeriodRule>, start: IsoDate, lenient: WorkingDayCalendar): Deadline {
  // a statutory deadline in a year without a schedule is said to be unknown ("not before"), not provisional
  const calendar = lenient.strictView();
  let at;
  try {
    at = param.at(start);
  } catch (e) {
    if (!(e instanceof ParamNotInForceError)) throw e;
    // a period that started before the rule we hold was in force: said, not guessed
    const first = param.values[0]!;
    return {
      kind,
      name: param.name,
      start,
      n: first.value.n,
      unit: first.value.unit,
      due: null,
      extendedDue: null,
      notBefore: start,
      explanation: `${param.name}：${start}早于本系统所录入规定的施行日期（${first.from}），请按当时有效的规定人工计算`,
      basis: { document: first.source.document, article: first.source.article ?? '' },
      params: [],
      problem: e.message,
    };
  }
  const rule = at.value;
  const params: ParamUse[] = [cite(at)];
  const basis = { document: at.source.document, article: at.source.article ?? '' };
  const head = `${param.name}：自${start}起（当日不计）${rule.n}${UNIT_ZH[rule.unit]}`;
  const certain = rule.unit === 'working_days' ? addDays(start, rule.n) : rawEnd(start, rule.n, rule.unit, calendar);
  try {
    const main = endOf(start, rule.n, rule, calendar);
    let explanation = `${head}，${rule.unit === 'working_days' ? '按工作日计算（法定节假日和休息日不计，调休上班日计入）' : '按自然日计算'}，至${main.raw}`;
    if (main.rolled) explanation += `；${main.raw}为休息日或法定节假日，顺延至其后第一个工作日${main.due}`;
    explanation += `届满`;
    let extendedDue: IsoDate | null = null;
    if (rule.extension) {
      try {
        const ext = endOf(start, rule.n + rule.extension, rule, calendar);
        extendedDue = ext.due;
        explanation += `；依法延长${rule.extension}${UNIT_ZH[rule.unit]}的，至${ext.due}届满`;
      } catch (e) {
        if (!(e instanceof MissingHolidayScheduleError)) throw e;
        explanation += `；依法延长${rule.extension}${UNIT_ZH[rule.unit]}的届满日落在${e.year}年，该年放假安排尚未公布，暂无法确定`;
      }
    }
    params.push(calendar.citeYear(main.due, null));
    return { kind, name: param.name, start, n: rule.n, unit: rule.unit, due: main.due, extendedDue, notBefore: main.raw, explanation, basis, params };
  } catch (e) {
    if (!(e instanceof MissingHolidayScheduleError)) throw e;
    return {
      kind,
      name: param.name,
      start,
      n: rule.n,
      unit: rule.unit,
      due: null,
      extendedDue: null,
      notBefore: certain,
      explanation: `${head}，不早于${certain}；${e.year}年放假安排尚未公布，无法确定具体届满日`,
      basis,
      params,
      problem: e.message,
    };
  }
}

/** Is a deadline passed on `asOf` (the due day itself still counts as in time)? Null when unknown. */
export function isPast(deadline: Pick<Deadline, 'due' | 'notBefore'>, asOf: IsoDate): boolean | null {
  if (deadline.due !== null) return asOf > deadline.due;
  return asOf > deadline.notBefore ? null : false;
}
