/**
 * 报告汇总 — the nightly report of day D assembled from the stored evaluation: every project's report part
 * (part.ts), the flags open at D, the flag changes since the previous report, the enforcement sections.
 * Pure; the same inputs give the same bytes. Every definition: model.ts and docs/REPORT.md.
 *
 * Whatever the order parts arrive in, order-dependent choices are made by position: an employer's name is
 * the first non-empty one in project-id order (contractor before roster), a worker's name the first roster
 * entry's in project-id order, else the first ledger month's in project-code order.
 */
import { NO_TRENDS, rankProjects, type Trends } from './trends.ts';
import { Decimal } from 'decimal.js';
import { addDays, daysBetween, type IsoDate } from '../domain/date.ts';
import { maskText } from '../api/masking.ts';
import { maskIdNumber } from '../domain/idNumber.ts';
import { formatYuan, type Fen } from '../domain/money.ts';
import { addMonths, monthOf, type Month } from '../domain/month.ts';
import { FLAG_CODES, FLAGS, type FlagCode, type Severity } from '../rules/flags.ts';
import {
  FIRST_REPORT_NOTE,
  type CountyRow,
  type EmployerRow,
  type EnforcementSections,
  type FlagChanges,
  type FlagCounts,
  type FlagItem,
  type FlagRecord,
  type GuaranteeRow,
  type ProjectRow,
  type Rate,
  type RateSet,
  type Report,
  type ReportWarning,
} from './model.ts';
import type { ProjectReportPart, TallyData } from './part.ts';

/** A flag open at D: what the counts need of it. */
export interface OpenFlag {
  readonly projectId: number;
  /** the worker's employer in the month (the general contractor for project flags) */
  readonly employerUscc: string;
  readonly code: string;
}

/** A flag that was open at the previous report and is not open at D, with the review that closed it (if any). */
export interface GoneFlag extends FlagRecord {
  readonly review: 'resolved' | 'dismissed' | null;
}

export interface AssembleInput {
  readonly asOf: IsoDate;
  /** every project's part valid at D */
  readonly parts: readonly ProjectReportPart[];
  /** projects the rules could not evaluate, with the reason */
  readonly problems: readonly { readonly projectId: number; readonly projectCode: string; readonly message: string }[];
  readonly openFlags: Iterable<OpenFlag>;
  /** the previous report's date; null for the first report (then no changes are listed) */
  readonly previousAsOf: IsoDate | null;
  /** open at D and not open at the previous report */
  readonly added: readonly FlagRecord[];
  readonly gone: readonly GoneFlag[];
  /** the guarantee-expiry warning window in days */
  readonly windowDays: number;
  readonly enforcement: EnforcementSections;
  readonly warnings: readonly ReportWarning[];
  /** the risk score's scale at D (risk.ts riskScoreMax) */
  readonly riskScoreMax: number;
  /** the trends from the findings history (trends.ts); none when not given */
  readonly trends?: Trends;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function rateOf(numerator: number, denominator: number): string | null {
  if (denominator === 0) return null;
  return new Decimal(numerator).div(denominator).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
}
const countRate = (n: number, d: number): Rate => ({ numerator: n, denominator: d, rate: rateOf(n, d) });
const moneyRate = (n: number, d: number): Rate => ({ numerator: formatYuan(n as Fen), denominator: formatYuan(d as Fen), rate: rateOf(n, d) });

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Catalogue order, only codes with a count. */
function flagCountsOf(counts: Map<string, number>): FlagCounts {
  const out: FlagCounts = {};
  for (const code of FLAG_CODES) {
    const n = counts.get(code);
    if (n) out[code] = n;
  }
  return out;
}

/** A level's running aggregate (city, county, employer, wage month). */
class Tally {
  arrears = 0;
  exposure = 0;
  oldestDue: string | null = null;
  openFlags = 0;
  readonly workers = new Set<string>();
  readonly projects = new Set<number>();
  readonly flags = new Map<string, number>();
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

  add(t: TallyData, projectId: number): void {
    this.arrears += t.arrears;
    this.exposure += t.exposure;
    if (t.oldestDue !== null && (this.oldestDue === null || t.oldestDue < this.oldestDue)) this.oldestDue = t.oldestDue;
    for (const w of t.workers) this.workers.add(w);
    if (t.arrears > 0) this.projects.add(projectId);
    this.payrollMonths += t.payrollMonths;
    this.payrollMonthsOnRoster += t.payrollMonthsOnRoster;
    this.paidTotal += t.paidTotal;
    this.paidDedicated += t.paidDedicated;
    this.rosterEntries += t.rosterEntries;
    this.rosterSigned += t.rosterSigned;
    this.depositDue += t.depositDue;
    this.depositCovered += t.depositCovered;
    this.injuryDue += t.injuryDue;
    this.injuryCovered += t.injuryCovered;
  }

