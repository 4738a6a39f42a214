/**
 * 生成报告 — the report service shared by `huxin report`, `huxin nightly` and the nightly job:
 * load the review state for D, evaluate the city chunk by chunk (services/chunked.ts), build the report
 * as the projects come (ReportBuilder), and (when asked) store the evaluation and the report in one
 * transaction.
 *
 * Reading — every chunk — happens inside one read transaction, so an import committing half-way through
 * cannot give the rules payroll from one state and payments from another (WAL: the read does not block
 * writers). Each chunk's findings and assessments are staged in the connection's TEMP tables (no lock on
 * the database) and let go. Storing replaces D's findings, assessments and report row together from the
 * staged rows: a failure rolls all three back, so there is never half a report in the database.
 */
import { addDays, shanghaiDateOf, type IsoDate } from '../domain/date.ts';
import { blacklistChanges, casesPastDeadline, ordersPastDue } from '../services/enforcement/reporting.ts';
import type { Db } from '../db/open.ts';
import type { RulesParams } from '../rules/params/index.ts';
import { paramsOf } from '../services/params.ts';
import {
  commitStaged,
  DEFAULT_CHUNK_SIZE,
  discardStagedRows,
  evaluateCityInChunks,
  stager,
  withStaged,
  type ChunkedEvaluation,
  type StagedRows,
} from '../services/chunked.ts';
import { DEFAULT_WORKERS, evaluateCityInParallel, shouldRunInParallel, sweepStaleStaging } from '../services/parallel/evaluate.ts';
import { renderJson } from './json.ts';
import { ReportBuilder, type EnforcementSections, type FlagRecord, type Report, type ReviewRecord } from './model.ts';

export interface ComputedReport {
  readonly asOf: IsoDate;
  /** totals, problems, review queue; `projects` is empty (each project was staged and added to the report as evaluated) */
  readonly evaluation: ChunkedEvaluation;
  /** D's findings and assessments, staged in the connection's TEMP tables until storeReport (or discardReport) */
  readonly staged: StagedRows;
  readonly report: Report;
  /** the canonical JSON (what is stored and served) */
  readonly json: string;
  /** evaluateMs covers loading, evaluating and staging the chunks (interleaved) */
  readonly timings: { loadMs: number; evaluateMs: number; buildMs: number; storeMs?: number };
}

export interface ComputeOptions {
  /** projects per chunk (services/chunked.ts) */
  readonly chunkSize?: number;
  /** worker threads (services/parallel/); default DEFAULT_WORKERS; below 2, or for a small city, this thread alone */
  readonly workers?: number;
}

/** The date (Asia/Shanghai) of a review's `at`: an ISO instant is converted, a bare date kept. */
export function reviewDateOf(at: string): IsoDate {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at as IsoDate;
  const instant = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(at) ? at : `${at}Z`);
  if (Number.isNaN(instant.getTime())) return at.slice(0, 10) as IsoDate;
  return shanghaiDateOf(instant);
}

interface ReportState {
  reviews: Map<string, ReviewRecord>;
  previous: { asOf: IsoDate; findings: FlagRecord[] } | null;
}

const PREVIOUS_FLAG_COLS = 'fingerprint, code, severity, project_id AS projectId, id_number AS idNumber, month, amount_fen AS amount, sentence';

/**
 * The reviews and the previous report's flags; call inside the report's read transaction. `onlyOrphans`:
 * of the previous flags only those of projects that no longer exist (the parallel path: each worker
 * thread reads the previous flags of its own chunks' projects).
 */
export function loadReportState(db: Db, asOf: IsoDate, onlyOrphans = false): ReportState {
  const sqlite = db.$client;
  const reviews = new Map<string, ReviewRecord>();
  for (const r of sqlite.prepare('SELECT fingerprint, status, at FROM flag_reviews').all() as { fingerprint: string; status: 'resolved' | 'dismissed'; at: string }[]) {
    reviews.set(r.fingerprint, { status: r.status, on: reviewDateOf(r.at) });
  }
  const prev = sqlite.prepare('SELECT as_of FROM reports WHERE as_of < ? ORDER BY as_of DESC LIMIT 1').get(asOf) as { as_of: IsoDate } | undefined;
  let previous: ReportState['previous'] = null;
  if (prev) previous = { asOf: prev.as_of, findings: previousFlags(db, prev.as_of, onlyOrphans ? 'orphans' : 'all') };
  return { reviews, previous };
}

/**
 * The flags stored for the previous report's date, as the report keeps them: all of them, those of projects
 * that no longer exist ('orphans'), or those of the listed projects (a worker thread's chunk).
 */
export function previousFlags(db: Db, previousAsOf: string, which: 'all' | 'orphans' | readonly number[]): FlagRecord[] {
  const where = which === 'all' ? '' : which === 'orphans' ? ' AND project_id NOT IN (SELECT id FROM projects)' : ` AND project_id IN (${which.map(() => '?').join(',')})`;
  const ids = typeof which === 'string' ? [] : which;
  return db.$client.prepare(`SELECT ${PREVIOUS_FLAG_COLS} FROM findings WHERE as_of = ?${where} ORDER BY id`).all(previousAsOf, ...ids) as FlagRecord[];
}

