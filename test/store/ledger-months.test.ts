/**
 * The stored ledger by month (ledger_months, src/store/repos/evaluations.ts) on both engines: a changed
 * project rewrites only the months whose lines changed, drops the months its ledger no longer has, an
 * unchanged one writes nothing, a project the rules could not evaluate keeps no ledger; and (SQLite) a
 * database of the whole-project ledger documents upgrades in place: its documents are not converted, every
 * project is due to be evaluated again by the next night, and readers evaluate meanwhile.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, SQLITE_MIGRATIONS } from '../../src/store/open.ts';
import { deltaOf, type ChangedDelta, type LedgerMonth, type ProjectResult } from '../../src/store/repos/evaluations.ts';
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

const month = (m: string, paid: number): LedgerMonth => ({ month: m, lines: JSON.stringify({ t: null, k: ['#id', '#batch', '#line', 'month', 'paid'], c: [[null], [null], [null], [m], [paid]] }) });

const result = (ledger: LedgerMonth[] | null, problem: string | null = null): ProjectResult => ({
  projectId: 7,
  projectCode: 'XT-7',
  county: '信都区',
  factsVersion: 1,
  paramsVersion: 'p1',
  nextChange: null,
  outcome: { riskScore: 0, arrears: 0, workersInArrears: 0, oldestDueDate: null, exposure: 0, findingCount: 0, assessment: {}, reportPart: {}, problem },
  findings: [],
  ledger,
});

/** A night as run.ts applies it: the delta against the state read first, then written. */
async function night(asOf: string, r: ProjectResult) {
  const current = (await store.evaluations.currentOf([r.projectId])).get(r.projectId);
  const delta = deltaOf(asOf, r, current);
  const applied = await store.tx((tx) => tx.evaluations.applyDeltas([delta]));
  return { delta, applied };
}

const stored = async () => (await store.evaluations.storedLedger(7))?.ledger;
const rows = () => store.sql.rows<[string, string]>('SELECT month, hash FROM ledger_months WHERE project_id = 7 ORDER BY month');

