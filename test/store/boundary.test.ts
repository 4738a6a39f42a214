/**
 * The storage boundary (docs/STORAGE.md): no file of src/ outside the adapters and repositories
 * (src/store) holds SQL or reaches a database driver — like the rules core's purity test, a scan of the
 * sources. The services, API, pages, jobs and CLI talk to storage through the Store's repositories only.
 * (The synchronous SQLite handle the tests still use to inspect a file directly lives in test/support/floor.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/** SQL text, a prepared statement, a driver or query-builder import, or the raw handle. */
const STORAGE = /\.prepare\(|better-sqlite3|drizzle-orm|from 'pg'|\$client|\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|mts)$/.test(name) ? [path] : [];
  });
}

describe('the storage boundary', () => {
  const sources = filesUnder(join(ROOT, 'src')).map((f) => relative(ROOT, f));

  it('no file outside src/store holds SQL or a driver', () => {
    const holding = sources.filter((f) => !f.startsWith('src/store/')).filter((f) => STORAGE.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(holding).toEqual([]);
  });

  it('the scan would see a leak (the pattern matches what the adapters hold)', () => {
    // guards the test itself: a pattern that matched nothing would pass whatever the sources held
    for (const f of ['src/store/sqlite/database.ts', 'src/store/pg/database.ts', 'src/store/repos/queue.ts']) {
      expect(STORAGE.test(readFileSync(join(ROOT, f), 'utf8')), f).toBe(true);
    }
  });
});
