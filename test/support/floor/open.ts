import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { makePrivate, prepareDatabaseFile } from '../../../src/services/privateFiles.ts';
import * as schema from '../../../src/store/sqlite/schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations/sqlite');

/** `--db PATH`, else `HUXIN_DB`, else ./data/huxin.db (INTERFACES.md). */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.HUXIN_DB && env.HUXIN_DB.trim() !== '' ? env.HUXIN_DB : resolve('data', 'huxin.db');
}

/**
 * Opens (creating when needed) a Huxin database and brings its schema up to date.
 *
 * - WAL journal: readers never block the writer and a crash mid-import leaves the last committed state.
 * - synchronous=FULL: a committed import survives power loss, not only a process crash; imports commit
 *   once per file, so the fsync costs nothing that matters.
 * - files 0600: the database, its WAL and shared memory hold identity and card numbers.
 * - busy_timeout: a second connection (an import running beside the API) waits for the writer instead
 *   of failing with "database is locked".
 */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  // identity and card numbers: the file is the owner's alone (0600), created so before SQLite makes it 0644
  if (!options.readonly) prepareDatabaseFile(path);
  const client = new Database(path, { readonly: options.readonly ?? false });
  client.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    client.pragma('journal_mode = WAL');
    client.pragma('synchronous = FULL');
    client.pragma('foreign_keys = ON');
  }
  const db = drizzle({ client, schema }) as Db;
  if (!options.readonly) migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  // the WAL and shared-memory files exist now: 0600 too
  if (!options.readonly && path !== ':memory:') makePrivate(`${path}-wal`, `${path}-shm`);
  return db;
}
