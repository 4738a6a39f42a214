/**
 * Loads the rules core's input (src/rules/facts.ts) from the database: current rows only
 * (`superseded_by IS NULL`), as plain objects. This is the one place that turns stored columns into
 * facts; the rules never see the database.
 *
 * Bulk reads use raw prepared statements grouped by project in one pass per table: a city of millions
 * of payroll rows loads without an ORM round trip per row (ARCHITECTURE.md: hot paths).
 */
import { ownerDutiesOf } from '../../../src/store/ownerDuties.ts';
import { CONTRACTOR_RECORD_SELECT, contractorHistoryOf, type ContractorRecordDbRow } from '../../../src/store/contractorHistory.ts';
import type { BankCard } from '../../../src/domain/bankCard.ts';
import type { IsoDate } from '../../../src/domain/date.ts';
import type { IdNumber } from '../../../src/domain/idNumber.ts';
import type { Fen } from '../../../src/domain/money.ts';
import type { Month } from '../../../src/domain/month.ts';
import type { Uscc } from '../../../src/domain/uscc.ts';
import type {
  AccountTxFact,
  CityFacts,
  DepositEventFact,
  InjuryCoverageFact,
  PaymentFact,
  PayrollRowFact,
  ProjectFacts,
  RosterEntryFact,
} from '../../../src/rules/facts.ts';
import type { CrossProjectDays } from '../../../src/rules/payroll.ts';
import { keyOf } from '../../../src/rules/wages.ts';
import { loadBlacklistEntries } from './enforcement.ts';
import type { Db } from './open.ts';

type Row = Record<string, unknown>;

/** Mutable per-project accumulators while the tables are read. */
interface ProjectRows {
  roster: RosterEntryFact[];
  payroll: PayrollRowFact[];
  payments: PaymentFact[];
  accountTransactions: AccountTxFact[];
  depositEvents: DepositEventFact[];
}

const opt = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (v as T));

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
    governmentFunded: Boolean(r.government_funded),
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

/**
 * Facts for the whole city, or for the listed project ids. Rows are ordered by id so that the same data
 * always yields the same facts (and so the same findings, byte for byte).
 */
