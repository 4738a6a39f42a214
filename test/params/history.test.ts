/**
 * 三年台账 — a project with history before the oldest shipped holiday notice keeps its 2026 arrears in every
 * total (条例 第十五条 makes contractors keep three years; nothing older may take the project out).
 *
 * Hand-worked: worker A on XT-HIST (信都区) from 2018-06-01; June 2018 wages (3000.00) paid 2018-07-10, due
 * 2018-07-15 — 2018 has no shipped schedule, so that due date is placed on weekends alone (a Sunday →
 * Friday 2018-07-13), provisional; March 2023 wages (3000.00) paid on time under the shipped 2023 notice;
 * September 2026 wages (5000.00) unpaid, due 2026-10-15. As of 2026-11-20 the project owes 5000.00: in
 * the project row, its county and the city; the report warns that 2018's notice is missing; no problem.
 * A second project without history (XT-NEW, 2,000.00 unpaid) shows the totals are sums, not one project.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/reports/model.ts';
import { evaluateCity } from '../../src/rules/evaluate.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { buildProject, d, evaluate } from '../rules/scenario.ts';

const history = buildProject({
  id: 1,
  code: 'XT-HIST',
  signedOn: '2018-05-01',
  startDate: '2018-05-10',
  accountOpenedOn: '2018-05-02',
  defaultDeposit: false,
  workers: { A: { entry: '2018-06-01' } },
  payroll: [
    { worker: 'A', month: '2018-06', net: '3000.00' },
    { worker: 'A', month: '2023-03', net: '3000.00' },
    { worker: 'A', month: '2026-09', net: '5000.00' },
  ],
  payments: [
    { worker: 'A', month: '2018-06', amount: '3000.00', paidOn: '2018-07-10' },
    { worker: 'A', month: '2023-03', amount: '3000.00', paidOn: '2023-04-10' },
  ],
});
const fresh = buildProject({ id: 2, code: 'XT-NEW', workers: { B: { entry: '2026-09-01' } }, payroll: [{ worker: 'B', month: '2026-09', net: '2000.00' }] });

describe('a project with history before the shipped notices', () => {
  const evaluation = evaluateCity({ projects: [history, fresh], blacklist: [], contractorHistory: [] }, d('2026-11-20'), DEFAULT_PARAMS);
  const report = buildReport({ asOf: d('2026-11-20'), facts: { projects: [history, fresh], blacklist: [], contractorHistory: [] }, evaluation, reviews: new Map(), previous: null });

  it('is evaluated: no problem, the 2018 due date provisional, the 2023 one exact', () => {
    expect(evaluation.problems).toEqual([]);
    const p = evaluation.projects.find((x) => x.projectCode === 'XT-HIST')!;
    const june2018 = p.ledger.find((w) => w.month === '2018-06')!;
    expect(june2018).toMatchObject({ dueDate: '2018-07-13', dueDateProvisional: true, status: 'paid' });
    expect(p.ledger.find((w) => w.month === '2023-03')).toMatchObject({ dueDate: '2023-04-14', dueDateProvisional: false, status: 'paid' });
    expect(p.ledger.find((w) => w.month === '2026-09')).toMatchObject({ status: 'unpaid', arrears: 500000 });
    expect(p.provisionalYears).toEqual([2018]);
  });

  it('keeps its 2026 arrears in the project row, the county and the city', () => {
    const row = report.projects.find((r) => r.projectCode === 'XT-HIST')!;
    expect(row.problem).toBeNull();
    expect(row.arrears).toBe('5000.00');
    expect(report.counties.find((c) => c.county === '信都区')!.arrears).toBe('7000.00');
    expect(report.totals.arrears).toBe('7000.00');
    expect(report.totals.projectsInArrears).toBe(2);
    expect(report.totals.workersInArrears).toBe(2);
    expect(report.problems).toEqual([]);
  });

  it('the report says which year is missing and how many projects it touches', () => {
    expect(report.warnings).toEqual([expect.objectContaining({ code: 'MISSING_HOLIDAY_SCHEDULE', year: 2018, projectCount: 1, message: expect.stringContaining('2018年放假安排未录入') })]);
  });
});

describe('any date placed in a year without a schedule marks its project provisional', () => {
  it('a deposit deadline in 2027 (no ledger month needs 2027): the project still lists 2027', () => {
    // signed 2027-01-05, no workers: only the deposit deadline (20 working days) and the account deadline
    // fall in 2027; they are computed on weekends alone and the evaluation says which year they needed
    const s = evaluate({ signedOn: '2027-01-05', startDate: '2027-01-10', accountOpenedOn: '2027-01-06', defaultDeposit: false }, '2027-03-01');
    expect(s.evaluation.ledger).toEqual([]);
    expect(s.evaluation.assessment.deposit).not.toBeNull();
    expect(s.evaluation.provisionalYears).toEqual([2027]);
    // the same project signed in 2026 needs no missing year
    expect(evaluate({ signedOn: '2026-01-05', startDate: '2026-01-10', accountOpenedOn: '2026-01-06', defaultDeposit: false }, '2026-03-01').evaluation.provisionalYears).toEqual([]);
  });
});
