/**
 * 缺少一年的放假安排 — the demo city as of 2027-01-20, with no 2027 notice shipped: every project is computed,
 * the dates that need 2027 are provisional (weekends alone), and the report warns "2027年放假安排未录入".
 * `huxin params import` of a 2027 schedule then moves a due date and the warning goes; `huxin params list`
 * shows the value in force with its source before and after. On the test's engine (--db a SQLite file or a postgres:// URL), the real CLI (main()).
 *
 * Hand-worked: XT-2026-002's pay day is set to the 1st, so December 2026 wages fall due on 2027-01-01, a
 * Friday. Without the 2027 notice that day is a working day (weekends alone): due 2027-01-01, provisional.
 * The (test) 2027 schedule makes 2027-01-01…03 rest days, so the due date moves to the last working day
 * before them, Thursday 2026-12-31 (an ordinary working day of the 2026 notice), and is no longer provisional.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { evaluateCity } from '../../src/rules/evaluate.ts';
import { paramsOfStore } from '../../src/services/params.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { cityFacts } from '../imports/helpers.ts';
import { d } from '../rules/scenario.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';
import { countOf, jsonColumn } from '../support/toEngine.ts';

let loc: TestLocation;
let dir: string;
/** the database on the test's engine, as --db holds it */
let dbPath: string;
afterAll(() => loc?.drop());
const NOW = () => new Date('2027-01-21T01:00:00Z');

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (c, _e, cb) => (append(String(c)), cb()) });
  const code = await main([...argv, '--db', dbPath], { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) }, NOW);
  return { code, out, err };
}

/** A store of the test's own over the CLI's database, for the time of fn. */
async function onDb<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(dbPath);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** December 2026 of XT-2026-002 (pay day 1), as the rules see it with the parameters in force. */
function december() {
  return onDb(async (store) => {
    const e = evaluateCity(await cityFacts(store), d('2027-01-20'), await paramsOfStore(store));
    const p = e.projects.find((x) => x.projectCode === 'XT-2026-002')!;
    return { evaluation: e, project: p, months: p.ledger.filter((w) => w.month === '2026-12') };
  });
}

/** The warnings the night stored for 2027-01-20 (evaluated_days). */
function nightWarnings(): Promise<unknown[]> {
  return onDb(async (store) => {
    const r = await store.sql.get<{ warnings: unknown }>("SELECT warnings FROM evaluated_days WHERE as_of = '2027-01-20'");
    return jsonColumn<unknown[]>(r!.warnings);
  });
}

beforeAll(async () => {
  loc = await freshLocation();
  dir = loc.dir;
  dbPath = loc.location;
  for (const kind of ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits']) {
    expect((await run('import', kind, `fixtures/demo/${kind}.csv`)).code).toBe(0);
  }
  // XT-2026-002 pays on the 1st: its December wages fall due on 2027-01-01
  const rows = parse(readFileSync('fixtures/demo/projects.csv', 'utf8'), { bom: true }) as string[][];
  const col = rows[0]!.indexOf('工资支付日');
  for (const row of rows) if (row[1] === 'XT-2026-002') row[col] = '1';
  const changed = rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(','));
  writeFileSync(join(dir, 'projects.csv'), changed.join('\n'));
  expect((await run('import', 'projects', join(dir, 'projects.csv'))).out).toMatch(/8 rows.*imported/);
});

