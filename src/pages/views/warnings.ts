/**
 * 项目预警 — the review queue's first view (one card per warning, with its level 红/橙/黄, highest risk
 * first) and a warning's own page: its figures, the action on the whole (an order to pay covering its
 * unpaid worker-months, workers and amounts listed with a checkbox each; a case for the same group; the
 * listing procedure) and its flags one by one, each with the order or case it is in.
 */
import type { Principal } from '../../api/roles.ts';
import { REVIEWERS } from '../../api/roles.ts';
import { fenOf, money, monthZh, yuanOfFen } from '../format.ts';
import { WARNING_LEVEL_ZH, WARNING_PROBLEM_ZH } from '../../rules/warnings.ts';
import { html, query, type Html } from '../html.ts';
import { flagCard } from './flags.ts';
import { responsesSection } from './answers.ts';
import type { Flag, WarningDetail, WarningItem, WarningPage } from './types.ts';

// the rules core's words for levels and problems (one vocabulary for the API, the pages and the report)
export const LEVEL_ZH: Record<string, string> = WARNING_LEVEL_ZH;
export const LEVEL_SHORT_ZH: Record<string, string> = { red: '红', orange: '橙', yellow: '黄' };
export const PROBLEM_ZH: Record<string, string> = WARNING_PROBLEM_ZH;

export interface WarningFilters {
  level?: string;
  problem?: string;
  county?: string;
  project?: string;
  page?: number;
}

export function warningsQuery(f: WarningFilters): string {
  return query({ level: f.level, problem: f.problem, county: f.county, project: f.project, page: f.page && f.page > 1 ? f.page : undefined });
}

const title = (w: WarningItem) => `${w.problemName}${w.month ? `（${monthZh(w.month)}工资）` : ''}`;

export function levelBadge(level: string): Html {
  return html`<span class="badge level-${level}" data-testid="level" data-level="${level}">${LEVEL_ZH[level] ?? level}</span>`;
}

export function warningCard(w: WarningItem): Html {
  return html`<article class="card warning level-${w.level}" id="warning-${w.key}" data-testid="warning-card" data-key="${w.key}" data-level="${w.level}">
  <div class="head">
    ${levelBadge(w.level)}
    <strong><a href="/warnings/${w.key}">${title(w)}</a></strong>
    <a href="/projects/${encodeURIComponent(w.project.code)}">${w.project.code} ${w.project.name}</a>
    <span class="muted small">${w.project.county}</span>
  </div>
  <p class="small">施工总承包单位：${w.contractor.name ?? '（未登记名称）'} <span class="muted">统一社会信用代码 ${w.contractor.uscc}</span></p>
  <dl class="facts small">
    ${w.workers > 0 && html`<dt>涉及工人</dt><dd>${w.workers} 人${w.workersInArrears > 0 ? `（被欠薪 ${w.workersInArrears} 人）` : ''}</dd>`}
    ${w.arrears !== '0.00' && html`<dt>欠薪合计</dt><dd>${money(w.arrears)} 元</dd>`}
    ${w.arrears === '0.00' && w.amount !== '0.00' && html`<dt>涉及金额</dt><dd>${money(w.amount)} 元</dd>`}
    ${w.oldestDueDate && html`<dt>最早应付日期</dt><dd>${w.oldestDueDate}${w.overdueDays > 0 ? html`，<span class="overdue">已逾期 ${w.overdueDays} 天</span>` : ''}</dd>`}
    <dt>定级理由</dt><dd>${w.reasons.join('；')}</dd>
    <dt>包含预警</dt><dd>${w.flagCount} 条：${w.codes.map((c) => c.title).join('、')}</dd>
    ${w.rectification && html`<dt>整改</dt><dd><span class="badge rect-${w.rectification.state}">${w.rectification.stateName}</span> ${w.rectification.assignee}，期限 ${w.rectification.deadline}${w.rectification.overdueDays > 0 ? html`，<span class="overdue">已超过 ${w.rectification.overdueDays} 天</span>` : ''}${w.rectification.pendingResponses > 0 ? html`；<a href="/warnings/${w.key}#responses" data-testid="pending-responses">施工单位答复 ${w.rectification.pendingResponses} 条待核验</a>` : ''}</dd>`}
    ${(w.ordered > 0 || w.inCase > 0) && html`<dt>已处置</dt><dd>${w.ordered > 0 ? `${w.ordered} 个工人月度已责令限期支付` : ''}${w.ordered > 0 && w.inCase > 0 ? '；' : ''}${w.inCase > 0 ? `${w.inCase} 个工人月度已立案` : ''}</dd>`}
  </dl>
  <p><a class="button secondary" href="/warnings/${w.key}" data-testid="warning-flags">查看 ${w.flagCount} 条预警并处置</a></p>
</article>`;
}

