/**
 * 执法期限与标准 — the statutory clocks and figures of enforcement (RULES.md "Blacklist", "Criminal threshold",
 * "Inspection, mediation, arbitration, trial, enforcement"). Every value is dated and cites its article; the
 * way a period is counted (working days, calendar days, months, years) is part of the value, because the law
 * says which: 劳动人事争议仲裁办案规则 第八十条 (3/5/10-day periods are working days, 15/45-day periods calendar
 * days), 民事诉讼法 第八十五条 (the first day is not counted; a period whose last day is a holiday ends on the
 * first working day after it), 名单办法 (working days throughout).
 */
import type { IsoDate } from '../../domain/date.ts';
import { fen, type Fen } from '../../domain/money.ts';
import { dated, type Dated, type ParamSource } from './dated.ts';

/** 期间计算方式 */
export type PeriodUnit = 'working_days' | 'calendar_days' | 'months' | 'years';

/** A statutory period: n units from a start day (the start day itself never counts), optionally extendable. */
export interface PeriodRule {
  readonly n: number;
  readonly unit: PeriodUnit;
  /** the most the period may be extended by, in the same unit (absent: not extendable) */
  readonly extension?: number;
  /**
   * a calendar-day, month or year period whose last day is a rest day or holiday ends on the next working day
   * (民事诉讼法 第八十五条; 劳动人事争议仲裁办案规则 第八十条). Working-day periods end on a working day anyway.
   */
  readonly rollForward: boolean;
}

const ARB_LAW = '中华人民共和国劳动争议调解仲裁法';
const ARB_LAW_FROM = '2008-05-01' as IsoDate;
const ARB_RULES = '劳动人事争议仲裁办案规则（人社部令第33号）';
const ARB_RULES_FROM = '2017-07-01' as IsoDate;
const CPL = '中华人民共和国民事诉讼法（2023年修正）';
const CPL_FROM = '2024-01-01' as IsoDate;
const INSPECTION = '劳动保障监察条例（国务院令第423号）';
const INSPECTION_FROM = '2004-12-01' as IsoDate;
const LIST_DECREE = '拖欠农民工工资失信联合惩戒对象名单管理暂行办法（人社部令第45号）';
const LIST_FROM = '2022-01-01' as IsoDate;

const src = (document: string, article: string, note?: string, verified = true): ParamSource => ({ document, article, verified, ...(note ? { note } : {}) });
const period = (name: string, from: IsoDate, value: PeriodRule, source: ParamSource): Dated<PeriodRule> => dated<PeriodRule>(name, [{ from, value, source }]);

const COUNT_NOTE_WD = '仲裁办案规则第八十条：三日、五日、十日指工作日';
const COUNT_NOTE_CD = '仲裁办案规则第八十条：十五日、四十五日指自然日；期间最后一日为法定节假日的，顺延至节假日后第一个工作日';

// —— 劳动保障监察 ——
/** 投诉受理 — a complaint accepted (or refused) within 5 working days. */
export const inspectionAcceptPeriod = period('劳动保障监察投诉受理期限', '2005-02-01' as IsoDate, { n: 5, unit: 'working_days', rollForward: false }, src('关于实施《劳动保障监察条例》若干规定（劳社部令第25号）', '第十八条', '违法行为发生在2年内、有明确被投诉单位、属于管辖范围的，5个工作日内决定是否受理'));
/** 调查 — investigation closed within 60 working days of filing, extendable by 30 working days. */
export const inspectionInvestigatePeriod = period('劳动保障监察案件办结期限', INSPECTION_FROM, { n: 60, unit: 'working_days', extension: 30, rollForward: false }, src(INSPECTION, '第十七条', '自立案之日起60个工作日内完成；情况复杂的经批准可延长30个工作日'));

// —— 调解 ——
/** 调解 — no agreement within 15 days of the application: either party may apply for arbitration. */
export const mediationPeriod = period('劳动争议调解期限', ARB_LAW_FROM, { n: 15, unit: 'calendar_days', rollForward: true }, src(ARB_LAW, '第十四条', `自收到调解申请之日起15日内未达成调解协议的，当事人可以依法申请仲裁。${COUNT_NOTE_CD}`));

