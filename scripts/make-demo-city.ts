/**
 * Writes the demo city of 邢台市 to fixtures/demo/ — eight construction projects with their roster,
 * five months of wage tables (2026-06 … 2026-10), payments, dedicated-account transactions and guarantee
 * deposits — shaped so that, as of 2026-11-28, the rules core has something to find on most projects
 * (fixtures/README.md lists what each project is designed to show).
 *
 * Deterministic: a seeded PRNG, no clock. Run `npx tsx scripts/make-demo-city.ts` and commit the CSVs.
 * The files imitate what the bureau receives: GBK wage table with a title row, a 合计 row and a signature
 * line; UTF-8 with BOM from newer Excel; a bank's English-header export; a tab-separated GBK sheet.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, dayOfWeek, isoDate, type IsoDate } from '../src/domain/date.ts';
import { addMonths, clampedDayOf, daysInMonth, firstDayOf, lastDayOf, month, type Month } from '../src/domain/month.ts';
import {
  cardNumber,
  creditCode,
  csvLine,
  encodeGb18030,
  identityNumber,
  int,
  pick,
  rng,
  UTF8_BOM,
  yuan,
  yuanGrouped,
} from './fixture-values.ts';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/demo');
const r = rng(20261128);

interface Employer {
  readonly name: string;
  readonly uscc: string;
}

const company = (name: string, area: string): Employer => ({ name, uscc: creditCode(r, '91', area) });
const govBody = (name: string, area: string): Employer => ({ name, uscc: creditCode(r, '11', area) });

// --- employers -------------------------------------------------------------------------------------------
const CONTRACTORS = {
  zhongxing: company('河北中兴建工集团有限公司', '130500'),
  hongda: company('邢台鸿达建筑工程有限公司', '130502'),
  jinan: company('河北冀南建设集团有限公司', '130505'),
  taihang: company('河北太行路桥工程有限公司', '130582'),
  lincheng: company('临城县通达市政工程有限公司', '130522'),
  ningjin: company('宁晋县恒泰建筑安装有限公司', '130528'),
  jinyu: company('邢台金宇建设有限公司', '130503'),
};
const SUBCONTRACTORS = {
  juli: company('邢台聚力劳务有限公司', '130503'),
  shunan: company('河北顺安建筑劳务分包有限公司', '130500'),
  hongyuan: company('沙河市宏远劳务服务有限公司', '130582'),
  zhongcheng: company('宁晋县众诚劳务有限公司', '130528'),
};

// --- projects --------------------------------------------------------------------------------------------
interface Project {
  readonly code: string;
  readonly name: string;
  readonly county: string;
  readonly owner: Employer;
  readonly contractor: Employer;
  readonly subcontractor: Employer;
  readonly amountFen: number;
  readonly signedOn: IsoDate;
  readonly start: IsoDate;
  readonly plannedEnd: IsoDate;
  readonly completion: IsoDate | null;
  readonly gov: boolean;
  readonly account: { readonly no: string; readonly bank: string; readonly openedOn: IsoDate } | null;
  readonly payDay: number | null;
  readonly workers: number;
  /** owner stops paying labour cost into the account after this month */
  readonly laborCostUntil?: Month;
}

const wan = (n: number): number => n * 10_000 * 100;

