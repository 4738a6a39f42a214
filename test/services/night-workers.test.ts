/**
 * Staged nights and night workers (src/services/night/stage.ts, worker.ts; docs/STORAGE.md):
 * - on both engines: an interrupted night (chunks staged, no apply) is resumed by the next run with the
 *   same plan and stores what an uninterrupted night stores; a night for another day supersedes it; no
 *   staged row outlives an apply;
 * - on PostgreSQL: a night cut into many chunks shared by three `huxin worker night` processes, one of
 *   them killed (SIGKILL) while it holds a claimed chunk: the chunk returns to the pool, the coordinator
 *   takes it, and the night's state equals a one-process night;
 * - on SQLite: `huxin worker night` says the night stays in one process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate as d } from '../../src/domain/date.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { paramsOfStore } from '../../src/services/params.ts';
import { paramsVersionOf } from '../../src/services/recompute.ts';
import { parameterDates } from '../../src/services/night/nextChange.ts';
import { runNight, type NightInput } from '../../src/services/night/run.ts';
import { evaluateClaimedChunk, openNight } from '../../src/services/night/stage.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE, freshLocation, type TestLocation } from '../support/engines.ts';
import { HUXIN_BIN, ROOT, collect } from '../reliability/helpers.ts';

const AS_OF = d('2026-11-27');

let source: TestLocation;
const dropLater: TestLocation[] = [];
const closeLater: Store[] = [];

async function demoCity(): Promise<{ loc: TestLocation; store: Store }> {
  const loc = await freshLocation();
  const store = await openStore(loc.location);
  const from = await openStore(source.location, { readonly: true });
  try {
    await copyDatabase(from, store);
  } finally {
    await from.close();
  }
  dropLater.push(loc);
  closeLater.push(store);
  return { loc, store };
}

async function inputFor(store: Store, asOf = AS_OF): Promise<NightInput> {
  // the parameters a worker process reads for itself (the night is planned with their digest)
  const params = await paramsOfStore(store);
  return { asOf, now: `${asOf}T18:00:00Z`, params, paramsVersion: paramsVersionOf(params), mode: 'full', chunkSize: 1, pollMs: 50 };
}

const open = (store: Store, i: NightInput) =>
  store.snapshot((s) => openNight(store, s, { asOf: i.asOf, paramsVersion: i.paramsVersion, mode: i.mode!, chunkSize: i.chunkSize!, now: i.now }));

/** Every stored version and the day's record: what "the same state" means. */
async function state(store: Store): Promise<unknown[]> {
  return [
    await store.sql.rows('SELECT project_id, fingerprint, valid_from, valid_to, content_hash, risk_score FROM finding_versions ORDER BY project_id, fingerprint, valid_from'),
    await store.sql.rows('SELECT project_id, valid_from, valid_to, content_hash FROM project_outcomes ORDER BY project_id, valid_from'),
    await store.sql.rows('SELECT project_id, evaluated_on, facts_version, params_version, next_change, result_hash FROM project_states ORDER BY project_id'),
    await store.sql.rows('SELECT as_of, county, code, severity, n, amount_fen FROM daily_flag_counts ORDER BY as_of, county, code, severity'),
    await store.sql.rows('SELECT as_of, mode, project_count, evaluated_count, changed_count, finding_count FROM evaluated_days ORDER BY as_of'),
  ];
}

beforeAll(async () => {
  source = await freshLocation('sqlite');
  const seed = await openStore(source.location);
  await loadDemoCity(seed, '2026-11-01T00:00:00Z');
  await seed.close();
}, 120_000);

afterAll(async () => {
  for (const s of closeLater) await s.close().catch(() => {});
  for (const l of dropLater) await l.drop();
  await source?.drop();
});

