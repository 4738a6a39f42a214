/**
 * 按月足额支付 — the worker-month ledger (COMPLIANCE.md §1).
 *
 * Implements 保障农民工工资支付条例 第十二、十三条 (wages paid in full on the agreed monthly cycle and date) and
 * 第十四条 with 工资支付暂行规定 第七条 (a pay date on a statutory holiday or rest day moves earlier, to the last
 * working day before it); arrears and overdue days are what those articles make owed after the due date.
 *
 * A worker-month (project P, month M, worker W) exists when M is not after the as-of month and W has a
 * payroll row for (P, M) or is on P's roster and active in M. For each: the due date, net due, what was
 * paid by D and by the due date, arrears, status, overdue days, and — for a roster-active month with no
 * wage-table row — an estimate of what may be owed, reported apart and never added to arrears.
 */
import { returnsOf, type ReturnedPayment } from './returns.ts';
import { addDays, dayOfWeek, daysBetween, maxDate, minDate, type IsoDate } from '../domain/date.ts';
import type { IdNumber } from '../domain/idNumber.ts';
import { yuanText, fen, mulFen, type Fen } from '../domain/money.ts';
import { addMonths, clampedDayOf, daysInMonth, firstDayOf, lastDayOf, monthOf, type Month } from '../domain/month.ts';
import { calendarOf, missingYearReason, type WorkingDayCalendar } from './calendar.ts';
import type {
  AccountTxFact,
  DepositEventFact,
  EvidenceRef,
  PaymentFact,
  PayrollRowFact,
  ProjectFacts,
  RosterEntryFact,
} from './facts.ts';
import { cite, type ParamUse } from './params/dated.ts';
import { DEFAULT_PARAMS, type RulesParams } from './params/index.ts';

/** not_due · paid · paid_late · partial · unpaid · no_payroll (roster-active, past due, no wage-table row: net due unknown) */
export type WageStatus = 'not_due' | 'paid' | 'paid_late' | 'partial' | 'unpaid' | 'no_payroll';

/** 工资支付日 — when the wages of a month are due. */
export interface DueDate {
  readonly month: Month;
  /** day pay_day of M+1, clamped to that month's last day */
  readonly payDayDate: IsoDate;
  /** payDayDate, or the last working day before it when it is a rest day or holiday (条例 第十四条) */
  readonly dueDate: IsoDate;
  /** the parameters used: the default pay day when the project records none, the holiday schedule when moved */
  readonly params: readonly ParamUse[];
  /**
   * true when a year between the due date and the pay day has no holiday schedule yet: the date was placed
   * on weekends alone and may move once the notice is imported (calendar.ts)
   */
  readonly provisional?: boolean;
  /** why it is provisional, in Chinese */
  readonly provisionalReason?: string;
}

/** 工人月度工资台账 — one worker-month. */
export interface WorkerMonth {
  readonly projectId: number;
  readonly projectCode: string;
  readonly idNumber: IdNumber;
  readonly name: string;
  readonly month: Month;
  readonly payDayDate: IsoDate;
  readonly dueDate: IsoDate;
  /** a year the due date needed has no holiday schedule yet: computed on weekends alone, may move (calendar.ts) */
  readonly dueDateProvisional: boolean;
  readonly rosterActive: boolean;
  readonly hasPayroll: boolean;
  /** 实发工资 (sum of the payroll rows); null without a wage-table row */
  readonly netDue: Fen | null;
  /**
   * payments for (P, M, W) with paid_on ≤ D, paid to the worker himself: a payment whose payee name is not the
   * worker's is not wages paid to him (条例 第十一条: 支付给农民工本人) and is left out (see paidToOthers)
   */
  readonly paid: Fen;
  /** 支付给他人 — payments for (P, M, W) into another person's name, not counted in paid (0 when none) */
  readonly paidToOthers: Fen;
  /** of which paid_on ≤ due date */
  readonly paidOnTime: Fen;
  /** max(0, net due − paid) once D is after the due date; else 0 */
  readonly arrears: Fen;
  readonly status: WageStatus;
  /** D − due date, for a worker-month with arrears; else 0 */
  readonly overdueDays: number;
  /** the day cumulative payments reached net due (null when not reached, or nothing was due) */
  readonly paidInFullOn: IsoDate | null;
  /** NO_PAYROLL months: rate × Mon–Fri days (daily) or rate × active days ÷ days in M (monthly); null otherwise */
  readonly estimatedExposure: Fen | null;
  /** how the estimate was made, in Chinese (null without an estimate) */
  readonly estimateBasis: string | null;
  /** payroll rows, then payments, then (when there is no payroll row) the roster entries */
  readonly evidence: readonly EvidenceRef[];
}

