/**
 * 法定参数 — every legal number in force on a day with its source (document, article, verified or not,
 * shipped file or the bureau's import), the holiday schedules, the years still missing; supervisors import
 * a parameter file here (a new year's holiday notice, a minimum-wage adjustment, a local setting).
 */
import type { Principal } from '../../api/roles.ts';
import { SUPERVISORS } from '../../api/roles.ts';
import { html, type Html } from '../html.ts';

export interface ParamRow {
  parameter: string;
  label: string;
  description: string;
  unit: string;
  value: unknown;
  from: string | null;
  to: string | null;
  source: { document: string; article?: string; note?: string; verified: boolean; localSetting?: boolean } | null;
  origin: string | null;
}

export interface ParamsListing {
  asOf: string;
  params: ParamRow[];
  holidays: { year: number; restDays: [string, string][]; makeUpWorkDays: string[]; source: { document: string; verified: boolean; note?: string }; origin: string; inForce: boolean }[];
  missingHolidayYears: { year: number; message: string }[];
}

export type ParamImportResult =
  | { status: 'imported'; importId: number; fileName: string; values: { parameter: string; label: string; from: string }[]; holidayYears: number[] }
  | { status: 'rejected'; message: string; problems: { file: string; line: number; reason: string }[] }
  | { status: 'error'; message: string };

const valueText = (v: unknown): string => (v === null ? '未配置' : typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));

export function paramsPage(input: { principal: Principal; listing: ParamsListing; result: ParamImportResult | null }): Html {
  const canImport = SUPERVISORS.includes(input.principal.role);
  const l = input.listing;
  const r = input.result;
  return html`<h1>法定参数（${l.asOf} 生效）</h1>
${l.missingHolidayYears.map((m) => html`<p class="notice error" data-testid="missing-holidays">${m.message}</p>`)}
<form method="get" action="/params" class="filters no-print"><label>日期 <input type="text" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" maxlength="10" placeholder="2026-11-28" title="按“年-月-日”填写，如 2026-11-28" data-date name="asOf" value="${l.asOf}"></label><button type="submit">查看</button></form>
${canImport
  ? html`<section class="card no-print">
  <h2>导入参数文件</h2>
  <form method="post" action="/params" enctype="multipart/form-data" class="filters" data-testid="params-form">
    <label>YAML 或 JSON 文件（参数的新取值、年度放假安排、地方设置）<input type="file" name="file" accept=".yaml,.yml,.json,text/yaml,application/json" required></label>
    <button type="submit">校验并导入</button>
  </form>
  <p class="muted small">文件全部正确才会写入，并记录导入人；有问题时不写入任何数据，并按行列出问题。导入的取值保存在数据库中（升级不丢失），下次重算生效。格式见 <code>docs/RULES-CORE.md</code>“参数”一节。</p>
</section>`
  : html`<p class="muted">导入参数需要科室负责人的令牌。</p>`}
${r?.status === 'imported' &&
html`<section class="notice ok" data-testid="params-ok">已导入 #${r.importId}“${r.fileName}”：${r.values.length} 个参数取值${r.values.length > 0 ? html`（${r.values.map((v) => `${v.label} 自 ${v.from}`).join('；')}）` : ''}，${r.holidayYears.length} 个年度放假安排${r.holidayYears.length > 0 ? `（${r.holidayYears.join('、')}年）` : ''}。下次重算生效。</section>`}
${r?.status === 'error' && html`<p class="notice error">${r.message}</p>`}
${r?.status === 'rejected' &&
html`<section class="card" data-testid="params-problems"><p class="notice error">${r.message}</p>
  <div class="table-wrap"><table><thead><tr><th>文件</th><th class="num">行</th><th>问题</th></tr></thead>
  <tbody>${r.problems.map((p) => html`<tr><td>${p.file}</td><td class="num">第 ${p.line} 行</td><td>${p.reason}</td></tr>`)}</tbody></table></div></section>`}
<div class="table-wrap"><table data-testid="params">
  <thead><tr><th>参数</th><th>取值</th><th>单位</th><th>施行</th><th>出处</th><th>来源</th></tr></thead>
  <tbody>${l.params.map(
    (p) => html`<tr id="param-${p.parameter}"><td><strong>${p.label}</strong><br><span class="small muted"><code>${p.parameter}</code> · ${p.description}</span></td>
      <td class="small">${p.from === null ? html`<span class="muted">该日无取值</span>` : html`<code>${valueText(p.value)}</code>`}</td><td class="nowrap">${p.unit}</td>
      <td class="nowrap">${p.from ?? '—'}${p.to ? html`<br><span class="small muted">至 ${p.to}</span>` : ''}</td>
      <td class="small">${p.source ? html`${p.source.document}${p.source.article ? ` ${p.source.article}` : ''}${p.source.localSetting ? html` <span class="badge">地方设置</span>` : ''}${p.source.verified ? '' : html` <span class="badge warn">未核对</span>`}${p.source.note ? html`<br><span class="muted">${p.source.note}</span>` : ''}` : ''}</td>
      <td class="small muted">${p.origin ?? ''}</td></tr>`,
  )}</tbody>
</table></div>
<h2>全国年节放假安排</h2>
<div class="table-wrap"><table data-testid="holidays">
  <thead><tr><th>年度</th><th>放假</th><th>调休上班</th><th>出处</th><th>来源</th></tr></thead>
  <tbody>${l.holidays.map(
    (h) => html`<tr id="holidays-${h.year}"${h.inForce ? html` aria-current="true"` : ''}><td>${h.year}</td><td class="small">${h.restDays.map(([a, b]) => (a === b ? a.slice(5) : `${a.slice(5)}至${b.slice(5)}`)).join('，')}</td>
      <td class="small">${h.makeUpWorkDays.map((d) => d.slice(5)).join('，')}</td><td class="small">${h.source.document}${h.source.verified ? '' : html` <span class="badge warn">未核对</span>`}</td><td class="small muted">${h.origin}</td></tr>`,
  )}</tbody>
</table></div>`;
}
