/**
 * 预警整改闭环 through the API on the demo city, with real imports and real nights: a warning is assigned to an
 * inspector with a deadline of 5 working days (the official calendar), is overdue when the next evaluated
 * facts still show it, cannot be closed while they do, is verified when the wages are paid (imported and
 * evaluated), is closed (销号) with reason and evidence, and reopens by itself when the payments come back
 * returned. Every step is in warning_steps and in the audit log; the dashboard lists the overdue one.
 *
 * Dates by hand: assigned Mon 2026-11-30 + 5 working days → 12-01, 02, 03, 04, 07 → 2026-12-07; the night of
 * Tue 12-08 still shows the arrears → overdue 1 day; reopened on Sat 12-12 → 14, 15, 16, 17, 18 → 2026-12-18.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { formatYuan, type Fen } from '../../src/domain/money.ts';
import { importFile } from '../../src/imports/service.ts';
import type { ImportKind } from '../../src/imports/types.ts';
import { recompute } from '../../src/services/recompute.ts';
import { paramsOfStore } from '../../src/services/params.ts';
import { computeReport } from '../../src/reports/generate.ts';
import { reportFromState } from '../../src/reports/fromState.ts';
import { renderHtml } from '../../src/reports/html.ts';
import { renderCsv } from '../../src/reports/csv.ts';
import { makeApp, NOW, type TestApp } from '../api/helpers.ts';
import { onStore } from '../support/storeOn.ts';
import { countOf } from '../support/toEngine.ts';

const DEMO = join(import.meta.dirname, '../../fixtures/demo');
const KEY = 'p3-WAGE_ARREARS-2026-10';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ seed: false });
  for (const kind of ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits'] as ImportKind[]) {
    await importFile(t.app.store, { kind, fileName: `${kind}.csv`, source: { path: join(DEMO, `${kind}.csv`) }, actor: 'test', now: NOW });
  }
  await recomputeCity('2026-11-28' as IsoDate);
}, 120_000);
afterAll(() => t.close());

/** the night of `asOf`, run beside the server on its own connection (as the scheduled job does) */
const recomputeCity = (asOf: IsoDate) => onStore(t.dbPath, (s) => recompute(s, asOf, NOW));

