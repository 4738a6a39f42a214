/**
 * 预警答复 — a contractor answers the bureau's warnings (issue 20 point 3). Its unit sees the warnings of its
 * projects (the portal's scope: general contractor of, or employer on the current roster of) with their
 * rectification deadlines, and records what it did — 已支付 / 已整改 / 情况说明, a text and one or more evidence
 * files. The answer is a step of the warning's closing loop (warning_steps `respond`, audited, one
 * transaction with the answer and its files); the inspector sees it on the warning's page and either closes
 * the warning (销号, which accepts the answers awaiting verification) or sends the answer back (`return`, with
 * a reason), in the same loop. A warning outside the unit's projects answers exactly as one that does not exist.
 */
import { ApiError } from '../../api/errors.ts';
import { maskText } from '../../api/masking.ts';
import type { Principal } from '../../api/roles.ts';
import { shanghaiDateOf, type IsoDate } from '../../domain/date.ts';
import { formatYuan } from '../../domain/money.ts';
import { parseWarningKey, RECTIFICATION_STATE_ZH, rectificationState, WARNING_LEVEL_ZH, WARNING_PROBLEM_ZH, type RectificationState, type Warning, type WarningFlag, type WarningProblem } from '../../rules/warnings.ts';
import type { FileMeta, ResponseRow, UnitProject } from '../../store/repos/portal.ts';
import { maskIdNumber } from '../../domain/idNumber.ts';
import { FLAGS } from '../../rules/flags.ts';
import type { RectificationRow } from '../../store/repos/rectifications.ts';
import type { Store } from '../../store/store.ts';
import { warningsOfDay } from '../warnings.ts';
import type { CheckedFile } from './files.ts';
import { unitOf } from './unit.ts';

export const RESPONSE_ACTIONS = ['paid', 'rectified', 'explained'] as const;
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];
export const RESPONSE_ACTION_ZH: Record<ResponseAction, string> = { paid: '已支付', rectified: '已整改', explained: '情况说明' };
export const RESPONSE_STATUS_ZH: Record<ResponseRow['status'], string> = { submitted: '待核验', returned: '已退回', accepted: '已采纳（已销号）' };

/** A stored file as listed (no bytes): `href` is the API download the caller may use. */
export interface FileView {
  id: number;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  submitter: string;
  href: string;
}

export interface ResponseView {
  id: number;
  key: string;
  action: string;
  actionName: string;
  text: string;
  respondedOn: string;
  respondedAt: string;
  submitter: string;
  uscc: string;
  unitName: string | null;
  status: ResponseRow['status'];
  statusName: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewReason: string | null;
  files: FileView[];
}

/** A warning as its contractor sees it: what it must put right, for whom (numbers masked), and by when. */
export interface PortalWarningView {
  key: string;
  level: string | null;
  levelName: string | null;
  problem: string;
  problemName: string;
  month: string | null;
  project: { code: string; name: string };
  /** 定级理由 */
  reasons: string[];
  /** what the warning is about: its flags' titles */
  issues: string[];
  /**
   * the workers it concerns, so the unit knows whom to put right (identity numbers masked): every worker of
   * the project for its general contractor, only its own workers for an employer on the roster
   */
  workers: { name: string; idNumber: string; items: { issue: string; month: string | null; amount: string | null }[] }[];
  workersInArrears: number;
  arrears: string;
  oldestDueDate: string | null;
  overdueDays: number;
  /** the problem still shows in the facts of the evaluated day */
  present: boolean;
  asOf: string | null;
  rectification: { state: RectificationState; stateName: string; assignee: string; assignedOn: string; deadline: string; overdueDays: number; closedOn: string | null } | null;
  /** an answer can be recorded (the bureau has set a rectification and it is not closed) */
  canRespond: boolean;
  responses: ResponseView[];
}

export type FileHref = (f: FileMeta) => string;
export const portalFileHref: FileHref = (f) => `/api/v1/portal/files/${f.id}`;
export const bureauFileHref: FileHref = (f) => `/api/v1/submissions/files/${f.id}`;

