/**
 * .xlsx workbooks (issue 18 point 6): the first sheet of a workbook built here with exceljs goes through the
 * same all-or-nothing importer as a CSV — accepted, or refused with the Excel row numbers — through the
 * service, the CLI (`huxin import`) and the API. A number cell holding an identity or card number (more than
 * 15 significant digits, already cut by Excel) is refused; a Date cell is read as its day; a formula by its
 * cached result; a file that is not a workbook is refused with a Chinese reason and writes nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { openDatabase } from '../support/floor/open.ts';
import { MAX_XLSX_BYTES, numberText } from '../../src/imports/workbook.ts';
import { makeApp, type TestApp } from '../api/helpers.ts';
import { CASES, expectStatus, importBuffer, importCase, rows, tableCounts, tempDb, type TestDb } from './helpers.ts';

/** The roster fixture's header and rows (CSV), to lay out in a sheet. */
const rosterCsv = readFileSync(join(CASES, 'roster.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
const HEADER = rosterCsv[0]!.split(',');
const ROWS = rosterCsv.slice(1).map((l) => l.split(','));
const col = (zh: string): number => {
  const i = HEADER.indexOf(zh);
  if (i < 0) throw new Error(`no column ${zh}`);
  return i + 1;
};

interface Layout {
  /** change a data row's cells (1-based Excel column) before it is written; r = index into ROWS */
  cell?: (r: number, c: number, text: string) => ExcelJS.CellValue;
  /** extra sheets put in front (then the roster is not the first sheet) */
  front?: string;
}

/**
 * The roster as a clerk's workbook: a merged title row, the header on row 2, data from row 3, dates as Date
 * cells, 工资标准 as numbers (one of them a formula with its cached result), a 合计 row and formatted empty
 * rows at the end, and a second sheet that must be ignored.
 */
async function rosterWorkbook(layout: Layout = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  if (layout.front) wb.addWorksheet(layout.front).addRow(['这不是花名册']);
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['2026年花名册（测试）']);
  ws.mergeCells(1, 1, 1, HEADER.length);
  ws.addRow(HEADER);
  ROWS.forEach((cells, r) => {
    const values: ExcelJS.CellValue[] = cells.map((text, i) => {
      const c = i + 1;
      if (layout.cell) {
        const v = layout.cell(r, c, text);
        if (v !== undefined) return v;
      }
      if ((c === col('进场日期') || c === col('退场日期')) && text !== '') {
        const [y, m, d] = text.split('-').map(Number);
        return new Date(Date.UTC(y!, m! - 1, d!));
      }
      if (c === col('工资标准') && text !== '') return r === 1 ? { formula: '6000+800', result: Number(text) } : Number(text);
      return text;
    });
    const row = ws.addRow(values);
    row.getCell(col('进场日期')).numFmt = 'yyyy-mm-dd';
  });
  ws.addRow(['合计', '', '', '', '', '', '', '', '', '', '', 0]);
  for (let i = 0; i < 5; i++) ws.getRow(ws.rowCount + 1 + i).getCell(1).numFmt = '@'; // formatted, empty
  wb.addWorksheet('说明').addRow(['项目编号', '姓名', '身份证号']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('numberText: numbers as Excel shows them', () => {
  it('gives the shortest decimal at 15 significant digits', async () => {
    expect(numberText(8400.5)).toBe('8400.5');
    expect(numberText(4823.499999999999)).toBe('4823.5');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(350)).toBe('350');
    expect(numberText(123456789012345)).toBe('123456789012345');
  });
});

describe('importing an .xlsx workbook', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await tempDb();
    expectStatus(await importCase(t.store, 'projects', 'projects.csv'), 'imported');
  });
  afterEach(() => t.close());

  it('reads the first sheet like the CSV: Date cells as days, numbers and a formula by value, title/合计/empty rows skipped', async () => {
    const outcome = expectStatus(await importBuffer(t.store, 'roster', await rosterWorkbook(), '花名册.xlsx'), 'imported');
    expect(outcome.batch).toMatchObject({ encoding: 'xlsx', rowCount: ROWS.length, inserted: ROWS.length });
    expect(outcome.batch.warnings.join('\n')).toContain('只导入了第一个“花名册”');
    expect(outcome.batch.warnings.join('\n')).toMatch(/合计/);
    const got = (await rows<{ name: string; entry_date: string; wage_rate_fen: number | null; line: number; bank_card: string }>(
      t.store,
      'SELECT name, entry_date, wage_rate_fen, line, bank_card FROM roster_entries ORDER BY line',
    ));
    expect(got[0]).toMatchObject({ name: '王建军', entry_date: '2026-06-01', wage_rate_fen: 35_000, line: 3, bank_card: '6222028178449399183' });
    expect(got[1]).toMatchObject({ name: '李秀英', wage_rate_fen: 680_000, line: 4 }); // the formula's cached 6800
    expect(got[2]).toMatchObject({ entry_date: '2026-06-03' });

    // the same roster as CSV gives the same facts
    const c = await tempDb();
    try {
      expectStatus(await importCase(c.store, 'projects', 'projects.csv'), 'imported');
      expectStatus(await importCase(c.store, 'roster', 'roster.csv'), 'imported');
      const fromCsv = (await rows(c.store, 'SELECT project_id, id_number, name, employer_uscc, entry_date, exit_date, wage_basis, wage_rate_fen, bank_card, phone FROM roster_entries ORDER BY id'));
      const fromXlsx = (await rows(t.store, 'SELECT project_id, id_number, name, employer_uscc, entry_date, exit_date, wage_basis, wage_rate_fen, bank_card, phone FROM roster_entries ORDER BY id'));
      expect(fromXlsx).toEqual(fromCsv);
    } finally {
      await c.close();
    }
  });

  it('refuses a bad row with its Excel row number and the header, and writes nothing', async () => {
    const before = (await tableCounts(t.store));
    const bad = await rosterWorkbook({
      cell: (r, c) => (r === 2 && c === col('身份证号') ? '13050519751130033Y' : r === 3 && c === col('工资标准') ? 'abc' : undefined),
    });
    const out = expectStatus(await importBuffer(t.store, 'roster', bad, 'bad.xlsx'), 'rejected');
    expect(out.problems.map((p) => [p.line, p.column])).toEqual([
      [5, '身份证号'],
      [6, '工资标准'],
    ]);
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('refuses an identity or card number typed into a NUMBER cell (Excel kept 15 digits), naming the cell', async () => {
    const bad = await rosterWorkbook({
      cell: (r, c, text) => (r === 0 && (c === col('身份证号') || c === col('银行卡号')) ? Number(text) : undefined),
    });
    const out = expectStatus(await importBuffer(t.store, 'roster', bad, 'numbers.xlsx'), 'rejected');
    expect(out.problems).toHaveLength(2);
    for (const p of out.problems) {
      expect(p.line).toBe(3);
      expect(p.reason).toContain('数字格式');
      expect(p.reason).toContain('“文本”格式');
    }
    expect(out.problems.map((p) => p.column).sort()).toEqual(['身份证号', '银行卡号'].sort());
    expect(out.problems.find((p) => p.column === '身份证号')!.reason).toMatch(/^“身份证号”这一格是数字格式/);
    expect((await rows(t.store, 'SELECT * FROM roster_entries'))).toEqual([]);
  });

  it('reads a text cell holding an Excel date serial, and a formula without a cached result is refused', async () => {
    const serial = await rosterWorkbook({ cell: (r, c) => (r === 0 && c === col('进场日期') ? '46174' : undefined) }); // 2026-06-01
    expectStatus(await importBuffer(t.store, 'roster', serial, 'serial.xlsx'), 'imported');
    expect((await rows(t.store, "SELECT entry_date FROM roster_entries WHERE line = 3"))).toEqual([{ entry_date: '2026-06-01' }]);

    const c = await tempDb();
    try {
      expectStatus(await importCase(c.store, 'projects', 'projects.csv'), 'imported');
      const noResult = await rosterWorkbook({ cell: (r, k) => (r === 1 && k === col('工资标准') ? { formula: 'A1*2' } as ExcelJS.CellValue : undefined) });
      const out = expectStatus(await importBuffer(c.store, 'roster', noResult, 'formula.xlsx'), 'rejected');
      expect(out.problems).toEqual([expect.objectContaining({ line: 4, column: '工资标准', reason: expect.stringContaining('没有保存公式的计算结果') })]);
    } finally {
      await c.close();
    }
  });

  it('reads the first sheet only: a workbook whose first sheet is something else is refused for its header', async () => {
    const out = expectStatus(await importBuffer(t.store, 'roster', await rosterWorkbook({ front: '封面' }), 'cover.xlsx'), 'rejected');
    expect(out.problems[0]!.reason).toMatch(/没有找到/);
    expect(out.problems[0]!.reason).not.toContain('分列');
  });

  it('refuses a zip that is not a workbook, and a truncated workbook, with a Chinese reason and writes nothing', async () => {
    const before = (await tableCounts(t.store));
    const good = await rosterWorkbook();
    for (const bytes of [good.subarray(0, Math.floor(good.length / 2)), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(300, 9)])]) {
      const out = expectStatus(await importBuffer(t.store, 'roster', bytes, 'broken.xlsx'), 'rejected');
      expect(out.problems).toEqual([expect.objectContaining({ line: 0, column: null, reason: expect.stringContaining('不是有效的 Excel 工作簿（.xlsx）') })]);
    }
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('refuses a workbook over the size limit with the advice to save it as CSV', async () => {
    const big = Buffer.concat([await rosterWorkbook(), Buffer.alloc(MAX_XLSX_BYTES)]);
    const out = expectStatus(await importBuffer(t.store, 'roster', big, 'big.xlsx'), 'rejected');
    expect(out.problems).toEqual([expect.objectContaining({ line: 0, reason: expect.stringContaining('另存为“CSV UTF-8') })]);
  });

  it('reads a workbook from a path (the CLI way) the same as from a buffer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huxin-xlsx-'));
    try {
      writeFileSync(join(dir, 'roster.xlsx'), await rosterWorkbook());
      const outcome = expectStatus(await importCase(t.store, 'roster', 'roster.xlsx', dir), 'imported');
      expect(outcome.batch.rowCount).toBe(ROWS.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('huxin import <kind> <file.xlsx>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huxin-xlsx-cli-'));
  const db = join(dir, 'huxin.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const { Writable } = await import('node:stream');
    const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _e, cb) => (append(String(chunk)), cb()) });
    const code = await main([...argv, '--db', db], { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) });
    return { code, out, err };
  };

  it('imports a workbook, and refuses a bad one listing "line N, column C"', async () => {
    expect((await run('import', 'projects', join(CASES, 'projects.csv'))).code).toBe(0);
    writeFileSync(join(dir, 'bad.xlsx'), await rosterWorkbook({ cell: (r, c, text) => (r === 3 && c === col('身份证号') ? Number(text) : undefined) }));
    const bad = await run('import', 'roster', join(dir, 'bad.xlsx'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^line 6, column 身份证号: “身份证号”这一格是数字格式/m);
    writeFileSync(join(dir, 'roster.xlsx'), await rosterWorkbook());
    const ok = await run('import', 'roster', join(dir, 'roster.xlsx'));
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(new RegExp(`roster roster\\.xlsx: ${ROWS.length} rows, ${ROWS.length} inserted`));
    const d = openDatabase(db);
    try {
      expect((d.$client.prepare('SELECT count(*) AS n FROM roster_entries').get() as { n: number }).n).toBe(ROWS.length);
    } finally {
      d.$client.close();
    }
  });
});

