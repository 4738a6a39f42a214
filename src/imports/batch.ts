/** 导入批次 — the import_batches row of a file, and the audit record of an import. */
import type Database from 'better-sqlite3';
import { maskText } from '../api/masking.ts';
import type { BatchSummary, ImportKind } from './types.ts';

/** An import_batches row as stored (snake_case columns). */
export interface BatchRow {
  id: number;
  kind: string;
  file_name: string;
  sha256: string;
  actor: string;
  imported_at: string;
  encoding: string;
  row_count: number;
  inserted: number;
  replaced: number;
  replaced_detail: string;
  warnings: string;
}

/** A stored batch row as the importer's BatchSummary (what the CLI prints and the API returns). */
export function summaryOf(r: BatchRow): BatchSummary {
  return {
    id: r.id,
    kind: r.kind as ImportKind,
    fileName: r.file_name,
    sha256: r.sha256,
    actor: r.actor,
    importedAt: r.imported_at,
    encoding: r.encoding,
    rowCount: r.row_count,
    inserted: r.inserted,
    replaced: r.replaced,
    replacedDetail: JSON.parse(r.replaced_detail) as unknown[],
    warnings: JSON.parse(r.warnings) as string[],
  };
}

/** The batch that imported these exact bytes as this kind, if any. */
export function findBatchBySha(client: Database.Database, kind: ImportKind, sha256: string): BatchSummary | undefined {
  const r = client.prepare('SELECT * FROM import_batches WHERE kind = ? AND sha256 = ?').get(kind, sha256) as BatchRow | undefined;
  return r && summaryOf(r);
}

export function getBatch(client: Database.Database, id: number): BatchSummary | undefined {
  const r = client.prepare('SELECT * FROM import_batches WHERE id = ?').get(id) as BatchRow | undefined;
  return r && summaryOf(r);
}

/** Opens the batch record first, so every fact row can carry its id; the counts are filled in at the end. */
export function insertBatch(
  client: Database.Database,
  b: { kind: ImportKind; fileName: string; sha256: string; actor: string; importedAt: string },
): number {
  const info = client
    .prepare(
      `INSERT INTO import_batches (kind, file_name, sha256, actor, imported_at, encoding, row_count, inserted, replaced)
       VALUES (?, ?, ?, ?, ?, '', 0, 0, 0)`,
    )
    // a file name may carry a number (花名册_130529…_十月.csv): stored masked, so no list, page, log or
    // audit row can show it whole (issue 15, findings 2 and 7)
    .run(b.kind, maskText(b.fileName), b.sha256, b.actor, b.importedAt);
  return Number(info.lastInsertRowid);
}

export function completeBatch(
  client: Database.Database,
  id: number,
  c: {
    encoding: string;
    rowCount: number;
    inserted: number;
    replaced: number;
    replacedDetail: readonly unknown[];
    warnings: readonly string[];
  },
): void {
  client
    .prepare(
      `UPDATE import_batches SET encoding = ?, row_count = ?, inserted = ?, replaced = ?, replaced_detail = ?, warnings = ?
       WHERE id = ?`,
    )
    .run(c.encoding, c.rowCount, c.inserted, c.replaced, JSON.stringify(c.replacedDetail), JSON.stringify(c.warnings), id);
}

/** 审计日志 — one row per committed import, in the import's own transaction. */
export function auditImport(client: Database.Database, batch: BatchSummary): void {
  client
    .prepare(`INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (?, ?, 'import', 'import_batch', ?, ?)`)
    .run(
      batch.importedAt,
      batch.actor,
      String(batch.id),
      JSON.stringify({
        kind: batch.kind,
        fileName: maskText(batch.fileName),
        sha256: batch.sha256,
        encoding: batch.encoding,
        rowCount: batch.rowCount,
        inserted: batch.inserted,
        replaced: batch.replaced,
        warnings: batch.warnings.length,
      }),
    );
}
