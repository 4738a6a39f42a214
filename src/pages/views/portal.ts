/**
 * 报送门户 — the contractor's page (issue 20): which file is due for which project, templates, the upload, the
 * problems of a rejected file with the fix for each, and every submission; and the bureau's list of every
 * unit's submissions. Written for a labour-affairs officer, not a clerk: plain words, one thing per step.
 */
import { monthZh, timeZh } from '../format.ts';
import { html, type Html } from '../html.ts';
import type { ConfirmationView } from '../../services/portal/confirmations.ts';
import { fileLinks } from './answers.ts';

export interface PortalProblemView {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
  hint: string;
}

export interface SubmissionView {
  id: number;
  submittedAt: string;
  submitter: string;
  uscc: string;
  unitName: string | null;
  kind: string;
  fileName: string;
  status: string;
  batchId: number | null;
  problemCount: number;
  problems: PortalProblemView[];
  projectCodes: string[];
  /** signed wage tables attached to the months of this submission's batch */
  confirmations: ConfirmationView[];
}

export interface DueProjectView {
  code: string;
  name: string;
  county: string;
  relation: string;
  payrollMonth: string;
  payrollDueOn: string;
  payrollRows: number;
  payrollState: string;
}

export type PortalResult =
  | { status: 'accepted' | 'duplicate'; submission: SubmissionView; inserted?: number }
  | { status: 'rejected'; message: string; submission: SubmissionView }
  | { status: 'refused'; message: string; problems: PortalProblemView[] }
  | { status: 'error'; message: string };

const KIND_ZH: Record<string, string> = { payroll: '工资表', roster: '花名册' };
export const SUBMISSION_STATUS_ZH: Record<string, string> = { accepted: '已接收', rejected: '已退回', duplicate: '重复文件（未更改）' };
const PAYROLL_STATE_ZH: Record<string, string> = { submitted: '已报送', due: '待报送', late: '已逾期', by_contractor: '由总承包单位报送' };

