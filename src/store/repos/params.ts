/**
 * 法定参数的本地导入 — the bureau's imported dated parameters (param_imports, param_values; src/services/params.ts
 * lays them over the shipped files). Append-only. Engine-neutral SQL; the JSON columns (value, source: text on
 * SQLite, jsonb on PostgreSQL) are read back checked.
 */
import { Type } from 'typebox';
import { json, type Sql } from '../sql.ts';

/** 出处 as stored with a value (rules/params ParamSource). */
const Source = Type.Object({
  document: Type.String(),
  article: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
  verified: Type.Boolean(),
  localSetting: Type.Optional(Type.Boolean()),
});

export interface StoredParamValue {
  readonly id: number;
  readonly importId: number;
  readonly parameter: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  /** the value as written in the file (validated when it was imported, and again when the set is built) */
  readonly value: unknown;
  readonly source: { document: string; article?: string; note?: string; verified: boolean; localSetting?: boolean };
  readonly actor: string;
  readonly importedAt: string;
  readonly fileName: string;
}

export interface NewParamValue {
  readonly parameter: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly value: unknown;
  readonly source: unknown;
}

export class ParamsRepo {
  constructor(private readonly sql: Sql) {}

  /**
   * What changes whenever a value is imported: the count and last id of the values and the digest of the
   * last import (a database rebuilt at the same place with as many rows still differs in its files).
   */
  async version(): Promise<string | null> {
    const r = await this.sql.get<{ n: number; last: number; sha: string | null }>(
      `SELECT count(*) AS n, coalesce(max(id), 0) AS last,
              (SELECT sha256 FROM param_imports WHERE id = (SELECT max(id) FROM param_imports)) AS sha FROM param_values`,
    );
    return r && Number(r.n) > 0 ? `${r.n}:${r.last}:${r.sha ?? ''}` : null;
  }

  /** Every imported value with its import, oldest first (a later one wins over an earlier of the same date). */
  async values(): Promise<StoredParamValue[]> {
    const rows = await this.sql.all<{
      id: number; import_id: number; parameter: string; valid_from: string; valid_to: string | null; value: unknown; source: unknown;
      actor: string; imported_at: string; file_name: string;
    }>(
      `SELECT v.id, v.import_id, v.parameter, v.valid_from, v.valid_to, v.value, v.source, i.actor, i.imported_at, i.file_name
         FROM param_values v JOIN param_imports i ON i.id = v.import_id ORDER BY v.id`,
    );
    // a value may be a bare JSON string ("2200.00"): both engines hand JSON columns over as text (pg/database.ts)
    return rows.map((r) => ({
      id: r.id,
      importId: r.import_id,
      parameter: r.parameter,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      value: json('param_values.value', Type.Unknown(), r.value),
      source: json('param_values.source', Source, r.source),
      actor: r.actor,
      importedAt: r.imported_at,
      fileName: r.file_name,
    }));
  }

  /** Stores one imported file and its values (call inside the caller's transaction); the import's id. */
  async add(file: { importedAt: string; actor: string; fileName: string; sha256: string; content: string }, values: readonly NewParamValue[]): Promise<number> {
    const r = await this.sql.get<{ id: number }>('INSERT INTO param_imports (imported_at, actor, file_name, sha256, content) VALUES (?, ?, ?, ?, ?) RETURNING id', [
      file.importedAt,
      file.actor,
      file.fileName,
      file.sha256,
      file.content,
    ]);
    const id = Number(r!.id);
    for (const v of values) {
      await this.sql.run('INSERT INTO param_values (import_id, parameter, valid_from, valid_to, value, source) VALUES (?, ?, ?, ?, ?, ?)', [
        id,
        v.parameter,
        v.validFrom,
        v.validTo,
        JSON.stringify(v.value),
        JSON.stringify(v.source),
      ]);
    }
    return id;
  }
}