export function loadCityFacts(db: Db, projectIds?: readonly number[]): CityFacts {
  const sqlite = db.$client;
  const only = projectIds && projectIds.length > 0 ? projectIds : undefined;
  const where = only ? ` AND project_id IN (${only.map(() => '?').join(',')})` : '';
  const params = only ?? [];

  const projectRows = sqlite
    .prepare(`${PROJECT_SQL}${only ? ` WHERE p.id IN (${only.map(() => '?').join(',')})` : ''} ORDER BY p.id`)
    .all(...params) as Row[];
  const byProject = new Map<number, ProjectRows>();
  for (const p of projectRows) {
    byProject.set(p.id as number, { roster: [], payroll: [], payments: [], accountTransactions: [], depositEvents: [] });
  }
  const bucket = (r: Row): ProjectRows | undefined => byProject.get(r.project_id as number);
  const ref = (table: ProjectFactsTable, r: Row) => ({
    table,
    id: r.id as number,
    batchId: r.batch_id as number,
    line: r.line as number,
  });

  for (const r of sqlite
    .prepare(
      `SELECT r.*, e.name AS employer_name FROM roster_entries r LEFT JOIN employers e ON e.uscc = r.employer_uscc
       WHERE r.superseded_by IS NULL${where.replace('project_id', 'r.project_id')} ORDER BY r.id`,
    )
    .iterate(...params) as IterableIterator<Row>) {
    bucket(r)?.roster.push({
      ref: ref('roster_entries', r),
      idNumber: r.id_number as IdNumber,
      name: r.name as string,
      employerUscc: r.employer_uscc as Uscc,
      employerName: opt<string>(r.employer_name),
      team: opt<string>(r.team),
      trade: opt<string>(r.trade),
      entryDate: r.entry_date as IsoDate,
      exitDate: opt<IsoDate>(r.exit_date),
      contractSigned: Boolean(r.contract_signed),
      ...(r.juvenile_registered === null || r.juvenile_registered === undefined ? {} : { juvenileRegistered: Boolean(r.juvenile_registered) }),
      wageBasis: r.wage_basis as RosterEntryFact['wageBasis'],
      wageRate: opt<Fen>(r.wage_rate_fen),
      bankCard: r.bank_card as BankCard,
      phone: opt<string>(r.phone),
    });
  }

  // The three big tables are read as raw arrays of just the columns the rules use: building one named
  // object per row (SELECT *) was most of the load time, and the rows are turned into facts at once anyway.
  const projectIdOf = (pid: number): ProjectRows | undefined => byProject.get(pid);
  type PayrollCols = [number, number, number, number, string, string, string, number, number, number, number, number];
  for (const [pid, id, batchId, line, month, idNumber, name, days, gross, deductions, net, confirmed] of sqlite
    .prepare(
      `SELECT project_id, id, batch_id, line, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed
         FROM payroll_rows WHERE superseded_by IS NULL${where} ORDER BY id`,
    )
    .raw()
    .iterate(...params) as IterableIterator<PayrollCols>) {
    projectIdOf(pid)?.payroll.push({
      ref: { table: 'payroll_rows', id, batchId, line },
      month: month as Month,
      idNumber: idNumber as IdNumber,
      name,
      daysWorkedCenti: days,
      gross: gross as Fen,
      deductions: deductions as Fen,
      net: net as Fen,
      workerConfirmed: confirmed === 1,
    });
  }

  type PaymentCols = [number, number, number, number, string, string, string, string | null, number, string, string, string | null, string | null, string | null];
  for (const [pid, id, batchId, line, month, idNumber, payeeName, payeeCard, amount, paidOn, channel, bankRef, returnedOn, returnReason] of sqlite
    .prepare(
      `SELECT project_id, id, batch_id, line, month, id_number, payee_name, payee_card, amount_fen, paid_on, channel, bank_ref, returned_on, return_reason
         FROM payments WHERE superseded_by IS NULL${where} ORDER BY id`,
    )
    .raw()
    .iterate(...params) as IterableIterator<PaymentCols>) {
    projectIdOf(pid)?.payments.push({
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
  for (const [pid, id, batchId, line, txDate, direction, amount, purpose, counterparty, bankRef, originalBankRef] of sqlite
    .prepare(
      `SELECT project_id, id, batch_id, line, tx_date, direction, amount_fen, purpose, counterparty, bank_ref, original_bank_ref
         FROM account_transactions WHERE superseded_by IS NULL${where} ORDER BY id`,
    )
    .raw()
    .iterate(...params) as IterableIterator<TxCols>) {
    projectIdOf(pid)?.accountTransactions.push({
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

  for (const r of sqlite
    .prepare(`SELECT * FROM deposit_events WHERE superseded_by IS NULL${where} ORDER BY id`)
    .iterate(...params) as IterableIterator<Row>) {
    bucket(r)?.depositEvents.push({
      ref: ref('deposit_events', r),
      event: r.event as DepositEventFact['event'],
      form: r.form as DepositEventFact['form'],
      amount: r.amount_fen as Fen,
      date: r.date as IsoDate,
      expiresOn: opt<IsoDate>(r.expires_on),
      voucherNo: r.voucher_no as string,
      noticeFrom: opt<IsoDate>(r.notice_on),
    });
  }

  const injuryInsurance = loadInjuryInsurance(sqlite, only);

  return {
    ...(injuryInsurance ? { injuryInsurance } : {}),
    projects: projectRows.map((p) => projectOf(p, byProject.get(p.id as number)!)),
    // The general contractors' imported records (contractor_records, issue 19 item 1) of the loaded projects'
    // contractors: a history the system does not hold earns no deposit reduction. Listings decided under
    // 名单办法 (blacklist_listings) are loaded whole: the rules look at the dates (BLACKLISTED_PARTY at D; the
    // deposit raise on the day before storing).
    contractorHistory: loadContractorHistory(sqlite, only ? [...new Set(projectRows.map((p) => p.contractor_uscc as string))] : undefined),
    blacklist: loadBlacklistEntries(db),
  };
}

/** The current contractor_records rows (of the listed contractors, or all) as the rules' contractor histories. */
function loadContractorHistory(sqlite: Db['$client'], usccs: readonly string[] | undefined): ReturnType<typeof contractorHistoryOf> {
  if (usccs !== undefined && usccs.length === 0) return [];
  const where = usccs ? ` AND contractor_uscc IN (${usccs.map(() => '?').join(',')})` : '';
  const rows = sqlite
    .prepare(`SELECT ${CONTRACTOR_RECORD_SELECT} FROM contractor_records WHERE superseded_by IS NULL${where} ORDER BY id`)
    .all(...(usccs ?? [])) as ContractorRecordDbRow[];
  return contractorHistoryOf(rows);
}

/**
 * Work-injury cover (registries: insurance, kind 工伤) of the workers on the loaded projects' rosters (all
 * workers when the whole city is loaded). Undefined when no insurance registry is held at all (no current
 * insurance row of any kind): the rules then do not judge coverage instead of flagging every worker.
 */
function loadInjuryInsurance(sqlite: Db['$client'], only: readonly number[] | undefined): InjuryCoverageFact[] | undefined {
  const held = sqlite.prepare('SELECT 1 FROM insurance_records WHERE superseded_by IS NULL LIMIT 1').get();
  if (held === undefined) return undefined;
  const onProjects = only
    ? ` AND id_number IN (SELECT id_number FROM roster_entries WHERE superseded_by IS NULL AND project_id IN (${only.map(() => '?').join(',')}))`
    : '';
  const out: InjuryCoverageFact[] = [];
  for (const r of sqlite
    .prepare(`SELECT * FROM insurance_records WHERE superseded_by IS NULL AND kind = 'injury'${onProjects} ORDER BY id`)
    .iterate(...(only ?? [])) as IterableIterator<Row>) {
    out.push({
      ref: { table: 'insurance_records', id: r.id as number, batchId: r.batch_id as number, line: r.line as number },
      idNumber: r.id_number as IdNumber,
      from: r.from_date as IsoDate,
      to: opt<IsoDate>(r.to_date),
      projectBased: Boolean(r.project_based),
      projectId: opt<number>(r.project_id),
      insuredBy: opt<string>(r.insured_by),
    });
  }
  return out;
}

type ProjectFactsTable = 'roster_entries' | 'payroll_rows' | 'payments' | 'account_transactions' | 'deposit_events';

/**
 * DOUBLE_BOOKED's cross-project input for the whole city as of D, without loading the city: for every
 * worker with current payroll (months up to D's) on more than one project, the days worked per month on
 * each project — the same map evaluateCity would derive from every project's payroll (parts in project-id
 * then row order, so the same findings come out byte for byte).
 */
export function loadCrossProjectDays(db: Db, asOf: IsoDate): Map<string, CrossProjectDays> {
  const asOfMonth = asOf.slice(0, 7);
  const out = new Map<string, CrossProjectDays>();
  const rows = db.$client
    .prepare(
      `SELECT r.month, r.id_number, r.days_worked_centi, r.id, r.batch_id, r.line, p.code
       FROM payroll_rows r JOIN projects p ON p.id = r.project_id
       WHERE r.superseded_by IS NULL AND r.month <= ? AND r.id_number IN (
         SELECT id_number FROM payroll_rows WHERE superseded_by IS NULL AND month <= ?
         GROUP BY id_number HAVING COUNT(DISTINCT project_id) > 1)
       ORDER BY r.project_id, r.id`,
    )
    .raw()
    .iterate(asOfMonth, asOfMonth) as IterableIterator<[string, string, number, number, number, number, string]>;
  for (const [month, idNumber, centi, id, batchId, line, code] of rows) {
    const key = keyOf(month, idNumber);
    const part = { projectCode: code, centi, ref: { table: 'payroll_rows' as const, id, batchId, line } };
    const cur = out.get(key);
    if (cur) out.set(key, { totalCenti: cur.totalCenti + centi, parts: [...cur.parts, part] });
    else out.set(key, { totalCenti: centi, parts: [part] });
  }
  return out;
}

/**
 * The city's project ids in chunks of about `chunkSize` for a chunked evaluation: ordered by general
 * contractor (contractor_uscc, id), a contractor's projects never split across chunks (the deposit rule's
 * contractor record is derived from all of them), so a chunk may exceed `chunkSize` by one contractor.
 */
export function planProjectChunks(db: Db, chunkSize: number): number[][] {
  const rows = db.$client.prepare('SELECT id, contractor_uscc FROM projects ORDER BY contractor_uscc, id').raw().all() as [number, string][];
  const chunks: number[][] = [];
  let cur: number[] = [];
  let prev: string | undefined;
  for (const [id, uscc] of rows) {
    if (uscc !== prev && cur.length >= chunkSize) {
      chunks.push(cur);
      cur = [];
    }
    cur.push(id);
    prev = uscc;
  }
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}
