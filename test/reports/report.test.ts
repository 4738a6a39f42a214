/**
 * The nightly report's figures against the hand-worked city of fixture.ts (read its comment first: every
 * number below is derived there). On both engines (a real SQLite file; a real PostgreSQL database);
 * nothing of ours is mocked.
 */
import { recompute } from '../../src/services/recompute.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import type { TestLocation } from '../support/engines.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { computeReport, reviewDateOf, storeReport, type ComputedReport } from '../../src/reports/generate.ts';
import { maskText } from '../../src/api/masking.ts';
import { rateOf, type Report } from '../../src/reports/model.ts';
import { C1, C2, D, D0, S1, W, reviewFlagsIn, seededLocation } from './fixture.ts';

let loc: TestLocation;
let store: Store;
let computed: ComputedReport;
let report: Report;

beforeAll(async () => {
  // on the test's engine (both: vitest.config.ts): the same hand-worked figures on SQLite and PostgreSQL
  const seeded = await seededLocation();
  loc = seeded.loc;
  store = await openStore(loc.location);
  // the night of D0 (its findings kept as state) and its report
  await recompute(store, D0 as IsoDate, '2026-11-19T18:00:00.000Z');
  await storeReport(store, await computeReport(store, D0 as IsoDate), '2026-11-19T18:00:00.000Z');
  await reviewFlagsIn(store, seeded.city);
  computed = await computeReport(store, D as IsoDate);
  report = computed.report;
});

afterAll(async () => {
  await store?.close();
  await loc?.drop();
});

describe('totals', () => {
  it('sums arrears exactly and counts a worker owed on two projects once', () => {
    expect(report.asOf).toBe(D);
    expect(report.totals).toEqual({
      arrears: '15000.00', // 6,000 + 4,000 (P1) + 2,000 (P2) + 3,000 (P3)
      workersInArrears: 3, // W1, W2, W6 — W1 is owed on P1 and P2
      projectsInArrears: 3,
      estimatedExposure: '2000.00', // W4: 200.00 × 10 weekdays
      projectCount: 3,
      oldestOverdueDays: 36, // W1's Sep wages on P2, due 10-15
      openFlags: 12,
      flags: {
        WAGE_UNPAID: 2,
        WAGE_PARTIAL: 2,
        WAGE_LATE: 1,
        NO_PAYROLL: 1,
        NOT_ON_ROSTER: 1,
        EXIT_NOT_SETTLED: 1,
        LOW_PAYROLL_COVERAGE: 1,
        DEPOSIT_MISSING: 1,
        GUARANTEE_EXPIRING: 1,
        GUARANTEE_TERM_SHORT: 1, // P2's guarantee covers 2026-01-20…2026-12-20: under a year and short of the planned completion
      },
    });
  });

  it('agrees with the rules core city totals', () => {
    const t = computed.evaluation.totals;
    expect(report.totals.arrears).toBe((t.arrears / 100).toFixed(2));
    expect(report.totals.workersInArrears).toBe(t.workersInArrears);
    expect(report.totals.projectsInArrears).toBe(t.projectsInArrears);
  });

  it('does not count a flag reviewed on or before D (PAID_OUTSIDE_ACCOUNT dismissed 11-19, NO_CONTRACT resolved 11-20 Shanghai time)', () => {
    expect(report.totals.flags.PAID_OUTSIDE_ACCOUNT).toBeUndefined();
    expect(report.totals.flags.NO_CONTRACT).toBeUndefined();
  });
});

describe('per county', () => {
  it('counts W1 once in 信都区 although he is owed on both of its projects', () => {
    expect(report.counties.map((c) => c.county)).toEqual(['信都区', '襄都区']);
    const [xindu, xiangdu] = report.counties;
    expect(xindu).toMatchObject({ projectCount: 2, arrears: '12000.00', workersInArrears: 2, projectsInArrears: 2, oldestOverdueDays: 36, estimatedExposure: '0.00', openFlags: 8 });
    // the projects of 信都区 list 2 + 1 workers: W1 is in both
    const projectsWorkers = report.projects.filter((p) => p.county === '信都区').reduce((n, p) => n + p.workersInArrears, 0);
    expect(projectsWorkers).toBe(3);
    expect(xindu!.flags).toEqual({ WAGE_UNPAID: 2, WAGE_PARTIAL: 1, WAGE_LATE: 1, NOT_ON_ROSTER: 1, EXIT_NOT_SETTLED: 1, GUARANTEE_EXPIRING: 1, GUARANTEE_TERM_SHORT: 1 });
    expect(xiangdu).toMatchObject({ projectCount: 1, arrears: '3000.00', workersInArrears: 1, projectsInArrears: 1, oldestOverdueDays: 7, estimatedExposure: '2000.00', openFlags: 4 });
    expect(xiangdu!.flags).toEqual({ WAGE_PARTIAL: 1, NO_PAYROLL: 1, LOW_PAYROLL_COVERAGE: 1, DEPOSIT_MISSING: 1 });
  });
});

