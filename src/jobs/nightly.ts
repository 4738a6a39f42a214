/**
 * 夜间任务 — the nightly arrears report, scheduled inside `huxin serve`.
 *
 * - Schedule: node-cron, `HUXIN_REPORT_CRON` (default `0 2 * * *`) in Asia/Shanghai, `noOverlap` so a slow
 *   night is never stacked on itself in this process.
 * - Each cycle reports every day from D−6 to D (D = yesterday in Asia/Shanghai) that has no complete report
 *   (no `reports` row, or no reports/D/report.json), oldest first — so a night missed while the server was
 *   down is caught up, on start and on the next tick. A fresh database gets the last 7 days.
 * - Overlap across processes: the cycle first takes the `job_locks` lease (lease.ts); a second server, or
 *   a second cycle, that finds it held skips and says so. The lease is renewed while the cycle runs.
 * - Each day: up to `attempts` attempts (default 3) with backoff delays (default 1 min, 5 min), each one a
 *   `job_runs` row (running → succeeded | failed with the error). A failed attempt leaves no half report
 *   (produce.ts: one DB transaction, files by temp + rename). A day that fails every attempt is logged and
 *   left for the next cycle; later days still run.
 * - The heavy work runs in a child process (runners.ts explains why).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cron, { type ScheduledTask } from 'node-cron';
import { addDays, shanghaiDateOf, type IsoDate } from '../domain/date.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { currentLease, releaseLease, renewLease, tryAcquireLease } from './lease.ts';
import { closeInterruptedRuns, finishRun, startRun } from './runs.ts';
import { forkRunner, type DayRunner } from './runners.ts';

export const NIGHTLY_JOB = 'nightly-report';
export const DEFAULT_REPORT_CRON = '0 2 * * *';
export const REPORT_TIMEZONE = 'Asia/Shanghai';

/** pino / fastify `app.log` compatible. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CycleOptions {
  /** the database: a SQLite file or a postgres:// URL */
  readonly location: string;
  readonly reportsDir: string;
  readonly logger: JobLogger;
  /** the clock (default: new Date()) */
  readonly now?: () => Date;
  /** how one day is produced (default: fork bin/huxin.mjs nightly) */
  readonly runDay?: DayRunner;
  /** days looked back, yesterday included (default 7) */
  readonly catchUpDays?: number;
  /** attempts per day (default 3) */
  readonly attempts?: number;
  /** delay before attempt 2, 3, … (default [60 s, 300 s]; the last repeats) */
  readonly retryDelaysMs?: readonly number[];
  /** how to wait (tests pass a fake) */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** lease length (default 10 min) and renewal period (default 30 s) */
  readonly leaseMs?: number;
  readonly renewEveryMs?: number;
  /** who holds the lease (default host:pid:uuid) */
  readonly owner?: string;
  /** stop after the current attempt when fired */
  readonly signal?: AbortSignal;
  /** after the days: deliver the due notices (the night queues some; `huxin serve` passes its notice job's run) */
  readonly deliverNotices?: () => Promise<unknown>;
}

export interface DayOutcome {
  readonly asOf: IsoDate;
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: string;
}

export type CycleResult =
  | { readonly status: 'ran'; readonly days: readonly DayOutcome[] }
  | { readonly status: 'skipped'; readonly reason: 'locked'; readonly heldBy: string | null; readonly until: string | null };

