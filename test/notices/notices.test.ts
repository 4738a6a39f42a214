/**
 * 通知 (issue 18 point 4): notices queued on the events that exist — an order to pay, a case, the night's
 * LABOR_COST_SHORT, a warning assigned — and delivered over real transports: a real SMTP server and a real
 * HTTP SMS gateway, both started here. Retries with backoff end in delivery or in gave_up; no notice carries
 * a full identity or card number; the outbox API masks addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/domain/date.ts';
import { recompute } from '../../src/services/recompute.ts';
import { deliverDueNotices } from '../../src/services/notices/deliver.ts';
import { enqueueNotice, enqueueWarningAssigned } from '../../src/services/notices/outbox.ts';
import { holdsFullNumber, TEMPLATES } from '../../src/services/notices/templates.ts';
import { transportsFromEnv, type Transport } from '../../src/services/notices/transports.ts';
import type { Store } from '../../src/store/store.ts';
import { A, B, C, makeApp, SECRETS, type TestApp } from '../api/helpers.ts';
import type { Db } from '../support/floor/open.ts';
import { startSmsGateway, startSmtp } from './servers.ts';

const T0 = new Date('2026-11-28T02:00:00.000Z');
const at = (ms: number) => () => new Date(T0.getTime() + ms);

const OFFICER = { name: '赵劳资', phone: '13700001111', email: 'zhao.laozi@jijian.example.com' };
const MANAGER = { name: '钱经理', email: 'qian.pm@jijian.example.com' };
const OWNER_CONTACT = { name: '孙联系', phone: '13600002222', email: 'sun@xtct.example.com' };

/** the contacts on record of project 1: seeded before the server starts (makeApp's prepare) */
function setContacts(db: Db): void {
  db.$client
    .prepare(
      `UPDATE projects SET labor_officer_name = ?, labor_officer_phone = ?, labor_officer_email = ?, project_manager_name = ?, project_manager_email = ?,
         owner_contact_name = ?, owner_contact_phone = ?, owner_contact_email = ? WHERE id = 1`,
    )
    .run(OFFICER.name, OFFICER.phone, OFFICER.email, MANAGER.name, MANAGER.email, OWNER_CONTACT.name, OWNER_CONTACT.phone, OWNER_CONTACT.email);
}

