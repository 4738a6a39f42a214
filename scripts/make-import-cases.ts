/**
 * Writes fixtures/import-cases/: small files that look like what clerks really send, each showing one
 * encoding, layout or mistake the importer must handle (test/imports/*.test.ts read them; README.md in
 * that folder lists them). Deterministic; run `npx tsx scripts/make-import-cases.ts` and commit.
 *
 * The identities are fixed so tests can name them: W1…W6 below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cardNumber, creditCode, csvLine, encodeGb18030, identityNumber, rng, UTF8_BOM } from './fixture-values.ts';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/import-cases');
const r = rng(11643);

export const OWNER = { name: '邢台市信都区城市建设投资有限公司', uscc: creditCode(r, '91', '130503') };
export const CONTRACTOR = { name: '河北中兴建工集团有限公司', uscc: creditCode(r, '91', '130500') };
export const LABOUR = { name: '邢台聚力劳务有限公司', uscc: creditCode(r, '91', '130503') };

const W = {
  W1: { name: '王建军', id: identityNumber('130503', '1982-03-15', 11), card: cardNumber(r, '622202') },
  W2: { name: '李秀英', id: identityNumber('130502', '1990-07-08', 22), card: cardNumber(r, '621700') },
  W3: { name: '张伟', id: identityNumber('130505', '1975-11-30', 33), card: cardNumber(r, '622848') },
  W4: { name: '赵国强', id: identityNumber('130582', '1968-01-02', 44), card: cardNumber(r, '621661') },
  W5: { name: '孙丽', id: identityNumber('130522', '1993-05-21', 52), card: cardNumber(r, '622188') },
  W6: { name: '周强', id: identityNumber('130528', '1987-09-09', 61), card: cardNumber(r, '621021') },
};
/** an identity number that is valid but belongs to nobody on any roster */
const STRANGER = identityNumber('130533', '1979-04-04', 71);

mkdirSync(OUT, { recursive: true });
const CRLF = '\r\n';
const utf8 = (name: string, lines: readonly string[], bom = false): void => {
  const body = Buffer.from(lines.join(CRLF) + CRLF, 'utf8');
  writeFileSync(resolve(OUT, name), bom ? Buffer.concat([UTF8_BOM, body]) : body);
};
const gbk = (name: string, lines: readonly string[]): void => {
  writeFileSync(resolve(OUT, name), encodeGb18030(lines.join(CRLF) + CRLF));
};

// --- projects --------------------------------------------------------------------------------------------
const PROJECT_HEADER = ['项目编号', '项目名称', '所属区县', '建设单位', '建设单位信用代码', '施工总承包单位', '总承包单位信用代码', '合同金额', '合同签订日期', '开工日期', '竣工日期', '政府投资', '专用账户账号', '专用账户开户行', '专用账户开户日期', '工资支付日', '月人工费用'];
const P1 = ['XT-T-001', '信都区测试安置房项目', '信都区', OWNER.name, OWNER.uscc, CONTRACTOR.name, CONTRACTOR.uscc, '48,000,000.00', '2026-03-10', '2026-04-01', '', '是', '13050161010900000123', '中国建设银行邢台信都支行', '2026-03-25', '15', '900000'];
const P2 = ['XT-T-002', '襄都区测试小学综合楼', '襄都区', OWNER.name, OWNER.uscc, CONTRACTOR.name, CONTRACTOR.uscc, '￥12600000', '', '2026/5/6', '', '', '', '', '', '', ''];
utf8('projects.csv', [csvLine(PROJECT_HEADER), csvLine(P1), csvLine(P2)], true);
// a re-import: XT-T-002 finished and its pay day changed
utf8('projects-v2.csv', [csvLine(PROJECT_HEADER), csvLine(P2.map((c, i) => (i === 10 ? '2026-11-20' : i === 15 ? '10' : c)))], true);
utf8('projects-broken.csv', [
  csvLine(PROJECT_HEADER),
  // 2: credit code with a wrong check character; pay day 35
  csvLine(['XT-T-101', '测试项目甲', '任泽区', OWNER.name, OWNER.uscc.slice(0, 17) + (OWNER.uscc[17] === '0' ? '1' : '0'), CONTRACTOR.name, CONTRACTOR.uscc, '1500000', '', '2026-05-01', '', '否', '', '', '', '35', '']),
  // 3: contract amount in 万 with text; completion before start
  csvLine(['XT-T-102', '测试项目乙', '沙河市', OWNER.name, OWNER.uscc, CONTRACTOR.name, CONTRACTOR.uscc, '150万', '', '2026-05-01', '2026-04-01', '', '', '', '', '', '']),
  // 4: project name missing
  csvLine(['XT-T-103', '', '临城县', OWNER.name, OWNER.uscc, CONTRACTOR.name, CONTRACTOR.uscc, '2000000', '', '2026-05-01', '', '', '', '', '', '', '']),
  // 5: the code of line 2 again
  csvLine(['XT-T-101', '测试项目丁', '宁晋县', OWNER.name, OWNER.uscc, CONTRACTOR.name, CONTRACTOR.uscc, '3000000', '', '2026-05-01', '', '', '', '', '', '', '']),
]);

