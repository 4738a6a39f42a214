/**
 * Every flag of COMPLIANCE.md §2, on both sides of its condition. Numbers are worked by hand in comments.
 * The scenario defaults raise no flag (scenario.ts), so each test spells out only what it is about.
 */
import { describe, expect, it } from 'vitest';
import { yuan } from '../../src/domain/money.ts';
import { FLAG_CODES, FLAGS } from '../../src/rules/flags.ts';
import { DEFAULT_PARAMS, type HolidaySchedule, type RulesParams } from '../../src/rules/params/index.ts';
import { buildProject, cardFor, d, evaluate, idFor, usccFor } from './scenario.ts';

const paidOnTime = (worker: string, month: string, amount: string, paidOn: string) => ({ worker, month, amount, paidOn });

describe('worker-month flags', () => {
  it('NO_PAYROLL: roster-active, past due, no wage-table row — not before the due date', () => {
    // entered 2026-09-01 at 300.00/day: September Mon–Fri = 22 days → estimate 6600.00; due 2026-10-15 (Thursday)
    const spec = { workers: { A: { entry: '2026-09-01' } } };
    expect(evaluate(spec, '2026-10-15').flags('NO_PAYROLL')).toEqual([]);
    const [f] = evaluate(spec, '2026-10-16').flags('NO_PAYROLL');
    expect(f).toMatchObject({ month: '2026-09', amount: yuan('6600.00'), severity: 'high' });
    expect(f!.sentence).toContain('估算应发约6,600.00元');
  });

  it('NOT_ON_ROSTER: a payroll row or a payment for a worker not roster-active in M, once per worker-month', () => {
    // X is not on the roster: a payroll row and a payment for 2026-09 → one flag for (X, 2026-09).
    // Y left on 2026-08-31: a payroll row for 2026-09 → flagged. Z paid for 2026-09 with no payroll, not on roster → flagged.
    // A is on the roster: not flagged.
    const s = evaluate(
      {
        workers: { X: { onRoster: false }, Y: { entry: '2026-06-01', exit: '2026-08-31' }, Z: { onRoster: false }, A: {} },
        payroll: [
          { worker: 'X', month: '2026-09', net: '3000.00' },
          { worker: 'Y', month: '2026-09', net: '3000.00' },
          { worker: 'A', month: '2026-09', net: '3000.00' },
        ],
        payments: [paidOnTime('X', '2026-09', '3000.00', '2026-10-10'), paidOnTime('Z', '2026-09', '500.00', '2026-10-10')],
      },
      '2026-10-20',
    );
    const flagged = s.flags('NOT_ON_ROSTER').map((f) => f.idNumber);
    expect(flagged.sort()).toEqual([idFor('X'), idFor('Y'), idFor('Z')].sort());
    const x = s.flags('NOT_ON_ROSTER').find((f) => f.idNumber === idFor('X'))!;
    expect(x.evidence.map((e) => e.table)).toEqual(['payroll_rows', 'payments']);
    expect(s.flags('NOT_ON_ROSTER').find((f) => f.idNumber === idFor('Y'))!.sentence).toContain('不在本项目花名册的在岗期间内');
  });

  it('PAID_OUTSIDE_ACCOUNT: cash and other transfers, summed once per worker-month; 专户代发 is fine', () => {
    const s = evaluate(
      {
        workers: { A: {}, B: {} },
        payroll: [
          { worker: 'A', month: '2026-09', net: '5000.00' },
          { worker: 'B', month: '2026-09', net: '5000.00' },
        ],
        payments: [
          { ...paidOnTime('A', '2026-09', '3000.00', '2026-10-10'), channel: 'cash' as const },
          { ...paidOnTime('A', '2026-09', '2000.00', '2026-10-10'), channel: 'other_transfer' as const },
          paidOnTime('B', '2026-09', '5000.00', '2026-10-10'),
        ],
      },
      '2026-10-20',
    );
    const flags = s.flags('PAID_OUTSIDE_ACCOUNT');
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ idNumber: idFor('A'), amount: yuan('5000.00') });
    expect(flags[0]!.sentence).toContain('现金、其他转账');
  });

  it('PAYEE_MISMATCH: another payee name or a card that is not the roster card; a stray space is not a mismatch', () => {
    const s = evaluate(
      {
        workers: { A: { name: '王建军' }, B: { name: '李四' }, C: { name: '赵六' } },
        payroll: ['A', 'B', 'C'].map((w) => ({ worker: w, month: '2026-09', net: '5000.00' })),
        payments: [
          { ...paidOnTime('A', '2026-09', '5000.00', '2026-10-10'), payee: '张工头' },
          { ...paidOnTime('B', '2026-09', '5000.00', '2026-10-10'), card: 'someone-else' },
          { ...paidOnTime('C', '2026-09', '5000.00', '2026-10-10'), payee: '赵 六' },
        ],
      },
      '2026-10-20',
    );
    const byWorker = new Map(s.flags('PAYEE_MISMATCH').map((f) => [f.idNumber, f]));
    expect([...byWorker.keys()].sort()).toEqual([idFor('A'), idFor('B')].sort());
    expect(byWorker.get(idFor('A'))!.sentence).toContain('收款人“张工头”');
    expect(byWorker.get(idFor('B'))!.sentence).toMatch(/卡号6222 \*\*\*\* \*\*\*\* \d{4}/);
  });

  it('PAYMENT_NOT_IN_ACCOUNT: a 专户代发 payment whose bank_ref has no wages outflow (an outflow after D does not count yet)', () => {
    const spec = {
      workers: { A: {}, B: {} },
      payroll: ['A', 'B'].map((w) => ({ worker: w, month: '2026-09', net: '5000.00' })),
      payments: [
        { ...paidOnTime('A', '2026-09', '5000.00', '2026-10-10'), inAccount: false, bankRef: 'B-777' },
        paidOnTime('B', '2026-09', '5000.00', '2026-10-10'),
      ],
      transactions: [{ txDate: '2026-10-25', direction: 'out' as const, amount: '5000.00', purpose: 'wages' as const, bankRef: 'B-777' }],
    };
    const before = evaluate(spec, '2026-10-20').flags('PAYMENT_NOT_IN_ACCOUNT');
    expect(before.map((f) => f.idNumber)).toEqual([idFor('A')]);
    expect(before[0]!.sentence).toContain('B-777');
    expect(evaluate(spec, '2026-10-26').flags('PAYMENT_NOT_IN_ACCOUNT')).toEqual([]);
  });

  describe('BELOW_MIN_WAGE (信都区, tier 2: 2000.00 from 2023-01-01, 1790.00 before)', () => {
    // the full month, the proration, the cap at the monthly minimum and the unplaced county:
    // test/rules/scenarios/minimum-wage.yaml
    it('the minimum in force on the month’s last day applies: 1800.00 for December 2022 passes (1790.00), for January 2023 fails (2000.00)', () => {
      // 2022/2023 holiday schedules are shipped (params/holidays/), so the ledger computes their due dates
      const params: RulesParams = DEFAULT_PARAMS;
      const s = evaluate(
        {
          signedOn: '2022-06-01',
          startDate: '2022-06-01',
          accountOpenedOn: '2022-06-02',
          defaultDeposit: false,
          workers: { A: {} },
          payroll: [
            { worker: 'A', month: '2022-12', net: '1800.00' },
            { worker: 'A', month: '2023-01', net: '1800.00' },
          ],
          payments: [paidOnTime('A', '2022-12', '1800.00', '2023-01-10'), paidOnTime('A', '2023-01', '1800.00', '2023-02-10')],
        },
        '2023-03-01',
        {},
        params,
      );
      expect(s.flags('BELOW_MIN_WAGE').map((f) => f.month)).toEqual(['2023-01']);
      expect(s.flags('BELOW_MIN_WAGE')[0]!.amount).toBe(yuan('200.00'));
    });
  });

  it('UNCONFIRMED_PAYROLL: a wage-table row the worker did not confirm', () => {
    const s = evaluate(
      {
        workers: { A: {}, B: {} },
        payroll: [
          { worker: 'A', month: '2026-09', net: '5000.00', confirmed: false },
          { worker: 'B', month: '2026-09', net: '5000.00', confirmed: true },
        ],
        payments: [paidOnTime('A', '2026-09', '5000.00', '2026-10-10'), paidOnTime('B', '2026-09', '5000.00', '2026-10-10')],
      },
      '2026-10-20',
    );
    expect(s.flags('UNCONFIRMED_PAYROLL').map((f) => f.idNumber)).toEqual([idFor('A')]);
  });

  describe('DOUBLE_BOOKED (advisory): days worked in M over all projects exceed the days in M', () => {
    const other = (days: string) =>
      buildProject({ id: 2, code: 'XT-OTHER', workers: { A: {} }, payroll: [{ worker: 'A', month: '2026-09', net: '3000.00', days }] });
    const here = { workers: { A: {} }, payroll: [{ worker: 'A', month: '2026-09', net: '5000.00', days: '20' }], payments: [paidOnTime('A', '2026-09', '5000.00', '2026-10-10')] };
    it('20 days here + 12 days elsewhere = 32 > 30 days of September: flagged, citing both projects', () => {
      const [f] = evaluate(here, '2026-10-20', { projects: [other('12')] }).flags('DOUBLE_BOOKED');
      expect(f!.legalBasis.advisory).toBe(true);
      expect(f!.evidence).toHaveLength(2);
      expect(f!.sentence).toContain('合计出勤32天');
      expect(f!.sentence).toContain('XT-OTHER 12天');
    });
    it('20 + 10 = 30 is not more than 30: not flagged', () => {
      expect(evaluate(here, '2026-10-20', { projects: [other('10')] }).flags('DOUBLE_BOOKED')).toEqual([]);
    });
    it('31 days on one project in a 30-day month is flagged too', () => {
      expect(evaluate({ ...here, payroll: [{ worker: 'A', month: '2026-09', net: '5000.00', days: '31' }] }, '2026-10-20').flags('DOUBLE_BOOKED')).toHaveLength(1);
    });
  });

  describe('EXIT_NOT_SETTLED: the exit month, past its due date, not fully paid or not confirmed', () => {
    const base = (payments: { worker: string; month: string; amount: string; paidOn: string }[], confirmed = true) => ({
      workers: { A: { entry: '2026-08-01', exit: '2026-09-10' } },
      payroll: [
        { worker: 'A', month: '2026-08', net: '6000.00' },
        { worker: 'A', month: '2026-09', net: '2000.00', confirmed },
      ],
      payments,
    });
    const august = paidOnTime('A', '2026-08', '6000.00', '2026-09-10');
    it('unpaid exit month, past the due date (2026-10-15): flagged with the amount owed', () => {
      const [f] = evaluate(base([august]), '2026-10-16').flags('EXIT_NOT_SETTLED');
      expect(f).toMatchObject({ month: '2026-09', amount: yuan('2000.00') });
      expect(f!.sentence).toContain('于2026-09-10退场');
    });
    it('not before the due date', () => {
      expect(evaluate(base([august]), '2026-10-15').flags('EXIT_NOT_SETTLED')).toEqual([]);
    });
    it('paid in full and confirmed: settled', () => {
      expect(evaluate(base([august, paidOnTime('A', '2026-09', '2000.00', '2026-09-10')]), '2026-10-16').flags('EXIT_NOT_SETTLED')).toEqual([]);
    });
    it('paid in full but the exit month’s wage table is not confirmed by the worker: flagged', () => {
      const [f] = evaluate(base([august, paidOnTime('A', '2026-09', '2000.00', '2026-09-10')], false), '2026-10-16').flags('EXIT_NOT_SETTLED');
      expect(f!.sentence).toContain('退场当月工资表未经本人确认');
      expect(f!.amount).toBe(0);
    });
    it('an earlier month still owed counts as not settled', () => {
      const [f] = evaluate(base([paidOnTime('A', '2026-09', '2000.00', '2026-09-10')]), '2026-10-16').flags('EXIT_NOT_SETTLED');
      expect(f!.amount).toBe(yuan('6000.00'));
    });
  });

  describe('PAY_OUTLIER (advisory): above 50,000.00 in a month or 300,000.00 in a year', () => {
    it('50,000.01 in a month is flagged, 50,000.00 is not', () => {
      const spec = (gross: string) => ({
        workers: { A: {} },
        payroll: [{ worker: 'A', month: '2026-09', net: gross }],
        payments: [paidOnTime('A', '2026-09', gross, '2026-10-10')],
      });
      expect(evaluate(spec('50000.01'), '2026-10-20').flags('PAY_OUTLIER')).toHaveLength(1);
      expect(evaluate(spec('50000.00'), '2026-10-20').flags('PAY_OUTLIER')).toEqual([]);
    });
    it('six months of 50,000.00 reach 300,000.00 exactly (not above); 0.01 more in July crosses it and flags July', () => {
      const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
      const spec = (july: string | null) => ({
        workers: { A: { entry: '2026-01-01' } },
        payroll: [...months.map((month) => ({ worker: 'A', month, net: '50000.00' })), ...(july ? [{ worker: 'A', month: '2026-07', net: july }] : [])],
      });
      expect(evaluate(spec(null), '2026-07-20').flags('PAY_OUTLIER')).toEqual([]);
      const flags = evaluate(spec('0.01'), '2026-08-20').flags('PAY_OUTLIER');
      expect(flags.map((f) => f.month)).toEqual(['2026-07']);
      expect(flags[0]!.sentence).toContain('2026年累计至本月300,000.01元');
    });
    it('payments count too: a 60,000.00 payment against a 5,000.00 wage table is flagged', () => {
      const s = evaluate(
        { workers: { A: {} }, payroll: [{ worker: 'A', month: '2026-09', net: '5000.00' }], payments: [paidOnTime('A', '2026-09', '60000.00', '2026-10-10')] },
        '2026-10-20',
      );
      expect(s.flags('PAY_OUTLIER')[0]!.amount).toBe(yuan('60000.00'));
    });
  });
});

