/**
 * The storage boundary (docs/STORAGE.md): no file of src/ outside the adapters (src/store) and the
 * synchronous SQLite floor being retired (src/db) holds SQL or reaches a database driver. The files that
 * still do are listed here, to be moved behind repositories; the test fails when a file not on the list
 * starts to (the boundary does not leak further) and when a listed file no longer does (the list only
 * shrinks — take it off).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/** SQL text, a prepared statement, a driver import or the raw handle. */
const STORAGE = /\.prepare\(|better-sqlite3|from 'pg'|\$client|\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b/;

/** Still to move behind src/store repositories (2026-12-03: 29 files). */
const NOT_YET_PORTED = new Set([
  'src/api/ledger.ts',
  'src/api/queries.ts',
  'src/api/routes/audit.ts',
  'src/api/routes/deposits.ts',
  'src/api/routes/flags.ts',
  'src/api/routes/health.ts',
  'src/api/routes/imports.ts',
  'src/api/routes/projects.ts',
  'src/api/routes/registries.ts',
  'src/api/routes/reports.ts',
  'src/api/routes/workers.ts',
  'src/api/session.ts',
  'src/api/workerRef.ts',
  'src/imports/batch.ts',
  'src/imports/kinds.ts',
  'src/imports/rows/projectRefs.ts',
  'src/imports/service.ts',
  'src/imports/writer.ts',
  'src/pages/data.ts',
  'src/registries/pipelines.ts',
  'src/registries/queries.ts',
  'src/registries/writer.ts',
  'src/services/chunked.ts',
  'src/services/enforcement/blacklist.ts',
  'src/services/enforcement/cases.ts',
  'src/services/enforcement/evidencePack.ts',
  'src/services/enforcement/orders.ts',
  'src/services/enforcement/reporting.ts',
  'src/services/recompute.ts',
]);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|mts)$/.test(name) ? [path] : [];
  });
}

describe('the storage boundary', () => {
  const holding = filesUnder(join(ROOT, 'src'))
    .map((f) => relative(ROOT, f))
    .filter((f) => !f.startsWith('src/store/') && !f.startsWith('src/db/'))
    .filter((f) => STORAGE.test(readFileSync(join(ROOT, f), 'utf8')));

  it('no new file outside the adapters holds SQL or a driver', () => {
    expect(holding.filter((f) => !NOT_YET_PORTED.has(f))).toEqual([]);
  });

  it('the list of files still to port only shrinks', () => {
    expect([...NOT_YET_PORTED].filter((f) => !holding.includes(f))).toEqual([]);
  });
});