const PROJECTS: readonly Project[] = [
  {
    code: 'XT-2026-001',
    name: '信都区七里河北岸安置房一期工程',
    county: '信都区',
    owner: company('邢台市信都区城市建设投资有限公司', '130503'),
    contractor: CONTRACTORS.zhongxing,
    subcontractor: SUBCONTRACTORS.juli,
    amountFen: wan(4800),
    signedOn: isoDate('2026-03-10'),
    start: isoDate('2026-04-01'),
    plannedEnd: isoDate('2027-10-31'),
    completion: null,
    gov: true,
    account: { no: '13050161010900000123', bank: '中国建设银行邢台信都支行', openedOn: isoDate('2026-03-25') },
    payDay: 15,
    workers: 14,
  },
  {
    code: 'XT-2026-002',
    name: '襄都区新华路小学综合楼',
    county: '襄都区',
    owner: govBody('邢台市襄都区教育局', '130502'),
    contractor: CONTRACTORS.hongda,
    subcontractor: SUBCONTRACTORS.shunan,
    amountFen: wan(1260),
    signedOn: isoDate('2026-04-01'),
    start: isoDate('2026-05-06'),
    plannedEnd: isoDate('2027-06-30'),
    completion: null,
    gov: true,
    // opened 49 days after signing: the 30-day deadline was missed
    account: { no: '0412 0300 0900 0456 789', bank: '中国工商银行邢台新华路支行', openedOn: isoDate('2026-05-20') },
    payDay: 10,
    workers: 10,
  },
  {
    code: 'XT-2026-003',
    name: '任泽区工业园区标准化厂房',
    county: '任泽区',
    owner: company('邢台市任泽区园区开发建设有限公司', '130505'),
    contractor: CONTRACTORS.jinan,
    subcontractor: SUBCONTRACTORS.shunan,
    amountFen: wan(2650),
    signedOn: isoDate('2026-04-15'),
    start: isoDate('2026-05-08'),
    plannedEnd: isoDate('2027-05-31'),
    completion: null,
    gov: false,
    account: { no: '50301000001234567', bank: '河北银行邢台任泽支行', openedOn: isoDate('2026-05-05') },
    payDay: 15,
    workers: 12,
    laborCostUntil: month('2026-08'),
  },
  {
    code: 'XT-2026-004',
    name: '沙河市玻璃产业园污水处理厂',
    county: '沙河市',
    owner: govBody('沙河市住房和城乡建设局', '130582'),
    contractor: CONTRACTORS.taihang,
    subcontractor: SUBCONTRACTORS.hongyuan,
    amountFen: wan(8000),
    signedOn: isoDate('2026-02-20'),
    start: isoDate('2026-03-16'),
    plannedEnd: isoDate('2027-12-31'),
    completion: null,
    gov: true,
    account: { no: '601300100200345678', bank: '中国农业银行沙河支行', openedOn: isoDate('2026-03-05') },
    payDay: 15,
    workers: 12,
  },
  {
    code: 'XT-2026-005',
    name: '临城县乡村振兴道路改造工程',
    county: '临城县',
    owner: govBody('临城县交通运输局', '130522'),
    contractor: CONTRACTORS.lincheng,
    subcontractor: CONTRACTORS.lincheng,
    amountFen: wan(150),
    signedOn: isoDate('2026-05-12'),
    start: isoDate('2026-05-25'),
    plannedEnd: isoDate('2026-12-31'),
    completion: null,
    gov: true,
    account: null, // no dedicated wage account opened
    payDay: null, // left empty: the default 15 applies
    workers: 8,
  },
  {
    code: 'XT-2026-006',
    name: '宁晋县人民医院门诊楼',
    county: '宁晋县',
    owner: company('宁晋县医疗卫生投资有限公司', '130528'),
    contractor: CONTRACTORS.ningjin,
    subcontractor: SUBCONTRACTORS.zhongcheng,
    amountFen: wan(3500),
    signedOn: isoDate('2025-09-18'),
    start: isoDate('2025-10-08'),
    plannedEnd: isoDate('2026-09-30'),
    completion: isoDate('2026-09-30'),
    gov: true,
    account: { no: '13001680008050001234', bank: '中国银行宁晋支行', openedOn: isoDate('2025-10-10') },
    payDay: 15,
    workers: 10,
  },
  {
    code: 'XT-2026-007',
    name: '信都区万达广场商业综合体',
    county: '信都区',
    owner: company('邢台信万置业有限公司', '130503'),
    contractor: CONTRACTORS.jinyu,
    subcontractor: SUBCONTRACTORS.juli,
    amountFen: wan(6200),
    signedOn: isoDate('2026-04-20'),
    start: isoDate('2026-05-15'),
    plannedEnd: isoDate('2028-04-30'),
    completion: null,
    gov: false,
    account: { no: '13050161020800000777', bank: '中国建设银行邢台分行营业部', openedOn: isoDate('2026-05-08') },
    payDay: 20,
    workers: 12,
  },
  {
    code: 'XT-2026-008',
    name: '襄都区豫让桥街道老旧小区改造',
    county: '襄都区',
    owner: govBody('邢台市襄都区住房和城乡建设局', '130502'),
    contractor: CONTRACTORS.hongda,
    subcontractor: CONTRACTORS.hongda,
    amountFen: wan(380),
    signedOn: isoDate('2026-04-28'),
    start: isoDate('2026-05-11'),
    plannedEnd: isoDate('2026-12-20'),
    completion: null,
    gov: true,
    account: { no: '0412 0300 0900 0999 001', bank: '中国工商银行邢台襄都支行', openedOn: isoDate('2026-05-15') },
    payDay: 15,
    workers: 7,
  },
];