// —— 仲裁 ——
/** 仲裁受理 — accepted or refused within 5 days (working days per 办案规则 第八十条). */
export const arbitrationAcceptPeriod = period('劳动争议仲裁受理期限', ARB_LAW_FROM, { n: 5, unit: 'working_days', rollForward: false }, src(ARB_LAW, '第二十九条', `收到仲裁申请之日起5日内决定是否受理；${COUNT_NOTE_WD}`));
/** 仲裁裁决 — award within 45 days of acceptance, extendable by 15 days (calendar days). */
export const arbitrationAwardPeriod = period('劳动争议仲裁裁决期限', ARB_LAW_FROM, { n: 45, unit: 'calendar_days', extension: 15, rollForward: true }, src(ARB_LAW, '第四十三条', `自受理仲裁申请之日起45日内结束；案情复杂经批准可延期，延长期限不得超过15日。${COUNT_NOTE_CD}`));
/** 终局裁决 — the worker may still sue within 15 days of receiving the final award. */
export const finalAwardWorkerSuitPeriod = period('终局裁决劳动者起诉期限', ARB_LAW_FROM, { n: 15, unit: 'calendar_days', rollForward: true }, src(ARB_LAW, '第四十八条', '劳动者对终局裁决不服的，可以自收到裁决书之日起15日内向人民法院提起诉讼'));
/** 终局裁决 — the employer may only apply to set it aside within 30 days. */
export const finalAwardSetAsidePeriod = period('终局裁决用人单位申请撤销期限', ARB_LAW_FROM, { n: 30, unit: 'calendar_days', rollForward: true }, src(ARB_LAW, '第四十九条', '用人单位有证据证明终局裁决有法定情形的，可以自收到裁决书之日起30日内向中级人民法院申请撤销'));
/** 非终局裁决 — either party may sue within 15 days. */
export const awardSuitPeriod = period('非终局裁决起诉期限', ARB_LAW_FROM, { n: 15, unit: 'calendar_days', rollForward: true }, src(ARB_LAW, '第五十条', '当事人对非终局裁决不服的，可以自收到裁决书之日起15日内提起诉讼；期满不起诉的，裁决书发生法律效力'));
/** 终局裁决限额 — pay claims not above 12 months of the local monthly minimum wage are finally decided by arbitration. */
export const finalAwardLimitMonths = dated<number>('终局裁决限额（当地月最低工资标准的倍数）', [
  { from: ARB_LAW_FROM, value: 12, source: src(ARB_LAW, '第四十七条', '追索劳动报酬不超过当地月最低工资标准十二个月金额的争议，仲裁裁决为终局裁决') },
]);
/** 集体争议 — ten or more workers with a common claim (a group case). */
export const collectiveDisputeWorkers = dated<number>('集体劳动争议人数', [
  { from: ARB_LAW_FROM, value: 10, source: src(ARB_LAW, '第七条', '发生劳动争议的劳动者一方在十人以上，并有共同请求的，可以推举代表参加调解、仲裁或者诉讼活动') },
]);

