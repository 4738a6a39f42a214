import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAccessControl } from '../../src/api/access.ts';
import { BUREAU_ROLES, ROLES, type Role } from '../../src/api/roles.ts';
import { createToken, revokeToken } from '../../src/api/tokens.ts';
import { A, makeApp, NOW, type TestApp } from './helpers.ts';

/** every bureau role — never the contractor, which only the portal routes name (fail closed, issue 20) */
const ALL: readonly Role[] = BUREAU_ROLES;
/** Who may call what — the policy in docs/API.md. The route table must match it exactly. */
const POLICY: Record<string, readonly Role[] | 'public'> = {
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  'POST /api/v1/imports/:kind': ['importer', 'supervisor'],
  'GET /api/v1/imports': ALL,
  'GET /api/v1/imports/:id': ALL,
  'GET /api/v1/projects': ALL,
  'GET /api/v1/projects/:project': ALL,
  'GET /api/v1/projects/:project/ledger/:month': ALL,
  'GET /api/v1/projects/:project/deposit': ALL,
  'GET /api/v1/workers': ALL,
  'GET /api/v1/workers/:worker': ALL,
  'GET /api/v1/workers/:worker/export': ['supervisor'],
  'GET /api/v1/workers/:worker/full': ALL,
  'GET /api/v1/training': ALL,
  'GET /api/v1/training/projects/:project': ALL,
  'GET /api/v1/insurance': ALL,
  'GET /api/v1/insurance/coverage': ALL,
  'GET /api/v1/housing': ALL,
  // care records are sensitive (family members, children, legal aid): not the viewer, not the importer
  'GET /api/v1/care': ['inspector', 'supervisor'],
  'POST /api/v1/care/legal-aid': ['inspector', 'supervisor'],
  'GET /api/v1/flags': ALL,
  'GET /api/v1/flags/:id': ALL,
  'POST /api/v1/flags/:id/resolve': ['inspector', 'supervisor'],
  'POST /api/v1/flags/:id/dismiss': ['inspector', 'supervisor'],
  // project warnings (issue 18): everyone reads; inspectors act on a warning as a whole
  'GET /api/v1/warnings': ALL,
  'GET /api/v1/warnings/:key': ALL,
  'POST /api/v1/warnings/:key/order': ['inspector', 'supervisor'],
  'POST /api/v1/warnings/:key/case': ['inspector', 'supervisor'],
  'POST /api/v1/warnings/:key/blacklist': ['inspector', 'supervisor'],
  'GET /api/v1/warnings/rectifications': ALL,
  'POST /api/v1/warnings/:key/assign': ['inspector', 'supervisor'],
  'POST /api/v1/warnings/:key/close': ['inspector', 'supervisor'],
  'GET /api/v1/reports': ALL,
  'GET /api/v1/reports/:asOf': ALL,
  'GET /api/v1/reports/:asOf/xlsx': ALL,
  'GET /api/v1/audit': ['supervisor'],
  'GET /api/v1/params': ALL,
  'POST /api/v1/params/imports': ['supervisor'],
  'POST /api/v1/tokens': ['supervisor'],
  'GET /api/v1/tokens': ['supervisor'],
  'DELETE /api/v1/tokens/:id': ['supervisor'],
  // enforcement (docs/ENFORCEMENT.md): inspectors work orders, cases and the listing procedure; the supervisor
  // decides listings and removals; everyone reads (personal numbers masked); the evidence pack only for enforcers
  'POST /api/v1/orders': ['inspector', 'supervisor'],
  'GET /api/v1/orders': ALL,
  'GET /api/v1/orders/:id': ALL,
  'POST /api/v1/orders/:id/withdraw': ['supervisor'],
  'POST /api/v1/cases': ['inspector', 'supervisor'],
  'GET /api/v1/cases': ALL,
  'GET /api/v1/cases/:id': ALL,
  'POST /api/v1/cases/:id/transition': ['inspector', 'supervisor'],
  'POST /api/v1/cases/:id/accept': ['inspector', 'supervisor'],
  'POST /api/v1/cases/:id/agreed': ['inspector', 'supervisor'],
  'POST /api/v1/cases/:id/payments': ['inspector', 'supervisor'],
  'GET /api/v1/cases/:id/evidence-pack': ['inspector', 'supervisor'],
  'GET /api/v1/blacklist': ALL,
  'GET /api/v1/blacklist/changes': ALL,
  'GET /api/v1/blacklist/:id': ALL,
  'POST /api/v1/blacklist': ['inspector', 'supervisor'],
  'POST /api/v1/blacklist/incidents': ['inspector', 'supervisor'],
  'POST /api/v1/blacklist/:id/notice': ['inspector', 'supervisor'],
  'POST /api/v1/blacklist/:id/statement': ['inspector', 'supervisor'],
  'POST /api/v1/blacklist/:id/correction': ['inspector', 'supervisor'],
  'POST /api/v1/blacklist/:id/decision': ['supervisor'],
  'POST /api/v1/blacklist/:id/publish': ['supervisor'],
  'POST /api/v1/blacklist/:id/removal-application': ['inspector', 'supervisor'],
  'POST /api/v1/blacklist/:id/removal-decision': ['supervisor'],
  'POST /api/v1/blacklist/:id/removal': ['supervisor'],
  'POST /api/v1/blacklist/:id/restore': ['supervisor'],
  'POST /api/v1/blacklist/:id/revoke': ['supervisor'],
  'POST /api/v1/blacklist/:id/default-again': ['inspector', 'supervisor'],
  'POST /api/v1/blacklist/:id/criminal-case': ['inspector', 'supervisor'],
  'POST /api/v1/blacklist/:id/persons': ['inspector', 'supervisor'],
  // the web pages (src/pages, docs/PAGES.md): a session cookie instead of a bearer token
  'GET /assets/:file': 'public',
  'GET /login': 'public',
  'POST /login': 'public',
  'POST /logout': [...ALL, 'contractor'],
  // the contractor portal's pages and the bureau's list of submissions (issue 20)
  'GET /portal': ['contractor'],
  'POST /portal/upload': ['contractor'],
  'GET /portal/templates/:file': ['contractor'],
  'GET /portal/warnings': ['contractor'],
  'GET /portal/warnings/:key': ['contractor'],
  'POST /portal/warnings/:key/respond': ['contractor'],
  'GET /portal/confirmations': ['contractor'],
  'POST /portal/confirmations': ['contractor'],
  'GET /portal/files/:id': ['contractor'],
  'GET /submissions': ALL,
  // a contractor's scans cannot be masked: not for the read-only viewer
  'GET /submissions/files/:id': ['importer', 'inspector', 'supervisor'],
  'POST /warnings/:key/responses/:id/return': ['inspector', 'supervisor'],
  'GET /': [...ALL, 'contractor'], // a contractor is sent on to /portal
  'GET /flags': ALL,
  'POST /flags/:id/resolve': ['inspector', 'supervisor'],
  'POST /flags/:id/dismiss': ['inspector', 'supervisor'],
  'POST /flags/:id/order': ['inspector', 'supervisor'],
  'POST /flags/:id/case': ['inspector', 'supervisor'],
  'GET /warnings/:key': ALL,
  'POST /warnings/:key/:action': ['inspector', 'supervisor'],
  'GET /cases': ALL,
  'GET /cases/:id': ALL,
  'POST /cases/:id/transition': ['inspector', 'supervisor'],
  'POST /cases/:id/accept': ['inspector', 'supervisor'],
  'POST /cases/:id/agreed': ['inspector', 'supervisor'],
  'POST /cases/:id/payments': ['inspector', 'supervisor'],
  'GET /cases/:id/evidence-pack': ['inspector', 'supervisor'],
  'GET /orders': ALL,
  'GET /blacklist': ALL,
  'POST /blacklist/:id/decision': ['supervisor'],
  'GET /projects': ALL,
  'GET /projects/:code': ALL,
  'GET /imports': ALL,
  'POST /imports': ['importer', 'supervisor'],
  'GET /params': ALL,
  'POST /params': ['supervisor'],
  'GET /api/v1/notices': ['inspector', 'supervisor'],
  'GET /api/v1/submissions/late': ALL,
  // the contractor portal (issue 20): the contractor role only, every answer scoped to its unit
  'GET /api/v1/portal/projects': ['contractor'],
  'GET /api/v1/portal/submissions': ['contractor'],
  'GET /api/v1/portal/templates/:file': ['contractor'],
  'POST /api/v1/portal/imports/:kind': ['contractor'],
  'GET /api/v1/portal/warnings': ['contractor'],
  'GET /api/v1/portal/warnings/:key': ['contractor'],
  'POST /api/v1/portal/warnings/:key/responses': ['contractor'],
  'GET /api/v1/portal/confirmations': ['contractor'],
  'POST /api/v1/portal/confirmations': ['contractor'],
  'GET /api/v1/portal/files/:id': ['contractor'],
  'GET /api/v1/submissions': ALL,
  'GET /api/v1/submissions/files/:id': ['importer', 'inspector', 'supervisor'],
  'POST /api/v1/warnings/:key/responses/:id/return': ['inspector', 'supervisor'],
  'GET /notices': ['inspector', 'supervisor'],
  'GET /late': ALL,
  'GET /reports': ALL,
  'GET /reports/:asOf': ALL,
  'GET /reports/:asOf/json': ALL,
  'GET /reports/:asOf/xlsx': ALL,
};

/** Page routes answer a missing session with a redirect to the sign-in page, not 401. */
const isPage = (url: string) => !url.startsWith('/api/') && !url.startsWith('/docs') && url !== '/health' && url !== '/openapi.json';

let t: TestApp;
let spareTokenId: number;

beforeAll(async () => {
  t = await makeApp({ limits: { failedAuthAttempts: 10_000, importsPerMinute: 10_000, tokenRequestsPerMinute: 10_000 } });
  spareTokenId = (await createToken(t.store, { role: 'viewer', name: 'spare', actor: 'setup', now: NOW })).id;
});
afterAll(() => t.close());

/** A request that a permitted caller can make on each route (concrete URL and body). */
function requestFor(method: string, url: string) {
  const concrete = url
    .replace('/portal/imports/:kind', '/portal/imports/payroll')
    .replace(':file', 'payroll.csv')
    .replace(':kind', 'projects')
    .replace(':project', '1')
    .replace(':month', '2026-10')
    .replace(':worker', t.ref(A.id))
    .replace(':asOf', '2026-11-28')
    .replace('/tokens/:id', `/tokens/${spareTokenId}`)
    .replace(':id', '2');
  if (method === 'POST' && (url.startsWith('/api/v1/imports') || url.startsWith('/api/v1/portal/imports'))) return { method, url: concrete, headers: { 'content-type': 'text/csv' }, payload: 'x\n' };
  if (method === 'POST' && url.includes('/flags/')) return { method, url: concrete, payload: { reason: '已核实' } };
  if (method === 'POST' && url === '/api/v1/care/legal-aid') return { method, url: concrete, payload: { worker: t.ref(A.id), office: '信都区法律援助中心' } };
  if (method === 'POST' && url === '/api/v1/tokens') return { method, url: concrete, payload: { role: 'viewer', name: '临时' } };
  return { method, url: concrete };
}

