/**
 * Incremental nights (src/services/night/): over a month of simulated nights with imports in between,
 * nights that re-evaluate only what can have changed store exactly the state (every version of every flag
 * and project outcome, with its validity) that nights evaluating every project store; a quiet night writes
 * no finding; each day's stored flags equal a fresh evaluation of that day alone; and recomputing a past
 * day leaves the history as it was.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDate as d, type IsoDate } from '../../src/domain/date.ts';
import { openDatabase } from '../../src/db/open.ts';
import { importFile } from '../../src/imports/service.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { runNight, type NightSummary } from '../../src/services/night/run.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';

const FIRST = d('2026-11-20');
const NIGHTS = 31;
const IMPORT_ON = d('2026-12-03');

async function demoCity(): Promise<TestLocation> {
  const loc = await freshLocation('sqlite');
  const db = openDatabase(loc.location);
  await loadDemoCity(db, '2026-11-01T00:00:00Z');
  db.$client.close();
  return loc;
}

/** A payments file that pays, on `on`, the first worker-month found unpaid on `asOf` (read from A's state). */
async function paymentFor(store: Store, dir: string, on: IsoDate): Promise<string> {
  const [row] = await store.sql.rows<[string, string, string, number]>(
    `SELECT f.project_code, f.month, f.id_number, f.amount_fen FROM finding_versions f
      WHERE f.code = 'WAGE_UNPAID' AND f.valid_to IS NULL AND EXISTS (SELECT 1 FROM roster_entries r WHERE r.id_number = f.id_number) ORDER BY f.project_code, f.month, f.id_number LIMIT 1`,
  );
  expect(row, 'the demo city has an unpaid worker-month').toBeDefined();
  const [code, month, id, fen] = row!;
  const [name, card] = (await store.sql.rows<[string, string]>('SELECT name, bank_card FROM roster_entries WHERE id_number = ? LIMIT 1', [id]))[0]!;
  const yuan = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  const path = join(dir, 'late-payment.csv');
  writeFileSync(path, `项目编号,工资月份,身份证号,收款人姓名,收款卡号,发放金额,发放日期,发放方式,银行流水号\n${code},${month},${id},${name},${card},${yuan},${on},专户代发,LATE${on.replaceAll('-', '')}01\n`);
  return path;
}

async function importInto(loc: TestLocation, path: string): Promise<void> {
  const db = openDatabase(loc.location);
  try {
    const out = await importFile(db, { kind: 'payments', fileName: 'late-payment.csv', source: { path }, actor: 'test', now: '2026-12-03T08:00:00Z' });
    expect(out.status).toBe('imported');
  } finally {
    db.$client.close();
  }
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
    inc = await demoCity();
    full = await demoCity();
    a = await openStore(inc.location);
    b = await openStore(full.location);
    for (let i = 0; i < NIGHTS; i++) {
      const day = addDays(FIRST, i);
      if (day === IMPORT_ON) {
        const path = await paymentFor(a, inc.dir, day);
        await a.close();
        await b.close();
        await importInto(inc, path);
        await importInto(full, path);
        a = await openStore(inc.location);
        b = await openStore(full.location);
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
      const alone = await demoCity();
      if (day >= IMPORT_ON) await importInto(alone, join(inc.dir, 'late-payment.csv'));
      const c = await openStore(alone.location);
      try {
        await night(c, day, 'full');
        expect(await flagsOn(a, day)).toEqual(await flagsOn(c, day));
      } finally {
        await c.close();
        await alone.drop();
      }
    }
  }, 120_000);

  it('recomputing a past day leaves the history as it was', async () => {
    const before = await history(a);
    const s = await night(a, addDays(FIRST, 10), 'incremental');
    expect(s.mode).toBe('full');
    expect(await history(a)).toEqual(before);
  });
});
