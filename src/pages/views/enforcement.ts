/**
 * 执法 — wage cases, orders to pay and the blacklist procedure, read from /api/v1/{cases,orders,blacklist}.
 * Identity numbers arrive masked from the API (and the pages' last guard masks again).
 */
import { lawCitation } from '../../domain/lawTitle.ts';
import type { Principal } from '../../api/roles.ts';
import { REVIEWERS, SUPERVISORS } from '../../api/roles.ts';
import type { ListingView } from '../../services/enforcement/blacklist.ts';
import type { CaseView } from '../../services/enforcement/cases.ts';
import type { OrderView } from '../../services/enforcement/orders.ts';
import { STAGE_ZH } from '../../rules/cases.ts';
import { money, monthZh, timeZh, WAGE_STATUS_ZH } from '../format.ts';
import { html, type Html } from '../html.ts';

export type { ListingView };
type DeadlineView = CaseView['deadlines'][number];

export const ORDER_STATUS_ZH: Record<string, string> = {
  running: '期限未到',
  complied: '已按期支付',
  paid_after_deadline: '逾期后已支付',
  expired_unpaid: '逾期未支付',
};
export const LISTING_STATUS_ZH: Record<string, string> = {
  proposed: '已启动（待告知）',
  noticed: '已告知（陈述申辩期）',
  listed: '已列入',
  not_listed: '不予列入',
  removed: '已移出',
  revoked: '列入决定已撤销',
  expired: '期满移出',
};
export const LISTING_STEP_ZH: Record<string, string> = {
  propose: '启动列入程序',
  notice: '书面告知',
  statement: '陈述申辩 / 异议',
  correction: '改正及信用承诺',
  decision: '列入决定',
  publish: '公布',
  removal_application: '提前移出申请',
  removal_decision: '提前移出决定',
  restore: '撤销移出、恢复列入（名单办法第十五条）',
  revoke: '撤销列入决定（名单办法第十六条）',
  removal: '移出名单',
  default_again: '列入期间再次拖欠',
  criminal_case: '刑事案件',
  persons: '一并列入人员',
};
const CRITERION_ZH: Record<string, string> = { amount: '逾期未付且数额达到标准', incident: '引发群体性或极端事件' };
const EVENT_ZH: Record<string, string> = { intake: '立案登记', transition: '转换阶段', accept: '受理', agree: '约定金额', pay: '实付到人' };

/** Days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function deadlineCell(d: DeadlineView, asOf: string): Html {
  if (d.due === null) return html`<span title="${d.explanation}">${d.name}：无法确定（不早于 ${d.notBefore}）</span>`;
  const late = d.past === true ? daysBetween(d.due, asOf) : 0;
  return html`<span class="${late > 0 ? 'overdue' : ''}" title="${d.explanation}" data-testid="deadline">${d.name}：${d.due}${late > 0 ? html` <strong>已逾期 ${late} 天</strong>` : ''}</span>`;
}

export function casesPage(input: { asOf: string; cases: CaseView[] }): Html {
  const { cases, asOf } = input;
  return html`<h1>欠薪案件 <span class="muted small">截至 ${asOf} · 共 ${cases.length} 件</span></h1>
${cases.length === 0
  ? html`<p class="card" data-testid="empty">尚无案件。可在<a href="/flags?code=WAGE_UNPAID">复核队列</a>中从欠薪预警立案。</p>`
  : html`<div class="table-wrap"><table data-testid="cases">
  <thead><tr><th>案件</th><th>阶段</th><th>用人单位</th><th class="num">主张金额</th><th class="num">约定金额</th><th class="num">已付到人</th><th>当前期限</th></tr></thead>
  <tbody>${cases.map(
    (c) => html`<tr data-case-id="${c.id}"${c.deadlines.some((d) => d.past === true) ? html` class="arrears"` : ''}>
    <td><a href="/cases/${c.id}">#${c.id} ${c.title ?? ''}</a><div class="muted small">立案 ${c.filedOn}</div></td>
    <td><span class="badge outline">${c.stageName}</span><div class="muted small">自 ${c.stageSince}</div></td>
    <td>${c.employerName ?? '—'}<div class="muted small">${c.employerUscc}</div></td>
    <td class="num">${money(c.amounts.claimed)}</td>
    <td class="num">${c.amounts.agreed === null ? '—' : money(c.amounts.agreed)}</td>
    <td class="num">${money(c.amounts.paidToWorkers)}</td>
    <td>${c.deadlines.length === 0 ? html`<span class="muted">—</span>` : c.deadlines.map((d) => html`<div>${deadlineCell(d, asOf)}</div>`)}</td>
  </tr>`,
  )}</tbody></table></div>`}`;
}

/**
 * 记录 — what an inspector records on an open case besides moving it: the acceptance by the arbitration
 * committee, inspectorate or court (starts the next legal clock), the amount agreed or decided, and money
 * actually paid to the workers. Each posts to the API; a reason is required and goes to the case record and
 * the audit log.
 */
