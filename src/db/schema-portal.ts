/**
 * 报送 — the contractor portal's submissions (issue 20): every file a contractor's labour-affairs officer
 * sent, accepted or rejected, with who sent it (token and name), for which unit (uscc) and when. An accepted
 * submission points at its import batch; a rejected one keeps its problem list (the importer wrote nothing).
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
