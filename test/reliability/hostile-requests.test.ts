/**
 * Hostile requests: oversized bodies, path traversal in file names, SQL injection in every query and path
 * parameter of every GET route, token brute force, every role trying every route of the others, expired
 * and revoked tokens, security headers. A 500 is a failure everywhere; so is any change to the database
 * that a refused request could have made.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/api/roles.ts';
import { createToken, revokeToken } from '../../src/api/tokens.ts';
import { A, makeApp, NOW, type TestApp } from '../api/helpers.ts';
import { usccCheckCharacter } from '../../src/domain/uscc.ts';
import { buildServer } from '../../src/server.ts';
import { snapshotOf } from './helpers.ts';
import { countOf } from '../support/toEngine.ts';

const SQLI = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR ""="',
  "1; DROP TABLE payroll_rows; --",
  "x' UNION SELECT id_number, name, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 FROM workers --",
  "%' OR name LIKE '%",
  '1) OR (1=1',
  "'; UPDATE api_tokens SET role='supervisor'; --",
  '\\x00\u0000',
  '*/ OR 1=1 /*',
];
const HARMLESS = 'zz-no-such-value';

/** A concrete, permitted request for each route of the table (as in test/api/access.test.ts). */
function concrete(url: string, spareTokenId: number): string {
  return url
    .replace(':kind', 'projects')
    .replace(':project', '1')
    .replace(':month', '2026-10')
    .replace(':worker', t.ref(A.id))
    .replace(':asOf', '2026-11-28')
    .replace('/tokens/:id', `/tokens/${spareTokenId}`)
    .replace(':id', '2');
}

let t: TestApp;

beforeAll(async () => {
  t = await makeApp({ limits: { failedAuthAttempts: 100_000, importsPerMinute: 100_000, tokenRequestsPerMinute: 100_000, requestsPerTokenPerMinute: 100_000 } });
});
afterAll(() => t.close());

describe('SQL injection in every filter', () => {
  it('every query parameter of every GET route: never 500, never more rows than a harmless value, never a change', async () => {
    const spec = (await t.as(null, { method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: { type?: string } }[] }>>;
    };
    const before = await snapshotOf(t.store.sql);
    let probes = 0;
    for (const [path, ops] of Object.entries(spec.paths)) {
      const get = ops.get;
      if (!get || !path.startsWith('/api/')) continue;
      const url = concrete(path.replace(/\{(\w+)\}/g, ':$1'), 1);
      const queryParams = (get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const param of queryParams) {
        // the contractor portal's routes are the contractor's alone (issue 20)
        const who = path.startsWith('/api/v1/portal/') ? 'contractor' : 'supervisor';
        const harmless = await t.as(who, { method: 'GET', url, query: { [param]: HARMLESS } });
        expect(harmless.statusCode, `${url}?${param}`).toBeLessThan(500);
        for (const attack of SQLI) {
          const r = await t.as(who, { method: 'GET', url, query: { [param]: attack } });
          probes++;
          expect(r.statusCode, `${url}?${param}=${attack}: ${r.body.slice(0, 200)}`).toBeLessThan(500);
          if (r.statusCode === 200 && harmless.statusCode === 200) {
            // an injection would widen the match: the answer must be the harmless value's answer
            const total = (r.json() as { total?: number }).total;
            const harmlessTotal = (harmless.json() as { total?: number }).total;
            if (total !== undefined) expect(total, `${url}?${param}=${attack}`).toBeLessThanOrEqual(harmlessTotal ?? 0);
          } else {
            expect([400, 404]).toContain(r.statusCode);
            expect(r.json().error.code).toMatch(/^[A-Z_]+$/);
          }
        }
      }
      // path parameters too
      for (const p of (get.parameters ?? []).filter((x) => x.in === 'path')) {
        for (const attack of [...SQLI, '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%00']) {
          const u = concrete(path.replace(`{${p.name}}`, encodeURIComponent(attack)).replace(/\{(\w+)\}/g, ':$1'), 1);
          const r = await t.as('supervisor', { method: 'GET', url: u });
          probes++;
          expect(r.statusCode, `${u}: ${r.body.slice(0, 200)}`).toBeLessThan(500);
          expect(r.statusCode, u).not.toBe(200);
          expect(r.body).not.toContain('root:');
        }
      }
    }
    expect(probes).toBeGreaterThan(150);
    expect(await snapshotOf(t.store.sql)).toEqual(before);
  });

  it('a name filter with LIKE wildcards matches them literally or not at all, never everything', async () => {
    const all = (await t.as('viewer', { method: 'GET', url: '/api/v1/workers' })).json().total as number;
    expect(all).toBeGreaterThan(1);
    for (const q of ['%', '_', '%%', "%' OR '1'='1"]) {
      const r = await t.as('viewer', { method: 'GET', url: '/api/v1/workers', query: { name: q } });
      expect(r.statusCode).toBeLessThan(500);
      if (r.statusCode === 200) expect(r.json().total, q).toBeLessThan(all);
    }
  });
});

