/**
 * 个人信息导出 — everything Huxin holds about one worker, by identity number, for a supervisor answering
 * a worker's (or a court's, or the bureau's) request (docs/PRIVACY.md). Read-only, apart from the audit
 * entry that records who exported whose data and why: the export itself holds full numbers, so it is
 * written to a file the supervisor names (or stdout), never to a log.
 *
 * Rows are returned as stored, current and superseded alike (superseded rows are part of the ledger
 * history the regulation requires to be kept), each with the file and line it came from.
 */
import { recordAudit } from '../api/audit.ts';
import type { Db } from '../db/open.ts';
import { parseIdNumber } from '../domain/idNumber.ts';

export interface WorkerExport {
  readonly idNumber: string;
  readonly exportedAt: string;
  readonly exportedBy: string;
  readonly reason: string | null;
  /** table name → rows (as stored); every table that names the worker is listed, empty or not */
  readonly tables: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  readonly rowCount: number;
}

/** The tables that hold a worker's personal data, keyed by identity number, with the source batch's file name. */
const QUERIES: Record<string, string> = {
  workers: 'SELECT * FROM workers WHERE id_number = ?',
  roster_entries: `SELECT r.*, p.code AS project_code, b.file_name AS source_file FROM roster_entries r
                   JOIN projects p ON p.id = r.project_id LEFT JOIN import_batches b ON b.id = r.batch_id WHERE r.id_number = ? ORDER BY r.id`,
  payroll_rows: `SELECT r.*, p.code AS project_code, b.file_name AS source_file FROM payroll_rows r
                 JOIN projects p ON p.id = r.project_id LEFT JOIN import_batches b ON b.id = r.batch_id WHERE r.id_number = ? ORDER BY r.id`,
  payments: `SELECT r.*, p.code AS project_code, b.file_name AS source_file FROM payments r
             JOIN projects p ON p.id = r.project_id LEFT JOIN import_batches b ON b.id = r.batch_id WHERE r.id_number = ? ORDER BY r.id`,
  findings: `SELECT f.*, p.code AS project_code FROM findings f LEFT JOIN projects p ON p.id = f.project_id WHERE f.id_number = ? ORDER BY f.id`,
  // a flag's fingerprint holds the identity number between '|' separators
  flag_reviews: `SELECT * FROM flag_reviews WHERE '|' || fingerprint || '|' LIKE '%|' || ? || '|%' ORDER BY fingerprint`,
};

export class PersonalDataError extends Error {}

export function exportWorkerData(db: Db, input: { idNumber: string; actor: string; now: string; reason?: string | null }): WorkerExport {
  const parsed = parseIdNumber(input.idNumber);
  if (!parsed.ok) throw new PersonalDataError(parsed.reason);
  const id = parsed.value as string;
  const sqlite = db.$client;
  const tables: Record<string, Record<string, unknown>[]> = {};
  let rowCount = 0;
  sqlite.transaction(() => {
    for (const [table, sql] of Object.entries(QUERIES)) {
      tables[table] = sqlite.prepare(sql).all(id) as Record<string, unknown>[];
      rowCount += tables[table].length;
    }
    recordAudit(db, {
      at: input.now,
      actor: input.actor,
      action: 'export_personal_data',
      entity: 'worker',
      entityId: id, // masked by recordAudit
      reason: input.reason ?? null,
      detail: { rows: rowCount, tables: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.length])) },
    });
  })();
  return { idNumber: id, exportedAt: input.now, exportedBy: input.actor, reason: input.reason ?? null, tables, rowCount };
}
