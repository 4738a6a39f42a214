/**
 * 工资发放 — flags about how wages were paid (条例 第十一条: to the worker personally; 第三十一条: by the
 * general contractor through the dedicated account into the worker's own card; card custody forbidden):
 * PAID_OUTSIDE_ACCOUNT, PAYEE_MISMATCH, PAYMENT_NOT_IN_ACCOUNT, SHARED_PAYEE_CARD, and the advisory PAY_OUTLIER.
 */
import { maskBankCard } from '../domain/bankCard.ts';
import { fen, formatYuan, type Fen } from '../domain/money.ts';
import { formatMonthZh, type Month } from '../domain/month.ts';
import type { PaymentFact } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import { cite } from './params/dated.ts';
import { keyOf, type ProjectView } from './wages.ts';

const CHANNEL_ZH: Record<PaymentFact['channel'], string> = { dedicated_account: '专户代发', other_transfer: '其他转账', cash: '现金' };

const sum = (ps: readonly PaymentFact[]): Fen => fen(ps.reduce((s, p) => s + p.amount, 0));
/** Names compare after Unicode NFKC and without spaces (“王 建军” = “王建军”); nothing else is forgiven. */
export const sameName = (a: string, b: string): boolean => a.normalize('NFKC').replace(/\s+/g, '') === b.normalize('NFKC').replace(/\s+/g, '');
const digits = (card: string) => card.replace(/\D/g, '');

function sortedKeys<V>(map: Map<string, V>): string[] {
  return [...map.keys()].sort();
}

/** The worker's name on P for M: the wage-table name, else the roster's. */
function workerName(view: ProjectView, month: Month, idNumber: string): string | undefined {
  const row = view.payrollByKey.get(keyOf(month, idNumber))?.[0];
  if (row) return row.name;
  const active = view.activeEntries(idNumber, month);
  return (active[active.length - 1] ?? view.rosterById.get(idNumber)?.[0])?.name;
}

export function paymentFindings(view: ProjectView): Finding[] {
  const out: Finding[] = [];
  const wagesOut = new Set(view.accountTransactions.filter((t) => t.direction === 'out' && t.purpose === 'wages').map((t) => t.bankRef));
  for (const key of sortedKeys(view.paymentsByKey)) {
    const payments = view.paymentsByKey.get(key)!;
    const { month, idNumber } = payments[0]!;
    const name = workerName(view, month, idNumber);
    const who = `${name ?? payments[0]!.payeeName} ${formatMonthZh(month)}工资`;

    // PAID_OUTSIDE_ACCOUNT — a payment whose channel is not 专户代发
    const outside = payments.filter((p) => p.channel !== 'dedicated_account');
    if (outside.length > 0) {
      const how = [...new Set(outside.map((p) => CHANNEL_ZH[p.channel]))].join('、');
      out.push(
        makeFinding('PAID_OUTSIDE_ACCOUNT', view.project, {
          idNumber,
          month,
          amount: sum(outside),
          evidence: outside.map((p) => p.ref),
          text: `${who}有${outside.length}笔共${formatYuan(sum(outside))}元以${how}方式发放，未通过农民工工资专用账户代发`,
        }),
      );
    }

    // PAYEE_MISMATCH — payee name ≠ worker's name, or payee card ≠ the worker's roster card
    const active = view.activeEntries(idNumber, month);
    const cards = new Set((active.length > 0 ? active : (view.rosterById.get(idNumber) ?? [])).map((e) => digits(e.bankCard)));
    const mismatched = payments.filter(
      (p) => (name !== undefined && !sameName(p.payeeName, name)) || (p.payeeCard !== undefined && cards.size > 0 && !cards.has(digits(p.payeeCard))),
    );
    if (mismatched.length > 0) {
      const what = mismatched
        .map((p) => {
          const parts: string[] = [];
          if (name !== undefined && !sameName(p.payeeName, name)) parts.push(`收款人“${p.payeeName}”`);
          if (p.payeeCard !== undefined && cards.size > 0 && !cards.has(digits(p.payeeCard))) parts.push(`卡号${maskBankCard(p.payeeCard)}`);
          return `${p.paidOn} ${formatYuan(p.amount)}元（${parts.join('，')}）`;
        })
        .join('；');
      out.push(
        makeFinding('PAYEE_MISMATCH', view.project, {
          idNumber,
          month,
          amount: sum(mismatched),
          evidence: mismatched.map((p) => p.ref),
          text: `${who}有${mismatched.length}笔未发到本人名下或花名册登记的工资卡：${what}，工资应直接发放给农民工本人`,
        }),
      );
    }

    // PAYMENT_NOT_IN_ACCOUNT — a 专户代发 payment with no wages outflow of the same bank_ref in P's account
    const unmatched = payments.filter((p) => p.channel === 'dedicated_account' && (p.bankRef === undefined || !wagesOut.has(p.bankRef)));
    if (unmatched.length > 0) {
      const refs = unmatched.map((p) => p.bankRef ?? '（无流水号）').join('、');
      out.push(
        makeFinding('PAYMENT_NOT_IN_ACCOUNT', view.project, {
          idNumber,
          month,
          amount: sum(unmatched),
          evidence: unmatched.map((p) => p.ref),
          text: `${who}有${unmatched.length}笔共${formatYuan(sum(unmatched))}元登记为专户代发，但截至${view.asOf}专用账户流水中没有对应的工资代发支出（流水号${refs}）`,
        }),
      );
    }
  }
  return out;
}

