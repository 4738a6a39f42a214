/**
 * The read cache (src/api/readCache.ts): a repeated read is answered from the kept masked bytes, and any
 * commit — through the API, through another connection to the same file, a review — makes the next read
 * compute again. A full view is never kept nor served from the cache, and stays audited every time.
 */
import { gunzipSync } from 'node:zlib';
import { GZIP_FROM_BYTES } from '../../src/api/readCache.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE } from '../support/engines.ts';
import { countOf } from '../support/toEngine.ts';
import { A, B, leakedSecrets, makeApp, type TestApp } from './helpers.ts';

describe('read cache', () => {
  let t: TestApp;
  let other: Store;
  beforeAll(async () => {
    t = await makeApp();
    other = await openStore(t.dbPath);
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });
  /**
   * A read expected to be a hit. On PostgreSQL the change mark is the cluster's (pg_current_snapshot), and
   * the test server's other databases — the test files running beside this one — commit all the time: a
   * miss there is read again (each miss keeps a fresh answer) a few times. On SQLite the mark is the file's
   * own: the first read must be the hit.
   */
  const kept = async <R extends { headers: Record<string, unknown> }>(read: () => Promise<R>): Promise<R> => {
    let r = await read();
    for (let i = 0; i < (ENGINE === 'postgres' ? 5 : 0) && r.headers['x-read-cache'] !== 'hit'; i++) r = await read();
    return r;
  };
  /** a commit through a connection that is not the server's */
  const elsewhere = (sql: string) => other.sql.run(sql);

  it('a second identical read is a hit with the same bytes, masked', async () => {
    const first = await t.as('inspector', { url: '/api/v1/flags?pageSize=50' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-read-cache']).toBeUndefined();
    const second = await kept(() => t.as('inspector', { url: '/api/v1/flags?pageSize=50' }));
    expect(second.headers['x-read-cache']).toBe('hit');
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toContain('application/json');
    expect(leakedSecrets(second.body)).toEqual([]);
    expect(JSON.parse(second.body).items.length).toBeGreaterThan(0);
  });

  it('the key holds the role and the whole URL', async () => {
    await t.as('inspector', { url: '/api/v1/projects?pageSize=10' });
    const otherRole = await t.as('viewer', { url: '/api/v1/projects?pageSize=10' });
    expect(otherRole.headers['x-read-cache']).toBeUndefined();
    const otherQuery = await t.as('inspector', { url: '/api/v1/projects?pageSize=11' });
    expect(otherQuery.headers['x-read-cache']).toBeUndefined();
    const again = await kept(() => t.as('inspector', { url: '/api/v1/projects?pageSize=10' }));
    expect(again.headers['x-read-cache']).toBe('hit');
  });

  it('a review through the API shows at once (the commit empties the cache)', async () => {
    const before = JSON.parse((await t.as('inspector', { url: '/api/v1/flags?status=all' })).body);
    const flag = before.items.find((f: { status: string }) => f.status === 'open');
    expect(flag).toBeDefined();
    expect((await kept(() => t.as('inspector', { url: '/api/v1/flags?status=all' }))).headers['x-read-cache']).toBe('hit');
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/flags/${flag.id}/dismiss`, payload: { reason: '已核实为误报' } });
    expect(res.statusCode).toBe(200);
    const after = await t.as('inspector', { url: '/api/v1/flags?status=all' });
    expect(after.headers['x-read-cache']).toBeUndefined();
    expect(JSON.parse(after.body).items.find((f: { id: number }) => f.id === flag.id).status).toBe('dismissed');
  });

  it('a commit by another connection to the same file (a CLI import, the nightly) shows at once', async () => {
    const url = '/api/v1/projects/XT-2026-002';
    const first = JSON.parse((await t.as('viewer', { url })).body);
    expect((await kept(() => t.as('viewer', { url }))).headers['x-read-cache']).toBe('hit');
    // a store of the test's own, not the server's: another connection, like another process
    await elsewhere("UPDATE projects SET name = '任泽区道路改造（二期）' WHERE code = 'XT-2026-002'");
    const after = await t.as('viewer', { url });
    expect(after.headers['x-read-cache']).toBeUndefined();
    expect(JSON.parse(after.body).name ?? JSON.parse(after.body).project?.name).not.toBe(first.name ?? first.project?.name);
    expect(after.body).toContain('任泽区道路改造（二期）');
  });

  it('a full view is never served from the cache and is audited every time', async () => {
    const url = '/api/v1/projects/XT-2026-001';
    const masked = await t.as('supervisor', { url });
    expect(leakedSecrets(masked.body)).toEqual([]);
    const audits = async () => countOf(await t.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'view_personal_data'"));
    const n0 = await audits();
    for (let i = 0; i < 2; i++) {
      const full = await t.as('supervisor', { url, headers: { 'x-full-view': '1', 'x-full-view-reason': encodeURIComponent('核查投诉') } });
      expect(full.statusCode).toBe(200);
      expect(full.headers['x-read-cache']).toBeUndefined();
      expect(full.body.includes(A.id) || full.body.includes(B.id)).toBe(true);
    }
    expect(await audits()).toBe(n0 + 2);
    // and the full answer was not kept for the masked reader (the audit rows were commits anyway)
    const again = await t.as('supervisor', { url });
    expect(leakedSecrets(again.body)).toEqual([]);
    const hit = await kept(() => t.as('supervisor', { url }));
    expect(hit.headers['x-read-cache']).toBe('hit');
    expect(leakedSecrets(hit.body)).toEqual([]);
  });

  it('a page is kept per session: the same user\'s second view is a hit, another user\'s is computed', async () => {
    const page = (cookie: string) => t.app.inject({ url: '/projects/XT-2026-001', headers: { cookie: `huxin_session=${cookie}` } });
    const first = await page(t.sessions.inspector);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('text/html');
    const second = await kept(() => page(t.sessions.inspector));
    expect(second.headers['x-read-cache']).toBe('hit');
    expect(second.body).toBe(first.body);
    const other = await page(t.sessions.viewer);
    expect(other.headers['x-read-cache']).toBeUndefined();
    expect(leakedSecrets(second.body)).toEqual([]);
    // the kept bytes are the ones sent, after the pages' own masking (the account number is masked there)
    expect(first.body).not.toContain('13050161010800000123');
    expect(second.body).not.toContain('13050161010800000123');
  });

  it('identical requests arriving together compute the answer once (single flight)', async () => {
    await elsewhere("UPDATE projects SET name = name WHERE code = 'XT-2026-001'");
    const misses = t.app.readCache.misses;
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.as('inspector', { url: '/api/v1/flags?pageSize=20' })));
    expect(t.app.readCache.misses - misses).toBe(1);
    expect(answers.filter((a) => a.headers['x-read-cache'] === 'hit')).toHaveLength(5);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
  });

  it('a large kept answer goes gzipped to a client that accepts it, the same bytes once unzipped', async () => {
    const url = '/api/v1/flags?pageSize=200&status=all';
    const plain = await t.as('inspector', { url });
    expect(plain.rawPayload.length).toBeGreaterThan(GZIP_FROM_BYTES); // large enough to be kept gzipped
    const zipped = await kept(() => t.as('inspector', { url, headers: { 'accept-encoding': 'gzip, deflate' } }));
    expect(zipped.headers['x-read-cache']).toBe('hit');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
    // a client that does not take gzip (or refuses it) gets the bytes as they are
    for (const headers of [{}, { 'accept-encoding': 'gzip;q=0, identity' }]) {
      const again = await kept(() => t.as('inspector', { url, headers }));
      expect(again.headers['x-read-cache']).toBe('hit');
      expect(again.headers['content-encoding']).toBeUndefined();
      expect(again.rawPayload.equals(plain.rawPayload)).toBe(true);
    }
  });

  it('errors are not kept', async () => {
    const url = '/api/v1/projects/NO-SUCH';
    expect((await t.as('viewer', { url })).statusCode).toBe(404);
    const again = await t.as('viewer', { url });
    expect(again.statusCode).toBe(404);
    expect(again.headers['x-read-cache']).toBeUndefined();
  });
});