// --- workers ---------------------------------------------------------------------------------------------
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = [
  '建军', '建国', '国强', '志刚', '红旗', '卫东', '春生', '秋生', '永福', '长江', '海涛', '小军', '立新', '玉林', '德胜',
  '振华', '保国', '金柱', '铁柱', '二虎', '俊峰', '晓东', '文斌', '明亮', '树林', '广才', '新民', '秀英', '桂兰', '淑芬',
  '丽娟', '凤霞', '云', '强', '磊', '勇', '军', '伟', '杰', '涛', '鹏', '超', '浩', '亮', '斌', '辉', '刚', '平',
];
const HOME_AREAS = ['130502', '130503', '130505', '130506', '130522', '130523', '130524', '130525', '130528', '130529', '130532', '130533', '130534', '130581', '130582', '410527', '130421', '130430'];
const TEAMS = [
  { team: '木工班', trade: '木工', rate: [320, 380] },
  { team: '钢筋班', trade: '钢筋工', rate: [300, 360] },
  { team: '瓦工班', trade: '砌筑工', rate: [280, 340] },
  { team: '水电班', trade: '电工', rate: [300, 350] },
  { team: '杂工班', trade: '普工', rate: [200, 240] },
] as const;
const CARD_BANKS = [
  { prefix: '622202', bank: '中国工商银行' },
  { prefix: '621700', bank: '中国建设银行' },
  { prefix: '622848', bank: '中国农业银行' },
  { prefix: '621661', bank: '中国银行' },
  { prefix: '622188', bank: '中国邮政储蓄银行' },
  { prefix: '621021', bank: '河北农村信用社' },
];

interface Worker {
  readonly project: Project;
  readonly name: string;
  readonly id: string;
  readonly employer: Employer;
  readonly team: string;
  readonly trade: string;
  readonly entry: IsoDate;
  readonly exit: IsoDate | null;
  readonly contract: boolean;
  readonly basis: '日薪' | '月薪' | '计件';
  readonly rateFen: number | null;
  readonly card: string;
  readonly bank: string;
  phone: string;
  /** 未成年工登记 (roster column); undefined = not stated (the cell stays empty) */
  readonly juvenileRegistered?: boolean;
}

const usedNames = new Set<string>();
let idSeq = 11;
function newPerson(birth?: string): { name: string; id: string } {
  let name: string;
  do name = pick(r, [...SURNAMES]) + pick(r, GIVEN);
  while (usedNames.has(name));
  usedNames.add(name);
  const b = birth ?? `${int(r, 1966, 2000)}-${String(int(r, 1, 12)).padStart(2, '0')}-${String(int(r, 1, 28)).padStart(2, '0')}`;
  idSeq = (idSeq + int(r, 7, 97)) % 1000;
  return { name, id: identityNumber(pick(r, HOME_AREAS), b, idSeq) };
}

function phoneNumber(): string {
  return `1${pick(r, ['33', '35', '37', '38', '39', '52', '58', '59', '80', '87', '89'])}${String(int(r, 0, 99_999_999)).padStart(8, '0')}`;
}

const workers: Worker[] = [];
const byProject = new Map<string, Worker[]>();
for (const p of PROJECTS) {
  const list: Worker[] = [];
  const firstEntry = p.code === 'XT-2026-006' ? isoDate('2026-06-01') : maxDate(isoDate('2026-06-01'), p.start);
  for (let i = 0; i < p.workers; i++) {
    const t = TEAMS[i % TEAMS.length]!;
    const person = newPerson();
    const cardBank = pick(r, CARD_BANKS);
    const basis = i === 0 ? '月薪' : i % 7 === 3 ? '计件' : '日薪';
    const rate = basis === '月薪' ? int(r, 75, 95) * 100 : basis === '日薪' ? int(r, t.rate[0], t.rate[1]) : null;
    list.push({
      project: p,
      name: person.name,
      id: person.id,
      employer: i < 2 ? p.contractor : p.subcontractor,
      team: i === 0 ? '管理班组' : t.team,
      trade: i === 0 ? '塔吊司机' : t.trade,
      entry: addDays(firstEntry, int(r, 0, 6)),
      exit: p.completion ? addDays(p.completion, -int(r, 0, 5)) : null,
      contract: r() > 0.12,
      basis,
      rateFen: rate === null ? null : rate * 100,
      card: cardNumber(r, cardBank.prefix),
      bank: cardBank.bank,
      phone: phoneNumber(),
    });
  }
  byProject.set(p.code, list);
  workers.push(...list);
}