/** The stages with an acceptance by an authority (仲裁委、监察机构、法院): services/enforcement/cases.ts */
const ACCEPTING_STAGES: readonly string[] = ['arbitration', 'inspection', 'trial', 'enforcement'];

/**
 * The case's workers, each once, by the opaque id the API gives beside the masked number (a masked role
 * never types a full identity number: src/api/workerLookup.ts).
 */
function caseWorkers(c: CaseView): { workerId: string; name: string | null; idNumber: string }[] {
  const seen = new Map<string, { workerId: string; name: string | null; idNumber: string }>();
  for (const i of c.items as unknown as { workerId?: string; name?: string | null; idNumber: string }[]) {
    if (i.workerId && !seen.has(i.workerId)) seen.set(i.workerId, { workerId: i.workerId, name: i.name ?? null, idNumber: i.idNumber });
  }
  return [...seen.values()];
}

function caseRecordForms(c: CaseView): Html {
  const today = c.asOf;
  return html`<h2>记录</h2>
<div class="forms no-print">
${ACCEPTING_STAGES.includes(c.stage) &&
!c.acceptedOn &&
html`<form class="card stack" method="post" action="/cases/${c.id}/accept" data-once data-testid="accept">
  <h3>受理</h3>
  <label class="small muted" for="accept-on">受理日期（仲裁委、监察机构或法院受理之日，开始计算下一期限）</label>
  <input id="accept-on" name="on" type="text" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" maxlength="10" placeholder="2026-11-28" title="按“年-月-日”填写，如 2026-11-28" data-date value="${today}" required>
  <label class="small muted" for="accept-reason">依据（受理通知书文号等，必填）</label>
  <input id="accept-reason" name="reason" required maxlength="2000">
  <button type="submit">记录受理</button>
</form>`}
<form class="card stack" method="post" action="/cases/${c.id}/agreed" data-once data-testid="agreed">
  <h3>约定金额</h3>
  <label class="small muted" for="agreed-amount">调解协议、裁决、判决或和解确定的金额（元）</label>
  <input id="agreed-amount" name="amount" inputmode="decimal" pattern="\\d+(\\.\\d{1,2})?" required>
  <label class="small muted" for="agreed-on">日期</label>
  <input id="agreed-on" name="on" type="text" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" maxlength="10" placeholder="2026-11-28" title="按“年-月-日”填写，如 2026-11-28" data-date value="${today}" required>
  <label class="small muted" for="agreed-reason">依据（文书编号等，必填）</label>
  <input id="agreed-reason" name="reason" required maxlength="2000">
  <button type="submit">记录约定金额</button>
</form>
<form class="card stack" method="post" action="/cases/${c.id}/payments" data-once data-testid="paid">
  <h3>支付到工人</h3>
  <label class="small muted" for="paid-amount">实际支付到工人本人的金额（元）</label>
  <input id="paid-amount" name="amount" inputmode="decimal" pattern="\\d+(\\.\\d{1,2})?" required>
  <label class="small muted" for="paid-on">支付日期</label>
  <input id="paid-on" name="on" type="text" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" maxlength="10" placeholder="2026-11-28" title="按“年-月-日”填写，如 2026-11-28" data-date value="${today}" required>
  <label class="small muted" for="paid-id">收款工人（可选；本案涉及的工人）</label>
  <select id="paid-id" name="worker"><option value="">（不指定）</option>${caseWorkers(c).map((w) => html`<option value="${w.workerId}">${w.name ?? '—'} ${w.idNumber}</option>`)}</select>
  <label class="small muted" for="paid-ref">银行流水号（可选）</label>
  <input id="paid-ref" name="bankRef" maxlength="64">
  <label class="small muted" for="paid-reason">依据（必填）</label>
  <input id="paid-reason" name="reason" required maxlength="2000">
  <button type="submit">记录支付</button>
</form>
</div>`;
}

