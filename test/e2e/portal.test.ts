/**
 * The contractor portal in a real browser (issue 20): a labour-affairs officer signs in with a contractor
 * token, lands on the portal (only its unit's projects), downloads the template, uploads a wrong wage table,
 * reads the problems with the fix for each, uploads the corrected file and sees it accepted; the bureau's
 * clerk then sees both submissions with their states. Then, on a phone-sized screen (390 px), the same officer
 * answers the bureau's warning (未签劳动合同): a rejected roster correction, the corrected one, an evidence file
 * refused for its type and the right one accepted, and the month's signed wage table attached; after the
 * night the inspector sees the answer and its file on the warning's page and closes the warning (销号).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { IsoDate } from '../../src/domain/date.ts';
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

describe('contractor portal in Chromium', () => {
  it('sign-in → rejected upload with fixes → corrected upload accepted → the bureau sees both', async () => {
    const s = e.store.sql;
    const unit = (await s.get<{ u: string }>('SELECT contractor_uscc AS u FROM projects ORDER BY code LIMIT 1'))!.u;
    const mine = await s.all<{ code: string }>('SELECT code FROM projects WHERE contractor_uscc = ? ORDER BY code', [unit]);
    const notMine = await s.get<{ code: string }>('SELECT code FROM projects WHERE contractor_uscc <> ? AND id NOT IN (SELECT project_id FROM roster_entries WHERE employer_uscc = ?) ORDER BY code LIMIT 1', [unit, unit]);
    const worker = (await s.get<{ id: string; name: string; code: string }>('SELECT r.id_number AS id, r.name AS name, p.code AS code FROM roster_entries r JOIN projects p ON p.id = r.project_id WHERE p.code = ? AND r.superseded_by IS NULL LIMIT 1', [mine[0]!.code]))!;

    const context = await e.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    await context.route('**/*', (route) => (route.request().url().startsWith(e.base) || route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    try {
      await page.goto(`${e.base}/login`);
      await page.fill('input[name="token"]', e.tokens.contractor);
      await page.click('button[type="submit"]');
      await page.waitForURL(`${e.base}/portal`);
      await expect(page.getByTestId('user').textContent()).resolves.toContain('劳资专管员');
      const projects = await page.getByTestId('portal-projects').textContent();
      for (const p of mine) expect(projects).toContain(p.code);
      if (notMine) expect(projects).not.toContain(notMine.code);
      // the bureau's pages are not for it
      expect((await page.goto(`${e.base}/projects`))!.status()).toBe(403);
      await page.goto(`${e.base}/portal`);

      // the template downloads as a workbook
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-payroll-xlsx').click()]);
      expect(download.suggestedFilename()).toBe('工资表模板.xlsx');

      const header = '项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,代扣款项,实发工资,本人确认';
      const wrong = `${header}\r\n${worker.code},2026-11,${worker.name},${worker.id},22,6600,0,6500,是\r\n`;
      await page.selectOption('select[name="kind"]', 'payroll');
      await page.setInputFiles('input[name="file"]', { name: '十一月工资.csv', mimeType: 'text/csv', buffer: Buffer.from(wrong) });
      await page.click('text=上传报送');
      await page.getByTestId('portal-rejected').waitFor();
      const rejected = await page.getByTestId('portal-rejected').textContent();
      expect(rejected).toContain('已退回');
      expect(rejected).toContain('第 2 行');
      expect(await page.getByTestId('fix-hint').count()).toBeGreaterThan(0);
      expect(rejected).not.toContain(worker.id);
      await shot(page, 'portal-rejected', true);

      const right = wrong.replace(',6500,是', ',6600,是');
      await page.selectOption('select[name="kind"]', 'payroll');
      await page.setInputFiles('input[name="file"]', { name: '十一月工资（改）.csv', mimeType: 'text/csv', buffer: Buffer.from(right) });
      await page.click('text=上传报送');
      await page.getByTestId('portal-accepted').waitFor();
      expect(await page.getByTestId('portal-accepted').textContent()).toContain('十一月工资（改）.csv');
      const history = page.getByTestId('submissions').locator('tbody tr');
      expect(await history.count()).toBe(2);
      expect(await history.first().getAttribute('data-status')).toBe('accepted');
      expect(await history.nth(1).getAttribute('data-status')).toBe('rejected');
      await shot(page, 'portal-accepted', true);
    } finally {
      await context.close();
    }

    // the clerk sees both submissions and their states
    const clerk = await signIn(e, 'importer');
    try {
      await clerk.page.goto(`${e.base}/submissions`);
      const rows = clerk.page.getByTestId('submissions').locator('tbody tr');
      expect(await rows.count()).toBe(2);
      const text = await clerk.page.getByTestId('submissions').textContent();
      expect(text).toContain('已接收');
      expect(text).toContain('已退回');
      expect(text).toContain(unit);
    } finally {
      await clerk.context.close();
    }
  }, 90_000);

  it('answering a warning and attaching the signed table, then the inspector closes the warning', async () => {
    const key = 'p1-LABOUR_CONTRACT';
    const w = (await e.store.sql.get<{ name: string; id_number: string; employer_uscc: string; employer: string; entry_date: string; wage_basis: string; wage_rate_fen: number; bank_card: string }>(
      `SELECT r.name, r.id_number, r.employer_uscc, m.name AS employer, r.entry_date, r.wage_basis, r.wage_rate_fen, r.bank_card FROM roster_entries r
         JOIN employers m ON m.uscc = r.employer_uscc WHERE r.project_id = 1 AND r.superseded_by IS NULL AND NOT r.contract_signed ORDER BY r.id LIMIT 1`,
    ))!;
    expect(w).toBeDefined();

    // the inspector sets the rectification: 5 working days (Sat 2026-11-28 → Fri 2026-12-04)
    const inspector = await signIn(e, 'inspector');
    try {
      await inspector.page.goto(`${e.base}/warnings/${key}`);
      await inspector.page.getByTestId('assign-form').locator('input[name="workingDays"]').fill('5');
      await inspector.page.getByTestId('assign-form').locator('textarea[name="reason"]').fill('限期与工人补签书面劳动合同');
      await inspector.page.getByTestId('assign').click();
      await inspector.page.waitForURL(/done=assigned/);
    } finally {
      await inspector.context.close();
    }

    const context = await e.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    await context.route('**/*', (route) => (route.request().url().startsWith(e.base) || route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    const fits = async (p: Page) => expect(await p.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(1);
    try {
      await page.goto(`${e.base}/login`);
      await page.fill('input[name="token"]', e.tokens.contractor);
      await page.click('button[type="submit"]');
      await page.waitForURL(`${e.base}/portal`);
      await fits(page);
      await page.click('nav >> text=预警整改');
      await page.waitForURL(`${e.base}/portal/warnings`);
      const card = page.locator(`[data-testid="portal-warning"][data-key="${key}"]`);
      await expect(card.textContent()).resolves.toContain('2026-12-04');
      await fits(page);
      await shot(page, 'portal-warnings-phone', true);

      // the fix itself: the roster row with the contract signed — first with a wrong date (rejected), then right
      const header = '项目编号,姓名,身份证号,用工单位,用工单位信用代码,进场日期,计薪方式,工资标准,银行卡号,劳动合同';
      const row = (entry: string) => `XT-2026-001,${w.name},${w.id_number},${w.employer},${w.employer_uscc},${entry},${w.wage_basis},${(w.wage_rate_fen / 100).toFixed(2)},${w.bank_card},是`;
      await page.goto(`${e.base}/portal`);
      await page.selectOption('select[name="kind"]', 'roster');
      await page.setInputFiles('input[name="file"]', { name: '花名册补签合同.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\r\n${row('2026-13-01')}\r\n`) });
      await page.click('text=上传报送');
      await page.getByTestId('portal-rejected').waitFor();
      expect(await page.getByTestId('fix-hint').count()).toBeGreaterThan(0);
      await page.selectOption('select[name="kind"]', 'roster');
      await page.setInputFiles('input[name="file"]', { name: '花名册补签合同（改）.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\r\n${row(w.entry_date)}\r\n`) });
      await page.click('text=上传报送');
      await page.getByTestId('portal-accepted').waitFor();

      // the answer: a spreadsheet named .png is refused for its bytes (what was typed is kept), the scan is accepted
      await page.goto(`${e.base}/portal/warnings/${key}`);
      const answer = page.getByTestId('answer-form');
      await answer.locator('input[value="rectified"]').check();
      await answer.locator('textarea[name="text"]').fill('已于11月28日与该工人补签书面劳动合同，花名册已更正报送');
      await answer.locator('input[name="evidence"]').setInputFiles({ name: '合同.png', mimeType: 'image/png', buffer: Buffer.from('PK\u0003\u0004 not an image') });
      const [refused] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(`/portal/warnings/${key}/respond`)), page.getByTestId('answer-submit').click()]);
      expect(refused.status()).toBe(415);
      await expect(page.locator('[role="status"]').textContent()).resolves.toContain('不是 PDF、PNG 或 JPEG');
      await expect(page.getByTestId('answer-form').locator('textarea[name="text"]').inputValue()).resolves.toContain('补签书面劳动合同');
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(256, 3)]);
      await page.getByTestId('answer-form').locator('input[name="evidence"]').setInputFiles({ name: '补签的劳动合同.png', mimeType: 'image/png', buffer: png });
      await page.getByTestId('answer-submit').click();
      await page.waitForURL(/done=answered/);
      await expect(page.getByTestId('response').first().getAttribute('data-status')).resolves.toBe('submitted');
      await expect(page.getByTestId('response').first().textContent()).resolves.toContain('补签的劳动合同.png');
      await fits(page);
      await shot(page, 'portal-answered-phone', true);

      // the signed wage table of November (the month filed through the portal above)
      await page.click('nav >> text=签字确认');
      await page.waitForURL(`${e.base}/portal/confirmations`);
      const confirm = page.getByTestId('confirm-form');
      await confirm.locator('select[name="project"]').selectOption('XT-2026-001');
      await confirm.locator('input[name="month"]').fill('2026-11');
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
      await confirm.locator('input[name="file"]').setInputFiles({ name: '11月工资表（工人签字）.pdf', mimeType: 'application/pdf', buffer: pdf });
      await page.getByTestId('confirm-submit').click();
      await page.waitForURL(/done=attached/);
      await expect(page.getByTestId('confirmations').textContent()).resolves.toContain('11月工资表（工人签字）.pdf');
      await fits(page);
      await shot(page, 'portal-confirmations-phone', true);
    } finally {
      await context.close();
    }

    // the night after the corrected roster: the contract is on record, the warning's problem is gone
    await onStore(e.location, (s) => recompute(s, '2026-11-29' as IsoDate, NOW));
    const again = await signIn(e, 'inspector');
    try {
      const { page: p } = again;
      await p.goto(`${e.base}/warnings/${key}`);
      await expect(p.getByTestId('rect-state').textContent()).resolves.toBe('已整改待销号');
      const responses = p.getByTestId('responses');
      await expect(responses.textContent()).resolves.toContain('已于11月28日与该工人补签书面劳动合同');
      const href = await responses.getByTestId('file-link').first().getAttribute('href');
      const file = await p.request.get(`${e.base}${href}`);
      expect(file.status()).toBe(200);
      expect(file.headers()['content-type']).toBe('image/png');
      const close = p.getByTestId('close-form');
      await close.locator('textarea[name="reason"]').fill('已补签书面劳动合同，花名册已更正');
      await close.locator('textarea[name="evidence"]').fill('施工单位答复及补签的劳动合同扫描件');
      await p.getByTestId('close').click();
      await p.waitForLoadState('domcontentloaded');
      await expect(p.getByTestId('rect-state').textContent()).resolves.toBe('已销号');
      await expect(p.getByTestId('responses').getByTestId('response').first().getAttribute('data-status')).resolves.toBe('accepted');
      await expect(p.getByTestId('rect-steps').textContent()).resolves.toContain('施工单位答复');
      await shot(p, 'warning-answered-closed', true);
      // the signed table beside the bureau's submission list
      await p.goto(`${e.base}/submissions`);
      const accepted = p.locator('[data-testid="submissions"] tbody tr[data-status="accepted"]', { hasText: '十一月工资（改）.csv' });
      await expect(accepted.getByTestId('submission-confirmations').textContent()).resolves.toContain('11月工资表（工人签字）.pdf');
      expect(await e.store.sql.all("SELECT action FROM audit_log WHERE entity_id = ? AND action LIKE 'warning_%' ORDER BY id", [key])).toEqual([
        { action: 'warning_assign' },
        { action: 'warning_respond' },
        { action: 'warning_close' },
      ]);
      expect(countOf(await e.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'portal_file_download'"))).toBe(1);
    } finally {
      await again.context.close();
    }
  }, 120_000);
});
