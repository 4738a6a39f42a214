/**
 * 导入 — importing one file as one all-or-nothing batch (DATA-FORMATS.md "What an import does").
 *
 * One streaming pass inside one transaction of the store (`store.tx`; on SQLite BEGIN IMMEDIATE, the write
 * lock taken at once so the batch cannot fail half-way on another writer's lock): the batch row is
 * inserted first (its id goes on every fact row), then each row is parsed and checked, and the rows are
 * written in batches as the file is read (src/imports/writer.ts). Every problem is collected; at the end
 * the transaction commits only if there were none, otherwise it rolls back and the answer lists them all.
 * Memory stays flat: rows are held only until the piece of the file they came in is written, besides the
 * project-code map and a few per-group counters.
 *
 * The same bytes imported again as the same kind change nothing (identity = SHA-256 of the bytes, computed
 * in a first streaming pass so a duplicate is answered before any parsing).
 */
import { storageFailureOf } from '../store/sql.ts';
import type { Store } from '../store/store.ts';
import { maskText } from '../api/masking.ts';
import { auditImport } from './batch.ts';
import { COLUMNS_BY_KIND } from './columns.ts';
import { namesProjects, pipelineFor } from './kinds.ts';
import { ProblemList, WarningList } from './problems.ts';
import { RowReader } from './rowReader.ts';
import { ProjectRefs } from './rows/projectRefs.ts';
import { readSheet, type SheetHandlers } from './sheet.ts';
import { byteChunks, sha256Of } from './source.ts';
import { headOf, isZipSignature, readWorkbook } from './workbook.ts';
import type { ImportOutcome, ImportRequest } from './types.ts';
import type { WriteTally } from './writer.ts';

/** Thrown out of the transaction to roll it back with an answer (a rejected file, a duplicate found late). */
class RolledBack extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('import rolled back');
  }
}

export async function importFile(store: Store, req: ImportRequest): Promise<ImportOutcome> {
  const sha256 = await sha256Of(req.source);
  const earlier = await store.importBatches.findBySha(req.kind, sha256);
  // a scoped sender (the contractor portal) learns of an earlier import only once its own rows are checked:
  // the same bytes sent by another unit must not answer "already imported" before the project check
  if (earlier && !req.allowedProjects) return { status: 'duplicate', batch: earlier };
  if (store.sql.inTransaction) throw new Error('importFile needs a store that is not inside a transaction');
  try {
    // bulk: the SQLite adapter gives the transaction a larger page cache (src/store/sqlite/database.ts)
    return await store.tx((tx) => importInTransaction(tx, req, sha256), { bulk: true });
  } catch (e) {
    if (e instanceof RolledBack) return e.outcome;
    // PostgreSQL: another connection committed the same bytes while we read them (SQLite's write lock
    // makes that impossible there); the batch's unique key refused ours
    if (storageFailureOf(e) === 'unique' && !req.allowedProjects) {
      const raced = await store.importBatches.findBySha(req.kind, sha256);
      if (raced) return { status: 'duplicate', batch: raced };
    }
    throw e;
  }
}

async function importInTransaction(store: Store, req: ImportRequest, sha256: string): Promise<ImportOutcome> {
  // one import at a time, as SQLite's write lock makes it there (PostgreSQL: an advisory lock)
  await store.importBatches.lockForImport();
  // another process may have imported the same bytes while we hashed
  const raced = await store.importBatches.findBySha(req.kind, sha256);
  if (raced && !req.allowedProjects) throw new RolledBack({ status: 'duplicate', batch: raced });
  // a scoped duplicate is read through (and always rolled back) only to check its rows' projects
  const checkOnly = raced ?? null;
  const batchId = await store.importBatches.open({
    kind: req.kind,
    // a file name may carry a number (花名册_130529…_十月.csv): stored masked, so no list, page, log or
    // audit row can show it whole (issue 15, findings 2 and 7)
    fileName: maskText(req.fileName),
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
  const projects = namesProjects(req.kind) ? await ProjectRefs.load(store) : undefined;
  const pipeline = pipelineFor(req.kind, store.factRows, projects, batchId, tally, warn);
  let reader: RowReader | undefined;

  const handlers: SheetHandlers = {
    header(match) {
      reader = new RowReader(match.positions, match.written, problems, names);
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
      pipeline.handle(reader!);
    },
    flush: () => pipeline.flush(),
  };
  // an .xlsx workbook (a zip) is read by its first sheet; anything else as CSV text
  const sheet = isZipSignature(await headOf(req.source))
    ? await readWorkbook(req.source, columns, problems, warnings, handlers)
    : await readSheet(byteChunks(req.source), columns, problems, warnings, handlers);
  await pipeline.flush();

  if (problems.any) throw new RolledBack({ status: 'rejected', problems: problems.list(), warnings: warnings.list() });
  if (checkOnly) throw new RolledBack({ status: 'duplicate', batch: checkOnly });
  await store.importBatches.complete(batchId, {
    encoding: sheet.encoding,
    rowCount: sheet.rowCount,
    inserted: tally.inserted,
    replaced: tally.replaced,
    replacedDetail: pipeline.replacedDetail(),
    warnings: warnings.list(),
  });
  await store.facts.bumpForBatch(batchId);
  const batch = (await store.importBatches.get(batchId))!;
  await auditImport(store, batch);
  return { status: 'imported', batch };
}
