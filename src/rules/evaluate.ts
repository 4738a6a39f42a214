/**
 * 评估 — runs every rule for a project, or for the whole city, as of a date D.
 *
 * Implements no article of its own: it applies the rule files (each opens with the article it implements) to
 * the facts as of D (COMPLIANCE.md: rows dated after D do not exist for that computation).
 *
 * evaluateCity works in two passes: first every project's ledger (the contractor histories the deposit
 * rule needs are derived from them), then every project's flags and assessment. All lookups go through
 * Maps built once per city, so the work grows linearly with the number of worker-months.
 *
 * Failures: a project whose ledger cannot be computed (a due date in a year with no holiday schedule, a
 * pay day out of range) is reported in CityEvaluation.problems, never skipped silently. A rule that
 * cannot run for lack of a parameter (a county with no minimum-wage tier, a deposit deadline in a year
 * without a holiday schedule) is listed in the project's notApplied; the other rules still run.
 */
import type { IsoDate } from '../domain/date.ts';
import type { IdNumber } from '../domain/idNumber.ts';
import { fen, type Fen } from '../domain/money.ts';
import { monthOf, type Month } from '../domain/month.ts';
import type { Uscc } from '../domain/uscc.ts';
import { accountBalanceFindings, accountClosingFindings, accountMisuseFindings, accountOpeningFindings, laborCostFindings } from './account.ts';
import { exitFindings, wageFindings } from './arrears.ts';
import { blacklistFindings } from './blacklist.ts';
import { injuryInsuranceFindings } from './insurance.ts';
import { calendarOf, MissingHolidayScheduleError, provisionalYearsOf } from './calendar.ts';
import {
  arrearsPeriodsOf,
  depositFindings,
  depositLifeFindings,
  depositHoldings,
  depositViewOf,
  importedSource,
  mergePeriods,
  requiredDeposit,
  type ArrearsPeriod,
  type ContractorRecord,
  type DepositHoldings,
  type DepositRequirement,
} from './deposit.ts';
import type { BlacklistEntry, CityFacts, ContractorHistoryFacts, ProjectFacts } from './facts.ts';
import { compareFindings, type Finding } from './flags.ts';
import { ParamNotInForceError } from './params/dated.ts';
import { DEFAULT_PARAMS, type RulesParams } from './params/index.ts';
import {
  doubleBookedFindings,
  minimumWageFindings,
  noPayrollFindings,
  notOnRosterFindings,
  payrollCoverageFindings,
  unconfirmedPayrollFindings,
  type CrossDaysIndex,
  type CrossProjectDays,
  type NotApplied,
} from './payroll.ts';
import { payOutlierFindings, paymentFindings, sharedCardFindings } from './payments.ts';
import { reviewQueue, riskScore, type RiskScore } from './risk.ts';
import { ledgerOf, keyOf, ProjectView, type WorkerMonth } from './wages.ts';
import { sharedPhoneFindings, workerFindings } from './workers.ts';
import { returnedFindings } from './returns.ts';
import { ownerAdvanceFindings, ownerDutyFindings } from './owner.ts';

/** 项目评估 — the project's totals as of D. */
export interface ProjectAssessment {
  /** Σ arrears of the ledger */
  readonly arrears: Fen;
  /** distinct identity numbers with arrears on this project */
  readonly workersInArrears: number;
  readonly oldestOverdueDays: number;
  /** Σ estimated exposure of NO_PAYROLL months (never part of arrears) */
  readonly estimatedExposure: Fen;
  readonly risk: RiskScore;
  /** null when the deposit rule could not run (see notApplied) */
  readonly deposit: { readonly requirement: DepositRequirement; readonly holdings: DepositHoldings } | null;
}

export interface ProjectEvaluation {
  readonly projectId: number;
  readonly projectCode: string;
  readonly county: string;
  readonly asOf: IsoDate;
  readonly ledger: readonly WorkerMonth[];
  /** sorted by month, worker, code */
  readonly findings: readonly Finding[];
  readonly assessment: ProjectAssessment;
  readonly notApplied: readonly NotApplied[];
  /**
   * 暂定 — the years whose holiday schedule is missing and that a date of this project needed (its due
   * dates and the citations of its findings): those dates were placed on weekends alone (calendar.ts)
   */
  readonly provisionalYears: readonly number[];
}

