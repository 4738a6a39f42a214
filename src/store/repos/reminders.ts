/**
 * 催报 — what the submission reminders (src/rules/reminders.ts) are decided from: every project's dates and
 * pay day, its roster spans, the months it has a current wage table and payment rows for; and the reminders
 * already queued (notices with template SUBMISSION_REMINDER). SQL written once for both engines.
 */
import type { IsoDate } from '../../domain/date.ts';
import type { SubmissionProjectFacts } from '../../rules/reminders.ts';
import type { Sql } from '../sql.ts';

export interface SubmissionProject extends SubmissionProjectFacts {
  readonly code: string;
  readonly name: string;
}

export interface ReminderSent {
  readonly project_id: number;
  readonly dedupe_key: string;
  readonly created_at: string;
}

export const SUBMISSION_REMINDER_TEMPLATE = 'SUBMISSION_REMINDER';

export class RemindersRepo {
  constructor(private readonly sql: Sql) {}

  /** Every project that has started by `asOf`, with what the reminder rule reads. */
  async submissionProjects(asOf: string): Promise<SubmissionProject[]> {
    const projects = await this.sql.all<{ id: number; code: string; name: string; start_date: string; completion_date: string | null; pay_day: number }>(
      `SELECT id, code, name, start_date, completion_date, pay_day FROM projects WHERE start_date <= ? ORDER BY code`,
      [asOf],
    );
    if (projects.length === 0) return [];
    const roster = await this.sql.all<{ project_id: number; entry_date: string; exit_date: string | null }>(
      `SELECT project_id, entry_date, exit_date FROM roster_entries WHERE superseded_by IS NULL AND entry_date <= ?`,
      [asOf],
    );
    const payroll = await this.sql.all<{ project_id: number; month: string }>(`SELECT DISTINCT project_id, month FROM payroll_rows WHERE superseded_by IS NULL`);
    const payments = await this.sql.all<{ project_id: number; month: string }>(`SELECT DISTINCT project_id, month FROM payments WHERE superseded_by IS NULL`);
    const by = new Map<number, { roster: { entryDate: IsoDate; exitDate: IsoDate | null }[]; payroll: string[]; payments: string[] }>();
    const of = (id: number) => {
      let e = by.get(id);
      if (!e) by.set(id, (e = { roster: [], payroll: [], payments: [] }));
      return e;
    };
    for (const r of roster) of(r.project_id).roster.push({ entryDate: r.entry_date as IsoDate, exitDate: (r.exit_date ?? null) as IsoDate | null });
    for (const r of payroll) of(r.project_id).payroll.push(r.month);
    for (const r of payments) of(r.project_id).payments.push(r.month);
    return projects.map((p) => {
      const e = of(p.id);
      return {
        projectId: p.id,
        code: p.code,
        name: p.name,
        startDate: p.start_date as IsoDate,
        completionDate: (p.completion_date ?? null) as IsoDate | null,
        payDay: p.pay_day,
        roster: e.roster,
        payrollMonths: e.payroll,
        paymentMonths: e.payments,
      };
    });
  }

  /** The submission reminders queued so far (one row per notice: recipient and channel). */
  async remindersSent(): Promise<ReminderSent[]> {
    return this.sql.all<ReminderSent>(
      `SELECT project_id, dedupe_key, created_at FROM notices WHERE template = ? ORDER BY created_at, id`,
      [SUBMISSION_REMINDER_TEMPLATE],
    );
  }
}
