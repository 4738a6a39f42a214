/**
 * Crash safety of the nightly job: `huxin nightly --as-of D` (the child the scheduler forks) is SIGKILLed at
 * seeded random points. After each kill the database passes the integrity check; D's evaluation (the
 * night's state) is either absent or whole (equal to a clean run's), and D is either not reported at all
 * (no report row, no directory) or reported whole (the row equal to a clean run's; if its directory exists
 * it holds every file, byte for byte). A report never exists without its evaluation, nor a report
 * directory without its row. Then a rerun completes with exactly the clean run's report.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { produceNightlyReport } from '../../src/jobs/produce.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { onTestEngine, type EngineCopy } from '../support/toEngine.ts';
import { childrenGone, collect, HUXIN_BIN, integrityOf, ROOT, rng, tempDir } from './helpers.ts';
import { spawn } from 'node:child_process';

const D = '2026-11-27';

function dirFiles(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

async function onStore<T>(location: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(location);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** The stored state of D, read through the store on either engine (the report's JSON as text: jsonb comes back parsed). */
function stateOf(location: string) {
  return onStore(location, async ({ sql }) => {
    const report = (await sql.get<{ json: unknown }>('SELECT json FROM reports WHERE as_of = ?', [D]))?.json;
    return {
      integrity: await integrityOf(sql),
      report: report === undefined || report === null ? null : typeof report === 'string' ? report : JSON.stringify(report),
      findings: Number((await sql.get<{ n: number }>('SELECT count(*) AS n FROM findings WHERE as_of = ?', [D]))!.n),
      assessments: Number((await sql.get<{ n: number }>('SELECT count(*) AS n FROM project_assessments WHERE as_of = ?', [D]))!.n),
    };
  });
}

/** A copy of the seeded city on the test's engine (a file copy; on PostgreSQL a database of its own). */
async function cityCopy(base: string, file: string, copies: EngineCopy[]): Promise<string> {
  copyFileSync(base, file);
  const c = await onTestEngine(file);
  copies.push(c);
  return c.location;
}

describe('SIGKILL during the nightly report', () => {
  const t = tempDir('huxin-nightly-crash-');
  const base = join(t.dir, 'base.db');
  let clean: Awaited<ReturnType<typeof stateOf>>;
  let cleanFiles: Record<string, string>;
  const copies: EngineCopy[] = [];

  beforeAll(async () => {
    await onStore(base, (s) => loadDemoCity(s, '2026-11-28T00:00:00.000Z'));
    // the clean run, in-process (the same produceNightlyReport the child runs)
    const cleanDb = await cityCopy(base, join(t.dir, 'clean.db'), copies);
    await onStore(cleanDb, (store) => produceNightlyReport({ store, asOf: D as IsoDate, reportsDir: join(t.dir, 'clean-reports'), now: '2026-11-28T02:00:00.000Z' }));
    clean = await stateOf(cleanDb);
    cleanFiles = dirFiles(join(t.dir, 'clean-reports', D));
    expect(clean.report).not.toBeNull();
    expect(clean.findings).toBeGreaterThan(0);
    expect(Object.keys(cleanFiles).length).toBeGreaterThan(2);
  }, 60_000);
  afterAll(async () => {
    for (const c of copies) await c.drop();
    t.cleanup();
  });

  it('leaves D reported whole or not at all, and a rerun writes the clean report', async () => {
    const dbPath = await cityCopy(base, join(t.dir, 'huxin.db'), copies);
    const reports = join(t.dir, 'reports');
    const random = rng(11);
    const staged = () => existsSync(reports) && readdirSync(reports).some((f) => f.startsWith('.tmp-'));
    let killed = 0;
    let stagedAfterMs = 0;
    for (const when of ['files staged', 'computing'] as const) {
      const t0 = performance.now();
      const child = spawn(process.execPath, [HUXIN_BIN, 'nightly', '--as-of', D, '--reports-dir', reports, '--db', dbPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const done = collect(child, 60_000);
      if (when === 'files staged') {
        // the moment the files are staged: the store transaction is next
        while (!staged() && child.exitCode === null) await new Promise((r) => setTimeout(r, 1));
        stagedAfterMs = performance.now() - t0;
      } else {
        await new Promise((r) => setTimeout(r, stagedAfterMs * (0.6 + 0.35 * random())));
      }
      child.kill('SIGKILL');
      const run = await done;
      if (run.signal === 'SIGKILL') killed++;
      await childrenGone(dbPath);
      const s = await stateOf(dbPath);
      expect(s.integrity).toBe('ok');
      const dir = dirFiles(join(reports, D));
      // the night's state: none or all of it
      expect([0, clean.findings], when).toContain(s.findings);
      expect([0, clean.assessments], when).toContain(s.assessments);
      if (s.report === null) {
        expect(dir, when).toEqual({});
      } else {
        expect(s.report, when).toBe(clean.report);
        expect(s.findings, when).toBe(clean.findings);
        expect(s.assessments, when).toBe(clean.assessments);
        if (Object.keys(dir).length > 0) expect(dir, when).toEqual(cleanFiles);
      }
    }
    // the kill while computing always lands; the one at the moment the files are staged can come after the
    // child finished (the report is read off the stored state and written in milliseconds): then it is whole
    expect(killed).toBeGreaterThanOrEqual(1);

    // the next run (in-process: what the scheduler's child runs) sweeps the leftovers and writes D whole
    await onStore(dbPath, (store) => produceNightlyReport({ store, asOf: D as IsoDate, reportsDir: reports, now: '2026-11-28T02:00:00.000Z' }));
    const after = await stateOf(dbPath);
    expect(after.report).toBe(clean.report);
    expect(after.findings).toBe(clean.findings);
    expect(dirFiles(join(reports, D))).toEqual(cleanFiles);
    expect(readdirSync(reports).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  }, 90_000);
});
