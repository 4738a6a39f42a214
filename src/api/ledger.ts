/**
 * 工资台账 — one project's wage ledger for one month: per worker, what the wage table says is owed and
 * what was paid by the as-of date, in integer fen.
 *
 * This is the API's interim reading straight from the fact tables. The rules core owns the real ledger
 * (due date after holidays, statuses, overdue days); see the single plug-in point in `monthLedger`.
 */
import type { Db } from '../db/open.ts';
import { formatYuan, type Fen } from '../domain/money.ts';

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
  /** max(0, net due − paid); null without a wage-table row */
  arrearsFen: number | null;
  payments: LedgerPayment[];
  source: { batchId: number; line: number } | null;
}

export interface MonthLedger {
  /** 'facts': read from the fact tables by the API; 'rules': the rules core's ledger */
  basis: 'facts' | 'rules';
  rows: LedgerRow[];
  totals: { workers: number; netDueFen: number; paidFen: number; arrearsFen: number };
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
  // TODO(rules-core): when src/services/ledger.ts lands, return
  //   projectLedger(db, projectId, month, asOfDate)
  // mapped to this shape (basis 'rules', with due date, status and overdue days per worker) instead of
  // the fact-table reading below. This is the only place the API computes a ledger itself.
  return factsLedger(db, projectId, month, asOfDate);
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
      idNumber: p.id_number,
      name: p.name,
      onPayroll: true,
      daysWorkedCenti: p.days_worked_centi,
      grossFen: p.gross_fen,
      deductionsFen: p.deductions_fen,
      netDueFen: p.net_fen,
      workerConfirmed: p.worker_confirmed === 1,
      paidFen: 0,
      arrearsFen: null,
      payments: [],
      source: { batchId: p.batch_id, line: p.line },
    });
  }
  for (const pay of payments) {
    let row = byWorker.get(pay.id_number);
    if (!row) {
      row = {
        idNumber: pay.id_number,
        name: pay.payee_name,
        onPayroll: false,
        daysWorkedCenti: null,
        grossFen: null,
        deductionsFen: null,
        netDueFen: null,
        workerConfirmed: null,
        paidFen: 0,
        arrearsFen: null,
        payments: [],
        source: null,
      };
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
  const totals = { workers: byWorker.size, netDueFen: 0, paidFen: 0, arrearsFen: 0 };
  for (const row of byWorker.values()) {
    if (row.netDueFen !== null) {
      row.arrearsFen = Math.max(0, row.netDueFen - row.paidFen);
      totals.netDueFen += row.netDueFen;
      totals.arrearsFen += row.arrearsFen;
    }
    totals.paidFen += row.paidFen;
  }
  return { basis: 'facts', rows: [...byWorker.values()], totals };
}

/** 21.50 — hundredths of a day as a decimal string. */
export function formatCenti(n: number): string {
  const abs = Math.abs(n);
  return `${n < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const yuan = (fen: number): string => formatYuan(fen as Fen);
