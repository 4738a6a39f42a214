/**
 * The nightly job: catch-up of missed nights, the lease against overlapping runs, retries that leave no
 * half report, the child-process runner, and the schedule. Real SQLite files in temp directories.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/open.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { currentLease, releaseLease, tryAcquireLease } from '../../src/jobs/lease.ts';
import { missingReportDates, NIGHTLY_JOB, reportCron, runNightlyCycle, startNightlyJob, type CycleOptions, type JobLogger } from '../../src/jobs/nightly.ts';
import { produceNightlyReport } from '../../src/jobs/produce.ts';
import { forkRunner, inProcessRunner, type DayRunner } from '../../src/jobs/runners.ts';
import { listRuns } from '../../src/jobs/runs.ts';
import { renderCsv } from '../../src/reports/csv.ts';
import { publishReportFiles, stageReportFiles } from '../../src/reports/files.ts';
import { seedCity } from '../reports/fixture.ts';

let dir: string;
let dbPath: string;
let reportsDir: string;

const quiet: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };
/** 02:00 in Shanghai on a date */
const at2am = (date: string) => () => new Date(`${date}T02:00:00+08:00`);

function reportDates(): string[] {
  const db = openDatabase(dbPath);
  try {
    return (db.$client.prepare('SELECT as_of FROM reports ORDER BY as_of').all() as { as_of: string }[]).map((r) => r.as_of);
  } finally {
    db.$client.close();
  }
}

function withDb<T>(fn: (db: Db) => T): T {
  const db = openDatabase(dbPath);
  try {
    return fn(db);
  } finally {
    db.$client.close();
  }
}

const visible = () => (existsSync(reportsDir) ? readdirSync(reportsDir).sort() : []);

/** Records the order of days and runs them in this process. */
function recordingRunner(calls: string[], now: () => Date): DayRunner {
  const inner = inProcessRunner({ dbPath, reportsDir, now });
  return async (asOf, signal) => {
    calls.push(asOf);
    return inner(asOf, signal);
  };
}

