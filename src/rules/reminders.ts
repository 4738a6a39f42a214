/**
 * 催报 — which monthly submissions a project owes, which are late, and which reminders are due on day D.
 * Pure: project facts, what was submitted, the parameters and D.
 *
 * - A project-month M needs a **wage table** (工资支付表 / 台账, 条例 第十五条、第三十一条) and the month's
 *   **payment records** (工资发放记录, 条例 第三十一条) when the project was active in M (started on or before
 *   M's last day, not completed before M's first day) and some roster entry was on site in M (entered on or
 *   before M's last day, not exited before M's first day). Only months before D's month are due.
 * - Due dates (parameter `submissionDueDates`, a local setting): the wage table on day `wageTableDay` of M+1;
 *   the payment records `paymentRecordsDaysAfterWageDue` days after M's wage due date (the project's pay day
 *   of M+1, moved to the last working day before it when a rest day — wages.ts `dueDateOf`, 条例 第十四条).
 *   A submission due date that falls on a rest day or holiday moves to the next working day (民法典 第二百零三条).
 * - Submitted: any current payroll row (payment row) of the project with that month.
 * - Reminders (parameter `submissionReminders`), one per project-month-item-stage (the dedupe key):
 *   `overdue` on the days after the due date (up to `catchUpDays` after it, so a night missed is caught up but
 *   a year-old gap is not re-sent — it is on the late list); `before_wage_due` for a wage table still missing
 *   from `leadDays` before the wage due date to the wage due date itself.
 */
import { addDays, daysBetween, type IsoDate } from '../domain/date.ts';
import { addMonths, clampedDayOf, firstDayOf, lastDayOf, monthOf, type Month } from '../domain/month.ts';
import { calendarOf } from './calendar.ts';
import { cite, type ParamUse } from './params/dated.ts';
import type { RulesParams } from './params/schema.ts';
import { firstWorkingDayOnOrAfter } from './period.ts';
import { dueDateOf } from './wages.ts';

export type SubmissionKind = 'wage_table' | 'payment_records';
export type ReminderStage = 'overdue' | 'before_wage_due';

export const SUBMISSION_KIND_ZH: Readonly<Record<SubmissionKind, string>> = { wage_table: '工资支付表', payment_records: '工资发放记录' };
export const REMINDER_STAGE_ZH: Readonly<Record<ReminderStage, string>> = { overdue: '逾期未报送', before_wage_due: '工资支付日前提醒' };

export const SUBMISSION_BASIS: Readonly<Record<SubmissionKind, { document: string; article: string }>> = {
  wage_table: { document: '保障农民工工资支付条例', article: '第十五条、第二十八条、第三十一条' },
  payment_records: { document: '保障农民工工资支付条例', article: '第十五条、第三十一条' },
};

export interface SubmissionProjectFacts {
  readonly projectId: number;
  readonly startDate: IsoDate;
  readonly completionDate: IsoDate | null;
  /** 工资支付日 (day of M+1) */
  readonly payDay: number;
  readonly roster: readonly { readonly entryDate: IsoDate; readonly exitDate: IsoDate | null }[];
  /** months with a current wage table row */
  readonly payrollMonths: readonly string[];
  /** months with a current payment row */
  readonly paymentMonths: readonly string[];
}

export interface OwedSubmission {
  readonly projectId: number;
  readonly month: Month;
  readonly kind: SubmissionKind;
  readonly dueDate: IsoDate;
  /** M's wage due date */
  readonly wageDueDate: IsoDate;
  readonly submitted: boolean;
  /** D after the due date and not submitted */
  readonly late: boolean;
  /** days from the due date to D (0 when not late) */
  readonly daysLate: number;
}

export interface DueReminder {
  readonly projectId: number;
  readonly month: Month;
  readonly kind: SubmissionKind;
  readonly stage: ReminderStage;
  readonly dueDate: IsoDate;
  readonly wageDueDate: IsoDate;
  readonly daysLate: number;
  /** the event: one reminder per project-month-item-stage */
  readonly eventKey: string;
  readonly basis: { readonly document: string; readonly article: string };
  readonly params: readonly ParamUse[];
}

/** The months (before D's month) in which the project was active and had a worker on its roster. */
export function monthsNeedingSubmissions(p: SubmissionProjectFacts, asOf: IsoDate): Month[] {
  const out: Month[] = [];
  const last = addMonths(monthOf(asOf), -1);
  if (p.startDate > asOf) return out;
  for (let m = monthOf(p.startDate); m <= last; m = addMonths(m, 1)) {
    const first = firstDayOf(m);
    const end = lastDayOf(m);
    if (p.completionDate !== null && p.completionDate < first) break;
    if (p.roster.some((r) => r.entryDate <= end && (r.exitDate === null || r.exitDate >= first))) out.push(m);
  }
  return out;
}

/** Every submission the project owes up to D (submitted or not), with its due date. */
export function owedSubmissions(p: SubmissionProjectFacts, params: RulesParams, asOf: IsoDate): OwedSubmission[] {
  const calendar = calendarOf(params.holidays);
  const due = params.submissionDueDates.at(asOf).value;
  const payroll = new Set(p.payrollMonths);
  const payments = new Set(p.paymentMonths);
  const out: OwedSubmission[] = [];
  for (const month of monthsNeedingSubmissions(p, asOf)) {
    const wageDueDate = dueDateOf(month, p.payDay, calendar).dueDate;
    const items: [SubmissionKind, IsoDate, boolean][] = [
      ['wage_table', firstWorkingDayOnOrAfter(clampedDayOf(addMonths(month, 1), due.wageTableDay), calendar), payroll.has(month)],
      ['payment_records', firstWorkingDayOnOrAfter(addDays(wageDueDate, due.paymentRecordsDaysAfterWageDue), calendar), payments.has(month)],
    ];
    for (const [kind, dueDate, submitted] of items) {
      const late = !submitted && asOf > dueDate;
      out.push({ projectId: p.projectId, month, kind, dueDate, wageDueDate, submitted, late, daysLate: late ? daysBetween(dueDate, asOf) : 0 });
    }
  }
  return out;
}

/** The reminders due on D (each is sent once: the caller queues them under `eventKey`). */
export function dueReminders(p: SubmissionProjectFacts, params: RulesParams, asOf: IsoDate): DueReminder[] {
  const dueParam = params.submissionDueDates.at(asOf);
  const remParam = params.submissionReminders.at(asOf);
  const { leadDays, catchUpDays } = remParam.value;
  const used = [cite(dueParam), cite(remParam)];
  const out: DueReminder[] = [];
  for (const s of owedSubmissions(p, params, asOf)) {
    if (s.submitted) continue;
    const stages: ReminderStage[] = [];
    if (asOf > s.dueDate && asOf <= addDays(s.dueDate, catchUpDays)) stages.push('overdue');
    if (s.kind === 'wage_table' && asOf >= addDays(s.wageDueDate, -leadDays) && asOf <= s.wageDueDate) stages.push('before_wage_due');
    for (const stage of stages) {
      out.push({
        projectId: s.projectId,
        month: s.month,
        kind: s.kind,
        stage,
        dueDate: s.dueDate,
        wageDueDate: s.wageDueDate,
        daysLate: s.daysLate,
        eventKey: `submission:p${s.projectId}:${s.month}:${s.kind}:${stage}`,
        basis: SUBMISSION_BASIS[s.kind],
        params: used,
      });
    }
  }
  return out;
}