describe('per project', () => {
  it('lists every project, sorted by project code, with money strings and integer counts', () => {
    expect(report.projects.map((p) => p.projectCode)).toEqual(['XT-A-001', 'XT-A-002', 'XT-B-001']);
    const [p1, p2, p3] = report.projects;
    expect(p1).toMatchObject({ county: '信都区', arrears: '10000.00', workersInArrears: 2, oldestOverdueDays: 7, estimatedExposure: '0.00', flags: { WAGE_UNPAID: 2 }, problem: null });
    expect(p2).toMatchObject({ arrears: '2000.00', workersInArrears: 1, oldestOverdueDays: 36, estimatedExposure: '0.00' });
    expect(p2!.flags).toEqual({ WAGE_PARTIAL: 1, WAGE_LATE: 1, NOT_ON_ROSTER: 1, EXIT_NOT_SETTLED: 1, GUARANTEE_EXPIRING: 1, GUARANTEE_TERM_SHORT: 1 });
    expect(p3).toMatchObject({ county: '襄都区', arrears: '3000.00', workersInArrears: 1, oldestOverdueDays: 7, estimatedExposure: '2000.00' });
    expect(p3!.flags).toEqual({ WAGE_PARTIAL: 1, NO_PAYROLL: 1, LOW_PAYROLL_COVERAGE: 1, DEPOSIT_MISSING: 1 });
    for (const p of report.projects) {
      expect(p.arrears).toMatch(/^\d+\.\d{2}$/);
      expect(Number.isInteger(p.workersInArrears)).toBe(true);
    }
  });
});

describe('per employer', () => {
  it('charges worker-months to the direct employer on the roster, and unlisted workers and project flags to the general contractor', () => {
    const by = new Map(report.employers.map((e) => [e.uscc, e]));
    // S1 employs W1 on P1 (Oct, 6,000) and P2 (Sep, 2,000)
    expect(by.get(S1)).toMatchObject({ name: '邢台丙劳务有限公司', contractorOf: 0, arrears: '8000.00', workersInArrears: 1, projectsInArrears: 2, oldestOverdueDays: 36, openFlags: 3 });
    expect(by.get(S1)!.flags).toEqual({ WAGE_UNPAID: 1, WAGE_PARTIAL: 1, EXIT_NOT_SETTLED: 1 });
    // C1: W2 on P1 (4,000); W3 paid late; W5 is not on the roster, so his month falls to P2's contractor; P2's guarantee
    expect(by.get(C1)).toMatchObject({ contractorOf: 2, arrears: '4000.00', workersInArrears: 1, projectsInArrears: 1, oldestOverdueDays: 7, openFlags: 5 });
    expect(by.get(C1)!.flags).toEqual({ WAGE_UNPAID: 1, WAGE_LATE: 1, NOT_ON_ROSTER: 1, GUARANTEE_EXPIRING: 1, GUARANTEE_TERM_SHORT: 1 });
    // C2: W6 (3,000) and W4's exposure, P3's coverage and deposit flags
    expect(by.get(C2)).toMatchObject({ contractorOf: 1, arrears: '3000.00', workersInArrears: 1, estimatedExposure: '2000.00', openFlags: 4 });
    expect(by.get(C2)!.flags).toEqual({ WAGE_PARTIAL: 1, NO_PAYROLL: 1, LOW_PAYROLL_COVERAGE: 1, DEPOSIT_MISSING: 1 });
    // employers sum back to the city's arrears
    const sum = report.employers.reduce((n, e) => n + Math.round(Number(e.arrears) * 100), 0);
    expect(sum).toBe(1_500_000);
  });
});

