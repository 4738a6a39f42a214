/**
 * 工资发放 — flags about how wages were paid (条例 第十一条: to the worker personally; 第三十一条: by the
 * general contractor through the dedicated account into the worker's own card; card custody forbidden):
 * PAID_OUTSIDE_ACCOUNT, PAYEE_MISMATCH, PAYMENT_NOT_IN_ACCOUNT, SHARED_PAYEE_CARD, and the advisory PAY_OUTLIER.
 * They read the view's cells (ledgerOf must have run), allocating only when a flag is raised.
 */
import { AS_OF } from '../domain/sentence.ts';
import { maskBankCard } from '../domain/bankCard.ts';
import { fen, formatYuan, yuanText, type Fen } from '../domain/money.ts';
import { formatMonthZh, type Month } from '../domain/month.ts';
import type { PaymentFact, RosterEntryFact } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import { cite } from './params/dated.ts';
import { ledgerOf, sameName, type Cell, type ProjectView } from './wages.ts';

const CHANNEL_ZH: Record<PaymentFact['channel'], string> = { dedicated_account: '专户代发', other_transfer: '其他转账', cash: '现金' };

const sum = (ps: readonly PaymentFact[]): Fen => fen(ps.reduce((s, p) => s + p.amount, 0));
/** Names compare after Unicode NFKC and without spaces (wages.ts, where the ledger uses it too). */
export { sameName };
const digits = (card: string) => (/^\d+$/.test(card) ? card : card.replace(/\D/g, ''));

/** The worker's name on P for M: the wage-table name, else the roster's. */
function workerName(view: ProjectView, cell: Cell): string | undefined {
  if (cell.payroll) return cell.payroll[0]!.name;
  const active = cell.active.length > 0 ? cell.active : view.activeEntries(cell.idNumber, cell.month);
  return (active[active.length - 1] ?? view.rosterById.get(cell.idNumber)?.[0])?.name;
}

/** The cards the worker registered: entries active in M, else any entry of W on P. */
function rosterCards(view: ProjectView, cell: Cell): readonly RosterEntryFact[] {
  const active = cell.active.length > 0 ? cell.active : view.activeEntries(cell.idNumber, cell.month);
  return active.length > 0 ? active : (view.rosterById.get(cell.idNumber) ?? []);
}

function cardMismatch(p: PaymentFact, entries: readonly RosterEntryFact[]): boolean {
  if (p.payeeCard === undefined || entries.length === 0) return false;
  // the usual case, the very card of the roster: no need to strip separators to see it matches
  for (const e of entries) if (e.bankCard === p.payeeCard) return false;
  const card = digits(p.payeeCard);
  for (const e of entries) if (digits(e.bankCard) === card) return false;
  return true;
}

/**
 * The decision of issue 19 item 3 stated in the sentence: what went into another person's name is not counted
 * as paid (the ledger leaves it out, wages.ts); what went to an unregistered card in the worker's own name is.
 */
function toOthersText(mismatched: readonly PaymentFact[], name: string | undefined): string {
  if (name === undefined) return '';
  const others = mismatched.filter((p) => !sameName(p.payeeName, name));
  if (others.length === 0) return '；收款人为本人，已计入已付工资';
  return `；其中支付给他人的${yuanText(sum(others))}元不计为已支付给本人${others.length < mismatched.length ? '（本人名下未登记卡的部分已计入）' : ''}`;
}

