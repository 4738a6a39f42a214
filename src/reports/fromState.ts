/**
 * 由评估状态生成报告 — the nightly report of day D built from the stored evaluation of D (the night's
 * state: every project's report part, the flags valid at D), never by evaluating the city again. The flags'
 * sentences are filled in for the day shown; the open flags are those no review closed by D; the changes
 * are against the flags of the previous report's day, as the report defines them (docs/REPORT.md).
 * `assembleReport` does the arithmetic (pure); this reads its inputs in one snapshot of the store.
 */
import type { IsoDate } from '../domain/date.ts';
import { renderSentence } from '../domain/sentence.ts';
import type { RulesParams } from '../rules/params/index.ts';
import type { StoredFlag } from '../store/repos/reportState.ts';
import type { Store } from '../store/store.ts';
import { riskScoreMax } from '../rules/risk.ts';
import { assembleReport, type GoneFlag, type OpenFlag } from './assemble.ts';
import { enforcementAt, reviewDateOf, trendInputs } from './generate.ts';
import { renderJson } from './json.ts';
import { holidayWarnings, recordOf, type FlagRecord, type Report, type ReviewRecord } from './model.ts';
import type { ProjectReportPart } from './part.ts';
import { buildTrends } from './trends.ts';

/** What the report keeps of a stored flag, its sentence filled in for `day`. */
const recordAt = (f: StoredFlag, day: IsoDate): FlagRecord => recordOf({ ...f, sentence: renderSentence(f.sentence, day) });

export interface StateReport {
  readonly report: Report;
  /** the canonical JSON (what is stored and served) */
  readonly json: string;
  readonly timings: { readonly readMs: number; readonly assembleMs: number };
}

/**
 * D's report from the stored evaluation of D (services/recompute.ts stores it first); every input, the
 * enforcement sections included, read in one snapshot.
 */
export async function reportFromState(store: Store, asOf: IsoDate, params: RulesParams): Promise<StateReport> {
  const t0 = performance.now();
  const read = await store.snapshot(async (s) => {
    const previousAsOf = (await s.reportState.previousReportDay(asOf)) as IsoDate | null;
    return {
      parts: await s.reportState.parts(asOf),
      flags: await s.reportState.flags(asOf),
      previousAsOf,
      previous: previousAsOf ? await s.reportState.flags(previousAsOf) : [],
      reviews: await s.reportState.reviews(),
      ...(await trendInputs(s, asOf)),
      enforcement: await enforcementAt(s, asOf, previousAsOf, params),
    };
  });
  const t1 = performance.now();

  const reviews = new Map<string, ReviewRecord>(read.reviews.map((r) => [r.fingerprint, { status: r.status, on: reviewDateOf(r.at) }]));
  const closedOn = (fp: string, day: IsoDate): ReviewRecord | undefined => {
    const r = reviews.get(fp);
    return r && r.on <= day ? r : undefined;
  };
  const contractorOf = new Map<number, string>();
  const parts: ProjectReportPart[] = [];
  for (const p of read.parts) {
    const part = p.part as ProjectReportPart;
    parts.push(part);
    contractorOf.set(p.projectId, part.contractorUscc);
  }
  // each year without a holiday notice that projects' dates needed, with how many projects
  const provisionalYears = new Map<number, number>();
  for (const part of parts) for (const y of part.provisionalYears ?? []) provisionalYears.set(y, (provisionalYears.get(y) ?? 0) + 1);
  const problems = read.parts.filter((p) => p.problem !== null).map((p) => ({ projectId: p.projectId, projectCode: p.projectCode, message: p.problem! }));
  problems.sort((a, b) => (a.projectCode < b.projectCode ? -1 : a.projectCode > b.projectCode ? 1 : 0));

  const open = read.flags.filter((f) => !closedOn(f.fingerprint, asOf));
  const openFlags: OpenFlag[] = open.map((f) => ({ projectId: f.projectId, employerUscc: f.employerUscc ?? contractorOf.get(f.projectId) ?? '', code: f.code }));
  let added: FlagRecord[] = [];
  let gone: GoneFlag[] = [];
  if (read.previousAsOf) {
    const prev = read.previousAsOf;
    const openBefore = new Map(read.previous.filter((f) => !closedOn(f.fingerprint, prev)).map((f) => [f.fingerprint, f]));
    const openNow = new Set(open.map((f) => f.fingerprint));
    added = open.filter((f) => !openBefore.has(f.fingerprint)).map((f) => recordAt(f, asOf));
    gone = [...openBefore.values()].filter((f) => !openNow.has(f.fingerprint)).map((f) => ({ ...recordAt(f, prev), review: closedOn(f.fingerprint, asOf)?.status ?? null }));
  }
  const report = assembleReport({
    asOf,
    parts,
    problems,
    openFlags,
    previousAsOf: read.previousAsOf,
    added,
    gone,
    windowDays: params.guaranteeExpiringWindow.at(asOf).value.days,
    enforcement: read.enforcement,
    warnings: holidayWarnings(asOf, params, provisionalYears),
    riskScoreMax: riskScoreMax(params.riskWeights.at(asOf).value),
    trends: buildTrends(asOf, read.trendDays, read.trendFigures),
  });
  const json = renderJson(report);
  return { report, json, timings: { readMs: t1 - t0, assembleMs: performance.now() - t1 } };
}