  addFlag(code: string): void {
    this.openFlags++;
    bump(this.flags, code);
  }

  oldestDays(asOf: IsoDate): number {
    return this.oldestDue === null ? 0 : daysBetween(this.oldestDue as IsoDate, asOf);
  }

  figures(asOf: IsoDate) {
    return {
      arrears: formatYuan(this.arrears as Fen),
      workersInArrears: this.workers.size,
      projectsInArrears: this.projects.size,
      oldestOverdueDays: this.oldestDays(asOf),
      estimatedExposure: formatYuan(this.exposure as Fen),
      openFlags: this.openFlags,
      flags: flagCountsOf(this.flags),
    };
  }

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

/** A candidate name at a position; the smallest position wins. */
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

/** 生成报告 — the report of D from the stored evaluation. */
export function assembleReport(input: AssembleInput): Report {
  const { asOf } = input;
  const asOfMonth = monthOf(asOf);
  const windowMonths: Month[] = [];
  for (let i = 5; i >= 0; i--) windowMonths.push(addMonths(asOfMonth, -i));
  const until = addDays(asOf, input.windowDays);

  const employerNames = new Map<string, Named>();
  const rosterNames = new Map<string, Named>();
  const ledgerNames = new Map<string, Named>();
  const contractorCount = new Map<string, number>();
  const countyProjects = new Map<string, number>();
  const projectInfo = new Map<number, { code: string; county: string; contractorUscc: string }>();
  const city = new Tally();
  const byCounty = new Map<string, Tally>();
  const byEmployer = new Map<string, Tally>();
  const byProject = new Map<number, Tally>();
  const byWageMonth = new Map<string, Tally>();
  const earlier = new Tally();
  const guarantees: GuaranteeRow[] = [];
  let injuryHeld = false;

  for (const part of input.parts) {
    projectInfo.set(part.id, { code: part.code, county: part.county, contractorUscc: part.contractorUscc });
    for (const [uscc, name, b] of part.employerNames) keepFirst(employerNames, uscc, { name, a: part.id, b, c: 0 });
    for (const [id, name, b] of part.rosterNames) keepFirst(rosterNames, id, { name, a: part.id, b, c: 0 });
    for (const [id, name, c] of part.ledgerNames) keepFirst(ledgerNames, id, { name, a: part.code, b: part.id, c });
    bump(contractorCount, part.contractorUscc);
    bump(countyProjects, part.county);
    city.add(part.project, part.id);
    tallyOf(byCounty, part.county).add(part.project, part.id);
    tallyOf(byProject, part.id).add(part.project, part.id);
    for (const [uscc, t] of Object.entries(part.employers)) tallyOf(byEmployer, uscc).add(t, part.id);
    for (const [month, t] of Object.entries(part.months)) (month >= windowMonths[0]! ? tallyOf(byWageMonth, month) : earlier).add(t, part.id);
    if (part.injuryHeld) injuryHeld = true;
    for (const g of part.guarantees) {
      if (g.expiresOn < asOf || g.expiresOn > until) continue;
      guarantees.push({
        projectCode: part.code,
        projectName: part.name,
        county: part.county,
        contractorName: part.contractorName,
        form: g.form,
        voucherNo: g.voucherNo,
        amount: formatYuan(g.amount as Fen),
        expiresOn: g.expiresOn,
        daysLeft: daysBetween(asOf, g.expiresOn as IsoDate),
      });
    }
  }

  for (const f of input.openFlags) {
    const info = projectInfo.get(f.projectId);
    if (!info) continue;
    for (const t of [city, tallyOf(byCounty, info.county), tallyOf(byProject, f.projectId), tallyOf(byEmployer, f.employerUscc)]) t.addFlag(f.code);
  }

  const employerName = (uscc: string) => employerNames.get(uscc)?.name || '';
  const problemById = new Map<number, string>();
  for (const pr of input.problems) problemById.set(pr.projectId, pr.message);

  const projectRows: ProjectRow[] = [...input.parts]
    .sort((a, b) => cmp(a.code, b.code) || a.id - b.id)
    .map((part) => {
      const t = byProject.get(part.id)!;
      return {
        projectCode: part.code,
        name: part.name,
        county: part.county,
        contractorUscc: part.contractorUscc,
        contractorName: part.contractorName,
        arrears: formatYuan(t.arrears as Fen),
        workersInArrears: t.workers.size,
        oldestOverdueDays: t.oldestDays(asOf),
        estimatedExposure: formatYuan(t.exposure as Fen),
        riskScore: part.riskScore,
        openFlags: t.openFlags,
        flags: flagCountsOf(t.flags),
        problem: part.evaluated ? null : maskText(problemById.get(part.id) ?? '未评估'),
      };
    });

  const counties = [...byCounty.keys()].sort(cmp);
  const countyRows: CountyRow[] = counties.map((county) => ({ county, projectCount: countyProjects.get(county) ?? 0, ...byCounty.get(county)!.figures(asOf) }));
  const employers = [...byEmployer.keys()].sort(cmp);
  const employerRows: EmployerRow[] = employers.map((uscc) => ({
    uscc,
    name: employerName(uscc),
    contractorOf: contractorCount.get(uscc) ?? 0,
    ...byEmployer.get(uscc)!.figures(asOf),
  }));

  // flag changes since the previous report
  const nameOf = (id: string): string | null => (rosterNames.get(id) ?? ledgerNames.get(id))?.name ?? null;
  const itemOf = (f: FlagRecord): FlagItem => {
    const p = projectInfo.get(f.projectId);
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
      sentence: maskText(f.sentence),
    };
  };
  const order = (a: FlagRecord, b: FlagRecord): number =>
    cmp(projectInfo.get(a.projectId)?.code ?? '', projectInfo.get(b.projectId)?.code ?? '') ||
    cmp(a.month ?? '', b.month ?? '') ||
    cmp(a.idNumber ?? '', b.idNumber ?? '') ||
    cmp(a.code, b.code) ||
    cmp(a.fingerprint, b.fingerprint);
  // without a previous report nothing is compared: the first report lists no changes
  const added = input.previousAsOf ? [...input.added].sort(order) : [];
  const gone = input.previousAsOf ? [...input.gone].sort(order) : [];
  const newByCode = new Map<string, number>();
  for (const f of added) bump(newByCode, f.code);
  const resolvedByCode = new Map<string, number>();
  for (const f of gone) bump(resolvedByCode, f.code);
  const flagChanges: FlagChanges = {
    previousAsOf: input.previousAsOf,
    newCount: added.length,
    resolvedCount: gone.length,
    newByCode: flagCountsOf(newByCode),
    resolvedByCode: flagCountsOf(resolvedByCode),
    new: added.map(itemOf),
    resolved: gone.map((f) => ({ ...itemOf(f), resolution: f.review === 'resolved' ? 'review_resolved' : f.review === 'dismissed' ? 'review_dismissed' : 'cleared' })),
  };

