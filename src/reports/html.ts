/**
 * 报告 HTML — one self-contained page a bureau leader can open from a file share or print.
 *
 * - Figures first: the headline numbers, then the charts, then the tables, then the definitions.
 * - Inline SVG charts (arrears by county; arrears outstanding at D by wage month for the last 6 months —
 *   derived from D's ledger, so the page needs no stored history and stays deterministic).
 * - No external reference of any kind: no scripts, no links, no web fonts, no images by URL. Fonts are
 *   the Chinese system fonts of Windows, macOS and Linux, named in a local font stack.
 * - Print CSS: A4, tables repeat their header rows, cards and rows do not split across pages.
 * - Identity numbers appear only masked (they come masked from the model); names are shown.
 * - No generation time: the page shows the as-of date only, so it is the same bytes for the same date.
 */
import type { MonthTrendPoint, TrendPoint } from './trends.ts';
import { yuanText } from '../domain/money.ts';
import { FLAG_CODES, FLAGS, type FlagCode } from '../rules/flags.ts';
import { FORM_ZH, RESOLUTION_ZH, SEVERITY_ZH } from './csv.ts';
import type { FlagCounts, FlagItem, Rate, RateSet, Report, ResolvedFlagItem } from './model.ts';

/** How many rows of the long lists the page shows (the CSV files and JSON hold them all). */
export const HTML_LIMITS = { projects: 50, employers: 20, flagItems: 100, ranking: 20 } as const;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const e = escapeHtml;

/** "1234567.50" → "1,234,567.50": the domain's one reader's format (money.ts yuanText). */
export const groupThousands = (money: string): string => yuanText(money);

/** Money string → yuan as a number, only for chart geometry (never for figures shown). */
const chartValue = (money: string): number => Number(money);

/** "2026-11-28" → "2026年11月28日" */
function dateZh(d: string): string {
  const [y, m, day] = d.split('-');
  return day ? `${y}年${Number(m)}月${Number(day)}日` : `${y}年${Number(m)}月`;
}

function percent(rate: string | null): string {
  if (rate === null) return '—';
  const [w = '0', f = '0000'] = rate.split('.');
  const basis = Number(w) * 10000 + Number(f.padEnd(4, '0'));
  return `${Math.floor(basis / 100)}.${String(basis % 100).padStart(2, '0')}%`;
}

function flagSummary(flags: FlagCounts): string {
  const parts = FLAG_CODES.filter((c) => flags[c]).map((c) => `${FLAGS[c].title} ${flags[c]}`);
  return parts.length ? e(parts.join('、')) : '—';
}

/** 名单变动 in Chinese, for the report's blacklist section. */
const BLACKLIST_CHANGE_ZH: Record<Report['blacklistChanges'][number]['change'], string> = {
  listed: '决定列入',
  published: '公开',
  not_listed: '决定不列入',
  removed: '提前移出（信用修复）',
  restored: '撤销移出、恢复列入（以欺骗等不正当手段移出）',
  revoked: '撤销列入决定（责令支付决定被撤销或确认违法）',
  expired: '期满移出',
};

/** A table; per column: true = a number (right-aligned), 'k' = a short key kept on one line (code, county, date). */
function table(head: readonly string[], rows: readonly string[][], kinds: readonly (boolean | 'k')[] = []): string {
  const cls = (i: number) => (kinds[i] === true ? ' class="n"' : kinds[i] === 'k' ? ' class="k"' : '');
  const th = head.map((h, i) => `<th${cls(i)}>${e(h)}</th>`).join('');
  const body = rows.length
    ? rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${head.length}" class="empty">无</td></tr>`;
  return `<div class="wrap"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

// ——— charts ———

function countyChart(report: Report): string {
  const rows = report.counties.filter((c) => c.arrears !== '0.00');
  if (rows.length === 0) return '<p class="empty">截至报告日，各区县均无欠薪。</p>';
  const max = Math.max(...rows.map((c) => chartValue(c.arrears)));
  const barH = 26;
  const labelW = 120;
  const chartW = 440;
  const valueW = 170;
  const width = labelW + chartW + valueW;
  const height = rows.length * barH + 10;
  const bars = rows
    .map((c, i) => {
      const w = max > 0 ? Math.max(2, Math.round((chartValue(c.arrears) / max) * chartW)) : 2;
      const y = 5 + i * barH;
      return (
        `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${e(c.county)}</text>` +
        `<rect x="${labelW}" y="${y + 4}" width="${w}" height="${barH - 8}" fill="#c0392b"/>` +
        `<text x="${labelW + w + 6}" y="${y + 17}">${e(groupThousands(c.arrears))} 元 · ${c.workersInArrears} 人</text>`
      );
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="各区县欠薪金额" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars}</svg>`;
}