/** The queue's first view: the warnings, by level, highest risk first. */
export function warningsView(input: { data: WarningPage; filters: WarningFilters; counties: string[] }): Html {
  const { data, filters: f } = input;
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const select = (name: string, label: string, current: string | undefined, options: readonly [string, string][]) =>
    html`<label>${label}<select name="${name}" data-autosubmit>
      ${options.map(([v, t]) => html`<option value="${v}"${v === (current ?? '') ? html` selected` : ''}>${t}</option>`)}
    </select></label>`;
  const by = data.projectsByLevel;
  return html`<h1>复核队列 <span class="muted small">${data.asOf ? `重算日期 ${data.asOf}` : '尚未重算'} · 项目预警 ${data.total} 条</span></h1>
<section class="cards" data-testid="levels">
  ${(['red', 'orange', 'yellow'] as const).map(
    (l) => html`<a class="figure level-${l}" href="/flags${warningsQuery({ ...f, level: l, page: 1 })}"><div class="label">${LEVEL_ZH[l]}项目</div><div class="value" data-testid="level-${l}">${by[l]}</div></a>`,
  )}
  <a class="figure" href="/flags?view=flags"><div class="label">逐条查看</div><div class="value small">全部预警 →</div></a>
</section>
<section class="card no-print">
  <form class="filters" method="get" action="/flags">
    ${select('level', '预警等级', f.level, [['', '全部等级'], ['red', '红色预警'], ['orange', '橙色预警'], ['yellow', '黄色预警']])}
    ${select('problem', '问题', f.problem, [['', '全部问题'], ...Object.entries(PROBLEM_ZH)])}
    ${select('county', '区县', f.county, [['', '全部区县'], ...input.counties.map((c) => [c, c] as [string, string])])}
    ${f.project && html`<input type="hidden" name="project" value="${f.project}">`}
    <button type="submit">筛选</button>
    <a href="/flags">清除</a>
  </form>
</section>
${data.items.length === 0 && html`<p class="card" data-testid="empty">没有符合条件的项目预警。</p>`}
${data.items.map(warningCard)}
${pages > 1 &&
html`<nav class="pager" aria-label="分页">
  ${data.page > 1 && html`<a href="/flags${warningsQuery({ ...f, page: data.page - 1 })}">上一页</a>`}
  <span>第 ${data.page} / ${pages} 页</span>
  ${data.page < pages && html`<a href="/flags${warningsQuery({ ...f, page: data.page + 1 })}">下一页</a>`}
</nav>`}`;
}

const ORDERABLE = ['WAGE_UNPAID', 'WAGE_PARTIAL'];

export interface WarningFormValues {
  /** the form the values came from */
  form?: 'bulk' | 'assign' | 'close' | 'return';
  /** the answer a return form was for */
  responseId?: number;
  reason?: string;
  deadline?: string;
  assignee?: string;
  workingDays?: string;
  evidence?: string;
  /** flag ids chosen (absent: the page's defaults) */
  chosen?: number[];
}