export function casePage(input: { principal: Principal; c: CaseView; orders: OrderView[] }): Html {
  const { c, principal } = input;
  const canAct = REVIEWERS.includes(principal.role);
  return html`<h1>案件 #${c.id} ${c.title ?? ''} <span class="badge outline" data-testid="stage">${c.stageName}</span></h1>
<section class="card">
  <dl class="facts">
    <dt>用人单位</dt><dd>${c.employerName ?? '—'}（${c.employerUscc}）</dd>
    <dt>立案日期</dt><dd>${c.filedOn}（${c.createdBy}）</dd>
    <dt>当前阶段</dt><dd>${c.stageName}，自 ${c.stageSince}${c.acceptedOn ? `，${c.acceptedOn} 受理` : ''}</dd>
    <dt>分流建议</dt><dd>${(c.routing as { sentence?: string } | null)?.sentence ?? '—'}</dd>
    <dt>主张金额</dt><dd class="nowrap">${money(c.amounts.claimed)} 元</dd>
    <dt>约定金额</dt><dd class="nowrap">${c.amounts.agreed === null ? '—' : `${money(c.amounts.agreed)} 元`}${c.amounts.outstandingAgainstAgreed !== null ? `（尚欠 ${money(c.amounts.outstandingAgainstAgreed)} 元）` : ''}</dd>
    <dt>已付到人</dt><dd class="nowrap">${money(c.amounts.paidToWorkers)} 元</dd>
    <dt>台账现欠</dt><dd class="nowrap">${money(c.amounts.ledgerArrearsNow)} 元（截至 ${c.asOf}）</dd>
  </dl>
</section>
<h2>期限</h2>
${c.deadlines.length === 0
  ? html`<p class="muted">本阶段没有法定期限。</p>`
  : html`<ul>${c.deadlines.map((d) => html`<li>${deadlineCell(d, c.asOf)}<div class="muted small">${d.explanation}（${lawCitation(d.basis.document, d.basis.article)}）</div></li>`)}</ul>`}
<h2>下一步</h2>
${c.allowedNext.length === 0
  ? html`<p class="muted">案件已终结。</p>`
  : canAct
    ? html`<form class="card stack no-print" method="post" action="/cases/${c.id}/transition" data-once data-testid="transition">
  <label class="small muted" for="reason-case">理由（必填，记入案件记录和审计日志）</label>
  <textarea id="reason-case" name="reason" required maxlength="2000"></textarea>
  <div>${c.allowedNext.map((n) => html`<button type="submit" name="to" value="${n.to}" title="${n.why}（${n.basis}）">转入“${n.name}”</button> `)}</div>
  <ul class="muted small">${c.allowedNext.map((n) => html`<li>${n.name}：${n.why}（${n.basis}）</li>`)}</ul>
</form>`
    : html`<ul>${c.allowedNext.map((n) => html`<li>${n.name}：${n.why}（${n.basis}）</li>`)}</ul>`}
${canAct && c.stage !== 'closed' && c.stage !== 'withdrawn' && caseRecordForms(c)}
${canAct && html`<p class="no-print"><a href="/cases/${c.id}/evidence-pack" data-testid="evidence-pack">打印证据包</a></p>`}
<h2>涉案工人月度（${c.items.length}）</h2>
<div class="table-wrap"><table data-testid="items">
  <thead><tr><th>项目</th><th>姓名</th><th>身份证号</th><th>月份</th><th class="num">主张</th><th class="num">应发实付</th><th class="num">已付</th><th class="num">现欠</th><th>状态</th></tr></thead>
  <tbody>${c.items.map(
    (i) => html`<tr><td><a href="/projects/${encodeURIComponent(i.projectCode)}">${i.projectCode}</a></td><td>${i.name ?? '—'}</td><td class="nowrap">${i.idNumber}</td><td>${monthZh(i.month)}</td>
    <td class="num">${money(i.claimed)}</td><td class="num">${i.ledger?.netDue ? money(i.ledger.netDue) : '—'}</td><td class="num">${i.ledger ? money(i.ledger.paid) : '—'}</td>
    <td class="num">${i.ledger ? money(i.ledger.arrears) : '—'}</td><td>${i.ledger ? (WAGE_STATUS_ZH[i.ledger.status] ?? i.ledger.status) : '—'}</td></tr>`,
  )}</tbody></table></div>
${input.orders.length > 0 &&
html`<h2>相关责令限期支付</h2><ul>${input.orders.map((o) => html`<li><a href="/orders#order-${o.id}">#${o.id}</a> 期限 ${o.deadline}：${ORDER_STATUS_ZH[o.evaluation.status] ?? o.evaluation.status}</li>`)}</ul>`}
<h2>案件记录</h2>
<div class="table-wrap"><table data-testid="events">
  <thead><tr><th>日期</th><th>事项</th><th>操作人</th><th>理由</th><th>记录时间</th></tr></thead>
  <tbody>${c.events.map(
    (e) => html`<tr><td class="nowrap">${e.on}</td>
    <td>${EVENT_ZH[e.kind] ?? e.kind}${e.fromStage && e.toStage ? `：${stageZhOf(c, e.fromStage)} → ${stageZhOf(c, e.toStage)}` : e.toStage ? `：${stageZhOf(c, e.toStage)}` : ''}${e.amount ? `，${money(e.amount)} 元` : ''}${e.bankRef ? `（流水号 ${e.bankRef}）` : ''}</td>
    <td>${e.actor}</td><td>${e.reason}</td><td class="nowrap muted small">${timeZh(e.at)}</td></tr>`,
  )}</tbody></table></div>`;
}

