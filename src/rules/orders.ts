/**
 * 责令限期支付 — a labour-inspection order to pay wages within a deadline (劳动保障监察条例 第二十六条;
 * 劳动合同法 第八十五条), judged against the worker-month ledger as of D. When the deadline has passed with
 * wages still owed, the order proposes the next steps the law provides, with their amounts:
 *
 * 1. 动用工资保证金 — use of the project's guarantee deposit (条例 第三十二条; 保证金规定): up to what is held;
 * 2. 加付赔偿金 — additional compensation of 50%–100% of the amount owed, to the workers;
 * 3. 列入失信名单 — the blacklist procedure, when the amount reaches the criminal threshold (名单办法 第五条);
 * 4. 移送公安机关 — criminal referral, when the threshold is met (刑法 第二百七十六条之一).
 */
import type { IsoDate } from '../domain/date.ts';
import { yuanText, mulFen, sumFen, type Fen } from '../domain/money.ts';
import type { WorkingDayCalendar } from './calendar.ts';
import { criminalThresholdCheck, type ThresholdCheck, type WorkerArrears } from './criminal.ts';
import { deadlineOf, type Deadline } from './deadlines.ts';
import { cite, type ParamUse } from './params/dated.ts';
import { percentZh, periodAt, periodZh, valueAt } from './params/text.ts';
import { ENFORCEMENT_PARAMS, type EnforcementParams } from './params/enforcement.ts';
import type { WorkerMonth } from './wages.ts';

/** One worker-month named in an order. */
export interface OrderItem {
  readonly projectId: number;
  readonly projectCode: string;
  readonly idNumber: string;
  readonly name?: string;
  readonly month: string;
  /** the arrears the order named when it was issued */
  readonly amountOrdered: Fen;
}

export interface OrderFacts {
  readonly issuedOn: IsoDate;
  readonly deadline: IsoDate;
  readonly items: readonly OrderItem[];
}

export interface OrderItemStatus extends OrderItem {
  /** the ledger's arrears for the worker-month as of D (the ordered amount when the ledger no longer has the month) */
  readonly owedNow: Fen;
  readonly paidInFullOn: IsoDate | null;
}

export type OrderStatus = 'running' | 'complied' | 'paid_after_deadline' | 'expired_unpaid';

export interface Proposal {
  readonly step: 'use_deposit' | 'additional_compensation' | 'blacklist' | 'criminal_referral';
  /** proposed now, or only looked at and not (yet) available */
  readonly proposed: boolean;
  readonly amount?: Fen;
  readonly range?: { readonly low: Fen; readonly high: Fen };
  readonly dueBy?: Deadline;
  readonly text: string;
  readonly basis: { readonly document: string; readonly article: string };
}

export interface OrderEvaluation {
  readonly asOf: IsoDate;
  readonly status: OrderStatus;
  readonly ordered: Fen;
  readonly owed: Fen;
  readonly items: readonly OrderItemStatus[];
  readonly proposals: readonly Proposal[];
  readonly threshold: ThresholdCheck | null;
  readonly sentence: string;
  readonly params: readonly ParamUse[];
}

export interface OrderContext {
  /** the guarantee deposit held on the order's project(s) at D; null when unknown */
  readonly depositHeld: Fen | null;
  /** a group or extreme incident recorded by an inspector for these arrears (名单办法 第五条第二项) */
  readonly incidentRecorded?: boolean;
}

const key = (projectId: number, idNumber: string, month: string) => `${projectId}|${month}|${idNumber}`;

/** Per worker: what is still owed and over how many wage months (for the criminal-threshold test). */
export function workerArrearsOf(items: readonly { idNumber: string; name?: string; owedNow: Fen; month: string }[]): WorkerArrears[] {
  const by = new Map<string, { name?: string; amount: Fen[]; months: Set<string> }>();
  for (const i of items) {
    if (i.owedNow <= 0) continue;
    const cur = by.get(i.idNumber) ?? { name: i.name, amount: [], months: new Set<string>() };
    cur.amount.push(i.owedNow);
    cur.months.add(i.month);
    by.set(i.idNumber, cur);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([idNumber, v]) => ({ idNumber, ...(v.name ? { name: v.name } : {}), amount: sumFen(v.amount), months: v.months.size }));
}

