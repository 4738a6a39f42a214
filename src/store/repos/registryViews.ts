/**
 * 关联台账 — the linked registries as the API reads them (src/api/routes/registries.ts): current rows of a
 * registry with their project's code, certified workers per trade, a worker's wage cases, and the legal-aid
 * referral an inspector records. The importer writes the rest. Engine-neutral SQL (src/store/sql.ts).
 */
import { marks, type Row, type Sql } from '../sql.ts';

const TABLE = { training: 'training_records', insurance: 'insurance_records', housing: 'housing_records', care: 'care_records' } as const;
const ORDER = {
  training: 't.start_date, t.id',
  insurance: 't.kind, t.from_date, t.id',
  // PostgreSQL sorts NULLs last by default, SQLite first: the flag orders both the same
  housing: 'CASE WHEN t.honours IS NULL THEN 1 ELSE 0 END, t.applied_on, t.id',
  care: 't.opened_on, t.id',
} as const;

export type Registry = keyof typeof TABLE;

export interface RegistryFilter {
  readonly idNumber?: string;
  readonly projectId?: number;
  readonly kind?: string;
  readonly status?: string;
}

export interface TradeCount {
  trade: string;
  workers: number;
  certified: number;
}

/** The care_records columns an inspector's referral fills, in the importer's order (registries/care/import.ts). */
export interface NewCareRecord {
  readonly columns: readonly string[];
  readonly values: readonly unknown[];
  readonly naturalKey: string;
  readonly createdBy: string;
}

export class RegistryViewsRepo {
  constructor(private readonly sql: Sql) {}

  /** Current rows of one registry, filtered, each with its project's code; `page` for one page of them. */
  async rows(registry: Registry, filter: RegistryFilter, page?: { limit: number; offset: number }): Promise<{ rows: Row[]; total: number }> {
    const where = ['t.superseded_by IS NULL'];
    const params: unknown[] = [];
    if (filter.idNumber !== undefined) (where.push('t.id_number = ?'), params.push(filter.idNumber));
    if (filter.projectId !== undefined) (where.push('t.project_id = ?'), params.push(filter.projectId));
    if (filter.kind !== undefined) (where.push('t.kind = ?'), params.push(filter.kind));
    if (filter.status !== undefined) (where.push('t.status = ?'), params.push(filter.status));
    const from = `FROM ${TABLE[registry]} t LEFT JOIN projects p ON p.id = t.project_id WHERE ${where.join(' AND ')}`;
    const total = await this.sql.get<{ n: number }>(`SELECT count(*) AS n ${from}`, params);
    const rows = await this.sql.all(
      `SELECT t.*, p.code AS project_code ${from} ORDER BY ${ORDER[registry]}${page ? ' LIMIT ? OFFSET ?' : ''}`,
      page ? [...params, page.limit, page.offset] : params,
    );
    return { rows, total: Number(total?.n ?? 0) };
  }

  /** One row of a registry by id, with its project's code. */
  async row(registry: Registry, id: number): Promise<Row | null> {
    return (await this.sql.get(`SELECT t.*, p.code AS project_code FROM ${TABLE[registry]} t LEFT JOIN projects p ON p.id = t.project_id WHERE t.id = ?`, [id])) ?? null;
  }

  /** Whether any insurance registry is held at all (coverage is judged only then). */
  async insuranceHeld(): Promise<boolean> {
    return (await this.sql.get('SELECT 1 AS held FROM insurance_records WHERE superseded_by IS NULL LIMIT 1')) !== undefined;
  }

  /**
   * Per trade, the workers on the project's roster on `on` (entry ≤ D, no exit or exit ≥ D) and those of
   * them holding a certificate from a passed training (any project) by D.
   */
  async certifiedByTrade(projectId: number, on: string): Promise<TradeCount[]> {
    const rows = await this.sql.all<TradeCount>(
      `WITH active AS (
         SELECT DISTINCT id_number, coalesce(trade, '（未填工种）') AS trade FROM roster_entries
          WHERE project_id = ? AND superseded_by IS NULL AND entry_date <= ? AND (exit_date IS NULL OR exit_date >= ?)),
       certified AS (
         SELECT DISTINCT id_number FROM training_records
          WHERE superseded_by IS NULL AND certificate_kind IS NOT NULL AND (result IS NULL OR result = 'passed')
            AND coalesce(end_date, start_date) <= ?)
       SELECT a.trade, count(*) AS workers, count(c.id_number) AS certified
         FROM active a LEFT JOIN certified c ON c.id_number = a.id_number
        GROUP BY a.trade ORDER BY a.trade`,
      [projectId, on, on, on],
    );
    return rows.map((r) => ({ trade: r.trade, workers: Number(r.workers), certified: Number(r.certified) }));
  }

  /** Whether a current care record has this natural key. */
  async careExists(naturalKey: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 AS found FROM care_records WHERE natural_key = ? AND superseded_by IS NULL', [naturalKey])) !== undefined;
  }

  /** Stores a care record made over the API (batch 0, line 0); its id. */
  async insertCare(r: NewCareRecord): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO care_records (${r.columns.join(', ')}, natural_key, batch_id, line, created_by)
       VALUES (${marks(r.columns.length)}, ?, 0, 0, ?) RETURNING id`,
      [...r.values, r.naturalKey, r.createdBy],
    );
    return Number(row!.id);
  }

  /** The worker's wage cases (wage_cases through wage_case_items), in filing order, with the project's code. */
  async casesOfWorker(idNumber: string): Promise<Row[]> {
    return this.sql.all(
      `SELECT c.id, c.title, c.stage, c.stage_since, c.filed_on, c.employer_uscc, c.claimed_fen, c.paid_fen, p.code AS project_code
         FROM wage_cases c LEFT JOIN projects p ON p.id = c.project_id
        WHERE c.id IN (SELECT case_id FROM wage_case_items WHERE id_number = ?) ORDER BY c.filed_on, c.id`,
      [idNumber],
    );
  }

  /** The worker's months in a case. */
  async caseMonths(caseId: number, idNumber: string): Promise<Row[]> {
    return this.sql.all(
      'SELECT i.month, i.claimed_fen, p.code AS project_code FROM wage_case_items i LEFT JOIN projects p ON p.id = i.project_id WHERE i.case_id = ? AND i.id_number = ? ORDER BY i.month',
      [caseId, idNumber],
    );
  }

  /** The worker's legal-aid referrals naming a case (案件编号). */
  async legalAidOfCase(idNumber: string, caseRef: string): Promise<Row[]> {
    return this.sql.all(
      "SELECT t.*, p.code AS project_code FROM care_records t LEFT JOIN projects p ON p.id = t.project_id WHERE t.kind = 'legal_aid' AND t.superseded_by IS NULL AND t.id_number = ? AND t.case_ref = ? ORDER BY t.id",
      [idNumber, caseRef],
    );
  }
}
