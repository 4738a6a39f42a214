/** 项目页 — facts, risk, flags, wage months with each month's ledger, dedicated account, deposit, roster. */
import type { Principal } from '../../api/roles.ts';
import { lineChart } from '../charts.ts';
import type { AccountMonth } from '../data.ts';
import { DEPOSIT_EVENT_ZH, DEPOSIT_FORM_ZH, DEPOSIT_STEP_ZH, fenOf, money, monthZh, WAGE_STATUS_ZH, yuanOfFen } from '../format.ts';
import { html, type Html } from '../html.ts';
import { flagCard } from './flags.ts';
import type { DepositAnswer, Flag, Ledger, ProjectDetail } from './types.ts';

const src = (s: { batchId: number; line: number } | null) => (s ? html`<a href="/imports#batch-${s.batchId}">#${s.batchId}</a> 第${s.line}行` : '—');

export function ledgerTable(l: Ledger): Html {
  return html`<div class="table-wrap"><table class="ledger" data-testid="ledger-${l.month}">
  <thead><tr><th>姓名</th><th>身份证号</th><th class="num">出勤天数</th><th class="num">应发</th><th class="num">实发应付</th><th class="num">已付</th><th class="num">欠薪</th><th>支付期限</th><th>状态</th><th class="num">逾期天数</th><th>来源</th></tr></thead>
  <tbody>${l.items.map(
    (r) => html`<tr${fenOf(r.arrears) > 0 ? html` class="arrears"` : ''}>
      <td class="nowrap">${r.name}</td><td class="nowrap">${r.idNumber}</td><td class="num">${r.daysWorked ?? '—'}</td>
      <td class="num">${money(r.gross)}</td><td class="num">${money(r.netDue)}</td><td class="num">${money(r.paid)}</td>
      <td class="num">${money(r.arrears)}</td><td class="nowrap">${r.dueDate ?? '—'}</td>
      <td>${r.status ? html`<span class="badge ${r.status}">${WAGE_STATUS_ZH[r.status] ?? r.status}</span>` : '—'}</td>
      <td class="num">${r.overdueDays || ''}</td><td class="nowrap small">${src(r.source)}</td></tr>`,
  )}</tbody>
  <tfoot><tr><td colspan="4">合计 ${l.totals.workers} 人</td><td class="num">${money(l.totals.netDue)}</td><td class="num">${money(l.totals.paid)}</td><td class="num">${money(l.totals.arrears)}</td><td colspan="4"></td></tr></tfoot>
</table></div>
${l.total > l.items.length && html`<p class="muted small">仅显示前 ${l.items.length} 人（共 ${l.total} 人）。</p>`}
${l.problem && html`<p class="notice error">规则无法判断该月：${l.problem}（仅列出事实行）</p>`}`;
}

