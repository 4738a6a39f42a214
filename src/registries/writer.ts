/**
 * Writing registry rows inside the import batch's transaction, like the core fact tables (src/imports/writer.ts):
 * a row replaces the current row with the same natural key from an earlier batch (stamped `superseded_by`,
 * never deleted); a key repeated inside one file trips the partial unique index and is reported naming both
 * lines. The worker check: a registry row's name must equal the worker's name where the worker is known
 * (the latest roster name), as a wage-table name must equal the roster's.
 */
import type Database from 'better-sqlite3';
import type { RowReader } from '../imports/rowReader.ts';
import type { WriteTally } from '../imports/writer.ts';

export const REGISTRY_TABLES = ['training_records', 'insurance_records', 'housing_records', 'care_records'] as const;
export type RegistryTable = (typeof REGISTRY_TABLES)[number];

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && (e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Natural keys are the key fields joined; '' for an empty optional field. */
export const naturalKeyOf = (parts: readonly (string | null | undefined)[]): string => parts.map((p) => p ?? '').join('|');

export class RegistryWriter {
  private readonly supersede: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly findLine: Database.Statement;
  private readonly workerName: Database.Statement;
  private readonly byBatch = new Map<number, number>();
  private unknownWorkers = 0;

  constructor(
    client: Database.Database,
    private readonly table: RegistryTable,
    private readonly columns: readonly string[],
    private readonly batchId: number,
    private readonly tally: WriteTally,
    private readonly warn: (text: string) => void,
  ) {
    this.supersede = client.prepare(
      `UPDATE ${table} SET superseded_by = ? WHERE natural_key = ? AND superseded_by IS NULL AND batch_id <> ? RETURNING batch_id`,
    );
    this.insert = client.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}, natural_key, batch_id, line) VALUES (${columns.map(() => '?').join(', ')}, ?, ?, ?)`,
    );
    this.findLine = client.prepare(`SELECT line FROM ${table} WHERE natural_key = ? AND superseded_by IS NULL`).pluck();
    this.workerName = client.prepare('SELECT name FROM workers WHERE id_number = ?').pluck();
  }

  /**
   * The name check against the worker registry: a different name is a problem on the row (returns false);
   * an identity number no roster has named yet is a warning (records may precede the worker's first project).
   */
  checkWorker(idNumber: string, name: string, row: RowReader): boolean {
    const known = this.workerName.get(idNumber) as string | undefined;
    if (known === undefined) {
      this.unknownWorkers++;
      if (this.unknownWorkers <= 20) {
        this.warn(`第${row.line}行：身份证号尚未出现在任何项目的花名册中，记录已按身份证号保存，该工人导入花名册后自动关联`);
      } else if (this.unknownWorkers === 21) {
        this.warn('还有更多行的身份证号尚未出现在花名册中（不再逐行列出）');
      }
      return true;
    }
    if (known !== name) {
      row.fail('name', `姓名“${name}”与花名册中此身份证号的姓名“${known}”不一致：请核对姓名和身份证号`);
      return false;
    }
    return true;
  }

  /** Writes one row; on a key repeated in this file records `duplicate(line)` on the row. */
  put(values: readonly unknown[], naturalKey: string, row: RowReader, duplicate: (line: number) => void): void {
    const old = this.supersede.all(this.batchId, naturalKey, this.batchId) as { batch_id: number }[];
    try {
      this.insert.run(...values, naturalKey, this.batchId, row.line);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      duplicate((this.findLine.get(naturalKey) as number | undefined) ?? 0);
      return;
    }
    this.tally.inserted++;
    this.tally.replaced += old.length;
    for (const { batch_id } of old) this.byBatch.set(batch_id, (this.byBatch.get(batch_id) ?? 0) + 1);
  }

  replacedDetail(): unknown[] {
    if (this.byBatch.size === 0) return [];
    return [
      {
        table: this.table,
        rows: [...this.byBatch.values()].reduce((a, b) => a + b, 0),
        batchIds: [...this.byBatch.keys()].sort((a, b) => a - b),
      },
    ];
  }
}
