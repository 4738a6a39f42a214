/**
 * 分块评估 — evaluates the city chunk by chunk instead of loading it whole (docs/PERFORMANCE.md "Nightly
 * report"): the projects are cut into chunks of about `chunkSize`, ordered by general contractor and never
 * splitting a contractor's projects (the deposit rule's contractor record needs all of them); the one
 * cross-project input of the rules that spans contractors — DOUBLE_BOOKED's days per worker-month over all
 * projects — is read once for the city beforehand (loadCrossProjectDays). Each chunk's facts and
 * evaluations are let go before the next is loaded, so the heap holds one chunk, not the city.
 *
 * The caller runs this inside ONE read transaction so every chunk is read from the same snapshot.
 * Stored rows are staged chunk by chunk in per-connection TEMP tables (writing them takes no lock on the
 * database) and copied into findings/project_assessments by `commitStaged` in the caller's write
 * transaction, in the order the unchunked evaluation stores them (project code, id): the stored rows are
 * identical to an unchunked run's.
 */
import { fen } from '../domain/money.ts';
import type { IsoDate } from '../domain/date.ts';
import { loadCityFacts, loadCrossProjectDays, planProjectChunks } from '../db/facts.ts';
import type { Db } from '../db/open.ts';
import { evaluateCity, type CityEvaluation, type ProjectEvaluation, type ReviewQueueItem } from '../rules/evaluate.ts';
import type { InjuryCoverageFact, ProjectFacts } from '../rules/facts.ts';
import { DEFAULT_PARAMS, type RulesParams } from '../rules/params/index.ts';
import type { Finding } from '../rules/flags.ts';
import { reviewQueue } from '../rules/risk.ts';

/** Projects per chunk: about 50 × 1,440 worker-months holds the heap near 0.5 GB (docs/PERFORMANCE.md); HUXIN_CHUNK_SIZE overrides. */
export const DEFAULT_CHUNK_SIZE = Number(process.env.HUXIN_CHUNK_SIZE) || 50;

export interface ChunkOptions {
  /** projects per chunk (a contractor's projects are kept together, so a chunk may be larger); default DEFAULT_CHUNK_SIZE */
  readonly chunkSize?: number;
  readonly params?: RulesParams;
  /** every project of each chunk in project-code order: its evaluation, or null when it could not be evaluated */
  /** `injuryCover`: the chunk's work-injury cover facts (undefined when no insurance registry is held) */
  readonly onProject?: (evaluation: ProjectEvaluation | null, facts: ProjectFacts, injuryCover?: readonly InjuryCoverageFact[]) => void;
}

export interface ChunkedEvaluation extends CityEvaluation {
  /** projects evaluated (CityEvaluation.projects stays empty: they were streamed to onProject) */
  readonly evaluatedCount: number;
  /** every project, evaluated or not */
  readonly projectCount: number;
  /** milliseconds: the cross-project pass, loading the chunks' facts, evaluating them, the onProject callbacks */
  readonly timings: { readonly crossMs: number; readonly loadMs: number; readonly evaluateMs: number; readonly onProjectMs: number };
}

const byCode = (a: { projectCode: string; projectId: number }, b: { projectCode: string; projectId: number }) =>
  a.projectCode < b.projectCode ? -1 : a.projectCode > b.projectCode ? 1 : a.projectId - b.projectId;

/** 分块评估全市 — the same totals, queue and problems as evaluateCity over the whole city. */
export function evaluateCityInChunks(db: Db, asOf: IsoDate, options: ChunkOptions = {}): ChunkedEvaluation {
  const params = options.params ?? DEFAULT_PARAMS;
  const t0 = performance.now();
  const crossProjectDays = loadCrossProjectDays(db, asOf);
  const timings = { crossMs: performance.now() - t0, loadMs: 0, evaluateMs: 0, onProjectMs: 0 };
  const problems: { projectId: number; projectCode: string; message: string }[] = [];
  const queue: ReviewQueueItem[] = [];
  const workers = new Set<string>();
  let arrears = 0;
  let exposure = 0;
  let projectsInArrears = 0;
  let evaluatedCount = 0;
  let projectCount = 0;
  for (const ids of planProjectChunks(db, options.chunkSize ?? DEFAULT_CHUNK_SIZE)) {
    const t1 = performance.now();
    const facts = loadCityFacts(db, ids);
    const t2 = performance.now();
    // the two-pass evaluation (not evaluateCity's streaming mode): each ledger computed once, the chunk's
    // evaluations held until the chunk is handed on
    const chunk = evaluateCity({ ...facts, crossProjectDays }, asOf, params);
    const evaluations = new Map<number, ProjectEvaluation>();
    for (const pe of chunk.projects) {
      evaluations.set(pe.projectId, pe);
      if (pe.assessment.arrears > 0) for (const wm of pe.ledger) if (wm.arrears > 0) workers.add(wm.idNumber);
    }
    const t3 = performance.now();
    timings.loadMs += t2 - t1;
    timings.evaluateMs += t3 - t2;
    arrears += chunk.totals.arrears;
    exposure += chunk.totals.estimatedExposure;
    projectsInArrears += chunk.totals.projectsInArrears;
    evaluatedCount += evaluations.size;
    projectCount += facts.projects.length;
    problems.push(...chunk.problems);
    for (const pe of evaluations.values()) {
      queue.push({ projectId: pe.projectId, projectCode: pe.projectCode, score: pe.assessment.risk.score, arrears: pe.assessment.arrears, findingCount: pe.findings.length });
    }
    if (options.onProject) {
      const ordered = [...facts.projects].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.id - b.id));
      for (const p of ordered) options.onProject(evaluations.get(p.id) ?? null, p, facts.injuryInsurance);
      timings.onProjectMs += performance.now() - t3;
    }
  }
  queue.sort(byCode);
  problems.sort(byCode);
  return {
    asOf,
    projects: [],
    problems,
    totals: { arrears: fen(arrears), workersInArrears: workers.size, projectsInArrears, estimatedExposure: fen(exposure) },
    reviewQueue: reviewQueue(queue),
    evaluatedCount,
    projectCount,
    timings,
  };
}