// —— 审判与执行 ——
/** 简易程序 — simplified procedure decided within 3 months, extendable by 1 month. */
export const trialSimplifiedPeriod = period('简易程序审理期限', CPL_FROM, { n: 3, unit: 'months', extension: 1, rollForward: true }, src(CPL, '第一百六十四条', '适用简易程序审理案件，应当在立案之日起三个月内审结；有特殊情况需要延长的，经本院院长批准，可以延长一个月'));
/** 小额诉讼 — small claims decided within 2 months, extendable by 1 month. */
export const trialSmallClaimsPeriod = period('小额诉讼审理期限', CPL_FROM, { n: 2, unit: 'months', extension: 1, rollForward: true }, src(CPL, '第一百六十八条', '小额诉讼程序应当在立案之日起两个月内审结（RULES.md [V]）；延长一个月及条文序号待与2023年修正文本核对', false));
/** 上诉期 — a first-instance judgment may be appealed within 15 days of service; unused, it takes effect. */
export const judgmentAppealPeriod = period('第一审判决上诉期限', CPL_FROM, { n: 15, unit: 'calendar_days', rollForward: true }, src(CPL, '第一百七十一条', '当事人不服地方人民法院第一审判决的，有权在判决书送达之日起十五日内向上一级人民法院提起上诉；上诉期满未上诉的，判决于期满次日发生法律效力（第一百五十八条）'));
/** 申请执行期间 — apply for enforcement within 2 years of the judgment or award becoming enforceable. */
export const enforcementApplicationPeriod = period('申请执行期间', CPL_FROM, { n: 2, unit: 'years', rollForward: true }, src(CPL, '第二百五十条', '申请执行的期间为二年，从法律文书规定履行期间的最后一日起计算；规定分期履行的，从最后一期履行期限届满之日起计算；未规定履行期间的，从法律文书生效之日起计算（条文序号随修正变动，此为2023年修正文本）。劳动争议仲裁裁决同样适用（劳动争议调解仲裁法第五十一条）'));
/** 执行期限 — an enforcement case with assets closed within 6 months of filing (court rule, not statute). */
export const enforcementExecutionPeriod = period('执行案件办理期限', '2006-12-23' as IsoDate, { n: 6, unit: 'months', rollForward: true }, src('最高人民法院关于人民法院办理执行案件若干期限的规定（法发〔2006〕35号）', '第一条', '被执行人有财产可供执行的案件，一般应当在立案之日起6个月内执结（不在 RULES.md 中，按记忆录入，to confirm）', false));

// —— 失信联合惩戒名单（名单办法，均为工作日）——
/** 告知后陈述申辩 — the unit has 5 working days after the notice to state its case or object. */
export const listingStatementPeriod = period('列入名单告知后陈述申辩期限', LIST_FROM, { n: 5, unit: 'working_days', rollForward: false }, src(LIST_DECREE, '第六条', '作出列入决定前书面告知；当事人可在告知之日起5个工作日内提出陈述申辩'));
/** 异议复核 — the office checks an objection within 5 working days. */
export const listingObjectionCheckPeriod = period('列入名单异议复核期限', LIST_FROM, { n: 5, unit: 'working_days', rollForward: false }, src(LIST_DECREE, '第六条', '人力资源社会保障行政部门应当在5个工作日内复核'));
/** 列入决定 — decided within 20 working days after the payment order's deadline, +20 for complex cases. */
export const listingDecisionPeriod = period('列入名单决定期限', LIST_FROM, { n: 20, unit: 'working_days', extension: 20, rollForward: false }, src(LIST_DECREE, '第八条', '自责令限期支付的期限届满之日起20个工作日内作出决定；情况复杂的经负责人批准可延长20个工作日'));
/** 名单期限 — 3 years from the decision. */
export const listingTerm = period('失信联合惩戒名单期限', LIST_FROM, { n: 3, unit: 'years', rollForward: false }, src(LIST_DECREE, '第十一条', '信息管理期限为3年，自作出列入决定之日起计算；期满自动移出（本系统：列入日起至满3年之日（不含）'));
/** 提前移出 — at least 6 months on the list counted from the correction. */
export const earlyRemovalMinMonths = dated<number>('提前移出名单最短列入期', [
  { from: LIST_FROM, value: 6, source: src(LIST_DECREE, '第十二条', '已改正拖欠行为，且自改正之日起被列入名单满6个月，作出信用承诺的，可申请提前移出') },
]);
/** 提前移出审核 — the office decides on an application within 15 working days. */
export const earlyRemovalDecisionPeriod = period('提前移出名单审核期限', LIST_FROM, { n: 15, unit: 'working_days', rollForward: false }, src(LIST_DECREE, '第十四条', '自收到申请之日起15个工作日内作出决定'));
/** 移出执行 — removal carried out within 10 working days. */
export const removalExecutionPeriod = period('移出名单执行期限', LIST_FROM, { n: 10, unit: 'working_days', rollForward: false }, src(LIST_DECREE, '第十七条', '决定移出的，10个工作日内移出并停止公开、共享'));

