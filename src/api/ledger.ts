/**
 * 工资台账 — one project's wage ledger for one month: per worker, what the wage table says is owed, what
 * was paid by the as-of date, and the rules core's verdict (due date after holidays, status, arrears,
 * overdue days, estimated exposure), with the rows each figure comes from.
 *
 * The verdict comes from the rules core's workerMonthLedger over the project's facts; the API only joins
 * it with the payroll and payment rows for display. It never computes arrears itself.
 */
import { paramsOf } from '../db/params.ts';
import { loadCityFacts } from '../db/facts.ts';
import type { Db } from '../db/open.ts';
import type { IsoDate } from '../domain/date.ts';
import { formatYuan, type Fen } from '../domain/money.ts';
import { workerMonthLedger, type WageStatus, type WorkerMonth } from '../rules/wages.ts';
import { rulesLedgerOf } from '../services/ledger.ts';

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
    ledger = workerMonthLedger(project, asOfDate as IsoDate, paramsOf(db)).filter((w) => w.month === month);
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
 * 项目工资月份 — a project's wage months as of `on`: net due, paid, and the rules core's arrears (owed
 * only once the due date has passed) beside what is still unpaid (outstanding, due or not), per month.
 * When the rules cannot judge the project, the months are read from the fact tables with arrears null.
 */
export function projectWageMonths(db: Db, projectId: number, on: string, stored?: { ledger: WorkerMonth[]; problem: string | null } | null) {
  // the night's stored ledger when the caller has it for `on`, else the rules core's
  const { ledger, problem } = stored ?? rulesLedgerOf(db, projectId, on);
  if (problem !== null) {
    const months = db.$client
      .prepare(
        `WITH due AS (SELECT month, id_number, net_fen FROM payroll_rows WHERE project_id = @id AND superseded_by IS NULL),
              paid AS (SELECT month, id_number, sum(amount_fen) AS paid FROM payments
                        WHERE project_id = @id AND superseded_by IS NULL AND paid_on <= @on GROUP BY month, id_number),
              keys AS (SELECT month, id_number FROM due UNION SELECT month, id_number FROM paid)
         SELECT k.month, count(*) AS workers, count(d.id_number) AS on_payroll,
                coalesce(sum(d.net_fen), 0) AS net_due, coalesce(sum(pd.paid), 0) AS paid,
                coalesce(sum(CASE WHEN d.id_number IS NOT NULL THEN max(0, d.net_fen - coalesce(pd.paid, 0)) END), 0) AS outstanding
           FROM keys k
           LEFT JOIN due d ON d.month = k.month AND d.id_number = k.id_number
           LEFT JOIN paid pd ON pd.month = k.month AND pd.id_number = k.id_number
          GROUP BY k.month ORDER BY k.month`,
      )
      .all({ id: projectId, on }) as Array<{ month: string; workers: number; on_payroll: number; net_due: number; paid: number; outstanding: number }>;
    return {
      problem,
      months: months.map((m) => ({
        month: m.month,
        workers: m.workers,
        onPayroll: m.on_payroll,
        netDue: yuan(m.net_due),
        paid: yuan(m.paid),
        outstanding: yuan(m.outstanding),
        arrears: null,
        dueDate: null,
      })),
    };
  }
  const byMonth = new Map<string, { workers: number; onPayroll: number; netDue: number; paid: number; outstanding: number; arrears: number; dueDate: string }>();
  for (const wm of ledger) {
    let m = byMonth.get(wm.month);
    if (!m) byMonth.set(wm.month, (m = { workers: 0, onPayroll: 0, netDue: 0, paid: 0, outstanding: 0, arrears: 0, dueDate: wm.dueDate }));
    m.workers++;
    m.paid += wm.paid;
    m.arrears += wm.arrears;
    if (wm.netDue !== null) {
      m.onPayroll++;
      m.netDue += wm.netDue;
      m.outstanding += Math.max(0, wm.netDue - wm.paid);
    }
  }
  return {
    problem: null,
    months: [...byMonth].map(([month, m]) => ({
      month,
      workers: m.workers,
      onPayroll: m.onPayroll,
      netDue: yuan(m.netDue),
      paid: yuan(m.paid),
      outstanding: yuan(m.outstanding),
      arrears: yuan(m.arrears) as string | null,
      dueDate: m.dueDate as string | null,
    })),
  };
}

/**
 * 工人工资月份 — one worker's wage months on every project as of `on`: net due from the current wage table,
 * payments made by `on`, what is still unpaid (outstanding), and the rules core's verdict per month — due
 * date, status, arrears (owed once the due date has passed), overdue days, and the estimate for a month on
 * the roster without a wage-table row. Shared by the worker view and the joined worker view.
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
  // the worker's projects: those with wage rows or payments, and those whose roster names the worker
  const projects = new Map<number, string>(months.map((m) => [m.project_id, m.code]));
  for (const r of db.$client
    .prepare('SELECT DISTINCT r.project_id, p.code FROM roster_entries r JOIN projects p ON p.id = r.project_id WHERE r.id_number = ? AND r.superseded_by IS NULL')
    .raw()
    .all(idNumber) as [number, string][]) {
    projects.set(r[0], r[1]);
  }
  const verdicts = new Map<string, WorkerMonth>();
  const problems = new Map<number, string>();
  for (const pid of projects.keys()) {
    const { ledger, problem } = rulesLedgerOf(db, pid, on, idNumber);
    if (problem !== null) problems.set(pid, problem);
    for (const wm of ledger) verdicts.set(`${pid}|${wm.month}`, wm);
  }
  type Line = { project: { id: number; code: string }; month: string; days: number | null; net: number | null; paid: number; payments: number };
  const lines = new Map<string, Line>();
  for (const m of months) {
    lines.set(`${m.project_id}|${m.month}`, { project: { id: m.project_id, code: m.code }, month: m.month, days: m.days_worked_centi, net: m.net_fen, paid: m.paid, payments: m.payments });
  }
  // roster months without a wage-table row or payment (NO_PAYROLL, or not yet due) are wage months too
  for (const [key, wm] of verdicts) {
    if (!lines.has(key)) lines.set(key, { project: { id: wm.projectId, code: wm.projectCode }, month: wm.month, days: null, net: null, paid: wm.paid, payments: 0 });
  }
  const ordered = [...lines.entries()].sort(([, a], [, b]) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.project.code < b.project.code ? -1 : a.project.code > b.project.code ? 1 : 0));
  return ordered.map(([key, m]) => {
    const wm = verdicts.get(key);
    return {
      project: m.project,
      month: m.month,
      daysWorked: m.days === null ? null : formatCenti(m.days),
      netDue: m.net === null ? null : yuan(m.net),
      paid: yuan(m.paid),
      payments: m.payments,
      /** still unpaid of net due, whether due or not */
      outstanding: m.net === null ? null : yuan(Math.max(0, m.net - m.paid)),
      /** the rules core's verdict; null when the rules could not judge the project (problem says why) */
      dueDate: wm?.dueDate ?? null,
      status: wm?.status ?? null,
      arrears: wm ? (wm.netDue === null ? null : yuan(wm.arrears)) : null,
      overdueDays: wm?.overdueDays ?? 0,
      estimatedExposure: wm?.estimatedExposure == null ? null : yuan(wm.estimatedExposure),
      problem: problems.get(m.project.id) ?? null,
    };
  });
}
