/**
 * Opens Huxin's database: a file path → SQLite (the embedded default), a `postgres://` or `postgresql://`
 * URL → PostgreSQL (INTERFACES.md: `HUXIN_DB` and `--db` take either). The schema is brought up to date on
 * open (drizzle migrations: migrations/sqlite, migrations/pg); on PostgreSQL under an advisory lock, so that
 * several processes starting at once (a server and its workers) migrate once.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { SqliteDatabase } from './sqlite/database.ts';
import { Store } from './store.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SQLITE_MIGRATIONS = resolve(ROOT, 'migrations/sqlite');
export const PG_MIGRATIONS = resolve(ROOT, 'migrations/pg');

/** `--db`, else `HUXIN_DB`, else ./data/huxin.db (INTERFACES.md). */
export function defaultLocation(env: NodeJS.ProcessEnv = process.env): string {
  return env.HUXIN_DB && env.HUXIN_DB.trim() !== '' ? env.HUXIN_DB.trim() : resolve('data', 'huxin.db');
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export interface OpenOptions {
  /** open without migrating or writing (a backup check, a read-only copy); default false */
  readonly readonly?: boolean;
  /** PostgreSQL pool size */
  readonly connections?: number;
  /** SQLite: how long a write waits for another process's lock (default 10 s; SQLite waits synchronously) */
  readonly busyTimeoutMs?: number;
}

/** An advisory lock key for migrations (any fixed 64-bit number: "huxin" in ASCII). */
const MIGRATION_LOCK = 0x6875_7869_6e;

async function migratePostgres(url: string): Promise<void> {
  const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg({ client }), { migrationsFolder: PG_MIGRATIONS });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

export async function openStore(location: string = defaultLocation(), options: OpenOptions = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    if (!options.readonly) await migratePostgres(location);
    // the PostgreSQL driver is loaded only for a postgres:// location: a SQLite process (every embedded
    // command, an import) does not carry it (≈ 35 MB resident, measured for scripts/bench-import.ts)
    const { PgDatabase } = await import('./pg/database.ts');
    const db = new PgDatabase(location, options.connections ? { max: options.connections } : {});
    return new Store(db, db);
  }
  const db = new SqliteDatabase(location, {
    readonly: options.readonly ?? false,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    migrate: (conn) => migrateSqlite(drizzleSqlite({ client: conn }), { migrationsFolder: SQLITE_MIGRATIONS }),
  });
  return new Store(db, db);
}
