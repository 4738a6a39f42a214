/**
 * One language on every page (issue 18, point 5): render every page for every role, the evidence pack and
 * each report format, strip tags, attributes, scripts and styles, and look for Latin words (three letters
 * or more) in what a reader sees. Codes stay in attributes, URLs and the API JSON; the allow-list holds the
 * few Latin words a Chinese user reads as such (file formats, the product name). The test lists every
 * offender with its page, so a new English string cannot slip onto a page unnoticed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUREAU_ROLES, type Role } from '../../src/api/roles.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { renderCsv } from '../../src/reports/csv.ts';
import { computeReport, storeReport } from '../../src/reports/generate.ts';
import { renderHtml } from '../../src/reports/html.ts';
import { recompute } from '../../src/services/recompute.ts';
import { makeApp, type TestApp } from '../api/helpers.ts';
import { D, D0, reviewFlagsIn, seedCity, type SeededCity } from '../reports/fixture.ts';

// the scanner lives in test/support/latin.ts: other test files use it without running this file's suites
import { latinWords, visibleText } from '../support/latin.ts';

/** The people of the test city (token holders, reviewers, actors) are names, whatever their letters. */
let names: Set<string> = new Set();
const offenders = (where: string, text: string) => latinWords(text, names).map((w) => `${where}: ${w}`);

/** A CSV file's cells (RFC 4180 quoting), with the index of the column each is in. */
function csvCells(content: string): { header: string; value: string }[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const text = content.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell.replace(/\r$/, '')), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  const [head = [], ...body] = rows;
  return [...head.map((h) => ({ header: '', value: h })), ...body.flatMap((r) => r.map((value, i) => ({ header: head[i] ?? '', value })))];
}

describe('the scanner', () => {
  it('finds English in text and ignores attributes, codes, file names and the allow-list', () => {
    expect(latinWords(visibleText('<p class="flag" data-code="WAGE_UNPAID">劳动监察员（inspector）XT-2026-001 导出 CSV huxin-report-2026-11-28.csv</p>'))).toEqual(['inspector']);
    expect(latinWords(visibleText('<td>WAGE_UNPAID</td><td>use_deposit</td>'))).toEqual(['WAGE_UNPAID', 'use_deposit']);
  });
});

