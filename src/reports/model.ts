/**
 * 夜间欠薪报告 — the report model for an as-of date D (COMPLIANCE.md §6, INTERFACES.md "Report JSON").
 *
 * `buildReport` is pure: the facts, the rules core's evaluation for D, the inspectors' reviews and the
 * open flags of the previous report go in; a plain object comes out whose key order, list order and
 * number formats are fixed, so the same data and date always give the same bytes (json.ts, csv.ts).
 * Nothing here reads the clock, the database or the file system.
 *
 * Definitions (also in docs/REPORT.md, in Chinese):
 * - Money is a yuan string with exactly two decimals; counts are integers; rates are decimal strings with
 *   four places (ROUND_HALF_UP, decimal.js) next to their numerator and denominator, or null when the
 *   denominator is zero.
 * - workersInArrears counts distinct identity numbers at every level (a worker owed on two projects of
 *   one county counts once in the county and once in the total).
 * - An open flag at D: raised by the rules at D and not resolved/dismissed by a review made on or before
 *   D (the review's date in Asia/Shanghai). `flags` counts open flag instances by code.
 * - Employer of a worker-month: the worker's direct employer on the roster entry active in that month
 *   (else the latest entry on that project up to D); a worker not on the roster falls to the project's
 *   general contractor. Project-level flags go to the general contractor (总包单位对农民工工资支付负总责,
 *   条例第三十条). Deposit coverage is the general contractor's (it stores the deposit).
 * - Identity numbers never appear whole: flag items carry the masked number and the worker's name, and
 *   sentences are passed through maskText (src/api/masking.ts, the one masker).
 */
import { renderSentence } from '../domain/sentence.ts';
import type { BlacklistChange, CasePastDeadline, OrderPastDue, RectificationOverdue } from '../services/enforcement/reporting.ts';
import { Decimal } from 'decimal.js';
import { maskText } from '../api/masking.ts';
import { addDays, daysBetween, type IsoDate } from '../domain/date.ts';
import { maskIdNumber } from '../domain/idNumber.ts';
import { formatYuan, type Fen } from '../domain/money.ts';
import { addMonths, firstDayOf, lastDayOf, monthOf, type Month } from '../domain/month.ts';
import type { CityEvaluation, ProjectEvaluation } from '../rules/evaluate.ts';
import type { CityFacts, InjuryCoverageFact, ProjectFacts, RosterEntryFact } from '../rules/facts.ts';
import { injuryCoverageOfProject } from '../rules/insurance.ts';
import { FLAG_CODES, FLAGS, type FlagCode, type Severity } from '../rules/flags.ts';
import { DEFAULT_PARAMS, type RulesParams } from '../rules/params/index.ts';
import { riskScoreMax } from '../rules/risk.ts';
import { calendarOf, MISSING_HOLIDAY_SCHEDULE } from '../rules/calendar.ts';
import { NO_TRENDS, rankProjects, type RiskRankRow, type Trends } from './trends.ts';

// ————————————————————————————————————————— the JSON shape —————————————————————————————————————————

/** Counts of open flag instances by code, codes in catalogue order, only codes with a count. */
export type FlagCounts = Partial<Record<FlagCode, number>>;

export interface Rate {
  /** integer count, or a money string for the amount-based rate */
  readonly numerator: number | string;
  readonly denominator: number | string;
  /** "0.9500"; null when the denominator is zero */
  readonly rate: string | null;
}

/** 四项比率 — the rate indicators. */
export interface RateSet {
  /** 实名制覆盖率: wage-table worker-months (M ≤ D's month) whose worker is roster-active on P in M */
  readonly realNameCoverage: Rate;
  /** 专户代发占比: amount paid through the dedicated account ÷ all wages paid, payments up to D */
  readonly dedicatedAccountShare: Rate;
  /** 劳动合同签订率: roster entries (entry ≤ D) with a signed labour contract */
  readonly laborContractRate: Rate;
  /** 保证金覆盖率: projects (not completed, deposit past its deadline, required > 0) holding the required amount */
  readonly depositCoverage: Rate;
  /**
   * 工伤保险覆盖率: workers on site at D (roster entry active at D, project not completed) covered by
   * work-injury insurance on D (registries: insurance); rate null when no insurance registry is held
   */
  readonly injuryInsuranceCoverage: Rate;
}