describe('flags new and resolved since the previous report', () => {
  it('compares the open flags at D with those open at the previous stored report (D0)', () => {
    const fc = report.flagChanges;
    expect(fc.previousAsOf).toBe(D0);
    // new: P2's guarantee enters the 30-day window at D; W6's payment dated D turns WAGE_UNPAID into WAGE_PARTIAL
    expect(fc.new.map((f) => `${f.projectCode} ${f.code} ${f.workerName ?? '-'}`)).toEqual(['XT-A-002 GUARANTEE_EXPIRING -', 'XT-B-001 WAGE_PARTIAL 周八']);
    // resolved: W3's contract (review made 00:30 on 11-20 Shanghai time), and W6's WAGE_UNPAID no longer raised
    expect(fc.resolved.map((f) => `${f.projectCode} ${f.code} ${f.workerName} ${f.resolution}`)).toEqual([
      'XT-A-002 NO_CONTRACT 王五 review_resolved',
      'XT-B-001 WAGE_UNPAID 周八 cleared',
    ]);
    expect(fc.newByCode).toEqual({ WAGE_PARTIAL: 1, GUARANTEE_EXPIRING: 1 });
    expect(fc.resolvedByCode).toEqual({ WAGE_UNPAID: 1, NO_CONTRACT: 1 });
    expect([fc.newCount, fc.resolvedCount]).toEqual([2, 2]);
  });

  it('the first report has no previous date and lists no changes (its open flags are in the counts)', async () => {
    const first = (await computeReport(store, '2026-11-01' as IsoDate)).report;
    expect(first.flagChanges).toMatchObject({ previousAsOf: null, newCount: 0, resolvedCount: 0, new: [], resolved: [] });
    expect(first.totals.openFlags).toBeGreaterThan(0);
    expect(first.notes[0]).toContain('第一份报告');
  });

  it('reads a review instant as a date in Asia/Shanghai', () => {
    expect(reviewDateOf('2026-11-19T16:30:00.000Z')).toBe('2026-11-20');
    expect(reviewDateOf('2026-11-19T15:59:59.000Z')).toBe('2026-11-19');
    expect(reviewDateOf('2026-11-19')).toBe('2026-11-19');
    expect(reviewDateOf('2026-11-19T10:00:00+08:00')).toBe('2026-11-19');
  });
});

describe('guarantees expiring', () => {
  it('lists bank guarantees and insurance held at D that expire within 30 days', () => {
    expect(report.guaranteesExpiring.windowDays).toBe(30);
    expect(report.guaranteesExpiring.items).toEqual([
      {
        projectCode: 'XT-A-002',
        projectName: '信都区学校综合楼',
        county: '信都区',
        contractorName: '河北甲建工集团有限公司',
        form: 'bank_guarantee',
        voucherNo: 'BH-A-002',
        amount: '200000.00',
        expiresOn: '2026-12-20',
        daysLeft: 30,
      },
    ]);
  });
});

