/**
 * Excel 日期序号 (issue 18 point 6): a date cell saved as 常规 arrives as Excel's 1900-system serial
 * (`46310` = 2026-10-15). Every import date column takes whole serials 18264 … 73415 (1950-01-01 … 2100-12-31; a bare year is refused);
 * a fractional serial (a time of day) and a serial outside the range are refused with a Chinese reason.
 * Dates outside imports (CLI, parameter files, API) stay strict.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dateFromExcelSerial, parseCellDate, parseDate } from '../../src/domain/date.ts';
import { CASES, expectStatus, importBuffer, rows, tableCounts, tempDb, withBase, type TestDb } from './helpers.ts';

describe('parseCellDate: Excel serials in the 1900 date system', () => {
  it.each([
    ['18264', '1950-01-01'], // the first serial an import cell takes
    ['25569', '1970-01-01'],
    ['45658', '2025-01-01'],
    ['46310', '2026-10-15'],
    ['46310.0', '2026-10-15'], // a whole serial written with a zero fraction
    ['４６３１０', '2026-10-15'], // full-width digits
    [' 46310 ', '2026-10-15'],
    ['46812', '2028-02-29'], // a real leap day
    ['73414', '2100-12-30'],
    ['73415', '2100-12-31'],
  ])('reads %j as %s', (text, date) => {
    expect(parseCellDate(text)).toEqual({ ok: true, value: date });
  });

  it.each(['0', '1', '59', '60', '61', '2026', '18263', '73416', '99999'])('refuses %j, outside 18264–73415 (a bare year among them), naming the range', (text) => {
    const p = parseCellDate(text);
    expect(p.ok).toBe(false);
    expect(p.ok ? '' : p.reason).toContain('18264–73415');
    expect(p.ok ? '' : p.reason).toContain('1950-01-01 至 2100-12-31');
  });

  it.each(['46310.5', '46310.25', '18264.01', '73415.9'])('refuses the fractional serial %j (a time of day) with a Chinese reason', (text) => {
    const p = parseCellDate(text);
    expect(p.ok).toBe(false);
    expect(p.ok ? '' : p.reason).toContain('带时间的 Excel 日期序号');
  });

  it('keeps every written form unchanged, and a longer number is not a serial', async () => {
    for (const text of ['2026-10-15', '2026/10/15', '2026.10.15', '2026年10月15日', '20261015', '２０２６-１０-１５']) {
      expect(parseCellDate(text)).toEqual({ ok: true, value: '2026-10-15' });
    }
    expect(parseCellDate('2026-02-29').ok).toBe(false);
    const six = parseCellDate('202610');
    expect(six.ok ? '' : six.reason).toContain('不是可识别的日期');
    expect(parseCellDate('-46310').ok).toBe(false);
    expect(parseCellDate('').ok).toBe(false);
  });

  it('agrees with the day count from 1900-03-01 on every serial of the range', async () => {
    const start = Date.UTC(1900, 2, 1);
    const wrong: number[] = [];
    for (let serial = 61; serial <= 73415; serial += 1) {
      if (dateFromExcelSerial(serial) !== new Date(start + (serial - 61) * 86_400_000).toISOString().slice(0, 10)) wrong.push(serial);
    }
    expect(wrong).toEqual([]);
    expect(dateFromExcelSerial(60)).toBeUndefined();
    expect(dateFromExcelSerial(61)).toBe('1900-03-01'); // the conversion itself covers the whole 1900 system
    expect(dateFromExcelSerial(46310.5)).toBeUndefined();
  });

  it('leaves parseDate (CLI, parameter files, API) strict: a serial there is still refused', async () => {
    const p = parseDate('46310');
    expect(p.ok).toBe(false);
    expect(p.ok ? '' : p.reason).toContain('Excel');
  });
});

describe('imports with Excel serial dates', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await tempDb();
    await withBase(t.store);
  });
  afterEach(() => t.close());

  const payments = readFileSync(join(CASES, 'payments.csv'), 'utf8');

  it('imports a wage payment file whose 发放日期 are serials with the right dates', async () => {
    expect(payments).toContain(',2026-11-12,');
    // 46338 = 2026-11-12 in Excel's 1900 date system
    const serialFile = payments.replaceAll(',2026-11-12,', ',46338,');
    expect(serialFile).not.toBe(payments);
    expectStatus(await importBuffer(t.store, 'payments', serialFile, 'payments-serial.csv'), 'imported');
    const dates = (await rows<{ paid_on: string }>(t.store, "SELECT DISTINCT paid_on FROM payments WHERE bank_ref LIKE '0012026111200000%'"));
    expect(dates).toEqual([{ paid_on: '2026-11-12' }]);
  });

  it('rejects a payment file with a serial carrying a time, naming line and column, and writes nothing', async () => {
    const before = (await tableCounts(t.store));
    const lines = payments.split('\n');
    lines[1] = lines[1]!.replace(',2026-11-12,', ',46338.5,');
    const out = expectStatus(await importBuffer(t.store, 'payments', lines.join('\n'), 'payments-time.csv'), 'rejected');
    expect(out.problems.map((p) => [p.line, p.column])).toEqual([[2, '发放日期']]);
    expect(out.problems[0]!.reason).toContain('带时间的 Excel 日期序号');
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('takes serials in a registry date column too (training 开始日期 / 结束日期)', async () => {
    const training = readFileSync(resolve(import.meta.dirname, '../../fixtures/registries/training.csv'), 'utf8');
    const lines = training.split('\n');
    expect(lines[1]).toContain(',2026-07-06,2026-07-24,');
    lines[1] = lines[1]!.replace(',2026-07-06,2026-07-24,', ',46209,46227,'); // 46209 = 2026-07-06, 46227 = 2026-07-24
    expectStatus(await importBuffer(t.store, 'training', lines.join('\n'), 'training-serial.csv'), 'imported');
    const got = (await rows(t.store, "SELECT start_date, end_date FROM training_records WHERE id_number = '130503198203150116'"));
    expect(got).toEqual([{ start_date: '2026-07-06', end_date: '2026-07-24' }]);
  });
});
