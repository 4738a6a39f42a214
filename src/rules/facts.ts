/**
 * 事实 — the plain input of the rules core: what the storage layer loads for one project (and for the
 * city), with nothing computed. Implements no article: the fields are the records the law makes units keep
 * (条例 第十五条 wage ledgers, 第二十八条 real-name roster, 第三十一条 the monthly wage table). Every row carries an EvidenceRef so each finding can name the rows — and
 * through them the import batch and file line — it rests on.
 *
 * Conventions: money is integer fen (Fen), dates ISO `YYYY-MM-DD` (IsoDate), months `YYYY-MM` (Month).
 * Only current rows are loaded (superseded rows stay in history, outside the rules). Rows dated after the
 * as-of date may be passed in: the rules ignore them (COMPLIANCE.md: they do not exist for that day).
 */
import type { CrossProjectDays } from './payroll.ts';
import type { BankCard } from '../domain/bankCard.ts';
import type { IsoDate } from '../domain/date.ts';
import type { IdNumber } from '../domain/idNumber.ts';
import type { Fen } from '../domain/money.ts';
import type { Month } from '../domain/month.ts';
import type { Uscc } from '../domain/uscc.ts';

/** The table a fact row comes from (src/store/sqlite/schema-core.ts names; `blacklist_entries` and `contractor_history` are officer-entered). */
export type EvidenceTable =
  | 'projects'
  | 'contractor_records'
  | 'roster_entries'
  | 'payroll_rows'
  | 'payments'
  | 'account_transactions'
  | 'deposit_events'
  | 'blacklist_entries'
  | 'contractor_history'
  | 'insurance_records';

/** 证据 — one stored row: its table and id, and the import batch and file line it came from (0 = not imported). */
export interface EvidenceRef {
  readonly table: EvidenceTable;
  readonly id: number;
  readonly batchId: number;
  readonly line: number;
}

/** 计薪方式 */
export type WageBasis = 'daily' | 'monthly' | 'piece';

/** 实名制花名册 — one worker's stay on the project. */
export interface RosterEntryFact {
  readonly ref: EvidenceRef;
  readonly idNumber: IdNumber;
  readonly name: string;
  /** 用工单位 — the worker's direct employer */
  readonly employerUscc: Uscc;
  readonly employerName?: string;
  readonly team?: string;
  readonly trade?: string;
  readonly entryDate: IsoDate;
  readonly exitDate?: IsoDate;
  readonly contractSigned: boolean;
  /** 未成年工登记 (未成年工特殊保护规定 第九条) as the roster states it; absent = not stated */
  readonly juvenileRegistered?: boolean;
  readonly wageBasis: WageBasis;
  /** per day (daily) or per month (monthly); none for piece work */
  readonly wageRate?: Fen;
  readonly bankCard: BankCard;
  readonly phone?: string;
}

/** 工资支付表 — one worker's line in the project's wage table for a month (what is owed). */
export interface PayrollRowFact {
  readonly ref: EvidenceRef;
  readonly month: Month;
  readonly idNumber: IdNumber;
  readonly name: string;
  /** 出勤天数 in hundredths of a day (21.5 days → 2150) */
  readonly daysWorkedCenti: number;
  readonly gross: Fen;
  readonly deductions: Fen;
  readonly net: Fen;
  /** 本人确认 — the worker signed the wage table */
  readonly workerConfirmed: boolean;
}

/** 发放方式: 专户代发 | 其他转账 | 现金 */
export type PaymentChannel = 'dedicated_account' | 'other_transfer' | 'cash';

/** 工资发放记录 — a payment made for a worker's wage month. */
export interface PaymentFact {
  readonly ref: EvidenceRef;
  /** the wage month the payment is for */
  readonly month: Month;
  /** the worker it is for */
  readonly idNumber: IdNumber;
  readonly payeeName: string;
  readonly payeeCard?: BankCard;
  readonly amount: Fen;
  readonly paidOn: IsoDate;
  readonly channel: PaymentChannel;
  readonly bankRef?: string;
  /** 退回日期 — the payment file says the bank returned the transfer that day (see also AccountTxFact wage_return) */
  readonly returnedOn?: IsoDate;
  /** 退回原因 (销户、户名不符 …) */
  readonly returnReason?: string;
}

