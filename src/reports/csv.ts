/**
 * 报告 CSV — one file per table, for Excel on Chinese Windows.
 *
 * - UTF-8 with a byte-order mark: without it Excel reads the bytes as GBK and the Chinese headers turn to
 *   mojibake. CRLF line ends, RFC 4180 quoting (a cell with a comma, quote, CR or LF is quoted, quotes
 *   doubled). File names are ASCII (they survive zip tools and mail gateways that mangle Chinese names);
 *   headers are Chinese only (a flag column is headed by the flag's Chinese title; the codes stay in the JSON
 *   and in the 预警代码 column of the flag lists, where IT matches rows).
 * - Formula injection (CSV injection): a TEXT cell starting with = + - @, tab or CR gets a leading single
 *   quote, so Excel shows it as text instead of evaluating it. Text cells hold imported data (names,
 *   project codes, sentences) and are neutralised whatever they look like, even "-5".
 *   NUMBER cells (counts, money, rates) are written by our own formatters, so they can only match
 *   /^-?\d+(\.\d+)?$/; they are never prefixed — a negative amount stays a number Excel can sum. A value in
 *   a number column that does not match that pattern is treated as text (and neutralised).
 * - Deterministic: the same report gives the same bytes.
 */
import { FLAG_CODES, FLAGS, type FlagCode } from '../rules/flags.ts';
import type { FlagCounts, FlagItem, Rate, RateSet, Report, ResolvedFlagItem } from './model.ts';
import type { MonthTrendPoint, RiskRankRow, TrendPoint } from './trends.ts';

/**
 * text · number (a count or a plain figure) · money (yuan, two decimals) · rate (a share 0–1, "0.9500").
 * In a CSV every kind but text is written as the number it is; the workbook (xlsx.ts) gives money the
 * '#,##0.00' format and rates the percentage format.
 */
export type CellKind = 'text' | 'number' | 'money' | 'rate';
export interface Column<T> {
  readonly header: string;
  readonly kind: CellKind;
  readonly value: (row: T) => string | number | null;
}

export interface CsvFile {
  /** ASCII file name, e.g. 03_projects.csv */
  readonly name: string;
  /** 中文表名 */
  readonly title: string;
  /** the whole file as text, BOM first */
  readonly content: string;
}

/** One table of the report: a CSV file and a sheet of the workbook. */
export interface ReportTable {
  /** ASCII file name of its CSV, e.g. 03_projects.csv */
  readonly name: string;
  /** 中文表名 (the sheet's name) */
  readonly title: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly columns: readonly Column<any>[];
  readonly rows: readonly unknown[];
}

export const BOM = '\uFEFF';
const NUMERIC = /^-?\d+(\.\d+)?$/;
const DANGEROUS = /^[=+\-@\t\r]/;

/** One cell, neutralised and quoted as its kind needs. */
export function csvCell(value: string | number | null, kind: CellKind): string {
  if (value === null) return '';
  let text = String(value);
  if (kind === 'text' || !NUMERIC.test(text)) {
    if (DANGEROUS.test(text)) text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => csvCell(c.header, 'text')).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row), c.kind)).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

const text = <T>(header: string, value: (row: T) => string | null): Column<T> => ({ header, kind: 'text', value });
const num = <T>(header: string, value: (row: T) => string | number | null): Column<T> => ({ header, kind: 'number', value });
const money = <T>(header: string, value: (row: T) => string | null): Column<T> => ({ header, kind: 'money', value });
const pct = <T>(header: string, value: (row: T) => string | null): Column<T> => ({ header, kind: 'rate', value });

export const SEVERITY_ZH = { critical: '严重', high: '高', medium: '中', low: '低' } as const;
export const RESOLUTION_ZH = { review_resolved: '已整改（人工核销）', review_dismissed: '核查后撤销', cleared: '规则不再触发' } as const;
/** 逾期未履行的下一步 — the order's proposals in Chinese (rules/orders.ts Proposal.step; the JSON keeps the codes). */
export const PROPOSAL_ZH: Record<string, string> = {
  use_deposit: '动用工资保证金',
  additional_compensation: '责令加付赔偿金',
  blacklist: '列入拖欠农民工工资失信联合惩戒对象名单',
  criminal_referral: '移送公安机关（拒不支付劳动报酬罪）',
};
export const FORM_ZH = { bank_guarantee: '银行保函', insurance: '保证保险' } as const;

