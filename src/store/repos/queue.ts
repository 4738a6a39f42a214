/**
 * 复核队列 — the review queue's read model: the current flags (the versions still valid, `valid_to IS
 * NULL`), highest project risk first, read through the partial index `finding_versions_queue` so a page
 * costs the same in a city of 8 projects or of 2,000; the total comes from the latest day's stored counts
 * (daily_flag_counts) less the reviewed flags (few), never from counting the flags themselves.
 * A past day's queue is read through the `findings` view instead (rare, and allowed to be slower).
 */
import { marks, type Sql } from '../sql.ts';

export type QueueStatus = 'open' | 'resolved' | 'dismissed' | 'all';

export interface QueueFilter {
  readonly county?: string;
  readonly code?: string;
  readonly severity?: string;
  readonly projectId?: number;
  readonly status: QueueStatus;
}

/** A current flag as the queue lists it (JSON columns still as stored). */
export interface QueueRow {
  id: number;
  fingerprint: string;
  code: string;
  severity: string;
  project_id: number;
  project_code: string;
  project_name: string;
  county: string;
  risk_score: number;
  id_number: string | null;
  month: string | null;
  amount_fen: number | null;
  sentence: string;
  legal_basis: unknown;
  params: unknown;
  evidence: unknown;
  r_status: string | null;
  r_reason: string | null;
  r_actor: string | null;
  r_at: string | null;
}

const SELECT = `
  SELECT fv.id, fv.fingerprint, fv.code, fv.severity, fv.project_id, fv.project_code, p.name AS project_name, fv.county, fv.risk_score,
         fv.id_number, fv.month, fv.amount_fen, fv.sentence, c.legal_basis, c.params, fv.evidence,
         r.status AS r_status, r.reason AS r_reason, r.actor AS r_actor, r.at AS r_at
    FROM finding_versions fv
    JOIN citations c ON c.id = fv.citation_id
    JOIN projects p ON p.id = fv.project_id
    LEFT JOIN flag_reviews r ON r.fingerprint = fv.fingerprint`;

function where(f: QueueFilter): { sql: string; params: unknown[] } {
  const parts = ['fv.valid_to IS NULL'];
  const params: unknown[] = [];
  if (f.county !== undefined) (parts.push('fv.county = ?'), params.push(f.county));
  if (f.code !== undefined) (parts.push('fv.code = ?'), params.push(f.code));
  if (f.severity !== undefined) (parts.push('fv.severity = ?'), params.push(f.severity));
  if (f.projectId !== undefined) (parts.push('fv.project_id = ?'), params.push(f.projectId));
  return { sql: parts.join(' AND '), params };
}

export class QueueRepo {
  constructor(private readonly sql: Sql) {}

  /** One page of the current flags, in the queue's order. */
  async page(f: QueueFilter, limit: number, offset: number): Promise<QueueRow[]> {
    const w = where(f);
    const status = f.status === 'open' ? ' AND r.fingerprint IS NULL' : f.status === 'all' ? '' : ' AND r.status = ?';
    const params = [...w.params, ...(f.status === 'resolved' || f.status === 'dismissed' ? [f.status] : [])];
    return this.sql.all<QueueRow>(
      `${SELECT} WHERE ${w.sql}${status} ORDER BY fv.risk_score DESC, fv.severity_rank DESC, fv.project_code, fv.id LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    );
  }

  /** The number of current flags matching `f`, as of the latest evaluated day `latest`. */
  async count(f: QueueFilter, latest: string): Promise<number> {
    const w = where(f);
    // reviewed current flags: few (an inspector's decisions), counted through the reviews
    const reviewed = async (status?: string): Promise<number> => {
      const r = await this.sql.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM flag_reviews r JOIN finding_versions fv ON fv.fingerprint = r.fingerprint AND fv.valid_to IS NULL
          WHERE ${w.sql}${status ? ' AND r.status = ?' : ''}`,
        [...w.params, ...(status ? [status] : [])],
      );
      return r?.n ?? 0;
    };
    if (f.status === 'resolved' || f.status === 'dismissed') return reviewed(f.status);
    let total: number;
    if (f.projectId !== undefined) {
      total = (await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM finding_versions fv WHERE ${w.sql}`, w.params))?.n ?? 0;
    } else {
      const parts = ['as_of = ?'];
      const params: unknown[] = [latest];
      if (f.county !== undefined) (parts.push('county = ?'), params.push(f.county));
      if (f.code !== undefined) (parts.push('code = ?'), params.push(f.code));
      if (f.severity !== undefined) (parts.push('severity = ?'), params.push(f.severity));
      total = (await this.sql.get<{ n: number | null }>(`SELECT SUM(n) AS n FROM daily_flag_counts WHERE ${parts.join(' AND ')}`, params))?.n ?? 0;
    }
    return f.status === 'all' ? total : total - (await reviewed());
  }

  /** Current flags by id (for the inspector's bulk actions). */
  async byIds(ids: readonly number[]): Promise<QueueRow[]> {
    if (ids.length === 0) return [];
    return this.sql.all<QueueRow>(`${SELECT} WHERE fv.id IN (${marks(ids.length)}) ORDER BY fv.id`, ids);
  }
}
