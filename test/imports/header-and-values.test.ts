/** The small pieces: header names, delimiter choice, enum words, streaming decoder, cell parsers. */
import { describe, expect, it } from 'vitest';
import { COLUMNS_BY_KIND, PAYROLL_COLUMNS, PROJECT_COLUMNS } from '../../src/imports/columns.ts';
import { countLineBreaks, EncodingError, FileDecoder } from '../../src/imports/decode.ts';
import { detectDelimiter } from '../../src/imports/delimiter.ts';
import { parseChannel, parseDepositForm, parseDirection, parseWageBasis } from '../../src/imports/enums.ts';
import { buildHeaderIndex, headerKey, matchHeader } from '../../src/imports/header.ts';
import { isSignatureRow, isTotalRow } from '../../src/imports/trailer.ts';
import { normalizeName, parseDaysCenti, parsePayDay } from '../../src/imports/values.ts';
import { encodeGb18030 } from '../../scripts/fixture-values.ts';

describe('header names', () => {
  it('builds an index for every kind without an alias naming two columns', () => {
    for (const columns of Object.values(COLUMNS_BY_KIND)) expect(buildHeaderIndex(columns).size).toBeGreaterThan(columns.length);
  });

  it.each([
    [' 项目编号 ', 'project_code'],
    ['Project_Code', 'project_code'],
    ['PROJECT CODE', 'project_code'],
    ['ｐｒｏｊｅｃｔ＿ｃｏｄｅ', 'project_code'],
    ['*项目编号', 'project_code'],
    ['合同金额（元）', 'contract_amount'],
    ['合同金额(元)', 'contract_amount'],
  ])('%j names %s', (header, key) => {
    expect(buildHeaderIndex(PROJECT_COLUMNS).get(headerKey(header))).toBe(key);
  });

  it('does not take a 万元 column for a yuan column', () => {
    expect(buildHeaderIndex(PROJECT_COLUMNS).get(headerKey('合同金额(万元)'))).toBeUndefined();
  });

  it('reports missing, unknown and duplicated columns of a candidate row', () => {
    const m = matchHeader(['项目编号', '月份', '姓名', '姓 名', '序号'], PAYROLL_COLUMNS, buildHeaderIndex(PAYROLL_COLUMNS));
    expect(m.missing.map((c) => c.key)).toEqual(['id_number', 'days_worked', 'gross_pay', 'net_pay']);
    expect(m.unknown).toEqual(['序号']);
    expect(m.duplicates).toEqual([{ key: 'name', headers: ['姓名', '姓 名'] }]);
  });
});

describe('delimiter', () => {
  const index = buildHeaderIndex(PAYROLL_COLUMNS);
  it('chooses the delimiter under which a line names the most columns, not the most frequent character', () => {
    expect(detectDelimiter('标题，含逗号，很多，很多，逗号\n项目编号,工资月份,姓名,身份证号\n', index)).toBe(',');
    expect(detectDelimiter('项目编号\t工资月份\t姓名\n"a,b"\t2\t3\n', index)).toBe('\t');
    expect(detectDelimiter('项目编号，工资月份，姓名\nXT，2026-10，"4,823.50"\n', index)).toBe('，');
  });
});

describe('enum words', () => {
  it('accepts the Chinese and English words and the documented variants', () => {
    expect(parseChannel('专户代发')).toEqual({ ok: true, value: 'dedicated_account' });
    expect(parseChannel(' Dedicated_Account ')).toEqual({ ok: true, value: 'dedicated_account' });
    expect(parseChannel('专用账户代发')).toEqual({ ok: true, value: 'dedicated_account' });
    expect(parseChannel('现金')).toEqual({ ok: true, value: 'cash' });
    expect(parseWageBasis('按日')).toEqual({ ok: true, value: 'daily' });
    expect(parseDirection('贷')).toEqual({ ok: true, value: 'in' });
    expect(parseDepositForm('保函')).toEqual({ ok: true, value: 'bank_guarantee' });
  });

  it('names the accepted words when a value is unknown', () => {
    expect(parseChannel('微信')).toEqual({ ok: false, reason: '发放方式“微信”无法识别：请填写 专户代发、其他转账、现金 之一' });
  });
});