// ——————————————————————————————— staging the rows to store ———————————————————————————————

const FINDING_COLS = 'as_of, fingerprint, code, severity, project_id, id_number, month, amount_fen, sentence, legal_basis, params, evidence';
const ASSESSMENT_COLS =
  'as_of, project_id, arrears_fen, workers_in_arrears, oldest_overdue_days, estimated_exposure_fen, risk_score, risk_terms, deposit';

let nextRun = 1;

/** Rows staged for one date in TEMP tables of the connection, waiting for `commitStaged`. */
export interface StagedRows {
  readonly run: number;
  readonly asOf: IsoDate;
  findingCount: number;
  projectCount: number;
}

function ensureStaging(db: Db): void {
  db.$client.exec(
    `CREATE TEMP TABLE IF NOT EXISTS staged_findings (run INTEGER, ord_code TEXT, ord_id INTEGER, seq INTEGER, ${FINDING_COLS});
     CREATE TEMP TABLE IF NOT EXISTS staged_assessments (run INTEGER, ord_code TEXT, ord_id INTEGER, ${ASSESSMENT_COLS});`,
  );
}

/** A stager: `add` writes one project's rows to the TEMP tables (no database lock), `rows` is the handle. */
export function stager(db: Db, asOf: IsoDate): { rows: StagedRows; add: (pe: ProjectEvaluation) => void } {
  ensureStaging(db);
  const sqlite = db.$client;
  const rows: StagedRows = { run: nextRun++, asOf, findingCount: 0, projectCount: 0 };
  const insertFinding = sqlite.prepare(`INSERT INTO temp.staged_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertAssessment = sqlite.prepare(`INSERT INTO temp.staged_assessments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const add = (p: ProjectEvaluation) => {
    let seq = 0;
    for (const f of p.findings) {
      insertFinding.run(rows.run, p.projectCode, p.projectId, seq++, ...findingValues(asOf, f));
    }
    rows.findingCount += seq;
    rows.projectCount++;
    insertAssessment.run(rows.run, p.projectCode, p.projectId, ...assessmentValues(asOf, p));
  };
  return { rows, add };
}

/**
 * A finding as the values of a `findings` row, in column order (as_of, fingerprint, code, severity,
 * project_id, id_number, month, amount_fen, sentence, legal_basis, params, evidence): the one mapping used
 * by the staged (chunked) store and the whole-city store.
 */
export function findingValues(asOf: IsoDate, f: Finding): unknown[] {
  return [
    asOf,
    f.fingerprint,
    f.code,
    f.severity,
    f.projectId,
    f.idNumber ?? null,
    f.month ?? null,
    f.amount ?? null,
    f.sentence,
    JSON.stringify(f.legalBasis),
    JSON.stringify(f.params),
    JSON.stringify(f.evidence),
  ];
}

/** A project's assessment as the values of a `project_assessments` row, in column order. */
export function assessmentValues(asOf: IsoDate, p: ProjectEvaluation): unknown[] {
  const a = p.assessment;
  return [
    asOf,
    p.projectId,
    a.arrears,
    a.workersInArrears,
    a.oldestOverdueDays,
    a.estimatedExposure,
    a.risk.score,
    JSON.stringify(a.risk.terms),
    JSON.stringify(a.deposit),
  ];
}

/**
 * Replaces the stored findings and assessments of the staged date with the staged rows (and records the
 * run); call inside the caller's write transaction. Rows go in the unchunked order: project code, id, then
 * the project's findings order. Returns the number of findings.
 */
export function commitStaged(db: Db, staged: StagedRows, now: string): number {
  const sqlite = db.$client;
  const { asOf, run } = staged;
  sqlite.prepare('DELETE FROM findings WHERE as_of = ?').run(asOf);
  sqlite.prepare('DELETE FROM project_assessments WHERE as_of = ?').run(asOf);
  sqlite
    .prepare(`INSERT INTO findings (${FINDING_COLS}) SELECT ${FINDING_COLS} FROM temp.staged_findings WHERE run = ? ORDER BY ord_code, ord_id, seq`)
    .run(run);
  sqlite
    .prepare(`INSERT INTO project_assessments (${ASSESSMENT_COLS}) SELECT ${ASSESSMENT_COLS} FROM temp.staged_assessments WHERE run = ? ORDER BY ord_code, ord_id`)
    .run(run);
  sqlite
    .prepare(
      `INSERT INTO recompute_runs (as_of, computed_at, project_count, finding_count) VALUES (?, ?, ?, ?)
       ON CONFLICT(as_of) DO UPDATE SET computed_at = excluded.computed_at,
         project_count = excluded.project_count, finding_count = excluded.finding_count`,
    )
    .run(asOf, now, staged.projectCount, staged.findingCount);
  return staged.findingCount;
}

/** Drops a staged run's rows (after commitStaged, or when the run is abandoned). */
export function discardStagedRows(db: Db, staged: StagedRows): void {
  db.$client.prepare('DELETE FROM temp.staged_findings WHERE run = ?').run(staged.run);
  db.$client.prepare('DELETE FROM temp.staged_assessments WHERE run = ?').run(staged.run);
}
