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

/** Still to move behind src/store repositories (2026-12-03). */
const NOT_YET_PORTED = new Set([
  'src/services/chunked.ts',
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
