/**
 * 总览 — the city's arrears, workers in arrears and flagged projects, by county, with charts; every figure
 * links to its detail. Live figures come from the stored assessments (the project list of the API); the
 * distinct count of workers in arrears and the wage-month trend come from the latest nightly report when
 * it is for the same date (a worker owed on two projects counts once there).
 */
import { barChart, columnChart } from '../charts.ts';
import { fenOf, money, monthZh, yuanOfFen } from '../format.ts';
import { html, query, type Html } from '../html.ts';
import type { ProjectSummary, Rectification, StoredReport } from './types.ts';

interface CountyFigures {
  county: string;
  projects: number;
  arrearsFen: number;
  workersInArrears: number;
  projectsInArrears: number;
  projectsFlagged: number;
  openFlags: number;
}

/**
 * The warnings shown above the figures: the latest report's (provisional dates of a missing holiday
 * notice) and today's missing notices, once per year.
 */
export function dashboardWarnings(report: StoredReport | null, missingToday: readonly { year: number; message: string }[]): { message: string }[] {
  const out: { message: string }[] = [];
  const years = new Set<number>();
  for (const w of report?.warnings ?? []) {
    if (w.year !== undefined) years.add(w.year);
    out.push({ message: `${report!.asOf} 报告：${w.message}` });
  }
  for (const m of missingToday) if (!years.has(m.year)) out.push({ message: m.message });
  return out;
}

