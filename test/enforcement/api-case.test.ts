/**
 * A wage case driven through the API on the demo city (imported with importFile, recomputed for 2026-11-28):
 * intake → arbitration → awarded (final) → enforcement → closed, with a forbidden move refused (409), a
 * complete audit trail and an evidence pack whose figures match the ledger. Then an order to pay that expires
 * unpaid, the listing procedure it opens, and the listing feeding BLACKLISTED_PARTY. Dates worked by hand:
 *
 * - arbitration applied Mon 2026-11-30: acceptance due 5 working days later → 12-01, 02, 03, 04, 07 → 2026-12-07
 * - accepted 2026-12-03: award due 45 days later → 2027-01-17, a year with no schedule → unknown (not guessed)
 * - final award served 2026-12-15: worker may sue within 15 days → 2026-12-30 (Wed)
 * - order deadline Fri 2026-12-04, read on 2026-12-07: expired unpaid
 * - listing: notice Tue 2026-12-08 → statement window 12-09, 10, 11, 14, 15 → 2026-12-15
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { formatYuan, yuan, type Fen } from '../../src/domain/money.ts';
import { cityFacts } from '../imports/helpers.ts';
import { importFile } from '../../src/imports/service.ts';
import type { ImportKind } from '../../src/imports/types.ts';
import { workerMonthLedger } from '../../src/rules/wages.ts';
import { doubleWageClaim } from '../../src/rules/doubleWage.ts';
import { buildEvidencePack, renderEvidencePackHtml } from '../../src/services/enforcement/evidencePack.ts';
import { judgeOf } from '../../src/services/enforcement/common.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { recompute } from '../../src/services/recompute.ts';
import { blacklistChanges, casesPastDeadline, ordersPastDue } from '../../src/services/enforcement/reporting.ts';
import { makeApp, NOW, type TestApp } from '../api/helpers.ts';
import { computeReport } from '../../src/reports/generate.ts';
import { renderCsv } from '../../src/reports/csv.ts';
import { renderHtml } from '../../src/reports/html.ts';
import { onStore } from '../support/storeOn.ts';
import { countOf, jsonColumn } from '../support/toEngine.ts';

const DEMO = join(import.meta.dirname, '../../fixtures/demo');
const ID18 = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;

let t: TestApp;
let unpaidFlagIds: number[] = [];
let projectId = 0;

beforeAll(async () => {
  t = await makeApp({ seed: false });
  for (const kind of ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits'] as ImportKind[]) {
    const out = await importFile(t.app.store, { kind, fileName: `${kind}.csv`, source: { path: join(DEMO, `${kind}.csv`) }, actor: 'test', now: NOW });
    expect(out.status, kind).not.toBe('rejected');
  }
  await recomputeCity('2026-11-28' as IsoDate);
  const flags = await t.as('inspector', { url: '/api/v1/flags?project=XT-2026-003&code=WAGE_UNPAID&asOf=2026-11-28' });
  unpaidFlagIds = flags.json().items.map((f: { id: number }) => f.id);
  projectId = flags.json().items[0].project.id;
}, 120_000);
afterAll(() => t.close());

/** the night of `asOf`, run beside the server on its own connection (as the scheduled job does) */
const recomputeCity = (asOf: IsoDate) => onStore(t.dbPath, (s) => recompute(s, asOf, NOW));

