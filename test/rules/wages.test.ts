/**
 * The worker-month ledger (COMPLIANCE.md §1), scenario by scenario. Every number is worked by hand in the
 * comment above its test. Calendar facts used: 2026-11-15 is a Sunday (14th Saturday, 13th Friday);
 * 2026-02-15…23 is the Spring Festival holiday and 2026-02-14 / 2026-02-28 are make-up working Saturdays;
 * 2026-10-01…07 is the National Day holiday.
 */
import { describe, expect, it } from 'vitest';
import { yuan } from '../../src/domain/money.ts';
import { evaluate } from './scenario.ts';

const A = { A: { name: '王建军' } };

describe('due date (条例 第十四条: a pay day on a rest day or holiday moves to the last working day before it)', () => {
  // the Sunday pay day moved to Friday (paid late / on time), the Spring Festival and National Day moves, the
  // pay day of 31: test/rules/scenarios/wages.yaml

  it('a project with no pay day uses the default parameter (15) and cites it', () => {
    const s = evaluate({ payDay: null, workers: A, payroll: [{ worker: 'A', month: '2026-08', net: '5800.00' }] }, '2026-09-30');
    expect(s.wm('A', '2026-08')!.dueDate).toBe('2026-09-15');
    expect(s.flags('WAGE_UNPAID')[0]!.params.map((p) => p.name)).toContain('默认工资支付日');
  });

  it('a due date in a year with no holiday schedule is computed on weekends alone and marked provisional', () => {
    // January 2027 wages, pay day 2027-02-15 (a Monday): with no 2027 notice the day stays, provisional;
    // past it (D 2027-03-01) the month is unpaid and the finding cites the missing notice.
    const s = evaluate({ workers: A, payroll: [{ worker: 'A', month: '2027-01', net: '5000.00' }] }, '2027-03-01');
    const wm = s.wm('A', '2027-01')!;
    expect(wm.dueDate).toBe('2027-02-15');
    expect(wm.dueDateProvisional).toBe(true);
    expect(wm.status).toBe('unpaid');
    expect(wm.arrears).toBe(yuan('5000.00'));
    const cited = s.flags('WAGE_UNPAID')[0]!.params.find((p) => p.name === '2027年全国年节放假安排')!;
    expect(cited.value).toMatchObject({ provisional: true });
    expect(s.evaluation.provisionalYears).toEqual([2027]);
  });

  it('December wages, due next January, are not_due in December although next year’s schedule is not out', () => {
    // As of 2026-12-05 the December month exists; its pay day is 2027-01-15 (a Friday), and 2027 has no
    // notice: the date is placed on weekends alone, provisional, and the month is not yet due.
    const s = evaluate({ workers: A, payroll: [{ worker: 'A', month: '2026-12', net: '5000.00' }] }, '2026-12-05');
    const wm = s.wm('A', '2026-12')!;
    expect(wm.status).toBe('not_due');
    expect(wm.dueDate).toBe('2027-01-15');
    expect(wm.dueDateProvisional).toBe(true);
    expect(s.codes()).toEqual([]);
    // past the provisional day (D 2027-01-20) the month is computed like any other: unpaid, in arrears
    const later = evaluate({ workers: A, payroll: [{ worker: 'A', month: '2026-12', net: '5000.00' }] }, '2027-01-20');
    expect(later.wm('A', '2026-12')!.status).toBe('unpaid');
    expect(later.wm('A', '2026-12')!.overdueDays).toBe(5);
  });
});

