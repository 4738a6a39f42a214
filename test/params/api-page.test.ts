/**
 * 法定参数 over HTTP and on the supervisor's page: GET /api/v1/params lists what is in force with its source;
 * POST /api/v1/params/imports is for supervisors only, answers 422 with file/line/reason for a bad file
 * (nothing written) and 201 for a good one (audited with the token's name); the /params page shows the
 * same and imports a file. Real server on the test's engine (test/api/helpers.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../api/helpers.ts';
import type { Role } from '../../src/api/roles.ts';
import { countOf } from '../support/toEngine.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(() => t.close());

const ORIGIN = { host: 'localhost', origin: 'http://localhost' };
const cookieOf = (role: Role) => `huxin_session=${t.sessions[role]}`;
const SCHEDULE = readFileSync('test/params/fixtures/holidays-2027.yaml', 'utf8');

describe('GET /api/v1/params', () => {
  it('lists every value in force on the day with its source and origin; the missing 2027 notice from November 2026', async () => {
    const res = await t.as('viewer', { url: '/api/v1/params?asOf=2026-11-28' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const cap = body.params.find((p: { parameter: string }) => p.parameter === 'depositCap');
    expect(cap).toMatchObject({ label: '工资保证金单个项目存储上限（河北）', value: '5000000.00', unit: '元', from: '2022-03-04', origin: 'params/deposit/depositCap.yaml:7' });
    expect(cap.source).toMatchObject({ document: expect.stringContaining('冀人社规〔2022〕3号'), verified: true });
    expect(body.missingHolidayYears).toEqual([{ year: 2027, message: expect.stringContaining('2027年放假安排未录入') }]);
    expect((await t.as('viewer', { url: '/api/v1/params?asOf=2026-02-30' })).statusCode).toBe(400);
  });

  it('the dashboard warns of the missing notice (November: next year’s is due)', async () => {
    const dash = await t.app.inject({ url: '/', headers: { cookie: cookieOf('viewer') } });
    expect(dash.statusCode).toBe(200);
    expect(dash.body).toContain('data-testid="warning"');
    expect(dash.body).toContain('2027年放假安排未录入');
  });
});

describe('POST /api/v1/params/imports', () => {
  it('is refused for an inspector (403) and writes nothing', async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/params/imports', payload: { fileName: 'h.yaml', content: SCHEDULE } });
    expect(res.statusCode).toBe(403);
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM param_imports'))).toBe(0);
  });

  it('a bad file: 422 with every problem by line, nothing written', async () => {
    const res = await t.as('supervisor', { method: 'POST', url: '/api/v1/params/imports', payload: { fileName: 'bad.yaml', content: SCHEDULE.replace('2027-02-14', '2027-02-15') } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'INVALID_PARAM_FILE', details: { problems: [{ file: 'bad.yaml', line: 7, reason: expect.stringContaining('不是周六或周日') }] } });
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM param_values'))).toBe(0);
  });

  it('a good file: 201, in force at once for the next computation, audited with the token name', async () => {
    const res = await t.as('supervisor', { method: 'POST', url: '/api/v1/params/imports', payload: { fileName: 'holidays-2027.yaml', content: SCHEDULE } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ importId: 1, holidayYears: [2027], values: [] });
    const audit = await t.store.sql.all("SELECT actor FROM audit_log WHERE action = 'params_import'");
    expect(audit).toEqual([{ actor: 'supervisor-user' }]);
    const listed = (await t.as('viewer', { url: '/api/v1/params?asOf=2026-11-28' })).json();
    expect(listed.missingHolidayYears).toEqual([]);
    expect((await t.app.inject({ url: '/', headers: { cookie: cookieOf('viewer') } })).body).not.toContain('data-testid="warning"');
    expect(listed.holidays.find((h: { year: number }) => h.year === 2027)).toMatchObject({ origin: expect.stringContaining('导入#1 holidays-2027.yaml（supervisor-user') });
  });
});

describe('the /params page', () => {
  it('shows the values with their sources to every role; only a supervisor gets the import form', async () => {
    const viewer = await t.app.inject({ url: '/params?asOf=2026-11-28', headers: { cookie: cookieOf('viewer') } });
    expect(viewer.statusCode).toBe(200);
    expect(viewer.body).toContain('工资保证金单个项目存储上限（河北）');
    expect(viewer.body).toContain('params/deposit/depositCap.yaml:7');
    expect(viewer.body).not.toContain('data-testid="params-form"');
    expect((await t.app.inject({ url: '/params', headers: { cookie: cookieOf('supervisor') } })).body).toContain('data-testid="params-form"');
  });

  it('a supervisor imports a file there; a bad one lists its problems by line', async () => {
    const boundary = '----huxin';
    const upload = (name: string, content: string) =>
      t.app.inject({
        method: 'POST',
        url: '/params',
        headers: { ...ORIGIN, cookie: cookieOf('supervisor'), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/yaml\r\n\r\n${content}\r\n--${boundary}--\r\n`),
      });
    const bad = await upload('local.yaml', 'parameter: guaranteeExpiringWindow\nvalues:\n  2027-01-01:\n    value: { days: -3 }\n    source: { document: 本局通知, verified: true, localSetting: true }\n');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('第 4 行');
    const ok = await upload('local.yaml', 'parameter: guaranteeExpiringWindow\nvalues:\n  2027-01-01:\n    value: { days: 45 }\n    source: { document: 本局通知, verified: true, localSetting: true }\n');
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('data-testid="params-ok"');
    expect(ok.body).toContain('保函到期提示天数 自 2027-01-01');
  });
});
