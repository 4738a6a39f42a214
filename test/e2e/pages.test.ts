/**
 * The pages in a real browser (Debian's Chromium via playwright-core) against the real server: sign in,
 * the dashboard, resolving a flag from the review queue, a rejected upload with its problems, a project's
 * wage ledger, phone width and print, and no whole identity number on any page for any role.
 * Screenshots go to test-output/ (gitignored).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdNumber } from '../../src/domain/idNumber.ts';
import { NAMES, shot, signIn, startE2E, type E2E } from './harness.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 60_000);
afterAll(async () => {
  await e?.close();
});

const FIXTURES = join(import.meta.dirname, '../../fixtures/import-cases');

describe('pages in Chromium', () => {
  it('signs in with a token, shows the name and role on every page, and signs out', async () => {
    const { context, page } = await signIn(e, 'inspector');
    try {
      await expect(page.getByTestId('user').textContent()).resolves.toContain(NAMES.inspector);
      await expect(page.getByTestId('user').textContent()).resolves.toContain('劳动监察员');
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === 'huxin_session');
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe('Strict');
      // no script can read it
      expect(await page.evaluate<string>('document.cookie')).not.toContain('huxin_session');
      await page.goto(`${e.base}/imports`);
      await expect(page.getByTestId('user').textContent()).resolves.toContain(NAMES.inspector);
      await page.click('text=退出');
      await page.waitForURL(/\/login/);
      await page.goto(`${e.base}/flags`);
      expect(page.url()).toContain('/login?next=%2Fflags');
    } finally {
      await context.close();
    }
  });

  it('a wrong token stays on the sign-in page with the reason', async () => {
    const context = await e.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${e.base}/login`);
      await page.fill('input[name="token"]', 'hx_wrong');
      await page.click('button[type="submit"]');
      await expect(page.locator('[role="alert"]').textContent()).resolves.toContain('令牌无效');
    } finally {
      await context.close();
    }
  });

  it('the dashboard shows the city figures by county with charts, each linked to its detail', async () => {
    const { context, page } = await signIn(e, 'viewer');
    try {
      await expect(page.locator('h1').textContent()).resolves.toContain('全市总览');
      // demo city at 2026-11-28: 63,055.00 yuan owed to 10 workers (docs: fixtures/README.md) — 46,561.00 on
      // XT-2026-002/003, 8,294.00 on XT-2026-007 paid into the foreman's name (not paid to the worker, 条例 第十一条)
      // and 8,200.00 on XT-2026-008 whose September transfer the bank returned on 2026-10-20 (issue 19)
      await expect(page.getByTestId('city-arrears').textContent()).resolves.toBe('63,055.00');
      expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
      const rows = page.getByTestId('counties').locator('tbody tr');
      expect(await rows.count()).toBe(6);
      await expect(rows.first().textContent()).resolves.toContain('任泽区');
      await shot(page, 'dashboard-1366');
      await page.getByTestId('counties').locator('tbody tr').first().locator('a').first().click();
      await page.waitForURL(/\/projects\?county=/);
      await expect(page.getByTestId('projects').textContent()).resolves.toContain('XT-2026-003');
    } finally {
      await context.close();
    }
  });

  it('resolving a flag with a reason takes it out of the review queue and into the audit log', async () => {
    const { context, page } = await signIn(e, 'inspector');
    try {
      await page.goto(`${e.base}/flags?county=${encodeURIComponent('任泽区')}&severity=critical`);
      const first = page.getByTestId('flag').first();
      const id = await first.getAttribute('data-flag-id');
      expect(id).toMatch(/^\d+$/);
      const before = await page.getByTestId('flag').count();
      await expect(first.locator('.law').textContent()).resolves.toContain('保障农民工工资支付条例');
      await expect(first.locator('table.evidence').textContent()).resolves.toMatch(/工资表.*#\d+.*第 \d+ 行/s);
      await shot(page, 'flags-before');
      await first.locator('form[action$="/resolve"] textarea[name="reason"]').fill('已责令总包单位补发，工人确认到账');
      await first.locator('button', { hasText: '标记已处理' }).click();
      await page.waitForURL(/done=resolved-/);
      await expect(page.locator('.notice.ok').textContent()).resolves.toContain(`预警 #${id} 已标记为已处理`);
      expect(await page.locator(`[data-flag-id="${id}"]`).count()).toBe(0);
      expect(await page.getByTestId('flag').count()).toBe(before - 1);
      await shot(page, 'flags-after-resolve');
      // it is among the resolved ones, with the reason
      await page.goto(`${e.base}/flags?status=resolved`);
      await expect(page.locator(`[data-flag-id="${id}"]`).textContent()).resolves.toContain('已责令总包单位补发');
      const audit = await e.store.sql.all<{ actor: string; reason: string }>("SELECT actor, reason FROM audit_log WHERE action = 'flag_resolve'");
      expect(audit).toEqual([{ actor: NAMES.inspector, reason: '已责令总包单位补发，工人确认到账' }]);
    } finally {
      await context.close();
    }
  });

  it('dismissing needs a reason: the browser will not send an empty one', async () => {
    const { context, page } = await signIn(e, 'inspector');
    try {
      await page.goto(`${e.base}/flags?view=flags&county=${encodeURIComponent('任泽区')}`);
      const first = page.getByTestId('flag').first();
      const id = await first.getAttribute('data-flag-id');
      await first.locator('button', { hasText: '排除' }).click();
      await page.waitForTimeout(200);
      expect(page.url()).not.toContain('done=');
      expect(await page.locator(`[data-flag-id="${id}"]`).count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('opens a wage case from the review queue and moves it one stage, with the reason in its history', async () => {
    const { context, page } = await signIn(e, 'inspector');
    try {
      await page.goto(`${e.base}/flags?code=WAGE_UNPAID`);
      const form = page.getByTestId('case-form').first();
      await form.locator('textarea[name="reason"]').fill('工人集体投诉，经核实拖欠工资');
      await form.locator('button', { hasText: '立案' }).click();
      await page.waitForURL(/\/cases\/\d+\?done=opened/);
      await expect(page.locator('[role="status"]').textContent()).resolves.toContain('已立案');
      await expect(page.getByTestId('stage').textContent()).resolves.toBe('登记受理');
      const id = /\/cases\/(\d+)/.exec(page.url())![1];
      const move = page.getByTestId('transition');
      await move.locator('textarea[name="reason"]').fill('双方同意先行调解');
      await move.locator('button[value="mediation"]').click();
      await page.waitForURL(/done=moved-mediation/);
      await expect(page.getByTestId('stage').textContent()).resolves.toBe('快调（调解）');
      await expect(page.getByTestId('events').textContent()).resolves.toContain('双方同意先行调解');
      await expect(page.getByTestId('events').textContent()).resolves.toContain(NAMES.inspector);
      await shot(page, 'case-moved', true);
      await page.goto(`${e.base}/cases`);
      await expect(page.getByTestId('cases').locator(`tr[data-case-id="${id}"]`).textContent()).resolves.toContain('快调（调解）');
      const stored = await e.store.sql.get('SELECT stage FROM wage_cases WHERE id = ?', [Number(id)]);
      expect(stored).toEqual({ stage: 'mediation' });
    } finally {
      await context.close();
    }
  });

  it('a broken payroll file is rejected and its problems are listed by line and column', async () => {
    const { context, page } = await signIn(e, 'importer');
    try {
      await page.goto(`${e.base}/imports`);
      const batchesBefore = await page.getByTestId('batches').locator('tbody tr').count();
      await page.selectOption('select[name="kind"]', 'payroll');
      await page.setInputFiles('input[name="file"]', join(FIXTURES, 'payroll-broken.csv'));
      await page.click('text=上传并导入');
      await page.getByTestId('import-problems').waitFor();
      const problems = page.getByTestId('import-problems').locator('tbody tr');
      expect(await problems.count()).toBeGreaterThan(2);
      const text = await page.getByTestId('import-problems').textContent();
      expect(text).toContain('未写入任何数据');
      expect(text).toMatch(/第 3 行\s*身份证号/);
      expect(text).toContain('科学计数法');
      expect(await page.getByTestId('batches').locator('tbody tr').count()).toBe(batchesBefore);
      await shot(page, 'import-rejected', true);
    } finally {
      await context.close();
    }
  });

  it('an .xlsx upload shows its progress and stages with the button disabled, then the imported batch', async () => {
    // the projects fixture as a clerk's workbook: a title row, the header, dates as Date cells
    const lines = readFileSync(join(FIXTURES, 'projects.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
    const header = lines[0]!.split(',');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('项目');
    ws.addRow(['2026年在建项目登记表']);
    ws.addRow(header);
    ws.addRow(['XT-X-001', '信都区表格导入测试项目', '信都区', '邢台市信都区城市建设投资有限公司', '9113050337CNN7BA4H', '河北中兴建工集团有限公司', '91130500489QG93TE8', 48000000, new Date(Date.UTC(2026, 2, 10)), new Date(Date.UTC(2026, 3, 1))]);
    const file = join(import.meta.dirname, '../../test-output/projects-upload.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));

    const { context, page } = await signIn(e, 'importer');
    try {
      await page.goto(`${e.base}/imports`);
      expect(await page.getByTestId('upload-stages').isHidden()).toBe(true);
      // watch the status line and the button while the upload runs
      await page.evaluate(`(() => {
        window.seen = [];
        const status = document.querySelector('[data-upload-status]');
        const button = document.querySelector('form[data-upload] button[type="submit"]');
        new MutationObserver(() => window.seen.push((button.disabled ? 'disabled' : 'enabled') + '|' + status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
      })()`);
      await page.selectOption('select[name="kind"]', 'projects');
      await page.setInputFiles('input[name="file"]', file);
      await page.click('text=上传并导入');
      await page.getByTestId('import-ok').waitFor();
      // the answer page replaced the body: the observer's record is kept on window
      const seen = await page.evaluate<string[]>('window.seen');
      expect(seen.some((s) => s.startsWith('disabled|上传中：'))).toBe(true);
      expect(seen.some((s) => s.startsWith('disabled|校验中、写入中'))).toBe(true);
      expect(seen.at(-1)).toBe('disabled|完成');
      expect(await page.getByTestId('import-ok').textContent()).toContain('projects-upload.xlsx');
      expect(await page.getByTestId('import-ok').textContent()).toContain('1 行');
      expect(await page.getByTestId('batches').locator('tbody tr').first().textContent()).toContain('xlsx');
      // the page works again for the next file
      expect(await page.locator('form[data-upload] button[type="submit"]').isDisabled()).toBe(false);
      await shot(page, 'import-xlsx-ok', true);
    } finally {
      await context.close();
    }
  });

  it("a project's page shows each wage month as a ledger table, the account, the deposit steps and the roster", async () => {
    const { context, page } = await signIn(e, 'inspector');
    try {
      await page.goto(`${e.base}/projects`);
      await page.click('text=XT-2026-003');
      await page.waitForURL(/\/projects\/XT-2026-003/);
      const ledger = page.getByTestId('ledger-2026-10');
      await expect(ledger.isVisible()).resolves.toBe(true);
      await expect(ledger.locator('tfoot').textContent()).resolves.toMatch(/90,789\.00.*50,428\.00.*40,361\.00/s);
      expect(await ledger.locator('.badge.unpaid').count()).toBe(4);
      // an earlier month opens from the month table
      await page.getByTestId('wage-months').locator('a[href*="2026-09"]').click();
      await expect(page.getByTestId('ledger-2026-09').isVisible()).resolves.toBe(true);
      await page.getByTestId('ledger-2026-10').scrollIntoViewIfNeeded();
      expect(await page.getByTestId('deposit-steps').locator('tbody tr').count()).toBeGreaterThan(3);
      expect(await page.getByTestId('roster').locator('tbody tr').count()).toBeGreaterThan(5);
      await page.goto(`${e.base}/projects/XT-2026-003#wages`);
      await shot(page, 'project-ledger');
    } finally {
      await context.close();
    }
  });

  it('works at phone width and prints without the navigation and forms', async () => {
    const { context, page } = await signIn(e, 'inspector', { width: 390, height: 844 });
    try {
      await page.goto(`${e.base}/flags`);
      // nothing wider than the screen but the scrolling tables
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(1);
      await shot(page, 'flags-phone');
      await page.goto(`${e.base}/projects/XT-2026-003`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(1);
      await shot(page, 'project-phone');
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header nav').isVisible()).toBe(false);
      expect(await page.locator('details[open]').count()).toBeGreaterThanOrEqual(1);
      await page.pdf({ path: join(import.meta.dirname, '../../test-output/project-print.pdf'), format: 'A4' });
    } finally {
      await context.close();
    }
  });

  it('at 390 px every page, the HTML report and a rejected import are usable: no menu item or table cell one character wide, wide tables scroll in their wrapper', async () => {
    const { context, page } = await signIn(e, 'supervisor', { width: 390, height: 844 });
    // the narrowest rendered box of a selector's elements that hold text (a cell squeezed to one character is ~1em wide)
    const narrowest = (selector: string) =>
      page.evaluate<number>(
        `Math.min(...[...document.querySelectorAll(${JSON.stringify(selector)})].filter((el) => (el.textContent || '').trim().length >= 2).map((el) => el.getBoundingClientRect().width), 9999)`,
      );
    try {
      const urls = ['/', '/flags', '/projects', '/projects/XT-2026-003', '/imports', '/params', '/reports', '/cases', '/orders', '/blacklist'];
      for (const url of urls) {
        await page.goto(`${e.base}${url}`);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'), url).toBeLessThanOrEqual(1);
        // the menu: each item on one line (its height one line), never one character per line
        const navHeights = await page.evaluate<number[]>('[...document.querySelectorAll("header nav a")].map((a) => a.getBoundingClientRect().height)');
        expect(Math.max(...navHeights), url).toBeLessThan(40);
        // table cells keep at least a few characters' width; the table scrolls in its wrapper
        expect(await narrowest('.table-wrap td'), url).toBeGreaterThan(40);
      }
      await page.goto(`${e.base}/reports/2026-11-28`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(1);
      // 13 px text: a cell squeezed to one character a line is ~26 px wide (one em and its padding)
      expect(await narrowest('.wrap td')).toBeGreaterThan(32);
      expect(await page.evaluate<number>('Math.max(...[...document.querySelectorAll(".wrap")].map((w) => w.scrollWidth - w.clientWidth))')).toBeGreaterThan(0);
      await shot(page, 'report-phone', true);
      // the problems of a rejected upload
      await page.goto(`${e.base}/imports`);
      await page.selectOption('select[name="kind"]', 'payroll');
      await page.setInputFiles('input[name="file"]', join(FIXTURES, 'payroll-broken.csv'));
      await page.click('text=上传并导入');
      await page.getByTestId('import-problems').waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(1);
      expect(await narrowest('[data-testid="import-problems"] td')).toBeGreaterThan(40);
      await shot(page, 'import-rejected-phone', true);
    } finally {
      await context.close();
    }
  });

  it('no page shows a whole identity number to a viewer or an inspector', async () => {
    const ids = new Set(
      (await e.store.sql.all<{ id_number: string }>('SELECT id_number FROM roster_entries UNION SELECT id_number FROM payroll_rows UNION SELECT id_number FROM payments')).map(
        (r) => r.id_number,
      ),
    );
    expect(ids.size).toBeGreaterThan(50);
    const codes = (await e.store.sql.all<{ code: string }>('SELECT code FROM projects ORDER BY code')).map((r) => r.code);
    const urls = ['/', '/flags', '/flags?status=all', '/projects', '/imports', '/reports', '/reports/2026-11-28', ...codes.map((c) => `/projects/${c}`)];
    for (const role of ['viewer', 'inspector'] as const) {
      const { context } = await signIn(e, role);
      try {
        for (const url of urls) {
          // the browser's own session (its cookie jar) fetches each page; no rendering needed to read the HTML
          const res = await context.request.get(`${e.base}${url}`, { maxRedirects: 0 });
          expect(res.status(), url).toBe(200);
          const body = await res.text();
          const whole = [...body.matchAll(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g)].map((m) => m[0]).filter((s) => ids.has(s) || parseIdNumber(s).ok);
          expect(whole, `${role} ${url}`).toEqual([]);
          for (const id of ids) expect(body.includes(id), `${role} ${url}`).toBe(false);
        }
        // the masked form is what shows
        const project = await (await context.request.get(`${e.base}/projects/XT-2026-003`)).text();
        expect(project).toMatch(/\d{6}\*{8}[\dX]{4}/);
      } finally {
        await context.close();
      }
    }
  });
});
