/**
 * Registry imports (issue 7): real-looking files in every encoding and header style, broken rows rejected
 * with line, column, value and reason and nothing written, replacement by natural key, the CLI/API kind list.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPORT_KINDS, isImportKind } from '../../src/imports/types.ts';
import { expectStatus, importBuffer, importCase, NOW, rows, tempDb, type TestDb } from '../imports/helpers.ts';
import { resolve } from 'node:path';
import { onStore } from '../support/storeOn.ts';

const REG = resolve(import.meta.dirname, '../../fixtures/registries');
const count = async (t: TestDb, table: string, where = 'superseded_by IS NULL') =>
  (await rows<{ n: number }>(t.store, `SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0]!.n;

let t: TestDb;
beforeEach(async () => {
  t = await tempDb();
  expectStatus(await importCase(t.store, 'projects', 'projects.csv'), 'imported');
  expectStatus(await importCase(t.store, 'roster', 'roster.csv'), 'imported');
});
afterEach(() => t.close());

describe('registry kinds', () => {
  it('are import kinds for the CLI and the API', async () => {
    for (const k of ['training', 'insurance', 'housing', 'care']) {
      expect(IMPORT_KINDS).toContain(k);
      expect(isImportKind(k)).toBe(true);
    }
  });
});

describe('training', () => {
  it('imports a UTF-8 file with Chinese headers', async () => {
    const b = expectStatus(await importCase(t.store, 'training', 'training.csv', REG), 'imported').batch;
    expect(b.rowCount).toBe(4);
    expect(b.inserted).toBe(4);
    const row = (await rows(t.store, "SELECT * FROM training_records WHERE id_number = '130503198203150116'"))[0] as Record<string, unknown>;
    expect(row).toMatchObject({ training_type: 'upgrade', result: 'passed', certificate_kind: 'skill_level', subsidy_fen: 120000, subsidy_status: 'paid', line: 2 });
    expect(row.project_id).not.toBeNull();
  });

  it('imports a GBK file with a title row, header aliases, a 合计 row and signature lines; an unknown worker is a warning', async () => {
    const b = expectStatus(await importCase(t.store, 'training', 'training-gbk-title.csv', REG), 'imported').batch;
    expect(b.encoding.toLowerCase()).toMatch(/gb/);
    expect(b.rowCount).toBe(2);
    expect(b.warnings.join('\n')).toMatch(/标题|跳过/);
    expect(b.warnings.some((w) => w.includes('尚未出现在任何项目的花名册中'))).toBe(true);
    expect(await count(t, 'training_records', "certificate_kind = 'special_ability' AND subsidy_fen = 150000")).toBe(1);
  });

  it('rejects a broken file, listing every problem with line and column, and writes nothing', async () => {
    const r = expectStatus(await importCase(t.store, 'training', 'training-broken.csv', REG), 'rejected');
    const at = (line: number) => r.problems.filter((p) => p.line === line);
    expect(at(2)[0]).toMatchObject({ column: '结束日期' });
    expect(at(3)[0]).toMatchObject({ column: '培训类型', value: '技能大赛' });
    expect(at(4)[0]).toMatchObject({ column: '培训结果' });
    expect(at(5)[0]!.reason).toMatch(/科学计数法/);
    expect(at(6)[0]).toMatchObject({ column: '补贴金额' });
    expect(at(7).map((p) => p.column).sort()).toEqual(['项目编号']);
    expect(at(8)).toEqual([]);
    expect(at(9)[0]!.reason).toMatch(/与第8行重复/);
    expect(await count(t, 'training_records', 'TRUE')).toBe(0);
    expect(await count(t, 'import_batches', "kind = 'training'")).toBe(0);
  });

  it('a name that differs from the roster is rejected', async () => {
    const r = expectStatus(
      await importBuffer(t.store, 'training', '身份证号,姓名,培训项目,培训类型,培训机构,开始日期\n130502199007080227,李秀瑛,电工,就业技能培训,某学校,2026-08-03\n'),
      'rejected',
    );
    expect(r.problems[0]).toMatchObject({ line: 2, column: '姓名' });
    expect(r.problems[0]!.reason).toMatch(/李秀英/);
  });

  it('re-importing a changed file replaces by (id, course, start date), keeping history; the same bytes change nothing', async () => {
    const first = expectStatus(await importCase(t.store, 'training', 'training.csv', REG), 'imported').batch;
    expectStatus(await importCase(t.store, 'training', 'training.csv', REG), 'duplicate');
    const changed = 'id_number,name,course,training_type,provider,start_date,result\n130503198203150116,王建军,建筑木工（四级）,岗位技能提升培训,邢台市建筑技工学校,2026-07-06,不合格\n';
    const b = expectStatus(await importBuffer(t.store, 'training', changed), 'imported').batch;
    expect(b.replaced).toBe(1);
    expect(b.replacedDetail).toEqual([{ table: 'training_records', rows: 1, batchIds: [first.id] }]);
    expect(await count(t, 'training_records')).toBe(4);
    expect(await count(t, 'training_records', 'TRUE')).toBe(5);
  });
});

describe('insurance', () => {
  it('imports the 人社 GBK export with Chinese headers and a title row; project-based cover names its project', async () => {
    const b = expectStatus(await importCase(t.store, 'insurance', 'insurance-gbk.csv', REG), 'imported').batch;
    expect(b.rowCount).toBe(6);
    const injury = await rows<{ project_based: number; project_id: number | null }>(t.store, "SELECT kind, project_based, project_id, to_date FROM insurance_records WHERE kind = 'injury' ORDER BY id");
    expect(injury).toHaveLength(4);
    expect(injury.filter((r) => r.project_based === 1 && r.project_id !== null)).toHaveLength(3);
  });

  it('rejects project-based cover that is not work-injury or names no project, and every other broken cell', async () => {
    const r = expectStatus(await importCase(t.store, 'insurance', 'insurance-broken.csv', REG), 'rejected');
    const at = (line: number) => r.problems.filter((p) => p.line === line).map((p) => p.column);
    expect(at(2)).toEqual(['按项目参保']);
    expect(at(3)).toEqual(['项目编号']);
    expect(at(4)).toEqual(['截止日期']);
    expect(at(5)).toEqual(['险种']);
    expect(at(6).sort()).toEqual(['参保地', '参保日期', '按项目参保'].sort());
    expect(r.problems.find((p) => p.line === 7)!.reason).toMatch(/15位/);
    expect(await count(t, 'insurance_records', 'TRUE')).toBe(0);
  });
});

describe('housing', () => {
  it('imports English headers without BOM; eligibility facts and honours are kept', async () => {
    expectStatus(await importCase(t.store, 'housing', 'housing.csv', REG), 'imported');
    const w1 = (await rows(t.store, "SELECT * FROM housing_records WHERE id_number = '130503198203150116'"))[0] as Record<string, unknown>;
    expect(w1).toMatchObject({ kind: 'rental_application', status: 'reviewing', household_size: 3, no_local_housing: 1, years_in_city: 6, honours: '邢台市优秀农民工' });
    expect(await count(t, 'housing_records', "kind = 'rent_subsidy' AND amount_fen = 45000 AND status = 'allocated'")).toBe(1);
  });

  it('rejects decisions without dates, dates in the wrong order, subsidies without an amount, unknown kinds', async () => {
    const r = expectStatus(await importCase(t.store, 'housing', 'housing-broken.csv', REG), 'rejected');
    expect(r.problems.filter((p) => p.line === 2).map((p) => p.column)).toEqual(['decided_on']);
    expect(r.problems.filter((p) => p.line === 3).map((p) => p.column).sort()).toEqual(['amount', 'decided_on']);
    expect(r.problems.filter((p) => p.line === 4).map((p) => p.column).sort()).toEqual(['household_size', 'kind']);
  });
});

describe('care', () => {
  it('imports a GBK tab-separated file; a legal-aid referral carries its case and project', async () => {
    expectStatus(await importCase(t.store, 'care', 'care.csv', REG), 'imported');
    expect(await count(t, 'care_records')).toBe(4);
    const aid = (await rows(t.store, "SELECT * FROM care_records WHERE kind = 'legal_aid'"))[0] as Record<string, unknown>;
    expect(aid).toMatchObject({ status: 'referred', office: '邢台市信都区法律援助中心', case_ref: 'XT-AJ-2026-0031', member_name: null });
  });

  it('rejects a family-care row without the family member, a closed record without a date, a missing office', async () => {
    const r = expectStatus(await importCase(t.store, 'care', 'care-broken.csv', REG), 'rejected');
    expect(r.problems.map((p) => [p.line, p.column])).toEqual([
      [2, '关爱对象'],
      [3, '办结日期'],
      [4, '责任单位'],
      [5, '关爱类型'],
    ]);
    expect(await count(t, 'care_records', 'TRUE')).toBe(0);
  });
});

describe('demo city', () => {
  it('loads the contractors\' records and the registries after the deposits', async () => {
    const d = await tempDb();
    try {
      const loaded = await loadDemoCity(d.store, NOW);
      expect(loaded.map((l) => l.kind)).toEqual(['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits', 'contractor_records', 'training', 'insurance', 'housing', 'care']);
      expect(await count(d, 'insurance_records', "kind = 'injury'")).toBeGreaterThan(60);
    } finally {
      await d.close();
    }
  });
});
