/**
 * 工资表签字确认 — the signed wage table of a project-month (issue 20 point 5): the general contractor attaches
 * the scan of the table its workers signed (本人签字确认; 条例 第三十一条) to the month; it is kept with the
 * accepted wage-table batch of that month (the batch the month's current rows came from) and with the portal
 * submission of that batch, and the bureau sees it beside the submission. Downloads are audited
 * (src/api/routes/portal.ts). Only a month whose wage table is on file can take one.
 */
import { ApiError } from '../../api/errors.ts';
import { appendAudit } from '../../api/audit.ts';
import type { Principal } from '../../api/roles.ts';
import type { Store } from '../../store/store.ts';
import type { FileMeta } from '../../store/repos/portal.ts';
import { type FileHref, fileView, type FileView, portalFileHref } from './answers.ts';
import type { CheckedFile } from './files.ts';
import { unitOf } from './unit.ts';

export interface ConfirmationView {
  id: number;
  project: { code: string; name: string };
  month: string;
  batchId: number;
  submissionId: number | null;
  uscc: string;
  submitter: string;
  attachedAt: string;
  file: FileView;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Attaches the signed table of `month` on project `code` (one of the unit's, as its general contractor). */
export async function attachSignedTable(store: Store, principal: Principal, input: { projectCode: string; month: string; file: CheckedFile }, now: string): Promise<ConfirmationView> {
  const uscc = unitOf(principal);
  if (!MONTH.test(input.month)) throw new ApiError(400, 'INVALID_MONTH', `月份“${input.month}”格式不正确，应写成 2026-10`);
  const project = (await store.portal.projectsOfUnit(uscc)).find((p) => p.code === input.projectCode);
  // another unit's project reads like one that does not exist
  if (!project) throw new ApiError(404, 'NOT_FOUND', `项目 ${input.projectCode}不存在，或不是本单位的项目`);
  if (!project.is_contractor) throw new ApiError(403, 'NOT_GENERAL_CONTRACTOR', '签字确认的工资表由施工总承包单位上传：请把本单位工人签字的工资表交给总承包单位');
  const id = await store.tx(async (tx) => {
    const batchId = await tx.uploads.wageTableBatch(project.id, input.month);
    if (batchId === null) throw new ApiError(409, 'NO_WAGE_TABLE', `${input.month} 的工资表尚未报送（或未被接收）：请先在“工资表报送”页上传该月工资表，再附签字确认的扫描件`);
    const fileId = await tx.uploads.insertFile({
      uploadedAt: now,
      tokenId: principal.tokenId,
      submitter: principal.name,
      uscc,
      projectId: project.id,
      purpose: 'signed_table',
      responseId: null,
      fileName: input.file.fileName,
      mediaType: input.file.mediaType,
      sha256: input.file.sha256,
      content: input.file.content,
    });
    const submissionId = await tx.uploads.submissionOfBatch(batchId);
    const cid = await tx.uploads.insertConfirmation({
      project_id: project.id,
      month: input.month,
      batch_id: batchId,
      submission_id: submissionId,
      file_id: fileId,
      uscc,
      token_id: principal.tokenId,
      submitter: principal.name,
      attached_at: now,
    });
    await appendAudit(tx, {
      at: now,
      actor: `${principal.name}（${uscc}）`,
      action: 'signed_table_attach',
      entity: 'portal_confirmation',
      entityId: cid,
      detail: { project: project.code, month: input.month, batchId, submissionId, fileId, mediaType: input.file.mediaType, size: input.file.content.length, sha256: input.file.sha256 },
    });
    return cid;
  });
  return (await confirmationViews(store, { projectIds: [project.id], limit: 500 }, portalFileHref)).find((c) => c.id === id)!;
}

/** Signed tables newest first (of some projects, or of some batches), with their files (no bytes). */
export async function confirmationViews(store: Store, filter: { projectIds?: readonly number[]; batchIds?: readonly number[]; limit: number }, href: FileHref): Promise<ConfirmationView[]> {
  const rows = await store.uploads.confirmations(filter);
  const files = new Map<number, FileMeta>((await store.uploads.filesByIds(rows.map((r) => r.file_id))).map((f) => [f.id, f]));
  const projects = await store.uploads.projectNames([...new Set(rows.map((r) => r.project_id))]);
  return rows.map((r) => ({
    id: r.id,
    project: projects.get(r.project_id) ?? { code: String(r.project_id), name: '' },
    month: r.month,
    batchId: r.batch_id,
    submissionId: r.submission_id,
    uscc: r.uscc,
    submitter: r.submitter,
    attachedAt: r.attached_at,
    file: fileView(files.get(r.file_id)!, href),
  }));
}

/** The unit's signed tables (its projects as general contractor). */
export async function unitConfirmations(store: Store, uscc: string, limit: number): Promise<ConfirmationView[]> {
  const ids = (await store.portal.projectsOfUnit(uscc)).filter((p) => p.is_contractor).map((p) => p.id);
  const rows = await confirmationViews(store, { projectIds: ids, limit }, portalFileHref);
  return rows.filter((r) => r.uscc === uscc);
}

/**
 * A stored file for download, audited: the unit's own files for a contractor (anything else is a 404 that
 * reads like a missing file), any file for the bureau.
 */
export async function downloadFile(store: Store, principal: Principal, id: number, now: string): Promise<{ fileName: string; mediaType: string; content: Buffer; id: number }> {
  const file = await store.uploads.fileContent(id);
  const own = principal.role === 'contractor';
  if (!file || (own && file.uscc !== principal.uscc)) throw new ApiError(404, 'NOT_FOUND', `文件 #${id}不存在`);
  await appendAudit(store, {
    at: now,
    actor: own ? `${principal.name}（${principal.uscc}）` : principal.name,
    action: 'portal_file_download',
    entity: 'portal_file',
    entityId: id,
    detail: { purpose: file.purpose, uscc: file.uscc, projectId: file.project_id, responseId: file.response_id, size: file.byte_size, sha256: file.sha256, role: principal.role },
  });
  return { id: file.id, fileName: file.file_name, mediaType: file.media_type, content: file.content };
}
