/**
 * 项目预警 through the API on the demo city (imported, evaluated for 2026-11-28): the list's order and
 * filters, a warning with its flags, a bulk order from a warning (every unpaid worker-month, less the ones
 * removed), each flag showing the order it is in, and a second order or case for the same worker-month
 * refused with 409 and a link to the first — by the warning's route and by the plain order and case routes.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { formatYuan, sumFen, yuan } from '../../src/domain/money.ts';
import { importFile } from '../../src/imports/service.ts';
import type { ImportKind } from '../../src/imports/types.ts';
import { recompute } from '../../src/services/recompute.ts';
import { onStore } from '../support/storeOn.ts';
import { countOf, jsonColumn } from '../support/toEngine.ts';
import { makeApp, NOW, type TestApp } from '../api/helpers.ts';

const DEMO = join(import.meta.dirname, '../../fixtures/demo');
const KEY = 'p3-WAGE_ARREARS-2026-10';
const RANK = { red: 3, orange: 2, yellow: 1 } as const;

interface W {
  key: string;
  level: 'red' | 'orange' | 'yellow';
  arrears: string;
  amount: string;
  workers: number;
  problem: string;
  project: { code: string; name: string };
  contractor: { uscc: string; name: string | null };
  oldestDueDate: string | null;
  overdueDays: number;
  flagCount: number;
  orderable: number;
  ordered: number;
  links: { flags: string };
}

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ seed: false });
  for (const kind of ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits'] as ImportKind[]) {
    const out = await importFile(t.app.store, { kind, fileName: `${kind}.csv`, source: { path: join(DEMO, `${kind}.csv`) }, actor: 'test', now: NOW });
    expect(out.status, kind).not.toBe('rejected');
  }
  // the night runs beside the server, on its own connection (as the scheduled job does)
  await onStore(t.dbPath, (s) => recompute(s, '2026-11-28' as IsoDate, NOW));
}, 120_000);
afterAll(() => t.close());

const get = async (url: string) => {
  const res = await t.as('viewer', { url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const orders = async () => countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM inspection_orders'));

describe('GET /api/v1/warnings', () => {
  it('lists one warning per project and problem, highest risk first (level, then arrears), with project, contractor and figures', async () => {
    const all = await get('/api/v1/warnings?pageSize=200');
    const items = all.items as W[];
    expect(all.asOf).toBe('2026-11-28');
    expect(all.total).toBe(items.length);
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1]!;
      const b = items[i]!;
      expect(RANK[a.level] >= RANK[b.level], `${a.key} before ${b.key}`).toBe(true);
      if (a.level === b.level) expect(Number(a.arrears) >= Number(b.arrears), `${a.key} before ${b.key}`).toBe(true);
    }
    const keys = items.map((w) => w.key);
    expect(new Set(keys).size).toBe(keys.length);
    const first = items[0]!;
    // the project that owes 40,361.00 元 to 7 workers is the first place to go
    expect(first).toMatchObject({
      key: KEY,
      level: 'red',
      problem: 'WAGE_ARREARS',
      arrears: '40361.00',
      workers: 7,
      project: { code: 'XT-2026-003', name: '任泽区工业园区标准化厂房' },
      contractor: { uscc: '9113050565JXX5D707', name: '河北冀南建设集团有限公司' },
      oldestDueDate: '2026-11-13',
      overdueDays: 15,
      orderable: 7,
      ordered: 0,
      links: { flags: `/api/v1/warnings/${KEY}` },
    });
    // XT-2026-002 is red since the owner-duty columns (issue 19 item 6): OWNER_MUST_CLEAR is critical
    // issue 19 (the demo city's new kinds): XT-2026-004 yellow → orange by its juvenile scaffolder (CHILD_LABOUR:
    // JUVENILE_NOT_REGISTERED and JUVENILE_PROHIBITED_WORK, both high); XT-2026-008 yellow → red by 武鹏's
    // September transfer returned on 2026-10-20 (PAYMENT_RETURNED: 8,200.00 unpaid, 44 days past the 10-15 due
    // date; and, its contractor lacking legal standing, OWNER_MUST_CLEAR — critical)
    expect(all.projectsByLevel).toEqual({ red: 5, orange: 1, yellow: 2 });
    expect(items.find((w) => w.key === 'p4-CHILD_LABOUR')).toMatchObject({ level: 'orange', workers: 1, flagCount: 2 });
    expect(items.find((w) => w.key === 'p8-WAGE_ARREARS-2026-09')).toMatchObject({ level: 'red', arrears: '8200.00', workers: 1, overdueDays: 44 });
  });

  it('the demo city shows each kind issue 19 added: a returned transfer and a juvenile worker (not registered, in a barred trade)', async () => {
    const codes = async (code: string) =>
      ((await get(`/api/v1/flags?code=${code}&pageSize=200`)).items as { code: string; project: { code: string } | string; month?: string | null; amount?: string | null; sentence: string }[]).filter(
        (f) => f.code === code,
      );
    const projectOf = (f: { project: { code: string } | string }) => (typeof f.project === 'string' ? f.project : f.project.code);
    const returned = await codes('PAYMENT_RETURNED');
    expect(returned.map((f) => [projectOf(f), f.month, f.amount])).toEqual([['XT-2026-008', '2026-09', '8200.00']]);
    expect(returned[0]!.sentence).toContain('于2026-10-20被银行退回（户名不符）');
    for (const code of ['JUVENILE_NOT_REGISTERED', 'JUVENILE_PROHIBITED_WORK']) {
      const found = await codes(code);
      expect(found.map(projectOf), code).toEqual(['XT-2026-004']);
      expect(found[0]!.sentence, code).toContain('郝晓东');
      expect(found[0]!.sentence, code).not.toContain('130582200903085170'); // masked for a viewer
    }
    expect((await codes('JUVENILE_PROHIBITED_WORK'))[0]!.sentence).toContain('花名册工种为架子工');
    // paid on time and insured by project: no other flag about him on XT-2026-004
    const p4 = (await get('/api/v1/flags?project=XT-2026-004&pageSize=200')).items as { code: string; sentence: string }[];
    expect(p4.filter((f) => f.sentence.includes('郝晓东')).map((f) => f.code).sort()).toEqual(['JUVENILE_NOT_REGISTERED', 'JUVENILE_PROHIBITED_WORK']);
  });

  it('filters by level, problem and project; pages', async () => {
    const red = (await get('/api/v1/warnings?level=red&pageSize=200')).items as W[];
    expect(red.length).toBeGreaterThan(0);
    expect(red.every((w) => w.level === 'red')).toBe(true);
    const deposit = (await get('/api/v1/warnings?problem=DEPOSIT&pageSize=200')).items as W[];
    expect(deposit.length).toBeGreaterThan(0);
    expect(deposit.every((w) => w.problem === 'DEPOSIT')).toBe(true);
    const p3 = (await get('/api/v1/warnings?project=XT-2026-003&pageSize=200')).items as W[];
    expect(p3.every((w) => w.project.code === 'XT-2026-003')).toBe(true);
    const all = (await get('/api/v1/warnings?pageSize=200')).items as W[];
    const page2 = await get('/api/v1/warnings?pageSize=5&page=2');
    expect((page2.items as W[]).map((w) => w.key)).toEqual(all.slice(5, 10).map((w) => w.key));
    expect(page2.total).toBe(all.length);
  });

  it('bad filters are 400 JSON in Chinese; an unknown warning is 404', async () => {
    const bad = await t.as('viewer', { url: '/api/v1/warnings?level=purple' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    const malformed = await t.as('viewer', { url: '/api/v1/warnings/DEPOSIT' });
    expect(malformed.statusCode).toBe(400);
    const none = await t.as('viewer', { url: '/api/v1/warnings/p3-DEPOSIT-2026-10' });
    expect(none.statusCode).toBe(404);
    const gone = await t.as('viewer', { url: '/api/v1/warnings/p3-BLACKLISTED_PARTY' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toContain('预警');
  });

  it('injury insurance gaps are one warning per project, not one per worker', async () => {
    const all = (await get('/api/v1/warnings?problem=INJURY_INSURANCE&pageSize=200')).items as W[];
    const perProject = new Set(all.map((w) => w.project.code));
    expect(perProject.size).toBe(all.length);
  });
});

describe('action on the whole', () => {
  let orderId = 0;
  let flags: { id: number; code: string; amount: string | null; idNumber: string | null; enforcement: { orders: { id: number }[]; cases: { id: number }[] } }[] = [];
  let removed = 0;

  it('a warning lists its flags (identity numbers masked), each with no order yet', async () => {
    const one = await get(`/api/v1/warnings/${KEY}`);
    flags = one.flags;
    expect(one.warning.key).toBe(KEY);
    expect(flags.length).toBe(one.warning.flagCount);
    expect(flags.every((f) => f.idNumber === null || f.idNumber.includes('*'))).toBe(true);
    expect(flags.every((f) => f.enforcement.orders.length === 0 && f.enforcement.cases.length === 0)).toBe(true);
    expect(Object.values(one.names as Record<string, string>)).toContain('钱云');
  });

  it('an order from the warning covers every unpaid worker-month but the one removed', async () => {
    const wage = flags.filter((f) => f.code === 'WAGE_UNPAID' || f.code === 'WAGE_PARTIAL');
    expect(wage.length).toBe(7);
    removed = wage[wage.length - 1]!.id;
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/order`, payload: { deadline: '2026-12-10', issuedOn: '2026-11-28', reason: '责令限期支付10月工资', exclude: [removed] } });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    orderId = order.id;
    expect(order.evaluation.items.length).toBe(6);
    const expected = sumFen(wage.filter((f) => f.id !== removed).map((f) => yuan(f.amount!)));
    expect(order.ordered).toBe(formatYuan(expected));
    const audit = await t.store.sql.get<{ detail: unknown }>("SELECT detail FROM audit_log WHERE action = 'order_issue' ORDER BY id DESC LIMIT 1");
    expect(jsonColumn(audit!.detail)).toMatchObject({ fromWarning: KEY, items: 6 });
  });

  it('each flag shows the order it is in (list, one flag, the warning); the warning counts them', async () => {
    const one = await get(`/api/v1/warnings/${KEY}`);
    const byId = new Map((one.flags as typeof flags).map((f) => [f.id, f]));
    for (const f of flags.filter((x) => (x.code === 'WAGE_UNPAID' || x.code === 'WAGE_PARTIAL') && x.id !== removed)) {
      expect(byId.get(f.id)!.enforcement.orders.map((o) => o.id)).toEqual([orderId]);
      const single = await get(`/api/v1/flags/${f.id}`);
      expect(single.enforcement.orders).toEqual([{ id: orderId, issuedOn: '2026-11-28', deadline: '2026-12-10', link: `/api/v1/orders/${orderId}` }]);
    }
    expect(byId.get(removed)!.enforcement.orders).toEqual([]);
    const list = await get('/api/v1/flags?project=XT-2026-003&code=WAGE_UNPAID&pageSize=200');
    expect(list.items.filter((f: { enforcement: { orders: unknown[] } }) => f.enforcement.orders.length > 0).length).toBeGreaterThan(0);
    expect(one.warning).toMatchObject({ ordered: 6, orderable: 1 });
  });

  it('a second order for the same worker-month is refused with 409, naming and linking the first', async () => {
    const ordered = flags.find((f) => f.code === 'WAGE_UNPAID' && f.id !== removed)!;
    const viaWarning = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/order`, payload: { deadline: '2026-12-12', reason: '再次责令', include: [ordered.id] } });
    expect(viaWarning.statusCode).toBe(409);
    const e = viaWarning.json().error;
    expect(e.code).toBe('ALREADY_ORDERED');
    expect(e.message).toContain(`责令限期支付 #${orderId}`);
    expect(e.details).toMatchObject({ orderId, link: `/orders#order-${orderId}`, api: `/api/v1/orders/${orderId}` });
    const direct = await t.as('inspector', { method: 'POST', url: '/api/v1/orders', payload: { findingIds: [ordered.id], deadline: '2026-12-12', reason: '再次责令' } });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().error.details.orderId).toBe(orderId);
    expect(await orders()).toBe(1);
  });

  it('the default order from the warning now covers only the worker-month left out', async () => {
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/order`, payload: { deadline: '2026-12-10', issuedOn: '2026-11-28', reason: '补充责令' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().evaluation.items.length).toBe(1);
    const again = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/order`, payload: { deadline: '2026-12-10', reason: '第三次' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('NO_ITEMS');
  });

  it('a bad deadline is 400 in Chinese and writes nothing', async () => {
    const before = await orders();
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/p2-WAGE_ARREARS-2026-10/order`, payload: { deadline: '2026-11-01', issuedOn: '2026-11-28', reason: '期限早于作出日' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('支付期限');
    expect(await orders()).toBe(before);
  });

  it('a case for the group of workers; a second case for the same worker-month is refused with 409 and the first', async () => {
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/case`, payload: { reason: '七名工人投诉10月工资', filedOn: '2026-11-28' } });
    expect(res.statusCode, res.body).toBe(201);
    const caseId = res.json().id;
    expect(res.json().items.length).toBe(7);
    const one = flags.find((f) => f.code === 'WAGE_UNPAID')!;
    const second = await t.as('inspector', { method: 'POST', url: '/api/v1/cases', payload: { findingIds: [one.id], reason: '重复立案' } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'ALREADY_IN_CASE', details: { caseId, link: `/cases/${caseId}` } });
    expect(second.json().error.message).toContain(`案件 #${caseId}`);
    const flag = await get(`/api/v1/flags/${one.id}`);
    expect(flag.enforcement.cases.map((c: { id: number }) => c.id)).toEqual([caseId]);
  });

  it('the listing procedure from a warning needs an order of it expired unpaid (名单办法第五条)', async () => {
    const early = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/blacklist`, payload: { reason: '逾期未支付', on: '2026-12-01' } });
    expect(early.statusCode).toBe(422);
    expect(early.json().error.code).toBe('ORDER_NOT_EXPIRED');
    const none = await t.as('inspector', { method: 'POST', url: '/api/v1/warnings/p2-WAGE_ARREARS-2026-10/blacklist', payload: { reason: '未责令' } });
    expect(none.statusCode).toBe(422);
    expect(none.json().error.message).toContain('须先责令限期支付');
    // 36,173.00 元 to 6 workers is below 数额较大: the group incident the workers' protest was is the criterion
    const incident = await t.as('inspector', {
      method: 'POST',
      url: '/api/v1/blacklist/incidents',
      payload: { employerUscc: '9113050565JXX5D707', kind: 'group', occurredOn: '2026-12-11', description: '七名工人到项目部聚集讨薪' },
    });
    expect(incident.statusCode, incident.body).toBe(201);
    const late = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/blacklist`, payload: { reason: '责令期限届满仍未支付', on: '2026-12-14' } });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json().orderId).toBe(orderId);
  });

  it('a decision on a flag shows in the next read (the city\'s warnings are not served stale)', async () => {
    const before = (await get('/api/v1/warnings?pageSize=200')).items as W[];
    const single = before.find((w) => w.flagCount === 1 && w.problem !== 'WAGE_ARREARS')!;
    const one = await get(single.links.flags);
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/flags/${one.flags[0].id}/dismiss`, payload: { reason: '经核实为误报' } });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await get('/api/v1/warnings?pageSize=200')).items as W[];
    expect(after.map((w) => w.key)).not.toContain(single.key);
    expect(after.length).toBe(before.length - 1);
  });
});
