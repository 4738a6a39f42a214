/**
 * 证据包 — one file per case for the arbitration committee or the court: for each worker-month the case
 * covers, the ledger line, the roster entry, the wage-table rows, the payments with their bank references,
 * the matching outflows of the dedicated account, and the flags with their articles; the case's events and
 * deadlines; totals that add up to the ledger. Deterministic for a given D (no clock inside).
 *
 * Identity and card numbers are whole here; the API masks them (full view only for a supervisor), the HTML
 * rendering masks them unless told otherwise.
 */
import { renderSentence } from '../../domain/sentence.ts';
import type { IsoDate } from '../../domain/date.ts';
import { formatYuan, sumFen, yuanText, type Fen } from '../../domain/money.ts';
import { STAGE_ZH, type CaseStage } from '../../rules/cases.ts';
import { lawCitation } from '../../domain/lawTitle.ts';
import { caseItems } from '../../db/enforcement.ts';
import type { Db } from '../../db/open.ts';
import { maskPersonalData } from '../../api/masking.ts';
import { caseView } from './cases.ts';
import { keyOf, projectsAt } from './common.ts';
import { paramsOf } from '../../db/params.ts';
import { doubleWageClaim } from '../../rules/doubleWage.ts';
import { returnsOf } from '../../rules/returns.ts';

const y = (f: number | null | undefined) => (f === null || f === undefined ? null : formatYuan(f as Fen));

