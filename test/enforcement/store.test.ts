/**
 * The enforcement records behind the store (src/store/repos/{orders,cases,listings}.ts), on the engine of the
 * run (both in `npm test`): over the demo city copied in and evaluated for 2026-11-28, an order, a case and a
 * listing go through their services; every write commits with its audit entry or not at all; an order, a case
 * and an evidence pack are judged by the night's stored ledger for the evaluated day, and that ledger is the
 * rules core's for the day (a day the stored state cannot answer for is evaluated with the parameters in
 * force); the report's enforcement sections read the same; `huxin case` and `huxin blacklist` run over the
 * engine's database (--db). On PostgreSQL the whole walk is also run on a SQLite copy, and every view and
 * every command's output must be the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate, type IsoDate } from '../../src/domain/date.ts';
import { enforcementAt } from '../../src/reports/generate.ts';
import { workerMonthLedger } from '../../src/rules/wages.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { listingView, proposeListing, recordIncident, recordListingStep } from '../../src/services/enforcement/blacklist.ts';
import { acceptCase, caseView, intakeCase, recordAgreed, recordPaid, transitionCase } from '../../src/services/enforcement/cases.ts';
import { EnforcementError, enforcementOfProjects, judgeOf, projectsAt, workerMonthKey } from '../../src/services/enforcement/common.ts';
import { buildEvidencePack } from '../../src/services/enforcement/evidencePack.ts';
import { issueOrder, orderView, withdrawOrder } from '../../src/services/enforcement/orders.ts';
import { blacklistChanges, casesPastDeadline, ordersPastDue } from '../../src/services/enforcement/reporting.ts';
import { paramsOfStore } from '../../src/services/params.ts';
import { paramsVersionOf, recompute } from '../../src/services/recompute.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { huxin } from '../support/cli.ts';
import { ENGINE, freshLocation, type TestLocation } from '../support/engines.ts';

const D = isoDate('2026-11-28');
const NOW = '2026-11-28T02:00:00.000Z';
const inspector = { name: '赵监察', tokenId: 7 };
const supervisor = { name: '钱科长' };

let source: TestLocation;
const opened: { loc: TestLocation; store: Store }[] = [];

/** A fresh database of `engine` holding the demo city, evaluated for D. */
async function demoCity(engine: 'sqlite' | 'postgres'): Promise<Store> {
  const loc = await freshLocation(engine);
  const store = await openStore(loc.location);
  const from = await openStore(source.location, { readonly: true });
  await copyDatabase(from, store);
  await from.close();
  await recompute(store, D, '2026-11-27T18:00:00.000Z');
  opened.push({ loc, store });
  return store;
}

const projectIdOf = async (store: Store, code: string) => (await store.sql.get<{ id: number }>('SELECT id FROM projects WHERE code = ?', [code]))!.id;
const auditCount = async (store: Store, action: string) => Number((await store.sql.get<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE action = ?', [action]))!.n);
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof EnforcementError) return { status: e.status, code: e.code };
    throw e;
  }
  throw new Error('not refused');
};