describe('a case from intake to enforcement, through the API', () => {
  let caseId = 0;

  it('the demo city has XT-2026-003\'s four unpaid October workers flagged', () => {
    expect(unpaidFlagIds.length).toBe(4);
  });

  it('intake links the flagged worker-months and routes the case with its reasons (4 < 10 workers, each within 24,000.00: final arbitration)', async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/cases', payload: { findingIds: unpaidFlagIds, filedOn: '2026-11-28', reason: '四名工人投诉10月工资未发' } });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    caseId = c.id;
    expect(c.stage).toBe('intake');
    expect(c.routing.route).toBe('arbitration');
    expect(c.routing.finalAward).toBe(true);
    expect(c.routing.sentence).toContain('任泽区为2类地区，月最低工资2,000.00元，12个月计24,000.00元');
    expect(c.items).toHaveLength(4);
    // the claim is the ledger's arrears
    expect(c.amounts.claimed).toBe(c.amounts.ledgerArrearsNow);
    expect(c.items[0].idNumber).toMatch(/\*{8}/); // masked for the inspector
    expect(res.body).not.toMatch(ID18);
  });

  it('a forbidden move is a 409 with a Chinese message naming the allowed ones', async () => {
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/cases/${caseId}/transition`, payload: { to: 'judged', on: '2026-11-30', reason: '试图跳过' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('TRANSITION_FORBIDDEN');
    expect(res.json().error.message).toBe('案件不能从“登记受理”转入“已作出判决”：当前只能转入：快调（调解）、快裁（仲裁）、快审（诉讼）、劳动保障监察（责令限期支付）、快执（强制执行）、撤回');
    const viewer = await t.as('viewer', { method: 'POST', url: `/api/v1/cases/${caseId}/transition`, payload: { to: 'arbitration', on: '2026-11-30', reason: 'x' } });
    expect(viewer.statusCode).toBe(403);
  });

  it('arbitration: the 5-working-day acceptance clock, reported when passed; then the 45-day award clock', async () => {
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/cases/${caseId}/transition`, payload: { to: 'arbitration', on: '2026-11-30', reason: '向任泽区劳动人事争议仲裁委员会申请仲裁' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().deadlines.map((d: { kind: string; due: string }) => [d.kind, d.due])).toEqual([['arbitration_accept', '2026-12-07']]);
    expect(await casesPastDeadline(await judgeOf(t.app.store), '2026-12-07' as IsoDate)).toEqual([]);
    const past = await casesPastDeadline(await judgeOf(t.app.store), '2026-12-08' as IsoDate);
    expect(past.map((p) => [p.caseId, p.deadline.kind, p.daysPast])).toEqual([[caseId, 'arbitration_accept', 1]]);
    const acc = await t.as('inspector', { method: 'POST', url: `/api/v1/cases/${caseId}/accept`, payload: { on: '2026-12-03', reason: '仲裁委受理' } });
    expect(acc.statusCode, acc.body).toBe(200);
    const award = acc.json().deadlines[0];
    expect(award.kind).toBe('arbitration_award');
    expect(award.due).toBeNull();
    expect(award.notBefore).toBe('2027-01-17');
    expect(await casesPastDeadline(await judgeOf(t.app.store), '2026-12-08' as IsoDate)).toEqual([]);
  });

  let agreed = '';
  it('awarded (final): the award amount is the agreed amount; windows 15 days (worker)', async () => {
    const view = await t.as('inspector', { url: `/api/v1/cases/${caseId}` });
    agreed = view.json().amounts.claimed;
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/cases/${caseId}/transition`, payload: { to: 'awarded', on: '2026-12-15', reason: '仲裁庭裁决支付全部欠薪（终局裁决）', agreedAmount: agreed, performanceDays: 10 } });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.finalAward).toBe(true);
    expect(c.amounts.agreed).toBe(agreed);
    expect(c.deadlines[0]).toMatchObject({ kind: 'final_award_worker_suit', due: '2026-12-30' });
    // the award gets the enforcement-application clock (调仲法 第五十一条): in force when made (final), 10 days to
    // pay → 2026-12-25 (Fri); 2 years on falls in 2028, whose schedule is not entered: the day is not guessed
    const enforcement = c.deadlines.find((x: { kind: string }) => x.kind === 'enforcement_application');
    expect(enforcement).toMatchObject({ start: '2026-12-25', due: null, notBefore: '2028-12-25' });
    expect(c.events.find((e: { kind: string; toStage: string }) => e.kind === 'transition' && e.toStage === 'awarded').detail).toMatchObject({ performanceDays: 10 });
    const back = await t.as('inspector', { method: 'POST', url: `/api/v1/cases/${caseId}/transition`, payload: { to: 'mediation', on: '2026-12-16', reason: '回到调解' } });
    expect(back.statusCode).toBe(409);
  });

  it('enforcement: applied, accepted, part paid to a worker with the bank reference — agreed versus paid tracked', async () => {
    const res = await t.as('supervisor', { method: 'POST', url: `/api/v1/cases/${caseId}/transition`, payload: { to: 'enforcement', on: '2026-12-21', reason: '终局裁决作出后用人单位未履行，申请强制执行' } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await t.as('inspector', { method: 'POST', url: `/api/v1/cases/${caseId}/accept`, payload: { on: '2026-12-22', reason: '法院执行立案' } })).statusCode).toBe(200);
    const paid = await t.as('inspector', { method: 'POST', url: `/api/v1/cases/${caseId}/payments`, payload: { amount: '1000.00', on: '2026-12-28', reason: '执行划扣后支付至工人本人账户', bankRef: 'ZX20261228001' } });
    expect(paid.statusCode, paid.body).toBe(200);
    const c = paid.json();
    expect(c.stage).toBe('enforcement');
    expect(c.amounts.paidToWorkers).toBe('1000.00');
    expect(c.amounts.outstandingAgainstAgreed).toBe(formatYuan((yuan(agreed) - 100_000) as Fen));
    expect(c.events.map((e: { kind: string; toStage: string | null }) => `${e.kind}:${e.toStage ?? ''}`)).toEqual([
      'intake:intake',
      'transition:arbitration',
      'accept:arbitration',
      'transition:awarded',
      'agree:',
      'transition:enforcement',
      'accept:enforcement',
      'pay:',
    ]);
    for (const e of c.events) expect(e.actor).toMatch(/-user$/);
  });

  it('every step is in the audit log with actor and reason', async () => {
    const res = await t.as('supervisor', { url: `/api/v1/audit?entity=wage_case&entityId=${caseId}&pageSize=200` });
    expect(res.statusCode).toBe(200);
    const rows = res.json().items as { action: string; actor: string; reason: string | null }[];
    const actions = rows.map((r) => r.action).sort();
    expect(actions).toEqual(['case_accept', 'case_accept', 'case_agree', 'case_intake', 'case_payment', 'case_transition', 'case_transition', 'case_transition'].sort());
    for (const r of rows) {
      expect(r.actor).toMatch(/^(inspector|supervisor)-user$/);
      expect(r.reason).toBeTruthy();
    }
  });

  it('the evidence pack\'s figures match the ledger; identity numbers masked, whole only in a supervisor\'s full view', async () => {
    const res = await t.as('inspector', { url: `/api/v1/cases/${caseId}/evidence-pack?asOf=2026-11-28` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`case-${caseId}-evidence-2026-11-28.json`);
    expect(res.body).not.toMatch(ID18);
    const full = await t.as('supervisor', { url: `/api/v1/cases/${caseId}/evidence-pack?asOf=2026-11-28`, headers: { 'x-full-view': '1', 'x-full-view-reason': encodeURIComponent('仲裁委调取') } });
    expect(full.body).toMatch(ID18);
    // the printable HTML pack in full view is a personal-data view too, audited with its reason (issue 15, finding 7)
    const views = () => t.store.sql.all<{ reason: string | null; detail: unknown }>("SELECT reason, detail FROM audit_log WHERE action = 'view_personal_data' ORDER BY id");
    const before = (await views()).length;
    const fullHtml = await t.as('supervisor', { url: `/api/v1/cases/${caseId}/evidence-pack?asOf=2026-11-28&format=html`, headers: { 'x-full-view': '1', 'x-full-view-reason': encodeURIComponent('法院调取 (2026)冀0503民初1号') } });
    expect(fullHtml.statusCode).toBe(200);
    expect(fullHtml.body).toMatch(ID18);
    const viewed = await views();
    expect(viewed).toHaveLength(before + 1);
    expect(viewed.at(-1)!.reason).toBe('法院调取 (2026)冀0503民初1号');
    expect(jsonColumn(viewed.at(-1)!.detail)).toMatchObject({ format: 'html', case: caseId });
    const packRow = await t.store.sql.get<{ reason: string }>("SELECT reason FROM audit_log WHERE action = 'case_evidence_pack' ORDER BY id DESC LIMIT 1");
    expect(packRow!.reason).toBe('法院调取 (2026)冀0503民初1号');
    // the masked HTML pack has no whole number, also none glued to letters or digits
    const maskedHtml = await t.as('inspector', { url: `/api/v1/cases/${caseId}/evidence-pack?asOf=2026-11-28&format=html` });
    expect(maskedHtml.body).not.toMatch(/\d{17}[\dX]/);
    const pack = full.json();
    // the rules core's ledger for the same day
    const project = (await cityFacts(t.store, [projectId])).projects[0]!;
    const ledger = workerMonthLedger(project, '2026-11-28' as IsoDate);
    let arrears = 0;
    let doubleWages = 0;
    for (const w of pack.workers) {
      for (const m of w.months) {
        const line = ledger.find((l) => l.idNumber === w.idNumber && l.month === m.month)!;
        expect(m.ledger.arrears).toBe(formatYuan(line.arrears));
        expect(m.ledger.netDue).toBe(formatYuan(line.netDue!));
        expect(m.ledger.paid).toBe(formatYuan(line.paid));
        expect(m.ledger.status).toBe('unpaid');
        expect(m.payrollRows.map((r: { net: string }) => r.net)).toEqual([formatYuan(line.netDue!)]);
        expect(m.flags.map((f: { code: string }) => f.code)).toContain('WAGE_UNPAID');
        expect(m.flags[0].legalBasis.article).toBeTruthy();
        arrears += line.arrears;
      }
      expect(w.roster.length).toBeGreaterThan(0);
      // 二倍工资 beside each roster line without a written contract: the rules core's claim for the same day
      for (const r of w.roster) {
        const entry = project.roster.find((e) => e.idNumber === w.idNumber && e.entryDate === r.entryDate)!;
        const claim = doubleWageClaim(entry, project.payroll, '2026-11-28' as IsoDate, DEFAULT_PARAMS);
        if (claim === null) expect(r.doubleWage).toBeNull();
        else {
          doubleWages++;
          expect(r.doubleWage.total).toBe(formatYuan(claim.total));
          expect(r.doubleWage.from).toBe(claim.from);
        }
      }
    }
    expect(doubleWages).toBe(0); // the demo case's workers all signed; the last test unsigns one
    expect(pack.totals.arrears).toBe(formatYuan(arrears as Fen));
    expect(pack.totals.claimed).toBe(agreed);
    // and the same figures as the API's ledger page
    const page = await t.as('supervisor', { url: '/api/v1/projects/XT-2026-003/ledger/2026-10?asOf=2026-11-28&pageSize=200', headers: { 'x-full-view': '1', 'x-full-view-reason': 'check' } });
    const byId = new Map(page.json().items.map((i: { idNumber: string; arrears: string }) => [i.idNumber, i.arrears]));
    for (const w of pack.workers) expect(w.months[0].ledger.arrears).toBe(byId.get(w.idNumber));
    // printable HTML, masked
    const html = await t.as('inspector', { url: `/api/v1/cases/${caseId}/evidence-pack?asOf=2026-11-28&format=html` });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('证据材料');
    expect(html.body).not.toMatch(ID18);
  });

  it('二倍工资: a claimant whose roster line says no written contract gets the double-wage claim beside it in the pack (JSON and HTML)', async () => {
    const pack = await buildEvidencePack(t.app.store, caseId, '2026-11-28' as IsoDate);
    const w = pack.workers[0]!;
    // the roster line as imported says signed; the officer's correction says not (the row, as a correction would leave it)
    const was = (await t.store.sql.get<{ e: string }>('SELECT entry_date AS e FROM roster_entries WHERE id_number = ? AND project_id = ?', [w.idNumber, projectId]))!;
    // entered 2026-08-01 without a contract: the claim runs from 2026-09-01, and October (on the wage table) is over on 11-28
    await t.store.sql.run("UPDATE roster_entries SET contract_signed = ?, entry_date = '2026-08-01' WHERE id_number = ? AND project_id = ?", [false, w.idNumber, projectId]);
    // a writer of facts bumps the project's facts version (the importer does): the pack then reads the rows
    await t.app.store.facts.bump([projectId]);
    const after = await buildEvidencePack(t.app.store, caseId, '2026-11-28' as IsoDate);
    const line = after.workers.find((x) => x.idNumber === w.idNumber)!.roster[0] as { entryDate: string; doubleWage: { from: string; total: string; months: { month: string }[] } };
    const facts = (await cityFacts(t.store, [projectId])).projects[0]!;
    const entry = facts.roster.find((e) => e.idNumber === w.idNumber)!;
    const claim = doubleWageClaim(entry, facts.payroll, '2026-11-28' as IsoDate, DEFAULT_PARAMS)!;
    expect(claim.from).toBe('2026-09-01');
    expect(claim.total).toBeGreaterThan(0);
    expect(line.doubleWage.total).toBe(formatYuan(claim.total));
    expect(line.doubleWage.months.map((m) => m.month)).toEqual(claim.months.map((m) => m.month));
    await t.store.sql.run('UPDATE roster_entries SET contract_signed = ?, entry_date = ? WHERE id_number = ? AND project_id = ?', [true, was.e, w.idNumber, projectId]);
    await t.app.store.facts.bump([projectId]);
    expect(renderEvidencePackHtml(after, false)).toContain(`未订立书面劳动合同二倍工资（项目XT-2026-003，《劳动合同法》第八十二条）：自${claim.from}起`);
  });

  it('工资退回: a payment the bank returned shows in the pack with its return day and is not in the paid figure', async () => {
    const before = await buildEvidencePack(t.app.store, caseId, '2026-11-28' as IsoDate);
    const w = before.workers[0]!;
    const m0 = w.months[0] as { month: string; ledger: { paid: string; arrears: string } };
    const batch = (await t.store.sql.get<{ b: number }>('SELECT max(id) AS b FROM import_batches'))!.b;
    const ins = (await t.store.sql.get<{ id: number }>(
      `INSERT INTO payments (project_id, month, id_number, payee_name, payee_card, amount_fen, paid_on, channel, bank_ref, natural_key, batch_id, line, returned_on, return_reason)
       VALUES (?, ?, ?, ?, '6222028178449399183', 100000, '2026-11-20', 'other_transfer', 'RET-TEST-1', 'RET-TEST-1', ?, 99, '2026-11-25', '户名不符') RETURNING id`,
      [projectId, m0.month, w.idNumber, w.name, batch],
    ))!;
    await t.app.store.facts.bump([projectId]);
    try {
      const after = await buildEvidencePack(t.app.store, caseId, '2026-11-28' as IsoDate);
      const m = after.workers.find((x) => x.idNumber === w.idNumber)!.months[0] as { ledger: { paid: string; arrears: string }; payments: { bankRef: string; returnedOn: string | null }[] };
      expect(m.payments.find((p) => p.bankRef === 'RET-TEST-1')!.returnedOn).toBe('2026-11-25');
      expect(m.ledger.paid).toBe(m0.ledger.paid); // returned on 11-25: not paid on 11-28
      expect(m.ledger.arrears).toBe(m0.ledger.arrears);
      expect(renderEvidencePackHtml(after, false)).toContain('RET-TEST-1（2026-11-25被银行退回，不计已付）');
      // the day before it came back, it counts
      const earlier = await buildEvidencePack(t.app.store, caseId, '2026-11-24' as IsoDate);
      const e = earlier.workers.find((x) => x.idNumber === w.idNumber)!.months[0] as { payments: { bankRef: string; returnedOn: string | null }[] };
      expect(e.payments.find((p) => p.bankRef === 'RET-TEST-1')!.returnedOn).toBeNull();
    } finally {
      await t.store.sql.run('DELETE FROM payments WHERE id = ?', [ins.id]);
      await t.app.store.facts.bump([projectId]);
    }
  });

  it('closing after payment in full is allowed from enforcement; then nothing more', async () => {
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/cases/${caseId}/transition`, payload: { to: 'closed', on: '2026-12-30', reason: '执行完毕' } });
    expect(res.statusCode).toBe(200);
    const again = await t.as('inspector', { method: 'POST', url: `/api/v1/cases/${caseId}/transition`, payload: { to: 'enforcement', on: '2026-12-31', reason: '重开' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已终结');
  });
});