// —— 保证金动用 ——
/** 保证金支付 — the bank pays from the deposit within 5 working days of the use notice. */
export const depositUsePaymentPeriod = period('工资保证金动用银行支付期限', '2021-11-01' as IsoDate, { n: 5, unit: 'working_days', rollForward: false }, src('工程建设领域农民工工资保证金规定（人社部发〔2021〕65号）', '第十七条', '银行收到人力资源社会保障行政部门的支付通知书后5个工作日内从保证金账户中将相应数额的款项以银行转账方式支付给农民工（条文序号待核对）', true));

// —— 加付赔偿金 ——
/** 加付赔偿金 — an order to pay ignored: 50%–100% of the amount owed, to the worker. */
export const additionalCompensationRates = dated<{ readonly low: string; readonly high: string }>('逾期不支付加付赔偿金比例', [
  { from: '2008-01-01' as IsoDate, value: { low: '0.5', high: '1' }, source: src('中华人民共和国劳动合同法；劳动保障监察条例', '劳动合同法第八十五条；监察条例第二十六条', '责令限期支付，逾期不支付的，责令按应付金额50%以上100%以下的标准向劳动者加付赔偿金') },
]);

// —— 拒不支付劳动报酬罪 ——
/** 数额较大 — the national range, and each province's own figure inside it. */
export interface CriminalThreshold {
  /** one worker, at least `months` months of pay, totalling the figure or more */
  readonly singleWorker: { readonly months: number; readonly low: Fen; readonly high: Fen };
  /** `workers` or more workers totalling the figure or more */
  readonly group: { readonly workers: number; readonly low: Fen; readonly high: Fen };
}
export const criminalThresholdNational = dated<CriminalThreshold>('拒不支付劳动报酬罪数额较大标准（全国幅度）', [
  {
    from: '2013-01-23' as IsoDate,
    value: { singleWorker: { months: 3, low: fen(500_000), high: fen(2_000_000) }, group: { workers: 10, low: fen(3_000_000), high: fen(10_000_000) } },
    source: src('中华人民共和国刑法 第二百七十六条之一；最高人民法院关于审理拒不支付劳动报酬刑事案件适用法律若干问题的解释（法释〔2013〕3号）', '第三条', '拒不支付一名劳动者三个月以上劳动报酬且数额在五千元至二万元以上，或拒不支付十名以上劳动者劳动报酬且数额累计在三万元至十万元以上；各省高级法院在幅度内确定本地标准'),
  },
]);
/** 河北省标准 — a LOCAL SETTING not found in the sources: null until the bureau configures it. */
export const criminalThresholdLocal = dated<{ readonly singleWorker: Fen; readonly group: Fen } | null>('拒不支付劳动报酬罪数额较大标准（河北省）', [
  {
    from: '2013-01-23' as IsoDate,
    value: null,
    source: { document: '河北省高级人民法院确定的本地标准（未查到）', verified: false, localSetting: true, note: '未配置：按全国幅度的两端（5000/20000元；30000/100000元）分别报告' },
  },
]);

/** Every enforcement parameter, as one set (a bureau setting or a test replaces one value). */
export const ENFORCEMENT_PARAMS = {
  inspectionAcceptPeriod,
  inspectionInvestigatePeriod,
  mediationPeriod,
  arbitrationAcceptPeriod,
  arbitrationAwardPeriod,
  finalAwardWorkerSuitPeriod,
  finalAwardSetAsidePeriod,
  awardSuitPeriod,
  finalAwardLimitMonths,
  collectiveDisputeWorkers,
  trialSimplifiedPeriod,
  trialSmallClaimsPeriod,
  judgmentAppealPeriod,
  enforcementApplicationPeriod,
  enforcementExecutionPeriod,
  listingStatementPeriod,
  listingObjectionCheckPeriod,
  listingDecisionPeriod,
  listingTerm,
  earlyRemovalMinMonths,
  earlyRemovalDecisionPeriod,
  removalExecutionPeriod,
  depositUsePaymentPeriod,
  additionalCompensationRates,
  criminalThresholdNational,
  criminalThresholdLocal,
};
export type EnforcementParams = typeof ENFORCEMENT_PARAMS;
