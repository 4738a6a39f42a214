/**
 * The report workbook (issue 18 point 7): report.xlsx read back with exceljs — one sheet per CSV table with
 * the table's Chinese name and headers, money as numbers formatted '#,##0.00', rates as percentages, counts
 * as whole numbers, text as text — written by `huxin report` beside the CSVs and served by the API and the
 * report page, over the hand-worked city of fixture.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { renderCsv, reportTables } from '../../src/reports/csv.ts';
import { computeReport, storeReport } from '../../src/reports/generate.ts';
import type { Report } from '../../src/reports/model.ts';
import { MONEY_FORMAT, RATE_FORMAT, renderXlsx, sheetNameOf } from '../../src/reports/xlsx.ts';
import { recompute } from '../../src/services/recompute.ts';
import { makeApp } from '../api/helpers.ts';
import { D, D0, reviewFlagsIn, seededLocation } from './fixture.ts';
import { onStore } from '../support/storeOn.ts';
import type { TestLocation } from '../support/engines.ts';

let loc: TestLocation;
let dir: string;
/** the city's database on the test's engine (what --db holds) */
let dbPath: string;
let report: Report;

beforeAll(async () => {
  const seeded = await seededLocation();
  loc = seeded.loc;
  dir = loc.dir;
  dbPath = loc.location;
  const city = seeded.city;
  const c = await onStore(dbPath, async (s) => {
    await recompute(s, D0 as IsoDate, '2026-11-19T18:00:00.000Z');
    await storeReport(s, await computeReport(s, D0 as IsoDate), '2026-11-19T18:00:00.000Z');
    await reviewFlagsIn(s, city);
    await recompute(s, D as IsoDate, '2026-11-20T18:00:00.000Z');
    const computed = await computeReport(s, D as IsoDate);
    await storeReport(s, computed, '2026-11-20T18:00:00.000Z');
    return computed;
  });
  report = c.report;
});

afterAll(() => loc.drop());

async function read(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return wb;
}

/** The sheet's row 1 as text and a column's cell in the first data row. */
function header(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (c) => out.push(String(c.value ?? '')));
  return out;
}
function cellUnder(ws: ExcelJS.Worksheet, head: string, row = 2): ExcelJS.Cell {
  const i = header(ws).indexOf(head);
  if (i < 0) throw new Error(`no column ${head} in ${ws.name}`);
  return ws.getRow(row).getCell(i + 1);
}