describe('worker flags (once per roster entry)', () => {
  it('NO_CONTRACT: each unsigned roster entry, with its entry date in the fingerprint', () => {
    const s = evaluate({ workers: { A: { contract: false, entry: '2026-03-01', exit: '2026-04-30', moreEntries: [{ entry: '2026-09-01' }] }, B: { contract: true } } }, '2026-09-05');
    const flags = s.flags('NO_CONTRACT');
    expect(flags).toHaveLength(2);
    expect(flags.map((f) => f.fingerprint).sort()).toEqual([`NO_CONTRACT|XT-TEST|${idFor('A')}||2026-03-01`, `NO_CONTRACT|XT-TEST|${idFor('A')}||2026-09-01`]);
  });

  it('UNDERAGE: 15 on the entry date is flagged (critical); 16 that day is not', () => {
    // born 2010-11-29: on 2026-11-28 aged 15; on 2026-11-29 aged 16.
    const young = evaluate({ workers: { K: { birth: '2010-11-29', entry: '2026-11-28' } } }, '2026-11-30');
    const [f] = young.flags('UNDERAGE');
    expect(f!.severity).toBe('critical');
    expect(f!.sentence).toContain('2026-11-28进场时15周岁');
    expect(evaluate({ workers: { K: { birth: '2010-11-29', entry: '2026-11-29' } } }, '2026-11-30').flags('UNDERAGE')).toEqual([]);
  });
});