export interface ReportTotals {
  readonly arrears: string;
  readonly workersInArrears: number;
  readonly projectsInArrears: number;
  readonly estimatedExposure: string;
  readonly projectCount: number;
  readonly oldestOverdueDays: number;
  readonly openFlags: number;
  readonly flags: FlagCounts;
}

export interface CountyRow {
  readonly county: string;
  readonly projectCount: number;
  readonly arrears: string;
  readonly workersInArrears: number;
  readonly projectsInArrears: number;
  readonly oldestOverdueDays: number;
  readonly estimatedExposure: string;
  readonly openFlags: number;
  readonly flags: FlagCounts;
}

export interface ProjectRow {
  readonly projectCode: string;
  readonly name: string;
  readonly county: string;
  readonly contractorUscc: string;
  readonly contractorName: string;
  readonly arrears: string;
  readonly workersInArrears: number;
  readonly oldestOverdueDays: number;
  readonly estimatedExposure: string;
  readonly riskScore: number;
  readonly openFlags: number;
  readonly flags: FlagCounts;
  /** why the rules could not evaluate the project (its figures are then zero); null when evaluated */
  readonly problem: string | null;
}

export interface EmployerRow {
  readonly uscc: string;
  readonly name: string;
  /** projects on which it is the general contractor */
  readonly contractorOf: number;
  readonly arrears: string;
  readonly workersInArrears: number;
  readonly projectsInArrears: number;
  readonly oldestOverdueDays: number;
  readonly estimatedExposure: string;
  readonly openFlags: number;
  readonly flags: FlagCounts;
}

export interface FlagItem {
  readonly code: FlagCode;
  /** 中文名称 */
  readonly title: string;
  readonly severity: Severity;
  readonly projectCode: string;
  readonly county: string;
  readonly month: string | null;
  readonly workerName: string | null;
  /** masked: 130503********0012 */
  readonly idNumber: string | null;
  readonly amount: string | null;
  readonly sentence: string;
}

export interface ResolvedFlagItem extends FlagItem {
  /** review_resolved (已整改核销) · review_dismissed (核查后撤销) · cleared (规则不再触发) */
  readonly resolution: 'review_resolved' | 'review_dismissed' | 'cleared';
}

export interface FlagChanges {
  /** the previous stored report's date; null for the first report (then no changes are listed) */
  readonly previousAsOf: string | null;
  readonly newCount: number;
  readonly resolvedCount: number;
  readonly newByCode: FlagCounts;
  readonly resolvedByCode: FlagCounts;
  readonly new: readonly FlagItem[];
  readonly resolved: readonly ResolvedFlagItem[];
}

export interface GuaranteeRow {
  readonly projectCode: string;
  readonly projectName: string;
  readonly county: string;
  readonly contractorName: string;
  readonly form: 'bank_guarantee' | 'insurance';
  readonly voucherNo: string;
  readonly amount: string;
  readonly expiresOn: string;
  /** expiresOn − D */
  readonly daysLeft: number;
}

export interface WageMonthRow {
  readonly month: string;
  readonly arrears: string;
  readonly workersInArrears: number;
  readonly estimatedExposure: string;
}

/** 提示 — what limits the figures (e.g. a year whose holiday notice is missing: some due dates provisional). */
export interface ReportWarning {
  readonly code: string;
  /** 中文说明 */
  readonly message: string;
  /** MISSING_HOLIDAY_SCHEDULE: the year whose notice is missing */
  readonly year?: number;
  /** MISSING_HOLIDAY_SCHEDULE: how many projects have dates computed provisionally for that year */
  readonly projectCount?: number;
}

