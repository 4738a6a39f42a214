/**
 * 任务记录与租约 — the scheduled jobs' bookkeeping (src/jobs): the `job_locks` lease that keeps two nightly
 * runs from overlapping, in one process or many, and one `job_runs` row per attempt (running → succeeded |
 * failed with the error). Engine-neutral SQL (src/store/sql.ts).
 *
 * Acquiring is one atomic statement: insert the lease, or take over an existing one only when it has
 * expired (`ON CONFLICT … DO UPDATE … WHERE expires_at < now`); SQLite runs it under its write lock,
 * PostgreSQL under the row lock of the conflicting key, so of two processes racing for the same name exactly
 * one changes a row. Times are ISO instants (toISOString), which compare correctly as text.
 */
import type { Sql } from '../sql.ts';

export interface LeaseHolder {
  readonly name: string;
  readonly owner: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

export type JobRunStatus = 'running' | 'succeeded' | 'failed';

export interface JobRunRow {
  id: number;
  job: string;
  asOf: string;
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  status: JobRunStatus;
  error: string | null;
}

export class JobsRepo {
  constructor(private readonly sql: Sql) {}

  /** Takes the lease `name` for `owner` until `expiresAt`, unless a holder's lease is still running at `at`. */
  async tryAcquire(name: string, owner: string, at: string, expiresAt: string): Promise<boolean> {
    const n = await this.sql.run(
      `INSERT INTO job_locks (name, owner, acquired_at, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
       WHERE job_locks.expires_at < excluded.acquired_at`,
      [name, owner, at, expiresAt],
    );
    return n === 1;
  }

  /** Extends the lease; false when it is no longer `owner`'s. */
  async renew(name: string, owner: string, expiresAt: string): Promise<boolean> {
    return (await this.sql.run('UPDATE job_locks SET expires_at = ? WHERE name = ? AND owner = ?', [expiresAt, name, owner])) === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.sql.run('DELETE FROM job_locks WHERE name = ? AND owner = ?', [name, owner]);
  }

  async lease(name: string): Promise<LeaseHolder | undefined> {
    const r = await this.sql.get<{ name: string; owner: string; acquired_at: string; expires_at: string }>(
      'SELECT name, owner, acquired_at, expires_at FROM job_locks WHERE name = ?',
      [name],
    );
    return r && { name: r.name, owner: r.owner, acquiredAt: r.acquired_at, expiresAt: r.expires_at };
  }

  /** A new attempt, running; its id. */
  async startRun(job: string, asOf: string, attempt: number, at: string): Promise<number> {
    const r = await this.sql.get<{ id: number }>(
      `INSERT INTO job_runs (job, as_of, attempt, started_at, status) VALUES (?, ?, ?, ?, 'running') RETURNING id`,
      [job, asOf, attempt, at],
    );
    return Number(r!.id);
  }

  async finishRun(id: number, status: Exclude<JobRunStatus, 'running'>, at: string, error: string | null): Promise<void> {
    await this.sql.run('UPDATE job_runs SET status = ?, finished_at = ?, error = ? WHERE id = ?', [status, at, error, id]);
  }

  /** Every attempt of `job` still marked running is closed as failed with `error`; how many. */
  async failRunning(job: string, at: string, error: string): Promise<number> {
    return this.sql.run(`UPDATE job_runs SET status = 'failed', finished_at = ?, error = ? WHERE job = ? AND status = 'running'`, [at, error, job]);
  }

  async runs(job: string): Promise<JobRunRow[]> {
    const rows = await this.sql.all<{ id: number; job: string; as_of: string; attempt: number; started_at: string; finished_at: string | null; status: JobRunStatus; error: string | null }>(
      'SELECT id, job, as_of, attempt, started_at, finished_at, status, error FROM job_runs WHERE job = ? ORDER BY id',
      [job],
    );
    return rows.map((r) => ({ id: r.id, job: r.job, asOf: r.as_of, attempt: r.attempt, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status, error: r.error }));
  }
}
