/**
 * 夜间评估 — a night: evaluate, as of D, the projects whose outcome can have changed, and keep the results
 * as state (docs/STORAGE.md). Three phases:
 * 1. plan (plan.ts) in one snapshot, and open the night: its chunks written to `night_chunks` (or an
 *    interrupted night with the same plan resumed, stage.ts);
 * 2. evaluate chunk by chunk (chunk.ts), each chunk's results — the differences with the stored state —
 *    staged in `night_results` as the chunk finishes: on SQLite by this process in the plan's snapshot
 *    (shared with a worker thread on a machine of two cores, threads.ts), on PostgreSQL by this process
 *    together with any `huxin worker night` processes, each claiming chunks; memory holds about one chunk
 *    per thread;
 * 3. apply, in ONE transaction: the staged results chunk by chunk, every evaluated project's bookkeeping,
 *    the day's record and counts. A failure anywhere before that commit leaves the previous state whole;
 *    the night is atomic.
 * A past day (before the latest evaluated day) is evaluated whole and spliced into the history instead.
 * Facts read from rows are stored as snapshots on the way (a cache, staged with the chunk).
 */
import type { IsoDate } from '../../domain/date.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import type { ClaimedChunk } from '../../store/repos/nights.ts';
import type { Store } from '../../store/store.ts';
import { parameterDates } from './nextChange.ts';
import { applyNight, openNight, workChunksInOrder, workUntilDone, type ChunkContext } from './stage.ts';
import { defaultNightThreads, threadsFor, workChunksWithThreads, type SharedNight, type ThreadFault } from './threads.ts';

export { chunkInputs, evaluateChunkResults, type ChunkInputs } from './chunk.ts';

export interface NightInput {
  readonly asOf: IsoDate;
  /** ISO instant stamped on the day's record */
  readonly now: string;
  readonly params: RulesParams;
  /** a digest of the effective parameters: a change re-evaluates every project */
  readonly paramsVersion: string;
  /** full: every project (`huxin recompute --full`); default incremental */
  readonly mode?: 'full' | 'incremental';
  /** projects per chunk (a contractor's projects stay together) */
  readonly chunkSize?: number;
  /** what limits the figures (holiday schedules missing …), recorded with the day */
  readonly warnings?: readonly { readonly code: string; readonly message: string }[];
  /** the wall clock for each chunk's done_at (default: `now`) */
  readonly clock?: () => string;
  /** PostgreSQL: how long to wait before looking again for chunks other processes hold (ms) */
  readonly pollMs?: number;
  /**
   * SQLite: threads evaluating the chunks, this one included (threads.ts; default HUXIN_NIGHT_THREADS, else 2
   * on a machine of two cores or more); a night of fewer than THREAD_MIN_CHUNKS pending chunks uses one
   */
  readonly threads?: number;
  /** tests: a worker thread's injected failure (threads.ts) */
  readonly threadFault?: ThreadFault;
  /** SQLite: told before this thread evaluates a chunk (tests hold it there until a worker thread has staged one) */
  readonly onChunk?: (c: ClaimedChunk) => Promise<void> | void;
}

export interface NightSummary {
  readonly asOf: IsoDate;
  readonly mode: 'full' | 'incremental';
  readonly projectCount: number;
  readonly evaluatedCount: number;
  readonly changedCount: number;
  readonly opened: number;
  readonly closed: number;
  readonly problems: readonly { readonly projectId: number; readonly projectCode: string; readonly message: string }[];
  readonly timings: { readonly planMs: number; readonly evaluateMs: number; readonly writeMs: number };
  /** the staged night (nights.id) */
  readonly nightId: number;
  /** an interrupted night with the same plan was resumed: its chunks done before were kept */
  readonly resumed: boolean;
  /** chunks and projects each process evaluated (host:pid, a SQLite night's worker thread host:pid#n; the chunks done before a resume included) */
  readonly workers: readonly { readonly worker: string; readonly chunks: number; readonly projects: number }[];
  /** SQLite: threads that evaluated the chunks (1: this one alone; PostgreSQL: 1) */
  readonly threads: number;
  /** why a worker thread stopped early (this thread then evaluated what it left): the night is complete all the same */
  readonly threadFailures: readonly string[];
}