export interface Report {
  readonly asOf: string;
  readonly warnings: readonly ReportWarning[];
  readonly totals: ReportTotals;
  readonly counties: readonly CountyRow[];
  readonly projects: readonly ProjectRow[];
  readonly employers: readonly EmployerRow[];
  readonly flagChanges: FlagChanges;
  /** 风险分满分 — the scale of each project's riskScore under the weights in force at D (risk.ts riskScoreMax) */
  readonly riskScoreMax: number;
  readonly guaranteesExpiring: { readonly windowDays: number; readonly items: readonly GuaranteeRow[] };
  readonly rates: {
    readonly city: RateSet;
    readonly counties: readonly ({ readonly county: string } & RateSet)[];
    readonly employers: readonly ({ readonly uscc: string; readonly name: string } & RateSet)[];
  };
  /** arrears outstanding at D by the wage month they are for: the 6 months up to D's month, then all earlier months */
  readonly arrearsByWageMonth: { readonly months: readonly WageMonthRow[]; readonly earlier: Omit<WageMonthRow, 'month'> };
  /** 风险排名 — projects with an open flag or arrears, riskiest first, red-line problems without money first (trends.ts) */
  readonly riskRanking: readonly RiskRankRow[];
  /** 趋势 — the last 30 days and 12 months from the findings history (trends.ts) */
  readonly trends: Trends;
  /** 超期案件 — open wage cases whose current stage's statutory deadline passed before D */
  readonly casesPastDeadline: readonly CasePastDeadline[];
  /** 逾期未履行的责令限期支付 — payment orders past their deadline with wages still owed at D */
  readonly ordersPastDue: readonly OrderPastDue[];
  /** 失信名单变动 — listings decided, published, removed or expired since the previous report (the day before D for the first) */
  readonly blacklistChanges: readonly BlacklistChange[];
  /** 整改逾期 — warnings assigned for rectification, past their deadline, still shown by D's facts */
  readonly rectificationsOverdue: readonly RectificationOverdue[];
  readonly notes: readonly string[];
  /** projects the rules could not evaluate */
  readonly problems: readonly { readonly projectCode: string; readonly message: string }[];
}

// ————————————————————————————————————————— the inputs —————————————————————————————————————————————

/** A flag as stored (findings table) or as raised by the rules: what the report needs of it. */
export interface FlagRecord {
  readonly fingerprint: string;
  readonly code: string;
  readonly severity: string;
  readonly projectId: number;
  readonly idNumber?: string | null;
  readonly month?: string | null;
  readonly amount?: number | null;
  readonly sentence: string;
}

/** 预警处理 — the review of a flag, with its date in Asia/Shanghai. */
export interface ReviewRecord {
  readonly status: 'resolved' | 'dismissed';
  readonly on: IsoDate;
}

export interface ReportInput {
  readonly asOf: IsoDate;
  readonly facts: CityFacts;
  readonly evaluation: CityEvaluation;
  /** by fingerprint */
  readonly reviews: ReadonlyMap<string, ReviewRecord>;
  /** the previous stored report: its date and the flags stored for that date (reviews are applied here) */
  readonly previous: { readonly asOf: IsoDate; readonly findings: readonly FlagRecord[] } | null;
  readonly params?: RulesParams;
}

/** The enforcement sections (services/enforcement/reporting.ts), read in the report's snapshot. */
export interface EnforcementSections {
  readonly casesPastDeadline: readonly CasePastDeadline[];
  readonly ordersPastDue: readonly OrderPastDue[];
  readonly blacklistChanges: readonly BlacklistChange[];
  readonly rectificationsOverdue: readonly RectificationOverdue[];
}

export const NO_ENFORCEMENT: EnforcementSections = { casesPastDeadline: [], ordersPastDue: [], blacklistChanges: [], rectificationsOverdue: [] };
export const FIRST_REPORT_NOTE = '这是第一份报告，没有上一份报告可比，新增、解除预警不列出；未处理预警见各级汇总。';

// ————————————————————————————————————————— helpers ————————————————————————————————————————————————

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function rateOf(numerator: number, denominator: number): string | null {
  if (denominator === 0) return null;
  return new Decimal(numerator).div(denominator).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
}

const countRate = (n: number, d: number): Rate => ({ numerator: n, denominator: d, rate: rateOf(n, d) });
const moneyRate = (n: number, d: number): Rate => ({ numerator: formatYuan(n as Fen), denominator: formatYuan(d as Fen), rate: rateOf(n, d) });