export function paymentFindings(view: ProjectView): Finding[] {
  ledgerOf(view);
  const out: Finding[] = [];
  const wagesOut = new Set<string>();
  for (const t of view.accountTransactions) if (t.direction === 'out' && t.purpose === 'wages') wagesOut.add(t.bankRef);
  for (const cell of view.sorted) {
    const payments = cell.payments;
    if (payments === null) continue;
    const { month, idNumber } = cell;
    const name = workerName(view, cell);
    const entries = rosterCards(view, cell);
    let outside: PaymentFact[] | null = null;
    let mismatched: PaymentFact[] | null = null;
    let unmatched: PaymentFact[] | null = null;
    for (const p of payments) {
      if (p.channel !== 'dedicated_account') (outside ??= []).push(p);
      else if (p.bankRef === undefined || !wagesOut.has(p.bankRef)) (unmatched ??= []).push(p);
      if ((name !== undefined && !sameName(p.payeeName, name)) || cardMismatch(p, entries)) (mismatched ??= []).push(p);
    }
    if (outside === null && mismatched === null && unmatched === null) continue;
    const who = `${name ?? payments[0]!.payeeName} ${formatMonthZh(month)}工资`;

    // PAID_OUTSIDE_ACCOUNT — a payment whose channel is not 专户代发
    if (outside) {
      const how = [...new Set(outside.map((p) => CHANNEL_ZH[p.channel]))].join('、');
      out.push(
        makeFinding('PAID_OUTSIDE_ACCOUNT', view.project, {
          idNumber,
          month,
          amount: sum(outside),
          evidence: outside.map((p) => p.ref),
          text: `${who}有${outside.length}笔共${yuanText(sum(outside))}元以${how}方式发放，未通过农民工工资专用账户代发`,
        }),
      );
    }

    // PAYEE_MISMATCH — payee name ≠ worker's name, or payee card ≠ the worker's roster card
    if (mismatched) {
      const what = mismatched
        .map((p) => {
          const parts: string[] = [];
          if (name !== undefined && !sameName(p.payeeName, name)) parts.push(`收款人“${p.payeeName}”`);
          if (cardMismatch(p, entries)) parts.push(`卡号${maskBankCard(p.payeeCard!)}`);
          return `${p.paidOn} ${yuanText(p.amount)}元（${parts.join('，')}）`;
        })
        .join('；');
      out.push(
        makeFinding('PAYEE_MISMATCH', view.project, {
          idNumber,
          month,
          amount: sum(mismatched),
          evidence: mismatched.map((p) => p.ref),
          text: `${who}有${mismatched.length}笔未发到本人名下或花名册登记的工资卡：${what}，工资应直接发放给农民工本人${toOthersText(mismatched, name)}`,
        }),
      );
    }

    // PAYMENT_NOT_IN_ACCOUNT — a 专户代发 payment with no wages outflow of the same bank_ref in P's account
    if (unmatched) {
      const refs = unmatched.map((p) => p.bankRef ?? '（无流水号）').join('、');
      out.push(
        makeFinding('PAYMENT_NOT_IN_ACCOUNT', view.project, {
          idNumber,
          month,
          amount: sum(unmatched),
          evidence: unmatched.map((p) => p.ref),
          text: `${who}有${unmatched.length}笔共${yuanText(sum(unmatched))}元登记为专户代发，但截至${AS_OF}专用账户流水中没有对应的工资代发支出（流水号${refs}）`,
        }),
      );
    }
  }
  return out;
}

