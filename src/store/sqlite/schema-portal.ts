/**
 * 报送 — the contractor portal's submissions (issue 20): every file a contractor's labour-affairs officer
 * sent, accepted or rejected, with who sent it (token and name), for which unit (uscc) and when. An accepted
 * submission points at its import batch; a rejected one keeps its problem list (the importer wrote nothing).
 */
import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const portalSubmissions = sqliteTable(
  'portal_submissions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submittedAt: text('submitted_at').notNull(),
    tokenId: integer('token_id').notNull(),
    submitter: text('submitter').notNull(),
    uscc: text('uscc').notNull(),
    /** payroll | roster */
    kind: text('kind').notNull(),
    /** masked like a batch's file name */
    fileName: text('file_name').notNull(),
    /** accepted | rejected | duplicate */
    status: text('status').notNull(),
    batchId: integer('batch_id'),
    problemCount: integer('problem_count').notNull().default(0),
    /** JSON array of the problems (line, column, value, reason, hint) of a rejected file */
    problems: text('problems').notNull().default('[]'),
    /** JSON array of the project codes the file named (accepted files) */
    projectCodes: text('project_codes').notNull().default('[]'),
  },
  (t) => [index('portal_submissions_uscc').on(t.uscc, t.submittedAt), index('portal_submissions_at').on(t.submittedAt)],
);

/**
 * 施工单位上传的文件 — scans a contractor attached: the evidence of a warning's answer (整改凭证) and the signed
 * wage table of a project-month (本人签字确认). Kept in the database itself (a blob on SQLite, bytea on
 * PostgreSQL), so both engines and every backup hold them; only PDF, PNG and JPEG, told by their first bytes.
 */
export const portalFiles = sqliteTable(
  'portal_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    uploadedAt: text('uploaded_at').notNull(),
    tokenId: integer('token_id').notNull(),
    submitter: text('submitter').notNull(),
    uscc: text('uscc').notNull(),
    projectId: integer('project_id').notNull(),
    /** evidence (a warning's answer) | signed_table (a month's signed wage table) */
    purpose: text('purpose').notNull(),
    /** the answer it belongs to (evidence) */
    responseId: integer('response_id'),
    /** masked like a batch's file name */
    fileName: text('file_name').notNull(),
    /** application/pdf | image/png | image/jpeg (from the bytes, not the name) */
    mediaType: text('media_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    content: blob('content', { mode: 'buffer' }).notNull(),
  },
  (t) => [index('portal_files_response').on(t.responseId), index('portal_files_unit').on(t.uscc, t.uploadedAt)],
);

/**
 * 预警答复 — what a contractor did about a warning (已支付 / 已整改 / 情况说明), with its text and evidence files;
 * the inspector accepts it by 销号 or sends it back (退回) with a reason. Each answer and each return is also a
 * step of the warning's closing loop (warning_steps) and an audit entry, written in one transaction.
 */
export const warningResponses = sqliteTable(
  'warning_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    warningKey: text('warning_key').notNull(),
    rectificationId: integer('rectification_id').notNull(),
    projectId: integer('project_id').notNull(),
    uscc: text('uscc').notNull(),
    tokenId: integer('token_id').notNull(),
    submitter: text('submitter').notNull(),
    /** paid 已支付 | rectified 已整改 | explained 情况说明 */
    action: text('action').notNull(),
    /** masked (free text may quote an identity number) */
    body: text('body').notNull(),
    respondedOn: text('responded_on').notNull(),
    respondedAt: text('responded_at').notNull(),
    /** submitted 待核验 | returned 已退回 | accepted 已采纳（销号） */
    status: text('status').notNull(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: text('reviewed_at'),
    reviewReason: text('review_reason'),
  },
  (t) => [index('warning_responses_key').on(t.warningKey, t.id), index('warning_responses_unit').on(t.uscc, t.id)],
);

/**
 * 工资表签字确认 — the signed wage table of a project-month (a scan), attached by the general contractor and
 * kept with the accepted wage-table batch of that month (the batch its current rows came from) and, when the
 * table came through the portal, with that submission.
 */
export const portalConfirmations = sqliteTable(
  'portal_confirmations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id').notNull(),
    month: text('month').notNull(),
    batchId: integer('batch_id').notNull(),
    submissionId: integer('submission_id'),
    fileId: integer('file_id').notNull(),
    uscc: text('uscc').notNull(),
    tokenId: integer('token_id').notNull(),
    submitter: text('submitter').notNull(),
    attachedAt: text('attached_at').notNull(),
  },
  (t) => [index('portal_confirmations_month').on(t.projectId, t.month), index('portal_confirmations_batch').on(t.batchId)],
);