/**
 * One (month, worker) of a project: its wage-table rows and payments (paid_on ≤ D), the roster entries
 * active in the month, and its ledger line when the worker-month exists (null for a payment to someone
 * neither on the wage table nor roster-active — a NOT_ON_ROSTER case, not a worker-month).
 */
export interface Cell {
  readonly month: Month;
  readonly idNumber: IdNumber;
  /** the month's index in the view (ProjectView.monthAt) */
  readonly m: number;
  /** the worker's index in the view: the rank of the identity number (ProjectView.workers) */
  readonly w: number;
  payroll: PayrollRowFact[] | null;
  /** sorted by paid_on once the ledger is built */
  payments: PaymentFact[] | null;
  active: readonly RosterEntryFact[];
  wm: WorkerMonth | null;
}

interface MonthInfo {
  readonly first: IsoDate;
  readonly last: IsoDate;
  readonly due: DueDate;
}

const NONE: readonly RosterEntryFact[] = [];
const NO_PAYMENTS: readonly PaymentFact[] = [];

/**
 * A month as a number (year × 12 + month − 1), read off the `YYYY-MM` text without slicing it: the view
 * indexes a project's months by it, once per row, instead of building a `month|idNumber` key per row.
 */
function monthNumber(m: string): number {
  return (
    ((m.charCodeAt(0) - 48) * 1000 + (m.charCodeAt(1) - 48) * 100 + (m.charCodeAt(2) - 48) * 10 + (m.charCodeAt(3) - 48)) * 12 +
    (m.charCodeAt(5) - 48) * 10 +
    (m.charCodeAt(6) - 48) -
    1
  );
}

/**
 * A project's rows as they stand on D, indexed for the rules: rows after D dropped, rows grouped by
 * (month, worker) into cells. Built once per evaluation; ledgerOf fills each cell's ledger line, and every
 * flag reads the cells instead of searching the rows again.
 *
 * The cells sit in a grid of integer indexes — month (from the project's first month to D's) × worker (the
 * identity numbers sorted once) — so that no per-row key is built, and walking the grid month by month,
 * worker by worker is already ledger order: the project sorts its identity numbers once instead of
 * sorting its cells.
 */
export class ProjectView {
  readonly asOfMonth: Month;
  readonly calendar: WorkingDayCalendar;
  readonly payDay: number;
  readonly payDayParam: ParamUse | null;
  /** roster entries with entry_date ≤ D */
  readonly roster: readonly RosterEntryFact[];
  readonly rosterById = new Map<string, RosterEntryFact[]>();
  /** every identity number of a cell, sorted (a worker's index w is his rank here) */
  readonly workers: readonly IdNumber[];
  /** the cells in ledger order (month, then identity number), filled by ledgerOf; null once released */
  private cells: Cell[] | null = [];
  /** the ledger, once ledgerOf has built it */
  ledger: WorkerMonth[] | null = null;
  /** payments paid on or before D and not returned by D */
  readonly payments: readonly PaymentFact[];
  /** payments the bank returned on or before D (not counted as paid) */
  readonly returned: ReturnedPayment[] = [];
  readonly accountTransactions: readonly AccountTxFact[];
  readonly depositEvents: readonly DepositEventFact[];
  private readonly months = new Map<string, MonthInfo>();
  private readonly workerIndex = new Map<string, number>();
  /** monthNumber of the grid's first month */
  private readonly base: number;
  /** by month index: the month's cells by worker index (a month without a cell has none) */
  private readonly grid: (Cell | undefined)[][] = [];
  /** by month index: the month (text) and its dates, filled when first asked */
  private readonly monthTexts: Month[] = [];
  private readonly monthInfos: (MonthInfo | undefined)[] = [];
  /** by worker index: the worker's roster entries (entry_date ≤ D), or undefined */
  private readonly entriesOf: (RosterEntryFact[] | undefined)[];

