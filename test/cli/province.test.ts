/**
 * 省级部署 — the commands of this branch with `--db` set to the test's engine (a SQLite file, or a
 * postgres:// URL: vitest.config.ts runs this file on both): params import and list, a worker's export
 * (audited), `huxin report` and `huxin nightly`, backup (SQLite's online backup; pg_dump on PostgreSQL) and
 * restore (on PostgreSQL: the pg_restore command, refused), token commands, and `huxin serve` from the
 * sources: it starts on the location and serves the API over either engine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/api/tokens.ts';
import { main } from '../../src/cli.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { reportFromState } from '../../src/reports/fromState.ts';
import { calendarOf } from '../../src/rules/calendar.ts';
import { paramsOfStore } from '../../src/services/params.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE, type TestLocation } from '../support/engines.ts';
import { D, W, seededLocation } from '../reports/fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let loc: TestLocation;
let store: Store;

function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const io = { stdout: { write: (x: string, cb?: (e?: Error) => void) => ((out += x), cb?.(), true) }, stderr: { write: (x: string) => ((err += x), true) } } as never;
  return main([...argv, '--db', loc.location], io, () => new Date('2026-11-21T04:00:00Z')).then((code) => ({ code, out, err }));
}

beforeAll(async () => {
  ({ loc } = await seededLocation());
  store = await openStore(loc.location);
});
afterAll(async () => {
  await store?.close();
  await loc?.drop();
});

describe(`huxin on ${ENGINE}`, () => {
  it('params import writes the dated values with their actor (audited); params list shows them in force with their origin', async () => {
    const file = join(ROOT, 'test/params/fixtures/holidays-2027.yaml');
    const imported = await cli('params', 'import', file);
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('2027年全国年节放假安排');
    const listed = await cli('params', 'list', '--as-of', '2027-01-05', '--json');
    expect(listed.code).toBe(0);
    const listing = JSON.parse(listed.out) as { holidays: { year: number; inForce: boolean; origin: string }[]; missingHolidayYears: unknown[] };
    expect(listing.holidays.find((h) => h.year === 2027)).toMatchObject({ inForce: true, origin: expect.stringContaining('holidays-2027.yaml') });
    expect(listing.missingHolidayYears).toEqual([]);
    // the store reads the same set (a bare JSON string in a jsonb column stays a string)
    expect(calendarOf((await paramsOfStore(store)).holidays).hasYear(2027)).toBe(true);
    expect((await store.audit.page({ action: 'params_import' }, 10, 0)).total).toBe(1);
    // a broken file is refused whole: nothing written, nothing audited
    const broken = join(loc.dir, 'broken.yaml');
    writeFileSync(broken, readFileSync(file, 'utf8').replace('2027-02-14', '2027-02-30'));
    const again = await cli('params', 'import', broken);
    expect(again.code).toBe(1);
    expect(again.err).toContain('未写入任何数据');
    expect((await store.audit.page({ action: 'params_import' }, 10, 0)).total).toBe(1);
  });

  it('worker export writes every row naming the worker to a 0600 file, audited with a masked number', async () => {
    const out = join(loc.dir, 'w1.json');
    const r = await cli('worker', 'export', W.W1.id, '--out', out, '--reason', '本人申请');
    expect(r.code, r.err).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { rowCount: number; tables: Record<string, unknown[]> };
    expect(exported.tables.roster_entries).toHaveLength(2);
    expect(exported.tables.payroll_rows).toHaveLength(2);
    const audit = await store.audit.page({ action: 'export_personal_data' }, 10, 0);
    expect(audit.total).toBe(1);
    expect(JSON.stringify(audit.rows)).not.toContain(W.W1.id);
  });

  it('recompute stores the night of D0 and says how many projects and flags', async () => {
    const r = await cli('recompute', '--as-of', '2026-11-19', '--full');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/已计算 2026-11-19：评估项目 3\/3（全部项目）.*预警 \d+ 条/);
    expect(await store.evaluations.latestDay()).toBe('2026-11-19');
  });

  it('report runs the night of D and prints the report read off it, as stored', async () => {
    const r = await cli('report', '--as-of', D);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).totals.projectCount).toBe(3);
    expect(await store.reports.json(D)).toBe(r.out);
    expect((await reportFromState(store, D as IsoDate, await paramsOfStore(store))).json).toBe(r.out);
  });

  it('nightly (as the scheduler forks it, the location in HUXIN_DB) writes reports/D whole', () => {
    const reportsDir = join(loc.dir, 'reports');
    const out = execFileSync(process.execPath, ['bin/huxin.mjs', 'nightly', '--as-of', D, '--reports-dir', reportsDir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, HUXIN_FROM_SOURCE: '1', HUXIN_DB: loc.location },
    });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toMatchObject({ asOf: D, projects: 3 });
  });

  it('… and the stored report is the published file', async () => {
    expect(readFileSync(join(loc.dir, 'reports', D, 'report.json'), 'utf8')).toBe(await store.reports.json(D));
  });

  it(ENGINE === 'postgres' ? 'backup runs pg_dump into a 0600 archive; restore says to use pg_restore' : 'backup and restore the SQLite file', async () => {
    const file = join(loc.dir, 'backup.dump');
    const b = await cli('backup', file);
    expect(b.code, b.err).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const r = await cli('restore', file, '--force');
    if (ENGINE === 'postgres') {
      expect(b.out).toMatch(/pg_dump --format=custom（来源 postgres:\/\/[^ ）]*），\d+ 字节，\d+ 项/);
      expect(b.out).not.toContain(':huxin@'); // no password in the output
      expect(r.code).toBe(1);
      expect(r.err).toContain('pg_restore --clean --if-exists');
    } else {
      expect(b.out).toContain('完整性检查通过');
      expect(r.code, r.err).toBe(0);
    }
  });

  it('db copy moves a database into an empty one of either engine, ids kept; a target with data is refused', async () => {
    const file = join(loc.dir, 'copy.db');
    let out = '';
    let err = '';
    const io = { stdout: { write: (x: string) => ((out += x), true) }, stderr: { write: (x: string) => ((err += x), true) } } as never;
    expect(await main(['db', 'copy', loc.location, '--db', file], io), err).toBe(0);
    expect(out).toMatch(/已复制 \d+ 张表共 \d+ 行/);
    const copy = await openStore(file);
    try {
      expect(await copy.reports.json(D)).toBe(await store.reports.json(D));
      expect(await copy.facts.projectIndex()).toEqual(await store.facts.projectIndex());
    } finally {
      await copy.close();
    }
    expect(await main(['db', 'copy', loc.location, '--db', file], io)).toBe(1);
    expect(err).toContain('目标须为空');
  });

  it('token commands run on the location, either engine', async () => {
    const r = await cli('token', 'list');
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/:[^:@/]+@/); // the URL's password is not printed
  });

  it('serve starts on the location and serves the API, its documentation and the pages’ assets', async () => {
    const token = (await createToken(store, { role: 'viewer', name: '省厅查看', actor: 'test', now: new Date().toISOString() })).token;
    const reportsDir = join(loc.dir, 'served-reports');
    const child = spawn(process.execPath, ['bin/huxin.mjs', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, HUXIN_FROM_SOURCE: '1', HUXIN_DB: loc.location, HOST: '127.0.0.1', PORT: '0', HUXIN_REPORTS_DIR: reportsDir, HUXIN_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
      const url = await new Promise<string>((done, fail) => {
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          const m = /已启动: (http:\/\/\S+)/.exec(out);
          if (m) done(m[1]!);
        });
        child.on('exit', (code) => fail(new Error(`serve exited ${code}: ${out} ${err}`)));
      });
      expect(out).not.toContain('已载入演示城市'); // the database holds a city already
      expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
      expect((await fetch(`${url}/assets/app.css`)).status).toBe(200);
      // the API over the location, either engine: health, and an authenticated read with a token issued on it
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const res = await fetch(`${url}/api/v1/projects?pageSize=5`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
      await new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done)));
    }
  }, 120_000);
});
