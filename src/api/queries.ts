/** Small read helpers shared by the route plugins: as-of resolution, project lookup, formatting. */
import { shanghaiDateOf } from '../domain/date.ts';
import { formatYuan, type Fen } from '../domain/money.ts';
import type { ProjectRecord, RosterRecord } from '../store/repos/projectViews.ts';
import type { Store } from '../store/store.ts';
import { notFound } from './errors.ts';

export const yuanOf = (fen: number | null | undefined): string | null =>
  fen === null || fen === undefined ? null : formatYuan(fen as Fen);

export const todayOf = (now: () => string): string => shanghaiDateOf(new Date(now()));

/**
 * The stored computation to read: the latest evaluated day on or before `requested` (default: the latest).
 * Null when nothing has been computed yet.
 */
export function storedAsOf(store: Store, requested?: string): Promise<string | null> {
  return store.evaluations.latestDay(requested);
}

/** The latest evaluated day, or null. */
export function latestAsOf(store: Store): Promise<string | null> {
  return store.evaluations.latestDay();
}

export type ProjectRow = ProjectRecord;

/** A project by numeric id or by its code (项目编号); 404 when neither matches. */
export async function findProject(store: Store, ref: string): Promise<ProjectRow> {
  const row = await store.projectViews.byRef(ref);
  if (!row) throw notFound(`项目“${ref}”`);
  return row;
}

/** A roster entry's employer and stay, as every roster in the API shows them (in this order). */
export const stayOf = (r: RosterRecord) => ({
  employer: { uscc: r.employer_uscc, name: r.employer_name ?? null },
  team: r.team,
  trade: r.trade,
  entryDate: r.entry_date,
  exitDate: r.exit_date,
});

/** A roster entry's contract, wage terms and bank card, as every roster in the API shows them (in this order). */
export const termsOf = (r: RosterRecord) => ({
  contractSigned: r.contract_signed,
  wageBasis: r.wage_basis,
  wageRate: yuanOf(r.wage_rate_fen),
  bankCard: r.bank_card,
});

export const projectStatus = (p: { completion_date: string | null }, on: string): 'active' | 'completed' =>
  p.completion_date !== null && p.completion_date <= on ? 'completed' : 'active';

export function parseJson(text: string | null | undefined, fallback: unknown = null): unknown {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}
