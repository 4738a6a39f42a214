/** 复核队列 — flagged projects by risk, filters, and each flag with its sentence, article, evidence and actions. */
import { lawCitation } from '../../domain/lawTitle.ts';
import type { Principal } from '../../api/roles.ts';
import { REVIEWERS } from '../../api/roles.ts';
import { EVIDENCE_TABLE_ZH, FLAG_CODE_LIST, FLAG_STATUS_ZH, flagTitle, money, monthZh, SEVERITY_ZH, timeZh } from '../format.ts';
import { html, query, type Html } from '../html.ts';
import type { Flag, FlagPage } from './types.ts';

export interface FlagFilters {
  county?: string;
  code?: string;
  severity?: string;
  status?: string;
  project?: string;
  page?: number;
}

export function flagsQuery(f: FlagFilters): string {
  return query({ county: f.county, code: f.code, severity: f.severity, status: f.status && f.status !== 'open' ? f.status : undefined, project: f.project, page: f.page && f.page > 1 ? f.page : undefined });
}

export function evidenceTable(rows: Flag['evidence']): Html {
  if (!Array.isArray(rows) || rows.length === 0) return html`<p class="muted small">无证据行</p>`;
  return html`<div class="table-wrap"><table class="evidence">
  <thead><tr><th>证据</th><th>导入批次</th><th>文件行</th></tr></thead>
  <tbody>${rows.map(
    (e) => html`<tr><td>${EVIDENCE_TABLE_ZH[e.table] ?? e.table}</td><td><a href="/imports#batch-${e.batchId}">#${e.batchId}</a></td><td class="num">第 ${e.line} 行</td></tr>`,
  )}</tbody></table></div>`;
}

export function lawOf(flag: Flag): string {
  const b = flag.legalBasis;
  if (!b) return '';
  return b.advisory ? `${b.document}：${b.article}` : lawCitation(b.document, b.article);
}

export function flagCard(flag: Flag, principal: Principal, back: string, options: { showProject?: boolean } = {}): Html {
  const canReview = REVIEWERS.includes(principal.role);
  return html`<article class="card flag ${flag.severity}" id="flag-${flag.id}" data-testid="flag" data-flag-id="${flag.id}" data-code="${flag.code}">
  <div class="head">
    <span class="badge ${flag.severity}">${SEVERITY_ZH[flag.severity] ?? flag.severity}</span>
    <strong>${flagTitle(flag.code)}</strong>
        ${options.showProject && html`<a href="/projects/${encodeURIComponent(flag.project.code)}">${flag.project.code} ${flag.project.name}</a>`}
    ${flag.month && html`<span class="muted">${monthZh(flag.month)}</span>`}
    ${flag.amount && html`<span class="num">${money(flag.amount)} 元</span>`}
    <span class="muted small">预警 #${flag.id}</span>
  </div>
  <p class="sentence">${flag.sentence}</p>
  <p class="law">法律依据：${lawOf(flag)}</p>
  ${evidenceTable(flag.evidence)}
  ${inEnforcement(flag)}
  ${flag.review &&
  html`<p class="muted small">${FLAG_STATUS_ZH[flag.review.status] ?? flag.review.status}：${flag.review.reason}（${flag.review.actor}，${timeZh(flag.review.at)}）</p>`}
  ${canReview &&
  html`<form class="review" method="post" action="/flags/${flag.id}/resolve" data-once>
    <input type="hidden" name="back" value="${back}">
    <label class="small muted" for="reason-${flag.id}">处理理由（必填，记入审计日志）</label>
    <textarea id="reason-${flag.id}" name="reason" required maxlength="2000" placeholder="如：已责令总包单位补发并核实到账"></textarea>
    <button type="submit" formaction="/flags/${flag.id}/resolve">标记已处理</button>
    <button type="submit" class="danger" formaction="/flags/${flag.id}/dismiss">排除（误报）</button>
  </form>
  ${WAGE_CODES.includes(flag.code) && flag.status === 'open' && enforcementForms(flag, back)}`}