describe('a NUL character', () => {
  it('in a query, a path parameter or a JSON body is 400 VALIDATION_FAILED on every engine, and changes nothing', async () => {
    // PostgreSQL's text cannot hold U+0000: before, a filter holding one answered 500 there
    const before = await snapshotOf(t.store.sql);
    for (const req of [
      { method: 'GET' as const, url: '/api/v1/workers', query: { name: '张\u0000' } },
      { method: 'GET' as const, url: '/api/v1/projects/XT%00-1' },
      { method: 'POST' as const, url: '/api/v1/flags/2/resolve', payload: { reason: '已核实\u0000' } },
      { method: 'POST' as const, url: '/api/v1/tokens', payload: { role: 'viewer', name: 'x\u0000' } },
    ]) {
      const r = await t.as('supervisor', req);
      expect(r.statusCode, `${req.method} ${req.url}: ${r.body.slice(0, 200)}`).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_FAILED');
      expect(r.json().error.message).toMatch(/空字符/);
    }
    expect(await snapshotOf(t.store.sql)).toEqual(before);
  });
});

describe('body size limits', () => {
  it('a JSON body over 1 MiB is 413 and changes nothing', async () => {
    const before = await snapshotOf(t.store.sql);
    const r = await t.as('supervisor', {
      method: 'POST',
      url: '/api/v1/flags/2/resolve',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ reason: 'x'.repeat(1_100_000) }),
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await snapshotOf(t.store.sql)).toEqual(before);
  });

  it('an import over the import limit is 413, raw or multipart, and writes no batch', async () => {
    const small = await makeApp({ limits: { importBytes: 64 * 1024, failedAuthAttempts: 1000 } });
    try {
      const big = Buffer.alloc(200 * 1024, 'a,b,c\n');
      const raw = await small.as('importer', { method: 'POST', url: '/api/v1/imports/payroll', headers: { 'content-type': 'text/csv' }, payload: big });
      expect(raw.statusCode).toBe(413);
      const boundary = '----huxinfuzz';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        big,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const multi = await small.as('importer', {
        method: 'POST',
        url: '/api/v1/imports/payroll',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
      expect(multi.statusCode).toBe(413);
      expect(countOf(await small.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM import_batches WHERE kind = 'payroll'"))).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('file names are names, never paths', () => {
  const uscc = (first17: string) => first17 + usccCheckCharacter(first17);
  const csv = (code: string) =>
    '项目编号,项目名称,所属区县,建设单位,建设单位信用代码,施工总承包单位,总承包单位信用代码,合同金额,开工日期\n' +
    `${code},穿越测试,信都区,邢台城投,${uscc('91130500MA0000001')},冀建集团,${uscc('91130500MA0000002')},1000000,2026-01-01\n`;

  it('multipart ../../etc/passwd, ?fileName and X-File-Name traversal are stored as the last segment only', async () => {
    const names: string[] = [];
    const attempts: { how: string; name: string }[] = [
      { how: 'multipart', name: '../../etc/passwd' },
      { how: 'query', name: '..%2F..%2F..%2Fetc%2Fpasswd' },
      { how: 'header', name: '..\\..\\windows\\win.ini' },
      { how: 'multipart', name: '/etc/shadow\u0000.csv' },
    ];
    let n = 0;
    for (const a of attempts) {
      const body = csv(`XT-TRAV-${++n}`);
      let r;
      if (a.how === 'multipart') {
        const boundary = '----huxintrav';
        r = await t.as('importer', {
          method: 'POST',
          url: '/api/v1/imports/projects',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${a.name}"\r\nContent-Type: text/csv\r\n\r\n${body}\r\n--${boundary}--\r\n`,
        });
      } else if (a.how === 'query') {
        r = await t.as('importer', { method: 'POST', url: `/api/v1/imports/projects?fileName=${a.name}`, headers: { 'content-type': 'text/csv' }, payload: body });
      } else {
        r = await t.as('importer', { method: 'POST', url: '/api/v1/imports/projects', headers: { 'content-type': 'text/csv', 'x-file-name': a.name }, payload: body });
      }
      expect(r.statusCode, `${a.how} ${a.name}: ${r.body.slice(0, 300)}`).toBe(201);
      const fileName = r.json().fileName as string;
      expect(fileName).not.toMatch(/[\\/]|\.\.|\u0000/);
      expect(r.body).not.toContain('root:');
      names.push(fileName);
    }
    expect(names.slice(0, 3)).toEqual(['passwd', 'passwd', 'win.ini']);
    // nothing was written beside the database (the upload is parsed from memory)
    expect(readdirSync(t.dir).filter((f) => !f.startsWith('huxin.db'))).toEqual([]);
    expect(existsSync(join(t.dir, 'passwd'))).toBe(false);
  });
});

describe('tokens and roles', () => {
  it('a token of one role trying every route of the others: 403, and nothing changes', async () => {
    const spare = (await createToken(t.store, { role: 'viewer', name: 'spare', actor: 'setup', now: NOW })).id;
    const before = await snapshotOf(t.store.sql);
    let tried = 0;
    for (const route of t.app.routeTable) {
      // the JSON API (HTML pages, if any, have their own session login)
      if (route.roles === 'public' || route.method === 'HEAD' || !route.url.startsWith('/api/')) continue;
      for (const role of ROLES.filter((r: Role) => !(route.roles as readonly Role[]).includes(r))) {
        const url = concrete(route.url, spare);
        const payload = route.method === 'POST' ? (url.includes('/imports/') ? 'a,b\n1,2\n' : { reason: '越权', role: 'supervisor', name: 'x' }) : undefined;
        const headers = url.includes('/imports/') ? { 'content-type': 'text/csv' } : undefined;
        const r = await t.as(role, { method: route.method as 'GET', url, payload, headers });
        tried++;
        expect(r.statusCode, `${role} ${route.method} ${url}`).toBe(403);
        expect(r.json().error.code).toBe('FORBIDDEN');
      }
      // no role may see full numbers except supervisors
      if (route.method === 'GET') {
        for (const role of ['importer', 'inspector', 'viewer'] as const) {
          const r = await t.as(role, { method: 'GET', url: concrete(route.url, spare), headers: { 'x-full-view': '1' } });
          if ((route.roles as readonly Role[]).includes(role)) expect(r.statusCode, `${role} full view ${route.url}`).toBe(403);
        }
      }
    }
    expect(tried).toBeGreaterThan(15);
    expect(await snapshotOf(t.store.sql)).toEqual(before);
  });

  it('expired and revoked tokens are refused (401) on every route', async () => {
    const expiring = await createToken(t.store, { role: 'supervisor', name: 'expiring', actor: 'setup', now: NOW, expiresAt: '2026-11-28' });
    const revoked = await createToken(t.store, { role: 'supervisor', name: 'revoked', actor: 'setup', now: NOW });
    await revokeToken(t.store, { id: revoked.id, actor: 'setup', now: NOW });
    // the same database, a day later, through a second server
    const nextDay = await buildServer({ location: t.dbPath, now: () => '2026-11-29T01:00:00.000Z', limits: { failedAuthAttempts: 100_000 } });
    try {
      for (const route of t.app.routeTable) {
        // the JSON API (HTML pages, if any, have their own session login)
      if (route.roles === 'public' || route.method === 'HEAD' || !route.url.startsWith('/api/')) continue;
        const url = concrete(route.url, 1);
        for (const token of [expiring.token, revoked.token, `${revoked.token}x`, 'hx_' + 'A'.repeat(43)]) {
          const r = await nextDay.inject({ method: route.method as 'GET', url, headers: { authorization: `Bearer ${token}` } });
          expect(r.statusCode, `${route.method} ${url}`).toBe(401);
          expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
        }
      }
      // the expiring token still worked on its last day
      const sameDay = await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Bearer ${expiring.token}` } });
      expect(sameDay.statusCode).toBe(200);
    } finally {
      await nextDay.close();
    }
  });

  it('token brute force: after the failure limit the address gets 429 for its guesses — a valid token from it is still served', async () => {
    const b = await makeApp({ limits: { failedAuthAttempts: 10 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 15; i++) {
        const guess = 'hx_' + Buffer.from(`guess-${i}`).toString('base64url').padEnd(43, 'A');
        codes.push((await b.app.inject({ method: 'GET', url: '/api/v1/projects', headers: { authorization: `Bearer ${guess}` } })).statusCode);
      }
      expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
      expect(codes.slice(10).every((c) => c === 429)).toBe(true);
      // issue 15, finding 3: the lock-out must only hurt the guesser, never a colleague behind the same NAT
      const valid = await b.as('supervisor', { method: 'GET', url: '/api/v1/projects' });
      expect(valid.statusCode).toBe(200);
      // another address is not affected
      const other = await b.app.inject({ method: 'GET', url: '/api/v1/projects', remoteAddress: '10.0.0.9', headers: { authorization: `Bearer ${b.tokens.viewer}` } });
      expect(other.statusCode).toBe(200);
    } finally {
      await b.close();
    }
  });
});

describe('security headers', () => {
  it('helmet headers and no-store on API answers, errors included', async () => {
    for (const [role, url] of [
      ['viewer', '/api/v1/projects'],
      ['viewer', '/api/v1/nope'],
      [null, '/api/v1/projects'],
      ['viewer', '/health'],
    ] as const) {
      const r = await t.as(role, { method: 'GET', url });
      const what = `${role} ${url} ${r.statusCode}`;
      expect(r.headers['x-content-type-options'], what).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(String(r.headers['content-security-policy']), url).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      expect(r.headers['x-powered-by']).toBeUndefined();
      if (url.startsWith('/api/')) expect(r.headers['cache-control'], url).toContain('no-store');
    }
  });
});