  constructor(
    readonly project: ProjectFacts,
    readonly asOf: IsoDate,
    readonly params: RulesParams = DEFAULT_PARAMS,
  ) {
    this.asOfMonth = monthOf(asOf);
    this.calendar = calendarOf(params.holidays);
    if (project.payDay !== undefined) {
      if (!Number.isInteger(project.payDay) || project.payDay < 1 || project.payDay > 31) {
        throw new RangeError(`项目 ${project.code} 的工资支付日 ${project.payDay} 不在1–31之间`);
      }
      this.payDay = project.payDay;
      this.payDayParam = null;
    } else {
      const p = params.defaultPayDay.at(asOf);
      this.payDay = p.value;
      this.payDayParam = cite(p);
    }
    this.roster = project.roster.filter((r) => r.entryDate <= asOf);
    for (const r of this.roster) push(this.rosterById, r.idNumber, r);
    // 退回 — a transfer the bank returned stops counting as paid on the day it came back (returns.ts)
    const back = returnsOf(project, asOf);
    const paid: PaymentFact[] = [];
    for (const p of project.payments) {
      if (p.paidOn > asOf) continue;
      const r = back.get(p);
      if (r) {
        this.returned.push(r);
        continue;
      }
      paid.push(p);
    }
    this.payments = paid;
    this.accountTransactions = project.accountTransactions.filter((t) => t.txDate <= asOf);
    this.depositEvents = project.depositEvents.filter((e) => e.date <= asOf);

    // the grid's extent: every identity number and the first month of a cell (the last is D's month)
    const asOfNo = monthNumber(this.asOfMonth);
    let first = asOfNo;
    const ids = new Set<string>(this.rosterById.keys());
    for (const r of this.roster) {
      const n = monthNumber(r.entryDate);
      if (n < first) first = n;
    }
    for (const row of project.payroll) {
      if (row.month > this.asOfMonth) continue;
      ids.add(row.idNumber);
      const n = monthNumber(row.month);
      if (n < first) first = n;
    }
    for (const p of paid) {
      if (p.month > this.asOfMonth) continue;
      ids.add(p.idNumber);
      const n = monthNumber(p.month);
      if (n < first) first = n;
    }
    this.base = first;
    // the one sort per project: the cells of a month are then walked in identity-number order
    this.workers = ([...ids] as IdNumber[]).sort();
    for (let w = 0; w < this.workers.length; w++) this.workerIndex.set(this.workers[w]!, w);
    this.entriesOf = this.workers.map((id) => this.rosterById.get(id));

    for (const row of project.payroll) {
      if (row.month > this.asOfMonth) continue;
      const cell = this.cellAt(monthNumber(row.month) - first, this.workerIndex.get(row.idNumber)!, row.month, row.idNumber);
      if (cell.payroll) cell.payroll.push(row);
      else cell.payroll = [row];
    }
    for (const p of paid) {
      if (p.month > this.asOfMonth) continue;
      const cell = this.cellAt(monthNumber(p.month) - first, this.workerIndex.get(p.idNumber)!, p.month, p.idNumber);
      if (cell.payments) cell.payments.push(p);
      else cell.payments = [p];
    }
  }

  /** The cells in ledger order (month, then identity number), once ledgerOf has run. */
  get sorted(): Cell[] {
    return this.held();
  }

  set sorted(cells: Cell[]) {
    this.cells = cells;
  }

  private held(): Cell[] {
    if (this.cells === null) throw new Error(`项目 ${this.project.code} 的台账单元已释放（releaseCells 之后不能再读）`);
    return this.cells;
  }

  /**
   * Lets the cells go once every flag has read them: the project's evaluation keeps its view until the
   * deposit is assessed with the rest of its chunk, and the cells (one object and two row arrays per
   * worker-month) would otherwise live that long and be copied by the garbage collector as survivors.
   * The ledger, the due dates and the rows stay; reading the cells afterwards throws.
   */
  releaseCells(): void {
    this.cells = null;
    this.grid.length = 0;
  }

  /** The cell of (month index, worker index), made when first asked. */
  private cellAt(m: number, w: number, month: Month, idNumber: IdNumber): Cell {
    let row = this.grid[m];
    if (row === undefined) {
      row = new Array<Cell | undefined>(this.workers.length);
      this.grid[m] = row;
      this.monthTexts[m] = month;
    }
    let cell = row[w];
    if (cell === undefined) {
      cell = { month, idNumber, m, w, payroll: null, payments: null, active: NONE, wm: null };
      row[w] = cell;
    }
    return cell;
  }