describe('a year without a holiday notice (2027) on the demo city, as of 2027-01-20', () => {
  it('params list warns that the 2027 notice is missing', async () => {
    const r = await run('params', 'list', '--as-of', '2027-01-20');
    expect(r.code).toBe(0);
    expect(r.out).toContain('警告: 2027年放假安排未录入');
    expect(r.out).toMatch(/^depositCap\t工资保证金单个项目存储上限（河北）\t"5000000\.00"\t元\t自 2022-03-04\t河北省工程建设领域农民工工资保证金实施办法（冀人社规〔2022〕3号）.*\tparams\/deposit\/depositCap\.yaml:7$/m);
    expect(r.out).toMatch(/^2026年\t国务院办公厅关于2026年部分节假日安排的通知/m);
  });

  it('recompute and report compute every project: provisional dates, the warning, no project dropped', async () => {
    const recompute = await run('recompute', '--as-of', '2027-01-20');
    expect(recompute.err).toBe('');
    expect(recompute.code).toBe(0);
    expect(recompute.out).toMatch(/已计算 2027-01-20：评估项目 8\/8/);
    expect(await nightWarnings()).toEqual([expect.objectContaining({ code: 'MISSING_HOLIDAY_SCHEDULE', year: 2027 })]);
    const r = await run('report', '--as-of', '2027-01-20');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.problems).toEqual([]);
    expect(report.projects).toHaveLength(8);
    for (const p of report.projects) expect(p.problem, p.projectCode).toBeNull();
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'MISSING_HOLIDAY_SCHEDULE', year: 2027, message: expect.stringContaining('2027年放假安排未录入') }),
    ]);
    expect(report.warnings[0].projectCount).toBeGreaterThan(0);
    const dec = await december();
    expect(dec.evaluation.problems).toEqual([]);
    expect(dec.months.length).toBeGreaterThan(0);
    for (const wm of dec.months) {
      expect(wm.dueDate).toBe('2027-01-01');
      expect(wm.dueDateProvisional).toBe(true);
      expect(wm.status).not.toBe('not_due'); // past the provisional due date: computed like any other month
    }
    expect(dec.project.provisionalYears).toEqual([2027]);
    const html = await run('report', '--as-of', '2027-01-20', '--format', 'html');
    expect(html.out).toMatch(/<p class="note warning" data-code="MISSING_HOLIDAY_SCHEDULE">提示：2027年放假安排未录入/);
  });

  it('a file that does not validate is refused with its line; nothing is written', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'holidaySchedule:\n  year: 2027\n  restDays:\n    - [2027-01-01, 2027-01-03]\n  makeUpWorkDays: [2027-01-04]\n  source: { document: 通知, verified: false }\n');
    const r = await run('params', 'import', join(dir, 'bad.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('bad.yaml 第5行: 调休上班日期 2027-01-04 不是周六或周日');
    expect(await onDb(async (s) => countOf(await s.sql.get<{ n: number }>('SELECT count(*) AS n FROM param_values')))).toBe(0);
  });

  it('params import of the 2027 schedule moves the due date to 2026-12-31, audited with its actor; the warning goes', async () => {
    const r = await run('params', 'import', 'test/params/fixtures/holidays-2027.yaml');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('params import #1 holidays-2027.yaml: 0 个参数取值, 1 个年度放假安排');
    const audit = await onDb((s) => s.sql.all('SELECT actor, action, entity_id AS "entityId" FROM audit_log WHERE action = ?', ['params_import']));
    expect(audit).toEqual([{ actor: expect.stringMatching(/^cli/), action: 'params_import', entityId: '1' }]);
    const dec = await december();
    for (const wm of dec.months) {
      expect(wm.dueDate).toBe('2026-12-31');
      expect(wm.dueDateProvisional).toBe(false);
    }
    expect(dec.project.provisionalYears).toEqual([]);
    expect((await run('recompute', '--as-of', '2027-01-20')).code).toBe(0);
    expect(await nightWarnings()).toEqual([]);
    const report = JSON.parse((await run('report', '--as-of', '2027-01-20')).out);
    expect(report.warnings).toEqual([]);
    expect(report.problems).toEqual([]);
    const list = await run('params', 'list', '--as-of', '2027-01-20');
    expect(list.out).not.toContain('警告');
    expect(list.out).toMatch(/^2027年\t国务院办公厅关于2027年部分节假日安排的通知 \[未核对\]\t导入#1 holidays-2027\.yaml（cli/m);
  });

  it('params import of a dated value (a minimum-wage adjustment) is in force from its date and listed with its source', async () => {
    writeFileSync(
      join(dir, 'mw.yaml'),
      ['parameter: monthlyMinimumWage', 'values:', '  2027-03-01:', '    value: { 1: "2300.00", 2: "2100.00", 3: "1900.00" }', '    source:', '      document: 河北省人力资源和社会保障厅关于调整最低工资标准的通知（测试）', '      article: 正文', '      verified: false', ''].join('\n'),
    );
    const r = await run('params', 'import', join(dir, 'mw.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('monthlyMinimumWage（河北省月最低工资标准）自 2027-03-01 [未核对]');
    const before = JSON.parse((await run('params', 'list', '--as-of', '2027-02-28', '--json')).out);
    const after = JSON.parse((await run('params', 'list', '--as-of', '2027-03-01', '--json')).out);
    const mw = (l: { params: { parameter: string }[] }) => l.params.find((p) => p.parameter === 'monthlyMinimumWage') as unknown as { value: Record<string, string>; from: string; origin: string };
    expect(mw(before)).toMatchObject({ from: '2023-01-01', value: { 2: '2000.00' } });
    expect(mw(after)).toMatchObject({ from: '2027-03-01', value: { 2: '2100.00' }, origin: expect.stringContaining('导入#2 mw.yaml') });
  });
});
