/**
 * 全国年节放假安排 — China's official holiday schedule, one notice per year (RULES.md "Working days").
 *
 * A schedule lists the statutory rest days (放假, ranges inclusive) and the make-up working days (调休上班,
 * usually a Saturday or Sunday that becomes a working day). Every other Saturday and Sunday is a rest day;
 * every other weekday is a working day. The schedules are data: params/holidays/<year>.yaml, and the
 * bureau's imports (`huxin params import`). A year with none is computed on weekends alone and marked
 * provisional (calendar.ts).
 */
import type { IsoDate } from '../../domain/date.ts';
import type { ParamSource } from './dated.ts';

export interface HolidaySchedule {
  readonly year: number;
  /** 放假 — rest-day ranges [first, last], inclusive */
  readonly restDays: readonly (readonly [IsoDate, IsoDate])[];
  /** 调休上班 — weekend days that are working days */
  readonly makeUpWorkDays: readonly IsoDate[];
  readonly source: ParamSource;
}
