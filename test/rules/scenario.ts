/**
 * A scenario builder that reads like the YAML examples of ARCHITECTURE.md: a project with sensible,
 * compliant defaults, workers by letter, and only what a test is about spelled out.
 *
 * Defaults (chosen so that a default project raises no flag at all):
 * - project XT-TEST in 信都区, contract 10,000,000.00 yuan signed 2026-01-05, start 2026-01-10, pay day 15;
 *   wage account opened 2026-01-06; a 200,000.00 yuan cash deposit on 2026-01-20 (2% of the contract);
 *   a 1,000,000.00 yuan labour-cost inflow on 2026-01-10 (so the account balance covers a month's wages).
 * - a worker is on the roster from the first day of his first payroll/payment month (else 2026-01-10) with a signed contract, daily wage 300.00, his own card;
 *   `onRoster: false` leaves him off the roster.
 * - a payroll row: 21.75 days, gross = net, confirmed by the worker.
 * - a payment: 专户代发 to the worker's own name and card, with a matching wages outflow in the account.
 */
import { renderSentence } from '../../src/domain/sentence.ts';
import { luhnCheckDigit, type BankCard } from '../../src/domain/bankCard.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { idCheckCharacter, type IdNumber } from '../../src/domain/idNumber.ts';
import { yuan, type Fen } from '../../src/domain/money.ts';
import type { Month } from '../../src/domain/month.ts';
import type { Uscc } from '../../src/domain/uscc.ts';
import { usccCheckCharacter } from '../../src/domain/uscc.ts';
import { evaluateProject, type ProjectEvaluation } from '../../src/rules/evaluate.ts';
import type {
  AccountTxFact,
  BlacklistEntry,
  CityFacts,
  ContractorHistoryFacts,
  InjuryCoverageFact,
  DepositEventFact,
  EvidenceRef,
  EvidenceTable,
  PaymentFact,
  PayrollRowFact,
  ProjectFacts,
  RosterEntryFact,
} from '../../src/rules/facts.ts';
import type { FlagCode, Finding } from '../../src/rules/flags.ts';
import { DEFAULT_PARAMS, type RulesParams } from '../../src/rules/params/index.ts';
import type { WorkerMonth } from '../../src/rules/wages.ts';

export const d = (s: string) => s as IsoDate;
export const m = (s: string) => s as Month;

/** A valid identity number for a key: area 130502 (邢台), the birth date, a sequence from the key. */
export function idFor(key: string, birth = '1980-01-01'): IdNumber {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) % 1000;
  const first17 = `130502${birth.replace(/-/g, '')}${String(h).padStart(3, '0')}`;
  return (first17 + idCheckCharacter(first17)) as IdNumber;
}

/** A Luhn-valid card number for a key. */
export function cardFor(key: string): BankCard {
  let h = 0;
  for (const c of key) h = (h * 131 + c.charCodeAt(0)) % 1_000_000_000;
  const body = `622202${String(h).padStart(12, '0')}`;
  return (body + luhnCheckDigit(body)) as BankCard;
}

export function usccFor(key: string): Uscc {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) % 100_000_000;
  const first17 = `91130500${String(h).padStart(8, '0')}X`;
  return (first17 + usccCheckCharacter(first17)) as Uscc;
}

export interface WorkerSpec {
  name?: string;
  birth?: string;
  onRoster?: boolean;
  entry?: string;
  exit?: string;
  contract?: boolean;
  basis?: 'daily' | 'monthly' | 'piece';
  /** yuan, e.g. "300.00"; null for none */
  rate?: string | null;
  card?: string;
  phone?: string;
  employer?: string;
  /** 工种 */
  trade?: string;
  /** 未成年工登记 as the roster states it (absent = not stated) */
  juvenileRegistered?: boolean;
  /** further roster entries of the same worker (re-entry) */
  moreEntries?: { entry: string; exit?: string; rate?: string; basis?: 'daily' | 'monthly' | 'piece' }[];
}

export interface PayrollSpec {
  worker: string;
  month: string;
  net: string;
  gross?: string;
  deductions?: string;
  days?: string;
  confirmed?: boolean;
  name?: string;
}

