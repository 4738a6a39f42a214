/**
 * A full disk and a read-only database (issue 15, finding 6): before, an import on a full disk answered a
 * generic 500 and /health still said the database was fine. Now the write is refused with 503 and a
 * Chinese message (nothing written), and /health reports the condition.
 *
 * The full disk is real: a size-limited tmpfs mounted for the test (root only; skipped otherwise), filled
 * to the last byte by a filler file. The read-only case is real too: a database opened read-only (a
 * remount read-only under the running server is refused by the kernel while the files are open); on
 * PostgreSQL a database that refuses writes itself (default_transaction_read_only, as a standby does).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/api/tokens.ts';
import { openStore } from '../../src/store/open.ts';
import pg from 'pg';
import { openDatabase, type Db } from '../support/floor/open.ts';
import { buildServer, type HuxinServer } from '../../src/server.ts';
import { ENGINE, freshLocation } from '../support/engines.ts';
import { ROOT } from './helpers.ts';

const NOW = '2026-11-28T02:00:00.000Z';
const csv = (kind: string) => readFileSync(join(ROOT, 'fixtures/demo', `${kind}.csv`));

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'huxin-mnt-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Writes until the file system refuses (ENOSPC): the disk is then full to the last block. */
function fill(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  // the last partial block too
  const fd2 = openSync(path, 'a');
  try {
    for (;;) written += writeSync(fd2, Buffer.alloc(512, 0x61));
  } catch {
    /* full */
  } finally {
    closeSync(fd2);
  }
  return written;
}

// the disk that fills is the SQLite file's; a PostgreSQL server's disk is its own (a full one answers 53100,
// classified as disk_full like SQLITE_FULL by storageFailureOf), not one a test can fill under a shared server
describe.skipIf(ENGINE !== 'sqlite' || !canMount())('a full disk (real tmpfs of 12 MiB)', () => {
  let mnt: string;
  let db: Db;
  let app: HuxinServer;
  let importer: string;

  beforeAll(async () => {
    mnt = mkdtempSync(join(tmpdir(), 'huxin-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mnt]);
    mkdirSync(join(mnt, 'data'));
    const dbPath = join(mnt, 'data', 'huxin.db');
    db = openDatabase(dbPath);
    app = await buildServer({ dbPath, now: () => NOW });
    importer = (await createToken(app.store, { role: 'importer', name: 'clerk', actor: 'setup', now: NOW })).token;
  });
  afterAll(async () => {
    await app?.close();
    db?.$client.close();
    try {
      execFileSync('umount', ['-l', mnt]);
    } catch {
      /* already */
    }
    rmSync(mnt, { recursive: true, force: true });
  });

  const importProjects = () =>
    app.inject({ method: 'POST', url: '/api/v1/imports/projects?fileName=projects.csv', headers: { authorization: `Bearer ${importer}`, 'content-type': 'application/octet-stream' }, payload: csv('projects') });
  const importRoster = () =>
    app.inject({ method: 'POST', url: '/api/v1/imports/roster?fileName=roster.csv', headers: { authorization: `Bearer ${importer}`, 'content-type': 'application/octet-stream' }, payload: csv('roster') });
  const batches = () => (db.$client.prepare('SELECT count(*) AS n FROM import_batches').get() as { n: number }).n;

  it('with space: imports work and /health is ok', async () => {
    expect((await importProjects()).statusCode).toBe(201);
    const h = await app.inject({ url: '/health' });
    expect(h.statusCode).toBe(200);
    expect(h.json().database).toBe('ok');
  });

  it('disk full: the import is 503 STORAGE_FULL with a Chinese message, nothing written; /health reports it', async () => {
    const before = batches();
    const filled = fill(join(mnt, 'filler.bin'));
    expect(filled).toBeGreaterThan(0);
    const r = await importRoster();
    expect(r.statusCode, r.body.slice(0, 300)).toBe(503);
    expect(r.json().error.code).toBe('STORAGE_FULL');
    expect(r.json().error.message).toMatch(/磁盘空间已满/);
    expect(r.headers['retry-after']).toBe('60');
    expect(batches()).toBe(before);
    const h = await app.inject({ url: '/health' });
    expect(h.statusCode).toBe(503);
    expect(h.json().error.code).toBe('STORAGE_FULL');
    expect(h.json().error.details.database).toBe('full');
    // reading still works
    expect((await app.inject({ url: '/api/v1/imports', headers: { authorization: `Bearer ${importer}` } })).statusCode).toBe(200);
    rmSync(join(mnt, 'filler.bin'));
  });

  it('once space is freed, the same import goes through (the refused one left nothing behind)', async () => {
    const r = await importRoster();
    expect(r.statusCode, r.body.slice(0, 300)).toBe(201);
    const check = db.$client.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    expect(check.integrity_check).toBe('ok');
  });
});

describe('a database opened read-only', () => {
  it('a write is 503 DATABASE_READ_ONLY with a Chinese message; /health reports read-only', async () => {
    const loc = await freshLocation();
    const setup = await openStore(loc.location);
    const token = (await createToken(setup, { role: 'supervisor', name: 'lead', actor: 'setup', now: NOW })).token;
    await setup.close();
    let db: Db | null = null;
    if (ENGINE === 'sqlite') db = openDatabase(loc.location, { readonly: true });
    else {
      // the database itself refuses writes from now on, for every new session (a standby, a read-only replica)
      const c = new pg.Client({ connectionString: loc.location });
      await c.connect();
      const name = (await c.query<{ n: string }>('SELECT current_database() AS n')).rows[0]!.n;
      await c.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = on`);
      await c.end();
    }
    const app = await buildServer({ location: loc.location, readonly: true, now: () => NOW });
    try {
      const r = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { authorization: `Bearer ${token}` }, payload: { role: 'viewer', name: '临时' } });
      expect(r.statusCode, r.body).toBe(503);
      expect(r.json().error.code).toBe('DATABASE_READ_ONLY');
      expect(r.json().error.message).toMatch(/只读/);
      const imp = await app.inject({ method: 'POST', url: '/api/v1/imports/projects?fileName=p.csv', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, payload: csv('projects') });
      expect(imp.statusCode, imp.body).toBe(503);
      const h = await app.inject({ url: '/health' });
      expect(h.statusCode).toBe(503);
      expect(h.json().error.details.database).toBe('read_only');
    } finally {
      await app.close();
      db?.$client.close();
      await loc.drop();
    }
  });
});
