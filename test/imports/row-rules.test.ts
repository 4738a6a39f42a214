/**
 * The per-kind rules of DATA-FORMATS.md, through broken files a clerk could really send: every problem is
 * listed by line and column with a reason, and nothing at all is written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectStatus, importBuffer, importCase, rows, tableCounts, tempDb, withBase, type TestDb, cityFacts, legacyFacts } from './helpers.ts';
import { workerMonthLedger } from '../../src/rules/wages.ts';
import { evaluateProject } from '../../src/rules/evaluate.ts';
import type { IsoDate } from '../../src/domain/date.ts';

let t: TestDb;
beforeEach(async () => {
  t = await tempDb();
  await withBase(t.store);
});
afterEach(() => t.close());

/** [line, column, a fragment of the reason] for each problem, in file order */
function summary(problems: readonly { line: number; column: string | null; reason: string }[]): [number, string | null][] {
  return problems.map((p) => [p.line, p.column]);
}

describe('payroll rows', () => {
  it('lists every problem of a broken wage table by line and column, and writes nothing', async () => {
    const before = (await tableCounts(t.store));
    const out = expectStatus(await importCase(t.store, 'payroll', 'payroll-broken.csv'), 'rejected');
    expect(summary(out.problems)).toEqual([
      [3, '身份证号'],
      [4, '身份证号'],
      [5, '身份证号'],
      [6, '应发工资'],
      [7, '实发工资'],
      [8, '项目编号'],
      [9, '工资月份'],
      [9, '出勤天数'],
      [10, '姓名'],
      [11, '身份证号'],
      [12, '姓名'],
      [12, '本人确认'],
      [13, '身份证号'],
    ]);
    const reasons = out.problems.map((p) => p.reason);
    expect(reasons[0]).toContain('科学计数法'); // 1.30503E+17
    expect(reasons[1]).toContain('15位旧号码');
    expect(reasons[2]).toContain('校验位不符');
    expect(reasons[3]).toContain('超过两位小数');
    expect(reasons[4]).toBe('实发工资 6,600.00 不等于 应发工资 6,600.00 − 代扣款项 100.00 = 6,500.00，请核对这三列');
    expect(reasons[5]).toContain('项目编号“XT-T-999”不存在');
    expect(reasons[7]).toContain('超过31天');
    expect(reasons[8]).toContain('与该项目花名册中此身份证号的姓名“李秀英”不一致');
    expect(reasons[9]).toContain('与第2行重复');
    expect(reasons[12]).toContain('像是被 Excel 截断');
    expect(out.problems[0]!.value).toBe('1.30503E+17');
    expect(out.problems[10]!.value).toBeNull(); // the empty name
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('takes deductions as 0 when empty and the worker as unconfirmed by default', async () => {
    const id = ((await rows(t.store, "SELECT id_number FROM roster_entries WHERE name = '张伟'"))[0] as { id_number: string }).id_number;
    expectStatus(
      await importBuffer(t.store, 'payroll', `项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,实发工资\nXT-T-001,2026-9,张伟,${id},0.25,75,75\n`),
      'imported',
    );
    expect((await rows(t.store, 'SELECT month, days_worked_centi, deductions_fen, worker_confirmed FROM payroll_rows'))).toEqual([
      { month: '2026-09', days_worked_centi: 25, deductions_fen: 0, worker_confirmed: 0 },
    ]);
  });
});

describe('roster rows', () => {
  it('checks dates, wage rates, phones, cards and wage bases, and catches a repeated key', async () => {
    const before = (await tableCounts(t.store));
    const out = expectStatus(await importCase(t.store, 'roster', 'roster-broken.csv'), 'rejected');
    expect(summary(out.problems)).toEqual([
      [2, '退场日期'],
      [3, '手机号码'],
      [3, '工资标准'],
      [4, '银行卡号'],
      [5, '计薪方式'],
      [5, '银行卡号'],
      [7, '身份证号'],
    ]);
    expect(out.problems[0]!.reason).toContain('早于进场日期');
    expect(out.problems[2]!.reason).toContain('日薪时必须填写工资标准');
    expect(out.problems[3]!.reason).toContain('科学计数法');
    expect(out.problems[5]!.reason).toContain('Luhn');
    expect(out.problems[6]!.reason).toContain('与第6行重复');
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('rejects a roster row for a project that is not in the database', async () => {
    const before = (await tableCounts(t.store));
    const out = expectStatus(await importCase(t.store, 'roster', 'roster-unknown-project.csv'), 'rejected');
    expect(out.problems).toEqual([
      { line: 3, column: '项目编号', value: 'XT-T-404', reason: expect.stringContaining('请先导入该项目的工程项目表') },
    ]);
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('upserts workers and employers from roster rows, contract defaulting to 否', async () => {
    expect((await rows(t.store, 'SELECT count(*) AS n FROM workers'))).toEqual([{ n: 4 }]);
    expect((await rows(t.store, "SELECT name FROM employers WHERE name LIKE '%劳务%'"))).toEqual([{ name: '邢台聚力劳务有限公司' }]);
    expect((await rows(t.store, "SELECT contract_signed, wage_basis, wage_rate_fen FROM roster_entries WHERE name = '赵国强'"))).toEqual([
      { contract_signed: 1, wage_basis: 'piece', wage_rate_fen: null },
    ]);
  });
});

describe('projects rows', () => {
  it('checks credit codes, amounts, pay day and dates, and a code repeated in the file even when its first row is invalid', async () => {
    const before = (await tableCounts(t.store));
    const out = expectStatus(await importCase(t.store, 'projects', 'projects-broken.csv'), 'rejected');
    expect(summary(out.problems)).toEqual([
      [2, '建设单位信用代码'],
      [2, '工资支付日'],
      [3, '合同金额'],
      [3, '竣工日期'],
      [4, '项目名称'],
      [5, '项目编号'],
    ]);
    expect(out.problems[0]!.reason).toContain('GB 32100');
    expect(out.problems[5]!.reason).toContain('第2行和第5行');
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('defaults contract_signed_on to start_date, pay_day to 15 and government_funded to 否', async () => {
    expect((await rows(t.store, "SELECT contract_signed_on, start_date, pay_day, government_funded, contract_amount_fen, wage_account_no FROM projects WHERE code = 'XT-T-002'"))).toEqual([
      { contract_signed_on: '2026-05-06', start_date: '2026-05-06', pay_day: 15, government_funded: 0, contract_amount_fen: 1_260_000_000, wage_account_no: null },
    ]);
  });
});

describe('payments, account transactions and deposits', () => {
  it('imports payments with channel aliases; cash needs no card or bank reference', async () => {
    expectStatus(await importCase(t.store, 'payments', 'payments.csv'), 'imported');
    expect((await rows(t.store, 'SELECT channel, bank_ref, payee_card IS NULL AS no_card, amount_fen FROM payments ORDER BY line'))).toEqual([
      { channel: 'dedicated_account', bank_ref: '00120261112000001', no_card: 0, amount_fen: 750000 },
      { channel: 'dedicated_account', bank_ref: '00120261112000002', no_card: 0, amount_fen: 680000 },
      { channel: 'cash', bank_ref: null, no_card: 1, amount_fen: 300000 },
      { channel: 'other_transfer', bank_ref: 'ZZ2026112500017', no_card: 0, amount_fen: 540000 },
    ]);
  });

  it('requires card and bank reference for bank channels, a positive amount, a known channel, and unique cash rows', async () => {
    const before = (await tableCounts(t.store));
    const out = expectStatus(await importCase(t.store, 'payments', 'payments-broken.csv'), 'rejected');
    expect(summary(out.problems)).toEqual([
      [2, '收款卡号'],
      [2, '银行流水号'],
      [3, '发放金额'],
      [3, '发放方式'],
      [4, '发放日期'],
      [6, null],
      [7, '银行流水号'],
    ]);
    expect(out.problems[5]!.reason).toContain('与第5行是完全相同的现金发放记录');
    expect(out.problems[6]!.reason).toContain('科学计数法');
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('imports account transactions with English and bank-statement words for direction and purpose', async () => {
    expectStatus(await importCase(t.store, 'account_transactions', 'account_transactions.csv'), 'imported');
    expect((await rows(t.store, 'SELECT tx_date, direction, purpose, amount_fen FROM account_transactions ORDER BY line'))).toEqual([
      { tx_date: '2026-10-25', direction: 'in', purpose: 'labor_cost', amount_fen: 90_000_000 },
      { tx_date: '2026-11-12', direction: 'out', purpose: 'wages', amount_fen: 750_000 },
      { tx_date: '2026-11-12', direction: 'out', purpose: 'wages', amount_fen: 680_000 },
      { tx_date: '2026-11-15', direction: 'out', purpose: 'other', amount_fen: 12_000_000 },
    ]);
  });

  it('imports a GBK tab-separated deposit sheet', async () => {
    const batch = expectStatus(await importCase(t.store, 'deposits', 'deposits.csv'), 'imported').batch;
    expect(batch.encoding).toBe('gb18030');
    expect((await rows(t.store, 'SELECT event, form, amount_fen, date, expires_on, voucher_no FROM deposit_events ORDER BY line'))).toEqual([
      { event: 'deposit', form: 'bank_guarantee', amount_fen: 96_000_000, date: '2025-12-11', expires_on: '2026-12-10', voucher_no: 'BH-XD-2025-118' },
      { event: 'deposit', form: 'cash', amount_fen: 25_200_000, date: '2026-05-20', expires_on: null, voucher_no: 'BZJ-XD-2026-0052' },
      { event: 'use', form: 'cash', amount_fen: 2_000_000, date: '2026-09-10', expires_on: null, voucher_no: 'BZJ-XD-2026-0113' },
    ]);
  });

  it('requires an expiry date after the start for guarantees and insurance, a known event, a positive amount and a voucher', async () => {
    const out = expectStatus(await importCase(t.store, 'deposits', 'deposits-broken.csv'), 'rejected');
    expect(summary(out.problems)).toEqual([
      [2, '到期日期'],
      [3, '到期日期'],
      [4, '业务类型'],
      [4, '金额'],
      [5, '凭证号'],
    ]);
    expect(out.problems[0]!.reason).toBe('保证形式为银行保函时必须填写到期日期');
  });
});

describe('未成年工登记 (juvenile_registered)', () => {
  it('reads the optional column under its Chinese and English headers; both facts loaders carry it, empty = not stated', async () => {
    const head = '项目编号,姓名,身份证号,用工单位,用工单位信用代码,工种,进场日期,劳动合同,计薪方式,工资标准,银行卡号,未成年工登记';
    const lines = [
      head,
      'XT-T-001,周小军,130503200906010013,邢台聚力劳务有限公司,9113050393TRD0XT24,架子工,2026-06-01,是,日薪,200,6222028178449399183,是',
      'XT-T-001,吴小兵,130503200906020019,邢台聚力劳务有限公司,9113050393TRD0XT24,钢筋工,2026-06-01,是,日薪,200,6217000416383714443,否',
      'XT-T-001,郑小明,130503200906030014,邢台聚力劳务有限公司,9113050393TRD0XT24,普工,2026-06-01,是,日薪,200,6222028178449399183,',
    ];
    expectStatus(await importBuffer(t.store, 'roster', lines.join('\n') + '\n', 'roster-juvenile.csv'), 'imported');
    expect((await rows(t.store, "SELECT name, juvenile_registered AS j FROM roster_entries WHERE name IN ('周小军','吴小兵','郑小明') ORDER BY name"))).toEqual([
      { name: '吴小兵', j: 0 },
      { name: '周小军', j: 1 },
      { name: '郑小明', j: null },
    ]);
    // the English header names the same column
    const en = ['project_code,name,id_number,employer_name,employer_uscc,entry_date,wage_basis,wage_rate,bank_card,juvenile_registered', 'XT-T-001,冯小刚,13050320090604001X,邢台聚力劳务有限公司,9113050393TRD0XT24,2026-07-01,日薪,200,6222028178449399183,否'];
    expectStatus(await importBuffer(t.store, 'roster', en.join('\n') + '\n', 'roster-en.csv'), 'imported');
    expect((await rows(t.store, "SELECT juvenile_registered AS j FROM roster_entries WHERE name = '冯小刚'"))).toEqual([{ j: 0 }]);
    const pid = ((await rows(t.store, "SELECT id FROM projects WHERE code = 'XT-T-001'"))[0] as { id: number }).id;
    const pick = (roster: readonly { name: string; juvenileRegistered?: boolean }[]) =>
      Object.fromEntries(roster.filter((r) => ['周小军', '吴小兵', '郑小明', '冯小刚'].includes(r.name)).map((r) => [r.name, r.juvenileRegistered ?? 'absent']));
    const want = { 周小军: true, 吴小兵: false, 郑小明: 'absent', 冯小刚: false };
    expect(pick((await cityFacts(t.store, [pid])).projects[0]!.roster)).toEqual(want);
    expect(pick((await legacyFacts(t, [pid])).projects[0]!.roster)).toEqual(want);
  });
});

describe('工资退回 (returned transfers)', () => {
  const PAY = '项目编号,工资月份,身份证号,收款人姓名,收款卡号,发放金额,发放日期,发放方式,银行流水号,退回日期,退回原因';
  const TX = 'project_code,tx_date,direction,amount,purpose,counterparty,bank_ref,original_bank_ref';
  it('reads 退回日期/退回原因 on a payment and a 工资退回 inflow naming the original reference; both facts loaders carry them and the ledger stops counting the payment from the return day', async () => {
    const pay = [
      PAY,
      'XT-T-001,2026-10,130503198203150116,王建军,6222028178449399183,7500.00,2026-11-12,专户代发,R-PAY-1,2026-11-20,银行卡已销户',
      'XT-T-001,2026-10,130502199007080227,李秀英,6217000416383714443,6800.00,2026-11-12,专户代发,R-PAY-2,,',
    ];
    expectStatus(await importBuffer(t.store, 'payments', pay.join('\n') + '\n', 'payments-returned.csv'), 'imported');
    const tx = [TX, 'XT-T-001,2026-11-18,收入,6800.00,工资退回,户名不符,R-IN-9,R-PAY-2'];
    expectStatus(await importBuffer(t.store, 'account_transactions', tx.join('\n') + '\n', 'tx-returned.csv'), 'imported');
    expect((await rows(t.store, 'SELECT bank_ref, returned_on, return_reason FROM payments ORDER BY bank_ref'))).toEqual([
      { bank_ref: 'R-PAY-1', returned_on: '2026-11-20', return_reason: '银行卡已销户' },
      { bank_ref: 'R-PAY-2', returned_on: null, return_reason: null },
    ]);
    expect((await rows(t.store, "SELECT purpose, original_bank_ref FROM account_transactions WHERE bank_ref = 'R-IN-9'"))).toEqual([{ purpose: 'wage_return', original_bank_ref: 'R-PAY-2' }]);
    const pid = ((await rows(t.store, "SELECT id FROM projects WHERE code = 'XT-T-001'"))[0] as { id: number }).id;
    const sync = (await cityFacts(t.store, [pid])).projects[0]!;
    const asyncFacts = (await legacyFacts(t, [pid])).projects[0]!;
    for (const f of [sync, asyncFacts]) {
      expect(f.payments.find((p) => p.bankRef === 'R-PAY-1')).toMatchObject({ returnedOn: '2026-11-20', returnReason: '银行卡已销户' });
      expect(f.payments.find((p) => p.bankRef === 'R-PAY-2')!.returnedOn).toBeUndefined();
      expect(f.accountTransactions.find((x) => x.bankRef === 'R-IN-9')).toMatchObject({ purpose: 'wage_return', originalBankRef: 'R-PAY-2', direction: 'in' });
    }
    // the ledger: 李秀英's transfer came back on 11-18, 王建军's on 11-20
    const paidOf = (asOf: string, id: string) => workerMonthLedger(sync, asOf as IsoDate).find((w) => w.idNumber === id && w.month === '2026-10')!.paid;
    expect(paidOf('2026-11-17', '130502199007080227')).toBe(680000);
    expect(paidOf('2026-11-18', '130502199007080227')).toBe(0);
    expect(paidOf('2026-11-19', '130503198203150116')).toBe(750000);
    expect(paidOf('2026-11-20', '130503198203150116')).toBe(0);
    // a return learnt later: the same transfer (same 银行流水号) re-imported with its 退回日期 replaces the row
    const later = [PAY, 'XT-T-001,2026-10,130502199007080227,李秀英,6217000416383714443,6800.00,2026-11-12,专户代发,R-PAY-2,2026-11-19,户名不符'];
    const again = expectStatus(await importBuffer(t.store, 'payments', later.join('\n') + '\n', 'payments-returned-later.csv'), 'imported');
    expect(again.batch.replaced).toBe(1);
    expect((await rows(t.store, "SELECT returned_on FROM payments WHERE bank_ref = 'R-PAY-2' AND superseded_by IS NULL"))).toEqual([{ returned_on: '2026-11-19' }]);
  });

  it('rejects a 工资退回 row paid out or without its original reference, an original reference on another purpose, and a return before the payment or on cash', async () => {
    const tx = [
      TX,
      'XT-T-001,2026-11-18,支出,100.00,工资退回,,R-A,R-PAY-1',
      'XT-T-001,2026-11-18,收入,100.00,工资退回,,R-B,',
      'XT-T-001,2026-11-18,收入,100.00,人工费用拨付,,R-C,R-PAY-1',
    ];
    const out = expectStatus(await importBuffer(t.store, 'account_transactions', tx.join('\n') + '\n', 'tx-bad.csv'), 'rejected');
    expect(summary(out.problems)).toEqual([
      // the problems name the columns as the file's header does (English here)
      [2, 'direction'],
      [3, 'original_bank_ref'],
      [4, 'original_bank_ref'],
    ]);
    const pay = [
      PAY,
      'XT-T-001,2026-10,130503198203150116,王建军,6222028178449399183,7500.00,2026-11-12,专户代发,R-PAY-1,2026-11-11,',
      'XT-T-001,2026-10,130503198203150116,王建军,,7500.00,2026-11-12,现金,,2026-11-13,',
      'XT-T-001,2026-10,130503198203150116,王建军,6222028178449399183,7500.00,2026-11-12,专户代发,R-PAY-3,,销户',
    ];
    const bad = expectStatus(await importBuffer(t.store, 'payments', pay.join('\n') + '\n', 'pay-bad.csv'), 'rejected');
    expect(summary(bad.problems)).toEqual([
      [2, '退回日期'],
      [3, '退回日期'],
      [4, '退回日期'],
    ]);
  });
});

describe('返还与专户注销 (deposit refund notice, account closing)', () => {
  const PROJ = '项目编号,项目名称,所属区县,建设单位,建设单位信用代码,施工总承包单位,总承包单位信用代码,合同金额,合同签订日期,开工日期,竣工日期,专用账户账号,专用账户开户日期,专用账户注销日期,注销公示开始日期';
  const row = (closed: string, notice: string, account = '13050161010900000123') =>
    `XT-T-001,信都区测试安置房项目,信都区,邢台市信都区城市建设投资有限公司,9113050337CNN7BA4H,河北中兴建工集团有限公司,91130500489QG93TE8,48000000,2026-03-10,2026-04-01,2026-06-30,${account},2026-03-25,${closed},${notice}`;
  const DEP = 'project_code,event,form,amount,date,expires_on,voucher_no,notice_on';

  it('reads 专用账户注销日期/注销公示开始日期 and a refund row’s 公示开始日期; both facts loaders carry them and the rules judge them', async () => {
    expectStatus(await importBuffer(t.store, 'projects', [PROJ, row('2026-07-31', '2026-07-01')].join('\n') + '\n', 'projects-closed.csv'), 'imported');
    const dep = [DEP, 'XT-T-001,deposit,cash,960000,2026-03-27,,BZJ-1,', 'XT-T-001,refund,cash,960000,2026-08-01,,BZJ-2,2026-07-01'];
    expectStatus(await importBuffer(t.store, 'deposits', dep.join('\n') + '\n', 'deposits-refund.csv'), 'imported');
    expect((await rows(t.store, "SELECT wage_account_closed_on, wage_account_notice_on FROM projects WHERE code = 'XT-T-001'"))).toEqual([{ wage_account_closed_on: '2026-07-31', wage_account_notice_on: '2026-07-01' }]);
    expect((await rows(t.store, 'SELECT voucher_no, notice_on FROM deposit_events ORDER BY voucher_no'))).toEqual([
      { voucher_no: 'BZJ-1', notice_on: null },
      { voucher_no: 'BZJ-2', notice_on: '2026-07-01' },
    ]);
    const pid = ((await rows(t.store, "SELECT id FROM projects WHERE code = 'XT-T-001'"))[0] as { id: number }).id;
    const sync = (await cityFacts(t.store, [pid]));
    const asyncFacts = (await legacyFacts(t, [pid])).projects[0]!;
    for (const f of [sync.projects[0]!, asyncFacts]) {
      expect(f.wageAccount).toMatchObject({ closedOn: '2026-07-31', closingNoticeFrom: '2026-07-01' });
      expect(f.depositEvents.find((e) => e.voucherNo === 'BZJ-2')!.noticeFrom).toBe('2026-07-01');
      expect(f.depositEvents.find((e) => e.voucherNo === 'BZJ-1')!.noticeFrom).toBeUndefined();
    }
    // closed on 07-31, the notice's 30th day: too early; refunded on 08-01, the first day allowed: fine
    const codes = evaluateProject(sync.projects[0]!, sync, '2026-08-15' as IsoDate).findings.map((f) => f.code);
    expect(codes).toContain('ACCOUNT_CLOSED_EARLY');
    expect(codes).not.toContain('DEPOSIT_REFUND_EARLY');
  });

  it('rejects a closing date without an account or before its opening, a notice after the closing, and a notice on a row that is not a refund or after it', async () => {
    const noAccount = row('2026-03-01', '', '').replace(',2026-03-25,', ',,');
    const bad = [PROJ, row('2026-07-31', '2026-08-01'), noAccount, row('2026-03-01', '')].map((l, i) => (i > 1 ? l.replace('XT-T-001', `XT-T-00${i + 7}`) : l));
    const out = expectStatus(await importBuffer(t.store, 'projects', bad.join('\n') + '\n', 'projects-closed-bad.csv'), 'rejected');
    expect(summary(out.problems)).toEqual([
      [2, '注销公示开始日期'],
      [3, '专用账户账号'],
      [4, '专用账户注销日期'],
    ]);
    const dep = [DEP, 'XT-T-001,deposit,cash,960000,2026-03-27,,BZJ-1,2026-03-01', 'XT-T-001,refund,cash,960000,2026-08-01,,BZJ-2,2026-08-02'];
    const d2 = expectStatus(await importBuffer(t.store, 'deposits', dep.join('\n') + '\n', 'deposits-refund-bad.csv'), 'rejected');
    expect(summary(d2.problems)).toEqual([
      [2, 'notice_on'],
      [3, 'notice_on'],
    ]);
  });
});
