/**
 * How one day's report is produced: in a child process (production) or in this process (tests).
 *
 * Why a child process (`child_process.fork` of bin/huxin.mjs `nightly --as-of D`) rather than a worker
 * thread:
 * - the rules core is synchronous (and so is the SQLite driver); a city-wide evaluation holds a large object graph
 *   (hundreds of MB for 2,000 projects). In a child it has its own V8 heap and event loop: the API's
 *   event loop never waits on it, the API's GC never walks it, and all of it goes back to the OS when the
 *   child exits. A worker thread would share the process's memory limit and native heap.
 * - Isolation: an out-of-memory abort or a native crash kills the child, not the API; the attempt is
 *   recorded as failed and retried.
 * - One code path: the child runs exactly the command an operator can run by hand
 *   (`npx huxin nightly --as-of D`), the compiled JavaScript in dist/. When this module itself runs from the
 *   TypeScript sources (the test suite), the child runs the sources too (HUXIN_FROM_SOURCE=1, bin/huxin.mjs),
 *   so a test never exercises a stale build.
 * - Cost: a fraction of a second of start-up per run, nothing at 02:00.
 */
import { fork } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IsoDate } from '../domain/date.ts';
import { openStore } from '../store/open.ts';
import { produceNightlyReport, type ProduceResult } from './produce.ts';

/** Produces the report for one day; rejects on failure; aborts when the signal fires. */
export type DayRunner = (asOf: IsoDate, signal: AbortSignal) => Promise<unknown>;

export const HUXIN_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/huxin.mjs');

/** Running from src/*.ts (tests, tsx) rather than the compiled dist/*.js. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * The nightly child's heap budget, in MB. The night holds one chunk of projects at a time (staged nights,
 * docs/STORAGE.md); without a budget V8 lets the garbage of finished chunks grow toward its default limit
 * (a quarter of the machine's memory) before collecting it all, and the process's memory follows
 * (docs/PERFORMANCE.md: 636–705 MB on a first night, 389 MB with this budget).
 */
export const NIGHT_HEAP_MB = 256;

/**
 * The nightly child's young generation: semi-spaces of this many MB (V8's `--max-semi-space-size`; a night's
 * worker thread sets its own, threads.ts THREAD_YOUNG_MB). A project's evaluation lives for several megabytes
 * of allocation; in smaller semi-spaces it outlives the scavenges that would have freed it and is copied and
 * promoted, and the old generation's 256 MB fill with it. The 2,000-project city's pay-day night as the
 * nightly runs it: 32.0 s within 392 MB without it; 26.0–27.0 s within 481–497 MB with 24 MB (32 MB: 27.1–28.0
 * s within 483–501 MB) — docs/PERFORMANCE.md.
 */
export const NIGHT_SEMI_SPACE_MB = 24;

/** The nightly child's node options (unless HUXIN_NIGHTLY_NODE_ARGS says otherwise): its heap and young-generation budgets. */
export const nightChildArgs = (heapMb = NIGHT_HEAP_MB): string[] => [`--max-old-space-size=${heapMb}`, `--max-semi-space-size=${NIGHT_SEMI_SPACE_MB}`];

export interface ForkRunnerOptions {
  /** the database: a SQLite file or a postgres:// URL (passed to the child in HUXIN_DB) */
  readonly location: string;
  readonly reportsDir: string;
  /** kill the child after this long (default 30 minutes) */
  readonly timeoutMs?: number;
  /**
   * node options for the child, e.g. ['--max-old-space-size=1024']; default: HUXIN_NIGHTLY_NODE_ARGS
   * (space-separated) if set, else the heap and young-generation budgets (nightChildArgs)
   */
  readonly execArgv?: readonly string[];
  /** the default heap budget (NIGHT_HEAP_MB) */
  readonly heapMb?: number;
  /** told when the child ran out of its heap budget, before the day is run again without one */
  readonly onOutOfHeap?: (error: NightlyChildError) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** What V8 prints when a heap limit is reached (the process then aborts). */
const OUT_OF_HEAP = /JavaScript heap out of memory|Reached heap limit/;

/**
 * Forks `bin/huxin.mjs nightly --as-of D --reports-dir …` and resolves with its summary line. The database
 * goes to the child in HUXIN_DB, not on its command line: a postgres:// URL may hold a password, and a
 * command line is visible to every account on the machine.
 *
 * The child runs within NIGHT_HEAP_MB unless told otherwise. A city whose single largest chunk does not fit
 * (one project of tens of thousands of workers) must still get its report: when the child runs out of heap
 * under the default budget, the day is run once more without one. The night resumes from the chunks the
 * first child staged, so nothing is evaluated twice.
 */
export function forkRunner(options: ForkRunnerOptions): DayRunner {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const configured = options.execArgv ?? (process.env.HUXIN_NIGHTLY_NODE_ARGS ? process.env.HUXIN_NIGHTLY_NODE_ARGS.split(/\s+/).filter(Boolean) : null);
  const once = (asOf: IsoDate, signal: AbortSignal, execArgv: readonly string[]) =>
    new Promise<unknown>((resolvePromise, reject) => {
      const child = fork(HUXIN_BIN, ['nightly', '--as-of', asOf, '--reports-dir', options.reportsDir], {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        execArgv: [...execArgv],
        env: { ...(options.env ?? process.env), HUXIN_DB: options.location, ...(FROM_SOURCE ? { HUXIN_FROM_SOURCE: '1' } : {}) },
        signal,
        killSignal: 'SIGTERM',
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr!.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
        if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('exit', (code, sig) => {
        clearTimeout(timer);
        if (code === 0) {
          const line = stdout.trim().split('\n').pop() ?? '';
          try {
            resolvePromise(JSON.parse(line));
          } catch {
            resolvePromise(line);
          }
        } else {
          const why = stderr.trim().split('\n').slice(-5).join(' | ') || `exit ${code ?? sig}`;
          reject(new NightlyChildError(`nightly --as-of ${asOf} failed (${code !== null ? `exit ${code}` : `signal ${sig}`}): ${why}`, OUT_OF_HEAP.test(stderr)));
        }
      });
    });
  return async (asOf, signal) => {
    if (configured) return once(asOf, signal, configured);
    try {
      return await once(asOf, signal, nightChildArgs(options.heapMb));
    } catch (e) {
      if (!(e instanceof NightlyChildError && e.outOfHeap) || signal.aborted) throw e;
      options.onOutOfHeap?.(e);
      return once(asOf, signal, []);
    }
  };
}

/** A nightly child that failed; `outOfHeap` when it died at its heap limit. */
export class NightlyChildError extends Error {
  constructor(
    message: string,
    readonly outOfHeap: boolean,
  ) {
    super(message);
    this.name = 'NightlyChildError';
  }
}

/** Runs the day in this process, on its own connections (tests; or a deployment that wants no child). */
export function inProcessRunner(options: { location: string; reportsDir: string; now?: () => Date }): DayRunner {
  return async (asOf): Promise<ProduceResult> => {
    const store = await openStore(options.location);
    try {
      return await produceNightlyReport({ store, asOf, reportsDir: options.reportsDir, now: (options.now?.() ?? new Date()).toISOString() });
    } finally {
      await store.close();
    }
  };
}
