/**
 * 分块评估 — evaluates the city chunk by chunk instead of loading it whole (docs/PERFORMANCE.md "Nightly
 * report"): the projects are cut into chunks of about `chunkSize`, ordered by general contractor and never
 * splitting a contractor's projects (the deposit rule's contractor record needs all of them); the one
 * cross-project input of the rules that spans contractors — DOUBLE_BOOKED's days per worker-month over all
 * projects — is read once for the city beforehand (loadCrossProjectDays). Each chunk's facts and
 * evaluations are let go before the next is loaded, so the heap holds one chunk, not the city.
 *
 * One chunk of loaded facts is evaluated by `evaluateLoadedChunk`; the chunks' results are summed by a
 * CityAccumulator. The evaluating report builder (the oracle, src/reports/generate.ts) reads the city this
 * way, its chunks' facts through the store in one snapshot; the night's state is written by
 * src/services/night/ (worker threads were measured slower than one thread on this 2-core machine and
 * were removed with the daily copies they staged).
 */
import { fen } from '../domain/money.ts';
import type { IsoDate } from '../domain/date.ts';
import { evaluateCity, type CityEvaluation, type ProjectEvaluation, type ReviewQueueItem } from '../rules/evaluate.ts';
import type { CityFacts, InjuryCoverageFact, ProjectFacts } from '../rules/facts.ts';
import type { RulesParams } from '../rules/params/index.ts';
import type { CrossProjectDays } from '../rules/payroll.ts';
import { reviewQueue } from '../rules/risk.ts';

/** Projects per chunk: about 50 × 1,440 worker-months holds the heap near 0.5 GB (docs/PERFORMANCE.md); HUXIN_CHUNK_SIZE overrides. */
export const DEFAULT_CHUNK_SIZE = Number(process.env.HUXIN_CHUNK_SIZE) || 50;

/** What is done with each evaluated project of a chunk, in project-code order (evaluation null when it could not be evaluated). */
export type ProjectSink = (evaluation: ProjectEvaluation | null, facts: ProjectFacts, injuryCover?: readonly InjuryCoverageFact[]) => void;

export interface ChunkOptions {
  /** projects per chunk (a contractor's projects are kept together, so a chunk may be larger); default DEFAULT_CHUNK_SIZE */
  readonly chunkSize?: number;
  readonly params?: RulesParams;
  /** every project of each chunk in project-code order: its evaluation (null when it could not be evaluated), its facts, the chunk's work-injury cover facts (undefined when no insurance registry is held) */
  readonly onProject?: ProjectSink;
}

export interface ChunkTimings {
  /** the cross-project pass */
  crossMs: number;
  /** loading the chunks' facts (summed over threads when chunks run in parallel) */
  loadMs: number;
  /** evaluating them (summed over threads) */
  evaluateMs: number;
  /** the onProject callbacks: staging, the report (summed over threads) */
  onProjectMs: number;
}

export interface ChunkedEvaluation extends CityEvaluation {
  /** projects evaluated (CityEvaluation.projects stays empty: they were streamed to onProject) */
  readonly evaluatedCount: number;
  /** every project, evaluated or not */
  readonly projectCount: number;
  /** milliseconds: the cross-project pass, loading the chunks' facts, evaluating them, the onProject callbacks */
  readonly timings: ChunkTimings;
}

/** One chunk's contribution to the city's totals, queue and problems (plain data: it crosses threads). */
export interface ChunkResult {
  readonly problems: { projectId: number; projectCode: string; message: string }[];
  readonly queue: ReviewQueueItem[];
  /** identity numbers with arrears on the chunk's projects (the city counts distinct workers) */
  readonly workersInArrears: string[];
  readonly arrears: number;
  readonly exposure: number;
  readonly projectsInArrears: number;
  readonly evaluatedCount: number;
  readonly projectCount: number;
  readonly loadMs: number;
  readonly evaluateMs: number;
  readonly onProjectMs: number;
}

