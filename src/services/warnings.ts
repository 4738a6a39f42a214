/**
 * 项目预警 — the warnings of the latest evaluated day, read off the stored state (the open current flags,
 * src/store/repos/warnings.ts) and derived by the rules core (src/rules/warnings.ts) with the parameters in
 * force: nothing about a warning is stored, so a warning is exactly its flags of the day, and its overdue
 * days count to the evaluated day (the day the flags' sentences count to). Each warning says how many of its
 * worker-months are already in an order to pay or a case (src/db/enforcement.ts).
 */
import type { IsoDate } from '../domain/date.ts';
import { formatYuan, type Fen } from '../domain/money.ts';
import { enforcementOfProjects, workerMonthKey, type WorkerMonthEnforcement } from '../db/enforcement.ts';
import type { Db } from '../db/open.ts';
import type { Severity } from '../rules/flags.ts';
import { FLAGS } from '../rules/flags.ts';
import { ORDERABLE_CODES } from './enforcement/orders.ts';
import { paramsOfStore } from './params.ts';
import type { Store } from '../store/store.ts';
import type { WarningProjectRow } from '../store/repos/warnings.ts';
import {
  deriveWarnings,
  parseWarningKey,
  projectsByLevel,
  WARNING_LEVEL_ZH,
  WARNING_PROBLEM_ZH,
  type Warning,
  type WarningFlag,
  type WarningLevel,
  type WarningProblem,
} from '../rules/warnings.ts';

export interface WarningFilter {
  readonly level?: WarningLevel;
  readonly problem?: WarningProblem;
  readonly projectId?: number;
  readonly county?: string;
}

/** A warning as the API answers it (money in yuan with two decimals). */
export interface WarningView {
  key: string;
  level: WarningLevel;
  levelName: string;
  problem: WarningProblem;
  problemName: string;
  month: string | null;
  project: { id: number; code: string; name: string; county: string };
  contractor: { uscc: string; name: string | null };
  riskScore: number | null;
  reasons: string[];
  workers: number;
  workersInArrears: number;
  arrears: string;
  amount: string;
  oldestDueDate: string | null;
  overdueDays: number;
  flagCount: number;
  severities: Record<Severity, number>;
  codes: { code: string; title: string }[];
  /** worker-months of the warning already in an order to pay in force / in a case not closed */
  ordered: number;
  inCase: number;
  /** wage flags of the warning an order can still be issued from (orderable, not yet in an order) */
  orderable: number;
  links: { flags: string; page: string };
}

export interface WarningsOfDay {
  readonly asOf: string | null;
  readonly warnings: readonly Warning[];
  readonly flags: ReadonlyMap<number, WarningFlag>;
  readonly projects: ReadonlyMap<number, WarningProjectRow>;
}

/** Every warning of the latest evaluated day (filtered by project or county at the source). */
export async function warningsOfDay(store: Store, f: Pick<WarningFilter, 'projectId' | 'county'> = {}): Promise<WarningsOfDay> {
  return store.snapshot(async (s) => {
    const asOf = await s.warnings.latestDay();
    if (asOf === null) return { asOf, warnings: [], flags: new Map(), projects: new Map() };
    const rows = await s.warnings.openFlags(f);
    const flags = new Map<number, WarningFlag>();
    for (const [id, code, severity, projectId, idNumber, month, amount, dueDate] of rows) {
      flags.set(id, { id, code, severity: severity as Severity, projectId, idNumber, month, amount: amount as Fen | null, dueDate: dueDate as IsoDate | null });
    }
    const params = await paramsOfStore(s);
    const warnings = deriveWarnings([...flags.values()], asOf as IsoDate, params);
    const projects = new Map((await s.warnings.projects([...new Set(warnings.map((w) => w.projectId))])).map((p) => [Number(p.id), p]));
    return { asOf, warnings, flags, projects };
  });
}

function viewOf(w: Warning, day: WarningsOfDay, known: ReadonlyMap<string, WorkerMonthEnforcement>): WarningView {
  const p = day.projects.get(w.projectId);
  // counted by worker-month (a worker who left unpaid has two flags for one worker-month)
  const ordered = new Set<string>();
  const inCase = new Set<string>();
  let orderable = 0;
  for (const id of w.flagIds) {
    const f = day.flags.get(id)!;
    if (!f.idNumber || !f.month) continue;
    const k = workerMonthKey(f.projectId, f.idNumber, f.month);
    const e = known.get(k);
    if (e?.orders.length) ordered.add(k);
    if (e?.cases.length) inCase.add(k);
    if ((ORDERABLE_CODES as readonly string[]).includes(f.code) && f.amount && !e?.orders.length) orderable++;
  }
  return {
    key: w.key,
    level: w.level,
    levelName: WARNING_LEVEL_ZH[w.level],
    problem: w.problem,
    problemName: WARNING_PROBLEM_ZH[w.problem],
    month: w.month,
    project: { id: w.projectId, code: p?.code ?? String(w.projectId), name: p?.name ?? '', county: p?.county ?? '' },
    contractor: { uscc: p?.contractor_uscc ?? '', name: p?.contractor_name ?? null },
    riskScore: p?.risk_score === null || p?.risk_score === undefined ? null : Number(p.risk_score),
    reasons: [...w.reasons],
    workers: w.workers,
    workersInArrears: w.workersInArrears,
    arrears: formatYuan(w.arrears),
    amount: formatYuan(w.amount),
    oldestDueDate: w.oldestDueDate,
    overdueDays: w.overdueDays,
    flagCount: w.flagCount,
    severities: { ...w.severities },
    codes: w.codes.map((code) => ({ code, title: (FLAGS as Record<string, { title: string }>)[code]?.title ?? code })),
    ordered: ordered.size,
    inCase: inCase.size,
    orderable,
    links: { flags: `/api/v1/warnings/${w.key}`, page: `/warnings/${w.key}` },
  };
}

/** One page of the warnings, highest risk first, and the projects with a warning by their highest level. */
export async function listWarnings(
  store: Store,
  db: Db,
  f: WarningFilter,
  limit: number,
  offset: number,
): Promise<{ asOf: string | null; items: WarningView[]; total: number; projectsByLevel: Record<WarningLevel, number> }> {
  const day = await warningsOfDay(store, { ...(f.projectId !== undefined ? { projectId: f.projectId } : {}), ...(f.county !== undefined ? { county: f.county } : {}) });
  const matching = day.warnings.filter((w) => (f.level === undefined || w.level === f.level) && (f.problem === undefined || w.problem === f.problem));
  const pageOf = matching.slice(offset, offset + limit);
  const known = enforcementOfProjects(db, pageOf.map((w) => w.projectId));
  return { asOf: day.asOf, items: pageOf.map((w) => viewOf(w, day, known)), total: matching.length, projectsByLevel: projectsByLevel(day.warnings) };
}

/** One warning by its key, with the ids of its flags (null when the key names no warning of the day). */
export async function findWarning(store: Store, db: Db, key: string): Promise<{ asOf: string | null; warning: WarningView; flagIds: number[] } | null> {
  const parsed = parseWarningKey(key);
  if (!parsed) return null;
  const day = await warningsOfDay(store, { projectId: parsed.projectId });
  const w = day.warnings.find((x) => x.key === key);
  if (!w) return null;
  const known = enforcementOfProjects(db, [w.projectId]);
  return { asOf: day.asOf, warning: viewOf(w, day, known), flagIds: [...w.flagIds] };
}
