/**
 * 结果片段 — an outcome version keeps its deposit requirement, like its report part's large members, once in
 * outcome_parts by digest (src/store/repos/outcomeParts.ts): two nights that change a project's figures but
 * not its requirement store the requirement once, referenced by both versions; every reader of a stored day
 * (the deposit requirement of a day, the project list of a past day) gets the requirement whole, equal to
 * the evaluation's; and a version written before, with its requirement inline, is read as it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/domain/date.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { runNight } from '../../src/services/night/run.ts';
import type { Store } from '../../src/store/store.ts';
import { unpackJson } from '../../src/store/packedJson.ts';
import { ENGINE } from '../support/engines.ts';
import { generatedCityStore, jsonColumn } from '../support/toEngine.ts';

let seeded: Awaited<ReturnType<typeof generatedCityStore>>;
let store: Store;
const night = (day: string) => runNight(store, { asOf: isoDate(day), now: `${day}T18:00:00.000Z`, params: DEFAULT_PARAMS, paramsVersion: 'test' });
const currentDeposit = async (id: number): Promise<unknown> =>
  jsonColumn<{ deposit: unknown }>((await store.sql.get<{ a: unknown }>('SELECT assessment AS a FROM project_states WHERE project_id = ?', [id]))!.a).deposit;

beforeAll(async () => {
  seeded = await generatedCityStore(3, 20, 12);
  store = seeded.store;
});
afterAll(() => seeded?.close());

describe(`outcome parts on ${ENGINE}`, () => {
  it('keep a deposit requirement once and give it whole to every reader', async () => {
    const id = 1;
    await night('2026-12-02');
    const first = await currentDeposit(id);
    expect(JSON.stringify((first as { requirement: unknown }).requirement).length).toBeGreaterThan(512);
    await night('2026-12-10'); // the pay day: the figures change, the requirement does not
    const second = await currentDeposit(id);
    expect((second as { requirement: unknown }).requirement).toEqual((first as { requirement: unknown }).requirement);

    const versions = await store.sql.all<{ valid_from: string; assessment: unknown }>('SELECT valid_from, assessment FROM project_outcomes WHERE project_id = ? ORDER BY valid_from', [id]);
    expect(versions.map((v) => v.valid_from)).toEqual(['2026-12-02', '2026-12-10']);
    const refs = versions.map((v) => (jsonColumn<{ deposit: { requirement: Record<string, string> } }>(v.assessment).deposit.requirement)['#part']);
    expect(refs[0]).toBeTypeOf('string');
    expect(refs[1]).toBe(refs[0]);
    const stored = await store.sql.all<{ n: number | string }>('SELECT count(*) AS n FROM outcome_parts WHERE hash = ?', [refs[0]]);
    expect(Number(stored[0]!.n)).toBe(1);

    expect(await store.deposits.requirement(id, '2026-12-02')).toEqual(first);
    expect(await store.deposits.requirement(id, '2026-12-10')).toEqual(second);
    const row = await store.projectViews.dayRow('2026-12-02', id);
    expect(row!.deposit).toEqual(first);
    const page = await store.projectViews.dayPage('2026-12-02', { on: '2026-12-02', sort: 'code' }, 10, 0);
    expect(page.find((r) => r.id === id)!.deposit).toEqual(first);

    // what does not change from one pay day to the next is kept by reference: the risk score's parameters
    // (the same in every project's version: one part), the rules not applied, the deposit's holdings; the
    // risk terms stay in the row (the day view reads them from it) and a part is stored gzipped
    const assessed = versions.map((v) => jsonColumn<{ risk: { terms: unknown[]; params: Record<string, string> }; notApplied: Record<string, string>; deposit: { holdings: Record<string, string> } }>(v.assessment));
    expect(assessed[1]!.risk.params['#part']).toBe(assessed[0]!.risk.params['#part']);
    expect(assessed[1]!.notApplied['#part']).toBeTypeOf('string');
    expect(assessed[1]!.deposit.holdings['#part']).toBeTypeOf('string');
    expect(Array.isArray(assessed[1]!.risk.terms)).toBe(true);
    const other = await store.sql.get<{ assessment: unknown }>("SELECT assessment FROM project_outcomes WHERE project_id = 2 AND valid_from = '2026-12-10'");
    expect(jsonColumn<{ risk: { params: Record<string, string> } }>(other!.assessment).risk.params['#part']).toBe(assessed[0]!.risk.params['#part']);
    const doc = await store.sql.get<{ doc: string }>('SELECT doc FROM outcome_parts WHERE hash = ?', [assessed[0]!.risk.params['#part']]);
    expect(doc!.doc.startsWith('[')).toBe(false);
    const current = jsonColumn<{ risk: { params: unknown } }>((await store.sql.get<{ a: unknown }>('SELECT assessment AS a FROM project_states WHERE project_id = ?', [id]))!.a);
    expect(JSON.parse(unpackJson(doc!.doc))).toEqual(current.risk.params);
    expect((await store.projectViews.dayRow('2026-12-10', id))!.risk_terms).toEqual(assessed[1]!.risk.terms);

    // a version written before outcome parts held requirements: inline, read as it is
    await store.tx((tx) => tx.sql.run('UPDATE project_outcomes SET assessment = ? WHERE project_id = ? AND valid_from = ?', [JSON.stringify({ deposit: first }), id, '2026-12-02']));
    expect(await store.deposits.requirement(id, '2026-12-02')).toEqual(first);
    expect((await store.projectViews.dayRow('2026-12-02', id))!.deposit).toEqual(first);
  });
});
