/**
 * The repositories the API's routes and the pages read through (src/store/repos: tokens, sessions, secrets,
 * projectViews, flags, wages, workers, registryViews, reportViews, health) on both engines, over the demo city
 * evaluated on D — and the ledger views' one judgement (src/services/ledger.ts ledgerOf): the night's stored
 * ledger where it holds for the day, the rules core with the parameters in force where it does not, the two
 * equal wherever both can answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoDate } from '../../src/domain/date.ts';
import { workerMonthLedger } from '../../src/rules/wages.ts';
import { ledgerOf, storedEvaluationHolds } from '../../src/services/ledger.ts';
import { enforcementOfProjects } from '../../src/services/enforcement/common.ts';
import { paramsOfStore } from '../../src/services/params.ts';
import { recompute } from '../../src/services/recompute.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { demoCityStore, type DemoStore } from '../support/demoStore.ts';
import { ENGINE } from '../support/engines.ts';

const D = isoDate('2026-11-27');
let demo: DemoStore;
let store: Store;

beforeAll(async () => {
  demo = await demoCityStore();
  store = demo.store;
  await recompute(store, D, '2026-11-27T18:00:00Z');
}, 120_000);
afterAll(async () => {
  await demo?.close();
});

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('the ledger views’ judgement', () => {
  it('on the evaluated day the stored ledger answers, equal to the rules core with the parameters in force, per project and per worker', async () => {
    const params = await paramsOfStore(store);
    const ids = (await store.facts.projectIndex()).map((p) => p.id).sort((a, b) => a - b);
    const { projects } = await store.facts.projects(ids);
    let cells = 0;
    for (const facts of projects) {
      const got = await ledgerOf(store, facts.id, D);
      expect(got.source, facts.code).toBe('stored');
      expect(got.problem, facts.code).toBeNull();
      const expected = plain(workerMonthLedger(facts, D, params));
      expect(plain(got.ledger), facts.code).toEqual(expected);
      cells += expected.length;
      const one = facts.payroll[0]?.idNumber;
      if (one) {
        const mine = await ledgerOf(store, facts.id, D, { idNumber: one });
        expect(plain(mine.ledger)).toEqual(expected.filter((w: { idNumber: string }) => w.idNumber === one));
      }
    }
    expect(cells).toBeGreaterThan(300);
  }, 60_000);

  it('a day before the evaluation, or facts changed since it, is judged by the rules core again (the same verdicts where nothing changed)', async () => {
    const id = (await store.facts.projectIndex())[0]!.id;
    const before = await ledgerOf(store, id, addDays(D, -3));
    expect(before.source).toBe('evaluated');
    const stored = await ledgerOf(store, id, D);
    // an import would bump it in its own transaction (nothing changed here: the verdicts stay the same)
    await store.facts.bump([id]);
    const after = await ledgerOf(store, id, D);
    expect(after.source).toBe('evaluated');
    expect(plain(after.ledger)).toEqual(plain(stored.ledger));
  });
});

describe('when a stored evaluation holds', () => {
  it('from its day to the day before its next change, with the facts and parameters it read', () => {
    const st = { evaluatedOn: '2026-11-20', factsVersion: 3, paramsVersion: 'p1', nextChange: '2026-11-28' };
    const now = { factsVersion: 3, paramsVersion: 'p1' };
    expect(['2026-11-19', '2026-11-20', '2026-11-27', '2026-11-28'].map((d) => storedEvaluationHolds(st, now, d))).toEqual([false, true, true, false]);
    expect(storedEvaluationHolds({ ...st, nextChange: null }, now, '2027-06-01')).toBe(true);
    expect(storedEvaluationHolds(st, { ...now, factsVersion: 4 }, '2026-11-21')).toBe(false);
    expect(storedEvaluationHolds(st, { ...now, paramsVersion: 'p2' }, '2026-11-21')).toBe(false);
  });
});

describe('project views', () => {
  it('a project by id or code, its parties, roster, account and deposit events; the counties', async () => {
    const first = (await store.sql.get<{ id: number; code: string }>('SELECT id, code FROM projects ORDER BY code LIMIT 1'))!;
    const byId = await store.projectViews.byRef(String(first.id));
    const byCode = await store.projectViews.byRef(first.code);
    expect(byId).toEqual(byCode);
    expect(typeof byId!.government_funded).toBe('boolean');
    expect(await store.projectViews.byRef('NO-SUCH')).toBeNull();
    const names = await store.projectViews.unitNames([byId!.owner_uscc, byId!.contractor_uscc, 'nobody']);
    expect(names.size).toBe(2);
    const roster = await store.projectViews.roster(first.id, D);
    expect(roster.length).toBeGreaterThan(0);
    expect(roster.every((r) => typeof r.contract_signed === 'boolean' && r.entry_date <= D)).toBe(true);
    const totals = await store.projectViews.accountTotals(first.id, D);
    const months = await store.projectViews.accountMonths(first.id, D);
    expect(months.reduce((n, m) => n + m.inflow, 0)).toBe(totals.inflow);
    expect(months.reduce((n, m) => n + m.outflow, 0)).toBe(totals.outflow);
    expect(months.reduce((n, m) => n + m.n, 0)).toBe(totals.n);
    expect(months.map((m) => m.month)).toEqual([...months.map((m) => m.month)].sort());
    expect(await store.projectViews.depositEventCount(first.id, D)).toBeGreaterThanOrEqual(0);
    const counties = await store.projectViews.counties();
    expect(counties).toEqual([...new Set(counties)].sort());
  });

  it('the day view of the project list gives the read model’s order, risk and open flags on the latest day', async () => {
    for (const sort of ['code', 'risk'] as const) {
      const f = { on: D, sort };
      const day = await store.projectViews.dayPage(D, f, 500, 0);
      const model = await store.projects.page(f, 500, 0);
      expect(day.map((r) => r.code)).toEqual(model.map((r) => r.code));
      expect(day.map((r) => r.open_flags)).toEqual(model.map((r) => r.open_flags));
      expect(await store.projectViews.dayCount(D, f)).toBe(await store.projects.count(f));
    }
    const q = (await store.projectViews.dayPage(D, { on: D, sort: 'code' }, 1, 0))[0]!;
    const found = await store.projectViews.dayPage(D, { on: D, sort: 'code', q: q.code.slice(-3) }, 50, 0);
    expect(found.map((r) => r.code)).toContain(q.code);
    const row = await store.projectViews.dayRow(D, q.id);
    expect(row!.a_as_of).toBe(D);
    expect(Array.isArray(row!.risk_terms)).toBe(true);
    expect((await store.projectViews.dayRow('2000-01-01', q.id))!.a_as_of).toBeNull();
  });
});

describe('flags', () => {
  it('the day view gives the queue read model’s page and total on the latest day; a flag by id; a review recorded and replaced', async () => {
    const f = { status: 'all' as const };
    const day = await store.flags.dayPage(D, f, 100, 0);
    const queue = await store.queue.page(f, 100, 0);
    expect(day.map((r) => r.id)).toEqual(queue.map((r) => r.id));
    expect(await store.flags.dayCount(D, f)).toBe(await store.queue.count(f, D));
    const one = day[0]!;
    expect(Array.isArray(one.evidence) && Array.isArray(one.params)).toBe(true);
    expect(one.legal_basis).toMatchObject({ document: expect.any(String) });
    expect(await store.flags.byId(one.id)).toEqual(one);
    await store.flags.review({ fingerprint: one.fingerprint, status: 'resolved', reason: '已付清', actor: 'inspector', at: '2026-11-28T01:00:00Z' });
    await store.flags.review({ fingerprint: one.fingerprint, status: 'dismissed', reason: '误报', actor: 'inspector', at: '2026-11-28T02:00:00Z' });
    expect(await store.flags.byId(one.id)).toMatchObject({ r_status: 'dismissed', r_reason: '误报' });
    expect((await store.flags.dayPage(D, { status: 'open' }, 1000, 0)).map((r) => r.id)).not.toContain(one.id);
    expect((await store.flags.dayPage(D, { status: 'dismissed' }, 10, 0)).map((r) => r.id)).toEqual([one.id]);
  });

  it('a worker’s and a project’s open flags agree with the day view', async () => {
    const open = await store.flags.dayPage(D, { status: 'open' }, 100_000, 0);
    const withWorker = open.find((r) => r.id_number !== null)!;
    const mine = await store.flags.openOfWorker(D, withWorker.id_number!);
    expect(mine.map((r) => r.id).sort()).toEqual(open.filter((r) => r.id_number === withWorker.id_number).map((r) => r.id).sort());
    const counts = await store.flags.openCountsOfProject(D, withWorker.project_id);
    const expected = new Map<string, number>();
    for (const r of open.filter((x) => x.project_id === withWorker.project_id)) expected.set(r.code, (expected.get(r.code) ?? 0) + 1);
    expect(counts).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, n]) => ({ code, n })));
  });

  it('the orders in force and open cases naming a worker-month', async () => {
    const f = (await store.flags.dayPage(D, { status: 'all' }, 100_000, 0)).find((r) => r.id_number && r.month)!;
    expect((await enforcementOfProjects(store, [f.project_id])).size).toBe(0);
    const order = await store.sql.get<{ id: number }>(
      `INSERT INTO inspection_orders (employer_uscc, issued_on, deadline, ordered_fen, actor, reason, created_at) VALUES ('X', '2026-11-20', '2026-11-30', 100, 'inspector', '责令', '2026-11-20T01:00:00Z') RETURNING id`,
    );
    await store.sql.run('INSERT INTO inspection_order_items (order_id, project_id, id_number, month, amount_fen) VALUES (?, ?, ?, ?, 100)', [order!.id, f.project_id, f.id_number, f.month]);
    const known = await enforcementOfProjects(store, [f.project_id, f.project_id]);
    expect(known.get(`${f.project_id}|${f.id_number}|${f.month}`)).toEqual({ orders: [{ id: order!.id, issuedOn: '2026-11-20', deadline: '2026-11-30' }], cases: [] });
  });
});

describe('wages and workers', () => {
  it('a month’s rows and payments, the months summed, a worker’s months', async () => {
    const r = (await store.sql.get<{ project_id: number; month: string; id_number: string }>(
      'SELECT project_id, month, id_number FROM payroll_rows WHERE superseded_by IS NULL ORDER BY id LIMIT 1',
    ))!;
    const payroll = await store.wages.payroll(r.project_id, r.month);
    const payments = await store.wages.payments(r.project_id, r.month, D);
    expect(payroll.length).toBeGreaterThan(0);
    expect(payments.every((p) => p.paid_on <= D)).toBe(true);
    const month = (await store.wages.projectMonths(r.project_id, D)).find((m) => m.month === r.month)!;
    expect(month.on_payroll).toBe(payroll.length);
    expect(month.net_due).toBe(payroll.reduce((n, p) => n + p.net_fen, 0));
    expect(month.paid).toBe(payments.reduce((n, p) => n + p.amount_fen, 0));
    const paidBy = new Map<string, number>();
    for (const p of payments) paidBy.set(p.id_number, (paidBy.get(p.id_number) ?? 0) + p.amount_fen);
    expect(month.outstanding).toBe(payroll.reduce((n, p) => n + Math.max(0, p.net_fen - (paidBy.get(p.id_number) ?? 0)), 0));
    const lines = await store.wages.workerMonths(r.id_number, D);
    expect(lines.some((l) => l.project_id === r.project_id && l.month === r.month)).toBe(true);
    expect((await store.wages.rosterProjects(r.id_number)).map(([id]) => id)).toContain(r.project_id);
    expect(await store.wages.ledgerState(r.project_id)).toMatchObject({ evaluatedOn: D });
  });

  it('the worker list, filtered and paged; a worker’s roster on every project; the registered name', async () => {
    const f = { on: D };
    const total = await store.workers.count(f);
    const all = await store.workers.page(f, 100_000, 0);
    expect(all).toHaveLength(total);
    expect((await store.workers.page(f, 5, 5)).map((w) => w.id_number)).toEqual(all.slice(5, 10).map((w) => w.id_number));
    const w = all[0]!;
    expect((await store.workers.page({ on: D, name: w.name }, 10, 0)).map((x) => x.id_number)).toContain(w.id_number);
    const roster = await store.workers.roster(w.id_number);
    expect(new Set(roster.map((r) => r.project_id)).size).toBe(w.projects);
    expect(typeof (await store.workers.name(w.id_number))).toBe('string');
    expect(await store.workers.name('000000000000000000')).toBeNull();
  });
});

describe('registries, reports, tokens, sessions, secrets, health', () => {
  it('registry rows, certified shares, a legal-aid referral', async () => {
    for (const reg of ['training', 'insurance', 'housing', 'care'] as const) {
      const { rows, total } = await store.registryViews.rows(reg, {});
      expect(rows).toHaveLength(total);
      expect((await store.registryViews.rows(reg, {}, { limit: 2, offset: 1 })).rows.map((r) => r.id)).toEqual(rows.slice(1, 3).map((r) => r.id));
    }
    const housing = (await store.registryViews.rows('housing', {})).rows;
    const firstPlain = housing.findIndex((r) => r.honours === null);
    if (firstPlain >= 0) expect(housing.slice(firstPlain).every((r) => r.honours === null)).toBe(true);
    const project = (await store.facts.projectIndex())[0]!.id;
    const trades = await store.registryViews.certifiedByTrade(project, D);
    expect(trades.every((t) => t.certified <= t.workers)).toBe(true);
    const who = (await store.workers.page({ on: D }, 1, 0))[0]!;
    const key = `test-legal-aid-${ENGINE}`;
    expect(await store.registryViews.careExists(key)).toBe(false);
    const columns = ['id_number', 'name', 'project_id', 'kind', 'member_name', 'relation', 'status', 'office', 'opened_on', 'closed_on', 'case_ref', 'note'];
    const id = await store.registryViews.insertCare({ columns, values: [who.id_number, who.name, null, 'legal_aid', null, null, 'referred', '法律援助中心', '2026-11-28', null, '7', null], naturalKey: key, createdBy: 'inspector' });
    expect(await store.registryViews.careExists(key)).toBe(true);
    expect(await store.registryViews.row('care', id)).toMatchObject({ id, kind: 'legal_aid', opened_on: '2026-11-28', created_by: 'inspector', project_code: null });
    expect((await store.registryViews.legalAidOfCase(who.id_number, '7')).map((r) => r.id)).toEqual([id]);
    expect(await store.registryViews.casesOfWorker(who.id_number)).toEqual([]);
    expect(typeof (await store.registryViews.insuranceHeld())).toBe('boolean');
  });

  it('stored reports: the list newest first, one day, the latest, its bytes as stored', async () => {
    const json = '{"asOf":"2026-11-27","b":1,"a":[2,1]}';
    await store.sql.run('INSERT INTO reports (as_of, created_at, json) VALUES (?, ?, ?), (?, ?, ?)', ['2026-11-26', '2026-11-26T18:00:00Z', '{}', '2026-11-27', '2026-11-27T18:00:00Z', json]);
    expect(await store.reportViews.count()).toBe(2);
    expect(await store.reportViews.page(1, 0)).toEqual([{ asOf: '2026-11-27', createdAt: '2026-11-27T18:00:00Z' }]);
    expect(await store.reportViews.one('latest')).toEqual({ asOf: '2026-11-27', json });
    expect(await store.reportViews.one('2026-11-26')).toEqual({ asOf: '2026-11-26', json: '{}' });
    expect(await store.reportViews.one('2026-01-01')).toBeNull();
  });

  it('tokens by hash and id, newest first, revoked once; sessions touched and ended; a secret kept by the first writer', async () => {
    const base = { role: 'viewer' as const, uscc: null, createdAt: '2026-11-28T01:00:00Z', createdBy: 'setup', expiresAt: null };
    const a = await store.tokens.insert({ ...base, name: '甲', tokenHash: `h-a-${ENGINE}` });
    const b = await store.tokens.insert({ ...base, name: '乙', tokenHash: `h-b-${ENGINE}`, role: 'contractor', uscc: '91130500MA0000001N' });
    expect(await store.tokens.byHash(`h-b-${ENGINE}`)).toMatchObject({ id: b, name: '乙', role: 'contractor', uscc: '91130500MA0000001N', revokedAt: null });
    expect(await store.tokens.byId(a)).toMatchObject({ name: '甲', uscc: null });
    expect(await store.tokens.byHash('none')).toBeNull();
    expect((await store.tokens.all()).map((t) => t.id).slice(0, 2)).toEqual([b, a]);
    expect(await store.tokens.revoke(a, '2026-11-28T02:00:00Z')).toBe(true);
    expect(await store.tokens.revoke(a, '2026-11-28T03:00:00Z')).toBe(false);
    expect((await store.tokens.byId(a))!.revokedAt).toBe('2026-11-28T02:00:00Z');

    await store.sessions.insert({ hash: `s-${ENGINE}`, tokenId: b, at: '2026-11-28T01:00:00Z', expiresAt: '2026-11-28T13:00:00Z' });
    const s = (await store.sessions.byHash(`s-${ENGINE}`))!;
    expect(s).toMatchObject({ tokenId: b, lastSeenAt: '2026-11-28T01:00:00Z', revokedAt: null });
    await store.sessions.touch(s.id, '2026-11-28T01:10:00Z');
    await store.sessions.revoke(`s-${ENGINE}`, '2026-11-28T01:20:00Z');
    await store.sessions.revoke(`s-${ENGINE}`, '2026-11-28T01:30:00Z');
    expect(await store.sessions.byHash(`s-${ENGINE}`)).toMatchObject({ lastSeenAt: '2026-11-28T01:10:00Z', revokedAt: '2026-11-28T01:20:00Z' });

    expect(await store.secrets.get('test_key')).toBeNull();
    await store.secrets.putIfAbsent('test_key', 'first', '2026-11-28T01:00:00Z');
    await store.secrets.putIfAbsent('test_key', 'second', '2026-11-28T01:00:01Z');
    expect(await store.secrets.get('test_key')).toBe('first');
  });

  it('health: reachable and writable; a read-only SQLite open is reported read-only', async () => {
    await store.health.ping();
    expect(await store.health.readOnly()).toBe(false);
    if (ENGINE === 'sqlite') {
      const ro = await openStore(store.location, { readonly: true });
      try {
        expect(await ro.health.readOnly()).toBe(true);
      } finally {
        await ro.close();
      }
    }
  });
});
