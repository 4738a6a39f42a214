/**
 * End-to-end harness: the real server listening on 127.0.0.1 (ephemeral port) over a fresh database of the
 * test's engine (a temp SQLite file, or a PostgreSQL database of its own on the postgres project) loaded with
 * the demo city and its 2026-11-28 recompute and nightly report, one token per role, and a
 * Chromium driven by playwright-core: HUXIN_CHROMIUM, else the system's, else the one `@sparticuz/chromium`
 * carries in its npm tarball (test/support/chromium.ts). A browser that cannot start FAILS the suite; it never
 * skips.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { recompute } from '../../src/services/recompute.ts';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { ROLES, type Role } from '../../src/api/roles.ts';
import { createToken } from '../../src/api/tokens.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { computeReport, storeReport } from '../../src/reports/generate.ts';
import { buildServer } from '../../src/server.ts';
import { launchChromium } from '../support/chromium.ts';
import { onStore } from '../support/storeOn.ts';
import { freshLocation } from '../support/engines.ts';
import type { Store } from '../../src/store/store.ts';

export const NOW = '2026-11-28T02:00:00.000Z'; // 10:00 in Shanghai
export const AS_OF = '2026-11-28' as IsoDate;
export const OUTPUT = resolve(import.meta.dirname, '../../test-output');
export const NAMES: Record<Role, string> = { importer: '钱导入', inspector: '赵监察', supervisor: '孙科长', viewer: '李查看', contractor: '周专管' };

export interface E2E {
  app: FastifyInstance;
  /** the server's store: what a test reads (or writes beside the pages) through */
  store: Store;
  /** where the database is (a file or a postgres:// URL): for a night run beside the server */
  location: string;
  base: string;
  browser: Browser;
  tokens: Record<Role, string>;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  mkdirSync(OUTPUT, { recursive: true });
  const loc = await freshLocation();
  const location = loc.location;
  // loaded, evaluated and reported on the test's engine before the server starts, as `huxin serve` finds it
  await onStore(location, (s) => loadDemoCity(s, NOW));
  await onStore(location, (s) => recompute(s, AS_OF, NOW));
  await onStore(location, async (s) => storeReport(s, await computeReport(s, AS_OF), NOW));
  const tokens = {} as Record<Role, string>;
  const app = await buildServer({ location, now: () => NOW });
  // the contractor: the labour-affairs officer of the general contractor of the first demo project
  const unit = (await app.store.sql.get<{ u: string }>('SELECT contractor_uscc AS u FROM projects ORDER BY code LIMIT 1'))?.u ?? null;
  for (const role of ROLES) tokens[role] = (await createToken(app.store, { role, name: NAMES[role], actor: 'setup', now: NOW, uscc: role === 'contractor' ? unit : null })).token;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await launchChromium();
  return {
    app,
    store: app.store,
    location,
    base: `http://127.0.0.1:${port}`,
    browser,
    tokens,
    async close() {
      await browser.close().catch(() => {});
      await app.close();
      await loc.drop();
    },
  };
}

/** A fresh browser context (own cookies) signed in through the sign-in form. */
export async function signIn(e: E2E, role: Role, viewport = { width: 1366, height: 768 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // the pages must need nothing but the server: any other request fails the test
  await context.route('**/*', (route) => (route.request().url().startsWith(e.base) || route.request().url().startsWith('data:') ? route.continue() : route.abort()));
  const page = await context.newPage();
  await page.goto(`${e.base}/`);
  await page.waitForURL(/\/login/);
  await page.fill('input[name="token"]', e.tokens[role]);
  await page.click('button[type="submit"]');
  await page.waitForURL(`${e.base}/`);
  return { context, page };
}

export const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage });
