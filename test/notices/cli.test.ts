/**
 * `huxin notices send|list|contact` in-process over the test's database (a SQLite file, or a PostgreSQL URL as
 * --db): the order's notices go to the SMTP server and SMS gateway the test starts, configured by the
 * documented environment variables.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { makeApp, type TestApp } from '../api/helpers.ts';
import { startSmsGateway, startSmtp } from './servers.ts';

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => (o += String(c)));
  err.on('data', (c: Buffer) => (e += String(c)));
  return { io: { stdout: out, stderr: err }, out: () => o, err: () => e };
}

const ENV = ['HUXIN_SMTP_URL', 'HUXIN_SMTP_FROM', 'HUXIN_SMS_URL', 'HUXIN_NOTICE_MAX_ATTEMPTS', 'HUXIN_NOTICE_BACKOFF'] as const;

describe('huxin notices', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let sms: Awaited<ReturnType<typeof startSmsGateway>>;
  const saved: Record<string, string | undefined> = {};
  const clock = () => new Date('2026-11-28T03:00:00.000Z');
  beforeAll(async () => {
    t = await makeApp({ prepare: (db) => db.$client.exec(`UPDATE projects SET labor_officer_name = '赵劳资', labor_officer_phone = '13700001111', labor_officer_email = 'zhao@jijian.example.com' WHERE id = 1`) });
    smtp = await startSmtp();
    sms = await startSmsGateway([200]);
    for (const k of ENV) saved[k] = process.env[k];
  });
  afterAll(async () => {
    for (const k of ENV) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
    await smtp.close();
    await sms.close();
    await t.close();
  });

  it('send without any channel configured leaves the notices pending and says which channel is missing', async () => {
    for (const k of ENV) delete process.env[k];
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/orders', payload: { findingIds: [2], deadline: '2026-12-12', reason: '逾期未足额支付' } });
    expect(res.statusCode).toBe(201);
    const c = io();
    expect(await main(['notices', 'send', '--db', t.dbPath], c.io, clock)).toBe(0);
    expect(c.out()).toContain('尝试 0 条');
    expect(c.err()).toContain('未配置邮件服务器');
    expect(c.err()).toContain('未配置短信网关');
  });

  it('send with HUXIN_SMTP_URL, HUXIN_SMTP_FROM and HUXIN_SMS_URL delivers them; list shows their state in Chinese', async () => {
    process.env.HUXIN_SMTP_URL = smtp.url;
    process.env.HUXIN_SMTP_FROM = 'huxin@rsj.example.gov.cn';
    process.env.HUXIN_SMS_URL = sms.url;
    const c = io();
    expect(await main(['notices', 'send', '--db', t.dbPath], c.io, clock)).toBe(0);
    expect(c.out()).toBe('通知：尝试 2 条，已发送 2 条，失败待重试 0 条，放弃 0 条\n');
    expect(smtp.mails.map((m) => m.to)).toEqual([['zhao@jijian.example.com']]);
    expect(smtp.mails[0]!.subject).toBe('责令限期支付通知：信都区保障房一期（XT-2026-001）');
    expect(sms.requests.map((r) => r.to)).toEqual(['13700001111']);
    const l = io();
    expect(await main(['notices', 'list', '--state', 'sent', '--db', t.dbPath], l.io, clock)).toBe(0);
    const lines = l.out().trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^#\d+\t已发送\t责令限期支付通知\tXT-2026-001\t劳资专管员 赵劳资\t(电子邮件|短信) \S+\t已试1次\t发送于 2026-11-28T03:00:00.000Z$/);
  });

  it('a bad value of a setting or an option is refused in Chinese', async () => {
    process.env.HUXIN_NOTICE_MAX_ATTEMPTS = 'many';
    const c = io();
    expect(await main(['notices', 'send', '--db', t.dbPath], c.io, clock)).toBe(1);
    expect(c.err()).toContain('HUXIN_NOTICE_MAX_ATTEMPTS“many”应为 1–100 的整数');
    delete process.env.HUXIN_NOTICE_MAX_ATTEMPTS;
    const l = io();
    expect(await main(['notices', 'list', '--state', 'lost', '--db', t.dbPath], l.io, clock)).toBe(2);
    expect(l.err()).toContain('--state 应为 pending|sent|failed|gave_up');
  });

  it('contact records where an inspector is told, validated', async () => {
    const bad = io();
    expect(await main(['notices', 'contact', '周监察', '--phone', '2370000', '--db', t.dbPath], bad.io, clock)).toBe(2);
    expect(bad.err()).toContain('应为以1开头的11位数字');
    const c = io();
    expect(await main(['notices', 'contact', '周监察', '--email', 'zhou@rsj.example.gov.cn', '--phone', '13900001234', '--db', t.dbPath], c.io, clock)).toBe(0);
    expect(c.out()).toContain('已登记 周监察 的通知联系方式：邮箱 zhou@rsj.example.gov.cn，手机 13900001234');
    expect(await t.app.store.notices.inspectorContact('周监察')).toEqual({ name: '周监察', email: 'zhou@rsj.example.gov.cn', phone: '13900001234' });
    const l = io();
    expect(await main(['notices', 'contact', '--db', t.dbPath], l.io, clock)).toBe(0);
    expect(l.out()).toContain('周监察\tzhou@rsj.example.gov.cn\t13900001234');
  });
});
