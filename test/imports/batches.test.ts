/**
 * What an import does to the database as a whole: idempotent re-imports, natural-key replacement with
 * history kept, the batch record and its audit row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASES, expectStatus, importBuffer, importCase, NOW, rows, tableCounts, tempDb, withBase, type TestDb } from './helpers.ts';

let t: TestDb;
beforeEach(async () => {
  t = await tempDb();
  await withBase(t.store);
});
afterEach(() => t.close());

describe('batches', () => {
  it('records who imported what, when, in which encoding, with a matching audit row', async () => {
    const batch = expectStatus(await importCase(t.store, 'payroll', 'payroll-gbk-title-total.csv'), 'imported').batch;
    expect(batch).toMatchObject({
      kind: 'payroll',
      fileName: 'payroll-gbk-title-total.csv',
      actor: 'test:clerk',
      importedAt: NOW,
      encoding: 'gb18030',
      rowCount: 4,
      inserted: 4,
      replaced: 0,
    });
    expect(batch.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await rows(t.store, 'SELECT DISTINCT batch_id FROM payroll_rows'))).toEqual([{ batch_id: batch.id }]);
    const audit = (await rows<{ actor: string; action: string; entity: string; entity_id: string; at: string; detail: string }>(
      t.store,
      "SELECT * FROM audit_log WHERE entity = 'import_batch' AND entity_id = ?",
      String(batch.id),
    ));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'test:clerk', action: 'import', at: NOW });
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ kind: 'payroll', rowCount: 4, inserted: 4, replaced: 0, sha256: batch.sha256 });
  });

  it('answers a re-import of the same bytes with the earlier batch and changes nothing', async () => {
    const first = expectStatus(await importCase(t.store, 'payroll', 'payroll-gbk-title-total.csv'), 'imported').batch;
    const before = (await tableCounts(t.store));
    // the same bytes as an upload with another name
    const again = await importBuffer(t.store, 'payroll', readFileSync(join(CASES, 'payroll-gbk-title-total.csv')), 'renamed.csv');
    expect(again).toEqual({ status: 'duplicate', batch: first });
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('imports the same bytes as another kind as a new batch (idempotency is per kind)', async () => {
    const text = readFileSync(join(CASES, 'payroll-bom.csv'));
    expectStatus(await importBuffer(t.store, 'payroll', text), 'imported');
    // as a payments file it lacks the required columns — but it is not answered as a duplicate
    expectStatus(await importBuffer(t.store, 'payments', text), 'rejected');
  });

  it('leaves no batch behind for a rejected file, so the corrected file imports normally', async () => {
    expectStatus(await importCase(t.store, 'payroll', 'payroll-broken.csv'), 'rejected');
    expect((await rows(t.store, "SELECT count(*) AS n FROM import_batches WHERE kind = 'payroll'"))).toEqual([{ n: 0 }]);
    expectStatus(await importCase(t.store, 'payroll', 'payroll-broken.csv'), 'rejected');
  });
});

describe('replacement by natural key', () => {
  it("replaces a project-month's whole wage table, keeping the old rows as history", async () => {
    const v1 = expectStatus(await importCase(t.store, 'payroll', 'payroll-2026-10-v1.csv'), 'imported').batch;
    const v2 = expectStatus(await importCase(t.store, 'payroll', 'payroll-2026-10-v2.csv'), 'imported').batch;
    expect(v2.inserted).toBe(3);
    expect(v2.replaced).toBe(4);
    expect(v2.replacedDetail).toEqual([{ projectCode: 'XT-T-001', month: '2026-10', rows: 4, batchIds: [v1.id] }]);
    const current = (await rows(
      t.store,
      `SELECT p.code, r.name, r.net_fen, r.batch_id FROM payroll_rows r JOIN projects p ON p.id = r.project_id
       WHERE r.superseded_by IS NULL ORDER BY p.code, r.line`,
    ));
    expect(current).toEqual([
      { code: 'XT-T-001', name: '王建军', net_fen: 750000, batch_id: v2.id },
      { code: 'XT-T-001', name: '李秀英', net_fen: 680000, batch_id: v2.id },
      { code: 'XT-T-001', name: '张伟', net_fen: 735000, batch_id: v2.id },
      // XT-T-002 is not in v2: its October table stays as v1 left it
      { code: 'XT-T-002', name: '王建军', net_fen: 140000, batch_id: v1.id },
      { code: 'XT-T-002', name: '周强', net_fen: 300000, batch_id: v1.id },
    ]);
    expect((await rows(t.store, 'SELECT name, superseded_by FROM payroll_rows WHERE superseded_by IS NOT NULL ORDER BY line'))).toEqual([
      { name: '王建军', superseded_by: v2.id },
      { name: '李秀英', superseded_by: v2.id },
      { name: '张伟', superseded_by: v2.id },
      { name: '赵国强', superseded_by: v2.id }, // dropped from the corrected table: no longer current
    ]);
  });

  it('replaces a roster entry with the same (project, id_number, entry_date) and adds a second stay', async () => {
    const v1 = (await rows<{ id: number }>(t.store, "SELECT id FROM import_batches WHERE kind = 'roster'"))[0]!;
    const v2 = expectStatus(await importCase(t.store, 'roster', 'roster-v2.csv'), 'imported').batch;
    expect(v2).toMatchObject({ rowCount: 3, inserted: 3, replaced: 1 });
    expect(v2.replacedDetail).toEqual([{ projectCode: 'XT-T-001', rows: 1, batchIds: [v1.id] }]);
    expect((await rows(t.store, "SELECT wage_rate_fen, exit_date, superseded_by FROM roster_entries WHERE name = '李秀英' ORDER BY id"))).toEqual([
      { wage_rate_fen: 680000, exit_date: null, superseded_by: v2.id },
      { wage_rate_fen: 700000, exit_date: '2026-11-15', superseded_by: null },
    ]);
    // W1 now has two current stays on XT-T-001 and one on XT-T-002
    expect((await rows(t.store, "SELECT entry_date FROM roster_entries WHERE name = '王建军' AND superseded_by IS NULL ORDER BY entry_date"))).toEqual([
      { entry_date: '2026-06-01' },
      { entry_date: '2026-09-01' },
      { entry_date: '2026-11-02' },
    ]);
  });

  it('replaces a payment with the same bank reference and keeps the others', async () => {
    const v1 = expectStatus(await importCase(t.store, 'payments', 'payments.csv'), 'imported').batch;
    const v2 = expectStatus(await importCase(t.store, 'payments', 'payments-v2.csv'), 'imported').batch;
    expect(v2).toMatchObject({ inserted: 2, replaced: 1 });
    expect(v2.replacedDetail).toEqual([{ projectCode: 'XT-T-001', rows: 1, batchIds: [v1.id] }]);
    expect((await rows(t.store, 'SELECT natural_key, amount_fen FROM payments WHERE superseded_by IS NULL AND bank_ref LIKE ? ORDER BY natural_key', '001%'))).toEqual([
      { natural_key: '00120261112000001', amount_fen: 750000 },
      { natural_key: '00120261112000002', amount_fen: 660000 },
      { natural_key: '00120261126000003', amount_fen: 400000 },
    ]);
    expect((await rows(t.store, 'SELECT count(*) AS n FROM payments'))).toEqual([{ n: 6 }]);
  });

  it('keys a cash payment by all its fields: the same cash row again replaces, a different one adds', async () => {
    const header = '项目编号,工资月份,身份证号,收款人姓名,发放金额,发放日期,发放方式\n';
    const id = ((await rows(t.store, "SELECT id_number FROM roster_entries WHERE name = '张伟'"))[0] as { id_number: string }).id_number;
    const cash = `XT-T-001,2026-10,${id},张伟,3000,2026-11-20,现金\n`;
    expectStatus(await importBuffer(t.store, 'payments', header + cash), 'imported');
    const again = expectStatus(await importBuffer(t.store, 'payments', `${header}${cash}XT-T-001,2026-10,${id},张伟,500,2026-11-21,现金\n`), 'imported').batch;
    expect(again).toMatchObject({ inserted: 2, replaced: 1 });
    expect((await rows(t.store, 'SELECT amount_fen FROM payments WHERE superseded_by IS NULL ORDER BY amount_fen'))).toEqual([
      { amount_fen: 50000 },
      { amount_fen: 300000 },
    ]);
  });

  it('updates a re-imported project in place, keeping its id and recording what changed', async () => {
    const before = (await rows<{ id: number; batch_id: number }>(t.store, "SELECT id, batch_id FROM projects WHERE code = 'XT-T-002'"))[0]!;
    const v2 = expectStatus(await importCase(t.store, 'projects', 'projects-v2.csv'), 'imported').batch;
    expect(v2).toMatchObject({ rowCount: 1, inserted: 0, replaced: 1 });
    expect(v2.replacedDetail).toEqual([
      {
        projectCode: 'XT-T-002',
        batchIds: [before.batch_id],
        line: 3,
        changed: { completion_date: { from: null, to: '2026-11-20' }, pay_day: { from: 15, to: 10 } },
      },
    ]);
    expect((await rows(t.store, "SELECT id, completion_date, pay_day, batch_id, line FROM projects WHERE code = 'XT-T-002'"))).toEqual([
      { id: before.id, completion_date: '2026-11-20', pay_day: 10, batch_id: v2.id, line: 2 },
    ]);
  });

  it('replaces account transactions and deposit events by their keys', async () => {
    const tx1 = expectStatus(await importCase(t.store, 'account_transactions', 'account_transactions.csv'), 'imported').batch;
    const tx2 = expectStatus(
      await importBuffer(t.store, 'account_transactions', '项目编号,交易日期,收支方向,金额,交易用途,银行流水号\nXT-T-001,2026-11-15,支出,120000,工资代发,ZC2026111500004\n'),
      'imported',
    ).batch;
    expect(tx2.replacedDetail).toEqual([{ projectCode: 'XT-T-001', rows: 1, batchIds: [tx1.id] }]);
    expect((await rows(t.store, "SELECT purpose FROM account_transactions WHERE bank_ref = 'ZC2026111500004' AND superseded_by IS NULL"))).toEqual([{ purpose: 'wages' }]);

    expectStatus(await importCase(t.store, 'deposits', 'deposits.csv'), 'imported');
    const d2 = expectStatus(
      await importBuffer(t.store, 'deposits', '项目编号,业务类型,保证形式,金额,日期,到期日期,凭证号\nXT-T-001,存储,银行保函,960000,2025-12-11,2027-12-10,BH-XD-2025-118\n'),
      'imported',
    ).batch;
    expect(d2.replaced).toBe(1);
    expect((await rows(t.store, "SELECT expires_on FROM deposit_events WHERE voucher_no = 'BH-XD-2025-118' ORDER BY id"))).toEqual([
      { expires_on: '2026-12-10' },
      { expires_on: '2027-12-10' },
    ]);
  });
});
