/**
 * The report's three formats (JSON, CSV for Excel, HTML for leaders), their determinism, and the
 * `huxin report` command — over the hand-worked city of fixture.ts in databases of the test's engine.
 */
import { recompute } from '../../src/services/recompute.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { BOM, csvCell, renderCsv } from '../../src/reports/csv.ts';
import { computeReport, storeReport } from '../../src/reports/generate.ts';
import { renderHtml } from '../../src/reports/html.ts';
import type { Report } from '../../src/reports/model.ts';
import type { TestLocation } from '../support/engines.ts';
import { D, D0, W, reviewFlagsIn, seededLocation } from './fixture.ts';

let loc: TestLocation;
let dir: string;
/** the city's database (a file or a postgres:// URL), as --db holds it */
let dbPath: string;
let store: Store;
let report: Report;
let json: string;

/** A seeded city with D0's report stored and the reviews made, like the night before D. */
async function cityAt(): Promise<{ loc: TestLocation; store: Store }> {
  const { loc, city } = await seededLocation();
  const s = await openStore(loc.location);
  await recompute(s, D0 as IsoDate, '2026-11-19T18:00:00.000Z');
  await storeReport(s, await computeReport(s, D0 as IsoDate), '2026-11-19T18:00:00.000Z');
  await reviewFlagsIn(s, city);
  return { loc, store: s };
}

beforeAll(async () => {
  ({ loc, store } = await cityAt());
  dir = loc.dir;
  dbPath = loc.location;
  // the night of D, as `huxin report` and the nightly run do before the report (its trends then show D)
  await recompute(store, D as IsoDate, '2026-11-20T18:00:00.000Z');
  const c = await computeReport(store, D as IsoDate);
  report = c.report;
  json = c.json;
});

afterAll(async () => {
  await store?.close();
  await loc?.drop();
});

function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('CSV for Excel on Chinese Windows', () => {
  it('writes one UTF-8 file per table, each with a BOM, CRLF line ends and Chinese headers', () => {
    const files = renderCsv(report);
    expect(files.map((f) => f.name)).toEqual([
      '01_totals.csv',
      '02_counties.csv',
      '03_projects.csv',
      '04_employers.csv',
      '05_flags_new.csv',
      '06_flags_resolved.csv',
      '07_guarantees_expiring.csv',
      '08_rates.csv',
      '09_arrears_by_wage_month.csv',
      '10_cases_past_deadline.csv',
      '11_orders_past_due.csv',
      '12_blacklist_changes.csv',
      '13_risk_ranking.csv',
      '14_trend_days.csv',
      '15_trend_months.csv',
      '16_rectifications_overdue.csv',
    ]);
    for (const f of files) {
      const bytes = Buffer.from(f.content, 'utf8');
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(f.content.endsWith('\r\n')).toBe(true);
      // every line ends in CRLF (no cell here holds a line break)
      expect(f.content.split('\r\n').every((l) => !l.includes('\n') && !l.includes('\r'))).toBe(true);
    }
    const counties = files.find((f) => f.name === '02_counties.csv')!.content;
    const lines = counties.slice(1).split('\r\n');
    expect(lines[0]!.startsWith('区县,项目数,欠薪总额(元),欠薪人数,欠薪项目数,最长逾期天数,估算风险敞口(元),未处理预警数,')).toBe(true);
    expect(lines[1]!.startsWith('信都区,2,12000.00,2,2,36,0.00,8,')).toBe(true);
    expect(lines[2]!.startsWith('襄都区,1,3000.00,1,1,7,2000.00,4,')).toBe(true);
    // decoded as a UTF-8 file with its BOM, as Excel does
    expect(new TextDecoder('utf-8').decode(Buffer.from(counties, 'utf8'))).toContain('信都区');
  });

  it('neutralises formula-looking text cells but keeps numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","点我")', 'text')).toBe(`"'=HYPERLINK(""http://x"",""点我"")"`);
    expect(csvCell('+86', 'text')).toBe("'+86");
    expect(csvCell('-5', 'text')).toBe("'-5"); // a text column: imported data, whatever it looks like
    expect(csvCell('@SUM(A1)', 'text')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd', 'text')).toBe("'\tcmd");
    expect(csvCell('-12.50', 'number')).toBe('-12.50'); // our own formatter: stays a number Excel can sum
    expect(csvCell(-3, 'number')).toBe('-3');
    expect(csvCell('=1+1', 'number')).toBe("'=1+1"); // not a number after all: treated as text
    expect(csvCell('a,b', 'text')).toBe('"a,b"');
    expect(csvCell(null, 'text')).toBe('');

    const tampered: Report = { ...report, projects: report.projects.map((p, i) => (i === 0 ? { ...p, name: '=cmd|" /C calc"!A0' } : p)) };
    const projects = renderCsv(tampered).find((f) => f.name === '03_projects.csv')!.content;
    expect(projects).toContain(`XT-A-001,"'=cmd|"" /C calc""!A0",信都区`);
  });

  it('lists new and resolved flags with masked identity numbers', () => {
    const files = renderCsv(report);
    const resolved = files.find((f) => f.name === '06_flags_resolved.csv')!.content;
    expect(resolved).toContain('王五');
    expect(resolved).toContain(`${W.W3.id.slice(0, 6)}********${W.W3.id.slice(-4)}`);
    expect(resolved).toContain('已整改（人工核销）');
    for (const f of files) for (const w of Object.values(W)) expect(f.content).not.toContain(w.id);
  });
});

