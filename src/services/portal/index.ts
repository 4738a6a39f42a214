/**
 * 施工单位报送 — the contractor portal (issue 20 points 1–2): a contractor's labour-affairs officer (劳资专管员)
 * sees its unit's projects and what is due, downloads templates, and files the month's wage table (工资表) and
 * roster changes (花名册) through the same all-or-nothing importer the bureau uses. Every submission, accepted
 * or rejected, is kept (portal_submissions) with who sent it and when.
 *
 * Scoping: the unit (the token's uscc) may file only for its projects — those it is the general contractor
 * of (projects.contractor_uscc) or an employer on the current roster of (roster_entries.employer_uscc). A
 * row naming any other project code is a problem of the file: the file is refused and nothing is written
 * (no batch, no fact row, no submission row).
 */
import ExcelJS from 'exceljs';
import { ApiError } from '../../api/errors.ts';
import type { Principal } from '../../api/roles.ts';
import { maskText } from '../../api/masking.ts';
import { shanghaiDateOf } from '../../domain/date.ts';
import { COLUMNS_BY_KIND } from '../../imports/columns.ts';
import { importFile } from '../../imports/service.ts';
import type { BatchSummary, ImportProblem } from '../../imports/types.ts';
import type { Store } from '../../store/store.ts';
import type { SubmissionRow, UnitProject } from '../../store/repos/portal.ts';
import { unitOf } from './unit.ts';
import { type FileHref, portalFileHref } from './answers.ts';
import { confirmationViews, type ConfirmationView } from './confirmations.ts';

/** What a contractor files through the portal. */
export const PORTAL_KINDS = ['payroll', 'roster'] as const;
export type PortalKind = (typeof PORTAL_KINDS)[number];
export const PORTAL_KIND_ZH: Record<PortalKind, string> = { payroll: '工资表（工资支付表）', roster: '花名册（人员进退场变动）' };
export const isPortalKind = (k: string): k is PortalKind => (PORTAL_KINDS as readonly string[]).includes(k);

export interface PortalDeps {
  readonly store: Store;
  readonly now: () => string;
}

export { unitOf } from './unit.ts';

export interface DueProject {
  readonly code: string;
  readonly name: string;
  readonly county: string;
  /** 总承包 or 用工单位 */
  readonly relation: 'contractor' | 'employer';
  /** the month whose wage table is due (the previous calendar month) */
  readonly payrollMonth: string;
  /** the day it is due: the project's pay day of the current month */
  readonly payrollDueOn: string;
  /** current wage-table rows already on file for that month */
  readonly payrollRows: number;
  /** submitted | due | late; by_contractor where the unit is only an employer (the general contractor files it) */
  readonly payrollState: 'submitted' | 'due' | 'late' | 'by_contractor';
}