/** Catalogue order, only codes with a count. */
function flagCountsOf(counts: Map<string, number>): FlagCounts {
  const out: FlagCounts = {};
  for (const code of FLAG_CODES) {
    const n = counts.get(code);
    if (n) out[code] = n;
  }
  return out;
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** A running aggregate: money in fen, distinct workers, projects. */
class Tally {
  arrears = 0;
  exposure = 0;
  oldest = 0;
  openFlags = 0;
  readonly workers = new Set<string>();
  readonly projects = new Set<number>();
  readonly flags = new Map<string, number>();
  // rate parts
  payrollMonths = 0;
  payrollMonthsOnRoster = 0;
  paidTotal = 0;
  paidDedicated = 0;
  rosterEntries = 0;
  rosterSigned = 0;
  depositDue = 0;
  depositCovered = 0;
  injuryDue = 0;
  injuryCovered = 0;

  addMonth(projectId: number, idNumber: string, arrears: number, overdueDays: number, exposure: number, onPayroll: number, onRoster: number): void {
    this.arrears += arrears;
    this.exposure += exposure;
    this.payrollMonths += onPayroll;
    this.payrollMonthsOnRoster += onRoster;
    if (arrears > 0) {
      this.workers.add(idNumber);
      this.projects.add(projectId);
      if (overdueDays > this.oldest) this.oldest = overdueDays;
    }
  }

  addFlag(code: string): void {
    this.openFlags++;
    bump(this.flags, code);
  }

  /** The figures every row of a tally shows (county, employer), in the report's field order. */
  figures() {
    return {
      arrears: formatYuan(this.arrears as Fen),
      workersInArrears: this.workers.size,
      projectsInArrears: this.projects.size,
      oldestOverdueDays: this.oldest,
      estimatedExposure: formatYuan(this.exposure as Fen),
      openFlags: this.openFlags,
      flags: flagCountsOf(this.flags),
    };
  }


  /** `injuryHeld`: an insurance registry is held; without one the injury-cover rate is not judged (null) */
  rates(injuryHeld: boolean): RateSet {
    const injury = countRate(this.injuryCovered, this.injuryDue);
    return {
      realNameCoverage: countRate(this.payrollMonthsOnRoster, this.payrollMonths),
      dedicatedAccountShare: moneyRate(this.paidDedicated, this.paidTotal),
      laborContractRate: countRate(this.rosterSigned, this.rosterEntries),
      depositCoverage: countRate(this.depositCovered, this.depositDue),
      injuryInsuranceCoverage: injuryHeld ? injury : { ...injury, rate: null },
    };
  }
}

function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (!t) {
    t = new Tally();
    map.set(key, t);
  }
  return t;
}

/** The roster entries of a project up to D, by identity number; answers "who employs W on P in M". */
class EmployerIndex {
  private readonly byId = new Map<string, RosterEntryFact[]>();

  constructor(
    private readonly project: ProjectFacts,
    asOf: IsoDate,
  ) {
    for (const r of project.roster) {
      if (r.entryDate > asOf) continue;
      const list = this.byId.get(r.idNumber);
      if (list) list.push(r);
      else this.byId.set(r.idNumber, [r]);
    }
  }

  /** The direct employer (uscc) of W on P in M, else the latest entry's, else the general contractor. */
  employerOf(idNumber: string | null | undefined, month: string | null | undefined): string {
    if (!idNumber) return this.project.contractorUscc;
    const entries = this.byId.get(idNumber);
    if (!entries) return this.project.contractorUscc;
    let best: RosterEntryFact | undefined;
    if (month) {
      const [first, last] = boundsOf(month);
      for (const e of entries) {
        if (e.entryDate <= last && (e.exitDate === undefined || e.exitDate >= first) && (!best || e.entryDate > best.entryDate)) best = e;
      }
    }
    if (!best) for (const e of entries) if (!best || e.entryDate > best.entryDate) best = e;
    return best!.employerUscc;
  }
}

const monthBounds = new Map<string, readonly [string, string]>();
/** [first day, last day] of a month, cached (called once per worker-month). */
function boundsOf(month: string): readonly [string, string] {
  let b = monthBounds.get(month);
  if (!b) {
    b = [firstDayOf(month as Month), lastDayOf(month as Month)];
    monthBounds.set(month, b);
  }
  return b;
}

/** The review date that makes a flag closed on `date`, if any. */
function closedOn(reviews: ReadonlyMap<string, ReviewRecord>, fingerprint: string, date: IsoDate): ReviewRecord | undefined {
  const r = reviews.get(fingerprint);
  return r && r.on <= date ? r : undefined;
}

// ————————————————————————————————————————— the builder ————————————————————————————————————————————

/** What the builder needs besides the projects: the date, the reviews, the previous report. */
export type ReportContext = Omit<ReportInput, 'facts' | 'evaluation'>;

/** A candidate name and the position it was found at; the first position wins (see ReportBuilder). */
interface Named {
  readonly name: string;
  readonly a: number | string;
  readonly b: number;
  readonly c: number;
}
const before = (x: Named, y: Named): boolean => (x.a !== y.a ? x.a < y.a : x.b !== y.b ? x.b < y.b : x.c < y.c);
function keepFirst(map: Map<string, Named>, key: string, cand: Named): void {
  const cur = map.get(key);
  if (!cur || before(cand, cur)) map.set(key, cand);
}