export function dashboardPage(input: {
  projects: ProjectSummary[];
  report: StoredReport | null;
  warnings?: readonly { message: string }[];
  /** 有预警的项目, by the highest level of their warnings (GET /api/v1/warnings) */
  levels?: { red: number; orange: number; yellow: number };
  /** 逾期未整改的预警 (GET /api/v1/warnings/rectifications?state=overdue) */
  overdueRectifications?: readonly Rectification[];
}): Html {
  const storedAsOf = input.projects.find((p) => p.assessment)?.assessment?.asOf ?? null;
  const report = input.report && storedAsOf && input.report.asOf === storedAsOf ? input.report : null;
  const byCounty = new Map<string, CountyFigures>();
  for (const p of input.projects) {
    let c = byCounty.get(p.county);
    if (!c) byCounty.set(p.county, (c = { county: p.county, projects: 0, arrearsFen: 0, workersInArrears: 0, projectsInArrears: 0, projectsFlagged: 0, openFlags: 0 }));
    const arrears = fenOf(p.assessment?.arrears);
    c.projects++;
    c.arrearsFen += arrears;
    c.workersInArrears += p.assessment?.workersInArrears ?? 0;
    if (arrears > 0) c.projectsInArrears++;
    if (p.openFlags > 0) c.projectsFlagged++;
    c.openFlags += p.openFlags;
  }
  if (report) for (const rc of report.counties) {
    const c = byCounty.get(rc.county);
    if (c) c.workersInArrears = rc.workersInArrears;
  }
  const counties = [...byCounty.values()].sort((a, b) => b.arrearsFen - a.arrearsFen || b.openFlags - a.openFlags || a.county.localeCompare(b.county, 'zh'));
  const total = counties.reduce(
    (t, c) => ({ arrearsFen: t.arrearsFen + c.arrearsFen, workers: t.workers + c.workersInArrears, inArrears: t.inArrears + c.projectsInArrears, flagged: t.flagged + c.projectsFlagged, openFlags: t.openFlags + c.openFlags }),
    { arrearsFen: 0, workers: 0, inArrears: 0, flagged: 0, openFlags: 0 },
  );
  const workers = report ? report.totals.workersInArrears : total.workers;
  const months = report?.arrearsByWageMonth?.months ?? [];

  return html`<h1>全市总览 <span class="muted small">${storedAsOf ? `截至 ${storedAsOf}` : '尚未重算'} · ${input.projects.length} 个项目</span></h1>
${(input.warnings ?? []).map((w) => html`<p class="notice error" data-testid="warning">${w.message}（<a href="/params">法定参数</a>）</p>`)}
<section class="cards" data-testid="figures">
  <a class="figure" href="/projects"><div class="label">欠薪总额（元）</div><div class="value${total.arrearsFen > 0 ? ' alert' : ''}" data-testid="city-arrears">${money(yuanOfFen(total.arrearsFen))}</div></a>
  <a class="figure" href="/flags?code=WAGE_UNPAID"><div class="label">被欠薪工人</div><div class="value">${workers}</div><div class="muted small">${report ? '按身份证号去重' : '按项目合计'}</div></a>
  <a class="figure" href="/projects"><div class="label">欠薪项目</div><div class="value">${total.inArrears}</div></a>
  ${input.levels
    ? html`<div class="figure" data-testid="projects-by-level"><div class="label"><a href="/flags">有预警的项目</a></div><div class="levels">
      <a class="level-red" href="/flags?level=red" data-testid="dash-red">红 ${input.levels.red}</a>
      <a class="level-orange" href="/flags?level=orange" data-testid="dash-orange">橙 ${input.levels.orange}</a>
      <a class="level-yellow" href="/flags?level=yellow" data-testid="dash-yellow">黄 ${input.levels.yellow}</a></div>
      <div class="muted small">按项目最高预警等级</div></div>`
    : html`<a class="figure" href="/flags"><div class="label">有预警的项目</div><div class="value">${total.flagged}</div></a>`}
  <a class="figure" href="/flags"><div class="label">待处理预警</div><div class="value">${total.openFlags}</div></a>
</section>
${input.overdueRectifications &&
html`<section class="card" data-testid="overdue-rectifications"><h2>逾期未整改的预警 <span class="muted small">${input.overdueRectifications.length} 条</span></h2>
  ${input.overdueRectifications.length === 0
    ? html`<p class="muted">没有逾期未整改的预警。</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>预警</th><th>劳动保障监察员</th><th>整改期限</th><th class="num">已超过（天）</th></tr></thead>
  <tbody>${input.overdueRectifications.slice(0, 20).map(
    (r) => html`<tr><td><a href="/warnings/${r.key}">${r.project.code} ${r.project.name}：${r.problemName}</a></td><td>${r.assignee}</td><td class="nowrap">${r.deadline}</td><td class="num overdue">${r.overdueDays}</td></tr>`,
  )}</tbody></table></div>`}
</section>`}
<div class="grid2">
  <section class="card"><h2>各区县欠薪（元）</h2>
    ${barChart('各区县欠薪（元）', counties.map((c) => ({ label: c.county, value: c.arrearsFen, display: money(yuanOfFen(c.arrearsFen)), href: `/projects${query({ county: c.county })}` })))}
  </section>
  <section class="card"><h2>各区县待处理预警</h2>
    ${barChart('各区县待处理预警（条）', counties.map((c) => ({ label: c.county, value: c.openFlags, display: `${c.openFlags} 条`, href: `/flags${query({ county: c.county })}` })))}
  </section>
</div>
<section class="card"><h2>近几个月的欠薪（按工资所属月份）</h2>
  ${months.length > 0
    ? html`${columnChart('截至当日仍未支付的工资，按所属月份（元）', months.map((m) => ({ label: monthZh(m.month), value: fenOf(m.arrears), display: money(m.arrears) })))}
      <p class="muted small">取自 ${report!.asOf} 的夜间报告：截至该日仍欠的工资按其所属月份汇总（<a href="/reports">全部报告</a>）。</p>`
    : html`<p class="muted">尚无与当前重算日期相同的夜间报告，趋势图在首份报告生成后显示（<a href="/reports">夜间报告</a>）。</p>`}
</section>
<h2>按区县</h2>
<div class="table-wrap"><table data-testid="counties">
  <thead><tr><th>区县</th><th class="num">项目</th><th class="num">欠薪（元）</th><th class="num">被欠薪工人</th><th class="num">欠薪项目</th><th class="num">有预警项目</th><th class="num">待处理预警</th></tr></thead>
  <tbody>${counties.map(
    (c) => html`<tr><td><a href="/projects${query({ county: c.county })}">${c.county}</a></td><td class="num">${c.projects}</td>
      <td class="num"><a href="/projects${query({ county: c.county })}">${money(yuanOfFen(c.arrearsFen))}</a></td>
      <td class="num"><a href="/flags${query({ county: c.county, code: 'WAGE_UNPAID' })}">${c.workersInArrears}</a></td>
      <td class="num">${c.projectsInArrears}</td><td class="num"><a href="/flags${query({ county: c.county })}">${c.projectsFlagged}</a></td>
      <td class="num"><a href="/flags${query({ county: c.county })}">${c.openFlags}</a></td></tr>`,
  )}</tbody>
  <tfoot><tr><td>全市</td><td class="num">${input.projects.length}</td><td class="num">${money(yuanOfFen(total.arrearsFen))}</td><td class="num">${workers}</td><td class="num">${total.inArrears}</td><td class="num">${total.flagged}</td><td class="num">${total.openFlags}</td></tr></tfoot>
</table></div>`;
}