export interface PaymentSpec {
  worker: string;
  month: string;
  amount: string;
  paidOn: string;
  channel?: PaymentFact['channel'];
  payee?: string;
  /** a card key (cardFor) or a literal card number; null for none */
  card?: string | null;
  bankRef?: string | null;
  /** 退回日期 / 退回原因 as the payment file states them */
  returnedOn?: string;
  returnReason?: string;
  /** add the matching wages outflow in the account (default true for 专户代发) */
  inAccount?: boolean;
}

export interface ProjectSpec {
  id?: number;
  code?: string;
  county?: string;
  owner?: string;
  contractor?: string;
  contractAmount?: string;
  signedOn?: string;
  startDate?: string;
  completionDate?: string;
  /** 计划竣工日期 (the contract period's end) */
  plannedEndDate?: string;
  /** 专户注销日期 and the first day of the no-arrears notice before it */
  accountClosedOn?: string;
  accountClosingNoticeFrom?: string;
  payDay?: number | null;
  monthlyLaborCost?: string;
  /** 建设单位义务 as the projects file states them (issue 19 item 6); money in yuan */
  ownerDuties?: { paymentGuarantee?: boolean; rightsNoticeBoard?: boolean; laborOfficer?: boolean; unpaidContractAmount?: string; unpaidContractOn?: string; contractorUnqualified?: boolean };
  /** null = no account; opened date otherwise */
  accountOpenedOn?: string | null;
  /** false = no default 1,000,000 yuan labour-cost inflow */
  defaultFunding?: boolean;
  /** false = no default deposit */
  defaultDeposit?: boolean;
  workers?: Record<string, WorkerSpec>;
  payroll?: PayrollSpec[];
  payments?: PaymentSpec[];
  transactions?: (Omit<AccountTxFact, 'ref' | 'amount' | 'txDate' | 'bankRef'> & { amount: string; txDate: string; bankRef?: string })[];
  deposits?: { event: DepositEventFact['event']; form?: DepositEventFact['form']; amount: string; date: string; expiresOn?: string; voucherNo?: string; noticeFrom?: string }[];
}

let refCounter = 0;
const ref = (table: EvidenceTable, line: number): EvidenceRef => ({ table, id: ++refCounter, batchId: 1, line });