  /** The cell of (M, W), or undefined when W has no row and no roster month in M on this project. */
  cell(month: Month, idNumber: string): Cell | undefined {
    this.held();
    const w = this.workerIndex.get(idNumber);
    if (w === undefined) return undefined;
    return this.grid[monthNumber(month) - this.base]?.[w];
  }

  /** The month of month index m (m ≥ 0: from the grid's first month). */
  monthAt(m: number): Month {
    let month = this.monthTexts[m];
    if (month === undefined) {
      const n = this.base + m;
      month = `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}` as Month;
      this.monthTexts[m] = month;
    }
    return month;
  }

  /** The calendar year of month index m. */
  yearAt(m: number): number {
    return Math.floor((this.base + m) / 12);
  }

  /** The cells of the grid in ledger order (month, then identity number). */
  gridCells(): Cell[] {
    const out: Cell[] = [];
    for (const row of this.grid) {
      if (row === undefined) continue;
      for (const cell of row) if (cell !== undefined) out.push(cell);
    }
    return out;
  }

  /** Adds a cell for every month each roster entry is active in, up to the as-of month. */
  expandRoster(): void {
    const asOfNo = monthNumber(this.asOfMonth);
    for (const entry of this.roster) {
      const from = monthNumber(entry.entryDate);
      const exitNo = entry.exitDate === undefined ? asOfNo : monthNumber(entry.exitDate);
      const to = exitNo < asOfNo ? exitNo : asOfNo;
      const w = this.workerIndex.get(entry.idNumber)!;
      for (let n = from; n <= to; n++) {
        const m = n - this.base;
        this.cellAt(m, w, this.monthAt(m), entry.idNumber);
      }
    }
  }

  private monthInfo(month: Month): MonthInfo {
    let info = this.months.get(month);
    if (!info) {
      info = { first: firstDayOf(month), last: lastDayOf(month), due: this.dueOrProvisional(month) };
      this.months.set(month, info);
    }
    return info;
  }

  /** monthInfo of a cell's month, by its index (no text key on the per-cell path). */
  private monthInfoOf(cell: Cell): MonthInfo {
    let info = this.monthInfos[cell.m];
    if (info === undefined) {
      info = this.monthInfo(cell.month);
      this.monthInfos[cell.m] = info;
    }
    return info;
  }

  /** The due date; provisional when a year it needed has no holiday schedule (calendar.ts). */
  private dueOrProvisional(month: Month): DueDate {
    return dueDateOf(month, this.payDay, this.calendar, this.payDayParam);
  }

  /** The due date of month M's wages on this project. */
  due(month: Month): DueDate {
    return this.monthInfo(month).due;
  }

  /** The due date of a cell's month. */
  dueOf(cell: Cell): DueDate {
    return this.monthInfoOf(cell).due;
  }

  /** Entries of W active in M: entry_date ≤ last day of M, and no exit or exit ≥ first day of M. */
  activeEntries(idNumber: string, month: Month): readonly RosterEntryFact[] {
    return activeOf(this.rosterById.get(idNumber), this.monthInfo(month));
  }

  /** activeEntries of a cell's worker and month. */
  activeIn(cell: Cell): readonly RosterEntryFact[] {
    const entries = this.entriesOf[cell.w];
    return entries === undefined ? NONE : activeOf(entries, this.monthInfoOf(cell));
  }

  /** W's wage-table rows of every month up to D's, month by month (each month's rows in the facts' order). */
  payrollOfWorker(idNumber: string): PayrollRowFact[] {
    this.held();
    const w = this.workerIndex.get(idNumber);
    const out: PayrollRowFact[] = [];
    if (w === undefined) return out;
    for (const row of this.grid) {
      const rows = row?.[w]?.payroll;
      if (rows) for (const r of rows) out.push(r);
    }
    return out;
  }

  /** The wage-table rows of (M, W), or null. */
  payrollOf(month: Month, idNumber: string): PayrollRowFact[] | null {
    return this.cell(month, idNumber)?.payroll ?? null;
  }

