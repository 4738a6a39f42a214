/**
 * Writing validated rows of one batch inside the batch's single transaction, through the store
 * (src/store/repos/factRows.ts), in batches of rows: a writer queues the rows the parser accepted and
 * writes them when the sheet reader says a piece of the file is done (flush) — one bulk insert per piece
 * (multi-row statements on SQLite, COPY on PostgreSQL), supersession by key (src/store/repos/factRows.ts).
 * Checks that read stored rows (the roster name of a wage row, a registry row's worker) are made at the
 * flush too, and their problems recorded on the row kept for it (RowReader.later()).
 *
 * Replacement by natural key (DATA-FORMATS.md) never deletes: the replaced rows get
 * `superseded_by = this batch`, and the partial unique indexes (`… WHERE superseded_by IS NULL`) hold
 * only for current rows. Rows of *this* batch are never superseded by it, so a key that appears twice in
 * one file trips the unique index; that is caught and reported naming both lines.
 *
 * Writers keep writing valid rows after the file has problems (the transaction is rolled back anyway):
 * that keeps the duplicate-key check working for the rest of the file, so the clerk sees every problem.
 */
import type { FactRowsRepo, SupersededRow } from '../store/repos/factRows.ts';
import type { LaterRow, RowReader } from './rowReader.ts';
import type { AccountTransactionRow } from './rows/accountTransactions.ts';
import type { ContractorRecordRow } from './rows/contractorRecords.ts';
import type { DepositRow } from './rows/deposits.ts';
import type { PaymentRow } from './rows/payments.ts';
import type { PayrollRow } from './rows/payroll.ts';
import type { ProjectRow } from './rows/projects.ts';
import type { RosterRow } from './rows/roster.ts';

export interface WriteTally {
  inserted: number;
  replaced: number;
}

export interface RowWriter<R> {
  /** Takes one parsed row (written at the next flush). */
  write(value: R, row: RowReader): void;
  /** Writes the rows taken since the last flush. */
  flush(): Promise<void>;
  /** What this batch replaced, for the batch record (DATA-FORMATS.md: "what it replaced"). */
  replacedDetail(): unknown[];
}

/** Counts superseded rows per group (project, or project-month) and per earlier batch. */
export class ReplacedTally {
  private readonly groups = new Map<string, { detail: Record<string, string>; byBatch: Map<number, number> }>();

  add(groupKey: string, detail: Record<string, string>, batchIds: readonly number[]): void {
    if (batchIds.length === 0) return;
    let g = this.groups.get(groupKey);
    if (!g) {
      g = { detail, byBatch: new Map() };
      this.groups.set(groupKey, g);
    }
    for (const b of batchIds) g.byBatch.set(b, (g.byBatch.get(b) ?? 0) + 1);
  }

  list(): unknown[] {
    return [...this.groups.values()].map((g) => ({
      ...g.detail,
      rows: [...g.byBatch.values()].reduce((a, b) => a + b, 0),
      batchIds: [...g.byBatch.keys()].sort((a, b) => a - b),
    }));
  }
}

/** The superseded rows' earlier batches, grouped by a key of theirs. */
export function batchesBy(rows: readonly SupersededRow[], groupOf: (key: readonly unknown[]) => string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const g = groupOf(r.key);
    let list = out.get(g);
    if (!list) out.set(g, (list = []));
    list.push(r.batchId);
  }
  return out;
}

/** Employers named by projects (owner, contractor) and roster rows, upserted by 统一社会信用代码. */
class EmployerUpserts {
  private readonly seen = new Map<string, { name: string; line: number }>();
  private pending: [string, string][] = [];

  constructor(
    private readonly rows: FactRowsRepo,
    private readonly warn: (text: string) => void,
  ) {}

  note(uscc: string, name: string, line: number): void {
    const prev = this.seen.get(uscc);
    if (prev && prev.name === name) return;
    if (prev) {
      this.warn(
        `第${line}行：信用代码 ${uscc} 的单位名称“${name}”与第${prev.line}行的“${prev.name}”不同，已按后出现的名称保存，请核对`,
      );
    }
    this.seen.set(uscc, { name, line });
    this.pending.push([uscc, name]);
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const pairs = this.pending;
    this.pending = [];
    await this.rows.upsertNames('employers', pairs);
  }
}

