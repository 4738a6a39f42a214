/** 任务记录 — one `job_runs` row per attempt: running → succeeded | failed (with the error). */
import type { Store } from '../store/store.ts';
import type { JobRunRow } from '../store/repos/jobs.ts';

export type { JobRunRow };

export function startRun(store: Store, job: string, asOf: string, attempt: number, now: Date): Promise<number> {
  return store.jobs.startRun(job, asOf, attempt, now.toISOString());
}

export function finishRun(store: Store, id: number, status: 'succeeded' | 'failed', now: Date, error?: string): Promise<void> {
  return store.jobs.finishRun(id, status, now.toISOString(), error ?? null);
}

/**
 * Attempts still marked running belong to a run that died (the caller holds the lease, so no live run
 * exists): they are closed as failed, so the log tells the truth.
 */
export function closeInterruptedRuns(store: Store, job: string, now: Date): Promise<number> {
  return store.jobs.failRunning(job, now.toISOString(), '中断：运行该任务的进程在完成前退出 (interrupted: the process exited before finishing)');
}

export function listRuns(store: Store, job: string): Promise<JobRunRow[]> {
  return store.jobs.runs(job);
}
