/**
 * 夜间报告（读）— what the API reads of the stored nightly reports: the list, newest first, and one report's
 * canonical JSON (text on both engines, so its bytes are served as stored). The nightly run writes them.
 * Engine-neutral SQL (src/store/sql.ts).
 */
import type { Sql } from '../sql.ts';

export interface StoredReport {
  asOf: string;
  json: string;
}

export class ReportViewsRepo {
  constructor(private readonly sql: Sql) {}

  async count(): Promise<number> {
    return Number((await this.sql.get<{ n: number }>('SELECT count(*) AS n FROM reports'))?.n ?? 0);
  }

  /** A page of the stored reports' days and creation instants, newest day first. */
  async page(limit: number, offset: number): Promise<{ asOf: string; createdAt: string }[]> {
    const rows = await this.sql.rows<[string, string]>('SELECT as_of, created_at FROM reports ORDER BY as_of DESC LIMIT ? OFFSET ?', [limit, offset]);
    return rows.map(([asOf, createdAt]) => ({ asOf, createdAt }));
  }

  /** The report of a day (`latest`: the newest), or null. */
  async one(asOf: string | 'latest'): Promise<StoredReport | null> {
    const r =
      asOf === 'latest'
        ? await this.sql.get<{ as_of: string; json: string }>('SELECT as_of, json FROM reports ORDER BY as_of DESC LIMIT 1')
        : await this.sql.get<{ as_of: string; json: string }>('SELECT as_of, json FROM reports WHERE as_of = ?', [asOf]);
    return r ? { asOf: r.as_of, json: r.json } : null;
  }
}
