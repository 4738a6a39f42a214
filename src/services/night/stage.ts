/**
 * 分块暂存 — a night staged chunk by chunk (docs/STORAGE.md "Staged nights"): the plan's chunks are written
 * to `night_chunks`; each chunk, as it finishes, writes its encoded results to `night_results`; when every
 * chunk is done one transaction applies them to the state, one chunk at a time, and records the day. So a
 * night holds about one chunk in memory, whatever the city's size, and still commits atomically: a crash
 * before the apply leaves the state as it was.
 *
 * Who evaluates a chunk: on SQLite the night's own process, chunk after chunk in one snapshot (run.ts),
 * sharing them with a worker thread that reads in a snapshot of its own when the machine has a second core
 * (threads.ts); on PostgreSQL any number of processes — the coordinating `huxin recompute`/nightly and
 * `huxin worker night` processes (worker.ts) — each claiming one chunk at a time with `FOR UPDATE SKIP
 * LOCKED` in the transaction that writes the chunk's results and marks it done (workOneChunk). A killed worker's transaction rolls
 * back, its lock goes with its connection and the chunk is claimed by another.
 *
 * An interrupted night (its process killed before the apply) is resumed by the next run for the same day
 * when a fresh plan would be the same one (the plan key: every project's facts version and state
 * bookkeeping, the last applied night, the options): its done chunks are kept. Otherwise it is superseded
 * and the night starts again.
 *
 * Chunks evaluated by different processes read different snapshots (each chunk reads one). A project whose
 * facts changed after the plan is stored with the version the plan saw, never the newer one it may have
 * read: the next night then sees it changed and evaluates it again together with its couplings (the
 * projects sharing its workers), so nothing read across chunks at different moments outlives one night.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { IsoDate } from '../../domain/date.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import { deltaOf, digestsOfResult, unchangedDeltaOf, type ApplySummary, type Digests, type ProjectDelta, type ProjectResult } from '../../store/repos/evaluations.ts';
import { NightGoneError, type ClaimedChunk, type ChunkDone, type NightProblem, type OpenNight } from '../../store/repos/nights.ts';
import { storageFailureOf } from '../../store/sql.ts';
import type { Store } from '../../store/store.ts';
import type { BlacklistEntry, ProjectFacts } from '../../rules/facts.ts';
import { planNight, type NightPlan } from './plan.ts';
import { chunkInputs, evaluateChunkResults } from './chunk.ts';

/** This process, as a chunk's `worker` names it. */
export const WORKER_ID = `${hostname()}:${process.pid}`;

/** What a process needs to evaluate a night's chunks. */
export interface ChunkContext {
  readonly night: OpenNight;
  readonly params: RulesParams;
  readonly paramDates: readonly string[];
  /** stamps the chunk's done_at */
  readonly now: () => string;
  readonly worker?: string;
  /** told when a chunk is claimed, before it is evaluated (the worker's log; the kill test holds here) */
  readonly onClaim?: (c: ClaimedChunk) => Promise<void> | void;
  /** told inside the chunk's write transaction, its results written, before it commits (a test's injected thread failure, threads.ts) */
  readonly beforeCommit?: (c: ClaimedChunk) => Promise<void> | void;
}

/**
 * Plans the night of `asOf` in `s` (a snapshot) and opens it in `store`: the open night with the same plan
 * key is resumed (its done chunks kept), any other open night is superseded.
 */
export async function openNight(
  store: Store,
  s: Store,
  o: { asOf: IsoDate; paramsVersion: string; mode: 'full' | 'incremental'; chunkSize: number; now: string },
): Promise<{ plan: NightPlan; night: OpenNight; resumed: boolean }> {
  const plan = await planNight(s, o);
  const lastApplied = await s.nights.lastApplied();
  const planKey = `${lastApplied}.${plan.key}`;
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.tx(async (tx) => {
        // a night applied since the plan's snapshot moved the state the plan read
        if ((await tx.nights.lastApplied()) !== lastApplied) throw new Error('另一次夜间评估刚刚写入，本次计划已过时：请重新运行');
        const open = await tx.nights.open();
        if (open && open.planKey === planKey) return { plan, night: open, resumed: true };
        if (open) await tx.nights.supersede(open.id);
        const night = await tx.nights.create({
          asOf: o.asOf,
          mode: plan.mode,
          past: plan.past,
          paramsVersion: o.paramsVersion,
          planKey,
          projectCount: plan.projectCount,
          removed: plan.removed,
          plannedAt: o.now,
          chunks: plan.chunks.map((ids, i) => ({ ids, versions: plan.versions[i]! })),
        });
        return { plan, night, resumed: false };
      });
    } catch (e) {
      // two coordinators opening a night at once: the one-open-night index refused the second; look again
      if (attempt < 3 && storageFailureOf(e) === 'unique') continue;
      throw e;
    }
  }
}

