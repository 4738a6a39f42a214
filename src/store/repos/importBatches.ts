/**
 * 导入批次 — the import_batches rows: one per imported file, opened first (every fact row carries its id),
 * completed with its counts when the file is accepted, found again by the SHA-256 of its bytes.
 */
import { Type } from 'typebox';
import { json, type Sql } from '../sql.ts';
import type { BatchSummary, ImportKind } from '../../imports/types.ts';

const ReplacedDetail = Type.Array(Type.Unknown());
const Warnings = Type.Array(Type.String());

type BatchRow = [number, string, string, string, string, string, string, number, number, number, unknown, unknown];

const COLUMNS = 'id, kind, file_name, sha256, actor, imported_at, encoding, row_count, inserted, replaced, replaced_detail, warnings';

function summaryOf([id, kind, fileName, sha256, actor, importedAt, encoding, rowCount, inserted, replaced, detail, warnings]: BatchRow): BatchSummary {
  return {
    id,
    kind: kind as ImportKind,
    fileName,
    sha256,
    actor,
    importedAt,
    encoding,
    rowCount,
    inserted,
    replaced,
    replacedDetail: json('import_batches.replaced_detail', ReplacedDetail, detail),
    warnings: json('import_batches.warnings', Warnings, warnings),
  };
}

/** What a completed batch records: its encoding, counts, what it replaced and its warnings. */
export type BatchCounts = Pick<BatchSummary, 'encoding' | 'rowCount' | 'inserted' | 'replaced' | 'replacedDetail' | 'warnings'>;

export class ImportBatchesRepo {
  constructor(private readonly sql: Sql) {}

  /**
   * Makes this transaction the only import under way (until it ends): two files superseding the same
   * project-month at once would otherwise each miss the other's new rows (PostgreSQL's READ COMMITTED);
   * on SQLite the write transaction already is the only one.
   */
  async lockForImport(): Promise<void> {
    const text = this.sql.dialect.transactionLock('import');
    if (text) await this.sql.run(text);
  }

  /** The batch that imported these exact bytes as this kind, if any. */
  async findBySha(kind: ImportKind, sha256: string): Promise<BatchSummary | undefined> {
    const [r] = await this.sql.rows<BatchRow>(`SELECT ${COLUMNS} FROM import_batches WHERE kind = ? AND sha256 = ?`, [kind, sha256]);
    return r && summaryOf(r);
  }

  async get(id: number): Promise<BatchSummary | undefined> {
    const [r] = await this.sql.rows<BatchRow>(`SELECT ${COLUMNS} FROM import_batches WHERE id = ?`, [id]);
    return r && summaryOf(r);
  }

  /** Opens the batch record (counts zero until complete()); its id. The file name comes masked. */
  async open(b: { kind: ImportKind; fileName: string; sha256: string; actor: string; importedAt: string }): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO import_batches (kind, file_name, sha256, actor, imported_at, encoding, row_count, inserted, replaced)
       VALUES (?, ?, ?, ?, ?, '', 0, 0, 0) RETURNING id`,
      [b.kind, b.fileName, b.sha256, b.actor, b.importedAt],
    );
    return Number(row!.id);
  }

  async complete(id: number, c: BatchCounts): Promise<void> {
    await this.sql.run(
      'UPDATE import_batches SET encoding = ?, row_count = ?, inserted = ?, replaced = ?, replaced_detail = ?, warnings = ? WHERE id = ?',
      [c.encoding, c.rowCount, c.inserted, c.replaced, JSON.stringify(c.replacedDetail), JSON.stringify(c.warnings), id],
    );
  }

  /** A page of batches, newest first, of one kind or all, and how many there are. */
  async page(kind: ImportKind | undefined, limit: number, offset: number): Promise<{ items: BatchSummary[]; total: number }> {
    const where = kind ? 'WHERE kind = ?' : '';
    const args = kind ? [kind] : [];
    const [[total]] = (await this.sql.rows<[number]>(`SELECT count(*) FROM import_batches ${where}`, args)) as [[number]];
    const rows = await this.sql.rows<BatchRow>(`SELECT ${COLUMNS} FROM import_batches ${where} ORDER BY id DESC LIMIT ? OFFSET ?`, [...args, limit, offset]);
    return { items: rows.map(summaryOf), total };
  }
}