describe('report.xlsx', () => {
  it('is the same bytes for the same report, whatever the clock (a rerun of the night writes the same file)', async () => {
    const first = await renderXlsx(report);
    await new Promise((r) => setTimeout(r, 2100)); // zip entry times have a 2-second resolution
    expect((await renderXlsx(report)).equals(first)).toBe(true);
  });

  it('has one sheet per CSV table, named by its Chinese title, with the CSV headers', async () => {
    const wb = await read(await renderXlsx(report));
    const csv = renderCsv(report);
    expect(wb.worksheets.map((w) => w.name)).toEqual(csv.map((f) => f.title));
    for (const [i, t] of reportTables(report).entries()) {
      const ws = wb.worksheets[i]!;
      expect(header(ws)).toEqual(t.columns.map((c) => c.header));
      expect(ws.rowCount).toBe(1 + t.rows.length);
    }
    expect(wb.worksheets[0]!.name).toBe('全市汇总');
  });

  it('writes money as numbers formatted #,##0.00, rates as percentages and counts as whole numbers', async () => {
    const wb = await read(await renderXlsx(report));
    const totals = wb.getWorksheet('全市汇总')!;
    const arrears = cellUnder(totals, '欠薪总额(元)');
    expect(arrears.type).toBe(ExcelJS.ValueType.Number);
    expect(arrears.value).toBe(Number(report.totals.arrears));
    expect(arrears.numFmt).toBe(MONEY_FORMAT);
    expect(Number(report.totals.arrears)).toBeGreaterThan(0);
    const count = cellUnder(totals, '欠薪人数');
    expect(count.type).toBe(ExcelJS.ValueType.Number);
    expect(count.value).toBe(report.totals.workersInArrears);
    expect(cellUnder(totals, '截至日期').value).toBe(report.asOf);

    const rates = wb.getWorksheet('比率指标')!;
    const city = report.rates.city.realNameCoverage;
    const rate = cellUnder(rates, '实名制覆盖率');
    expect(city.rate).not.toBeNull();
    expect(rate.type).toBe(ExcelJS.ValueType.Number);
    expect(rate.value).toBe(Number(city.rate));
    expect(rate.numFmt).toBe(RATE_FORMAT);
    // the amount-based rate's parts are money
    const share = report.rates.city.dedicatedAccountShare;
    expect(cellUnder(rates, '专户代发占比-分母').value).toBe(Number(share.denominator));
    expect(cellUnder(rates, '专户代发占比-分母').numFmt).toBe(MONEY_FORMAT);

    const projects = wb.getWorksheet('分项目')!;
    for (let r = 2; r <= projects.rowCount; r++) {
      const p = report.projects[r - 2]!;
      expect(cellUnder(projects, '项目编号', r).value).toBe(p.projectCode);
      expect(cellUnder(projects, '施工总承包单位', r).value).toBe(p.contractorName);
      expect(cellUnder(projects, '总承包单位信用代码', r).value).toBe(p.contractorUscc);
      expect(cellUnder(projects, '欠薪总额(元)', r).value).toBe(Number(p.arrears));
      expect(cellUnder(projects, '风险分', r).type).toBe(ExcelJS.ValueType.Number);
    }
  });

  it('keeps sheet names valid and unique', () => {
    const taken = new Set<string>();
    expect(sheetNameOf('a/b:c', taken)).toBe('a－b－c');
    expect(sheetNameOf('a/b:c', taken)).toBe('a－b－c_2');
    expect(sheetNameOf('很'.repeat(40), taken)).toHaveLength(31);
  });

  it('is written by `huxin report --format csv` beside the CSVs, and by --format xlsx to a file', async () => {
    const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
    const io = { stdout: sink(), stderr: sink() };
    const out = join(dir, 'csv-out');
    expect(await main(['report', '--db', dbPath, '--as-of', D, '--format', 'csv', '--out', out], io)).toBe(0);
    expect(readdirSync(out)).toContain('report.xlsx');
    const beside = await read(readFileSync(join(out, 'report.xlsx')));
    expect(beside.worksheets.map((w) => w.name)).toEqual(renderCsv(report).map((f) => f.title));
    const file = join(dir, 'r.xlsx');
    expect(await main(['report', '--db', dbPath, '--as-of', D, '--format', 'xlsx', '--out', file], io)).toBe(0);
    expect((await read(readFileSync(file))).getWorksheet('全市汇总')).toBeDefined();
    expect(await main(['report', '--db', dbPath, '--as-of', D, '--format', 'xlsx'], io)).not.toBe(0);
  });
});

describe('GET /api/v1/reports/{asOf}/xlsx and the report page link', () => {
  it('serves the stored report as a workbook, 404 for a day without one; the reports page links it', async () => {
    // the stored report of the hand-worked city, copied into the app's database
    const t = await makeApp({
      prepare: (db) => db.$client.prepare('INSERT INTO reports (as_of, created_at, json) VALUES (?, ?, ?)').run(D, '2026-11-20T18:00:00.000Z', JSON.stringify(report)),
    });
    try {
      const res = await t.as('viewer', { url: `/api/v1/reports/${D}/xlsx` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(String(res.headers['content-disposition'])).toContain(`huxin-report-${D}.xlsx`);
      const wb = await read(res.rawPayload);
      expect(wb.getWorksheet('全市汇总')!.getRow(2).getCell(1).value).toBe(D);
      expect((await t.as('viewer', { url: '/api/v1/reports/2020-01-01/xlsx' })).statusCode).toBe(404);
      // the seeded report of 2026-11-28 has an older, smaller shape: 409 with the reason, not a 500
      const old = await t.as('viewer', { url: '/api/v1/reports/2026-11-28/xlsx' });
      expect(old.statusCode, old.body).toBe(409);
      expect(old.json().error).toMatchObject({ code: 'REPORT_SHAPE_OLD', message: expect.stringContaining('格式较旧') });

      const page = (url: string) => t.app.inject({ url, headers: { cookie: `huxin_session=${t.sessions.viewer}` } });
      const list = await page('/reports');
      expect(list.body).toContain(`href="/reports/${D}/xlsx"`);
      expect((await page(`/reports/${D}`)).body).toContain(`href="/reports/${D}/xlsx"`);
      const download = await page(`/reports/${D}/xlsx`);
      expect(download.statusCode).toBe(200);
      expect((await read(download.rawPayload)).worksheets.length).toBe(renderCsv(report).length);
    } finally {
      await t.close();
    }
  });
});