export function fileView(f: FileMeta, href: FileHref): FileView {
  return { id: f.id, fileName: f.file_name, mediaType: f.media_type, size: f.byte_size, sha256: f.sha256, uploadedAt: f.uploaded_at, submitter: f.submitter, href: href(f) };
}

/** The answers to some warnings with their files (one unit's, or every unit's for the bureau). */
export async function responsesOf(store: Store, keys: readonly string[], uscc: string | null, href: FileHref): Promise<ResponseView[]> {
  const rows = await store.uploads.responsesOf(keys, uscc);
  const files = await store.uploads.filesOfResponses(rows.map((r) => r.id));
  const names = await store.portal.unitNames([...new Set(rows.map((r) => r.uscc))]);
  return rows.map((r) => ({
    id: r.id,
    key: r.warning_key,
    action: r.action,
    actionName: RESPONSE_ACTION_ZH[r.action as ResponseAction] ?? r.action,
    text: r.body,
    respondedOn: r.responded_on,
    respondedAt: r.responded_at,
    submitter: r.submitter,
    uscc: r.uscc,
    unitName: names.get(r.uscc) ?? null,
    status: r.status,
    statusName: RESPONSE_STATUS_ZH[r.status] ?? r.status,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    reviewReason: r.review_reason,
    files: files.filter((f) => f.response_id === r.id).map((f) => fileView(f, href)),
  }));
}

function rectOf(r: RectificationRow | undefined, present: boolean, asOf: string | null): PortalWarningView['rectification'] {
  if (!r) return null;
  const { state, overdueDays } = rectificationState({ status: r.status, deadline: r.deadline as IsoDate }, present, (asOf ?? r.assigned_on) as IsoDate);
  return { state, stateName: RECTIFICATION_STATE_ZH[state], assignee: r.assignee, assignedOn: r.assigned_on, deadline: r.deadline, overdueDays, closedOn: r.closed_on };
}

/**
 * The unit's open warnings: those of the evaluated day on its projects whose problem persists or whose
 * rectification is open, and the open rectifications of its projects whose problem is gone (awaiting 销号).
 */
export async function unitWarnings(store: Store, uscc: string, only?: string): Promise<{ asOf: string | null; items: PortalWarningView[] }> {
  return store.snapshot(async (s) => {
    const projects = new Map((await s.portal.projectsOfUnit(uscc)).map((p) => [p.id, p]));
    const wantedProject = only ? parseWarningKey(only)?.projectId : undefined;
    if (only && (wantedProject === undefined || !projects.has(wantedProject))) return { asOf: null, items: [] };
    const day = await warningsOfDay(s, wantedProject !== undefined ? { projectId: wantedProject } : {});
    const mine = day.warnings.filter((w) => projects.has(w.projectId) && (only === undefined || w.key === only));
    const rects = await s.rectifications.byKeys(mine.map((w) => w.key));
    const openGone = (await s.rectifications.list('open')).filter((r) => projects.has(r.project_id) && !mine.some((w) => w.key === r.warning_key) && (only === undefined || r.warning_key === only));
    const shown: { w: Warning | null; r: RectificationRow | undefined; key: string; projectId: number }[] = [
      ...mine.filter((w) => w.persists || rects.get(w.key)?.status === 'open').map((w) => ({ w, r: rects.get(w.key), key: w.key, projectId: w.projectId })),
      ...openGone.map((r) => ({ w: null, r, key: r.warning_key, projectId: r.project_id })),
    ];
    const answers = await responsesOf(s, shown.map((x) => x.key), uscc, portalFileHref);
    const workersOf = await workerLists(s, uscc, shown.flatMap((x) => (x.w ? [x.w] : [])), day.flags, projects);
    const items = shown.map(({ w, r, key, projectId }): PortalWarningView => {
      const p = projects.get(projectId)!;
      const problem = (w?.problem ?? r?.problem ?? parseWarningKey(key)?.problem ?? '') as WarningProblem;
      const present = w?.persists ?? false;
      const rectification = rectOf(r, present, day.asOf);
      return {
        key,
        level: w?.level ?? null,
        levelName: w ? WARNING_LEVEL_ZH[w.level] : null,
        problem,
        problemName: WARNING_PROBLEM_ZH[problem] ?? problem,
        month: w?.month ?? parseWarningKey(key)?.month ?? null,
        project: { code: p.code, name: p.name },
        reasons: w ? [...w.reasons] : [],
        issues: w ? w.codes.map(flagTitle) : [],
        workers: w ? (workersOf.get(key) ?? []) : [],
        workersInArrears: w?.workersInArrears ?? 0,
        arrears: formatYuan(w?.arrears ?? (0 as never)),
        oldestDueDate: w?.oldestDueDate ?? null,
        overdueDays: w?.overdueDays ?? 0,
        present,
        asOf: day.asOf,
        rectification,
        canRespond: r?.status === 'open',
        responses: answers.filter((a) => a.key === key),
      };
    });
    return { asOf: day.asOf, items };
  });
}