/** projects per chunk: memory is about one chunk, and 10 projects × 1,440 worker-months keep a night under 400 MB with a capped heap (docs/PERFORMANCE.md "Staged nights") */
export const DEFAULT_NIGHT_CHUNK = 10;

/**
 * The threads a night gets when none are asked for: HUXIN_NIGHT_THREADS, else two on two cores — but one when
 * most of its projects have no snapshot of their current facts (a first night, or the first after an upgrade
 * of the snapshot format): each thread's chunk then holds its projects' rows, the snapshots being written
 * and, on a first night, every finding new, and two such threads do not fit the nightly's memory (the
 * 2,000-project city's first night: 624 MB with two threads, 366–400 MB with one; docs/PERFORMANCE.md).
 */
async function defaultThreadsFor(s: Store, pending: readonly { readonly ids: readonly number[] }[]): Promise<number> {
  const wanted = defaultNightThreads();
  if (wanted <= 1) return wanted;
  const ids = pending.flatMap((c) => c.ids);
  return (await s.facts.withoutCurrentSnapshot(ids)) * 2 > ids.length ? 1 : wanted;
}

/** 夜间评估 — see the file comment. */
export async function runNight(store: Store, input: NightInput): Promise<NightSummary> {
  const t0 = performance.now();
  const { asOf, paramsVersion } = input;
  const options = { asOf, paramsVersion, mode: input.mode ?? 'incremental', chunkSize: input.chunkSize ?? DEFAULT_NIGHT_CHUNK, now: input.now } as const;
  const context = (night: ChunkContext['night']): ChunkContext => ({ night, params: input.params, paramDates: parameterDates(input.params), now: input.clock ?? (() => input.now) });
  let opened!: Awaited<ReturnType<typeof openNight>>;
  let planMs = 0;
  let shared: SharedNight = { threads: 1, failures: [] };
  if (store.engine === 'sqlite') {
    // one process: the plan and this thread's chunks read in one snapshot, each chunk staged as it
    // finishes; with a second core, a worker thread shares the chunks (threads.ts)
    await store.snapshot(async (s) => {
      opened = await openNight(store, s, options);
      planMs = performance.now() - t0;
      const ctx = { ...context(opened.night), ...(input.onChunk ? { onClaim: input.onChunk } : {}) };
      const pending = await store.nights.pendingChunks(opened.night.id);
      const threads = threadsFor(input.threads ?? (await defaultThreadsFor(s, pending)), store.location, pending.length);
      if (threads > 1) {
        const fault = input.threadFault ? { fault: input.threadFault } : {};
        shared = await workChunksWithThreads(store, s, ctx, pending, { threads, params: input.params, now: input.clock ? null : input.now, ...fault });
      } else await workChunksInOrder(store, s, ctx);
    });
  } else {
    opened = await store.snapshot((s) => openNight(store, s, options));
    planMs = performance.now() - t0;
    await workUntilDone(store, context(opened.night), input.pollMs);
  }
  const t1 = performance.now();
  const applied = await applyNight(store, opened.night, { now: input.now, warnings: input.warnings ?? [] });
  const t2 = performance.now();
  const problems = [...applied.problems].sort((a, b) => (a.projectCode < b.projectCode ? -1 : a.projectCode > b.projectCode ? 1 : 0));
  return {
    asOf,
    mode: opened.night.mode,
    projectCount: opened.night.projectCount,
    evaluatedCount: applied.evaluated,
    changedCount: applied.changed,
    opened: applied.opened,
    closed: applied.closed,
    problems,
    timings: { planMs, evaluateMs: t1 - t0 - planMs, writeMs: t2 - t1 },
    nightId: opened.night.id,
    resumed: opened.resumed,
    workers: applied.workers,
    threads: shared.threads,
    threadFailures: shared.failures,
  };
}
