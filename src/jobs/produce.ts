/**
 * 生成一日报告 — one night's work for a date D, as run by `huxin nightly --as-of D` (the child process
 * the scheduler forks) and usable in-process by tests:
 *
 *   1. the night of D (services/recompute.ts): what changed is stored as state, atomically;
 *   2. compute: load the facts and review state (one read transaction), evaluate the city, build the report;
 *   3. stage the files in a temporary directory (fsynced);
 *   4. store D's report row;
 *   5. publish the files (rename the temporary directory to reports/YYYY-MM-DD).
 *
 * A failure in 2–4 leaves neither a report row nor a report directory for D (the staged directory is
 * removed, the transaction rolled back); the night's state stays (it is the same whichever report is
 * built from it, and recomputing it again stores nothing new). A failure between 4 and 5 leaves a complete
 * row without files; the scheduler counts a day as done only when both exist, so the next run redoes it.
 */
import type { IsoDate } from '../domain/date.ts';
import type { Db } from '../db/open.ts';
import type { ChunkedEvaluation } from '../services/chunked.ts';
import { recomputeCity } from '../services/recompute.ts';
import { computeReport, storeReport, type StoreHooks } from '../reports/generate.ts';
import { discardStaged, publishReportFiles, renderReportFiles, stageReportFiles, sweepStaleTemp } from '../reports/files.ts';

export interface ProduceOptions {
  readonly db: Db;
  readonly asOf: IsoDate;
  readonly reportsDir: string;
  /** stamps created_at and the recompute run */
  readonly now: string;
  readonly hooks?: StoreHooks & { afterStage?: () => void };
}

export interface ProduceResult {
  readonly asOf: IsoDate;
  readonly dir: string;
  readonly files: readonly string[];
  readonly projects: number;
  readonly findings: number;
  readonly problems: number;
  /** the chunked evaluation's own split of evaluateMs */
  readonly chunkTimings: ChunkedEvaluation['timings'];
  readonly timings: { loadMs: number; evaluateMs: number; buildMs: number; renderMs: number; storeMs: number; totalMs: number };
}

export async function produceNightlyReport(options: ProduceOptions): Promise<ProduceResult> {
  const { db, asOf, reportsDir, now } = options;
  const t0 = performance.now();
  sweepStaleTemp(reportsDir);
  const night = await recomputeCity(db, asOf, now);
  const computed = computeReport(db, asOf);
  const t1 = performance.now();
  const files = renderReportFiles(computed.report, computed.json);
  const staged = stageReportFiles(reportsDir, asOf, files);
  const t2 = performance.now();
  try {
    options.hooks?.afterStage?.();
    storeReport(db, computed, now, options.hooks);
  } catch (e) {
    discardStaged(staged);
    throw e;
  }
  publishReportFiles(staged);
  const t3 = performance.now();
  const findings = night.findingCount;
  return {
    asOf,
    dir: staged.finalDir,
    files: files.map((f) => f.name),
    projects: computed.evaluation.evaluatedCount,
    findings,
    problems: computed.evaluation.problems.length,
    chunkTimings: computed.evaluation.timings,
    timings: {
      loadMs: computed.timings.loadMs,
      evaluateMs: computed.timings.evaluateMs,
      buildMs: computed.timings.buildMs,
      renderMs: t2 - t1,
      storeMs: computed.timings.storeMs ?? 0,
      totalMs: t3 - t0,
    },
  };
}