// --- roster ----------------------------------------------------------------------------------------------
const ROSTER_HEADER = ['项目编号', '姓名', '身份证号', '用工单位', '用工单位信用代码', '班组', '工种', '进场日期', '退场日期', '劳动合同', '计薪方式', '工资标准', '银行卡号', '开户银行', '手机号码'];
const rosterRow = (project: string, w: { name: string; id: string; card: string }, entry: string, more: Partial<Record<string, string>> = {}): string =>
  csvLine([project, more.name ?? w.name, w.id, LABOUR.name, LABOUR.uscc, more.team ?? '木工班', '木工', entry, more.exit ?? '', more.contract ?? '是', more.basis ?? '日薪', more.rate ?? '350', more.card ?? w.card, '中国工商银行', more.phone ?? '13833190001']);
utf8('roster.csv', [
  csvLine(ROSTER_HEADER),
  rosterRow('XT-T-001', W.W1, '2026-06-01'),
  rosterRow('XT-T-001', W.W2, '2026-06-01', { basis: '月薪', rate: '6800' }),
  rosterRow('XT-T-001', W.W3, '2026-06-03', { contract: '否' }),
  rosterRow('XT-T-001', W.W4, '2026-06-03', { basis: '计件', rate: '' }),
  rosterRow('XT-T-002', W.W1, '2026-09-01'),
], true);
// the next month's roster: W2's card changed (same key: replaces), W5 joins, W1 comes back to XT-T-001
utf8('roster-v2.csv', [
  csvLine(ROSTER_HEADER),
  rosterRow('XT-T-001', W.W2, '2026-06-01', { basis: '月薪', rate: '7000', card: W.W5.card, exit: '2026-11-15' }),
  rosterRow('XT-T-001', W.W5, '2026-10-08'),
  rosterRow('XT-T-001', W.W1, '2026-11-02'),
], true);
utf8('roster-unknown-project.csv', [csvLine(ROSTER_HEADER), rosterRow('XT-T-001', W.W6, '2026-10-01'), rosterRow('XT-T-404', W.W5, '2026-10-01')], true);
utf8('roster-broken.csv', [
  csvLine(ROSTER_HEADER),
  // 2: leaves before arriving
  rosterRow('XT-T-001', W.W5, '2026-10-08', { exit: '2026-09-30' }),
  // 3: daily wage without a rate; phone with 10 digits
  rosterRow('XT-T-001', W.W6, '2026-10-08', { rate: '', phone: '1383319000' }),
  // 4: card number turned into scientific notation by Excel
  rosterRow('XT-T-002', W.W5, '2026-10-08', { card: '6.22202E+18' }),
  // 5: card with a typo (Luhn fails); a wage basis nobody uses
  rosterRow('XT-T-002', W.W6, '2026-10-08', { card: W.W6.card.slice(0, 18) + String((Number(W.W6.card[18]) + 1) % 10), basis: '包工' }),
  // 6: a valid row; 7: the same person, project and entry date again
  rosterRow('XT-T-001', W.W6, '2026-10-09'),
  rosterRow('XT-T-001', W.W6, '2026-10-09', { team: '钢筋班' }),
]);

