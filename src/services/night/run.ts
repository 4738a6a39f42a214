/**
 * 夜间评估 — a night: evaluate, as of D, the projects whose outcome can have changed, and keep the results
 * as state (docs/STORAGE.md). Two phases:
 * 1. read, in ONE snapshot: which projects to evaluate (plan.ts), their facts chunk by chunk (snapshots
 *    where current), the rules core on each chunk, and each result's difference with the stored state;
 *    only the differences are kept in memory;
 * 2. write, in ONE transaction: the differences, every evaluated project's bookkeeping, the day's record and
 *    counts. A failure anywhere leaves the previous state whole; the night is atomic.
 * A past day (before the latest evaluated day) is evaluated whole and spliced into the history instead.
 * Facts read from rows are stored as snapshots on the way (a cache: each in a small transaction of its own).
 */
import type { IsoDate } from '../../domain/date.ts';
import { evaluateCity, type ProjectEvaluation } from '../../rules/evaluate.ts';
import type { BlacklistEntry, ContractorHistoryFacts, InjuryCoverageFact, ProjectFacts } from '../../rules/facts.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import { deltaOf, type ProjectDelta, type ProjectResult } from '../../store/repos/evaluations.ts';
import type { Store } from '../../store/store.ts';
import { nextChangeOf, parameterDates } from './nextChange.ts';
import { planNight, type NightPlan } from './plan.ts';
import { projectResultOf } from './result.ts';

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
}

export const DEFAULT_NIGHT_CHUNK = 50;

/** One chunk's evaluation: the rules core over the chunk's facts, and each project's stored form. */
export interface ChunkInputs {
  readonly projects: readonly ProjectFacts[];
  readonly versions: ReadonlyMap<number, number>;
  readonly blacklist: readonly BlacklistEntry[];
  readonly injuryInsurance: readonly InjuryCoverageFact[] | undefined;
  readonly crossProjectDays: Parameters<typeof evaluateCity>[0]['crossProjectDays'];
  /** the imported records of the chunk's general contractors (contractor_records) */
  readonly contractorHistory: readonly ContractorHistoryFacts[];
}

export function evaluateChunkResults(chunk: ChunkInputs, asOf: IsoDate, params: RulesParams, paramsVersion: string, paramDates: readonly string[]): {
  results: ProjectResult[];
  problems: { projectId: number; projectCode: string; message: string }[];
} {
  const evaluation = evaluateCity(
    { projects: chunk.projects, blacklist: chunk.blacklist, injuryInsurance: chunk.injuryInsurance, crossProjectDays: chunk.crossProjectDays, contractorHistory: chunk.contractorHistory },
    asOf,
    params,
  );
  const byId = new Map<number, ProjectEvaluation>(evaluation.projects.map((pe) => [pe.projectId, pe]));
  const problemOf = new Map(evaluation.problems.map((p) => [p.projectId, p.message]));
  const results = chunk.projects.map((facts) => {
    const pe = byId.get(facts.id) ?? null;
    const parties = new Set([facts.ownerUscc, facts.contractorUscc, ...facts.roster.map((r) => r.employerUscc)]);
    const workers = new Set(facts.roster.map((r) => r.idNumber));
    const nextChange = nextChangeOf({
      facts,
      evaluation: pe,
      asOf,
      params,
      listings: chunk.blacklist.filter((b) => parties.has(b.uscc)),
      history: chunk.contractorHistory.find((h) => h.uscc === facts.contractorUscc),
      injuryCover: chunk.injuryInsurance?.filter((c) => workers.has(c.idNumber)),
      paramDates,
    });
    return projectResultOf(facts, pe, {
      asOf,
      factsVersion: chunk.versions.get(facts.id) ?? 0,
      paramsVersion,
      nextChange,
      injuryCover: chunk.injuryInsurance,
      problem: pe ? null : (problemOf.get(facts.id) ?? '未评估'),
    });
  });
  return { results, problems: [...evaluation.problems] };
}

