/**
 * Incremental nights (src/services/night/), on both engines (the demo city copied from SQLite): over a month of simulated nights with imports in between,
 * nights that re-evaluate only what can have changed store exactly the state (every version of every flag
 * and project outcome, with its validity) that nights evaluating every project store; a quiet night writes
 * no finding; each day's stored flags equal a fresh evaluation of that day alone; and recomputing a past
 * day leaves the history as it was.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDate as d, type IsoDate } from '../../src/domain/date.ts';
import { openDatabase } from '../support/floor/open.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { runNight, type NightSummary } from '../../src/services/night/run.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import type { Engine } from '../../src/store/sql.ts';
import { ENGINE, freshLocation, type TestLocation } from '../support/engines.ts';
import { onStore } from '../support/storeOn.ts';

const FIRST = d('2026-11-20');
const NIGHTS = 31;
const IMPORT_ON = d('2026-12-03');

/** The demo city imported once into a SQLite file; each test database is a copy of it on the test's engine. */
let source: TestLocation;
async function demoCity(engine: Engine = ENGINE): Promise<{ loc: TestLocation; store: Store }> {
  const loc = await freshLocation(engine);
  const store = await openStore(loc.location);
  const from = await openStore(source.location, { readonly: true });
  try {
    await copyDatabase(from, store);
  } finally {
    await from.close();
  }
  return { loc, store };
}

/** The change between nights: the first worker-month unpaid on `on` paid that day, written as an import writes it (rows and facts version in one transaction). */
async function payOne(store: Store, on: IsoDate): Promise<void> {
  await store.tx(async (tx) => {
    const [row] = await tx.sql.rows<[number, string, string, number]>(
      `SELECT f.project_id, f.month, f.id_number, f.amount_fen FROM finding_versions f
        WHERE f.code = 'WAGE_UNPAID' AND f.valid_to IS NULL ORDER BY f.project_code, f.month, f.id_number LIMIT 1`,
    );
    expect(row, 'the demo city has an unpaid worker-month').toBeDefined();
    const [projectId, month, id, fen] = row!;
    const batch = await tx.sql.get<{ id: number }>(
      `INSERT INTO import_batches (kind, file_name, sha256, actor, imported_at, encoding, row_count, inserted, replaced) VALUES ('payments', 'late.csv', ?, 'test', ?, 'utf-8', 1, 1, 0) RETURNING id`,
      [`late-${on}`, `${on}T08:00:00Z`],
    );
    await tx.sql.insertMany(
      'payments',
      ['project_id', 'month', 'id_number', 'payee_name', 'payee_card', 'amount_fen', 'paid_on', 'channel', 'bank_ref', 'natural_key', 'batch_id', 'line'],
      [[projectId, month, id, '补发', null, fen, on, 'other_transfer', `LATE${on}`, `LATE${on}`, batch!.id, 2]],
    );
    await tx.facts.bump([projectId]);
  });
}

const night = (store: Store, asOf: IsoDate, mode: 'full' | 'incremental'): Promise<NightSummary> =>
  runNight(store, { asOf, now: `${asOf}T18:00:00Z`, params: DEFAULT_PARAMS, paramsVersion: 'test', mode, chunkSize: 3 });

/** Every stored version, in a stable order: what "the same state" means. */
async function history(store: Store): Promise<unknown[]> {
  const findings = await store.sql.rows(
    'SELECT project_id, fingerprint, valid_from, valid_to, content_hash, risk_score FROM finding_versions ORDER BY project_id, fingerprint, valid_from',
  );
  const outcomes = await store.sql.rows('SELECT project_id, valid_from, valid_to, content_hash FROM project_outcomes ORDER BY project_id, valid_from');
  const counts = await store.sql.rows('SELECT as_of, county, code, severity, n, amount_fen FROM daily_flag_counts ORDER BY as_of, county, code, severity');
  return [findings, outcomes, counts];
}

async function flagsOn(store: Store, day: IsoDate): Promise<unknown[]> {
  return store.sql.rows(
    'SELECT project_id, fingerprint, content_hash FROM finding_versions WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY project_id, fingerprint',
    [day, day],
  );
}