const flagTitle = (code: string): string => (FLAGS as Record<string, { title: string }>)[code]?.title ?? code;

/** The workers of each warning the unit may see, with what concerns each (by warning key). */
async function workerLists(
  s: Store,
  uscc: string,
  warnings: readonly Warning[],
  flags: ReadonlyMap<number, WarningFlag>,
  projects: ReadonlyMap<number, UnitProject>,
): Promise<Map<string, PortalWarningView['workers']>> {
  const own = new Map<number, Set<string>>();
  for (const projectId of new Set(warnings.map((w) => w.projectId))) {
    if (!projects.get(projectId)!.is_contractor) own.set(projectId, await s.portal.employeesOn(projectId, uscc));
  }
  const ids = new Set<string>();
  for (const w of warnings) for (const id of w.flagIds) if (flags.get(id)?.idNumber) ids.add(flags.get(id)!.idNumber!);
  const names = await s.warnings.workerNames([...ids]);
  const out = new Map<string, PortalWarningView['workers']>();
  for (const w of warnings) {
    const mine = own.get(w.projectId);
    const byWorker = new Map<string, PortalWarningView['workers'][number]>();
    for (const id of w.flagIds) {
      const f = flags.get(id);
      if (!f?.idNumber || (mine && !mine.has(f.idNumber))) continue;
      let entry = byWorker.get(f.idNumber);
      if (!entry) byWorker.set(f.idNumber, (entry = { name: names.get(f.idNumber) ?? '', idNumber: maskIdNumber(f.idNumber), items: [] }));
      entry.items.push({ issue: flagTitle(f.code), month: f.month, amount: f.amount === null ? null : formatYuan(f.amount) });
    }
    out.set(w.key, [...byWorker.values()]);
  }
  return out;
}

/** One of the unit's warnings, or a 404 that reads the same whether the key exists elsewhere or not at all. */
export async function unitWarning(store: Store, uscc: string, key: string): Promise<PortalWarningView> {
  const found = (await unitWarnings(store, uscc, key)).items[0];
  if (!found) throw new ApiError(404, 'NOT_FOUND', `预警 ${key}不存在，或不是本单位项目的预警`);
  return found;
}

/**
 * 答复 — records what the unit did about a warning: the answer, its files and the closing loop's `respond` step
 * with its audit entry, in one transaction. Only while the warning's rectification is open.
 */