/** A warning's page: figures, the closing loop, the action on the whole, and its flags. */
export function warningPage(input: { principal: Principal; detail: WarningDetail; back: string; key: string; values?: WarningFormValues }): Html {
  const { detail, principal } = input;
  const w = detail.warning;
  const canAct = REVIEWERS.includes(principal.role);
  if (!w) {
    const r = detail.rectification;
    return html`<p class="muted small"><a href="/flags">复核队列</a> › 项目预警</p>
<h1>${r ? r.problemName : '项目预警'} <span class="muted small">${input.key}</span></h1>
<p class="card" data-testid="warning-gone">截至 ${detail.asOf ?? '—'} 的评估，该预警的问题已不再出现。</p>
${rectificationSection(input.key, detail, canAct, input.values, principal)}
${responsesSection(input.key, detail.responses, canAct, input.values?.form === 'return' ? input.values : undefined)}`;
  }
  const wage = detail.flags.filter((f) => ORDERABLE.includes(f.code) && f.amount && f.month && f.status === 'open');
  const inOrder = (f: Flag) => (f.enforcement?.orders.length ?? 0) > 0;
  const chosen = input.values?.chosen ? new Set(input.values.chosen) : new Set(wage.filter((f) => !inOrder(f)).map((f) => f.id));
  const total = wage.filter((f) => chosen.has(f.id)).reduce((s, f) => s + fenOf(f.amount), 0);
  return html`<p class="muted small"><a href="/flags">复核队列</a> › 项目预警</p>
<h1>${levelBadge(w.level)} ${title(w)} <span class="muted small">${w.project.code} ${w.project.name}</span></h1>
<section class="card" data-testid="warning-summary">
  <dl class="facts">
    <dt>项目</dt><dd><a href="/projects/${encodeURIComponent(w.project.code)}">${w.project.code} ${w.project.name}</a>（${w.project.county}）</dd>
    <dt>施工总承包单位</dt><dd>${w.contractor.name ?? '（未登记名称）'}，统一社会信用代码 ${w.contractor.uscc}</dd>
    <dt>预警等级</dt><dd>${LEVEL_ZH[w.level]}：${w.reasons.join('；')}</dd>
    ${w.workers > 0 && html`<dt>涉及工人</dt><dd>${w.workers} 人${w.workersInArrears > 0 ? `（被欠薪 ${w.workersInArrears} 人）` : ''}</dd>`}
    ${w.arrears !== '0.00' && html`<dt>欠薪合计</dt><dd data-testid="warning-arrears">${money(w.arrears)} 元</dd>`}
    ${w.oldestDueDate && html`<dt>最早应付日期</dt><dd>${w.oldestDueDate}${w.overdueDays > 0 ? html`，<span class="overdue">截至 ${detail.asOf ?? ''} 已逾期 ${w.overdueDays} 天</span>` : ''}</dd>`}
    <dt>包含预警</dt><dd>${w.flagCount} 条</dd>
  </dl>
</section>
${rectificationSection(input.key, detail, canAct, input.values, principal)}
${responsesSection(w.key, detail.responses, canAct, input.values?.form === 'return' ? input.values : undefined)}
${canAct && wage.length > 0 &&
html`<section class="card no-print" data-testid="bulk">
  <h2>整体处置</h2>
  <form method="post" action="/warnings/${w.key}/order" data-testid="bulk-form">
    <p class="small muted">勾选要列入的工人月度（默认勾选全部尚未责令的欠薪；去掉勾选即不列入）。</p>
    <div class="table-wrap"><table data-testid="bulk-items">
      <thead><tr><th>列入</th><th>工人</th><th>身份证号</th><th>月份</th><th class="num">欠付（元）</th><th>已有处置</th></tr></thead>
      <tbody>${wage.map(
        (f) => html`<tr data-flag-id="${f.id}">
        <td><input type="checkbox" name="flag" value="${f.id}" id="pick-${f.id}"${chosen.has(f.id) ? html` checked` : ''} aria-label="列入 ${detail.names[String(f.id)] ?? ''}"></td>
        <td><label for="pick-${f.id}">${detail.names[String(f.id)] ?? '—'}</label></td>
        <td class="nowrap">${f.idNumber ?? ''}</td>
        <td>${f.month ? monthZh(f.month) : ''}</td>
        <td class="num">${money(f.amount)}</td>
        <td>${enforcementRefs(f)}</td>
      </tr>`,
      )}</tbody>
      <tfoot><tr><td colspan="4">默认列入合计</td><td class="num">${money(yuanOfFen(total))}</td><td></td></tr></tfoot>
    </table></div>
    <div class="forms">
      <label class="small">理由（必填，记入审计日志）<textarea name="reason" required maxlength="2000" placeholder="如：经核查拖欠10月工资，责令总包单位限期支付">${input.values?.form === 'bulk' || input.values?.form === undefined ? (input.values?.reason ?? '') : ''}</textarea></label>
      <div class="stack">
        <label class="small">支付期限（责令限期支付必填）<br><input type="text" inputmode="numeric" maxlength="10" placeholder="2026-12-10" title="按“年-月-日”填写，如 2026-12-10" data-date name="deadline" value="${input.values?.deadline ?? ''}" aria-label="支付期限"></label>
        <label class="small"><input type="checkbox" name="mediate" value="1"> 立案时：双方同意调解</label>
      </div>
    </div>
    <p>
      <button type="submit" formaction="/warnings/${w.key}/order" data-testid="bulk-order">责令限期支付（所勾选的工人）</button>
      <button type="submit" class="secondary" formaction="/warnings/${w.key}/case" data-testid="bulk-case">为所勾选的工人立案</button>
      <button type="submit" class="danger" formaction="/warnings/${w.key}/blacklist" formnovalidate data-testid="bulk-blacklist">启动列入失信名单程序</button>
    </p>
    <p class="small muted">列入失信名单程序须以该预警的责令限期支付期限届满仍未支付为前提（《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条）；同一工人月度不能重复责令或重复立案。</p>
  </form>
</section>`}
<h2>包含的预警（${detail.flags.length} 条）</h2>
${detail.flags.map((f) => flagCard(f, principal, input.back))}`;
}

const STEP_ZH: Record<string, string> = { assign: '指派', reassign: '改派', close: '销号', reopen: '自动重开', respond: '施工单位答复', return: '退回答复' };

