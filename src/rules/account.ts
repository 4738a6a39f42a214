/**
 * 农民工工资专用账户 — the dedicated wage account.
 *
 * Implements 保障农民工工资支付条例 第二十六条 (the general contractor opens a dedicated wage account per
 * project), 专户办法 (人社部发〔2021〕53号: within 30 days of signing the construction contract), counted by
 * 民法典 第二百零一、二百零三、二百零四条 (the signing day not counted; a last day on a rest day or statutory
 * holiday moves to the first working day after it); 第二十四、二十九条 (labour cost allocated at least monthly,
 * in full and on time); 第二十六、三十三条 (the account pays only this project's wages).
 * Flags: ACCOUNT_NOT_OPENED, LABOR_COST_SHORT, ACCOUNT_MISUSE and the advisory ACCOUNT_BALANCE_LOW.
 */
import { AS_OF, daysSince } from '../domain/sentence.ts';
import { addDays, daysBetween, isWeekend, type IsoDate } from '../domain/date.ts';
import { fen, yuanText, mulFen } from '../domain/money.ts';
import { addMonths, firstDayOf, formatMonthZh, lastDayOf, monthOf, type Month } from '../domain/month.ts';
import { MissingHolidayScheduleError } from './calendar.ts';
import { makeFinding, type Finding } from './flags.ts';
import { cite, type ParamAt, type ParamUse } from './params/dated.ts';
import type { NotApplied } from './payroll.ts';
import { CIVIL_CODE, civilDeadline, type CivilDeadline } from './period.ts';
import type { ProjectView, WorkerMonth } from './wages.ts';
import { noticeEndsOn, owedOn, owedText } from './deposit.ts';

/**
 * 开户期限 — signing + 30 days by the civil code: the signing day is not counted (第二百零一条); a last day
 * that is a rest day or statutory holiday moves to the first working day after it (第二百零三条).
 * Hand-worked: signed 2026-09-01 → 30 days end 2026-10-01, 国庆 rest 10-01…10-07 → 2026-10-08 (Thu).
 * A last day in a year without a holiday schedule is rolled over weekends only and marked provisional.
 */
export function accountOpeningDeadlineOf(view: Pick<ProjectView, 'project' | 'params' | 'calendar'>): CivilDeadline & { days: number; param: ParamAt<{ readonly days: number }>; provisional: string | null } {
  const param = view.params.accountOpeningDeadline.at(view.project.contractSignedOn);
  const days = param.value.days;
  try {
    return { ...civilDeadline(view.project.contractSignedOn, days, 'days', view.calendar), days, param, provisional: null };
  } catch (e) {
    if (!(e instanceof MissingHolidayScheduleError)) throw e;
    const raw = addDays(view.project.contractSignedOn, days);
    let last: IsoDate = raw;
    while (isWeekend(last)) last = addDays(last, 1);
    return { raw, last, rolled: last !== raw, days, param, provisional: `${e.year}年放假安排未录入，期限按周末推算，暂定` };
  }
}