/** The enforcement sections as they stand at D (call in the report's snapshot). */
function enforcementAt(db: Db, asOf: IsoDate, previousAsOf: IsoDate | null): EnforcementSections {
  // blacklist changes since the previous report (the day before D for the first one), cases and orders at D
  return {
    casesPastDeadline: casesPastDeadline(db, asOf),
    ordersPastDue: ordersPastDue(db, asOf),
    blacklistChanges: blacklistChanges(db, previousAsOf ?? addDays(asOf, -1), asOf),
  };
}

/**
 * Computes D's report without writing to the database: in one read transaction (one snapshot, no write
 * lock), the review state, then the city evaluated in chunks of projects (services/chunked.ts), each
 * project's rows staged in TEMP tables and added to the report as it comes; no chunk outlives the next.
 */
export function computeReport(db: Db, asOf: IsoDate, given?: RulesParams, options: ComputeOptions = {}): ComputedReport {
  // the shipped parameters with the bureau's imports laid over them (services/params.ts), unless a test gives its own
  const effective = paramsOf(db);
  const params = given ?? effective;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const workers = options.workers ?? DEFAULT_WORKERS;
  sweepStaleStaging(db);
  if (params === effective && shouldRunInParallel(db, workers, chunkSize)) return computeReportInParallel(db, asOf, workers, chunkSize, params);
  const sqlite = db.$client;
  const stage = stager(db, asOf);
  try {
    const t0 = performance.now();
    let t1 = t0;
    const { evaluation, builder, enforcement } = sqlite
      .transaction(() => {
        const state = loadReportState(db, asOf);
        t1 = performance.now();
        const builder = new ReportBuilder({ asOf, reviews: state.reviews, previous: state.previous, params });
        const evaluation = evaluateCityInChunks(db, asOf, {
          params,
          chunkSize,
          onProject: (pe, p, injuryCover) => {
            if (pe) stage.add(pe);
            builder.addProject(p, pe, injuryCover);
          },
        });
        // enforcement sections in the same snapshot
        return { evaluation, builder, enforcement: enforcementAt(db, asOf, state.previous?.asOf ?? null) };
      })
      .deferred();
    const t2 = performance.now();
    const report = builder.finish(evaluation.problems, enforcement);
    const json = renderJson(report);
    const t3 = performance.now();
    return { asOf, evaluation, staged: stage.rows, report, json, timings: { loadMs: t1 - t0, evaluateMs: t2 - t1, buildMs: t3 - t2 } };
  } catch (e) {
    discardStagedRows(db, stage.rows);
    throw e;
  }
}

/**
 * computeReport over worker threads (services/parallel/evaluate.ts): each thread builds the report of its
 * chunks (comparing them with the previous report's flags of the same projects) and this thread absorbs the
 * parts — the same report, byte for byte.
 */
function computeReportInParallel(db: Db, asOf: IsoDate, workers: number, chunkSize: number, params: RulesParams): ComputedReport {
  const t0 = performance.now();
  const { evaluation, staged, parts, value } = evaluateCityInParallel(db, asOf, { workers, chunkSize }, () => {
    const state = loadReportState(db, asOf, true);
    return {
      report: { reviews: state.reviews, previousAsOf: state.previous?.asOf ?? null },
      value: { state, enforcement: enforcementAt(db, asOf, state.previous?.asOf ?? null) },
    };
  });
  try {
    const t2 = performance.now();
    const { state, enforcement } = value;
    // the previous flags read here are those of projects gone since: they can only have been cleared
    const builder = new ReportBuilder({ asOf, reviews: state.reviews, previous: state.previous, params });
    for (const part of parts) builder.absorb(part);
    const report = builder.finish(evaluation.problems, enforcement);
    const json = renderJson(report);
    const t3 = performance.now();
    return { asOf, evaluation, staged, report, json, timings: { loadMs: 0, evaluateMs: t2 - t0, buildMs: t3 - t2 } };
  } catch (e) {
    discardStagedRows(db, staged);
    throw e;
  }
}

/** Drops a computed report's staged rows without storing them. */
export function discardReport(db: Db, computed: ComputedReport): void {
  discardStagedRows(db, computed.staged);
}

export interface StoreHooks {
  /** called inside the transaction after every row is written; throwing rolls everything back (tests) */
  beforeCommit?: () => void;
}

/** Stores D's findings, assessments and report row in one transaction; `now` stamps created_at. */
export function storeReport(db: Db, computed: ComputedReport, now: string, hooks: StoreHooks = {}): number {
  const sqlite = db.$client;
  const t0 = performance.now();
  try {
    withStaged(db, computed.staged, () =>
      sqlite
      .transaction(() => {
        commitStaged(db, computed.staged, now);
        sqlite
          .prepare(
            `INSERT INTO reports (as_of, created_at, json) VALUES (?, ?, ?)
             ON CONFLICT(as_of) DO UPDATE SET created_at = excluded.created_at, json = excluded.json`,
          )
          .run(computed.asOf, now, computed.json);
        hooks.beforeCommit?.();
      })
      .immediate(),
    );
  } finally {
    // a computed report is stored once: its staged rows go either way (a failed store is redone by computing again)
    discardStagedRows(db, computed.staged);
  }
  const ms = performance.now() - t0;
  computed.timings.storeMs = ms;
  return ms;
}
