/** 导入 — upload a file of a kind, the problems of a rejected file by line and column, the batch history. */
import type { Principal } from '../../api/roles.ts';
import { IMPORTERS } from '../../api/roles.ts';
import { IMPORT_KINDS } from '../../imports/types.ts';
import { KIND_ZH, timeZh } from '../format.ts';
import { html, type Html } from '../html.ts';
import type { Batch, ImportProblem } from './types.ts';

export type ImportResult =
  | { status: 'imported'; batch: Batch }
  | { status: 'rejected'; fileName: string; message: string; problems: ImportProblem[]; warnings: string[] }
  | { status: 'error'; message: string };

/**
 * When an imported batch shows in the flags: the night re-evaluates the projects whose facts it changed
 * (their facts version was bumped in the import's transaction) at the nightly run, not at the upload.
 * A cron expression `m h * * *` reads as 每天 hh:mm; any other is shown as written.
 */
export function nightlyScheduleZh(cronExpr: string): string {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cronExpr.trim());
  return m ? `每天 ${m[2]!.padStart(2, '0')}:${m[1]!.padStart(2, '0')}（北京时间）` : `按计划“${cronExpr}”（北京时间）`;
}

export function importsPage(input: { principal: Principal; batches: Batch[]; total: number; result: ImportResult | null; kind?: string; nightly: string }): Html {
  const canImport = IMPORTERS.includes(input.principal.role);
  const r = input.result;
  return html`<h1>导入文件</h1>
${canImport
  ? html`<section class="card no-print">
  <form method="post" action="/imports" enctype="multipart/form-data" class="filters" data-testid="import-form" data-upload>
    <label>文件类型
      <select name="kind" required>
        ${IMPORT_KINDS.map((k) => html`<option value="${k}"${k === (input.kind ?? 'payroll') ? html` selected` : ''}>${KIND_ZH[k] ?? k}</option>`)}
      </select>
    </label>
    <label>CSV 文件（UTF-8 或 GBK）或 Excel 工作簿（xlsx，读第一个工作表）<input type="file" name="file" accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
    <button type="submit">上传并导入</button>
  </form>
  <div class="upload-progress" data-upload-progress hidden>
    <progress max="100" value="0" data-testid="upload-bar"></progress>
    <ol class="stages small" data-testid="upload-stages"><li data-stage="upload">上传中</li><li data-stage="check">校验中</li><li data-stage="write">写入中</li><li data-stage="done">完成</li></ol>
    <p class="small" aria-live="polite" data-upload-status data-testid="upload-status"></p>
  </div>
  <p class="muted small">文件全部正确才会写入；有任何问题时不写入任何数据，并按行列出问题。同一文件重复上传不会重复写入。</p>
</section>`
  : html`<p class="muted">当前角色只能查看导入记录；导入文件需要导入员或科室负责人的令牌。</p>`}
${r?.status === 'imported' &&
html`<section class="notice ok" data-testid="import-ok">${r.batch.duplicate ? '该文件已导入过，未做任何更改：' : '已导入：'}批次 #${r.batch.id}，${KIND_ZH[r.batch.kind] ?? r.batch.kind}“${r.batch.fileName}”，${r.batch.rowCount} 行，写入 ${r.batch.inserted} 行，替换 ${r.batch.replaced} 行。
  ${!r.batch.duplicate && html`<p class="small" data-testid="import-updates">涉及项目的预警、工资台账和报告将在下一次夜间计算时更新（${nightlyScheduleZh(input.nightly)}）；如需立即更新，科室负责人可运行 <code>huxin recompute</code>。</p>`}
  ${r.batch.warnings.length > 0 && html`<ul class="small">${r.batch.warnings.map((w) => html`<li>${w}</li>`)}</ul>`}</section>`}
${r?.status === 'error' && html`<p class="notice error">${r.message}</p>`}
${r?.status === 'rejected' &&
html`<section class="card" data-testid="import-problems">
  <p class="notice error">${r.message}</p>
  <div class="table-wrap"><table>
    <thead><tr><th class="num">行</th><th>列</th><th>内容</th><th>问题与处理办法</th></tr></thead>
    <tbody>${r.problems.map(
      (p) => html`<tr><td class="num nowrap">${p.line === 0 ? '整个文件' : `第 ${p.line} 行`}</td><td class="nowrap">${p.column ?? '—'}</td><td class="nowrap">${p.value ?? ''}</td><td>${p.reason}</td></tr>`,
    )}</tbody>
  </table></div>
  ${r.warnings.length > 0 && html`<h3>提示</h3><ul class="small">${r.warnings.map((w) => html`<li>${w}</li>`)}</ul>`}
</section>`}
<h2>导入批次（共 ${input.total} 批，新的在前）</h2>
<div class="table-wrap"><table data-testid="batches">
  <thead><tr><th class="num">批次</th><th>类型</th><th>文件名</th><th>导入人</th><th>时间</th><th>编码</th><th class="num">行数</th><th class="num">写入</th><th class="num">替换</th><th>SHA-256</th></tr></thead>
  <tbody>${input.batches.map(
    (b) => html`<tr id="batch-${b.id}"><td class="num">#${b.id}</td><td>${KIND_ZH[b.kind] ?? b.kind}</td><td>${b.fileName}</td><td>${b.actor}</td><td class="nowrap">${timeZh(b.importedAt)}</td>
      <td>${b.encoding}</td><td class="num">${b.rowCount}</td><td class="num">${b.inserted}</td><td class="num">${b.replaced}</td><td class="small muted" title="${b.sha256}">${b.sha256.slice(0, 12)}…</td></tr>`,
  )}</tbody>
</table></div>`;
}
