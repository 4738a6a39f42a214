/**
 * 预警整改 — the closing loop of a project warning (issue 18, point 3): assigned to an inspector with a
 * rectification deadline in working days, verified against the next evaluated facts, closed (销号) with a
 * reason and evidence, reopened by the night when the facts show the problem again. One row per warning
 * key holds the current state; `warning_steps` is the append-only history (each step is audited too).
 * Overdue days are never stored: they are counted from `deadline` when read.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const warningRectifications = sqliteTable(
  'warning_rectifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** the warning's key (src/rules/warnings.ts): p{projectId}-{problem}[-{month}] */
    warningKey: text('warning_key').notNull(),
    projectId: integer('project_id').notNull(),
    problem: text('problem').notNull(),
    /** open: being rectified (also after a reopening); closed: 销号 */
    status: text('status', { enum: ['open', 'closed'] }).notNull(),
    assignee: text('assignee').notNull(),
    assignedOn: text('assigned_on').notNull(),
    workingDays: integer('working_days').notNull(),
    deadline: text('deadline').notNull(),
    closedOn: text('closed_on'),
    closeReason: text('close_reason'),
    closeEvidence: text('close_evidence'),
    closedBy: text('closed_by'),
    reopenedOn: text('reopened_on'),
    reopenCount: integer('reopen_count').notNull().default(0),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('warning_rectifications_key').on(t.warningKey), index('warning_rectifications_project').on(t.projectId, t.status)],
);

export const warningSteps = sqliteTable(
  'warning_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    rectificationId: integer('rectification_id').notNull(),
    /** assign | reassign | close | reopen */
    step: text('step').notNull(),
    on: text('on').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    detail: text('detail').notNull().default('{}'),
    at: text('at').notNull(),
  },
  (t) => [index('warning_steps_rectification').on(t.rectificationId)],
);