function wageMonthChart(report: Report): string {
  const months = report.arrearsByWageMonth.months.map((m) => ({ label: m.month.slice(0, 7), arrears: m.arrears, workers: m.workersInArrears }));
  const bars = [{ label: '更早', arrears: report.arrearsByWageMonth.earlier.arrears, workers: report.arrearsByWageMonth.earlier.workersInArrears }, ...months];
  const max = Math.max(0, ...bars.map((b) => chartValue(b.arrears)));
  const slot = 96;
  const chartH = 160;
  const top = 28;
  const width = bars.length * slot + 20;
  const height = top + chartH + 44;
  const body = bars
    .map((b, i) => {
      const h = max > 0 ? Math.round((chartValue(b.arrears) / max) * chartH) : 0;
      const x = 10 + i * slot;
      const y = top + chartH - h;
      const label = b.label === '更早' ? '更早月份' : `${Number(b.label.slice(0, 4))}年${Number(b.label.slice(5, 7))}月`;
      return (
        `<rect x="${x + 18}" y="${y}" width="${slot - 36}" height="${Math.max(h, 1)}" fill="${b.label === '更早' ? '#7f8c8d' : '#e67e22'}"/>` +
        `<text x="${x + slot / 2}" y="${y - 6}" text-anchor="middle" class="small">${e(groupThousands(b.arrears))}</text>` +
        `<text x="${x + slot / 2}" y="${top + chartH + 18}" text-anchor="middle">${e(label)}</text>` +
        `<text x="${x + slot / 2}" y="${top + chartH + 36}" text-anchor="middle" class="small">${b.workers} 人</text>`
      );
    })
    .join('');
  const axis = `<line x1="10" y1="${top + chartH}" x2="${width - 10}" y2="${top + chartH}" stroke="#555"/>`;
  return `<svg class="chart" role="img" aria-label="近6个月各工资月份欠薪金额" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${body}${axis}</svg>`;
}

// ——— sections ———

function card(label: string, value: string, unit = ''): string {
  return `<div class="card"><div class="label">${e(label)}</div><div class="value">${e(value)}<span class="unit">${e(unit)}</span></div></div>`;
}

function rateCells(r: RateSet): string[] {
  const cell = (x: Rate) => `${percent(x.rate)}<br><span class="small">${e(String(x.numerator))} / ${e(String(x.denominator))}</span>`;
  return [cell(r.realNameCoverage), cell(r.dedicatedAccountShare), cell(r.laborContractRate), cell(r.depositCoverage), cell(r.injuryInsuranceCoverage)];
}

function flagItemRows(items: readonly FlagItem[]): string[][] {
  return items.map((f) => [
    e(f.projectCode),
    e(f.title),
    e(SEVERITY_ZH[f.severity] ?? f.severity),
    e(f.month ?? '—'),
    e(f.workerName ?? '—'),
    f.amount === null ? '—' : e(groupThousands(f.amount)),
    `<span class="small">${e(f.sentence)}</span>`,
  ]);
}

function byCodeTable(report: Report): string {
  const fc = report.flagChanges;
  const codes = FLAG_CODES.filter((c: FlagCode) => report.totals.flags[c] || fc.newByCode[c] || fc.resolvedByCode[c]);
  return table(
    ['预警', '严重程度', '未处理', '新增', '解除'],
    codes.map((c) => [e(FLAGS[c].title), e(SEVERITY_ZH[FLAGS[c].severity]), String(report.totals.flags[c] ?? 0), String(fc.newByCode[c] ?? 0), String(fc.resolvedByCode[c] ?? 0)]),
    [false, false, true, true, true],
  );
}

