/** 项目列表 — every project with its arrears, risk and open flags, filterable by county. */
import { fenOf, money } from '../format.ts';
import { html, type Html } from '../html.ts';
import type { ProjectSummary } from './types.ts';

export function projectsPage(input: { projects: ProjectSummary[]; counties: string[]; county?: string; riskMax?: number }): Html {
  return html`<h1>项目${input.county ? ` · ${input.county}` : ''} <span class="muted small">共 ${input.projects.length} 个，按风险分排序</span></h1>
<section class="card no-print"><form class="filters" method="get" action="/projects">
  <label>区县<select name="county" data-autosubmit>
    <option value="">全部区县</option>
    ${input.counties.map((c) => html`<option value="${c}"${c === input.county ? html` selected` : ''}>${c}</option>`)}
  </select></label>
  <button type="submit">筛选</button>
</form></section>
<div class="table-wrap"><table data-testid="projects">
  <thead><tr><th>项目编号</th><th>项目名称</th><th>区县</th><th>状态</th><th class="num">合同金额</th><th class="num">欠薪</th><th class="num">被欠薪工人</th><th class="num">风险分${input.riskMax ? html`<br><span class="small muted">满分 ${input.riskMax}</span>` : ''}</th><th class="num">待处理预警</th></tr></thead>
  <tbody>${input.projects.map(
    (p) => html`<tr${p.assessment && fenOf(p.assessment.arrears) > 0 ? html` class="arrears"` : ''}>
      <td class="nowrap"><a href="/projects/${encodeURIComponent(p.code)}">${p.code}</a></td><td>${p.name}</td><td class="nowrap">${p.county}</td>
      <td>${p.status === 'completed' ? '已竣工' : '在建'}</td><td class="num">${money(p.contractAmount)}</td>
      <td class="num">${money(p.assessment?.arrears)}</td><td class="num">${p.assessment?.workersInArrears ?? '—'}</td>
      <td class="num">${p.assessment?.riskScore ?? '—'}</td>
      <td class="num">${p.openFlags > 0 ? html`<a href="/flags?project=${encodeURIComponent(p.code)}">${p.openFlags}</a>` : '0'}</td></tr>`,
  )}</tbody>
</table></div>`;
}