describe('a staged night', () => {
  it('interrupted after some chunks is resumed with them and stores what an uninterrupted night stores', async () => {
    const { store: a } = await demoCity();
    const { store: b } = await demoCity();
    const input = await inputFor(a);
    const { night } = await open(a, input);
    expect(night.chunkCount).toBeGreaterThan(3);
    // two chunks evaluated and staged, then the process "dies": nothing applied
    const ctx = { night, params: input.params, paramDates: parameterDates(input.params), now: () => input.now, worker: 'before-the-crash' };
    for (const c of (await a.nights.pendingChunks(night.id)).slice(0, 2)) {
      const r = await a.snapshot((s) => evaluateClaimedChunk(s, ctx, c));
      await a.tx((tx) => tx.nights.finishChunk(c, r.done));
    }
    expect(await a.evaluations.latestDay()).toBeNull();

    const resumed = await runNight(a, input);
    expect(resumed.resumed).toBe(true);
    expect(resumed.nightId).toBe(night.id);
    expect(resumed.workers.find((w) => w.worker === 'before-the-crash')?.chunks).toBe(2);
    const whole = await runNight(b, input);
    expect(whole.resumed).toBe(false);
    expect(resumed.evaluatedCount).toBe(whole.evaluatedCount);
    expect(await state(a)).toEqual(await state(b));
    expect(await a.nights.stagedRows()).toBe(0);
  }, 120_000);

  it('left open is superseded by a night of another day, which starts afresh', async () => {
    const { store } = await demoCity();
    const first = await open(store, await inputFor(store));
    const other = await runNight(store, await inputFor(store, d('2026-11-28')));
    expect(other.resumed).toBe(false);
    expect(other.nightId).not.toBe(first.night.id);
    expect((await store.sql.rows<[string]>('SELECT status FROM nights ORDER BY id')).map((r) => r[0])).toEqual(['superseded', 'applied']);
    expect(await store.nights.stagedRows()).toBe(0);
  }, 120_000);
});

/** `huxin worker night …` from the sources (bin/huxin.mjs), its output collected. */
function worker(location: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [HUXIN_BIN, 'worker', 'night', '--db', location, ...args], {
    cwd: ROOT,
    env: { ...process.env, HUXIN_FROM_SOURCE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function lineOf(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (b) => (err += b));
    child.stdout!.on('data', (b) => {
      out += b;
      const m = out.split('\n').find((l) => pattern.test(l));
      if (m) resolve(m);
    });
    child.on('close', (code) => reject(new Error(`worker exited (${code}) before ${pattern}: ${out}${err}`)));
  });
}

describe.runIf(ENGINE === 'postgres')('a night shared by three worker processes on PostgreSQL', () => {
  it('completes when one worker is killed holding a chunk, and stores what one process stores', async () => {
    const { loc, store: shared } = await demoCity();
    const { store: alone } = await demoCity();
    const input = await inputFor(shared);
    // the coordinator plans the night: its chunks wait in night_chunks
    const { night } = await open(shared, input);
    expect(night.chunkCount).toBeGreaterThan(5);

    // worker A claims a chunk and holds it (uncommitted) until it is killed
    const a = worker(loc.location, ['--once'], { HUXIN_WORKER_PAUSE_AFTER_CLAIM: '1' });
    await lineOf(a, /已认领/);
    // B and C work every other chunk and leave when nothing can be claimed
    const bw = worker(loc.location, ['--once']);
    const cw = worker(loc.location, ['--once']);
    const [b, c] = await Promise.all([collect(bw, 120_000), collect(cw, 120_000)]);
    expect(b.code, b.stderr).toBe(0);
    expect(c.code, c.stderr).toBe(0);
    expect(await shared.nights.pendingCount(night.id)).toBe(1);
    const killed = new Promise((resolve) => a.once('close', resolve));
    a.kill('SIGKILL');
    await killed;

    // the coordinator resumes the same night, takes the killed worker's chunk back, and applies
    const summary = await runNight(shared, input);
    expect(summary.resumed).toBe(true);
    expect(summary.nightId).toBe(night.id);
    const byWorker = new Map(summary.workers.map((w) => [w.worker.split(':')[1], w.chunks]));
    expect(byWorker.has(String(a.pid))).toBe(false);
    expect(byWorker.get(String(process.pid))).toBe(1);
    // every other chunk by B and C (which of them took how many is theirs to race for)
    expect((byWorker.get(String(bw.pid)) ?? 0) + (byWorker.get(String(cw.pid)) ?? 0)).toBe(night.chunkCount - 1);

    await runNight(alone, input);
    expect(await state(shared)).toEqual(await state(alone));
    expect(await shared.nights.stagedRows()).toBe(0);
  }, 240_000);
});

describe.runIf(ENGINE === 'sqlite')('huxin worker night on a SQLite file', () => {
  it('says the night stays in one process, and exits 1', async () => {
    const run = await collect(worker(source.location, ['--once']), 60_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PostgreSQL');
  }, 60_000);
});