const moreNote = (shown: number, total: number, file: string) =>
  total > shown ? `<p class="note">仅列出前 ${shown} 条，共 ${total} 条；完整清单见 ${e(file)}。</p>` : '';

const CSS = `
*{box-sizing:border-box}
body{font-family:"Microsoft YaHei","微软雅黑","PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","SimSun",sans-serif;color:#222;margin:24px auto;max-width:1100px;padding:0 16px;line-height:1.5}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;border-left:4px solid #c0392b;padding-left:8px;margin:28px 0 10px}
.sub{color:#666;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{flex:1 1 160px;border:1px solid #ddd;border-radius:6px;padding:10px 12px;background:#fafafa}
.card .label{color:#666;font-size:13px}
.card .value{font-size:22px;font-weight:bold}
.card .unit{font-size:13px;font-weight:normal;margin-left:4px;color:#666}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
code{font-family:Consolas,monospace;font-size:12px}
@media (max-width:700px){
  body{margin:12px auto;padding:0 10px}
  .wrap table{min-width:640px}
  .wrap td,.wrap th{min-width:3.5em}
  .card{flex:1 1 140px}
  h1{font-size:20px}
}
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f0f0f0}
td.n,th.n{text-align:right;white-space:nowrap}
td.k,th.k{white-space:nowrap}
.small{font-size:11px;color:#555}
.empty{color:#888;text-align:center}
.note{font-size:12px;color:#666}
.note.warning{font-size:14px;color:#a00;font-weight:bold}
.chart{max-width:100%;height:auto;font-size:12px}
.chart text{fill:#222}
.chart .small{font-size:10px;fill:#555}
footer{margin-top:32px;font-size:12px;color:#777;border-top:1px solid #ddd;padding-top:8px}
@page{size:A4;margin:14mm}
@media print{
  body{margin:0;max-width:none;padding:0;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  h2{break-after:avoid;page-break-after:avoid}
  .card,tr,.chart{break-inside:avoid;page-break-inside:avoid}
  .wrap{overflow:visible}
  .wrap table{min-width:0}
  thead{display:table-header-group}
}`;

export interface HtmlOptions {
  /** the page's download route of the same report's workbook; the file report.html carries no link (it is often sent on alone) */
  readonly workbookHref?: string;
}

