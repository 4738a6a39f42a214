/**
 * 事实读取 — the rules core's input (src/rules/facts.ts) read from storage: current rows only
 * (`superseded_by IS NULL`), as plain objects, ordered by id so the same data always gives the same facts
 * (and so the same findings, byte for byte). The one place that turns stored columns into facts.
 *
 * Per project, a snapshot (factsCodec.ts) is used when it was built from the project's current facts
 * version; otherwise the rows are read and the caller may store a fresh snapshot. The city-wide inputs
 * (listings, work-injury cover, DOUBLE_BOOKED's days on other projects) are read apart.
 */
import { ownerDutiesOf } from '../ownerDuties.ts';
import { CONTRACTOR_RECORD_SELECT, contractorHistoryOf, type ContractorRecordDbRow } from '../contractorHistory.ts';
import type { BankCard } from '../../domain/bankCard.ts';
import type { IsoDate } from '../../domain/date.ts';
import type { IdNumber } from '../../domain/idNumber.ts';
import type { Fen } from '../../domain/money.ts';
import type { Month } from '../../domain/month.ts';
import type { Uscc } from '../../domain/uscc.ts';
import { entryOfListing, type ListingSteps } from '../../rules/blacklistListing.ts';
import type {
  AccountTxFact,
  BlacklistEntry,
  DepositEventFact,
  InjuryCoverageFact,
  PaymentFact,
  PayrollRowFact,
  ProjectFacts,
  RosterEntryFact,
} from '../../rules/facts.ts';
import type { CrossProjectDays } from '../../rules/payroll.ts';
import { keyOf } from '../../rules/wages.ts';
import { decodeFacts, encodeFacts, FACTS_FORMAT } from '../factsCodec.ts';
import { asciiOf, bool, marks, opt, type Row, type Sql } from '../sql.ts';

/** A stored snapshot the rules may read: of this codec's format, built from the project's current facts version. */
const isCurrentSnapshot = (format: number, version: number, current: number | undefined): boolean => format === FACTS_FORMAT && version === (current ?? 0);

/** Mutable per-project accumulators while the tables are read. */
interface ProjectRows {
  roster: RosterEntryFact[];
  payroll: PayrollRowFact[];
  payments: PaymentFact[];
  accountTransactions: AccountTxFact[];
  depositEvents: DepositEventFact[];
}

function projectOf(r: Row, rows: ProjectRows): ProjectFacts {
  const wageAccountNo = opt<string>(r.wage_account_no);
  return {
    id: r.id as number,
    ref: { table: 'projects', id: r.id as number, batchId: r.batch_id as number, line: r.line as number },
    code: r.code as string,
    name: r.name as string,
    county: r.county as string,
    ownerUscc: r.owner_uscc as Uscc,
    ownerName: (r.owner_name as string | null) ?? '',
    contractorUscc: r.contractor_uscc as Uscc,
    contractorName: (r.contractor_name as string | null) ?? '',
    contractAmount: r.contract_amount_fen as Fen,
    contractSignedOn: r.contract_signed_on as IsoDate,
    startDate: r.start_date as IsoDate,
    plannedEndDate: opt<IsoDate>(r.planned_end_date),
    completionDate: opt<IsoDate>(r.completion_date),
    governmentFunded: bool(r.government_funded),
    wageAccount: wageAccountNo
      ? {
          no: wageAccountNo,
          bank: opt<string>(r.wage_account_bank),
          openedOn: opt<IsoDate>(r.wage_account_opened_on),
          closedOn: opt<IsoDate>(r.wage_account_closed_on),
          closingNoticeFrom: opt<IsoDate>(r.wage_account_notice_on),
        }
      : undefined,
    payDay: r.pay_day as number,
    monthlyLaborCost: opt<Fen>(r.monthly_labor_cost_fen),
    ...(ownerDutiesOf(r) ? { ownerDuties: ownerDutiesOf(r) } : {}),
    ...rows,
  };
}