export function buildEvidencePack(db: Db, caseId: number, asOf: IsoDate) {
  const view = caseView(db, caseId, asOf);
  const items = caseItems(db, caseId);
  const at = projectsAt(db, items.map((i) => i.project_id), asOf);
  const ledger = new Map(at.ledger.map((w) => [keyOf(w.projectId, w.idNumber, w.month), w]));
  const storedAsOf = (db.$client.prepare('SELECT max(as_of) AS a FROM recompute_runs WHERE as_of <= ?').get(asOf) as { a: string | null }).a;
  const flagStmt = db.$client.prepare('SELECT id, code, severity, sentence, legal_basis, fingerprint, amount_fen FROM findings WHERE as_of = ? AND project_id = ? AND id_number = ? AND month = ? ORDER BY code, id');

  const params = paramsOf(db);
  const workers = new Map<string, { idNumber: string; name: string; months: unknown[]; roster: unknown[] }>();
  let netDue = 0;
  let paid = 0;
  let arrears = 0;
  for (const i of items) {
    const project = at.projects.find((p) => p.id === i.project_id)!;
    const w = ledger.get(keyOf(i.project_id, i.id_number, i.month));
    const payroll = project.payroll.filter((r) => r.idNumber === i.id_number && r.month === i.month);
    const payments = project.payments.filter((r) => r.idNumber === i.id_number && r.month === i.month && r.paidOn <= asOf);
    const back = returnsOf(project, asOf);
    const refs = new Set(payments.map((p) => p.bankRef).filter((r): r is string => Boolean(r)));
    const outflows = project.accountTransactions.filter((t) => t.direction === 'out' && refs.has(t.bankRef) && t.txDate <= asOf);
    const flags = storedAsOf ? (flagStmt.all(storedAsOf, i.project_id, i.id_number, i.month) as { id: number; code: string; severity: string; sentence: string; legal_basis: string; fingerprint: string; amount_fen: number | null }[]) : [];
    netDue += w?.netDue ?? 0;
    paid += w?.paid ?? 0;
    arrears += w?.arrears ?? 0;
    const entry = workers.get(i.id_number) ?? { idNumber: i.id_number, name: w?.name ?? i.name ?? '', months: [], roster: [] };
    if (entry.roster.length === 0 || !entry.roster.some((r) => (r as { projectCode: string }).projectCode === project.code)) {
      for (const r of project.roster.filter((r) => r.idNumber === i.id_number)) {
        // 二倍工资 (劳动合同法 第八十二条): the claim a stay without a written contract gives, beside the roster line
        const dw = r.entryDate <= asOf ? doubleWageClaim(r, project.payroll, asOf, params) : null;
        entry.roster.push({
          projectCode: project.code,
          employerUscc: r.employerUscc,
          employerName: r.employerName ?? null,
          team: r.team ?? null,
          trade: r.trade ?? null,
          entryDate: r.entryDate,
          exitDate: r.exitDate ?? null,
          contractSigned: r.contractSigned,
          wageBasis: r.wageBasis,
          wageRate: y(r.wageRate),
          bankCard: r.bankCard,
          doubleWage: dw
            ? {
                basis: '劳动合同法第八十二条；实施条例第六条、第七条',
                from: dw.from,
                to: dw.to,
                months: dw.months.map((m) => ({ month: m.month, days: m.days, gross: y(m.gross), claim: y(m.claim) })),
                missingPayroll: dw.missingPayroll,
                total: y(dw.total),
              }
            : null,
          source: { table: r.ref.table, id: r.ref.id, batchId: r.ref.batchId, line: r.ref.line },
        });
      }
    }
    entry.months.push({
      projectCode: project.code,
      month: i.month,
      claimed: y(i.claimed_fen),
      ledger: w
        ? { dueDate: w.dueDate, netDue: y(w.netDue), paid: y(w.paid), ...(w.paidToOthers ? { paidToOthers: y(w.paidToOthers) } : {}), paidOnTime: y(w.paidOnTime), arrears: y(w.arrears), status: w.status, overdueDays: w.overdueDays, paidInFullOn: w.paidInFullOn }
        : null,
      payrollRows: payroll.map((r) => ({ daysWorked: r.daysWorkedCenti / 100, gross: y(r.gross), deductions: y(r.deductions), net: y(r.net), workerConfirmed: r.workerConfirmed, source: { table: r.ref.table, id: r.ref.id, batchId: r.ref.batchId, line: r.ref.line } })),
      payments: payments.map((p) => ({ paidOn: p.paidOn, amount: y(p.amount), channel: p.channel, payeeName: p.payeeName, payeeCard: p.payeeCard ?? null, bankRef: p.bankRef ?? null, returnedOn: back.get(p)?.on ?? null, returnTx: back.get(p)?.tx?.bankRef ?? null, source: { table: p.ref.table, id: p.ref.id, batchId: p.ref.batchId, line: p.ref.line } })),
      accountOutflows: outflows.map((t) => ({ txDate: t.txDate, amount: y(t.amount), purpose: t.purpose, bankRef: t.bankRef, counterparty: t.counterparty ?? null, source: { table: t.ref.table, id: t.ref.id, batchId: t.ref.batchId, line: t.ref.line } })),
      flags: flags.map((f) => ({ code: f.code, severity: f.severity, amount: y(f.amount_fen), sentence: renderSentence(f.sentence, storedAsOf as IsoDate), legalBasis: JSON.parse(f.legal_basis) as unknown, fingerprint: f.fingerprint })),
    });
    workers.set(i.id_number, entry);
  }
  const projects = at.projects.map((p) => ({
    code: p.code,
    name: p.name,
    county: p.county,
    owner: { uscc: p.ownerUscc, name: p.ownerName },
    contractor: { uscc: p.contractorUscc, name: p.contractorName },
    wageAccount: p.wageAccount ? { no: p.wageAccount.no, bank: p.wageAccount.bank ?? null, openedOn: p.wageAccount.openedOn ?? null } : null,
    payDay: p.payDay ?? null,
  }));
  return {
    title: `证据材料：${view.title}`,
    asOf,
    flagsComputedAsOf: storedAsOf,
    case: {
      id: view.id,
      title: view.title,
      employer: { uscc: view.employerUscc, name: view.employerName },
      filedOn: view.filedOn,
      stage: view.stage,
      stageName: view.stageName,
      stageSince: view.stageSince,
      acceptedOn: view.acceptedOn,
      finalAward: view.finalAward,
      amounts: view.amounts,
      routing: { route: view.routing.route, sentence: view.routing.sentence, rules: view.routing.rules, alsoConsider: view.routing.alsoConsider },
      deadlines: view.deadlines.map((d) => ({ name: d.name, start: d.start, due: d.due, extendedDue: d.extendedDue, past: d.past, explanation: d.explanation, basis: d.basis })),
      events: view.events,
    },
    projects,
    workers: [...workers.values()],
    totals: { workers: workers.size, workerMonths: items.length, claimed: y(sumFen(items.map((i) => i.claimed_fen as Fen))), netDue: y(netDue), paid: y(paid), arrears: y(arrears) },
  };
}
export type EvidencePack = ReturnType<typeof buildEvidencePack>;