/**
 * A chunk's results as staged: JSON, gzipped (fastest level) and base64 in a text column. The JSON repeats
 * its keys and evidence shapes; compressed, a first night's staging — every finding a difference — is a
 * fraction of its size, and so is what the database file keeps as free pages once the apply deletes it.
 */
export function encodeStaged(staged: readonly (ProjectDelta | ProjectResult)[]): string {
  return gzipSync(JSON.stringify(staged), { level: 1 }).toString('base64');
}

/**
 * Read back once by the apply, written by encodeStaged in this night (same program, same plan): parsed, not
 * schema-checked (a check of every finding's evidence would cost more than applying it).
 */
export function decodeStaged(text: string): (ProjectDelta | ProjectResult)[] {
  const staged = JSON.parse(gunzipSync(Buffer.from(text, 'base64')).toString('utf8')) as unknown;
  if (!Array.isArray(staged)) throw new Error('夜间评估暂存的结果格式不符');
  return staged as (ProjectDelta | ProjectResult)[];
}

/**
 * One chunk evaluated in the snapshot `s`: the rules core over its facts, each result as it will be
 * applied (the difference with the current state; a past day's whole result), and the facts read from
 * rows, to keep as snapshots.
 */
export async function evaluateClaimedChunk(
  s: Store,
  ctx: ChunkContext,
  c: ClaimedChunk,
  blacklist?: readonly BlacklistEntry[],
): Promise<{ done: ChunkDone; snapshots: { facts: ProjectFacts; version: number }[] }> {
  const { night } = ctx;
  const asOf = night.asOf as IsoDate;
  const inputs = await chunkInputs(s, c.ids, asOf, blacklist ?? (await s.facts.blacklist()));
  const planned = new Map(c.ids.map((id, i) => [id, c.plannedVersions[i]!]));
  // facts changed since the plan: keep the planned version, so the next night evaluates the project (and its couplings) again
  const asPlanned = (r: ProjectResult): ProjectResult => {
    const p = planned.get(r.projectId);
    return p !== undefined && p < r.factsVersion ? { ...r, factsVersion: p } : r;
  };
  let staged: (ProjectDelta | ProjectResult)[];
  let problems: NightProblem[];
  if (night.past) {
    ({ results: staged, problems } = evaluateChunkResults(inputs, asOf, ctx.params, night.paramsVersion, ctx.paramDates, asPlanned));
  } else {
    // each result compared with the stored digest as soon as it is made: an unchanged project (most of a
    // full night's, and of an event night's most of their findings) leaves only its small delta behind
    const stored = await s.evaluations.resultHashes(c.ids);
    type Kept = { readonly result: ProjectResult; readonly digests: Digests } | ProjectDelta;
    const evaluated = evaluateChunkResults<Kept>(inputs, asOf, ctx.params, night.paramsVersion, ctx.paramDates, (made) => {
      const result = asPlanned(made);
      const digests = digestsOfResult(result);
      return stored.get(result.projectId) === digests.resultHash ? unchangedDeltaOf(asOf, result) : { result, digests };
    });
    problems = evaluated.problems;
    const changed = evaluated.results.flatMap((k) => ('result' in k ? [k] : []));
    const current = changed.length > 0 ? await s.evaluations.currentOf(changed.map((k) => k.result.projectId)) : new Map();
    staged = evaluated.results.map((k) => ('result' in k ? deltaOf(asOf, k.result, current.get(k.result.projectId), k.digests) : k));
  }
  const byId = new Map(inputs.projects.map((f) => [f.id, f]));
  const snapshots = inputs.fromRows.flatMap((r) => {
    const facts = byId.get(r.projectId);
    return facts ? [{ facts, version: r.version }] : [];
  });
  return {
    done: { worker: ctx.worker ?? WORKER_ID, doneAt: ctx.now(), evaluated: staged.length, problems, results: encodeStaged(staged) },
    snapshots,
  };
}

/** Stages an evaluated chunk: its results, its done mark and the fact snapshots read on the way, in `tx`. */
async function stage(tx: Store, c: ClaimedChunk, r: Awaited<ReturnType<typeof evaluateClaimedChunk>>): Promise<void> {
  await tx.nights.finishChunk(c, r.done);
  if (r.snapshots.length > 0) await tx.facts.saveSnapshots(r.snapshots);
}

/** Hands out a night's chunks one at a time, each once, to the threads sharing it (threads.ts); undefined when none is left. */
export type ChunkTaker = () => ClaimedChunk | undefined;

/**
 * SQLite: the night's pending chunks, one after another, read in the snapshot `s` (the plan's, or a night
 * thread's own), each staged in a small write transaction of its own as it finishes. With `take`, the chunks
 * it hands out (shared with other threads), else every pending chunk. Returns how many it staged.
 */