export function evaluateOrder(
  order: OrderFacts,
  ledger: readonly WorkerMonth[],
  asOf: IsoDate,
  ctx: OrderContext,
  calendar: WorkingDayCalendar,
  p: EnforcementParams = ENFORCEMENT_PARAMS,
): OrderEvaluation {
  const byKey = new Map(ledger.map((w) => [key(w.projectId, w.idNumber, w.month), w]));
  const items: OrderItemStatus[] = order.items.map((i) => {
    const w = byKey.get(key(i.projectId, i.idNumber, i.month));
    return { ...i, owedNow: w ? w.arrears : i.amountOrdered, paidInFullOn: w ? w.paidInFullOn : null };
  });
  const ordered = sumFen(order.items.map((i) => i.amountOrdered));
  const owed = sumFen(items.map((i) => i.owedNow));
  const expired = asOf > order.deadline;
  const lastPaid = items.reduce<IsoDate | null>((m, i) => (i.paidInFullOn && (!m || i.paidInFullOn > m) ? i.paidInFullOn : m), null);
  const status: OrderStatus = owed > 0 ? (expired ? 'expired_unpaid' : 'running') : lastPaid && lastPaid > order.deadline ? 'paid_after_deadline' : 'complied';

  const proposals: Proposal[] = [];
  let threshold: ThresholdCheck | null = null;
  const params: ParamUse[] = [];
  if (status === 'expired_unpaid') {
    // 1. the guarantee deposit
    const held = ctx.depositHeld;
    const use = held === null ? null : held < owed ? held : owed;
    const bankDays = p.depositUsePaymentPeriod.at(asOf);
    proposals.push({
      step: 'use_deposit',
      proposed: use !== null && use > 0,
      ...(use !== null && use > 0 ? { amount: use } : {}),
      text:
        held === null
          ? '项目工资保证金持有额未知，须先核实后决定是否动用'
          : held === 0
            ? '项目未持有工资保证金，无法动用（应同时查处未存储保证金）'
            : `向银行发出保证金支付通知书，动用${yuanText(use!)}元支付被拖欠的工资（持有${yuanText(held)}元，欠薪${yuanText(owed)}元），银行应在收到通知书后${periodZh(bankDays.value)}内支付；施工总承包单位应在${valueAt(p.depositReplenishDeadline, asOf).workingDays}个工作日内补足`,
      basis: { document: '保障农民工工资支付条例；工程建设领域农民工工资保证金规定', article: '条例第三十二条；保证金规定' },
    });
    params.push(cite(bankDays));
    // 2. additional compensation
    const rates = p.additionalCompensationRates.at(asOf);
    const low = mulFen(owed, rates.value.low);
    const high = mulFen(owed, rates.value.high);
    proposals.push({
      step: 'additional_compensation',
      proposed: true,
      range: { low, high },
      text: `逾期未支付${yuanText(owed)}元：责令按应付金额${percentZh(rates.value.low)}以上${percentZh(rates.value.high)}以下加付赔偿金，即${yuanText(low)}元至${yuanText(high)}元，支付给劳动者本人`,
      basis: { document: '中华人民共和国劳动合同法；劳动保障监察条例', article: '劳动合同法第八十五条；监察条例第二十六条' },
    });
    params.push(cite(rates));
    // 3 and 4. the amount test
    threshold = criminalThresholdCheck(workerArrearsOf(items), asOf, p);
    const decision = deadlineOf('listing_decision', p.listingDecisionPeriod, order.deadline, calendar);
    const listable = threshold.verdict === 'met' || Boolean(ctx.incidentRecorded);
    proposals.push({
      step: 'blacklist',
      proposed: listable,
      dueBy: decision,
      text: `${ctx.incidentRecorded ? '已记录因拖欠工资引发的群体性事件或极端事件；' : ''}${threshold.verdict === 'met' ? '欠薪数额达到拒不支付劳动报酬罪数额较大标准；' : threshold.verdict === 'depends_on_local_figure' ? '欠薪数额是否达到数额较大标准取决于河北省标准（未配置）；' : '欠薪数额未达到数额较大标准；'}${listable ? `应启动列入失信联合惩戒名单程序（先书面告知，${periodAt(p.listingStatementPeriod, asOf)}陈述申辩）` : '暂不符合列入条件'}，列入决定应在${decision.due ?? `${decision.notBefore}之后`}前作出${decision.extendedDue ? `（情况复杂可延至${decision.extendedDue}）` : ''}`,
      basis: { document: '拖欠农民工工资失信联合惩戒对象名单管理暂行办法', article: '第五条、第六条、第八条' },
    });
    proposals.push({
      step: 'criminal_referral',
      proposed: threshold.verdict === 'met',
      text: `${threshold.sentence}${threshold.verdict === 'met' ? '：经责令支付仍不支付，应移送公安机关' : threshold.verdict === 'depends_on_local_figure' ? '：待配置本地标准后确定是否移送' : '：暂不移送'}`,
      basis: { document: '中华人民共和国刑法；行政执法机关移送涉嫌犯罪案件的规定', article: '刑法第二百七十六条之一；移送规定第三条' },
    });
    params.push(...threshold.params, ...decision.params);
  }
  const statusZh: Record<OrderStatus, string> = {
    running: `期限未届满（${order.deadline}），尚欠${yuanText(owed)}元`,
    complied: '已在期限内全部支付',
    paid_after_deadline: `期限届满后于${lastPaid}全部支付（逾期履行）`,
    expired_unpaid: `期限${order.deadline}已届满，截至${asOf}仍欠${yuanText(owed)}元`,
  };
  return {
    asOf,
    status,
    ordered,
    owed,
    items,
    proposals,
    threshold,
    sentence: `责令限期支付（${order.issuedOn}作出，责令支付${yuanText(ordered)}元）：${statusZh[status]}（劳动保障监察条例第二十六条）`,
    params,
  };
}
