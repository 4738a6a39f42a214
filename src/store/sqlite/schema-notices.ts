/**
 * 通知 — the notice outbox (src/services/notices): one row per notice to one address over one channel. A
 * notice is written `pending` when its event happens (an order to pay issued, a case opened, the nightly
 * LABOR_COST_SHORT finding appearing, a warning assigned) and delivered later by `huxin notices send`, the
 * nightly job or the server's schedule: each attempt either marks it `sent`, or `failed` with the error and
 * the time of the next attempt (backoff), or `gave_up` after the maximum number of attempts.
 *
 * The body is rendered when the notice is written (templates: src/services/notices/templates.ts) and never
 * holds a full identity or card number. The address is personal data: the API masks it for roles other
 * than the supervisor.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const notices = sqliteTable(
  'notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** what the notice is about and to whom, once: e.g. `order:12:project:3:labor_officer:email` (a repeat is not queued again) */
    dedupeKey: text('dedupe_key').notNull(),
    /** labor_officer | project_manager | owner_contact | inspector */
    recipientRole: text('recipient_role').notNull(),
    /** the recipient's name as imported (may be null) */
    recipientName: text('recipient_name'),
    /** email | sms */
    channel: text('channel').notNull(),
    /** the e-mail address or the mobile number */
    address: text('address').notNull(),
    /** template code (templates.ts) */
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    projectId: integer('project_id'),
    orderId: integer('order_id'),
    caseId: integer('case_id'),
    /** a warning (or flag) reference from the code that queued it */
    warningRef: text('warning_ref'),
    /** pending | sent | failed | gave_up */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** ISO instant: when the next attempt is due (null once sent or given up) */
    nextAttemptAt: text('next_attempt_at'),
    lastError: text('last_error'),
    sentAt: text('sent_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('notices_dedupe').on(t.dedupeKey),
    index('notices_due').on(t.state, t.nextAttemptAt),
    index('notices_project').on(t.projectId, t.id),
  ],
);

/**
 * 监察员联系方式 — where notices to an inspector go, by the name their token carries (`huxin notices contact
 * <姓名> --email … --phone …`). A warning assigned to that name queues a notice to these addresses.
 */
export const inspectorContacts = sqliteTable('inspector_contacts', {
  name: text('name').primaryKey(),
  email: text('email'),
  phone: text('phone'),
  updatedAt: text('updated_at').notNull(),
});