/** 专用账户流水 — a transaction on the project's dedicated wage account. */
export interface AccountTxFact {
  readonly ref: EvidenceRef;
  readonly txDate: IsoDate;
  readonly direction: 'in' | 'out';
  readonly amount: Fen;
  /** 人工费用拨付 | 工资代发 | 工资退回 (an inflow: a wage transfer the bank returned) | 其他 */
  readonly purpose: 'labor_cost' | 'wages' | 'wage_return' | 'other';
  readonly counterparty?: string;
  readonly bankRef: string;
  /** for a wage_return: the bank reference of the returned wage transfer (PaymentFact.bankRef) */
  readonly originalBankRef?: string;
}

/** 工资保证金业务 — a guarantee-deposit event. */
export interface DepositEventFact {
  readonly ref: EvidenceRef;
  /** 存储 | 动用 | 补足 | 返还 */
  readonly event: 'deposit' | 'use' | 'replenish' | 'refund';
  /** 现金 | 银行保函 | 保证保险 */
  readonly form: 'cash' | 'bank_guarantee' | 'insurance';
  readonly amount: Fen;
  readonly date: IsoDate;
  /** for bank guarantees and insurance: last day of cover */
  readonly expiresOn?: IsoDate;
  readonly voucherNo: string;
  /** for a refund (返还): the first day of the no-arrears notice (公示开始日期, 保证金规定 第二十二条); absent = none recorded */
  readonly noticeFrom?: IsoDate;
}

/** 农民工工资专用账户 */
export interface WageAccountFact {
  readonly no: string;
  readonly bank?: string;
  /** unknown opening date: the account counts as opened, its timeliness is not judged */
  readonly openedOn?: IsoDate;
  /** 注销日期 — the day the account was closed (条例 第二十七条); absent = still open */
  readonly closedOn?: IsoDate;
  /** 注销前公示开始日期 — the first day of the no-arrears notice before closing; absent = none recorded */
  readonly closingNoticeFrom?: IsoDate;
}

/**
 * 建设单位义务 — what the projects file states about the owner's and the site's duties (issue 19 item 6).
 * Each field absent = not stated: nothing is flagged on it.
 */
export interface OwnerDutiesFact {
  /** 工程款支付担保 (条例 第二十四条) */
  readonly paymentGuarantee?: boolean;
  /** 维权信息告示牌 (条例 第三十四条) */
  readonly rightsNoticeBoard?: boolean;
  /** 劳资专管员 (条例 第二十八条第二款) */
  readonly laborOfficer?: boolean;
  /** 建设单位未结清的工程款 — the limit of the owner's advance (条例 第二十九条) */
  readonly unpaidContractAmount?: Fen;
  /** the day that amount was stated for (absent: as of the file) */
  readonly unpaidContractOn?: IsoDate;
  /** 发包给个人或者不具备合法经营资格的单位 — the owner let the work to such a contractor (条例 第三十六条) */
  readonly contractorUnqualified?: boolean;
}

/** 工程项目 — a project and all its rows. */
export interface ProjectFacts {
  readonly id: number;
  readonly ref: EvidenceRef;
  readonly code: string;
  readonly name: string;
  /** 所属区县 (e.g. 信都区): picks the minimum-wage tier */
  readonly county: string;
  readonly ownerUscc: Uscc;
  readonly ownerName: string;
  readonly contractorUscc: Uscc;
  readonly contractorName: string;
  readonly contractAmount: Fen;
  readonly contractSignedOn: IsoDate;
  readonly startDate: IsoDate;
  readonly plannedEndDate?: IsoDate;
  /** 竣工日期: absent = under construction (a date after the as-of date also means not yet completed) */
  readonly completionDate?: IsoDate;
  readonly governmentFunded: boolean;
  readonly wageAccount?: WageAccountFact;
  /** wages of M are due on this day of M+1 (clamped to the month's end); absent → the default parameter (15) */
  readonly payDay?: number;
  /** 月人工费用 — labour cost the owner must put into the account each month; absent → LABOR_COST_SHORT not evaluated */
  readonly monthlyLaborCost?: Fen;
  /** 建设单位义务 as the projects file states them; absent = none stated */
  readonly ownerDuties?: OwnerDutiesFact;
  readonly roster: readonly RosterEntryFact[];
  readonly payroll: readonly PayrollRowFact[];
  readonly payments: readonly PaymentFact[];
  readonly accountTransactions: readonly AccountTxFact[];
  readonly depositEvents: readonly DepositEventFact[];
}

