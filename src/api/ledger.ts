/**
 * 工资台账 — one project's wage ledger for one month: per worker, what the wage table says is owed, what
 * was paid by the as-of date, and the rules core's verdict (due date after holidays, status, arrears,
 * overdue days, estimated exposure), with the rows each figure comes from.
 *
 * The verdict comes from the rules core's workerMonthLedger over the project's facts; the API only joins
 * it with the payroll and payment rows for display. It never computes arrears itself.
 */
import { loadCityFacts } from '../db/facts.ts';
import type { Db } from '../db/open.ts';
import type { IsoDate } from '../domain/date.ts';
import { formatYuan, type Fen } from '../domain/money.ts';
import { workerMonthLedger, type WageStatus } from '../rules/wages.ts';

export interface LedgerPayment {
  id: number;
  amountFen: number;
  paidOn: string;
  channel: string;
  payeeName: string;
  payeeCard: string | null;
  bankRef: string | null;
  batchId: number;
  line: number;
}

export interface LedgerRow {
  idNumber: string;
  name: string;
  onPayroll: boolean;
  daysWorkedCenti: number | null;
  grossFen: number | null;
  deductionsFen: number | null;
  /** net pay owed per the wage table (null: the worker has payments but no wage-table row) */
  netDueFen: number | null;
  workerConfirmed: boolean | null;
  /** sum of payments with paid_on ≤ as-of */
  paidFen: number;
  /** the rules core's arrears: max(0, net due − paid) once past the due date, else 0; null without a wage-table row */
  arrearsFen: number | null;
  /** 支付期限 (after moving a pay day off a rest day) */
  dueDate: string | null;
  status: WageStatus | null;
  overdueDays: number;
  rosterActive: boolean;
  /** NO_PAYROLL months: the estimate of what may be owed (never part of arrears) */
  estimatedExposureFen: number | null;
  estimateBasis: string | null;
  payments: LedgerPayment[];
  source: { batchId: number; line: number } | null;
}

export interface MonthLedger {
  /** 'facts': read from the fact tables by the API; 'rules': the rules core's ledger */
  basis: 'facts' | 'rules';
  rows: LedgerRow[];
  totals: { workers: number; netDueFen: number; paidFen: number; arrearsFen: number; estimatedExposureFen: number };
  /** why the rules could not judge the month (a missing holiday schedule …); rows then carry facts only */
  problem: string | null;
}

interface PayrollRow {
  id_number: string;
  name: string;
  days_worked_centi: number;
  gross_fen: number;
  deductions_fen: number;
  net_fen: number;
  worker_confirmed: number;
  batch_id: number;
  line: number;
}