describe(`the ledger by month on ${ENGINE}`, () => {
  it('a changed project rewrites only its changed months; an unchanged one writes nothing', async () => {
    const first = [month('2026-09', 100), month('2026-10', 200), month('2026-11', 0)];
    const a = await night('2026-12-02', result(first));
    expect((a.delta as ChangedDelta).ledgerPut.map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(await stored()).toEqual(first.map((m) => m.lines));
    // kept gzipped, read back plain
    for (const [lines] of await store.sql.rows<[string]>('SELECT lines FROM ledger_months')) expect(lines.startsWith('{')).toBe(false);

    // the pay day passes: one month's lines change
    const before = await rows();
    const second = [month('2026-09', 100), month('2026-10', 200), month('2026-11', 300)];
    const b = await night('2026-12-10', result(second));
    expect(b.applied.changed).toBe(1);
    expect((b.delta as ChangedDelta).ledgerPut.map((m) => m.month)).toEqual(['2026-11']);
    expect((b.delta as ChangedDelta).ledgerDrop).toEqual([]);
    const after = await rows();
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
    expect(after[2]![1]).not.toBe(before[2]![1]);
    expect(await stored()).toEqual(second.map((m) => m.lines));

    // the same result again: nothing changed, nothing written
    const c = await night('2026-12-11', result(second));
    expect(c.delta.changed).toBe(false);
    expect(c.applied).toEqual({ changed: 0, opened: 0, closed: 0 });
    expect(await rows()).toEqual(after);

    // a month gone (its rows superseded), a month new
    const third = [month('2026-10', 200), month('2026-11', 300), month('2026-12', 0)];
    const d = await night('2026-12-12', result(third));
    expect((d.delta as ChangedDelta).ledgerPut.map((m) => m.month)).toEqual(['2026-12']);
    expect((d.delta as ChangedDelta).ledgerDrop).toEqual(['2026-09']);
    expect(await stored()).toEqual(third.map((m) => m.lines));

    // an empty ledger is a ledger (no months); a project the rules could not evaluate keeps none
    await night('2026-12-13', result([]));
    expect(await stored()).toEqual([]);
    await night('2026-12-14', result(null, '缺少节假日安排'));
    expect(await stored()).toBeNull();
    expect(await rows()).toEqual([]);
  });

  it('a past day recomputed replaces the ledger only when it is the current state', async () => {
    await night('2026-12-02', result([month('2026-11', 1)]));
    await store.tx((tx) => tx.evaluations.recordDay({ asOf: '2026-12-02', computedAt: 'x', mode: 'incremental', projectCount: 1, evaluatedCount: 1, warnings: [] }, 1, 'p1'));
    await night('2026-12-10', result([month('2026-11', 2)]));
    await store.tx((tx) => tx.evaluations.recordDay({ asOf: '2026-12-10', computedAt: 'x', mode: 'incremental', projectCount: 1, evaluatedCount: 1, warnings: [] }, 1, 'p1'));
    // 12-05 recomputed: the current state (12-10) and its ledger stay
    await store.tx((tx) => tx.evaluations.apply('2026-12-05', [result([month('2026-11', 5)])]));
    expect(await stored()).toEqual([month('2026-11', 2).lines]);
  });

  it('forgetting a project removes its ledger months', async () => {
    await night('2026-12-02', result([month('2026-11', 1)]));
    await store.tx((tx) => tx.evaluations.forgetProjects([7], '2026-12-03'));
    expect(await rows()).toEqual([]);
    expect(await store.evaluations.storedLedger(7)).toBeNull();
  });
});

describe(`outcome versions' report parts on ${ENGINE}`, () => {
  it('keep a large member once, whichever version holds it, and read back whole', async () => {
    const names = Array.from({ length: 60 }, (_, i) => [`1305${String(i).padStart(14, '0')}`, `工人${i}`, i]);
    const part = (arrears: number) => ({ id: 7, code: 'XT-7', rosterNames: names, project: { arrears } });
    const r = (arrears: number): ProjectResult => ({ ...result([]), outcome: { ...result([]).outcome, arrears, reportPart: part(arrears) } });
    await night('2026-12-02', r(0));
    await store.tx((tx) => tx.evaluations.recordDay({ asOf: '2026-12-02', computedAt: 'x', mode: 'incremental', projectCount: 1, evaluatedCount: 1, warnings: [] }, 1, 'p1'));
    await night('2026-12-10', r(500));
    await store.tx((tx) => tx.evaluations.recordDay({ asOf: '2026-12-10', computedAt: 'x', mode: 'incremental', projectCount: 1, evaluatedCount: 1, warnings: [] }, 1, 'p1'));
    // two versions, the names stored once (the small member stays in the row)
    expect((await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM project_outcomes'))!.n).toBe(2);
    expect(Number((await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM outcome_parts'))!.n)).toBe(1);
    expect((await store.reportState.parts('2026-12-05'))[0]!.part).toEqual(part(0));
    expect((await store.reportState.parts('2026-12-10'))[0]!.part).toEqual(part(500));
  });
});

describe.runIf(ENGINE === 'sqlite')('a database of whole-project ledger documents', () => {
  it('upgrades in place: the documents go, every project is due again, readers find no stored ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huxin-ledger-upgrade-'));
    try {
      const folder = join(dir, 'migrations');
      cpSync(SQLITE_MIGRATIONS, folder, { recursive: true });
      const journalPath = join(folder, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
      journal.entries = journal.entries.filter((e) => e.tag < '0020');
      writeFileSync(journalPath, JSON.stringify(journal));
      const path = join(dir, 'old.db');
      const [{ default: Database }, { drizzle }, { migrate }] = await Promise.all([import('better-sqlite3'), import('drizzle-orm/better-sqlite3'), import('drizzle-orm/better-sqlite3/migrator')]);
      const old = new Database(path);
      migrate(drizzle({ client: old }), { migrationsFolder: folder });
      old
        .prepare(
          `INSERT INTO project_states (project_id, project_code, county, evaluated_on, facts_version, params_version, next_change, result_hash, risk_score, arrears_fen,
             workers_in_arrears, oldest_due_date, estimated_exposure_fen, finding_count, assessment, report_part, ledger, problem)
           VALUES (7, 'XT-7', '信都区', '2026-12-02', 3, 'p1', '2026-12-10', 'abc', 0, 0, 0, NULL, 0, 0, '{}', '{}', ?, NULL)`,
        )
        .run(month('2026-11', 1).lines);
      old.close();

      const upgraded = await openStore(path);
      try {
        const st = (await upgraded.evaluations.states()).get(7)!;
        // due on the next night (next change ≤ any later day) and never "unchanged" (the digest cleared)
        expect(st).toMatchObject({ evaluatedOn: '2026-12-02', nextChange: '2026-12-02', resultHash: '', factsVersion: 3 });
        expect((await upgraded.evaluations.storedLedger(7))!.ledger).toBeNull();
        // the old document is gone with its column (emptied by 0020, dropped by 0022)
        expect(await upgraded.sql.rows('SELECT ledger_hash FROM project_states')).toEqual([[null]]);
        await expect(upgraded.sql.rows('SELECT ledger FROM project_states')).rejects.toThrow(/ledger/);
      } finally {
        await upgraded.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
