/**
 * 一块的评估 — one chunk of a night: its inputs read in one snapshot (facts from snapshots where current,
 * the listings, injury cover, the workers' days on other projects, the contractors' records), the rules
 * core over them, and each project's stored form with the first day its outcome can change by date alone.
 * Shared by the night's own process and `huxin worker night` processes (stage.ts).
 */
import type { IsoDate } from '../../domain/date.ts';
import { evaluateCity, type ProjectEvaluation } from '../../rules/evaluate.ts';
import type { BlacklistEntry, ContractorHistoryFacts, InjuryCoverageFact, ProjectFacts } from '../../rules/facts.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import type { ProjectResult } from '../../store/repos/evaluations.ts';
import type { Store } from '../../store/store.ts';
import { nextChangeOf } from './nextChange.ts';
import { projectResultOf } from './result.ts';

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

/**
 * The chunk's projects evaluated one after another, each handed to `keep` as soon as it is evaluated, in
 * the chunk's order in the returned list (a project the rules could not evaluate as a result with its
 * problem). The rules core streams (evaluateCity's onProject: a contractor's other projects run ahead once
 * for its arrears history), so a project's ledger and findings die with its turn: `keep` returns what
 * outlives it — on a night, the small delta of a project found unchanged — and only that stays in memory
 * until the chunk is staged. (Held for the whole chunk, the 300-project full night peaked at 494 MB; 411 MB
 * streamed.)
 */
export function evaluateChunkResults<T = ProjectResult>(
  chunk: ChunkInputs,
  asOf: IsoDate,
  params: RulesParams,
  paramsVersion: string,
  paramDates: readonly string[],
  keep: (r: ProjectResult) => T = (r) => r as T,
): {
  results: T[];
  problems: { projectId: number; projectCode: string; message: string }[];
} {
  const byId = new Map(chunk.projects.map((f) => [f.id, f]));
  const kept = new Map<number, T>();
  const resultOf = (facts: ProjectFacts, pe: ProjectEvaluation | null, problem: string | null): ProjectResult => {
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
      problem,
    });
  };
  const evaluation = evaluateCity(
    { projects: chunk.projects, blacklist: chunk.blacklist, injuryInsurance: chunk.injuryInsurance, crossProjectDays: chunk.crossProjectDays, contractorHistory: chunk.contractorHistory },
    asOf,
    params,
    { onProject: (pe) => kept.set(pe.projectId, keep(resultOf(byId.get(pe.projectId)!, pe, null))) },
  );
  const problemOf = new Map(evaluation.problems.map((p) => [p.projectId, p.message]));
  const results = chunk.projects.map((facts) => (kept.has(facts.id) ? kept.get(facts.id)! : keep(resultOf(facts, null, problemOf.get(facts.id) ?? '未评估'))));
  const problems = [...evaluation.problems].sort((a, b) => (a.projectCode < b.projectCode ? -1 : a.projectCode > b.projectCode ? 1 : 0));
  return { results, problems };
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
    crossProjectDays: await s.facts.crossProjectDaysFor(ids, asOf, loaded.projects),
    contractorHistory: await s.facts.contractorHistory(loaded.projects.map((p) => p.contractorUscc)),
  };
}
