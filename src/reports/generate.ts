/**
 * 生成报告 — the report service shared by `huxin report`, `huxin nightly` and the nightly job:
 * load the review state for D, evaluate the city chunk by chunk (services/chunked.ts), build the report
 * as the projects come (ReportBuilder), and (when asked) store the report row. D's findings and
 * assessments are the night's state (services/recompute.ts), stored before the report.
 *
 * Reading — every chunk — happens inside one read transaction, so an import committing half-way through
 * cannot give the rules payroll from one state and payments from another (WAL: the read does not block
 * writers).
 */
import { addDays, shanghaiDateOf, type IsoDate } from '../domain/date.ts';
import { blacklistChanges, casesPastDeadline, ordersPastDue, rectificationsOverdue } from '../services/enforcement/reporting.ts';
import type { Db } from '../db/open.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import type { RulesParams } from '../rules/params/index.ts';
import { paramsOf } from '../services/params.ts';
import { DEFAULT_CHUNK_SIZE, evaluateCityInChunks, type ChunkedEvaluation } from '../services/chunked.ts';
import { renderSentence } from '../domain/sentence.ts';
import { renderJson } from './json.ts';
import { dayFiguresOf, evaluatedDaysBetween } from '../db/trends.ts';
import { buildTrends, neededDays, trendsFrom, type Trends } from './trends.ts';
import { ReportBuilder, type EnforcementSections, type FlagRecord, type Report, type ReviewRecord } from './model.ts';

export interface ComputedReport {
  readonly asOf: IsoDate;
  /** totals, problems, review queue; `projects` is empty (each project was added to the report as evaluated) */
  readonly evaluation: ChunkedEvaluation;
  readonly report: Report;
  /** the canonical JSON (what is stored and served) */
  readonly json: string;
  /** evaluateMs covers loading and evaluating the chunks (interleaved) */
  readonly timings: { loadMs: number; evaluateMs: number; buildMs: number; storeMs?: number };
}

export interface ComputeOptions {
  /** projects per chunk (services/chunked.ts) */
  readonly chunkSize?: number;
  /** the store the enforcement sections are read through (default: one opened on `db`'s file for the call) */
  readonly store?: Store;
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

/** The reviews and the previous report's flags; call inside the report's read transaction. */
export function loadReportState(db: Db, asOf: IsoDate): ReportState {
  const sqlite = db.$client;
  const reviews = new Map<string, ReviewRecord>();
  for (const r of sqlite.prepare('SELECT fingerprint, status, at FROM flag_reviews').all() as { fingerprint: string; status: 'resolved' | 'dismissed'; at: string }[]) {
    reviews.set(r.fingerprint, { status: r.status, on: reviewDateOf(r.at) });
  }
  const prev = sqlite.prepare('SELECT as_of FROM reports WHERE as_of < ? ORDER BY as_of DESC LIMIT 1').get(asOf) as { as_of: IsoDate } | undefined;
  let previous: ReportState['previous'] = null;
  if (prev) previous = { asOf: prev.as_of, findings: previousFlags(db, prev.as_of) };
  return { reviews, previous };
}

/** The flags stored for the previous report's date, as the report keeps them (sentences as of that day). */
export function previousFlags(db: Db, previousAsOf: string): FlagRecord[] {
  const rows = db.$client.prepare(`SELECT ${PREVIOUS_FLAG_COLS} FROM findings WHERE as_of = ? ORDER BY project_id, fingerprint`).all(previousAsOf) as FlagRecord[];
  return rows.map((f) => ({ ...f, sentence: renderSentence(f.sentence, previousAsOf as IsoDate) }));
}

/** The enforcement sections as they stand at D, judged with the report's parameters (call in the report's snapshot). */
export async function enforcementAt(store: Store, asOf: IsoDate, previousAsOf: IsoDate | null, params: RulesParams): Promise<EnforcementSections> {
  // blacklist changes since the previous report (the day before D for the first one), cases, orders and
  // rectifications at D
  const judge = { store, params };
  return {
    casesPastDeadline: await casesPastDeadline(judge, asOf),
    ordersPastDue: await ordersPastDue(judge, asOf),
    blacklistChanges: await blacklistChanges(store, previousAsOf ?? addDays(asOf, -1), asOf),
    rectificationsOverdue: await rectificationsOverdue(store, asOf, params),
  };
}

/** The trends of D's report from the findings history (reports/trends.ts), read on the SQLite floor. */
export function trendsAt(db: Db, asOf: IsoDate): Trends {
  const evaluated = evaluatedDaysBetween(db, trendsFrom(asOf), asOf);
  return buildTrends(asOf, evaluated, neededDays(asOf, evaluated).map((d) => dayFiguresOf(db, d)));
}

/**
 * Computes D's report without writing to the database: in one read transaction (one snapshot, no write
 * lock), the review state, then the city evaluated in chunks of projects (services/chunked.ts), each
 * project added to the report as it comes; no chunk outlives the next.
 */
export async function computeReport(db: Db, asOf: IsoDate, given?: RulesParams, options: ComputeOptions = {}): Promise<ComputedReport> {
  // the shipped parameters with the bureau's imports laid over them (services/params.ts), unless a test gives its own
  const params = given ?? paramsOf(db);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const sqlite = db.$client;
  const t0 = performance.now();
  let t1 = t0;
  const { evaluation, builder, previousAsOf, trends } = sqlite
    .transaction(() => {
      const state = loadReportState(db, asOf);
      t1 = performance.now();
      const builder = new ReportBuilder({ asOf, reviews: state.reviews, previous: state.previous, params });
      const evaluation = evaluateCityInChunks(db, asOf, { params, chunkSize, onProject: (pe, p, injuryCover) => builder.addProject(p, pe, injuryCover) });
      // the trends' history in the same snapshot
      return { evaluation, builder, previousAsOf: state.previous?.asOf ?? null, trends: trendsAt(db, asOf) };
    })
    .deferred();
  // the enforcement records are behind the store (async): read in a snapshot of their own, after the evaluation
  const store = options.store ?? (await openStore(sqlite.name));
  let enforcement: EnforcementSections;
  try {
    enforcement = await store.snapshot((s) => enforcementAt(s, asOf, previousAsOf, params));
  } finally {
    if (!options.store) await store.close();
  }
  const t2 = performance.now();
  const report = builder.finish(evaluation.problems, enforcement, trends);
  const json = renderJson(report);
  const t3 = performance.now();
  return { asOf, evaluation, report, json, timings: { loadMs: t1 - t0, evaluateMs: t2 - t1, buildMs: t3 - t2 } };
}

export interface StoreHooks {
  /** called inside the transaction after the row is written; throwing rolls it back (tests) */
  beforeCommit?: () => void;
}

/** Stores D's report row (its canonical JSON); `now` stamps created_at; returns the milliseconds it took. */
export function storeReport(db: Db, computed: { readonly asOf: IsoDate; readonly json: string; readonly timings?: { storeMs?: number } }, now: string, hooks: StoreHooks = {}): number {
  const sqlite = db.$client;
  const t0 = performance.now();
  sqlite
    .transaction(() => {
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
  if (computed.timings) computed.timings.storeMs = ms;
  return ms;
}