export interface ReviewQueueItem {
  readonly projectId: number;
  readonly projectCode: string;
  readonly score: number;
  readonly arrears: Fen;
  readonly findingCount: number;
}

export interface CityEvaluation {
  readonly asOf: IsoDate;
  /** sorted by project code */
  readonly projects: readonly ProjectEvaluation[];
  /** projects that could not be evaluated, with the reason */
  readonly problems: readonly { readonly projectId: number; readonly projectCode: string; readonly message: string }[];
  readonly totals: {
    readonly arrears: Fen;
    /** distinct identity numbers across the city */
    readonly workersInArrears: number;
    readonly projectsInArrears: number;
    readonly estimatedExposure: Fen;
  };
  /** flagged projects: score desc, arrears desc, project code */
  readonly reviewQueue: readonly ReviewQueueItem[];
}

/** Indexes over the whole city, built once per evaluation. */
class CityContext {
  private readonly blacklistByUscc = new Map<string, BlacklistEntry[]>();
  private readonly historyByUscc = new Map<string, ContractorHistoryFacts>();
  private readonly projectsByContractor = new Map<string, ProjectFacts[]>();
  private readonly crossDays: ReadonlyMap<string, CrossProjectDays>;
  /** arrears periods derived from each project's ledger (or why the ledger failed) */
  private readonly periods = new Map<number, ArrearsPeriod[] | Error>();
  /** one record per contractor once every ledger is known (evaluateCity's second pass) */
  private readonly records = new Map<string, { record: ContractorRecord; notes: NotApplied[] }>();

  constructor(
    readonly city: CityFacts,
    readonly asOf: IsoDate,
    readonly params: RulesParams,
  ) {
    for (const b of city.blacklist ?? []) push(this.blacklistByUscc, b.uscc, b);
    for (const h of city.contractorHistory ?? []) this.historyByUscc.set(h.uscc, h);
    for (const p of city.projects) push(this.projectsByContractor, p.contractorUscc, p);
    this.crossDays = city.crossProjectDays ?? this.indexDaysWorked();
  }

  /** W's days in M over all projects, kept only for workers with payroll on more than one project. */
  private indexDaysWorked(): Map<string, CrossProjectDays> {
    const crossDays = new Map<string, CrossProjectDays>();
    const asOfMonth = monthOf(this.asOf);
    const home = new Map<string, number>();
    const multi = new Set<string>();
    for (const p of this.city.projects) {
      for (const r of p.payroll) {
        if (r.month > asOfMonth) continue;
        const h = home.get(r.idNumber);
        if (h === undefined) home.set(r.idNumber, p.id);
        else if (h !== p.id) multi.add(r.idNumber);
      }
    }
    if (multi.size === 0) return crossDays;
    for (const p of this.city.projects) {
      for (const r of p.payroll) {
        if (r.month > asOfMonth || !multi.has(r.idNumber)) continue;
        const key = keyOf(r.month, r.idNumber);
        const cur = crossDays.get(key);
        const part = { projectCode: p.code, centi: r.daysWorkedCenti, ref: r.ref };
        if (cur) crossDays.set(key, { totalCenti: cur.totalCenti + r.daysWorkedCenti, parts: [...cur.parts, part] });
        else crossDays.set(key, { totalCenti: r.daysWorkedCenti, parts: [part] });
      }
    }
    return crossDays;
  }

  /** the identity numbers crossDays holds (built on first use): DOUBLE_BOOKED builds a month|id key only for them */
  private crossWorkers: Set<string> | null = null;

  readonly across: CrossDaysIndex = {
    holds: (idNumber: IdNumber): boolean => {
      if (this.crossDays.size === 0) return false;
      if (this.crossWorkers === null) {
        this.crossWorkers = new Set();
        for (const key of this.crossDays.keys()) this.crossWorkers.add(key.slice(key.indexOf('|') + 1));
      }
      return this.crossWorkers.has(idNumber);
    },
    of: (month: Month, idNumber: IdNumber): CrossProjectDays | undefined => this.crossDays.get(keyOf(month, idNumber)),
  };

  listingsOf = (uscc: string): readonly BlacklistEntry[] => this.blacklistByUscc.get(uscc) ?? [];

