/**
 * 欠薪 — flags read off the worker-month ledger: WAGE_UNPAID, WAGE_PARTIAL, WAGE_LATE (条例 第十二、十三条,
 * due date by 第十四条) and EXIT_NOT_SETTLED (工资支付暂行规定 第九条: wages settled in one payment when
 * employment ends).
 */
import { daysBetween } from '../domain/date.ts';
import { fen, yuanText } from '../domain/money.ts';
import { AS_OF, daysSince } from '../domain/sentence.ts';
import { formatMonthZh, monthOf } from '../domain/month.ts';
import type { EvidenceRef } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import { keyOf, type ProjectView, type WorkerMonth } from './wages.ts';

export function wageFindings(view: ProjectView, ledger: readonly WorkerMonth[]): Finding[] {
  const out: Finding[] = [];
  const { asOf } = view;
  for (const wm of ledger) {
    // most worker-months are paid on time: nothing is looked up or written for them
    if (wm.status !== 'unpaid' && wm.status !== 'partial' && wm.status !== 'paid_late') continue;
    const params = view.due(wm.month).params;
    const who = `${wm.name} ${formatMonthZh(wm.month)}工资`;
    if (wm.status === 'unpaid') {
      out.push(
        makeFinding('WAGE_UNPAID', view.project, {
          idNumber: wm.idNumber,
          month: wm.month,
          amount: wm.arrears,
          params,
          evidence: wm.evidence,
          text: `${who}应于${wm.dueDate}前支付${yuanText(wm.netDue!)}元，截至${AS_OF}未支付，已逾期${daysSince(wm.dueDate)}天`,
        }),
      );
    } else if (wm.status === 'partial') {
      out.push(
        makeFinding('WAGE_PARTIAL', view.project, {
          idNumber: wm.idNumber,
          month: wm.month,
          amount: wm.arrears,
          params,
          evidence: wm.evidence,
          text: `${who}应于${wm.dueDate}前支付${yuanText(wm.netDue!)}元，截至${AS_OF}仅支付${yuanText(wm.paid)}元，尚欠${yuanText(wm.arrears)}元，已逾期${daysSince(wm.dueDate)}天`,
        }),
      );
    } else if (wm.status === 'paid_late') {
      const late = fen(wm.netDue! - wm.paidOnTime);
      const delay = daysBetween(wm.dueDate, wm.paidInFullOn!);
      out.push(
        makeFinding('WAGE_LATE', view.project, {
          idNumber: wm.idNumber,
          month: wm.month,
          amount: late,
          params,
          evidence: wm.evidence,
          text: `${who}${yuanText(wm.netDue!)}元应于${wm.dueDate}前支付，到期时只支付${yuanText(wm.paidOnTime)}元，${wm.paidInFullOn}才付清，迟延${delay}天`,
        }),
      );
    }
  }
  return out;
}

/**
 * EXIT_NOT_SETTLED: W's exit_date falls in M and, past the due date of M, W's wages on P are not fully
 * paid (arrears, or a month with no wage-table row, in any month up to M) or the exit month's wage table
 * is missing or not confirmed by W. Once per worker-month, however many entries exit in M.
 */
export function exitFindings(view: ProjectView, ledger: readonly WorkerMonth[]): Finding[] {
  const exits = view.roster.filter((e) => e.exitDate !== undefined && e.exitDate <= view.asOf);
  if (exits.length === 0) return [];
  const leaving = new Set(exits.map((e) => e.idNumber as string));
  const byWorker = new Map<string, WorkerMonth[]>();
  for (const wm of ledger) {
    if (!leaving.has(wm.idNumber)) continue;
    const list = byWorker.get(wm.idNumber);
    if (list) list.push(wm);
    else byWorker.set(wm.idNumber, [wm]);
  }
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const entry of exits) {
    const month = monthOf(entry.exitDate!);
    const key = keyOf(month, entry.idNumber);
    if (seen.has(key)) continue;
    const due = view.due(month);
    if (!(view.asOf > due.dueDate)) continue;
    const months = (byWorker.get(entry.idNumber) ?? []).filter((wm) => wm.month <= month);
    const owed = months.reduce((s, wm) => s + wm.arrears, 0);
    const missing = months.filter((wm) => wm.status === 'no_payroll');
    const exitRows = view.payrollOf(month, entry.idNumber);
    const unconfirmed = exitRows === null || exitRows.some((r) => !r.workerConfirmed);
    if (owed === 0 && missing.length === 0 && !unconfirmed) continue;
    seen.add(key);
    const reasons: string[] = [];
    if (owed > 0) reasons.push(`尚欠工资${yuanText(fen(owed))}元`);
    if (missing.length > 0) reasons.push(`${missing.map((wm) => formatMonthZh(wm.month)).join('、')}没有工资表记录`);
    if (exitRows === null) reasons.push('退场当月没有工资表');
    else if (unconfirmed) reasons.push('退场当月工资表未经本人确认');
    const evidence: EvidenceRef[] = [entry.ref];
    for (const wm of months) if (wm.arrears > 0 || wm.status === 'no_payroll') evidence.push(...wm.evidence);
    if (exitRows) for (const r of exitRows) if (!evidence.includes(r.ref)) evidence.push(r.ref);
    out.push(
      makeFinding('EXIT_NOT_SETTLED', view.project, {
        idNumber: entry.idNumber,
        month,
        amount: fen(owed),
        params: due.params,
        evidence,
        text: `${entry.name} 于${entry.exitDate}退场，退场时应一次付清工资，截至${AS_OF}（已过${due.dueDate}支付日）未结清：${reasons.join('；')}`,
      }),
    );
  }
  return out;
}
