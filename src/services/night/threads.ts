/**
 * 评估线程 — a SQLite night's chunks shared between this thread and worker threads (docs/STORAGE.md
 * "Staged nights"). Evaluating a chunk is CPU-bound JavaScript (the rules core, ~25 ms a project); one
 * process uses one core, and a bureau's server has two or more. On PostgreSQL other processes share a
 * night (`huxin worker night`); on SQLite the night's own process starts a worker thread per extra core it
 * is given (default: one, on a machine of two cores or more).
 *
 * Each worker thread opens its own Store on the same file, reads in a snapshot of its own and stages each
 * chunk it evaluates in a small write transaction of its own, exactly as the main thread does
 * (workChunksInOrder); SQLite's busy timeout serialises the writers, whose transactions last milliseconds.
 * Chunks read in different snapshots are already allowed for (stage.ts: a project is stored with the facts
 * version its plan saw).
 *
 * Who evaluates which chunk: the pending chunks are handed out one at a time from a counter in shared
 * memory (Atomics.add), so every chunk is taken exactly once, by whichever thread is free — a worker that
 * takes a few hundred ms to start, or draws the heavy chunks, leaves more to the main thread, where a fixed
 * split (odd chunks to the worker) would keep the main thread waiting. A worker thread that fails (throws,
 * exits, runs out of heap) leaves the chunk it held pending — its transaction rolled back or never begun —
 * and the main thread, once the workers have ended, evaluates whatever is still pending itself. The night
 * then completes as with one thread; the failure is reported in the night's summary.
 *
 * The stored state is the same whatever the number of threads (test/services/night-threads.test.ts).
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { dated, type DatedValue } from '../../rules/params/dated.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import type { ClaimedChunk, OpenNight } from '../../store/repos/nights.ts';
import type { Store } from '../../store/store.ts';
import { workChunksInOrder, type ChunkContext } from './stage.ts';

/** Below this many pending chunks a night stays in one thread: starting a worker costs ~0.3–1 s (loading the program), a few chunks' work. */
export const THREAD_MIN_CHUNKS = 8;

/** A test's injected failure of a worker thread, after it staged `afterChunks` chunks: `throw` as it takes the next one, `exit` (the thread ends) inside the next one's write transaction. */
export interface ThreadFault {
  readonly afterChunks: number;
  readonly how: 'throw' | 'exit';
}

/** HUXIN_NIGHT_THREADS, else 2 on a machine of two cores or more, else 1 (an unreadable value: the default). */
export function defaultNightThreads(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.HUXIN_NIGHT_THREADS?.trim();
  if (text) {
    const n = Number(text);
    if (Number.isInteger(n) && n >= 1) return n;
  }
  return availableParallelism() >= 2 ? 2 : 1;
}

/** Threads for a night: one unless asked for more, the database is a file (threads cannot share an in-memory one) and enough chunks are pending. */
export function threadsFor(requested: number, location: string, pending: number): number {
  if (!(requested > 1) || pending < THREAD_MIN_CHUNKS) return 1;
  if (location === '' || location === ':memory:' || location.startsWith('file::memory:')) return 1;
  return Math.min(Math.floor(requested), pending);
}

/**
 * A worker thread's old-generation budget when the process has none (`huxin recompute` by hand): the nightly
 * child's (jobs/runners.ts NIGHT_HEAP_MB). Without one V8 lets the thread's garbage grow toward its default
 * limit (a quarter of the machine's memory): measured on the 300-project pay-day night, 2 threads unbounded
 * peak at 700–880 MB against 420–510 MB for one. A chunk that does not fit ends the worker (out of heap),
 * not the night: its chunk is left pending and the main thread, unbounded, evaluates it.
 */
export const THREAD_HEAP_MB = 256;

/**
 * A worker thread's young generation, in MB (V8's default for 16 MB semi-spaces): set, because V8's flags are
 * the process's — the nightly child's 32 MB semi-spaces (jobs/runners.ts) would otherwise be the thread's
 * too. Measured on the 2,000-project city's pay-day night as the nightly runs it: both threads at 32 MB
 * semi-spaces 28.8–30.9 s within 495–504 MB; the worker thread at 48 MB 27.1–27.5 s within 483–486 MB.
 */
export const THREAD_YOUNG_MB = 48;

/**
 * This process's old-generation budget in MB when one is set (`--max-old-space-size`, the nightly child's
 * NIGHT_HEAP_MB): a worker thread gets the same, so its garbage is collected as the main thread's is.
 * Undefined when none is set.
 */
export function heapBudgetMb(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): number | undefined {
  let budget: number | undefined;
  for (const flag of [...nodeOptions.split(/\s+/), ...execArgv]) {
    const m = /^--max[-_]old[-_]space[-_]size=(\d+)$/.exec(flag);
    if (m) budget = Number(m[1]);
  }
  return budget;
}

/** A Dated parameter as it crosses to a thread: its values (a function does not survive structured cloning). */
interface DatedData {
  readonly dated: string;
  readonly values: readonly DatedValue<unknown>[];
}

