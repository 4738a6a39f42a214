/**
 * 项目预警 — inspectors work projects, not rows (issue 18): the flags of a day are grouped into one warning
 * per project and problem (the wages of a month, the wage account, the deposit, injury insurance, child
 * labour …), each with a level — 红 red, 橙 orange, 黄 yellow, as the provincial monitoring platforms grade
 * them — from dated thresholds (params/thresholds/warningLevels.yaml, a local setting: no law fixes levels).
 *
 * Pure: a function of the flags (as stored: code, severity, worker, month, amount, due date), the day the
 * warnings are read for and the parameters. Overdue days are counted here from the stored due dates, never
 * stored. Implements no article itself: every flag inside a warning carries its own.
 *
 * Level (first that holds):
 *   red    — a flag of a red severity (default: critical), or arrears ≥ red.arrears, or workers in arrears ≥
 *            red.workersInArrears, or the oldest due date overdue ≥ red.overdueDays;
 *   orange — the same against the orange thresholds (default severity: high);
 *   yellow — any other warning.
 */
import { daysBetween, type IsoDate } from '../domain/date.ts';
import { sumFen, yuanText, type Fen } from '../domain/money.ts';
import type { FlagCode, Severity } from './flags.ts';
import { cite, type ParamUse } from './params/dated.ts';
import { DEFAULT_PARAMS, type RulesParams } from './params/index.ts';
import type { ParamValue } from './params/schema.ts';

export type WarningLevel = 'red' | 'orange' | 'yellow';
export const WARNING_LEVELS: readonly WarningLevel[] = ['red', 'orange', 'yellow'];
export const WARNING_LEVEL_ZH: Record<WarningLevel, string> = { red: '红色预警', orange: '橙色预警', yellow: '黄色预警' };
const LEVEL_RANK: Record<WarningLevel, number> = { red: 3, orange: 2, yellow: 1 };

/** 预警问题 — what a warning is about; WAGE_ARREARS is per project and month, every other per project. */
export type WarningProblem =
  | 'WAGE_ARREARS'
  | 'PAYROLL_RECORDS'
  | 'WAGE_ACCOUNT'
  | 'DEPOSIT'
  | 'INJURY_INSURANCE'
  | 'CHILD_LABOUR'
  | 'LABOUR_CONTRACT'
  | 'OWNER_DUTIES'
  | 'BLACKLISTED_PARTY';

export const WARNING_PROBLEM_ZH: Record<WarningProblem, string> = {
  WAGE_ARREARS: '拖欠工资',
  PAYROLL_RECORDS: '实名制与工资代发',
  WAGE_ACCOUNT: '工资专户与人工费用',
  DEPOSIT: '工资保证金',
  INJURY_INSURANCE: '工伤保险',
  CHILD_LABOUR: '童工与未成年工',
  LABOUR_CONTRACT: '劳动合同',
  OWNER_DUTIES: '建设单位责任与现场管理',
  BLACKLISTED_PARTY: '失信名单单位参建',
};
export const WARNING_PROBLEMS = Object.keys(WARNING_PROBLEM_ZH) as WarningProblem[];

