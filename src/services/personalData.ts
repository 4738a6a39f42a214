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

/**
 * The tables that hold a worker's personal data: every table with an `id_number` column (found in the
 * schema, so a registry added later is exported too), with the project code and the source file when the
 * table has them; and the flag reviews, whose fingerprint holds the identity number between '|' separators.
 */
function queriesFor(sqlite: Db['$client']): Record<string, string> {
  const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const out: Record<string, string> = {};
  for (const t of tables) {
    const cols = new Set((sqlite.prepare(`PRAGMA table_info("${t.replaceAll('"', '""')}")`).all() as { name: string }[]).map((c) => c.name));
    if (!cols.has('id_number')) continue;
    const q = `"${t.replaceAll('"', '""')}"`;
    const project = cols.has('project_id') ? ', (SELECT code FROM projects p WHERE p.id = x.project_id) AS project_code' : '';
    const source = cols.has('batch_id') ? ', (SELECT file_name FROM import_batches b WHERE b.id = x.batch_id) AS source_file' : '';
    out[t] = `SELECT x.*${project}${source} FROM ${q} x WHERE x.id_number = ? ORDER BY x.rowid`;
  }
  out.flag_reviews = `SELECT * FROM flag_reviews WHERE '|' || fingerprint || '|' LIKE '%|' || ? || '|%' ORDER BY fingerprint`;
  return out;
}

export class PersonalDataError extends Error {}

export function exportWorkerData(db: Db, input: { idNumber: string; actor: string; now: string; reason?: string | null }): WorkerExport {
  const parsed = parseIdNumber(input.idNumber);
  if (!parsed.ok) throw new PersonalDataError(parsed.reason);
  const id = parsed.value as string;
  const sqlite = db.$client;
  const tables: Record<string, Record<string, unknown>[]> = {};
  let rowCount = 0;
  sqlite.transaction(() => {
    for (const [table, sql] of Object.entries(queriesFor(sqlite))) {
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
