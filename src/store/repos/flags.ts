/**
 * 预警 — the flags of an evaluated day as the API shows them (the `findings` view: the versions valid on
 * that day), the inspectors' reviews, a worker's and a project's open flags, and the orders and cases each
 * worker-month is in. The latest day's queue is the read model of queue.ts; this is the rest. JSON columns
 * (text on SQLite, jsonb on PostgreSQL) are read through json(). Engine-neutral SQL (src/store/sql.ts).
 */
import { Type } from 'typebox';
import { json, marks, type Sql } from '../sql.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** A flag of one day with its project, its project's risk that day and its review. */
export interface FlagRow {
  id: number;
  as_of: string;
  fingerprint: string;
  code: string;
  severity: string;
  project_id: number;
  id_number: string | null;
  month: string | null;
  amount_fen: number | null;
  sentence: string;
  legal_basis: unknown;
  params: unknown[];
  evidence: unknown[];
  project_code: string;
  project_name: string;
  county: string;
  risk_score: number | null;
  r_status: string | null;
  r_reason: string | null;
  r_actor: string | null;
  r_at: string | null;
}

const LegalBasis = Type.Union([Type.Object({ document: Type.String(), article: Type.String() }, { additionalProperties: true }), Type.Null()]);
const Items = Type.Array(Type.Unknown());

/** The JSON columns of a stored flag, read and checked (the queue's rows carry them as stored too). */
export function flagJson(r: { legal_basis: unknown; params: unknown; evidence: unknown }): { legal_basis: unknown; params: unknown[]; evidence: unknown[] } {
  return {
    legal_basis: json('citations.legal_basis', LegalBasis, r.legal_basis),
    params: json('citations.params', Items, r.params),
    evidence: json('finding_versions.evidence', Items, r.evidence),
  };
}

const SELECT = `
  SELECT f.id, f.as_of, f.fingerprint, f.code, f.severity, f.project_id, f.id_number, f.month, f.amount_fen, f.sentence,
         f.legal_basis, f.params, f.evidence, p.code AS project_code, p.name AS project_name, p.county, a.risk_score,
         r.status AS r_status, r.reason AS r_reason, r.actor AS r_actor, r.at AS r_at
    FROM findings f
    JOIN projects p ON p.id = f.project_id
    LEFT JOIN project_assessments a ON a.as_of = f.as_of AND a.project_id = f.project_id
    LEFT JOIN flag_reviews r ON r.fingerprint = f.fingerprint`;

const SEVERITY_RANK = `CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

export interface DayFlagFilter {
  readonly county?: string;
  readonly code?: string;
  readonly severity?: string;
  readonly projectId?: number;
  readonly status: 'open' | 'resolved' | 'dismissed' | 'all';
}

function rowOf(r: Record<string, unknown>): FlagRow {
  return { ...(r as unknown as FlagRow), ...flagJson(r as { legal_basis: unknown; params: unknown; evidence: unknown }) };
}

/** An open flag of a worker as the worker views list it. */
export interface WorkerFlagRow {
  id: number;
  code: string;
  severity: string;
  month: string | null;
  amount_fen: number | null;
  sentence: string;
  project_code: string;
}

export class FlagsRepo {
  constructor(private readonly sql: Sql) {}

  private where(stored: string, f: DayFlagFilter): { sql: string; params: unknown[] } {
    const parts = ['f.as_of = ?'];
    const params: unknown[] = [stored];
    if (f.county !== undefined) (parts.push('p.county = ?'), params.push(f.county));
    if (f.code !== undefined) (parts.push('f.code = ?'), params.push(f.code));
    if (f.severity !== undefined) (parts.push('f.severity = ?'), params.push(f.severity));
    if (f.projectId !== undefined) (parts.push('f.project_id = ?'), params.push(f.projectId));
    if (f.status === 'open') parts.push('r.fingerprint IS NULL');
    else if (f.status !== 'all') (parts.push('r.status = ?'), params.push(f.status));
    return { sql: `WHERE ${parts.join(' AND ')}`, params };
  }

  /** A page of day `stored`'s flags, highest project risk first (a past day's queue). */
  async dayPage(stored: string, f: DayFlagFilter, limit: number, offset: number): Promise<FlagRow[]> {
    const w = this.where(stored, f);
    const rows = await this.sql.all<Record<string, unknown>>(
      `${SELECT} ${w.sql} ORDER BY a.risk_score IS NULL, a.risk_score DESC, ${SEVERITY_RANK} DESC, p.code, f.id LIMIT ? OFFSET ?`,
      [...w.params, limit, offset],
    );
    return rows.map(rowOf);
  }

  async dayCount(stored: string, f: DayFlagFilter): Promise<number> {
    const w = this.where(stored, f);
    const r = await this.sql.get<{ n: number }>(`SELECT count(*) AS n FROM (${SELECT} ${w.sql}) q`, w.params);
    return Number(r?.n ?? 0);
  }

  /** A flag by id on the latest evaluated day its version is valid on, or null. */
  async byId(id: number): Promise<FlagRow | null> {
    const r = await this.sql.get<Record<string, unknown>>(`${SELECT} WHERE f.id = ? ORDER BY f.as_of DESC LIMIT 1`, [id]);
    return r ? rowOf(r) : null;
  }

  /** Records (or replaces) the decision on a flag, by its fingerprint. */
  async review(r: { fingerprint: string; status: 'resolved' | 'dismissed'; reason: string; actor: string; at: string }): Promise<void> {
    await this.sql.run(
      `INSERT INTO flag_reviews (fingerprint, status, reason, actor, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (fingerprint) DO UPDATE SET status = excluded.status, reason = excluded.reason, actor = excluded.actor, at = excluded.at`,
      [r.fingerprint, r.status, r.reason, r.actor, r.at],
    );
  }

  /** The worker's flags of day `stored` without a review, by month and code. */
  async openOfWorker(stored: string, idNumber: string): Promise<WorkerFlagRow[]> {
    return this.sql.all<WorkerFlagRow>(
      `SELECT f.id, f.code, f.severity, f.month, f.amount_fen, f.sentence, p.code AS project_code FROM findings f
         JOIN projects p ON p.id = f.project_id
        WHERE f.as_of = ? AND f.id_number = ? AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = f.fingerprint)
        ORDER BY f.month, f.code`,
      [stored, idNumber],
    );
  }

  /** The project's flags of day `stored` without a review, counted per code. */
  async openCountsOfProject(stored: string, projectId: number): Promise<{ code: string; n: number }[]> {
    const rows = await this.sql.all<{ code: string; n: number }>(
      `SELECT f.code, count(*) AS n FROM findings f
        WHERE f.as_of = ? AND f.project_id = ? AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = f.fingerprint)
        GROUP BY f.code ORDER BY f.code`,
      [stored, projectId],
    );
    return rows.map((r) => ({ code: r.code, n: Number(r.n) }));
  }

}