export async function respondToWarning(
  store: Store,
  principal: Principal,
  key: string,
  input: { action: string; text: string; files: readonly CheckedFile[] },
  now: string,
): Promise<PortalWarningView> {
  const uscc = unitOf(principal);
  const before = await unitWarning(store, uscc, key);
  if (!(RESPONSE_ACTIONS as readonly string[]).includes(input.action)) throw new ApiError(400, 'INVALID_ACTION', '请选择答复类型：已支付（paid）、已整改（rectified）或情况说明（explained）');
  const text = input.text.trim();
  if (text === '') throw new ApiError(400, 'TEXT_REQUIRED', '请写明做了什么（如：10月工资已于12月9日通过专户补发到工人本人账户）');
  if (text.length > 2000) throw new ApiError(400, 'TEXT_TOO_LONG', '说明最多 2000 字：详细情况请写在附件里');
  if (input.files.length === 0) throw new ApiError(400, 'EVIDENCE_REQUIRED', '请至少附上一份凭证（转账回单、签字的工资表或合同的扫描件，PDF、PNG 或 JPEG）');
  if (!before.canRespond) throw new ApiError(409, 'NOT_OPEN', before.rectification ? '该预警已销号，无需再答复' : '住建局尚未对该预警下达整改要求（指派整改期限）后才能答复');
  const today = shanghaiDateOf(new Date(now));
  const actor = `${principal.name}（${uscc}）`;
  const body = maskText(text);
  const action = input.action as ResponseAction;
  await store.tx(async (tx) => {
    const rect = await tx.rectifications.byKey(key);
    if (!rect || rect.status !== 'open') throw new ApiError(409, 'NOT_OPEN', '该预警已销号，无需再答复');
    const id = await tx.uploads.insertResponse({
      warning_key: key,
      rectification_id: rect.id,
      project_id: rect.project_id,
      uscc,
      token_id: principal.tokenId,
      submitter: principal.name,
      action,
      body,
      responded_on: today,
      responded_at: now,
    });
    const files = [];
    for (const f of input.files) {
      const fileId = await tx.uploads.insertFile({
        uploadedAt: now,
        tokenId: principal.tokenId,
        submitter: principal.name,
        uscc,
        projectId: rect.project_id,
        purpose: 'evidence',
        responseId: id,
        fileName: f.fileName,
        mediaType: f.mediaType,
        sha256: f.sha256,
        content: f.content,
      });
      files.push({ id: fileId, fileName: f.fileName, mediaType: f.mediaType, size: f.content.length, sha256: f.sha256 });
    }
    await tx.rectifications.recordStep(rect, {
      step: 'respond',
      on: today,
      actor,
      reason: `${RESPONSE_ACTION_ZH[action]}：${body}`.slice(0, 2000),
      detail: { responseId: id, action, uscc, files },
      at: now,
    });
  });
  return unitWarning(store, uscc, key);
}

/**
 * 退回 — the inspector sends a unit's answer back (not enough, or the evidence does not show it): the answer is
 * marked returned with the reason and the loop gets a `return` step (audited), in one transaction.
 */
export async function returnResponse(store: Store, key: string, responseId: number, input: { reason: string }, actor: { name: string }, now: string): Promise<ResponseView> {
  const reason = input.reason.trim();
  if (reason === '') throw new ApiError(400, 'REASON_REQUIRED', '退回必须写明理由（缺少什么、哪里不对）');
  await store.tx(async (tx) => {
    const answer = await tx.uploads.response(responseId);
    if (!answer || answer.warning_key !== key) throw new ApiError(404, 'NOT_FOUND', `预警 ${key}没有答复 #${responseId}`);
    if (answer.status !== 'submitted') throw new ApiError(409, 'ALREADY_REVIEWED', `答复 #${responseId}已${RESPONSE_STATUS_ZH[answer.status]}`);
    const rect = (await tx.rectifications.byKey(key))!;
    await tx.uploads.reviewResponses([responseId], { status: 'returned', by: actor.name, at: now, reason: maskText(reason) });
    await tx.rectifications.recordStep(rect, {
      step: 'return',
      on: shanghaiDateOf(new Date(now)),
      actor: actor.name,
      reason: maskText(reason),
      detail: { responseId, uscc: answer.uscc },
      at: now,
    });
  });
  return (await responsesOf(store, [key], null, bureauFileHref)).find((r) => r.id === responseId)!;
}
