/**
 * A SQLite night evaluated by two threads (src/services/night/threads.ts, docs/STORAGE.md "Staged nights"):
 * a generated city (a real SQLite file) gets its first night and a pay-day night with one thread and with
 * two, and every stored table is the same row for row; a worker thread that fails — throwing as it takes a
 * chunk, or ending with its chunk's write transaction open — leaves its chunk pending, the main thread
 * evaluates it and the night is complete and the same. The parameters reach the thread rebuilt (their
 * Dated values carry a function, which structured cloning refuses). On PostgreSQL the option changes
 * nothing: the night is shared by processes there.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCityDb } from '../../scripts/city-generator.ts';
import { isoDate as d, type IsoDate } from '../../src/domain/date.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { paramsVersionOf } from '../../src/services/recompute.ts';
import { runNight, type NightInput, type NightSummary } from '../../src/services/night/run.ts';
import { WORKER_ID } from '../../src/services/night/stage.ts';
import { defaultNightThreads, heapBudgetMb, paramsDigest, paramsForThread, paramsFromThread, threadsFor, THREAD_MIN_CHUNKS } from '../../src/services/night/threads.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE } from '../support/engines.ts';
import { onTestEngine } from '../support/toEngine.ts';

const FIRST = d('2026-12-02');
/** the generated city's pay day: every project's outcome changes */
const EVENT = d('2026-12-10');
/** 80 projects of 11 general contractors; a chunk holds a contractor's projects, so chunks of 1 make 11 chunks, over THREAD_MIN_CHUNKS */
const PROJECTS = 80;
const CHUNK = 1;

const dir = mkdtempSync(join(tmpdir(), 'huxin-threads-'));
const base = join(dir, 'city.db');
let copies = 0;