/** A day has a complete report when its row exists and its directory holds report.json. */
export async function missingReportDates(store: Store, reportsDir: string, yesterday: IsoDate, days: number): Promise<IsoDate[]> {
  const stored = new Set(await store.reports.daysBetween(addDays(yesterday, -(days - 1)), yesterday));
  const out: IsoDate[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const d = addDays(yesterday, -i);
    if (!stored.has(d) || !existsSync(join(reportsDir, d, 'report.json'))) out.push(d);
  }
  return out;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** One cycle: take the lease, report every missing day (oldest first) with retries, release the lease. */
export async function runNightlyCycle(options: CycleOptions): Promise<CycleResult> {
  const now = options.now ?? (() => new Date());
  const log = options.logger;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID()}`;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const attempts = Math.max(1, options.attempts ?? 3);
  const delays = options.retryDelaysMs ?? [60_000, 300_000];
  const sleep = options.sleep ?? defaultSleep;
  const runDay =
    options.runDay ??
    forkRunner({
      location: options.location,
      reportsDir: options.reportsDir,
      onOutOfHeap: (e) => log.warn({ job: NIGHTLY_JOB, err: e.message }, 'nightly report: the day did not fit the heap budget; run again without one'),
    });
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  // the job's own bookkeeping store: small writes only (the day's work runs in the child, on its own); on
  // SQLite a short lock wait, so that a renewal never holds this (the API's) event loop for long while the
  // child commits (SQLite waits synchronously)
  const store = await openStore(options.location, { busyTimeoutMs: 2000 });
  try {
    if (!(await tryAcquireLease(store, NIGHTLY_JOB, owner, now(), leaseMs))) {
      const held = await currentLease(store, NIGHTLY_JOB);
      log.info({ job: NIGHTLY_JOB, heldBy: held?.owner, until: held?.expiresAt }, 'nightly report: another run holds the lease; skipped');
      return { status: 'skipped', reason: 'locked', heldBy: held?.owner ?? null, until: held?.expiresAt ?? null };
    }
    let leaseLost = false;
    // one renewal at a time: a slow one is not stacked on itself
    let renewing: Promise<void> | null = null;
    const renew = setInterval(() => {
      if (renewing || leaseLost) return;
      renewing = renewLease(store, NIGHTLY_JOB, owner, now(), leaseMs)
        .then((ours) => {
          if (ours) return;
          leaseLost = true;
          log.error({ job: NIGHTLY_JOB, owner }, 'nightly report: lease lost (expired and taken over); stopping');
          abort.abort();
        })
        .catch((e: unknown) => log.warn({ job: NIGHTLY_JOB, err: messageOf(e) }, 'nightly report: lease renewal failed; will retry'))
        .finally(() => {
          renewing = null;
        });
    }, options.renewEveryMs ?? 30_000);
    renew.unref();

    const outcomes: DayOutcome[] = [];
    try {
      const interrupted = await closeInterruptedRuns(store, NIGHTLY_JOB, now());
      if (interrupted) log.warn({ job: NIGHTLY_JOB, interrupted }, 'nightly report: closed attempts left running by a process that died');
      const yesterday = addDays(shanghaiDateOf(now()), -1);
      const dates = await missingReportDates(store, options.reportsDir, yesterday, options.catchUpDays ?? 7);
      if (dates.length === 0) log.info({ job: NIGHTLY_JOB, yesterday }, 'nightly report: nothing to do');
      for (const asOf of dates) {
        if (abort.signal.aborted) break;
        let outcome: DayOutcome = { asOf, ok: false, attempts: 0 };
        for (let attempt = 1; attempt <= attempts && !abort.signal.aborted; attempt++) {
          const runId = await startRun(store, NIGHTLY_JOB, asOf, attempt, now());
          const started = performance.now();
          try {
            const result = await runDay(asOf, abort.signal);
            await finishRun(store, runId, 'succeeded', now());
            log.info({ job: NIGHTLY_JOB, asOf, attempt, ms: Math.round(performance.now() - started), result }, 'nightly report: written');
            outcome = { asOf, ok: true, attempts: attempt };
            break;
          } catch (e) {
            const error = messageOf(e);
            await finishRun(store, runId, 'failed', now(), error);
            outcome = { asOf, ok: false, attempts: attempt, error };
            const last = attempt === attempts || abort.signal.aborted;
            log.error({ job: NIGHTLY_JOB, asOf, attempt, of: attempts, err: error }, last ? 'nightly report: failed, giving up until the next cycle' : 'nightly report: attempt failed; retrying');
            if (!last) await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 0, abort.signal);
          }
        }
        outcomes.push(outcome);
      }
    } finally {
      clearInterval(renew);
      await renewing;
      if (!leaseLost) await releaseLease(store, NIGHTLY_JOB, owner);
    }
    if (options.deliverNotices && !abort.signal.aborted) {
      try {
        await options.deliverNotices();
      } catch (e) {
        log.error({ job: NIGHTLY_JOB, err: messageOf(e) }, 'nightly report: notice delivery failed');
      }
    }
    return { status: 'ran', days: outcomes };
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    await store.close();
  }
}

export interface NightlyJobOptions extends Omit<CycleOptions, 'signal' | 'owner'> {
  /** cron expression (default: HUXIN_REPORT_CRON, else `0 2 * * *`), in Asia/Shanghai */
  readonly cron?: string;
  /** run a catch-up cycle at once (default true) */
  readonly catchUpOnStart?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export interface NightlyJob {
  /** the start-up catch-up cycle (resolves to null when catchUpOnStart is false) */
  readonly catchUp: Promise<CycleResult | null>;
  /** runs a cycle now (skipped when one is running in this process) */
  runNow(): Promise<CycleResult>;
  /** the schedule in use */
  readonly cron: string;
  /** stops the schedule, aborts a running child, and waits for the cycle to end */
  stop(): Promise<void>;
}

/** The cron expression in force: the option, else HUXIN_REPORT_CRON, else `0 2 * * *`; an invalid one is an error. */
export function reportCron(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  const expr = option ?? (env.HUXIN_REPORT_CRON && env.HUXIN_REPORT_CRON.trim() !== '' ? env.HUXIN_REPORT_CRON.trim() : DEFAULT_REPORT_CRON);
  if (!cron.validate(expr)) throw new Error(`HUXIN_REPORT_CRON 不是有效的 cron 表达式: “${expr}”`);
  return expr;
}

/**
 * 启动夜间任务 — schedules the nightly report and catches up missed days at once.
 * `huxin serve` calls this after the server listens and awaits `stop()` on shutdown.
 */
export function startNightlyJob(options: NightlyJobOptions): NightlyJob {
  const expr = reportCron(options.cron, options.env);
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const stopping = new AbortController();
  let running: Promise<CycleResult> | null = null;

  const cycle = (): Promise<CycleResult> => {
    if (running) {
      options.logger.info({ job: NIGHTLY_JOB }, 'nightly report: a cycle is already running in this process; skipped');
      return Promise.resolve({ status: 'skipped', reason: 'locked', heldBy: owner, until: null });
    }
    const p = runNightlyCycle({ ...options, owner, signal: stopping.signal })
      .catch((e: unknown): CycleResult => {
        options.logger.error({ job: NIGHTLY_JOB, err: messageOf(e) }, 'nightly report: cycle failed');
        return { status: 'ran', days: [] };
      })
      .finally(() => {
        running = null;
      });
    running = p;
    return p;
  };

  const task: ScheduledTask = cron.schedule(expr, () => cycle(), { name: 'huxin-nightly-report', timezone: REPORT_TIMEZONE, noOverlap: true });
  const catchUp = options.catchUpOnStart === false ? Promise.resolve(null) : cycle();
  options.logger.info({ job: NIGHTLY_JOB, cron: expr, timezone: REPORT_TIMEZONE, next: task.getNextRun()?.toISOString() }, 'nightly report scheduled');

  return {
    catchUp,
    cron: expr,
    runNow: cycle,
    async stop() {
      await task.destroy();
      stopping.abort();
      if (running) await running;
    },
  };
}