/** Flag columns: every code with a count anywhere in the report, in catalogue order. */
function flagColumns<T extends { flags: FlagCounts }>(report: Report): Column<T>[] {
  const seen = new Set<string>();
  const all = [report.totals.flags, ...report.counties.map((c) => c.flags), ...report.projects.map((p) => p.flags), ...report.employers.map((e) => e.flags)];
  for (const f of all) for (const k of Object.keys(f)) seen.add(k);
  return FLAG_CODES.filter((c) => seen.has(c)).map((code: FlagCode) => num<T>(FLAGS[code].title, (r) => r.flags[code] ?? 0));
}

function flagItemColumns<T extends FlagItem>(): Column<T>[] {
  return [
    text('项目编号', (f) => f.projectCode),
    text('区县', (f) => f.county),
    text('预警代码', (f) => f.code),
    text('预警名称', (f) => f.title),
    text('严重程度', (f) => SEVERITY_ZH[f.severity] ?? f.severity),
    text('工资月份', (f) => f.month),
    text('姓名', (f) => f.workerName),
    text('身份证号（已遮蔽）', (f) => f.idNumber),
    money('涉及金额(元)', (f) => f.amount),
    text('说明', (f) => f.sentence),
  ];
}

function rateColumns<T extends RateSet>(): Column<T>[] {
  const parts = (label: string, pick: (r: T) => Rate): Column<T>[] => [
    pct(`${label}`, (r) => pick(r).rate),
    num(`${label}-分子`, (r) => pick(r).numerator),
    num(`${label}-分母`, (r) => pick(r).denominator),
  ];
  return [
    ...parts('实名制覆盖率', (r) => r.realNameCoverage),
    ...parts('专户代发占比', (r) => r.dedicatedAccountShare),
    ...parts('劳动合同签订率', (r) => r.laborContractRate),
    ...parts('保证金覆盖率', (r) => r.depositCoverage),
    ...parts('工伤保险覆盖率', (r) => r.injuryInsuranceCoverage),
  ];
}

/** The report as CSV files, in a fixed order. */
export function renderCsv(report: Report): CsvFile[] {
  return reportTables(report).map((t) => ({ name: t.name, title: t.title, content: csvTable(t.columns, t.rows) }));
}

