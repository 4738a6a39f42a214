/**
 * 项目视图 — what the API's and the pages' project views read of a project's own rows: the project by id
 * or code, its parties, its roster as of a day, its dedicated account (totals and month by month), its
 * deposit events, the counties. The evaluation's figures come from the read models (projects.ts, queue.ts)
 * or the day views (flags.ts). Engine-neutral SQL (src/store/sql.ts).
 */
import { resolveMembers } from './outcomeParts.ts';
import { Type } from 'typebox';
import { bool, json, type Sql } from '../sql.ts';

/** A project's row as stored (`projects`), booleans as booleans. */
export interface ProjectRecord {
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
  government_funded: boolean;
  wage_account_no: string | null;
  wage_account_bank: string | null;
  wage_account_opened_on: string | null;
  wage_account_closed_on: string | null;
  wage_account_notice_on: string | null;
  pay_day: number;
  monthly_labor_cost_fen: number | null;
  batch_id: number;
  line: number;
  /** the notice contacts and any other column, as stored */
  [column: string]: unknown;
}

/** A current roster entry with its employer's name, booleans as booleans. */
export interface RosterRecord {
  id: number;
  project_id: number;
  id_number: string;
  name: string;
  employer_uscc: string;
  employer_name: string | null;
  team: string | null;
  trade: string | null;
  entry_date: string;
  exit_date: string | null;
  contract_signed: boolean;
  wage_basis: string;
  wage_rate_fen: number | null;
  bank_card: string | null;
  bank_name: string | null;
  phone: string | null;
  batch_id: number;
  line: number;
}

export interface AccountTotals {
  inflow: number;
  outflow: number;
  labor_cost_in: number;
  wages_out: number;
  other_out: number;
  n: number;
  last_tx: string | null;
}

export interface AccountMonthRow {
  month: string;
  inflow: number;
  outflow: number;
  wages_out: number;
  n: number;
}

/** A project of a past evaluated day's list: its row, that day's assessment (null columns when none), its open flags. */
export interface DayProjectRow extends ProjectRecord {
  a_as_of: string | null;
  arrears_fen: number | null;
  workers_in_arrears: number | null;
  oldest_overdue_days: number | null;
  estimated_exposure_fen: number | null;
  risk_score: number | null;
  /** the risk score's terms and the deposit requirement as stored (null without an assessment) */
  risk_terms: unknown;
  deposit: unknown;
  open_flags: number;
}

export interface DayProjectFilter {
  /** the day a project's status (completed or not) is judged on */
  readonly on: string;
  readonly county?: string;
  readonly status?: 'active' | 'completed';
  readonly minRisk?: number;
  /** code or name contains */
  readonly q?: string;
  readonly sort: 'code' | 'risk';
}

const DAY_SELECT = `
  SELECT p.*, a.as_of AS a_as_of, a.arrears_fen, a.workers_in_arrears, a.oldest_overdue_days, a.estimated_exposure_fen,
         a.risk_score, a.risk_terms, a.deposit,
         (SELECT count(*) FROM findings f WHERE f.as_of = ? AND f.project_id = p.id
            AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = f.fingerprint)) AS open_flags
    FROM projects p
    LEFT JOIN project_assessments a ON a.project_id = p.id AND a.as_of = ?`;

const Terms = Type.Array(Type.Unknown());
const Deposit = Type.Unknown();

function dayRowOf(r: Record<string, unknown>): DayProjectRow {
  const assessed = r.a_as_of !== null && r.a_as_of !== undefined;
  return {
    ...projectOf(r),
    a_as_of: (r.a_as_of as string | null) ?? null,
    arrears_fen: r.arrears_fen as number | null,
    workers_in_arrears: r.workers_in_arrears as number | null,
    oldest_overdue_days: r.oldest_overdue_days === null ? null : Number(r.oldest_overdue_days),
    estimated_exposure_fen: r.estimated_exposure_fen as number | null,
    risk_score: r.risk_score as number | null,
    risk_terms: assessed ? json('project_assessments.risk_terms', Terms, r.risk_terms) : null,
    deposit: assessed ? json('project_assessments.deposit', Deposit, r.deposit) : null,
    open_flags: Number(r.open_flags),
  };
}

const projectOf = (r: Record<string, unknown>): ProjectRecord => ({ ...(r as ProjectRecord), government_funded: bool(r.government_funded) });
export const rosterOf = <T extends Record<string, unknown>>(r: T): T & { contract_signed: boolean } => ({ ...r, contract_signed: bool(r.contract_signed) });

const SUMS = `coalesce(sum(CASE WHEN direction = 'in' THEN amount_fen END), 0) AS inflow,
              coalesce(sum(CASE WHEN direction = 'out' THEN amount_fen END), 0) AS outflow`;

export class ProjectViewsRepo {
  constructor(private readonly sql: Sql) {}

  /** A project by numeric id or by its code (项目编号), or null. */
  async byRef(ref: string): Promise<ProjectRecord | null> {
    const r = /^\d+$/.test(ref)
      ? await this.sql.get('SELECT * FROM projects WHERE id = ?', [Number(ref)])
      : await this.sql.get('SELECT * FROM projects WHERE code = ?', [ref]);
    return r ? projectOf(r) : null;
  }

