/** The facts loader and the insurance registry: no registry → the rule is not applied; a registry → it judges. */
import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { evaluateCity } from '../../src/rules/index.ts';
import { expectStatus, importBuffer, importCase, tempDb, type TestDb, cityFacts } from '../imports/helpers.ts';

const REG = resolve(import.meta.dirname, '../../fixtures/registries');
const D = '2026-11-28' as IsoDate;
const injuryFlags = async (t: TestDb) =>
  evaluateCity((await cityFacts(t.store)), D)
    .projects.flatMap((p) => p.findings)
    .filter((f) => f.code === 'NO_INJURY_INSURANCE')
    .map((f) => `${f.projectCode}:${f.idNumber}`)
    .sort();

let t: TestDb;
beforeEach(async () => {
  t = await tempDb();
  expectStatus(await importCase(t.store, 'projects', 'projects.csv'), 'imported');
  expectStatus(await importCase(t.store, 'roster', 'roster.csv'), 'imported');
});
afterEach(() => t.close());

it('without any insurance row the facts hold no injuryInsurance and nothing is flagged', async () => {
  expect((await cityFacts(t.store)).injuryInsurance).toBeUndefined();
  expect((await injuryFlags(t))).toEqual([]);
});

it('an insurance registry with only pension cover: every roster entry is uninsured', async () => {
  expectStatus(await importBuffer(t.store, 'insurance', '身份证号,姓名,险种,参保地,参保日期\n130503198203150116,王建军,养老保险,邢台市,2024-01-01\n'), 'imported');
  expect((await cityFacts(t.store)).injuryInsurance).toEqual([]);
  expect((await injuryFlags(t))).toHaveLength(5);
});

it('the GBK insurance fixture: project cover for XT-T-001 does not cover 王建军 on XT-T-002; 张伟 from 06-10 leaves 06-03…06-09; 赵国强 ended 08-31', async () => {
  expectStatus(await importCase(t.store, 'insurance', 'insurance-gbk.csv', REG), 'imported');
  const facts = (await cityFacts(t.store));
  expect(facts.injuryInsurance).toHaveLength(4);
  expect(facts.injuryInsurance!.every((c) => c.ref.table === 'insurance_records' && c.ref.line > 0)).toBe(true);
  expect((await injuryFlags(t))).toEqual(['XT-T-001:130582196801020449', 'XT-T-001:13050519751130033X', 'XT-T-002:130503198203150116'].sort());
  const zhang = evaluateCity(facts, D).projects.flatMap((p) => p.findings).find((f) => f.code === 'NO_INJURY_INSURANCE' && f.idNumber === '13050519751130033X');
  expect(zhang!.sentence).toContain('2026-06-03至2026-06-09共7天');
  // loading one project loads the cover of its workers only
  const one = (await cityFacts(t.store, [facts.projects.find((p) => p.code === 'XT-T-002')!.id]));
  expect(new Set(one.injuryInsurance!.map((c) => c.idNumber))).toEqual(new Set(['130503198203150116']));
});
