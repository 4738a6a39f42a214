/**
 * 备份与恢复（SQLite）— the online backup of a SQLite database file and a checked restore; the PostgreSQL
 * side is pg_dump (src/services/backup.ts).
 *
 * Backup uses SQLite's online backup API: it copies a consistent snapshot while the server and imports keep
 * running (a writer committing mid-copy makes SQLite restart the copy, never produce a torn file). The copy
 * is written to a temporary file beside the target, checked (`PRAGMA integrity_check`, schema) and only
 * then renamed into place, so a backup file that exists is a whole one.
 *
 * Restore checks the backup first — it must be a SQLite file, pass the integrity check, hold a Huxin schema
 * whose migrations this version knows (an older backup is migrated after the restore; one from a newer
 * version is refused) — and then copies it into the target with the same backup API, which takes the
 * target's locks: other connections see the old database or the new one, never a mix. An existing
 * database with data is replaced only with `force`, and then a safety copy of it is written first.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { makePrivate, prepareDatabaseFile } from '../../services/privateFiles.ts';
import { dirname, join, resolve, basename } from 'node:path';
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { openStore, SQLITE_MIGRATIONS } from '../open.ts';

/** Opens (and migrates) the database at `path` the way every Huxin command does, then lets it go. */
async function migrated(path: string): Promise<void> {
  await (await openStore(path)).close();
}

