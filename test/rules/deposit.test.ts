/**
 * The guarantee-deposit requirement (COMPLIANCE.md §4; RULES.md: Hebei 2%, cap 5,000,000.00; cuts, raises,
 * exemptions) with every step shown, and holdings as of D. Unless said otherwise: contract 10,000,000.00
 * signed 2026-01-05, first deposit 2026-01-20 → the history is looked back from t = 2026-01-20
 * (2-year window 2024-01-20…2026-01-19, 3-year window from 2023-01-20).
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { yuan } from '../../src/domain/money.ts';
import { DEPOSIT_CHAIN, depositHoldings, requiredDeposit, type ContractorRecord } from '../../src/rules/deposit.ts';
import type { ProjectFacts } from '../../src/rules/facts.ts';
import { DEFAULT_PARAMS, dated } from '../../src/rules/params/index.ts';
import { buildProject, d, evaluate, usccFor, type ProjectSpec } from './scenario.ts';

function record(over: Partial<ContractorRecord> = {}, project?: ProjectFacts): ContractorRecord {
  return {
    uscc: usccFor('contractor'),
    recordsHeldFrom: null,
    realNameAndAccountCompliant: false,
    arrears: [],
    blacklist: [],
    projects: project ? [project] : [],
    ...over,
  };
}

const req = (spec: ProjectSpec, over: Partial<ContractorRecord> = {}, asOf = '2026-03-01', params = DEFAULT_PARAMS) => {
  const p = buildProject(spec);
  return requiredDeposit(p, record(over, p), d(asOf), params);
};
const applied = (r: ReturnType<typeof requiredDeposit>) => r.steps.filter((s) => s.applied).map((s) => s.step);

describe('the declared chain', () => {
  it('lists its steps in order, each labelled with its basis; the exceptions are declared on the step that makes them', () => {
    expect(DEPOSIT_CHAIN.map((r) => r.step)).toEqual(['small_contract_exemption', 'clean_years_exemption', 'second_project_cut', 'clean_years_cut', 'several_projects_floor', 'arrears_raise', 'blacklist_raise']);
    for (const r of DEPOSIT_CHAIN) {
      expect(r.label).not.toBe('');
      expect(r.basis).toMatch(/保证金规定|冀人社规/);
    }
    expect(DEPOSIT_CHAIN.filter((r) => r.replaces).map((r) => [r.step, r.replaces])).toEqual([['blacklist_raise', ['arrears_raise']]]);
    expect(DEPOSIT_CHAIN.filter((r) => r.kind === 'exemption').map((r) => r.step)).toEqual(['small_contract_exemption', 'clean_years_exemption']);
  });
});

describe('required deposit', () => {
  it('no history held: the base 2% with no reduction — 10,000,000.00 × 2% = 200,000.00', () => {
    const r = req({});
    expect(r).toMatchObject({ rate: '0.02', required: yuan('200000.00'), exempt: false, lookbackDate: '2026-01-20', lookbackBasis: 'first_deposit', deadline: '2026-02-02' });
    expect(applied(r)).toEqual(['base_rate', 'amount']);
    expect(r.steps.find((s) => s.step === 'clean_years_cut')!.why).toContain('系统未掌握该单位的历史欠薪记录，不予降低');
    expect(r.steps.map((s) => s.step)).toEqual([
      'base_rate',
      'clean_years_exemption',
      'second_project_cut',
      'clean_years_cut',
      'several_projects_floor',
      'arrears_raise',
      'blacklist_raise',
      'amount',
      'cap',
    ]);
  });

  it('with no deposit by D the history is looked back from the deadline (2026-02-02)', () => {
    const r = req({ defaultDeposit: false });
    expect(r.lookbackDate).toBe('2026-02-02');
    expect(r.lookbackBasis).toBe('deadline');
  });

  describe('small-contract exemption (below 3,000,000.00, no arrears in the year before signing: 2025-01-05…2026-01-04)', () => {
    it('2,000,000.00 with records held since 2024-01-01 and no arrears: exempt, 0.00', () => {
      const r = req({ contractAmount: '2000000.00' }, { recordsHeldFrom: d('2024-01-01') });
      expect(r).toMatchObject({ exempt: true, rate: '0', required: 0 });
      expect(applied(r)).toEqual(['base_rate', 'small_contract_exemption']);
    });
    it('no history held: not exempt, 2,000,000.00 × 2% = 40,000.00', () => {
      const r = req({ contractAmount: '2000000.00' });
      expect(r.required).toBe(yuan('40000.00'));
      expect(r.steps.find((s) => s.step === 'small_contract_exemption')!.applied).toBe(false);
    });
    it('arrears in 2025-06: not exempt, and the 2025 arrears raise the rate to 3% → 60,000.00', () => {
      const r = req({ contractAmount: '2000000.00' }, { recordsHeldFrom: d('2024-01-01'), arrears: [{ from: d('2025-06-16'), to: d('2025-07-01'), what: 'XT-OLD 2025年5月工资逾期', evidence: [] }] });
      expect(r).toMatchObject({ exempt: false, rate: '0.03', required: yuan('60000.00') });
    });
    it('exactly 3,000,000.00 is not below the threshold', () => {
      const r = req({ contractAmount: '3000000.00' }, { recordsHeldFrom: d('2024-01-01') });
      expect(r.steps.some((s) => s.step === 'small_contract_exemption')).toBe(false);
      // records since 2024-01-01 cover the 2-year window from 2024-01-20: 2% × 0.5 = 1% → 30,000.00
      expect(r.required).toBe(yuan('30000.00'));
    });
  });

  describe('clean years', () => {
    it('2 clean years held (records since 2024-01-01 ≤ 2024-01-20): 2% × 0.5 = 1% → 100,000.00', () => {
      const r = req({}, { recordsHeldFrom: d('2024-01-01') });
      expect(r).toMatchObject({ rate: '0.01', required: yuan('100000.00') });
      expect(applied(r)).toEqual(['base_rate', 'clean_years_cut', 'amount']);
    });
    it('records only since 2024-02-01 do not cover the window: no cut', () => {
      expect(req({}, { recordsHeldFrom: d('2024-02-01') }).rate).toBe('0.02');
    });
    it('3 clean years held and real-name + account compliance established: exempt', () => {
      const r = req({}, { recordsHeldFrom: d('2022-01-01'), realNameAndAccountCompliant: true });
      expect(r).toMatchObject({ exempt: true, required: 0 });
      expect(applied(r)).toEqual(['base_rate', 'clean_years_exemption']);
    });
    it('3 clean years without established compliance: only the 2-year cut', () => {
      const r = req({}, { recordsHeldFrom: d('2022-01-01') });
      expect(r.rate).toBe('0.01');
      expect(r.steps.find((s) => s.step === 'clean_years_exemption')!.why).toContain('未认定落实实名制和专户制度');
    });
  });

  describe('second project in the area, and the 0.5% floor', () => {
    const other = { id: 9, code: 'XT-EARLIER', contractSignedOn: d('2025-06-01') };
    it('an earlier project still under construction on t: 2% × 0.5 = 1%', () => {
      const p = buildProject({});
      const r = requiredDeposit(p, record({ projects: [p, other] }), d('2026-03-01'));
      expect(r.rate).toBe('0.01');
      expect(r.steps.find((s) => s.step === 'second_project_cut')!.why).toContain('XT-EARLIER');
    });
    it('completed before t: no cut', () => {
      const p = buildProject({});
      expect(requiredDeposit(p, record({ projects: [p, { ...other, completionDate: d('2026-01-19') }] }), d('2026-03-01')).rate).toBe('0.02');
    });
    it('second project and 2 clean years: 2% × 0.5 × 0.5 = 0.5%, exactly the floor → 50,000.00', () => {
      const p = buildProject({});
      const r = requiredDeposit(p, record({ projects: [p, other], recordsHeldFrom: d('2020-01-01') }), d('2026-03-01'));
      expect(r).toMatchObject({ rate: '0.005', required: yuan('50000.00') });
      expect(r.steps.find((s) => s.step === 'several_projects_floor')!.applied).toBe(false);
    });
    it('a lower base rate cut twice stops at the 0.5% floor (base 1.5% × 0.25 = 0.375% → 0.5%)', () => {
      const params = { ...DEFAULT_PARAMS, depositBaseRate: dated<string>('test rate', [{ from: d('2022-03-04'), value: '0.015', source: { document: 'test', verified: false } }]) };
      const p = buildProject({});
      const r = requiredDeposit(p, record({ projects: [p, other], recordsHeldFrom: d('2020-01-01') }), d('2026-03-01'), params);
      expect(r.rate).toBe('0.005');
      expect(r.steps.find((s) => s.step === 'several_projects_floor')!.applied).toBe(true);
    });
  });

  describe('raises', () => {
    it('arrears within the 2 years before t: 2% × 1.5 = 3% → 300,000.00', () => {
      const r = req({}, { arrears: [{ from: d('2025-03-01'), to: d('2025-04-01'), what: 'XT-OLD 欠薪', evidence: [] }] });
      expect(r).toMatchObject({ rate: '0.03', required: yuan('300000.00') });
      expect(applied(r)).toEqual(['base_rate', 'arrears_raise', 'amount']);
    });
    it('arrears that ended on 2024-01-19, the day before the window opens: no raise', () => {
      expect(req({}, { arrears: [{ from: d('2023-12-01'), to: d('2024-01-19'), what: 'old', evidence: [] }] }).rate).toBe('0.02');
    });
    it('on the blacklist the day before t: × 2 in place of × 1.5 → 4% → 400,000.00 (the 3% national bound does not cap a raise)', () => {
      const r = req({}, {
        arrears: [{ from: d('2025-03-01'), to: null, what: 'XT-OLD 欠薪', evidence: [] }],
        blacklist: [{ uscc: usccFor('contractor'), from: d('2025-06-01') }],
      });
      expect(r).toMatchObject({ rate: '0.04', required: yuan('400000.00') });
      expect(applied(r)).toEqual(['base_rate', 'blacklist_raise', 'amount']);
      // the exception is stated on the replaced step: its condition held, the blacklist raise took its place
      expect(r.steps.find((x) => x.step === 'arrears_raise')).toMatchObject({ applied: false, replacedBy: 'blacklist_raise' });
      expect(r.steps.find((x) => x.step === 'arrears_raise')!.why).toContain('由失信名单上浮代替');
    });
    it('a listing that starts on t itself is not history before the deposit', () => {
      expect(req({}, { blacklist: [{ uscc: usccFor('contractor'), from: d('2026-01-20') }] }).rate).toBe('0.02');
    });
  });

  it('the cap: 300,000,000.00 × 2% = 6,000,000.00 → 5,000,000.00', () => {
    const r = req({ contractAmount: '300000000.00' });
    expect(r).toMatchObject({ uncapped: yuan('6000000.00'), cap: yuan('5000000.00'), required: yuan('5000000.00') });
    expect(applied(r)).toContain('cap');
  });
});

describe('history from the city’s own ledgers', () => {
  // Project 1 (signed 2026-01-05, deposit 2026-01-20) owes A's September wages: due 2026-10-15, in arrears from 2026-10-16.
  const owing: ProjectSpec = { workers: { A: {} }, payroll: [{ worker: 'A', month: '2026-09', net: '5000.00' }] };
  it('later arrears do not raise the project’s own rate', () => {
    const s = evaluate(owing, '2026-11-01');
    expect(s.evaluation.assessment.deposit!.requirement.rate).toBe('0.02');
  });
  it('they raise a later project of the same contractor (deposit 2026-10-20): 2% × 0.5 (second project) × 1.5 = 1.5%', () => {
    const later: ProjectSpec = {
      id: 2,
      code: 'XT-LATER',
      signedOn: '2026-10-10',
      startDate: '2026-10-12',
      accountOpenedOn: '2026-10-11',
      defaultDeposit: false,
      deposits: [{ event: 'deposit', amount: '150000.00', date: '2026-10-20' }],
    };
    const s = evaluate(later, '2026-11-01', { projects: [buildProject(owing)] });
    const r = s.evaluation.assessment.deposit!.requirement;
    expect(r.rate).toBe('0.015');
    expect(r.steps.find((x) => x.step === 'arrears_raise')!.why).toContain('XT-TEST 2026年9月 工人A工资逾期');
    expect(r.required).toBe(yuan('150000.00'));
  });
  it('recorded history counts once records cover the window (ContractorHistoryFacts)', () => {
    const s = evaluate({}, '2026-03-01', {}, undefined);
    expect(s.evaluation.assessment.deposit!.requirement.rate).toBe('0.02');
    const clean = evaluate({}, '2026-03-01', { contractorHistory: [{ uscc: usccFor('contractor'), recordsHeldFrom: d('2023-06-01') }] });
    expect(clean.evaluation.assessment.deposit!.requirement.rate).toBe('0.01');
  });
  it('a deposit signed in 2023 is evaluated: the 2023 notice is shipped (20 working days from 2023-01-05 skip the Spring Festival: 2023-02-09)', () => {
    const s = evaluate({ signedOn: '2023-01-05', startDate: '2023-01-10', accountOpenedOn: '2023-01-06', defaultDeposit: false }, '2026-03-01');
    expect(s.evaluation.assessment.deposit).not.toBeNull();
    expect(s.evaluation.notApplied.find((n) => n.rule === 'DEPOSIT')).toBeUndefined();
  });
});

describe('holdings as of D', () => {
  const ev = (event: 'deposit' | 'use' | 'replenish' | 'refund', form: 'cash' | 'bank_guarantee' | 'insurance', amount: string, date: string, expiresOn?: string) => ({
    ref: { table: 'deposit_events' as const, id: 1, batchId: 1, line: 2 },
    event,
    form,
    amount: yuan(amount),
    date: date as IsoDate,
    ...(expiresOn ? { expiresOn: expiresOn as IsoDate } : {}),
    voucherNo: `${event}-${date}`,
  });
  it('cash 100,000 + 20,000 replenished − 30,000 used − 10,000 refunded = 80,000; a valid guarantee 50,000 counts, an expired insurance does not', () => {
    const h = depositHoldings(
      [
        ev('deposit', 'cash', '100000.00', '2026-01-20'),
        ev('use', 'cash', '30000.00', '2026-05-01'),
        ev('replenish', 'cash', '20000.00', '2026-05-08'),
        ev('refund', 'cash', '10000.00', '2026-06-01'),
        ev('deposit', 'bank_guarantee', '50000.00', '2026-02-01', '2027-02-01'),
        ev('deposit', 'insurance', '40000.00', '2025-06-01', '2026-05-31'),
        ev('deposit', 'cash', '99999.00', '2026-12-01'), // after D: does not exist yet
      ],
      d('2026-07-01'),
    );
    expect(h).toMatchObject({ cash: yuan('80000.00'), guarantees: yuan('50000.00'), total: yuan('130000.00') });
    expect(h.validGuarantees).toHaveLength(1);
  });
  it('a guarantee is held through its expiry date and not the day after', () => {
    const events = [ev('deposit', 'bank_guarantee', '50000.00', '2026-02-01', '2026-08-31')];
    expect(depositHoldings(events, d('2026-08-31')).total).toBe(yuan('50000.00'));
    expect(depositHoldings(events, d('2026-09-01')).total).toBe(0);
  });
});