interface PendingRow {
  readonly id: number;
  readonly row: Omit<ProjectRow, 'problem'>;
  readonly evaluated: boolean;
}

/**
 * 逐项目生成报告模型 — the report built one project at a time (a chunked evaluation never holds the whole
 * city): `addProject(facts, evaluation)` for every project of the city (evaluation null when the rules
 * could not evaluate it), in any order, then `finish(problems)`. Everything order-dependent is resolved by
 * position, not by arrival: an employer's name is the first non-empty one in project-id order (contractor
 * before roster), a worker's name the first roster entry's in project-id order, else the first ledger
 * month's in project-code order — so the result is the same bytes as buildReport over the whole city.
 */
export class ReportBuilder {
  private readonly asOf: IsoDate;
  private readonly asOfMonth: Month;
  private readonly params: RulesParams;
  private readonly reviews: ReadonlyMap<string, ReviewRecord>;
  private readonly previous: ReportContext['previous'];
  private readonly employerNames = new Map<string, Named>();
  private readonly rosterNames = new Map<string, Named>();
  private readonly ledgerNames = new Map<string, Named>();
  private readonly contractorCount = new Map<string, number>();
  private readonly countyProjects = new Map<string, number>();
  private readonly projectInfo = new Map<number, { readonly code: string; readonly county: string }>();
  private readonly city = new Tally();
  private readonly byCounty = new Map<string, Tally>();
  private readonly byEmployer = new Map<string, Tally>();
  private readonly byWageMonth = new Map<string, Tally>();
  private readonly earlier = new Tally();
  private readonly windowMonths: Month[] = [];
  private readonly rows: PendingRow[] = [];
  private readonly guarantees: GuaranteeRow[] = [];
  private readonly windowDays: number;
  private readonly until: IsoDate;
  /** open at the previous report's date */
  private readonly openBefore = new Map<string, FlagRecord>();
  /** fingerprints open now that were open before */
  private readonly stillOpen = new Set<string>();
  /** open now, not open before (only when there is a previous report) */
  private readonly added = new Map<string, FlagRecord>();
  private projectCount = 0;
  /** year → projects whose dates needed that year's missing holiday schedule */
  private readonly provisionalYears = new Map<number, number>();

  constructor(context: ReportContext) {
    this.asOf = context.asOf;
    this.asOfMonth = monthOf(context.asOf);
    this.params = context.params ?? DEFAULT_PARAMS;
    this.reviews = context.reviews;
    this.previous = context.previous;
    for (let i = 5; i >= 0; i--) this.windowMonths.push(addMonths(this.asOfMonth, -i));
    if (this.previous) this.addPrevious(this.previous.findings);
    let windowDays = 30;
    try {
      windowDays = this.params.guaranteeExpiringWindow.at(this.asOf).value.days;
    } catch {
      /* no setting in force at D: the default 30 days */
    }
    this.windowDays = windowDays;
    this.until = addDays(this.asOf, windowDays);
  }

  /** true once any project came with an insurance registry (the same for every chunk of a city) */
  private injuryHeld = false;

  /**
   * Flags of the previous report (a context with `previous` and no findings, then one chunk's projects at a
   * time: a flag's fingerprint names its project, so a project's flags are compared with its own).
   */
  addPrevious(findings: readonly FlagRecord[]): void {
    const previous = this.previous;
    if (!previous) throw new Error('addPrevious needs a previous report in the context');
    for (const f of findings) if (!closedOn(this.reviews, f.fingerprint, previous.asOf)) this.openBefore.set(f.fingerprint, f);
  }