const dayZh = (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

function problemTable(problems: readonly PortalProblemView[]): Html {
  return html`<div class="table-wrap"><table data-testid="portal-problems">
    <thead><tr><th class="num">位置</th><th>列</th><th>填写的内容</th><th>问题</th><th>怎样改</th></tr></thead>
    <tbody>${problems.map(
      (p) => html`<tr><td class="num nowrap">${p.line === 0 ? '整个文件' : `第 ${p.line} 行`}</td><td class="nowrap">${p.column ?? '—'}</td><td class="nowrap">${p.value ?? ''}</td><td>${p.reason}</td><td data-testid="fix-hint">${p.hint}</td></tr>`,
    )}</tbody>
  </table></div>`;
}

export function portalPage(input: { uscc: string; projects: DueProjectView[]; submissions: SubmissionView[]; result: PortalResult | null; kind?: string }): Html {
  const r = input.result;
  return html`<h1>工资表、花名册报送</h1>
<p class="muted">本单位（统一社会信用代码 ${input.uscc}）总承包或用工的项目。每月按时报送上月的工资表；人员进场、退场时报送花名册变动。</p>
<h2>第一步：看看要报什么</h2>
${input.projects.length === 0
  ? html`<p class="notice error" data-testid="portal-no-projects">目前没有登记在本单位名下的项目。如有疑问，请联系住建局。</p>`
  : html`<div class="table-wrap"><table data-testid="portal-projects">
  <thead><tr><th>项目编号</th><th>项目名称</th><th>本单位是</th><th>应报工资表</th><th>报送期限</th><th>状态</th></tr></thead>
  <tbody>${input.projects.map(
    (p) => html`<tr data-project="${p.code}"><td class="nowrap">${p.code}</td><td>${p.name}</td><td>${p.relation === 'contractor' ? '总承包单位' : '用工单位'}</td>
      <td class="nowrap">${monthZh(p.payrollMonth)}工资表</td><td class="nowrap">${dayZh(p.payrollDueOn)}前</td>
      <td class="nowrap" data-testid="payroll-state">${PAYROLL_STATE_ZH[p.payrollState] ?? p.payrollState}${p.payrollRows > 0 ? html`（${p.payrollRows} 人）` : ''}</td></tr>`,
  )}</tbody>
</table></div>`}
<h2>第二步：下载模板，照着填</h2>
<p>
  工资表模板：<a href="/portal/templates/payroll.xlsx" data-testid="template-payroll-xlsx">Excel 表格（xlsx）</a> · <a href="/portal/templates/payroll.csv">CSV</a>；
  花名册模板：<a href="/portal/templates/roster.xlsx">Excel 表格（xlsx）</a> · <a href="/portal/templates/roster.csv">CSV</a>
</p>
<p class="muted small">第一行的列名不要改。“项目编号”填上表中的编号；身份证号、银行卡号请设为文本格式，避免变成科学计数法。</p>
<h2>第三步：上传</h2>
<section class="card no-print">
  <form method="post" action="/portal/upload" enctype="multipart/form-data" class="filters" data-testid="portal-form">
    <label>报送什么
      <select name="kind" required>
        ${['payroll', 'roster'].map((k) => html`<option value="${k}"${k === (input.kind ?? 'payroll') ? html` selected` : ''}>${KIND_ZH[k]}</option>`)}
      </select>
    </label>
    <label>文件（Excel 表格 xlsx 或 CSV）<input type="file" name="file" accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
    <button type="submit">上传报送</button>
  </form>
  <p class="muted small">文件全部正确才会被接收；有任何问题，整个文件退回、不写入任何数据，下面会逐行说明怎样改。改好后重新上传整个文件即可。</p>
</section>
${r?.status === 'accepted' && html`<p class="notice ok" role="status" data-testid="portal-accepted">已接收：${KIND_ZH[r.submission.kind] ?? r.submission.kind}“${r.submission.fileName}”（报送 #${r.submission.id}${r.inserted !== undefined ? `，${r.inserted} 行` : ''}）。</p>`}
${r?.status === 'duplicate' && html`<p class="notice ok" role="status" data-testid="portal-duplicate">这个文件与已接收的文件完全相同，没有任何更改（报送 #${r.submission.id}）。</p>`}
${r?.status === 'error' && html`<p class="notice error" data-testid="portal-error">${r.message}</p>`}
${(r?.status === 'rejected' || r?.status === 'refused') &&
html`<section class="card" data-testid="portal-rejected">
  <p class="notice error">${r.message}</p>
  ${problemTable(r.status === 'rejected' ? r.submission.problems : r.problems)}
</section>`}
<h2>本单位的报送记录</h2>
${submissionsTable(input.submissions, false)}`;
}

export function submissionsTable(rows: readonly SubmissionView[], bureau: boolean): Html {
  if (rows.length === 0) return html`<p class="muted" data-testid="submissions-empty">还没有报送记录。</p>`;
  return html`<div class="table-wrap"><table data-testid="submissions">
  <thead><tr><th class="num">报送</th><th>时间</th>${bureau ? html`<th>单位</th>` : ''}<th>提交人</th><th>类型</th><th>文件</th><th>项目</th><th>状态</th><th class="num">问题</th><th>签字确认</th>${bureau ? html`<th class="num">批次</th>` : ''}</tr></thead>
  <tbody>${rows.map(
    (s) => html`<tr id="submission-${s.id}" data-status="${s.status}"><td class="num">#${s.id}</td><td class="nowrap">${timeZh(s.submittedAt)}</td>
      ${bureau ? html`<td>${s.unitName ?? ''}<br><span class="small muted">${s.uscc}</span></td>` : ''}
      <td>${s.submitter}</td><td>${KIND_ZH[s.kind] ?? s.kind}</td><td>${s.fileName}</td><td class="small">${s.projectCodes.join('、')}</td>
      <td class="nowrap">${SUBMISSION_STATUS_ZH[s.status] ?? s.status}</td><td class="num">${s.problemCount > 0 ? html`<details><summary>${s.problemCount}</summary><ul class="small">${s.problems.slice(0, 20).map((p) => html`<li>${p.line === 0 ? '整个文件' : `第 ${p.line} 行`}：${p.reason}</li>`)}</ul></details>` : '—'}</td>
      <td class="small" data-testid="submission-confirmations">${s.confirmations.length === 0 ? html`<span class="muted">—</span>` : s.confirmations.map((c) => html`${monthZh(c.month)}：${fileLinks([c.file], bureau ? '/submissions/files' : '/portal/files')}`)}</td>
      ${bureau ? html`<td class="num">${s.batchId === null ? '—' : html`<a href="/imports#batch-${s.batchId}">#${s.batchId}</a>`}</td>` : ''}</tr>`,
  )}</tbody>
</table></div>`;
}

export function submissionsPage(input: { rows: SubmissionView[]; status: string | null }): Html {
  return html`<h1>施工单位报送记录</h1>
<p class="muted">各施工单位劳资专管员通过报送门户提交的工资表和花名册：已接收的形成导入批次，已退回的未写入任何数据。</p>
<form method="get" action="/submissions" class="filters">
  <label>状态 <select name="status"><option value="">全部</option>${Object.entries(SUBMISSION_STATUS_ZH).map(([k, v]) => html`<option value="${k}"${k === input.status ? html` selected` : ''}>${v}</option>`)}</select></label>
  <button type="submit">筛选</button>
</form>
${submissionsTable(input.rows, true)}`;
}
