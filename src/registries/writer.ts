/**
 * Writing registry rows inside the import batch's transaction, like the core fact tables (src/imports/writer.ts):
 * a row replaces the current row with the same natural key from an earlier batch (stamped `superseded_by`,
 * never deleted); a key repeated inside one file trips the partial unique index and is reported naming both
 * lines. The worker check: a registry row's name must equal the worker's name where the worker is known
 * (the latest roster name), as a wage-table name must equal the roster's. Rows are queued and written at
 * each flush, many per statement; the worker check reads the flush's workers at once.
 */
import type { LaterRow, RowReader } from '../imports/rowReader.ts';
import { writeKeyed, type WriteTally } from '../imports/writer.ts';
import type { FactRowsRepo } from '../store/repos/factRows.ts';

export const REGISTRY_TABLES = ['training_records', 'insurance_records', 'housing_records', 'care_records'] as const;
export type RegistryTable = (typeof REGISTRY_TABLES)[number];

/** Natural keys are the key fields joined; '' for an empty optional field. */
export const naturalKeyOf = (parts: readonly (string | null | undefined)[]): string => parts.map((p) => p ?? '').join('|');

interface QueuedRecord {
  readonly worker: { readonly idNumber: string; readonly name: string };
  readonly key: readonly [string];
  readonly values: readonly unknown[];
  readonly at: LaterRow;
  readonly duplicate: (line: number, at: LaterRow) => void;
}

export class RegistryWriter {
  private readonly byBatch = new Map<number, number>();
  private unknownWorkers = 0;
  private queue: QueuedRecord[] = [];

  constructor(
    private readonly rows: FactRowsRepo,
    private readonly table: RegistryTable,
    private readonly columns: readonly string[],
    private readonly batchId: number,
    private readonly tally: WriteTally,
    private readonly warn: (text: string) => void,
  ) {}

  /**
   * Takes one row of `worker`: written at the next flush unless its name differs from the worker's known
   * name (a problem on the row); on a key repeated in this file `duplicate(line, row)` records the problem.
   */
  put(
    worker: { readonly idNumber: string; readonly name: string },
    values: readonly unknown[],
    naturalKey: string,
    row: RowReader,
    duplicate: (line: number, at: LaterRow) => void,
  ): void {
    this.queue.push({ worker, key: [naturalKey], values: [...values, naturalKey], at: row.later(), duplicate });
  }

  async flush(): Promise<void> {
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    const known = await this.rows.workerNames(queue.map((q) => q.worker.idNumber));
    const accepted = queue.filter((q) => this.checkWorker(q, known.get(q.worker.idNumber)));
    const { superseded, written } = await writeKeyed(this.rows, this.table, ['natural_key'], [...this.columns, 'natural_key'], this.batchId, accepted);
    this.tally.inserted += written.length;
    this.tally.replaced += superseded.length;
    for (const { batchId } of superseded) this.byBatch.set(batchId, (this.byBatch.get(batchId) ?? 0) + 1);
  }

  /**
   * The name check against the worker registry: a different name is a problem on the row (false); an
   * identity number no roster has named yet is a warning (records may precede the worker's first project).
   */
  private checkWorker(q: QueuedRecord, known: string | undefined): boolean {
    if (known === undefined) {
      this.unknownWorkers++;
      if (this.unknownWorkers <= 20) {
        this.warn(`第${q.at.line}行：身份证号尚未出现在任何项目的花名册中，记录已按身份证号保存，该工人导入花名册后自动关联`);
      } else if (this.unknownWorkers === 21) {
        this.warn('还有更多行的身份证号尚未出现在花名册中（不再逐行列出）');
      }
      return true;
    }
    if (known !== q.worker.name) {
      q.at.fail('name', `姓名“${q.worker.name}”与花名册中此身份证号的姓名“${known}”不一致：请核对姓名和身份证号`);
      return false;
    }
    return true;
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
