/**
 * 分块评估 — evaluates the city chunk by chunk instead of loading it whole (docs/PERFORMANCE.md "Nightly
 * report"): the projects are cut into chunks of about `chunkSize`, ordered by general contractor and never
 * splitting a contractor's projects (the deposit rule's contractor record needs all of them); the one
 * cross-project input of the rules that spans contractors — DOUBLE_BOOKED's days per worker-month over all
 * projects — is read once for the city beforehand (loadCrossProjectDays). Each chunk's facts and
 * evaluations are let go before the next is loaded, so the heap holds one chunk, not the city.
 *
 * One chunk is evaluated by `evaluateChunk`, here in the calling thread (evaluateCityInChunks) or in worker
 * threads, one chunk each at a time (services/parallel/); either way the chunks' results are summed by a
 * CityAccumulator, so both paths give the same totals, queue and problems.
 *
 * The caller runs this inside ONE read transaction so every chunk is read from the same snapshot.
 * Stored rows are staged chunk by chunk — in per-connection TEMP tables, or by worker threads in staging
 * files of their own (writing either takes no lock on the database) — and copied into
 * findings/project_assessments by `commitStaged` in the caller's write transaction, in the order the
 * unchunked evaluation stores them (project code, id): the stored rows are identical to an unchunked run's.
 */
import { unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';
import { fen } from '../domain/money.ts';
import type { IsoDate } from '../domain/date.ts';
import { loadCityFacts, loadCrossProjectDays, planProjectChunks } from '../db/facts.ts';
import type { Db } from '../db/open.ts';
import { evaluateCity, type CityEvaluation, type ProjectEvaluation, type ReviewQueueItem } from '../rules/evaluate.ts';
import type { CityFacts, InjuryCoverageFact, ProjectFacts } from '../rules/facts.ts';
import type { RulesParams } from '../rules/params/index.ts';
import { paramsOf } from './params.ts';
import type { Finding } from '../rules/flags.ts';
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

/** Loads one chunk of projects, evaluates it, hands each project to `onProject`, and returns the chunk's totals. */
export function evaluateChunk(
  db: Db,
  ids: readonly number[],
  asOf: IsoDate,
  params: RulesParams,
  crossProjectDays: ReadonlyMap<string, CrossProjectDays>,
  onProject?: ProjectSink,
): ChunkResult {
  const t1 = performance.now();
  const facts = loadCityFacts(db, ids);
  return evaluateLoadedChunk(facts, performance.now() - t1, asOf, params, crossProjectDays, onProject);
}

/** evaluateChunk for facts already loaded (a worker thread loads its next chunk before the city-wide inputs arrive). */
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

/** 分块评估全市 — the same totals, queue and problems as evaluateCity over the whole city, in this thread. */
export function evaluateCityInChunks(db: Db, asOf: IsoDate, options: ChunkOptions = {}): ChunkedEvaluation {
  const params = options.params ?? paramsOf(db);
  const t0 = performance.now();
  const crossProjectDays = loadCrossProjectDays(db, asOf);
  const acc = new CityAccumulator(asOf);
  acc.timings.crossMs = performance.now() - t0;
  for (const ids of planProjectChunks(db, options.chunkSize ?? DEFAULT_CHUNK_SIZE)) {
    acc.add(evaluateChunk(db, ids, asOf, params, crossProjectDays, options.onProject));
  }
  return acc.finish();
}
// ——————————————————————————————— staging the rows to store ———————————————————————————————

/** The stored columns of a finding and of an assessment, in the order of findingValues / assessmentValues. */
export const FINDING_COLS = 'as_of, fingerprint, code, severity, project_id, id_number, month, amount_fen, sentence, legal_basis, params, evidence';
export const ASSESSMENT_COLS =
  'as_of, project_id, arrears_fen, workers_in_arrears, oldest_overdue_days, estimated_exposure_fen, risk_score, risk_terms, deposit';

let nextRun = 1;

/** Rows staged for one date, waiting for `commitStaged`: in the connection's TEMP tables, or in staging files. */
export interface StagedRows {
  readonly run: number;
  readonly asOf: IsoDate;
  findingCount: number;
  projectCount: number;
  /** staging files written by worker threads (services/parallel/); empty = the connection's TEMP tables */
  readonly files: string[];
}

function createStagingTables(sqlite: Database.Database, schema: 'temp' | 'main'): void {
  sqlite.exec(
    `CREATE ${schema === 'temp' ? 'TEMP ' : ''}TABLE IF NOT EXISTS staged_findings (run INTEGER, ord_code TEXT, ord_id INTEGER, seq INTEGER, ${FINDING_COLS});
     CREATE ${schema === 'temp' ? 'TEMP ' : ''}TABLE IF NOT EXISTS staged_assessments (run INTEGER, ord_code TEXT, ord_id INTEGER, ${ASSESSMENT_COLS});`,
  );
}

type Stager = { rows: StagedRows; add: (pe: ProjectEvaluation) => void };

function stagerOn(sqlite: Database.Database, schema: 'temp' | 'main', rows: StagedRows): Stager {
  const insertFinding = sqlite.prepare(`INSERT INTO ${schema}.staged_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertAssessment = sqlite.prepare(`INSERT INTO ${schema}.staged_assessments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const add = (p: ProjectEvaluation) => {
    let seq = 0;
    for (const f of p.findings) {
      insertFinding.run(rows.run, p.projectCode, p.projectId, seq++, ...findingValues(rows.asOf, f));
    }
    rows.findingCount += seq;
    rows.projectCount++;
    insertAssessment.run(rows.run, p.projectCode, p.projectId, ...assessmentValues(rows.asOf, p));
  };
  return { rows, add };
}

/** A stager: `add` writes one project's rows to the connection's TEMP tables (no database lock), `rows` is the handle. */
export function stager(db: Db, asOf: IsoDate): Stager {
  createStagingTables(db.$client, 'temp');
  return stagerOn(db.$client, 'temp', { run: nextRun++, asOf, findingCount: 0, projectCount: 0, files: [] });
}

/**
 * A stager writing to a staging file of its own (a worker thread's, services/parallel/): no journal and no
 * fsync — a crash loses only the staging, which the next run redoes; the database is untouched until
 * commitStaged. Writes go in transactions of one chunk (`flush`). `close` before the file is attached.
 */
export function fileStager(path: string, asOf: IsoDate, run: number): Stager & { flush: () => void; close: () => void } {
  const file = new Database(path);
  file.pragma('journal_mode = OFF');
  file.pragma('synchronous = OFF');
  createStagingTables(file, 'main');
  file.exec('BEGIN');
  const s = stagerOn(file, 'main', { run, asOf, findingCount: 0, projectCount: 0, files: [path] });
  return {
    ...s,
    flush: () => {
      file.exec('COMMIT');
      file.exec('BEGIN');
    },
    close: () => {
      if (file.inTransaction) file.exec('COMMIT');
      file.close();
    },
  };
}

/** A run number for staged rows (worker threads' staging files carry the coordinator's). */
export function newStagingRun(): number {
  return nextRun++;
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
 * Runs `fn` (which calls commitStaged in its write transaction) with the staged rows readable: staging
 * files are attached as s0, s1, … for the call (ATTACH is not allowed inside a transaction, hence here).
 */
export function withStaged<T>(db: Db, staged: StagedRows, fn: () => T): T {
  const sqlite = db.$client;
  staged.files.forEach((f, i) => sqlite.prepare(`ATTACH DATABASE ? AS s${i}`).run(f));
  try {
    return fn();
  } finally {
    staged.files.forEach((_, i) => sqlite.exec(`DETACH DATABASE s${i}`));
  }
}

/** The staged rows of a table as one source: the TEMP table, or the attached staging files. */
function stagedSource(staged: StagedRows, table: 'staged_findings' | 'staged_assessments', cols: string): string {
  if (staged.files.length === 0) return `temp.${table}`;
  return `(${staged.files.map((_, i) => `SELECT run, ord_code, ord_id, ${table === 'staged_findings' ? 'seq, ' : ''}${cols} FROM s${i}.${table}`).join(' UNION ALL ')})`;
}

/**
 * Replaces the stored findings and assessments of the staged date with the staged rows (and records the
 * run); call inside the caller's write transaction (within withStaged when the rows are in files). Rows go
 * in the unchunked order: project code, id, then the project's findings order. Returns the number of findings.
 */
export function commitStaged(db: Db, staged: StagedRows, now: string): number {
  const sqlite = db.$client;
  const { asOf, run } = staged;
  sqlite.prepare('DELETE FROM findings WHERE as_of = ?').run(asOf);
  sqlite.prepare('DELETE FROM project_assessments WHERE as_of = ?').run(asOf);
  sqlite
    .prepare(
      `INSERT INTO findings (${FINDING_COLS}) SELECT ${FINDING_COLS} FROM ${stagedSource(staged, 'staged_findings', FINDING_COLS)}
       WHERE run = ? ORDER BY ord_code, ord_id, seq`,
    )
    .run(run);
  sqlite
    .prepare(
      `INSERT INTO project_assessments (${ASSESSMENT_COLS}) SELECT ${ASSESSMENT_COLS} FROM ${stagedSource(staged, 'staged_assessments', ASSESSMENT_COLS)}
       WHERE run = ? ORDER BY ord_code, ord_id`,
    )
    .run(run);
  recordRun(db, asOf, now, staged.projectCount, staged.findingCount);
  return staged.findingCount;
}

/** Records (or replaces) the recompute run of a date: when, how many projects and findings. Inside the store's transaction. */
export function recordRun(db: Db, asOf: IsoDate, now: string, projectCount: number, findingCount: number): void {
  db.$client
    .prepare(
      `INSERT INTO recompute_runs (as_of, computed_at, project_count, finding_count) VALUES (?, ?, ?, ?)
       ON CONFLICT(as_of) DO UPDATE SET computed_at = excluded.computed_at,
         project_count = excluded.project_count, finding_count = excluded.finding_count`,
    )
    .run(asOf, now, projectCount, findingCount);
}

/** Drops a staged run's rows (after commitStaged, or when the run is abandoned): TEMP rows deleted, staging files removed. */
export function discardStagedRows(db: Db, staged: StagedRows): void {
  if (staged.files.length > 0) {
    for (const f of staged.files) {
      try {
        unlinkSync(f);
      } catch {
        /* already gone */
      }
    }
    return;
  }
  const sqlite = db.$client;
  // usually the only run staged on the connection: then the tables are emptied whole (SQLite's truncate,
  // no row-by-row delete of hundreds of thousands of findings)
  // (a run with findings staged has assessments staged: one per project)
  const others = sqlite.prepare('SELECT 1 FROM temp.staged_assessments WHERE run <> ? LIMIT 1').get(staged.run);
  if (others === undefined) {
    sqlite.exec('DELETE FROM temp.staged_findings; DELETE FROM temp.staged_assessments;');
    return;
  }
  sqlite.prepare('DELETE FROM temp.staged_findings WHERE run = ?').run(staged.run);
  sqlite.prepare('DELETE FROM temp.staged_assessments WHERE run = ?').run(staged.run);
}
