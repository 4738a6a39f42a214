/**
 * The contractor portal in a real browser (issue 20): a labour-affairs officer signs in with a contractor
 * token, lands on the portal (only its unit's projects), downloads the template, uploads a wrong wage table,
 * reads the problems with the fix for each, uploads the corrected file and sees it accepted; the bureau's
 * clerk then sees both submissions with their states.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, signIn, startE2E, type E2E } from './harness.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 60_000);
afterAll(async () => {
  await e?.close();
});

describe('contractor portal in Chromium', () => {
  it('sign-in → rejected upload with fixes → corrected upload accepted → the bureau sees both', async () => {
    const s = e.db.$client;
    const unit = (s.prepare('SELECT contractor_uscc AS u FROM projects ORDER BY code LIMIT 1').get() as { u: string }).u;
    const mine = s.prepare('SELECT code FROM projects WHERE contractor_uscc = ? ORDER BY code').all(unit) as { code: string }[];
    const notMine = s.prepare('SELECT code FROM projects WHERE contractor_uscc <> ? AND id NOT IN (SELECT project_id FROM roster_entries WHERE employer_uscc = ?) ORDER BY code LIMIT 1').get(unit, unit) as { code: string } | undefined;
    const worker = s.prepare('SELECT r.id_number AS id, r.name AS name, p.code AS code FROM roster_entries r JOIN projects p ON p.id = r.project_id WHERE p.code = ? AND r.superseded_by IS NULL LIMIT 1').get(mine[0]!.code) as { id: string; name: string; code: string };

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
});
