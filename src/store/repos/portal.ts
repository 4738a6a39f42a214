/**
 * 施工单位报送 — the contractor portal's reads and writes (issue 20): the projects a unit may see (the general
 * contractor of, or an employer on the current roster of), what it filed for a month, and the submissions.
 * Engine-neutral SQL (src/store/sql.ts).
 */
import { marks, type Sql } from '../sql.ts';

export interface UnitProject {
  id: number;
  code: string;
  name: string;
  county: string;
  pay_day: number;
  /** general contractor (总承包) rather than only an employer on the roster (用工单位) */
  is_contractor: boolean;
}

export interface SubmissionRow {
  id: number;
  submitted_at: string;
  token_id: number;
  submitter: string;
  uscc: string;
  kind: string;
  file_name: string;
  status: 'accepted' | 'rejected' | 'duplicate';
  batch_id: number | null;
  problem_count: number;
  problems: string;
  project_codes: string;
}

export type SubmissionInput = Omit<SubmissionRow, 'id'>;

export class PortalRepo {
  constructor(private readonly sql: Sql) {}

  /** The unit's projects: general contractor of, or employer of someone on the current roster of. */
  async projectsOfUnit(uscc: string): Promise<UnitProject[]> {
    const rows = await this.sql.all<UnitProject & { is_contractor: unknown }>(
      `SELECT p.id, p.code, p.name, p.county, p.pay_day, CASE WHEN p.contractor_uscc = ? THEN 1 ELSE 0 END AS is_contractor
         FROM projects p
        WHERE p.contractor_uscc = ?
           OR EXISTS (SELECT 1 FROM roster_entries r WHERE r.project_id = p.id AND r.employer_uscc = ? AND r.superseded_by IS NULL)
        ORDER BY p.code`,
      [uscc, uscc, uscc],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), pay_day: Number(r.pay_day), is_contractor: Number(r.is_contractor) === 1 }));
  }

  /** Current wage-table rows per project for one month. */
  async payrollCounts(projectIds: readonly number[], month: string): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (projectIds.length === 0) return out;
    const rows = await this.sql.all<{ project_id: number; n: number }>(
      `SELECT project_id, COUNT(*) AS n FROM payroll_rows WHERE month = ? AND superseded_by IS NULL AND project_id IN (${marks(projectIds.length)}) GROUP BY project_id`,
      [month, ...projectIds],
    );
    for (const r of rows) out.set(Number(r.project_id), Number(r.n));
    return out;
  }

  async insertSubmission(s: SubmissionInput): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO portal_submissions (submitted_at, token_id, submitter, uscc, kind, file_name, status, batch_id, problem_count, problems, project_codes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [s.submitted_at, s.token_id, s.submitter, s.uscc, s.kind, s.file_name, s.status, s.batch_id, s.problem_count, s.problems, s.project_codes],
    );
    return Number(row!.id);
  }

  /** Submissions newest first: one unit's, or (uscc null) every unit's. */
  async submissions(filter: { uscc: string | null; status?: string | null; limit: number }): Promise<SubmissionRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.uscc !== null) {
      where.push('uscc = ?');
      params.push(filter.uscc);
    }
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    const rows = await this.sql.all<SubmissionRow>(
      `SELECT * FROM portal_submissions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...params, filter.limit],
    );
    return rows.map((r) => ({
      ...r,
      id: Number(r.id),
      token_id: Number(r.token_id),
      batch_id: r.batch_id === null ? null : Number(r.batch_id),
      problem_count: Number(r.problem_count),
      problems: typeof r.problems === 'string' ? r.problems : JSON.stringify(r.problems),
      project_codes: typeof r.project_codes === 'string' ? r.project_codes : JSON.stringify(r.project_codes),
    }));
  }

  /** Unit names by credit code (the employers table). */
  async unitNames(usccs: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (usccs.length === 0) return out;
    for (const r of await this.sql.all<{ uscc: string; name: string }>(`SELECT uscc, name FROM employers WHERE uscc IN (${marks(usccs.length)})`, [...usccs])) out.set(r.uscc, r.name);
    return out;
  }
}