const PROJECT_FIELDS: readonly [keyof ProjectRow, string][] = [
  ['name', 'name'],
  ['county', 'county'],
  ['ownerUscc', 'owner_uscc'],
  ['contractorUscc', 'contractor_uscc'],
  ['contractAmountFen', 'contract_amount_fen'],
  ['contractSignedOn', 'contract_signed_on'],
  ['startDate', 'start_date'],
  ['plannedEndDate', 'planned_end_date'],
  ['completionDate', 'completion_date'],
  ['governmentFunded', 'government_funded'],
  ['wageAccountNo', 'wage_account_no'],
  ['wageAccountBank', 'wage_account_bank'],
  ['wageAccountOpenedOn', 'wage_account_opened_on'],
  ['wageAccountClosedOn', 'wage_account_closed_on'],
  ['wageAccountNoticeOn', 'wage_account_notice_on'],
  ['payDay', 'pay_day'],
  ['monthlyLaborCostFen', 'monthly_labor_cost_fen'],
  // 通知联系人 (notices)
  ['laborOfficerName', 'labor_officer_name'],
  ['laborOfficerPhone', 'labor_officer_phone'],
  ['laborOfficerEmail', 'labor_officer_email'],
  ['projectManagerName', 'project_manager_name'],
  ['projectManagerPhone', 'project_manager_phone'],
  ['projectManagerEmail', 'project_manager_email'],
  ['ownerContactName', 'owner_contact_name'],
  ['ownerContactPhone', 'owner_contact_phone'],
  ['ownerContactEmail', 'owner_contact_email'],
  // 建设单位义务 (issue 19 item 6)
  ['paymentGuarantee', 'payment_guarantee'],
  ['rightsNoticeBoard', 'rights_notice_board'],
  ['laborOfficer', 'labor_officer'],
  ['unpaidContractFen', 'unpaid_contract_fen'],
  ['unpaidContractOn', 'unpaid_contract_on'],
  ['contractorUnqualified', 'contractor_unqualified'],
];

/**
 * A project value as written and compared: booleans as 0/1 (both engines take 1/0 for a boolean column;
 * PostgreSQL returns true/false, so a stored value goes through this too before it is compared).
 */