describe('streaming decoder', () => {
  const text = '项目编号,姓名\r\nXT-1,张三\r\nXT-2,"李\r\n四"\r\n';

  function decodeInChunks(bytes: Buffer, size: number): { text: string; encoding: string } {
    const d = new FileDecoder();
    const out: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) {
      const piece = d.push(bytes.subarray(i, i + size));
      if (piece) out.push(piece);
    }
    const last = d.end();
    if (last) out.push(last);
    return { text: Buffer.concat(out).toString('utf8'), encoding: d.encoding };
  }

  it.each([1, 2, 3, 7, 1000])('decodes GBK fed in %i-byte chunks without splitting a character', (size) => {
    expect(decodeInChunks(encodeGb18030(text), size)).toEqual({ text, encoding: 'gb18030' });
  });

  it.each([1, 2, 5])('decodes UTF-8 with BOM fed in %i-byte chunks, dropping the BOM', (size) => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(decodeInChunks(bytes, size)).toEqual({ text, encoding: 'utf-8-bom' });
  });

  it('chooses the encoding on the first non-ASCII bytes, however late they come', () => {
    const ascii = 'project_code,name\r\n' + 'XT-1,abc\r\n'.repeat(10_000);
    const bytes = Buffer.concat([Buffer.from(ascii), encodeGb18030('XT-2,王五\r\n')]);
    const decoded = decodeInChunks(bytes, 65_536);
    expect(decoded.encoding).toBe('gb18030');
    expect(decoded.text.endsWith('XT-2,王五\r\n')).toBe(true);
  });

  it('reports the line of a byte that breaks the chosen encoding', () => {
    const d = new FileDecoder();
    expect(d.push(Buffer.from('a,b\nc,张三\n', 'utf8'))?.toString()).toBe('a,b\nc,张三\n');
    let error: unknown;
    try {
      d.push(Buffer.from([0x78, 0x0a, 0xd5, 0xc5, 0x0a])); // "x", then 张 in GBK on line 4
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EncodingError);
    expect((error as EncodingError).line).toBe(4);
  });

  it('counts LF, CRLF and lone CR line breaks once each', () => {
    expect(countLineBreaks(Buffer.from('a\r\nb\nc\rd\r\n'))).toBe(4);
  });
});

describe('rows that are not data', () => {
  it.each([['合计'], ['', '', '合 计'], ['小计：'], ['总计']])('%j is a total row', (...cells) => {
    expect(isTotalRow(cells)).toBe(true);
  });
  it.each([['劳资专管员：王五'], ['', '项目经理：'], ['制表人：'], ['审核：']])('%j is a signature row', (...cells) => {
    expect(isSignatureRow(cells)).toBe(true);
  });
  it('a worker row is neither', () => {
    const row = ['XT-1', '2026-10', '张三', '130503198203150116'];
    expect(isTotalRow(row) || isSignatureRow(row)).toBe(false);
  });
});

describe('cell parsers', () => {
  it('removes the padding space in two-character names, keeps Latin spacing', () => {
    expect(normalizeName('张　三')).toBe('张三');
    expect(normalizeName(' 阿依古丽·买买提 ')).toBe('阿依古丽·买买提');
    expect(normalizeName('John  Smith')).toBe('John Smith');
  });

  it('reads days worked exactly in hundredths, within 0–31', () => {
    expect(parseDaysCenti('21.5')).toEqual({ ok: true, value: 2150 });
    expect(parseDaysCenti('２２')).toEqual({ ok: true, value: 2200 });
    expect(parseDaysCenti('31')).toEqual({ ok: true, value: 3100 });
    expect(parseDaysCenti('31.01').ok).toBe(false);
    expect(parseDaysCenti('21.555').ok).toBe(false);
    expect(parseDaysCenti('-1').ok).toBe(false);
  });

  it('reads the pay day 1–31, with or without 日/号', () => {
    expect(parsePayDay('15')).toEqual({ ok: true, value: 15 });
    expect(parsePayDay('10日')).toEqual({ ok: true, value: 10 });
    expect(parsePayDay('0').ok).toBe(false);
    expect(parsePayDay('32').ok).toBe(false);
  });
});