describe('project flags', () => {
  it('SHARED_PAYEE_CARD: one card paid for 3 workers in a month (once per card and month); 2 workers is not enough', () => {
    const pays = (workers: string[], month: string) => workers.map((w) => ({ ...paidOnTime(w, month, '3000.00', '2026-10-10'), card: 'foreman' }));
    const workers = { A: { entry: '2026-08-01' }, B: { entry: '2026-08-01' }, C: { entry: '2026-08-01' } };
    const payroll = ['A', 'B', 'C'].flatMap((w) => ['2026-08', '2026-09'].map((month) => ({ worker: w, month, net: '3000.00' })));
    const three = evaluate({ workers, payroll, payments: [...pays(['A', 'B', 'C'], '2026-08'), ...pays(['A', 'B', 'C'], '2026-09')] }, '2026-10-20');
    const flags = three.flags('SHARED_PAYEE_CARD');
    expect(flags.map((f) => f.month)).toEqual(['2026-08', '2026-09']);
    expect(flags[0]!.fingerprint).toBe(`SHARED_PAYEE_CARD|XT-TEST||2026-08|${cardFor('foreman')}`);
    expect(flags[0]!.amount).toBe(yuan('9000.00'));
    const two = evaluate({ workers, payroll, payments: pays(['A', 'B'], '2026-09') }, '2026-10-20');
    expect(two.flags('SHARED_PAYEE_CARD')).toEqual([]);
  });

  it('SHARED_PHONE: 3 roster workers on one phone number; 2 is not enough', () => {
    const w = (n: number) => Object.fromEntries(['A', 'B', 'C'].slice(0, n).map((k) => [k, { phone: '13800001111' }]));
    const [f] = evaluate({ workers: w(3) }, '2026-02-01').flags('SHARED_PHONE');
    expect(f!.sentence).toContain('138****1111登记了3名工人');
    expect(f!.legalBasis.advisory).toBe(true);
    expect(evaluate({ workers: w(2) }, '2026-02-01').flags('SHARED_PHONE')).toEqual([]);
  });

  it('LOW_PAYROLL_COVERAGE: more than 10% of roster-active workers without a wage-table row — 1 of 10 is not, 1 of 9 is', () => {
    const spec = (n: number) => {
      const keys = Array.from({ length: n }, (_, i) => `W${i}`);
      return {
        workers: Object.fromEntries(keys.map((k) => [k, { entry: '2026-09-01' }])),
        payroll: keys.slice(1).map((k) => ({ worker: k, month: '2026-09', net: '3000.00' })),
        payments: keys.slice(1).map((k) => paidOnTime(k, '2026-09', '3000.00', '2026-10-10')),
      };
    };
    expect(evaluate(spec(10), '2026-10-20').flags('LOW_PAYROLL_COVERAGE')).toEqual([]); // 1/10 = 10%, not above
    const [f] = evaluate(spec(9), '2026-10-20').flags('LOW_PAYROLL_COVERAGE'); // 1/9 = 11.1%
    expect(f!.sentence).toContain('在岗9人，其中1人（11.1%）');
    expect(evaluate(spec(9), '2026-10-15').flags('LOW_PAYROLL_COVERAGE')).toEqual([]); // not past due
  });

  // ACCOUNT_NOT_OPENED: test/rules/scenarios/account-deadline.yaml

  describe('LABOR_COST_SHORT: 100,000.00 a month from January, each month due by its last day', () => {
    const spec = (received: string) => ({
      monthlyLaborCost: '100000.00',
      defaultFunding: false,
      transactions: [{ txDate: '2026-03-20', direction: 'in' as const, amount: received, purpose: 'labor_cost' as const }],
    });
    it('on 2026-04-15 three months are due (300,000.00): 299,999.99 is short by 0.01; 300,000.00 is not', () => {
      const [f] = evaluate(spec('299999.99'), '2026-04-15').flags('LABOR_COST_SHORT');
      expect(f!.amount).toBe(yuan('0.01'));
      expect(f!.sentence).toContain('2026年1月至2026年3月共3个月');
      expect(evaluate(spec('300000.00'), '2026-04-15').flags('LABOR_COST_SHORT')).toEqual([]);
    });
    it('on 2026-03-31 March is not yet due: 200,000.00 suffices', () => {
      expect(evaluate(spec('200000.00'), '2026-03-31').flags('LABOR_COST_SHORT')).toEqual([]);
      expect(evaluate(spec('200000.00'), '2026-04-01').flags('LABOR_COST_SHORT')).toHaveLength(1);
    });
    it('without a monthly labour cost the rule is not applied, and says so', () => {
      expect(evaluate({}, '2026-04-15').evaluation.notApplied.map((n) => n.rule)).toContain('LABOR_COST_SHORT');
    });
  });

  it('ACCOUNT_MISUSE: an outflow whose purpose is not wages; wage outflows are fine', () => {
    const s = evaluate(
      {
        transactions: [
          { txDate: '2026-03-01', direction: 'out', amount: '80000.00', purpose: 'other', counterparty: '某建材公司' },
          { txDate: '2026-03-02', direction: 'out', amount: '1000.00', purpose: 'wages' },
        ],
      },
      '2026-03-10',
    );
    const [f] = s.flags('ACCOUNT_MISUSE');
    expect(f!.amount).toBe(yuan('80000.00'));
    expect(f!.sentence).toContain('付给某建材公司');
  });

  it('ACCOUNT_BALANCE_LOW (advisory): balance below the latest wage month’s net due, while not completed', () => {
    const spec = (funding: string, completionDate?: string) => ({
      defaultFunding: false,
      ...(completionDate ? { completionDate } : {}),
      workers: { A: {} },
      payroll: [{ worker: 'A', month: '2026-09', net: '6000.00' }],
      transactions: [{ txDate: '2026-09-01', direction: 'in' as const, amount: funding, purpose: 'labor_cost' as const }],
    });
    expect(evaluate(spec('5999.99'), '2026-10-10').flags('ACCOUNT_BALANCE_LOW')[0]!.amount).toBe(yuan('0.01'));
    expect(evaluate(spec('6000.00'), '2026-10-10').flags('ACCOUNT_BALANCE_LOW')).toEqual([]);
    expect(evaluate(spec('5999.99', '2026-10-01'), '2026-10-10').flags('ACCOUNT_BALANCE_LOW')).toEqual([]);
  });

  describe('guarantee deposit flags (required 2% × 10,000,000.00 = 200,000.00; deadline 20 working days after 2026-01-05 = 2026-02-02)', () => {
    it('DEPOSIT_MISSING after the deadline, not on it, not once completed', () => {
      expect(evaluate({ defaultDeposit: false }, '2026-02-02').flags('DEPOSIT_MISSING')).toEqual([]);
      const [f] = evaluate({ defaultDeposit: false }, '2026-02-03').flags('DEPOSIT_MISSING');
      expect(f!.amount).toBe(yuan('200000.00'));
      expect(evaluate({ defaultDeposit: false, completionDate: '2026-02-03' }, '2026-02-03').flags('DEPOSIT_MISSING')).toEqual([]);
    });
    it('DEPOSIT_SHORT: 150,000.00 held is 50,000.00 short; 200,000.00 is enough', () => {
      const [f] = evaluate({ defaultDeposit: false, deposits: [{ event: 'deposit', amount: '150000.00', date: '2026-01-20' }] }, '2026-03-01').flags('DEPOSIT_SHORT');
      expect(f!.amount).toBe(yuan('50000.00'));
      expect(evaluate({}, '2026-03-01').codes()).toEqual([]);
    });
    it('GUARANTEE_EXPIRING within 30 days of D (on D + 30 yes, D + 31 no); GUARANTEE_EXPIRED after, unless replaced', () => {
      const guarantee = { event: 'deposit' as const, form: 'bank_guarantee' as const, amount: '200000.00', date: '2026-01-20', expiresOn: '2026-12-20' };
      const spec = { defaultDeposit: false, deposits: [guarantee] };
      expect(evaluate(spec, '2026-11-19').flags('GUARANTEE_EXPIRING')).toEqual([]); // 12-20 is D + 31
      expect(evaluate(spec, '2026-11-20').flags('GUARANTEE_EXPIRING')).toHaveLength(1); // 12-20 is D + 30
      // the guarantee covers 2026-01-20…2026-12-20, less than a year: GUARANTEE_TERM_SHORT stays beside the others
      expect(evaluate(spec, '2026-12-20').codes()).toEqual(['GUARANTEE_EXPIRING', 'GUARANTEE_TERM_SHORT']); // still valid on its last day
      expect(evaluate(spec, '2026-12-21').codes()).toEqual(['DEPOSIT_MISSING', 'GUARANTEE_EXPIRED', 'GUARANTEE_TERM_SHORT']);
      const renewed = { defaultDeposit: false, deposits: [guarantee, { ...guarantee, date: '2026-12-15', expiresOn: '2027-12-15', voucherNo: 'G-2' }] };
      expect(evaluate(renewed, '2026-12-21').codes()).toEqual(['GUARANTEE_TERM_SHORT']);
    });
    it('DEPOSIT_NOT_REPLENISHED: a use on 2026-09-01 must be made good by 2026-09-15 (10 working days)', () => {
      // 09-02 Wed 1, 03 2, 04 3, 07–11 4–8, 14 9, 15 10 → deadline 2026-09-15.
      const use = { event: 'use' as const, amount: '50000.00', date: '2026-09-01' };
      expect(evaluate({ deposits: [use] }, '2026-09-15').flags('DEPOSIT_NOT_REPLENISHED')).toEqual([]);
      const [f] = evaluate({ deposits: [use] }, '2026-09-16').flags('DEPOSIT_NOT_REPLENISHED');
      expect(f!.amount).toBe(yuan('50000.00'));
      expect(f!.sentence).toContain('应于2026-09-15前补足');
      const onTime = { deposits: [use, { event: 'replenish' as const, amount: '50000.00', date: '2026-09-15' }] };
      expect(evaluate(onTime, '2026-09-20').codes()).toEqual([]);
      const late = { deposits: [use, { event: 'replenish' as const, amount: '50000.00', date: '2026-09-16' }] };
      expect(evaluate(late, '2026-09-20').codes()).toEqual(['DEPOSIT_NOT_REPLENISHED']);
    });
  });

  describe('BLACKLISTED_PARTY: owner, contractor or a roster employer listed at D', () => {
    it('the contractor listed from 2026-01-01: flagged (critical)', () => {
      const [f] = evaluate({}, '2026-03-01', { blacklist: [{ uscc: usccFor('contractor'), from: d('2026-01-01') }] }).flags('BLACKLISTED_PARTY');
      expect(f!.severity).toBe('critical');
      expect(f!.sentence).toContain('施工总承包单位默认建工集团');
    });
    it('a listing ending on 2026-03-01 no longer covers 2026-03-01', () => {
      expect(evaluate({}, '2026-03-01', { blacklist: [{ uscc: usccFor('contractor'), from: d('2023-03-01'), to: d('2026-03-01') }] }).flags('BLACKLISTED_PARTY')).toEqual([]);
      expect(evaluate({}, '2026-02-28', { blacklist: [{ uscc: usccFor('contractor'), from: d('2023-03-01'), to: d('2026-03-01') }] }).flags('BLACKLISTED_PARTY')).toHaveLength(1);
    });
    it('a subcontractor employing roster workers counts; one that is not on the project does not', () => {
      const spec = { workers: { A: { employer: '某劳务公司' } } };
      expect(evaluate(spec, '2026-03-01', { blacklist: [{ uscc: usccFor('某劳务公司'), from: d('2025-01-01') }] }).flags('BLACKLISTED_PARTY')[0]!.sentence).toContain('用工单位某劳务公司');
      expect(evaluate(spec, '2026-03-01', { blacklist: [{ uscc: usccFor('无关公司'), from: d('2025-01-01') }] }).flags('BLACKLISTED_PARTY')).toEqual([]);
    });
  });
});

