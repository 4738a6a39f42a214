/**
 * The nightly job: catch-up of missed nights, the lease against overlapping runs, retries that leave no
 * half report, the child-process runner, and the schedule. On both engines (a real SQLite file in a temp
 * directory; a real PostgreSQL database): the child gets the location as `huxin serve` passes it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { currentLease, releaseLease, tryAcquireLease } from '../../src/jobs/lease.ts';
import { missingReportDates, NIGHTLY_JOB, reportCron, runNightlyCycle, startNightlyJob, type CycleOptions, type JobLogger } from '../../src/jobs/nightly.ts';
import { produceNightlyReport } from '../../src/jobs/produce.ts';
import { forkRunner, inProcessRunner, type DayRunner } from '../../src/jobs/runners.ts';
import { listRuns } from '../../src/jobs/runs.ts';
import { renderCsv } from '../../src/reports/csv.ts';
import { publishReportFiles, stageReportFiles } from '../../src/reports/files.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import type { TestLocation } from '../support/engines.ts';
import { seededLocation } from '../reports/fixture.ts';

let loc: TestLocation;
let dir: string;
let location: string;
let reportsDir: string;

const quiet: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };
/** 02:00 in Shanghai on a date */
const at2am = (date: string) => () => new Date(`${date}T02:00:00+08:00`);

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(location);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const reportDates = (): Promise<string[]> => withStore(async (s) => (await s.sql.rows<[string]>('SELECT as_of FROM reports ORDER BY as_of')).map((r) => r[0]));
const count = (table: string): Promise<number> => withStore(async (s) => (await s.sql.rows<[number]>(`SELECT count(*) FROM ${table}`))[0]![0]);

const visible = () => (existsSync(reportsDir) ? readdirSync(reportsDir).sort() : []);

/** Records the order of days and runs them in this process. */
function recordingRunner(calls: string[], now: () => Date): DayRunner {
  const inner = inProcessRunner({ location, reportsDir, now });
  return async (asOf, signal) => {
    calls.push(asOf);
    return inner(asOf, signal);
  };
}

function cycle(overrides: Partial<CycleOptions> = {}) {
  return runNightlyCycle({ location, reportsDir, logger: quiet, sleep: async () => {}, ...overrides });
}

beforeEach(async () => {
  ({ loc } = await seededLocation());
  dir = loc.dir;
  location = loc.location;
  reportsDir = join(dir, 'reports');
});

afterEach(async () => {
  await loc.drop();
});

