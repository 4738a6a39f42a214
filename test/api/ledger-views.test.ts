/**
 * The API's ledger views read the night's stored evaluation (issue 16, point 5): after a night over the demo
 * city, a project's detail, its month ledgers and a worker's view for the evaluated day are answered from the
 * stored ledger — and give the very same bytes as when the rules core judges the facts again with the
 * parameters in force (forced here by marking the project's facts changed, which also moves the read
 * cache's mark).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/domain/date.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { ledgerOf } from '../../src/services/ledger.ts';
import { recompute } from '../../src/services/recompute.ts';
import { makeApp, type TestApp } from './helpers.ts';

const D = isoDate('2026-11-27');
let t: TestApp;

beforeAll(async () => {
  t = await makeApp({ seed: false, limits: { requestsPerTokenPerMinute: 100_000 } });
  await loadDemoCity(t.store, '2026-11-01T00:00:00Z');
  await recompute(t.store, D, '2026-11-27T18:00:00Z');
}, 120_000);
afterAll(() => t?.close());

const get = async (url: string) => {
  const r = await t.as('inspector', { url });
  expect(r.statusCode, `${url} ${r.body.slice(0, 200)}`).toBe(200);
  return r.body;
};

describe('ledger views on the evaluated day', () => {
  it('the stored ledger and the rules run again give the same answers, byte for byte', async () => {
    const projects = await t.store.sql.rows<[number, string]>('SELECT id, code FROM projects ORDER BY code LIMIT 3');
    let months = 0;
    for (const [id, code] of projects) {
      expect((await ledgerOf(t.store, id, D)).source, code).toBe('stored');
      const detail = await get(`/api/v1/projects/${code}?asOf=${D}`);
      const monthsOf = (JSON.parse(detail) as { wageMonths: { month: string }[] }).wageMonths.map((m) => m.month).filter((m) => m <= D.slice(0, 7));
      const ledgers = [];
      for (const m of monthsOf) ledgers.push(await get(`/api/v1/projects/${code}/ledger/${m}?asOf=${D}&pageSize=200`));
      const worker = (await t.store.sql.get<{ id_number: string }>('SELECT id_number FROM payroll_rows WHERE project_id = ? AND superseded_by IS NULL ORDER BY id LIMIT 1', [id]))!.id_number;
      const workerView = await get(`/api/v1/workers/${t.ref(worker)}?asOf=${D}`);

      // the project's facts marked changed: no stored ledger answers for it any more
      await t.store.facts.bump([id]);
      expect((await ledgerOf(t.store, id, D)).source, code).toBe('evaluated');
      expect(await get(`/api/v1/projects/${code}?asOf=${D}`), code).toBe(detail);
      for (const [i, m] of monthsOf.entries()) expect(await get(`/api/v1/projects/${code}/ledger/${m}?asOf=${D}&pageSize=200`), `${code} ${m}`).toBe(ledgers[i]);
      expect(await get(`/api/v1/workers/${t.ref(worker)}?asOf=${D}`), code).toBe(workerView);
      months += monthsOf.length;
    }
    expect(months).toBeGreaterThan(5);
  }, 120_000);
});