beforeAll(() => {
  generateCityDb(base, PROJECTS, 20, 4);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the generated city (a file of its own on SQLite, a database of its own on PostgreSQL). */
async function city(): Promise<{ store: Store; drop: () => Promise<void> }> {
  const file = join(dir, `copy-${++copies}.db`);
  copyFileSync(base, file);
  const copy = await onTestEngine(file);
  const store = await openStore(copy.location);
  return { store, drop: async () => (await store.close(), await copy.drop()) };
}

/**
 * Holds the main thread at its first chunk until a worker thread has staged one: the chunks go to whichever
 * thread is free, and the main thread would otherwise finish a small city before the worker has loaded.
 */
function waitForThread(store: Store): NightInput['onChunk'] {
  let waited = false;
  return async (c) => {
    if (waited) return;
    waited = true;
    for (const t0 = Date.now(); ; ) {
      const r = await store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM night_chunks WHERE night_id = ? AND status = 'done' AND worker LIKE '%#1'`, [c.nightId]);
      if (r!.n > 0) return;
      if (Date.now() - t0 > 30_000) throw new Error('no chunk staged by the worker thread in 30 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
}

const night = (store: Store, asOf: IsoDate, mode: 'full' | 'incremental', extra: Partial<NightInput> = {}): Promise<NightSummary> =>
  runNight(store, { asOf, now: `${asOf}T18:00:00Z`, params: DEFAULT_PARAMS, paramsVersion: paramsVersionOf(DEFAULT_PARAMS), mode, chunkSize: CHUNK, ...extra });

/** Every table but the nights' own log (its chunks name the thread that did them): what "the same state" means. */
async function everything(store: Store): Promise<Record<string, unknown[]>> {
  const tables = (await store.sql.rows<[string]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)).map((r) => r[0]);
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    if (t === 'nights' || t === 'night_chunks') continue;
    // rowid too: ids given by the apply (chunk after chunk, in order) must not depend on who evaluated which chunk
    out[t] = await store.sql.rows(`SELECT rowid, * FROM "${t}" ORDER BY rowid`);
  }
  return out;
}

describe.runIf(ENGINE === 'sqlite')('a SQLite night shared by two threads', () => {
  let alone: Record<string, unknown[]>;
  let summaries: NightSummary[];
  beforeAll(async () => {
    const { store, drop } = await city();
    try {
      summaries = [await night(store, FIRST, 'full', { threads: 1 }), await night(store, EVENT, 'incremental', { threads: 1 })];
      alone = await everything(store);
    } finally {
      await drop();
    }
  }, 120_000);

  it('one thread: the night says so', () => {
    expect(summaries.map((s) => [s.threads, s.workers.map((w) => w.worker)])).toEqual([
      [1, [WORKER_ID]],
      [1, [WORKER_ID]],
    ]);
    // the city's nights do change things (else "the same state" would prove little)
    expect(summaries[0]!.opened).toBeGreaterThan(20);
    expect(summaries[1]!.evaluatedCount).toBe(PROJECTS);
    for (const s of summaries) expect(s.workers[0]!.chunks).toBeGreaterThanOrEqual(THREAD_MIN_CHUNKS);
    expect(summaries[1]!.opened + summaries[1]!.closed).toBeGreaterThan(0);
    expect(alone.ledger_months!.length).toBeGreaterThan(PROJECTS);
  });

  it('two threads store the same state, row for row, both threads having evaluated chunks', async () => {
    const { store, drop } = await city();
    try {
      for (const [asOf, mode] of [
        [FIRST, 'full'],
        [EVENT, 'incremental'],
      ] as const) {
        const s = await night(store, asOf, mode, { threads: 2, onChunk: waitForThread(store) });
        expect(s.threads).toBe(2);
        expect(s.threadFailures).toEqual([]);
        const by = new Map(s.workers.map((w) => [w.worker, w]));
        expect([...by.keys()].sort()).toEqual([WORKER_ID, `${WORKER_ID}#1`]);
        expect(by.get(WORKER_ID)!.projects + by.get(`${WORKER_ID}#1`)!.projects).toBe(PROJECTS);
        expect(s.evaluatedCount).toBe(PROJECTS);
      }
      expect(await everything(store)).toEqual(alone);
    } finally {
      await drop();
    }
  }, 120_000);

  for (const how of ['throw', 'exit'] as const) {
    it(`a worker thread that fails (${how === 'throw' ? 'throws as it takes its second chunk' : 'ends inside its second chunk’s write transaction'}) leaves that chunk to the main thread: the night completes, the same`, async () => {
      const { store, drop } = await city();
      try {
        for (const [asOf, mode] of [
          [FIRST, 'full'],
          [EVENT, 'incremental'],
        ] as const) {
          const s = await night(store, asOf, mode, { threads: 2, onChunk: waitForThread(store), threadFault: { afterChunks: 1, how } });
          expect(s.threadFailures).toHaveLength(1);
          expect(s.threadFailures[0]).toMatch(how === 'throw' ? /评估线程 #1出错：注入的故障/ : /评估线程 #1意外退出（退出码 3）/);
          // the worker's first chunk is kept; the one it failed on was evaluated by the main thread
          expect(s.workers.find((w) => w.worker === `${WORKER_ID}#1`)!.chunks).toBe(1);
          expect(s.evaluatedCount).toBe(PROJECTS);
          expect(s.workers.reduce((n, w) => n + w.projects, 0)).toBe(PROJECTS);
        }
        expect(await everything(store)).toEqual(alone);
      } finally {
        await drop();
      }
    }, 120_000);
  }

  it('the main thread failing stops the worker and fails the night; the next run resumes it with the chunks both staged and stores the same', async () => {
    const { store, drop } = await city();
    try {
      const wait = waitForThread(store)!;
      let calls = 0;
      const failing: NightInput['onChunk'] = async (c) => {
        await wait(c);
        if (++calls === 2) throw new Error('the main thread fails');
      };
      await expect(night(store, FIRST, 'full', { threads: 2, onChunk: failing })).rejects.toThrow('the main thread fails');
      const left = await store.sql.get<{ done: number; pending: number }>(
        `SELECT SUM(status = 'done') AS done, SUM(status = 'pending') AS pending FROM night_chunks WHERE night_id = (SELECT id FROM nights WHERE status = 'open')`,
      );
      expect(left!.done).toBeGreaterThanOrEqual(2);
      expect(left!.pending).toBeGreaterThan(0);
      const resumed = await night(store, FIRST, 'full', { threads: 2 });
      expect(resumed.resumed).toBe(true);
      expect(resumed.evaluatedCount).toBe(PROJECTS);
      await night(store, EVENT, 'incremental', { threads: 2 });
      expect(await everything(store)).toEqual(alone);
    } finally {
      await drop();
    }
  }, 120_000);

  it('a night of few chunks, or an in-memory database, stays in one thread', async () => {
    expect(threadsFor(2, '/x/huxin.db', THREAD_MIN_CHUNKS - 1)).toBe(1);
    expect(threadsFor(2, '/x/huxin.db', THREAD_MIN_CHUNKS)).toBe(2);
    expect(threadsFor(2, ':memory:', 100)).toBe(1);
    expect(threadsFor(1, '/x/huxin.db', 100)).toBe(1);
    const { store, drop } = await city();
    try {
      const s = await runNight(store, { asOf: FIRST, now: `${FIRST}T18:00:00Z`, params: DEFAULT_PARAMS, paramsVersion: 'test', mode: 'full', chunkSize: 30, threads: 2 });
      expect(s.threads).toBe(1);
      expect(s.workers.map((w) => w.worker)).toEqual([WORKER_ID]);
    } finally {
      await drop();
    }
  });

  it('unasked, a night that reads most facts from the rows (a first night) takes one thread, the next night two', async () => {
    const saved = process.env.HUXIN_NIGHT_THREADS;
    process.env.HUXIN_NIGHT_THREADS = '2';
    const { store, drop } = await city();
    try {
      const first = await night(store, FIRST, 'full', { threads: undefined });
      expect(first.threads).toBe(1);
      // its snapshots written, the pay-day night reads them: two threads
      const next = await night(store, EVENT, 'incremental', { threads: undefined, onChunk: waitForThread(store) });
      expect(next.threads).toBe(2);
      expect(next.evaluatedCount).toBe(PROJECTS);
    } finally {
      if (saved === undefined) delete process.env.HUXIN_NIGHT_THREADS;
      else process.env.HUXIN_NIGHT_THREADS = saved;
      await drop();
    }
  }, 120_000);
});

