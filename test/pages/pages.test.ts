/**
 * The page routes through `inject` (cheap; the browser tests are in test/e2e): sign-in and the session
 * cookie, redirects, escaping, the same-origin check on form posts, role refusals as HTML, and no whole
 * identity, card or phone number of the seeded people on any page for any role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUREAU_ROLES, type Role } from '../../src/api/roles.ts';
import { html, raw, safeLocalPath } from '../../src/pages/html.ts';
import { B, leakedSecrets, makeApp, maskedId, type TestApp } from '../api/helpers.ts';
import { nightlyScheduleZh } from '../../src/pages/views/imports.ts';
import { countOf } from '../support/toEngine.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(() => t.close());

const ORIGIN = { host: 'localhost', origin: 'http://localhost' };
const FORM = { ...ORIGIN, 'content-type': 'application/x-www-form-urlencoded' };
const cookieOf = (role: Role) => `huxin_session=${t.sessions[role]}`;
const page = (role: Role, url: string) => t.app.inject({ url, headers: { cookie: cookieOf(role) } });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('html template', () => {
  it('escapes every interpolated value, joins arrays, drops null/false, keeps Html as is', () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
    expect(html`${['<a>', html`<b>`]}${null}${false}${undefined}${0}${raw('<i>')}`.value).toBe('&lt;a&gt;<b>0<i>');
  });

  it('form redirects go only to local paths', () => {
    expect(safeLocalPath('/flags?county=x')).toBe('/flags?county=x');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil', 'javascript:alert(1)', '/a\nb', 42]) expect(safeLocalPath(bad)).toBe('/');
  });
});

describe('sign-in and session', () => {
  it('a page without a session redirects to /login and remembers where it was going', async () => {
    const res = await t.app.inject({ url: '/flags?county=%E4%BF%A1%E9%83%BD%E5%8C%BA' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent('/flags?county=%E4%BF%A1%E9%83%BD%E5%8C%BA')}`);
  });

  it('the sign-in form sets an http-only SameSite=Strict session cookie (not Secure on plain HTTP) and goes to next', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/login', headers: FORM, payload: form({ token: t.tokens.inspector, next: '/flags' }) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/flags');
    const cookie = String(res.headers['set-cookie']);
    // a session id of its own, never the token (issue 15, finding 8), ending with the session's absolute expiry
    expect(cookie).not.toContain(t.tokens.inspector);
    expect(cookie).toMatch(/^huxin_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    expect(cookie).toMatch(/Path=\//);
  });

  it('next cannot send the browser to another site', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/login', headers: FORM, payload: form({ token: t.tokens.viewer, next: '//evil.example/x' }) });
    expect(res.headers.location).toBe('/');
  });

  it('a wrong token is 401 with the form again, and counts as a failed authentication', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/login', headers: FORM, payload: form({ token: 'hx_wrong' }) });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('令牌无效');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('sign-in from another site is refused (same-origin check)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { ...FORM, origin: 'http://evil.example' },
      payload: form({ token: t.tokens.viewer }),
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('a revoked token in the cookie sends the browser back to /login and clears the cookie', async () => {
    const res = await t.app.inject({ url: '/', headers: { cookie: 'huxin_session=hx_revoked-or-forged' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(String(res.headers['set-cookie'])).toMatch(/huxin_session=;.*Max-Age=0/);
  });

  it('every page shows the signed-in name and role, and is not cached', async () => {
    const res = await page('viewer', '/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('viewer-user');
    expect(res.body).toContain('<span class="role">查看者</span>');
    expect(res.body).not.toContain('（viewer）'); // the role in Chinese only (issue 18: no English in user text)
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    // no inline script: the only script is the served file
    expect(res.body.match(/<script[^>]*>/g)).toEqual(['<script src="/assets/app.js" defer>']);
  });

  it('sign-out clears the cookie and ends the session on the server: the old cookie no longer opens anything', async () => {
    const signIn = await t.app.inject({ method: 'POST', url: '/login', headers: FORM, payload: form({ token: t.tokens.viewer, next: '/' }) });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    expect((await t.app.inject({ url: '/', headers: { cookie } })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/logout', headers: { ...FORM, cookie } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(String(res.headers['set-cookie'])).toMatch(/huxin_session=;/);
    // before issue 15 the cookie was the token and still worked after logout
    const again = await t.app.inject({ url: '/', headers: { cookie } });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/login');
    // and the token itself is not a session
    expect((await t.app.inject({ url: '/', headers: { cookie: `huxin_session=${t.tokens.viewer}` } })).statusCode).toBe(303);
  });

  it('assets are public and served from this server only', async () => {
    const css = await t.app.inject({ url: '/assets/app.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.body).toContain('@media print');
    expect(css.body).not.toMatch(/url\(|@import|https?:/);
    expect((await t.app.inject({ url: '/assets/app.js' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/assets/../server.ts' })).statusCode).toBe(404);
  });
});

describe('escaping', () => {
  it('a project name with markup is shown as text on every page that names it', async () => {
    await t.store.sql.run('UPDATE projects SET name = ? WHERE id = 2', ['<img src=x onerror=alert(1)>"道路']);
    try {
      for (const url of ['/projects', '/projects/XT-2026-002', '/flags']) {
        const res = await page('viewer', url);
        expect(res.statusCode, url).toBe(200);
        expect(res.body, url).not.toContain('<img src=x');
        expect(res.body, url).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;道路');
      }
    } finally {
      await t.store.sql.run("UPDATE projects SET name = '任泽区道路改造' WHERE id = 2");
    }
  });

  it('filter values are escaped back into the form', async () => {
    const res = await page('viewer', `/flags?county=${encodeURIComponent('"><script>x</script>')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>x</script>');
  });
});

describe('form posts', () => {
  const resolve = (headers: Record<string, string>, reason = '已核实补发') =>
    t.app.inject({ method: 'POST', url: '/flags/3/resolve', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form({ reason, back: '/flags?county=x' }) });

  it('need the session cookie', async () => {
    const res = await resolve({ ...ORIGIN });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('from another origin, or with neither Origin nor Referer, are refused', async () => {
    for (const headers of <Record<string, string>[]>[
      { host: 'localhost', origin: 'http://evil.example', cookie: cookieOf('inspector') },
      { host: 'localhost', referer: 'http://evil.example/page', cookie: cookieOf('inspector') },
      { host: 'localhost', cookie: cookieOf('inspector') },
      { host: 'localhost', origin: 'null', cookie: cookieOf('inspector') },
    ]) {
      const res = await resolve(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
    }
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM flag_reviews'))).toBe(0);
  });

  it('a role that may not review gets a 403 page', async () => {
    const res = await resolve({ ...ORIGIN, cookie: cookieOf('viewer') });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('无权');
  });

  it('an empty reason is refused and nothing is stored', async () => {
    const res = await resolve({ ...ORIGIN, cookie: cookieOf('inspector') }, '   ');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('必须填写');
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM flag_reviews'))).toBe(0);
  });

  it('resolve goes through the API (flag_reviews + audit) and back to the queue, where the flag no longer is', async () => {
    const res = await resolve({ ...ORIGIN, cookie: cookieOf('inspector') });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/flags?county=x&done=resolved-3');
    expect(await t.store.sql.all('SELECT status, reason, actor FROM flag_reviews')).toEqual([{ status: 'resolved', reason: '已核实补发', actor: 'inspector-user' }]);
    const audit = await t.store.sql.all("SELECT actor, action FROM audit_log WHERE action = 'flag_resolve'");
    expect(audit).toEqual([{ actor: 'inspector-user', action: 'flag_resolve' }]);
    // the flags one by one (the queue opens on the project warnings)
    const queue = await page('inspector', '/flags?view=flags&done=resolved-3');
    expect(queue.body).toContain('预警 #3 已标记为已处理');
    expect(queue.body).not.toContain('data-flag-id="3"');
    expect(queue.body).toContain('data-flag-id="2"');
  });

  it('only importers and supervisors see the upload form; a multipart upload of a broken file lists its problems (422)', async () => {
    expect((await page('inspector', '/imports')).body).not.toContain('enctype="multipart/form-data"');
    expect((await page('importer', '/imports')).body).toContain('enctype="multipart/form-data"');
    const boundary = '----huxin';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\npayroll\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="工资.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      `项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,代扣款项,实发工资,本人确认\r\nXT-2026-001,2026-10,${B.name},${B.id},22,6600,0,6500,是\r\n` +
      `--${boundary}--\r\n`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/imports',
      headers: { ...ORIGIN, cookie: cookieOf('importer'), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.from(body),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('第 2 行');
    expect(res.body).toContain('实发工资');
    expect(leakedSecrets(res.body)).toEqual([]);
  });
});

describe('personal data', () => {
  it('no page shows a whole identity, card or phone number to any role', async () => {
    const urls = ['/', '/flags', '/flags?status=all', '/projects', '/projects/XT-2026-001', '/projects/XT-2026-002', '/imports', '/reports', '/cases', '/orders', '/blacklist', '/late'];
    for (const role of BUREAU_ROLES) {
      for (const url of urls) {
        const res = await page(role, url);
        expect(res.statusCode, `${role} ${url}`).toBe(200);
        expect(leakedSecrets(res.body), `${role} ${url}`).toEqual([]);
      }
    }
    expect((await page('viewer', '/projects/XT-2026-001')).body).toContain(maskedId(B.id));
  });

  it('an unknown project is a 404 page, not an API error', async () => {
    const res = await page('viewer', '/projects/NOPE-1');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
  });
});

describe('enforcement pages', () => {
  const post = (role: Role, url: string, fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: cookieOf(role) }, payload: form(fields) });

  it('a wage flag shows the order and case forms (not the placeholder) to reviewers only', async () => {
    const inspector = (await page('inspector', '/flags?view=flags')).body;
    expect(inspector).not.toContain('执法模块上线后提供');
    expect(inspector).toContain('action="/flags/2/order"');
    expect(inspector).toContain('action="/flags/2/case"');
    expect(inspector).toContain('name="deadline" required');
    // a text field in 年-月-日 form, never the browser's locale format (mm/dd/yyyy in an English browser)
    expect(inspector).toContain('type="text" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}"');
    expect((await page('viewer', '/flags?view=flags')).body).not.toContain('/flags/2/case');
  });

  it('a viewer cannot post an order, a case or a transition, and nothing is stored', async () => {
    for (const url of ['/flags/2/order', '/flags/2/case', '/cases/1/transition', '/blacklist/1/decision']) {
      const res = await post('viewer', url, { reason: '试图立案', deadline: '2026-12-10', to: 'mediation', approve: '1' });
      expect(res.statusCode, url).toBe(403);
      expect(res.body).toContain('无权');
    }
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM wage_cases'))).toBe(0);
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM inspection_orders'))).toBe(0);
  });

  it('an order without a deadline is refused; with one it is issued through the API and listed on /orders', async () => {
    const missing = await post('inspector', '/flags/2/order', { reason: '责令补发', back: '/flags' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('支付期限');
    const res = await post('inspector', '/flags/2/order', { reason: '责令总包单位先行清偿', deadline: '2026-12-10', back: '/flags' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    expect(res.headers.location).toMatch(/^\/orders\?done=issued-1#order-1$/);
    const orders = await page('viewer', '/orders?done=issued-1');
    expect(orders.body).toContain('已作出责令限期支付 #1');
    expect(orders.body).toContain('2026-12-10');
    expect(orders.body).toContain('期限未到');
    expect(leakedSecrets(orders.body)).toEqual([]);
    expect(await t.store.sql.all("SELECT actor FROM audit_log WHERE action = 'order_issue'")).toEqual([{ actor: 'inspector-user' }]);
  });

  it('a case opened from a flag appears on /cases; its page shows items (masked), events and the allowed moves', async () => {
    const res = await post('inspector', '/flags/2/case', { reason: '工人投诉，经核实少付工资', back: '/flags' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const m = /^\/cases\/(\d+)\?done=opened$/.exec(String(res.headers.location));
    expect(m).not.toBeNull();
    const id = m![1];
    const list = await page('viewer', '/cases');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`data-case-id="${id}"`);
    expect(list.body).toContain('2,823.50');
    const detail = await page('inspector', `/cases/${id}?done=opened`);
    expect(detail.body).toContain(`已立案（案件 #${id}）`);
    expect(detail.body).toContain(maskedId(B.id));
    expect(leakedSecrets(detail.body)).toEqual([]);
    expect(detail.body).toContain('工人投诉，经核实少付工资');
    expect(detail.body).toContain('name="to" value="mediation"');
    expect(detail.body).toContain(`href="/cases/${id}/evidence-pack"`);
    // the viewer reads the case but gets no buttons
    const viewer = await page('viewer', `/cases/${id}`);
    expect(viewer.body).not.toContain('name="to"');
    // the printable evidence pack through the page session
    const pack = await page('inspector', `/cases/${id}/evidence-pack`);
    expect(pack.statusCode).toBe(200);
    expect(pack.headers['content-type']).toContain('text/html');
    expect(leakedSecrets(pack.body)).toEqual([]);
  });

  it('a forbidden transition shows the API’s Chinese 409 message; an allowed one moves the case and records the reason', async () => {
    const id = (await t.store.sql.get<{ id: number }>('SELECT max(id) AS id FROM wage_cases'))!.id;
    const forbidden = await post('inspector', `/cases/${id}/transition`, { to: 'awarded', reason: '直接裁决' });
    expect(forbidden.statusCode).toBe(409);
    expect(forbidden.body).toContain('案件不能从“');
    expect(forbidden.body).toContain('当前只能转入');
    expect(forbidden.body).toContain(`href="/cases/${id}"`);
    const empty = await post('inspector', `/cases/${id}/transition`, { to: 'mediation', reason: ' ' });
    expect(empty.statusCode).toBe(400);
    const ok = await post('inspector', `/cases/${id}/transition`, { to: 'mediation', reason: '双方同意调解' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/cases/${id}?done=moved-mediation`);
    const detail = await page('inspector', String(ok.headers.location));
    expect(detail.body).toContain('data-testid="stage">快调（调解）');
    expect(detail.body).toContain('双方同意调解');
    expect(detail.body).toContain('inspector-user');
  });

  it('the case page records the agreed amount, payments to the worker and the acceptance; a bad amount shows the API’s message', async () => {
    const id = (await t.store.sql.get<{ id: number }>('SELECT max(id) AS id FROM wage_cases'))!.id;
    // in mediation (the previous test): no authority accepts anything yet, so no acceptance form
    const form = await page('inspector', `/cases/${id}`);
    for (const testid of ['agreed', 'paid']) expect(form.body).toContain(`data-testid="${testid}"`);
    expect(form.body).not.toContain('data-testid="accept"');
    expect((await page('viewer', `/cases/${id}`)).body).not.toContain('data-testid="agreed"');
    // a reason is required
    expect((await post('inspector', `/cases/${id}/agreed`, { amount: '2823.50', on: '2026-11-28', reason: ' ' })).statusCode).toBe(400);
    // an amount that is not money is refused by the API with its message; nothing is recorded
    const bad = await post('inspector', `/cases/${id}/agreed`, { amount: '12,3', on: '2026-11-28', reason: '调解协议' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(`href="/cases/${id}"`);
    expect(await t.store.sql.get('SELECT agreed_fen FROM wage_cases WHERE id = ?', [id])).toEqual({ agreed_fen: null });
    const agreed = await post('inspector', `/cases/${id}/agreed`, { amount: '2823.50', on: '2026-11-28', reason: '调解协议书 邢调〔2026〕3号' });
    expect(agreed.statusCode).toBe(303);
    expect((await page('inspector', String(agreed.headers.location))).body).toContain('已记录约定金额 2823.50 元');
    const paid = await post('inspector', `/cases/${id}/payments`, { amount: '1000.00', on: '2026-11-28', worker: t.ref(B.id), bankRef: 'BR-9001', reason: '银行回单' });
    expect(paid.statusCode).toBe(303);
    const detail = await page('inspector', String(paid.headers.location));
    expect(detail.body).toContain('已记录支付，累计支付到人 1000.00 元');
    expect(detail.body).toContain('尚欠 1,823.50');
    expect(leakedSecrets(detail.body)).toEqual([]);
    // the agreement is not carried out: arbitration; the committee's acceptance is recorded from the page
    expect((await post('inspector', `/cases/${id}/transition`, { to: 'arbitration', reason: '调解协议未履行，申请仲裁' })).statusCode).toBe(303);
    const arbitration = await page('inspector', `/cases/${id}`);
    expect(arbitration.body).toContain('data-testid="accept"');
    expect((await post('inspector', `/cases/${id}/accept`, { on: '2026-11-28', reason: ' ' })).statusCode).toBe(400);
    const accepted = await post('inspector', `/cases/${id}/accept`, { on: '2026-11-28', reason: '邢劳人仲案字〔2026〕第12号' });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/cases/${id}?done=accepted`);
    const afterAccept = await page('inspector', String(accepted.headers.location));
    expect(afterAccept.body).toContain('已记录受理（2026-11-28）');
    expect(afterAccept.body).toContain('2026-11-28 受理');
    expect(afterAccept.body).not.toContain('data-testid="accept"'); // accepted once per stage
    const row = await t.store.sql.get('SELECT agreed_fen, paid_fen, accepted_on, stage FROM wage_cases WHERE id = ?', [id]);
    expect(row).toEqual({ agreed_fen: 282350, paid_fen: 100000, accepted_on: '2026-11-28', stage: 'arbitration' });
  });

  it('the blacklist page is readable by every role; only the supervisor sees decision buttons', async () => {
    for (const role of BUREAU_ROLES) {
      const res = await page(role, '/blacklist');
      expect(res.statusCode, role).toBe(200);
      expect(res.body).toContain('失信联合惩戒名单');
    }
    const nav = (await page('viewer', '/')).body;
    for (const href of ['/cases', '/orders', '/blacklist']) expect(nav).toContain(`href="${href}"`);
  });
});

describe('page sessions expire (issue 15, finding 8)', () => {
  it('after 30 idle minutes, 12 hours after sign-in however active, and when the token is revoked', async () => {
    let clock = Date.parse('2026-11-28T02:00:00.000Z');
    const at = (minutes: number) => (clock += minutes * 60_000);
    const s = await makeApp({ now: () => new Date(clock).toISOString() });
    try {
      const signIn = async () => {
        const r = await s.app.inject({ method: 'POST', url: '/login', headers: FORM, payload: form({ token: s.tokens.viewer, next: '/' }) });
        expect(r.statusCode).toBe(303);
        return String(r.headers['set-cookie']).split(';')[0]!;
      };
      const opens = async (cookie: string) => (await s.app.inject({ url: '/reports', headers: { cookie } })).statusCode === 200;

      // idle: used at 29 minutes (the idle clock starts again), then left 31 minutes
      let cookie = await signIn();
      at(29);
      expect(await opens(cookie)).toBe(true);
      at(29);
      expect(await opens(cookie)).toBe(true);
      at(31);
      expect(await opens(cookie)).toBe(false);

      // absolute: used every 20 minutes, still ends 12 hours after sign-in
      cookie = await signIn();
      for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
        at(20);
        expect(await opens(cookie), `${minutes} min`).toBe(true);
      }
      at(20);
      expect(await opens(cookie)).toBe(false);

      // the token revoked: its sessions end at once
      cookie = await signIn();
      expect(await opens(cookie)).toBe(true);
      const { revokeToken } = await import('../../src/api/tokens.ts');
      const tokenId = (await s.store.sql.get<{ id: number }>("SELECT id FROM api_tokens WHERE name = 'viewer-user'"))!.id;
      await revokeToken(s.store, { id: tokenId, actor: 'test', now: new Date(clock).toISOString() });
      expect(await opens(cookie)).toBe(false);
      // sessions are stored hashed: no cookie value in the table
      const rows = await s.store.sql.all<{ session_hash: string }>('SELECT session_hash FROM page_sessions');
      expect(rows.some((r) => cookie.endsWith(r.session_hash))).toBe(false);
    } finally {
      await s.close();
    }
  });
});

describe('one evaluated day on a page (issue 18)', () => {
  it('three days after the last evaluation the project page reads its ledger at the evaluated day, so overdue days agree with the flags', async () => {
    const later = await makeApp({ now: () => '2026-12-01T02:00:00.000Z' });
    try {
      const signIn = await later.app.inject({ method: 'POST', url: '/login', headers: FORM, payload: form({ token: later.tokens.viewer, next: '/' }) });
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const res = await later.app.inject({ url: '/projects/XT-2026-001', headers: { cookie } });
      expect(res.statusCode).toBe(200);
      const asOf = /data-testid="as-of">([^<]*)</.exec(res.body)?.[1] ?? '';
      expect(asOf).toContain('截至 2026-11-28（最近一次评估日）');
      // B's October wages: 15 days overdue at the evaluated day 2026-11-28, as the flags count; 18 would be counted to today
      const ledgerCells = [...res.body.matchAll(/<td class="num">(\d+)<\/td><td class="nowrap small">/g)].map((m) => Number(m[1]));
      expect(ledgerCells).toEqual([15]);
      // the score with its scale
      expect(res.body).toContain('满分 750');
    } finally {
      await later.close();
    }
  });
});

// last: the upload changes the city the tests above read
describe('after an upload, the page says when the flags update', () => {
  it('an accepted file: the batch, and that its projects are re-evaluated at the nightly run (its time), or now by huxin recompute', async () => {
    const boundary = '----huxin';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\npayroll\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="工资-更正.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      `项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,代扣款项,实发工资,本人确认\r\nXT-2026-001,2026-10,${B.name},${B.id},22,6600,0,6600,是\r\n` +
      `--${boundary}--\r\n`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/imports',
      headers: { ...ORIGIN, cookie: cookieOf('importer'), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.from(body),
    });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(200);
    expect(res.body).toContain('data-testid="import-ok"');
    expect(res.body).toMatch(/data-testid="import-updates"[^>]*>涉及项目的预警、工资台账和报告将在下一次夜间计算时更新（每天 02:00（北京时间））/);
  });

  it('reads the schedule in force', () => {
    expect(nightlyScheduleZh('0 2 * * *')).toBe('每天 02:00（北京时间）');
    expect(nightlyScheduleZh('30 23 * * *')).toBe('每天 23:30（北京时间）');
    expect(nightlyScheduleZh('0 2 * * 1-5')).toBe('按计划“0 2 * * 1-5”（北京时间）');
  });
});