describe('status, arrears and overdue days', () => {
  it('unpaid past due: arrears = net due, overdue days = D − due date, and the sentence reads aloud', () => {
    // month 2026-08, pay day 15 → 2026-09-15 (Tuesday, a working day). D = 2026-09-30 → 15 days overdue.
    const s = evaluate({ workers: A, payroll: [{ worker: 'A', month: '2026-08', net: '5800.00' }] }, '2026-09-30');
    const wm = s.wm('A', '2026-08')!;
    expect(wm).toMatchObject({ status: 'unpaid', netDue: yuan('5800.00'), paid: 0, arrears: yuan('5800.00'), overdueDays: 15 });
    const [f] = s.flags('WAGE_UNPAID');
    expect(f!.sentence).toBe('王建军 2026年8月工资应于2026-09-15前支付5,800.00元，截至2026-09-30未支付，已逾期15天（《保障农民工工资支付条例》第十二条）');
    expect(f!.severity).toBe('critical');
    expect(f!.amount).toBe(yuan('5800.00'));
    expect(f!.legalBasis).toEqual({ document: '保障农民工工资支付条例', article: '第十二条、第十三条（支付日：第十四条）', advisory: false });
    expect(f!.evidence).toEqual([s.project.payroll[0]!.ref]);
  });

  it('on the due date itself nothing is due yet; the day after it is 1 day overdue', () => {
    const spec = { workers: A, payroll: [{ worker: 'A', month: '2026-08', net: '5800.00' }] };
    expect(evaluate(spec, '2026-09-15').wm('A', '2026-08')).toMatchObject({ status: 'not_due', arrears: 0, overdueDays: 0 });
    expect(evaluate(spec, '2026-09-15').codes()).toEqual([]);
    expect(evaluate(spec, '2026-09-16').wm('A', '2026-08')).toMatchObject({ status: 'unpaid', arrears: yuan('5800.00'), overdueDays: 1 });
  });

  it('partly paid: 2000.00 of 6000.00 → partial, arrears 4000.00', () => {
    const s = evaluate(
      {
        workers: A,
        payroll: [{ worker: 'A', month: '2026-08', net: '6000.00' }],
        payments: [{ worker: 'A', month: '2026-08', amount: '2000.00', paidOn: '2026-09-10' }],
      },
      '2026-10-01',
    );
    // due 2026-09-15; D − due = 16 days
    expect(s.wm('A', '2026-08')).toMatchObject({ status: 'partial', paid: yuan('2000.00'), arrears: yuan('4000.00'), overdueDays: 16 });
    expect(s.codes()).toEqual(['WAGE_PARTIAL']);
    expect(s.flags('WAGE_PARTIAL')[0]!.sentence).toContain('仅支付2,000.00元，尚欠4,000.00元，已逾期16天');
  });

  it('part on time and the rest late: paid_late with the late part as the amount', () => {
    // 4000.00 on 09-15 (on time), 2000.00 on 09-20 → paid 6000 ≥ 6000, on time 4000 < 6000 → paid_late, late part 2000.00, 5 days.
    const s = evaluate(
      {
        workers: A,
        payroll: [{ worker: 'A', month: '2026-08', net: '6000.00' }],
        payments: [
          { worker: 'A', month: '2026-08', amount: '4000.00', paidOn: '2026-09-15' },
          { worker: 'A', month: '2026-08', amount: '2000.00', paidOn: '2026-09-20' },
        ],
      },
      '2026-10-01',
    );
    expect(s.wm('A', '2026-08')).toMatchObject({ status: 'paid_late', paidOnTime: yuan('4000.00'), arrears: 0, paidInFullOn: '2026-09-20' });
    const [f] = s.flags('WAGE_LATE');
    expect(f!.amount).toBe(yuan('2000.00'));
    expect(f!.sentence).toContain('2026-09-20才付清，迟延5天');
  });

  it('overpaid is paid, never negative arrears; a zero net due is paid', () => {
    const s = evaluate(
      {
        workers: { A: {}, B: {} },
        payroll: [
          { worker: 'A', month: '2026-08', net: '6000.00' },
          { worker: 'B', month: '2026-08', net: '0.00', days: '0' },
        ],
        payments: [{ worker: 'A', month: '2026-08', amount: '6500.00', paidOn: '2026-09-01' }],
      },
      '2026-10-01',
    );
    expect(s.wm('A', '2026-08')).toMatchObject({ status: 'paid', arrears: 0 });
    expect(s.wm('B', '2026-08')).toMatchObject({ status: 'paid', arrears: 0, netDue: 0 });
  });

  it('payments after D do not exist for D', () => {
    // paid 2026-09-30, but D = 2026-09-25: as of D nothing was paid.
    const spec = {
      workers: A,
      payroll: [{ worker: 'A', month: '2026-08', net: '6000.00' }],
      payments: [{ worker: 'A', month: '2026-08', amount: '6000.00', paidOn: '2026-09-30' }],
    };
    expect(evaluate(spec, '2026-09-25').wm('A', '2026-08')).toMatchObject({ status: 'unpaid', paid: 0, arrears: yuan('6000.00'), overdueDays: 10 });
    // recomputed for a later day, the same facts give paid_late
    expect(evaluate(spec, '2026-10-08').wm('A', '2026-08')).toMatchObject({ status: 'paid_late', arrears: 0 });
  });
});

