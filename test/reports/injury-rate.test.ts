/**
 * The work-injury cover rate in the report (issue: registries) is the rules core's coverage rate, added up
 * project by project across the report's chunks: on the demo city (which holds an insurance registry, and
 * whose XT-2026-005 insures none of its workers) the report's city and county figures equal
 * injuryInsuranceCoverage over the whole city's facts, and some worker on site is not covered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { computeReport } from '../../src/reports/generate.ts';
import { injuryInsuranceCoverage } from '../../src/rules/insurance.ts';
import { cityFacts } from '../imports/helpers.ts';
import { demoCityStore, type DemoStore } from '../support/demoStore.ts';

const D = '2026-11-28' as IsoDate;
let demo: DemoStore;

// the demo city on the test's engine
beforeAll(async () => {
  demo = await demoCityStore('2026-11-28T02:00:00.000Z');
});
afterAll(() => demo?.close());

describe('work-injury cover rate in the nightly report', () => {
  it('equals the rules core’s coverage over the whole city, for the city and each county, with chunks of 2 projects', async () => {
    const expected = injuryInsuranceCoverage(await cityFacts(demo.store), D);
    expect(expected.held).toBe(true);
    const computed = await computeReport(demo.store, D, undefined, { chunkSize: 2 });
    try {
      const rates = computed.report.rates;
      const { numerator, denominator, rate } = rates.city.injuryInsuranceCoverage;
      expect({ numerator, denominator, rate }).toEqual(expected.city);
      expect(Number(numerator)).toBeLessThan(Number(denominator));
      for (const c of expected.counties) {
        expect(rates.counties.find((x) => x.county === c.county)!.injuryInsuranceCoverage).toEqual({ numerator: c.numerator, denominator: c.denominator, rate: c.rate });
      }
    } finally {
      // nothing to discard: computing a report writes nothing
    }
  });
});
