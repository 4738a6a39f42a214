/**
 * 项目预警 — what the warnings (src/rules/warnings.ts) are derived from: the current flags not yet reviewed
 * (the versions still valid, `valid_to IS NULL`, with no decision in flag_reviews), read as arrays (one row
 * per flag, no JSON), and the projects they name with their general contractor. The rules core groups and
 * grades them; overdue days are counted by the reader from the stored due dates.
 */
import { marks, type Sql } from '../sql.ts';

/** id, code, severity, project_id, id_number, month, amount_fen, due_date */
export type WarningFlagRow = [number, string, string, number, string | null, string | null, number | null, string | null];

export interface WarningProjectRow {
  id: number;
  code: string;
  name: string;
  county: string;
  contractor_uscc: string;
  contractor_name: string | null;
  risk_score: number | null;
}

export class WarningsRepo {
  constructor(private readonly sql: Sql) {}

  /** The open current flags, of one project or of a county or of the city. */
  async openFlags(f: { projectId?: number; county?: string } = {}): Promise<WarningFlagRow[]> {
    const parts = ['fv.valid_to IS NULL', 'NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = fv.fingerprint)'];
    const params: unknown[] = [];
    if (f.projectId !== undefined) (parts.push('fv.project_id = ?'), params.push(f.projectId));
    if (f.county !== undefined) (parts.push('fv.county = ?'), params.push(f.county));
    const rows = await this.sql.rows<WarningFlagRow>(
      `SELECT fv.id, fv.code, fv.severity, fv.project_id, fv.id_number, fv.month, fv.amount_fen, fv.due_date
         FROM finding_versions fv WHERE ${parts.join(' AND ')} ORDER BY fv.id`,
      params,
    );
    // dates come back as Date objects on PostgreSQL
    for (const r of rows) if (r[7] !== null && typeof r[7] !== 'string') r[7] = (r[7] as unknown as Date).toISOString().slice(0, 10);
    return rows.map((r) => [Number(r[0]), r[1], r[2], Number(r[3]), r[4], r[5], r[6] === null ? null : Number(r[6]), r[7]]);
  }

  /** The projects by id, with the general contractor's name and the current risk score. */
  async projects(ids: readonly number[]): Promise<WarningProjectRow[]> {
    if (ids.length === 0) return [];
    const out: WarningProjectRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      out.push(
        ...(await this.sql.all<WarningProjectRow>(
          `SELECT p.id, p.code, p.name, p.county, p.contractor_uscc, e.name AS contractor_name, s.risk_score
             FROM projects p LEFT JOIN employers e ON e.uscc = p.contractor_uscc LEFT JOIN project_states s ON s.project_id = p.id
            WHERE p.id IN (${marks(chunk.length)})`,
          chunk,
        )),
      );
    }
    return out;
  }

  /** Workers' names by identity number (the roster's name registry). */
  async workerNames(idNumbers: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(idNumbers)];
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const r of await this.sql.all<{ id_number: string; name: string }>(`SELECT id_number, name FROM workers WHERE id_number IN (${marks(chunk.length)})`, chunk)) out.set(r.id_number, r.name);
    }
    return out;
  }

  /**
   * What the warnings of the latest day are derived from, as one cheap key: the evaluated days (a night or a
   * recompute rewrites its row), the current flags (a new version, a flag gone, an erasure), the reviews (a
   * decision takes a flag out) and the imported parameters. Equal keys, equal warnings.
   */
  async stateKey(): Promise<string> {
    const r = await this.sql.get<Record<string, unknown>>(
      `SELECT (SELECT MAX(as_of) FROM evaluated_days) AS d, (SELECT MAX(computed_at) FROM evaluated_days) AS c, (SELECT COUNT(*) FROM evaluated_days) AS n,
              (SELECT MAX(id) FROM finding_versions) AS fm, (SELECT COUNT(*) FROM finding_versions WHERE valid_to IS NULL) AS fn,
              (SELECT COUNT(*) FROM flag_reviews) AS rn, (SELECT MAX(at) FROM flag_reviews) AS ra, (SELECT COUNT(*) FROM param_values) AS pn, (SELECT MAX(id) FROM param_values) AS pm`,
    );
    return JSON.stringify(Object.values(r ?? {}).map((v) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v))));
  }

  /** The latest evaluated day (the day the current flags are of), or null before the first evaluation. */
  async latestDay(): Promise<string | null> {
    const r = await this.sql.get<{ d: unknown }>('SELECT MAX(as_of) AS d FROM evaluated_days');
    if (!r || r.d === null || r.d === undefined) return null;
    return r.d instanceof Date ? r.d.toISOString().slice(0, 10) : String(r.d);
  }
}