export function buildProject(spec: ProjectSpec = {}): ProjectFacts {
  const code = spec.code ?? 'XT-TEST';
  const workers = spec.workers ?? {};
  const idOf = (key: string) => idFor(key, workers[key]?.birth);
  const nameOf = (key: string) => workers[key]?.name ?? `工人${key}`;
  const roster: RosterEntryFact[] = [];
  const firstMonth = (key: string) =>
    [...(spec.payroll ?? []), ...(spec.payments ?? [])]
      .filter((r) => r.worker === key)
      .map((r) => r.month)
      .sort()[0];
  for (const [key, w] of Object.entries(workers)) {
    if (w.onRoster === false) continue;
    const defaultEntry = firstMonth(key) ? `${firstMonth(key)}-01` : '2026-01-10';
    const entries = [{ entry: w.entry ?? defaultEntry, exit: w.exit, rate: w.rate, basis: w.basis }, ...(w.moreEntries ?? [])];
    for (const e of entries) {
      const rate = e.rate === undefined ? '300.00' : e.rate;
      roster.push({
        ref: ref('roster_entries', roster.length + 2),
        idNumber: idOf(key),
        name: nameOf(key),
        employerUscc: usccFor(w.employer ?? spec.contractor ?? 'contractor'),
        employerName: w.employer ?? '默认建工集团',
        entryDate: d(e.entry),
        ...(e.exit ? { exitDate: d(e.exit) } : {}),
        contractSigned: w.contract ?? true,
        wageBasis: e.basis ?? w.basis ?? 'daily',
        ...(rate === null ? {} : { wageRate: yuan(rate) }),
        bankCard: (w.card ?? cardFor(key)) as BankCard,
        ...(w.phone ? { phone: w.phone } : {}),
        ...(w.trade ? { trade: w.trade } : {}),
        ...(w.juvenileRegistered === undefined ? {} : { juvenileRegistered: w.juvenileRegistered }),
      });
    }
  }
  const payroll: PayrollRowFact[] = (spec.payroll ?? []).map((p, i) => {
    const net = yuan(p.net);
    const deductions = yuan(p.deductions ?? '0');
    return {
      ref: ref('payroll_rows', i + 2),
      month: m(p.month),
      idNumber: idOf(p.worker),
      name: p.name ?? nameOf(p.worker),
      daysWorkedCenti: Math.round(Number(p.days ?? '21.75') * 100),
      gross: p.gross ? yuan(p.gross) : ((net + deductions) as Fen),
      deductions,
      net,
      workerConfirmed: p.confirmed ?? true,
    };
  });
  const transactions: AccountTxFact[] = [];
  if (spec.defaultFunding !== false) {
    transactions.push({ ref: ref('account_transactions', 2), txDate: d('2026-01-10'), direction: 'in', amount: yuan('1000000.00'), purpose: 'labor_cost', bankRef: 'FUND-0' });
  }
  for (const t of spec.transactions ?? []) {
    transactions.push({ ...t, ref: ref('account_transactions', transactions.length + 2), amount: yuan(t.amount), txDate: d(t.txDate), bankRef: t.bankRef ?? `TX-${transactions.length}` });
  }
  const payments: PaymentFact[] = (spec.payments ?? []).map((p, i) => {
    const channel = p.channel ?? 'dedicated_account';
    const bankRef = p.bankRef === null ? undefined : (p.bankRef ?? (channel === 'cash' ? undefined : `PAY-${code}-${i}`));
    const card = p.card === null || channel === 'cash' ? undefined : p.card === undefined ? cardFor(p.worker) : /^\d{12,19}$/.test(p.card) ? p.card : cardFor(p.card);
    if (channel === 'dedicated_account' && p.inAccount !== false && bankRef !== undefined) {
      transactions.push({ ref: ref('account_transactions', transactions.length + 2), txDate: d(p.paidOn), direction: 'out', amount: yuan(p.amount), purpose: 'wages', bankRef });
    }
    return {
      ref: ref('payments', i + 2),
      month: m(p.month),
      idNumber: idOf(p.worker),
      payeeName: p.payee ?? nameOf(p.worker),
      ...(card ? { payeeCard: card as BankCard } : {}),
      amount: yuan(p.amount),
      paidOn: d(p.paidOn),
      channel,
      ...(bankRef ? { bankRef } : {}),
      ...(p.returnedOn ? { returnedOn: d(p.returnedOn) } : {}),
      ...(p.returnReason ? { returnReason: p.returnReason } : {}),
    };
  });
  const deposits: DepositEventFact[] = [];
  if (spec.defaultDeposit !== false) {
    deposits.push({ ref: ref('deposit_events', 2), event: 'deposit', form: 'cash', amount: yuan('200000.00'), date: d('2026-01-20'), voucherNo: 'DEP-0' });
  }
  for (const e of spec.deposits ?? []) {
    deposits.push({
      ref: ref('deposit_events', deposits.length + 2),
      event: e.event,
      form: e.form ?? 'cash',
      amount: yuan(e.amount),
      date: d(e.date),
      ...(e.expiresOn ? { expiresOn: d(e.expiresOn) } : {}),
      voucherNo: e.voucherNo ?? `V-${deposits.length}`,
      ...(e.noticeFrom ? { noticeFrom: d(e.noticeFrom) } : {}),
    });
  }
  const openedOn = spec.accountOpenedOn === undefined ? '2026-01-06' : spec.accountOpenedOn;
  return {
    id: spec.id ?? 1,
    ref: ref('projects', 2),
    code,
    name: `${code} 测试工程`,
    county: spec.county ?? '信都区',
    ownerUscc: usccFor(spec.owner ?? 'owner'),
    ownerName: spec.owner ?? '默认建设单位',
    contractorUscc: usccFor(spec.contractor ?? 'contractor'),
    contractorName: spec.contractor ?? '默认建工集团',
    contractAmount: yuan(spec.contractAmount ?? '10000000.00'),
    contractSignedOn: d(spec.signedOn ?? '2026-01-05'),
    startDate: d(spec.startDate ?? '2026-01-10'),
    ...(spec.completionDate ? { completionDate: d(spec.completionDate) } : {}),
    ...(spec.plannedEndDate ? { plannedEndDate: d(spec.plannedEndDate) } : {}),
    governmentFunded: false,
    ...(openedOn === null
      ? {}
      : {
          wageAccount: {
            no: `6217${code}`,
            bank: '邢台银行',
            openedOn: d(openedOn),
            ...(spec.accountClosedOn ? { closedOn: d(spec.accountClosedOn) } : {}),
            ...(spec.accountClosingNoticeFrom ? { closingNoticeFrom: d(spec.accountClosingNoticeFrom) } : {}),
          },
        }),
    ...(spec.payDay === null ? {} : { payDay: spec.payDay ?? 15 }),
    ...(spec.monthlyLaborCost ? { monthlyLaborCost: yuan(spec.monthlyLaborCost) } : {}),
    ...(spec.ownerDuties
      ? {
          ownerDuties: {
            ...(spec.ownerDuties.paymentGuarantee === undefined ? {} : { paymentGuarantee: spec.ownerDuties.paymentGuarantee }),
            ...(spec.ownerDuties.rightsNoticeBoard === undefined ? {} : { rightsNoticeBoard: spec.ownerDuties.rightsNoticeBoard }),
            ...(spec.ownerDuties.laborOfficer === undefined ? {} : { laborOfficer: spec.ownerDuties.laborOfficer }),
            ...(spec.ownerDuties.unpaidContractAmount === undefined ? {} : { unpaidContractAmount: yuan(spec.ownerDuties.unpaidContractAmount) }),
            ...(spec.ownerDuties.unpaidContractOn === undefined ? {} : { unpaidContractOn: d(spec.ownerDuties.unpaidContractOn) }),
            ...(spec.ownerDuties.contractorUnqualified === undefined ? {} : { contractorUnqualified: spec.ownerDuties.contractorUnqualified }),
          },
        }
      : {}),
    roster,
    payroll,
    payments,
    accountTransactions: transactions,
    depositEvents: deposits,
  };
}