function previousMonth(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function dueDay(day: string, payDay: number): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${day.slice(0, 7)}-${String(Math.min(Math.max(payDay, 1), last)).padStart(2, '0')}`;
}

/** The unit's projects with the wage table due for each (as of today in Shanghai). */
export async function dueProjects(deps: PortalDeps, uscc: string): Promise<DueProject[]> {
  const today = shanghaiDateOf(new Date(deps.now()));
  const month = previousMonth(today);
  const projects = await deps.store.portal.projectsOfUnit(uscc);
  const counts = await deps.store.portal.payrollCounts(projects.map((p) => p.id), month);
  return projects.map((p: UnitProject) => {
    const dueOn = dueDay(today, p.pay_day);
    const rows = counts.get(p.id) ?? 0;
    return {
      code: p.code,
      name: p.name,
      county: p.county,
      relation: p.is_contractor ? 'contractor' : 'employer',
      payrollMonth: month,
      payrollDueOn: dueOn,
      payrollRows: rows,
      payrollState: !p.is_contractor ? 'by_contractor' : rows > 0 ? 'submitted' : today > dueOn ? 'late' : 'due',
    };
  });
}

/** A problem as the portal shows it: where, what, and how to fix it. */
export interface PortalProblem extends ImportProblem {
  readonly hint: string;
}

/** A plain-language fix for one problem of a rejected file (for someone who is not a clerk). */
export function fixHint(p: ImportProblem): string {
  const r = p.reason;
  const col = p.column ?? '';
  if (/工资表由施工总承包单位汇总报送/.test(r)) return '本单位工人的工资表（经工人本人签字确认）交给该项目的施工总承包单位，由总承包单位报送；本单位在这里只报送花名册变动。';
  if (/只能报送本单位的工人/.test(r)) return '“用工单位信用代码”填本单位的统一社会信用代码；其他单位的工人由其单位自行报送。';
  if (/不是贵单位/.test(r)) return '只报送本单位总承包或用工的项目：删除这一行，或把项目编号改为本单位项目列表中的编号。';
  if (/表头|标题|缺少.*列|没有.*列|列名/.test(r)) return '请下载本页的模板，按模板的列名填写（列名须与模板一致，不要改动第一行）。';
  if (/空|没有任何/.test(r) && p.line === 0) return '文件中没有数据：请确认上传的是填好的表格，而不是空模板。';
  if (/必填|必须填写|必须同时填写/.test(r)) return `在第 ${p.line} 行填写“${col}”，这一格不能空着。`;
  if (/身份证/.test(r + col)) return '核对身份证号：18 位，最后一位可能是 X；从身份证原件抄录，不要用科学计数法显示。';
  if (/银行卡|卡号/.test(r + col)) return '核对银行卡号：按工资卡上的号码完整填写，单元格设为文本格式，避免末尾变成 0。';
  if (/信用代码/.test(r + col)) return '核对统一社会信用代码：18 位，与营业执照一致。';
  if (/日期|月份/.test(r + col)) return '日期写成 2026-11-28，月份写成 2026-11；单元格设为文本格式或日期格式。';
  if (/金额|工资|元|扣款/.test(r + col)) return '金额以元为单位，最多两位小数，不要带“元”或千分位以外的符号；实发工资 = 应发工资 − 代扣款项。';
  if (/天数|出勤/.test(r + col)) return '出勤天数写数字，最多两位小数，不超过当月天数。';
  if (/重复/.test(r)) return '同一人同一项目同一月只能有一行：合并或删除重复的行。';
  if (/项目编号/.test(r + col)) return '项目编号须与本页项目列表中的编号完全一致。';
  if (/早于|晚于|不晚于/.test(r)) return '核对这两个日期的先后顺序。';
  return '按提示核对这一格的内容，改正后重新上传整个文件（文件只会整体接受或整体退回）。';
}

export interface SubmissionOut {
  readonly id: number;
  readonly submittedAt: string;
  readonly submitter: string;
  readonly uscc: string;
  readonly unitName: string | null;
  readonly kind: string;
  readonly fileName: string;
  readonly status: 'accepted' | 'rejected' | 'duplicate';
  readonly batchId: number | null;
  readonly problemCount: number;
  readonly problems: PortalProblem[];
  readonly projectCodes: string[];
  /** the signed wage tables (本人签字确认) attached to the months of the batch this submission made */
  readonly confirmations: ConfirmationView[];
}

export function submissionOut(r: SubmissionRow, unitName: string | null, confirmations: ConfirmationView[] = []): SubmissionOut {
  return {
    id: r.id,
    submittedAt: r.submitted_at,
    submitter: r.submitter,
    uscc: r.uscc,
    unitName,
    kind: r.kind,
    fileName: r.file_name,
    status: r.status,
    batchId: r.batch_id,
    problemCount: r.problem_count,
    problems: JSON.parse(r.problems) as PortalProblem[],
    projectCodes: JSON.parse(r.project_codes) as string[],
    confirmations,
  };
}

/** Submissions newest first with the signed tables of their batches; `href` names the download the caller may use. */
export async function listSubmissions(deps: PortalDeps, filter: { uscc: string | null; status?: string | null; limit: number }, href: FileHref = portalFileHref): Promise<SubmissionOut[]> {
  const rows = await deps.store.portal.submissions(filter);
  const names = await deps.store.portal.unitNames([...new Set(rows.map((r) => r.uscc))]);
  const batchIds = [...new Set(rows.map((r) => r.batch_id).filter((b): b is number => b !== null))];
  const confirmations = await confirmationViews(deps.store, { batchIds, limit: 10_000 }, href);
  // a duplicate submission points at the batch it repeats: the signed tables show on the accepted one
  return rows.map((r) => submissionOut(r, names.get(r.uscc) ?? null, r.status === 'accepted' ? confirmations.filter((c) => c.batchId === r.batch_id) : []));
}

export type SubmitResult =
  | { readonly status: 'accepted'; readonly submission: SubmissionOut; readonly batch: BatchSummary }
  | { readonly status: 'duplicate'; readonly submission: SubmissionOut }
  | { readonly status: 'rejected'; readonly submission: SubmissionOut; readonly warnings: readonly string[] };

/**
 * Files one upload for the principal's unit through the importer. A file naming a project that is not the
 * unit's is refused with a 403 and nothing is written at all; any other problem rejects the file (nothing
 * imported) and the rejection is kept as a submission with its problems and their fixes.
 */
export async function submitFile(deps: PortalDeps, principal: Principal, input: { kind: string; fileName: string; bytes: Buffer }): Promise<SubmitResult> {
  const uscc = unitOf(principal);
  if (!isPortalKind(input.kind)) throw new ApiError(400, 'INVALID_KIND', `报送门户只接收工资表（payroll）和花名册（roster），不接收“${input.kind}”`);
  if (input.bytes.length === 0) throw new ApiError(400, 'FILE_MISSING', '上传的文件是空的');
  const projects = await deps.store.portal.projectsOfUnit(uscc);
  const allowed = new Set(projects.map((p) => p.code));
  // where the unit is only an employer (a subcontractor): roster changes for its own workers only (条例 第三十条:
  // the subcontractor answers for its workers' real-name records), and no wage table — a wage table replaces
  // the project-month whole, and the subcontractor hands its table to the general contractor, who files the
  // project's (第三十一条, to confirm)
  const employerOnly = new Set(projects.filter((p) => !p.is_contractor).map((p) => p.code));
  const employerScope = employerOnly.size > 0 ? { uscc, projects: employerOnly } : undefined;
  const seen = new Set<string>();
  const now = deps.now();
  const outcome = await importFile(deps.store, {
    kind: input.kind,
    fileName: input.fileName,
    source: { buffer: input.bytes },
    actor: `${principal.name}（${uscc}）`,
    now,
    allowedProjects: allowed,
    employerScope,
    projectsSeen: seen,
  });
  if (outcome.status === 'rejected') {
    const foreign = outcome.problems.filter((p) => /不是贵单位/.test(p.reason));
    if (foreign.length > 0) {
      throw new ApiError(403, 'PROJECT_NOT_YOURS', `文件中有 ${foreign.length} 行的项目不是贵单位总承包或用工的项目：整个文件未被接收，未写入任何数据`, {
        problems: foreign.map((p) => ({ ...p, hint: fixHint(p) })),
      });
    }
  }
  const base = {
    submitted_at: now,
    token_id: principal.tokenId,
    submitter: principal.name,
    uscc,
    kind: input.kind,
    file_name: maskText(input.fileName),
    project_codes: JSON.stringify([...seen].sort()),
  };
  if (outcome.status === 'rejected') {
    const problems = outcome.problems.map((p) => ({ ...p, hint: fixHint(p) }));
    // a problem quotes the cell as written (an identity or card number among them): stored masked
    const id = await deps.store.portal.insertSubmission({ ...base, status: 'rejected', batch_id: null, problem_count: problems.length, problems: maskText(JSON.stringify(problems)) });
    return { status: 'rejected', submission: await one(deps, id, uscc), warnings: outcome.warnings };
  }
  const id = await deps.store.portal.insertSubmission({
    ...base,
    status: outcome.status === 'imported' ? 'accepted' : 'duplicate',
    batch_id: outcome.batch.id,
    problem_count: 0,
    problems: '[]',
  });
  const submission = await one(deps, id, uscc);
  return outcome.status === 'imported' ? { status: 'accepted', submission, batch: outcome.batch } : { status: 'duplicate', submission };
}

async function one(deps: PortalDeps, id: number, uscc: string): Promise<SubmissionOut> {
  const rows = await listSubmissions(deps, { uscc, limit: 50 });
  return rows.find((r) => r.id === id)!;
}

/** The template's header row: the Chinese column names, required ones first as in DATA-FORMATS.md order. */
export function templateHeader(kind: PortalKind): string[] {
  return COLUMNS_BY_KIND[kind].map((c) => c.zh);
}

/** A CSV template: UTF-8 with BOM (Excel opens it as Chinese), the header row only. */
export function templateCsv(kind: PortalKind): Buffer {
  return Buffer.from(`\uFEFF${templateHeader(kind).join(',')}\r\n`, 'utf8');
}

/** An .xlsx template: one sheet, the header row, text-formatted columns (identity and card numbers stay whole). */
export async function templateXlsx(kind: PortalKind): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '护薪';
  const ws = wb.addWorksheet(kind === 'payroll' ? '工资表' : '花名册');
  const header = templateHeader(kind);
  ws.columns = header.map((h) => ({ header: h, width: Math.max(12, h.length * 3), style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
