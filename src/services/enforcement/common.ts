/**
 * Shared pieces of the enforcement services: the error they throw (the API turns it into its error shape,
 * the CLI into a message), the parameters and working-day calendar in force, the ledger and deposit of some
 * projects as of a day, the orders and cases naming a worker-month, and the audit record every write leaves.
 *
 * The ledger an order, a case or an evidence pack is judged by is the night's: the one stored with the
 * project's current evaluation (src/services/ledger.ts storedLedgerOf), whenever that evaluation still answers
 * for the day — evaluated on or before it, not past its next date of change, from the project's current facts
 * and the parameters in force. Otherwise (a day before the evaluation, an import since, new parameters, a
 * project not yet evaluated) the rules core evaluates the project for the day, with the parameters in force
 * (src/services/params.ts), as the night would. Never the shipped defaults alone.
 */
import { appendAudit } from '../../api/audit.ts';
import type { IsoDate } from '../../domain/date.ts';
import { sumFen, type Fen } from '../../domain/money.ts';
import { calendarOf, type WorkingDayCalendar } from '../../rules/calendar.ts';
import { depositHoldings } from '../../rules/deposit.ts';
import type { ProjectFacts } from '../../rules/facts.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import { workerMonthLedger, type WorkerMonth } from '../../rules/wages.ts';
import type { CaseOfWorkerMonth } from '../../store/repos/cases.ts';
import type { OrderOfWorkerMonth } from '../../store/repos/orders.ts';
import type { Store } from '../../store/store.ts';
import { storedEvaluationHolds, storedLedgerOf } from '../ledger.ts';
import { paramsOfStore } from '../params.ts';
import { paramsVersionOf } from '../recompute.ts';

/** A refusal with an HTTP-like status and a Chinese message (409 for a forbidden move, 422 for unmet conditions …). */
export class EnforcementError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'EnforcementError';
  }
}

export const notFoundError = (what: string) => new EnforcementError(404, 'NOT_FOUND', `${what}不存在`);

/** Who acts: a token's name (API) or the OS user (CLI). */
export interface Actor {
  readonly name: string;
  readonly tokenId?: number;
}

/**
 * What one service call judges with: the store and the parameters in force (read once per call, so every
 * order of a list is judged with the same set).
 */
export interface Judge {
  readonly store: Store;
  readonly params: RulesParams;
}

/** The store with the parameters in force (the shipped files with the bureau's imports, as the night uses). */
export async function judgeOf(store: Store): Promise<Judge> {
  return { store, params: await paramsOfStore(store) };
}

/** The working-day calendar of the parameters in force. */
export function workingCalendar(j: Judge): WorkingDayCalendar {
  return calendarOf(j.params.holidays);
}

export interface ProjectsAt {
  readonly projects: readonly ProjectFacts[];
  readonly ledger: readonly WorkerMonth[];
  /** deposit held at D over these projects */
  readonly depositHeld: Fen;
}

const ledgerUnavailable = (code: string, why: string) => new EnforcementError(422, 'LEDGER_UNAVAILABLE', `项目${code}的工资台账无法计算：${why}`);

/** The worker-month ledger (the night's where it answers for D, see above) and deposit holdings of some projects as of D. */
export async function projectsAt(j: Judge, projectIds: readonly number[], asOf: IsoDate): Promise<ProjectsAt> {
  const ids = [...new Set(projectIds)].sort((a, b) => a - b);
  if (ids.length === 0) return { projects: [], ledger: [], depositHeld: 0 as Fen };
  const { projects, versions } = await j.store.facts.projects(ids);
  const states = await j.store.storedDays.statesOf(ids);
  const paramsVersion = paramsVersionOf(j.params);
  const ledger: WorkerMonth[] = [];
  for (const p of projects) {
    const st = states.get(p.id);
    const answers = st !== undefined && st.hasLedger && storedEvaluationHolds(st, { factsVersion: versions.get(p.id) ?? 0, paramsVersion }, asOf);
    const stored = answers ? await storedLedgerOf(j.store, p.id, asOf) : null;
    if (stored) {
      if (stored.problem !== null) throw ledgerUnavailable(p.code, stored.problem);
      ledger.push(...stored.ledger);
      continue;
    }
    try {
      ledger.push(...workerMonthLedger(p, asOf, j.params));
    } catch (e) {
      throw ledgerUnavailable(p.code, e instanceof Error ? e.message : String(e));
    }
  }
  const depositHeld = sumFen(projects.map((p) => depositHoldings(p.depositEvents, asOf).total));
  return { projects, ledger, depositHeld };
}

