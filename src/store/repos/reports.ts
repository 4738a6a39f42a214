/**
 * 夜间报告 — the stored reports: one row per day, its canonical JSON (text on both engines: jsonb would
 * reorder its keys). Written by the nightly run and `huxin report`; read by the scheduler to find the
 * days still to report. Engine-neutral SQL (src/store/sql.ts).
 */
import type { Sql } from '../sql.ts';

export class ReportsRepo {
  constructor(private readonly sql: Sql) {}

  /** Stores D's report, replacing an earlier one of D. */
  async save(asOf: string, createdAt: string, json: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO reports (as_of, created_at, json) VALUES (?, ?, ?)
       ON CONFLICT (as_of) DO UPDATE SET created_at = excluded.created_at, json = excluded.json`,
      [asOf, createdAt, json],
    );
  }

  /** The days from `from` to `to` (inclusive) that have a stored report, in order. */
  async daysBetween(from: string, to: string): Promise<string[]> {
    return (await this.sql.rows<[string]>('SELECT as_of FROM reports WHERE as_of >= ? AND as_of <= ? ORDER BY as_of', [from, to])).map((r) => r[0]);
  }

  /** D's stored JSON, or null. */
  async json(asOf: string): Promise<string | null> {
    return (await this.sql.get<{ json: string }>('SELECT json FROM reports WHERE as_of = ?', [asOf]))?.json ?? null;
  }
}
