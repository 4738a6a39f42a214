/**
 * 生成报告 — the report service shared by `huxin report`, `huxin nightly` and the nightly job: the review
 * state for D, the enforcement sections and the trends, and storing the report row. Over the store, so on
 * either engine.
 *
 * `computeReport` is the evaluating builder — the oracle the stored-state report (fromState.ts) is proven
 * against: it evaluates the city chunk by chunk (a general contractor's projects together) inside one
 * snapshot, so an import committing half-way through cannot give the rules payroll from one state and
 * payments from another, and builds the report as the projects come (ReportBuilder).
 */
import { addDays, shanghaiDateOf, type IsoDate } from '../domain/date.ts';
import { blacklistChanges, casesPastDeadline, ordersPastDue, rectificationsOverdue } from '../services/enforcement/reporting.ts';
import type { RulesParams } from '../rules/params/index.ts';
import { paramsOfStore } from '../services/params.ts';
import { CityAccumulator, DEFAULT_CHUNK_SIZE, evaluateLoadedChunk, type ChunkedEvaluation } from '../services/chunked.ts';
import { planNight } from '../services/night/plan.ts';
import { renderSentence } from '../domain/sentence.ts';
import type { Store } from '../store/store.ts';
import { renderJson } from './json.ts';
import { buildTrends, neededDays, trendsFrom, type DayFigures, type Trends } from './trends.ts';
import { ReportBuilder, recordOf, type EnforcementSections, type FlagRecord, type Report, type ReviewRecord } from './model.ts';

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
  /** projects per chunk (a contractor's projects are kept together, so a chunk may be larger) */
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

export interface ReportState {
  reviews: Map<string, ReviewRecord>;
  previous: { asOf: IsoDate; findings: FlagRecord[] } | null;
}

/** The reviews and the previous report's flags (sentences as of that day); call in the report's snapshot. */
export async function loadReportState(store: Store, asOf: IsoDate): Promise<ReportState> {
  const reviews = new Map<string, ReviewRecord>();
  for (const r of await store.reportState.reviews()) reviews.set(r.fingerprint, { status: r.status, on: reviewDateOf(r.at) });
  const prev = (await store.reportState.previousReportDay(asOf)) as IsoDate | null;
  if (!prev) return { reviews, previous: null };
  const findings = (await store.reportState.flags(prev)).map((f) => recordOf({ ...f, sentence: renderSentence(f.sentence, prev) }));
  return { reviews, previous: { asOf: prev, findings } };
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

/** The evaluated days of the trends' range and the figures of the days shown (trends.ts), in the caller's snapshot. */
export async function trendInputs(store: Store, asOf: IsoDate): Promise<{ trendDays: string[]; trendFigures: DayFigures[] }> {
  const trendDays = await store.reportState.evaluatedDays(trendsFrom(asOf), asOf);
  const trendFigures: DayFigures[] = [];
  for (const d of neededDays(asOf, trendDays)) trendFigures.push(await store.reportState.dayFigures(d));
  return { trendDays, trendFigures };
}

/** The trends of D's report from the findings history (reports/trends.ts). */
export async function trendsAt(store: Store, asOf: IsoDate): Promise<Trends> {
  const { trendDays, trendFigures } = await trendInputs(store, asOf);
  return buildTrends(asOf, trendDays, trendFigures);
}

/**
 * Computes D's report by evaluating the city, without writing: in one snapshot, the review state, then the
 * city in chunks of projects, each project added to the report as it comes; no chunk outlives the next.
 */
export async function computeReport(store: Store, asOf: IsoDate, given?: RulesParams, options: ComputeOptions = {}): Promise<ComputedReport> {
  // the shipped parameters with the bureau's imports laid over them (services/params.ts), unless a test gives its own
  const params = given ?? (await paramsOfStore(store));
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const t0 = performance.now();
  let t1 = t0;
  const { evaluation, builder, enforcement, trends } = await store.snapshot(async (s) => {
    const state = await loadReportState(s, asOf);
    t1 = performance.now();
    const builder = new ReportBuilder({ asOf, reviews: state.reviews, previous: state.previous, params });
    const acc = new CityAccumulator(asOf);
    // every project, a general contractor's projects in one chunk (the deposit rule reads all of them)
    const plan = await planNight(s, { asOf, paramsVersion: '', mode: 'full', chunkSize });
    const tc = performance.now();
    const crossProjectDays = await s.facts.crossProjectDays(asOf);
    const blacklist = plan.chunks.length > 0 ? await s.facts.blacklist() : [];
    acc.timings.crossMs = performance.now() - tc;
    for (const ids of plan.chunks) {
      const tl = performance.now();
      const { projects } = await s.facts.projects(ids);
      const facts = {
        projects,
        blacklist,
        injuryInsurance: await s.facts.injuryInsurance(ids),
        contractorHistory: await s.facts.contractorHistory(projects.map((p) => p.contractorUscc)),
      };
      acc.add(evaluateLoadedChunk(facts, performance.now() - tl, asOf, params, crossProjectDays, (pe, p, injuryCover) => builder.addProject(p, pe, injuryCover)));
    }
    // enforcement sections and the trends' history in the same snapshot
    return { evaluation: acc.finish(), builder, enforcement: await enforcementAt(s, asOf, state.previous?.asOf ?? null, params), trends: await trendsAt(s, asOf) };
  });
  const t2 = performance.now();
  const report = builder.finish(evaluation.problems, enforcement, trends);
  const json = renderJson(report);
  const t3 = performance.now();
  return { asOf, evaluation, report, json, timings: { loadMs: t1 - t0, evaluateMs: t2 - t1, buildMs: t3 - t2 } };
}

export interface StoreHooks {
  /** called inside the transaction after the row is written; throwing rolls it back (tests) */
  beforeCommit?: () => void | Promise<void>;
}

/** Stores D's report row (its canonical JSON); `now` stamps created_at; returns the milliseconds it took. */
export async function storeReport(
  store: Store,
  computed: { readonly asOf: IsoDate; readonly json: string; readonly timings?: { storeMs?: number } },
  now: string,
  hooks: StoreHooks = {},
): Promise<number> {
  const t0 = performance.now();
  await store.tx(async (tx) => {
    await tx.reports.save(computed.asOf, now, computed.json);
    await hooks.beforeCommit?.();
  });
  const ms = performance.now() - t0;
  if (computed.timings) computed.timings.storeMs = ms;
  return ms;
}
