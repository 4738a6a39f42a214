/**
 * 预警答复 — the contractor's pages for the bureau's warnings (its projects' open warnings with their
 * rectification deadlines; one warning with the answer form: what was done, and the evidence files), and
 * the answers as the inspector sees them on a warning's page (files to open, and 退回 with a reason).
 * Written for a labour-affairs officer: plain words, what to do and by when.
 */
import { money, monthZh, timeZh } from '../format.ts';
import { html, type Html } from '../html.ts';
import type { FileView, PortalWarningView, ResponseView } from '../../services/portal/answers.ts';
import { RESPONSE_ACTION_ZH } from '../../services/portal/answers.ts';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_FILES } from '../../services/portal/files.ts';

export const ACCEPT_SCANS = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';
export const SCAN_RULE = `PDF、PNG 或 JPEG 格式，每个文件不超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MiB`;

const title = (w: PortalWarningView) => `${w.problemName}${w.month ? `（${monthZh(w.month)}工资）` : ''}`;

const sizeZh = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} 字节`);

/** A file's link: `base` is the page route that serves it (/portal/files or /submissions/files). */
export function fileLinks(files: readonly FileView[], base: string): Html {
  return html`<ul class="small files" data-testid="files">${files.map(
    (f) => html`<li><a href="${base}/${f.id}" data-testid="file-link">${f.fileName}</a> <span class="muted">${f.mediaType === 'application/pdf' ? 'PDF' : f.mediaType === 'image/png' ? 'PNG' : 'JPEG'}，${sizeZh(f.size)}</span></li>`,
  )}</ul>`;
}

function deadlineLine(w: PortalWarningView): Html {
  const r = w.rectification;
  if (!r) return html`<span class="muted">住建局尚未下达整改期限</span>`;
  if (r.state === 'closed') return html`已于 ${r.closedOn ?? ''} 销号`;
  return html`<strong data-testid="deadline">${r.deadline}</strong> 前整改完毕${r.overdueDays > 0 ? html`，<span class="overdue">已超过 ${r.overdueDays} 天</span>` : ''}`;
}

/** One answer, as the unit or the inspector sees it. */
export function responseCard(r: ResponseView, fileBase: string, extra?: Html): Html {
  return html`<article class="card response" id="response-${r.id}" data-testid="response" data-status="${r.status}">
  <p><span class="badge ${r.status === 'returned' ? 'critical' : r.status === 'accepted' ? 'ok' : 'medium'}" data-testid="response-status">${r.statusName}</span>
    <strong>${r.actionName}</strong> <span class="muted small">${timeZh(r.respondedAt)} · ${r.submitter}${r.unitName ? `（${r.unitName}）` : ''}</span></p>
  <p data-testid="response-text">${r.text}</p>
  ${fileLinks(r.files, fileBase)}
  ${r.status === 'returned' && html`<p class="notice error small" data-testid="return-reason">住建局退回（${r.reviewedBy ?? ''}）：${r.reviewReason ?? ''}</p>`}
  ${extra}
</article>`;
}

export function portalWarningsPage(input: { asOf: string | null; items: PortalWarningView[] }): Html {
  return html`<h1>预警与整改</h1>
<p class="muted">住建局对本单位项目发出的预警${input.asOf ? `（截至 ${input.asOf} 的数据）` : ''}。在整改期限前改正，并在这里说明做了什么、附上凭证；住建局核验后销号。</p>
${input.items.length === 0
  ? html`<p class="card" data-testid="portal-no-warnings">本单位的项目目前没有未销号的预警。</p>`
  : input.items.map(
      (w) => html`<article class="card warning${w.level ? ` level-${w.level}` : ''}" data-testid="portal-warning" data-key="${w.key}">
  <div class="head">
    ${w.level && html`<span class="badge level-${w.level}">${w.levelName}</span>`}
    <strong><a href="/portal/warnings/${w.key}">${title(w)}</a></strong>
    <span>${w.project.code} ${w.project.name}</span>
  </div>
  <dl class="facts small">
    ${w.issues.length > 0 && html`<dt>问题</dt><dd>${w.issues.join('、')}</dd>`}
    <dt>整改期限</dt><dd>${deadlineLine(w)}</dd>
    ${w.rectification && html`<dt>状态</dt><dd><span class="badge rect-${w.rectification.state}">${w.rectification.stateName}</span></dd>`}
    ${w.arrears !== '0.00' && html`<dt>欠薪合计</dt><dd>${money(w.arrears)} 元（${w.workersInArrears} 人）</dd>`}
    <dt>本单位的答复</dt><dd>${w.responses.length === 0 ? '尚未答复' : `${w.responses.length} 次，最近一次：${w.responses[w.responses.length - 1]!.statusName}`}</dd>
  </dl>
  <p><a class="button${w.canRespond ? '' : ' secondary'}" href="/portal/warnings/${w.key}" data-testid="portal-warning-open">${w.canRespond ? '查看并答复' : '查看'}</a></p>
</article>`,
    )}`;
}

export interface AnswerFormValues {
  action?: string;
  text?: string;
}

export function portalWarningPage(input: { w: PortalWarningView; values?: AnswerFormValues }): Html {
  const { w } = input;
  const v = input.values ?? {};
  return html`<p class="muted small"><a href="/portal/warnings">预警与整改</a> › ${w.project.code}</p>
