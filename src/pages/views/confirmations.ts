/**
 * 工资表签字确认 — the contractor's page for the month's signed wage table (本人签字确认): which project and
 * month, the scan, and every table the unit attached; a month without an accepted wage table cannot take one.
 */
import { monthZh, timeZh } from '../format.ts';
import { html, type Html } from '../html.ts';
import type { ConfirmationView } from '../../services/portal/confirmations.ts';
import { ACCEPT_SCANS, fileLinks, SCAN_RULE } from './answers.ts';
import type { DueProjectView } from './portal.ts';

export interface ConfirmationFormValues {
  project?: string;
  month?: string;
}

export function confirmationsPage(input: { projects: DueProjectView[]; items: ConfirmationView[]; values?: ConfirmationFormValues; defaultMonth: string }): Html {
  const mine = input.projects.filter((p) => p.relation === 'contractor');
  const v = input.values ?? {};
  return html`<h1>工资表签字确认</h1>
<p class="muted">每月工资表须经工人本人签字确认。把签好字的工资表扫描或拍照，附到对应项目和月份上（随该月已接收的工资表一起保存，住建局可以查看）。</p>
${mine.length === 0
  ? html`<p class="card" data-testid="confirm-none">签字确认的工资表由施工总承包单位上传；本单位不是任何项目的总承包单位，请把本单位工人签字的工资表交给总承包单位。</p>`
  : html`<section class="card no-print">
  <form method="post" action="/portal/confirmations" enctype="multipart/form-data" class="filters" data-testid="confirm-form">
    <label>项目<select name="project" required>${mine.map((p) => html`<option value="${p.code}"${p.code === v.project ? html` selected` : ''}>${p.code} ${p.name}</option>`)}</select></label>
    <label>工资月份<input type="month" name="month" required value="${v.month ?? input.defaultMonth}" pattern="\\d{4}-\\d{2}" placeholder="2026-10"></label>
    <label>签字的工资表（${SCAN_RULE}）<input type="file" name="file" required accept="${ACCEPT_SCANS}"></label>
    <button type="submit" data-testid="confirm-submit">上传签字确认</button>
  </form>
  <p class="muted small">先在“工资表报送”页报送该月工资表并被接收，再上传签字确认的扫描件；多页请合成一个 PDF。</p>
</section>`}
<h2>已上传的签字确认</h2>
${input.items.length === 0
  ? html`<p class="muted" data-testid="confirmations-empty">还没有上传。</p>`
  : html`<div class="table-wrap"><table data-testid="confirmations">
  <thead><tr><th>项目</th><th>月份</th><th>文件</th><th>上传</th><th class="num">工资表批次</th></tr></thead>
  <tbody>${input.items.map(
    (c) => html`<tr data-month="${c.month}"><td class="nowrap">${c.project.code}<br><span class="small muted">${c.project.name}</span></td><td class="nowrap">${monthZh(c.month)}</td>
      <td>${fileLinks([c.file], '/portal/files')}</td><td class="small">${timeZh(c.attachedAt)}<br>${c.submitter}</td><td class="num">#${c.batchId}${c.submissionId ? html`<br><span class="small muted">报送 #${c.submissionId}</span>` : ''}</td></tr>`,
  )}</tbody>
</table></div>`}`;
}