/** The whole walk over one store; what every view showed, in order (compared across engines). */
async function walk(store: Store) {
  const seen: unknown[] = [];
  const pid = await projectIdOf(store, 'XT-2026-003');
  const flags = (
    await store.sql.all<{ id: number }>("SELECT id FROM finding_versions WHERE code = 'WAGE_UNPAID' AND valid_to IS NULL AND project_id = ? ORDER BY id", [pid])
  ).map((r) => Number(r.id));
  expect(flags).toHaveLength(4);

  // 责令限期支付: issued with its audit entry; a second order on the same worker-months refused, nothing written
  const orderId = await issueOrder(store, { findingIds: flags, issuedOn: D, deadline: '2026-12-04', reason: '逾期未支付10月工资' }, inspector, NOW);
  expect(await auditCount(store, 'order_issue')).toBe(1);
  expect(await refusal(issueOrder(store, { findingIds: flags.slice(0, 1), issuedOn: D, deadline: '2026-12-10', reason: '再次责令' }, inspector, NOW))).toEqual({ status: 409, code: 'ALREADY_ORDERED' });
  expect(await store.orders.ids()).toEqual([orderId]);
  expect(await auditCount(store, 'order_issue')).toBe(1);
  const known = await enforcementOfProjects(store, [pid]);
  const flagged = await store.orders.items(orderId);
  expect(known.get(workerMonthKey(pid, flagged[0]!.id_number, flagged[0]!.month))!.orders.map((o) => o.id)).toEqual([orderId]);

  const onD = await orderView(store, orderId, D);
  expect(onD.evaluation.status).toBe('running');
  const expired = await orderView(store, orderId, isoDate('2026-12-07'));
  expect(expired.evaluation.status).toBe('expired_unpaid');
  expect(expired.evaluation.owed).toBe(onD.ordered);
  seen.push(onD, expired);
  const j = await judgeOf(store);
  expect((await ordersPastDue(j, isoDate('2026-12-07'))).map((o) => o.orderId)).toEqual([orderId]);
  expect(await ordersPastDue(j, isoDate('2026-12-04'))).toEqual([]);

  // 欠薪案件: intake routed from the ledger; a forbidden move refused with nothing written; the lawful ones audited
  const caseId = await intakeCase(store, { findingIds: flags, filedOn: D, reason: '四名工人投诉10月工资未发' }, inspector, NOW);
  const intake = await caseView(store, caseId, D);
  expect(intake).toMatchObject({ stage: 'intake', routing: { route: 'arbitration', finalAward: true } });
  expect(intake.amounts.claimed).toBe(intake.amounts.ledgerArrearsNow);
  expect(await refusal(intakeCase(store, { findingIds: flags, filedOn: D, reason: '重复立案' }, inspector, NOW))).toEqual({ status: 409, code: 'ALREADY_IN_CASE' });
  const events = async () => (await store.cases.events(caseId)).length;
  expect(await refusal(transitionCase(store, caseId, { to: 'judged', on: '2026-11-30', reason: '跳过' }, inspector, NOW))).toEqual({ status: 409, code: 'TRANSITION_FORBIDDEN' });
  expect(await events()).toBe(1);
  expect(await auditCount(store, 'case_transition')).toBe(0);
  await transitionCase(store, caseId, { to: 'arbitration', on: '2026-11-30', reason: '申请仲裁' }, inspector, NOW);
  expect((await casesPastDeadline(j, isoDate('2026-12-08'))).map((c) => [c.caseId, c.deadline.kind, c.daysPast])).toEqual([[caseId, 'arbitration_accept', 1]]);
  await acceptCase(store, caseId, { on: '2026-12-03', reason: '仲裁委受理' }, inspector, NOW);
  expect(await casesPastDeadline(j, isoDate('2026-12-08'))).toEqual([]);
  await transitionCase(store, caseId, { to: 'awarded', on: '2027-01-10', reason: '裁决', agreedAmount: 500000, performanceDays: 15 }, inspector, NOW);
  await recordPaid(store, caseId, { amount: 120000, on: '2027-01-20', reason: '部分支付', bankRef: 'ZG-PAY-1' }, inspector, NOW);
  expect(await refusal(recordPaid(store, caseId, { amount: 1, on: '2027-01-20', reason: 'x', idNumber: '110101199001010000' }, inspector, NOW))).toEqual({ status: 422, code: 'NOT_A_CLAIMANT' });
  await recordAgreed(store, caseId, { amount: 480000, on: '2027-01-21', reason: '和解变更' }, inspector, NOW);
  const awarded = await caseView(store, caseId, isoDate('2027-01-21'));
  expect(awarded).toMatchObject({ stage: 'awarded', finalAward: true, amounts: { agreed: '4800.00', paidToWorkers: '1200.00', outstandingAgainstAgreed: '3600.00' } });
  expect(awarded.events.map((e) => e.kind)).toEqual(['intake', 'transition', 'accept', 'transition', 'agree', 'pay', 'agree']);
  expect(await auditCount(store, 'case_payment')).toBe(1);
  seen.push(intake, awarded);

  // 证据包: its totals are the ledger's; the flags are those the night stored for D
  const pack = await buildEvidencePack(store, caseId, D);
  expect(pack.flagsComputedAsOf).toBe(D);
  expect(pack.totals).toMatchObject({ workers: 4, workerMonths: 4, arrears: intake.amounts.ledgerArrearsNow });
  expect(pack.workers.every((w) => (w.months as { flags: { code: string }[] }[]).every((m) => m.flags.some((f) => f.code === 'WAGE_UNPAID')))).toBe(true);
  seen.push(pack);

  // 失信名单: refused without a criterion; an incident opens it; the decision bumps the unit's projects' facts
  const on = isoDate('2026-12-07');
  expect(await refusal(proposeListing(store, { orderId, on, reason: '逾期未付' }, inspector, NOW))).toMatchObject({ status: 422 });
  await recordIncident(store, { employerUscc: expired.employerUscc, projectId: pid, kind: 'group', occurredOn: '2026-12-06', description: '工人聚集讨薪' }, inspector, NOW);
  const listingId = await proposeListing(store, { orderId, on, reason: '逾期未付并引发群体性事件', persons: [{ role: 'legal_representative', name: '赵某' }] }, inspector, NOW);
  expect(await refusal(proposeListing(store, { orderId, on, reason: '再次' }, inspector, NOW))).toEqual({ status: 409, code: 'LISTING_EXISTS' });
  await recordListingStep(store, listingId, 'notice', { on: '2026-12-08', reason: '送达告知书' }, inspector, NOW);
  expect(await refusal(recordListingStep(store, listingId, 'decision', { on: '2026-12-15', reason: '过早', approve: true }, supervisor, NOW))).toMatchObject({ status: 422, code: 'LISTING_NOT_ALLOWED' });
  const version = async () => (await store.facts.versions([pid])).get(pid) ?? 0;
  const before = await version();
  await recordListingStep(store, listingId, 'decision', { on: '2026-12-16', reason: '期满未申辩，决定列入', approve: true }, supervisor, NOW);
  expect(await version()).toBe(before + 1);
  await recordListingStep(store, listingId, 'publish', { on: '2026-12-17', reason: '公布' }, supervisor, NOW);
  const listed = await listingView(store, listingId, isoDate('2026-12-17'));
  expect(listed).toMatchObject({ status: 'listed', onListAt: true, listedFrom: '2026-12-16', listedUntilExclusive: '2029-12-17', persons: [{ role: 'legal_representative', name: '赵某' }] });
  expect(listed.steps.map((s) => s.step)).toEqual(['propose', 'notice', 'decision', 'publish']);
  expect((await store.facts.blacklist()).map((b) => [b.uscc, b.from, b.to])).toEqual([[expired.employerUscc, '2026-12-16', '2029-12-17']]);
  expect((await blacklistChanges(store, isoDate('2026-12-01'), isoDate('2026-12-31'))).map((c) => [c.change, c.on])).toEqual([
    ['listed', '2026-12-16'],
    ['published', '2026-12-17'],
  ]);
  seen.push(listed);

  // the report's enforcement sections, read as the night's report reads them
  const sections = await store.snapshot((s) => enforcementAt(s, isoDate('2026-12-17'), null, j.params));
  expect(sections.ordersPastDue.map((o) => [o.orderId, o.daysPast])).toEqual([[orderId, 13]]);
  expect(sections.blacklistChanges.map((c) => c.change)).toEqual(['published']);
  seen.push(sections);

  // a withdrawn order is not in force: its worker-months can be ordered again
  await withdrawOrder(store, orderId, '改由案件处理', supervisor, NOW);
  expect(await refusal(withdrawOrder(store, orderId, '再次撤销', supervisor, NOW))).toEqual({ status: 409, code: 'ALREADY_WITHDRAWN' });
  expect((await enforcementOfProjects(store, [pid])).get(workerMonthKey(pid, flagged[0]!.id_number, flagged[0]!.month))!.orders).toEqual([]);
  return seen;
}

