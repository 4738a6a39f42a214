/**
 * The review queue's read model (src/store/repos/queue.ts) on both engines: over the demo city, with
 * reviews made, every filter and status gives the same flags in the same order, and the same total, as
 * counting and sorting the day's findings through the `findings` view — the read model only reads an index
 * and the kept counts.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../support/floor/open.ts';
import { isoDate } from '../../src/domain/date.ts';
import { recompute } from '../../src/services/recompute.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { QueueFilter } from '../../src/store/repos/queue.ts';
import type { Store } from '../../src/store/store.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';
import { onStore } from '../support/storeOn.ts';

const D = isoDate('2026-11-27');
let source: TestLocation;
let loc: TestLocation;
let store: Store;

beforeAll(async () => {
  source = await freshLocation('sqlite');
  const db = openDatabase(source.location);
  await onStore(db, (s) => loadDemoCity(s, '2026-11-01T00:00:00Z'));
  db.$client.close();
  loc = await freshLocation();
  store = await openStore(loc.location);
  const from = await openStore(source.location, { readonly: true });
  await copyDatabase(from, store);
  await from.close();
  await recompute(store, isoDate('2026-11-20'), '2026-11-20T18:00:00Z');
  await recompute(store, D, '2026-11-27T18:00:00Z');
  // reviews of three flags: two resolved, one dismissed
  const fps = await store.sql.rows<[string]>('SELECT fingerprint FROM finding_versions WHERE valid_to IS NULL ORDER BY id LIMIT 3');
  for (const [i, [fp]] of fps.entries()) {
    await store.sql.run('INSERT INTO flag_reviews (fingerprint, status, reason, actor, at) VALUES (?, ?, ?, ?, ?)', [fp, i === 2 ? 'dismissed' : 'resolved', '核实', 'inspector', '2026-11-28T01:00:00Z']);
  }
}, 120_000);
afterAll(async () => {
  await store?.close();
  await loc?.drop();
  await source?.drop();
});

/** The same through the day's findings: filter, count and sort them all. */
async function viaView(f: QueueFilter): Promise<{ ids: number[]; total: number }> {
  const parts = ['f.as_of = ?'];
  const params: unknown[] = [D];
  if (f.county) (parts.push('p.county = ?'), params.push(f.county));
  if (f.code) (parts.push('f.code = ?'), params.push(f.code));
  if (f.severity) (parts.push('f.severity = ?'), params.push(f.severity));
  if (f.projectId) (parts.push('f.project_id = ?'), params.push(f.projectId));
  if (f.status === 'open') parts.push('r.fingerprint IS NULL');
  else if (f.status !== 'all') (parts.push('r.status = ?'), params.push(f.status));
  const rows = await store.sql.rows<[number]>(
    `SELECT f.id FROM findings f JOIN projects p ON p.id = f.project_id
       LEFT JOIN project_assessments a ON a.as_of = f.as_of AND a.project_id = f.project_id
       LEFT JOIN flag_reviews r ON r.fingerprint = f.fingerprint
      WHERE ${parts.join(' AND ')}
      ORDER BY a.risk_score DESC, CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END DESC, p.code, f.id`,
    params,
  );
  return { ids: rows.map((r) => r[0]), total: rows.length };
}

describe('the review queue read model', () => {
  it('gives the same pages and totals as the day’s findings, for every filter and status', async () => {
    const [county] = (await store.sql.rows<[string]>('SELECT county FROM projects ORDER BY county LIMIT 1'))[0]!;
    const [projectId] = (await store.sql.rows<[number]>('SELECT id FROM projects ORDER BY id DESC LIMIT 1'))[0]!;
    const filters: Omit<QueueFilter, 'status'>[] = [{}, { county }, { code: 'WAGE_UNPAID' }, { severity: 'high' }, { projectId }, { county, severity: 'critical' }];
    let checked = 0;
    for (const base of filters) {
      for (const status of ['open', 'resolved', 'dismissed', 'all'] as const) {
        const f = { ...base, status };
        const expected = await viaView(f);
        const all = (await store.queue.page(f, 10_000, 0)).map((r) => r.id);
        expect(all, JSON.stringify(f)).toEqual(expected.ids);
        expect(await store.queue.count(f, D), JSON.stringify(f)).toBe(expected.total);
        const second = (await store.queue.page(f, 5, 5)).map((r) => r.id);
        expect(second).toEqual(expected.ids.slice(5, 10));
        checked += expected.total;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('the project list read model', () => {
  it('gives the latest day’s assessments and open flags of the day views, for every filter and order', async () => {
    const [county] = (await store.sql.rows<[string]>('SELECT county FROM projects ORDER BY county LIMIT 1'))[0]!;
    const viaViews = async (where: string, params: unknown[], order: string) =>
      store.sql.rows(
        `SELECT p.id, a.arrears_fen, a.workers_in_arrears, a.oldest_overdue_days, a.risk_score,
                (SELECT COUNT(*) FROM findings f WHERE f.as_of = ? AND f.project_id = p.id AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = f.fingerprint))
           FROM projects p LEFT JOIN project_assessments a ON a.project_id = p.id AND a.as_of = ? ${where} ${order}`,
        [D, D, ...params],
      );
    const days = (due: string | null, arrears: number | null) =>
      due === null || !arrears ? 0 : Math.max(0, Math.round((Date.parse(D) - Date.parse(due)) / 86_400_000));
    const viaModel = async (f: Parameters<typeof store.projects.page>[0]) =>
      (await store.projects.page(f, 1000, 0)).map((r) => [r.id, r.arrears_fen, r.workers_in_arrears, days(r.oldest_due_date, r.arrears_fen), r.risk_score, r.open_flags]);
    expect(await viaModel({ on: D, sort: 'code' })).toEqual(await viaViews('', [], 'ORDER BY p.code'));
    expect(await viaModel({ on: D, sort: 'risk' })).toEqual(await viaViews('', [], 'ORDER BY a.risk_score IS NULL, a.risk_score DESC, p.code'));
    expect(await viaModel({ on: D, sort: 'code', county })).toEqual(await viaViews('WHERE p.county = ?', [county], 'ORDER BY p.code'));
    expect(await viaModel({ on: D, sort: 'code', minRisk: 30 })).toEqual(await viaViews('WHERE a.risk_score >= ?', [30], 'ORDER BY p.code'));
    expect(await store.projects.count({ on: D, sort: 'code', county })).toBe((await viaViews('WHERE p.county = ?', [county], '')).length);
  });
});