const PROJECT_SQL = `
  SELECT p.*, o.name AS owner_name, c.name AS contractor_name
    FROM projects p
    LEFT JOIN employers o ON o.uscc = p.owner_uscc
    LEFT JOIN employers c ON c.uscc = p.contractor_uscc`;

/** The listing row columns the facts need. */
interface ListingRow {
  id: number;
  uscc: string;
  name: string;
  criterion: string;
  order_deadline: string;
  noticed_on: string | null;
  statement_on: string | null;
  objection: unknown;
  corrected_on: string | null;
  pledge_on: string | null;
  decided_on: string | null;
  decision: string | null;
  complex: unknown;
  published_on: string | null;
  removal_applied_on: string | null;
  removal_decided_on: string | null;
  removed_on: string | null;
  defaulted_again: unknown;
  criminal_case: unknown;
  restored_on: string | null;
  revoked_on: string | null;
  revocation_ground: string | null;
}

export function stepsOf(r: ListingRow): ListingSteps {
  return {
    orderDeadline: r.order_deadline as IsoDate,
    noticedOn: opt<IsoDate>(r.noticed_on),
    statementOn: opt<IsoDate>(r.statement_on),
    objection: bool(r.objection),
    correctedOn: opt<IsoDate>(r.corrected_on),
    pledgeOn: opt<IsoDate>(r.pledge_on),
    decidedOn: opt<IsoDate>(r.decided_on),
    decision: opt(r.decision) as ListingSteps['decision'],
    complex: bool(r.complex),
    publishedOn: opt<IsoDate>(r.published_on),
    removalAppliedOn: opt<IsoDate>(r.removal_applied_on),
    removalDecidedOn: opt<IsoDate>(r.removal_decided_on),
    removedOn: opt<IsoDate>(r.removed_on),
    defaultedAgain: bool(r.defaulted_again),
    criminalCase: bool(r.criminal_case),
    restoredOn: opt<IsoDate>(r.restored_on),
    revokedOn: opt<IsoDate>(r.revoked_on),
    revocationGround: opt(r.revocation_ground) as ListingSteps['revocationGround'],
  };
}

export interface LoadedFacts {
  readonly projects: ProjectFacts[];
  /** projects whose facts came from rows, not a current snapshot (with the version read) */
  readonly fromRows: { readonly projectId: number; readonly version: number }[];
  /** the facts version of every loaded project */
  readonly versions: ReadonlyMap<number, number>;
}

/** month, identity number, days worked (centi), row id, batch, line, project code — in project then row order. */
type CrossDayRow = [string, string, number, number, number, number, string];

/** Identity numbers bound in one statement (well under SQLite's 32,766 variables and PostgreSQL's 65,535). */
const WORKERS_PER_STATEMENT = 1000;

/** The days per worker-month on each project, summed (parts in the rows' order). */
function crossDaysOf(rows: readonly CrossDayRow[]): Map<string, CrossProjectDays> {
  const acc = new Map<string, { totalCenti: number; parts: CrossProjectDays['parts'][number][] }>();
  for (const [month, idNumber, centi, id, batchId, line, code] of rows) {
    const key = keyOf(month, idNumber);
    const part = { projectCode: code, centi, ref: { table: 'payroll_rows' as const, id, batchId, line } };
    const cur = acc.get(key);
    if (cur) {
      cur.totalCenti += centi;
      cur.parts.push(part);
    } else acc.set(key, { totalCenti: centi, parts: [part] });
  }
  return acc as Map<string, CrossProjectDays>;
}

export class FactsRepo {
  constructor(private readonly sql: Sql) {}

  /** The facts versions of every project (absent = 0: never written since versions were kept). */
  async versions(projectIds?: readonly number[]): Promise<Map<number, number>> {
    const rows = await this.sql.rows<[number, number]>(
      projectIds ? `SELECT project_id, facts_version FROM project_versions WHERE project_id IN (${marks(projectIds.length)})` : 'SELECT project_id, facts_version FROM project_versions',
      projectIds ?? [],
    );
    return new Map(rows);
  }

