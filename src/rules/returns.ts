/**
 * 工资退回 — a wage transfer the bank returned (closed card, wrong name) was not paid to the worker
 * (保障农民工工资支付条例 第十一条: wages are paid to the worker; 第十二条: in full), so from the day it came back
 * it no longer counts as paid: the worker-month's paid and arrears change from that day, and PAYMENT_RETURNED
 * names the transfer and the evidence of its return. Before that day it counts as paid (what the ledger then
 * knew). Amounts stay positive: a return is its own record, never a negative payment.
 *
 * Two sources, the earlier day wins:
 * - the payment file's 退回日期 (returned_on) on the payment row itself — a status column a bank's 代发回单 carries;
 * - an inflow on the dedicated account with purpose 工资退回 (wage_return) naming the payment's bank reference
 *   in 原银行流水号 (original_bank_ref) — the account statement's 退汇 line.
 */
import { yuanText } from '../domain/money.ts';
import { maskIdNumber } from '../domain/idNumber.ts';
import type { IsoDate } from '../domain/date.ts';
import type { AccountTxFact, EvidenceRef, PaymentFact, ProjectFacts } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import type { ProjectView } from './wages.ts';

export interface ReturnedPayment {
  readonly payment: PaymentFact;
  readonly on: IsoDate;
  /** the account inflow that records it, when the statement does */
  readonly tx?: AccountTxFact;
  readonly evidence: readonly EvidenceRef[];
}

/** The payments returned on or before D, each with its return day and evidence. */
export function returnsOf(project: ProjectFacts, asOf: IsoDate): Map<PaymentFact, ReturnedPayment> {
  const out = new Map<PaymentFact, ReturnedPayment>();
  const byRef = new Map<string, AccountTxFact>();
  for (const t of project.accountTransactions) {
    if (t.purpose !== 'wage_return' || t.direction !== 'in' || !t.originalBankRef || t.txDate > asOf) continue;
    const seen = byRef.get(t.originalBankRef);
    if (!seen || t.txDate < seen.txDate) byRef.set(t.originalBankRef, t);
  }
  for (const p of project.payments) {
    if (p.paidOn > asOf) continue;
    const tx = p.bankRef && byRef.size > 0 ? byRef.get(p.bankRef) : undefined;
    const fileDay = p.returnedOn !== undefined && p.returnedOn <= asOf ? p.returnedOn : undefined;
    if (!tx && !fileDay) continue;
    const on = tx && (!fileDay || tx.txDate < fileDay) ? tx.txDate : fileDay!;
    out.set(p, { payment: p, on, ...(tx ? { tx } : {}), evidence: tx ? [p.ref, tx.ref] : [p.ref] });
  }
  return out;
}

/** PAYMENT_RETURNED — once per worker-month with a returned transfer (the amount: what came back). */
export function returnedFindings(view: ProjectView): Finding[] {
  const byCell = new Map<string, ReturnedPayment[]>();
  for (const r of view.returned) {
    const key = `${r.payment.month}|${r.payment.idNumber}`;
    const list = byCell.get(key);
    if (list) list.push(r);
    else byCell.set(key, [r]);
  }
  const out: Finding[] = [];
  for (const list of byCell.values()) {
    list.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
    const p0 = list[0]!.payment;
    const amount = list.reduce((s, r) => s + r.payment.amount, 0);
    const what = list
      .map((r) => {
        const p = r.payment;
        const why = p.returnReason ?? r.tx?.counterparty;
        return `${p.paidOn}发放${yuanText(p.amount)}元${p.bankRef ? `（银行流水号${p.bankRef}）` : ''}于${r.on}被银行退回${why ? `（${why}）` : ''}${r.tx ? `，专户流水${r.tx.bankRef}` : ''}`;
      })
      .join('；');
    out.push(
      makeFinding('PAYMENT_RETURNED', view.project, {
        idNumber: p0.idNumber,
        month: p0.month,
        amount: amount as typeof p0.amount,
        evidence: list.flatMap((r) => r.evidence),
        text: `${view.rosterById.get(p0.idNumber)?.[0]?.name ?? p0.payeeName}（${maskIdNumber(p0.idNumber)}）${p0.month}工资：${what}；自退回之日起不计为已支付`,
      }),
    );
  }
  return out;
}