describe('an order to pay, expired unpaid, and the listing it opens', () => {
  let orderId = 0;
  let listingId = 0;

  it('an inspector orders payment of the flagged worker-months by 2026-12-04', async () => {
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/orders', payload: { findingIds: unpaidFlagIds, issuedOn: '2026-11-28', deadline: '2026-12-04', reason: '责令限期支付10月工资' } });
    expect(res.statusCode, res.body).toBe(201);
    orderId = res.json().id;
    expect(res.json().evaluation.status).toBe('running');
  });

  it('read on 2026-12-07 it has expired unpaid and proposes deposit use, 50–100% compensation, and no referral (one month owed, 4 workers)', async () => {
    const res = await t.as('viewer', { url: `/api/v1/orders/${orderId}?asOf=2026-12-07` });
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json().evaluation;
    expect(e.status).toBe('expired_unpaid');
    const by = Object.fromEntries(e.proposals.map((p: { step: string }) => [p.step, p]));
    const owed = yuan(e.owed);
    // the project holds a 300,000.00 cash deposit, more than what is owed
    expect(by.use_deposit.amount).toBe(e.owed);
    expect(by.additional_compensation.range).toEqual({ low: formatYuan(Math.round(owed / 2) as Fen), high: e.owed });
    expect(by.criminal_referral.proposed).toBe(false);
    expect(by.blacklist.proposed).toBe(false);
    expect((await ordersPastDue(await judgeOf(t.app.store), '2026-12-07' as IsoDate)).map((o) => o.orderId)).toEqual([orderId]);
    expect(await ordersPastDue(await judgeOf(t.app.store), '2026-12-04' as IsoDate)).toEqual([]);
  });

  it('listing is refused without a criterion, and opened once an inspector records a group incident', async () => {
    const no = await t.as('inspector', { method: 'POST', url: '/api/v1/blacklist', payload: { orderId, on: '2026-12-07', reason: '逾期未付' } });
    expect(no.statusCode).toBe(422);
    expect(no.json().error.message).toContain('第五条');
    const order = (await t.as('inspector', { url: `/api/v1/orders/${orderId}` })).json();
    const inc = await t.as('inspector', { method: 'POST', url: '/api/v1/blacklist/incidents', payload: { employerUscc: order.employerUscc, projectId, kind: 'group', occurredOn: '2026-12-06', description: '十余名工人聚集讨薪，堵塞道路' } });
    expect(inc.statusCode, inc.body).toBe(201);
    const yes = await t.as('inspector', {
      method: 'POST',
      url: '/api/v1/blacklist',
      payload: { orderId, on: '2026-12-07', reason: '逾期未付并引发群体性事件', persons: [{ role: 'legal_representative', name: '赵某' }] },
    });
    expect(yes.statusCode, yes.body).toBe(201);
    listingId = yes.json().id;
    expect(yes.json().criterion).toBe('incident');
  });

  it('notice, then no decision inside the statement window; the inspector may not decide; the supervisor lists after it', async () => {
    // the city is evaluated for 2026-12-17 before the decision: the listing must make the next night
    // re-evaluate the contractor's projects (a listing bumps the facts version of every project of the unit)
    await recomputeCity('2026-12-17' as IsoDate);
    expect((await t.as('viewer', { url: '/api/v1/flags?code=BLACKLISTED_PARTY&asOf=2026-12-17' })).json().items).toEqual([]);
    const n = await t.as('inspector', { method: 'POST', url: `/api/v1/blacklist/${listingId}/notice`, payload: { on: '2026-12-08', reason: '送达列入告知书' } });
    expect(n.statusCode, n.body).toBe(200);
    expect(n.json().clock.statementWindow.due).toBe('2026-12-15');
    expect((await t.as('inspector', { method: 'POST', url: `/api/v1/blacklist/${listingId}/decision`, payload: { on: '2026-12-16', reason: 'x', approve: true } })).statusCode).toBe(403);
    const early = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/decision`, payload: { on: '2026-12-15', reason: '决定列入', approve: true } });
    expect(early.statusCode).toBe(422);
    expect(early.json().error.message).toContain('陈述申辩期');
    const ok = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/decision`, payload: { on: '2026-12-16', reason: '期满未申辩，决定列入', approve: true } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'listed', listedFrom: '2026-12-16', listedUntilExclusive: '2029-12-17' });
    expect((await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/publish`, payload: { on: '2026-12-17', reason: '在门户网站公布' } })).statusCode).toBe(200);
  });

  it('the listing feeds BLACKLISTED_PARTY on the contractor\'s projects and shows in the changes', async () => {
    await recomputeCity('2026-12-17' as IsoDate);
    const res = await t.as('viewer', { url: '/api/v1/flags?code=BLACKLISTED_PARTY&asOf=2026-12-17' });
    const codes = res.json().items.map((f: { project: { code: string } }) => f.project.code);
    expect(codes).toContain('XT-2026-003');
    expect((await blacklistChanges(t.app.store, '2026-12-01' as IsoDate, '2026-12-31' as IsoDate)).map((c) => [c.listingId, c.change, c.on])).toEqual([
      [listingId, 'listed', '2026-12-16'],
      [listingId, 'published', '2026-12-17'],
    ]);
    expect((await blacklistChanges(t.app.store, '2029-12-01' as IsoDate, '2029-12-31' as IsoDate)).map((c) => c.change)).toEqual(['expired']);
    const steps = (await t.as('viewer', { url: `/api/v1/blacklist/${listingId}` })).json().steps.map((s: { step: string; actor: string }) => `${s.step}:${s.actor}`);
    expect(steps).toEqual(['propose:inspector-user', 'notice:inspector-user', 'decision:supervisor-user', 'publish:supervisor-user']);
  });

  it('the nightly report for 2026-12-17 lists the order past its date and the publication since the day before, in JSON, CSV and HTML', async () => {
    // First report in this database: blacklist changes cover (2026-12-16, 2026-12-17], so the decision of the
    // 16th is not in it and the publication of the 17th is. The order (deadline 2026-12-04) is still unpaid:
    // 13 days past. The case of the first part was closed, so no case is past a deadline.
    const computed = await onStore(t.dbPath, (s) => computeReport(s, '2026-12-17' as IsoDate));
    try {
      const r = computed.report;
      expect(r.ordersPastDue.map((o) => [o.orderId, o.deadline, o.daysPast])).toEqual([[orderId, '2026-12-04', 13]]);
      expect(r.ordersPastDue[0]!.owed).toBe((await ordersPastDue(await judgeOf(t.app.store), '2026-12-17' as IsoDate))[0]!.owed);
      expect(r.blacklistChanges.map((c) => [c.listingId, c.change, c.on])).toEqual([[listingId, 'published', '2026-12-17']]);
      expect(r.casesPastDeadline).toEqual(await casesPastDeadline(await judgeOf(t.app.store), '2026-12-17' as IsoDate));
      const csv = renderCsv(r);
      expect(csv.find((f) => f.name === '11_orders_past_due.csv')!.content).toContain('2026-12-04');
      expect(csv.find((f) => f.name === '12_blacklist_changes.csv')!.content).toContain('published');
      const html = renderHtml(r);
      expect(html).toContain('逾期未履行的责令限期支付');
      expect(html).toContain('公开');
      expect(computed.json).not.toMatch(/(?<!\d)\d{17}[\dX](?!\d)/);
    } finally {
      // nothing to discard: computing a report writes nothing
    }
  });

  it('early removal: corrected with a pledge on 2026-12-20, so the 6 months end 2027-06-20 and removal is possible from 2027-06-21; decided and removed by the supervisor; the facts end the listing that day', async () => {
    const fix = await t.as('inspector', { method: 'POST', url: `/api/v1/blacklist/${listingId}/correction`, payload: { on: '2026-12-20', reason: '已全部支付并作出书面信用承诺', pledge: true } });
    expect(fix.statusCode, fix.body).toBe(200);
    expect(fix.json().clock.earlyRemoval).toMatchObject({ eligible: false, earliestOn: '2027-06-21' });
    const apply = await t.as('inspector', { method: 'POST', url: `/api/v1/blacklist/${listingId}/removal-application`, payload: { on: '2027-06-15', reason: '单位申请信用修复' } });
    expect(apply.statusCode, apply.body).toBe(200);
    // 15 working days from 2027-06-15: 2027 has no holiday schedule yet, so the day is not guessed
    expect(apply.json().clock.earlyRemoval.decisionDue.due).toBeNull();
    const tooEarly = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/removal-decision`, payload: { on: '2027-06-16', reason: '同意', approve: true } });
    expect(tooEarly.statusCode).toBe(422);
    expect(tooEarly.json().error.message).toContain('2027-06-21起方可申请');
    const ok = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/removal-decision`, payload: { on: '2027-06-22', reason: '符合提前移出条件', approve: true } });
    expect(ok.statusCode, ok.body).toBe(200);
    const removed = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/removal`, payload: { on: '2027-06-25', reason: '移出并停止公示' } });
    expect(removed.json()).toMatchObject({ status: 'removed', listedFrom: '2026-12-16', listedUntilExclusive: '2027-06-25' });
    expect((await cityFacts(t.store)).blacklist!.map((b) => [b.from, b.to])).toEqual([['2026-12-16', '2027-06-25']]);
    expect((await blacklistChanges(t.app.store, '2027-06-01' as IsoDate, '2027-06-30' as IsoDate)).map((c) => c.change)).toEqual(['removed']);
    expect((await blacklistChanges(t.app.store, '2029-12-01' as IsoDate, '2029-12-31' as IsoDate))).toEqual([]);
    const after = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/publish`, payload: { on: '2027-06-26', reason: '再次公布' } });
    expect(after.statusCode).toBe(409);
  });

  it('名单办法 第七条 is discretion: corrected with a pledge before the decision, the engine recommends not listing; the supervisor may still list, and the step records the recommendation and the reason', async () => {
    // the earlier listing is closed (removed), so the same expired order (group incident recorded) may open a
    // second procedure; its steps are dated in December 2026, where the holiday schedule is known
    const again = await t.as('inspector', { method: 'POST', url: '/api/v1/blacklist', payload: { orderId, on: '2026-12-21', reason: '逾期未付' } });
    expect(again.statusCode, again.body).toBe(201);
    const id = again.json().id;
    expect((await t.as('inspector', { method: 'POST', url: `/api/v1/blacklist/${id}/notice`, payload: { on: '2026-12-21', reason: '送达列入告知书' } })).statusCode).toBe(200);
    expect((await t.as('inspector', { method: 'POST', url: `/api/v1/blacklist/${id}/statement`, payload: { on: '2026-12-22', reason: '单位陈述已付清', objection: false } })).statusCode).toBe(200);
    const fix = await t.as('inspector', { method: 'POST', url: `/api/v1/blacklist/${id}/correction`, payload: { on: '2026-12-23', reason: '已全部支付并作出书面信用承诺', pledge: true } });
    expect(fix.statusCode, fix.body).toBe(200);
    expect(fix.json().clock.recommendation).toMatchObject({ recommend: 'may_not_list', basis: { article: '第七条' } });
    // the blacklist page shows the engine's recommendation on an undecided procedure (read as of today, 2026-11-28,
    // before the correction's date: so it recommends listing, 第五条)
    const pageHtml = (await t.app.inject({ url: '/blacklist', headers: { cookie: `huxin_session=${t.sessions.viewer}` } })).body;
    const card = pageHtml.slice(pageHtml.indexOf(`id="listing-${id}"`));
    expect(card.slice(0, card.indexOf('</article>'))).toMatch(/data-testid="recommendation">列入（名单办法第五条）/);
    // no 422: the supervisor lists against the recommendation, with a reason
    const listed = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${id}/decision`, payload: { on: '2026-12-24', reason: '群体性事件影响恶劣，不采纳不予列入的建议', approve: true } });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().status).toBe('listed');
    const decision = listed.json().steps.find((x: { step: string }) => x.step === 'decision');
    expect(decision.reason).toBe('群体性事件影响恶劣，不采纳不予列入的建议');
    expect(decision.detail).toMatchObject({ decision: 'listed', followsRecommendation: false, recommendation: { recommend: 'may_not_list' } });
  });

  it('名单办法 第十五条: a removal obtained by fraud is revoked, the listing restored and its term counted again from the restoration; audited, the unit\'s projects get a new facts version', async () => {
    // the first listing (decided 2026-12-16) was removed early on 2027-06-25
    const version = async () => Number((await t.store.sql.get<{ v: number }>("SELECT v.facts_version AS v FROM project_versions v JOIN projects p ON p.id = v.project_id WHERE p.code = 'XT-2026-003'"))?.v ?? 0);
    const before = await version();
    expect((await t.as('inspector', { method: 'POST', url: `/api/v1/blacklist/${listingId}/restore`, payload: { on: '2027-08-02', reason: '信用修复材料系伪造' } })).statusCode).toBe(403);
    const tooEarly = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/restore`, payload: { on: '2027-06-20', reason: '信用修复材料系伪造' } });
    expect(tooEarly.statusCode).toBe(422);
    expect(tooEarly.json().error.message).toContain('不能早于移出日期2027-06-25');
    const ok = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/restore`, payload: { on: '2027-08-02', reason: '提前移出所附已付清证明系伪造，撤销移出决定' } });
    expect(ok.statusCode, ok.body).toBe(200);
    // restored 2027-08-02: the term runs 2027-08-03 … 2030-08-02 (民法典 第二百零一、二百零二条), off on 2030-08-03;
    // the revoked removal is void, so the listing runs from the first decision without a gap
    expect(ok.json()).toMatchObject({ status: 'listed', listedFrom: '2026-12-16', listedUntilExclusive: '2030-08-03' });
    const step = ok.json().steps.find((x: { step: string }) => x.step === 'restore');
    expect(step).toMatchObject({ actor: 'supervisor-user', reason: '提前移出所附已付清证明系伪造，撤销移出决定', detail: { revokedRemovalOn: '2027-06-25', termEndsOn: '2030-08-03', basis: { article: '第十五条' } } });
    const audited = await t.store.sql.all("SELECT actor, reason FROM audit_log WHERE action = 'blacklist_restore' AND entity_id = ?", [String(listingId)]);
    expect(audited).toEqual([{ actor: 'supervisor-user', reason: '提前移出所附已付清证明系伪造，撤销移出决定' }]);
    expect(await version()).toBe(before + 1);
    const first = (await cityFacts(t.store)).blacklist!.find((b) => b.ref!.id === listingId)!;
    expect([first.from, first.to]).toEqual(['2026-12-16', '2030-08-03']);
    expect((await blacklistChanges(t.app.store, '2027-08-01' as IsoDate, '2027-08-31' as IsoDate)).map((c) => [c.listingId, c.change])).toEqual([[listingId, 'restored']]);
    expect((await blacklistChanges(t.app.store, '2030-08-01' as IsoDate, '2030-08-31' as IsoDate)).map((c) => [c.listingId, c.change, c.on])).toEqual([[listingId, 'expired', '2030-08-03']]);
    // a listing that was not removed cannot be restored
    const again = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/restore`, payload: { on: '2027-08-03', reason: '再次恢复' } });
    expect(again.statusCode).toBe(422);
  });

  it('名单办法 第十六条: the payment order annulled — the listing is revoked and void: no listing in the facts, no expiry; audited; a revoked procedure takes no more steps', async () => {
    const noGround = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/revoke`, payload: { on: '2027-09-01', reason: '行政复议撤销责令支付决定' } });
    expect(noGround.statusCode).toBe(400);
    const ok = await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/revoke`, payload: { on: '2027-09-01', reason: '复议机关撤销责令限期支付决定（冀人社复〔2027〕12号）', ground: 'annulled' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'revoked', onListAt: false, listedFrom: null, listedUntilExclusive: null });
    expect(ok.json().steps.find((x: { step: string }) => x.step === 'revoke').detail).toMatchObject({ ground: 'annulled', previousStatus: 'listed', basis: { article: '第十六条' } });
    expect(countOf(await t.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'blacklist_revoke' AND entity_id = ?", [String(listingId)]))).toBe(1);
    expect((await cityFacts(t.store)).blacklist!.some((b) => b.ref!.id === listingId)).toBe(false);
    expect((await blacklistChanges(t.app.store, '2027-08-31' as IsoDate, '2027-09-30' as IsoDate)).map((c) => [c.listingId, c.change])).toEqual([[listingId, 'revoked']]);
    expect((await blacklistChanges(t.app.store, '2030-08-01' as IsoDate, '2030-08-31' as IsoDate)).filter((c) => c.listingId === listingId)).toEqual([]);
    expect((await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/publish`, payload: { on: '2027-09-02', reason: '公布' } })).statusCode).toBe(409);
    expect((await t.as('supervisor', { method: 'POST', url: `/api/v1/blacklist/${listingId}/restore`, payload: { on: '2027-09-02', reason: '恢复' } })).statusCode).toBe(409);
  });

});
