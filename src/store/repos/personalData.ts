/**
 * 个人信息 — what the export and the erasure of one worker's personal data read and delete
 * (src/services/personalData.ts, docs/PRIVACY.md). The tables that name a worker are found in the schema
 * (every base table with an `id_number` column), so a registry added later is covered without a change
 * here; the catalogue is the one place the engines differ (sqlite_master and PRAGMA table_info on SQLite,
 * information_schema on PostgreSQL). Everything else is engine-neutral SQL.
 */
import type { Row, Sql } from '../sql.ts';
import { compactMembers, partRefsOf, resolveMembers, saveParts } from './outcomeParts.ts';

export interface PersonalTable {
  readonly name: string;
  /** the table has a project_id (its rows belong to a project) */
  readonly perProject: boolean;
  /** the table has a batch_id (its rows came from an imported file) */
  readonly fromFile: boolean;
  /** the table has an id column (its rows are listed in that order) */
  readonly hasId: boolean;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

export class PersonalDataRepo {
  constructor(private readonly sql: Sql) {}

  /** The base tables with an id_number column, by name. */
  async tables(): Promise<PersonalTable[]> {
    const columns = new Map<string, Set<string>>();
    if (this.sql.dialect.engine === 'postgres') {
      for (const r of await this.sql.all<{ t: string; c: string }>(
        `SELECT c.table_name AS t, c.column_name AS c FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
      )) {
        const set = columns.get(r.t) ?? new Set<string>();
        set.add(r.c);
        columns.set(r.t, set);
      }
    } else {
      for (const { name } of await this.sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
        columns.set(name, new Set((await this.sql.all<{ name: string }>(`PRAGMA table_info(${quoted(name)})`)).map((c) => c.name)));
      }
    }
    return [...columns]
      .filter(([, cols]) => cols.has('id_number'))
      .map(([name, cols]) => ({ name, perProject: cols.has('project_id'), fromFile: cols.has('batch_id'), hasId: cols.has('id') }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A table's rows of the worker, as stored, with the project code and the source file when it has them. */
  async rowsOf(t: PersonalTable, idNumber: string): Promise<Row[]> {
    const project = t.perProject ? ', (SELECT code FROM projects p WHERE p.id = x.project_id) AS project_code' : '';
    const source = t.fromFile ? ', (SELECT file_name FROM import_batches b WHERE b.id = x.batch_id) AS source_file' : '';
    return this.sql.all(`SELECT x.*${project}${source} FROM ${quoted(t.name)} x WHERE x.id_number = ?${t.hasId ? ' ORDER BY x.id' : ''}`, [idNumber]);
  }

  /** The flag reviews of the worker's flags (a fingerprint holds the identity number between '|' separators). */
  async reviewsOf(idNumber: string): Promise<Row[]> {
    return this.sql.all(`SELECT * FROM flag_reviews WHERE ${this.sql.dialect.containsExact(`'|' || fingerprint || '|'`)} ORDER BY fingerprint`, [`|${idNumber}|`]);
  }

  /** The worker's rows of a table per project (project null: rows without one). */
  async countsByProject(table: string, idNumber: string): Promise<{ projectId: number | null; n: number }[]> {
    return (await this.sql.rows<[number | null, number]>(`SELECT project_id, count(*) FROM ${quoted(table)} WHERE id_number = ? GROUP BY project_id`, [idNumber])).map(
      ([projectId, n]) => ({ projectId, n }),
    );
  }

  async count(table: string, idNumber: string): Promise<number> {
    return (await this.sql.rows<[number]>(`SELECT count(*) FROM ${quoted(table)} WHERE id_number = ?`, [idNumber]))[0]?.[0] ?? 0;
  }

  async project(projectId: number): Promise<{ code: string; completionDate: string | null } | undefined> {
    const r = await this.sql.get<{ code: string; completion_date: string | null }>('SELECT code, completion_date FROM projects WHERE id = ?', [projectId]);
    return r && { code: r.code, completionDate: r.completion_date };
  }

  /** What the project's current wage-table lines still owe at `today`, in fen (each line: net less paid, never below 0). */
  async owed(projectId: number, today: string): Promise<number> {
    const lines = await this.sql.rows<[number, number]>(
      `SELECT r.net_fen, coalesce((SELECT sum(x.amount_fen) FROM payments x
          WHERE x.project_id = r.project_id AND x.month = r.month AND x.id_number = r.id_number
            AND x.superseded_by IS NULL AND x.paid_on <= ?), 0)
         FROM payroll_rows r WHERE r.project_id = ? AND r.superseded_by IS NULL`,
      [today, projectId],
    );
    return lines.reduce((sum, [net, paid]) => sum + Math.max(0, net - paid), 0);
  }

  /** The project's last current wage payment on or before `today`. */
  async lastPayment(projectId: number, today: string): Promise<string | null> {
    return (await this.sql.get<{ last: string | null }>('SELECT max(paid_on) AS last FROM payments WHERE project_id = ? AND superseded_by IS NULL AND paid_on <= ?', [projectId, today]))?.last ?? null;
  }

  /** Deletes the worker's rows of `table` on a project; how many. */
  async eraseOnProject(table: string, idNumber: string, projectId: number): Promise<number> {
    return this.sql.run(`DELETE FROM ${quoted(table)} WHERE id_number = ? AND project_id = ?`, [idNumber, projectId]);
  }

  /**
   * What a project keeps derived from its rows that holds the worker's: its fact snapshot and its stored
   * ledger months (each worker-month line names the worker). Both are rebuilt from the rows by the next
   * night; until then the project's ledger readers evaluate the facts (no stored ledger, the result digest
   * cleared so the night writes it whole).
   */
  async dropDerived(projectId: number): Promise<void> {
    await this.sql.run('DELETE FROM fact_snapshots WHERE project_id = ?', [projectId]);
    await this.sql.run('DELETE FROM ledger_months WHERE project_id = ?', [projectId]);
    await this.sql.run("UPDATE project_states SET ledger_hash = NULL, result_hash = '' WHERE project_id = ?", [projectId]);
  }

  /**
   * Rewrites a project's stored report parts — its current state's and every outcome version's — with
   * `rewrite` (null: leave the part as it is). Their large members are resolved from outcome_parts and
   * compacted again; a part that held the old members and that no stored row references any more is
   * deleted (an erasure's old members name the worker). Returns how many parts were rewritten.
   */
  async rewriteReportParts(projectId: number, rewrite: (part: unknown) => unknown): Promise<number> {
    const rows = [
      ...(await this.sql.rows<[string | null, string]>('SELECT NULL, report_part FROM project_states WHERE project_id = ?', [projectId])),
      ...(await this.sql.rows<[string, string]>('SELECT valid_from, report_part FROM project_outcomes WHERE project_id = ?', [projectId])),
    ];
    const before = new Set<string>();
    let rewritten = 0;
    for (const [validFrom, text] of rows) {
      const stored = JSON.parse(text) as unknown;
      for (const h of partRefsOf(stored)) before.add(h);
      const part = JSON.parse(text) as unknown;
      await resolveMembers(this.sql, [part]);
      const next = rewrite(part);
      if (next === null) continue;
      const parts = new Map<string, string>();
      const compacted = JSON.stringify(compactMembers(next, parts));
      await saveParts(this.sql, parts);
      if (validFrom === null) await this.sql.run('UPDATE project_states SET report_part = ? WHERE project_id = ?', [compacted, projectId]);
      else await this.sql.run('UPDATE project_outcomes SET report_part = ? WHERE project_id = ? AND valid_from = ?', [compacted, projectId, validFrom]);
      rewritten++;
    }
    // a part is shared by digest (two rows holding the same member): delete only one nothing references now
    for (const h of before) {
      // a digest is base64url: its '_' escaped, not a LIKE wildcard; JSON as text on both engines (jsonb on PostgreSQL)
      const like = `%${h.replaceAll('\\', '\\\\').replaceAll('_', '\\_').replaceAll('%', '\\%')}%`;
      const used = await this.sql.get(
        `SELECT 1 AS x FROM project_outcomes WHERE CAST(report_part AS TEXT) LIKE ? ESCAPE '\\' OR CAST(assessment AS TEXT) LIKE ? ESCAPE '\\'
         UNION ALL SELECT 1 AS x FROM project_states WHERE CAST(report_part AS TEXT) LIKE ? ESCAPE '\\' LIMIT 1`,
        [like, like, like],
      );
      if (!used) await this.sql.run('DELETE FROM outcome_parts WHERE hash = ?', [h]);
    }
    return rewritten;
  }

  /** The reviews of the worker's flags on a project (fingerprint: code|project code|identity number|month|detail); how many. */
  async eraseReviews(projectCode: string, idNumber: string): Promise<number> {
    return this.sql.run(`DELETE FROM flag_reviews WHERE ${this.sql.dialect.containsExact('fingerprint')}`, [`|${projectCode}|${idNumber}|`]);
  }

  async named(table: string, idNumber: string): Promise<boolean> {
    return (await this.sql.get(`SELECT 1 AS x FROM ${quoted(table)} WHERE id_number = ? LIMIT 1`, [idNumber])) !== undefined;
  }

  /** Removes the worker's name row; true when there was one. */
  async removeWorker(idNumber: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM workers WHERE id_number = ?', [idNumber])) > 0;
  }
}