describe('no Latin words in user text', () => {
  let t: TestApp;
  beforeAll(async () => {
    let city!: SeededCity;
    // the hand-worked report city, seeded before the server starts (then carried onto the test's engine)
    t = await makeApp({ seed: false, prepare: (db) => void (city = seedCity(db)) });
    const s = t.store;
    await recompute(s, D0 as IsoDate, '2026-11-19T18:00:00.000Z');
    await storeReport(s, await computeReport(s, D0 as IsoDate), '2026-11-19T18:00:00.000Z');
    await reviewFlagsIn(s, city);
    await recompute(s, D as IsoDate, '2026-11-20T18:00:00.000Z');
    await storeReport(s, await computeReport(s, D as IsoDate), '2026-11-20T18:00:00.000Z');
    const people = await s.sql.all<{ name: string }>('SELECT name FROM api_tokens UNION SELECT actor FROM flag_reviews UNION SELECT actor FROM import_batches');
    names = new Set(people.flatMap((p) => [p.name, ...p.name.split(/[^A-Za-z]+/)]).filter(Boolean));
  }, 60_000);
  afterAll(() => t?.close());

  const ORIGIN = { host: 'localhost', origin: 'http://localhost' };
  const FORM = { ...ORIGIN, 'content-type': 'application/x-www-form-urlencoded' };
  const cookie = (role: Role) => `huxin_session=${t.sessions[role]}`;
  const get = (role: Role, url: string) => t.app.inject({ url, headers: { cookie: cookie(role) } });
  const post = (role: Role, url: string, fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: cookie(role) }, payload: new URLSearchParams(fields).toString() });

  it('every page for every role, the case and its evidence pack, an order, the registries', async () => {
    // an order and a case from the first open wage flag, so /orders, /cases/:id and the pack have content
    const wage = await t.store.sql.get<{ id: number }>("SELECT id FROM finding_versions WHERE code LIKE 'WAGE_%' AND valid_to IS NULL ORDER BY id LIMIT 1");
    expect(wage).toBeDefined();
    expect((await post('inspector', `/flags/${wage!.id}/order`, { reason: '责令限期支付', deadline: '2026-12-10', back: '/flags' })).statusCode).toBe(303);
    const opened = await post('inspector', `/flags/${wage!.id}/case`, { reason: '工人投诉', back: '/flags' });
    const caseId = /\/cases\/(\d+)/.exec(String(opened.headers.location))?.[1];
    expect(caseId).toBeDefined();
    const codes = (await t.store.sql.all<{ code: string }>('SELECT code FROM projects ORDER BY code')).map((r) => r.code);
    const warningPages = ((await t.as('viewer', { url: '/api/v1/warnings?pageSize=3' })).json().items as { key: string }[]).map((w) => `/warnings/${w.key}`);
    expect(warningPages.length).toBeGreaterThan(0);
    const urls = [
      '/',
      '/flags',
      '/flags?status=all',
      '/projects',
      ...codes.map((c) => `/projects/${c}`),
      '/imports',
      '/params',
      '/reports',
      `/reports/${D}`,
      '/cases',
      `/cases/${caseId}`,
      '/orders',
      '/blacklist',
      '/late',
      '/flags?view=flags',
      ...warningPages,
      '/submissions',
    ];
    // pages only some roles open (the notices outbox: inspectors and supervisors)
    const restricted = ['/notices'];
    const found: string[] = [];
    let severalTitles = 0;
    for (const role of BUREAU_ROLES) {
      for (const url of urls) {
        const res = await get(role, url);
        expect(res.statusCode, `${role} ${url}`).toBe(200);
        found.push(...offenders(`${role} ${url}`, visibleText(res.body)));
        // several law titles each in their own 书名号, never 《甲；乙》
        for (const m of res.body.matchAll(/《[^》]*[；;][^》]*》/g)) found.push(`${role} ${url}: ${m[0]}`);
        if (res.body.includes('》《')) severalTitles++;
      }
    }
    for (const role of BUREAU_ROLES) {
      for (const url of restricted) {
        const res = await get(role, url);
        if (res.statusCode === 403) continue;
        expect(res.statusCode, `${role} ${url}`).toBe(200);
        found.push(...offenders(`${role} ${url}`, visibleText(res.body)));
      }
    }
    const login = await t.app.inject({ url: '/login' });
    found.push(...offenders('/login', visibleText(login.body)));
    // the contractor's portal (issue 20): its page, and a rejected upload with its problems and fixes
    const portal = await get('contractor', '/portal');
    expect(portal.statusCode).toBe(200);
    found.push(...offenders('contractor /portal', visibleText(portal.body)));
    const pack = await get('inspector', `/cases/${caseId}/evidence-pack`);
    expect(pack.statusCode).toBe(200);
    found.push(...offenders('evidence pack', visibleText(pack.body)));
    expect([...new Set(found)]).toEqual([]);
    // the city has flags citing two documents (the deposit rules), so the 书名号 check saw some
    expect(severalTitles).toBeGreaterThan(0);
  });

  it('the report as HTML, each CSV table and the JSON user texts (sentences, titles, reasons)', async () => {
    const report = (await computeReport(t.store, D as IsoDate)).report;
    const found: string[] = [];
    found.push(...offenders('report HTML', visibleText(renderHtml(report))));
    for (const { name, content: body } of renderCsv(report)) {
      // headers and cells are user text; the 预警代码 column holds the flag codes for IT, as the JSON does
      for (const c of csvCells(body)) if (!c.header.endsWith('代码')) found.push(...offenders(`report CSV ${name}`, c.value));
    }
    // JSON: codes stay English (keys, code fields); the user texts inside must be Chinese
    const texts: string[] = [];
    const walk = (v: unknown, key: string) => {
      if (typeof v === 'string' && /sentence|title|why|reason|text|message|warning|label|note|action/i.test(key)) texts.push(v);
      else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    walk(report, '');
    for (const s of texts) found.push(...offenders('report JSON', s));
    expect([...new Set(found)]).toEqual([]);
  });
});

