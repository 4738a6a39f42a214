import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(() => t.close());

/** The one error shape: { error: { code, message (Chinese), details?, requestId } }, no stack trace. */
function expectErrorShape(res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/json');
  const body = JSON.parse(res.body);
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  expect(body.error.requestId).toBe(res.headers['x-request-id']);
  expect(res.body).not.toMatch(/\bat .*\(.*:\d+:\d+\)|node_modules|\.ts:\d+/);
  return body.error;
}

describe('error responses', () => {
  it('malformed JSON is 400 MALFORMED_JSON', async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/flags/2/resolve', headers: { 'content-type': 'application/json' }, payload: '{"reason": "x",' });
    expectErrorShape(res, 400, 'MALFORMED_JSON');
  });

  it('a body violating the schema is 400 VALIDATION_FAILED with the issues', async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/flags/2/resolve', payload: { reason: '', extra: 1 } });
    const error = expectErrorShape(res, 400, 'VALIDATION_FAILED');
    expect(error.details.issues.length).toBeGreaterThanOrEqual(1);
    expect(error.details.issues[0]).toMatchObject({ in: 'body' });
  });

  it('a missing body where one is required is 400', async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/flags/2/resolve' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toMatch(/VALIDATION_FAILED|EMPTY_BODY/);
  });

  it('a blank reason (only spaces) is refused', async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/flags/2/resolve', payload: { reason: '   ' } });
    expectErrorShape(res, 400, 'REASON_REQUIRED');
  });

  it('a query parameter out of range (pageSize > 200) is 400', async () => {
    const res = await t.as('viewer', { url: '/api/v1/projects?pageSize=500' });
    const error = expectErrorShape(res, 400, 'VALIDATION_FAILED');
    expect(error.details.issues[0].in).toBe('querystring');
  });

  it('a path parameter of the wrong type is 400', async () => {
    expectErrorShape(await t.as('viewer', { url: '/api/v1/flags/abc' }), 400, 'VALIDATION_FAILED');
    expectErrorShape(await t.as('viewer', { url: '/api/v1/projects/1/ledger/2026-13' }), 400, 'VALIDATION_FAILED');
    expectErrorShape(await t.as('viewer', { url: '/api/v1/reports/yesterday' }), 400, 'VALIDATION_FAILED');
  });

  it('a date that does not exist (2026-02-30) is 400', async () => {
    expectErrorShape(await t.as('viewer', { url: '/api/v1/projects?asOf=2026-02-30' }), 400, 'VALIDATION_FAILED');
  });

  it('a malformed multipart body is 400 MALFORMED_MULTIPART, not a server error', async () => {
    for (const headers of [{ 'content-type': 'multipart/form-data' }, { 'content-type': 'multipart/form-data; boundary=zz' }]) {
      const res = await t.as('importer', { method: 'POST', url: '/api/v1/imports/projects', headers, payload: '--zz\r\nfoo\r\n' });
      expectErrorShape(res, 400, 'MALFORMED_MULTIPART');
    }
    const noFile = await t.as('importer', {
      method: 'POST',
      url: '/api/v1/imports/projects',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
      payload: '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--zz--\r\n',
    });
    expectErrorShape(noFile, 400, 'FILE_MISSING');
  });

  it('an invalid identity number in the path is 400 INVALID_ID_NUMBER', async () => {
    expectErrorShape(await t.as('supervisor', { url: '/api/v1/workers/12345' }), 400, 'INVALID_ID_NUMBER');
    // a masked role naming a worker by number is refused whatever the number (no oracle)
    expectErrorShape(await t.as('viewer', { url: '/api/v1/workers/12345' }), 403, 'ID_NUMBER_LOOKUP_FORBIDDEN');
  });

  it('unknown ids are 404 NOT_FOUND', async () => {
    for (const url of ['/api/v1/projects/999', '/api/v1/projects/NO-SUCH', '/api/v1/flags/999', '/api/v1/imports/999', '/api/v1/reports/2020-01-01', '/api/v1/projects/999/deposit']) {
      expectErrorShape(await t.as('supervisor', { url }), 404, 'NOT_FOUND');
    }
    expectErrorShape(await t.as('inspector', { method: 'POST', url: '/api/v1/flags/999/dismiss', payload: { reason: '误报' } }), 404, 'NOT_FOUND');
    expectErrorShape(await t.as('supervisor', { method: 'DELETE', url: '/api/v1/tokens/999' }), 404, 'TOKEN_NOT_FOUND');
  });

  it('an unknown route is 404 ROUTE_NOT_FOUND', async () => {
    expectErrorShape(await t.as('viewer', { url: '/api/v1/nothing-here' }), 404, 'ROUTE_NOT_FOUND');
    expectErrorShape(await t.app.inject({ url: '/wp-login.php' }), 404, 'ROUTE_NOT_FOUND');
  });

  it('a wrong method is 405 with an Allow header', async () => {
    const res = await t.as('supervisor', { method: 'PUT', url: '/api/v1/projects/1' });
    expectErrorShape(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('a JSON body over 1 MiB is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.as('supervisor', { method: 'POST', url: '/api/v1/tokens', payload: { role: 'viewer', name: 'x', reason: 'y'.repeat(1024 * 1024 + 10) } });
    expectErrorShape(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an unsupported content type is 415', async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/flags/2/resolve', headers: { 'content-type': 'text/csv' }, payload: 'reason\nx\n' });
    expectErrorShape(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('conflicting state is 409 (revoking a revoked token)', async () => {
    const created = await t.as('supervisor', { method: 'POST', url: '/api/v1/tokens', payload: { role: 'viewer', name: '一次性' } });
    const id = created.json().id;
    expect((await t.as('supervisor', { method: 'DELETE', url: `/api/v1/tokens/${id}` })).statusCode).toBe(200);
    expectErrorShape(await t.as('supervisor', { method: 'DELETE', url: `/api/v1/tokens/${id}` }), 409, 'ALREADY_REVOKED');
  });

  it('bad token input is 400 with a Chinese reason (expiry in the past)', async () => {
    const res = await t.as('supervisor', { method: 'POST', url: '/api/v1/tokens', payload: { role: 'viewer', name: 'x', expiresAt: '2020-01-01' } });
    expectErrorShape(res, 400, 'INVALID_EXPIRY');
  });

  it('401 and 403 use the same shape', async () => {
    expectErrorShape(await t.app.inject({ url: '/api/v1/projects' }), 401, 'UNAUTHENTICATED');
    expectErrorShape(await t.as('viewer', { url: '/api/v1/audit' }), 403, 'FORBIDDEN');
  });

  it('an internal failure is a bare 500 without the internal message', async () => {
    const broken = await makeApp({ seed: false });
    try {
      // every read of the queue starts from the evaluated days (renamed away rather than dropped: on
      // PostgreSQL other tables' keys depend on it, and a rename is the same SQL on both engines)
      await broken.store.sql.run('ALTER TABLE evaluated_days RENAME TO evaluated_days_gone');
      const res = await broken.as('viewer', { url: '/api/v1/flags' });
      const error = expectErrorShape(res, 500, 'INTERNAL_ERROR');
      expect(res.body).not.toContain('evaluated_days');
      expect(error.details).toBeUndefined();
    } finally {
      await broken.close();
    }
  });
});

describe('security headers', () => {
  it('API responses carry helmet headers and no-store', async () => {
    const res = await t.as('viewer', { url: '/api/v1/projects' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('the docs page loads its scripts from itself, allowed by the CSP, with no external host', async () => {
    const page = await t.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const scripts = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline scripts the CSP would block
    for (const src of scripts) {
      expect(src).not.toMatch(/^https?:/);
      const asset = await t.app.inject({ url: new URL(src, 'http://x/docs/').pathname });
      expect(asset.statusCode, src).toBe(200);
    }
  });

  it('/openapi.json documents the API with bearer security and every /api/v1 path', async () => {
    const res = await t.app.inject({ url: '/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of ['/api/v1/imports/{kind}', '/api/v1/projects', '/api/v1/projects/{project}/ledger/{month}', '/api/v1/flags/{id}/resolve', '/api/v1/reports/{asOf}', '/api/v1/audit', '/api/v1/tokens']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/health'].get.security).toEqual([]);
  });
});