  rememberPeriods(projectId: number, periods: ArrearsPeriod[] | Error): void {
    this.periods.set(projectId, periods);
  }

  /**
   * Phase A of projects run ahead of their turn (streaming: a contractor's other projects, for its arrears
   * history), kept until their turn takes them: computed once, each in its own record of missing holiday
   * years (the project asking for the history does not inherit the years the others' dates touched).
   */
  private readonly ahead = new Map<number, PhaseA>();

  /** The project's phase A if it was run ahead (once: the caller keeps it). */
  takeAhead(project: ProjectFacts): PhaseA | undefined {
    const a = this.ahead.get(project.id);
    if (a) this.ahead.delete(project.id);
    return a;
  }

  private periodsOf(project: ProjectFacts): ArrearsPeriod[] {
    let periods = this.periods.get(project.id);
    if (periods === undefined) {
      try {
        this.ahead.set(project.id, ledgerAndFlags(this, project));
      } catch (e) {
        // its ledger remembered its periods (or why it failed) before a later rule failed: what the history needs
        if (!this.periods.has(project.id)) this.periods.set(project.id, e instanceof Error ? e : new Error(String(e)));
      }
      periods = this.periods.get(project.id)!;
    }
    if (periods instanceof Error) throw periods;
    return periods;
  }

  /** The contractor's record: recorded history, arrears derived from its projects' ledgers, listings, projects. */
  contractorRecord(uscc: Uscc, self: ProjectFacts, notApplied: NotApplied[]): ContractorRecord {
    const projects = this.projectsByContractor.get(uscc) ?? [];
    const inCity = projects.includes(self);
    const cached = inCity ? this.records.get(uscc) : undefined;
    if (cached) {
      notApplied.push(...cached.notes);
      return cached.record;
    }
    const notes: NotApplied[] = [];
    const record = this.buildRecord(uscc, inCity ? projects : [...projects, self], notes);
    if (inCity) this.records.set(uscc, { record, notes });
    notApplied.push(...notes);
    return record;
  }

  private buildRecord(uscc: Uscc, all: readonly ProjectFacts[], notApplied: NotApplied[]): ContractorRecord {
    const history = this.historyByUscc.get(uscc);
    const periods: ArrearsPeriod[] = (history?.arrears ?? []).map((a) => {
      const what = `${a.projectCode ? `${a.projectCode} ` : ''}${a.note ?? '登记的欠薪记录'}`;
      return {
        from: a.from,
        to: a.to ?? null,
        what,
        evidence: a.ref ? [a.ref] : [],
        sources: importedSource(a.ref, `欠薪${a.from}起${a.to ? `，${a.to}结清` : '，未结清'}`),
      };
    });
    for (const p of all) {
      try {
        periods.push(...this.periodsOf(p));
      } catch (e) {
        notApplied.push({ rule: 'DEPOSIT', reason: `同一承包单位的项目${p.code}台账无法计算，其欠薪记录未计入保证金回溯：${(e as Error).message}` });
      }
    }
    return {
      uscc,
      recordsHeldFrom: history?.recordsHeldFrom ?? null,
      ...(history?.recordsHeldFrom ? { recordsHeldFromSources: importedSource(history.recordsHeldFromRef, `自${history.recordsHeldFrom}起完整掌握欠薪记录`) } : {}),
      realNameAndAccountCompliant: history?.realNameAndAccountCompliant === true,
      ...(history?.compliance
        ? { compliance: history.compliance.map((c) => ({ from: c.from, to: c.to ?? null, sources: importedSource(c.ref, `${c.from}起认定落实实名制和专户制度`) })) }
        : {}),
      arrears: mergePeriods(periods),
      // the city's listings, and the listings held in the contractor's imported record
      blacklist: history?.listings?.length ? [...this.listingsOf(uscc), ...history.listings] : this.listingsOf(uscc),
      projects: all.map((p) => ({ id: p.id, code: p.code, contractSignedOn: p.contractSignedOn, completionDate: p.completionDate })),
    };
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Runs a rule group; a missing parameter or holiday schedule is recorded instead of failing the project. */
function guarded<T>(rule: string, notApplied: NotApplied[], fallback: T, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ParamNotInForceError || e instanceof MissingHolidayScheduleError) {
      notApplied.push({ rule, reason: e.message });
      return fallback;
    }
    throw e;
  }
}

