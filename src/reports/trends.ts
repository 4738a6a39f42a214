/**
 * 趋势与风险排名 — the leaders' sections of the report (issue 18 point 7).
 *
 * Trends come from the findings history (docs/STORAGE.md): the evaluated days (`evaluated_days`, one row per
 * night), the flag counts of each day (`daily_flag_counts`) and the project outcomes valid that day
 * (`project_outcomes`, the same arrears the report of that day shows). Two series:
 * - days: every evaluated day of the 30 days ending on D (a day the nightly run did not evaluate is left
 *   out, not shown as zero);
 * - months: the 12 calendar months ending with D's month, each by its last evaluated day up to D (月末值;
 *   a month with no evaluated day is left out).
 * Each point: the flags the rules raised that day (before reviews: the history keeps what the rules found,
 * a review is the inspector's, so `flags` can exceed the report's open flags), of which critical, the
 * arrears (yuan) and the projects in arrears.
 *
 * The ranking lists every project with an open flag or arrears, riskiest first: projects with a red-line
 * problem that carries no money — child labour (UNDERAGE), no wage account (ACCOUNT_NOT_OPENED), a
 * blacklisted party (BLACKLISTED_PARTY) — come before all others (an arrears-weighted score would bury
 * them under projects that merely owe more), then by risk score, critical flags, arrears, and code.
 * Both are pure functions of their inputs: the report of the evaluated city and the report read off the
 * stored state get the same rows from the same history.
 */
import { addDays, type IsoDate } from '../domain/date.ts';
import { formatYuan, yuan, type Fen } from '../domain/money.ts';
import { addMonths, firstDayOf, monthOf } from '../domain/month.ts';
import { FLAGS, type FlagCode } from '../rules/flags.ts';
import type { FlagCounts, ProjectRow } from './model.ts';

export const TREND_DAYS = 30;
export const TREND_MONTHS = 12;

/** Critical problems that carry no amount of money, ranked first (红线问题). */
export const RED_LINE_CODES: readonly FlagCode[] = ['UNDERAGE', 'ACCOUNT_NOT_OPENED', 'BLACKLISTED_PARTY'];

export interface TrendPoint {
  /** the evaluated day */
  readonly day: string;
  /** flags the rules raised that day (reviews not taken off) */
  readonly flags: number;
  readonly criticalFlags: number;
  /** yuan, two decimals */
  readonly arrears: string;
  readonly projectsInArrears: number;
}

export interface MonthTrendPoint extends TrendPoint {
  readonly month: string;
}

export interface Trends {
  readonly days: readonly TrendPoint[];
  readonly months: readonly MonthTrendPoint[];
}

/** One evaluated day's figures as read from the history. */
export interface DayFigures {
  readonly day: string;
  readonly flags: number;
  readonly criticalFlags: number;
  readonly arrearsFen: number;
  readonly projectsInArrears: number;
}

/** The first day the trends look at: the first of the month 11 months before D's (or D − 29, if earlier). */
export function trendsFrom(asOf: IsoDate): IsoDate {
  const monthStart = firstDayOf(addMonths(monthOf(asOf), -(TREND_MONTHS - 1)));
  const dayStart = addDays(asOf, -(TREND_DAYS - 1));
  return monthStart < dayStart ? monthStart : dayStart;
}

/** Of the evaluated days in [trendsFrom(D), D], those a point is shown for: the last 30 days and each month's last. */
export function trendDaysOf(asOf: IsoDate, evaluated: readonly string[]): { days: string[]; months: { month: string; day: string }[] } {
  const sorted = [...new Set(evaluated)].filter((d) => d <= asOf && d >= trendsFrom(asOf)).sort();
  const dayStart = addDays(asOf, -(TREND_DAYS - 1));
  const days = sorted.filter((d) => d >= dayStart);
  const lastOfMonth = new Map<string, string>();
  for (const d of sorted) lastOfMonth.set(d.slice(0, 7), d); // sorted: the last one wins
  const months = [...lastOfMonth.entries()].map(([month, day]) => ({ month, day }));
  return { days, months };
}

/** The days whose figures are needed (for the readers). */
export function neededDays(asOf: IsoDate, evaluated: readonly string[]): string[] {
  const { days, months } = trendDaysOf(asOf, evaluated);
  return [...new Set([...days, ...months.map((m) => m.day)])].sort();
}

const pointOf = (f: DayFigures): TrendPoint => ({
  day: f.day,
  flags: f.flags,
  criticalFlags: f.criticalFlags,
  arrears: formatYuan(f.arrearsFen as Fen),
  projectsInArrears: f.projectsInArrears,
});

export function buildTrends(asOf: IsoDate, evaluated: readonly string[], figures: readonly DayFigures[]): Trends {
  const { days, months } = trendDaysOf(asOf, evaluated);
  const byDay = new Map(figures.map((f) => [f.day, f]));
  const at = (day: string): DayFigures => byDay.get(day) ?? { day, flags: 0, criticalFlags: 0, arrearsFen: 0, projectsInArrears: 0 };
  return {
    days: days.map((d) => pointOf(at(d))),
    months: months.map((m) => ({ month: m.month, ...pointOf(at(m.day)) })),
  };
}

export const NO_TRENDS: Trends = { days: [], months: [] };

// ————————————————————————————————————————— the ranking ——————————————————————————————————————————————

export interface RiskRankRow {
  readonly rank: number;
  readonly projectCode: string;
  readonly name: string;
  readonly county: string;
  readonly contractorName: string;
  readonly contractorUscc: string;
  readonly riskScore: number;
  /** open flags of critical severity (the unpaid wages among them) */
  readonly criticalFlags: number;
  /** the red-line problems without money on the project: code → open flags */
  readonly redLines: FlagCounts;
  /** 红线问题 in Chinese, "使用童工、未按期开设工资专户"; '' when none */
  readonly redLineTitles: string;
  readonly arrears: string;
  readonly workersInArrears: number;
  readonly openFlags: number;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
// the report's yuan strings back to exact fen (never through a float)
const fen = (text: string): number => yuan(text);

export function rankProjects(projects: readonly ProjectRow[]): RiskRankRow[] {
  const rows = projects
    .filter((p) => p.openFlags > 0 || fen(p.arrears) > 0)
    .map((p) => {
      const redLines: FlagCounts = {};
      for (const code of RED_LINE_CODES) if (p.flags[code]) redLines[code] = p.flags[code];
      let critical = 0;
      for (const [code, n] of Object.entries(p.flags)) if (FLAGS[code as FlagCode]?.severity === 'critical') critical += n ?? 0;
      return { p, redLines, critical, red: Object.keys(redLines).length };
    })
    .sort(
      (a, b) =>
        Number(b.red > 0) - Number(a.red > 0) ||
        b.p.riskScore - a.p.riskScore ||
        b.critical - a.critical ||
        fen(b.p.arrears) - fen(a.p.arrears) ||
        cmp(a.p.projectCode, b.p.projectCode),
    );
  return rows.map(({ p, redLines, critical }, i) => ({
    rank: i + 1,
    projectCode: p.projectCode,
    name: p.name,
    county: p.county,
    contractorName: p.contractorName,
    contractorUscc: p.contractorUscc,
    riskScore: p.riskScore,
    criticalFlags: critical,
    redLines,
    redLineTitles: RED_LINE_CODES.filter((c) => redLines[c]).map((c) => FLAGS[c].title).join('、'),
    arrears: p.arrears,
    workersInArrears: p.workersInArrears,
    openFlags: p.openFlags,
  }));
}
