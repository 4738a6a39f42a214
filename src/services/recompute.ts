/**
 * 重算 — the recompute service: the night of day D (src/services/night/run.ts) — only the projects whose
 * outcome can have changed are evaluated (`full`: every project), and what changed is kept as state
 * (docs/STORAGE.md). The API, pages and reports read the stored state; they never run the rules on a
 * request. A recompute is atomic (the previous state stays whole if it fails) and deterministic
 * (recomputing a day over the same facts stores nothing new).
 */
import { createHash } from 'node:crypto';
import type { IsoDate } from '../domain/date.ts';
import type { RulesParams } from '../rules/params/index.ts';
import { holidayWarnings } from '../reports/model.ts';
import { paramsOfStore } from './params.ts';
import type { Store } from '../store/store.ts';
import { runNight, type NightSummary } from './night/run.ts';
import { enqueueLaborCostShortNotices } from './notices/outbox.ts';
import { enqueueSubmissionReminders } from './reminders.ts';
import { reopenWarnings } from './warnings.ts';

export interface RecomputeOptions {
  /** evaluate every project, not only those that can have changed (`huxin recompute --full`) */
  readonly full?: boolean;
  /** projects per chunk */
  readonly chunkSize?: number;
  /** the wall clock for the chunks' done_at (default: `now`) */
  readonly clock?: () => string;
}

export interface RecomputeResult extends NightSummary {
  /** flags valid on D */
  readonly findingCount: number;
  /** the city's arrears on D, in fen */
  readonly arrears: number;
  /** notices queued by this night (LABOR_COST_SHORT appearing: to the owner's contact; 催报: to the 劳资专管员) */
  readonly noticesQueued: number;
  /** why they could not be queued (the night itself stands) */
  readonly noticesError: string | null;
}

/**
 * 参数版本 — a digest of the parameter set: a night whose parameters differ from those a project was
 * evaluated with re-evaluates it.
 */
export function paramsVersionOf(params: RulesParams): string {
  return createHash('sha1').update(JSON.stringify(params)).digest('base64url');
}

/** The night of `asOf` over `store`; `now` stamps it. */
export async function recompute(store: Store, asOf: IsoDate, now: string, given?: RulesParams, options: RecomputeOptions = {}): Promise<RecomputeResult> {
  // the shipped parameters with the bureau's imports laid over them (services/params.ts), unless a test gives its own
  const params = given ?? (await paramsOfStore(store));
  const summary = await runNight(store, {
    // D's own year without a holiday notice: said on the day (the report adds each year a project needed)
    warnings: holidayWarnings(asOf, params, new Map()),
    asOf,
    now,
    params,
    paramsVersion: paramsVersionOf(params),
    mode: options.full ? 'full' : 'incremental',
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  // 预警整改闭环: a closed warning the day's facts show again reopens by itself (audited)
  await reopenWarnings(store, asOf, now);
  const day = await store.evaluations.dayTotals(asOf);
  // 通知: LABOR_COST_SHORT appearing on the latest day → the owner's contact (a past day recomputed queues nothing)
  let noticesQueued = 0;
  let noticesError: string | null = null;
  if ((await store.evaluations.latestDay()) === asOf) {
    try {
      noticesQueued = (await enqueueLaborCostShortNotices(store, asOf, now)).length;
      // 催报: a wage table or payment records not in by the due date, and again before the wage due date
      noticesQueued += (await enqueueSubmissionReminders(store, asOf, now, params)).length;
    } catch (e) {
      noticesError = e instanceof Error ? e.message : String(e);
    }
  }
  return { ...summary, findingCount: day.findings, arrears: day.arrears, noticesQueued, noticesError };
}
