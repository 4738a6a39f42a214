/**
 * 重算 — the recompute service: load the facts, run the pure rules core, store what it found — chunk by
 * chunk of projects (services/chunked.ts), so the city is never one object graph.
 *
 * The API and reports read stored results; they never run the rules on a request. Storing for a date
 * replaces that date's findings and assessments in one transaction, so a recompute interrupted half way
 * leaves the previous results whole, and recomputing the same day twice over the same data stores the
 * same rows (the core is deterministic; rows are written in its stable order).
 */
import type { IsoDate } from '../domain/date.ts';
import type { Db } from '../db/open.ts';
import type { CityEvaluation } from '../rules/evaluate.ts';
import type { RulesParams } from '../rules/params/index.ts';
import { paramsOf } from './params.ts';
import {
  ASSESSMENT_COLS,
  assessmentValues,
  commitStaged,
  DEFAULT_CHUNK_SIZE,
  discardStagedRows,
  evaluateCityInChunks,
  FINDING_COLS,
  findingValues,
  recordRun,
  stager,
  withStaged,
  type ChunkedEvaluation,
} from './chunked.ts';
import { DEFAULT_WORKERS, evaluateCityInParallel, shouldRunInParallel, sweepStaleStaging } from './parallel/evaluate.ts';

export interface RecomputeResult {
  /** totals, problems and review queue; `projects` is empty (the evaluations were stored chunk by chunk) */
  readonly evaluation: Omit<ChunkedEvaluation, 'timings'>;
  readonly findingCount: number;
  /** load and evaluate are interleaved chunk by chunk: loadMs is 0 and evaluateMs covers both */
  readonly timings: { readonly loadMs: number; readonly evaluateMs: number; readonly storeMs: number };
}

export interface RecomputeOptions {
  readonly chunkSize?: number;
  /** worker threads (services/parallel/); default DEFAULT_WORKERS; below 2, or for a small city, this thread alone */
  readonly workers?: number;
}

/**
 * Evaluates the whole city as of `asOf` in chunks of projects (services/chunked.ts) and stores the findings;
 * `now` stamps the run. Every chunk is read in one read transaction (one snapshot: an import committing
 * meanwhile is wholly in or wholly out), the rows are staged in TEMP tables, then D's findings and
 * assessments are replaced in one write transaction: a failure anywhere leaves the previous results whole.
 */
export function recomputeCity(db: Db, asOf: IsoDate, now: string, given?: RulesParams, options: RecomputeOptions = {}): RecomputeResult {
  // the shipped parameters with the bureau's imports laid over them (services/params.ts), unless a test gives its own
  const effective = paramsOf(db);
  const params = given ?? effective;
  const sqlite = db.$client;
  const t0 = performance.now();
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  sweepStaleStaging(db);
  if (params === effective && shouldRunInParallel(db, options.workers ?? DEFAULT_WORKERS, chunkSize)) {
    // worker threads: the same chunks, evaluated and staged in parallel (services/parallel/evaluate.ts)
    const { evaluation: { timings: _t, ...evaluation }, staged } = evaluateCityInParallel(db, asOf, { workers: options.workers ?? DEFAULT_WORKERS, chunkSize }, () => ({
      report: null,
      value: null,
    }));
    try {
      const t1 = performance.now();
      const findingCount = withStaged(db, staged, () => sqlite.transaction(() => commitStaged(db, staged, now)).immediate());
      const t2 = performance.now();
      return { evaluation, findingCount, timings: { loadMs: 0, evaluateMs: t1 - t0, storeMs: t2 - t1 } };
    } finally {
      discardStagedRows(db, staged);
    }
  }
  const stage = stager(db, asOf);
  try {
    const { timings: _chunkTimings, ...evaluation } = sqlite
      .transaction(() => evaluateCityInChunks(db, asOf, { params, chunkSize, onProject: (pe) => pe && stage.add(pe) }))
      .deferred();
    const t1 = performance.now();
    const findingCount = sqlite.transaction(() => commitStaged(db, stage.rows, now)).immediate();
    const t2 = performance.now();
    return { evaluation, findingCount, timings: { loadMs: 0, evaluateMs: t1 - t0, storeMs: t2 - t1 } };
  } finally {
    discardStagedRows(db, stage.rows);
  }
}

/**
 * Replaces the stored findings and assessments of an in-memory evaluation's date; returns the number of
 * findings. (The whole-city path, kept for callers that hold a CityEvaluation and for the tests that check
 * the chunked path against it.)
 */
export function storeEvaluation(db: Db, evaluation: CityEvaluation, now: string): number {
  const sqlite = db.$client;
  const marks = (cols: string) => cols.split(',').map(() => '?').join(', ');
  const insertFinding = sqlite.prepare(`INSERT INTO findings (${FINDING_COLS}) VALUES (${marks(FINDING_COLS)})`);
  const insertAssessment = sqlite.prepare(`INSERT INTO project_assessments (${ASSESSMENT_COLS}) VALUES (${marks(ASSESSMENT_COLS)})`);
  const asOf = evaluation.asOf;
  let count = 0;
  sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM findings WHERE as_of = ?').run(asOf);
    sqlite.prepare('DELETE FROM project_assessments WHERE as_of = ?').run(asOf);
    for (const p of evaluation.projects) {
      for (const f of p.findings) {
        insertFinding.run(...findingValues(asOf, f));
        count++;
      }
      insertAssessment.run(...assessmentValues(asOf, p));
    }
    recordRun(db, asOf, now, evaluation.projects.length, count);
  })();
  return count;
}
