import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticate, hashToken } from '../../src/api/tokens.ts';
import { startServer, type RunningServer } from '../../src/api/start.ts';
import { tokenCommand } from '../../src/cli/token.ts';
import { countOf } from '../support/toEngine.ts';
import { makeApp, NOW, type TestApp } from './helpers.ts';

let t: TestApp;
let out: string[];
let err: string[];
const ctx = () => ({ store: t.store, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, actor: 'cli:admin', now: () => NOW });

beforeEach(async () => {
  t = await makeApp({ seed: false });
  out = [];
  err = [];
});
afterEach(() => t.close());

describe('huxin token', () => {
  it('create prints only the token on stdout; it works against the API; only its hash is stored; it is audited', async () => {
    const code = await tokenCommand(['create', '--role', 'inspector', '--name', '赵监察', '--expires', '2027-12-31'], ctx());
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const token = out[0]!.trim();
    expect(token).toMatch(/^hx_[A-Za-z0-9_-]{43}$/);
    expect(err.join('')).toMatch(/只显示这一次/);
    expect(await authenticate(t.store, token, NOW)).toMatchObject({ name: '赵监察', role: 'inspector' });
    const row = (await t.store.sql.get<Record<string, unknown>>("SELECT * FROM api_tokens WHERE name = '赵监察'"))!;
    expect(row.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expires_at).toBe('2027-12-31');
    const audit = await t.store.sql.get<{ actor: string }>("SELECT * FROM audit_log WHERE action = 'token_create' AND entity_id = ?", [String(row.id)]);
    expect(audit?.actor).toBe('cli:admin');
    const res = await t.app.inject({ url: '/api/v1/flags', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
  });

  it('create --role contractor --uscc binds the token to the unit; without a valid code it exits 1', async () => {
    expect(await tokenCommand(['create', '--role', 'contractor', '--uscc', '91130500ma0000001n', '--name', '王专管'], ctx())).toBe(0);
    const token = out[0]!.trim();
    expect(await authenticate(t.store, token, NOW)).toMatchObject({ name: '王专管', role: 'contractor', uscc: '91130500MA0000001N' });
    expect(err.join('')).toContain('单位 91130500MA0000001N');
    // a contractor is refused on the bureau's routes and answered on its portal
    expect((await t.app.inject({ url: '/api/v1/flags', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/portal/projects', headers: { authorization: `Bearer ${token}` } })).json()).toEqual({ uscc: '91130500MA0000001N', items: [] });
    out = [];
    expect(await tokenCommand(['list'], ctx())).toBe(0);
    expect(out.join('')).toMatch(/\tcontractor\t王专管\tactive\t.*\t91130500MA0000001N\n/);
    err = [];
    expect(await tokenCommand(['create', '--role', 'contractor', '--name', '无单位'], ctx())).toBe(1);
    expect(err.join('')).toContain('统一社会信用代码');
    expect(await tokenCommand(['create', '--role', 'contractor', '--uscc', '91130500MA0000001X', '--name', '错码'], ctx())).toBe(1);
    expect(await tokenCommand(['create', '--role', 'viewer', '--uscc', '91130500MA0000001N', '--name', '多余'], ctx())).toBe(1);
  });

  it('list shows every token with its status, never a secret', async () => {
    await tokenCommand(['create', '--role', 'viewer', '--name', '县领导'], ctx());
    const secret = out[0]!.trim();
    out = [];
    expect(await tokenCommand(['list'], ctx())).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/^id\trole\tname\tstatus/);
    expect(text).toMatch(/\tviewer\t县领导\tactive\t/);
    expect(text).not.toContain(secret);
  });

  it('revoke stops the token and is audited; revoking again fails with exit 1', async () => {
    await tokenCommand(['create', '--role', 'viewer', '--name', '临时'], ctx());
    const token = out[0]!.trim();
    const id = (await t.store.sql.get<{ id: number }>("SELECT id FROM api_tokens WHERE name = '临时'"))!.id;
    expect(await tokenCommand(['revoke', String(id), '--reason', '离职'], ctx())).toBe(0);
    expect(await authenticate(t.store, token, NOW)).toBeNull();
    const audit = await t.store.sql.get<{ reason: string }>("SELECT reason FROM audit_log WHERE action = 'token_revoke' AND entity_id = ?", [String(id)]);
    expect(audit?.reason).toBe('离职');
    err = [];
    expect(await tokenCommand(['revoke', String(id)], ctx())).toBe(1);
    expect(err.join('')).toMatch(/已于/);
  });

  it('bad input exits non-zero with the reason on stderr', async () => {
    expect(await tokenCommand(['create', '--role', 'admin', '--name', 'x'], ctx())).toBe(1);
    expect(err.join('')).toMatch(/角色“admin”无效/);
    err = [];
    expect(await tokenCommand(['create', '--role', 'viewer'], ctx())).toBe(2);
    expect(err.join('')).toMatch(/--name/);
    err = [];
    expect(await tokenCommand(['create', '--role', 'viewer', '--name', 'x', '--expires', '2026/12/31'], ctx())).toBe(1);
    expect(await tokenCommand(['revoke', 'abc'], ctx())).toBe(2);
    expect(await tokenCommand(['frobnicate'], ctx())).toBe(2);
    expect(await tokenCommand([], ctx())).toBe(2);
    expect(out).toEqual([]);
    expect(countOf(await t.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM api_tokens WHERE name = 'x'"))).toBe(0);
  });
});

describe('startServer', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('listens on HOST/PORT from the environment and answers /health over real HTTP', async () => {
    running = await startServer({ location: t.dbPath, env: { HOST: '127.0.0.1', PORT: '0' }, logger: false, handleSignals: false });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${running.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    const denied = await fetch(`${running.url}/api/v1/projects`);
    expect(denied.status).toBe(401);
  });
});