  /** One project: its facts and its evaluation as of D (null when it could not be evaluated). */
  addProject(p: ProjectFacts, pe: ProjectEvaluation | null, injuryCover?: readonly InjuryCoverageFact[]): void {
    const { asOf, asOfMonth, city, byCounty, byEmployer, reviews } = this;
    this.projectCount++;
    for (const y of pe?.provisionalYears ?? []) this.provisionalYears.set(y, (this.provisionalYears.get(y) ?? 0) + 1);
    this.projectInfo.set(p.id, { code: p.code, county: p.county });
    // an employer's name: the first non-empty one (a later project may name it when an earlier did not)
    if (p.contractorName) keepFirst(this.employerNames, p.contractorUscc, { name: p.contractorName, a: p.id, b: -1, c: 0 });
    bump(this.contractorCount, p.contractorUscc);
    p.roster.forEach((r, i) => {
      if (r.employerName) keepFirst(this.employerNames, r.employerUscc, { name: r.employerName, a: p.id, b: i, c: 0 });
      if (r.entryDate <= asOf) keepFirst(this.rosterNames, r.idNumber, { name: r.name, a: p.id, b: i, c: 0 });
    });
    bump(this.countyProjects, p.county);
    const county = tallyOf(byCounty, p.county);
    const contractor = tallyOf(byEmployer, p.contractorUscc);
    const project = new Tally();
    const ix = new EmployerIndex(p, asOf);

    // ledger: arrears, workers, exposure, real-name coverage
    if (pe) {
      pe.ledger.forEach((wm, i) => {
        if (!this.rosterNames.has(wm.idNumber)) keepFirst(this.ledgerNames, wm.idNumber, { name: wm.name, a: p.code, b: p.id, c: i });
        const exposure = wm.estimatedExposure ?? 0;
        const employer = tallyOf(byEmployer, ix.employerOf(wm.idNumber, wm.month));
        const month = wm.month >= this.windowMonths[0]! ? tallyOf(this.byWageMonth, wm.month) : this.earlier;
        const onRoster = wm.hasPayroll && wm.rosterActive ? 1 : 0;
        const onPayroll = wm.hasPayroll ? 1 : 0;
        for (const t of [city, county, project, employer, month]) t.addMonth(p.id, wm.idNumber, wm.arrears, wm.overdueDays, exposure, onPayroll, onRoster);
      });
    }

    // payments (channel share), roster entries (contracts), deposit coverage — from the facts as of D
    for (const pay of p.payments) {
      if (pay.paidOn > asOf || pay.month > asOfMonth) continue;
      const dedicated = pay.channel === 'dedicated_account' ? pay.amount : 0;
      for (const t of [city, county, tallyOf(byEmployer, ix.employerOf(pay.idNumber, pay.month))]) {
        t.paidTotal += pay.amount;
        t.paidDedicated += dedicated;
      }
    }
    for (const r of p.roster) {
      if (r.entryDate > asOf) continue;
      for (const t of [city, county, tallyOf(byEmployer, r.employerUscc)]) {
        t.rosterEntries++;
        if (r.contractSigned) t.rosterSigned++;
      }
    }
    if (injuryCover !== undefined) this.injuryHeld = true;
    for (const w of injuryCoverageOfProject(p, injuryCover, asOf)) {
      for (const t of [city, county, tallyOf(byEmployer, w.employerUscc)]) {
        t.injuryDue++;
        if (w.covered) t.injuryCovered++;
      }
    }
    const deposit = pe?.assessment.deposit;
    const completed = p.completionDate !== undefined && p.completionDate <= asOf;
    if (deposit && !completed && asOf > deposit.requirement.deadline && deposit.requirement.required > 0) {
      const covered = deposit.holdings.total >= deposit.requirement.required ? 1 : 0;
      for (const t of [city, county, contractor]) {
        t.depositDue++;
        t.depositCovered += covered;
      }
    }

    // open flags at D
    if (pe) {
      for (const f of pe.findings) {
        if (closedOn(reviews, f.fingerprint, asOf)) continue;
        if (this.openBefore.has(f.fingerprint)) this.stillOpen.add(f.fingerprint);
        else if (this.previous) this.added.set(f.fingerprint, recordOf(f));
        const employer = f.idNumber ? ix.employerOf(f.idNumber, f.month) : p.contractorUscc;
        for (const t of [city, county, project, tallyOf(byEmployer, employer)]) t.addFlag(f.code);
      }
    }

    this.rows.push({
      id: p.id,
      evaluated: pe !== null,
      row: {
        projectCode: p.code,
        name: p.name,
        county: p.county,
        contractorUscc: p.contractorUscc,
        contractorName: p.contractorName,
        arrears: formatYuan(project.arrears as Fen),
        workersInArrears: project.workers.size,
        oldestOverdueDays: project.oldest,
        estimatedExposure: formatYuan(project.exposure as Fen),
        riskScore: pe?.assessment.risk.score ?? 0,
        openFlags: project.openFlags,
        flags: flagCountsOf(project.flags),
      },
    });

    // guarantees expiring within the window (bank guarantees and insurance held at D, projects not completed)
    if (!completed) {
      for (const e of p.depositEvents) {
        if (e.form === 'cash' || e.date > asOf || (e.event !== 'deposit' && e.event !== 'replenish')) continue;
        if (e.expiresOn === undefined || e.expiresOn < asOf || e.expiresOn > this.until) continue;
        this.guarantees.push({
          projectCode: p.code,
          projectName: p.name,
          county: p.county,
          contractorName: p.contractorName,
          form: e.form,
          voucherNo: e.voucherNo,
          amount: formatYuan(e.amount),
          expiresOn: e.expiresOn,
          daysLeft: daysBetween(asOf, e.expiresOn),
        });
      }
    }
  }