/** The report's tables, in a fixed order: the CSV files and the workbook's sheets. */
export function reportTables(report: Report): ReportTable[] {
  const files: ReportTable[] = [];
  const add = <T>(name: string, title: string, table: { columns: readonly Column<T>[]; rows: readonly T[] }) => files.push({ name, title, ...table });
  const table = <T>(columns: readonly Column<T>[], rows: readonly T[]) => ({ columns, rows });

  type T = Report['totals'] & { asOf: string; previousAsOf: string | null; newCount: number; resolvedCount: number };
  const totalsRow: T = { ...report.totals, asOf: report.asOf, previousAsOf: report.flagChanges.previousAsOf, newCount: report.flagChanges.newCount, resolvedCount: report.flagChanges.resolvedCount };
  add(
    '01_totals.csv',
    '全市汇总',
    table<T>(
      [
        text('截至日期', (r) => r.asOf),
        num('项目总数', (r) => r.projectCount),
        money('欠薪总额(元)', (r) => r.arrears),
        num('欠薪人数', (r) => r.workersInArrears),
        num('欠薪项目数', (r) => r.projectsInArrears),
        num('最长逾期天数', (r) => r.oldestOverdueDays),
        money('估算风险敞口(元)', (r) => r.estimatedExposure),
        num('未处理预警数', (r) => r.openFlags),
        text('上期报告日期', (r) => r.previousAsOf),
        num('新增预警数', (r) => r.newCount),
        num('解除预警数', (r) => r.resolvedCount),
        ...flagColumns<T>(report),
      ],
      [totalsRow],
    ),
  );

  type C = Report['counties'][number];
  add(
    '02_counties.csv',
    '分区县',
    table<C>(
      [
        text('区县', (r) => r.county),
        num('项目数', (r) => r.projectCount),
        money('欠薪总额(元)', (r) => r.arrears),
        num('欠薪人数', (r) => r.workersInArrears),
        num('欠薪项目数', (r) => r.projectsInArrears),
        num('最长逾期天数', (r) => r.oldestOverdueDays),
        money('估算风险敞口(元)', (r) => r.estimatedExposure),
        num('未处理预警数', (r) => r.openFlags),
        ...flagColumns<C>(report),
      ],
      report.counties,
    ),
  );

  type P = Report['projects'][number];
  add(
    '03_projects.csv',
    '分项目',
    table<P>(
      [
        text('项目编号', (r) => r.projectCode),
        text('项目名称', (r) => r.name),
        text('区县', (r) => r.county),
        text('施工总承包单位', (r) => r.contractorName),
        text('总承包单位信用代码', (r) => r.contractorUscc),
        money('欠薪总额(元)', (r) => r.arrears),
        num('欠薪人数', (r) => r.workersInArrears),
        num('最长逾期天数', (r) => r.oldestOverdueDays),
        money('估算风险敞口(元)', (r) => r.estimatedExposure),
        num('风险分', (r) => r.riskScore),
        num('未处理预警数', (r) => r.openFlags),
        ...flagColumns<P>(report),
        text('无法评估原因', (r) => r.problem),
      ],
      report.projects,
    ),
  );

  type E = Report['employers'][number];
  add(
    '04_employers.csv',
    '分用人单位',
    table<E>(
      [
        text('单位名称', (r) => r.name),
        text('统一社会信用代码', (r) => r.uscc),
        num('总承包项目数', (r) => r.contractorOf),
        money('欠薪总额(元)', (r) => r.arrears),
        num('欠薪人数', (r) => r.workersInArrears),
        num('欠薪项目数', (r) => r.projectsInArrears),
        num('最长逾期天数', (r) => r.oldestOverdueDays),
        money('估算风险敞口(元)', (r) => r.estimatedExposure),
        num('未处理预警数', (r) => r.openFlags),
        ...flagColumns<E>(report),
      ],
      report.employers,
    ),
  );

  add('05_flags_new.csv', '新增预警', table<FlagItem>(flagItemColumns<FlagItem>(), report.flagChanges.new));
  add(
    '06_flags_resolved.csv',
    '解除预警',
    table<ResolvedFlagItem>(
      [...flagItemColumns<ResolvedFlagItem>(), text('解除方式', (f) => RESOLUTION_ZH[f.resolution])],
      report.flagChanges.resolved,
    ),
  );

  type G = Report['guaranteesExpiring']['items'][number];
  add(
    '07_guarantees_expiring.csv',
    '临期保函',
    table<G>(
      [
        text('项目编号', (r) => r.projectCode),
        text('项目名称', (r) => r.projectName),
        text('区县', (r) => r.county),
        text('施工总承包单位', (r) => r.contractorName),
        text('保证形式', (r) => FORM_ZH[r.form]),
        text('凭证号', (r) => r.voucherNo),
        money('金额(元)', (r) => r.amount),
        text('到期日', (r) => r.expiresOn),
        num('剩余天数', (r) => r.daysLeft),
      ],
      report.guaranteesExpiring.items,
    ),
  );

  type R = RateSet & { scope: string; name: string; key: string };
  const rateRows: R[] = [
    { scope: '全市', name: '全市', key: '', ...report.rates.city },
    ...report.rates.counties.map((c) => ({ ...c, scope: '区县', name: c.county, key: '' })),
    ...report.rates.employers.map((e) => ({ ...e, scope: '用人单位', key: e.uscc })),
  ];
  add(
    '08_rates.csv',
    '比率指标',
    table<R>([text('范围', (r) => r.scope), text('名称', (r) => r.name), text('统一社会信用代码', (r) => r.key || null), ...rateColumns<R>()], rateRows),
  );

  type W = { month: string; arrears: string; workersInArrears: number; estimatedExposure: string };
  add(
    '09_arrears_by_wage_month.csv',
    '欠薪按工资月份',
    table<W>(
      [
        text('工资月份', (r) => r.month),
        money('欠薪总额(元)', (r) => r.arrears),
        num('欠薪人数', (r) => r.workersInArrears),
        money('估算风险敞口(元)', (r) => r.estimatedExposure),
      ],
      [...report.arrearsByWageMonth.months, { month: '更早月份', ...report.arrearsByWageMonth.earlier }],
    ),
  );

  type CP = Report['casesPastDeadline'][number];
  add(
    '10_cases_past_deadline.csv',
    '超期案件',
    table<CP>(
      [
        num('案件编号', (r) => r.caseId),
        text('案件名称', (r) => r.title),
        text('用人单位名称', (r) => r.employerName ?? null),
        text('用人单位信用代码', (r) => r.employerUscc),
        text('阶段', (r) => r.stageName),
        text('期限', (r) => r.deadline.name),
        text('起算日', (r) => r.deadline.start),
        text('截止日', (r) => r.deadline.due),
        num('已超过天数', (r) => r.daysPast),
        text('依据', (r) => r.deadline.explanation),
      ],
      report.casesPastDeadline,
    ),
  );

  type OP = Report['ordersPastDue'][number];
  add(
    '11_orders_past_due.csv',
    '逾期未履行的责令限期支付',
    table<OP>(
      [
        num('指令书编号', (r) => r.orderId),
        text('用人单位名称', (r) => r.employerName ?? null),
        text('用人单位信用代码', (r) => r.employerUscc),
        text('下达日期', (r) => r.issuedOn),
        text('限期', (r) => r.deadline),
        num('已超过天数', (r) => r.daysPast),
        money('责令支付金额(元)', (r) => r.ordered),
        money('仍欠金额(元)', (r) => r.owed),
        text('建议措施', (r) => r.proposed.map((step) => PROPOSAL_ZH[step] ?? step).join('、')),
        text('说明', (r) => r.sentence),
      ],
      report.ordersPastDue,
    ),
  );

  type BC = Report['blacklistChanges'][number];
  add(
    '12_blacklist_changes.csv',
    '失信名单变动',
    table<BC>(
      [
        text('日期', (r) => r.on),
        text('单位名称', (r) => r.name),
        text('统一社会信用代码', (r) => r.uscc),
        text('变动', (r) => r.change),
        text('经办人', (r) => r.actor),
        text('理由', (r) => r.reason),
      ],
      report.blacklistChanges,
    ),
  );
  // the leaders' sections (trends.ts); a stored report of an older shape has neither
  type RR = RiskRankRow;
  add(
    '13_risk_ranking.csv',
    '项目风险排名',
    table<RR>(
      [
        num('排名', (r) => r.rank),
        text('项目编号', (r) => r.projectCode),
        text('项目名称', (r) => r.name),
        text('区县', (r) => r.county),
        text('施工总承包单位', (r) => r.contractorName),
        text('总承包单位信用代码', (r) => r.contractorUscc),
        num('风险分', (r) => r.riskScore),
        num('风险分满分', () => report.riskScoreMax),
        text('红线问题（无欠薪金额）', (r) => r.redLineTitles || null),
        num('严重预警数', (r) => r.criticalFlags),
        money('欠薪总额(元)', (r) => r.arrears),
        num('欠薪人数', (r) => r.workersInArrears),
        num('未处理预警数', (r) => r.openFlags),
      ],
      report.riskRanking ?? [],
    ),
  );
  const trendColumns = <T extends TrendPoint>(): Column<T>[] => [
    text('评估日', (r) => r.day),
    num('预警数（当日规则触发）', (r) => r.flags),
    num('其中严重预警', (r) => r.criticalFlags),
    money('欠薪总额(元)', (r) => r.arrears),
    num('欠薪项目数', (r) => r.projectsInArrears),
  ];
  add('14_trend_days.csv', '近30天趋势', table<TrendPoint>(trendColumns<TrendPoint>(), report.trends?.days ?? []));
  add(
    '15_trend_months.csv',
    '近12个月趋势',
    table<MonthTrendPoint>([text('月份', (r) => r.month), ...trendColumns<MonthTrendPoint>()], report.trends?.months ?? []),
  );
  // 整改逾期 (the closing loop of a warning); a stored report of an older shape has none
  type RO = Report['rectificationsOverdue'][number];
  add(
    '16_rectifications_overdue.csv',
    '整改逾期',
    table<RO>(
      [
        text('预警编号', (r) => r.warningKey),
        text('项目编号', (r) => r.projectCode),
        text('项目名称', (r) => r.projectName),
        text('问题', (r) => r.problemName),
        text('工资月份', (r) => r.month),
        text('总承包单位名称', (r) => r.employerName),
        text('总承包单位信用代码', (r) => r.employerUscc),
        text('负责监察员', (r) => r.assignee),
        text('指派日期', (r) => r.assignedOn),
        text('整改期限', (r) => r.deadline),
        num('已逾期天数', (r) => r.daysPast),
        num('重新打开次数', (r) => r.reopenCount),
      ],
      report.rectificationsOverdue ?? [],
    ),
  );

  return files;
}
