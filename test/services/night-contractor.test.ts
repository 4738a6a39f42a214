/**
 * A contractor's record couples its projects (issue 19 item 1): importing a contractor_records file bumps the
 * facts version of every project of that general contractor, so the next incremental night evaluates them
 * (and only them) and stores the deposit the record changes, naming the imported row.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isoDate as d } from '../../src/domain/date.ts';
import type { ImportKind } from '../../src/imports/types.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { planNight } from '../../src/services/night/plan.ts';
import { runNight } from '../../src/services/night/run.ts';
import { openStore } from '../../src/store/open.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';
import { importFile } from '../../src/imports/service.ts';
import { onStore } from '../support/storeOn.ts';

const PROJECTS = `项目编号,项目名称,所属区县,建设单位,建设单位信用代码,施工总承包单位,总承包单位信用代码,合同金额,合同签订日期,开工日期
XT-N-001,测试一,信都区,某建设单位,9113050397JC02JJX0,邢台鸿达建筑工程有限公司,91130502258424NA9R,10000000.00,2026-04-01,2026-04-10
XT-N-002,测试二,信都区,某建设单位,9113050397JC02JJX0,邢台鸿达建筑工程有限公司,91130502258424NA9R,10000000.00,2026-05-01,2026-05-10
XT-N-003,测试三,襄都区,某建设单位,9113050397JC02JJX0,河北中兴建工集团有限公司,9113050091A2UFEPDQ,10000000.00,2026-04-01,2026-04-10
`;
const DEPOSITS = `项目编号,业务类型,保证形式,金额,日期,凭证号
XT-N-001,存储,现金,200000.00,2026-04-20,D-1
XT-N-002,存储,现金,100000.00,2026-05-20,D-2
XT-N-003,存储,现金,200000.00,2026-04-20,D-3
`;
const RECORD = `总承包单位信用代码,记录类型,起始日期
91130502258424NA9R,记录起始,2020-01-01
`;

describe('a contractor record and the incremental night', () => {
  let loc: TestLocation;
  afterAll(async () => loc?.drop());

  it('re-evaluates exactly the contractor’s projects, and the stored deposit rests on the imported row', async () => {
    loc = await freshLocation();
    // each import on a connection of its own, as `huxin import` beside the night would
    const imp = (kind: ImportKind, text: string) =>
      onStore(loc.location, (s) => importFile(s, { kind, fileName: `${kind}.csv`, source: { buffer: Buffer.from(text, 'utf8') }, actor: 'test', now: '2026-11-20T09:00:00+08:00' }));
    await imp('projects', PROJECTS);
    await imp('deposits', DEPOSITS);
    const store = await openStore(loc.location);
    try {
      const night = (asOf: string, mode: 'full' | 'incremental') =>
        runNight(store, { asOf: d(asOf), now: `${asOf}T18:00:00Z`, params: DEFAULT_PARAMS, paramsVersion: 'test', mode, chunkSize: 1 });
      await night('2026-11-20', 'full');
      const quiet = await night('2026-11-21', 'incremental');
      expect(quiet.evaluatedCount).toBe(0);

      const outcome = await imp('contractor_records', RECORD);
      expect(outcome.status).toBe('imported');
      const batchId = outcome.status === 'imported' ? outcome.batch.id : 0;
      const plan = await store.snapshot((s) => planNight(s, { asOf: d('2026-11-22'), paramsVersion: 'test', mode: 'incremental', chunkSize: 1 }));
      const ids = new Map((await store.sql.rows<[number, string]>('SELECT id, code FROM projects')).map(([id, code]) => [code, id]));
      expect(plan.reasons.get(ids.get('XT-N-001')!)).toBe('facts');
      expect(plan.reasons.get(ids.get('XT-N-002')!)).toBe('facts');
      expect(plan.reasons.has(ids.get('XT-N-003')!)).toBe(false);
      // the contractor's projects in one chunk, even with a chunk size of 1
      expect(plan.chunks).toEqual([[ids.get('XT-N-001'), ids.get('XT-N-002')]]);

      const after = await night('2026-11-22', 'incremental');
      expect(after.evaluatedCount).toBe(2);
      const deposits = new Map(
        (await store.sql.rows<[string, string]>('SELECT project_code, assessment FROM project_states')).map(([code, a]) => [
          code,
          (typeof a === 'string' ? JSON.parse(a) : a).deposit.requirement as { rate: string; steps: { step: string; applied: boolean; why: string }[] },
        ]),
      );
      // XT-N-001: 2% × 0.5 (two clean years, covered from 2020-01-01); XT-N-002: second project × 0.5 × 0.5 = 0.5%; XT-N-003: 2%
      expect(deposits.get('XT-N-001')!.rate).toBe('0.01');
      expect(deposits.get('XT-N-001')!.steps.find((s) => s.step === 'clean_years_cut')!.why).toContain(`导入批次#${batchId}第2行`);
      expect(deposits.get('XT-N-002')!.rate).toBe('0.005');
      expect(deposits.get('XT-N-003')!.rate).toBe('0.02');
    } finally {
      await store.close();
    }
  });
});
