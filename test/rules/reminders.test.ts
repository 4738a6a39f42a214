/**
 * 催报 (issue 20 point 4): the pure rule that decides which submissions a project owes, which are late and
 * which reminders are due on a day — checked on both sides of each date with the shipped parameters
 * (wage table due on the 5th of M+1, payment records 5 days after the wage due date, again 3 days before
 * the wage due date, overdue reminders caught up for 7 days).
 */
import { describe, expect, it } from 'vitest';
import { isoDate, type IsoDate } from '../../src/domain/date.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { dueReminders, monthsNeedingSubmissions, owedSubmissions, type SubmissionProjectFacts } from '../../src/rules/reminders.ts';

const d = (s: string) => isoDate(s);
const project = (over: Partial<SubmissionProjectFacts> = {}): SubmissionProjectFacts => ({
  projectId: 7,
  startDate: d('2026-09-10'),
  completionDate: null,
  payDay: 15,
  roster: [{ entryDate: d('2026-09-10'), exitDate: null }],
  // September is in; October is what the tests chase
  payrollMonths: ['2026-09'],
  paymentMonths: ['2026-09'],
  ...over,
});
const due = (asOf: string, p = project()) => dueReminders(p, DEFAULT_PARAMS, d(asOf)).map((r) => `${r.month}/${r.kind}/${r.stage}`);

describe('which months need a wage table', () => {
  it('from the start month to the month before D, only with a worker on the roster, not after completion', () => {
    expect(monthsNeedingSubmissions(project(), d('2026-11-06'))).toEqual(['2026-09', '2026-10']);
    expect(monthsNeedingSubmissions(project(), d('2026-10-31'))).toEqual(['2026-09']);
    // nobody on site in October: no October wage table owed
    expect(monthsNeedingSubmissions(project({ roster: [{ entryDate: d('2026-09-10'), exitDate: d('2026-09-30') }] }), d('2026-11-06'))).toEqual(['2026-09']);
    // completed in September: October is not owed; completed on 2026-10-01: October is
    expect(monthsNeedingSubmissions(project({ completionDate: d('2026-09-30') }), d('2026-11-06'))).toEqual(['2026-09']);
    expect(monthsNeedingSubmissions(project({ completionDate: d('2026-10-01') }), d('2026-11-06'))).toEqual(['2026-09', '2026-10']);
    // not started yet
    expect(monthsNeedingSubmissions(project({ startDate: d('2026-12-01') }), d('2026-11-06'))).toEqual([]);
  });
});

describe('due dates (October 2026, pay day 15 → wage due 2026-11-13, the 15th being a Sunday)', () => {
  it('wage table on 2026-11-05, payment records on 2026-11-18; late and days late', () => {
    const owed = owedSubmissions(project(), DEFAULT_PARAMS, d('2026-11-06')).filter((o) => o.month === '2026-10');
    expect(owed.map((o) => [o.kind, o.dueDate, o.wageDueDate, o.late, o.daysLate])).toEqual([
      ['wage_table', '2026-11-05', '2026-11-13', true, 1],
      ['payment_records', '2026-11-18', '2026-11-13', false, 0],
    ]);
    expect(owedSubmissions(project(), DEFAULT_PARAMS, d('2026-11-05')).find((o) => o.month === '2026-10' && o.kind === 'wage_table')!.late).toBe(false);
  });

  it('a due day on a rest day moves to the next working day (2026-12-05 is a Saturday → 2026-12-07)', () => {
    const p = project({ payrollMonths: ['2026-09', '2026-10'], paymentMonths: ['2026-09', '2026-10'] });
    const nov = (asOf: string) => owedSubmissions(p, DEFAULT_PARAMS, d(asOf)).find((o) => o.month === '2026-11' && o.kind === 'wage_table')!;
    expect(nov('2026-12-07')).toMatchObject({ dueDate: '2026-12-07', late: false });
    expect(nov('2026-12-08')).toMatchObject({ late: true, daysLate: 1 });
  });
});

describe('reminders due on a day', () => {
  it('overdue wage table: not on the due date, from the day after, for 7 days', () => {
    expect(due('2026-11-05')).toEqual([]);
    expect(due('2026-11-06')).toEqual(['2026-10/wage_table/overdue']);
    expect(due('2026-11-09')).toEqual(['2026-10/wage_table/overdue']);
    expect(due('2026-11-10')).toContain('2026-10/wage_table/overdue');
    expect(due('2026-11-12')).toContain('2026-10/wage_table/overdue');
    expect(due('2026-11-13')).not.toContain('2026-10/wage_table/overdue');
  });

  it('again before the wage due date: from 3 days before (2026-11-10) to the wage due date (2026-11-13)', () => {
    expect(due('2026-11-09')).not.toContain('2026-10/wage_table/before_wage_due');
    expect(due('2026-11-10')).toContain('2026-10/wage_table/before_wage_due');
    expect(due('2026-11-13')).toEqual(['2026-10/wage_table/before_wage_due']);
    expect(due('2026-11-14')).toEqual([]);
  });

  it('payment records: not on 2026-11-18, from 2026-11-19', () => {
    const p = project({ payrollMonths: ['2026-09', '2026-10'] });
    expect(due('2026-11-18', p)).toEqual([]);
    expect(due('2026-11-19', p)).toEqual(['2026-10/payment_records/overdue']);
    expect(due('2026-11-25', p)).toEqual(['2026-10/payment_records/overdue']);
    expect(due('2026-11-26', p)).toEqual([]);
  });

  it('nothing once submitted; a dedupe key per project-month-item-stage; the parameters cited', () => {
    expect(due('2026-11-06', project({ payrollMonths: ['2026-09', '2026-10'] }))).toEqual([]);
    const [r] = dueReminders(project(), DEFAULT_PARAMS, d('2026-11-06'));
    expect(r!.eventKey).toBe('submission:p7:2026-10:wage_table:overdue');
    expect(r!.basis.article).toContain('第十五条');
    expect(r!.params.map((p) => p.name)).toEqual(['工资支付表、工资发放记录报送期限', '报送催报提醒天数']);
  });

  it('a dated parameter changes the day (the wage table due on the 10th)', () => {
    const params = { ...DEFAULT_PARAMS, submissionDueDates: { ...DEFAULT_PARAMS.submissionDueDates, at: (on: IsoDate) => ({ ...DEFAULT_PARAMS.submissionDueDates.at(on), value: { wageTableDay: 10, paymentRecordsDaysAfterWageDue: 5 } }) } };
    expect(dueReminders(project(), params, d('2026-11-06')).map((r) => r.stage)).toEqual([]);
    expect(dueReminders(project(), params, d('2026-11-11')).map((r) => r.stage)).toEqual(['overdue', 'before_wage_due']);
  });
});