/** ACCOUNT_NOT_OPENED: no account opened by D once the deadline (signing + 30 days, 民法典 rules) has passed, or opened after it. */
export function accountOpeningFindings(view: ProjectView): Finding[] {
  const { project, asOf } = view;
  const dl = accountOpeningDeadlineOf(view);
  const { param } = dl;
  const deadline = dl.last;
  const params: ParamUse[] = [cite(param), { name: '期间计算', value: { start: project.contractSignedOn, days: dl.days, lastDay: dl.raw, rolledTo: dl.rolled ? dl.last : null }, from: '2021-01-01' as IsoDate, source: { document: CIVIL_CODE, article: '第二百零一条、第二百零三条、第二百零四条', verified: true, note: '开始的当日不计入；期间最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日' } }];
  if (dl.rolled && !dl.provisional) params.push(view.calendar.citeYear(dl.raw, null));
  const account = project.wageAccount;
  const opened = account !== undefined && account.no.trim() !== '' && (account.openedOn === undefined || account.openedOn <= asOf);
  const head = `施工合同于${project.contractSignedOn}签订，应在${dl.days}日内（签订当日不计${dl.rolled ? `，第${dl.days}日${dl.raw}为休息日或法定节假日，顺延至${deadline}` : ''}）即${deadline}前开设农民工工资专用账户${dl.provisional ? `（${dl.provisional}）` : ''}`;
  if (!opened) {
    if (!(asOf > deadline)) return [];
    return [
      makeFinding('ACCOUNT_NOT_OPENED', project, {
        params,
        evidence: [project.ref],
        text: `${head}，截至${AS_OF}未开设，已超期${daysSince(deadline)}天`,
      }),
    ];
  }
  if (account.openedOn !== undefined && account.openedOn > deadline) {
    return [
      makeFinding('ACCOUNT_NOT_OPENED', project, {
        params,
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
      text: `${span}共${months.length}个月的人工费用应按月拨付${yuanText(project.monthlyLaborCost)}元×${months.length}=${yuanText(expected)}元，截至${AS_OF}专用账户实际收到${yuanText(received)}元，少${yuanText(fen(expected - received))}元`,
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
    .map((t) => `${t.txDate} ${yuanText(t.amount)}元${t.counterparty ? `付给${t.counterparty}` : ''}`)
    .join('；');
  return [
    makeFinding('ACCOUNT_MISUSE', view.project, {
      amount: total,
      evidence: misuse.map((t) => t.ref),
      text: `专用账户有${misuse.length}笔非工资代发支出共${yuanText(total)}元（${list}${misuse.length > 5 ? '等' : ''}），专户资金只能用于支付本项目农民工工资`,
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
      text: `截至${AS_OF}专用账户余额${yuanText(fen(balance))}元，低于最近一期（${formatMonthZh(latest)}）工资表实发合计${yuanText(fen(net))}元，下期工资可能无法按时足额支付`,
    }),
  ];
}

/**
 * ACCOUNT_CLOSED_EARLY (条例 第二十七条: 工程完工且未拖欠农民工工资的，施工总承包单位公示30日后，可以申请注销):
 * an account closed on or before D before the project's completion, without a recorded 30-day no-arrears notice or
 * before it ran out (the notice's first day not counted, 民法典 第二百零一条; a wait, not rolled), or while wages
 * were owed on the project on the closing day. The flag stays as a record.
 */
export function accountClosingFindings(view: ProjectView, ledger: readonly WorkerMonth[]): Finding[] {
  const { project, asOf } = view;
  const account = project.wageAccount;
  if (account?.closedOn === undefined || account.closedOn > asOf) return [];
  const closedOn = account.closedOn;
  const p = view.params.noArrearsNoticeDays.at(closedOn);
  const reasons: string[] = [];
  if (project.completionDate === undefined || project.completionDate > closedOn) reasons.push(`工程尚未完工${project.completionDate ? `（${project.completionDate}竣工）` : ''}`);
  if (account.closingNoticeFrom === undefined) reasons.push(`未记录注销前的无拖欠公示（应公示${p.value.days}日）`);
  else {
    const n = noticeEndsOn(account.closingNoticeFrom, p.value.days);
    if (closedOn < n.dayAfter) reasons.push(`${account.closingNoticeFrom}起公示${p.value.days}日至${n.lastDay}届满，${n.dayAfter}起方可注销，注销日公示未满`);
  }
  const owed = owedOn(ledger, closedOn);
  if (owed.length > 0) reasons.push(`注销时本项目仍拖欠工资（${owedText(owed)}）`);
  if (reasons.length === 0) return [];
  const amount = owed.reduce((s, wm) => s + Math.max(0, (wm.netDue ?? 0) - paidBy(project, wm, closedOn)), 0);
  return [
    makeFinding('ACCOUNT_CLOSED_EARLY', project, {
      ...(amount > 0 ? { amount: fen(amount) } : {}),
      params: [cite(p)],
      evidence: [project.ref, ...owed.slice(0, 10).flatMap((wm) => wm.evidence.slice(0, 1))],
      text: `农民工工资专用账户${account.no}于${closedOn}注销，不符合注销条件：${reasons.join('；')}`,
    }),
  ];
}

/** What was paid for a worker-month by the end of `day` (payments not returned by then). */
function paidBy(project: ProjectView['project'], wm: WorkerMonth, day: IsoDate): number {
  let s = 0;
  for (const p of project.payments) {
    if (p.idNumber !== wm.idNumber || p.month !== wm.month || p.paidOn > day) continue;
    if (p.returnedOn !== undefined && p.returnedOn <= day) continue;
    s += p.amount;
  }
  return s;
}
