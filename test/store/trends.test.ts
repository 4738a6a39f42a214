/**
 * The trends' history read through the store (store/repos/reportState.ts evaluatedDays, dayFigures) on both
 * engines: the evaluated days of a range, and per day the flags raised, the critical ones, the arrears and
 * the projects in arrears valid that day — what the report's trends show (src/reports/trends.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import type { FindingRecord, ProjectResult } from '../../src/store/repos/evaluations.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE, freshLocation, type TestLocation } from '../support/engines.ts';

let loc: TestLocation;
let store: Store;
beforeEach(async () => {
  loc = await freshLocation();
  store = await openStore(loc.location);
});
afterEach(async () => {
  await store.close();
  await loc.drop();
});

const finding = (fp: string, severity: 'critical' | 'low', amount: number | null): FindingRecord => ({
  fingerprint: fp,
  code: severity === 'critical' ? 'WAGE_UNPAID' : 'SHARED_PHONE',
  severity,
  idNumber: '11010519491231002X',
  month: '2026-10',
  employerUscc: '91110000600037341L',
  amount,
  dueDate: '2026-11-13',
  sentence: '测试',
  legalBasis: { document: '保障农民工工资支付条例', article: '第十二条', advisory: false },
  params: [],
  evidence: [{ table: 'payroll_rows', id: 1, batchId: 1, line: 2 }],
});

const result = (projectId: number, findings: FindingRecord[]): ProjectResult => ({
  projectId,
  projectCode: `XT-${projectId}`,
  county: '信都区',
  factsVersion: 1,
  paramsVersion: 'p1',
  nextChange: null,
  outcome: { riskScore: 20, arrears: findings.reduce((s, f) => s + (f.amount ?? 0), 0), workersInArrears: findings.length, oldestDueDate: null, exposure: 0, findingCount: findings.length, assessment: {}, reportPart: {}, problem: null },
  findings,
  ledger: null,
});

async function night(asOf: string, results: ProjectResult[]) {
  await store.tx(async (tx) => {
    const s = await tx.evaluations.apply(asOf, results);
    await tx.evaluations.recordDay({ asOf, computedAt: `${asOf}T02:00:00Z`, mode: 'full', projectCount: results.length, evaluatedCount: results.length, warnings: [] }, s.changed, 'p1');
    await tx.evaluations.refreshCounts(asOf);
  });
}

describe(`the trends' history on ${ENGINE}`, () => {
  it('lists the evaluated days of a range and sums each day as stored', async () => {
    await night('2026-10-31', [result(1, [finding('A', 'critical', 840_000)]), result(2, [])]);
    await night('2026-11-19', [result(1, [finding('A', 'critical', 840_000), finding('B', 'low', null)]), result(2, [finding('C', 'critical', 10_050)])]);
    await night('2026-11-20', [result(1, [finding('B', 'low', null)]), result(2, [finding('C', 'critical', 10_050)])]);
    expect(await store.reportState.evaluatedDays('2026-11-01', '2026-11-20')).toEqual(['2026-11-19', '2026-11-20']);
    expect(await store.reportState.evaluatedDays('2026-10-01', '2026-11-19')).toEqual(['2026-10-31', '2026-11-19']);
    expect(await store.reportState.dayFigures('2026-10-31')).toEqual({ day: '2026-10-31', flags: 1, criticalFlags: 1, arrearsFen: 840_000, projectsInArrears: 1 });
    expect(await store.reportState.dayFigures('2026-11-19')).toEqual({ day: '2026-11-19', flags: 3, criticalFlags: 2, arrearsFen: 850_050, projectsInArrears: 2 });
    expect(await store.reportState.dayFigures('2026-11-20')).toEqual({ day: '2026-11-20', flags: 2, criticalFlags: 1, arrearsFen: 10_050, projectsInArrears: 1 });
    // a day not evaluated: zeros (the trends leave such a day out)
    expect(await store.reportState.dayFigures('2026-11-05')).toMatchObject({ flags: 0, criticalFlags: 0 });
  });
});