function stageZhOf(_c: CaseView, stage: string): string {
  return (STAGE_ZH as Record<string, string>)[stage] ?? stage;
}

export function ordersPage(input: { asOf: string; orders: OrderView[] }): Html {
  const { orders, asOf } = input;
  return html`<h1>责令限期支付 <span class="muted small">截至 ${asOf} · 共 ${orders.length} 份</span></h1>
${orders.length === 0 && html`<p class="card" data-testid="empty">尚无责令限期支付。可在<a href="/flags?code=WAGE_UNPAID">复核队列</a>中依据欠薪预警作出。</p>`}
${orders.map((o) => {
  const e = o.evaluation;
  const late = e.status === 'expired_unpaid' ? daysBetween(o.deadline, asOf) : 0;
  return html`<article class="card" id="order-${o.id}" data-testid="order" data-order-id="${o.id}">
  <h2>#${o.id} ${o.employerName ?? o.employerUscc} <span class="badge ${e.status === 'expired_unpaid' ? 'unpaid' : e.status === 'complied' ? 'paid' : 'outline'}">${ORDER_STATUS_ZH[e.status] ?? e.status}</span>${o.withdrawnAt ? html` <span class="badge outline">已撤销</span>` : ''}</h2>
  <dl class="facts">
    <dt>作出日期</dt><dd>${o.issuedOn}（${o.actor}）</dd>
    <dt>支付期限</dt><dd class="${late > 0 ? 'overdue' : ''}">${o.deadline}${late > 0 ? html` <strong>已逾期 ${late} 天</strong>` : ''}</dd>
    <dt>责令金额</dt><dd>${money(o.ordered)} 元</dd>
    <dt>现仍欠</dt><dd>${money(e.owed)} 元</dd>
    <dt>理由</dt><dd>${o.reason}</dd>
    ${o.caseId && html`<dt>案件</dt><dd><a href="/cases/${o.caseId}">#${o.caseId}</a></dd>`}
  </dl>
  <p>${e.sentence}</p>
  ${e.proposals.length > 0 &&
  html`<h3>处理建议</h3><ul data-testid="proposals">${e.proposals.map(
    (p) => html`<li${p.proposed ? '' : html` class="muted"`}>${p.text}${p.amount ? `（${money(p.amount)} 元）` : ''}${p.range ? `（${money(p.range.low)}–${money(p.range.high)} 元）` : ''}${p.dueBy ? html`<div class="small muted">${p.dueBy.explanation}</div>` : ''}<div class="small muted">${lawCitation(p.basis.document, p.basis.article)}</div></li>`,
  )}</ul>`}
  <details><summary>涉及工人月度（${e.items.length}）</summary><div class="table-wrap"><table>
    <thead><tr><th>项目</th><th>姓名</th><th>身份证号</th><th>月份</th><th class="num">责令金额</th><th class="num">现欠</th><th>付清日</th></tr></thead>
    <tbody>${e.items.map((i) => html`<tr><td>${i.projectCode}</td><td>${i.name ?? '—'}</td><td class="nowrap">${i.idNumber}</td><td>${monthZh(i.month)}</td><td class="num">${money(i.amountOrdered)}</td><td class="num">${money(i.owedNow)}</td><td>${i.paidInFullOn ?? '—'}</td></tr>`)}</tbody>
  </table></div></details>
</article>`;
})}`;
}