/** The enforcement commands after the walk: reads, a refused write, a lawful one. */
async function commands(location: string) {
  const runs = [
    await huxin(location, 'case', 'list', '--as-of', '2027-01-21'),
    await huxin(location, 'case', 'show', '1', '--as-of', '2027-01-21'),
    await huxin(location, 'case', 'overdue', '--as-of', '2026-12-08'),
    await huxin(location, 'case', 'pack', '1', '--as-of', '2026-11-28'),
    await huxin(location, 'blacklist', 'list', '--as-of', '2026-12-17'),
    await huxin(location, 'blacklist', 'changes', '--from', '2026-12-01', '--to', '2026-12-31'),
    await huxin(location, 'case', 'transition', '1', '--to', 'intake', '--on', '2027-01-22', '--reason', '重新登记'),
    await huxin(location, 'case', 'transition', '1', '--to', 'enforcement', '--on', '2027-02-10', '--reason', '申请强制执行'),
    await huxin(location, 'case', 'show', '9', '--as-of', '2027-01-21'),
  ];
  return runs.map((r) => ({ code: r.code, out: r.out, err: r.err.replace(/\s+$/, '') }));
}

let store: Store;
let seen: unknown[];
let printed: Awaited<ReturnType<typeof commands>>;

beforeAll(async () => {
  source = await freshLocation('sqlite');
  const seed = await openStore(source.location);
  await loadDemoCity(seed, '2026-11-01T00:00:00Z');
  await seed.close();
  store = await demoCity(ENGINE);
}, 180_000);

