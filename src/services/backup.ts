/**
 * 备份与恢复 — `huxin backup` and `huxin restore` on either engine.
 *
 * - SQLite (a city's file): the online backup and the checked restore stay inside the SQLite adapter
 *   (src/store/sqlite/backup.ts), re-exported here.
 * - PostgreSQL (a province): the engine's own tool. `huxin backup <file>` runs `pg_dump --format=custom`
 *   when pg_dump is on PATH (Debian: postgresql-client), into a temporary file beside the target, checks the
 *   archive with `pg_restore --list`, makes it the owner's alone (0600: it holds every identity number) and
 *   renames it into place; without pg_dump it says what to run. A restore over a province's database is an
 *   operator's act with the servers and workers stopped: `huxin restore` on a postgres:// URL refuses and
 *   prints the pg_restore command (README, "省级部署").
 * The password of a URL never reaches a command line (it is passed in PGPASSWORD).
 */
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isPostgresUrl } from '../store/open.ts';
import { makePrivate } from './privateFiles.ts';
import { BackupError, backupDatabase as backupSqlite, restoreDatabase as restoreSqlite, type BackupResult, type RestoreResult } from '../store/sqlite/backup.ts';

export { BackupError, checkDatabaseFile, type BackupResult, type DatabaseCheck, type RestoreResult } from '../store/sqlite/backup.ts';

/** The online backup of the SQLite database at `dbPath` (a postgres:// URL: see backupPostgres). */
export async function backupDatabase(dbPath: string, outPath: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  if (isPostgresUrl(dbPath)) throw new BackupError('PostgreSQL 数据库用 pg_dump 备份（backupPostgres）', 'NO_PG_DUMP');
  return backupSqlite(dbPath, outPath, options);
}

/** A checked restore into the SQLite database at `dbPath`; a postgres:// URL is refused with the pg_restore command. */
export async function restoreDatabase(backupPath: string, dbPath: string, options: { force?: boolean; now?: Date } = {}): Promise<RestoreResult> {
  if (isPostgresUrl(dbPath)) {
    const { url } = credentials(dbPath);
    throw new BackupError(
      `PostgreSQL 数据库的恢复由管理员用 pg_restore 完成：先停止所有 huxin serve 与 huxin worker，再运行 ` +
        `pg_restore --clean --if-exists --no-owner --dbname '${url}' ${backupPath}（密码用 PGPASSWORD 或 ~/.pgpass 提供），然后启动服务（迁移会自动补齐）`,
      'PG_RESTORE',
    );
  }
  return restoreSqlite(backupPath, dbPath, options);
}

export interface PgBackupResult {
  readonly path: string;
  /** the URL without its password */
  readonly source: string;
  readonly bytes: number;
  /** the archive's table of contents entries (pg_restore --list) */
  readonly entries: number;
  readonly ms: number;
}

/** The URL without its password, and the password (for PGPASSWORD). */
function credentials(location: string): { url: string; password: string | null } {
  const u = new URL(location);
  const password = u.password === '' ? null : decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), password };
}

/** Runs a PostgreSQL client tool; its stdout, or a BackupError naming what went wrong. */
function run(tool: string, args: readonly string[], password: string | null): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(tool, args, { env: { ...process.env, ...(password !== null ? { PGPASSWORD: password } : {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-4000)));
    child.on('error', (e: NodeJS.ErrnoException) =>
      fail(
        e.code === 'ENOENT'
          ? new BackupError(`找不到 ${tool}：PostgreSQL 数据库用 pg_dump 备份，请安装 PostgreSQL 客户端（Debian: apt-get install postgresql-client）或直接运行 pg_dump --format=custom`, 'NO_PG_DUMP')
          : e,
      ),
    );
    child.on('close', (code) => (code === 0 ? done(out) : fail(new BackupError(`${tool} 失败（退出码 ${code}）: ${err.trim().split('\n').slice(-3).join(' | ')}`, 'PG_DUMP_FAILED'))));
  });
}

/** 备份 PostgreSQL — `pg_dump --format=custom` of the database at `location` into `outPath` (see the file comment). */
export async function backupPostgres(location: string, outPath: string, options: { force?: boolean } = {}): Promise<PgBackupResult> {
  const target = resolve(outPath);
  if (existsSync(target) && !options.force) throw new BackupError(`${outPath} 已存在；要覆盖请加 --force`, 'EXISTS');
  const { url, password } = credentials(location);
  const t0 = performance.now();
  const tmp = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  try {
    await run('pg_dump', ['--format=custom', '--no-owner', `--file=${tmp}`, `--dbname=${url}`], password);
    makePrivate(tmp);
    const entries = (await run('pg_restore', ['--list', tmp], null)).split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';')).length;
    renameSync(tmp, target);
    return { path: target, source: url, bytes: statSync(target).size, entries, ms: performance.now() - t0 };
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
