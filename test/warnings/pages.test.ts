/**
 * 项目预警 on the pages (through inject, on the demo city): the queue opens on one card per warning with its
 * level; a warning's page lists its unpaid workers with amounts and checkboxes; the bulk order is issued for
 * the workers left checked; every flag then shows the order it is in; a second order for the same
 * worker-month and a bad deadline keep the inspector on the warning's page with the message; the
 * dashboard counts the projects with a warning by level.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/api/roles.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { importFile } from '../../src/imports/service.ts';
import type { ImportKind } from '../../src/imports/types.ts';
import { recompute } from '../../src/services/recompute.ts';
import { onStore } from '../support/storeOn.ts';
import { countOf } from '../support/toEngine.ts';
import { makeApp, NOW, type TestApp } from '../api/helpers.ts';
import { latinWords, visibleText } from '../support/latin.ts';

const DEMO = join(import.meta.dirname, '../../fixtures/demo');
const KEY = 'p3-WAGE_ARREARS-2026-10';
const ORIGIN = { host: 'localhost', origin: 'http://localhost' };
const FORM = { ...ORIGIN, 'content-type': 'application/x-www-form-urlencoded' };

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ seed: false });
  for (const kind of ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits'] as ImportKind[]) {
    await importFile(t.app.store, { kind, fileName: `${kind}.csv`, source: { path: join(DEMO, `${kind}.csv`) }, actor: 'test', now: NOW });
  }
  // the night runs beside the server, on its own connection (as the scheduled job does)
  await onStore(t.dbPath, (s) => recompute(s, '2026-11-28' as IsoDate, NOW));
}, 120_000);
afterAll(() => t.close());

const cookieOf = (role: Role) => `huxin_session=${t.sessions[role]}`;
const page = (role: Role, url: string) => t.app.inject({ url, headers: { cookie: cookieOf(role) } });
const post = (role: Role, url: string, fields: [string, string][]) =>
  t.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: cookieOf(role) }, payload: new URLSearchParams(fields).toString() });
const count = async (sql: string, params: unknown[] = []) => countOf(await t.store.sql.get<{ n: number }>(sql, params));
const ids = (body: string, re: RegExp) => [...body.matchAll(re)].map((m) => Number(m[1]));

describe('the queue and a warning’s page', () => {
  it('the queue lists warnings first, one card each with its level, highest risk first; the flags one click away', async () => {
    const res = await page('inspector', '/flags');
    expect(res.statusCode).toBe(200);
    const cards = [...res.body.matchAll(/data-testid="warning-card" data-key="([^"]+)" data-level="([a-z]+)"/g)].map((m) => [m[1], m[2]]);
    expect(cards[0]).toEqual([KEY, 'red']);
    const levels = cards.map((c) => c[1]);
    expect(levels.indexOf('yellow')).toBeGreaterThan(levels.lastIndexOf('red'));
    expect(res.body).toContain('红色预警');
    expect(res.body).toContain('40,361.00 元');
    expect(res.body).toContain('河北冀南建设集团有限公司');
    expect(res.body).toContain(`href="/warnings/${KEY}"`);
    expect(res.body).toContain('href="/flags?view=flags"');
    // not one card per worker-month
    expect(res.body).not.toContain('data-testid="flag"');
    const red = await page('viewer', '/flags?level=red');
    expect([...red.body.matchAll(/data-level="([a-z]+)"/g)].every((m) => m[1] === 'red')).toBe(true);
  });

  it('a warning’s page lists the unpaid workers with names, masked numbers and amounts, all checked', async () => {
    const res = await page('inspector', `/warnings/${KEY}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-testid="bulk-form"');
    const checked = ids(res.body, /name="flag" value="(\d+)" id="pick-\d+" checked/g);
    expect(checked.length).toBe(7);
    expect(res.body).toContain('钱云');
    expect(res.body).toContain('8,400.00');
    expect(res.body).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    // its flags, one by one, below
    expect((res.body.match(/data-testid="flag"/g) ?? []).length).toBe(8);
    // a viewer sees the warning but no form
    expect((await page('viewer', `/warnings/${KEY}`)).body).not.toContain('data-testid="bulk-form"');
  });

  it('a bad deadline keeps the inspector on the form with the message and what was typed', async () => {
    const res = await post('inspector', `/warnings/${KEY}/order`, [['reason', '责令限期支付'], ['deadline', '12/10/2026'], ['flag', '1']]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('data-testid="bulk-form"');
    expect(res.body).toContain('格式为“年-月-日”');
    expect(res.body).toContain('value="12/10/2026"');
    const early = await post('inspector', `/warnings/${KEY}/order`, [['reason', '责令限期支付'], ['deadline', '2026-11-01'], ...ids((await page('inspector', `/warnings/${KEY}`)).body, /name="flag" value="(\d+)"/g).map((i): [string, string] => ['flag', String(i)])]);
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('data-testid="bulk-form"');
    expect(early.body).toContain('支付期限（2026-11-01）必须晚于作出日期');
    expect(await count('SELECT count(*) AS n FROM inspection_orders')).toBe(0);
  });

  let orderId = 0;
  let kept: number[] = [];
  let left = 0;
  it('the bulk order covers the workers left checked, and every flag then shows it', async () => {
    const all = ids((await page('inspector', `/warnings/${KEY}`)).body, /name="flag" value="(\d+)"/g);
    left = all[all.length - 1]!;
    kept = all.slice(0, -1);
    const res = await post('inspector', `/warnings/${KEY}/order`, [['reason', '责令限期支付10月工资'], ['deadline', '2026-12-10'], ...kept.map((i): [string, string] => ['flag', String(i)])]);
    expect(res.statusCode, res.body).toBe(303);
    const m = /^\/orders\?done=issued-(\d+)#order-\d+$/.exec(String(res.headers.location));
    expect(m).not.toBeNull();
    orderId = Number(m![1]);
    expect(await count('SELECT count(*) AS n FROM inspection_order_items WHERE order_id = ?', [orderId])).toBe(6);
    const after = (await page('inspector', `/warnings/${KEY}`)).body;
    expect((after.match(new RegExp(`href="/orders#order-${orderId}" data-testid="in-order"`, 'g')) ?? []).length).toBeGreaterThanOrEqual(6);
    // by default only the one left out stays checked
    expect(ids(after, /name="flag" value="(\d+)" id="pick-\d+" checked/g)).toEqual([left]);
    // and on the flags view of the queue
    const flags = (await page('inspector', '/flags?view=flags&code=WAGE_UNPAID')).body;
    expect(flags).toContain(`责令限期支付 #${orderId}`);
  });

  it('a second order for the same worker-month is refused in the page (409), naming the first, nothing stored', async () => {
    const res = await post('inspector', `/warnings/${KEY}/order`, [['reason', '再次责令'], ['deadline', '2026-12-12'], ['flag', String(kept[0])]]);
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('data-testid="bulk-form"');
    expect(res.body).toContain(`责令限期支付 #${orderId}`);
    expect(res.body).toContain('不能重复责令');
    expect(await count('SELECT count(*) AS n FROM inspection_orders')).toBe(1);
  });

  it('a case for the checked workers from the same form; a second one is refused in the page', async () => {
    const res = await post('inspector', `/warnings/${KEY}/case`, [['reason', '工人集体投诉'], ...kept.map((i): [string, string] => ['flag', String(i)])]);
    expect(res.statusCode, res.body).toBe(303);
    const caseId = Number(/^\/cases\/(\d+)\?done=opened$/.exec(String(res.headers.location))![1]);
    const again = await post('inspector', `/warnings/${KEY}/case`, [['reason', '重复立案'], ['flag', String(kept[0])]]);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(`案件 #${caseId}`);
    expect(again.body).toContain('data-testid="bulk-form"');
  });

  it('a per-flag order with a bad deadline stays on the queue with the message', async () => {
    const res = await post('inspector', `/flags/${left}/order`, [['reason', '责令'], ['deadline', '2026-13-45x'], ['back', '/flags?view=flags&code=WAGE_UNPAID']]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('data-testid="flag"');
    expect(res.body).toContain(`预警 #${left}：责令限期支付必须填写理由和支付期限`);
  });

  it('no English in what a reader sees on the queue, a warning’s page or a refusal', async () => {
    for (const url of ['/flags', '/flags?level=orange', `/warnings/${KEY}`, '/warnings/p3-DEPOSIT', '/']) {
      const res = await page('inspector', url);
      expect(res.statusCode, url).toBe(200);
      expect(latinWords(visibleText(res.body), new Set(['inspector-user'])), url).toEqual([]);
    }
  });

  it('the dashboard counts the projects with a warning by level', async () => {
    const res = await page('viewer', '/');
    expect(res.body).toContain('data-testid="projects-by-level"');
    expect(res.body).toMatch(/data-testid="dash-red">红 5</);
    expect(res.body).toMatch(/data-testid="dash-orange">橙 1</);
    expect(res.body).toMatch(/data-testid="dash-yellow">黄 2</);
  });
});
