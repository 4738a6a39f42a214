/**
 * Findings as state (src/store/repos/evaluations.ts) on both engines: an unchanged night writes no finding,
 * a changed flag gets a new version, a gone flag is closed, any past day reads back what was found for it,
 * and recomputing a past day replaces only that day's span and merges equal neighbours.
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

const finding = (fp: string, amount: number, sentence = '张三2026年10月工资未支付'): FindingRecord => ({
  fingerprint: fp,
  code: 'WAGE_UNPAID',
  severity: 'critical',
  idNumber: '11010519491231002X',
  month: '2026-10',
  employerUscc: '91110000600037341L',
  amount,
  dueDate: '2026-11-13',
  sentence,
  legalBasis: { document: '保障农民工工资支付条例', article: '第十二条', advisory: false },
  params: [],
  evidence: [{ table: 'payroll_rows', id: 1, batchId: 1, line: 2 }],
});

const result = (findings: FindingRecord[], risk = 20): ProjectResult => ({
  projectId: 1,
  projectCode: 'XT-1',
  county: '信都区',
  factsVersion: 1,
  paramsVersion: 'p1',
  nextChange: null,
  outcome: { riskScore: risk, arrears: findings.reduce((s, f) => s + (f.amount ?? 0), 0), workersInArrears: findings.length, oldestDueDate: null, exposure: 0, findingCount: findings.length, assessment: {}, reportPart: {}, problem: null },
  findings,
  ledger: null,
});

async function night(asOf: string, r: ProjectResult) {
  return store.tx(async (tx) => {
    const s = await tx.evaluations.apply(asOf, [r]);
    await tx.evaluations.recordDay({ asOf, computedAt: `${asOf}T02:00:00Z`, mode: 'incremental', projectCount: 1, evaluatedCount: 1, warnings: [] }, s.changed, 'p1');
    return s;
  });
}

async function on(day: string): Promise<[string, number][]> {
  return store.sql.rows<[string, number]>(
    'SELECT fingerprint, amount_fen FROM finding_versions WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY fingerprint',
    [day, day],
  );
}

const versions = async () => (await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM finding_versions'))!.n;

describe(`findings as state on ${ENGINE}`, () => {
  it('an unchanged night writes no finding; a changed amount is a new version; a gone flag is closed', async () => {
    expect(await night('2026-11-14', result([finding('A', 100), finding('B', 50)]))).toMatchObject({ changed: 1, opened: 2 });
    expect(await night('2026-11-15', result([finding('A', 100), finding('B', 50)]))).toEqual({ changed: 0, opened: 0, closed: 0 });
    expect(await versions()).toBe(2);
    await night('2026-11-16', result([finding('A', 80)]));
    expect(await on('2026-11-14')).toEqual([['A', 100], ['B', 50]]);
    expect(await on('2026-11-15')).toEqual([['A', 100], ['B', 50]]);
    expect(await on('2026-11-16')).toEqual([['A', 80]]);
    expect(await versions()).toBe(3);
  });

  it('evaluating the same day again replaces that day instead of leaving an empty version', async () => {
    await night('2026-11-14', result([finding('A', 100)]));
    await night('2026-11-15', result([finding('A', 90)]));
    await night('2026-11-15', result([finding('A', 70)]));
    expect(await on('2026-11-15')).toEqual([['A', 70]]);
    expect(await on('2026-11-14')).toEqual([['A', 100]]);
    expect(await versions()).toBe(2);
  });

  it('a past day recomputed with other facts changes that day only, and equal neighbours merge back', async () => {
    await night('2026-11-14', result([finding('A', 100)]));
    await night('2026-11-16', result([finding('A', 100)]));
    await night('2026-11-18', result([finding('A', 100)]));
    await night('2026-11-16', result([finding('A', 60), finding('C', 5)]));
    expect(await on('2026-11-14')).toEqual([['A', 100]]);
    expect(await on('2026-11-16')).toEqual([['A', 60], ['C', 5]]);
    expect(await on('2026-11-17')).toEqual([['A', 60], ['C', 5]]);
    expect(await on('2026-11-18')).toEqual([['A', 100]]);
    // the same facts again: the day reads as before and the versions merge into one again
    await night('2026-11-16', result([finding('A', 100)]));
    expect(await on('2026-11-16')).toEqual([['A', 100]]);
    expect(await versions()).toBe(1);
    const outcomes = await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM project_outcomes');
    expect(outcomes!.n).toBe(1);
  });

  it('citations are stored once for every finding that shares them', async () => {
    await night('2026-11-14', result([finding('A', 1), finding('B', 2), finding('C', 3)]));
    expect((await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM citations'))!.n).toBe(1);
  });
});
