/**
 * 导入写入 — the fact rows an import batch writes, in batches of rows (src/imports/writer.ts decides what
 * is written; this is how). Rows go in in bulk — prepared statements on SQLite, one COPY on PostgreSQL
 * (Sql.insertSkippingTaken); the checks are one statement per few hundred keys; supersession is one
 * prepared statement per key on SQLite (no round trip to save) and one per few hundred keys on PostgreSQL.
 *
 * Replacement by natural key never deletes: a replaced row gets `superseded_by = the batch`, and the
 * partial unique indexes (`… WHERE superseded_by IS NULL`) hold for current rows only. Rows of the batch
 * itself are never superseded by it, so a key repeated inside one file breaks the unique index: the rows
 * are written skipping taken keys, which names the repeated ones.
 */
import { marks, rowMarks, type Sql } from '../sql.ts';

/** Keys per supersession statement: bounded statements and bound parameters on both engines. */
const KEYS_PER_STATEMENT = 200;

/** A row an import batch superseded: the batch that had written it, and its key. */
export interface SupersededRow {
  readonly batchId: number;
  readonly key: readonly unknown[];
}

export class FactRowsRepo {
  constructor(private readonly sql: Sql) {}

  /**
   * Marks the current rows of earlier batches whose key (`keyColumns`, in order) is one of `keys`
   * superseded by `batchId`; the rows it marked.
   */
  async supersede(table: string, keyColumns: readonly string[], keys: readonly (readonly unknown[])[], batchId: number): Promise<SupersededRow[]> {
    const out: SupersededRow[] = [];
    const one = `(${keyColumns.map((c) => `${c} = ?`).join(' AND ')})`;
    if (this.sql.dialect.engine === 'sqlite') {
      // no round trip to save: one prepared statement per key, each a search of the key's index (an OR of
      // partial keys — a project-month — is planned as a scan of the whole index by SQLite)
      const text = `UPDATE ${table} SET superseded_by = ? WHERE superseded_by IS NULL AND batch_id <> ? AND ${one} RETURNING batch_id, ${keyColumns.join(', ')}`;
      for (const key of keys) {
        for (const [b, ...k] of await this.sql.rows<unknown[]>(text, [batchId, batchId, ...key])) out.push({ batchId: Number(b), key: k });
      }
      return out;
    }
    for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
      const part = keys.slice(i, i + KEYS_PER_STATEMENT);
      const rows = await this.sql.rows<unknown[]>(
        `UPDATE ${table} SET superseded_by = ? WHERE superseded_by IS NULL AND batch_id <> ? AND (${part.map(() => one).join(' OR ')})
         RETURNING batch_id, ${keyColumns.join(', ')}`,
        [batchId, batchId, ...part.flat()],
      );
      for (const [b, ...key] of rows) out.push({ batchId: Number(b), key });
    }
    return out;
  }

  /** Inserts the rows (columns in order). */
  async insert(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
    await this.sql.insertMany(table, columns, rows);
  }

  /**
   * Inserts the rows, skipping each whose unique key is already taken (by an earlier row of this call or
   * of the table); the `line` values of the rows skipped, in order (usually none). `columns` must hold
   * `line`. (How is the adapter's: Sql.insertSkippingTaken.)
   */
  async insertSkippingTaken(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number[]> {
    const lineAt = columns.indexOf('line');
    return (await this.sql.insertSkippingTaken(table, columns, rows)).map((i) => Number(rows[i]![lineAt]));
  }

  /** The line of the current row with this key (the earlier row of a file that repeats a key). */
  async lineOf(table: string, keyColumns: readonly string[], key: readonly unknown[]): Promise<number | undefined> {
    const [r] = await this.sql.rows<[number]>(
      `SELECT line FROM ${table} WHERE ${keyColumns.map((c) => `${c} = ?`).join(' AND ')} AND superseded_by IS NULL`,
      key,
    );
    return r ? Number(r[0]) : undefined;
  }

  /** Upserts names by key (a worker by identity number, a unit by credit code); a later pair wins. */
  async upsertNames(table: 'workers' | 'employers', pairs: readonly (readonly [string, string])[]): Promise<void> {
    const key = table === 'workers' ? 'id_number' : 'uscc';
    // one statement may not upsert a key twice (PostgreSQL): the last name of each key, as one by one would
    const last = [...new Map(pairs.map(([k, n]) => [k, n])).entries()];
    for (let i = 0; i < last.length; i += KEYS_PER_STATEMENT) {
      const part = last.slice(i, i + KEYS_PER_STATEMENT);
      await this.sql.run(
        `INSERT INTO ${table} (${key}, name) VALUES ${rowMarks(part.length, 2)}
         ON CONFLICT (${key}) DO UPDATE SET name = excluded.name WHERE ${table}.name <> excluded.name`,
        part.flat(),
      );
    }
  }

  /** The names of known workers by identity number. */
  async workerNames(idNumbers: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const ids = [...new Set(idNumbers)];
    for (let i = 0; i < ids.length; i += KEYS_PER_STATEMENT) {
      const part = ids.slice(i, i + KEYS_PER_STATEMENT);
      for (const [id, name] of await this.sql.rows<[string, string]>(`SELECT id_number, name FROM workers WHERE id_number IN (${marks(part.length)})`, part)) {
        out.set(id, name);
      }
    }
    return out;
  }

  /**
   * Per project: identity number → name of the worker's latest current roster entry (entries read oldest
   * first, so the latest one's name wins).
   */
  async rosterNames(projectIds: readonly number[]): Promise<Map<number, Map<string, string>>> {
    const out = new Map<number, Map<string, string>>(projectIds.map((id) => [id, new Map()]));
    for (let i = 0; i < projectIds.length; i += KEYS_PER_STATEMENT) {
      const part = projectIds.slice(i, i + KEYS_PER_STATEMENT);
      for (const [pid, id, name] of await this.sql.rows<[number, string, string]>(
        `SELECT project_id, id_number, name FROM roster_entries WHERE superseded_by IS NULL AND project_id IN (${marks(part.length)})
         ORDER BY project_id, entry_date, id`,
        part,
      )) {
        out.get(pid)!.set(id, name);
      }
    }
    return out;
  }

  /** The stored projects with these codes, every column (booleans as the engine returns them). */
  async projectsByCode(codes: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < codes.length; i += KEYS_PER_STATEMENT) {
      const part = codes.slice(i, i + KEYS_PER_STATEMENT);
      for (const r of await this.sql.all<Record<string, unknown>>(`SELECT * FROM projects WHERE code IN (${marks(part.length)})`, part)) {
        out.set(String(r.code), r);
      }
    }
    return out;
  }

  /** A re-imported project updated in place (its id is what every other table refers to). */
  async updateProject(id: number, columns: readonly string[], values: readonly unknown[]): Promise<void> {
    await this.sql.run(`UPDATE projects SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...values, id]);
  }
}
