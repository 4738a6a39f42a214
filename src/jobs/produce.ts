/**
 * 生成一日报告 — one night's work for a date D, as run by `huxin nightly --as-of D` (the child process
 * the scheduler forks) and usable in-process by tests:
 *
 *   1. the night of D (services/recompute.ts): what changed is stored as state, atomically;
 *   2. the report of D read off that stored evaluation (reports/fromState.ts), not evaluated again;
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
import { storeReport, type StoreHooks } from '../reports/generate.ts';
import { discardStaged, publishReportFiles, renderReportFiles, stageReportFiles, sweepStaleTemp } from '../reports/files.ts';
import { reportFromState } from '../reports/fromState.ts';
import { paramsOfStore } from '../services/params.ts';
import { recompute } from '../services/recompute.ts';
import type { Store } from '../store/store.ts';

export interface ProduceOptions {
  readonly store: Store;
  readonly asOf: IsoDate;
  readonly reportsDir: string;
  /** stamps created_at and the night */
  readonly now: string;
  readonly hooks?: StoreHooks & { afterStage?: () => void | Promise<void> };
}

export interface ProduceResult {
  readonly asOf: IsoDate;
  readonly dir: string;
  readonly files: readonly string[];
  readonly projects: number;
  /** projects the night evaluated (the others could not have changed) */
  readonly evaluated: number;
  readonly findings: number;
  readonly problems: number;
  /** a worker thread of the night that failed (its chunks evaluated by the main thread): logged with the run */
  readonly threadFailures?: readonly string[];
  readonly timings: { nightMs: number; readMs: number; assembleMs: number; renderMs: number; storeMs: number; totalMs: number };
}

export async function produceNightlyReport(options: ProduceOptions): Promise<ProduceResult> {
  const { store, asOf, reportsDir, now } = options;
  const t0 = performance.now();
  sweepStaleTemp(reportsDir);
  const night = await recompute(store, asOf, now);
  const t1 = performance.now();
  // the report is read off the night's stored evaluation (src/reports/fromState.ts), not evaluated again
  const computed = await reportFromState(store, asOf, await paramsOfStore(store));
  const t2 = performance.now();
  const files = await renderReportFiles(computed.report, computed.json);
  const staged = stageReportFiles(reportsDir, asOf, files);
  const t3 = performance.now();
  let storeMs = 0;
  try {
    await options.hooks?.afterStage?.();
    storeMs = await storeReport(store, { asOf, json: computed.json }, now, options.hooks);
  } catch (e) {
    discardStaged(staged);
    throw e;
  }
  publishReportFiles(staged);
  return {
    asOf,
    dir: staged.finalDir,
    files: files.map((f) => f.name),
    projects: night.projectCount,
    evaluated: night.evaluatedCount,
    findings: night.findingCount,
    problems: night.problems.length,
    ...(night.threadFailures.length > 0 ? { threadFailures: night.threadFailures } : {}),
    timings: { nightMs: t1 - t0, readMs: computed.timings.readMs, assembleMs: computed.timings.assembleMs, renderMs: t3 - t2, storeMs, totalMs: performance.now() - t0 },
  };
}