/** Chinese names for what the pack prints (codes stay in its JSON). */
const WAGE_STATUS_ZH: Record<string, string> = { not_due: '未到期', paid: '已按时足额支付', paid_late: '迟延支付', partial: '未足额支付', unpaid: '未支付', no_payroll: '无工资表' };
const EVENT_ZH: Record<string, string> = { intake: '立案登记', transition: '转换阶段', accept: '受理', agree: '约定金额', pay: '实付到人' };
const CHANNEL_ZH: Record<string, string> = { dedicated_account: '专户代发', cash: '现金', other_transfer: '其他账户转账' };
const amountText = (v: unknown) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? yuanText(v) : v);

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A printable HTML page of the pack; personal numbers masked unless `fullView`. */
export function renderEvidencePackHtml(pack: EvidencePack, fullView: boolean): string {
  const p = (fullView ? pack : maskPersonalData(pack).value) as EvidencePack;
  type Month = { projectCode: string; month: string; claimed: string; ledger: Record<string, unknown> | null; payrollRows: Record<string, unknown>[]; payments: Record<string, unknown>[]; accountOutflows: Record<string, unknown>[]; flags: { code: string; sentence: string }[] };
  type DoubleWage = { from: string; to: string; total: string; months: { month: string; claim: string }[]; missingPayroll: string[] };
  const doubleWageLine = (r: { projectCode: string; doubleWage?: DoubleWage | null }) =>
    r.doubleWage
      ? `<p>未订立书面劳动合同二倍工资（项目${esc(r.projectCode)}，《劳动合同法》第八十二条）：自${esc(r.doubleWage.from)}起至${esc(r.doubleWage.to)}，已结束的月份另一倍工资合计 ${esc(r.doubleWage.total)} 元${r.doubleWage.months.length ? `（${r.doubleWage.months.map((m) => `${esc(m.month)}：${esc(m.claim)}`).join('；')}）` : ''}${r.doubleWage.missingPayroll.length ? `；${r.doubleWage.missingPayroll.map(esc).join('、')}无工资表未计` : ''}</p>`
      : '';
  const rows = (p.workers as { idNumber: string; name: string; months: Month[]; roster: { projectCode: string; doubleWage?: DoubleWage | null }[] }[])
    .map(
      (w) => `<h3>${esc(w.name)}（${esc(w.idNumber)}）</h3>${w.roster.map(doubleWageLine).join('')}<table><tr><th>项目</th><th>月份</th><th>应发（实发）</th><th>已付</th><th>欠付</th><th>状态</th><th>发放记录（银行流水号）</th><th>专户支出</th><th>预警</th></tr>${w.months
        .map(
          (m) =>
            `<tr><td>${esc(m.projectCode)}</td><td>${esc(m.month)}</td><td>${esc(amountText(m.ledger?.netDue))}</td><td>${esc(amountText(m.ledger?.paid))}</td><td>${esc(amountText(m.ledger?.arrears))}</td><td>${esc(m.ledger ? (WAGE_STATUS_ZH[String(m.ledger.status)] ?? m.ledger.status) : '')}</td><td>${m.payments.map((x) => `${esc(x.paidOn)} ${esc(amountText(x.amount))} 元 ${esc(x.bankRef ?? CHANNEL_ZH[String(x.channel)] ?? x.channel)}${x.returnedOn ? `（${esc(x.returnedOn)}被银行退回，不计已付）` : ''}`).join('<br>')}</td><td>${m.accountOutflows.map((x) => `${esc(x.txDate)} ${esc(amountText(x.amount))} 元 ${esc(x.bankRef)}`).join('<br>')}</td><td>${m.flags.map((f) => esc(f.sentence)).join('<br>')}</td></tr>`,
        )
        .join('')}</table>`,
    )
    .join('');
  const c = p.case;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(p.title)}</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:1em}td,th{border:1px solid #999;padding:4px;font-size:12px;vertical-align:top}@media print{h3{page-break-before:auto}}</style></head><body>
<h1>${esc(p.title)}</h1>
<p>截至 ${esc(p.asOf)}；被申请单位：${esc(c.employer.name)}（${esc(c.employer.uscc)}）；登记 ${esc(c.filedOn)}；当前阶段：${esc(c.stageName)}（自 ${esc(c.stageSince)}）</p>
<p>分流：${esc(c.routing.sentence)}</p>
<p>金额：主张 ${esc(amountText(c.amounts.claimed))} 元；约定 ${esc(amountText(c.amounts.agreed ?? '—'))} 元；已付到工人 ${esc(amountText(c.amounts.paidToWorkers))} 元；台账欠付 ${esc(amountText(c.amounts.ledgerArrearsNow))} 元</p>
<h2>期限</h2>${c.deadlines.length > 0 ? `<ul>${c.deadlines.map((d) => `<li>${esc(d.explanation)}（${esc(lawCitation(d.basis.document, d.basis.article))}）</li>`).join('')}</ul>` : `<p>当前阶段（${esc(c.stageName)}）没有法定办理期限。</p>`}
<h2>工资台账与证据</h2>${rows}
<h2>合计</h2><p>${esc(p.totals.workers)} 名工人，${esc(p.totals.workerMonths)} 个工人月；实发合计 ${esc(amountText(p.totals.netDue))} 元，已付 ${esc(amountText(p.totals.paid))} 元，欠付 ${esc(amountText(p.totals.arrears))} 元</p>
<h2>案件记录</h2><table><tr><th>日期</th><th>事项</th><th>经办人</th><th>理由</th></tr>${c.events.map((e) => `<tr><td>${esc(e.on)}</td><td>${esc(EVENT_ZH[e.kind] ?? e.kind)}${e.toStage ? `：${esc(STAGE_ZH[e.toStage as CaseStage] ?? e.toStage)}` : ''}${e.amount ? `，${esc(amountText(e.amount))} 元` : ''}</td><td>${esc(e.actor)}</td><td>${esc(e.reason)}</td></tr>`).join('')}</table>
</body></html>`;
}