function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

function projectWorkers(code: string): Worker[] {
  return byProject.get(code)!;
}

/** Replaces a worker in place (the generator's special cases). */
function amend(w: Worker, change: Partial<Worker>): Worker {
  const list = projectWorkers(w.project.code);
  const next = { ...w, ...change };
  list[list.indexOf(w)] = next;
  workers[workers.indexOf(w)] = next;
  return next;
}

// Special cases --------------------------------------------------------------------------------------------
// XT-2026-003: one worker enters mid-October, one leaves on 2026-10-20 (his October wages stay unpaid)
const p3 = projectWorkers('XT-2026-003');
const lateEntrant = amend(p3[10]!, { entry: isoDate('2026-10-16') });
const leaver = amend(p3[4]!, { exit: isoDate('2026-10-20') });
// XT-2026-005: a 15-year-old on site (born 2010-12-20, entered in August), labour contracts mostly missing
const p5 = projectWorkers('XT-2026-005');
const minor = newPerson('2010-12-20');
const underage = amend(p5[7]!, { name: minor.name, id: minor.id, entry: isoDate('2026-08-03'), contract: false, team: '杂工班', trade: '普工', basis: '日薪', rateFen: 15_000 });
for (const w of p5.slice(1, 5)) amend(w, { contract: false });
// XT-2026-007: three workers share the foreman's phone
const p7 = projectWorkers('XT-2026-007');
const foreman = p7[1]!;
for (const w of p7.slice(4, 7)) w.phone = foreman.phone;
// a worker on XT-2026-001 who is also booked full-time on XT-2026-007 in October
const doubleBooked = projectWorkers('XT-2026-001')[6]!;
const doubleBookedOn7: Worker = {
  ...doubleBooked,
  project: PROJECTS[6]!,
  employer: SUBCONTRACTORS.juli,
  entry: isoDate('2026-10-01'),
  exit: isoDate('2026-10-31'),
};
projectWorkers('XT-2026-007').push(doubleBookedOn7);
workers.push(doubleBookedOn7);
// XT-2026-004 (issue 19): a 17-year-old scaffolder (born 2009-03-08) from 2026-09-01, not registered as a
// juvenile worker (JUVENILE_NOT_REGISTERED) and in a trade barred to juveniles (架子工: JUVENILE_PROHIBITED_WORK).
// Built without the shared PRNG and appended last (roster, payroll, payments, bank references), so every other
// generated row stays as it was; paid on time from the dedicated account like his team.
const p4 = PROJECTS[3]!;
const juvenile: Worker = {
  project: p4,
  name: '郝晓东',
  id: identityNumber('130582', '2009-03-08', 517),
  employer: p4.subcontractor,
  team: '架子班',
  trade: '架子工',
  entry: isoDate('2026-09-01'),
  exit: null,
  contract: true,
  basis: '日薪',
  rateFen: 22_000,
  card: cardNumber(rng(19), '621700'),
  bank: '中国建设银行',
  phone: '13831905517',
  juvenileRegistered: false,
};
usedNames.add(juvenile.name);
projectWorkers(p4.code).push(juvenile);
workers.push(juvenile);
// XT-2026-007: three roster-active workers with no October wage-table row
const noPayrollOct = new Set(p7.slice(8, 11).map((w) => w.id));

// --- payroll ---------------------------------------------------------------------------------------------
const MONTHS = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10'].map((m) => month(m));

interface PayrollLine {
  readonly w: Worker;
  readonly month: Month;
  readonly daysCenti: number;
  readonly grossFen: number;
  readonly deductionsFen: number;
  readonly netFen: number;
  readonly confirmed: boolean;
}