/** SHARED_PAYEE_CARD: one card received wages (of one wage month) for N or more different workers of P. Once per card and month. */
export function sharedCardFindings(view: ProjectView): Finding[] {
  const threshold = view.params.sharedPayeeCardWorkers.at(view.asOf);
  const byCardMonth = new Map<string, PaymentFact[]>();
  for (const list of view.paymentsByKey.values()) {
    for (const p of list) {
      if (p.payeeCard === undefined) continue;
      const key = `${p.month}|${digits(p.payeeCard)}`;
      const group = byCardMonth.get(key);
      if (group) group.push(p);
      else byCardMonth.set(key, [p]);
    }
  }
  const out: Finding[] = [];
  for (const key of sortedKeys(byCardMonth)) {
    const group = byCardMonth.get(key)!;
    const workers = new Set(group.map((p) => p.idNumber));
    if (workers.size < threshold.value) continue;
    const [month, card] = key.split('|') as [Month, string];
    const names = [...new Set(group.map((p) => workerName(view, month, p.idNumber) ?? p.payeeName))].join('、');
    out.push(
      makeFinding('SHARED_PAYEE_CARD', view.project, {
        month,
        amount: sum(group),
        params: [cite(threshold)],
        evidence: group.map((p) => p.ref),
        detail: card,
        text: `${formatMonthZh(month)}工资中，卡号${maskBankCard(card)}的银行卡收取了${workers.size}名工人（${names}）的工资共${formatYuan(sum(group))}元，疑似工资卡被他人扣押或控制`,
      }),
    );
  }
  return out;
}

/**
 * PAY_OUTLIER (advisory): one worker's pay on P above the monthly threshold in a month, or above the yearly
 * threshold over the wage months of a calendar year (flagged on the month the running total crosses it).
 * Pay of a worker-month = the larger of wage-table gross and payments made (paid_on ≤ D).
 */
export function payOutlierFindings(view: ProjectView): Finding[] {
  const thresholds = view.params.payOutlierThresholds.at(view.asOf);
  const { month: monthLimit, year: yearLimit } = thresholds.value;
  const pay = new Map<string, { month: Month; idNumber: string; amount: number }>();
  for (const [key, rows] of view.payrollByKey) {
    pay.set(key, { month: rows[0]!.month, idNumber: rows[0]!.idNumber, amount: rows.reduce((s, r) => s + r.gross, 0) });
  }
  for (const [key, ps] of view.paymentsByKey) {
    const paid = ps.reduce((s, p) => s + p.amount, 0);
    const cur = pay.get(key);
    if (!cur) pay.set(key, { month: ps[0]!.month, idNumber: ps[0]!.idNumber, amount: paid });
    else if (paid > cur.amount) cur.amount = paid;
  }
  const reasons = new Map<string, string[]>();
  const addReason = (key: string, why: string) => {
    const list = reasons.get(key);
    if (list) list.push(why);
    else reasons.set(key, [why]);
  };
  const byWorkerYear = new Map<string, string[]>();
  for (const key of [...pay.keys()].sort()) {
    const p = pay.get(key)!;
    if (p.amount > monthLimit) addReason(key, `当月工资${formatYuan(fen(p.amount))}元，超过单月${formatYuan(monthLimit)}元提示线`);
    const wy = `${p.idNumber}|${p.month.slice(0, 4)}`;
    const list = byWorkerYear.get(wy);
    if (list) list.push(key);
    else byWorkerYear.set(wy, [key]);
  }
  for (const [wy, keys] of byWorkerYear) {
    let running = 0;
    for (const key of keys) {
      running += pay.get(key)!.amount;
      if (running > yearLimit) {
        addReason(key, `${wy.slice(-4)}年累计至本月${formatYuan(fen(running))}元，超过全年${formatYuan(yearLimit)}元提示线`);
        break;
      }
    }
  }
  const out: Finding[] = [];
  for (const key of [...reasons.keys()].sort()) {
    const p = pay.get(key)!;
    const evidence = [...(view.payrollByKey.get(key) ?? []).map((r) => r.ref), ...(view.paymentsByKey.get(key) ?? []).map((x) => x.ref)];
    const name = workerName(view, p.month, p.idNumber) ?? view.paymentsByKey.get(key)?.[0]?.payeeName ?? '';
    out.push(
      makeFinding('PAY_OUTLIER', view.project, {
        idNumber: p.idNumber as never,
        month: p.month,
        amount: fen(p.amount),
        params: [cite(thresholds, { month: formatYuan(monthLimit), year: formatYuan(yearLimit) })],
        evidence,
        text: `${name} ${formatMonthZh(p.month)}在本项目：${reasons.get(key)!.join('；')}，请核实是否借工资名义转移资金`,
      }),
    );
  }
  return out;
}