const isDated = (v: unknown): v is { name: string; values: readonly DatedValue<unknown>[]; at: unknown } =>
  typeof v === 'object' && v !== null && typeof (v as { at?: unknown }).at === 'function' && Array.isArray((v as { values?: unknown }).values);

/** The digest a thread checks its rebuilt parameters against (the same JSON recompute.ts's paramsVersionOf digests). */
export const paramsDigest = (p: RulesParams): string => createHash('sha1').update(JSON.stringify(p)).digest('base64url');

/** RulesParams as data a worker thread can receive: each Dated parameter as its name and values. */
export function paramsForThread(p: RulesParams): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, isDated(v) ? ({ dated: v.name, values: v.values } satisfies DatedData) : v]));
}

/** The parameters rebuilt in a worker thread (the rules' own `dated`), checked against the sender's digest. */
export function paramsFromThread(data: Record<string, unknown>, digest: string): RulesParams {
  const p = Object.fromEntries(
    Object.entries(data).map(([k, v]) => {
      const d = v as Partial<DatedData> | null;
      return [k, d && typeof d === 'object' && typeof d.dated === 'string' && Array.isArray(d.values) ? dated(d.dated, d.values) : v];
    }),
  ) as unknown as RulesParams;
  if (paramsDigest(p) !== digest) throw new Error('评估线程收到的参数与主线程不一致');
  return p;
}

/** What a worker thread is started with (workerData). */
export interface ThreadData {
  readonly location: string;
  /** the thread's number (1…): its chunks' `worker` is host:pid#n */
  readonly index: number;
  readonly night: OpenNight;
  readonly params: Record<string, unknown>;
  readonly paramsDigest: string;
  readonly paramDates: readonly string[];
  /** done_at: this instant, or null for the wall clock (the night was given a clock) */
  readonly now: string | null;
  /** the pending chunks, in order, and the counter in shared memory that hands them out */
  readonly pending: readonly ClaimedChunk[];
  readonly counter: SharedArrayBuffer;
  readonly fault?: ThreadFault;
}

/** What a worker thread says when it ends. */
export type ThreadMessage = { readonly type: 'done'; readonly chunks: number } | { readonly type: 'error'; readonly message: string };

/** The worker's entry: compiled JavaScript beside this file in dist/; from the TypeScript sources (tsx, vitest) a bootstrap that loads them through tsx. */
function threadEntry(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./threadBootstrap.mjs', import.meta.url) : new URL('./nightThread.js', import.meta.url);
}

export interface SharedNight {
  /** threads that evaluated (this one included) */
  readonly threads: number;
  /** why a worker thread stopped before the chunks ran out (its chunks were evaluated by this thread) */
  readonly failures: readonly string[];
}

/**
 * Evaluates the night's `pending` chunks in this thread (reading in `s`) and `threads − 1` worker threads,
 * each chunk taken once; then, every worker ended, whatever a failed worker left pending, here.
 */
export async function workChunksWithThreads(
  store: Store,
  s: Store,
  ctx: ChunkContext,
  pending: readonly ClaimedChunk[],
  o: { readonly threads: number; readonly params: RulesParams; readonly now: string | null; readonly fault?: ThreadFault },
): Promise<SharedNight> {
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const take = () => pending[Atomics.add(next, 0, 1)];
  const params = paramsForThread(o.params);
  const digest = paramsDigest(o.params);
  const heapMb = heapBudgetMb() ?? THREAD_HEAP_MB;
  const workers = Array.from({ length: o.threads - 1 }, (_, i) => {
    const data: ThreadData = {
      location: store.location,
      index: i + 1,
      night: ctx.night,
      params,
      paramsDigest: digest,
      paramDates: ctx.paramDates,
      now: o.now,
      pending,
      counter,
      ...(o.fault ? { fault: o.fault } : {}),
    };
    // execArgv []: not the parent's loader flags (tsx's, vitest's); the bootstrap registers tsx itself
    const worker = new Worker(threadEntry(), { workerData: data, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: THREAD_YOUNG_MB } });
    const ended = new Promise<string | null>((resolve) => {
      // null: it said it is done; a string: why it stopped
      let said: string | null | undefined;
      const name = `评估线程 #${i + 1}`;
      worker.on('message', (m: ThreadMessage) => (said ??= m.type === 'done' ? null : `${name}出错：${m.message}`));
      worker.on('error', (e) => (said ??= `${name}出错：${e instanceof Error ? e.message : String(e)}`));
      worker.on('exit', (code) => resolve(said !== undefined ? said : `${name}意外退出（退出码 ${code}）`));
    });
    return { worker, ended };
  });
  try {
    await workChunksInOrder(store, s, ctx, take);
  } catch (e) {
    // this thread failed: the night fails; the workers are stopped (a transaction in hand rolls back with its connection)
    await Promise.all(workers.map((w) => w.worker.terminate()));
    throw e;
  }
  const failures = (await Promise.all(workers.map((w) => w.ended))).filter((f): f is string => f !== null);
  // a failed worker's chunk in hand is still pending: evaluated here (finishChunk refuses a chunk already done)
  if (failures.length > 0) await workChunksInOrder(store, s, ctx);
  return { threads: o.threads, failures };
}
