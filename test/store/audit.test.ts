/**
 * The audit log behind the store (src/store/repos/audit.ts, src/api/audit.ts appendAudit) on both engines:
 * an entry is stored masked, pages newest first with every filter, and an entry written in a transaction
 * that rolls back is gone with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/api/audit.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';

let loc: TestLocation;
let store: Store;

beforeAll(async () => {
  loc = await freshLocation();
  store = await openStore(loc.location);
});
afterAll(async () => {
  await store.close();
  await loc.drop();
});

describe('the audit log', () => {
  it('stores entries masked, pages them newest first and filters', async () => {
    const id = '130502199001011234';
    await appendAudit(store, { at: '2026-12-01T08:00:00Z', actor: 'clerk:王', action: 'import', entity: 'import_batch', entityId: 7, detail: { rows: 3 } });
    await appendAudit(store, {
      at: '2026-12-02T08:00:00Z',
      actor: 'inspector:李',
      action: 'view_personal_data',
      entity: 'worker',
      entityId: id,
      reason: `核对 ${id}`,
      detail: { idNumber: id },
    });
    const all = await store.audit.page({}, 10, 0);
    expect(all.total).toBe(2);
    expect(all.rows.map((r) => r.action)).toEqual(['view_personal_data', 'import']);
    const text = JSON.stringify(all.rows);
    expect(text).not.toContain(id);
    expect(all.rows[1]).toMatchObject({ entityId: '7', reason: null, detail: { rows: 3 } });
    expect((await store.audit.page({ action: 'import' }, 10, 0)).rows.map((r) => r.actor)).toEqual(['clerk:王']);
    expect((await store.audit.page({ from: '2026-12-02' }, 10, 0)).total).toBe(1);
    expect((await store.audit.page({ to: '2026-12-02' }, 10, 0)).total).toBe(1);
    expect((await store.audit.page({}, 1, 1)).rows.map((r) => r.action)).toEqual(['import']);
  });

  it('an entry written in a transaction that rolls back is not kept', async () => {
    const before = (await store.audit.page({}, 1, 0)).total;
    await expect(
      store.tx(async (tx) => {
        await appendAudit(tx, { at: '2026-12-03T08:00:00Z', actor: 'x', action: 'token_create', entity: 'token' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await store.audit.page({}, 1, 0)).total).toBe(before);
  });
});