  /** The report, once every project has been added; `problems` as in CityEvaluation.problems. */
  finish(problems: CityEvaluation['problems'], enforcement: EnforcementSections = NO_ENFORCEMENT, trends: Trends = NO_TRENDS): Report {
    const { asOf, city, byCounty, byEmployer, reviews, previous } = this;
    const employerName = (uscc: string) => this.employerNames.get(uscc)?.name || '';
    const problemById = new Map<number, string>();
    for (const pr of problems) problemById.set(pr.projectId, pr.message);

    const projectRows: ProjectRow[] = this.rows
      .sort((a, b) => cmp(a.row.projectCode, b.row.projectCode) || a.id - b.id)
      .map((r) => ({ ...r.row, problem: r.evaluated ? null : maskText(problemById.get(r.id) ?? '未评估') }));

    const counties = [...byCounty.keys()].sort(cmp);
    const countyRows: CountyRow[] = counties.map((county) => {
      const t = byCounty.get(county)!;
      return { county, projectCount: this.countyProjects.get(county) ?? 0, ...t.figures() };
    });

    const employers = [...byEmployer.keys()].sort(cmp);
    const employerRows: EmployerRow[] = employers.map((uscc) => {
      const t = byEmployer.get(uscc)!;
      return { uscc, name: employerName(uscc), contractorOf: this.contractorCount.get(uscc) ?? 0, ...t.figures() };
    });

    // flag changes since the previous report
    const nameOf = (id: string): string | null => (this.rosterNames.get(id) ?? this.ledgerNames.get(id))?.name ?? null;
    const itemOf = (f: FlagRecord): FlagItem => {
      const p = this.projectInfo.get(f.projectId);
      const code = f.code as FlagCode;
      return {
        code,
        title: FLAGS[code]?.title ?? f.code,
        severity: f.severity as Severity,
        projectCode: p?.code ?? `#${f.projectId}`,
        county: p?.county ?? '',
        month: f.month ?? null,
        workerName: f.idNumber ? nameOf(f.idNumber) : null,
        idNumber: f.idNumber ? maskIdNumber(f.idNumber) : null,
        amount: f.amount === null || f.amount === undefined ? null : formatYuan(f.amount as Fen),
        sentence: maskText(renderSentence(f.sentence, asOf)),
      };
    };
    const order = (a: FlagRecord, b: FlagRecord): number =>
      cmp(this.projectInfo.get(a.projectId)?.code ?? '', this.projectInfo.get(b.projectId)?.code ?? '') ||
      cmp(a.month ?? '', b.month ?? '') ||
      cmp(a.idNumber ?? '', b.idNumber ?? '') ||
      cmp(a.code, b.code) ||
      cmp(a.fingerprint, b.fingerprint);

    // Without a previous report there is nothing to compare with: the first report lists no changes (its
    // open flags are all in the counts), rather than every flag of the city as "new".
    const added = [...this.added.values()].sort(order);
    const gone = [...this.openBefore.values()].filter((f) => !this.stillOpen.has(f.fingerprint)).sort(order);
    const newByCode = new Map<string, number>();
    for (const f of added) bump(newByCode, f.code);
    const resolvedByCode = new Map<string, number>();
    for (const f of gone) bump(resolvedByCode, f.code);
    const flagChanges: FlagChanges = {
      previousAsOf: previous?.asOf ?? null,
      newCount: added.length,
      resolvedCount: gone.length,
      newByCode: flagCountsOf(newByCode),
      resolvedByCode: flagCountsOf(resolvedByCode),
      new: added.map(itemOf),
      resolved: gone.map((f) => {
        const review = closedOn(reviews, f.fingerprint, asOf);
        const resolution = review ? (review.status === 'resolved' ? 'review_resolved' : 'review_dismissed') : 'cleared';
        return { ...itemOf(f), resolution };
      }),
    };

    const guarantees = [...this.guarantees].sort(
      (a, b) => cmp(a.expiresOn, b.expiresOn) || cmp(a.projectCode, b.projectCode) || cmp(a.voucherNo, b.voucherNo),
    );

    const wageMonthRow = (t: Tally | undefined) => ({
      arrears: formatYuan((t?.arrears ?? 0) as Fen),
      workersInArrears: t?.workers.size ?? 0,
      estimatedExposure: formatYuan((t?.exposure ?? 0) as Fen),
    });

    return {
      asOf,
      warnings: holidayWarnings(asOf, this.params, this.provisionalYears),
      riskScoreMax: riskScoreMax(this.params.riskWeights.at(asOf).value),
      totals: {
        arrears: formatYuan(city.arrears as Fen),
        workersInArrears: city.workers.size,
        projectsInArrears: city.projects.size,
        estimatedExposure: formatYuan(city.exposure as Fen),
        projectCount: this.projectCount,
        oldestOverdueDays: city.oldest,
        openFlags: city.openFlags,
        flags: flagCountsOf(city.flags),
      },
      counties: countyRows,
      projects: projectRows,
      employers: employerRows,
      flagChanges,
      guaranteesExpiring: { windowDays: this.windowDays, items: guarantees },
      rates: {
        city: city.rates(this.injuryHeld),
        counties: counties.map((county) => ({ county, ...byCounty.get(county)!.rates(this.injuryHeld) })),
        employers: employers.map((uscc) => ({ uscc, name: employerName(uscc), ...byEmployer.get(uscc)!.rates(this.injuryHeld) })),
      },
      arrearsByWageMonth: {
        months: this.windowMonths.map((month) => ({ month, ...wageMonthRow(this.byWageMonth.get(month)) })),
        earlier: wageMonthRow(this.earlier),
      },
      riskRanking: rankProjects(projectRows),
      trends,
      casesPastDeadline: enforcement.casesPastDeadline,
      // an order's sentence names workers; identity or card numbers in it are masked like every sentence
      ordersPastDue: enforcement.ordersPastDue.map((o) => ({ ...o, sentence: maskText(o.sentence) })),
      blacklistChanges: enforcement.blacklistChanges.map((c) => ({ ...c, reason: c.reason === null ? null : maskText(c.reason) })),
      rectificationsOverdue: enforcement.rectificationsOverdue,
      notes: previous ? [] : [FIRST_REPORT_NOTE],
      problems: problems.map((p) => ({ projectCode: p.projectCode, message: maskText(p.message) })),
    };
  }
}