export function projectPage(input: {
  principal: Principal;
  p: ProjectDetail;
  ledgers: Ledger[];
  openMonth: string | null;
  olderMonths: string[];
  flags: Flag[];
  flagTotal: number;
  deposit: DepositAnswer;
  account: AccountMonth[];
  back: string;
  /** the risk score's scale (满分) under the weights in force */
  riskMax?: number;
}): Html {
  const { p } = input;
  const a = p.assessment;
  const req = input.deposit.requirement?.requirement;
  const held = input.deposit.requirement?.holdings;
  return html`<h1 data-testid="project-title">${p.name} <span class="muted small">${p.code}</span></h1>
<p class="muted small" data-testid="as-of">本页全部数字（欠薪、逾期天数、预警、风险分、台账）均截至 ${p.asOf}${p.storedAsOf === p.asOf ? '（最近一次评估日）' : ''}；此后导入的数据在下次评估后计入。</p>
<section class="cards">
  <div class="figure"><div class="label">欠薪</div><div class="value${a && fenOf(a.arrears) > 0 ? ' alert' : ''}">${a ? money(a.arrears) : '—'}</div><div class="muted small">元，截至 ${a?.asOf ?? p.asOf}</div></div>
  <div class="figure"><div class="label">被欠薪工人</div><div class="value">${a?.workersInArrears ?? '—'}</div><div class="muted small">最长逾期 ${a?.oldestOverdueDays ?? 0} 天</div></div>
  <a class="figure" href="#flags"><div class="label">待处理预警</div><div class="value">${input.flagTotal}</div></a>
  <div class="figure"><div class="label">风险分</div><div class="value">${a?.riskScore ?? '—'}</div><div class="muted small">满分 ${input.riskMax ?? '—'}，越高越应先查</div></div>
</section>
<section class="card grid2">
  <dl class="facts">
    <dt>区县</dt><dd>${p.county}</dd>
    <dt>状态</dt><dd>${p.status === 'completed' ? '已竣工' : '在建'}</dd>
    <dt>建设单位</dt><dd>${p.owner.name ?? p.owner.uscc}</dd>
    <dt>总包单位</dt><dd>${p.contractor.name ?? p.contractor.uscc} <span class="muted small">${p.contractor.uscc}</span></dd>
    <dt>合同金额</dt><dd>${money(p.contractAmount)} 元（${p.contractSignedOn} 签订）</dd>
    <dt>工期</dt><dd>${p.startDate} 至 ${p.completionDate ?? p.plannedEndDate ?? '—'}${p.completionDate ? '（已竣工）' : '（计划）'}</dd>
    <dt>工资支付日</dt><dd>每月 ${p.payDay} 日（支付上月工资）${p.governmentFunded ? ' · 政府投资项目' : ''}</dd>
    ${contactRows(p.contacts)}
  </dl>
  <div>
    <h3>风险分构成</h3>
    ${a && a.riskTerms.length
      ? html`<ul class="small">${a.riskTerms.map((t) => html`<li>${t.why}</li>`)}</ul>`
      : html`<p class="muted">无</p>`}
  </div>
</section>

<h2 id="wages">工资台账（按工资月份）</h2>
${p.wageMonthsProblem && html`<p class="notice error">规则无法判定本项目的欠薪：${p.wageMonthsProblem}（下表“欠薪”一栏留空）</p>`}
<div class="table-wrap"><table data-testid="wage-months">
  <thead><tr><th>工资月份</th><th>支付期限</th><th class="num">人数</th><th class="num">在工资表</th><th class="num">应发合计</th><th class="num">已付合计</th><th class="num">未付（含未到期）</th><th class="num">欠薪（已过期限）</th><th></th></tr></thead>
  <tbody>${[...p.wageMonths].reverse().map(
    (m) => html`<tr${m.arrears !== null && fenOf(m.arrears) > 0 ? html` class="arrears"` : ''}><td>${monthZh(m.month)}</td><td>${m.dueDate ?? '—'}</td><td class="num">${m.workers}</td><td class="num">${m.onPayroll}</td>
      <td class="num">${money(m.netDue)}</td><td class="num">${money(m.paid)}</td><td class="num">${money(m.outstanding)}</td><td class="num">${m.arrears === null ? '—' : money(m.arrears)}</td>
      <td><a href="?month=${m.month}#ledger-${m.month}">台账</a></td></tr>`,
  )}</tbody>
</table></div>
<p class="small muted">欠薪：支付期限（工资支付日，遇法定节假日或休息日提前到最近的工作日）已过仍未足额支付的部分；未到期限的未付工资只计入“未付”。</p>
${input.ledgers.map(
  (l) => html`<details id="ledger-${l.month}" class="card"${l.month === input.openMonth ? html` open` : ''}>
  <summary>${monthZh(l.month)} 工资台账 · 应发 ${money(l.totals.netDue)} · 已付 ${money(l.totals.paid)} · 欠薪 ${money(l.totals.arrears)} 元</summary>
  ${ledgerTable(l)}
</details>`,
)}
${input.olderMonths.length > 0 && html`<p class="small muted">更早的月份：${input.olderMonths.map((m) => html`<a href="?month=${m}#ledger-${m}">${monthZh(m)}</a> `)}</p>`}

<h2 id="flags">预警（待处理 ${input.flagTotal} 条）</h2>
${input.flags.length === 0 ? html`<p class="muted">无待处理预警。</p>` : input.flags.map((f) => flagCard(f, input.principal, input.back))}
${input.flagTotal > input.flags.length && html`<p><a href="/flags?project=${encodeURIComponent(p.code)}">在复核队列中查看全部 ${input.flagTotal} 条</a></p>`}

<h2 id="account">农民工工资专用账户</h2>
<section class="card">
  <dl class="facts">
    <dt>账号</dt><dd>${p.account.accountNo ?? '未开立'}${p.account.bank ? `（${p.account.bank}）` : ''}</dd>
    <dt>开户日期</dt><dd>${p.account.openedOn ?? '—'}</dd>
    <dt>流入 / 流出</dt><dd>${money(p.account.inflow)} / ${money(p.account.outflow)} 元（其中工资 ${money(p.account.wagesOut)}，其他用途 ${money(p.account.otherOut)}）</dd>
    <dt>余额</dt><dd><strong>${money(p.account.balance)}</strong> 元（${p.account.transactions} 笔流水，最近 ${p.account.lastTransactionOn ?? '—'}）</dd>
  </dl>
  ${input.account.length > 0 &&
  html`<h3>月末余额</h3>
  ${lineChart('专用账户月末余额（元）', input.account.map((m) => ({ label: m.month.slice(2), value: m.balanceFen, display: money(yuanOfFen(m.balanceFen)) })))}
  <div class="table-wrap"><table>
    <thead><tr><th>月份</th><th class="num">流入</th><th class="num">流出</th><th class="num">其中工资</th><th class="num">月末余额</th><th class="num">笔数</th></tr></thead>
    <tbody>${input.account.map(
      (m) => html`<tr><td>${monthZh(m.month)}</td><td class="num">${money(yuanOfFen(m.inflowFen))}</td><td class="num">${money(yuanOfFen(m.outflowFen))}</td>
        <td class="num">${money(yuanOfFen(m.wagesOutFen))}</td><td class="num">${money(yuanOfFen(m.balanceFen))}</td><td class="num">${m.transactions}</td></tr>`,
    )}</tbody>
  </table></div>`}
</section>

<h2 id="deposit">工资保证金</h2>
<section class="card">
  ${req
    ? html`<dl class="facts">
      <dt>应存金额</dt><dd><strong>${money(yuanOfFen(req.required))}</strong> 元（合同额 ${money(yuanOfFen(req.contractAmount))} × ${req.rate}${req.exempt ? '，免存' : ''}）</dd>
      <dt>存储期限</dt><dd>${req.deadline}</dd>
      ${held && html`<dt>实存</dt><dd>${money(yuanOfFen(held.total))} 元（现金 ${money(yuanOfFen(held.cash))}，保函/保险 ${money(yuanOfFen(held.guarantees))}）</dd>`}
    </dl>
    <h3>计算步骤</h3>
    <div class="table-wrap"><table data-testid="deposit-steps">
      <thead><tr><th>步骤</th><th>适用</th><th class="num">比例</th><th>说明</th></tr></thead>
      <tbody>${req.steps.map(
        (s) => html`<tr><td class="nowrap">${DEPOSIT_STEP_ZH[s.step] ?? s.step}</td><td>${s.applied ? '适用' : '不适用'}</td><td class="num">${s.rate}</td><td class="small">${s.why}</td></tr>`,
      )}</tbody>
    </table></div>`
    : html`<p class="muted">尚未计算保证金要求（需先重算）。</p>`}
  <h3>存取记录</h3>
  ${input.deposit.events.length === 0
    ? html`<p class="muted">无记录。</p>`
    : html`<div class="table-wrap"><table>
    <thead><tr><th>日期</th><th>事项</th><th>形式</th><th class="num">金额</th><th>到期日</th><th>凭证号</th><th>来源</th></tr></thead>
    <tbody>${input.deposit.events.map(
      (e) => html`<tr><td>${e.date}</td><td>${DEPOSIT_EVENT_ZH[e.event] ?? e.event}</td><td>${DEPOSIT_FORM_ZH[e.form] ?? e.form}</td><td class="num">${money(e.amount)}</td>
        <td>${e.expiresOn ?? '—'}</td><td>${e.voucherNo}</td><td class="small">${src(e.source)}</td></tr>`,
    )}</tbody>
  </table></div>`}
</section>

<h2 id="roster">实名制花名册（${p.roster.length} 人）</h2>
<div class="table-wrap"><table data-testid="roster">
  <thead><tr><th>姓名</th><th>身份证号</th><th>用工单位</th><th>班组</th><th>工种</th><th>进场</th><th>退场</th><th>劳动合同</th><th>银行卡</th><th>手机</th><th>来源</th></tr></thead>
  <tbody>${p.roster.map(
    (r) => html`<tr><td class="nowrap">${r.name}</td><td class="nowrap">${r.idNumber}</td><td>${r.employer.name ?? r.employer.uscc}</td><td>${r.team ?? ''}</td><td>${r.trade ?? ''}</td>
      <td class="nowrap">${r.entryDate}</td><td class="nowrap">${r.exitDate ?? '在场'}</td><td>${r.contractSigned ? '已签' : html`<span class="badge high">未签</span>`}</td>
      <td class="nowrap">${r.bankCard ?? '—'}</td><td class="nowrap">${r.phone ?? '—'}</td><td class="nowrap small">${src(r.source)}</td></tr>`,
  )}</tbody>
</table></div>
<p class="muted small">截至 ${p.asOf}；预警与评估取自 ${p.storedAsOf ?? '—'} 的重算结果。</p>`;
}


/** 通知联系人: who the notices go to (README “通知”); addresses arrive masked from the API. */
function contactRows(c: ProjectDetail['contacts']): Html {
  const row = (label: string, x: { name: string | null; phone: string | null; email: string | null } | null | undefined) =>
    html`<dt>${label}</dt><dd data-testid="contact">${x ? html`${x.name ?? '（未填姓名）'}${x.phone ? html` <span class="muted small nowrap">${x.phone}</span>` : ''}${x.email ? html` <code class="small">${x.email}</code>` : ''}` : html`<span class="muted">未登记（不发通知）</span>`}</dd>`;
  return html`${row('劳资专管员', c?.laborOfficer)}${row('项目经理', c?.projectManager)}${row('建设单位联系人', c?.ownerContact)}`;
}
