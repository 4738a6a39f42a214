/**
 * The notices outbox (src/store/repos/notices.ts) on both engines: over the demo city copied in, an order
 * queues its notices once, the night's LABOR_COST_SHORT appearing queues the owner's, delivery over a real
 * SMTP server and SMS gateway marks them sent, a failing gateway leads through failed to gave_up, and the
 * outbox pages and filters the same way.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../support/floor/open.ts';
import { isoDate } from '../../src/domain/date.ts';
import { deliverDueNotices } from '../../src/services/notices/deliver.ts';
import { enqueueCaseNotices, enqueueOrderNotices } from '../../src/services/notices/outbox.ts';
import { transportsFromEnv } from '../../src/services/notices/transports.ts';
import { recompute } from '../../src/services/recompute.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';
import { startSmsGateway, startSmtp } from '../notices/servers.ts';
import { onStore } from '../support/storeOn.ts';

let source: TestLocation;
let loc: TestLocation;
let store: Store;
let projectId: number;

beforeAll(async () => {
  source = await freshLocation('sqlite');
  const db = openDatabase(source.location);
  await onStore(db, (s) => loadDemoCity(s, '2026-11-01T00:00:00Z'));
  db.$client.close();
  loc = await freshLocation();
  store = await openStore(loc.location);
  const from = await openStore(source.location, { readonly: true });
  await copyDatabase(from, store);
  await from.close();
  projectId = (await store.sql.get<{ id: number }>(`SELECT id FROM projects WHERE code = 'XT-2026-001'`))!.id;
  await store.sql.run(
    `UPDATE projects SET labor_officer_name = ?, labor_officer_phone = ?, labor_officer_email = ?, owner_contact_name = ?, owner_contact_email = ?`,
    ['赵劳资', '13700001111', 'zhao@jijian.example.com', '孙联系', 'sun@owner.example.com'],
  );
}, 120_000);

afterAll(async () => {
  await store?.close();
  await loc?.drop();
  await source?.drop();
});

describe('notices outbox', () => {
  it('an order and a case queue their notices once, with amounts in yuan with separators', async () => {
    const order = await store.sql.get<{ id: number }>(
      `INSERT INTO inspection_orders (employer_uscc, issued_on, deadline, case_id, ordered_fen, actor, reason, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?) RETURNING id`,
      ['9113050091A2UFEPDQ', '2026-11-28', '2026-12-12', 4036100, 'inspector', '逾期', '2026-11-28T02:00:00Z'],
    );
    for (const [i, amount] of [1_234_500, 2_801_600].entries()) {
      await store.sql.run(`INSERT INTO inspection_order_items (order_id, project_id, id_number, month, amount_fen, fingerprint, finding_id) VALUES (?, ?, ?, ?, ?, NULL, NULL)`, [
        order!.id,
        projectId,
        `13050319900101001${i}`,
        '2026-10',
        amount,
      ]);
    }
    const ids = await enqueueOrderNotices(store, order!.id, '2026-11-28T02:00:00.000Z');
    expect(ids).toHaveLength(2);
    expect(await enqueueOrderNotices(store, order!.id, '2026-11-28T02:05:00.000Z')).toEqual([]);
    const rows = await store.notices.page({ template: 'ORDER_ISSUED' }, 10, 0);
    expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
    const mail = rows.find((r) => r.channel === 'email')!;
    expect(mail.body).toContain('足额支付');
    expect(mail.body).toContain('拖欠的2名农民工2026年10月工资，共计40,361.00元');
    expect(mail.body).not.toMatch(/1305031990010100\d{2}/);
    expect(mail).toMatchObject({ project_code: 'XT-2026-001', order_id: order!.id, state: 'pending', attempts: 0 });

    const c = await store.sql.get<{ id: number }>(
      `INSERT INTO wage_cases (employer_uscc, project_id, title, stage, stage_since, circumstances, routing, claimed_fen, paid_fen, created_at, created_by, filed_on)
       VALUES (?, ?, ?, 'intake', ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id`,
      ['9113050091A2UFEPDQ', projectId, '张某等2人欠薪', '2026-11-28', '{}', JSON.stringify({ route: 'arbitration' }), 4036100, '2026-11-28T02:00:00Z', 'inspector', '2026-11-28'],
    );
    expect(await enqueueCaseNotices(store, c!.id, '2026-11-28T02:00:00.000Z')).toHaveLength(2);
    const caseMail = (await store.notices.page({ template: 'CASE_OPENED' }, 10, 0)).find((r) => r.channel === 'email')!;
    expect(caseMail.body).toContain('拟处理途径：快裁（仲裁）');
    expect(caseMail.body).toContain('主张金额共计40,361.00元');
  });

  it("LABOR_COST_SHORT appearing in the night queues the owner's notice; the outbox filters and counts", async () => {
    const night = await recompute(store, isoDate('2026-11-27'), '2026-11-27T18:00:00.000Z');
    const appeared = await store.notices.laborCostShortAppeared('2026-11-27');
    expect(night.noticesQueued).toBe(appeared.length); // each project has one owner e-mail
    expect(appeared.length).toBeGreaterThan(0);
    const owner = await store.notices.page({ template: 'LABOR_COST_SHORT' }, 100, 0);
    expect(owner).toHaveLength(appeared.length);
    for (const n of owner) expect(n).toMatchObject({ recipient_role: 'owner_contact', channel: 'email', address: 'sun@owner.example.com' });
    expect(await store.notices.count({})).toBe(4 + appeared.length);
    expect(await store.notices.count({ projectId })).toBe(4 + owner.filter((n) => n.project_id === projectId).length);
    expect(await store.notices.count({ state: 'sent' })).toBe(0);
  });

  it('delivery: sent over SMTP and the gateway; a failing gateway goes failed → gave_up', async () => {
    const smtp = await startSmtp();
    const sms = await startSmsGateway([500]);
    try {
      const transports = transportsFromEnv({ HUXIN_SMTP_URL: smtp.url, HUXIN_SMTP_FROM: 'huxin@example.gov.cn', HUXIN_SMS_URL: sms.url });
      const now = (s: number) => () => new Date(Date.parse('2026-11-28T03:00:00.000Z') + s * 1000);
      const opts = { maxAttempts: 2, backoffMs: [10_000] };
      const first = await deliverDueNotices(store, transports, { ...opts, now: now(0) });
      const emails = await store.notices.count({ state: 'sent' });
      expect(first).toMatchObject({ failed: 2, gaveUp: 0, sent: emails });
      expect(smtp.mails).toHaveLength(emails);
      expect(smtp.mails.filter((m) => /^责令限期支付通知：.+（XT-2026-001）$/.test(m.subject)).map((m) => m.to)).toEqual([['zhao@jijian.example.com']]);
      const second = await deliverDueNotices(store, transports, { ...opts, now: now(11) });
      expect(second).toMatchObject({ attempted: 2, gaveUp: 2 });
      expect(await store.notices.count({ state: 'gave_up' })).toBe(2);
      const given = await store.notices.page({ state: 'gave_up' }, 10, 0);
      for (const n of given) expect(n).toMatchObject({ channel: 'sms', attempts: 2, next_attempt_at: null, last_error: expect.stringContaining('HTTP 500') });
      expect(await deliverDueNotices(store, transports, { ...opts, now: now(100) })).toMatchObject({ attempted: 0 });
      for (const t of transports) t.close?.();
    } finally {
      await smtp.close();
      await sms.close();
    }
  });
});
