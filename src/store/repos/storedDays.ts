/**
 * 已存评估 — what the enforcement records read of the night's stored evaluation: whether a project's
 * current state (and its stored ledger) still answers for a day, the flags of a worker-month valid on a
 * day, and the rectifications a report for a day lists as overdue with the open flags they are judged by.
 * Engine-neutral SQL (src/store/sql.ts); the state itself is written by the night (repos/evaluations.ts).
 */
import { Type } from 'typebox';
import { json, marks, type Sql } from '../sql.ts';
import { inParts } from './parts.ts';

/** A project's current evaluation as a reader checks it before using its stored ledger. */
export interface StoredState {
  readonly evaluatedOn: string;
  readonly factsVersion: number;
  readonly paramsVersion: string;
  readonly nextChange: string | null;
  readonly hasLedger: boolean;
}

export interface WorkerMonthFlag {
  id: number;
  code: string;
  severity: string;
  sentence: string;
  legal_basis: unknown;
  fingerprint: string;
  amount_fen: number | null;
}

export interface OverdueRectificationRow {
  warning_key: string;
  project_id: number;
  problem: string;
  assignee: string;
  assigned_on: string;
  deadline: string;
  reopen_count: number;
  project_code: string;
  project_name: string;
  contractor_uscc: string;
  contractor_name: string;
}

export interface FlagAtRow {
  id: number;
  code: string;
  severity: string;
  project_id: number;
  id_number: string | null;
  month: string | null;
  amount_fen: number | null;
  due_date: string | null;
}

export class StoredDaysRepo {
  constructor(private readonly sql: Sql) {}

  /** The current state bookkeeping of the listed projects (those never evaluated are absent). */
  async statesOf(projectIds: readonly number[]): Promise<Map<number, StoredState>> {
    const out = new Map<number, StoredState>();
    for (let i = 0; i < projectIds.length; i += 500) {
      const part = projectIds.slice(i, i + 500);
      for (const [pid, evaluatedOn, factsVersion, paramsVersion, nextChange, hasLedger] of await this.sql.rows<[number, string, number, string, string | null, number]>(
        `SELECT project_id, evaluated_on, facts_version, params_version, next_change, CASE WHEN ledger_hash IS NULL THEN 0 ELSE 1 END
           FROM project_states WHERE project_id IN (${marks(part.length)})`,
        part,
      ))
        out.set(pid, { evaluatedOn, factsVersion, paramsVersion, nextChange, hasLedger: Number(hasLedger) === 1 });
    }
    return out;
  }

  /** The flags of one worker-month valid on the evaluated day `asOf`, by code then id. */
  async workerMonthFlags(asOf: string, projectId: number, idNumber: string, month: string): Promise<WorkerMonthFlag[]> {
    const rows = await this.sql.all<WorkerMonthFlag>(
      `SELECT fv.id, fv.code, fv.severity, fv.sentence, c.legal_basis, fv.fingerprint, fv.amount_fen
         FROM finding_versions fv JOIN citations c ON c.id = fv.citation_id
        WHERE fv.project_id = ? AND fv.id_number = ? AND fv.month = ? AND fv.valid_from <= ? AND (fv.valid_to IS NULL OR fv.valid_to > ?)
        ORDER BY fv.code, fv.id`,
      [projectId, idNumber, month, asOf, asOf],
    );
    return rows.map((r) => ({ ...r, legal_basis: json('citations.legal_basis', Type.Unknown(), r.legal_basis) }));
  }

  /** Rectifications assigned on or before D, not closed at D, with a deadline before D; by deadline then key. */
  overdueRectifications(asOf: string): Promise<OverdueRectificationRow[]> {
    return this.sql.all<OverdueRectificationRow>(
      `SELECT r.warning_key, r.project_id, r.problem, r.assignee, r.assigned_on, r.deadline, r.reopen_count,
              p.code AS project_code, p.name AS project_name, p.contractor_uscc, COALESCE(e.name, '') AS contractor_name
         FROM warning_rectifications r JOIN projects p ON p.id = r.project_id LEFT JOIN employers e ON e.uscc = p.contractor_uscc
        WHERE r.assigned_on <= ? AND r.deadline < ? AND (r.status = 'open' OR r.closed_on > ?)
        ORDER BY r.deadline, r.warning_key`,
      [asOf, asOf, asOf],
    );
  }

  /** The flags of the projects valid on D and not reviewed (what a warning of D is derived from), by id. */
  async openFlagsAt(projectIds: readonly number[], asOf: string): Promise<FlagAtRow[]> {
    const rows = await inParts(projectIds, (part) =>
      this.sql.all<FlagAtRow>(
        `SELECT fv.id, fv.code, fv.severity, fv.project_id, fv.id_number, fv.month, fv.amount_fen, fv.due_date
           FROM finding_versions fv
          WHERE fv.project_id IN (${marks(part.length)}) AND fv.valid_from <= ? AND (fv.valid_to IS NULL OR fv.valid_to > ?)
            AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = fv.fingerprint)
          ORDER BY fv.id`,
        [...part, asOf, asOf],
      ),
    );
    return rows.sort((a, b) => a.id - b.id);
  }
}