// --- payroll ---------------------------------------------------------------------------------------------
const PAYROLL_HEADER = ['项目编号', '工资月份', '姓名', '身份证号', '出勤天数', '应发工资', '代扣款项', '实发工资', '本人确认'];
// GBK, two title rows, padded names, odd header spellings, 小计/合计 rows, a blank row, signature lines
gbk('payroll-gbk-title-total.csv', [
  csvLine(['XT-T-001 信都区测试安置房项目 2026年10月 农民工工资支付表', '', '', '', '', '', '', '', '']),
  csvLine(['填报单位：邢台聚力劳务有限公司', '', '', '', '', '', '', '', '']),
  csvLine([' 项目编号 ', '工资月份', '姓  名', '身份证号码', '出勤天数', '应发工资(元)', '代扣款项（元）', '实发工资（元）', '本人确认']),
  csvLine(['XT-T-001', '2026年10月', '王建军', W.W1.id, '22', '7,700.00', '200.00', '7,500.00', '是']),
  csvLine(['XT-T-001', '2026年10月', '李秀英', W.W2.id, '21.5', '6,800.00', '', '6,800.00', '是']),
  csvLine(['XT-T-001', '2026年10月', '张　伟', W.W3.id, '20', '7,000.00', '0', '7,000.00', '否']),
  csvLine(['XT-T-001', '2026年10月', '赵国强', W.W4.id, '18.5', '￥5,420.50', '', '￥5,420.50', '是']),
  csvLine(['小计', '', '', '', '82', '26,920.50', '200.00', '26,720.50', '']),
  csvLine(['', '', '合计', '', '82', '26,920.50', '200.00', '26,720.50', '']),
  csvLine(['', '', '', '', '', '', '', '', '']),
  csvLine(['劳资专管员：王建军', '', '', '项目经理：刘志刚', '', '', '制表人：', '', '']),
  csvLine(['审核：', '', '', '', '', '', '', '', '']),
]);
// the same table as newer Excel saves it: UTF-8 with BOM; English headers, ¥ amounts, 202610 months
utf8('payroll-bom.csv', [
  csvLine(['project_code', 'month', 'name', 'id_number', 'days_worked', 'gross_pay', 'deductions', 'net_pay', 'worker_confirmed']),
  csvLine(['XT-T-001', '202610', '王建军', W.W1.id, '22', '¥7700', '¥200', '¥7500', 'Y']),
  csvLine(['XT-T-001', '202610', '李秀英', W.W2.id, '21.5', '¥6800.00', '', '¥6800.00', 'Y']),
], true);
// tab-separated ("文本文件(制表符分隔)"), slashed months
utf8('payroll-tab.csv', [
  csvLine(PAYROLL_HEADER, '\t'),
  csvLine(['XT-T-001', '2026/10', '王建军', W.W1.id, '22', '7,700.00', '200.00', '7,500.00', '是'], '\t'),
  csvLine(['XT-T-001', '2026/10', '张伟', W.W3.id, '20', '7,000.00', '', '7,000.00', '否'], '\t'),
]);
// full-width commas between cells (typed by hand with a Chinese IME); half-width commas inside amounts
writeFileSync(
  resolve(OUT, 'payroll-fullwidth-comma.csv'),
  [PAYROLL_HEADER.join('，'), ['XT-T-001', '2026年10月', '王建军', W.W1.id, '22', '7,700.00', '200.00', '7,500.00', '是'].join('，'), ['XT-T-001', '2026年10月', '赵国强', W.W4.id, '18.5', '5,420.50', '', '5,420.50', '是'].join('，')].join(CRLF) + CRLF,
);
// columns the importer does not know: kept out, reported as a warning
utf8('payroll-unknown-column.csv', [
  csvLine(['序号', ...PAYROLL_HEADER, '备注', '签名']),
  csvLine(['1', 'XT-T-001', '2026-10', '王建军', W.W1.id, '22', '7700', '200', '7500', '是', '含加班2天', '']),
]);
utf8('payroll-missing-column.csv', [
  csvLine(['XT-T-001 2026年10月 工资表', '', '', '', '', '', '']),
  csvLine(['项目编号', '工资月份', '姓名', '出勤天数', '应发工资', '代扣款项', '本人确认']),
  csvLine(['XT-T-001', '2026-10', '王建军', '22', '7700', '200', '是']),
]);
utf8('payroll-duplicate-column.csv', [
  csvLine([...PAYROLL_HEADER, 'name']),
  csvLine(['XT-T-001', '2026-10', '王建军', W.W1.id, '22', '7700', '200', '7500', '是', '王建军']),
]);
// every mistake in one file: the answer must list each one by line and column
const idWrongCheck = W.W4.id.slice(0, 17) + (W.W4.id[17] === '1' ? '2' : '1');
utf8('payroll-broken.csv', [
  csvLine(PAYROLL_HEADER),
  /* 2 */ csvLine(['XT-T-001', '2026-10', '王建军', W.W1.id, '22', '6,600.00', '100.00', '6,500.00', '是']),
  /* 3 */ csvLine(['XT-T-001', '2026-10', '李秀英', '1.30503E+17', '22', '6600', '0', '6600', '是']),
  /* 4 */ csvLine(['XT-T-001', '2026-10', '张伟', '130505751130033', '22', '6600', '0', '6600', '是']),
  /* 5 */ csvLine(['XT-T-001', '2026-10', '赵国强', idWrongCheck, '22', '6600', '0', '6600', '是']),
  /* 6 */ csvLine(['XT-T-001', '2026-10', '孙丽', W.W5.id, '21.5', '6600.005', '0', '6600', '是']),
  /* 7 */ csvLine(['XT-T-001', '2026-10', '周强', W.W6.id, '22', '6600', '100', '6600', '是']),
  /* 8 */ csvLine(['XT-T-999', '2026-10', '钱多多', STRANGER, '22', '6600', '0', '6600', '是']),
  /* 9 */ csvLine(['XT-T-001', '2026-13', '王建军', W.W1.id, '32', '6600', '0', '6600', '是']),
  /* 10 */ csvLine(['XT-T-001', '2026-10', '李秀云', W.W2.id, '22', '6600', '0', '6600', '是']),
  /* 11 */ csvLine(['XT-T-001', '2026-10', '王建军', W.W1.id, '22', '6,600.00', '100.00', '6,500.00', '是']),
  /* 12 */ csvLine(['XT-T-001', '2026-10', '', STRANGER, '22', '6600', '0', '6600', '待定']),
  /* 13 */ csvLine(['XT-T-001', '2026-10', '吴刚', '130503198203150000', '22', '6600', '0', '6600', '是']),
]);
// quoted cells that span lines (a 备注 typed with Alt+Enter); the problems below them must name the right lines
writeFileSync(
  resolve(OUT, 'payroll-quoted-newline.csv'),
  [
    /* 1 */ csvLine([...PAYROLL_HEADER, '备注']),
    /* 2 */ csvLine(['XT-T-001', '2026-10', '王建军', W.W1.id, '22', '7700', '200', '7500', '是', '夜班']),
    /* 3–4 */ csvLine(['XT-T-001', '2026-10', '李秀英', W.W2.id, '21.5', '6800', '', '6800', '是', '3号楼\r\n加班2天']),
    /* 5 */ csvLine(['XT-T-001', '2026-10', '赵国强', idWrongCheck, '18', '5400', '', '5400', '是', '']),
    /* 6–8 */ csvLine(['XT-T-001', '2026-10', '张伟', W.W3.id, '20', '7000', '', '7000', '否', '第一行\n第二行\n第三行']),
    /* 9 */ csvLine(['XT-T-002', '2026-10', '王建军', W.W1.id, '10', '3500', '0', '3000', '是', '']),
  ].join(CRLF) + CRLF,
);
// a wage table re-sent for the same month: v2 replaces v1's XT-T-001 2026-10 rows; XT-T-002 is not in v2
utf8('payroll-2026-10-v1.csv', [
  csvLine(PAYROLL_HEADER),
  csvLine(['XT-T-001', '2026-10', '王建军', W.W1.id, '22', '7700', '200', '7500', '否']),
  csvLine(['XT-T-001', '2026-10', '李秀英', W.W2.id, '22', '6800', '', '6800', '否']),
  csvLine(['XT-T-001', '2026-10', '张伟', W.W3.id, '20', '7000', '', '7000', '否']),
  csvLine(['XT-T-001', '2026-10', '赵国强', W.W4.id, '18', '5400', '', '5400', '否']),
  csvLine(['XT-T-002', '2026-10', '王建军', W.W1.id, '4', '1400', '', '1400', '否']),
  csvLine(['XT-T-002', '2026-10', '周强', W.W6.id, '10', '3000', '', '3000', '否']),
]);
utf8('payroll-2026-10-v2.csv', [
  csvLine(PAYROLL_HEADER),
  csvLine(['XT-T-001', '2026-10', '王建军', W.W1.id, '22', '7700', '200', '7500', '是']),
  csvLine(['XT-T-001', '2026-10', '李秀英', W.W2.id, '22', '6800', '', '6800', '是']),
  csvLine(['XT-T-001', '2026-10', '张伟', W.W3.id, '21', '7350', '', '7350', '是']),
]);
// a GBK file with one line pasted in from a UTF-8 file
writeFileSync(
  resolve(OUT, 'payroll-mixed-encoding.csv'),
  Buffer.concat([
    encodeGb18030([csvLine(PAYROLL_HEADER), csvLine(['XT-T-001', '2026-10', '王建军', W.W1.id, '22', '7700', '200', '7500', '是']), csvLine(['XT-T-001', '2026-10', '李秀英', W.W2.id, '22', '6800', '', '6800', '是'])].join(CRLF) + CRLF),
    Buffer.from(csvLine(['XT-T-001', '2026-10', '张伟', W.W3.id, '20', '7000', '', '7000', '否']) + CRLF, 'utf8'),
  ]),
);
// "Unicode 文本" from Excel: UTF-16LE with BOM, tab-separated
writeFileSync(
  resolve(OUT, 'payroll-utf16.txt'),
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([csvLine(PAYROLL_HEADER, '\t'), csvLine(['XT-T-001', '2026-10', '王建军', W.W1.id, '22', '7700', '200', '7500', '是'], '\t')].join(CRLF) + CRLF, 'utf16le')]),
);

