/**
 * 事实快照 — a project's facts read from its snapshot (fact_snapshots, src/store/factsCodec.ts) are the facts
 * read from its rows, field for field and in the same order (an absent optional field stays absent, a null
 * stays null: their JSON is the same text), on both engines; a snapshot of an older facts version is not used (the rows are read and the caller told so).
 * The document is ASCII with its repeated strings by dictionary (factsCodec.ts encodeFacts), its names whole again when read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodedSource } from '../../src/store/factsCodec.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE } from '../support/engines.ts';
import { generatedCityStore } from '../support/toEngine.ts';

let seeded: Awaited<ReturnType<typeof generatedCityStore>>;
let store: Store;

beforeAll(async () => {
  seeded = await generatedCityStore(6, 30, 12);
  store = seeded.store;
});
afterAll(() => seeded?.close());

describe(`fact snapshots on ${ENGINE}`, () => {
  it('give the facts the rows give, and are passed over once the facts change', async () => {
    const ids = (await store.sql.rows<[number]>('SELECT id FROM projects ORDER BY id')).map((r) => r[0]);
    const first = await store.facts.projects(ids);
    expect(first.fromRows.map((r) => r.projectId)).toEqual(ids);
    const rows = await store.facts.fromRows(ids);
    expect(first.projects).toEqual(rows);
    await store.tx((tx) => tx.facts.saveSnapshots(first.projects.map((facts) => ({ facts, version: first.versions.get(facts.id) ?? 0 }))));

    const again = await store.facts.projects(ids);
    expect(again.fromRows).toEqual([]);
    for (const p of again.projects) expect(decodedSource(p)).toBeDefined();
    expect(again.projects).toEqual(rows);
    expect(JSON.stringify(again.projects)).toBe(JSON.stringify(rows));
    // the document is ASCII (names escaped) with repeated strings by dictionary, and the names come back whole
    const [doc] = (await store.sql.rows<[string]>('SELECT facts FROM fact_snapshots WHERE project_id = ?', [ids[0]])).map((r) => r[0]);
    expect(/^[\x00-\x7f]*$/.test(doc!)).toBe(true);
    expect(doc).toContain('"d":[');
    expect(rows[0]!.roster.some((r) => /[\u4e00-\u9fff]/.test(r.name))).toBe(true);
    // the generated facts hold optional fields both present and absent, and nulls kept as nulls
    expect(rows.some((p) => p.payments.some((x) => x.payeeCard === undefined) && p.payments.some((x) => x.payeeCard !== undefined))).toBe(true);

    await store.tx((tx) => tx.facts.bump([ids[0]!]));
    const stale = await store.facts.projects(ids);
    expect(stale.fromRows.map((r) => r.projectId)).toEqual([ids[0]]);
    expect(decodedSource(stale.projects[0]!)).toBeUndefined();
    expect(JSON.stringify(stale.projects)).toBe(JSON.stringify(rows));
  });
});
