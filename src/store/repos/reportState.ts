/**
 * 报告所需的存储状态 — what the nightly report of day D reads from the stored evaluation (src/reports/
 * fromState.ts): every project's report part valid at D, the flags valid at D and at the previous
 * report's day, the reviews, the day's warnings. Read in the caller's snapshot.
 */
import { json, marks, type Sql } from '../sql.ts';
import { resolveMembers } from './outcomeParts.ts';
import { Type } from 'typebox';
import type { DayFigures } from '../../reports/trends.ts';

export interface StoredFlag {
  readonly fingerprint: string;
  readonly code: string;
  readonly severity: string;
  readonly projectId: number;
  readonly employerUscc: string | null;
  readonly idNumber: string | null;
  readonly month: string | null;
  readonly amount: number | null;
  /** the template (filled in for the day shown) */
  readonly sentence: string;
}

const Warnings = Type.Array(Type.Object({ code: Type.String(), message: Type.String() }));

export class ReportStateRepo {
  constructor(private readonly sql: Sql) {}

  /** Every project's outcome valid at D: its report part (JSON as stored) and why it could not be evaluated. */
  async parts(asOf: string): Promise<{ projectId: number; projectCode: string; part: unknown; problem: string | null }[]> {
    const rows = await this.sql.rows<[number, string, unknown, string | null]>(
      `SELECT o.project_id, COALESCE(p.code, ''), o.report_part, o.problem FROM project_outcomes o LEFT JOIN projects p ON p.id = o.project_id
        WHERE o.valid_from <= ? AND (o.valid_to IS NULL OR o.valid_to > ?) ORDER BY o.project_id`,
      [asOf, asOf],
    );
    const out = rows.map(([projectId, projectCode, part, problem]) => ({ projectId, projectCode, part: (typeof part === 'string' ? JSON.parse(part) : part) as unknown, problem }));
    // an outcome version keeps its large members as references to outcome_parts (outcomeParts.ts)
    await resolveMembers(this.sql, out.map((o) => o.part));
    return out;
  }

  /** The flags valid at D, in project and fingerprint order. */
  async flags(asOf: string): Promise<StoredFlag[]> {
    const rows = await this.sql.rows<[string, string, string, number, string | null, string | null, string | null, number | null, string]>(
      `SELECT fingerprint, code, severity, project_id, employer_uscc, id_number, month, amount_fen, sentence FROM finding_versions
        WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY project_id, fingerprint`,
      [asOf, asOf],
    );
    return rows.map(([fingerprint, code, severity, projectId, employerUscc, idNumber, month, amount, sentence]) => ({ fingerprint, code, severity, projectId, employerUscc, idNumber, month, amount, sentence }));
  }

  /** Every review: fingerprint → status and instant. */
  async reviews(): Promise<{ fingerprint: string; status: 'resolved' | 'dismissed'; at: string }[]> {
    return this.sql.all('SELECT fingerprint, status, at FROM flag_reviews');
  }

  /** The latest stored report's day before D, or null. */
  async previousReportDay(asOf: string): Promise<string | null> {
    return (await this.sql.get<{ d: string | null }>('SELECT MAX(as_of) AS d FROM reports WHERE as_of < ?', [asOf]))?.d ?? null;
  }

  /** The warnings recorded with D's evaluation (a missing holiday schedule …); [] if none. */
  async warnings(asOf: string): Promise<{ code: string; message: string }[]> {
    const r = await this.sql.get<{ warnings: unknown }>('SELECT warnings FROM evaluated_days WHERE as_of = ?', [asOf]);
    return r ? json('evaluated_days.warnings', Warnings, r.warnings) : [];
  }

  /** The evaluated days in [from, to], oldest first (trends, src/reports/trends.ts). */
  async evaluatedDays(from: string, to: string): Promise<string[]> {
    const rows = await this.sql.all<{ as_of: string }>('SELECT as_of FROM evaluated_days WHERE as_of >= ? AND as_of <= ? ORDER BY as_of', [from, to]);
    return rows.map((r) => r.as_of);
  }

  /** One evaluated day's trend figures: flags raised, critical flags, the arrears and projects in arrears valid that day. */
  async dayFigures(day: string): Promise<DayFigures> {
    const f = await this.sql.get<{ n: number | string }>('SELECT finding_count AS n FROM evaluated_days WHERE as_of = ?', [day]);
    const c = await this.sql.get<{ n: number | string | null }>("SELECT SUM(n) AS n FROM daily_flag_counts WHERE as_of = ? AND severity = 'critical'", [day]);
    const a = await this.sql.get<{ fen: number | string | null; projects: number | string | null }>(
      `SELECT SUM(arrears_fen) AS fen, SUM(CASE WHEN arrears_fen > 0 THEN 1 ELSE 0 END) AS projects FROM project_outcomes
        WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`,
      [day, day],
    );
    return { day, flags: Number(f?.n ?? 0), criticalFlags: Number(c?.n ?? 0), arrearsFen: Number(a?.fen ?? 0), projectsInArrears: Number(a?.projects ?? 0) };
  }
}
