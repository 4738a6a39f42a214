/**
 * Files with personal data are 0600 (issue 15, finding 7): the database with its WAL and shared memory
 * (the old opener, src/db/open.ts, left them 0644 under the usual umask), backups and restored databases,
 * worker exports (also over a file that existed 0644). The case pack is in test/enforcement/cli.test.ts.
 * The database's own files are SQLite's; on PostgreSQL the server keeps its files, and what Huxin writes is
 * the backup archive (pg_dump) and the exports.
 */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../support/floor/open.ts';
import { backupDatabase, backupPostgres, restoreDatabase } from '../../src/services/backup.ts';
import { openStore } from '../../src/store/open.ts';
import { A, makeApp, type TestApp } from '../api/helpers.ts';
import { ENGINE, freshLocation } from '../support/engines.ts';
import { PG_CLIENT_ON_PATH } from './helpers.ts';

const mode = (p: string) => statSync(p).mode & 0o777;
let dir: string;
let oldUmask: number;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huxin-files-'));
  oldUmask = process.umask(0o022); // the usual umask: files 0644 unless made private
});
afterAll(() => {
  process.umask(oldUmask);
  rmSync(dir, { recursive: true, force: true });
});

// the .db file, its -wal and -shm, SQLite's backup file: a PostgreSQL server keeps its own files (0700 data directory)
describe.runIf(ENGINE === 'sqlite')('0600 at rest', () => {
  it('a new database, its WAL and shared memory', () => {
    const path = join(dir, 'new.db');
    const db = openDatabase(path);
    db.$client.prepare("INSERT INTO workers (id_number, name) VALUES ('130503199001010013', '张三')").run();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) expect(mode(f), f).toBe(0o600);
    db.$client.close();
  });

  it('an existing database left 0644 by an older version is made 0600 when opened', () => {
    const path = join(dir, 'old.db');
    openDatabase(path).$client.close();
    chmodSync(path, 0o644);
    const db = openDatabase(path);
    expect(mode(path)).toBe(0o600);
    db.$client.close();
  });

  it('a backup and a restored database', async () => {
    const src = join(dir, 'src.db');
    const db = openDatabase(src);
    db.$client.prepare("INSERT INTO workers (id_number, name) VALUES ('130503199001010013', '张三')").run();
    db.$client.close();
    const out = join(dir, 'backup.db');
    await backupDatabase(src, out);
    expect(mode(out)).toBe(0o600);
    const restored = join(dir, 'restored.db');
    await restoreDatabase(out, restored);
    expect(mode(restored)).toBe(0o600);
  });
});

describe.runIf(ENGINE === 'postgres' && PG_CLIENT_ON_PATH)('0600 at rest on PostgreSQL', () => {
  it('a backup archive (pg_dump) under the usual umask', async () => {
    const loc = await freshLocation();
    try {
      const s = await openStore(loc.location);
      await s.sql.run("INSERT INTO workers (id_number, name) VALUES ('130503199001010013', '张三')");
      await s.close();
      const out = join(dir, 'backup.dump');
      await backupPostgres(loc.location, out);
      expect(mode(out)).toBe(0o600);
    } finally {
      await loc.drop();
    }
  });
});

describe('huxin worker export --out', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
  });
  afterAll(() => t.close());

  it('over a file that existed 0644: the export is 0600', async () => {
    const { main } = await import('../../src/cli.ts');
    const file = join(t.dir, 'export.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o644);
    const io = { stdout: { write: () => true }, stderr: { write: () => true } } as never;
    expect(await main(['worker', 'export', A.id, '--out', file, '--reason', '本人申请查询', '--db', t.dbPath], io)).toBe(0);
    expect(mode(file)).toBe(0o600);
  });
});