const rect = async () => {
  const res = await t.as('viewer', { url: `/api/v1/warnings/${KEY}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().rectification;
};

/** The payments of the 7 workers' October arrears, paid on `paidOn` (returned on `returnedOn`, if given). */
let owed: { id_number: string; amount_fen: number; name: string; bank_card: string }[] = [];
async function paymentsCsv(paidOn: string, returnedOn?: string): Promise<Buffer> {
  if (owed.length === 0) {
    owed = await t.store.sql.all<(typeof owed)[number]>(
      `SELECT f.id_number, f.amount_fen, r.name, r.bank_card FROM finding_versions f
         JOIN roster_entries r ON r.project_id = f.project_id AND r.id_number = f.id_number
        WHERE f.project_id = 3 AND f.month = '2026-10' AND f.valid_to IS NULL AND f.code IN ('WAGE_UNPAID', 'WAGE_PARTIAL') ORDER BY f.id`,
    );
  }
  const rows = owed;
  expect(rows.length).toBe(7);
  const head = '项目编号,工资月份,身份证号,收款人姓名,收款卡号,发放金额,发放日期,发放方式,银行流水号,退回日期,退回原因';
  const lines = rows.map(
    (r, i) => `XT-2026-003,2026-10,${r.id_number},${r.name},${r.bank_card},${formatYuan(r.amount_fen as Fen)},${paidOn},专户代发,ZG2026120900${i + 1},${returnedOn ?? ''},${returnedOn ? '户名不符' : ''}`,
  );
  return Buffer.from(`${head}\n${lines.join('\n')}\n`, 'utf8');
}

describe('the closing loop of a warning', () => {
  it('assigned to an inspector with a deadline in working days (the calendar), audited, and the inspector told', async () => {
    await t.app.store.notices.setInspectorContact('赵监察', 'zhao@rsj.example.cn', null, NOW);
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/assign`, payload: { assignee: '赵监察', workingDays: 5, reason: '责令总包单位五个工作日内整改', on: '2026-11-30' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ key: KEY, status: 'open', state: 'rectifying', stateName: '整改中', assignee: '赵监察', assignedOn: '2026-11-30', deadline: '2026-12-07', overdueDays: 0 });
    const list = (await t.as('viewer', { url: '/api/v1/warnings?pageSize=1' })).json();
    expect(list.items[0].rectification).toMatchObject({ state: 'rectifying', assignee: '赵监察', deadline: '2026-12-07' });
    const audit = await t.store.sql.all("SELECT actor, entity_id, reason FROM audit_log WHERE action = 'warning_assign'");
    expect(audit).toEqual([{ actor: 'inspector-user', entity_id: KEY, reason: '责令总包单位五个工作日内整改' }]);
    // 通知: the 'assigned to you' notice, to the inspector's address on record, with the deadline
    const notices = await t.store.sql.all<{
      recipient_role: string; channel: string; address: string; body: string; warning_ref: string; state: string;
    }>("SELECT recipient_role, channel, address, body, warning_ref, state FROM notices WHERE template = 'WARNING_ASSIGNED'");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ recipient_role: 'inspector', channel: 'email', address: 'zhao@rsj.example.cn', warning_ref: KEY, state: 'pending' });
    expect(notices[0]!.body).toContain('整改期限：2026年12月7日');
  });

  it('bad input is 4xx JSON in Chinese', async () => {
    const zero = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/assign`, payload: { assignee: '赵监察', workingDays: 0, reason: 'x' } });
    expect(zero.statusCode).toBe(400);
    const gone = await t.as('inspector', { method: 'POST', url: '/api/v1/warnings/p3-BLACKLISTED_PARTY/assign', payload: { assignee: '赵监察', workingDays: 5, reason: 'x' } });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toContain('不存在');
  });

  it('the next facts still show the arrears: overdue, on the list of overdue rectifications and the dashboard; 销号 refused', async () => {
    await recomputeCity('2026-12-08' as IsoDate);
    expect(await rect()).toMatchObject({ state: 'overdue', overdueDays: 1, present: true, asOf: '2026-12-08' });
    const overdue = (await t.as('viewer', { url: '/api/v1/warnings/rectifications?state=overdue' })).json();
    expect(overdue.items.map((r: { key: string }) => r.key)).toEqual([KEY]);
    expect(overdue.items[0].project).toMatchObject({ code: 'XT-2026-003' });
    const dash = await t.app.inject({ url: '/', headers: { cookie: `huxin_session=${t.sessions.viewer}` } });
    expect(dash.body).toContain('data-testid="overdue-rectifications"');
    expect(dash.body).toContain(`href="/warnings/${KEY}"`);
    // and in the nightly report of that day (JSON, HTML, CSV): from the stored state, as the oracle computes it
    const params = await paramsOfStore(t.app.store);
    const stored = await reportFromState(t.app.store, '2026-12-08' as IsoDate, params);
    const oracle = await onStore(t.dbPath, (s) => computeReport(s, '2026-12-08' as IsoDate, params));
    expect(stored.report.rectificationsOverdue).toEqual(oracle.report.rectificationsOverdue);
    expect(stored.report.rectificationsOverdue).toEqual([
      expect.objectContaining({ warningKey: KEY, projectCode: 'XT-2026-003', problemName: '拖欠工资', month: '2026-10', assignee: '赵监察', deadline: '2026-12-07', daysPast: 1 }),
    ]);
    expect(renderHtml(stored.report)).toContain('整改逾期的预警');
    const csv = renderCsv(stored.report).find((f) => f.name === '16_rectifications_overdue.csv')!;
    expect(csv.content).toContain(`${KEY},XT-2026-003`);
    // the day before the deadline passed it was not overdue
    expect((await onStore(t.dbPath, (s) => computeReport(s, '2026-12-07' as IsoDate, params))).report.rectificationsOverdue).toEqual([]);
    const close = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/close`, payload: { reason: '已整改', evidence: '无', on: '2026-12-08' } });
    expect(close.statusCode).toBe(409);
    expect(close.json().error).toMatchObject({ code: 'NOT_VERIFIED' });
    expect(close.json().error.message).toContain('核验未通过');
  });

  it('the wages paid (imported, evaluated): verified; closed with reason and evidence, audited', async () => {
    const out = await importFile(t.app.store, { kind: 'payments', fileName: '补发.csv', source: { buffer: await paymentsCsv('2026-12-09') }, actor: 'clerk', now: NOW });
    expect(out.status, JSON.stringify(out)).not.toBe('rejected');
    await recomputeCity('2026-12-10' as IsoDate);
    // still listed (paid late: WAGE_LATE; an exit not confirmed by the worker), but nothing owed any more
    const w = (await t.as('viewer', { url: `/api/v1/warnings/${KEY}` })).json();
    expect(w.warning).toMatchObject({ arrears: '0.00', level: 'orange' });
    expect(await rect()).toMatchObject({ state: 'verified', stateName: '已整改待销号', present: false });
    const res = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/close`, payload: { reason: '欠付工资已全部补发到工人本人账户', evidence: '专户代发流水 ZG20261209001—ZG20261209007', on: '2026-12-10' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed', state: 'closed', closedOn: '2026-12-10', closedBy: 'inspector-user', closeEvidence: '专户代发流水 ZG20261209001—ZG20261209007' });
    expect(countOf(await t.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'warning_close' AND entity_id = ?", [KEY]))).toBe(1);
    const again = await t.as('inspector', { method: 'POST', url: `/api/v1/warnings/${KEY}/close`, payload: { reason: '再销号', evidence: '无', on: '2026-12-10' } });
    expect(again.statusCode).toBe(409);
  });

  it('the payments come back returned: the night reopens the warning with a new deadline, audited as the system', async () => {
    const out = await importFile(t.app.store, { kind: 'payments', fileName: '退回.csv', source: { buffer: await paymentsCsv('2026-12-09', '2026-12-11') }, actor: 'clerk', now: NOW });
    expect(out.status, JSON.stringify(out)).not.toBe('rejected');
    // recomputing an earlier day reopens nothing
    await recomputeCity('2026-12-09' as IsoDate);
    await recomputeCity('2026-12-12' as IsoDate);
    const r = await rect();
    expect(r).toMatchObject({ status: 'open', state: 'rectifying', reopenedOn: '2026-12-12', reopenCount: 1, deadline: '2026-12-18', present: true });
    expect(r.steps.map((s: { step: string }) => s.step)).toEqual(['assign', 'close', 'reopen']);
    const audit = await t.store.sql.all("SELECT actor, action FROM audit_log WHERE entity = 'warning' ORDER BY id");
    expect(audit).toEqual([
      { actor: 'inspector-user', action: 'warning_assign' },
      { actor: 'inspector-user', action: 'warning_close' },
      { actor: '系统（夜间重算）', action: 'warning_reopen' },
    ]);
    // a quiet night after it reopens nothing more
    await recomputeCity('2026-12-13' as IsoDate);
    expect((await rect()).reopenCount).toBe(1);
  });
});
