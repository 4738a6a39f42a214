/**
 * 项目列表 — the project list's read model for the latest evaluated day: each project with its current
 * evaluation (project_states: totals, risk, the oldest due date overdue days are counted from) and its open
 * flags counted through the per-project index of the current versions — no view that expands every day's
 * versions, and the total counts projects, not flags.
 */
import type { Sql } from '../sql.ts';

export interface ProjectListFilter {
  readonly county?: string;
  /** active: not completed by `on`; completed: completed by `on` */
  readonly status?: 'active' | 'completed';
  readonly on: string;
  readonly minRisk?: number;
  /** the code or the name contains it */
  readonly q?: string;
  readonly sort: 'code' | 'risk';
}

/** A project row with its current evaluation (null columns when never evaluated). */
export type ProjectListRow = Record<string, unknown> & {
  id: number;
  code: string;
  s_evaluated_on: string | null;
  arrears_fen: number | null;
  workers_in_arrears: number | null;
  oldest_due_date: string | null;
  estimated_exposure_fen: number | null;
  risk_score: number | null;
  assessment: unknown;
  problem: string | null;
  open_flags: number;
};

function where(sql: Sql, f: ProjectListFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.county !== undefined) (parts.push('p.county = ?'), params.push(f.county));
  if (f.status === 'active') (parts.push('(p.completion_date IS NULL OR p.completion_date > ?)'), params.push(f.on));
  if (f.status === 'completed') (parts.push('(p.completion_date IS NOT NULL AND p.completion_date <= ?)'), params.push(f.on));
  if (f.minRisk !== undefined) (parts.push('s.risk_score >= ?'), params.push(f.minRisk));
  if (f.q !== undefined) (parts.push(`(${sql.dialect.containsExact('p.code')} OR ${sql.dialect.containsExact('p.name')})`), params.push(f.q, f.q));
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const COLUMNS = `p.*, s.evaluated_on AS s_evaluated_on, s.arrears_fen, s.workers_in_arrears, s.oldest_due_date, s.estimated_exposure_fen,
         s.risk_score, s.assessment, s.problem`;
/** the open flags of the rows of `x` (computed for the page's rows only: the page is cut first) */
const OPEN_FLAGS = `(SELECT COUNT(*) FROM finding_versions f WHERE f.project_id = x.id AND f.valid_to IS NULL
             AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = f.fingerprint)) AS open_flags`;
const FROM = 'FROM projects p LEFT JOIN project_states s ON s.project_id = p.id';

export class ProjectsRepo {
  constructor(private readonly sql: Sql) {}

  async page(f: ProjectListFilter, limit: number, offset: number): Promise<ProjectListRow[]> {
    const w = where(this.sql, f);
    const order = f.sort === 'risk' ? 'ORDER BY s.risk_score IS NULL, s.risk_score DESC, p.code' : 'ORDER BY p.code';
    return this.sql.all<ProjectListRow>(`SELECT x.*, ${OPEN_FLAGS} FROM (SELECT ${COLUMNS} ${FROM} ${w.sql} ${order} LIMIT ? OFFSET ?) x ${order.replace(/\b[ps]\./g, 'x.')}`, [
      ...w.params,
      limit,
      offset,
    ]);
  }

  async count(f: ProjectListFilter): Promise<number> {
    const w = where(this.sql, f);
    return (await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM projects p LEFT JOIN project_states s ON s.project_id = p.id ${w.sql}`, w.params))?.n ?? 0;
  }

  /** One project's row (its current evaluation and open flags). */
  async one(projectId: number): Promise<ProjectListRow | undefined> {
    return this.sql.get<ProjectListRow>(`SELECT x.*, ${OPEN_FLAGS} FROM (SELECT ${COLUMNS} ${FROM} WHERE p.id = ?) x`, [projectId]);
  }
}
