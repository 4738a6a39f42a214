/**
 * 导入 — importing one file as one all-or-nothing batch (DATA-FORMATS.md "What an import does").
 *
 * One streaming pass inside one `BEGIN IMMEDIATE` transaction: the batch row is inserted first (its id
 * goes on every fact row), then each row is parsed, checked and written with prepared statements. Every
 * problem is collected; at the end the transaction commits only if there were none, otherwise it rolls
 * back and the answer lists them all. Memory stays flat: rows are never held, only the project-code map
 * and a few per-group counters.
 *
 * The same bytes imported again as the same kind change nothing (identity = SHA-256 of the bytes, computed
 * in a first streaming pass so a duplicate is answered before any parsing).
 */
import { bumpForBatch } from '../db/versions.ts';
import type Database from 'better-sqlite3';
import { openDatabase, type Db } from '../db/open.ts';
import { Store } from '../store/store.ts';
import { auditImport, completeBatch, findBatchBySha, getBatch, insertBatch } from './batch.ts';
import { COLUMNS_BY_KIND } from './columns.ts';
import { pipelineFor, type KindPipeline } from './kinds.ts';
import { ProblemList, WarningList } from './problems.ts';
import { RowReader } from './rowReader.ts';
import { readSheet, type SheetHandlers } from './sheet.ts';
import { byteChunks, sha256Of } from './source.ts';
import { headOf, isZipSignature, readWorkbook } from './workbook.ts';
import type { ImportOutcome, ImportRequest } from './types.ts';
import type { WriteTally } from './writer.ts';

/**
 * Page cache for the import, in KiB. Inserting into the fact tables' indexes touches pages all over the
 * B-trees; with SQLite's default 2 MiB cache a million-row payroll load spends most of its time re-reading
 * them (measured ≈ 3× slower, docs/PERFORMANCE.md). A fixed 64 MiB keeps memory bounded whatever the file
 * size; the caller's setting is restored afterwards.
 */
export const IMPORT_CACHE_KIB = 64 * 1024;

export async function importFile(target: Db | Store, req: ImportRequest): Promise<ImportOutcome> {
  // BRIDGE (ports-svc, until the importer's port lands: take that branch's importFile(store, req)): a
  // store over a SQLite file imports through a handle of its own on that file
  if (target instanceof Store) {
    if (target.engine !== 'sqlite') throw new Error('the importer does not run on PostgreSQL yet');
    const own = openDatabase(target.location);
    try {
      return await importFile(own, req);
    } finally {
      own.$client.close();
    }
  }
  const db = target;
  const client = db.$client;
  const sha256 = await sha256Of(req.source);
  const earlier = findBatchBySha(client, req.kind, sha256);
  // a scoped sender (the contractor portal) learns of an earlier import only once its own rows are checked:
  // the same bytes sent by another unit must not answer "already imported" before the project check
  if (earlier && !req.allowedProjects) return { status: 'duplicate', batch: earlier };
  if (client.inTransaction) throw new Error('importFile needs a connection that is not inside a transaction');

  const cacheBefore = client.pragma('cache_size', { simple: true }) as number;
  const cacheKib = cacheBefore < 0 ? -cacheBefore : (cacheBefore * (client.pragma('page_size', { simple: true }) as number)) / 1024;
  if (cacheKib < IMPORT_CACHE_KIB) client.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    return await importInTransaction(client, req, sha256);
  } finally {
    if (cacheKib < IMPORT_CACHE_KIB) client.pragma(`cache_size = ${cacheBefore}`);
  }
}

async function importInTransaction(client: Database.Database, req: ImportRequest, sha256: string): Promise<ImportOutcome> {
  // IMMEDIATE takes the write lock now, so the batch cannot fail half-way on a lock held by another writer
  client.exec('BEGIN IMMEDIATE');
  try {
    // another process may have imported the same bytes while we hashed
    const raced = findBatchBySha(client, req.kind, sha256);
    if (raced && !req.allowedProjects) {
      client.exec('ROLLBACK');
      return { status: 'duplicate', batch: raced };
    }
    // a scoped duplicate is read through (and always rolled back) only to check its rows' projects
    const checkOnly = raced ?? null;
    const batchId = insertBatch(client, {
      kind: req.kind,
      fileName: req.fileName,
      sha256: checkOnly ? `${sha256}:scope-check` : sha256,
      actor: req.actor,
      importedAt: req.now,
    });
    const problems = new ProblemList();
    const warnings = new WarningList();
    const tally: WriteTally = { inserted: 0, replaced: 0 };
    const columns = COLUMNS_BY_KIND[req.kind];
    const names = new Map(columns.map((c) => [c.key, c.zh]));
    const warn = (text: string): void => warnings.add(text);
    let pipeline: KindPipeline | undefined;
    let reader: RowReader | undefined;

    const handlers: SheetHandlers = {
      header(match) {
        reader = new RowReader(match.positions, match.written, problems, names);
        pipeline = pipelineFor(req.kind, client, batchId, tally, warn);
      },
      row(cells, line, refused) {
        reader!.start(cells, line, refused);
        if (req.allowedProjects || req.projectsSeen) {
          const code = reader!.text('project_code');
          if (code !== '') {
            req.projectsSeen?.add(code);
            if (req.allowedProjects && !req.allowedProjects.has(code)) {
              problems.add(line, reader!.header('project_code'), code, `项目编号“${code}”不是贵单位总承包或用工的项目，不能由贵单位报送`);
              // the row goes no further: whether such a project exists at all is not the sender's to learn
              return;
            }
            const scope = req.employerScope;
            if (scope && scope.projects.has(code)) {
              if (req.kind === 'roster') {
                const employer = reader!.text('employer_uscc').toUpperCase();
                if (employer !== '' && employer !== scope.uscc) {
                  problems.add(line, reader!.header('employer_uscc'), employer, `贵单位在该项目是用工单位，只能报送本单位的工人：用工单位信用代码应为 ${scope.uscc}`);
                }
              } else if (req.kind === 'payroll') {
                problems.add(line, reader!.header('project_code'), code, '贵单位在该项目是用工（分包）单位：工资表由施工总承包单位汇总报送，请把本单位工人的工资表交给总承包单位');
              }
            }
          }
        }
        pipeline!.handle(reader!);
      },
    };
    // an .xlsx workbook (a zip) is read by its first sheet; anything else as CSV text
    const sheet = isZipSignature(await headOf(req.source))
      ? await readWorkbook(req.source, columns, problems, warnings, handlers)
      : await readSheet(byteChunks(req.source), columns, problems, warnings, handlers);

    if (problems.any) {
      client.exec('ROLLBACK');
      return { status: 'rejected', problems: problems.list(), warnings: warnings.list() };
    }
    if (checkOnly) {
      client.exec('ROLLBACK');
      return { status: 'duplicate', batch: checkOnly };
    }
    completeBatch(client, batchId, {
      encoding: sheet.encoding,
      rowCount: sheet.rowCount,
      inserted: tally.inserted,
      replaced: tally.replaced,
      replacedDetail: pipeline?.replacedDetail() ?? [],
      warnings: warnings.list(),
    });
    bumpForBatch(client, batchId);
    const batch = getBatch(client, batchId)!;
    auditImport(client, batch);
    client.exec('COMMIT');
    return { status: 'imported', batch };
  } catch (e) {
    if (client.inTransaction) client.exec('ROLLBACK');
    throw e;
  }
}