/** Reads one chunk's inputs in the night's snapshot. */
export async function chunkInputs(s: Store, ids: readonly number[], asOf: IsoDate, blacklist: readonly BlacklistEntry[]): Promise<ChunkInputs & { fromRows: { projectId: number; version: number }[] }> {
  const loaded = await s.facts.projects(ids);
  return {
    projects: loaded.projects,
    versions: loaded.versions,
    fromRows: loaded.fromRows,
    blacklist,
    injuryInsurance: await s.facts.injuryInsurance(ids),
    crossProjectDays: await s.facts.crossProjectDaysFor(ids, asOf),
    contractorHistory: await s.facts.contractorHistory(loaded.projects.map((p) => p.contractorUscc)),
  };
}

/** 夜间评估 — see the file comment. */
export async function runNight(store: Store, input: NightInput): Promise<NightSummary> {
  const t0 = performance.now();
  const { asOf, params, paramsVersion } = input;
  const paramDates = parameterDates(params);
  const deltas: ProjectDelta[] = [];
  const spliced: ProjectResult[] = [];
  const problems: NightSummary['problems'][number][] = [];
  let plan!: NightPlan;
  let planMs = 0;
  let evaluated = 0;
  await store.snapshot(async (s) => {
    plan = await planNight(s, { asOf, paramsVersion, mode: input.mode ?? 'incremental', chunkSize: input.chunkSize ?? DEFAULT_NIGHT_CHUNK });
    planMs = performance.now() - t0;
    const blacklist = plan.chunks.length > 0 ? await s.facts.blacklist() : [];
    for (const ids of plan.chunks) {
      const inputs = await chunkInputs(s, ids, asOf, blacklist);
      const { results, problems: p } = evaluateChunkResults(inputs, asOf, params, paramsVersion, paramDates);
      problems.push(...p);
      evaluated += results.length;
      if (plan.past) spliced.push(...results);
      else {
        const current = await s.evaluations.currentOf(ids);
        for (const r of results) deltas.push(deltaOf(asOf, r, current.get(r.projectId)));
      }
      if (inputs.fromRows.length > 0) {
        const byId = new Map(inputs.projects.map((f) => [f.id, f]));
        const items = inputs.fromRows.map((r) => ({ facts: byId.get(r.projectId)!, version: r.version })).filter((x) => x.facts);
        await store.tx((tx) => tx.facts.saveSnapshots(items));
      }
    }
  });
  const t1 = performance.now();
  const summary = await store.tx(async (tx) => {
    if (plan.removed.length > 0) await tx.evaluations.forgetProjects(plan.removed, asOf);
    const applied = plan.past ? await tx.evaluations.apply(asOf, spliced) : await tx.evaluations.applyDeltas(deltas);
    // D evaluated for the first time, nothing opened or closed on it, nothing spliced: D's flags are the
    // previous evaluated day's (D evaluated again may hold versions opened on D by its first evaluation)
    const quiet = !plan.past && plan.removed.length === 0 && applied.opened === 0 && applied.closed === 0 && (await tx.evaluations.day(asOf)) === null;
    const sameAs = quiet ? ((await tx.evaluations.dayBefore(asOf)) ?? undefined) : undefined;
    await tx.evaluations.recordDay(
      { asOf, computedAt: input.now, mode: plan.mode, projectCount: plan.projectCount, evaluatedCount: evaluated, warnings: input.warnings ?? [] },
      applied.changed,
      paramsVersion,
      sameAs,
    );
    await tx.evaluations.refreshCounts(asOf, sameAs);
    return applied;
  });
  const t2 = performance.now();
  problems.sort((a, b) => (a.projectCode < b.projectCode ? -1 : a.projectCode > b.projectCode ? 1 : 0));
  return {
    asOf,
    mode: plan.mode,
    projectCount: plan.projectCount,
    evaluatedCount: evaluated,
    changedCount: summary.changed,
    opened: summary.opened,
    closed: summary.closed,
    problems,
    timings: { planMs, evaluateMs: t1 - t0 - planMs, writeMs: t2 - t1 },
  };
}