</article>`;
}

/** 所在责令、案件 — the order in force and the open case the flag's worker-month is in, linked. */
function inEnforcement(flag: Flag): Html | null {
  const e = flag.enforcement;
  if (!e || (e.orders.length === 0 && e.cases.length === 0)) return null;
  return html`<p class="small" data-testid="flag-enforcement">${e.orders.map(
    (o) => html`已在<a href="/orders#order-${o.id}" data-testid="in-order">责令限期支付 #${o.id}</a>（${o.issuedOn}作出，期限 ${o.deadline}）。`,
  )}${e.cases.map((c) => html`已在<a href="/cases/${c.id}" data-testid="in-case">案件 #${c.id}</a>（${c.filedOn}登记）。`)}</p>`;
}

/** Flags an order to pay can be issued from and a case opened on (docs/ENFORCEMENT.md). */
export const WAGE_CODES: readonly string[] = ['WAGE_UNPAID', 'WAGE_PARTIAL'];

/** 责令限期支付 / 立案 from one wage flag (both go through /api/v1/orders and /api/v1/cases). */
function enforcementForms(flag: Flag, back: string): Html | null {
  const ordered = (flag.enforcement?.orders.length ?? 0) > 0;
  const inCase = (flag.enforcement?.cases.length ?? 0) > 0;
  if (ordered && inCase) return null;
  return html`<div class="enforce no-print" data-testid="enforce">
  ${!ordered && html`<form class="review" method="post" action="/flags/${flag.id}/order" data-once data-testid="order-form">
    <input type="hidden" name="back" value="${back}">
    <label class="small muted" for="order-reason-${flag.id}">责令限期支付：理由（必填）与支付期限</label>
    <textarea id="order-reason-${flag.id}" name="reason" required maxlength="2000" placeholder="如：经核查拖欠本月工资，责令总包单位先行清偿"></textarea>
    <input type="text" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" maxlength="10" placeholder="2026-11-28" title="按“年-月-日”填写，如 2026-11-28" data-date name="deadline" required aria-label="支付期限">
    <button type="submit">责令限期支付</button>
  </form>`}
  ${!inCase && html`<form class="review" method="post" action="/flags/${flag.id}/case" data-once data-testid="case-form">
    <input type="hidden" name="back" value="${back}">
    <label class="small muted" for="case-reason-${flag.id}">立案：理由（必填，记入案件记录）</label>
    <textarea id="case-reason-${flag.id}" name="reason" required maxlength="2000" placeholder="如：工人投诉，经核实拖欠工资"></textarea>
    <label class="small"><input type="checkbox" name="mediate" value="1"> 双方同意调解</label>
    <button type="submit">立案</button>
  </form>`}
</div>`;
}

export function flagsPage(input: {
  principal: Principal;
  filters: FlagFilters;
  data: FlagPage;
  counties: string[];
  back: string;
  /** the risk score's scale (満分) under the weights in force */
  riskMax?: number;
}): Html {
  const { filters: f, data } = input;
  // group consecutive flags by project (the API orders by project risk, then severity)
  const groups: { project: Flag['project']; riskScore: number | null; flags: Flag[] }[] = [];
  for (const flag of data.items) {
    const last = groups[groups.length - 1];
    if (last && last.project.id === flag.project.id) last.flags.push(flag);
    else groups.push({ project: flag.project, riskScore: flag.riskScore, flags: [flag] });
  }
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const select = (name: string, label: string, current: string | undefined, options: readonly [string, string][]) =>
    html`<label>${label}<select name="${name}" data-autosubmit>
      ${options.map(([v, t]) => html`<option value="${v}"${v === (current ?? '') ? html` selected` : ''}>${t}</option>`)}
    </select></label>`;
  return html`<h1>复核队列 <span class="muted small">${data.asOf ? `重算日期 ${data.asOf}` : '尚未重算'} · 共 ${data.total} 条</span></h1>
<section class="card no-print">
  <form class="filters" method="get" action="/flags">
    ${select('county', '区县', f.county, [['', '全部区县'], ...input.counties.map((c) => [c, c] as [string, string])])}
    ${select('code', '预警类型', f.code, [['', '全部类型'], ...FLAG_CODE_LIST.map((c) => [c, flagTitle(c)] as [string, string])])}
    ${select('severity', '严重程度', f.severity, [['', '全部'], ...Object.entries(SEVERITY_ZH)])}
    ${select('status', '状态', f.status ?? 'open', Object.entries(FLAG_STATUS_ZH))}
    ${f.project && html`<input type="hidden" name="project" value="${f.project}">`}
    <button type="submit">筛选</button>
    <a href="/flags">清除</a>
  </form>
</section>
${groups.length === 0 && html`<p class="card" data-testid="empty">没有符合条件的预警。</p>`}
${groups.map(
  (g) => html`<section class="project-group" data-testid="project-group">
  <h2><a href="/projects/${encodeURIComponent(g.project.code)}">${g.project.code} ${g.project.name}</a>
    <span class="muted small">${g.project.county}</span>
    <span class="badge outline">风险分 ${g.riskScore ?? '—'}${input.riskMax ? `（满分 ${input.riskMax}）` : ''}</span></h2>
  ${g.flags.map((flag) => flagCard(flag, input.principal, input.back))}
</section>`,
)}
${pages > 1 &&
html`<nav class="pager" aria-label="分页">
  ${data.page > 1 && html`<a href="/flags${flagsQuery({ ...f, page: data.page - 1 })}">上一页</a>`}
  <span>第 ${data.page} / ${pages} 页</span>
  ${data.page < pages && html`<a href="/flags${flagsQuery({ ...f, page: data.page + 1 })}">下一页</a>`}
</nav>`}`;
}