describe('POST /api/v1/imports/{kind} with an .xlsx', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await makeApp({ seed: false });
  });
  afterEach(() => app.close());

  it('accepts the workbook as the body (201), and answers 422 with the Excel row numbers for a bad one', async () => {
    const projects = readFileSync(join(CASES, 'projects.csv'));
    const p = await app.as('importer', { method: 'POST', url: '/api/v1/imports/projects', headers: { 'content-type': 'text/csv' }, payload: projects });
    expect(p.statusCode, p.body).toBe(201);
    const bad = await app.as('importer', {
      method: 'POST',
      url: '/api/v1/imports/roster?fileName=%E8%8A%B1%E5%90%8D%E5%86%8C.xlsx',
      headers: { 'content-type': 'application/octet-stream' },
      payload: await rosterWorkbook({ cell: (r, c) => (r === 4 && c === col('姓名') ? '' : undefined) }),
    });
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json().error.details.problems).toEqual([expect.objectContaining({ line: 7, column: '姓名' })]);
    const res = await app.as('importer', {
      method: 'POST',
      url: '/api/v1/imports/roster?fileName=%E8%8A%B1%E5%90%8D%E5%86%8C.xlsx',
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      payload: await rosterWorkbook(),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ fileName: '花名册.xlsx', encoding: 'xlsx', rowCount: ROWS.length });
  });
});

