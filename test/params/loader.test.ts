/**
 * 参数文件的校验 — a parameter file that does not validate is refused with the file, the line and the reason
 * (Chinese); the shipped files validate and build the same typed set the rules read.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { yuan } from '../../src/domain/money.ts';
import {
  buildParams,
  DEFAULT_PARAMS,
  PARAM_KEYS,
  ParamFileError,
  parseParamFile,
  readParamDir,
  SHIPPED,
  SHIPPED_DOCS,
  shippedParamsDir,
  type ParamFileProblem,
} from '../../src/rules/params/index.ts';
import { d } from '../rules/scenario.ts';

function problemsOf(text: string, mode: 'shipped' | 'import' = 'import', file = 'x.yaml'): ParamFileProblem[] {
  try {
    parseParamFile(text, file, mode);
  } catch (e) {
    if (e instanceof ParamFileError) return [...e.problems];
    throw e;
  }
  return [];
}

const tmp = mkdtempSync(join(tmpdir(), 'huxin-params-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the shipped parameter files', () => {
  it('name every parameter of the rules core once, each value with a source, and an article unless a local setting', () => {
    expect(SHIPPED.catalog.map((c) => c.key).sort()).toEqual([...PARAM_KEYS].sort());
    for (const c of SHIPPED.catalog) {
      for (const v of c.values) {
        expect(v.source.document, c.key).not.toBe('');
        if (!v.source.localSetting) expect(v.source.article, `${c.key} ${v.from}`).toBeTruthy();
      }
    }
  });

  it('decode to the values the rules read: money in fen, dated, with the file they came from', () => {
    expect(DEFAULT_PARAMS.depositCap.at(d('2026-06-01')).value).toBe(yuan('5000000.00'));
    expect(DEFAULT_PARAMS.monthlyMinimumWage.at(d('2026-06-30')).value[2]).toBe(yuan('2000.00'));
    expect(DEFAULT_PARAMS.criminalThresholdNational.at(d('2026-06-30')).value.group.high).toBe(yuan('100000.00'));
    expect(DEFAULT_PARAMS.listingTerm.at(d('2026-06-30')).value).toEqual({ n: 3, unit: 'years', rollForward: false });
    const cap = SHIPPED.catalog.find((c) => c.key === 'depositCap')!;
    expect(cap.values[0]!.origin).toBe(join('params', 'deposit', 'depositCap.yaml'));
    expect(cap.values[0]!.line).toBe(7); // the line of "2022-03-04:" in the file
  });

  it('hold the holiday schedules 2019–2026, each checked against its notice; 2027 is not shipped', () => {
    expect(DEFAULT_PARAMS.holidays.map((h) => h.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    for (const h of DEFAULT_PARAMS.holidays) expect(h.source.verified, String(h.year)).toBe(true);
  });

  it('a broken file in the directory stops the load, naming the file and the line', () => {
    const dir = join(tmp, 'params');
    cpSync(shippedParamsDir(), dir, { recursive: true });
    writeFileSync(
      join(dir, 'deposit', 'depositCap.yaml'),
      ['parameter: depositCap', 'label: 上限', 'description: 单个工程上限', 'unit: yuan', 'values:', '  2022-03-04:', '    value: "5,000,000"', '    source:', '      document: 冀人社规〔2022〕3号', '      article: 第十条', '      verified: true', ''].join('\n'),
    );
    let error: unknown;
    try {
      readParamDir(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParamFileError);
    const p = (error as ParamFileError).problems;
    expect(p).toEqual([{ file: join('params', 'deposit', 'depositCap.yaml'), line: 7, reason: expect.stringContaining('金额字符串') }]);
    expect((error as Error).message).toContain('params/deposit/depositCap.yaml 第7行');
  });

  it('a directory missing a parameter does not build', () => {
    const docs = SHIPPED_DOCS.filter((x) => !(x.kind === 'param' && x.key === 'listingTerm'));
    expect(() => buildParams(docs)).toThrow(/缺少参数 listingTerm 的文件/);
  });
});

describe('a file that does not validate: file, line, reason', () => {
  it('a parameter the rules do not know', () => {
    expect(problemsOf('parameter: depositRate\nvalues:\n  2027-01-01:\n    value: "0.02"\n')).toEqual([
      { file: 'x.yaml', line: 1, reason: '不认识的参数名“depositRate”；可用的参数见 huxin params list' },
    ]);
  });

  it('a value of the wrong shape, on its own line', () => {
    const text = ['parameter: depositStoreDeadline', 'values:', '  2027-01-01:', '    value:', '      workingDays: twenty', '    source:', '      document: 保证金规定', '      article: 第八条', '      verified: true'].join('\n');
    const [p] = problemsOf(text);
    expect(p!.line).toBe(5);
    expect(p!.reason).toContain('workingDays');
  });

  it('a misspelt field, a start date that is no date, a missing source', () => {
    expect(problemsOf('parameter: depositCap\nvalues:\n  2027-02-30:\n    value: "100.00"\n    source: { document: A, article: 一, verified: true }\n')[0]).toMatchObject({ line: 3, reason: '起始日期“2027-02-30”不是有效日期' });
    expect(problemsOf('parameter: depositCap\nvalues:\n  2027-01-01:\n    value: "100.00"\n    sorce: { document: A, verified: true }\n')[0]!.reason).toMatch(/缺少必填字段 出处（source）|不认识的字段 sorce/);
  });

  it('a parameter that is not a local setting must cite its article', () => {
    const text = 'parameter: depositCap\nvalues:\n  2027-01-01:\n    value: "100.00"\n    source:\n      document: 冀人社规〔2022〕3号\n      verified: true\n';
    expect(problemsOf(text)).toEqual([{ file: 'x.yaml', line: 5, reason: expect.stringContaining('出处缺少条款（article）') }]);
  });

  it('a shipped file must give its label, description and unit; an import may leave them to the shipped file', () => {
    const text = 'parameter: guaranteeExpiringWindow\nvalues:\n  2027-01-01:\n    value: { days: 45 }\n    source: { document: 本局通知, verified: true, localSetting: true }\n';
    expect(problemsOf(text, 'import')).toEqual([]);
    expect(problemsOf(text, 'shipped')[0]!.reason).toContain('缺少必填字段');
  });

  it('holiday schedules: a make-up day that is a weekday, a range outside the year, a YAML syntax error', () => {
    const base = (rest: string, work: string) => `holidaySchedule:\n  year: 2027\n  restDays:\n    - ${rest}\n  makeUpWorkDays: [${work}]\n  source: { document: 通知, verified: false }\n`;
    expect(problemsOf(base('[2027-01-01, 2027-01-03]', '2027-02-15'))).toEqual([
      { file: 'x.yaml', line: 5, reason: '调休上班日期 2027-02-15 不是周六或周日（本来就是工作日，请核对通知）' },
    ]);
    expect(problemsOf(base('[2028-01-01, 2028-01-03]', '2027-02-14'))[0]).toMatchObject({ line: 4, reason: '放假区间 2028-01-01 至 2028-01-03 不在 2027 年' });
    expect(problemsOf('holidaySchedule:\n  year: 2027\n  restDays: [[2027-01-01, 2027-01-03]\n')[0]!.reason).toContain('YAML/JSON 格式错误');
  });

  it('JSON with the same keys is read too, with its lines', () => {
    const json = '{\n  "holidaySchedule": {\n    "year": 2027,\n    "restDays": [["2027-01-01", "2027-01-03"]],\n    "makeUpWorkDays": ["2027-01-04"],\n    "source": {"document": "通知", "verified": false}\n  }\n}\n';
    expect(problemsOf(json, 'import', 'h.json')).toEqual([{ file: 'h.json', line: 5, reason: '调休上班日期 2027-01-04 不是周六或周日（本来就是工作日，请核对通知）' }]);
    const ok = json.replace('2027-01-04', '2027-02-14');
    expect(parseParamFile(ok, 'h.json', 'import')).toMatchObject([{ kind: 'holidays', year: 2027, makeUpWorkDays: ['2027-02-14'] }]);
  });

  it('an imported value overlapping a shipped one is refused when laid over the set', () => {
    const docs = parseParamFile('parameter: monthlyMinimumWage\nvalues:\n  2022-06-01:\n    value: { 1: "2100.00" }\n    source: { document: 河北省通知, article: 正文, verified: false }\n', 'mw.yaml', 'import');
    expect(() => buildParams(SHIPPED_DOCS, docs)).toThrow(ParamFileError);
    expect(() => buildParams(SHIPPED_DOCS, docs)).toThrow(/mw.yaml 第3行.*日期冲突/s);
  });
});