export async function workChunksInOrder(store: Store, s: Store, ctx: ChunkContext, take?: ChunkTaker): Promise<number> {
  let next = take;
  if (!next) {
    const pending = await store.nights.pendingChunks(ctx.night.id);
    let i = 0;
    next = () => pending[i++];
  }
  let blacklist: readonly BlacklistEntry[] | undefined;
  let staged = 0;
  for (let c = next(); c !== undefined; c = next()) {
    const chunk = c;
    blacklist ??= await s.facts.blacklist();
    await ctx.onClaim?.(chunk);
    const r = await evaluateClaimedChunk(s, ctx, chunk, blacklist);
    // a staged chunk lost to a power cut is evaluated again by the resumed night: its commit need not wait for the disk
    await store.tx(
      async (tx) => {
        await stage(tx, chunk, r);
        await ctx.beforeCommit?.(chunk);
      },
      { scratch: true },
    );
    staged++;
  }
  return staged;
}

/**
 * PostgreSQL: claims one chunk nobody holds, evaluates it (its reads in a snapshot of their own) and, in
 * the claiming transaction, writes its results and marks it done. Null when nothing could be claimed.
 */
export async function workOneChunk(store: Store, ctx: ChunkContext): Promise<ClaimedChunk | null> {
  return store.tx(async (tx) => {
    const c = await tx.nights.claim(ctx.night.id);
    if (!c) return null;
    await ctx.onClaim?.(c);
    const r = await store.snapshot((s) => evaluateClaimedChunk(s, ctx, c));
    await stage(tx, c, r);
    return c;
  }, { scratch: true });
}

/**
 * PostgreSQL, the coordinator: works chunks until none is left to claim, then waits for the chunks other
 * processes hold (a killed worker's chunk is pending again once its connection is gone, and claimed here).
 */
export async function workUntilDone(store: Store, ctx: ChunkContext, pollMs = 200): Promise<void> {
  for (;;) {
    if (await workOneChunk(store, ctx)) continue;
    // a superseded night has no chunks left: its apply says so
    if ((await store.nights.pendingCount(ctx.night.id)) === 0) return;
    await sleep(pollMs);
  }
}

export interface AppliedNight extends ApplySummary {
  readonly evaluated: number;
  readonly problems: readonly NightProblem[];
  /** chunks and projects each process evaluated (host:pid) */
  readonly workers: readonly { readonly worker: string; readonly chunks: number; readonly projects: number }[];
}

/**
 * Applies a night whose chunks are all done, in ONE transaction: the projects gone, each chunk's staged
 * results read back and applied in turn (memory: one chunk), the day's record and counts; the staging
 * removed. Throws NightGoneError when another run superseded the night meanwhile.
 */
export async function applyNight(
  store: Store,
  night: OpenNight,
  day: { now: string; warnings: readonly { readonly code: string; readonly message: string }[] },
): Promise<AppliedNight> {
  return store.tx(async (tx) => {
    if (!(await tx.nights.lockOpen(night.id))) throw new NightGoneError(night.id);
    const left = await tx.nights.pendingCount(night.id);
    if (left > 0) throw new Error(`夜间评估 #${night.id} 还有 ${left} 块未完成`);
    const asOf = night.asOf;
    if (night.removed.length > 0) await tx.evaluations.forgetProjects(night.removed, asOf);
    let changed = 0;
    let opened = 0;
    let closed = 0;
    for (const no of await tx.nights.chunkNumbers(night.id)) {
      const staged = decodeStaged(await tx.nights.results(night.id, no));
      const a = night.past ? await tx.evaluations.apply(asOf, staged as ProjectResult[]) : await tx.evaluations.applyDeltas(staged as ProjectDelta[]);
      changed += a.changed;
      opened += a.opened;
      closed += a.closed;
    }
    const tally = await tx.nights.tally(night.id);
    // D evaluated for the first time, nothing opened or closed on it, nothing spliced: D's flags are the
    // previous evaluated day's (D evaluated again may hold versions opened on D by its first evaluation)
    const quiet = !night.past && night.removed.length === 0 && opened === 0 && closed === 0 && (await tx.evaluations.day(asOf)) === null;
    const sameAs = quiet ? ((await tx.evaluations.dayBefore(asOf)) ?? undefined) : undefined;
    await tx.evaluations.recordDay(
      { asOf, computedAt: day.now, mode: night.mode, projectCount: night.projectCount, evaluatedCount: tally.evaluated, warnings: day.warnings },
      changed,
      night.paramsVersion,
      sameAs,
    );
    await tx.evaluations.refreshCounts(asOf, sameAs);
    await tx.nights.markApplied(night.id, day.now);
    const workers = [...tally.byWorker].map(([worker, w]) => ({ worker, ...w })).sort((a, b) => (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
    return { changed, opened, closed, evaluated: tally.evaluated, problems: tally.problems, workers };
  });
}
