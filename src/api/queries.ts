/** Small read helpers shared by the route plugins: as-of resolution, project lookup, formatting. */
import type { Db } from '../db/open.ts';
import { shanghaiDateOf } from '../domain/date.ts';
import { formatYuan, type Fen } from '../domain/money.ts';
import { notFound } from './errors.ts';

export const yuanOf = (fen: number | null | undefined): string | null =>
  fen === null || fen === undefined ? null : formatYuan(fen as Fen);

export const todayOf = (now: () => string): string => shanghaiDateOf(new Date(now()));

/**
 * The stored computation to read: the latest recompute run on or before `requested`
 * (default: the latest run). Null when nothing has been computed yet.
 */
export function storedAsOf(db: Db, requested?: string): string | null {
  const row = (
    requested
      ? db.$client.prepare('SELECT max(as_of) AS asOf FROM recompute_runs WHERE as_of <= ?').get(requested)
      : db.$client.prepare('SELECT max(as_of) AS asOf FROM recompute_runs').get()
  ) as { asOf: string | null } | undefined;
  return row?.asOf ?? null;
}

/** The latest evaluated day, or null. */
export function latestAsOf(db: Db): string | null {
  return storedAsOf(db);
}

export interface ProjectRow {
  id: number;
  code: string;
  name: string;
  county: string;
  owner_uscc: string;
  contractor_uscc: string;
  contract_amount_fen: number;
  contract_signed_on: string;
  start_date: string;
  planned_end_date: string | null;
  completion_date: string | null;
  government_funded: number;
  wage_account_no: string | null;
  wage_account_bank: string | null;
  wage_account_opened_on: string | null;
  wage_account_closed_on: string | null;
  wage_account_notice_on: string | null;
  pay_day: number;
  monthly_labor_cost_fen: number | null;
  batch_id: number;
  line: number;
}

/** A project by numeric id or by its code (项目编号); 404 when neither matches. */
export function findProject(db: Db, ref: string): ProjectRow {
  const row = (
    /^\d+$/.test(ref)
      ? db.$client.prepare('SELECT * FROM projects WHERE id = ?').get(Number(ref))
      : db.$client.prepare('SELECT * FROM projects WHERE code = ?').get(ref)
  ) as ProjectRow | undefined;
  if (!row) throw notFound(`项目“${ref}”`);
  return row;
}

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