function cycle(overrides: Partial<CycleOptions> = {}) {
  return runNightlyCycle({ dbPath, reportsDir, logger: quiet, sleep: async () => {}, ...overrides });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'huxin-job-'));
  dbPath = join(dir, 'city.db');
  reportsDir = join(dir, 'reports');
  withDb((db) => seedCity(db));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
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
    expect(reportDates()).toHaveLength(11);
    expect(visible()).toEqual(reportDates());
    for (const d of reportDates()) {
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
    await cycle({ now, runDay: inProcessRunner({ dbPath, reportsDir, now }) });
    expect(reportDates()).toEqual(['2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    rmSync(join(reportsDir, '2026-11-18'), { recursive: true });
    withDb((db) => expect(missingReportDates(db, reportsDir, '2026-11-20' as IsoDate, 7)).toEqual(['2026-11-18']));
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
      return inProcessRunner({ dbPath, reportsDir, now })(asOf, signal);
    };
    const first = cycle({ now, runDay: slow, catchUpDays: 1, owner: 'server-a' });
    await new Promise((r) => setTimeout(r, 50));
    const second = await cycle({ now, runDay: slow, catchUpDays: 1, owner: 'server-b' });
    expect(second).toMatchObject({ status: 'skipped', reason: 'locked', heldBy: 'server-a' });
    release();
    expect(await first).toEqual({ status: 'ran', days: [{ asOf: '2026-11-20', ok: true, attempts: 1 }] });
    expect(started).toEqual(['2026-11-20']);
    // released at the end
    withDb((db) => expect(currentLease(db.$client, NIGHTLY_JOB)).toBeUndefined());
    expect(withDb((db) => listRuns(db.$client, NIGHTLY_JOB)).map((r) => [r.asOf, r.status])).toEqual([['2026-11-20', 'succeeded']]);
  });

  it('acquire is atomic across connections, and an expired lease can be taken over', () => {
    withDb((a) =>
      withDb((b) => {
        const t = new Date('2026-11-21T00:00:00Z');
        expect(tryAcquireLease(a.$client, 'x', 'A', t, 60_000)).toBe(true);
        expect(tryAcquireLease(b.$client, 'x', 'B', new Date(t.getTime() + 59_000), 60_000)).toBe(false);
        expect(currentLease(b.$client, 'x')?.owner).toBe('A');
        // A died and stopped renewing: after expiry B takes it over
        expect(tryAcquireLease(b.$client, 'x', 'B', new Date(t.getTime() + 61_000), 60_000)).toBe(true);
        expect(currentLease(a.$client, 'x')?.owner).toBe('B');
        // A's late release does not remove B's lease
        releaseLease(a.$client, 'x', 'A');
        expect(currentLease(a.$client, 'x')?.owner).toBe('B');
      }),
    );
  });

  it('a lease held by a live run elsewhere makes the cycle skip; attempts left running by a dead run are closed', async () => {
    const now = at2am('2026-11-21');
    withDb((db) => {
      tryAcquireLease(db.$client, NIGHTLY_JOB, 'other-host:1', now(), 10 * 60_000);
    });
    const calls: string[] = [];
    expect(await cycle({ now, runDay: recordingRunner(calls, now) })).toMatchObject({ status: 'skipped', heldBy: 'other-host:1' });
    expect(calls).toEqual([]);
    // the other host dies mid-run: its lease expires and its attempt stays "running"
    withDb((db) => {
      db.$client.prepare(`UPDATE job_locks SET expires_at = '2026-11-20T00:00:00.000Z'`).run();
      db.$client.prepare(`INSERT INTO job_runs (job, as_of, attempt, started_at, status) VALUES (?, '2026-11-20', 1, '2026-11-20T18:00:00.000Z', 'running')`).run(NIGHTLY_JOB);
    });
    const r = await cycle({ now, runDay: recordingRunner(calls, now), catchUpDays: 1 });
    expect(r.status).toBe('ran');
    const runs = withDb((db) => listRuns(db.$client, NIGHTLY_JOB));
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
      const db = openDatabase(dbPath);
      try {
        return await produceNightlyReport({
          db,
          asOf,
          reportsDir,
          now: now().toISOString(),
          hooks: {
            beforeCommit: () => {
              if (attempt === 1) throw new Error('disk full (simulated) after every row was written');
            },
          },
        });
      } finally {
        db.$client.close();
      }
    };
    const sleep = async (ms: number) => {
      delays.push(ms);
      // between the attempts: what a reader would find
      withDb((db) =>
        seen.push({
          rows: (db.$client.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n,
          findings: (db.$client.prepare('SELECT count(*) AS n FROM finding_versions').get() as { n: number }).n,
          dirs: visible(),
        }),
      );
    };
    const r = await cycle({ now, runDay: flaky, sleep, catchUpDays: 1, retryDelaysMs: [1_000, 5_000] });
    expect(r).toEqual({ status: 'ran', days: [{ asOf: '2026-11-20', ok: true, attempts: 2 }] });
    expect(delays).toEqual([1_000]);
    const stored = withDb((db) => (db.$client.prepare('SELECT count(*) AS n FROM finding_versions').get() as { n: number }).n);
    expect(stored).toBeGreaterThan(0);
    expect(seen).toEqual([{ rows: 0, findings: stored, dirs: [] }]);
    const runs = withDb((db) => listRuns(db.$client, NIGHTLY_JOB));
    expect(runs.map((x) => [x.attempt, x.status])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
    expect(runs[0]!.error).toContain('disk full');
    expect(visible()).toEqual(['2026-11-20']);
    expect(reportDates()).toEqual(['2026-11-20']);
  });

  it('gives up on a day after the last attempt (logged), goes on with the next day, and the next cycle retries it', async () => {
    const now = at2am('2026-11-21');
    const errors: string[] = [];
    const logger: JobLogger = { ...quiet, error: (_o, msg) => errors.push(msg) };
    const good = inProcessRunner({ dbPath, reportsDir, now });
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
    expect(reportDates()).toEqual(['2026-11-20']);
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
    const run = forkRunner({ dbPath, reportsDir });
    const summary = (await run('2026-11-20' as IsoDate, new AbortController().signal)) as { asOf: string; files: string[] };
    expect(summary.asOf).toBe('2026-11-20');
    expect(summary.files).toContain('report.html');
    expect(reportDates()).toEqual(['2026-11-20']);
    expect(existsSync(join(reportsDir, '2026-11-20', 'report.json'))).toBe(true);
  }, 60_000);

  it('rejects with the child’s error when it fails', async () => {
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    const run = forkRunner({ dbPath, reportsDir: join(dir, 'not-a-dir', 'reports') });
    await expect(run('2026-11-20' as IsoDate, new AbortController().signal)).rejects.toThrow(/nightly --as-of 2026-11-20 failed \(exit 1\)/);
    expect(reportDates()).toEqual([]);
  }, 60_000);
});

describe('schedule', () => {
  it('starts with a catch-up cycle, uses HUXIN_REPORT_CRON, and stops cleanly', async () => {
    const now = at2am('2026-11-21');
    const job = startNightlyJob({ dbPath, reportsDir, logger: quiet, now, runDay: inProcessRunner({ dbPath, reportsDir, now }), catchUpDays: 2, env: { HUXIN_REPORT_CRON: '30 3 * * *' } });
    expect(job.cron).toBe('30 3 * * *');
    expect(await job.catchUp).toMatchObject({ status: 'ran', days: [{ asOf: '2026-11-19' }, { asOf: '2026-11-20' }] });
    expect(await job.runNow()).toEqual({ status: 'ran', days: [] });
    await job.stop();
    expect(reportDates()).toEqual(['2026-11-19', '2026-11-20']);
  });

  it('defaults to 02:00 and refuses an invalid expression', () => {
    expect(reportCron(undefined, {})).toBe('0 2 * * *');
    expect(() => reportCron(undefined, { HUXIN_REPORT_CRON: 'every night' })).toThrow(/HUXIN_REPORT_CRON/);
  });
});
