/** 夜间报告 — the stored nightly reports, each with its HTML rendering, its Excel workbook and its JSON. */
import { timeZh } from '../format.ts';
import { html, type Html } from '../html.ts';
import type { ReportListItem } from './types.ts';

export function reportsPage(input: { reports: ReportListItem[]; total: number }): Html {
  return html`<h1>夜间报告 <span class="muted small">共 ${input.total} 份</span></h1>
${input.reports.length === 0
  ? html`<p class="card">尚未生成夜间报告。服务器每晚按计划生成（见 README：HUXIN_REPORT_CRON），也可在服务器上运行 <code>npx huxin report</code>。</p>`
  : html`<div class="table-wrap"><table data-testid="reports">
  <thead><tr><th>报告日期</th><th>生成时间</th><th>查看</th></tr></thead>
  <tbody>${input.reports.map(
    (r) => html`<tr><td>${r.asOf}</td><td>${timeZh(r.createdAt)}</td>
      <td><a href="/reports/${r.asOf}">网页版</a> · <a href="/reports/${r.asOf}/xlsx" download>Excel 表格</a> · <a href="/reports/${r.asOf}/json">JSON</a></td></tr>`,
  )}</tbody>
</table></div>`}`;
}