describe('incremental nights over a month with an import in between', () => {
  let inc: TestLocation;
  let full: TestLocation;
  let a: Store;
  let b: Store;
  const summaries: NightSummary[] = [];
  beforeAll(async () => {
    source = await freshLocation('sqlite');
    const db = openDatabase(source.location);
    await onStore(db, (s) => loadDemoCity(s, '2026-11-01T00:00:00Z'));
    db.$client.close();
    ({ loc: inc, store: a } = await demoCity());
    ({ loc: full, store: b } = await demoCity());
    for (let i = 0; i < NIGHTS; i++) {
      const day = addDays(FIRST, i);
      if (day === IMPORT_ON) {
        await payOne(a, day);
        await payOne(b, day);
      }
      summaries.push(await night(a, day, i === 0 ? 'full' : 'incremental'));
      await night(b, day, 'full');
    }
  }, 240_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await inc?.drop();
    await full?.drop();
    await source?.drop();
  });

  it('store the same history as full nights, version for version', async () => {
    const ha = await history(a);
    expect((ha[0] as unknown[]).length).toBeGreaterThan(50);
    expect(ha).toEqual(await history(b));
  });

  it('evaluate only what can change: quiet nights write no finding; the import night re-evaluates its project', () => {
    const quiet = summaries.filter((s, i) => i > 0 && s.opened === 0 && s.closed === 0);
    expect(quiet.length).toBeGreaterThan(5);
    expect(summaries.slice(1).some((s) => s.evaluatedCount < s.projectCount)).toBe(true);
    const importNight = summaries.find((s) => s.asOf === IMPORT_ON)!;
    expect(importNight.evaluatedCount).toBeGreaterThan(0);
    expect(importNight.opened + importNight.closed).toBeGreaterThan(0);
  });

  it('a day read back from the history equals that day evaluated alone in a fresh database', async () => {
    for (const day of [addDays(FIRST, 5), addDays(FIRST, NIGHTS - 1)]) {
      const { loc, store: c } = await demoCity();
      try {
        if (day >= IMPORT_ON) {
          await night(c, IMPORT_ON, 'full');
          await payOne(c, IMPORT_ON);
        }
        await night(c, day, 'full');
        expect(await flagsOn(a, day)).toEqual(await flagsOn(c, day));
      } finally {
        await c.close();
        await loc.drop();
      }
    }
  }, 120_000);

  it.runIf(ENGINE === 'postgres')('store on PostgreSQL the history they store on SQLite', async () => {
    const { loc, store: c } = await demoCity('sqlite');
    try {
      for (let i = 0; i < NIGHTS; i++) {
        const day = addDays(FIRST, i);
        if (day === IMPORT_ON) await payOne(c, day);
        await night(c, day, i === 0 ? 'full' : 'incremental');
      }
      expect(await history(c)).toEqual(await history(a));
    } finally {
      await c.close();
      await loc.drop();
    }
  }, 120_000);

  it('recomputing a past day leaves the history as it was', async () => {
    const before = await history(a);
    const s = await night(a, addDays(FIRST, 10), 'incremental');
    expect(s.mode).toBe('full');
    expect(await history(a)).toEqual(before);
  });
});

describe('the day counts', () => {
  it('a quiet night copies the previous day’s counts, a night evaluated again recounts, the latest day counts its current flags, a past day evaluated again its versions; all equal counting the day’s flags', async () => {
    source = await freshLocation('sqlite');
    const db = openDatabase(source.location);
    await onStore(db, (s) => loadDemoCity(s, '2026-11-01T00:00:00Z'));
    db.$client.close();
    const { loc, store } = await demoCity();
    try {
      const counted = async (day: IsoDate) =>
        store.sql.rows(
          'SELECT county, code, severity, COUNT(*), COALESCE(SUM(amount_fen), 0) FROM finding_versions WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) GROUP BY county, code, severity ORDER BY county, code, severity',
          [day, day],
        );
      const kept = async (day: IsoDate) => store.sql.rows('SELECT county, code, severity, n, amount_fen FROM daily_flag_counts WHERE as_of = ? ORDER BY county, code, severity', [day]);
      // the last: a past day, spliced into the history (its counts from the versions valid that day, not the current ones)
      const days = [d('2026-11-20'), d('2026-11-21'), d('2026-11-22'), d('2026-11-22'), d('2026-12-03'), d('2026-12-03'), d('2026-11-21')];
      for (const day of days) {
        await night(store, day, 'incremental');
        expect(await kept(day), day).toEqual(await counted(day));
        const total = (await store.sql.get<{ n: number }>('SELECT finding_count AS n FROM evaluated_days WHERE as_of = ?', [day]))!.n;
        expect(total).toBe(((await counted(day)) as unknown[][]).reduce((n, r) => n + Number(r[3]), 0));
      }
      expect(await kept(d('2026-12-03'))).toEqual(await counted(d('2026-12-03')));
    } finally {
      await store.close();
      await loc.drop();
      await source.drop();
    }
  }, 120_000);
});

describe('the stored ledger', () => {
  it('read back for the evaluated day equals the rules core’s ledger of every project of the demo city', async () => {
    const { storedLedgerOf } = await import('../../src/services/ledger.ts');
    const { workerMonthLedger } = await import('../../src/rules/wages.ts');
    source = await freshLocation('sqlite');
    const db = openDatabase(source.location);
    await onStore(db, (s) => loadDemoCity(s, '2026-11-01T00:00:00Z'));
    db.$client.close();
    const { loc, store } = await demoCity();
    try {
      const day = d('2026-11-27');
      await night(store, day, 'full');
      const loaded = await store.facts.projects((await store.facts.projectIndex()).map((p) => p.id));
      let cells = 0;
      for (const facts of loaded.projects) {
        const stored = await storedLedgerOf(store, facts.id, day);
        expect(stored?.problem ?? null, facts.code).toBeNull();
        const expected = JSON.parse(JSON.stringify(workerMonthLedger(facts, day, DEFAULT_PARAMS)));
        expect(JSON.parse(JSON.stringify(stored!.ledger)), facts.code).toEqual(expected);
        cells += expected.length;
      }
      expect(cells).toBeGreaterThan(300);
    } finally {
      await store.close();
      await loc.drop();
      await source.drop();
    }
  }, 120_000);
});
