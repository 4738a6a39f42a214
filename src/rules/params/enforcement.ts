/**
 * 执法期限与标准 — the types of the statutory clocks and figures of enforcement (RULES.md "Blacklist", "Criminal threshold",
 * "Inspection, mediation, arbitration, trial, enforcement"). Every value is dated and cites its article; the
 * way a period is counted (working days, calendar days, months, years) is part of the value, because the law
 * says which: 劳动人事争议仲裁办案规则 第八十条 (3/5/10-day periods are working days, 15/45-day periods calendar
 * days), 民事诉讼法 第八十五条 (the first day is not counted; a period whose last day is a holiday ends on the
 * first working day after it), 名单办法 (working days throughout). The values are data:
 * params/enforcement/*.yaml.
 */
import type { Fen } from '../../domain/money.ts';
import { DEFAULT_PARAMS } from './shipped.ts';
import type { RulesParams } from './schema.ts';

/** 期间计算方式 */
export type PeriodUnit = 'working_days' | 'calendar_days' | 'months' | 'years';

/** A statutory period: n units from a start day (the start day itself never counts), optionally extendable. */
export interface PeriodRule {
  readonly n: number;
  readonly unit: PeriodUnit;
  /** the most the period may be extended by, in the same unit (absent: not extendable) */
  readonly extension?: number;
  /**
   * a calendar-day, month or year period whose last day is a rest day or holiday ends on the next working day
   * (民事诉讼法 第八十五条; 劳动人事争议仲裁办案规则 第八十条). Working-day periods end on a working day anyway.
   */
  readonly rollForward: boolean;
}

/** 数额较大 — the national range, and each province's own figure inside it. */
export interface CriminalThreshold {
  /** one worker, at least `months` months of pay, totalling the figure or more */
  readonly singleWorker: { readonly months: number; readonly low: Fen; readonly high: Fen };
  /** `workers` or more workers totalling the figure or more */
  readonly group: { readonly workers: number; readonly low: Fen; readonly high: Fen };
}
/**
 * @deprecated one parameter set: use DEFAULT_PARAMS / RulesParams. Kept only so that branches written
 * against the old name still typecheck when they merge; it is the same object.
 */
export const ENFORCEMENT_PARAMS: RulesParams = DEFAULT_PARAMS;
/** @deprecated use RulesParams */
export type EnforcementParams = RulesParams;