describe('the catalogue and counting', () => {
  it('every code has a severity, a legal basis, and advisory flags say so', () => {
    expect(FLAG_CODES).toHaveLength(41);
    for (const code of FLAG_CODES) {
      const f = FLAGS[code];
      expect(['critical', 'high', 'medium', 'low']).toContain(f.severity);
      expect(f.basis.document.length).toBeGreaterThan(0);
    }
    expect(FLAG_CODES.filter((c) => FLAGS[c].basis.advisory).sort()).toEqual(['ACCOUNT_BALANCE_LOW', 'DOUBLE_BOOKED', 'PAY_OUTLIER', 'SHARED_PHONE']);
  });

  it('a worker-month flag counts once however many rows show it', () => {
    // two payroll lines for the same worker-month (3000 + 2000 = 5000 net, 10 + 10 days) and three cash payments
    const s = evaluate(
      {
        workers: { A: {} },
        payroll: [
          { worker: 'A', month: '2026-09', net: '3000.00', days: '10' },
          { worker: 'A', month: '2026-09', net: '2000.00', days: '10' },
        ],
        payments: [1, 2, 3].map(() => ({ ...paidOnTime('A', '2026-09', '1000.00', '2026-10-10'), channel: 'cash' as const })),
      },
      '2026-10-20',
    );
    expect(s.codes()).toEqual(['PAID_OUTSIDE_ACCOUNT', 'WAGE_PARTIAL']);
    expect(s.flags('WAGE_PARTIAL')[0]!.amount).toBe(yuan('2000.00'));
    expect(s.flags('PAID_OUTSIDE_ACCOUNT')[0]!.amount).toBe(yuan('3000.00'));
    expect(s.flags('WAGE_PARTIAL')[0]!.evidence).toHaveLength(5);
  });

  it('a project with every kind of trouble raises every code, and no two findings share a fingerprint', () => {
    // deposit: required 200,000.00; held = cash 1000 − 500 used + the guarantee valid to 11-01 (1000) = 1500 → SHORT, not MISSING.
    // The guarantee dated 03-02 expired 09-01 and no later one replaced it → EXPIRED; the one to 11-01 → EXPIRING.
    // Both cover less than a year → TERM_SHORT.
    const s = evaluate(
      {
        accountOpenedOn: '2026-03-01',
        defaultFunding: false,
        defaultDeposit: false,
        monthlyLaborCost: '100000.00',
        // the owner's duties stated as not met; unpaid contract money 500.00 caps the owner's advance
        ownerDuties: { paymentGuarantee: false, rightsNoticeBoard: false, laborOfficer: false, unpaidContractAmount: '500.00' },
        deposits: [
          { event: 'deposit', form: 'bank_guarantee', amount: '1000.00', date: '2026-03-02', expiresOn: '2026-09-01' },
          { event: 'deposit', form: 'bank_guarantee', amount: '1000.00', date: '2026-01-20', expiresOn: '2026-11-01' },
          { event: 'deposit', form: 'cash', amount: '1000.00', date: '2026-01-20' },
          { event: 'use', form: 'cash', amount: '500.00', date: '2026-08-03' },
          // the requirement reached on 02-10, after the 02-02 deadline (STORED_LATE), then refunded before completion (REFUND_EARLY)
          { event: 'deposit', form: 'cash', amount: '200000.00', date: '2026-02-10' },
          { event: 'refund', form: 'cash', amount: '200000.00', date: '2026-03-01' },
        ],
        // closed before completion without a notice: ACCOUNT_CLOSED_EARLY
        accountClosedOn: '2026-10-01',
        transactions: [
          { txDate: '2026-03-01', direction: 'in', amount: '1000.00', purpose: 'labor_cost' },
          { txDate: '2026-03-02', direction: 'out', amount: '900.00', purpose: 'other' },
        ],
        workers: {
          A: { entry: '2026-08-01', exit: '2026-09-10', contract: false, phone: '13800001111' },
          B: { entry: '2026-08-01', phone: '13800001111' },
          C: { entry: '2026-08-01', phone: '13800001111', birth: '2012-01-01' },
          D: { entry: '2026-08-01' },
          // 17 on entry, a scaffolder, registration not stated: both juvenile-worker flags
          J: { entry: '2026-08-01', birth: '2009-01-01', trade: '架子工' },
          X: { onRoster: false },
        },
        payroll: [
          { worker: 'A', month: '2026-09', net: '1000.00', days: '31', confirmed: false },
          { worker: 'B', month: '2026-09', net: '60000.00' },
          { worker: 'C', month: '2026-09', net: '3000.00' },
          { worker: 'X', month: '2026-09', net: '3000.00' },
          { worker: 'D', month: '2026-09', net: '2000.00' },
        ],
        payments: [
          { ...paidOnTime('B', '2026-09', '60000.00', '2026-10-20'), card: 'foreman', inAccount: false },
          { ...paidOnTime('C', '2026-09', '1000.00', '2026-10-10'), card: 'foreman', channel: 'other_transfer' },
          { ...paidOnTime('X', '2026-09', '1000.00', '2026-10-10'), card: 'foreman', payee: '张工头' },
          // paid on time, returned by the bank on 10-20: PAYMENT_RETURNED
          { ...paidOnTime('D', '2026-09', '2000.00', '2026-10-10'), returnedOn: '2026-10-20' },
        ],
      },
      '2026-10-21',
      // an insurance registry that holds no work-injury cover for anyone: NO_INJURY_INSURANCE
      { blacklist: [{ uscc: usccFor('owner'), from: d('2026-01-01') }], injuryInsurance: [] },
    );
    // OWNER_MUST_CLEAR takes OWNER_ADVANCE_DUE's place when the contractor is unqualified: owner-duties.yaml
    expect([...new Set(s.codes())].sort()).toEqual([...FLAG_CODES].filter((c) => c !== 'DEPOSIT_MISSING' && c !== 'OWNER_MUST_CLEAR').sort());
    const fingerprints = s.evaluation.findings.map((f) => f.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    for (const f of s.evaluation.findings) {
      expect(f.sentence).toMatch(/（.+）$/);
      expect(f.evidence.length).toBeGreaterThan(0);
    }
  });
});
