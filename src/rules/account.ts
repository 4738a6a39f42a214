/**
 * 农民工工资专用账户 — the dedicated wage account (条例 第二十四、二十六、二十九、三十三条; 专户办法):
 * ACCOUNT_NOT_OPENED, LABOR_COST_SHORT, ACCOUNT_MISUSE and the advisory ACCOUNT_BALANCE_LOW.
 */
import { AS_OF, daysSince } from '../domain/sentence.ts';
import { addDays, daysBetween } from '../domain/date.ts';
import { fen, formatYuan, mulFen } from '../domain/money.ts';
import { addMonths, firstDayOf, formatMonthZh, lastDayOf, monthOf, type Month } from '../domain/month.ts';
import { makeFinding, type Finding } from './flags.ts';
import { cite } from './params/dated.ts';
import type { NotApplied } from './payroll.ts';
import type { ProjectView } from './wages.ts';

/** ACCOUNT_NOT_OPENED: no account opened by D once the deadline (signing + 30 days) has passed, or opened after it. */
export function accountOpeningFindings(view: ProjectView): Finding[] {
  const { project, asOf } = view;
  const param = view.params.accountOpeningDeadline.at(project.contractSignedOn);
  const deadline = addDays(project.contractSignedOn, param.value.days);
  const account = project.wageAccount;
  const opened = account !== undefined && account.no.trim() !== '' && (account.openedOn === undefined || account.openedOn <= asOf);
  const head = `施工合同于${project.contractSignedOn}签订，应于${deadline}前（${param.value.days}日内）开设农民工工资专用账户`;
  if (!opened) {
    if (!(asOf > deadline)) return [];
    return [
      makeFinding('ACCOUNT_NOT_OPENED', project, {
        params: [cite(param)],
        evidence: [project.ref],
        text: `${head}，截至${AS_OF}未开设，已超期${daysSince(deadline)}天`,
      }),
    ];
  }
  if (account.openedOn !== undefined && account.openedOn > deadline) {
    return [
      makeFinding('ACCOUNT_NOT_OPENED', project, {
        params: [cite(param)],
        evidence: [project.ref],
        text: `${head}，实际于${account.openedOn}开设，迟延${daysBetween(deadline, account.openedOn)}天`,
      }),
    ];
  }
  return [];
}

/**
 * LABOR_COST_SHORT: labour-cost inflows up to D < monthly_labor_cost × months whose allocation is due
 * (each month's allocation due by that month's last day; months from the start month, up to completion).
 */
export function laborCostFindings(view: ProjectView, notApplied: NotApplied[]): Finding[] {
  const { project, asOf } = view;
  if (project.monthlyLaborCost === undefined) {
    notApplied.push({ rule: 'LABOR_COST_SHORT', reason: '项目未登记月人工费用，不作人工费用拨付判断' });
    return [];
  }
  const cycle = view.params.laborCostCycle.at(project.startDate > asOf ? asOf : project.startDate);
  const months: Month[] = [];
  for (let m = monthOf(project.startDate); lastDayOf(m) < asOf; m = addMonths(m, cycle.value.months)) {
    if (project.completionDate !== undefined && firstDayOf(m) > project.completionDate) break;
    months.push(m);
  }
  if (months.length === 0) return [];
  const expected = mulFen(project.monthlyLaborCost, [months.length, 1]);
  const inflows = view.accountTransactions.filter((t) => t.direction === 'in' && t.purpose === 'labor_cost');
  const received = fen(inflows.reduce((s, t) => s + t.amount, 0));
  if (!(received < expected)) return [];
  const span = `${formatMonthZh(months[0]!)}至${formatMonthZh(months[months.length - 1]!)}`;
  return [
    makeFinding('LABOR_COST_SHORT', project, {
      amount: fen(expected - received),
      params: [cite(cycle)],
      evidence: [project.ref, ...inflows.map((t) => t.ref)],
      text: `${span}共${months.length}个月的人工费用应按月拨付${formatYuan(project.monthlyLaborCost)}元×${months.length}=${formatYuan(expected)}元，截至${AS_OF}专用账户实际收到${formatYuan(received)}元，少${formatYuan(fen(expected - received))}元`,
    }),
  ];
}

/** ACCOUNT_MISUSE: an outflow from the dedicated account whose purpose is not wages. Once per project. */
export function accountMisuseFindings(view: ProjectView): Finding[] {
  const misuse = view.accountTransactions.filter((t) => t.direction === 'out' && t.purpose !== 'wages');
  if (misuse.length === 0) return [];
  const total = fen(misuse.reduce((s, t) => s + t.amount, 0));
  const list = misuse
    .slice(0, 5)
    .map((t) => `${t.txDate} ${formatYuan(t.amount)}元${t.counterparty ? `付给${t.counterparty}` : ''}`)
    .join('；');
  return [
    makeFinding('ACCOUNT_MISUSE', view.project, {
      amount: total,
      evidence: misuse.map((t) => t.ref),
      text: `专用账户有${misuse.length}笔非工资代发支出共${formatYuan(total)}元（${list}${misuse.length > 5 ? '等' : ''}），专户资金只能用于支付本项目农民工工资`,
    }),
  ];
}

/**
 * ACCOUNT_BALANCE_LOW (advisory): P not completed, an account is recorded, and the balance at D (inflows −
 * outflows to D) is below the net due of P's latest wage month.
 */
export function accountBalanceFindings(view: ProjectView): Finding[] {
  const { project, asOf } = view;
  if (view.completed || project.wageAccount === undefined) return [];
  let latest: Month | undefined;
  for (const r of project.payroll) if (r.month <= view.asOfMonth && (latest === undefined || r.month > latest)) latest = r.month;
  if (latest === undefined) return [];
  let net = 0;
  for (const r of project.payroll) if (r.month === latest) net += r.net;
  let balance = 0;
  for (const t of view.accountTransactions) balance += t.direction === 'in' ? t.amount : -t.amount;
  if (!(balance < net)) return [];
  return [
    makeFinding('ACCOUNT_BALANCE_LOW', project, {
      amount: fen(net - balance),
      evidence: [project.ref, ...view.accountTransactions.map((t) => t.ref)],
      text: `截至${AS_OF}专用账户余额${formatYuan(fen(balance))}元，低于最近一期（${formatMonthZh(latest)}）工资表实发合计${formatYuan(fen(net))}元，下期工资可能无法按时足额支付`,
    }),
  ];
}
