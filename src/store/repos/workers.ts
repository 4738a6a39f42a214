/**
 * 农民工 — workers across projects as the API's worker views read them: the list of workers on current
 * rosters, one worker's roster entries on every project, the name registered for a number. Engine-neutral
 * SQL (src/store/sql.ts).
 */
import { type Sql } from '../sql.ts';
import { rosterOf, type RosterRecord } from './projectViews.ts';

export interface WorkerListRow {
  id_number: string;
  name: string;
  projects: number;
  active: number;
}

/** A current roster entry of the worker with its project and employer, booleans as booleans. */
export interface WorkerRosterRow extends RosterRecord {
  project_code: string;
  project_name: string;
  county: string;
  completion_date: string | null;
}

export interface WorkerListFilter {
  /** the day an entry counts as active on (no exit, or exit on or after it) */
  readonly on: string;
  readonly projectId?: number;
  /** exact name */
  readonly name?: string;
}

export class WorkersRepo {
  constructor(private readonly sql: Sql) {}

  private list(f: WorkerListFilter): { sql: string; params: unknown[] } {
    const where = ['superseded_by IS NULL'];
    const params: unknown[] = [f.on];
    if (f.projectId !== undefined) (where.push('project_id = ?'), params.push(f.projectId));
    if (f.name !== undefined) (where.push('name = ?'), params.push(f.name));
    return {
      sql: `SELECT id_number, max(name) AS name, count(DISTINCT project_id) AS projects,
                   sum(CASE WHEN exit_date IS NULL OR exit_date >= ? THEN 1 ELSE 0 END) AS active
              FROM roster_entries WHERE ${where.join(' AND ')} GROUP BY id_number`,
      params,
    };
  }

  /** A page of the workers on current rosters, by name then number. */
  async page(f: WorkerListFilter, limit: number, offset: number): Promise<WorkerListRow[]> {
    const l = this.list(f);
    const rows = await this.sql.all<WorkerListRow>(`${l.sql} ORDER BY name, id_number LIMIT ? OFFSET ?`, [...l.params, limit, offset]);
    return rows.map((r) => ({ ...r, projects: Number(r.projects), active: Number(r.active) }));
  }

  async count(f: WorkerListFilter): Promise<number> {
    const l = this.list(f);
    const r = await this.sql.get<{ n: number }>(`SELECT count(*) AS n FROM (${l.sql}) q`, l.params);
    return Number(r?.n ?? 0);
  }

  /** The worker's current roster entries on every project, in entry order. */
  async roster(idNumber: string): Promise<WorkerRosterRow[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT r.*, p.code AS project_code, p.name AS project_name, p.county, p.completion_date, e.name AS employer_name
         FROM roster_entries r JOIN projects p ON p.id = r.project_id LEFT JOIN employers e ON e.uscc = r.employer_uscc
        WHERE r.id_number = ? AND r.superseded_by IS NULL ORDER BY r.entry_date, r.id`,
      [idNumber],
    );
    return rows.map((r) => rosterOf(r) as unknown as WorkerRosterRow);
  }

  /** The name registered for the number (`workers`), or null. */
  async name(idNumber: string): Promise<string | null> {
    const r = await this.sql.get<{ name: string }>('SELECT name FROM workers WHERE id_number = ?', [idNumber]);
    return r?.name ?? null;
  }
}