interface PaymentRow {
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

export function monthLedger(db: Db, projectId: number, month: string, asOfDate: string): MonthLedger {
  const detail = factsLedger(db, projectId, month, asOfDate);
  const project = loadCityFacts(db, [projectId]).projects[0];
  if (!project) return detail;
  let ledger;
  try {
    ledger = workerMonthLedger(project, asOfDate as IsoDate).filter((w) => w.month === month);
  } catch (e) {
    return { ...detail, problem: e instanceof Error ? e.message : String(e) };
  }
  const byWorker = new Map(detail.rows.map((r) => [r.idNumber, r]));
  const rows: LedgerRow[] = [];
  const totals = { workers: 0, netDueFen: 0, paidFen: 0, arrearsFen: 0, estimatedExposureFen: 0 };
  for (const w of ledger) {
    const row: LedgerRow = byWorker.get(w.idNumber) ?? emptyRow(w.idNumber, w.name);
    byWorker.delete(w.idNumber);
    row.arrearsFen = w.netDue === null ? null : w.arrears;
    row.dueDate = w.dueDate;
    row.status = w.status;
    row.overdueDays = w.overdueDays;
    row.rosterActive = w.rosterActive;
    row.estimatedExposureFen = w.estimatedExposure;
    row.estimateBasis = w.estimateBasis;
    rows.push(row);
  }
  // Rows the rules do not count as a worker-month of this project (none expected) are still shown.
  rows.push(...byWorker.values());
  for (const r of rows) {
    totals.workers++;
    totals.netDueFen += r.netDueFen ?? 0;
    totals.paidFen += r.paidFen;
    totals.arrearsFen += r.arrearsFen ?? 0;
    totals.estimatedExposureFen += r.estimatedExposureFen ?? 0;
  }
  return { basis: 'rules', rows, totals, problem: null };
}

function emptyRow(idNumber: string, name: string): LedgerRow {
  return {
    idNumber,
    name,
    onPayroll: false,
    daysWorkedCenti: null,
    grossFen: null,
    deductionsFen: null,
    netDueFen: null,
    workerConfirmed: null,
    paidFen: 0,
    arrearsFen: null,
    dueDate: null,
    status: null,
    overdueDays: 0,
    rosterActive: false,
    estimatedExposureFen: null,
    estimateBasis: null,
    payments: [],
    source: null,
  };
}

function factsLedger(db: Db, projectId: number, month: string, asOfDate: string): MonthLedger {
  const payroll = db.$client
    .prepare(
      `SELECT id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed, batch_id, line
         FROM payroll_rows WHERE project_id = ? AND month = ? AND superseded_by IS NULL ORDER BY line, id`,
    )
    .all(projectId, month) as PayrollRow[];
  const payments = db.$client
    .prepare(
      `SELECT id, id_number, payee_name, payee_card, amount_fen, paid_on, channel, bank_ref, batch_id, line
         FROM payments WHERE project_id = ? AND month = ? AND superseded_by IS NULL AND paid_on <= ?
        ORDER BY paid_on, id`,
    )
    .all(projectId, month, asOfDate) as PaymentRow[];

  const byWorker = new Map<string, LedgerRow>();
  for (const p of payroll) {
    byWorker.set(p.id_number, {
      ...emptyRow(p.id_number, p.name),
      onPayroll: true,
      daysWorkedCenti: p.days_worked_centi,
      grossFen: p.gross_fen,
      deductionsFen: p.deductions_fen,
      netDueFen: p.net_fen,
      workerConfirmed: p.worker_confirmed === 1,
      source: { batchId: p.batch_id, line: p.line },
    });
  }
  for (const pay of payments) {
    let row = byWorker.get(pay.id_number);
    if (!row) {
      row = emptyRow(pay.id_number, pay.payee_name);
      byWorker.set(pay.id_number, row);
    }
    row.paidFen += pay.amount_fen;
    row.payments.push({
      id: pay.id,
      amountFen: pay.amount_fen,
      paidOn: pay.paid_on,
      channel: pay.channel,
      payeeName: pay.payee_name,
      payeeCard: pay.payee_card,
      bankRef: pay.bank_ref,
      batchId: pay.batch_id,
      line: pay.line,
    });
  }
  const totals = { workers: byWorker.size, netDueFen: 0, paidFen: 0, arrearsFen: 0, estimatedExposureFen: 0 };
  for (const row of byWorker.values()) {
    if (row.netDueFen !== null) {
      row.arrearsFen = Math.max(0, row.netDueFen - row.paidFen);
      totals.netDueFen += row.netDueFen;
      totals.arrearsFen += row.arrearsFen;
    }
    totals.paidFen += row.paidFen;
  }
  return { basis: 'facts', rows: [...byWorker.values()], totals, problem: null };
}

/** 21.50 — hundredths of a day as a decimal string. */
export function formatCenti(n: number): string {
  const abs = Math.abs(n);
  return `${n < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const yuan = (fen: number): string => formatYuan(fen as Fen);

/**
 * 工人工资月份 — one worker's wage months on every project, as read from the fact tables: net due from
 * the current wage table, payments made by `on`. Shared by the worker view and the joined worker view.
 * The difference shown is net due − paid, before any due date: the per-project ledger (monthLedger) is where
 * the rules core's status and arrears are.
 */
export function workerWageMonths(db: Db, idNumber: string, on: string) {
  const months = db.$client
    .prepare(
      `WITH due AS (SELECT project_id, month, days_worked_centi, net_fen FROM payroll_rows WHERE id_number = @id AND superseded_by IS NULL),
            paid AS (SELECT project_id, month, sum(amount_fen) AS paid, count(*) AS n FROM payments
                      WHERE id_number = @id AND superseded_by IS NULL AND paid_on <= @on GROUP BY project_id, month),
            keys AS (SELECT project_id, month FROM due UNION SELECT project_id, month FROM paid)
       SELECT k.project_id, p.code, k.month, d.days_worked_centi, d.net_fen, coalesce(pd.paid, 0) AS paid, coalesce(pd.n, 0) AS payments
         FROM keys k JOIN projects p ON p.id = k.project_id
         LEFT JOIN due d ON d.project_id = k.project_id AND d.month = k.month
         LEFT JOIN paid pd ON pd.project_id = k.project_id AND pd.month = k.month
        ORDER BY k.month, p.code`,
    )
    .all({ id: idNumber, on }) as { project_id: number; code: string; month: string; days_worked_centi: number | null; net_fen: number | null; paid: number; payments: number }[];
  return months.map((m) => ({
    project: { id: m.project_id, code: m.code },
    month: m.month,
    daysWorked: m.days_worked_centi === null ? null : formatCenti(m.days_worked_centi),
    netDue: m.net_fen === null ? null : yuan(m.net_fen),
    paid: yuan(m.paid),
    payments: m.payments,
    arrears: m.net_fen === null ? null : yuan(Math.max(0, m.net_fen - m.paid)),
  }));
}