/** The report as one HTML page (UTF-8). */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const t = report.totals;
  const fc = report.flagChanges;
  const inArrears = report.projects.filter((p) => p.arrears !== '0.00');
  const topProjects = [...inArrears].sort((a, b) => Number(b.arrears) - Number(a.arrears) || (a.projectCode < b.projectCode ? -1 : 1)).slice(0, HTML_LIMITS.projects);
  const employersInArrears = report.employers.filter((x) => x.arrears !== '0.00');
  const topEmployers = [...employersInArrears].sort((a, b) => Number(b.arrears) - Number(a.arrears) || (a.uscc < b.uscc ? -1 : 1)).slice(0, HTML_LIMITS.employers);

  const sections: string[] = [];
  sections.push(`<h1>护薪 · 农民工工资支付日报</h1>
<p class="sub">数据截至 ${e(dateZh(report.asOf))}（${e(report.asOf)}）${fc.previousAsOf ? `，与 ${e(fc.previousAsOf)} 的报告相比` : '，首份报告'}${
    options.workbookHref ? ` · <a href="${e(options.workbookHref)}" download>下载 Excel 表格（每张表一个工作表）</a>` : ''
  }</p>
${(report.warnings ?? []).map((w) => `<p class="note warning" data-code="${e(w.code)}">提示：${e(w.message)}</p>`).join('\n')}
<div class="cards">
${card('欠薪总额', groupThousands(t.arrears), '元')}
${card('欠薪人数', String(t.workersInArrears), '人')}
${card('欠薪项目', `${t.projectsInArrears} / ${t.projectCount}`, '个')}
${card('最长逾期', String(t.oldestOverdueDays), '天')}
${card('估算风险敞口', groupThousands(t.estimatedExposure), '元')}
${card('未处理预警', String(t.openFlags), '条')}
${card('新增 / 解除预警', `${fc.newCount} / ${fc.resolvedCount}`, '条')}
${card('30天内到期保函', String(report.guaranteesExpiring.items.length), '份')}
</div>`);

  // the leaders' sections (trends.ts); a stored report of an older shape has neither
  const ranking = report.riskRanking ?? [];
  const unit = (name: string, uscc: string) => `${e(name || '（名称未登记）')}<br><span class="small">${e(uscc)}</span>`;
  sections.push(`<h2>项目风险排名（红线问题优先）</h2>\n${
    ranking.length === 0
      ? '<p class="note">没有未处理预警或欠薪的项目。</p>'
      : table(
          ['排名', '项目', '区县', '施工总承包单位', '红线问题', report.riskScoreMax ? `风险分(满分${report.riskScoreMax})` : '风险分', '严重预警', '欠薪总额(元)', '未处理预警'],
          ranking.slice(0, HTML_LIMITS.ranking).map((r) => [
            String(r.rank),
            `${e(r.projectCode)}<br><span class="small">${e(r.name)}</span>`,
            e(r.county),
            unit(r.contractorName, r.contractorUscc),
            e(r.redLineTitles || '—'),
            String(r.riskScore),
            String(r.criticalFlags),
            e(groupThousands(r.arrears)),
            String(r.openFlags),
          ]),
          [true, 'k', 'k', false, false, true, true, true, true],
        )
  }\n${moreNote(Math.min(ranking.length, HTML_LIMITS.ranking), ranking.length, '13_risk_ranking.csv')}
<p class="note">红线问题：使用童工、未按期开设工资专户、失信名单单位参建——这些问题不涉及欠薪金额，但排在其他项目之前；其余按风险分、严重预警数、欠薪金额排序。</p>`);

  const trends = report.trends;
  if (trends) {
    const trendRows = (points: readonly TrendPoint[], label: (p: TrendPoint) => string) =>
      points.map((p) => [e(label(p)), String(p.flags), String(p.criticalFlags), e(groupThousands(p.arrears)), String(p.projectsInArrears)]);
    const head = ['预警数', '其中严重', '欠薪总额(元)', '欠薪项目'];
    sections.push(`<h2>趋势</h2>
<h3>近12个月（各月最后一个评估日）</h3>\n${
      trends.months.length === 0
        ? '<p class="note">尚无评估记录。</p>'
        : table(['月份', ...head], trendRows(trends.months, (p) => { const m = (p as MonthTrendPoint).month; return `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月（${p.day.slice(5)}）`; }), ['k', true, true, true, true])
    }
<h3>近30天（每个评估日）</h3>\n${
      trends.days.length === 0 ? '<p class="note">近30天尚无评估记录。</p>' : table(['评估日', ...head], trendRows(trends.days, (p) => p.day), ['k', true, true, true, true])
    }
<p class="note">预警数为当日规则触发的全部预警（含已核销的），欠薪总额为当日各项目的欠薪合计；未评估的日子不列出。</p>`);
  }

  sections.push(`<h2>各区县欠薪</h2>\n${countyChart(report)}\n${table(
    ['区县', '项目数', '欠薪总额(元)', '欠薪人数', '欠薪项目', '最长逾期(天)', '估算风险敞口(元)', '未处理预警'],
    report.counties.map((c) => [
      e(c.county),
      String(c.projectCount),
      e(groupThousands(c.arrears)),
      String(c.workersInArrears),
      String(c.projectsInArrears),
      String(c.oldestOverdueDays),
      e(groupThousands(c.estimatedExposure)),
      String(c.openFlags),
    ]),
    ['k', true, true, true, true, true, true, true],
  )}`);

  sections.push(`<h2>欠薪按工资月份（近6个月）</h2>
${wageMonthChart(report)}
<p class="note">截至报告日仍未付清的工资，按其所属工资月份汇总；最近一两个月的工资多数尚未到支付日，因而为零属正常。“更早月份”为6个月之前各月的合计。</p>`);

  sections.push(`<h2>欠薪项目（按欠薪金额排序）</h2>\n${table(
    ['项目编号', '项目名称', '区县', '总承包单位', '欠薪总额(元)', '欠薪人数', '最长逾期(天)', report.riskScoreMax ? `风险分(满分${report.riskScoreMax})` : '风险分', '未处理预警'],
    topProjects.map((p) => [e(p.projectCode), e(p.name), e(p.county), unit(p.contractorName, p.contractorUscc), e(groupThousands(p.arrears)), String(p.workersInArrears), String(p.oldestOverdueDays), String(p.riskScore), flagSummary(p.flags)]),
    ['k', false, 'k', false, true, true, true, true, false],
  )}\n${moreNote(topProjects.length, inArrears.length, '03_projects.csv')}`);

  sections.push(`<h2>欠薪用人单位（按欠薪金额排序）</h2>\n${table(
    ['单位名称', '欠薪总额(元)', '欠薪人数', '欠薪项目', '最长逾期(天)', '未处理预警'],
    topEmployers.map((x) => [unit(x.name, x.uscc), e(groupThousands(x.arrears)), String(x.workersInArrears), String(x.projectsInArrears), String(x.oldestOverdueDays), flagSummary(x.flags)]),
    [false, true, true, true, true, false],
  )}\n${moreNote(topEmployers.length, employersInArrears.length, '04_employers.csv')}`);

  sections.push(`<h2>预警变化</h2>\n${byCodeTable(report)}
<h3>新增预警</h3>\n${table(['项目', '预警', '严重程度', '工资月份', '姓名', '金额(元)', '说明'], flagItemRows(fc.new.slice(0, HTML_LIMITS.flagItems)), ['k', 'k', 'k', 'k', 'k', true, false])}
${moreNote(Math.min(fc.new.length, HTML_LIMITS.flagItems), fc.new.length, '05_flags_new.csv')}
<h3>解除预警</h3>\n${table(
    ['项目', '预警', '解除方式', '工资月份', '姓名', '金额(元)', '说明'],
    fc.resolved.slice(0, HTML_LIMITS.flagItems).map((f: ResolvedFlagItem) => {
      const row = flagItemRows([f])[0]!;
      row[2] = e(RESOLUTION_ZH[f.resolution]);
      return row;
    }),
    ['k', 'k', 'k', 'k', 'k', true, false],
  )}
${moreNote(Math.min(fc.resolved.length, HTML_LIMITS.flagItems), fc.resolved.length, '06_flags_resolved.csv')}`);

  sections.push(`<h2>${report.guaranteesExpiring.windowDays}天内到期的保函、保证保险</h2>\n${table(
    ['到期日', '剩余天数', '项目编号', '项目名称', '区县', '总承包单位', '保证形式', '凭证号', '金额(元)'],
    report.guaranteesExpiring.items.map((g) => [e(g.expiresOn), String(g.daysLeft), e(g.projectCode), e(g.projectName), e(g.county), e(g.contractorName), e(FORM_ZH[g.form]), e(g.voucherNo), e(groupThousands(g.amount))]),
    ['k', true, 'k', false, 'k', false, 'k', 'k', true],
  )}`);

  const rateHead = ['范围', '实名制覆盖率', '专户代发占比', '劳动合同签订率', '保证金覆盖率', '工伤保险覆盖率'];
  const rateNum: (boolean | 'k')[] = [false, true, true, true, true, true];
  sections.push(`<h2>制度落实比率</h2>\n${table(
    rateHead,
    [[e('全市'), ...rateCells(report.rates.city)], ...report.rates.counties.map((c) => [e(c.county), ...rateCells(c)])],
    rateNum,
  )}
<h3>各用人单位</h3>\n${table(rateHead.map((h, i) => (i === 0 ? '用人单位' : h)), report.rates.employers.map((x) => [e(x.name || x.uscc), ...rateCells(x)]), rateNum)}`);

  const none = (what: string) => `<p class="note">无${what}。</p>`;
  sections.push(`<h2>超期案件</h2>\n${
    report.casesPastDeadline.length === 0
      ? none('超过法定期限的案件')
      : table(
          ['案件', '名称', '用人单位', '阶段', '期限', '截止日', '已超过(天)'],
          report.casesPastDeadline.map((c) => [String(c.caseId), e(c.title), unit(c.employerName ?? '', c.employerUscc), e(c.stageName), e(c.deadline.name), e(c.deadline.due), String(c.daysPast)]),
          ['k', false, false, false, false, 'k', true],
        )
  }`);
  sections.push(`<h2>逾期未履行的责令限期支付</h2>\n${
    report.ordersPastDue.length === 0
      ? none('逾期未履行的指令书')
      : table(
          ['指令书', '用人单位', '下达日', '限期', '已超过(天)', '责令金额(元)', '仍欠(元)', '说明'],
          report.ordersPastDue.map((o) => [String(o.orderId), unit(o.employerName ?? '', o.employerUscc), e(o.issuedOn), e(o.deadline), String(o.daysPast), e(groupThousands(o.ordered)), e(groupThousands(o.owed)), e(o.sentence)]),
          ['k', false, 'k', 'k', true, true, true, false],
        )
  }`);
  sections.push(`<h2>失信联合惩戒名单变动</h2>\n${
    report.blacklistChanges.length === 0
      ? none('名单变动')
      : table(
          ['日期', '单位', '统一社会信用代码', '变动', '说明'],
          report.blacklistChanges.map((c) => [e(c.on), e(c.name), e(c.uscc), e(BLACKLIST_CHANGE_ZH[c.change]), e(c.reason ?? '')]),
          ['k', false, 'k', false, false],
        )
  }`);
  sections.push(`<h2>整改逾期的预警</h2>\n${
    (report.rectificationsOverdue ?? []).length === 0
      ? none('超过整改期限仍未整改的预警')
      : table(
          ['项目', '问题', '总承包单位', '负责监察员', '整改期限', '已逾期(天)'],
          report.rectificationsOverdue.map((r) => [
            `${e(r.projectCode)} ${e(r.projectName)}`,
            e(`${r.problemName}${r.month ? `（${r.month}）` : ''}`),
            unit(r.employerName, r.employerUscc),
            e(r.assignee),
            e(r.deadline),
            String(r.daysPast),
          ]),
          [false, false, false, false, 'k', true],
        )
  }`);
  if (report.notes.length) sections.push(report.notes.map((n) => `<p class="note">${e(n)}</p>`).join('\n'));

  if (report.problems.length) {
    sections.push(`<h2>无法评估的项目</h2>\n${table(['项目编号', '原因'], report.problems.map((p) => [e(p.projectCode), e(p.message)]))}`);
  }

  sections.push(`<h2>口径说明</h2>
<ul class="note">
<li>欠薪：工资支付日已过、实发工资未足额支付的差额；金额精确到分。欠薪人数按身份证号去重，同一人在多个项目欠薪只计一次。</li>
<li>估算风险敞口：在岗但无工资表的月份，按工资标准估算的可能欠付金额，单列，不计入欠薪。</li>
<li>未处理预警：报告日规则触发、且截至报告日未被核销或撤销的预警。新增、解除均与上一份报告相比。</li>
<li>用人单位：工人花名册上的直接用工单位；不在花名册上的工人及项目级预警计入施工总承包单位。</li>
<li>实名制覆盖率＝工资表人月中在花名册登记在岗的比例；专户代发占比＝经专用账户代发的工资金额÷已发工资总额；劳动合同签订率＝已签劳动合同的花名册记录÷全部花名册记录；保证金覆盖率＝足额存储保证金的在建项目÷应存储的在建项目。</li>
<li>项目风险排名：有未处理预警或欠薪的项目，红线问题（使用童工、未按期开设工资专户、失信名单单位参建）优先，其余按风险分排序。趋势取自每晚评估的历史记录：近30天逐日、近12个月取各月最后一个评估日。</li>
<li>身份证号一律遮蔽显示。风险分按预警等级、欠薪金额和欠薪人数计分，各项封顶${report.riskScoreMax ? `，满分 ${report.riskScoreMax} 分` : ''}。详见 <code>docs/REPORT.md</code>。</li>
</ul>`);

  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>护薪 农民工工资支付日报 ${e(report.asOf)}</title>
<style>${CSS}
</style>
</head>
<body>
${sections.join('\n')}
<footer>护薪 Huxin · 数据截至 ${e(report.asOf)} · 同一日期、同一数据生成的报告内容相同</footer>
</body>
</html>
`;
}