<h1>${w.level && html`<span class="badge level-${w.level}">${w.levelName}</span> `}${title(w)} <span class="muted small">${w.project.code} ${w.project.name}</span></h1>
<section class="card" data-testid="portal-warning-summary">
  <dl class="facts">
    <dt>整改期限</dt><dd>${deadlineLine(w)}</dd>
    ${w.rectification && html`<dt>状态</dt><dd><span class="badge rect-${w.rectification.state}" data-testid="portal-rect-state">${w.rectification.stateName}</span>（经办：${w.rectification.assignee}）</dd>`}
    ${w.issues.length > 0 && html`<dt>问题</dt><dd>${w.issues.join('、')}</dd>`}
    ${w.reasons.length > 0 && html`<dt>预警等级</dt><dd>${w.levelName ?? ''}：${w.reasons.join('；')}</dd>`}
    ${w.arrears !== '0.00' && html`<dt>欠薪合计</dt><dd>${money(w.arrears)} 元（${w.workersInArrears} 人）</dd>`}
    ${w.oldestDueDate && html`<dt>最早应付日期</dt><dd>${w.oldestDueDate}</dd>`}
    <dt>核验</dt><dd>${w.present ? `截至 ${w.asOf ?? '—'} 的数据仍显示该问题：改正后请报送更正的工资表或花名册，住建局重算后核验` : `截至 ${w.asOf ?? '—'} 的数据已不再显示该问题，等待住建局销号`}</dd>
  </dl>
</section>
${w.workers.length > 0 &&
html`<h2>涉及的工人（${w.workers.length} 人）</h2>
<div class="table-wrap"><table data-testid="portal-warning-workers">
  <thead><tr><th>姓名</th><th>身份证号</th><th>问题</th><th>月份</th><th class="num">金额（元）</th></tr></thead>
  <tbody>${w.workers.flatMap((p) =>
    p.items.map(
      (i, n) => html`<tr>${n === 0 ? html`<td rowspan="${p.items.length}">${p.name}</td><td class="nowrap" rowspan="${p.items.length}">${p.idNumber}</td>` : ''}<td>${i.issue}</td><td class="nowrap">${i.month ? monthZh(i.month) : '—'}</td><td class="num">${i.amount ? money(i.amount) : '—'}</td></tr>`,
    ),
  )}</tbody>
</table></div>`}
${w.canRespond &&
html`<section class="card no-print" data-testid="answer">
  <h2>答复：做了什么</h2>
  <form method="post" action="/portal/warnings/${w.key}/respond" enctype="multipart/form-data" class="stack" data-testid="answer-form">
    <fieldset class="choices"><legend class="small">答复类型</legend>
      ${Object.entries(RESPONSE_ACTION_ZH).map(
        ([k, label]) => html`<label><input type="radio" name="action" value="${k}" required${(v.action ?? 'paid') === k ? html` checked` : ''}> ${label}</label> `,
      )}
    </fieldset>
    <label class="small">说明（必填：何时、怎样改正或支付，转账流水号等）<textarea name="text" required maxlength="2000" placeholder="如：10月工资已于12月9日通过工资专用账户补发到7名工人本人账户">${v.text ?? ''}</textarea></label>
    <label class="small">凭证（至少一个，最多 ${ATTACHMENT_MAX_FILES} 个：转账回单、签字的工资表或合同的扫描件或照片；${SCAN_RULE}）<input type="file" name="evidence" multiple required accept="${ACCEPT_SCANS}"></label>
    <p><button type="submit" data-testid="answer-submit">提交答复</button></p>
  </form>
</section>`}
<h2>本单位的答复（${w.responses.length}）</h2>
${w.responses.length === 0 ? html`<p class="muted" data-testid="no-responses">还没有答复。</p>` : [...w.responses].reverse().map((r) => responseCard(r, '/portal/files'))}`;
}

/** 施工单位答复 on the inspector's warning page: the answers, their files, and 退回 for one awaiting verification. */
export function responsesSection(key: string, responses: readonly ResponseView[], canAct: boolean, values?: { responseId?: number; reason?: string }): Html {
  if (responses.length === 0) return html`<section class="card" data-testid="responses"><h2>施工单位答复</h2><p class="muted">施工单位尚未通过报送门户答复。</p></section>`;
  return html`<section class="card" id="responses" data-testid="responses"><h2>施工单位答复（${responses.length}）</h2>
  <p class="small muted">核验：整改后的数据导入并重算、不再显示该问题后即可销号（销号即采纳待核验的答复）；答复不足或凭证不符的，写明理由退回，施工单位可重新答复。</p>
  ${[...responses].reverse().map((r) =>
    responseCard(
      r,
      '/submissions/files',
      canAct && r.status === 'submitted'
        ? html`<details${values?.responseId === r.id ? html` open` : ''}><summary>退回该答复</summary>
      <form method="post" action="/warnings/${key}/responses/${r.id}/return" class="forms" data-testid="return-form">
        <label class="small">退回理由（必填，施工单位可见）<textarea name="reason" required maxlength="2000" placeholder="如：转账回单未显示收款人，请补交银行盖章的回单">${values?.responseId === r.id ? (values.reason ?? '') : ''}</textarea></label>
        <p><button type="submit" class="secondary" data-testid="return">退回</button></p>
      </form></details>`
        : undefined,
    ),
  )}
</section>`;
}
