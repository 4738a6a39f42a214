/**
 * The ported API reads on PostgreSQL (run in the postgres project): the demo city after the same night on
 * SQLite and on the test's engine, and the same requests to a server over each store — the project list and
 * detail, month ledgers, the review queue and a flag (reviewed through the API), workers, the registries,
 * injury cover, certified shares, the stored reports — answer the same JSON. (Objects
 * are compared parsed: jsonb keeps an object's keys in its own order. Worker ids differ by design: each
 * database has its own key.) The routes not yet behind the store are not asked.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/api/tokens.ts';
import { workerRefKey, workerRefOf } from '../../src/api/workerRef.ts';
import { isoDate } from '../../src/domain/date.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { recompute } from '../../src/services/recompute.ts';
import { buildServer } from '../../src/server.ts';
import { demoCityStore, type DemoStore } from '../support/demoStore.ts';
import { ENGINE } from '../support/engines.ts';
import { makeApp, NOW, type TestApp } from './helpers.ts';

const D = isoDate('2026-11-27');
let a: TestApp;
let demo: DemoStore;
let b: FastifyInstance;
let bToken: string;
let bKey: Buffer;
let aKey: Buffer;

/** The answer without the worker ids (each database has its own key). */
function comparable(body: string): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => k !== 'workerId').map(([k, x]) => [k, strip(x)]));
  };
  return strip(JSON.parse(body));
}

async function both(method: 'GET' | 'POST', url: (ref: (id: string) => string) => string, payload?: object): Promise<unknown> {
  const ra = await a.as('inspector', { method, url: url((id) => workerRefOf(aKey, id)), ...(payload ? { payload } : {}) });
  const rb = await b.inject({ method, url: url((id) => workerRefOf(bKey, id)), headers: { authorization: `Bearer ${bToken}` }, ...(payload ? { payload } : {}) });
  expect(rb.statusCode, `${url(String)} ${rb.body.slice(0, 300)}`).toBe(ra.statusCode);
  expect(comparable(rb.body), url(String)).toEqual(comparable(ra.body));
  return JSON.parse(ra.body);
}

describe.skipIf(ENGINE === 'sqlite')('the ported API reads on PostgreSQL', () => {
  beforeAll(async () => {
    a = await makeApp({ seed: false, limits: { requestsPerTokenPerMinute: 100_000 } });
    await loadDemoCity(a.store, '2026-11-01T00:00:00Z');
    // two evaluated days: the latest read through the read models, the earlier through the day views
    await recompute(a.store, isoDate('2026-11-20'), '2026-11-20T18:00:00Z');
    await recompute(a.store, D, '2026-11-27T18:00:00Z');
    aKey = await workerRefKey(a.store);
    demo = await demoCityStore();
    await recompute(demo.store, isoDate('2026-11-20'), '2026-11-20T18:00:00Z');
    await recompute(demo.store, D, '2026-11-27T18:00:00Z');
    b = await buildServer({ store: demo.store, now: () => NOW, limits: { requestsPerTokenPerMinute: 100_000 } });
    bToken = (await createToken(demo.store, { role: 'inspector', name: 'inspector-user', actor: 'setup', now: NOW })).token;
    bKey = await workerRefKey(demo.store);
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    await demo?.close();
    await a?.close();
  });

  it('projects, ledgers, flags, workers, registries and reports answer as on SQLite', async () => {
    expect(demo.store.engine).toBe(ENGINE);
    const list = (await both('GET', () => `/api/v1/projects?asOf=${D}&sort=risk&pageSize=100`)) as { items: { code: string }[] };
    expect(list.items.length).toBeGreaterThan(3);
    await both('GET', () => `/api/v1/projects?pageSize=5&page=2&status=active`);
    await both('GET', () => `/api/v1/projects?asOf=2026-11-20&sort=risk&pageSize=100`);
    await both('GET', () => `/api/v1/projects/${list.items[0]!.code}?asOf=2026-11-20`);
    for (const { code } of list.items.slice(0, 3)) {
      const p = (await both('GET', () => `/api/v1/projects/${code}?asOf=${D}`)) as { wageMonths: { month: string }[] };
      for (const { month } of p.wageMonths.filter((m) => m.month <= D.slice(0, 7)).slice(-2)) await both('GET', () => `/api/v1/projects/${code}/ledger/${month}?asOf=${D}&pageSize=200`);
      await both('GET', () => `/api/v1/training/projects/${code}?asOf=${D}`);
    }
    const flags = (await both('GET', () => `/api/v1/flags?pageSize=50`)) as { items: { id: number; idNumber: string | null }[] };
    const past = (await both('GET', () => `/api/v1/flags?asOf=2026-11-20&status=all&pageSize=20`)) as { asOf: string; items: unknown[] };
    expect(past.asOf).toBe('2026-11-20');
    expect(past.items.length).toBeGreaterThan(0);
    expect(flags.items.length).toBeGreaterThan(10);
    const flag = flags.items.find((f) => f.idNumber !== null)!;
    await both('GET', () => `/api/v1/flags/${flag.id}`);
    await both('POST', () => `/api/v1/flags/${flag.id}/dismiss`, { reason: '经核实为误报' });
    await both('GET', () => `/api/v1/flags?status=dismissed`);
    const workers = (await both('GET', () => `/api/v1/workers?pageSize=20`)) as { items: { idNumber: string }[] };
    const who = (await a.store.sql.get<{ id_number: string }>("SELECT id_number FROM finding_versions WHERE id_number IS NOT NULL AND valid_to IS NULL ORDER BY id LIMIT 1"))!.id_number;
    for (const id of [who, (await a.store.sql.get<{ id_number: string }>('SELECT id_number FROM roster_entries ORDER BY id LIMIT 1'))!.id_number]) {
      await both('GET', (ref) => `/api/v1/workers/${ref(id)}?asOf=${D}`);
      await both('GET', (ref) => `/api/v1/workers/${ref(id)}/full?asOf=${D}`);
    }
    expect(workers.items.length).toBeGreaterThan(0);
    for (const reg of ['training', 'insurance', 'housing', 'care']) await both('GET', () => `/api/v1/${reg}?pageSize=30`);
    await both('GET', () => `/api/v1/insurance/coverage?asOf=${D}`);
    await both('GET', () => `/api/v1/reports`);
    const health = await b.inject({ url: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok', database: 'ok' });
  }, 180_000);
});