describe('route table and roles', () => {
  it('every route (besides the documentation UI) is in the access policy with exactly the roles it declares', () => {
    const actual: Record<string, readonly Role[] | 'public'> = {};
    for (const r of t.app.routeTable) {
      if (r.method === 'HEAD' || r.url.startsWith('/docs')) continue;
      const url = r.url.length > 1 && r.url.endsWith('/') ? r.url.slice(0, -1) : r.url;
      actual[`${r.method} ${url}`] = r.roles === 'public' ? 'public' : [...r.roles].sort();
    }
    const expected = Object.fromEntries(Object.entries(POLICY).map(([k, v]) => [k, v === 'public' ? v : [...v].sort()]));
    expect(actual).toEqual(expected);
  });

  it('every automatic HEAD route allows exactly the roles of its GET route', () => {
    const byKey = new Map(t.app.routeTable.map((r) => [`${r.method} ${r.url}`, r.roles]));
    const heads = t.app.routeTable.filter((r) => r.method === 'HEAD');
    expect(heads.length).toBeGreaterThan(5);
    for (const h of heads) expect(h.roles, h.url).toEqual(byKey.get(`GET ${h.url}`));
  });

  it('documentation routes, the sign-in page and the page assets are the only other public routes', () => {
    const publicRoutes = t.app.routeTable.filter((r) => r.roles === 'public').map((r) => r.url);
    expect(publicRoutes.every((u) => u === '/health' || u === '/openapi.json' || u.startsWith('/docs') || u === '/login' || u === '/assets/:file')).toBe(true);
  });

  for (const [key, allowed] of Object.entries(POLICY)) {
    const [method, url] = key.split(' ') as [string, string];
    if (isPage(url)) {
      if (allowed === 'public') continue; // test/pages/pages.test.ts signs in and fetches the assets
      it(`${key} (page): redirect to /login without a session, 403 for ${ROLES.filter((r) => !allowed.includes(r)).join('/') || 'no role'}, allowed for ${allowed.join('/')}`, async () => {
        const concrete = url.replace(':id', '2').replace(':code', 'XT-2026-001').replace(':asOf', '2026-11-28').replace(':file', 'payroll.csv');
        const post = method === 'POST';
        const headers = post ? { origin: 'http://localhost', host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' } : {};
        const payload = post ? 'reason=%E5%B7%B2%E6%A0%B8%E5%AE%9E' : undefined;
        const anonymous = await t.app.inject({ method: method as 'GET', url: concrete, headers, payload });
        expect(anonymous.statusCode).toBe(303);
        expect(anonymous.headers.location).toMatch(/^\/login/);
        // a bearer header does not open a page: pages take the session cookie only
        const bearer = await t.app.inject({ method: method as 'GET', url: concrete, headers: { ...headers, authorization: `Bearer ${t.tokens.supervisor}` }, payload });
        expect(bearer.statusCode).toBe(303);
        for (const role of ROLES) {
          const res = await t.app.inject({ method: method as 'GET', url: concrete, headers: { ...headers, cookie: `huxin_session=${url === '/logout' ? await t.newSession(role) : t.sessions[role]}` }, payload });
          if (allowed.includes(role)) {
            expect([401, 403], `${role} → ${res.statusCode} ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
            if (url !== '/logout') expect(res.headers.location ?? '', role).not.toMatch(/^\/login/);
            expect(res.statusCode, `${role} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
          } else {
            expect(res.statusCode, `${role} should be refused`).toBe(403);
            expect(res.headers['content-type']).toContain('text/html');
          }
        }
      });
      continue;
    }
    if (allowed === 'public') {
      it(`${key} answers without a token`, async () => {
        const res = await t.app.inject({ method: method as 'GET', url });
        expect(res.statusCode).toBe(200);
      });
      continue;
    }
    it(`${key}: 401 without a token, 403 for ${ROLES.filter((r) => !allowed.includes(r)).join('/') || 'no role'}, allowed for ${allowed.join('/')}`, async () => {
      const req = requestFor(method, url);
      const anonymous = await t.app.inject(req as never);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
      const bad = await t.app.inject({ ...(req as object), headers: { ...((req as { headers?: object }).headers ?? {}), authorization: 'Bearer hx_not-a-real-token' } } as never);
      expect(bad.statusCode).toBe(401);
      for (const role of ROLES) {
        const res = await t.as(role, requestFor(method, url) as never);
        if (allowed.includes(role)) {
          expect([401, 403], `${role} → ${res.statusCode} ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
          expect(res.statusCode, `${role} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        } else {
          expect(res.statusCode, `${role} should be refused`).toBe(403);
          expect(res.json().error.code).toBe('FORBIDDEN');
        }
      }
    });
  }
});

describe('authentication', () => {
  it('a malformed Authorization header is 401 with a WWW-Authenticate challenge', async () => {
    const res = await t.app.inject({ url: '/api/v1/projects', headers: { authorization: `Basic ${t.tokens.viewer}` } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
  });

  it('a revoked token stops working at once', async () => {
    const { id, token } = await createToken(t.store, { role: 'viewer', name: 'leaver', actor: 'setup', now: NOW });
    const ok = await t.app.inject({ url: '/api/v1/projects', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    await revokeToken(t.store, { id, actor: 'setup', now: NOW });
    const res = await t.app.inject({ url: '/api/v1/projects', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('INVALID_TOKEN');
  });

  it('a token is valid through its expiry day (Shanghai) and refused the day after', async () => {
    const { token } = await createToken(t.store, { role: 'viewer', name: 'temp', actor: 'setup', now: NOW, expiresAt: '2026-11-28' });
    const today = await t.app.inject({ url: '/api/v1/projects', headers: { authorization: `Bearer ${token}` } });
    expect(today.statusCode).toBe(200);
    const later = await makeApp({ seed: false, now: () => '2026-11-28T16:30:00.000Z' }); // 2026-11-29 00:30 Shanghai
    try {
      const { token: t2 } = await createToken(later.store, { role: 'viewer', name: 'temp', actor: 'setup', now: NOW, expiresAt: '2026-11-28' });
      const res = await later.app.inject({ url: '/api/v1/projects', headers: { authorization: `Bearer ${t2}` } });
      expect(res.statusCode).toBe(401);
    } finally {
      await later.close();
    }
  });

  it('after too many failed attempts from one address, wrong tokens wait (429) — a valid token from the same address does not', async () => {
    // issue 15, finding 3: before, one script with a revoked token behind the office NAT locked out everyone
    const limited = await makeApp({ seed: false, limits: { failedAuthAttempts: 3, failedAuthWindowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await limited.app.inject({ url: '/api/v1/projects', headers: { authorization: 'Bearer hx_guess' } });
        expect(res.statusCode).toBe(401);
      }
      const blocked = await limited.app.inject({ url: '/api/v1/projects', headers: { authorization: 'Bearer hx_guess' } });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('TOO_MANY_FAILED_LOGINS');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.headers.connection).toBe('close');
      // a colleague behind the same address, with a valid token: served
      expect((await limited.as('viewer', { url: '/api/v1/projects' })).statusCode).toBe(200);
      // and signing in to the pages with a valid token works too
      const signIn = await limited.app.inject({
        method: 'POST',
        url: '/login',
        headers: { host: 'localhost', origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ token: limited.tokens.inspector, next: '/' }).toString(),
      });
      expect(signIn.statusCode).toBe(303);
      expect(String(signIn.headers['set-cookie'])).toMatch(/^huxin_session=/);
      // requests without any token are not guesses: they do not count (still 401)
      for (let i = 0; i < 5; i++) expect((await limited.app.inject({ url: '/api/v1/projects', remoteAddress: '10.9.9.9' })).statusCode).toBe(401);
      expect((await limited.app.inject({ url: '/api/v1/projects', remoteAddress: '10.9.9.9', headers: { authorization: 'Bearer hx_guess' } })).statusCode).toBe(401);
      // failures are counted per address: another address is not blocked
      expect((await limited.app.inject({ url: '/api/v1/projects', remoteAddress: '10.1.1.1', headers: { authorization: 'Bearer hx_guess' } })).statusCode).toBe(401);
      // /health stays reachable
      expect((await limited.app.inject({ url: '/health' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('each token is throttled on its own, whatever its address; other tokens are not affected', async () => {
    const limited = await makeApp({ seed: false, limits: { requestsPerTokenPerMinute: 5 } });
    try {
      for (let i = 0; i < 5; i++) expect((await limited.as('viewer', { url: '/api/v1/projects', remoteAddress: `10.0.0.${i + 1}` })).statusCode).toBe(200);
      const over = await limited.as('viewer', { url: '/api/v1/projects', remoteAddress: '10.0.0.99' });
      expect(over.statusCode).toBe(429);
      expect(over.json().error.code).toBe('RATE_LIMITED');
      expect((await limited.as('inspector', { url: '/api/v1/projects' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('behind a trusted reverse proxy the client address is X-Forwarded-For: one office\'s failures do not block another', async () => {
    const proxied = await makeApp({ seed: false, trustProxy: '127.0.0.1', limits: { failedAuthAttempts: 2 } });
    try {
      const viaProxy = (client: string, token = 'hx_guess') =>
        proxied.app.inject({ url: '/api/v1/projects', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client, authorization: `Bearer ${token}` } });
      expect((await viaProxy('192.168.1.10')).statusCode).toBe(401);
      expect((await viaProxy('192.168.1.10')).statusCode).toBe(401);
      expect((await viaProxy('192.168.1.10')).statusCode).toBe(429);
      expect((await viaProxy('192.168.2.20')).statusCode).toBe(401);
      // an untrusted peer cannot pick its address by the header
      const direct = await proxied.app.inject({ url: '/api/v1/projects', remoteAddress: '10.7.7.7', headers: { 'x-forwarded-for': '192.168.3.30', authorization: 'Bearer hx_guess' } });
      expect(direct.statusCode).toBe(401);
      expect((await proxied.app.inject({ url: '/api/v1/projects', remoteAddress: '10.7.7.7', headers: { 'x-forwarded-for': '192.168.4.40', authorization: 'Bearer hx_guess' } })).statusCode).toBe(401);
      expect((await proxied.app.inject({ url: '/api/v1/projects', remoteAddress: '10.7.7.7', headers: { authorization: 'Bearer hx_guess' } })).statusCode).toBe(429);
    } finally {
      await proxied.close();
    }
  });
});

describe('fail closed', () => {
  it('a route that declares no roles stops the server from starting', async () => {
    const app = Fastify();
    installAccessControl(app, { store: t.store, now: () => NOW, publicPrefixes: [], failedAuthLimit: 10, failedAuthWindowMs: 1000 });
    expect(() => app.get('/api/v1/forgotten', async () => ({ secret: true }))).toThrow(/declares no roles/);
    await app.close();
  });

  it('an empty role list is refused as well', async () => {
    const app = Fastify();
    installAccessControl(app, { store: t.store, now: () => NOW, publicPrefixes: [], failedAuthLimit: 10, failedAuthWindowMs: 1000 });
    expect(() => app.get('/api/v1/nobody', { config: { roles: [] } }, async () => ({}))).toThrow(/declares no roles/);
    await app.close();
  });
});

describe('HUXIN_TRUST_PROXY', () => {
  it('is read as fastify trustProxy: off by default, addresses/CIDRs, a hop count, or true', async () => {
    const { trustProxyOf } = await import('../../src/api/start.ts');
    expect(trustProxyOf(undefined)).toBe(false);
    expect(trustProxyOf('')).toBe(false);
    expect(trustProxyOf('false')).toBe(false);
    expect(trustProxyOf('0')).toBe(false);
    expect(trustProxyOf('true')).toBe(true);
    expect(trustProxyOf('2')).toBe(2);
    expect(trustProxyOf(' 127.0.0.1, 10.0.1.0/24 ')).toEqual(['127.0.0.1', '10.0.1.0/24']);
  });
});