function sqlValue(v: unknown): unknown {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/**
 * 工程项目 — keyed by project_code (a code repeated inside one file is caught by the row parser). A re-import updates the project in place (its id is what every other
 * table refers to); the values it overwrote are kept in the batch's replacedDetail, so the history of a
 * project's record stays traceable without a second table.
 */
export class ProjectWriter implements RowWriter<ProjectRow> {
  private readonly detail: unknown[] = [];
  private readonly employers: EmployerUpserts;
  private readonly columns = PROJECT_FIELDS.map(([, c]) => c);
  private queue: { code: string; values: unknown[]; line: number }[] = [];

  constructor(
    private readonly rows: FactRowsRepo,
    private readonly batchId: number,
    private readonly tally: WriteTally,
    warn: (text: string) => void,
  ) {
    this.employers = new EmployerUpserts(rows, warn);
  }

  write(p: ProjectRow, row: RowReader): void {
    this.employers.note(p.ownerUscc, p.ownerName, row.line);
    this.employers.note(p.contractorUscc, p.contractorName, row.line);
    this.queue.push({ code: p.code, values: PROJECT_FIELDS.map(([k]) => sqlValue(p[k])), line: row.line });
  }

  async flush(): Promise<void> {
    await this.employers.flush();
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    const existing = await this.rows.projectsByCode(queue.map((q) => q.code));
    const inserts: unknown[][] = [];
    for (const { code, values, line } of queue) {
      const was = existing.get(code);
      if (!was) {
        inserts.push([code, ...values, this.batchId, line]);
        this.tally.inserted++;
        continue;
      }
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      this.columns.forEach((c, i) => {
        const from = sqlValue(was[c]);
        if (from !== values[i]) changed[c] = { from, to: values[i] };
      });
      await this.rows.updateProject(Number(was.id), [...this.columns, 'batch_id', 'line'], [...values, this.batchId, line]);
      this.tally.replaced++;
      this.detail.push({ projectCode: code, batchIds: [was.batch_id], line: was.line, changed });
    }
    await this.rows.insert('projects', ['code', ...this.columns, 'batch_id', 'line'], inserts);
  }

  replacedDetail(): unknown[] {
    return this.detail;
  }
}

/** One row waiting in a writer: its key, its values (in the table's columns) and the row it came from. */
interface Queued {
  readonly key: readonly unknown[];
  readonly values: readonly unknown[];
  readonly at: LaterRow;
  /** the line of the earlier row of this file with the same key: record the problem */
  readonly duplicate: (line: number, at: LaterRow) => void;
  /** after the row is written (not a duplicate) */
  readonly written?: () => void;
}

/**
 * Rows of a fact table: supersede the current rows with the same keys from earlier batches, insert the new
 * ones in bulk; when the bulk insert breaks a unique key (a key repeated in the file) write them again
 * skipping taken keys, and report each skipped row with the line of the row that holds its key.
 * Returns the rows superseded and the queued rows written.
 */
export async function writeKeyed(
  rows: FactRowsRepo,
  table: string,
  keyColumns: readonly string[],
  columns: readonly string[],
  batchId: number,
  queue: readonly Queued[],
): Promise<{ superseded: SupersededRow[]; written: readonly Queued[] }> {
  if (queue.length === 0) return { superseded: [], written: [] };
  const superseded = await rows.supersede(table, keyColumns, queue.map((q) => q.key), batchId);
  const skipped = await rows.insertSkippingTaken(table, [...columns, 'batch_id', 'line'], queue.map((q) => [...q.values, batchId, q.at.line]));
  if (skipped.length === 0) return { superseded, written: queue };
  const repeated = new Set(skipped);
  const written: Queued[] = [];
  for (const q of queue) {
    if (!repeated.has(q.at.line)) written.push(q);
    else q.duplicate((await rows.lineOf(table, keyColumns, q.key)) ?? 0, q.at);
  }
  return { superseded, written };
}

/**
 * A fact table whose rows are replaced one by one by natural key within a project (roster, payments,
 * account transactions, deposits): the key's first column is the project.
 */
class KeyedFacts {
  private queue: Queued[] = [];
  private readonly codes = new Map<number, string>();
  private readonly replaced = new ReplacedTally();

  constructor(
    private readonly rows: FactRowsRepo,
    private readonly table: string,
    private readonly keyColumns: readonly string[],
    private readonly insertColumns: readonly string[],
    private readonly batchId: number,
    private readonly tally: WriteTally,
  ) {}

  put(project: { id: number; code: string }, q: Queued): void {
    this.codes.set(project.id, project.code);
    this.queue.push(q);
  }

  async flush(): Promise<void> {
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    const { superseded, written } = await writeKeyed(this.rows, this.table, this.keyColumns, this.insertColumns, this.batchId, queue);
    this.tally.inserted += written.length;
    this.tally.replaced += superseded.length;
    // groups in the order the file first names their project
    const byProject = batchesBy(superseded, (k) => String(k[0]));
    for (const q of queue) {
      const pid = q.key[0] as number;
      const batches = byProject.get(String(pid));
      if (!batches) continue;
      byProject.delete(String(pid));
      const code = this.codes.get(pid)!;
      this.replaced.add(code, { projectCode: code }, batches);
    }
    for (const q of written) q.written?.();
  }

  replacedDetail(): unknown[] {
    return this.replaced.list();
  }
}

/** 实名制花名册 — keyed by (project, id_number, entry_date); also keeps `workers` and `employers` current. */
export class RosterWriter implements RowWriter<RosterRow> {
  private readonly facts: KeyedFacts;
  private readonly employers: EmployerUpserts;
  private workers: [string, string][] = [];

  constructor(
    private readonly rows: FactRowsRepo,
    batchId: number,
    tally: WriteTally,
    warn: (text: string) => void,
  ) {
    this.facts = new KeyedFacts(
      rows,
      'roster_entries',
      ['project_id', 'id_number', 'entry_date'],
      [
        'project_id',
        'id_number',
        'name',
        'employer_uscc',
        'team',
        'trade',
        'entry_date',
        'exit_date',
        'contract_signed',
        'wage_basis',
        'wage_rate_fen',
        'bank_card',
        'bank_name',
        'phone',
        'juvenile_registered',
      ],
      batchId,
      tally,
    );
    this.employers = new EmployerUpserts(rows, warn);
  }

  write(r: RosterRow, row: RowReader): void {
    const at = row.later();
    this.facts.put(r.project, {
      key: [r.project.id, r.idNumber, r.entryDate],
      values: [
        r.project.id,
        r.idNumber,
        r.name,
        r.employerUscc,
        r.team,
        r.trade,
        r.entryDate,
        r.exitDate,
        r.contractSigned,
        r.wageBasis,
        r.wageRateFen,
        r.bankCard,
        r.bankName,
        r.phone,
        r.juvenileRegistered,
      ],
      at,
      duplicate: (dup, a) =>
        a.fail('id_number', `与第${dup}行重复：同一项目、同一身份证号、同一进场日期只能有一行花名册记录（同一人多次进场请填写不同的进场日期）`),
      // the worker's name is the latest roster name (schema.ts)
      written: () => {
        this.workers.push([r.idNumber, r.name]);
        this.employers.note(r.employerUscc, r.employerName, at.line);
      },
    });
  }

  async flush(): Promise<void> {
    await this.facts.flush();
    const workers = this.workers;
    this.workers = [];
    if (workers.length > 0) await this.rows.upsertNames('workers', workers);
    await this.employers.flush();
  }

  replacedDetail(): unknown[] {
    return this.facts.replacedDetail();
  }
}

const PAYROLL_INSERT = ['project_id', 'month', 'id_number', 'name', 'days_worked_centi', 'gross_fen', 'deductions_fen', 'net_fen', 'worker_confirmed', 'batch_id', 'line'];

/**
 * 工资支付表 — a file's rows for a (project, month) replace that month's whole wage table for the project
 * (DATA-FORMATS.md): the first time the file meets a pair, every current row of the pair is superseded.
 */
export class PayrollWriter implements RowWriter<PayrollRow> {
  private readonly months = new Set<string>();
  private lastMonthKey = '';
  private queue: { r: PayrollRow; at: LaterRow }[] = [];
  /** per project: identity number → name of the worker's latest current roster entry (loaded once) */
  private readonly rosterByProject = new Map<number, Map<string, string>>();
  private readonly replaced = new ReplacedTally();

  constructor(
    private readonly rows: FactRowsRepo,
    private readonly batchId: number,
    private readonly tally: WriteTally,
  ) {}

  write(r: PayrollRow, row: RowReader): void {
    this.queue.push({ r, at: row.later() });
  }

  async flush(): Promise<void> {
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    // the rosters of projects not met before, read once each (a roster is hundreds of rows; a wage file
    // is up to millions): a per-row lookup was a third of the import's time
    const unseen = [...new Set(queue.map((q) => q.r.project.id))].filter((id) => !this.rosterByProject.has(id));
    if (unseen.length > 0) for (const [id, names] of await this.rows.rosterNames(unseen)) this.rosterByProject.set(id, names);

    const accepted: { r: PayrollRow; at: LaterRow }[] = [];
    const values: unknown[][] = [];
    const newMonths: { key: [number, string]; code: string }[] = [];
    for (const q of queue) {
      const { r, at } = q;
      // no roster entry → no name check (the rules raise NOT_ON_ROSTER instead)
      const onRoster = this.rosterByProject.get(r.project.id)!.get(r.idNumber);
      if (onRoster !== undefined && onRoster !== r.name) {
        at.fail(
          'name',
          `姓名“${r.name}”与该项目花名册中此身份证号的姓名“${onRoster}”不一致：请核对姓名和身份证号（如确已改名，请先导入更新后的花名册）`,
        );
        continue;
      }
      const monthKey = `${r.project.id}|${r.month}`;
      if (monthKey !== this.lastMonthKey) {
        this.lastMonthKey = monthKey;
        if (!this.months.has(monthKey)) {
          this.months.add(monthKey);
          newMonths.push({ key: [r.project.id, r.month], code: r.project.code });
        }
      }
      accepted.push(q);
      // the hot path of a large file: one array per row, in PAYROLL_COLUMNS order, batch and line last
      values.push([r.project.id, r.month, r.idNumber, r.name, r.daysWorkedCenti, r.grossFen, r.deductionsFen, r.netFen, r.workerConfirmed, this.batchId, at.line]);
    }
    // the months first met supersede the months' whole tables (keyed by project and month, not by row)
    const superseded = newMonths.length > 0 ? await this.rows.supersede('payroll_rows', ['project_id', 'month'], newMonths.map((m) => m.key), this.batchId) : [];
    const skipped = await this.rows.insertSkippingTaken('payroll_rows', PAYROLL_INSERT, values);
    if (skipped.length > 0) {
      const repeated = new Set(skipped);
      for (const { r, at } of accepted) {
        if (!repeated.has(at.line)) continue;
        const dup = await this.rows.lineOf('payroll_rows', ['project_id', 'month', 'id_number'], [r.project.id, r.month, r.idNumber]);
        at.fail('id_number', `与第${dup ?? '?'}行重复：同一项目同一月份的工资表中，每人只能有一行（如需合并，请把两行的出勤和金额相加）`);
      }
    }
    this.tally.replaced += superseded.length;
    this.tally.inserted += values.length - skipped.length;
    const byMonth = batchesBy(superseded, (k) => `${k[0]}|${k[1]}`);
    for (const m of newMonths) {
      const batches = byMonth.get(`${m.key[0]}|${m.key[1]}`);
      if (batches) this.replaced.add(`${m.key[0]}|${m.key[1]}`, { projectCode: m.code, month: m.key[1] }, batches);
    }
  }

  replacedDetail(): unknown[] {
    return this.replaced.list();
  }
}

/** 工资发放记录 — keyed by (project, bank_ref); a cash row by a digest of all its fields. */
export class PaymentWriter implements RowWriter<PaymentRow> {
  private readonly facts: KeyedFacts;

  constructor(rows: FactRowsRepo, batchId: number, tally: WriteTally) {
    this.facts = new KeyedFacts(
      rows,
      'payments',
      ['project_id', 'natural_key'],
      ['project_id', 'month', 'id_number', 'payee_name', 'payee_card', 'amount_fen', 'paid_on', 'channel', 'bank_ref', 'natural_key', 'returned_on', 'return_reason'],
      batchId,
      tally,
    );
  }

  write(p: PaymentRow, row: RowReader): void {
    this.facts.put(p.project, {
      key: [p.project.id, p.naturalKey],
      values: [p.project.id, p.month, p.idNumber, p.payeeName, p.payeeCard, p.amountFen, p.paidOn, p.channel, p.bankRef, p.naturalKey, p.returnedOn, p.returnReason],
      at: row.later(),
      duplicate: (dup, at) => {
        if (p.channel === 'cash' && p.bankRef === null) {
          at.failRow(`与第${dup}行是完全相同的现金发放记录：如确是两笔，请在银行流水号列填写各自的收据号加以区分`);
        } else {
          at.fail('bank_ref', `银行流水号“${p.bankRef ?? ''}”与第${dup}行重复：同一项目的每笔发放的流水号应唯一`);
        }
      },
    });
  }

  flush(): Promise<void> {
    return this.facts.flush();
  }

  replacedDetail(): unknown[] {
    return this.facts.replacedDetail();
  }
}

/** 专用账户流水 — keyed by (project, bank_ref). */
export class AccountTransactionWriter implements RowWriter<AccountTransactionRow> {
  private readonly facts: KeyedFacts;

  constructor(rows: FactRowsRepo, batchId: number, tally: WriteTally) {
    this.facts = new KeyedFacts(
      rows,
      'account_transactions',
      ['project_id', 'bank_ref'],
      ['project_id', 'tx_date', 'direction', 'amount_fen', 'purpose', 'counterparty', 'bank_ref', 'original_bank_ref'],
      batchId,
      tally,
    );
  }

  write(t: AccountTransactionRow, row: RowReader): void {
    this.facts.put(t.project, {
      key: [t.project.id, t.bankRef],
      values: [t.project.id, t.txDate, t.direction, t.amountFen, t.purpose, t.counterparty, t.bankRef, t.originalBankRef],
      at: row.later(),
      duplicate: (dup, at) => at.fail('bank_ref', `银行流水号“${t.bankRef}”与第${dup}行重复：同一项目的每笔流水的流水号应唯一`),
    });
  }

  flush(): Promise<void> {
    return this.facts.flush();
  }

  replacedDetail(): unknown[] {
    return this.facts.replacedDetail();
  }
}

/** 工资保证金 — keyed by (project, voucher_no). */
export class DepositWriter implements RowWriter<DepositRow> {
  private readonly facts: KeyedFacts;

  constructor(rows: FactRowsRepo, batchId: number, tally: WriteTally) {
    this.facts = new KeyedFacts(
      rows,
      'deposit_events',
      ['project_id', 'voucher_no'],
      ['project_id', 'event', 'form', 'amount_fen', 'date', 'expires_on', 'voucher_no', 'notice_on'],
      batchId,
      tally,
    );
  }

  write(d: DepositRow, row: RowReader): void {
    this.facts.put(d.project, {
      key: [d.project.id, d.voucherNo],
      values: [d.project.id, d.event, d.form, d.amountFen, d.date, d.expiresOn, d.voucherNo, d.noticeOn],
      at: row.later(),
      duplicate: (dup, at) => at.fail('voucher_no', `凭证号“${d.voucherNo}”与第${dup}行重复：同一项目的每笔保证金业务的凭证号应唯一`),
    });
  }

  flush(): Promise<void> {
    return this.facts.flush();
  }

  replacedDetail(): unknown[] {
    return this.facts.replacedDetail();
  }
}

/**
 * 承包单位信用记录 — a file's rows for a general contractor replace that contractor's whole record (issue 19
 * item 1): the first time the file meets a credit code, every current row of it is superseded (kept, marked
 * with this batch), so a corrected record is re-imported whole and a contractor not in the file is untouched.
 */
export class ContractorRecordWriter implements RowWriter<ContractorRecordRow> {
  private readonly seen = new Set<string>();
  private newContractors: string[] = [];
  private queue: unknown[][] = [];
  private readonly employers: EmployerUpserts;
  private readonly replaced = new ReplacedTally();

  constructor(
    private readonly rows: FactRowsRepo,
    private readonly batchId: number,
    private readonly tally: WriteTally,
    warn: (text: string) => void,
  ) {
    this.employers = new EmployerUpserts(rows, warn);
  }

  write(r: ContractorRecordRow, row: RowReader): void {
    if (!this.seen.has(r.contractorUscc)) {
      this.seen.add(r.contractorUscc);
      this.newContractors.push(r.contractorUscc);
    }
    this.queue.push([r.contractorUscc, r.recordType, r.fromDate, r.toDate, r.projectName, r.note, this.batchId, row.line]);
    this.tally.inserted++;
    if (r.contractorName !== null) this.employers.note(r.contractorUscc, r.contractorName, row.line);
  }

  async flush(): Promise<void> {
    const contractors = this.newContractors;
    const queue = this.queue;
    this.newContractors = [];
    this.queue = [];
    if (contractors.length > 0) {
      const superseded = await this.rows.supersede('contractor_records', ['contractor_uscc'], contractors.map((c) => [c]), this.batchId);
      this.tally.replaced += superseded.length;
      const byContractor = batchesBy(superseded, (k) => String(k[0]));
      for (const c of contractors) {
        const batches = byContractor.get(c);
        if (batches) this.replaced.add(c, { contractorUscc: c }, batches);
      }
    }
    await this.rows.insert('contractor_records', ['contractor_uscc', 'record_type', 'from_date', 'to_date', 'project_name', 'note', 'batch_id', 'line'], queue);
    await this.employers.flush();
  }

  replacedDetail(): unknown[] {
    return this.replaced.list();
  }
}