  private dayWhere(f: DayProjectFilter): { sql: string; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.county) (where.push('p.county = ?'), params.push(f.county));
    if (f.status === 'active') (where.push('(p.completion_date IS NULL OR p.completion_date > ?)'), params.push(f.on));
    if (f.status === 'completed') (where.push('(p.completion_date IS NOT NULL AND p.completion_date <= ?)'), params.push(f.on));
    if (f.minRisk !== undefined) (where.push('a.risk_score >= ?'), params.push(f.minRisk));
    if (f.q) {
      where.push(`(${this.sql.dialect.containsExact('p.code')} OR ${this.sql.dialect.containsExact('p.name')})`);
      params.push(f.q, f.q);
    }
    return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
  }

  /** A page of the project list of a past evaluated day `stored` (the latest day reads projects.ts). */
  async dayPage(stored: string | null, f: DayProjectFilter, limit: number, offset: number): Promise<DayProjectRow[]> {
    const w = this.dayWhere(f);
    const order = f.sort === 'risk' ? 'ORDER BY a.risk_score IS NULL, a.risk_score DESC, p.code' : 'ORDER BY p.code';
    const rows = await this.sql.all<Record<string, unknown>>(`${DAY_SELECT} ${w.sql} ${order} LIMIT ? OFFSET ?`, [stored, stored, ...w.params, limit, offset]);
    return this.resolved(rows.map(dayRowOf));
  }

  /** The rows with their deposits' requirements read from outcome_parts (outcomeParts.ts). */
  private async resolved(rows: DayProjectRow[]): Promise<DayProjectRow[]> {
    await resolveMembers(this.sql, rows.map((r) => r.deposit));
    return rows;
  }

  async dayCount(stored: string | null, f: DayProjectFilter): Promise<number> {
    const w = this.dayWhere(f);
    const r = await this.sql.get<{ n: number }>(`SELECT count(*) AS n FROM (${DAY_SELECT} ${w.sql}) q`, [stored, stored, ...w.params]);
    return Number(r?.n ?? 0);
  }

  /** One project's row of that list. */
  async dayRow(stored: string | null, projectId: number): Promise<DayProjectRow | null> {
    const r = await this.sql.get<Record<string, unknown>>(`${DAY_SELECT} WHERE p.id = ?`, [stored, stored, projectId]);
    return r ? ((await this.resolved([dayRowOf(r)]))[0] ?? null) : null;
  }

  /** Names of units by credit code (the employers table). */
  async unitNames(usccs: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(usccs)];
    const out = new Map<string, string>();
    for (const u of unique) {
      const r = await this.sql.get<{ name: string }>('SELECT name FROM employers WHERE uscc = ?', [u]);
      if (r) out.set(u, r.name);
    }
    return out;
  }

  /** The project's current roster entries that began by `on`, in entry order. */
  async roster(projectId: number, on: string): Promise<RosterRecord[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT r.*, e.name AS employer_name FROM roster_entries r LEFT JOIN employers e ON e.uscc = r.employer_uscc
        WHERE r.project_id = ? AND r.superseded_by IS NULL AND r.entry_date <= ? ORDER BY r.entry_date, r.id`,
      [projectId, on],
    );
    return rows.map((r) => rosterOf(r) as unknown as RosterRecord);
  }

  /** The dedicated account's current transactions dated ≤ `on`: sums by direction and purpose. */
  async accountTotals(projectId: number, on: string): Promise<AccountTotals> {
    const r = await this.sql.get<AccountTotals>(
      `SELECT ${SUMS},
              coalesce(sum(CASE WHEN direction = 'in' AND purpose = 'labor_cost' THEN amount_fen END), 0) AS labor_cost_in,
              coalesce(sum(CASE WHEN direction = 'out' AND purpose = 'wages' THEN amount_fen END), 0) AS wages_out,
              coalesce(sum(CASE WHEN direction = 'out' AND purpose <> 'wages' THEN amount_fen END), 0) AS other_out,
              count(*) AS n, max(tx_date) AS last_tx
         FROM account_transactions WHERE project_id = ? AND superseded_by IS NULL AND tx_date <= ?`,
      [projectId, on],
    );
    return r!;
  }

  /** The same by month (YYYY-MM), in month order. */
  async accountMonths(projectId: number, on: string): Promise<AccountMonthRow[]> {
    return this.sql.all<AccountMonthRow>(
      `SELECT substr(CAST(tx_date AS TEXT), 1, 7) AS month, ${SUMS},
              coalesce(sum(CASE WHEN direction = 'out' AND purpose = 'wages' THEN amount_fen END), 0) AS wages_out,
              count(*) AS n
         FROM account_transactions
        WHERE project_id = ? AND superseded_by IS NULL AND tx_date <= ?
        GROUP BY substr(CAST(tx_date AS TEXT), 1, 7) ORDER BY 1`,
      [projectId, on],
    );
  }

  /** How many current deposit events are dated ≤ `on`. */
  async depositEventCount(projectId: number, on: string): Promise<number> {
    const r = await this.sql.get<{ n: number }>('SELECT count(*) AS n FROM deposit_events WHERE project_id = ? AND superseded_by IS NULL AND date <= ?', [projectId, on]);
    return Number(r?.n ?? 0);
  }

  /** Every county with a project, in order. */
  async counties(): Promise<string[]> {
    return (await this.sql.rows<[string]>('SELECT DISTINCT county FROM projects ORDER BY county')).map((r) => r[0]);
  }
}
