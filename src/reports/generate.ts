/**
 * 生成报告 — the report service shared by `huxin report`, `huxin nightly` and the nightly job:
 * load the facts and review state for D, run the rules core, build the report, and (when asked) store the
 * evaluation and the report in one transaction.
 *
 * Reading happens inside one read transaction, so an import committing half-way through the load cannot
 * give the rules payroll from one state and payments from another (WAL: the read does not block writers).
 * The evaluation runs outside any transaction. Storing replaces D's findings, assessments and report row
 * together: a failure rolls all three back, so there is never half a report in the database.
 */
import { shanghaiDateOf, type IsoDate } from '../domain/date.ts';
import { loadCityFacts } from '../db/facts.ts';
import type { Db } from '../db/open.ts';
import { evaluateCity, type CityEvaluation } from '../rules/evaluate.ts';
import type { CityFacts } from '../rules/facts.ts';
import { DEFAULT_PARAMS, type RulesParams } from '../rules/params/index.ts';
import { storeEvaluation } from '../services/recompute.ts';
import { renderJson } from './json.ts';
import { buildReport, type FlagRecord, type Report, type ReviewRecord } from './model.ts';

export interface ComputedReport {
  readonly asOf: IsoDate;
  readonly facts: CityFacts;
  readonly evaluation: CityEvaluation;
  readonly report: Report;
  /** the canonical JSON (what is stored and served) */
  readonly json: string;
  readonly timings: { loadMs: number; evaluateMs: number; buildMs: number; storeMs?: number };
}

/** The date (Asia/Shanghai) of a review's `at`: an ISO instant is converted, a bare date kept. */
export function reviewDateOf(at: string): IsoDate {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at as IsoDate;
  const instant = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(at) ? at : `${at}Z`);
  if (Number.isNaN(instant.getTime())) return at.slice(0, 10) as IsoDate;
  return shanghaiDateOf(instant);
}

interface ReportState {
  facts: CityFacts;
  reviews: Map<string, ReviewRecord>;
  previous: { asOf: IsoDate; findings: FlagRecord[] } | null;
}

/** Everything D's report reads, in one read transaction. */
export function loadReportState(db: Db, asOf: IsoDate): ReportState {
  const sqlite = db.$client;
  const read = sqlite.transaction((): ReportState => {
    const facts = loadCityFacts(db);
    const reviews = new Map<string, ReviewRecord>();
    for (const r of sqlite.prepare('SELECT fingerprint, status, at FROM flag_reviews').all() as { fingerprint: string; status: 'resolved' | 'dismissed'; at: string }[]) {
      reviews.set(r.fingerprint, { status: r.status, on: reviewDateOf(r.at) });
    }
    const prev = sqlite.prepare('SELECT as_of FROM reports WHERE as_of < ? ORDER BY as_of DESC LIMIT 1').get(asOf) as { as_of: IsoDate } | undefined;
    let previous: ReportState['previous'] = null;
    if (prev) {
      const rows = sqlite
        .prepare(
          `SELECT fingerprint, code, severity, project_id AS projectId, id_number AS idNumber, month, amount_fen AS amount, sentence
           FROM findings WHERE as_of = ? ORDER BY id`,
        )
        .all(prev.as_of) as FlagRecord[];
      previous = { asOf: prev.as_of, findings: rows };
    }
    return { facts, reviews, previous };
  });
  // deferred: a read snapshot, no write lock taken
  return read.deferred();
}

/** Computes D's report without writing anything. */
export function computeReport(db: Db, asOf: IsoDate, params: RulesParams = DEFAULT_PARAMS): ComputedReport {
  const t0 = performance.now();
  const state = loadReportState(db, asOf);
  const t1 = performance.now();
  const evaluation = evaluateCity(state.facts, asOf, params);
  const t2 = performance.now();
  const report = buildReport({ asOf, facts: state.facts, evaluation, reviews: state.reviews, previous: state.previous, params });
  const json = renderJson(report);
  const t3 = performance.now();
  return { asOf, facts: state.facts, evaluation, report, json, timings: { loadMs: t1 - t0, evaluateMs: t2 - t1, buildMs: t3 - t2 } };
}

export interface StoreHooks {
  /** called inside the transaction after every row is written; throwing rolls everything back (tests) */
  beforeCommit?: () => void;
}

/** Stores D's findings, assessments and report row in one transaction; `now` stamps created_at. */
export function storeReport(db: Db, computed: ComputedReport, now: string, hooks: StoreHooks = {}): number {
  const sqlite = db.$client;
  const t0 = performance.now();
  sqlite
    .transaction(() => {
      storeEvaluation(db, computed.evaluation, now);
      sqlite
        .prepare(
          `INSERT INTO reports (as_of, created_at, json) VALUES (?, ?, ?)
           ON CONFLICT(as_of) DO UPDATE SET created_at = excluded.created_at, json = excluded.json`,
        )
        .run(computed.asOf, now, computed.json);
      hooks.beforeCommit?.();
    })
    .immediate();
  const ms = performance.now() - t0;
  computed.timings.storeMs = ms;
  return ms;
}