afterAll(async () => {
  for (const o of opened) {
    await o.store.close();
    await o.loc.drop();
  }
  await source?.drop();
});

describe(`enforcement records on ${ENGINE}`, () => {
  it('the stored ledger the orders and cases read for the evaluated day is the rules core’s for that day; a day before it is evaluated with the parameters in force', async () => {
    const j = await judgeOf(store);
    const ids = (await store.sql.all<{ id: number }>('SELECT id FROM projects ORDER BY id')).map((r) => Number(r.id));
    const params = await paramsOfStore(store);
    const { projects } = await store.facts.projects(ids);
    // every project's state was evaluated on D with its ledger kept: D is read from the stored ledgers
    const states = await store.storedDays.statesOf(ids);
    expect([...states.values()].every((st) => st.evaluatedOn === D && st.hasLedger)).toBe(true);
    expect(states.size).toBe(ids.length);
    const versions = await store.facts.versions(ids);
    expect([...states].every(([pid, st]) => st.factsVersion === (versions.get(pid) ?? 0) && st.paramsVersion === paramsVersionOf(params))).toBe(true);
    for (const day of [D, isoDate('2026-11-20')]) {
      const at = await projectsAt(j, ids, day);
      const live = projects.flatMap((p) => workerMonthLedger(p, day, params));
      const key = (w: { projectId: number; idNumber: string; month: string }) => `${w.projectId}|${w.idNumber}|${w.month}`;
      const pick = (w: (typeof live)[number]) => [key(w), w.dueDate, w.netDue, w.paid, w.arrears, w.status, w.overdueDays, w.paidInFullOn, w.name];
      expect(at.ledger.map(pick).sort()).toEqual(live.map(pick).sort());
    }
  });

  it('an order, a case and a listing through their services: refusals write nothing, each write is audited in its transaction', async () => {
    seen = await walk(store);
  }, 120_000);

  it('huxin case and huxin blacklist over the database (masked; a refused move exits 1 with its Chinese reason, a missing case 3)', async () => {
    printed = await commands(opened[0]!.loc.location);
    const [list, show, overdue, pack, listings, changes, refused, moved, missing] = printed;
    for (const r of [list, show, overdue, pack, listings, changes, moved]) expect(r!.code, r!.err).toBe(0);
    expect(list!.out).toMatch(/^#1\t已作出仲裁裁决\t/);
    expect(show!.out).toContain('"stage": "awarded"');
    expect(show!.out + pack!.out).not.toMatch(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/);
    expect(overdue!.out).toBe('');
    expect(listings!.out).toMatch(/^#1\tlisted\t.+\t2026-12-16 至 2029-12-17（不含）\t在名单上$/m);
    expect(changes!.out.split('\n').filter(Boolean).map((l) => l.split('\t')[1])).toEqual(['listed', 'published']);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused!.err).toContain('不能从');
    expect(moved!.out).toContain('已转入');
    expect(missing).toMatchObject({ code: 3 });
  }, 60_000);

  it.runIf(ENGINE === 'postgres')('PostgreSQL shows exactly what SQLite shows for the same walk and the same commands', async () => {
    const sqlite = await demoCity('sqlite');
    expect(JSON.parse(JSON.stringify(await walk(sqlite)))).toEqual(JSON.parse(JSON.stringify(seen)));
    // `case show` and `case pack` print JSON documents: jsonb gives back a stored document's keys in its own
    // order (routing, event details), so those two are compared as values, the rest as printed
    const asValues = (runs: typeof printed) => runs.map((r, i) => (i === 1 || i === 3 ? { ...r, out: JSON.parse(r.out) as unknown } : r));
    expect(asValues(await commands(opened.at(-1)!.loc.location))).toEqual(asValues(printed));
  }, 180_000);
});