  /** Marks projects' facts as changed (call in the transaction that changes them). */
  async bump(projectIds: Iterable<number>): Promise<void> {
    const ids = [...new Set(projectIds)].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      await this.sql.run(
        `INSERT INTO project_versions (project_id, facts_version) VALUES ${part.map(() => '(?, 1)').join(', ')}
         ON CONFLICT (project_id) DO UPDATE SET facts_version = project_versions.facts_version + 1`,
        part,
      );
    }
  }

  /**
   * Marks the projects an import batch touched (call in the batch's transaction): its rows and the rows it
   * superseded, its project rows; an insurance record's worker on any project's roster (work-injury cover
   * is read by worker); a contractor's record on every project of that general contractor (the deposit
   * rule reads it; the night evaluates them together, plan.ts).
   */
  async bumpForBatch(batchId: number): Promise<void> {
    const parts = ['roster_entries', 'payroll_rows', 'payments', 'account_transactions', 'deposit_events'].map(
      (t) => `SELECT project_id FROM ${t} WHERE batch_id = ? OR superseded_by = ?`,
    );
    parts.push('SELECT id AS project_id FROM projects WHERE batch_id = ?');
    parts.push(
      `SELECT r.project_id FROM roster_entries r JOIN insurance_records i ON i.id_number = r.id_number
        WHERE i.batch_id = ? OR i.superseded_by = ?`,
    );
    parts.push(
      `SELECT p.id AS project_id FROM projects p JOIN contractor_records c ON c.contractor_uscc = p.contractor_uscc
        WHERE c.batch_id = ? OR c.superseded_by = ?`,
    );
    const params = Array.from({ length: 5 * 2 + 1 + 2 + 2 }, () => batchId);
    const rows = await this.sql.rows<[number]>(
      `SELECT DISTINCT project_id FROM (${parts.join(' UNION ')}) touched WHERE project_id IS NOT NULL`,
      params,
    );
    await this.bump(rows.map((r) => r[0]));
  }

  /** Marks every project whose roster holds one of the workers (a registry row of theirs changed). */
  async bumpWorkers(idNumbers: readonly string[]): Promise<void> {
    const ids = new Set<number>();
    for (let i = 0; i < idNumbers.length; i += 500) {
      const part = idNumbers.slice(i, i + 500);
      for (const [pid] of await this.sql.rows<[number]>(
        `SELECT DISTINCT project_id FROM roster_entries WHERE superseded_by IS NULL AND id_number IN (${marks(part.length)})`,
        part,
      ))
        ids.add(pid);
    }
    await this.bump(ids);
  }

  /** Marks every project on which the unit is owner, general contractor or an employer (a listing changed). */
  async bumpParty(uscc: string): Promise<void> {
    const rows = await this.sql.rows<[number]>(
      `SELECT id FROM projects WHERE owner_uscc = ? OR contractor_uscc = ?
       UNION SELECT DISTINCT project_id FROM roster_entries WHERE superseded_by IS NULL AND employer_uscc = ?`,
      [uscc, uscc, uscc],
    );
    await this.bump(rows.map((r) => r[0]));
  }

  /**
   * The facts of the listed projects (ordered by id): from a snapshot built from the current version when
   * there is one, else from the rows.
   */
  async projects(projectIds: readonly number[], options: { useSnapshots?: boolean } = {}): Promise<LoadedFacts> {
    const versions = await this.versions(projectIds);
    const out = new Map<number, ProjectFacts>();
    const missing: number[] = [];
    if (options.useSnapshots !== false && projectIds.length > 0) {
      for (const [pid, version, format, doc] of await this.sql.rows<[number, number, number, string | Buffer]>(
        `SELECT project_id, facts_version, format, ${this.sql.dialect.asciiText('facts')} FROM fact_snapshots WHERE project_id IN (${marks(projectIds.length)})`,
        projectIds,
      )) {
        // an older format is passed over (and rebuilt from the rows) before its text is read as ASCII
        if (!isCurrentSnapshot(format, version, versions.get(pid))) continue;
        const facts = decodeFacts(asciiOf(doc));
        if (facts) out.set(pid, facts);
      }
    }
    for (const id of projectIds) if (!out.has(id)) missing.push(id);
    if (missing.length > 0) for (const p of await this.fromRows(missing)) out.set(p.id, p);
    const projects = [...out.values()].sort((a, b) => a.id - b.id);
    return { projects, fromRows: missing.filter((id) => out.has(id)).map((projectId) => ({ projectId, version: versions.get(projectId) ?? 0 })), versions };
  }

  /** How many of the listed projects have no snapshot of their current facts (their facts will be read from the rows). */
  async withoutCurrentSnapshot(projectIds: readonly number[]): Promise<number> {
    const versions = await this.versions();
    const current = new Set<number>();
    for (const [pid, version, format] of await this.sql.rows<[number, number, number]>('SELECT project_id, facts_version, format FROM fact_snapshots')) {
      if (isCurrentSnapshot(format, version, versions.get(pid))) current.add(pid);
    }
    return projectIds.filter((id) => !current.has(id)).length;
  }

  /** Stores snapshots of facts read from rows at `version` (a snapshot of an older version is replaced). */
  async saveSnapshots(items: readonly { readonly facts: ProjectFacts; readonly version: number }[]): Promise<void> {
    for (const { facts, version } of items) {
      await this.sql.run(
        `INSERT INTO fact_snapshots (project_id, facts_version, format, facts) VALUES (?, ?, ?, ?)
         ON CONFLICT (project_id) DO UPDATE SET facts_version = excluded.facts_version, format = excluded.format, facts = excluded.facts`,
        [facts.id, version, FACTS_FORMAT, encodeFacts(facts)],
      );
    }
  }

  /** The facts of the listed projects from their rows (no snapshot). */
  async fromRows(projectIds: readonly number[]): Promise<ProjectFacts[]> {
    if (projectIds.length === 0) return [];
    const ids = [...projectIds];
    const inIds = `IN (${marks(ids.length)})`;
    const projectRows = await this.sql.all(`${PROJECT_SQL} WHERE p.id ${inIds} ORDER BY p.id`, ids);
    const byProject = new Map<number, ProjectRows>();
    for (const p of projectRows) byProject.set(p.id as number, { roster: [], payroll: [], payments: [], accountTransactions: [], depositEvents: [] });

    type RosterCols = [number, number, number, number, string, string, string, string | null, string | null, string | null, string, string | null, unknown, string, number | null, string, string | null, string | null, unknown];
    for (const [pid, id, batchId, line, idNumber, name, employerUscc, employerName, team, trade, entryDate, exitDate, signed, basis, rate, card, _bank, phone, juvenile] of await this.sql.rows<RosterCols>(
      `SELECT r.project_id, r.id, r.batch_id, r.line, r.id_number, r.name, r.employer_uscc, e.name, r.team, r.trade, r.entry_date, r.exit_date,
              r.contract_signed, r.wage_basis, r.wage_rate_fen, r.bank_card, r.bank_name, r.phone, r.juvenile_registered
         FROM roster_entries r LEFT JOIN employers e ON e.uscc = r.employer_uscc
        WHERE r.superseded_by IS NULL AND r.project_id ${inIds} ORDER BY r.id`,
      ids,
    )) {
      byProject.get(pid)?.roster.push({
        ref: { table: 'roster_entries', id, batchId, line },
        idNumber: idNumber as IdNumber,
        name,
        employerUscc: employerUscc as Uscc,
        employerName: opt<string>(employerName),
        team: opt<string>(team),
        trade: opt<string>(trade),
        entryDate: entryDate as IsoDate,
        exitDate: opt<IsoDate>(exitDate),
        contractSigned: bool(signed),
        ...(juvenile === null || juvenile === undefined ? {} : { juvenileRegistered: bool(juvenile) }),
        wageBasis: basis as RosterEntryFact['wageBasis'],
        wageRate: opt<Fen>(rate),
        bankCard: card as BankCard,
        phone: opt<string>(phone),
      });
    }

    type PayrollCols = [number, number, number, number, string, string, string, number, number, number, number, unknown];
    for (const [pid, id, batchId, line, month, idNumber, name, days, gross, deductions, net, confirmed] of await this.sql.rows<PayrollCols>(
      `SELECT project_id, id, batch_id, line, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed
         FROM payroll_rows WHERE superseded_by IS NULL AND project_id ${inIds} ORDER BY id`,
      ids,
    )) {
      byProject.get(pid)?.payroll.push({
        ref: { table: 'payroll_rows', id, batchId, line },
        month: month as Month,
        idNumber: idNumber as IdNumber,
        name,
        daysWorkedCenti: days,
        gross: gross as Fen,
        deductions: deductions as Fen,
        net: net as Fen,
        workerConfirmed: bool(confirmed),
      });
    }

    type PaymentCols = [number, number, number, number, string, string, string, string | null, number, string, string, string | null, string | null, string | null];
    for (const [pid, id, batchId, line, month, idNumber, payeeName, payeeCard, amount, paidOn, channel, bankRef, returnedOn, returnReason] of await this.sql.rows<PaymentCols>(
      `SELECT project_id, id, batch_id, line, month, id_number, payee_name, payee_card, amount_fen, paid_on, channel, bank_ref, returned_on, return_reason
         FROM payments WHERE superseded_by IS NULL AND project_id ${inIds} ORDER BY id`,
      ids,
    )) {
      byProject.get(pid)?.payments.push({
        ref: { table: 'payments', id, batchId, line },
        month: month as Month,
        idNumber: idNumber as IdNumber,
        payeeName,
        payeeCard: opt<BankCard>(payeeCard),
        amount: amount as Fen,
        paidOn: paidOn as IsoDate,
        channel: channel as PaymentFact['channel'],
        bankRef: opt<string>(bankRef),
        returnedOn: opt<IsoDate>(returnedOn),
        returnReason: opt<string>(returnReason),
      });
    }

    type TxCols = [number, number, number, number, string, string, number, string, string | null, string, string | null];
    for (const [pid, id, batchId, line, txDate, direction, amount, purpose, counterparty, bankRef, originalBankRef] of await this.sql.rows<TxCols>(
      `SELECT project_id, id, batch_id, line, tx_date, direction, amount_fen, purpose, counterparty, bank_ref, original_bank_ref
         FROM account_transactions WHERE superseded_by IS NULL AND project_id ${inIds} ORDER BY id`,
      ids,
    )) {
      byProject.get(pid)?.accountTransactions.push({
        ref: { table: 'account_transactions', id, batchId, line },
        txDate: txDate as IsoDate,
        direction: direction as AccountTxFact['direction'],
        amount: amount as Fen,
        purpose: purpose as AccountTxFact['purpose'],
        counterparty: opt<string>(counterparty),
        bankRef,
        originalBankRef: opt<string>(originalBankRef),
      });
    }

    type DepositCols = [number, number, number, number, string, string, number, string, string | null, string, string | null];
    for (const [pid, id, batchId, line, event, form, amount, date, expiresOn, voucherNo, noticeOn] of await this.sql.rows<DepositCols>(
      `SELECT project_id, id, batch_id, line, event, form, amount_fen, date, expires_on, voucher_no, notice_on
         FROM deposit_events WHERE superseded_by IS NULL AND project_id ${inIds} ORDER BY id`,
      ids,
    )) {
      byProject.get(pid)?.depositEvents.push({
        ref: { table: 'deposit_events', id, batchId, line },
        event: event as DepositEventFact['event'],
        form: form as DepositEventFact['form'],
        amount: amount as Fen,
        date: date as IsoDate,
        expiresOn: opt<IsoDate>(expiresOn),
        voucherNo,
        noticeFrom: opt<IsoDate>(noticeOn),
      });
    }
    return projectRows.map((p) => projectOf(p, byProject.get(p.id as number)!));
  }

  /**
   * 承包单位信用记录 — the imported records (contractor_records, issue 19 item 1) of the listed general
   * contractors as the rules' ContractorHistoryFacts (current rows, id order).
   */
  async contractorHistory(usccs: readonly string[]): Promise<ReturnType<typeof contractorHistoryOf>> {
    const list = [...new Set(usccs)];
    const rows: ContractorRecordDbRow[] = [];
    for (let i = 0; i < list.length; i += 500) {
      const part = list.slice(i, i + 500);
      rows.push(
        ...(await this.sql.all<ContractorRecordDbRow>(
          `SELECT ${CONTRACTOR_RECORD_SELECT} FROM contractor_records WHERE superseded_by IS NULL AND contractor_uscc IN (${marks(part.length)}) ORDER BY id`,
          part,
        )),
      );
    }
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    return contractorHistoryOf(rows);
  }

  /** 名单事实 — every decided listing as a BlacklistEntry, with the listing row as its evidence. */
  async blacklist(): Promise<BlacklistEntry[]> {
    const rows = await this.sql.all<ListingRow>("SELECT * FROM blacklist_listings WHERE decision = 'listed' ORDER BY id");
    const out: BlacklistEntry[] = [];
    for (const r of rows) {
      const e = entryOfListing({
        uscc: r.uscc,
        name: r.name,
        steps: stepsOf(r),
        reason: `名单办法第五条（${r.criterion === 'amount' ? '拖欠数额达到数额较大标准' : '引发群体性或极端事件'}），列入决定书 #${r.id}`,
      });
      if (e) out.push({ ...e, ref: { table: 'blacklist_entries', id: r.id, batchId: 0, line: 0 } });
    }
    return out;
  }

  /**
   * Work-injury cover of the workers on the listed projects' rosters (every worker without a list).
   * Undefined when no insurance registry is held at all: coverage is then not judged.
   */
  async injuryInsurance(projectIds?: readonly number[]): Promise<InjuryCoverageFact[] | undefined> {
    const held = await this.sql.get('SELECT 1 AS held FROM insurance_records WHERE superseded_by IS NULL LIMIT 1');
    if (held === undefined) return undefined;
    const onProjects = projectIds
      ? ` AND id_number IN (SELECT id_number FROM roster_entries WHERE superseded_by IS NULL AND project_id IN (${marks(projectIds.length)}))`
      : '';
    type Cols = [number, number, number, string, string, string | null, unknown, number | null, string | null];
    const rows = await this.sql.rows<Cols>(
      `SELECT id, batch_id, line, id_number, from_date, to_date, project_based, project_id, insured_by
         FROM insurance_records WHERE superseded_by IS NULL AND kind = 'injury'${onProjects} ORDER BY id`,
      projectIds ?? [],
    );
    return rows.map(([id, batchId, line, idNumber, from, to, projectBased, projectId, insuredBy]) => ({
      ref: { table: 'insurance_records', id, batchId, line },
      idNumber: idNumber as IdNumber,
      from: from as IsoDate,
      to: opt<IsoDate>(to),
      projectBased: bool(projectBased),
      projectId: opt<number>(projectId),
      insuredBy: opt<string>(insuredBy),
    }));
  }

  /**
   * DOUBLE_BOOKED's cross-project input as of D: for every worker with current payroll (months up to D's)
   * on more than one project, the days worked per month on each project (parts in project-id then row order).
   */
  async crossProjectDays(asOf: IsoDate): Promise<Map<string, CrossProjectDays>> {
    const asOfMonth = asOf.slice(0, 7);
    const rows = await this.sql.rows<CrossDayRow>(
      `SELECT r.month, r.id_number, r.days_worked_centi, r.id, r.batch_id, r.line, p.code
         FROM payroll_rows r JOIN projects p ON p.id = r.project_id
        WHERE r.superseded_by IS NULL AND r.month <= ? AND r.id_number IN (
          SELECT id_number FROM payroll_rows WHERE superseded_by IS NULL AND month <= ?
           GROUP BY id_number HAVING COUNT(DISTINCT project_id) > 1)
        ORDER BY r.project_id, r.id`,
      [asOfMonth, asOfMonth],
    );
    return crossDaysOf(rows);
  }

  /**
   * DOUBLE_BOOKED's cross-project input for the workers on the listed projects' wage tables: the same map
   * as crossProjectDays, restricted to those workers (a chunk of a night needs no more).
   */
  async crossProjectDaysFor(projectIds: readonly number[], asOf: IsoDate, known?: readonly ProjectFacts[]): Promise<Map<string, CrossProjectDays>> {
    const asOfMonth = asOf.slice(0, 7);
    if (projectIds.length === 0) return new Map();
    // Steps along indexes: the chunk's workers (payroll_key), those of them on another project too, then their
    // rows on every project (payroll_worker_month). As one statement with the workers as a subquery, PostgreSQL planned two scans
    // of the whole wage table per chunk: a night's reads grew with the city's size times its chunks.
    // `known`: the listed projects' facts, already read (their wage tables are the current rows)
    const workers = known
      ? [...new Set(known.flatMap((p) => p.payroll.map((r) => r.idNumber)))].sort()
      : (
          await this.sql.rows<[string]>(`SELECT DISTINCT id_number FROM payroll_rows WHERE superseded_by IS NULL AND project_id IN (${marks(projectIds.length)})`, projectIds)
        ).map((r) => r[0]);
    // Only the workers on more than one project's wage table up to D's month (about one in twenty in a city):
    // found with an aggregate along payroll_worker_month, so the rows of the other nineteen — which the rule
    // never reads — are not carried out of the database (they were, before: the chunk's whole wage table again).
    const shared: string[] = [];
    for (let i = 0; i < workers.length; i += WORKERS_PER_STATEMENT) {
      const some = workers.slice(i, i + WORKERS_PER_STATEMENT);
      const rows = await this.sql.rows<[string]>(
        `SELECT id_number FROM payroll_rows
          WHERE superseded_by IS NULL AND month <= ? AND id_number IN (${marks(some.length)})
          GROUP BY id_number HAVING MIN(project_id) <> MAX(project_id)`,
        [asOfMonth, ...some],
      );
      for (const r of rows) shared.push(r[0]);
    }
    const found: [...CrossDayRow, number][] = [];
    for (let i = 0; i < shared.length; i += WORKERS_PER_STATEMENT) {
      const some = shared.slice(i, i + WORKERS_PER_STATEMENT);
      const rows = await this.sql.rows<[...CrossDayRow, number]>(
        `SELECT r.month, r.id_number, r.days_worked_centi, r.id, r.batch_id, r.line, p.code, r.project_id
           FROM payroll_rows r JOIN projects p ON p.id = r.project_id
          WHERE r.superseded_by IS NULL AND r.month <= ? AND r.id_number IN (${marks(some.length)})`,
        [asOfMonth, ...some],
      );
      for (const r of rows) found.push(r);
    }
    // the parts in the order the whole-city reader gives them (by project, then row)
    found.sort((a, b) => a[7] - b[7] || a[3] - b[3]);
    return crossDaysOf(found.map((r) => r.slice(0, 7) as unknown as CrossDayRow));
  }

  /** Projects (other than the listed ones) whose wage tables name a worker on the listed projects' wage tables. */
  async projectsSharingWorkers(projectIds: readonly number[]): Promise<number[]> {
    if (projectIds.length === 0) return [];
    const rows = await this.sql.rows<[number]>(
      `SELECT DISTINCT project_id FROM payroll_rows WHERE superseded_by IS NULL AND id_number IN (
         SELECT id_number FROM payroll_rows WHERE superseded_by IS NULL AND project_id IN (${marks(projectIds.length)}))`,
      projectIds,
    );
    const listed = new Set(projectIds);
    return rows.map((r) => r[0]).filter((id) => !listed.has(id));
  }

  /** Every project's id, code and general contractor, ordered by contractor then id (chunk planning). */
  async projectIndex(): Promise<{ id: number; code: string; contractorUscc: string }[]> {
    return (await this.sql.rows<[number, string, string]>('SELECT id, code, contractor_uscc FROM projects ORDER BY contractor_uscc, id')).map(([id, code, contractorUscc]) => ({
      id,
      code,
      contractorUscc,
    }));
  }
}