describe('what a night thread is given', () => {
  it('the parameters, rebuilt on the other side of structured cloning, are the same set', () => {
    // a Dated parameter carries its `at` function: the set itself cannot be posted to a thread
    expect(() => structuredClone(DEFAULT_PARAMS)).toThrow();
    const rebuilt = paramsFromThread(structuredClone(paramsForThread(DEFAULT_PARAMS)), paramsDigest(DEFAULT_PARAMS));
    expect(paramsVersionOf(rebuilt)).toBe(paramsVersionOf(DEFAULT_PARAMS));
    for (const day of [d('2020-01-01'), d('2026-12-10')]) expect(rebuilt.monthlyMinimumWage.at(day)).toEqual(DEFAULT_PARAMS.monthlyMinimumWage.at(day));
    expect(rebuilt.holidays).toEqual(DEFAULT_PARAMS.holidays);
    // altered on the way: refused, not used
    const altered = paramsForThread(DEFAULT_PARAMS);
    expect(() => paramsFromThread({ ...altered, holidays: [] }, paramsDigest(DEFAULT_PARAMS))).toThrow(/参数与主线程不一致/);
  });

  it('threads: HUXIN_NIGHT_THREADS, else 2 on two cores or more; heap: the process’s --max-old-space-size', () => {
    expect(defaultNightThreads({ HUXIN_NIGHT_THREADS: '1' })).toBe(1);
    expect(defaultNightThreads({ HUXIN_NIGHT_THREADS: '3' })).toBe(3);
    expect([1, 2]).toContain(defaultNightThreads({ HUXIN_NIGHT_THREADS: 'many' }));
    expect(heapBudgetMb(['--max-old-space-size=256'], '')).toBe(256);
    expect(heapBudgetMb([], '--max_old_space_size=300 --enable-source-maps')).toBe(300);
    expect(heapBudgetMb(['--enable-source-maps'], '')).toBeUndefined();
  });
});

describe.runIf(ENGINE === 'postgres')('on PostgreSQL', () => {
  it('the threads option changes nothing: processes share the night there', async () => {
    const { store, drop } = await city();
    try {
      const s = await night(store, FIRST, 'full', { threads: 2 });
      expect(s.threads).toBe(1);
      expect(s.threadFailures).toEqual([]);
      expect(s.workers.map((w) => w.worker)).toEqual([WORKER_ID]);
      expect(s.evaluatedCount).toBe(PROJECTS);
    } finally {
      await drop();
    }
  });
});