describe('rate indicators', () => {
  it('city: real-name 6/7, dedicated account 11,000/14,000, contracts 5/6, deposits 2/3', () => {
    // wage-table worker-months: P1 W1-Oct W2-Sep W2-Oct, P2 W1-Sep W3-Oct W5-Oct (W5 not on roster), P3 W6-Oct
    // payments: 4,000 + 3,000 + 2,500 + 1,500 through the account, 3,000 cash (W3)
    // roster entries: 6, W3's unsigned; deposits: P1 cash, P2 guarantee cover their requirement, P3 holds nothing
    expect(report.rates.city).toEqual({
      realNameCoverage: { numerator: 6, denominator: 7, rate: '0.8571' },
      dedicatedAccountShare: { numerator: '11000.00', denominator: '14000.00', rate: '0.7857' },
      laborContractRate: { numerator: 5, denominator: 6, rate: '0.8333' },
      depositCoverage: { numerator: 2, denominator: 3, rate: '0.6667' },
      // workers on site at D: P1 W1, W2; P2 W3 (W1 left on 09-30); P3 W4, W6 = 5. No insurance registry is
      // held in this city, so none counts as covered and the rate is not judged (null), not 0%.
      injuryInsuranceCoverage: { numerator: 0, denominator: 5, rate: null },
    });
  });

  it('per county', () => {
    expect(report.rates.counties).toEqual([
      {
        county: '信都区',
        realNameCoverage: { numerator: 5, denominator: 6, rate: '0.8333' },
        dedicatedAccountShare: { numerator: '9500.00', denominator: '12500.00', rate: '0.7600' },
        laborContractRate: { numerator: 3, denominator: 4, rate: '0.7500' },
        depositCoverage: { numerator: 2, denominator: 2, rate: '1.0000' },
        injuryInsuranceCoverage: { numerator: 0, denominator: 3, rate: null },
      },
      {
        county: '襄都区',
        realNameCoverage: { numerator: 1, denominator: 1, rate: '1.0000' },
        dedicatedAccountShare: { numerator: '1500.00', denominator: '1500.00', rate: '1.0000' },
        laborContractRate: { numerator: 2, denominator: 2, rate: '1.0000' },
        depositCoverage: { numerator: 0, denominator: 1, rate: '0.0000' },
        injuryInsuranceCoverage: { numerator: 0, denominator: 2, rate: null },
      },
    ]);
  });

  it('per employer (deposit coverage is the general contractor’s; none for a labour subcontractor)', () => {
    const by = new Map(report.rates.employers.map((e) => [e.uscc, e]));
    // C1: wage-table months W2-Sep, W2-Oct, W3-Oct, W5-Oct (unlisted → C1): 3/4; payments 4,000 + 2,500 of 9,500
    expect(by.get(C1)).toMatchObject({
      realNameCoverage: { numerator: 3, denominator: 4, rate: '0.7500' },
      dedicatedAccountShare: { numerator: '6500.00', denominator: '9500.00', rate: '0.6842' },
      laborContractRate: { numerator: 1, denominator: 2, rate: '0.5000' },
      depositCoverage: { numerator: 2, denominator: 2, rate: '1.0000' },
    });
    expect(by.get(S1)!.depositCoverage).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(by.get(C2)!.depositCoverage).toEqual({ numerator: 0, denominator: 1, rate: '0.0000' });
  });

  it('rounds half up to four places', () => {
    expect(rateOf(2, 3)).toBe('0.6667');
    expect(rateOf(1, 8)).toBe('0.1250');
    expect(rateOf(1, 0)).toBeNull();
  });
});

describe('arrears by wage month and the enforcement placeholders', () => {
  it('sums the arrears outstanding at D by the month they are for', () => {
    const months = Object.fromEntries(report.arrearsByWageMonth.months.map((m) => [m.month, [m.arrears, m.workersInArrears]]));
    expect(months).toEqual({
      '2026-06': ['0.00', 0],
      '2026-07': ['0.00', 0],
      '2026-08': ['0.00', 0],
      '2026-09': ['2000.00', 1],
      '2026-10': ['13000.00', 3],
      '2026-11': ['0.00', 0],
    });
    expect(report.arrearsByWageMonth.earlier).toEqual({ arrears: '0.00', workersInArrears: 0, estimatedExposure: '0.00' });
  });

  it('has empty enforcement sections when no case, order or listing is recorded (filled: test/enforcement/api-case)', () => {
    expect(report.casesPastDeadline).toEqual([]);
    expect(report.ordersPastDue).toEqual([]);
    expect(report.blacklistChanges).toEqual([]);
  });
});

describe('identity numbers', () => {
  it('never appear whole in the JSON (masked in items and in sentences)', () => {
    for (const w of Object.values(W)) expect(computed.json).not.toContain(w.id);
    expect(computed.json).not.toMatch(/(?<![0-9])\d{17}[\dX](?![0-9])/);
    const w3 = report.flagChanges.resolved.find((f) => f.code === 'NO_CONTRACT')!;
    expect(w3.idNumber).toBe(`${W.W3.id.slice(0, 6)}********${W.W3.id.slice(-4)}`);
    expect(w3.sentence).toContain('王五');
  });

  it('masks identity, card and mobile numbers in free text (with the one masker, src/api/masking.ts)', () => {
    expect(maskText(`王五（${W.W3.id}）卡号6222021234567890128 手机13812345678 金额123456789012.50`)).toBe(
      `王五（${W.W3.id.slice(0, 6)}********${W.W3.id.slice(-4)}）卡号6222 **** **** 0128 手机138****5678 金额123456789012.50`,
    );
  });
});