describe('HTML page', () => {
  const html = () => renderHtml(report);

  it('is one self-contained file: no scripts, links, fonts or URLs of any kind', () => {
    const page = html();
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const banned of ['http:', 'https:', '//', '<script', '<link', '<img', '<iframe', 'url(', '@import', '@font-face', 'src=', 'href=']) {
      expect(page, banned).not.toContain(banned);
    }
  });

  it('puts the figures first, in Chinese, with two inline SVG charts and print CSS', () => {
    const page = html();
    expect(page).toContain('<html lang="zh-CN">');
    expect(page.indexOf('15,000.00')).toBeLessThan(page.indexOf('<svg'));
    expect(page.match(/<svg /g)).toHaveLength(2);
    expect(page).toContain('各区县欠薪');
    expect(page).toContain('欠薪按工资所属月份'.slice(0, 4));
    expect(page).toContain('信都区');
    expect(page).toContain('12,000.00 元 · 2 人');
    expect(page).toContain('@media print');
    expect(page).toContain('@page');
    for (const w of Object.values(W)) expect(page).not.toContain(w.id);
  });

  it('escapes imported text', () => {
    const tampered: Report = { ...report, counties: report.counties.map((c, i) => (i === 0 ? { ...c, county: '<script>alert(1)</script>' } : c)) };
    const page = renderHtml(tampered);
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;');
  });
});

describe('determinism', () => {
  it('gives byte-identical JSON, CSV and HTML for the same date over the same data', async () => {
    const again = await computeReport(store, D as IsoDate);
    expect(again.json).toBe(json);
    expect(renderCsv(again.report)).toEqual(renderCsv(report));
    expect(renderHtml(again.report)).toBe(renderHtml(report));
  });

  it('is the same after D’s own report is stored, and in a second database built from the same data', async () => {
    const c = await computeReport(store, D as IsoDate);
    await storeReport(store, c, '2026-11-21T02:00:00.000Z');
    expect((await computeReport(store, D as IsoDate)).json).toBe(json);
    const other = await cityAt();
    try {
      await recompute(other.store, D as IsoDate, '2026-11-20T18:00:00.000Z');
      expect((await computeReport(other.store, D as IsoDate)).json).toBe(json);
    } finally {
      await other.store.close();
      await other.loc.drop();
    }
  });

  it('has no generation time inside the content', () => {
    expect(json).not.toMatch(/T\d{2}:\d{2}/);
    expect(renderHtml(report)).not.toMatch(/T\d{2}:\d{2}/);
  });
});

describe('huxin report', () => {
  it('prints the JSON to stdout and stores the report', async () => {
    const out = capture();
    const err = capture();
    const code = await main(['report', '--db', dbPath, '--as-of', D], { stdout: out.stream, stderr: err.stream });
    expect(err.text()).toBe('');
    expect(code).toBe(0);
    expect(out.text()).toBe(json);
    // read back through a connection of its own (the command's was its own too)
    const check = await openStore(dbPath, { readonly: true });
    try {
      expect((await check.sql.get<{ json: string }>('SELECT json FROM reports WHERE as_of = ?', [D]))?.json).toBe(json);
    } finally {
      await check.close();
    }
  });

  it('writes one CSV file per table into --out with report.xlsx beside them, and HTML to a file', async () => {
    const csvDir = join(dir, 'csv-out');
    const io = { stdout: capture().stream, stderr: capture().stream };
    expect(await main(['report', '--db', dbPath, '--as-of', D, '--format', 'csv', '--out', csvDir], io)).toBe(0);
    expect(readdirSync(csvDir).sort()).toEqual([...renderCsv(report).map((f) => f.name), 'report.xlsx'].sort());
    expect(readFileSync(join(csvDir, '01_totals.csv')).subarray(0, 3)).toEqual(Buffer.from(BOM, 'utf8'));
    const htmlPath = join(dir, 'r.html');
    expect(await main(['report', '--db', dbPath, '--as-of', D, '--format', 'html', '--out', htmlPath], io)).toBe(0);
    expect(readFileSync(htmlPath, 'utf8')).toBe(renderHtml(report));
  });

  it('rejects a bad date, an unknown format, and csv without --out', async () => {
    const run = async (...args: string[]) => {
      const err = capture();
      const code = await main(['report', '--db', dbPath, ...args], { stdout: capture().stream, stderr: err.stream });
      return { code, err: err.text() };
    };
    expect(await run('--as-of', '2026-02-30')).toMatchObject({ code: 2 });
    expect((await run('--as-of', D, '--format', 'pdf')).code).toBe(2);
    expect((await run('--as-of', D, '--format', 'csv')).err).toContain('--out');
  });
});