describe('which worker-months exist', () => {
  it('a roster entry dated after D does not exist; a month after D’s month does not exist', () => {
    const s = evaluate(
      {
        workers: { A: {}, L: { entry: '2026-12-01' } },
        payroll: [
          { worker: 'A', month: '2026-10', net: '5000.00' },
          { worker: 'A', month: '2026-12', net: '5000.00' },
        ],
      },
      '2026-11-28',
    );
    expect(s.evaluation.ledger.map((w) => `${w.month}:${w.name}`)).toEqual(['2026-10:工人A', '2026-11:工人A']);
    expect(s.wm('L', '2026-11')).toBeUndefined();
  });

  it('a worker who enters on the last day of a month is active in it; one who leaves on the first day is active in it', () => {
    const s = evaluate(
      { workers: { A: { entry: '2026-08-31', exit: '2026-10-01' } } },
      '2026-11-28',
    );
    expect(s.evaluation.ledger.map((w) => w.month)).toEqual(['2026-08', '2026-09', '2026-10']);
  });

  it('a payroll row for a worker not on the roster makes a worker-month that is not roster-active', () => {
    const s = evaluate({ workers: { X: { onRoster: false } }, payroll: [{ worker: 'X', month: '2026-10', net: '3000.00' }] }, '2026-11-28');
    expect(s.wm('X', '2026-10')).toMatchObject({ rosterActive: false, hasPayroll: true, status: 'unpaid' });
  });
});

describe('estimated exposure of roster-active months with no wage-table row (never added to arrears)', () => {
  it('daily: entered Tuesday 2026-10-20 at 300.00/day → Mon–Fri days 20–23 and 26–30 = 9 → 2700.00', () => {
    const s = evaluate({ workers: { A: { entry: '2026-10-20', rate: '300.00' } } }, '2026-11-28');
    const wm = s.wm('A', '2026-10')!;
    expect(wm).toMatchObject({ status: 'no_payroll', estimatedExposure: yuan('2700.00'), arrears: 0 });
    expect(s.evaluation.assessment.arrears).toBe(0);
    expect(s.evaluation.assessment.estimatedExposure).toBe(yuan('2700.00'));
    // 2026-11 is not past due (due 2026-12-15): not_due, no estimate
    expect(s.wm('A', '2026-11')).toMatchObject({ status: 'not_due', estimatedExposure: null });
  });

  it('monthly: left 2026-09-10 at 6000.00/month → 10 of 30 days → 2000.00; no worker-month after the exit month', () => {
    const s = evaluate({ workers: { A: { entry: '2026-09-01', exit: '2026-09-10', basis: 'monthly', rate: '6000.00' } } }, '2026-11-28');
    expect(s.wm('A', '2026-09')!.estimatedExposure).toBe(yuan('2000.00'));
    expect(s.wm('A', '2026-10')).toBeUndefined();
  });

  it('monthly in February: entered 2026-02-15 at 5000.00 → 14 of 28 days → 2500.00', () => {
    const s = evaluate({ workers: { A: { entry: '2026-02-15', basis: 'monthly', rate: '5000.00' } } }, '2026-04-01');
    expect(s.wm('A', '2026-02')!.estimatedExposure).toBe(yuan('2500.00'));
  });

  it('monthly rounds half up to the fen: 3000.00 × 7/31 = 677.419… → 677.42', () => {
    const s = evaluate({ workers: { A: { entry: '2026-08-25', basis: 'monthly', rate: '3000.00' } } }, '2026-10-01');
    expect(s.wm('A', '2026-08')!.estimatedExposure).toBe(yuan('677.42'));
  });

  it('piece work has no estimate (but is still NO_PAYROLL)', () => {
    const s = evaluate({ workers: { A: { entry: '2026-09-01', basis: 'piece', rate: null } } }, '2026-10-20');
    expect(s.wm('A', '2026-09')).toMatchObject({ status: 'no_payroll', estimatedExposure: null });
    expect(s.flags('NO_PAYROLL')[0]!.amount).toBeUndefined();
  });

  it('a worker who left and came back in the same month: both spans count', () => {
    // 2026-09-01 is a Tuesday: 09-01…09-04 (Tue–Fri) = 4 days, and 09-21…09-30 (Mon 21–Fri 25 = 5, Mon 28–Wed 30 = 3) → 12 days × 300 = 3600.00
    const s = evaluate({ workers: { A: { entry: '2026-09-01', exit: '2026-09-04', moreEntries: [{ entry: '2026-09-21' }] } } }, '2026-10-20');
    expect(s.wm('A', '2026-09')!.estimatedExposure).toBe(yuan('3600.00'));
  });
});