export function blacklistPage(input: { principal: Principal; asOf: string; listings: ListingView[] }): Html {
  const canDecide = SUPERVISORS.includes(input.principal.role);
  const { asOf, listings } = input;
  return html`<h1>失信联合惩戒名单 <span class="muted small">截至 ${asOf} · 共 ${listings.length} 个程序</span></h1>
<p class="muted small">名单办法没有较轻的名单：只有失信联合惩戒对象名单一种。列入、不予列入由科室负责人决定。</p>
${listings.length === 0 && html`<p class="card" data-testid="empty">尚无名单程序。</p>`}
${listings.map(
  (l) => html`<article class="card" id="listing-${l.id}" data-testid="listing">
  <h2>#${l.id} ${l.name} <span class="muted small">${l.uscc}</span> <span class="badge ${l.onListAt ? 'unpaid' : 'outline'}">${LISTING_STATUS_ZH[l.status] ?? l.status}</span></h2>
  <dl class="facts">
    <dt>列入事由</dt><dd>${CRITERION_ZH[l.criterion] ?? l.criterion}${l.orderId ? html`（<a href="/orders#order-${l.orderId}">责令限期支付 #${l.orderId}</a>）` : ''}</dd>
    <dt>决定期限</dt><dd>${l.clock.decision.due ?? '无法确定'}<span class="muted small">（${l.clock.decision.explanation}）</span></dd>
    ${l.clock.statementWindow && html`<dt>陈述申辩期</dt><dd>${l.clock.statementWindow.due ?? '无法确定'}</dd>`}
    ${l.clock.recommendation &&
    html`<dt>系统建议</dt><dd data-testid="recommendation">${l.clock.recommendation.recommend === 'may_not_list' ? '不予列入' : '列入'}（名单办法${l.clock.recommendation.basis.article}）<span class="muted small">：${l.clock.recommendation.reasons.join('；')}</span></dd>`}
    ${l.listedFrom && html`<dt>名单期间</dt><dd>${l.listedFrom} 起，${l.listedUntilExclusive ?? '—'} 移出</dd>`}
    ${l.publishedOn && html`<dt>公布</dt><dd>${l.publishedOn}</dd>`}
    ${l.persons.length > 0 && html`<dt>一并列入</dt><dd>${l.persons.map((p) => p.name).join('、')}</dd>`}
  </dl>
  <div class="table-wrap"><table>
    <thead><tr><th>日期</th><th>步骤</th><th>操作人</th><th>理由</th></tr></thead>
    <tbody>${l.steps.map((s) => html`<tr><td class="nowrap">${s.on}</td><td>${LISTING_STEP_ZH[s.step] ?? s.step}</td><td>${s.actor}</td><td>${s.reason}</td></tr>`)}</tbody>
  </table></div>
  ${canDecide &&
  (l.status === 'proposed' || l.status === 'noticed') &&
  html`<form class="stack no-print" method="post" action="/blacklist/${l.id}/decision" data-once data-testid="decision">
    <label class="small muted" for="reason-listing-${l.id}">决定理由（必填）</label>
    <textarea id="reason-listing-${l.id}" name="reason" required maxlength="2000"></textarea>
    <label class="small"><input type="checkbox" name="complex" value="1"> 情况复杂，依法延长决定期限（名单办法第八条）</label>
    <div><button type="submit" name="approve" value="1">决定列入</button> <button type="submit" class="secondary" name="approve" value="0">不予列入</button></div>
  </form>`}
</article>`,
)}`;
}