/** Every flag code belongs to exactly one problem (a new code that is not placed here fails the typecheck). */
export const PROBLEM_OF: Record<FlagCode, WarningProblem> = {
  WAGE_UNPAID: 'WAGE_ARREARS',
  WAGE_PARTIAL: 'WAGE_ARREARS',
  WAGE_LATE: 'WAGE_ARREARS',
  NO_PAYROLL: 'WAGE_ARREARS',
  EXIT_NOT_SETTLED: 'WAGE_ARREARS',
  BELOW_MIN_WAGE: 'WAGE_ARREARS',
  PAYMENT_RETURNED: 'WAGE_ARREARS',
  NOT_ON_ROSTER: 'PAYROLL_RECORDS',
  PAID_OUTSIDE_ACCOUNT: 'PAYROLL_RECORDS',
  PAYEE_MISMATCH: 'PAYROLL_RECORDS',
  PAYMENT_NOT_IN_ACCOUNT: 'PAYROLL_RECORDS',
  UNCONFIRMED_PAYROLL: 'PAYROLL_RECORDS',
  DOUBLE_BOOKED: 'PAYROLL_RECORDS',
  PAY_OUTLIER: 'PAYROLL_RECORDS',
  SHARED_PAYEE_CARD: 'PAYROLL_RECORDS',
  LOW_PAYROLL_COVERAGE: 'PAYROLL_RECORDS',
  SHARED_PHONE: 'PAYROLL_RECORDS',
  NO_CONTRACT: 'LABOUR_CONTRACT',
  UNDERAGE: 'CHILD_LABOUR',
  JUVENILE_NOT_REGISTERED: 'CHILD_LABOUR',
  JUVENILE_PROHIBITED_WORK: 'CHILD_LABOUR',
  NO_INJURY_INSURANCE: 'INJURY_INSURANCE',
  ACCOUNT_NOT_OPENED: 'WAGE_ACCOUNT',
  LABOR_COST_SHORT: 'WAGE_ACCOUNT',
  ACCOUNT_MISUSE: 'WAGE_ACCOUNT',
  ACCOUNT_BALANCE_LOW: 'WAGE_ACCOUNT',
  ACCOUNT_CLOSED_EARLY: 'WAGE_ACCOUNT',
  DEPOSIT_MISSING: 'DEPOSIT',
  DEPOSIT_SHORT: 'DEPOSIT',
  GUARANTEE_EXPIRING: 'DEPOSIT',
  GUARANTEE_EXPIRED: 'DEPOSIT',
  DEPOSIT_NOT_REPLENISHED: 'DEPOSIT',
  DEPOSIT_STORED_LATE: 'DEPOSIT',
  GUARANTEE_TERM_SHORT: 'DEPOSIT',
  DEPOSIT_REFUND_EARLY: 'DEPOSIT',
  BLACKLISTED_PARTY: 'BLACKLISTED_PARTY',
  // 建设单位义务 (条例 第二十四、二十八、二十九、三十四、三十六条): one warning per project
  OWNER_ADVANCE_DUE: 'OWNER_DUTIES',
  OWNER_MUST_CLEAR: 'OWNER_DUTIES',
  NO_PAYMENT_GUARANTEE: 'OWNER_DUTIES',
  NO_LABOR_OFFICER: 'OWNER_DUTIES',
  NO_RIGHTS_NOTICE_BOARD: 'OWNER_DUTIES',
};

/** Flags whose amount is wages owed to the worker (they count as arrears and as workers in arrears). */
export const ARREARS_CODES: readonly string[] = ['WAGE_UNPAID', 'WAGE_PARTIAL', 'EXIT_NOT_SETTLED', 'BELOW_MIN_WAGE', 'PAYMENT_RETURNED'];

/**
 * Flags whose due date counts for the warning's oldest due date and overdue days (stillOwed): wages still
 * owed, and a worker on site with no wage table (NO_PAYROLL). A late payment already made (WAGE_LATE) and an
 * exit whose settlement only lacks the worker's confirmation (EXIT_NOT_SETTLED without an amount) are not.
 */
export const OVERDUE_CODES: readonly string[] = [...ARREARS_CODES, 'NO_PAYROLL'];

/** Wages still owed (an arrears flag with an amount), or a worker on site with no wage table. */
export const stillOwed = (f: Pick<WarningFlag, 'code' | 'amount'>): boolean =>
  f.code === 'NO_PAYROLL' || (ARREARS_CODES.includes(f.code) && f.amount !== null && f.amount > 0);

/** A current flag as the warnings read it (a finding_versions row). */
export interface WarningFlag {
  readonly id: number;
  readonly code: string;
  readonly severity: Severity;
  readonly projectId: number;
  readonly idNumber: string | null;
  readonly month: string | null;
  readonly amount: Fen | null;
  readonly dueDate: IsoDate | null;
}

export type WarningLevelThresholds = ParamValue<'warningLevels'>;