export interface Evaluated {
  readonly evaluation: ProjectEvaluation;
  readonly project: ProjectFacts;
  /** the worker-month of a worker key and a month */
  wm(worker: string, month: string, birth?: string): WorkerMonth | undefined;
  /** the codes raised (sorted, with repeats) */
  codes(): string[];
  /** findings of one code */
  flags(code: FlagCode): Finding[];
  /** codes raised for one worker-month */
  codesOf(worker: string, month: string): string[];
}

export function evaluate(
  spec: ProjectSpec,
  asOf: string,
  cityExtras: { projects?: ProjectFacts[]; blacklist?: BlacklistEntry[]; contractorHistory?: ContractorHistoryFacts[]; injuryInsurance?: InjuryCoverageFact[] } = {},
  params: RulesParams = DEFAULT_PARAMS,
): Evaluated {
  const project = buildProject(spec);
  const city: CityFacts = {
    projects: [project, ...(cityExtras.projects ?? [])],
    blacklist: cityExtras.blacklist ?? [],
    contractorHistory: cityExtras.contractorHistory ?? [],
    // absent unless a test is about it: NO_INJURY_INSURANCE is then not applied (test/registries)
    ...(cityExtras.injuryInsurance ? { injuryInsurance: cityExtras.injuryInsurance } : {}),
  };
  const evaluation = evaluateProject(project, city, d(asOf), params);
  const idOf = (key: string) => idFor(key, spec.workers?.[key]?.birth);
  return {
    evaluation,
    project,
    wm: (worker, month) => evaluation.ledger.find((w) => w.idNumber === idOf(worker) && w.month === month),
    codes: () => evaluation.findings.map((f) => f.code).sort(),
    // sentences as a reader shows them on the scenario's day (day counts are filled in when read)
    flags: (code) => evaluation.findings.filter((f) => f.code === code).map((f) => ({ ...f, sentence: renderSentence(f.sentence, d(asOf)) })),
    codesOf: (worker, month) =>
      evaluation.findings
        .filter((f) => f.idNumber === idOf(worker) && f.month === month)
        .map((f) => f.code)
        .sort(),
  };
}