/** SHARED_PAYEE_CARD: one card received wages (of one wage month) for N or more different workers of P. Once per card and month. */
export function sharedCardFindings(view: ProjectView): Finding[] {
  ledgerOf(view);
  const threshold = view.params.sharedPayeeCardWorkers.at(view.asOf);
  // month → card → the payments (a single payment kept bare until a second arrives)
  const byMonth = new Map<string, Map<string, PaymentFact | PaymentFact[]>>();
  let cards: Map<string, PaymentFact | PaymentFact[]> | undefined;
  let current = -1;
  for (const cell of view.sorted) {
    if (cell.payments === null) continue;
    // the cells come month by month: one look-up per month, not per cell
    if (cell.m !== current || cards === undefined) {
      current = cell.m;
      cards = byMonth.get(cell.month);
      if (!cards) byMonth.set(cell.month, (cards = new Map()));
    }
    for (const p of cell.payments) {
      if (p.payeeCard === undefined) continue;
      const card = digits(p.payeeCard);
      const cur = cards.get(card);
      if (cur === undefined) cards.set(card, p);
      else if (Array.isArray(cur)) cur.push(p);
      else cards.set(card, [cur, p]);
    }
  }
  const out: Finding[] = [];
  for (const [month, cards] of byMonth) {
    const hits = [...cards.entries()].filter((e): e is [string, PaymentFact[]] => Array.isArray(e[1]) && new Set(e[1].map((p) => p.idNumber)).size >= threshold.value);
    hits.sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [card, group] of hits) {
      const workers = new Set(group.map((p) => p.idNumber));
      const names = [...new Set(group.map((p) => workerName(view, view.cell(month as Month, p.idNumber)!) ?? p.payeeName))].join('、');
      out.push(
        makeFinding('SHARED_PAYEE_CARD', view.project, {
          month: month as Month,
          amount: sum(group),
          params: [cite(threshold)],
          evidence: group.map((p) => p.ref),
          detail: card,
          text: `${formatMonthZh(month as Month)}工资中，卡号${maskBankCard(card)}的银行卡收取了${workers.size}名工人（${names}）的工资共${yuanText(sum(group))}元，疑似工资卡被他人扣押或控制`,
        }),
      );
    }
  }
  return out;
}

/**
 * PAY_OUTLIER (advisory): one worker's pay on P above the monthly threshold in a month, or above the yearly
 * threshold over the wage months of a calendar year (flagged on the month the running total crosses it).
 * Pay of a worker-month = the larger of wage-table gross and payments made (paid_on ≤ D).
 */
export function payOutlierFindings(view: ProjectView): Finding[] {
  ledgerOf(view);
  const thresholds = view.params.payOutlierThresholds.at(view.asOf);
  const { month: monthLimit, year: yearLimit } = thresholds.value;
  // each worker's running total of the calendar year, by worker index (integer fen: exact in a double);
  // the cells come month by month, so a worker's year only moves forward
  const n = view.workers.length;
  const yearOf = new Int32Array(n);
  const total = new Float64Array(n);
  const crossed = new Uint8Array(n);
  const out: Finding[] = [];
  for (const cell of view.sorted) {
    let gross = 0;
    if (cell.payroll) for (const r of cell.payroll) gross += r.gross;
    let paid = 0;
    if (cell.payments) for (const p of cell.payments) paid += p.amount;
    const pay = gross > paid ? gross : paid;
    const w = cell.w;
    const year = view.yearAt(cell.m);
    if (yearOf[w] !== year) {
      yearOf[w] = year;
      total[w] = 0;
      crossed[w] = 0;
    }
    const sum = total[w]! + pay;
    total[w] = sum;
    const overMonth = pay > monthLimit;
    const overYear = crossed[w] === 0 && sum > yearLimit;
    if (!overMonth && !overYear) continue;
    const reasons: string[] = [];
    if (overMonth) reasons.push(`当月工资${yuanText(fen(pay))}元，超过单月${yuanText(monthLimit)}元提示线`);
    if (overYear) {
      crossed[w] = 1;
      reasons.push(`${year}年累计至本月${yuanText(fen(sum))}元，超过全年${yuanText(yearLimit)}元提示线`);
    }
    const evidence = [...(cell.payroll ?? []).map((x) => x.ref), ...(cell.payments ?? []).map((x) => x.ref)];
    const name = workerName(view, cell) ?? cell.payments?.[0]?.payeeName ?? '';
    out.push(
      makeFinding('PAY_OUTLIER', view.project, {
        idNumber: cell.idNumber,
        month: cell.month,
        amount: fen(pay),
        params: [cite(thresholds, { month: formatYuan(monthLimit), year: formatYuan(yearLimit) })],
        evidence,
        text: `${name} ${formatMonthZh(cell.month)}在本项目：${reasons.join('；')}，请核实是否借工资名义转移资金`,
      }),
    );
  }
  return out;
}