/** Why a warning has its level: each condition that held, in Chinese. */
export interface Warning {
  /** stable across days: `p{projectId}-{problem}[-{month}]` */
  readonly key: string;
  readonly projectId: number;
  readonly problem: WarningProblem;
  /** the wage month (WAGE_ARREARS only) */
  readonly month: string | null;
  readonly level: WarningLevel;
  readonly reasons: readonly string[];
  /** distinct workers named by the flags */
  readonly workers: number;
  /** distinct workers owed wages (ARREARS_CODES with an amount) */
  readonly workersInArrears: number;
  /** wages owed (ARREARS_CODES; the largest amount of each worker-month, so a cell flagged twice counts once) */
  readonly arrears: Fen;
  /** the money at stake of every flag (shortfalls, amounts of the rows concerned …) */
  readonly amount: Fen;
  /** the oldest due date of the wages still owed (OVERDUE_CODES) */
  readonly oldestDueDate: IsoDate | null;
  /** days from the oldest due date to the day read (0 when none or not yet due) */
  readonly overdueDays: number;
  readonly flagCount: number;
  readonly severities: Readonly<Record<Severity, number>>;
  readonly codes: readonly string[];
  readonly flagIds: readonly number[];
  /**
   * the problem persists in the day's facts: for the wages of a month, wages still owed or a worker with no
   * wage table (stillOwed: a month paid late but paid, WAGE_LATE, is a problem rectified); for any other
   * problem, any flag. A rectification is verified when it no longer persists.
   */
  readonly persists: boolean;
  readonly params: readonly ParamUse[];
}

/** The key of the warning a flag belongs to. */
export function warningKeyOf(flag: Pick<WarningFlag, 'code' | 'projectId' | 'month'>): string {
  const problem = PROBLEM_OF[flag.code as FlagCode] ?? 'PAYROLL_RECORDS';
  return problem === 'WAGE_ARREARS' && flag.month ? `p${flag.projectId}-${problem}-${flag.month}` : `p${flag.projectId}-${problem}`;
}

/** A warning key read back (null when it is not one). */
export function parseWarningKey(key: string): { projectId: number; problem: WarningProblem; month: string | null } | null {
  const m = /^p(\d{1,12})-([A-Z_]{3,40})(?:-(\d{4}-(?:0[1-9]|1[0-2])))?$/.exec(key);
  if (!m || !(WARNING_PROBLEMS as readonly string[]).includes(m[2]!)) return null;
  if (m[3] && m[2] !== 'WAGE_ARREARS') return null;
  return { projectId: Number(m[1]), problem: m[2] as WarningProblem, month: m[3] ?? null };
}

/** The level of a warning's figures under the thresholds, with the conditions that made it. */
export function levelOf(
  figures: { readonly severities: readonly Severity[]; readonly arrears: Fen; readonly workersInArrears: number; readonly overdueDays: number },
  t: WarningLevelThresholds,
): { level: WarningLevel; reasons: string[] } {
  for (const level of ['red', 'orange'] as const) {
    const th = t[level];
    const reasons: string[] = [];
    const hit = figures.severities.filter((s) => th.severities.includes(s));
    if (hit.length > 0) reasons.push(`含${[...new Set(hit)].map((s) => SEVERITY_ZH[s]).join('、')}等级预警`);
    if (figures.arrears > 0 && figures.arrears >= th.arrears) reasons.push(`欠薪合计达到${yuanText(th.arrears)}元`);
    if (figures.workersInArrears >= th.workersInArrears) reasons.push(`被欠薪工人达到${th.workersInArrears}人`);
    if (figures.overdueDays >= th.overdueDays) reasons.push(`最早一笔已逾期${th.overdueDays}日以上`);
    if (reasons.length > 0) return { level, reasons };
  }
  return { level: 'yellow', reasons: ['未达到橙色预警条件'] };
}

const SEVERITY_ZH: Record<Severity, string> = { critical: '严重', high: '高', medium: '中', low: '低' };

/**
 * 项目预警 — the warnings of the flags read on `asOf`, highest risk first: level, then arrears, then the
 * money at stake, then workers, then the oldest due date, then project and key (a total order).
 */
