/** 任务记录 — one `job_runs` row per attempt: running → succeeded | failed (with the error). */
import type Database from 'better-sqlite3';

export function startRun(sqlite: Database.Database, job: string, asOf: string, attempt: number, now: Date): number {
  const r = sqlite
    .prepare(`INSERT INTO job_runs (job, as_of, attempt, started_at, status) VALUES (?, ?, ?, ?, 'running')`)
    .run(job, asOf, attempt, now.toISOString());
  return Number(r.lastInsertRowid);
}

export function finishRun(sqlite: Database.Database, id: number, status: 'succeeded' | 'failed', now: Date, error?: string): void {
  sqlite.prepare('UPDATE job_runs SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(status, now.toISOString(), error ?? null, id);
}

/**
 * Attempts still marked running belong to a run that died (the caller holds the lease, so no live run
 * exists): they are closed as failed, so the log tells the truth.
 */
export function closeInterruptedRuns(sqlite: Database.Database, job: string, now: Date): number {
  return sqlite
    .prepare(`UPDATE job_runs SET status = 'failed', finished_at = ?, error = ? WHERE job = ? AND status = 'running'`)
    .run(now.toISOString(), '中断：运行该任务的进程在完成前退出 (interrupted: the process exited before finishing)', job).changes;
}

export interface JobRunRow {
  id: number;
  job: string;
  asOf: string;
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'succeeded' | 'failed';
  error: string | null;
}

export function listRuns(sqlite: Database.Database, job: string): JobRunRow[] {
  return sqlite
    .prepare(
      `SELECT id, job, as_of AS asOf, attempt, started_at AS startedAt, finished_at AS finishedAt, status, error
       FROM job_runs WHERE job = ? ORDER BY id`,
    )
    .all(job) as JobRunRow[];
}
