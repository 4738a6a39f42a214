/**
 * 承包单位信用记录 — the contractor_records import kind (issue 19 item 1), on a real SQLite file: the four kinds
 * of item with Chinese or English headers, the row checks (a rejected file writes nothing), a re-import
 * replacing the contractor's whole record, the facts the rules read (with their batch and line), the deposit
 * step naming the record it rests on, and the facts version of every project of the contractor bumped in
 * the import's transaction (so the incremental night re-evaluates them).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isoDate as d } from '../../src/domain/date.ts';
import { evaluateCity } from '../../src/rules/evaluate.ts';
import { expectStatus, importBuffer, rows, tempDb, type TestDb, cityFacts } from './helpers.ts';

// two projects of 邢台鸿达 (second project signed later), one of another contractor; deposits on 2026-04-20 and 2026-05-20
const PROJECTS = `项目编号,项目名称,所属区县,建设单位,建设单位信用代码,施工总承包单位,总承包单位信用代码,合同金额,合同签订日期,开工日期
XT-C-001,测试一,信都区,某建设单位,9113050397JC02JJX0,邢台鸿达建筑工程有限公司,91130502258424NA9R,10000000.00,2026-04-01,2026-04-10
XT-C-002,测试二,襄都区,某建设单位,9113050397JC02JJX0,河北中兴建工集团有限公司,9113050091A2UFEPDQ,10000000.00,2026-04-01,2026-04-10
`;
const DEPOSITS = `项目编号,业务类型,保证形式,金额,日期,凭证号
XT-C-001,存储,现金,200000.00,2026-04-20,D-1
XT-C-002,存储,现金,200000.00,2026-04-20,D-2
`;
const RECORD = `总承包单位信用代码,施工总承包单位,记录类型,起始日期,结束日期,涉及项目,说明
91130502258424NA9R,邢台鸿达建筑工程有限公司,记录起始,2022-01-01,,,
91130502258424NA9R,,欠薪,2023-03-01,2023-05-31,某县安置房,欠薪8人已结清
91130502258424NA9R,,实名制专户认定,2025-06-01,,,
`;

const versionOf = async (t: TestDb, code: string) =>
  (await rows<{ v: number | null }>(t.store, `SELECT v.facts_version AS v FROM projects p LEFT JOIN project_versions v ON v.project_id = p.id WHERE p.code = '${code}'`))[0]!.v ?? 0;

describe('contractor_records', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await tempDb();
    expectStatus(await importBuffer(t.store, 'projects', PROJECTS), 'imported');
    expectStatus(await importBuffer(t.store, 'deposits', DEPOSITS), 'imported');
  });
  afterEach(() => t.close());

  it('imports the items with their type, dates and line; the rules read them with batch and line', async () => {
    const before = [await versionOf(t, 'XT-C-001'), await versionOf(t, 'XT-C-002')];
    const batch = expectStatus(await importBuffer(t.store, 'contractor_records', RECORD, 'record.csv'), 'imported').batch;
    expect(batch.inserted).toBe(3);
    expect((await rows(t.store, 'SELECT record_type, from_date, to_date, project_name, line FROM contractor_records ORDER BY id'))).toEqual([
      { record_type: 'records_held', from_date: '2022-01-01', to_date: null, project_name: null, line: 2 },
      { record_type: 'arrears', from_date: '2023-03-01', to_date: '2023-05-31', project_name: '某县安置房', line: 3 },
      { record_type: 'compliance', from_date: '2025-06-01', to_date: null, project_name: null, line: 4 },
    ]);
    // only the projects of this contractor changed
    expect(await versionOf(t, 'XT-C-001')).toBe(before[0]! + 1);
    expect(await versionOf(t, 'XT-C-002')).toBe(before[1]!);

    const facts = (await cityFacts(t.store));
    const h = facts.contractorHistory!.find((x) => x.uscc === '91130502258424NA9R')!;
    expect(h.recordsHeldFrom).toBe('2022-01-01');
    expect(h.recordsHeldFromRef).toMatchObject({ table: 'contractor_records', batchId: batch.id, line: 2 });
    expect(h.arrears).toEqual([expect.objectContaining({ from: '2023-03-01', to: '2023-05-31', projectCode: '某县安置房', note: '欠薪8人已结清' })]);
    expect(h.compliance).toEqual([expect.objectContaining({ from: '2025-06-01' })]);

    // t = 2026-04-20: 3-year window from 2023-04-20 holds the arrears to 2023-05-31 → no exemption; the 2-year
    // window from 2024-04-20 is clean and covered → × 0.5, resting on the imported row and the project's ledger
    const pe = evaluateCity(facts, d('2026-11-20')).projects.find((p) => p.projectCode === 'XT-C-001')!;
    const steps = pe.assessment.deposit!.requirement.steps;
    expect(pe.assessment.deposit!.requirement.rate).toBe('0.01');
    const exemption = steps.find((s) => s.step === 'clean_years_exemption')!;
    expect(exemption.applied).toBe(false);
    expect(exemption.why).toContain(`导入批次#${batch.id}第3行`);
    const cut = steps.find((s) => s.step === 'clean_years_cut')!;
    expect(cut.applied).toBe(true);
    expect(cut.sources).toEqual([
      { kind: 'imported', batchId: batch.id, line: 2, what: '自2022-01-01起完整掌握欠薪记录' },
      { kind: 'derived', projectCode: 'XT-C-001', what: '无拖欠' },
    ]);
    // the other contractor's project has no record: no reduction
    expect(evaluateCity(facts, d('2026-11-20')).projects.find((p) => p.projectCode === 'XT-C-002')!.assessment.deposit!.requirement.rate).toBe('0.02');
  });

  it('reads English headers', async () => {
    const english = RECORD.replace(/^.*\n/, 'contractor_uscc,contractor_name,record_type,from_date,to_date,project_name,note\n');
    expectStatus(await importBuffer(t.store, 'contractor_records', english), 'imported');
    expect((await rows(t.store, 'SELECT count(*) AS n FROM contractor_records'))).toEqual([{ n: 3 }]);
  });

  it('a re-import replaces the contractor’s whole record (kept as superseded) and leaves other contractors alone', async () => {
    const first = expectStatus(await importBuffer(t.store, 'contractor_records', RECORD + '9113050091A2UFEPDQ,,失信名单,2024-02-01,2025-02-01,,\n'), 'imported').batch;
    const second = expectStatus(await importBuffer(t.store, 'contractor_records', '总承包单位信用代码,记录类型,起始日期\n91130502258424NA9R,记录起始,2021-01-01\n', 'fix.csv'), 'imported').batch;
    expect(second.replaced).toBe(3);
    expect((await rows(t.store, 'SELECT contractor_uscc, record_type, from_date, batch_id FROM contractor_records WHERE superseded_by IS NULL ORDER BY id'))).toEqual([
      { contractor_uscc: '9113050091A2UFEPDQ', record_type: 'listing', from_date: '2024-02-01', batch_id: first.id },
      { contractor_uscc: '91130502258424NA9R', record_type: 'records_held', from_date: '2021-01-01', batch_id: second.id },
    ]);
    expect((await rows(t.store, `SELECT count(*) AS n FROM contractor_records WHERE superseded_by = ${second.id}`))).toEqual([{ n: 3 }]);
  });

  it('rejects a bad file whole, naming line and column: end before start, an end on 记录起始, two 记录起始, an unknown type', async () => {
    const bad = `总承包单位信用代码,记录类型,起始日期,结束日期
91130502258424NA9R,欠薪,2023-05-01,2023-04-30
91130502258424NA9R,记录起始,2022-01-01,2023-01-01
91130502258424NA9R,记录起始,2021-01-01,
91130502258424NA9R,表扬,2021-01-01,
`;
    const out = expectStatus(await importBuffer(t.store, 'contractor_records', bad), 'rejected');
    const byLine = (n: number) => out.problems.filter((p) => p.line === n).map((p) => p.reason).join('；');
    expect(byLine(2)).toContain('早于起始日期');
    expect(byLine(3)).toContain('结束日期应为空');
    expect(byLine(4)).toContain('第3行已填写');
    expect(byLine(5)).toContain('记录类型“表扬”无法识别');
    expect((await rows(t.store, 'SELECT count(*) AS n FROM contractor_records'))).toEqual([{ n: 0 }]);
  });
});
