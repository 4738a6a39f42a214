/**
 * 通知 in a real browser (issue 18 point 4): an order to pay issued on a demo project with contacts, its
 * notices delivered to the SMTP server and the SMS gateway this test starts, and the inspector reading the
 * outbox page — states in Chinese, addresses masked — at desktop and at phone width.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueNotices } from '../../src/services/notices/deliver.ts';
import { transportsFromEnv, type Transport } from '../../src/services/notices/transports.ts';
import { startSmsGateway, startSmtp } from '../notices/servers.ts';
import { shot, signIn, startE2E, type E2E } from './harness.ts';

let e: E2E;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let sms: Awaited<ReturnType<typeof startSmsGateway>>;
let transports: Transport[];
beforeAll(async () => {
  e = await startE2E();
  smtp = await startSmtp();
  sms = await startSmsGateway([200]);
  transports = transportsFromEnv({ HUXIN_SMTP_URL: smtp.url, HUXIN_SMTP_FROM: '护薪 <huxin@rsj.example.gov.cn>', HUXIN_SMS_URL: sms.url });
}, 60_000);
afterAll(async () => {
  for (const t of transports ?? []) t.close?.();
  await smtp?.close();
  await sms?.close();
  await e?.close();
});

describe('notices in Chromium', () => {
  it('an order to pay reaches the labour-affairs officer by e-mail and SMS, and the outbox page shows it sent', async () => {
    const flag = (await e.store.sql.get<{ id: number; project_id: number; amount_fen: number }>(
      "SELECT id, project_id, amount_fen FROM finding_versions WHERE code IN ('WAGE_UNPAID', 'WAGE_PARTIAL') AND valid_to IS NULL ORDER BY id LIMIT 1",
    ))!;
    const code = (await e.store.sql.get<{ code: string }>('SELECT code FROM projects WHERE id = ?', [flag.project_id]))!.code;
    await e.store.sql.run(`UPDATE projects SET labor_officer_name = '赵劳资', labor_officer_phone = '13700001111', labor_officer_email = 'zhao@jijian.example.com' WHERE id = ?`, [flag.project_id]);
    const res = await e.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { authorization: `Bearer ${e.tokens.inspector}` },
      payload: { findingIds: [flag.id], deadline: '2026-12-15', reason: '逾期未支付' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = await deliverDueNotices(e.app.store, transports, { now: () => new Date('2026-11-28T02:05:00.000Z'), maxAttempts: 5, backoffMs: [60_000] });
    expect(r).toMatchObject({ sent: 2, failed: 0 });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['zhao@jijian.example.com']);
    expect(smtp.mails[0]!.subject).toMatch(new RegExp(`^责令限期支付通知：.+（${code}）$`));
    expect(smtp.mails[0]!.text).toContain('2026年12月15日前');
    expect(sms.requests.map((q) => q.to)).toEqual(['13700001111']);

    for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
      const { context, page } = await signIn(e, 'inspector', viewport);
      try {
        if (viewport.width > 800) await page.click('nav >> text=通知');
        else await page.goto(`${e.base}/notices`);
        await page.waitForURL(/\/notices/);
        await expect(page.locator('h1').textContent()).resolves.toContain('通知发件箱');
        const rows = page.getByTestId('notice');
        expect(await rows.count()).toBe(2);
        const text = (await page.getByTestId('notices').textContent()) ?? '';
        expect(text).toContain('已发送');
        expect(text).toContain('劳资专管员 赵劳资');
        expect(text).toContain('137****1111');
        expect(text).toContain('z***@jijian.example.com');
        expect(text).not.toContain('13700001111');
        const first = page.locator('tr.notice-text').first();
        await first.locator('summary').click();
        await expect(first.locator('.pre').textContent()).resolves.toMatch(/责令限期支付/);
        // the page itself never scrolls sideways at phone width (the table scrolls in its own box)
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect(overflow).toBeLessThanOrEqual(1);
        await shot(page, `notices-${viewport.width}`);
      } finally {
        await context.close();
      }
    }
  });
});