  guarantees.sort((a, b) => cmp(a.expiresOn, b.expiresOn) || cmp(a.projectCode, b.projectCode) || cmp(a.voucherNo, b.voucherNo));
  const wageMonthRow = (t: Tally | undefined) => ({
    arrears: formatYuan((t?.arrears ?? 0) as Fen),
    workersInArrears: t?.workers.size ?? 0,
    estimatedExposure: formatYuan((t?.exposure ?? 0) as Fen),
  });

  return {
    asOf,
    warnings: input.warnings,
    riskScoreMax: input.riskScoreMax,
    totals: {
      arrears: formatYuan(city.arrears as Fen),
      workersInArrears: city.workers.size,
      projectsInArrears: city.projects.size,
      estimatedExposure: formatYuan(city.exposure as Fen),
      projectCount: input.parts.length,
      oldestOverdueDays: city.oldestDays(asOf),
      openFlags: city.openFlags,
      flags: flagCountsOf(city.flags),
    },
    counties: countyRows,
    projects: projectRows,
    employers: employerRows,
    flagChanges,
    guaranteesExpiring: { windowDays: input.windowDays, items: guarantees },
    rates: {
      city: city.rates(injuryHeld),
      counties: counties.map((county) => ({ county, ...byCounty.get(county)!.rates(injuryHeld) })),
      employers: employers.map((uscc) => ({ uscc, name: employerName(uscc), ...byEmployer.get(uscc)!.rates(injuryHeld) })),
    },
    arrearsByWageMonth: {
      months: windowMonths.map((month) => ({ month, ...wageMonthRow(byWageMonth.get(month)) })),
      earlier: wageMonthRow(earlier),
    },
    riskRanking: rankProjects(projectRows),
    trends: input.trends ?? NO_TRENDS,
    casesPastDeadline: input.enforcement.casesPastDeadline,
    ordersPastDue: input.enforcement.ordersPastDue.map((o) => ({ ...o, sentence: maskText(o.sentence) })),
    blacklistChanges: input.enforcement.blacklistChanges.map((c) => ({ ...c, reason: c.reason === null ? null : maskText(c.reason) })),
    rectificationsOverdue: input.enforcement.rectificationsOverdue,
    notes: input.previousAsOf ? [] : [FIRST_REPORT_NOTE],
    problems: input.problems.map((p) => ({ projectCode: p.projectCode, message: maskText(p.message) })),
  };
}
