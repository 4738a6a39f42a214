/**
 * 工资台账 — the wage facts the API's ledger views show beside the rules' verdicts (src/api/ledger.ts): a
 * project's wage-table rows and payments of a month, its months summed, a worker's months on every project,
 * and whether the night's stored ledger of a project is still the one of its facts. Engine-neutral SQL
 * (src/store/sql.ts).
 */
import { bool, type Sql } from '../sql.ts';

export interface PayrollLine {
  id_number: string;
  name: string;
  days_worked_centi: number;
  gross_fen: number;
  deductions_fen: number;
  net_fen: number;
  worker_confirmed: boolean;
  batch_id: number;
  line: number;
}

export interface PaymentLine {
  id: number;
  id_number: string;
  payee_name: string;
  payee_card: string | null;
  amount_fen: number;
  paid_on: string;
  channel: string;
  bank_ref: string | null;
  batch_id: number;
  line: number;
}

export interface ProjectMonthSums {
  month: string;
  workers: number;
  on_payroll: number;
  net_due: number;
  paid: number;
  outstanding: number;
}

export interface WorkerMonthLine {
  project_id: number;
  code: string;
  month: string;
  days_worked_centi: number | null;
  net_fen: number | null;
  paid: number;
  payments: number;
}

export interface LedgerState {
  evaluatedOn: string;
  /** the facts version the stored evaluation read */
  factsVersion: number;
  /** the project's facts version now */
  currentVersion: number;
  /** the parameter version the evaluation read */
  paramsVersion: string;
  /** the first day its outcome can change by date alone (null: none known) */
  nextChange: string | null;
}

export class WagesRepo {
  constructor(private readonly sql: Sql) {}

  /** The project's current wage-table rows of a month, in file order. */
  async payroll(projectId: number, month: string): Promise<PayrollLine[]> {
    const rows = await this.sql.all<PayrollLine>(
      `SELECT id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed, batch_id, line
         FROM payroll_rows WHERE project_id = ? AND month = ? AND superseded_by IS NULL ORDER BY line, id`,
      [projectId, month],
    );
    return rows.map((r) => ({ ...r, worker_confirmed: bool(r.worker_confirmed) }));
  }

  /** The project's current payments for a month made by `on`, in date order. */
  async payments(projectId: number, month: string, on: string): Promise<PaymentLine[]> {
    return this.sql.all<PaymentLine>(
      `SELECT id, id_number, payee_name, payee_card, amount_fen, paid_on, channel, bank_ref, batch_id, line
         FROM payments WHERE project_id = ? AND month = ? AND superseded_by IS NULL AND paid_on <= ?
        ORDER BY paid_on, id`,
      [projectId, month, on],
    );
  }

  /**
   * The project's wage months from the fact tables alone (when the rules cannot judge it): workers, those
   * on the wage table, net due, paid by `on`, and what is unpaid of net due.
   */
  async projectMonths(projectId: number, on: string): Promise<ProjectMonthSums[]> {
    return this.sql.all<ProjectMonthSums>(
      `WITH due AS (SELECT month, id_number, net_fen FROM payroll_rows WHERE project_id = ? AND superseded_by IS NULL),
            paid AS (SELECT month, id_number, sum(amount_fen) AS paid FROM payments
                      WHERE project_id = ? AND superseded_by IS NULL AND paid_on <= ? GROUP BY month, id_number),
            keys AS (SELECT month, id_number FROM due UNION SELECT month, id_number FROM paid)
       SELECT k.month, count(*) AS workers, count(d.id_number) AS on_payroll,
              coalesce(sum(d.net_fen), 0) AS net_due, coalesce(sum(pd.paid), 0) AS paid,
              coalesce(sum(CASE WHEN d.id_number IS NULL THEN NULL
                                WHEN d.net_fen > coalesce(pd.paid, 0) THEN d.net_fen - coalesce(pd.paid, 0) ELSE 0 END), 0) AS outstanding
         FROM keys k
         LEFT JOIN due d ON d.month = k.month AND d.id_number = k.id_number
         LEFT JOIN paid pd ON pd.month = k.month AND pd.id_number = k.id_number
        GROUP BY k.month ORDER BY k.month`,
      [projectId, projectId, on],
    );
  }

  /** One worker's months on every project: net due from the current wage table, payments made by `on`. */
  async workerMonths(idNumber: string, on: string): Promise<WorkerMonthLine[]> {
    return this.sql.all<WorkerMonthLine>(
      `WITH due AS (SELECT project_id, month, days_worked_centi, net_fen FROM payroll_rows WHERE id_number = ? AND superseded_by IS NULL),
            paid AS (SELECT project_id, month, sum(amount_fen) AS paid, count(*) AS n FROM payments
                      WHERE id_number = ? AND superseded_by IS NULL AND paid_on <= ? GROUP BY project_id, month),
            keys AS (SELECT project_id, month FROM due UNION SELECT project_id, month FROM paid)
       SELECT k.project_id, p.code, k.month, d.days_worked_centi, d.net_fen, coalesce(pd.paid, 0) AS paid, coalesce(pd.n, 0) AS payments
         FROM keys k JOIN projects p ON p.id = k.project_id
         LEFT JOIN due d ON d.project_id = k.project_id AND d.month = k.month
         LEFT JOIN paid pd ON pd.project_id = k.project_id AND pd.month = k.month
        ORDER BY k.month, p.code`,
      [idNumber, idNumber, on],
    );
  }

  /** The projects whose current roster names the worker: id and code. */
  async rosterProjects(idNumber: string): Promise<[number, string][]> {
    return this.sql.rows<[number, string]>(
      'SELECT DISTINCT r.project_id, p.code FROM roster_entries r JOIN projects p ON p.id = r.project_id WHERE r.id_number = ? AND r.superseded_by IS NULL',
      [idNumber],
    );
  }

  /** What the project's stored evaluation read and until when it holds, beside its facts version now; null when never evaluated. */
  async ledgerState(projectId: number): Promise<LedgerState | null> {
    const r = await this.sql.get<{ evaluated_on: string; facts_version: number; current_version: number; params_version: string; next_change: string | null }>(
      `SELECT s.evaluated_on, s.facts_version, coalesce(v.facts_version, 0) AS current_version, s.params_version, s.next_change
         FROM project_states s LEFT JOIN project_versions v ON v.project_id = s.project_id WHERE s.project_id = ?`,
      [projectId],
    );
    return r
      ? { evaluatedOn: r.evaluated_on, factsVersion: Number(r.facts_version), currentVersion: Number(r.current_version), paramsVersion: r.params_version, nextChange: r.next_change }
      : null;
  }
}
