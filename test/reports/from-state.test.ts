/**
 * The report built from the stored evaluation (src/reports/fromState.ts) is the report evaluating the city
 * gives, byte for byte: on the hand-worked report city (its first report, then the next day's with reviews
 * and changes) and on the demo city over a week of nights.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/open.ts';
import { addDays, isoDate, type IsoDate } from '../../src/domain/date.ts';
import { computeReport, storeReport } from '../../src/reports/generate.ts';
import { reportFromState } from '../../src/reports/fromState.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { recomputeCity } from '../../src/services/recompute.ts';
import { openStore } from '../../src/store/open.ts';
import { D, D0, reviewFlags, seedCity } from './fixture.ts';
import { loadDemoOn } from '../support/storeOn.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function fresh(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'huxin-fromstate-'));
  dirs.push(dir);
  return openDatabase(join(dir, 'city.db'));
}

/** The night of `day`, then its report both ways; the evaluated one is stored (the next day's "previous"). */
async function both(db: Db, day: IsoDate, now: string): Promise<[string, string]> {
  await recomputeCity(db, day, now);
  const store = await openStore(db.$client.name);
  try {
    const fromState = (await reportFromState(store, db, day, DEFAULT_PARAMS)).json;
    const evaluated = await computeReport(db, day);
    storeReport(db, evaluated, now);
    return [fromState, evaluated.json];
  } finally {
    await store.close();
  }
}

describe('the report from the stored evaluation', () => {
  it('equals the evaluated report on the hand-worked city: the first report, then the next with reviews', async () => {
    const db = fresh();
    try {
      const city = seedCity(db);
      const [a0, b0] = await both(db, D0 as IsoDate, '2026-11-19T18:00:00.000Z');
      expect(a0).toBe(b0);
      reviewFlags(db, city);
      const [a, b] = await both(db, D as IsoDate, '2026-11-20T18:00:00.000Z');
      expect(JSON.parse(a).flagChanges.newCount + JSON.parse(a).flagChanges.resolvedCount).toBeGreaterThan(0);
      expect(a).toBe(b);
    } finally {
      db.$client.close();
    }
  });

  it('equals the evaluated report on the demo city, night after night', async () => {
    const db = fresh();
    try {
      await loadDemoOn(db, '2026-11-01T00:00:00Z');
      const first = isoDate('2026-11-10');
      for (let i = 0; i < 21; i += 3) {
        const day = addDays(first, i);
        const [a, b] = await both(db, day, `${day}T18:00:00.000Z`);
        expect(a, day).toBe(b);
      }
    } finally {
      db.$client.close();
    }
  }, 120_000);
});
