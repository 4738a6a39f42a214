/**
 * Writing validated rows of one batch, with prepared better-sqlite3 statements inside the batch's single
 * transaction (ARCHITECTURE.md: an ORM insert per row is 12× slower on this hot path).
 *
 * Replacement by natural key (DATA-FORMATS.md) never deletes: the replaced rows get
 * `superseded_by = this batch`, and the partial unique indexes (`… WHERE superseded_by IS NULL`) hold
 * only for current rows. Rows of *this* batch are never superseded by it, so a key that appears twice in
 * one file trips the unique index; that is caught and reported naming both lines.
 *
 * Writers keep writing valid rows after the file has problems (the transaction is rolled back anyway):
 * that keeps the duplicate-key check working for the rest of the file, so the clerk sees every problem.
 */
import type Database from 'better-sqlite3';
import type { RowReader } from './rowReader.ts';
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
  write(value: R, row: RowReader): void;
  /** What this batch replaced, for the batch record (DATA-FORMATS.md: "what it replaced"). */
  replacedDetail(): unknown[];
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && (e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Counts superseded rows per group (project, or project-month) and per earlier batch. */
class ReplacedTally {
  private readonly groups = new Map<string, { detail: Record<string, string>; byBatch: Map<number, number> }>();

  add(groupKey: string, detail: Record<string, string>, batchIds: readonly { batch_id: number }[]): void {
    if (batchIds.length === 0) return;
    let g = this.groups.get(groupKey);
    if (!g) {
      g = { detail, byBatch: new Map() };
      this.groups.set(groupKey, g);
    }
    for (const { batch_id } of batchIds) g.byBatch.set(batch_id, (g.byBatch.get(batch_id) ?? 0) + 1);
  }

  list(): unknown[] {
    return [...this.groups.values()].map((g) => ({
      ...g.detail,
      rows: [...g.byBatch.values()].reduce((a, b) => a + b, 0),
      batchIds: [...g.byBatch.keys()].sort((a, b) => a - b),
    }));
  }
}

/** Employers named by projects (owner, contractor) and roster rows, upserted by 统一社会信用代码. */
class EmployerUpserts {
  private readonly seen = new Map<string, { name: string; line: number }>();
  private readonly upsert: Database.Statement;

  constructor(
    client: Database.Database,
    private readonly warn: (text: string) => void,
  ) {
    this.upsert = client.prepare(
      'INSERT INTO employers (uscc, name) VALUES (?, ?) ON CONFLICT (uscc) DO UPDATE SET name = excluded.name WHERE name <> excluded.name',
    );
  }

  note(uscc: string, name: string, line: number): void {
    const prev = this.seen.get(uscc);
    if (prev && prev.name === name) return;
    if (prev) {
      this.warn(
        `第${line}行：信用代码 ${uscc} 的单位名称“${name}”与第${prev.line}行的“${prev.name}”不同，已按后出现的名称保存，请核对`,
      );
    }
    this.seen.set(uscc, { name, line });
    this.upsert.run(uscc, name);
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
  private readonly select: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;
  private readonly employers: EmployerUpserts;

  constructor(
    client: Database.Database,
    private readonly batchId: number,
    private readonly tally: WriteTally,
    warn: (text: string) => void,
  ) {
    const cols = PROJECT_FIELDS.map(([, c]) => c);
    this.select = client.prepare('SELECT * FROM projects WHERE code = ?');
    this.insert = client.prepare(
      `INSERT INTO projects (code, ${cols.join(', ')}, batch_id, line) VALUES (?, ${cols.map(() => '?').join(', ')}, ?, ?)`,
    );
    this.update = client.prepare(`UPDATE projects SET ${cols.map((c) => `${c} = ?`).join(', ')}, batch_id = ?, line = ? WHERE id = ?`);
    this.employers = new EmployerUpserts(client, warn);
  }

  write(p: ProjectRow, row: RowReader): void {
    this.employers.note(p.ownerUscc, p.ownerName, row.line);
    this.employers.note(p.contractorUscc, p.contractorName, row.line);
    const values = PROJECT_FIELDS.map(([k]) => sqlValue(p[k]));
    const existing = this.select.get(p.code) as Record<string, unknown> | undefined;
    if (!existing) {
      this.insert.run(p.code, ...values, this.batchId, row.line);
      this.tally.inserted++;
      return;
    }
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    PROJECT_FIELDS.forEach(([, c], i) => {
      if (existing[c] !== values[i]) changed[c] = { from: existing[c], to: values[i] };
    });
    this.update.run(...values, this.batchId, row.line, existing.id);
    this.tally.replaced++;
    this.detail.push({ projectCode: p.code, batchIds: [existing.batch_id], line: existing.line, changed });
  }

  replacedDetail(): unknown[] {
    return this.detail;
  }
}

/**
 * A fact table whose rows are replaced one by one by natural key within a project (roster, payments,
 * account transactions, deposits): supersede the current row with the same key from an earlier batch,
 * insert the new one; a unique violation then can only mean the key repeats inside this file.
 */
class KeyedFacts {
  private readonly supersede: Database.Statement;
  private readonly insertStmt: Database.Statement;
  private readonly findLine: Database.Statement;
  private readonly replaced = new ReplacedTally();

  constructor(
    client: Database.Database,
    table: string,
    keyColumns: readonly string[],
    insertColumns: readonly string[],
    private readonly batchId: number,
    private readonly tally: WriteTally,
  ) {
    const keyWhere = keyColumns.map((c) => `${c} = ?`).join(' AND ');
    this.supersede = client.prepare(
      `UPDATE ${table} SET superseded_by = ? WHERE ${keyWhere} AND superseded_by IS NULL AND batch_id <> ? RETURNING batch_id`,
    );
    this.insertStmt = client.prepare(
      `INSERT INTO ${table} (${insertColumns.join(', ')}, batch_id, line) VALUES (${insertColumns.map(() => '?').join(', ')}, ?, ?)`,
    );
    this.findLine = client.prepare(`SELECT line FROM ${table} WHERE ${keyWhere} AND superseded_by IS NULL`);
  }

  /** Writes one row; returns the line of the earlier row of this file with the same key, if any. */
  put(projectCode: string, key: readonly unknown[], values: readonly unknown[], line: number): number | undefined {
    const old = this.supersede.all(this.batchId, ...key, this.batchId) as { batch_id: number }[];
    try {
      this.insertStmt.run(...values, this.batchId, line);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const dup = this.findLine.get(...key) as { line: number } | undefined;
      return dup?.line ?? 0;
    }
    this.tally.inserted++;
    this.tally.replaced += old.length;
    this.replaced.add(projectCode, { projectCode }, old);
    return undefined;
  }

  replacedDetail(): unknown[] {
    return this.replaced.list();
  }
}

/** 实名制花名册 — keyed by (project, id_number, entry_date); also keeps `workers` and `employers` current. */
export class RosterWriter implements RowWriter<RosterRow> {
  private readonly facts: KeyedFacts;
  private readonly worker: Database.Statement;
  private readonly employers: EmployerUpserts;

  constructor(client: Database.Database, batchId: number, tally: WriteTally, warn: (text: string) => void) {
    this.facts = new KeyedFacts(
      client,
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
    // the worker's name is the latest roster name (schema.ts)
    this.worker = client.prepare(
      'INSERT INTO workers (id_number, name) VALUES (?, ?) ON CONFLICT (id_number) DO UPDATE SET name = excluded.name WHERE name <> excluded.name',
    );
    this.employers = new EmployerUpserts(client, warn);
  }

  write(r: RosterRow, row: RowReader): void {
    const dup = this.facts.put(
      r.project.code,
      [r.project.id, r.idNumber, r.entryDate],
      [
        r.project.id,
        r.idNumber,
        r.name,
        r.employerUscc,
        r.team,
        r.trade,
        r.entryDate,
        r.exitDate,
        r.contractSigned ? 1 : 0,
        r.wageBasis,
        r.wageRateFen,
        r.bankCard,
        r.bankName,
        r.phone,
        r.juvenileRegistered === null ? null : r.juvenileRegistered ? 1 : 0,
      ],
      row.line,
    );
    if (dup !== undefined) {
      row.fail(
        'id_number',
        `与第${dup}行重复：同一项目、同一身份证号、同一进场日期只能有一行花名册记录（同一人多次进场请填写不同的进场日期）`,
      );
      return;
    }
    this.worker.run(r.idNumber, r.name);
    this.employers.note(r.employerUscc, r.employerName, row.line);
  }

  replacedDetail(): unknown[] {
    return this.facts.replacedDetail();
  }
}

/**
 * 工资支付表 — a file's rows for a (project, month) replace that month's whole wage table for the project
 * (DATA-FORMATS.md): the first time the file meets a pair, every current row of the pair is superseded.
 */
export class PayrollWriter implements RowWriter<PayrollRow> {
  private readonly months = new Set<string>();
  private lastMonthKey = '';
  private readonly supersedeMonth: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly findLine: Database.Statement;
  private readonly rosterNames: Database.Statement;
  /** per project: identity number → name of the worker's latest current roster entry (loaded once) */
  private readonly rosterByProject = new Map<number, Map<string, string>>();
  private readonly replaced = new ReplacedTally();

  constructor(
    client: Database.Database,
    private readonly batchId: number,
    private readonly tally: WriteTally,
  ) {
    this.supersedeMonth = client.prepare(
      'UPDATE payroll_rows SET superseded_by = ? WHERE project_id = ? AND month = ? AND superseded_by IS NULL RETURNING batch_id',
    );
    this.insert = client.prepare(
      `INSERT INTO payroll_rows (project_id, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen,
         worker_confirmed, batch_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.findLine = client.prepare(
      'SELECT line FROM payroll_rows WHERE project_id = ? AND month = ? AND id_number = ? AND superseded_by IS NULL',
    );
    // the workers' current roster entries on a project, oldest entry first, so the latest entry's name wins;
    // read once per project (a roster is hundreds of rows; a wage file is up to millions): a per-row
    // lookup was a third of the import's time
    this.rosterNames = client.prepare(
      'SELECT id_number, name FROM roster_entries WHERE project_id = ? AND superseded_by IS NULL ORDER BY entry_date, id',
    );
  }

  private rosterOf(projectId: number): Map<string, string> {
    let names = this.rosterByProject.get(projectId);
    if (!names) {
      names = new Map();
      for (const e of this.rosterNames.iterate(projectId) as IterableIterator<{ id_number: string; name: string }>) {
        names.set(e.id_number, e.name);
      }
      this.rosterByProject.set(projectId, names);
    }
    return names;
  }

  write(r: PayrollRow, row: RowReader): void {
    // no roster entry → no name check (the rules raise NOT_ON_ROSTER instead)
    const onRoster = this.rosterOf(r.project.id).get(r.idNumber);
    if (onRoster !== undefined && onRoster !== r.name) {
      row.fail(
        'name',
        `姓名“${r.name}”与该项目花名册中此身份证号的姓名“${onRoster}”不一致：请核对姓名和身份证号（如确已改名，请先导入更新后的花名册）`,
      );
      return;
    }
    const monthKey = `${r.project.id}|${r.month}`;
    if (monthKey !== this.lastMonthKey) {
      this.lastMonthKey = monthKey;
      if (!this.months.has(monthKey)) {
        this.months.add(monthKey);
        const old = this.supersedeMonth.all(this.batchId, r.project.id, r.month) as { batch_id: number }[];
        this.tally.replaced += old.length;
        this.replaced.add(monthKey, { projectCode: r.project.code, month: r.month }, old);
      }
    }
    try {
      this.insert.run(
        r.project.id,
        r.month,
        r.idNumber,
        r.name,
        r.daysWorkedCenti,
        r.grossFen,
        r.deductionsFen,
        r.netFen,
        r.workerConfirmed ? 1 : 0,
        this.batchId,
        row.line,
      );
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const dup = this.findLine.get(r.project.id, r.month, r.idNumber) as { line: number } | undefined;
      row.fail(
        'id_number',
        `与第${dup?.line ?? '?'}行重复：同一项目同一月份的工资表中，每人只能有一行（如需合并，请把两行的出勤和金额相加）`,
      );
      return;
    }
    this.tally.inserted++;
  }

  replacedDetail(): unknown[] {
    return this.replaced.list();
  }
}

/** 工资发放记录 — keyed by (project, bank_ref); a cash row by a digest of all its fields. */
export class PaymentWriter implements RowWriter<PaymentRow> {
  private readonly facts: KeyedFacts;

  constructor(client: Database.Database, batchId: number, tally: WriteTally) {
    this.facts = new KeyedFacts(
      client,
      'payments',
      ['project_id', 'natural_key'],
      ['project_id', 'month', 'id_number', 'payee_name', 'payee_card', 'amount_fen', 'paid_on', 'channel', 'bank_ref', 'natural_key', 'returned_on', 'return_reason'],
      batchId,
      tally,
    );
  }

  write(p: PaymentRow, row: RowReader): void {
    const dup = this.facts.put(
      p.project.code,
      [p.project.id, p.naturalKey],
      [p.project.id, p.month, p.idNumber, p.payeeName, p.payeeCard, p.amountFen, p.paidOn, p.channel, p.bankRef, p.naturalKey, p.returnedOn, p.returnReason],
      row.line,
    );
    if (dup === undefined) return;
    if (p.channel === 'cash' && p.bankRef === null) {
      row.failRow(`与第${dup}行是完全相同的现金发放记录：如确是两笔，请在银行流水号列填写各自的收据号加以区分`);
    } else {
      row.fail('bank_ref', `银行流水号“${p.bankRef ?? ''}”与第${dup}行重复：同一项目的每笔发放的流水号应唯一`);
    }
  }

  replacedDetail(): unknown[] {
    return this.facts.replacedDetail();
  }
}

/** 专用账户流水 — keyed by (project, bank_ref). */
export class AccountTransactionWriter implements RowWriter<AccountTransactionRow> {
  private readonly facts: KeyedFacts;

  constructor(client: Database.Database, batchId: number, tally: WriteTally) {
    this.facts = new KeyedFacts(
      client,
      'account_transactions',
      ['project_id', 'bank_ref'],
      ['project_id', 'tx_date', 'direction', 'amount_fen', 'purpose', 'counterparty', 'bank_ref', 'original_bank_ref'],
      batchId,
      tally,
    );
  }

  write(t: AccountTransactionRow, row: RowReader): void {
    const dup = this.facts.put(
      t.project.code,
      [t.project.id, t.bankRef],
      [t.project.id, t.txDate, t.direction, t.amountFen, t.purpose, t.counterparty, t.bankRef, t.originalBankRef],
      row.line,
    );
    if (dup !== undefined) row.fail('bank_ref', `银行流水号“${t.bankRef}”与第${dup}行重复：同一项目的每笔流水的流水号应唯一`);
  }

  replacedDetail(): unknown[] {
    return this.facts.replacedDetail();
  }
}

/** 工资保证金 — keyed by (project, voucher_no). */
export class DepositWriter implements RowWriter<DepositRow> {
  private readonly facts: KeyedFacts;

  constructor(client: Database.Database, batchId: number, tally: WriteTally) {
    this.facts = new KeyedFacts(
      client,
      'deposit_events',
      ['project_id', 'voucher_no'],
      ['project_id', 'event', 'form', 'amount_fen', 'date', 'expires_on', 'voucher_no', 'notice_on'],
      batchId,
      tally,
    );
  }

  write(d: DepositRow, row: RowReader): void {
    const dup = this.facts.put(
      d.project.code,
      [d.project.id, d.voucherNo],
      [d.project.id, d.event, d.form, d.amountFen, d.date, d.expiresOn, d.voucherNo, d.noticeOn],
      row.line,
    );
    if (dup !== undefined) row.fail('voucher_no', `凭证号“${d.voucherNo}”与第${dup}行重复：同一项目的每笔保证金业务的凭证号应唯一`);
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
  private readonly supersede: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly employers: EmployerUpserts;
  private readonly replaced = new ReplacedTally();

  constructor(
    client: Database.Database,
    private readonly batchId: number,
    private readonly tally: WriteTally,
    warn: (text: string) => void,
  ) {
    this.supersede = client.prepare(
      'UPDATE contractor_records SET superseded_by = ? WHERE contractor_uscc = ? AND superseded_by IS NULL RETURNING batch_id',
    );
    this.insert = client.prepare(
      `INSERT INTO contractor_records (contractor_uscc, record_type, from_date, to_date, project_name, note, batch_id, line)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.employers = new EmployerUpserts(client, warn);
  }

  write(r: ContractorRecordRow, row: RowReader): void {
    if (!this.seen.has(r.contractorUscc)) {
      this.seen.add(r.contractorUscc);
      const old = this.supersede.all(this.batchId, r.contractorUscc) as { batch_id: number }[];
      this.tally.replaced += old.length;
      this.replaced.add(r.contractorUscc, { contractorUscc: r.contractorUscc }, old);
    }
    this.insert.run(r.contractorUscc, r.recordType, r.fromDate, r.toDate, r.projectName, r.note, this.batchId, row.line);
    this.tally.inserted++;
    if (r.contractorName !== null) this.employers.note(r.contractorUscc, r.contractorName, row.line);
  }

  replacedDetail(): unknown[] {
    return this.replaced.list();
  }
}
