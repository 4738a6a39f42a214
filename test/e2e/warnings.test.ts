/**
 * A project warning in a real browser (Chromium) against the real server on the demo city: from the review
 * queue's first card (red, the project owing the most) to the warning's page, one worker unticked, an order
 * to pay for the rest; every flag then shows its order; a second order for the same worker-month is refused
 * on the page itself; assignment of the warning with a deadline in working days; the page at 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { formatYuan, type Fen } from '../../src/domain/money.ts';
import { recompute } from '../../src/services/recompute.ts';
import { onStore } from '../support/storeOn.ts';
import { countOf } from '../support/toEngine.ts';
import { NOW, shot, signIn, startE2E, type E2E } from './harness.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 60_000);
afterAll(async () => {
  await e?.close();
});

describe('a warning from the queue to a bulk order', () => {
  it('walks warning → bulk order, shows the order on each flag, refuses a second one in the page', async () => {
    const { context, page } = await signIn(e, 'inspector');
    try {
      await page.goto(`${e.base}/flags`);
      const card = page.getByTestId('warning-card').first();
      await expect(card.getAttribute('data-level')).resolves.toBe('red');
      await expect(card.textContent()).resolves.toContain('XT-2026-003');
      await expect(card.textContent()).resolves.toContain('40,361.00 元');
      await shot(page, 'warnings-queue');
      await card.getByTestId('warning-flags').click();
      await page.waitForURL(/\/warnings\/p\d+-WAGE_ARREARS-2026-10$/);
      const key = /\/warnings\/([^/?#]+)/.exec(page.url())![1]!;
      const boxes = page.locator('input[name="flag"]');
      expect(await boxes.count()).toBe(7);
      expect(await page.locator('input[name="flag"]:checked').count()).toBe(7);
      // leave the last worker out
      const left = await boxes.last().getAttribute('value');
      await boxes.last().uncheck();
      const form = page.getByTestId('bulk-form');
      await form.locator('textarea[name="reason"]').fill('经核查拖欠10月工资，责令总包单位限期支付');
      // a bad deadline first: the message on the same page, what was typed kept
      await form.locator('input[name="deadline"]').fill('12/10/2026');
      await page.getByTestId('bulk-order').click();
      await page.waitForLoadState('domcontentloaded');
      await expect(page.locator('[role="status"]').textContent()).resolves.toContain('格式为“年-月-日”');
      expect(page.url()).toContain(`/warnings/${key}/order`);
      expect(await page.locator('input[name="flag"]:checked').count()).toBe(6);
      await expect(page.getByTestId('bulk-form').locator('textarea[name="reason"]').inputValue()).resolves.toContain('责令总包单位限期支付');
      await page.getByTestId('bulk-form').locator('input[name="deadline"]').fill('2026-12-10');
      await page.getByTestId('bulk-order').click();
      await page.waitForURL(/\/orders\?done=issued-\d+/);
      const orderId = /issued-(\d+)/.exec(page.url())![1]!;
      await expect(page.locator('[role="status"]').textContent()).resolves.toContain(`#${orderId}`);
      // back on the warning: six flags show the order, the one left out is the only one ticked by default
      await page.goto(`${e.base}/warnings/${key}`);
      expect(await page.locator(`[data-testid="flag-enforcement"] a[href="/orders#order-${orderId}"]`).count()).toBeGreaterThanOrEqual(6);
      expect(await page.locator('input[name="flag"]:checked').count()).toBe(1);
      await expect(page.locator('input[name="flag"]:checked').getAttribute('value')).resolves.toBe(left);
      await shot(page, 'warning-after-order', true);
      // a second order for a worker already ordered: refused on the page (409), naming the first
      await page.locator('input[name="flag"]').first().check();
      await page.getByTestId('bulk-form').locator('textarea[name="reason"]').fill('再次责令');
      await page.getByTestId('bulk-form').locator('input[name="deadline"]').fill('2026-12-12');
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(`/warnings/${key}/order`)), page.getByTestId('bulk-order').click()]);
      expect(response.status()).toBe(409);
      await expect(page.locator('[role="status"]').textContent()).resolves.toContain(`责令限期支付 #${orderId}`);
      await expect(page.getByTestId('bulk-form').isVisible()).resolves.toBe(true);
      expect(countOf(await e.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM inspection_orders'))).toBe(1);
      // the closing loop starts here: assigned with 5 working days (Sat 2026-11-28 → Fri 2026-12-04)
      await page.goto(`${e.base}/warnings/${key}`);
      const assign = page.getByTestId('assign-form');
      await assign.locator('input[name="workingDays"]').fill('5');
      await assign.locator('textarea[name="reason"]').fill('责令五个工作日内整改');
      await page.getByTestId('assign').click();
      await page.waitForURL(/done=assigned/);
      await expect(page.getByTestId('rect-state').textContent()).resolves.toBe('整改中');
      await expect(page.getByTestId('rectification').textContent()).resolves.toContain('2026-12-04');
    } finally {
      await context.close();
    }
  });

  it('continues: a case for the group, the wages paid by a clerk’s upload, the night, verification and 销号', async () => {
    const key = (await e.store.sql.get<{ k: string }>("SELECT 'p' || id || '-WAGE_ARREARS-2026-10' AS k FROM projects WHERE code = 'XT-2026-003'"))!.k;
    const inspector = await signIn(e, 'inspector');
    try {
      // a case for every worker of the warning (the order above does not block a case)
      const { page } = inspector;
      await page.goto(`${e.base}/warnings/${key}`);
      for (const box of await page.locator('input[name="flag"]').all()) await box.check();
      await page.getByTestId('bulk-form').locator('textarea[name="reason"]').fill('七名工人10月工资被拖欠，集体立案');
      await page.getByTestId('bulk-case').click();
      await page.waitForURL(/\/cases\/\d+/);
      const caseId = /\/cases\/(\d+)/.exec(page.url())![1]!;
      await page.goto(`${e.base}/warnings/${key}`);
      expect(await page.locator(`[data-testid="flag-enforcement"] a[href="/cases/${caseId}"]`).count()).toBeGreaterThanOrEqual(7);
    } finally {
      await inspector.context.close();
    }
    // the clerk uploads the payments made on 2026-12-09 (the account's transfers of the arrears)
    const owed = await e.store.sql.all<{ id_number: string; amount_fen: number; name: string; bank_card: string }>(
      `SELECT f.id_number, f.amount_fen, r.name, r.bank_card FROM finding_versions f
         JOIN projects p ON p.id = f.project_id
         JOIN roster_entries r ON r.project_id = f.project_id AND r.id_number = f.id_number
        WHERE p.code = 'XT-2026-003' AND f.month = '2026-10' AND f.valid_to IS NULL AND f.code IN ('WAGE_UNPAID', 'WAGE_PARTIAL') ORDER BY f.id`,
    );
    expect(owed).toHaveLength(7);
    const csv = ['项目编号,工资月份,身份证号,收款人姓名,收款卡号,发放金额,发放日期,发放方式,银行流水号']
      .concat(owed.map((r, i) => `XT-2026-003,2026-10,${r.id_number},${r.name},${r.bank_card},${formatYuan(r.amount_fen as Fen)},2026-12-09,专户代发,ZG2026120900${i + 1}`))
      .join('\r\n');
    const clerk = await signIn(e, 'importer');
    try {
      const { page } = clerk;
      await page.goto(`${e.base}/imports`);
      await page.selectOption('select[name="kind"]', 'payments');
      await page.setInputFiles('input[name="file"]', { name: '补发10月工资.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${csv}\r\n`, 'utf8') });
      await page.click('text=上传并导入');
      await page.getByTestId('import-ok').waitFor();
    } finally {
      await clerk.context.close();
    }
    // the nightly job of 2026-12-10 evaluates the new facts
    await onStore(e.location, (s) => recompute(s, '2026-12-10' as IsoDate, NOW));
    const again = await signIn(e, 'inspector');
    try {
      const { page } = again;
      await page.goto(`${e.base}/warnings/${key}`);
      await expect(page.getByTestId('rect-state').textContent()).resolves.toBe('已整改待销号');
      const close = page.getByTestId('close-form');
      await close.locator('textarea[name="reason"]').fill('欠付工资已全部补发到工人本人账户');
      await close.locator('textarea[name="evidence"]').fill('专户代发流水 ZG20261209001—ZG20261209007');
      await page.getByTestId('close').click();
      await page.waitForLoadState('domcontentloaded');
      await expect(page.getByTestId('rect-state').textContent()).resolves.toBe('已销号');
      await expect(page.getByTestId('rect-steps').textContent()).resolves.toContain('销号');
      await shot(page, 'warning-closed', true);
      expect(countOf(await e.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'warning_close' AND entity_id = ?", [key]))).toBe(1);
    } finally {
      await again.context.close();
    }
  });

  it('the queue and a warning’s page at 390 px: nothing wider than the screen, the workers’ table scrolls in its wrapper', async () => {
    const { context, page } = await signIn(e, 'inspector', { width: 390, height: 844 });
    try {
      await page.goto(`${e.base}/flags`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(1);
      await shot(page, 'warnings-queue-phone');
      const href = await page.getByTestId('warning-flags').first().getAttribute('href');
      await page.goto(`${e.base}${href}`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(1);
      await shot(page, 'warning-phone', true);
    } finally {
      await context.close();
    }
  });
});
