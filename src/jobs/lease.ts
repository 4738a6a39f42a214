/**
 * 任务租约 — a lease in `job_locks` that keeps two nightly runs from overlapping, in one process or many.
 *
 * Acquire is one atomic statement: insert the lease, or take over an existing one only when it has expired
 * (`ON CONFLICT … DO UPDATE … WHERE expires_at < now`). SQLite runs it under its write lock, so of two
 * processes racing for the same name exactly one sees `changes = 1`. The holder renews `expires_at` while it
 * works; a holder that died stops renewing and its lease can be taken over once it expires. Times are ISO
 * instants (toISOString), which compare correctly as text.
 */
import type Database from 'better-sqlite3';

export interface LeaseHolder {
  readonly name: string;
  readonly owner: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

export function tryAcquireLease(sqlite: Database.Database, name: string, owner: string, now: Date, ttlMs: number): boolean {
  const at = now.toISOString();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  const r = sqlite
    .prepare(
      `INSERT INTO job_locks (name, owner, acquired_at, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
       WHERE job_locks.expires_at < excluded.acquired_at`,
    )
    .run(name, owner, at, expires);
  return r.changes === 1;
}

/** Extends the lease; false when it is no longer ours (it expired and another run took it over). */
export function renewLease(sqlite: Database.Database, name: string, owner: string, now: Date, ttlMs: number): boolean {
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  return sqlite.prepare('UPDATE job_locks SET expires_at = ? WHERE name = ? AND owner = ?').run(expires, name, owner).changes === 1;
}

export function releaseLease(sqlite: Database.Database, name: string, owner: string): void {
  sqlite.prepare('DELETE FROM job_locks WHERE name = ? AND owner = ?').run(name, owner);
}

export function currentLease(sqlite: Database.Database, name: string): LeaseHolder | undefined {
  return sqlite.prepare('SELECT name, owner, acquired_at AS acquiredAt, expires_at AS expiresAt FROM job_locks WHERE name = ?').get(name) as
    | LeaseHolder
    | undefined;
}
