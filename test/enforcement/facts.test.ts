/**
 * A decided listing reaches the rules core through the facts the night reads (the store's reader): BLACKLISTED_PARTY on the contractor's
 * projects at D, and the deposit raise (× 2 instead of × 1.5, 保证金规定 第十二条) of a project whose deposit was
 * stored while the contractor was listed. Demo city: XT-2026-001's contractor 河北中兴建工集团有限公司
 * (9113050091A2UFEPDQ) stored its 2% cash deposit on 2026-03-27, so a listing decided on 2026-01-05 is on the
 * list on the look-back day 2026-03-26: 2% × 2 = 4% of 48,000,000.00 = 1,920,000.00 (under the 5,000,000.00 cap).
 * A listing decided after the deposit (2026-04-01) raises nothing on this project but is still flagged at D.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { cityFacts } from '../imports/helpers.ts';
import { importFile } from '../../src/imports/service.ts';
import type { ImportKind } from '../../src/imports/types.ts';
import { evaluateCity } from '../../src/rules/evaluate.ts';
import { makeApp, NOW, type TestApp } from '../api/helpers.ts';

const DEMO = join(import.meta.dirname, '../../fixtures/demo');
const CONTRACTOR = '9113050091A2UFEPDQ';
let t: TestApp;

beforeAll(async () => {
  t = await makeApp({ seed: false });
  for (const kind of ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits'] as ImportKind[]) {
    await importFile(t.app.store, { kind, fileName: `${kind}.csv`, source: { path: join(DEMO, `${kind}.csv`) }, actor: 'test', now: NOW });
  }
}, 120_000);
afterAll(() => t.close());

async function list(decidedOn: string): Promise<void> {
  await t.store.sql.run(
    `INSERT INTO blacklist_listings (uscc, name, criterion, order_deadline, status, decision, decided_on, created_at, created_by)
     VALUES (?, '河北中兴建工集团有限公司', 'amount', '2025-12-01', 'listed', 'listed', ?, ?, 'test')`,
    [CONTRACTOR, decidedOn, NOW],
  );
}

describe('listings in the rules core', () => {
  it('no listing: XT-2026-001 at the base 2%, no BLACKLISTED_PARTY', async () => {
    const e = evaluateCity(await cityFacts(t.store), '2026-11-28' as IsoDate);
    const p = e.projects.find((x) => x.projectCode === 'XT-2026-001')!;
    expect(p.findings.some((f) => f.code === 'BLACKLISTED_PARTY')).toBe(false);
    expect(p.assessment.deposit!.requirement.required).toBe(96_000_000);
  });

  it('listed on 2026-01-05: flagged at D, and the deposit stored on 2026-03-27 is raised × 2 to 1,920,000.00', async () => {
    await list('2026-01-05');
    const facts = await cityFacts(t.store);
    expect(facts.blacklist).toEqual([
      // 3 years from 2026-01-05, that day not counted: on the list through 2029-01-05, off on 2029-01-06
      expect.objectContaining({ uscc: CONTRACTOR, from: '2026-01-05', to: '2029-01-06', ref: expect.objectContaining({ table: 'blacklist_entries' }) }),
    ]);
    const p = evaluateCity(facts, '2026-11-28' as IsoDate).projects.find((x) => x.projectCode === 'XT-2026-001')!;
    expect(p.findings.find((f) => f.code === 'BLACKLISTED_PARTY')!.sentence).toContain('自2026-01-05起列入名单');
    const d = p.assessment.deposit!.requirement;
    expect(d.steps.find((s) => s.step === 'blacklist_raise')!.applied).toBe(true);
    expect(d.required).toBe(192_000_000);
  });

  it('listed after the deposit was stored (2026-04-01): flagged at D, but this project\'s rate is not raised', async () => {
    await t.store.sql.run("UPDATE blacklist_listings SET decided_on = '2026-04-01'");
    const p = evaluateCity(await cityFacts(t.store), '2026-11-28' as IsoDate).projects.find((x) => x.projectCode === 'XT-2026-001')!;
    expect(p.findings.some((f) => f.code === 'BLACKLISTED_PARTY')).toBe(true);
    expect(p.assessment.deposit!.requirement.required).toBe(96_000_000);
  });
});