/**
 * 放假安排未录入 — one warning per year whose holiday notice is missing and that the figures needed: D's own
 * year always (every page says so until the notice is added), and each year a project's dates needed.
 */
export function holidayWarnings(asOf: IsoDate, params: RulesParams, provisionalYears: ReadonlyMap<number, number>): ReportWarning[] {
  const cal = calendarOf(params.holidays);
  const years = new Map(provisionalYears);
  const own = Number(asOf.slice(0, 4));
  if (!cal.hasYear(own) && !years.has(own)) years.set(own, 0);
  return [...years.keys()]
    .filter((y) => !cal.hasYear(y))
    .sort((a, b) => a - b)
    .map((year) => {
      const projectCount = years.get(year) ?? 0;
      return {
        code: MISSING_HOLIDAY_SCHEDULE,
        year,
        projectCount,
        message:
          `${year}年放假安排未录入：${projectCount > 0 ? `${projectCount}个项目中涉及${year}年的工资支付日等日期` : `${year}年的日期`}` +
          `按周末计算，为暂定日期；请用 huxin params import 录入国务院办公厅${year}年部分节假日安排的通知后重算`,
      };
    });
}

/** What the report keeps of a raised flag (not its evidence or parameters). */
export function recordOf(f: FlagRecord): FlagRecord {
  return {
    fingerprint: f.fingerprint,
    code: f.code,
    severity: f.severity,
    projectId: f.projectId,
    idNumber: f.idNumber,
    month: f.month,
    amount: f.amount,
    sentence: f.sentence,
  };
}

/** 生成报告模型 — see the file comment for every definition; the whole city at once (ReportBuilder). */
export function buildReport(input: ReportInput): Report {
  const { facts, evaluation, ...context } = input;
  const builder = new ReportBuilder(context);
  const evalById = new Map<number, ProjectEvaluation>();
  for (const pe of evaluation.projects) evalById.set(pe.projectId, pe);
  for (const p of facts.projects) builder.addProject(p, evalById.get(p.id) ?? null, facts.injuryInsurance);
  return builder.finish(evaluation.problems);
}