describe('catch-up', () => {
  it('reports every missing day of the last 7, oldest first, after nights missed while the server was down', async () => {
    const calls: string[] = [];
    // first start on 11-17: the 7 days 11-10 … 11-16
    let now = at2am('2026-11-17');
    let r = await cycle({ now, runDay: recordingRunner(calls, now) });
    expect(r.status).toBe('ran');
    expect(calls).toEqual(['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16']);
    // down for three nights; started again on 11-21 at 02:00
    calls.length = 0;
    now = at2am('2026-11-21');
    r = await cycle({ now, runDay: recordingRunner(calls, now) });
    expect(calls).toEqual(['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    expect(r).toEqual({ status: 'ran', days: calls.map((asOf) => ({ asOf, ok: true, attempts: 1 })) });
    expect(await reportDates()).toHaveLength(11);
    expect(visible()).toEqual(await reportDates());
    for (const d of await reportDates()) {
      expect(readdirSync(join(reportsDir, d)).sort()).toEqual(['report.html', 'report.json', 'report.xlsx', ...renderCsv(JSON.parse(readFileSync(join(reportsDir, d, 'report.json'), 'utf8'))).map((f) => f.name)].sort());
    }
    // each new/resolved comparison used the day before
    const json = JSON.parse(readFileSync(join(reportsDir, '2026-11-20', 'report.json'), 'utf8'));
    expect(json.flagChanges.previousAsOf).toBe('2026-11-19');
    // nothing left to do on a second run the same night
    calls.length = 0;
    await cycle({ now, runDay: recordingRunner(calls, now) });
    expect(calls).toEqual([]);
  });

  it('does not look back further than 7 days, and redoes a day whose row exists but whose files are missing', async () => {
    const now = at2am('2026-11-21');
    await cycle({ now, runDay: inProcessRunner({ location, reportsDir, now }) });
    expect(await reportDates()).toEqual(['2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    rmSync(join(reportsDir, '2026-11-18'), { recursive: true });
    expect(await withStore((s) => missingReportDates(s, reportsDir, '2026-11-20' as IsoDate, 7))).toEqual(['2026-11-18']);
  });
});

describe('lease against overlapping runs', () => {
  it('two concurrent cycles: one runs, the other skips', async () => {
    const now = at2am('2026-11-21');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    const slow: DayRunner = async (asOf, signal) => {
      started.push(asOf);
      await gate;
      return inProcessRunner({ location, reportsDir, now })(asOf, signal);
    };
    const first = cycle({ now, runDay: slow, catchUpDays: 1, owner: 'server-a' });
    await new Promise((r) => setTimeout(r, 50));
    const second = await cycle({ now, runDay: slow, catchUpDays: 1, owner: 'server-b' });
    expect(second).toMatchObject({ status: 'skipped', reason: 'locked', heldBy: 'server-a' });
    release();
    expect(await first).toEqual({ status: 'ran', days: [{ asOf: '2026-11-20', ok: true, attempts: 1 }] });
    expect(started).toEqual(['2026-11-20']);
    // released at the end
    expect(await withStore((s) => currentLease(s, NIGHTLY_JOB))).toBeUndefined();
    expect((await withStore((s) => listRuns(s, NIGHTLY_JOB))).map((r) => [r.asOf, r.status])).toEqual([['2026-11-20', 'succeeded']]);
  });

  it('acquire is atomic across connections, and an expired lease can be taken over', async () => {
    await withStore((a) =>
      withStore(async (b) => {
        const t = new Date('2026-11-21T00:00:00Z');
        expect(await tryAcquireLease(a, 'x', 'A', t, 60_000)).toBe(true);
        expect(await tryAcquireLease(b, 'x', 'B', new Date(t.getTime() + 59_000), 60_000)).toBe(false);
        expect((await currentLease(b, 'x'))?.owner).toBe('A');
        // A died and stopped renewing: after expiry B takes it over
        expect(await tryAcquireLease(b, 'x', 'B', new Date(t.getTime() + 61_000), 60_000)).toBe(true);
        expect((await currentLease(a, 'x'))?.owner).toBe('B');
        // A's late release does not remove B's lease
        await releaseLease(a, 'x', 'A');
        expect((await currentLease(a, 'x'))?.owner).toBe('B');
      }),
    );
  });

  it('of many processes racing for a free lease at once, exactly one gets it', async () => {
    const t = new Date('2026-11-21T00:00:00Z');
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(location)));
    try {
      const got = await Promise.all(stores.map((s, i) => tryAcquireLease(s, 'race', `P${i}`, t, 60_000)));
      expect(got.filter(Boolean)).toHaveLength(1);
      expect((await currentLease(stores[0]!, 'race'))?.owner).toBe(`P${got.indexOf(true)}`);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('a lease held by a live run elsewhere makes the cycle skip; attempts left running by a dead run are closed', async () => {
    const now = at2am('2026-11-21');
    await withStore((s) => tryAcquireLease(s, NIGHTLY_JOB, 'other-host:1', now(), 10 * 60_000));
    const calls: string[] = [];
    expect(await cycle({ now, runDay: recordingRunner(calls, now) })).toMatchObject({ status: 'skipped', heldBy: 'other-host:1' });
    expect(calls).toEqual([]);
    // the other host dies mid-run: its lease expires and its attempt stays "running"
    await withStore(async (s) => {
      await s.sql.run(`UPDATE job_locks SET expires_at = '2026-11-20T00:00:00.000Z'`);
      await s.sql.run(`INSERT INTO job_runs (job, as_of, attempt, started_at, status) VALUES (?, '2026-11-20', 1, '2026-11-20T18:00:00.000Z', 'running')`, [NIGHTLY_JOB]);
    });
    const r = await cycle({ now, runDay: recordingRunner(calls, now), catchUpDays: 1 });
    expect(r.status).toBe('ran');
    const runs = await withStore((s) => listRuns(s, NIGHTLY_JOB));
    expect(runs.map((x) => x.status)).toEqual(['failed', 'succeeded']);
    expect(runs[0]!.error).toContain('中断');
  });
});

describe('retry after a failure', () => {
  it('a failed attempt leaves no half report (no row, no directory; the night’s state, which any report of D reads, stays whole); the retry writes it whole and stores nothing new', async () => {
    const now = at2am('2026-11-21');
    const delays: number[] = [];
    let attempt = 0;
    const seen: { rows: number; findings: number; dirs: string[] }[] = [];
    const flaky: DayRunner = async (asOf) => {
      attempt++;
      return withStore((store) =>
        produceNightlyReport({
          store,
          asOf,
          reportsDir,
          now: now().toISOString(),
          hooks: {
            beforeCommit: () => {
              if (attempt === 1) throw new Error('disk full (simulated) after every row was written');
            },
          },
        }),
      );
    };
    const sleep = async (ms: number) => {
      delays.push(ms);
      // between the attempts: what a reader would find
      seen.push({ rows: await count('reports'), findings: await count('finding_versions'), dirs: visible() });
    };
    const r = await cycle({ now, runDay: flaky, sleep, catchUpDays: 1, retryDelaysMs: [1_000, 5_000] });
    expect(r).toEqual({ status: 'ran', days: [{ asOf: '2026-11-20', ok: true, attempts: 2 }] });
    expect(delays).toEqual([1_000]);
    const stored = await count('finding_versions');
    expect(stored).toBeGreaterThan(0);
    expect(seen).toEqual([{ rows: 0, findings: stored, dirs: [] }]);
    const runs = await withStore((s) => listRuns(s, NIGHTLY_JOB));
    expect(runs.map((x) => [x.attempt, x.status])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
    expect(runs[0]!.error).toContain('disk full');
    expect(visible()).toEqual(['2026-11-20']);
    expect(await reportDates()).toEqual(['2026-11-20']);
  });

  it('gives up on a day after the last attempt (logged), goes on with the next day, and the next cycle retries it', async () => {
    const now = at2am('2026-11-21');
    const errors: string[] = [];
    const logger: JobLogger = { ...quiet, error: (_o, msg) => errors.push(msg) };
    const good = inProcessRunner({ location, reportsDir, now });
    const failsOn19: DayRunner = async (asOf, signal) => {
      if (asOf === '2026-11-19') throw new Error('boom');
      return good(asOf, signal);
    };
    const delays: number[] = [];
    const r = await cycle({ now, runDay: failsOn19, logger, catchUpDays: 2, sleep: async (ms) => void delays.push(ms) });
    expect(r).toEqual({
      status: 'ran',
      days: [
        { asOf: '2026-11-19', ok: false, attempts: 3, error: 'boom' },
        { asOf: '2026-11-20', ok: true, attempts: 1 },
      ],
    });
    expect(delays).toEqual([60_000, 300_000]); // the default backoff
    expect(errors.filter((m) => m.includes('giving up'))).toHaveLength(1);
    expect(await reportDates()).toEqual(['2026-11-20']);
    // next night: 11-19 is still missing and is caught up
    const calls: string[] = [];
    await cycle({ now: at2am('2026-11-22'), runDay: recordingRunner(calls, now), catchUpDays: 3 });
    expect(calls).toEqual(['2026-11-19', '2026-11-21']);
  });
});

describe('files', () => {
  it('publishing over an earlier copy replaces it whole', () => {
    mkdirSync(join(reportsDir, '2026-11-20'), { recursive: true });
    writeFileSync(join(reportsDir, '2026-11-20', 'stale.csv'), 'old');
    publishReportFiles(stageReportFiles(reportsDir, '2026-11-20', [{ name: 'report.json', content: '{}\n' }]));
    expect(readdirSync(join(reportsDir, '2026-11-20'))).toEqual(['report.json']);
    expect(visible()).toEqual(['2026-11-20']);
  });
});

describe('child process runner', () => {
  it('forks `huxin nightly --as-of D` and the day is written by the child', async () => {
    const run = forkRunner({ location, reportsDir });
    const summary = (await run('2026-11-20' as IsoDate, new AbortController().signal)) as { asOf: string; files: string[] };
    expect(summary.asOf).toBe('2026-11-20');
    expect(summary.files).toContain('report.html');
    expect(await reportDates()).toEqual(['2026-11-20']);
    expect(existsSync(join(reportsDir, '2026-11-20', 'report.json'))).toBe(true);
  }, 60_000);

  it('runs the child within a heap budget, and a day that does not fit is run again without one', async () => {
    // a budget too small for the night itself: the child dies at its heap limit, the runner says so and
    // runs the day again, unbudgeted (resuming the chunks the first child staged)
    const told: string[] = [];
    const run = forkRunner({ location, reportsDir, heapMb: 24, onOutOfHeap: (e) => told.push(e.message) });
    const summary = (await run('2026-11-20' as IsoDate, new AbortController().signal)) as { asOf: string };
    expect(summary.asOf).toBe('2026-11-20');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/nightly --as-of 2026-11-20 failed/);
    expect(await reportDates()).toEqual(['2026-11-20']);
  }, 120_000);

  it('rejects with the child’s error when it fails', async () => {
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    const run = forkRunner({ location, reportsDir: join(dir, 'not-a-dir', 'reports') });
    await expect(run('2026-11-20' as IsoDate, new AbortController().signal)).rejects.toThrow(/nightly --as-of 2026-11-20 failed \(exit 1\)/);
    expect(await reportDates()).toEqual([]);
  }, 60_000);
});

describe('schedule', () => {
  it('starts with a catch-up cycle, uses HUXIN_REPORT_CRON, and stops cleanly', async () => {
    const now = at2am('2026-11-21');
    const job = startNightlyJob({ location, reportsDir, logger: quiet, now, runDay: inProcessRunner({ location, reportsDir, now }), catchUpDays: 2, env: { HUXIN_REPORT_CRON: '30 3 * * *' } });
    expect(job.cron).toBe('30 3 * * *');
    expect(await job.catchUp).toMatchObject({ status: 'ran', days: [{ asOf: '2026-11-19' }, { asOf: '2026-11-20' }] });
    expect(await job.runNow()).toEqual({ status: 'ran', days: [] });
    await job.stop();
    expect(await reportDates()).toEqual(['2026-11-19', '2026-11-20']);
  });

  it('defaults to 02:00 and refuses an invalid expression', () => {
    expect(reportCron(undefined, {})).toBe('0 2 * * *');
    expect(() => reportCron(undefined, { HUXIN_REPORT_CRON: 'every night' })).toThrow(/HUXIN_REPORT_CRON/);
  });
});