  /** Completed on or before D. */
  get completed(): boolean {
    return this.project.completionDate !== undefined && this.project.completionDate <= this.asOf;
  }
}

function activeOf(entries: RosterEntryFact[] | undefined, { first, last }: MonthInfo): readonly RosterEntryFact[] {
  if (!entries) return NONE;
  if (entries.length === 1) {
    const e = entries[0]!;
    return e.entryDate <= last && (e.exitDate === undefined || e.exitDate >= first) ? entries : NONE;
  }
  let active: RosterEntryFact[] | null = null;
  for (const e of entries) if (e.entryDate <= last && (e.exitDate === undefined || e.exitDate >= first)) (active ??= []).push(e);
  return active ?? NONE;
}

const normalizeName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
/** Names compare after Unicode NFKC and without spaces (“王 建军” = “王建军”); nothing else is forgiven. */
export const sameName = (a: string, b: string): boolean => a === b || normalizeName(a) === normalizeName(b);

export function keyOf(month: string, idNumber: string): string {
  return `${month}|${idNumber}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * 工资支付日 (条例 第十四条; 工资支付暂行规定 第七条): day `payDay` of M+1, clamped to that month's end;
 * when that day is a statutory holiday or rest day, the last working day before it.
 */
export function dueDateOf(month: Month, payDay: number, calendar: WorkingDayCalendar, payDayParam: ParamUse | null = null): DueDate {
  const payDayDate = clampedDayOf(addMonths(month, 1), payDay);
  const params: ParamUse[] = payDayParam ? [payDayParam] : [];
  const dueDate = calendar.lastWorkingDayOnOrBefore(payDayDate);
  // a year without a schedule is placed on weekends alone: the date is provisional, and says why
  const missing = calendar.missingYears(dueDate, payDayDate);
  if (dueDate === payDayDate && missing.length === 0) return { month, payDayDate, dueDate, params };
  params.push(calendar.citeYear(payDayDate, { payDayDate, movedTo: dueDate }));
  if (dueDate.slice(0, 4) !== payDayDate.slice(0, 4)) params.push(calendar.citeYear(dueDate, { payDayDate, movedTo: dueDate }));
  if (missing.length === 0) return { month, payDayDate, dueDate, params };
  return { month, payDayDate, dueDate, params, provisional: true, provisionalReason: missing.map(missingYearReason).join('；') };
}

/** 按月工资台账 — the ledger of one project as of D, sorted by month then identity number. */
export function workerMonthLedger(project: ProjectFacts, asOf: IsoDate, params: RulesParams = DEFAULT_PARAMS): WorkerMonth[] {
  return ledgerOf(new ProjectView(project, asOf, params));
}

/** Builds the ledger of a view (once: the cells keep their lines) and returns it in ledger order. */
export function ledgerOf(view: ProjectView): WorkerMonth[] {
  if (view.ledger !== null) return view.ledger;
  view.expandRoster();
  const cells = view.gridCells();
  const out: WorkerMonth[] = [];
  for (const cell of cells) {
    cell.active = view.activeIn(cell);
    if (cell.payroll === null && cell.active.length === 0) continue; // a payment alone makes no worker-month
    if (cell.payments !== null && cell.payments.length > 1) cell.payments.sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));
    cell.wm = workerMonth(view, cell);
    out.push(cell.wm);
  }
  view.sorted = cells;
  view.ledger = out;
  return out;
}

function workerMonth(view: ProjectView, cell: Cell): WorkerMonth {
  const { project, asOf } = view;
  const { month, idNumber, payroll, active } = cell;
  const due = view.dueOf(cell);
  const all = cell.payments ?? NO_PAYMENTS;
  const hasPayroll = payroll !== null;
  const name = payroll !== null ? payroll[0]!.name : active.length > 0 ? active[active.length - 1]!.name : (view.rosterById.get(idNumber)?.[0]?.name ?? '');
  // 条例 第十一条: wages are paid to the worker himself — a payment into another person's name does not count
  // (a card not on the roster but in his own name does: PAYEE_MISMATCH flags the card)
  let payments = all;
  let toOthers = 0;
  if (name !== '' && all.some((p) => !sameName(p.payeeName, name))) {
    payments = all.filter((p) => sameName(p.payeeName, name));
    for (const p of all) if (!sameName(p.payeeName, name)) toOthers += p.amount;
  }

  let paid = 0;
  let paidOnTime = 0;
  for (const p of payments) {
    paid += p.amount;
    if (p.paidOn <= due.dueDate) paidOnTime += p.amount;
  }
  let netDue: Fen | null = null;
  if (payroll !== null) {
    let net = 0;
    for (const r of payroll) net += r.net;
    netDue = net as Fen;
  }

  let paidInFullOn: IsoDate | null = null;
  if (netDue !== null && netDue > 0 && paid >= netDue) {
    let cumulative = 0;
    for (const p of payments) {
      cumulative += p.amount;
      if (cumulative >= netDue) {
        paidInFullOn = p.paidOn;
        break;
      }
    }
  }

  const pastDue = asOf > due.dueDate;
  let status: WageStatus;
  let arrears = 0;
  if (!pastDue) status = 'not_due';
  else if (netDue === null) status = 'no_payroll';
  else {
    arrears = Math.max(0, netDue - paid);
    if (paid >= netDue) status = paidOnTime >= netDue ? 'paid' : 'paid_late';
    else status = paid > 0 ? 'partial' : 'unpaid';
  }

  let estimatedExposure: Fen | null = null;
  let estimateBasis: string | null = null;
  if (status === 'no_payroll') ({ estimatedExposure, estimateBasis } = estimateExposure(active, month));

  const evidence: EvidenceRef[] = [];
  if (payroll !== null) for (const r of payroll) evidence.push(r.ref);
  for (const p of all) evidence.push(p.ref);
  if (payroll === null) for (const e of active) evidence.push(e.ref);

  return {
    projectId: project.id,
    projectCode: project.code,
    idNumber,
    name,
    month,
    payDayDate: due.payDayDate,
    dueDate: due.dueDate,
    dueDateProvisional: due.provisional === true,
    rosterActive: active.length > 0,
    hasPayroll,
    netDue,
    paid: paid as Fen,
    paidToOthers: toOthers as Fen,
    paidOnTime: paidOnTime as Fen,
    arrears: arrears as Fen,
    status,
    overdueDays: arrears > 0 ? daysBetween(due.dueDate, asOf) : 0,
    paidInFullOn,
    estimatedExposure,
    estimateBasis,
    evidence,
  };
}

/** Monday–Friday days in [from, to] inclusive (no holiday calendar: the estimate's stated basis). */
export function weekdaysBetween(from: IsoDate, to: IsoDate): number {
  const days = daysBetween(from, to) + 1;
  if (days <= 0) return 0;
  const fullWeeks = Math.floor(days / 7);
  let count = fullWeeks * 5;
  const startDow = dayOfWeek(addDays(from, fullWeeks * 7));
  for (let i = 0; i < days % 7; i++) {
    const dow = (startDow + i) % 7;
    if (dow !== 0 && dow !== 6) count++;
  }
  return count;
}

/**
 * 估算应发 — estimated exposure of a roster-active month without a wage-table row (COMPLIANCE.md §1):
 * daily: wage_rate × Monday–Friday days of the active span in M; monthly: wage_rate × active calendar
 * days ÷ days in M; piece work: none. Summed over the worker's entries active in M.
 */
export function estimateExposure(
  entries: readonly RosterEntryFact[],
  month: Month,
): { estimatedExposure: Fen | null; estimateBasis: string | null } {
  let total = 0;
  const parts: string[] = [];
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  for (const e of entries) {
    if (e.wageRate === undefined || e.wageBasis === 'piece') continue;
    const from = maxDate(e.entryDate, first);
    const to = e.exitDate === undefined ? last : minDate(e.exitDate, last);
    if (e.wageBasis === 'daily') {
      const days = weekdaysBetween(from, to);
      total += mulFen(e.wageRate, [days, 1]);
      parts.push(`日薪${yuanText(e.wageRate)}元×${days}个工作日（周一至周五，${from}至${to}）`);
    } else {
      const days = daysBetween(from, to) + 1;
      const dim = daysInMonth(month);
      total += mulFen(e.wageRate, [days, dim]);
      parts.push(`月薪${yuanText(e.wageRate)}元×${days}/${dim}天（${from}至${to}）`);
    }
  }
  if (parts.length === 0) return { estimatedExposure: null, estimateBasis: null };
  return { estimatedExposure: fen(total), estimateBasis: parts.join('；') };
}
