/**
 * Enforcement tables (COMPLIANCE.md §5): labour-inspection orders, wage cases with their event history,
 * blacklist listings with each due-process step, and the incidents inspectors record. Every row that a person
 * decides carries the actor, the time and the reason; history is append-only (events and steps are never
 * updated), the current state of a case or listing is a cached summary of its events.
 *
 * Money is integer fen; dates ISO `YYYY-MM-DD`; `*_at` columns are ISO timestamps.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** 责令限期支付 — an order to pay within a deadline, issued by an inspector. */
export const inspectionOrders = sqliteTable(
  'inspection_orders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** the unit ordered to pay (the general contractor by default: 条例 第三十条 先行清偿) */
    employerUscc: text('employer_uscc').notNull(),
    issuedOn: text('issued_on').notNull(),
    deadline: text('deadline').notNull(),
    /** the case the order belongs to, if any */
    caseId: integer('case_id'),
    orderedFen: integer('ordered_fen').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    createdAt: text('created_at').notNull(),
    /** withdrawn by a supervisor (the order then proposes nothing) */
    withdrawnAt: text('withdrawn_at'),
  },
  (t) => [index('inspection_orders_deadline').on(t.deadline), index('inspection_orders_employer').on(t.employerUscc)],
);

/** One worker-month an order names, with the flag it came from. */
export const inspectionOrderItems = sqliteTable(
  'inspection_order_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: integer('order_id').notNull(),
    projectId: integer('project_id').notNull(),
    idNumber: text('id_number').notNull(),
    month: text('month').notNull(),
    amountFen: integer('amount_fen').notNull(),
    fingerprint: text('fingerprint'),
    findingId: integer('finding_id'),
  },
  (t) => [uniqueIndex('inspection_order_items_key').on(t.orderId, t.projectId, t.idNumber, t.month)],
);

/** 欠薪案件 — a claim by one or many workers against an employer. */
export const wageCases = sqliteTable(
  'wage_cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    employerUscc: text('employer_uscc').notNull(),
    /** the main project (items may name others) */
    projectId: integer('project_id').notNull(),
    title: text('title').notNull(),
    /** current stage (the latest transition event) */
    stage: text('stage').notNull(),
    /** the day the current stage began */
    stageSince: text('stage_since').notNull(),
    /** the day the body of the current stage accepted the matter */
    acceptedOn: text('accepted_on'),
    finalAward: integer('final_award', { mode: 'boolean' }),
    procedure: text('procedure'),
    /** intake facts for routing: JSON { employerAbsconded, writtenIou, willingToMediate, enforceableTitle } */
    circumstances: text('circumstances').notNull().default('{}'),
    /** the routing proposed at intake (JSON, with its rules) */
    routing: text('routing').notNull().default('null'),
    claimedFen: integer('claimed_fen').notNull(),
    agreedFen: integer('agreed_fen'),
    paidFen: integer('paid_fen').notNull().default(0),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    filedOn: text('filed_on').notNull(),
  },
  (t) => [index('wage_cases_stage').on(t.stage), index('wage_cases_employer').on(t.employerUscc)],
);

/** The worker-months a case covers. */
export const wageCaseItems = sqliteTable(
  'wage_case_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id').notNull(),
    projectId: integer('project_id').notNull(),
    idNumber: text('id_number').notNull(),
    month: text('month').notNull(),
    claimedFen: integer('claimed_fen').notNull(),
    fingerprint: text('fingerprint'),
  },
  (t) => [uniqueIndex('wage_case_items_key').on(t.caseId, t.projectId, t.idNumber, t.month)],
);

/** 案件事件 — intake, each transition, acceptance, an agreed amount, a payment to a worker; append-only. */
export const wageCaseEvents = sqliteTable(
  'wage_case_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id').notNull(),
    /** intake | transition | accept | agree | pay */
    kind: text('kind').notNull(),
    /** the day it happened (stage start, acceptance, payment …) */
    on: text('on').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage'),
    amountFen: integer('amount_fen'),
    idNumber: text('id_number'),
    bankRef: text('bank_ref'),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    at: text('at').notNull(),
    detail: text('detail').notNull().default('{}'),
  },
  (t) => [index('wage_case_events_case').on(t.caseId)],
);

/** 失信联合惩戒名单 — one listing procedure against a unit (from proposal to removal). */
export const blacklistListings = sqliteTable(
  'blacklist_listings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    orderId: integer('order_id'),
    incidentId: integer('incident_id'),
    /** amount | incident */
    criterion: text('criterion').notNull(),
    orderDeadline: text('order_deadline').notNull(),
    /** proposed | noticed | listed | not_listed | removed | revoked */
    status: text('status').notNull(),
    /** JSON: [{ role, name, idNumber? }] — legal representative and responsible persons listed with the unit */
    persons: text('persons').notNull().default('[]'),
    complex: integer('complex', { mode: 'boolean' }).notNull().default(false),
    noticedOn: text('noticed_on'),
    statementOn: text('statement_on'),
    objection: integer('objection', { mode: 'boolean' }).notNull().default(false),
    correctedOn: text('corrected_on'),
    pledgeOn: text('pledge_on'),
    decidedOn: text('decided_on'),
    decision: text('decision'),
    publishedOn: text('published_on'),
    removalAppliedOn: text('removal_applied_on'),
    removalDecidedOn: text('removal_decided_on'),
    removedOn: text('removed_on'),
    /** 以欺骗等不正当手段移出的，撤销移出、恢复列入之日（名单办法 第十五条）：名单期限自此重新计算 */
    restoredOn: text('restored_on'),
    /** 列入所依据的行政处理决定被撤销或确认违法，撤销列入决定之日（名单办法 第十六条） */
    revokedOn: text('revoked_on'),
    /** annulled (被撤销) | unlawful (被确认违法) */
    revocationGround: text('revocation_ground'),
    defaultedAgain: integer('defaulted_again', { mode: 'boolean' }).notNull().default(false),
    criminalCase: integer('criminal_case', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [index('blacklist_listings_uscc').on(t.uscc)],
);

/** 名单程序步骤 — each recorded step (propose, notice, statement, correction, decision, publication, removal …). */
export const blacklistSteps = sqliteTable(
  'blacklist_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listingId: integer('listing_id').notNull(),
    step: text('step').notNull(),
    on: text('on').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    at: text('at').notNull(),
    detail: text('detail').notNull().default('{}'),
  },
  (t) => [index('blacklist_steps_listing').on(t.listingId), index('blacklist_steps_on').on(t.on)],
);

/** 群体性或极端事件 — recorded by an inspector (名单办法 第五条第二项). */
export const arrearsIncidents = sqliteTable('arrears_incidents', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  employerUscc: text('employer_uscc').notNull(),
  projectId: integer('project_id'),
  /** group | extreme */
  kind: text('kind').notNull(),
  occurredOn: text('occurred_on').notNull(),
  description: text('description').notNull(),
  actor: text('actor').notNull(),
  at: text('at').notNull(),
});