// --- payments, account transactions, deposits -----------------------------------------------------------
const PAYMENT_HEADER = ['项目编号', '工资月份', '身份证号', '收款人姓名', '收款卡号', '发放金额', '发放日期', '发放方式', '银行流水号'];
utf8('payments.csv', [
  csvLine(PAYMENT_HEADER),
  csvLine(['XT-T-001', '2026-10', W.W1.id, W.W1.name, W.W1.card, '7500.00', '2026-11-12', '专户代发', '00120261112000001']),
  csvLine(['XT-T-001', '2026-10', W.W2.id, W.W2.name, W.W2.card, '6800.00', '2026-11-12', '专户', '00120261112000002']),
  csvLine(['XT-T-001', '2026-10', W.W3.id, W.W3.name, '', '3000.00', '2026-11-20', '现金', '']),
  csvLine(['XT-T-001', '2026-10', W.W4.id, '刘志刚', W.W1.card, '5400.00', '2026-11-25', 'other_transfer', 'ZZ2026112500017']),
], true);
// the bank corrects one payment's amount and adds one: the key (project, 银行流水号) replaces
utf8('payments-v2.csv', [
  csvLine(PAYMENT_HEADER),
  csvLine(['XT-T-001', '2026-10', W.W2.id, W.W2.name, W.W2.card, '6600.00', '2026-11-12', '专户代发', '00120261112000002']),
  csvLine(['XT-T-001', '2026-10', W.W3.id, W.W3.name, W.W3.card, '4000.00', '2026-11-26', '专户代发', '00120261126000003']),
], true);
utf8('payments-broken.csv', [
  csvLine(PAYMENT_HEADER),
  /* 2 */ csvLine(['XT-T-001', '2026-10', W.W1.id, W.W1.name, '', '7500.00', '2026-11-12', '专户代发', '']),
  /* 3 */ csvLine(['XT-T-001', '2026-10', W.W2.id, W.W2.name, W.W2.card, '0', '2026-11-12', '微信', '00120261112000009']),
  /* 4 */ csvLine(['XT-T-001', '2026-10', W.W3.id, W.W3.name, W.W3.card, '7000', '2026-11-31', '专户代发', '00120261112000009']),
  /* 5 */ csvLine(['XT-T-001', '2026-10', W.W4.id, W.W4.name, '', '300', '2026-11-20', '现金', '']),
  /* 6 */ csvLine(['XT-T-001', '2026-10', W.W4.id, W.W4.name, '', '300', '2026-11-20', '现金', '']),
  /* 7 */ csvLine(['XT-T-001', '2026-10', W.W5.id, W.W5.name, W.W5.card, '5000', '2026-11-12', '专户代发', '1.23457E+16']),
]);
utf8('account_transactions.csv', [
  csvLine(['project_code', 'tx_date', 'direction', 'amount', 'purpose', 'counterparty', 'bank_ref']),
  csvLine(['XT-T-001', '2026/10/25', 'in', '900000.00', 'labor_cost', OWNER.name, 'SR2026102500001']),
  csvLine(['XT-T-001', '2026/11/12', '支出', '7500.00', '工资代发', W.W1.name, '00120261112000001']),
  csvLine(['XT-T-001', '2026/11/12', '借', '6800.00', '代发工资', W.W2.name, '00120261112000002']),
  csvLine(['XT-T-001', '2026/11/15', '支出', '120000.00', '其他', '邢台恒信商砼有限公司', 'ZC2026111500004']),
]);
gbk('deposits.csv', [
  csvLine(['项目编号', '业务类型', '保证形式', '金额', '日期', '到期日期', '凭证号'], '\t'),
  csvLine(['XT-T-001', '存储', '银行保函', '960,000.00', '2025.12.11', '2026.12.10', 'BH-XD-2025-118'], '\t'),
  csvLine(['XT-T-002', '存储', '现金', '252,000.00', '2026.05.20', '', 'BZJ-XD-2026-0052'], '\t'),
  csvLine(['XT-T-002', '动用', '现金', '20,000.00', '2026.09.10', '', 'BZJ-XD-2026-0113'], '\t'),
]);
utf8('deposits-broken.csv', [
  csvLine(['项目编号', '业务类型', '保证形式', '金额', '日期', '到期日期', '凭证号']),
  /* 2 */ csvLine(['XT-T-001', '存储', '保函', '960000', '2026-05-11', '', 'BH-1']),
  /* 3 */ csvLine(['XT-T-001', '存储', '保证保险', '960000', '2026-05-11', '2026-05-01', 'BX-1']),
  /* 4 */ csvLine(['XT-T-001', '冻结', '现金', '-5', '2026-05-11', '', 'BZJ-1']),
  /* 5 */ csvLine(['XT-T-001', '存储', '现金', '5000', '2026-05-11', '', '']),
]);

console.log(`import cases written to ${OUT}`);
