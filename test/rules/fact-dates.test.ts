/**
 * 下一变化日：快照的列 — the next-change day reads the dates of facts decoded from a snapshot off the
 * snapshot's flat columns (src/store/factsCodec.ts decodedSource) instead of walking the row objects. Both
 * walks must see the same dates: the same day for every project of the demo city and of a generated city,
 * on days before, on and after their pay days; and a date held only by one row's field (a payment dated
 * after D) moves the day on both paths.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCityDb } from '../../scripts/city-generator.ts';
import { isoDate, type IsoDate } from '../../src/domain/date.ts';
import { evaluateCity } from '../../src/rules/evaluate.ts';
import type { CityFacts, ProjectFacts } from '../../src/rules/facts.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { nextChangeOf, parameterDates } from '../../src/services/night/nextChange.ts';
import { decodeFacts, decodedSource, encodeFacts } from '../../src/store/factsCodec.ts';
import { openStore } from '../../src/store/open.ts';
import { cityFacts } from '../imports/helpers.ts';

const paramDates = parameterDates(DEFAULT_PARAMS);

function nextChanges(city: CityFacts, asOf: IsoDate, projects: readonly ProjectFacts[]): (string | null)[] {
  const evaluation = evaluateCity({ ...city, projects }, asOf, DEFAULT_PARAMS);
  const byId = new Map(evaluation.projects.map((pe) => [pe.projectId, pe]));
  return projects.map((p) =>
    nextChangeOf({ facts: p, evaluation: byId.get(p.id) ?? null, asOf, params: DEFAULT_PARAMS, listings: [], injuryCover: undefined, paramDates }),
  );
}

function decoded(projects: readonly ProjectFacts[]): ProjectFacts[] {
  return projects.map((p) => {
    const d = decodeFacts(encodeFacts(p))!;
    expect(decodedSource(d)).toBeDefined();
    return d;
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huxin-fact-dates-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the next-change day of decoded facts', () => {
  let demo: CityFacts;
  let generated: CityFacts;
  beforeAll(async () => {
    const seed = await openStore(join(dir, 'demo.db'));
    await loadDemoCity(seed, '2026-11-01T08:00:00.000Z');
    demo = await cityFacts(seed);
    await seed.close();
    generateCityDb(join(dir, 'generated.db'), 12, 20, 12);
    const g = await openStore(join(dir, 'generated.db'));
    generated = await cityFacts(g);
    await g.close();
  }, 120_000);

  for (const day of ['2026-11-20', '2026-12-02', '2026-12-10', '2026-12-16']) {
    it(`is the rows' day for every project, as of ${day}`, () => {
      for (const city of [demo, generated]) {
        const asOf = isoDate(day);
        const fromRows = nextChanges(city, asOf, city.projects);
        expect(fromRows.some((d) => d !== null)).toBe(true);
        expect(nextChanges(city, asOf, decoded(city.projects))).toEqual(fromRows);
        expect(decodedSource(city.projects[0]!)).toBeUndefined();
      }
    });
  }

  it('moves with a date held by one row field alone', () => {
    const asOf = isoDate('2026-12-16');
    const p = generated.projects[0]!;
    const before = nextChanges(generated, asOf, [p])[0]!;
    // a payment dated the day after D (not yet counted): the day after D is when it counts
    const late = { ...p, payments: p.payments.map((x, i) => (i === 0 ? { ...x, paidOn: isoDate('2026-12-17') } : x)) };
    expect(before > '2026-12-17').toBe(true);
    expect(nextChanges(generated, asOf, [late])[0]).toBe('2026-12-17');
    expect(nextChanges(generated, asOf, decoded([late]))[0]).toBe('2026-12-17');
  });
});
