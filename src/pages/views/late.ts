/** 逾期未报送 — who is late with a month's wage table or payment records (GET /api/v1/submissions/late). */
import { monthZh } from '../format.ts';
import { html, type Html } from '../html.ts';

export interface LateItem {
  projectCode: string;
  projectName: string;
  month: string;
  kind: string;
  kindName: string;
  dueDate: string;
  wageDueDate: string;
  daysLate: number;
  remindersSent: number;
  lastReminderOn: string | null;
}

export function latePage(input: { asOf: string; items: LateItem[] }): Html {
  return html`<h1>逾期未报送 <span class="muted small">截至 ${input.asOf}，共 ${input.items.length} 项</span></h1>
<p class="muted small">在建项目（已开工、当月未完工）有花名册在场工人的月份，应于次月规定日期前报送工资支付表，于工资支付日后规定天数内报送工资发放记录（报送期限为本地设置，见“法定参数”）。逾期未报送的，夜间任务向项目劳资专管员发送催报提醒，工资支付日前再提醒一次；同一项目、月份、报送项、阶段只提醒一次。</p>
<section class="card no-print">
  <form class="filters" method="get" action="/late">
    <label>截至日期<input type="date" name="asOf" value="${input.asOf}"></label>
    <button type="submit">查看</button>
    <a href="/late">今天</a>
  </form>
</section>
${input.items.length === 0 && html`<p class="card" data-testid="empty">没有逾期未报送的项目月份。</p>`}
${input.items.length > 0 &&
html`<div class="table-wrap"><table data-testid="late">
  <thead><tr><th>项目</th><th>月份</th><th>缺报</th><th>报送期限</th><th>工资支付日</th><th class="num">逾期天数</th><th class="num">已提醒</th><th>最近提醒</th></tr></thead>
  <tbody>${input.items.map(
    (i) => html`<tr data-testid="late-item" data-project="${i.projectCode}" data-month="${i.month}" data-kind="${i.kind}">
      <td><a href="/projects/${encodeURIComponent(i.projectCode)}">${i.projectCode}</a> ${i.projectName}</td>
      <td>${monthZh(i.month)}</td>
      <td>${i.kindName}</td>
      <td class="nowrap">${i.dueDate}</td>
      <td class="nowrap">${i.wageDueDate}</td>
      <td class="num">${i.daysLate}</td>
      <td class="num">${i.remindersSent === 0 ? '未提醒' : `${i.remindersSent} 次`}</td>
      <td class="nowrap">${i.lastReminderOn ?? '—'}</td>
    </tr>`,
  )}</tbody>
</table></div>`}`;
}