interface PhaseA {
  readonly project: ProjectFacts;
  /** the missing-schedule years a date of this project needed (calendar.record) */
  readonly touched: Set<number>;
  readonly view: ProjectView;
  readonly ledger: WorkerMonth[];
  readonly findings: Finding[];
  readonly notApplied: NotApplied[];
}

/** Phase A: the ledger and every flag except the deposit's (which needs the contractor's history from all ledgers). */
function ledgerAndFlags(ctx: CityContext, project: ProjectFacts): PhaseA {
  const touched = new Set<number>();
  return { ...calendarOf(ctx.params.holidays).record(touched, () => ledgerAndFlagsOf(ctx, project)), touched };
}

function ledgerAndFlagsOf(ctx: CityContext, project: ProjectFacts): Omit<PhaseA, 'touched'> {
  const view = new ProjectView(project, ctx.asOf, ctx.params);
  let ledger: WorkerMonth[];
  try {
    ledger = ledgerOf(view);
  } catch (e) {
    ctx.rememberPeriods(project.id, e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
  ctx.rememberPeriods(project.id, arrearsPeriodsOf(ledger));
  const notApplied: NotApplied[] = [];
  const laborCost = guarded('LABOR_COST_SHORT', notApplied, [], () => laborCostFindings(view, notApplied));
  const findings: Finding[] = [
    ...wageFindings(view, ledger),
    ...exitFindings(view, ledger),
    ...noPayrollFindings(view, ledger),
    ...notOnRosterFindings(view),
    ...payrollCoverageFindings(view, ledger),
    ...unconfirmedPayrollFindings(view),
    ...minimumWageFindings(view, notApplied),
    ...doubleBookedFindings(view, ctx.across),
    ...paymentFindings(view),
    ...sharedCardFindings(view),
    ...payOutlierFindings(view),
    ...guarded('NO_CONTRACT/UNDERAGE', notApplied, [], () => workerFindings(view)),
    ...returnedFindings(view),
    ...injuryInsuranceFindings(view, ctx.city.injuryInsurance, notApplied),
    ...sharedPhoneFindings(view),
    ...guarded('ACCOUNT_NOT_OPENED', notApplied, [], () => accountOpeningFindings(view)),
    ...laborCost,
    ...ownerAdvanceFindings(view, ledger, laborCost[0]),
    ...ownerDutyFindings(view),
    ...accountMisuseFindings(view),
    ...accountBalanceFindings(view),
    ...accountClosingFindings(view, ledger),
    ...blacklistFindings(view, ctx.listingsOf),
  ];
  // every flag that reads the cells has run: phase B needs the ledger and the due dates only
  view.releaseCells();
  return { project, view, ledger, findings, notApplied };
}

/** Phase B: the deposit, the totals and the risk score. */
function assess(ctx: CityContext, a: PhaseA): ProjectEvaluation {
  const { asOf, params } = ctx;
  const { project, view, ledger, findings, notApplied } = a;
  const deposit = guarded('DEPOSIT', notApplied, null, () => calendarOf(params.holidays).record(a.touched, () => {
    const record = ctx.contractorRecord(project.contractorUscc, project, notApplied);
    const requirement = requiredDeposit(project, record, asOf, params);
    const holdings = depositHoldings(project.depositEvents, asOf);
    const dv = depositViewOf(project, asOf, params);
    findings.push(...depositFindings(dv, requirement, holdings), ...depositLifeFindings(dv, requirement, ledger));
    return { requirement, holdings };
  }));
  findings.sort(compareFindings);

  let arrears = 0;
  let exposure = 0;
  let oldest = 0;
  const inArrears = new Set<string>();
  for (const wm of ledger) {
    exposure += wm.estimatedExposure ?? 0;
    if (wm.arrears > 0) {
      arrears += wm.arrears;
      inArrears.add(wm.idNumber);
      if (wm.overdueDays > oldest) oldest = wm.overdueDays;
    }
  }
  const totals = { arrears: fen(arrears), workersInArrears: inArrears.size };
  return {
    projectId: project.id,
    projectCode: project.code,
    county: project.county,
    asOf,
    ledger,
    findings,
    assessment: {
      ...totals,
      oldestOverdueDays: oldest,
      estimatedExposure: fen(exposure),
      risk: riskScore(findings, totals, asOf, params),
      deposit,
    },
    notApplied,
    provisionalYears: provisionalYearsOfProject(view, ledger, findings, a.touched),
  };
}

/** The missing-schedule years a project's dates needed: its provisional due dates, its findings' citations. */
function provisionalYearsOfProject(view: ProjectView, ledger: readonly WorkerMonth[], findings: readonly Finding[], touched: ReadonlySet<number>): number[] {
  const years = new Set<number>(touched);
  let last = '';
  for (const wm of ledger) {
    if (!wm.dueDateProvisional || wm.month === last) continue;
    last = wm.month;
    provisionalYearsOf(view.due(wm.month).params, years);
  }
  for (const f of findings) provisionalYearsOf(f.params, years);
  return [...years].sort((a, b) => a - b);
}

/** 评估一个项目 — the project's ledger, findings and assessment as of D; `city` supplies the cross-project facts. */
export function evaluateProject(project: ProjectFacts, city: CityFacts, asOf: IsoDate, params: RulesParams = DEFAULT_PARAMS): ProjectEvaluation {
  const ctx = new CityContext(city, asOf, params);
  return assess(ctx, ledgerAndFlags(ctx, project));
}

export interface CityOptions {
  /**
   * Streams each project's evaluation (in project-code order) instead of keeping them all: the caller stores
   * it and lets it go, and CityEvaluation.projects comes back empty (totals and queue are still complete).
   * Keeping 3M worker-months alive costs more in garbage collection than computing them; a nightly job
   * should stream.
   */
  readonly onProject?: (evaluation: ProjectEvaluation) => void;
}

/** 评估全市 — every project as of D, with city totals and the review queue. */
export function evaluateCity(city: CityFacts, asOf: IsoDate, params: RulesParams = DEFAULT_PARAMS, options: CityOptions = {}): CityEvaluation {
  const ctx = new CityContext(city, asOf, params);
  const problems: { projectId: number; projectCode: string; message: string }[] = [];
  const ordered = [...city.projects].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.id - b.id));
  const fail = (p: ProjectFacts, e: unknown) => problems.push({ projectId: p.id, projectCode: p.code, message: e instanceof Error ? e.message : String(e) });
  const projects: ProjectEvaluation[] = [];
  const queue: ReviewQueueItem[] = [];
  const workers = new Set<string>();
  let arrears = 0;
  let exposure = 0;
  let projectsInArrears = 0;
  const tally = (pe: ProjectEvaluation) => {
    arrears += pe.assessment.arrears;
    exposure += pe.assessment.estimatedExposure;
    if (pe.assessment.arrears > 0) {
      projectsInArrears++;
      for (const wm of pe.ledger) if (wm.arrears > 0) workers.add(wm.idNumber);
    }
    queue.push({ projectId: pe.projectId, projectCode: pe.projectCode, score: pe.assessment.risk.score, arrears: pe.assessment.arrears, findingCount: pe.findings.length });
  };
  if (options.onProject) {
    // one pass: a contractor's other ledgers are computed on demand for its arrears history
    for (const p of ordered) {
      let pe: ProjectEvaluation;
      try {
        pe = assess(ctx, ctx.takeAhead(p) ?? ledgerAndFlags(ctx, p));
      } catch (e) {
        fail(p, e);
        continue;
      }
      tally(pe);
      options.onProject(pe);
    }
  } else {
    const phaseA: PhaseA[] = [];
    for (const p of ordered) {
      try {
        phaseA.push(ledgerAndFlags(ctx, p));
      } catch (e) {
        fail(p, e);
      }
    }
    for (const a of phaseA) {
      try {
        const pe = assess(ctx, a);
        tally(pe);
        projects.push(pe);
      } catch (e) {
        fail(a.project, e);
      }
    }
    problems.sort((a, b) => (a.projectCode < b.projectCode ? -1 : a.projectCode > b.projectCode ? 1 : 0));
  }
  return {
    asOf,
    projects,
    problems,
    totals: { arrears: fen(arrears), workersInArrears: workers.size, projectsInArrears, estimatedExposure: fen(exposure) },
    reviewQueue: reviewQueue(queue),
  };
}