export function deriveWarnings(flags: readonly WarningFlag[], asOf: IsoDate, params: RulesParams = DEFAULT_PARAMS): Warning[] {
  const p = params.warningLevels.at(asOf);
  const groups = new Map<string, WarningFlag[]>();
  for (const f of flags) {
    const key = warningKeyOf(f);
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const out: Warning[] = [];
  for (const [key, fs] of groups) {
    const parsed = parseWarningKey(key)!;
    const sorted = [...fs].sort((a, b) => a.id - b.id);
    const owed = sorted.filter((f) => ARREARS_CODES.includes(f.code) && f.amount !== null && f.amount > 0);
    // one amount per worker-month: a worker who left unpaid is flagged both WAGE_UNPAID and EXIT_NOT_SETTLED
    const perCell = new Map<string, Fen>();
    for (const f of owed) {
      const k = `${f.idNumber ?? `#${f.id}`}|${f.month ?? ''}`;
      const before = perCell.get(k);
      if (before === undefined || (f.amount as Fen) > before) perCell.set(k, f.amount as Fen);
    }
    const arrears = sumFen(perCell.values());
    const workersInArrears = new Set(owed.map((f) => f.idNumber).filter((x) => x !== null)).size;
    const dues = sorted.filter(stillOwed).map((f) => f.dueDate).filter((d): d is IsoDate => d !== null).sort();
    const oldestDueDate = dues[0] ?? null;
    const overdueDays = oldestDueDate && oldestDueDate < asOf ? daysBetween(oldestDueDate, asOf) : 0;
    const severities: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const f of sorted) severities[f.severity]++;
    const { level, reasons } = levelOf({ severities: sorted.map((f) => f.severity), arrears, workersInArrears, overdueDays }, p.value);
    out.push({
      key,
      projectId: parsed.projectId,
      problem: parsed.problem,
      month: parsed.month,
      level,
      reasons,
      workers: new Set(sorted.map((f) => f.idNumber).filter((x) => x !== null)).size,
      workersInArrears,
      arrears,
      amount: sumFen(sorted.map((f) => (f.amount ?? 0) as Fen)),
      oldestDueDate,
      overdueDays,
      flagCount: sorted.length,
      severities,
      codes: [...new Set(sorted.map((f) => f.code))].sort(),
      flagIds: sorted.map((f) => f.id),
      persists: parsed.problem === 'WAGE_ARREARS' ? sorted.some(stillOwed) : sorted.length > 0,
      params: [cite(p)],
    });
  }
  return out.sort(compareWarnings);
}

/** Highest risk first (see deriveWarnings). */
export function compareWarnings(a: Warning, b: Warning): number {
  return (
    LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
    b.arrears - a.arrears ||
    b.amount - a.amount ||
    b.workers - a.workers ||
    (a.oldestDueDate ?? '9999').localeCompare(b.oldestDueDate ?? '9999') ||
    b.severities.critical - a.severities.critical ||
    a.projectId - b.projectId ||
    a.key.localeCompare(b.key)
  );
}

/** 有预警的项目 — projects with a warning, by their highest level. */
export function projectsByLevel(warnings: readonly Warning[]): Record<WarningLevel, number> {
  const best = new Map<number, WarningLevel>();
  for (const w of warnings) {
    const b = best.get(w.projectId);
    if (!b || LEVEL_RANK[w.level] > LEVEL_RANK[b]) best.set(w.projectId, w.level);
  }
  const out: Record<WarningLevel, number> = { red: 0, orange: 0, yellow: 0 };
  for (const l of best.values()) out[l]++;
  return out;
}

/** 整改状态 — a rectification read against the facts of the day. */
export type RectificationState = 'rectifying' | 'overdue' | 'verified' | 'closed';
export const RECTIFICATION_STATE_ZH: Record<RectificationState, string> = {
  rectifying: '整改中',
  overdue: '逾期未整改',
  verified: '已整改待销号',
  closed: '已销号',
};

/**
 * The state of a rectification on `asOf` (the evaluated day): closed stays closed (the night reopens it when
 * the warning shows again, see reopenable); an open one whose warning is gone from the day's facts is
 * verified (it may be closed); one still present is overdue from the day after its deadline.
 */
export function rectificationState(r: { readonly status: 'open' | 'closed'; readonly deadline: IsoDate }, present: boolean, asOf: IsoDate): { state: RectificationState; overdueDays: number } {
  if (r.status === 'closed') return { state: 'closed', overdueDays: 0 };
  if (!present) return { state: 'verified', overdueDays: 0 };
  return asOf > r.deadline ? { state: 'overdue', overdueDays: daysBetween(r.deadline, asOf) } : { state: 'rectifying', overdueDays: 0 };
}

/** A closed warning reopens when the facts of a day after it was closed show it again. */
export function reopenable(r: { readonly status: 'open' | 'closed'; readonly closedOn: IsoDate | null }, present: boolean, asOf: IsoDate): boolean {
  return r.status === 'closed' && present && r.closedOn !== null && asOf >= r.closedOn;
}
