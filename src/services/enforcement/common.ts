/**
 * Shared pieces of the enforcement services: the error they throw (the API turns it into its error shape,
 * the CLI into a message), the working-day calendar, the ledger and deposit of some projects as of a day,
 * and the audit record every write leaves.
 */
import { recordAudit } from '../../api/audit.ts';
import type { IsoDate } from '../../domain/date.ts';
import { sumFen, type Fen } from '../../domain/money.ts';
import { loadCityFacts } from '../../db/facts.ts';
import type { Db } from '../../db/open.ts';
import { calendarOf, type WorkingDayCalendar } from '../../rules/calendar.ts';
import { depositHoldings } from '../../rules/deposit.ts';
import type { ProjectFacts } from '../../rules/facts.ts';
import { DEFAULT_PARAMS } from '../../rules/params/index.ts';
import { paramsOf } from '../../db/params.ts';
import { workerMonthLedger, type WorkerMonth } from '../../rules/wages.ts';

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

/** The working-day calendar: the shipped holiday schedules with the bureau's imports (services/params.ts) when `db` is given. */
export function workingCalendar(db?: Db): WorkingDayCalendar {
  return calendarOf((db ? paramsOf(db) : DEFAULT_PARAMS).holidays);
}

export interface ProjectsAt {
  readonly projects: readonly ProjectFacts[];
  readonly ledger: readonly WorkerMonth[];
  /** deposit held at D over these projects */
  readonly depositHeld: Fen;
}

/** The worker-month ledger and deposit holdings of some projects as of D (the rules core, run live). */
export function projectsAt(db: Db, projectIds: readonly number[], asOf: IsoDate): ProjectsAt {
  const ids = [...new Set(projectIds)];
  if (ids.length === 0) return { projects: [], ledger: [], depositHeld: 0 as Fen };
  const city = loadCityFacts(db, ids);
  const ledger: WorkerMonth[] = [];
  // the parameters in force (the bureau's imports over the shipped files), as the night uses
  const params = paramsOf(db);
  for (const p of city.projects) {
    try {
      ledger.push(...workerMonthLedger(p, asOf, params));
    } catch (e) {
      throw new EnforcementError(422, 'LEDGER_UNAVAILABLE', `项目${p.code}的工资台账无法计算：${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const depositHeld = sumFen(city.projects.map((p) => depositHoldings(p.depositEvents, asOf).total));
  return { projects: city.projects, ledger, depositHeld };
}

export const keyOf = (projectId: number, idNumber: string, month: string) => `${projectId}|${month}|${idNumber}`;

export function audit(db: Db, actor: Actor, at: string, action: string, entity: string, entityId: string | number, reason: string, detail: Record<string, unknown> = {}): void {
  recordAudit(db, { at, actor: actor.name, action, entity, entityId, reason, detail: { ...detail, ...(actor.tokenId !== undefined ? { tokenId: actor.tokenId } : {}) } });
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