export const keyOf = (projectId: number, idNumber: string, month: string) => `${projectId}|${month}|${idNumber}`;

/** A worker-month's key: project id, identity number, month. */
export const workerMonthKey = (projectId: number, idNumber: string, month: string): string => `${projectId}|${idNumber}|${month}`;

export interface WorkerMonthEnforcement {
  /** orders in force (not withdrawn) naming the worker-month, oldest first */
  readonly orders: { readonly id: number; readonly issuedOn: string; readonly deadline: string }[];
  /** cases not closed naming the worker-month, oldest first */
  readonly cases: { readonly id: number; readonly stage: string; readonly filedOn: string }[];
}

/**
 * 责令与案件 — for every worker-month of the given projects, the orders in force and the open cases that
 * name it (a flag shows the order or case it is in; a second one is refused). Keyed by workerMonthKey.
 */
export async function enforcementOfProjects(store: Store, projectIds: readonly number[]): Promise<Map<string, WorkerMonthEnforcement>> {
  const ids = [...new Set(projectIds)];
  return groupEnforcement(await store.orders.inForceOn(ids), await store.cases.openOn(ids));
}

/** The orders and cases naming worker-months (oldest first), grouped by workerMonthKey. */
export function groupEnforcement(orders: readonly OrderOfWorkerMonth[], cases: readonly CaseOfWorkerMonth[]): Map<string, WorkerMonthEnforcement> {
  const out = new Map<string, { orders: WorkerMonthEnforcement['orders']; cases: WorkerMonthEnforcement['cases'] }>();
  const at = (k: string) => {
    let e = out.get(k);
    if (!e) out.set(k, (e = { orders: [], cases: [] }));
    return e;
  };
  for (const r of orders) {
    const e = at(workerMonthKey(r.project_id, r.id_number, r.month));
    if (!e.orders.some((o) => o.id === r.id)) e.orders.push({ id: r.id, issuedOn: r.issued_on, deadline: r.deadline });
  }
  for (const r of cases) {
    const e = at(workerMonthKey(r.project_id, r.id_number, r.month));
    if (!e.cases.some((c) => c.id === r.id)) e.cases.push({ id: r.id, stage: r.stage, filedOn: r.filed_on });
  }
  return out;
}

/** Every view of `ids`, in order, judged with one parameter set (a list's items). */
export async function viewsOf<T>(store: Store, ids: readonly number[], view: (id: number, judge: Judge) => Promise<T>): Promise<T[]> {
  const j = await judgeOf(store);
  const out: T[] = [];
  for (const id of ids) out.push(await view(id, j));
  return out;
}

/** The unit's name as imported (employers), or null when its credit code is not in the registry. */
export async function employerNameOf(store: Store, uscc: string): Promise<string | null> {
  return (await store.portal.unitNames([uscc])).get(uscc) ?? null;
}

/** Appends the write's audit entry (through `store`: inside the write's own transaction). */
export async function audit(store: Store, actor: Actor, at: string, action: string, entity: string, entityId: string | number, reason: string, detail: Record<string, unknown> = {}): Promise<void> {
  await appendAudit(store, { at, actor: actor.name, action, entity, entityId, reason, detail: { ...detail, ...(actor.tokenId !== undefined ? { tokenId: actor.tokenId } : {}) } });
}

export function requireReason(reason: string | undefined): string {
  const r = (reason ?? '').trim();
  if (r === '') throw new EnforcementError(400, 'REASON_REQUIRED', '必须填写理由');
  return r;
}

export function requireDate(value: string | undefined, what: string): IsoDate {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new EnforcementError(400, 'BAD_DATE', `${what}必须是 YYYY-MM-DD 日期`);
  return value as IsoDate;
}
