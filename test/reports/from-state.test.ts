/**
 * The report built from the stored evaluation (src/reports/fromState.ts) is the report evaluating the city
 * gives, byte for byte: on the hand-worked report city (its first report, then the next day's with reviews
 * and changes) and on the demo city over a week of nights. On both engines (vitest.config.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, isoDate, type IsoDate } from '../../src/domain/date.ts';
import { computeReport, storeReport } from '../../src/reports/generate.ts';
import { reportFromState } from '../../src/reports/fromState.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { recompute } from '../../src/services/recompute.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { demoStore, dropDemoSource } from '../support/demo.ts';
import { D, D0, reviewFlagsIn, seededLocation } from './fixture.ts';

afterAll(dropDemoSource);

/** The night of `day`, then its report both ways; the evaluated one is stored (the next day's "previous"). */
async function both(store: Store, day: IsoDate, now: string): Promise<[string, string]> {
  await recompute(store, day, now, DEFAULT_PARAMS);
  const fromState = (await reportFromState(store, day, DEFAULT_PARAMS)).json;
  const evaluated = await computeReport(store, day, DEFAULT_PARAMS);
  await storeReport(store, evaluated, now);
  return [fromState, evaluated.json];
}

describe('the report from the stored evaluation', () => {
  it('equals the evaluated report on the hand-worked city: the first report, then the next with reviews', async () => {
    const { loc, city } = await seededLocation();
    const store = await openStore(loc.location);
    try {
      const [a0, b0] = await both(store, D0 as IsoDate, '2026-11-19T18:00:00.000Z');
      expect(a0).toBe(b0);
      await reviewFlagsIn(store, city);
      const [a, b] = await both(store, D as IsoDate, '2026-11-20T18:00:00.000Z');
      expect(JSON.parse(a).flagChanges.newCount + JSON.parse(a).flagChanges.resolvedCount).toBeGreaterThan(0);
      expect(a).toBe(b);
    } finally {
      await store.close();
      await loc.drop();
    }
  });

  it('equals the evaluated report on the demo city, night after night', async () => {
    const { loc, store } = await demoStore();
    try {
      const first = isoDate('2026-11-10');
      for (let i = 0; i < 21; i += 3) {
        const day = addDays(first, i);
        const [a, b] = await both(store, day, `${day}T18:00:00.000Z`);
        expect(a, day).toBe(b);
      }
    } finally {
      await store.close();
      await loc.drop();
    }
  }, 120_000);
});