const byCode = (a: { projectCode: string; projectId: number }, b: { projectCode: string; projectId: number }) =>
  a.projectCode < b.projectCode ? -1 : a.projectCode > b.projectCode ? 1 : a.projectId - b.projectId;

/** Evaluates one chunk of loaded facts, hands each project to `onProject`, and returns the chunk's totals. */
export function evaluateLoadedChunk(
  facts: CityFacts,
  loadMs: number,
  asOf: IsoDate,
  params: RulesParams,
  crossProjectDays: ReadonlyMap<string, CrossProjectDays>,
  onProject?: ProjectSink,
): ChunkResult {
  const t2 = performance.now();
  // the two-pass evaluation (not evaluateCity's streaming mode): each ledger computed once, the chunk's
  // evaluations held until the chunk is handed on
  const chunk = evaluateCity({ ...facts, crossProjectDays }, asOf, params);
  const evaluations = new Map<number, ProjectEvaluation>();
  const workers = new Set<string>();
  const queue: ReviewQueueItem[] = [];
  for (const pe of chunk.projects) {
    evaluations.set(pe.projectId, pe);
    if (pe.assessment.arrears > 0) for (const wm of pe.ledger) if (wm.arrears > 0) workers.add(wm.idNumber);
    queue.push({ projectId: pe.projectId, projectCode: pe.projectCode, score: pe.assessment.risk.score, arrears: pe.assessment.arrears, findingCount: pe.findings.length });
  }
  const t3 = performance.now();
  if (onProject) {
    const ordered = [...facts.projects].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.id - b.id));
    for (const p of ordered) onProject(evaluations.get(p.id) ?? null, p, facts.injuryInsurance);
  }
  return {
    problems: [...chunk.problems],
    queue,
    workersInArrears: [...workers],
    arrears: chunk.totals.arrears,
    exposure: chunk.totals.estimatedExposure,
    projectsInArrears: chunk.totals.projectsInArrears,
    evaluatedCount: evaluations.size,
    projectCount: facts.projects.length,
    loadMs,
    evaluateMs: t3 - t2,
    onProjectMs: onProject ? performance.now() - t3 : 0,
  };
}

/** Sums chunk results into the city's evaluation; the order chunks arrive in does not matter. */
export class CityAccumulator {
  private readonly problems: ChunkResult['problems'] = [];
  private readonly queue: ReviewQueueItem[] = [];
  private readonly workers = new Set<string>();
  private arrears = 0;
  private exposure = 0;
  private projectsInArrears = 0;
  private evaluatedCount = 0;
  private projectCount = 0;
  readonly timings: ChunkTimings = { crossMs: 0, loadMs: 0, evaluateMs: 0, onProjectMs: 0 };

  constructor(private readonly asOf: IsoDate) {}

  add(r: ChunkResult): void {
    this.problems.push(...r.problems);
    this.queue.push(...r.queue);
    for (const w of r.workersInArrears) this.workers.add(w);
    this.arrears += r.arrears;
    this.exposure += r.exposure;
    this.projectsInArrears += r.projectsInArrears;
    this.evaluatedCount += r.evaluatedCount;
    this.projectCount += r.projectCount;
    this.timings.loadMs += r.loadMs;
    this.timings.evaluateMs += r.evaluateMs;
    this.timings.onProjectMs += r.onProjectMs;
  }

  finish(): ChunkedEvaluation {
    this.queue.sort(byCode);
    this.problems.sort(byCode);
    return {
      asOf: this.asOf,
      projects: [],
      problems: this.problems,
      totals: {
        arrears: fen(this.arrears),
        workersInArrears: this.workers.size,
        projectsInArrears: this.projectsInArrears,
        estimatedExposure: fen(this.exposure),
      },
      reviewQueue: reviewQueue(this.queue),
      evaluatedCount: this.evaluatedCount,
      projectCount: this.projectCount,
      timings: this.timings,
    };
  }
}