/** 失信联合惩戒名单 — a listing: on the list from `from` (inclusive) until `to` (exclusive: the day it ends or was removed). */
export interface BlacklistEntry {
  readonly uscc: Uscc;
  readonly name?: string;
  readonly from: IsoDate;
  readonly to?: IsoDate;
  readonly reason?: string;
  readonly ref?: EvidenceRef;
}

/** A period in which a contractor owed wages, known from outside the projects in CityFacts. */
export interface ArrearsPeriodFact {
  readonly from: IsoDate;
  /** last day in arrears; absent = still owed */
  readonly to?: IsoDate;
  readonly projectCode?: string;
  readonly note?: string;
  readonly ref?: EvidenceRef;
}

/**
 * 承包单位历史 — what the deposit rule needs about a general contractor beyond the projects in CityFacts.
 * Arrears on the city's own projects are derived from their ledgers; this adds what the system cannot see.
 */
export interface ContractorHistoryFacts {
  readonly uscc: Uscc;
  /**
   * 自此日起完整掌握该单位在本地区的欠薪记录 — from this day the bureau holds the contractor's complete
   * arrears record in the area. A clean period before it is unknown and earns no reduction.
   */
  readonly recordsHeldFrom?: IsoDate;
  /** the imported row that states recordsHeldFrom (contractor_records, 记录起始) */
  readonly recordsHeldFromRef?: EvidenceRef;
  readonly arrears?: readonly ArrearsPeriodFact[];
  /** 落实用工实名制和专户制度 — established by the bureau (needed for the 3-year exemption); absent = not established */
  readonly realNameAndAccountCompliant?: boolean;
  /**
   * 实名制专户认定 as imported: established from `from` (to `to` inclusive, absent = still); the exemption
   * reads it on its look-back day. Either this or realNameAndAccountCompliant establishes compliance.
   */
  readonly compliance?: readonly { readonly from: IsoDate; readonly to?: IsoDate; readonly ref?: EvidenceRef }[];
  /**
   * Listings held in the contractor's record (imported: a listing decided elsewhere, or before the system).
   * They count in the deposit's look-back (raise, exemption) beside the city's own listings; BLACKLISTED_PARTY
   * reads only the listings decided in the system (CityFacts.blacklist).
   */
  readonly listings?: readonly BlacklistEntry[];
}

/**
 * 工伤保险参保记录 — a worker's period of work-injury insurance (registries: insurance, kind 工伤).
 * Project-based cover (按项目参保, 人社部令第10号; 人社部发〔2014〕103号) covers work on that project only;
 * cover by the employer (按单位参保) covers the worker on any project.
 */
export interface InjuryCoverageFact {
  readonly ref: EvidenceRef;
  readonly idNumber: IdNumber;
  /** first day of cover */
  readonly from: IsoDate;
  /** last day of cover (inclusive); absent = still insured */
  readonly to?: IsoDate;
  readonly projectBased: boolean;
  /** the project a project-based cover is for */
  readonly projectId?: number;
  /** 参保单位 */
  readonly insuredBy?: string;
}

/** 全市事实 — everything the city-wide evaluation reads. */
export interface CityFacts {
  readonly projects: readonly ProjectFacts[];
  readonly contractorHistory?: readonly ContractorHistoryFacts[];
  readonly blacklist?: readonly BlacklistEntry[];
  /**
   * Work-injury insurance of the city's workers (any order). Absent = no insurance registry is held:
   * NO_INJURY_INSURANCE is then not applied (listed in notApplied), never raised on every worker.
   */
  readonly injuryInsurance?: readonly InjuryCoverageFact[];
  /**
   * Days worked per worker-month (key `month|idNumber`, months up to D's) across ALL the city's projects,
   * for the workers with payroll on more than one project, parts in project-id then row order. Optional:
   * when absent evaluateCity derives it from `projects`; a caller evaluating the city in chunks of projects
   * supplies it (computed once for the whole city) so that DOUBLE_BOOKED still sees the other chunks.
   */
  readonly crossProjectDays?: ReadonlyMap<string, CrossProjectDays>;
}