export class BackupError extends Error {
  constructor(
    message: string,
    readonly code: 'NOT_FOUND' | 'NOT_SQLITE' | 'CORRUPT' | 'NOT_HUXIN' | 'NEWER_SCHEMA' | 'EXISTS' | 'TARGET_IN_USE' | 'NO_PG_DUMP' | 'PG_DUMP_FAILED' | 'PG_RESTORE',
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface DatabaseCheck {
  readonly path: string;
  readonly bytes: number;
  readonly integrity: 'ok';
  /** migrations applied in the file / known to this version */
  readonly migrationsApplied: number;
  readonly migrationsKnown: number;
  /** row count per table of the file */
  readonly rowCounts: Readonly<Record<string, number>>;
}

/**
 * Checks that `path` is a whole Huxin database this version can use: SQLite, `integrity_check` ok,
 * migrations all known (none newer than this code), every schema table present when fully migrated.
 * Opens the file read-only; throws BackupError with the reason otherwise.
 */
export function checkDatabaseFile(path: string): DatabaseCheck {
  if (!existsSync(path)) throw new BackupError(`找不到文件: ${path}`, 'NOT_FOUND');
  let client: Database.Database;
  try {
    client = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupError(`无法打开 ${path}: ${(e as Error).message}`, 'NOT_SQLITE');
  }
  try {
    let integrity: string[];
    try {
      integrity = (client.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (e) {
      // "file is not a database" (SQLITE_NOTADB) or "malformed" (SQLITE_CORRUPT) surfaces at the first read
      if ((e as { code?: string }).code === 'SQLITE_NOTADB') throw new BackupError(`${path} 不是 SQLite 数据库: ${(e as Error).message}`, 'NOT_SQLITE');
      throw new BackupError(`${path} 完整性检查失败: ${(e as Error).message}`, 'CORRUPT');
    }
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      throw new BackupError(`${path} 完整性检查失败: ${integrity.slice(0, 5).join('; ')}`, 'CORRUPT');
    }
    const tables = new Set(
      (client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
    );
    if (!tables.has('__drizzle_migrations')) throw new BackupError(`${path} 不是护薪数据库（没有迁移记录）`, 'NOT_HUXIN');
    const known = readMigrationFiles({ migrationsFolder: SQLITE_MIGRATIONS });
    const knownHashes = new Set(known.map((m) => m.hash));
    const latestKnown = Math.max(...known.map((m) => m.folderMillis));
    const applied = client.prepare('SELECT hash, created_at FROM __drizzle_migrations').all() as { hash: string; created_at: number }[];
    if (applied.length === 0) throw new BackupError(`${path} 不是护薪数据库（迁移记录为空）`, 'NOT_HUXIN');
    for (const m of applied) {
      if (Number(m.created_at) > latestKnown || !knownHashes.has(m.hash)) {
        throw new BackupError(`${path} 来自更新或不同版本的护薪（迁移 ${m.hash.slice(0, 12)} 本版本不认识），不能恢复`, 'NEWER_SCHEMA');
      }
    }
    // every table the applied migrations create (and do not drop) must be there
    const appliedHashes = new Set(applied.map((m) => m.hash));
    const expected = new Set<string>();
    for (const m of known.filter((k) => appliedHashes.has(k.hash)).sort((a, b) => a.folderMillis - b.folderMillis)) {
      for (const stmt of m.sql) {
        for (const c of stmt.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?[`"]?(\w+)[`"]?/gi)) expected.add(c[1]!);
        for (const d of stmt.matchAll(/DROP TABLE (?:IF EXISTS )?[`"]?(\w+)[`"]?/gi)) expected.delete(d[1]!);
        for (const r of stmt.matchAll(/ALTER TABLE [`"]?(\w+)[`"]? RENAME TO [`"]?(\w+)[`"]?/gi)) {
          expected.delete(r[1]!);
          expected.add(r[2]!);
        }
      }
    }
    const missing = [...expected].filter((t) => !tables.has(t));
    if (missing.length > 0) throw new BackupError(`${path} 缺少数据表 ${missing.join(', ')}`, 'NOT_HUXIN');
    const rowCounts: Record<string, number> = {};
    for (const name of [...tables].filter((t) => !t.startsWith('sqlite_')).sort()) {
      rowCounts[name] = (client.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }).n;
    }
    return {
      path,
      bytes: statSync(path).size,
      integrity: 'ok',
      migrationsApplied: applied.length,
      migrationsKnown: known.length,
      rowCounts,
    };
  } finally {
    client.close();
  }
}

export interface BackupResult extends DatabaseCheck {
  readonly source: string;
  readonly pages: number;
  readonly ms: number;
}

/**
 * Writes an online backup of the database at `dbPath` to `outPath` (refuses an existing file unless
 * `force`). The source is opened (and migrated) like any Huxin command does.
 */
export async function backupDatabase(dbPath: string, outPath: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  const target = resolve(outPath);
  if (resolve(dbPath) === target) throw new BackupError('备份文件不能是数据库本身', 'EXISTS');
  if (existsSync(target) && !options.force) throw new BackupError(`${outPath} 已存在；要覆盖请加 --force`, 'EXISTS');
  const t0 = performance.now();
  await migrated(dbPath);
  const source = new Database(dbPath, { fileMustExist: true });
  source.pragma('busy_timeout = 10000');
  const tmp = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  let pages = 0;
  try {
    closeSync(openSync(tmp, 'w', 0o600));
    const meta = await source.backup(tmp);
    pages = meta.totalPages;
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    source.close();
  }
  try {
    // the copy is a rollback-journal database file on its own (no -wal beside it)
    const c = new Database(tmp);
    c.pragma('journal_mode = DELETE');
    c.close();
    const check = checkDatabaseFile(tmp);
    // a backup holds every identity and card number: the owner's alone
    makePrivate(tmp);
    renameSync(tmp, target);
    return { ...check, path: target, source: resolve(dbPath), pages, ms: performance.now() - t0 };
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export interface RestoreResult {
  readonly backup: DatabaseCheck;
  readonly target: string;
  /** where the replaced database was saved first (only when one with data was replaced) */
  readonly safetyCopy: string | null;
  readonly rowCounts: Readonly<Record<string, number>>;
}

function hasData(path: string): boolean {
  if (!existsSync(path) || statSync(path).size === 0) return false;
  const c = new Database(path, { readonly: true });
  try {
    const tables = (c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'").all() as { name: string }[]).map((r) => r.name);
    return tables.some((t) => c.prepare(`SELECT 1 FROM "${t.replaceAll('"', '""')}" LIMIT 1`).get() !== undefined);
  } catch {
    return true; // unreadable: treat as something worth keeping
  } finally {
    c.close();
  }
}

/**
 * Restores `backupPath` into the database at `dbPath`. The backup is checked first; a target that holds
 * data is replaced only with `force`, after a safety copy `<db>.before-restore-<stamp>.db` is written.
 * Afterwards the target is migrated to this version and integrity-checked again.
 */
export async function restoreDatabase(
  backupPath: string,
  dbPath: string,
  options: { force?: boolean; now?: Date } = {},
): Promise<RestoreResult> {
  const backup = checkDatabaseFile(backupPath);
  const target = resolve(dbPath);
  if (resolve(backupPath) === target) throw new BackupError('备份文件就是目标数据库', 'EXISTS');
  let safetyCopy: string | null = null;
  if (hasData(target)) {
    if (!options.force) {
      throw new BackupError(
        `${dbPath} 已有数据；恢复会整体替换它。请先停止服务（huxin serve），确认后加 --force（会先把现有数据库另存一份）`,
        'EXISTS',
      );
    }
    const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    safetyCopy = `${target}.before-restore-${stamp}.db`;
    await backupDatabase(target, safetyCopy, { force: true });
  }
  mkdirSync(dirname(target), { recursive: true });
  prepareDatabaseFile(target);
  const source = new Database(backupPath, { readonly: true, fileMustExist: true });
  try {
    // the backup API writes into the target under its locks (WAL or not): readers see old or new, never a mix
    await source.backup(target);
  } finally {
    source.close();
  }
  await migrated(target); // an older backup is brought up to this version
  const restored = new Database(target, { fileMustExist: true });
  try {
    const integrity = restored.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError(`恢复后完整性检查失败: ${String(integrity)}`, 'CORRUPT');
  } finally {
    restored.close();
  }
  const after = checkDatabaseFile(target);
  return { backup, target, safetyCopy, rowCounts: after.rowCounts };
}
