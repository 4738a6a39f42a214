/**
 * DOUBLE_BOOKED's cross-project days for one chunk of a night (FactsRepo.crossProjectDaysFor) are the
 * whole city's map (crossProjectDays) restricted to the chunk's workers: the same parts, in the same order,
 * on both engines — whatever statements the chunk's reader uses to stay along its indexes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/domain/date.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE } from '../support/engines.ts';
import { generatedCityStore } from '../support/toEngine.ts';

const D = isoDate('2026-12-03');
let seeded: Awaited<ReturnType<typeof generatedCityStore>>;
let store: Store;

beforeAll(async () => {
  // past 1,000 workers the generator puts one in twenty on a second project
  seeded = await generatedCityStore(16, 120, 4);
  store = seeded.store;
});
afterAll(() => seeded?.close());

describe(`cross-project days of a chunk on ${ENGINE}`, () => {
  it('are the city-wide days of the chunk’s workers, part for part', async () => {
    const city = await store.facts.crossProjectDays(D);
    expect(city.size).toBeGreaterThan(0); // the generated city shares workers between projects
    const ids = (await store.sql.rows<[number]>('SELECT id FROM projects ORDER BY id')).map((r) => r[0]);
    for (const chunk of [ids.slice(0, 1), ids.slice(0, 5), ids.slice(5, 16), ids]) {
      const workers = new Set(
        (await store.sql.rows<[string]>(`SELECT DISTINCT id_number FROM payroll_rows WHERE superseded_by IS NULL AND project_id IN (${chunk.map(() => '?').join(', ')})`, chunk)).map((r) => r[0]),
      );
      const expected = [...city].filter(([key]) => workers.has(key.split('|')[1]!));
      const got = await store.facts.crossProjectDaysFor(chunk, D);
      expect([...got]).toEqual(expected);
      // the chunk's workers taken from its facts (a night has them read already) instead of asked again
      const { projects } = await store.facts.projects(chunk);
      expect([...(await store.facts.crossProjectDaysFor(chunk, D, projects))]).toEqual(expected);
    }
  });
});