function activeDays(w: Worker, m: Month): number {
  const from = maxDate(w.entry, firstDayOf(m));
  const to = w.exit && w.exit < lastDayOf(m) ? w.exit : lastDayOf(m);
  if (to < from) return 0;
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

const payroll: PayrollLine[] = [];
for (const m of MONTHS) {
  for (const p of PROJECTS) {
    if (p.completion && firstDayOf(m) > p.completion) continue;
    for (const w of projectWorkers(p.code)) {
      const span = activeDays(w, m);
      if (span === 0) continue;
      if (m === '2026-10' && noPayrollOct.has(w.id) && p.code === 'XT-2026-007') continue;
      if (w === juvenile) {
        // fixed figures (no PRNG draw): 24 days in September, 25 in October at 220 yuan, confirmed
        const daysCenti = m === '2026-09' ? 2400 : 2500;
        const gross = (w.rateFen! * daysCenti) / 100;
        payroll.push({ w, month: m, daysCenti, grossFen: gross, deductionsFen: 0, netFen: gross, confirmed: true });
        continue;
      }
      let days = Math.min(int(r, 20, 27), Math.round((span * 26) / daysInMonth(m)));
      if (w === doubleBookedOn7) days = 15;
      if (w === doubleBooked && m === '2026-10') days = 24;
      const halfDay = r() < 0.15 && days > 1 ? 50 : 0;
      const daysCenti = days * 100 - halfDay;
      let gross: number;
      if (w.basis === '日薪') gross = (w.rateFen! * daysCenti) / 100;
      else if (w.basis === '月薪') gross = days >= 22 ? w.rateFen! : Math.round((w.rateFen! * daysCenti) / 2600);
      else gross = int(r, 4200, 9200) * 100;
      // XT-2026-004: the team leader's October line carries a 58,000-yuan sum (a disguised transfer?)
      if (p.code === 'XT-2026-004' && w === projectWorkers(p.code)[0] && m === '2026-10') gross = 5_800_000;
      // XT-2026-005: the minor is paid 70 yuan a day, far below the minimum wage
      if (w === underage) gross = 7000 * days;
      gross = Math.round(gross);
      const deductions = r() < 0.12 ? int(r, 1, 5) * 10_000 : 0;
      const confirmed =
        (p.code === 'XT-2026-003' && m === '2026-10') || (p.code === 'XT-2026-008' && r() < 0.3) ? false : r() > 0.03;
      payroll.push({ w, month: m, daysCenti, grossFen: gross, deductionsFen: deductions, netFen: gross - deductions, confirmed });
    }
  }
}
// XT-2026-002: October wage-table line for someone who is not on the project's roster
const stranger = newPerson();
const strangerWorker: Worker = { ...projectWorkers('XT-2026-002')[2]!, name: stranger.name, id: stranger.id, card: cardNumber(r, '622202') };
payroll.push({ w: strangerWorker, month: month('2026-10'), daysCenti: 2000, grossFen: 620_000, deductionsFen: 0, netFen: 620_000, confirmed: true });

// --- payments --------------------------------------------------------------------------------------------
interface PaymentLine {
  readonly line: PayrollLine;
  readonly payeeName: string;
  readonly payeeCard: string | null;
  readonly amountFen: number;
  readonly paidOn: IsoDate;
  readonly channel: '专户代发' | '其他转账' | '现金';
  readonly bankRef: string | null;
}

function nominalDue(p: Project, m: Month): IsoDate {
  return clampedDayOf(addMonths(m, 1), p.payDay ?? 15);
}

/** A working day (Mon–Fri) a few days before the pay day: comfortably on time even when it moves earlier. */
function onTimeDate(p: Project, m: Month): IsoDate {
  let d = addDays(nominalDue(p, m), -3);
  while (dayOfWeek(d) === 0 || dayOfWeek(d) === 6) d = addDays(d, -1);
  return d;
}

const refCounters = new Map<string, number>();
function bankRef(p: Project, on: IsoDate): string {
  const n = (refCounters.get(p.code) ?? 0) + 1;
  refCounters.set(p.code, n);
  return `${p.code.slice(-3)}${on.replace(/-/g, '')}${String(n).padStart(5, '0')}`;
}

const payments: PaymentLine[] = [];
for (const line of payroll) {
  const p = line.w.project;
  const m = line.month;
  if (line.w === strangerWorker || line.w === juvenile) continue;
  let paidOn = onTimeDate(p, m);
  let amount = line.netFen;
  let channel: PaymentLine['channel'] = p.account ? '专户代发' : '其他转账';
  let payeeName = line.w.name;
  let payeeCard: string | null = line.w.card;
  const oct = m === '2026-10';
  const p3Index = p.code === 'XT-2026-003' ? p3.indexOf(line.w) : -1;
  if (p.code === 'XT-2026-003' && oct) {
    if (line.w === leaver || p3Index === 7 || p3Index === 8 || line.w === lateEntrant) continue; // unpaid
    if (p3Index === 1 || p3Index === 2 || p3Index === 3) amount = Math.round(line.netFen / 200) * 100; // half paid
  }
  if (p.code === 'XT-2026-001' && m === '2026-08' && [2, 3, 5].includes(projectWorkers(p.code).indexOf(line.w))) {
    paidOn = addDays(nominalDue(p, m), 10); // paid ten days late
  }
  if (p.code === 'XT-2026-002' && m === '2026-09') paidOn = isoDate('2026-10-20'); // the whole September table late
  if (p.code === 'XT-2026-005' && line.w === p5[3] && oct) channel = '现金';
  if (p.code === 'XT-2026-008' && m === '2026-09' && r() < 0.4) channel = '其他转账';
  if (p.code === 'XT-2026-007' && oct) {
    const i = p7.indexOf(line.w);
    if (i >= 4 && i <= 6) payeeCard = foreman.card; // three workers' wages into the foreman's card
    if (i === 7) payeeName = foreman.name; // paid to the foreman by name
  }
  if (channel === '现金') payeeCard = null;
  payments.push({
    line,
    payeeName,
    payeeCard,
    amountFen: amount,
    paidOn,
    channel,
    bankRef: channel === '现金' ? null : bankRef(p, paidOn),
  });
}

// --- account transactions --------------------------------------------------------------------------------
interface TxLine {
  readonly p: Project;
  readonly date: IsoDate;
  readonly direction: 'in' | 'out';
  readonly amountFen: number;
  readonly purpose: 'labor_cost' | 'wages' | 'other';
  readonly counterparty: string;
  readonly ref: string;
}
const txs: TxLine[] = [];
const laborCost = new Map<string, number>();
for (const p of PROJECTS) {
  if (!p.account) continue;
  // the juvenile (added for issue 19) is left out so the owner's labour-cost transfers stay as designed; his
  // 5,000-odd yuan a month sits inside the 15 % margin
  const nets = MONTHS.map((m) => payroll.filter((l) => l.w.project === p && l.w !== juvenile && l.month === m).reduce((a, l) => a + l.netFen, 0));
  const peak = Math.max(...nets);
  const cost = Math.ceil((peak * 1.15) / 1_000_000) * 1_000_000; // rounded up to 10,000 yuan
  laborCost.set(p.code, cost);
  const lastMonth = p.completion ? month(p.completion.slice(0, 7)) : month('2026-11');
  for (let m = month(p.start.slice(0, 7)); m <= lastMonth; m = addMonths(m, 1)) {
    if (p.laborCostUntil && m > p.laborCostUntil) break;
    const date = clampedDayOf(m, 25);
    txs.push({ p, date, direction: 'in', amountFen: cost, purpose: 'labor_cost', counterparty: p.owner.name, ref: bankRef(p, date) });
  }
}
// the juvenile's wages, on time by 专户代发 — numbered after the labour-cost inflows so every other bank
// reference keeps its number
for (const line of payroll) {
  if (line.w !== juvenile) continue;
  const paidOn = onTimeDate(p4, line.month);
  payments.push({ line, payeeName: juvenile.name, payeeCard: juvenile.card, amountFen: line.netFen, paidOn, channel: '专户代发', bankRef: bankRef(p4, paidOn) });
}
// XT-2026-008 (issue 19): one September 专户代发 transfer came back from the bank on 2026-10-20 (户名不符) and was
// not paid again (PAYMENT_RETURNED; the worker-month is unpaid from that day) — recorded on the payment row
const returnedPayment = payments.find((x) => x.line.w.project.code === 'XT-2026-008' && x.line.month === '2026-09' && x.channel === '专户代发')!;
const RETURNS = new Map<PaymentLine, { on: IsoDate; reason: string }>([[returnedPayment, { on: isoDate('2026-10-20'), reason: '户名不符' }]]);

let skippedOne = false;
for (const pay of payments) {
  if (pay.channel !== '专户代发') continue;
  const p = pay.line.w.project;
  // XT-2026-007: one dedicated-account payment has no matching outflow on the account statement
  if (p.code === 'XT-2026-007' && pay.line.month === '2026-09' && !skippedOne) {
    skippedOne = true;
    continue;
  }
  txs.push({ p, date: pay.paidOn, direction: 'out', amountFen: pay.amountFen, purpose: 'wages', counterparty: pay.payeeName, ref: pay.bankRef! });
}
// XT-2026-007: the dedicated account pays a materials supplier
{
  const p = PROJECTS[6]!;
  const date = isoDate('2026-09-18');
  txs.push({ p, date, direction: 'out', amountFen: 18_650_000, purpose: 'other', counterparty: '邢台恒信商砼有限公司', ref: bankRef(p, date) });
}
txs.sort((a, b) => (a.p.code === b.p.code ? a.date.localeCompare(b.date) : a.p.code.localeCompare(b.p.code)));

// --- deposits --------------------------------------------------------------------------------------------
interface DepositLine {
  readonly p: Project;
  readonly event: string;
  readonly form: string;
  readonly amountFen: number;
  readonly date: IsoDate;
  readonly expiresOn: IsoDate | null;
  readonly voucher: string;
}
const deposits: DepositLine[] = [
  { p: PROJECTS[0]!, event: '存储', form: '现金', amountFen: 96_000_000, date: isoDate('2026-03-27'), expiresOn: null, voucher: 'BZJ-XD-2026-0031' },
  { p: PROJECTS[1]!, event: '存储', form: '保证保险', amountFen: 25_200_000, date: isoDate('2026-04-24'), expiresOn: isoDate('2027-04-23'), voucher: 'BX2026XD0418' },
  // required 2% = 530,000 yuan; only 300,000 stored
  { p: PROJECTS[2]!, event: '存储', form: '现金', amountFen: 30_000_000, date: isoDate('2026-05-12'), expiresOn: null, voucher: 'BZJ-RZ-2026-0007' },
  // capped at 5,000,000 yuan would be 1,600,000 (2%); a bank guarantee expiring on 2026-12-10
  { p: PROJECTS[3]!, event: '存储', form: '银行保函', amountFen: 160_000_000, date: isoDate('2025-12-11'), expiresOn: isoDate('2026-12-10'), voucher: 'BH-SH-2025-118' },
  { p: PROJECTS[5]!, event: '存储', form: '现金', amountFen: 70_000_000, date: isoDate('2025-10-15'), expiresOn: null, voucher: 'BZJ-NJ-2025-0102' },
  { p: PROJECTS[5]!, event: '返还', form: '现金', amountFen: 70_000_000, date: isoDate('2026-11-16'), expiresOn: null, voucher: 'BZJ-NJ-2026-0088' },
  { p: PROJECTS[7]!, event: '存储', form: '现金', amountFen: 7_600_000, date: isoDate('2026-05-22'), expiresOn: null, voucher: 'BZJ-XD-2026-0052' },
  // used on a labour inspectorate notice and never replenished
  { p: PROJECTS[7]!, event: '动用', form: '现金', amountFen: 2_000_000, date: isoDate('2026-09-10'), expiresOn: null, voucher: 'BZJ-XD-2026-0113' },
];

// --- files -----------------------------------------------------------------------------------------------
mkdirSync(OUT, { recursive: true });
const CRLF = '\r\n';

function writeUtf8(name: string, lines: readonly string[], bom: boolean): void {
  const body = Buffer.from(lines.join(CRLF) + CRLF, 'utf8');
  writeFileSync(resolve(OUT, name), bom ? Buffer.concat([UTF8_BOM, body]) : body);
}

function writeGbk(name: string, lines: readonly string[]): void {
  writeFileSync(resolve(OUT, name), encodeGb18030(lines.join(CRLF) + CRLF));
}

// projects.csv — UTF-8 with BOM, Chinese headers, a 序号 column the importer ignores with a warning
writeUtf8(
  'projects.csv',
  [
    csvLine(['序号', '项目编号', '项目名称', '所属区县', '建设单位', '建设单位信用代码', '施工总承包单位', '总承包单位信用代码', '合同金额', '合同签订日期', '开工日期', '计划竣工日期', '竣工日期', '政府投资', '专用账户账号', '专用账户开户行', '专用账户开户日期', '工资支付日', '月人工费用']),
    ...PROJECTS.map((p, i) =>
      csvLine([
        i + 1,
        p.code,
        p.name,
        p.county,
        p.owner.name,
        p.owner.uscc,
        p.contractor.name,
        p.contractor.uscc,
        yuanGrouped(p.amountFen),
        p.signedOn,
        p.start,
        p.plannedEnd,
        p.completion,
        p.gov ? '是' : '否',
        p.account?.no,
        p.account?.bank,
        p.account?.openedOn,
        p.payDay,
        laborCost.has(p.code) ? yuan(laborCost.get(p.code)!) : '',
      ]),
    ),
  ],
  true,
);

// roster.csv — UTF-8 with BOM
writeUtf8(
  'roster.csv',
  [
    csvLine(['项目编号', '姓名', '身份证号', '用工单位', '用工单位信用代码', '班组', '工种', '进场日期', '退场日期', '劳动合同', '计薪方式', '工资标准', '银行卡号', '开户银行', '手机号码', '未成年工登记']),
    ...workers.map((w) =>
      csvLine([
        w.project.code,
        w.name,
        w.id,
        w.employer.name,
        w.employer.uscc,
        w.team,
        w.trade,
        w.entry,
        w.exit,
        w.contract ? '是' : '否',
        w.basis,
        w.rateFen === null ? '' : yuan(w.rateFen),
        w.card,
        w.bank,
        w.phone,
        w.juvenileRegistered === undefined ? '' : w.juvenileRegistered ? '是' : '否',
      ]),
    ),
  ],
  true,
);

// payroll.csv — GBK, as a county office's Excel saves it: title row, header, rows, 合计, signature line
{
  const sorted = [...payroll].sort((a, b) =>
    a.w.project.code === b.w.project.code ? a.month.localeCompare(b.month) : a.w.project.code.localeCompare(b.w.project.code),
  );
  const sum = (f: (l: PayrollLine) => number): number => sorted.reduce((a, l) => a + f(l), 0);
  writeGbk('payroll.csv', [
    csvLine(['邢台市 2026年6月—10月 农民工工资支付表（汇总）', '', '', '', '', '', '', '', '']),
    csvLine(['项目编号', '工资月份', '姓名', '身份证号', '出勤天数', '应发工资', '代扣款项', '实发工资', '本人确认']),
    ...sorted.map((l) =>
      csvLine([
        l.w.project.code,
        `${l.month.slice(0, 4)}年${Number(l.month.slice(5))}月`,
        // Excel templates pad two-character names with a full-width space
        [...l.w.name].length === 2 ? [...l.w.name].join('　') : l.w.name,
        l.w.id,
        l.daysCenti % 100 === 0 ? String(l.daysCenti / 100) : (l.daysCenti / 100).toFixed(1),
        yuanGrouped(l.grossFen),
        l.deductionsFen ? yuanGrouped(l.deductionsFen) : '',
        yuanGrouped(l.netFen),
        l.confirmed ? '是' : '否',
      ]),
    ),
    csvLine(['合计', '', '', '', '', yuanGrouped(sum((l) => l.grossFen)), yuanGrouped(sum((l) => l.deductionsFen)), yuanGrouped(sum((l) => l.netFen)), '']),
    csvLine(['劳资专管员：', '', '项目经理：', '', '制表日期：2026年11月20日', '', '', '', '']),
  ]);
}

// payments.csv — UTF-8 with BOM
writeUtf8(
  'payments.csv',
  [
    csvLine(['项目编号', '工资月份', '身份证号', '收款人姓名', '收款卡号', '发放金额', '发放日期', '发放方式', '银行流水号', '退回日期', '退回原因']),
    ...payments.map((p) =>
      csvLine([p.line.w.project.code, p.line.month, p.line.w.id, p.payeeName, p.payeeCard, yuan(p.amountFen), p.paidOn, p.channel, p.bankRef, RETURNS.get(p)?.on, RETURNS.get(p)?.reason]),
    ),
  ],
  true,
);

// account_transactions.csv — a bank's export: UTF-8 without BOM, English headers, slashed dates
writeUtf8(
  'account_transactions.csv',
  [
    csvLine(['project_code', 'tx_date', 'direction', 'amount', 'purpose', 'counterparty', 'bank_ref']),
    ...txs.map((t) => csvLine([t.p.code, t.date.replace(/-/g, '/'), t.direction, yuan(t.amountFen), t.purpose, t.counterparty, t.ref])),
  ],
  false,
);

// deposits.csv — GBK, tab-separated ("文本文件(制表符分隔)" from Excel)
writeGbk('deposits.csv', [
  csvLine(['项目编号', '业务类型', '保证形式', '金额', '日期', '到期日期', '凭证号'], '\t'),
  ...deposits.map((d) =>
    csvLine([d.p.code, d.event, d.form, yuanGrouped(d.amountFen), d.date.replace(/-/g, '.'), d.expiresOn ?? '', d.voucher], '\t'),
  ),
]);

console.log(
  `demo city written to ${OUT}: ${PROJECTS.length} projects, ${workers.length} roster entries, ${payroll.length} payroll rows, ` +
    `${payments.length} payments, ${txs.length} account transactions, ${deposits.length} deposit events`,
);