type Json = Record<string, any>;
const noticesOf = async (t: TestApp, query = '', role: 'inspector' | 'supervisor' = 'inspector') => {
  const res = await t.as(role, { method: 'GET', url: `/api/v1/notices${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Json[]; total: number; page: number; pageSize: number };
};

describe('notices: an order to pay, delivered by e-mail and SMS', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let sms: Awaited<ReturnType<typeof startSmsGateway>>;
  let transports: Transport[];
  beforeAll(async () => {
    t = await makeApp({ prepare: setContacts });
    smtp = await startSmtp();
    sms = await startSmsGateway([200]);
    transports = transportsFromEnv({ HUXIN_SMTP_URL: smtp.url, HUXIN_SMTP_FROM: '护薪 <huxin@rsj.example.gov.cn>', HUXIN_SMS_URL: sms.url, HUXIN_SMS_TOKEN: 'gw-secret' });
  });
  afterAll(async () => {
    for (const tr of transports) tr.close?.();
    await smtp.close();
    await sms.close();
    await t.close();
  });

  it('issuing an order queues one notice per address of the labour-affairs officer and the project manager', async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/orders', payload: { findingIds: [2], deadline: '2026-12-12', reason: '逾期未足额支付' } });
    expect(res.statusCode, res.body).toBe(201);
    const orderId = (res.json() as Json).id as number;
    const list = await noticesOf(t);
    expect(list.total).toBe(3);
    const keys = list.items.map((n) => `${n.recipientRole}/${n.channel}`).sort();
    expect(keys).toEqual(['labor_officer/email', 'labor_officer/sms', 'project_manager/email']);
    for (const n of list.items) {
      expect(n).toMatchObject({ state: 'pending', stateName: '待发送', template: 'ORDER_ISSUED', orderId, projectCode: 'XT-2026-001', attempts: 0 });
      // the order's amount with two decimals and separators, the deadline in Chinese, the legal basis
      expect(n.body).toContain('2,823.50元');
      expect(n.body).toContain('2026年12月12日前');
      expect(n.body).toContain('《劳动保障监察条例》第二十六条');
      expect(n.body).toContain('冀建集团');
    }
    // the address is personal data: masked for the inspector
    const email = list.items.find((n) => n.recipientRole === 'labor_officer' && n.channel === 'email')!;
    expect(email.address).toBe('z***@jijian.example.com');
    const phone = list.items.find((n) => n.channel === 'sms')!;
    expect(phone.address).toBe('137****1111');
    expect(JSON.stringify(list)).not.toContain(OFFICER.email);
    expect(JSON.stringify(list)).not.toContain(OFFICER.phone);
    // the email body names 1 worker and the month, never the worker's identity or card number
    expect(email.body).toContain('1名农民工2026年10月工资');
    expect(email.body).not.toContain(B.id);
  });

  it('queuing the same order again queues nothing new', async () => {
    const { enqueueOrderNotices } = await import('../../src/services/notices/outbox.ts');
    const again = await enqueueOrderNotices(t.app.store, 1, '2026-11-28T03:00:00.000Z');
    expect(again).toEqual([]);
    expect((await noticesOf(t)).total).toBe(3);
  });

  it('a delivery run sends them: the SMTP server receives the e-mails, the gateway the SMS', async () => {
    const r = await deliverDueNotices(t.app.store, transports, { now: at(1000), maxAttempts: 5, backoffMs: [60_000] });
    expect(r).toMatchObject({ attempted: 3, sent: 3, failed: 0, gaveUp: 0 });
    expect(smtp.mails).toHaveLength(2);
    const toOfficer = smtp.mails.find((m) => m.to.includes(OFFICER.email))!;
    expect(toOfficer.from).toBe('huxin@rsj.example.gov.cn');
    expect(toOfficer.subject).toBe('责令限期支付通知：信都区保障房一期（XT-2026-001）');
    expect(toOfficer.text).toContain('冀建集团：');
    expect(toOfficer.text).toContain('责令你单位于2026年12月12日前');
    expect(toOfficer.text).toContain('共计2,823.50元');
    expect(toOfficer.text).toContain('依据：《劳动保障监察条例》第二十六条；《中华人民共和国劳动合同法》第八十五条。');
    expect(smtp.mails.some((m) => m.to.includes(MANAGER.email))).toBe(true);
    for (const m of smtp.mails) for (const s of SECRETS) expect(m.raw.includes(s) || m.text.includes(s), s).toBe(false);
    expect(sms.requests).toHaveLength(1);
    expect(sms.requests[0]).toMatchObject({ to: OFFICER.phone, authorization: 'Bearer gw-secret' });
    expect(sms.requests[0]!.contentType).toMatch(/application\/json/);
    expect(sms.requests[0]!.text).toMatch(/^【护薪】冀建集团：第\d+号责令限期支付——请于2026年12月12日前支付信都区保障房一期（XT-2026-001）拖欠的1名农民工工资2,823.50元/);
    for (const s of SECRETS.filter((x) => x !== OFFICER.phone)) expect(sms.requests[0]!.text).not.toContain(s);

    const sent = await noticesOf(t, '?state=sent');
    expect(sent.total).toBe(3);
    for (const n of sent.items) expect(n).toMatchObject({ stateName: '已发送', attempts: 1, sentAt: '2026-11-28T02:00:01.000Z', nextAttemptAt: null, lastError: null });
    // a second run finds nothing due
    expect(await deliverDueNotices(t.app.store, transports, { now: at(5000), maxAttempts: 5, backoffMs: [60_000] })).toMatchObject({ attempted: 0 });
    expect(smtp.mails).toHaveLength(2);
  });

  it('the outbox API: supervisors and inspectors only, filters by state and project, pages, 400/404 in Chinese', async () => {
    for (const role of ['importer', 'viewer'] as const) expect((await t.as(role, { method: 'GET', url: '/api/v1/notices' })).statusCode).toBe(403);
    expect((await noticesOf(t, '?project=XT-2026-001&pageSize=2')).items).toHaveLength(2);
    expect((await noticesOf(t, '?project=XT-2026-001&pageSize=2&page=2')).items).toHaveLength(1);
    expect((await noticesOf(t, '?project=XT-2026-002')).total).toBe(0);
    expect((await noticesOf(t, '?state=pending')).total).toBe(0);
    const sup = await noticesOf(t, '', 'supervisor');
    expect(sup.items.find((n) => n.channel === 'email' && n.recipientRole === 'labor_officer')!.address).toBe('z***@jijian.example.com');
    const bad = await t.as('inspector', { method: 'GET', url: '/api/v1/notices?state=lost' });
    expect(bad.statusCode).toBe(400);
    const missing = await t.as('inspector', { method: 'GET', url: '/api/v1/notices?project=NOPE' });
    expect(missing.statusCode).toBe(404);
    expect((missing.json() as Json).error.message).toMatch(/项目“NOPE”不存在/);
  });

  it("the night's LABOR_COST_SHORT appearing on a project queues a notice to the owner's contact", async () => {
    const night = await recompute(t.app.store, isoDate('2026-11-29'), '2026-11-29T18:00:00.000Z');
    expect(night.noticesQueued).toBe(2);
    const list = (await noticesOf(t, '?state=pending')).items;
    expect(list.map((n) => `${n.template}/${n.recipientRole}/${n.channel}`).sort()).toEqual(['LABOR_COST_SHORT/owner_contact/email', 'LABOR_COST_SHORT/owner_contact/sms']);
    const mail = list.find((n) => n.channel === 'email')!;
    expect(mail.subject).toBe('人工费用拨付不足提醒：信都区保障房一期（XT-2026-001）');
    expect(mail.body).toMatch(/^邢台城投：\n\n截至2026年11月29日，信都区保障房一期（项目编号XT-2026-001）农民工工资专用账户收到的人工费用，比按月应拨付的少[\d,]+\.\d\d元。/);
    expect(mail.body).toContain('依据：《保障农民工工资支付条例》第二十四条、第二十九条。');
    // the same night again (or the next, with the finding unchanged) queues nothing new
    expect((await recompute(t.app.store, isoDate('2026-11-29'), '2026-11-29T19:00:00.000Z')).noticesQueued).toBe(0);
    expect((await recompute(t.app.store, isoDate('2026-11-30'), '2026-11-30T18:00:00.000Z')).noticesQueued).toBe(0);
    // queued at the night's time: not due before it
    expect(await deliverDueNotices(t.app.store, transports, { now: at(10_000), maxAttempts: 5, backoffMs: [60_000] })).toMatchObject({ attempted: 0 });
    const r = await deliverDueNotices(t.app.store, transports, { now: () => new Date('2026-11-30T19:00:00.000Z'), maxAttempts: 5, backoffMs: [60_000] });
    expect(r.sent).toBe(2);
    const owner = smtp.mails.find((m) => m.to.includes(OWNER_CONTACT.email))!;
    expect(owner.subject).toBe('人工费用拨付不足提醒：信都区保障房一期（XT-2026-001）');
    expect(sms.requests.at(-1)!.to).toBe(OWNER_CONTACT.phone);
  });
});

describe('notices: a case opened', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp({ prepare: setContacts });
  });
  afterAll(() => t.close());

  it("queues the case notice to the contractor's officer and manager: informs, says it is not a decision", async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/cases', payload: { findingIds: [2], reason: '工人投诉' } });
    expect(res.statusCode, res.body).toBe(201);
    const list = await noticesOf(t);
    expect(list.total).toBe(3);
    for (const n of list.items) {
      expect(n.template).toBe('CASE_OPENED');
      expect(n.caseId).toBe((res.json() as Json).id);
      expect(n.subject).toBe('欠薪案件登记告知：信都区保障房一期（XT-2026-001）');
      if (n.channel === 'email') {
        expect(n.body).toContain('涉及1名农民工，主张金额共计2,823.50元');
        expect(n.body).toContain('本通知仅为告知，不是处理决定');
      } else expect(n.body).toContain('涉及1名农民工2,823.50元');
      expect(holdsFullNumber(n.body)).toBe(false);
    }
  });
});

describe('notices: retries, backoff and giving up (a local SMS gateway)', () => {
  let t: TestApp;
  let store: Store;
  beforeAll(async () => {
    t = await makeApp();
    store = t.app.store;
    await store.notices.setInspectorContact('inspector-user', null, '13511113333', '2026-11-28T00:00:00Z');
  });
  afterAll(() => t.close());

  it("a warning assigned to an inspector: the 'assigned to you' notice goes to the phone on record", async () => {
    const ids = await enqueueWarningAssigned(
      store,
      { inspectorName: 'inspector-user', projectCode: 'XT-2026-001', warningRef: 'W-1', title: '2026年10月工资拖欠（1名工人）', level: 'red', assignedBy: '科长', dueOn: '2026-12-10' },
      T0.toISOString(),
    );
    expect(ids).toHaveLength(1);
    const n = (await store.notices.one(ids[0]!))!;
    expect(n).toMatchObject({ template: 'WARNING_ASSIGNED', recipient_role: 'inspector', channel: 'sms', address: '13511113333', warning_ref: 'W-1', state: 'pending' });
    expect(n.body).toBe('【护薪】inspector-user：红色预警分派给你：信都区保障房一期（XT-2026-001）2026年10月工资拖欠（1名工人），整改期限2026年12月10日。');
    // the same assignment again: nothing new
    expect(await enqueueWarningAssigned(store, { inspectorName: 'inspector-user', projectCode: 'XT-2026-001', warningRef: 'W-1', title: 'x' }, T0.toISOString())).toEqual([]);
    // an inspector with no address on record gets nothing (and nothing fails); an unknown project is an error
    expect(await enqueueWarningAssigned(store, { inspectorName: '无联系人', projectCode: 'XT-2026-001', warningRef: 'W-9', title: 'x' }, T0.toISOString())).toEqual([]);
    await expect(enqueueWarningAssigned(store, { inspectorName: 'inspector-user', projectCode: 'NOPE', warningRef: 'W-9', title: 'x' }, T0.toISOString())).rejects.toThrow(/项目NOPE不存在/);
    // addresses given by the caller win over the record; e-mail too
    const given = await enqueueWarningAssigned(store, { inspectorName: 'inspector-user', projectId: 2, warningRef: 'W-8', title: '未存储工资保证金', email: 'insp@rsj.example.gov.cn' }, T0.toISOString());
    expect(given).toHaveLength(1);
    const mail = (await store.notices.one(given[0]!))!;
    expect(mail).toMatchObject({ channel: 'email', address: 'insp@rsj.example.gov.cn', subject: '分派给你的预警：任泽区道路改造（XT-2026-002）' });
    expect(mail.body).toContain('请登录护薪查看预警详情');
    await t.store.sql.run('DELETE FROM notices WHERE id = ?', [given[0]!]);
  });

  it('a gateway answering 500 then 200: the first attempt fails, the notice waits its backoff, the second attempt delivers', async () => {
    const gw = await startSmsGateway([500, 200]);
    try {
      const transports = transportsFromEnv({ HUXIN_SMS_URL: gw.url });
      const opts = { maxAttempts: 4, backoffMs: [60_000, 300_000] };
      const first = await deliverDueNotices(store, transports, { ...opts, now: at(0) });
      expect(first).toMatchObject({ attempted: 1, sent: 0, failed: 1, gaveUp: 0 });
      let row = (await store.notices.page({ template: 'WARNING_ASSIGNED' }, 1, 0))[0]!;
      expect(row).toMatchObject({ state: 'failed', attempts: 1, next_attempt_at: '2026-11-28T02:01:00.000Z' });
      expect(row.last_error).toMatch(/短信网关返回 HTTP 500/);
      // not due yet 30 s later
      expect(await deliverDueNotices(store, transports, { ...opts, now: at(30_000) })).toMatchObject({ attempted: 0 });
      expect(gw.requests).toHaveLength(1);
      const second = await deliverDueNotices(store, transports, { ...opts, now: at(61_000) });
      expect(second).toMatchObject({ attempted: 1, sent: 1 });
      row = (await store.notices.one(row.id))!;
      expect(row).toMatchObject({ state: 'sent', attempts: 2, sent_at: '2026-11-28T02:01:01.000Z', last_error: null, next_attempt_at: null });
      expect(gw.requests.map((r) => r.to)).toEqual(['13511113333', '13511113333']);
      const api = (await noticesOf(t, '?state=sent')).items[0]!;
      expect(api).toMatchObject({ stateName: '已发送', attempts: 2, address: '135****3333' });
    } finally {
      await gw.close();
    }
  });

  it('a gateway always failing: after the maximum number of attempts the notice is given up and never tried again', async () => {
    const ids = await enqueueNotice(
      store,
      { template: 'WARNING_ASSIGNED', rendered: TEMPLATES.WARNING_ASSIGNED({ inspectorName: '周监察', project: { code: 'XT-2026-002', name: '任泽区道路改造' }, title: '未存储工资保证金' }), recipients: [{ role: 'inspector', name: '周监察', phone: '13900004444' }], eventKey: 'warning:W-2:周监察', projectId: 2 },
      T0.toISOString(),
    );
    expect(ids).toHaveLength(1);
    const gw = await startSmsGateway([500]);
    try {
      const transports = transportsFromEnv({ HUXIN_SMS_URL: gw.url });
      const opts = { maxAttempts: 3, backoffMs: [1_000, 2_000] };
      const results = [];
      for (const ms of [100_000, 101_000, 103_000, 110_000, 200_000]) results.push(await deliverDueNotices(store, transports, { ...opts, now: at(ms) }));
      expect(results.map((r) => [r.failed, r.gaveUp])).toEqual([[1, 0], [1, 0], [0, 1], [0, 0], [0, 0]]);
      expect(gw.requests).toHaveLength(3);
      const row = (await store.notices.one(ids[0]!))!;
      expect(row).toMatchObject({ state: 'gave_up', attempts: 3, next_attempt_at: null, sent_at: null });
      expect(row.last_error).toMatch(/HTTP 500/);
      const api = (await noticesOf(t, '?state=gave_up')).items;
      expect(api).toHaveLength(1);
      expect(api[0]).toMatchObject({ stateName: '已放弃', lastError: expect.stringMatching(/HTTP 500/) });
    } finally {
      await gw.close();
    }
  });

  it('a gateway that does not answer counts as a failed attempt (timeout), not a hang', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const { smsTransportFromEnv } = await import('../../src/services/notices/transports.ts');
      const tr = smsTransportFromEnv({ HUXIN_SMS_URL: `http://127.0.0.1:${port}/` }, 300)!;
      await expect(tr.send({ address: '13900004444', subject: 's', body: 'b' })).rejects.toThrow();
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('no notice carries a full identity or card number, whatever free text a caller passes', async () => {
    const ids = await enqueueNotice(
      store,
      {
        template: 'WARNING_ASSIGNED',
        rendered: TEMPLATES.WARNING_ASSIGNED({ inspectorName: '吴监察', project: { code: 'XT-2026-001', name: '信都区保障房一期' }, title: `工人${A.id}（${A.name}）卡号${A.card}、${C.id}` }),
        recipients: [{ role: 'inspector', name: '吴监察', email: 'wu@rsj.example.gov.cn', phone: '13900005555' }],
        eventKey: 'warning:W-3:吴监察',
        projectId: 1,
      },
      T0.toISOString(),
    );
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const n = (await store.notices.one(id))!;
      for (const s of [A.id, A.card, C.id]) expect(n.body + n.subject, s).not.toContain(s);
      expect(holdsFullNumber(n.body)).toBe(false);
      expect(n.body).toContain(`${A.id.slice(0, 6)}********${A.id.slice(-4)}`);
    }
    // and across the whole outbox of this database
    const all = await store.notices.page({}, 200, 0);
    for (const n of all) for (const s of [A.id, B.id, C.id, A.card, B.card, C.card]) expect(`${n.subject}\n${n.body}`).not.toContain(s);
  });
});

describe('notice transports: configuration', () => {
  it('nothing configured → no transport; SMTP without a sender, or a bad URL, is a Chinese configuration error', () => {
    expect(transportsFromEnv({})).toEqual([]);
    expect(() => transportsFromEnv({ HUXIN_SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow(/HUXIN_SMTP_FROM/);
    expect(() => transportsFromEnv({ HUXIN_SMS_URL: 'ftp://x' })).toThrow(/HUXIN_SMS_URL 应以 http/);
    expect(transportsFromEnv({ HUXIN_SMTP_HOST: 'mail.example.gov.cn', HUXIN_SMTP_PORT: '465', HUXIN_SMTP_SECURE: '1', HUXIN_SMTP_FROM: 'a@b.cn' }).map((x) => x.channel)).toEqual(['email']);
    expect(() => transportsFromEnv({ HUXIN_SMTP_HOST: 'mail.example.gov.cn', HUXIN_SMTP_PORT: '99999', HUXIN_SMTP_FROM: 'a@b.cn' })).toThrow(/HUXIN_SMTP_PORT/);
  });
});
