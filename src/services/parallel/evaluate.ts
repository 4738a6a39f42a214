/**
 * 并行评估 — the chunked evaluation (services/chunked.ts) spread over worker threads: a city of thousands
 * of projects is mostly reading rows and running the rules, both CPU-bound, and a bureau's server has more
 * than one core. Each worker thread has its own read-only connection, loads and evaluates one chunk at a
 * time, stages the chunk's findings and assessments in a staging file of its own, and builds its part of
 * the report; the coordinator (this thread) sums the chunk results and the report parts. The stored rows and
 * the report are the same bytes as the single-threaded path (test/services/parallel.test.ts).
 *
 * One snapshot for every thread: the coordinator takes the database's write lock (BEGIN IMMEDIATE on a
 * connection of its own), opens its read transaction and has every worker open theirs, then releases the
 * lock — while it is held no import can commit, so every thread reads the same committed state. The lock
 * is held for the milliseconds the threads need to start reading; an import waiting on it is not refused
 * (busy_timeout).
 *
 * The coordinator waits for its workers synchronously (Atomics.wait on a shared counter the workers bump
 * after each message, then receiveMessageOnPort), so recompute and report stay synchronous functions. A
 * worker that fails posts its error and the run throws; one that stops answering (killed, out of memory)
 * fails the run after HUXIN_WORKER_TIMEOUT_MS (default 10 minutes without a message). Either way the
 * staging files are removed and nothing is written to the database.
 */
import { readdirSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { IsoDate } from '../../domain/date.ts';
import { loadCrossProjectDays, planProjectChunks } from '../../db/facts.ts';
import type { Db } from '../../db/open.ts';
import type { ReportPart } from '../../reports/model.ts';
import { CityAccumulator, DEFAULT_CHUNK_SIZE, discardStagedRows, newStagingRun, type ChunkedEvaluation, type StagedRows } from '../chunked.ts';
import type { CityInputs, FromWorker, ToWorker, WorkerInit } from './protocol.ts';

/**
 * Worker threads for a city evaluation: HUXIN_WORKERS, else one per core up to 4 (0 or 1 = evaluate in
 * the calling thread). Threads pay off on a city of many chunks; a small city is evaluated in the calling
 * thread whatever this says (see shouldRunInParallel).
 */
export const DEFAULT_WORKERS = process.env.HUXIN_WORKERS !== undefined && process.env.HUXIN_WORKERS !== '' ? Number(process.env.HUXIN_WORKERS) : Math.min(availableParallelism(), 4);

const TIMEOUT_MS = Number(process.env.HUXIN_WORKER_TIMEOUT_MS) || 10 * 60 * 1000;

/**
 * A worker thread's entry: the compiled chunkWorker.js next to this file in dist/; from the TypeScript
 * sources (tests, tsx) bootstrap.mjs, which registers tsx's loader inside the thread first.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts') ? new URL('./bootstrap.mjs', import.meta.url) : new URL('./chunkWorker.js', import.meta.url);

/** A worker's young generation: larger than V8's default, so the short-lived rows of a chunk die young (fewer scavenges). */
const YOUNG_GENERATION_MB = Number(process.env.HUXIN_WORKER_YOUNG_MB ?? 96);

/**
 * Whether to use worker threads: at least two of them, a database file (threads cannot share an in-memory
 * database), no transaction open on the connection, and at least two chunks' worth of projects (starting a
 * thread costs a few hundred ms).
 */
export function shouldRunInParallel(db: Db, workers: number, chunkSize: number): boolean {
  if (!(workers >= 2)) return false;
  const name = db.$client.name;
  if (!name || name === ':memory:' || db.$client.memory) return false;
  // inside a caller's transaction the threads could not share its snapshot (nor see its uncommitted rows)
  if (db.$client.inTransaction) return false;
  const { n } = db.$client.prepare('SELECT count(*) AS n FROM projects').get() as { n: number };
  return n >= 2 * chunkSize;
}

export interface ParallelOptions {
  readonly workers: number;
  readonly chunkSize?: number;
}

export interface ParallelRun<R> {
  readonly evaluation: ChunkedEvaluation;
  /** the findings and assessments, in the workers' staging files (commit with withStaged + commitStaged) */
  readonly staged: StagedRows;
  /** the workers' parts of the report (none when `inSnapshot` asked for no report) */
  readonly parts: readonly ReportPart[];
  /** what `inSnapshot` read */
  readonly value: R;
}

/**
 * Removes staging files left beside the database by a process that no longer runs (killed mid-run): their
 * names carry the pid that wrote them.
 */
export function removeStaleStagingFiles(dbPath: string): string[] {
  const prefix = `${basename(dbPath)}-staging-`;
  const removed: string[] = [];
  for (const f of readdirSync(dirname(dbPath))) {
    if (!f.startsWith(prefix)) continue;
    const pid = Number(f.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    try {
      unlinkSync(join(dirname(dbPath), f));
      removed.push(f);
    } catch {
      /* removed meanwhile */
    }
  }
  return removed;
}

/** removeStaleStagingFiles for a connection's database file (nothing for an in-memory database). */
export function sweepStaleStaging(db: Db): void {
  const name = db.$client.name;
  if (name && name !== ':memory:' && !db.$client.memory) removeStaleStagingFiles(name);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Thread {
  readonly worker: Worker;
  readonly port: MessagePort;
}

/**
 * Evaluates the city in worker threads. `inSnapshot` runs in this thread inside the shared snapshot (its read
 * transaction) and returns what the workers need for the report (null: no report) and a value of its own
 * (e.g. the report's enforcement sections, read in the same snapshot).
 */
export function evaluateCityInParallel<R>(
  db: Db,
  asOf: IsoDate,
  options: ParallelOptions,
  inSnapshot: () => { readonly report: CityInputs['report']; readonly value: R },
): ParallelRun<R> {
  const sqlite = db.$client;
  const dbPath = sqlite.name;
  const run = newStagingRun();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const staged: StagedRows = { run, asOf, findingCount: 0, projectCount: 0, files: [] };
  const threads: Thread[] = [];
  let reading = false;
  try {
    for (let i = 0; i < options.workers; i++) {
      const stagingPath = `${dbPath}-staging-${process.pid}-${run}-${i}`;
      staged.files.push(stagingPath);
      const { port1, port2 } = new MessageChannel();
      const init: WorkerInit = { port: port2, signal, dbPath, asOf, run, stagingPath };
      const worker = new Worker(WORKER_ENTRY, {
        workerData: init,
        transferList: [port2],
        execArgv: [],
        ...(YOUNG_GENERATION_MB > 0 ? { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } } : {}),
      });
      worker.unref();
      threads.push({ worker, port: port1 });
    }
    const next = waiter(signal, threads);
    const expect = <T extends FromWorker['type']>(type: T): Extract<FromWorker, { type: T }>[] => {
      const got: Extract<FromWorker, { type: T }>[] = [];
      while (got.length < threads.length) {
        const { message } = next();
        if (message.type !== type) throw new Error(`worker thread: expected ${type}, got ${message.type}`);
        got.push(message as Extract<FromWorker, { type: T }>);
      }
      return got;
    };
    const send = (t: Thread, m: ToWorker) => t.port.postMessage(m);
    expect('up');

    // one snapshot for every thread (see the file comment)
    const lock = new Database(dbPath);
    try {
      lock.pragma('busy_timeout = 10000');
      lock.exec('BEGIN IMMEDIATE');
      sqlite.exec('BEGIN');
      reading = true;
      sqlite.prepare('SELECT count(*) FROM projects').get();
      for (const t of threads) send(t, { type: 'begin' });
      expect('ready');
    } finally {
      if (lock.inTransaction) lock.exec('ROLLBACK');
      lock.close();
    }

    const chunks = planProjectChunks(db, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    let dispatched = 0;
    const dispatch = (t: Thread) => {
      if (dispatched >= chunks.length) return;
      send(t, { type: 'chunk', index: dispatched, ids: chunks[dispatched]! });
      dispatched++;
    };
    // the first chunks are loaded while this thread reads the city-wide inputs
    for (const t of threads) dispatch(t);
    const t0 = performance.now();
    const crossProjectDays = loadCrossProjectDays(db, asOf);
    const acc = new CityAccumulator(asOf);
    acc.timings.crossMs = performance.now() - t0;
    const { report, value } = inSnapshot();
    for (const t of threads) send(t, { type: 'inputs', inputs: { crossProjectDays, report } });

    let done = 0;
    while (done < chunks.length) {
      const { thread, message } = next();
      if (message.type !== 'chunk') throw new Error(`worker thread: expected chunk, got ${message.type}`);
      acc.add(message.result);
      done++;
      dispatch(thread);
    }
    for (const t of threads) send(t, { type: 'finish' });
    const parts: ReportPart[] = [];
    for (const f of expect('finished')) {
      staged.findingCount += f.findingCount;
      staged.projectCount += f.projectCount;
      if (f.part) parts.push(f.part);
    }
    sqlite.exec('COMMIT');
    reading = false;
    return { evaluation: acc.finish(), staged, parts, value };
  } catch (e) {
    discardStagedRows(db, staged);
    throw e;
  } finally {
    if (reading && sqlite.inTransaction) sqlite.exec('ROLLBACK');
    for (const t of threads) {
      t.port.close();
      void t.worker.terminate();
    }
  }
}

/** Waits (blocking this thread) for the next message of any worker. */
function waiter(signal: Int32Array, threads: readonly Thread[]): () => { thread: Thread; message: FromWorker } {
  return () => {
    const deadline = performance.now() + TIMEOUT_MS;
    for (;;) {
      const seen = Atomics.load(signal, 0);
      for (const thread of threads) {
        const got = receiveMessageOnPort(thread.port);
        if (got) {
          const message = got.message as FromWorker;
          if (message.type === 'error') throw new Error(`worker thread failed: ${message.message}`);
          return { thread, message };
        }
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`worker thread: no answer for ${Math.round(TIMEOUT_MS / 1000)} s`);
      Atomics.wait(signal, 0, seen, Math.min(left, 1000));
    }
  };
}
