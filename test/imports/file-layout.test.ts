/**
 * What real files look like: encodings, delimiters, title/total/signature rows, header spellings,
 * quoted line breaks — read from the fixtures in fixtures/import-cases/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identityNumber } from '../../scripts/fixture-values.ts';
import { CASES, expectStatus, importBuffer, importCase, rows, tableCounts, tempDb, withBase, type TestDb } from './helpers.ts';

let t: TestDb;
beforeEach(async () => {
  t = await tempDb();
  await withBase(t.store);
});
afterEach(() => t.close());

describe('encodings', () => {
  it('imports a GBK wage table with title rows, 小计/合计 rows and signature lines, warning about each skip', async () => {
    const batch = expectStatus(await importCase(t.store, 'payroll', 'payroll-gbk-title-total.csv'), 'imported').batch;
    expect(batch.encoding).toBe('gb18030');
    expect(batch.rowCount).toBe(4);
    expect(batch.inserted).toBe(4);
    expect(batch.warnings).toEqual([
      expect.stringMatching(/^已跳过表头（第3行）之上的第1–2行：“XT-T-001 信都区测试安置房项目 2026年10月 农民工工资支付表”/),
      '已跳过第8–9行（合计/小计行，不是数据）',
      '已跳过第11–12行（签字栏）',
    ]);
    // Chinese text decoded correctly, padded names joined, money exact in fen, lines traced to the file
    const stored = (await rows(t.store, 'SELECT name, month, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed, line FROM payroll_rows ORDER BY line'));
    expect(stored).toEqual([
      { name: '王建军', month: '2026-10', days_worked_centi: 2200, gross_fen: 770000, deductions_fen: 20000, net_fen: 750000, worker_confirmed: 1, line: 4 },
      { name: '李秀英', month: '2026-10', days_worked_centi: 2150, gross_fen: 680000, deductions_fen: 0, net_fen: 680000, worker_confirmed: 1, line: 5 },
      { name: '张伟', month: '2026-10', days_worked_centi: 2000, gross_fen: 700000, deductions_fen: 0, net_fen: 700000, worker_confirmed: 0, line: 6 },
      { name: '赵国强', month: '2026-10', days_worked_centi: 1850, gross_fen: 542050, deductions_fen: 0, net_fen: 542050, worker_confirmed: 1, line: 7 },
    ]);
  });

  it('imports UTF-8 with a BOM and English headers, recording the BOM', async () => {
    const batch = expectStatus(await importCase(t.store, 'payroll', 'payroll-bom.csv'), 'imported').batch;
    expect(batch.encoding).toBe('utf-8-bom');
    expect(batch.warnings).toEqual([]);
    expect((await rows(t.store, 'SELECT month, gross_fen, net_fen, line FROM payroll_rows ORDER BY line'))).toEqual([
      { month: '2026-10', gross_fen: 770000, net_fen: 750000, line: 2 },
      { month: '2026-10', gross_fen: 680000, net_fen: 680000, line: 3 },
    ]);
  });

  it('rejects a GBK file with a line pasted in from a UTF-8 file, naming that line, and writes nothing', async () => {
    const before = (await tableCounts(t.store));
    const out = expectStatus(await importCase(t.store, 'payroll', 'payroll-mixed-encoding.csv'), 'rejected');
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({ line: 4, column: null });
    expect(out.problems[0]!.reason).toContain('第4行含有不是 GBK/GB18030 编码的字节');
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('finds a bad byte far into a large file by its line, after the encoding was chosen on the first chunk', async () => {
    const header = '项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,代扣款项,实发工资\r\n';
    const body: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const id = identityNumber('130503', `1980-01-${String(1 + (i % 28)).padStart(2, '0')}`, Math.floor(i / 28));
      body.push(`XT-T-001,2026-10,张三丰,${id},22,7700,200,7500\r\n`);
    }
    const good = Buffer.from(header + body.join(''), 'utf8'); // ~1.3 MB: several 256 KB chunks
    const bad = Buffer.from([0xd5, 0xc5, 0x0d, 0x0a]); // 张 in GBK, then CRLF
    const before = (await tableCounts(t.store));
    const out = expectStatus(await importBuffer(t.store, 'payroll', Buffer.concat([good, bad])), 'rejected');
    expect(out.problems).toEqual([
      expect.objectContaining({ line: 20_002, column: null, reason: expect.stringContaining('第20002行含有不是 UTF-8 编码的字节') }),
    ]);
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('caps the problem list of a systematically broken file and says how many were left out', async () => {
    const id = ((await rows(t.store, "SELECT id_number FROM roster_entries WHERE name = '王建军' LIMIT 1"))[0] as { id_number: string }).id_number;
    const line = `XT-T-001,2026-10,王建军,${id},22,7700,200,7500\r\n`;
    const text = '项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,代扣款项,实发工资\r\n' + line.repeat(3_000);
    const out = expectStatus(await importBuffer(t.store, 'payroll', text), 'rejected');
    expect(out.problems).toHaveLength(1_001);
    expect(out.problems[0]).toMatchObject({ line: 3, column: '身份证号', reason: expect.stringContaining('与第2行重复') });
    expect(out.problems[1_000]).toMatchObject({ line: 0, reason: expect.stringContaining('还有1999处问题未列出') });
  });

  it('rejects UTF-16 ("Unicode 文本") and Excel workbooks with a message saying how to save as CSV', async () => {
    const utf16 = expectStatus(await importCase(t.store, 'payroll', 'payroll-utf16.txt'), 'rejected');
    expect(utf16.problems).toEqual([
      expect.objectContaining({ line: 0, column: null, reason: expect.stringContaining('UTF-16') }),
    ]);
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    const wb = expectStatus(await importBuffer(t.store, 'payroll', xlsx, 'payroll.xlsx'), 'rejected');
    expect(wb.problems[0]!.reason).toContain('Excel 工作簿（.xlsx）');
    expect(wb.problems[0]!.reason).toContain('另存为');
  });

  it('rejects bytes that are neither UTF-8 nor GB18030', async () => {
    const out = expectStatus(await importBuffer(t.store, 'payroll', Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0xff, 0x0a])), 'rejected');
    expect(out.problems).toEqual([expect.objectContaining({ line: 2, reason: expect.stringContaining('既不是 UTF-8，也不是 GBK/GB18030') })]);
  });
});

describe('delimiters', () => {
  it('detects a tab-separated file', async () => {
    const batch = expectStatus(await importCase(t.store, 'payroll', 'payroll-tab.csv'), 'imported').batch;
    expect(batch.rowCount).toBe(2);
    expect((await rows(t.store, 'SELECT name, gross_fen FROM payroll_rows ORDER BY line'))).toEqual([
      { name: '王建军', gross_fen: 770000 },
      { name: '张伟', gross_fen: 700000 },
    ]);
  });

  it('detects full-width commas and keeps half-width thousands separators inside amounts', async () => {
    const batch = expectStatus(await importCase(t.store, 'payroll', 'payroll-fullwidth-comma.csv'), 'imported').batch;
    expect(batch.rowCount).toBe(2);
    expect((await rows(t.store, 'SELECT name, gross_fen, net_fen FROM payroll_rows ORDER BY line'))).toEqual([
      { name: '王建军', gross_fen: 770000, net_fen: 750000 },
      { name: '赵国强', gross_fen: 542050, net_fen: 542050 },
    ]);
  });
});

describe('headers', () => {
  it('ignores unknown columns with a warning naming them', async () => {
    const batch = expectStatus(await importCase(t.store, 'payroll', 'payroll-unknown-column.csv'), 'imported').batch;
    expect(batch.warnings).toEqual(['表头（第1行）中未识别的列已忽略：“序号”、“备注”、“签名”']);
    expect((await rows(t.store, 'SELECT name, net_fen FROM payroll_rows'))).toEqual([{ name: '王建军', net_fen: 750000 }]);
  });

  it('rejects a file missing required columns before reading any row, naming the missing columns', async () => {
    const before = (await tableCounts(t.store));
    const out = expectStatus(await importCase(t.store, 'payroll', 'payroll-missing-column.csv'), 'rejected');
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({ line: 2, column: null, value: null });
    expect(out.problems[0]!.reason).toContain('缺少必填列：身份证号(id_number)、实发工资(net_pay)');
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('rejects a column named twice (in Chinese and in English)', async () => {
    const out = expectStatus(await importCase(t.store, 'payroll', 'payroll-duplicate-column.csv'), 'rejected');
    expect(out.problems).toEqual([
      expect.objectContaining({ line: 1, column: 'name', reason: expect.stringContaining('“姓名”和“name”都是姓名(name)这一列') }),
    ]);
  });

  it('rejects an empty file and a file with only a header', async () => {
    const empty = expectStatus(await importBuffer(t.store, 'payroll', ''), 'rejected');
    expect(empty.problems[0]!.reason).toContain('文件是空的');
    const headerOnly = expectStatus(
      await importBuffer(t.store, 'payroll', '项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,实发工资\r\n'),
      'rejected',
    );
    expect(headerOnly.problems).toEqual([expect.objectContaining({ line: 1, reason: expect.stringContaining('没有任何数据行') })]);
  });

  it('reports a row with more cells than the header (an unquoted comma inside a value)', async () => {
    const id = ((await rows(t.store, "SELECT id_number FROM roster_entries WHERE name = '王建军' LIMIT 1"))[0] as { id_number: string }).id_number;
    const out = expectStatus(
      await importBuffer(t.store, 'payroll', `项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,实发工资\nXT-T-001,2026-10,王建军,${id},22,7,700.00,7700\n`),
      'rejected',
    );
    expect(out.problems).toEqual([expect.objectContaining({ line: 2, reason: expect.stringContaining('比表头（第1行，7列）多') })]);
  });
});

describe('line numbers', () => {
  it('counts the physical lines of quoted cells that span lines (CRLF and LF inside quotes)', async () => {
    const out = expectStatus(await importCase(t.store, 'payroll', 'payroll-quoted-newline.csv'), 'rejected');
    expect(out.problems.map((p) => [p.line, p.column])).toEqual([
      [5, '身份证号'],
      [9, '实发工资'],
    ]);
    // the file really has these rows on these lines
    const lines = readFileSync(join(CASES, 'payroll-quoted-newline.csv'), 'utf8').split(/\r\n|\n/);
    expect(lines[4]).toContain('赵国强');
    expect(lines[8]).toContain('XT-T-002');
  });

  it('reports a quote that is never closed at the line where it opens, and writes nothing', async () => {
    const id = ((await rows(t.store, "SELECT id_number FROM roster_entries WHERE name = '王建军' LIMIT 1"))[0] as { id_number: string }).id_number;
    const text =
      '项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,实发工资\r\n' +
      `XT-T-001,2026-10,王建军,${id},22,7700,7700\r\n` +
      `XT-T-002,2026-10,王建军,${id},4,"1400,1400\r\n` +
      'XT-T-002,2026-10,周强,x,1,1,1\r\n';
    const before = (await tableCounts(t.store));
    const out = expectStatus(await importBuffer(t.store, 'payroll', text), 'rejected');
    expect(out.problems).toEqual([
      expect.objectContaining({ line: 3, column: null, reason: expect.stringContaining('第3行开始的英文双引号(")没有配对结束') }),
    ]);
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('stores the starting line of a multi-line row on the fact row', async () => {
    const id = ((await rows(t.store, "SELECT id_number FROM roster_entries WHERE name = '李秀英' LIMIT 1"))[0] as { id_number: string }).id_number;
    const text = `项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,实发工资,备注\r\n\r\nXT-T-001,2026-10,李秀英,${id},21.5,6800,6800,"a\r\nb"\r\n`;
    expectStatus(await importBuffer(t.store, 'payroll', text), 'imported');
    expect((await rows(t.store, 'SELECT line FROM payroll_rows'))).toEqual([{ line: 3 }]);
  });
});
