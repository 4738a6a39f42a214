/**
 * The outbox page (/notices): inspectors and supervisors see each notice with its state in Chinese, the
 * address masked, a transport's error in Chinese; no Latin words in what a reader sees; other roles get 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueNotices } from '../../src/services/notices/deliver.ts';
import { transportsFromEnv } from '../../src/services/notices/transports.ts';
import { makeApp, type TestApp } from '../api/helpers.ts';
import { startSmsGateway } from './servers.ts';

/** What a reader sees (as test/pages/latin.test.ts strips it: no tags, scripts, styles or <code>). */
const visibleText = (page: string) =>
  page
    .replace(/<(script|style|code)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&');
/** Latin words of three letters or more, outside codes (with digits) and the allowed names. */
const latinWords = (text: string, names: Set<string>) =>
  [...text.matchAll(/[A-Za-z0-9_.\-/:]*[A-Za-z]{3,}[A-Za-z0-9_.\-/:]*/g)].map((m) => m[0]).filter((w) => !/\d/.test(w) && !names.has(w) && !['Huxin', 'HTTP'].includes(w));

describe('/notices', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp({ prepare: (db) => db.$client.exec(`UPDATE projects SET labor_officer_name = '赵劳资', labor_officer_phone = '13700001111', labor_officer_email = 'zhao@jijian.example.com' WHERE id = 1`) });
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/orders', payload: { findingIds: [2], deadline: '2026-12-12', reason: '逾期未足额支付' } });
    expect(res.statusCode).toBe(201);
    const gw = await startSmsGateway([503]);
    try {
      // the SMS fails once (503); the e-mail goes to a mail server that refuses connections (port 9 on loopback)
      const transports = transportsFromEnv({ HUXIN_SMS_URL: gw.url, HUXIN_SMTP_URL: 'smtp://127.0.0.1:9', HUXIN_SMTP_FROM: 'huxin@example.gov.cn' });
      await deliverDueNotices(t.app.store, transports, { now: () => new Date('2026-11-28T02:30:00.000Z'), maxAttempts: 3, backoffMs: [60_000] });
    } finally {
      await gw.close();
    }
  });
  afterAll(() => t.close());

  const get = (role: string, url: string) => t.app.inject({ url, headers: { cookie: `huxin_session=${t.sessions[role as 'inspector']}` } });

  it('lists the outbox with Chinese states and errors, masked addresses, no Latin words', async () => {
    for (const role of ['inspector', 'supervisor']) {
      const res = await get(role, '/notices');
      expect(res.statusCode, role).toBe(200);
      const text = visibleText(res.body);
      expect(text).toContain('通知发件箱');
      expect(text).toContain('发送失败（将重试）');
      expect(text).toContain('短信网关返回错误（状态码 503）');
      expect(text).toContain('无法连接到服务器（连接被拒绝）');
      expect(text).toContain('下次重试 2026-11-28 10:31');
      expect(text).toContain('责令限期支付通知');
      expect(res.body).toContain('137****1111');
      expect(res.body).toContain('z***@jijian.example.com');
      expect(res.body).not.toContain('13700001111');
      expect(res.body).not.toContain('zhao@jijian.example.com');
      expect(latinWords(text, new Set([`${role}-user`, 'inspector', 'user', 'supervisor']))).toEqual([]);
    }
    const filtered = await get('inspector', '/notices?state=sent');
    expect(visibleText(filtered.body)).toContain('没有符合条件的通知');
  });

  it("the project's contacts: in the project API and on the project page, addresses masked", async () => {
    const api = await t.as('viewer', { method: 'GET', url: '/api/v1/projects/XT-2026-001' });
    expect(api.statusCode).toBe(200);
    expect((api.json() as { contacts: unknown }).contacts).toEqual({
      laborOfficer: { name: '赵劳资', phone: '137****1111', email: 'z***@jijian.example.com' },
      projectManager: null,
      ownerContact: null,
    });
    const res = await get('viewer', '/projects/XT-2026-001');
    expect(res.statusCode).toBe(200);
    const text = visibleText(res.body);
    expect(text).toMatch(/劳资专管员\s+赵劳资\s+137\*\*\*\*1111/);
    expect(text).toMatch(/项目经理\s+未登记（不发通知）/);
    expect(res.body).toContain('z***@jijian.example.com');
    expect(res.body).not.toContain('13700001111');
  });

  it('is for inspectors and supervisors only', async () => {
    for (const role of ['importer', 'viewer']) expect((await get(role, '/notices')).statusCode, role).toBe(403);
  });
});