/** 整改闭环 — assignment, deadline, verification, 销号 and the history. */
function rectificationSection(key: string, detail: WarningDetail, canAct: boolean, values: WarningFormValues | undefined, principal: Principal): Html {
  const r = detail.rectification;
  const v = (form: WarningFormValues['form']) => (values?.form === form ? values : undefined);
  const assignForm = (label: string) => html`<form method="post" action="/warnings/${key}/assign" class="forms" data-testid="assign-form">
    <label class="small">劳动保障监察员<input type="text" name="assignee" required maxlength="100" value="${v('assign')?.assignee ?? r?.assignee ?? principal.name}"></label>
    <label class="small">整改期限（工作日）<input type="text" inputmode="numeric" name="workingDays" required maxlength="2" value="${v('assign')?.workingDays ?? String(r?.workingDays ?? 10)}"></label>
    <label class="small">理由（必填，记入审计日志）<textarea name="reason" required maxlength="2000" placeholder="如：责令总包单位十个工作日内整改">${v('assign')?.reason ?? ''}</textarea></label>
    <p><button type="submit" data-testid="assign">${label}</button></p>
  </form>`;
  if (!r) {
    const persists = detail.warning?.persists ?? false;
    return html`<section class="card" data-testid="rectification"><h2>整改</h2>
  <p class="muted">${persists ? '尚未指派整改。' : `截至 ${detail.asOf ?? '—'} 的评估，该问题已不再存在（如工资已迟延付清），无需指派整改。`}</p>
  ${canAct && persists && assignForm('指派并设定整改期限')}
</section>`;
  }
  return html`<section class="card" data-testid="rectification"><h2>整改 <span class="badge rect-${r.state}" data-testid="rect-state" data-state="${r.state}">${r.stateName}</span></h2>
  <dl class="facts">
    <dt>劳动保障监察员</dt><dd>${r.assignee}</dd>
    <dt>指派日期</dt><dd>${r.assignedOn}${r.reopenCount > 0 ? `（${r.reopenedOn}自动重开，第 ${r.reopenCount} 次）` : ''}</dd>
    <dt>整改期限</dt><dd>${r.deadline}（${r.workingDays} 个工作日）${r.overdueDays > 0 ? html`，<span class="overdue">已超过 ${r.overdueDays} 天</span>` : ''}</dd>
    <dt>核验</dt><dd>${r.status === 'closed' ? `已于 ${r.closedOn} 销号（${r.closedBy ?? ''}）：${r.closeReason ?? ''}；证据：${r.closeEvidence ?? ''}` : r.present ? `截至 ${r.asOf ?? '—'} 的评估仍显示该问题，整改后的数据导入并重算后方可销号` : `截至 ${r.asOf ?? '—'} 的评估已不再显示该问题，可以销号`}</dd>
  </dl>
  ${canAct && r.state === 'verified' &&
  html`<form method="post" action="/warnings/${key}/close" class="forms" data-testid="close-form">
    <label class="small">销号理由（必填）<textarea name="reason" required maxlength="2000" placeholder="如：欠付工资已全部补发到工人本人账户">${v('close')?.reason ?? ''}</textarea></label>
    <label class="small">证据（必填：文书编号、转账流水号等）<textarea name="evidence" required maxlength="2000">${v('close')?.evidence ?? ''}</textarea></label>
    <p><button type="submit" data-testid="close">销号</button></p>
  </form>`}
  ${canAct && detail.warning?.persists && html`<details><summary>${r.status === 'open' ? '改派或调整期限' : '重新指派'}</summary>${assignForm(r.status === 'open' ? '改派' : '重新指派')}</details>`}
  ${r.steps && r.steps.length > 0 &&
  html`<div class="table-wrap"><table data-testid="rect-steps"><thead><tr><th>日期</th><th>步骤</th><th>经办</th><th>理由</th></tr></thead>
    <tbody>${r.steps.map((s) => html`<tr><td class="nowrap">${s.on}</td><td>${STEP_ZH[s.step] ?? s.step}</td><td>${s.actor}</td><td>${s.reason}</td></tr>`)}</tbody></table></div>`}
</section>`;
}

/** The order and case a flag's worker-month is in, linked. */
export function enforcementRefs(f: Flag): Html {
  const e = f.enforcement;
  if (!e || (e.orders.length === 0 && e.cases.length === 0)) return html`<span class="muted">—</span>`;
  return html`${e.orders.map((o) => html`<a href="/orders#order-${o.id}" data-testid="in-order">责令限期支付 #${o.id}（期限 ${o.deadline}）</a> `)}${e.cases.map(
    (c) => html`<a href="/cases/${c.id}" data-testid="in-case">案件 #${c.id}</a> `,
  )}`;
}
