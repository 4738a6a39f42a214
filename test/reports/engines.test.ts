/**
 * 同一报告，两种引擎 — issue 17's "done when": the nightly report is the same, byte for byte, on SQLite and on
 * PostgreSQL. The nightly path itself runs on each (the night stored as state, the report read off it, the
 * row stored, the files published): the hand-worked report city (its first report, the inspectors'
 * reviews, the next day's), and the demo city over a week of nights run by the nightly job. In the
 * postgres project the test's engine is PostgreSQL and each report is compared with SQLite's; in the sqlite
 * project both sides are SQLite (the comparison is then with a second database of the same engine).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { runNightlyCycle, type JobLogger } from '../../src/jobs/nightly.ts';
import { produceNightlyReport } from '../../src/jobs/produce.ts';
import { inProcessRunner } from '../../src/jobs/runners.ts';
import { openStore } from '../../src/store/open.ts';
import type { Engine } from '../../src/store/sql.ts';
import { ENGINE } from '../support/engines.ts';
import { demoStore, dropDemoSource } from '../support/demo.ts';
import { D, D0, reviewFlagsIn, seededLocation } from './fixture.ts';

afterAll(dropDemoSource);

const quiet: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** The hand-worked city's two nightly reports on `engine`: the files and the stored rows. */
async function handWorked(engine: Engine): Promise<{ files: string[]; rows: (string | null)[] }> {
  const { loc, city } = await seededLocation(engine);
  const store = await openStore(loc.location);
  try {
    const reportsDir = join(loc.dir, 'reports');
    await produceNightlyReport({ store, asOf: D0 as IsoDate, reportsDir, now: '2026-11-19T18:00:00.000Z' });
    await reviewFlagsIn(store, city);
    await produceNightlyReport({ store, asOf: D as IsoDate, reportsDir, now: '2026-11-20T18:00:00.000Z' });
    return {
      files: [D0, D].map((d) => readFileSync(join(reportsDir, d, 'report.json'), 'utf8')),
      rows: [await store.reports.json(D0), await store.reports.json(D)],
    };
  } finally {
    await store.close();
    await loc.drop();
  }
}

/** The demo city's reports of a week of nights run by the nightly job on `engine` (the cycle of 2026-11-21 catching up 7 days). */
async function demoWeek(engine: Engine): Promise<Record<string, string>> {
  const { loc, store } = await demoStore(engine);
  await store.close();
  try {
    const reportsDir = join(loc.dir, 'reports');
    const now = () => new Date('2026-11-21T02:00:00+08:00');
    const r = await runNightlyCycle({ location: loc.location, reportsDir, logger: quiet, now, runDay: inProcessRunner({ location: loc.location, reportsDir, now }), sleep: async () => {} });
    expect(r.status).toBe('ran');
    const days = r.status === 'ran' ? r.days : [];
    expect(days.map((d) => d.ok)).toEqual([true, true, true, true, true, true, true]);
    return Object.fromEntries(days.map((d) => [d.asOf, readFileSync(join(reportsDir, d.asOf, 'report.json'), 'utf8')]));
  } finally {
    await loc.drop();
  }
}

describe(`the nightly report on ${ENGINE} is SQLite's, byte for byte`, () => {
  it('the hand-worked report city: the first report, then the next day’s after the reviews', async () => {
    const here = await handWorked(ENGINE);
    const sqlite = await handWorked('sqlite');
    expect(here.rows).toEqual(here.files);
    expect(JSON.parse(here.files[1]!).totals.arrears).toBe('15000.00');
    expect(here.files[0]).toBe(sqlite.files[0]);
    expect(here.files[1]).toBe(sqlite.files[1]);
  }, 120_000);

  it('the demo city over a week of nights run by the nightly job', async () => {
    const here = await demoWeek(ENGINE);
    const sqlite = await demoWeek('sqlite');
    expect(Object.keys(here)).toEqual(['2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    for (const day of Object.keys(sqlite)) expect(here[day], day).toBe(sqlite[day]);
  }, 240_000);
});
