/**
 * 关联台账 — the linked registries (issue 7; docs/REGISTRIES.md): training, social insurance, housing and
 * care records, keyed by the worker's identity number and, where the file names one, linked to a project.
 *
 * Same conventions as schema.ts: money in fen, ISO dates, every row carries the batch and file line it came
 * from, replacement by natural key stamps `superseded_by` (history stays), and the partial unique index on
 * `natural_key` holds only for current rows. Rows created over the API (a legal-aid referral opened from a
 * wage case) have batch_id 0, line 0 and `created_by` set.
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** 职业技能培训 — one training course or programme a worker attended. Key: (id_number, course, start_date). */
export const trainingRecords = sqliteTable(
  'training_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    idNumber: text('id_number').notNull(),
    name: text('name').notNull(),
    /** the project the training was organised for, if any */
    projectId: integer('project_id'),
    course: text('course').notNull(),
    /** 就业技能培训 employment | 岗位技能提升培训 upgrade | 创业培训 entrepreneurship */
    trainingType: text('training_type', { enum: ['employment', 'upgrade', 'entrepreneurship'] }).notNull(),
    provider: text('provider').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    /** 合格 passed | 不合格 failed | 在训 in_progress; null = not recorded */
    result: text('result', { enum: ['passed', 'failed', 'in_progress'] }),
    /** 职业资格证书 | 职业技能等级证书 | 专项职业能力证书 */
    certificateKind: text('certificate_kind', { enum: ['vocational_qualification', 'skill_level', 'special_ability'] }),
    certificateNo: text('certificate_no'),
    /** 证书职业（工种） — the trade the certificate is for */
    certificateTrade: text('certificate_trade'),
    subsidyFen: integer('subsidy_fen'),
    /** 未申请 none | 已申请 applied | 已发放 paid | 未通过 rejected */
    subsidyStatus: text('subsidy_status', { enum: ['none', 'applied', 'paid', 'rejected'] }),
    naturalKey: text('natural_key').notNull(),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    createdBy: text('created_by'),
    supersededBy: integer('superseded_by'),
  },
  (t) => [
    uniqueIndex('training_key').on(t.naturalKey).where(sql`superseded_by IS NULL`),
    index('training_worker').on(t.idNumber),
  ],
);

/**
 * 社会保险 — a period of insurance of one kind. For work-injury insurance, `project_based` says the cover
 * is 按项目参保 (the general contractor insures everyone on one project) and `project_id` names the project.
 * Key: (id_number, kind, from_date, project code or '').
 */
export const insuranceRecords = sqliteTable(
  'insurance_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    idNumber: text('id_number').notNull(),
    name: text('name').notNull(),
    /** 工伤 injury | 医疗 medical | 养老 pension | 失业 unemployment */
    kind: text('kind', { enum: ['injury', 'medical', 'pension', 'unemployment'] }).notNull(),
    /** 参保地 */
    insuredWhere: text('insured_where').notNull(),
    /** 参保单位 */
    insuredBy: text('insured_by'),
    insuredByUscc: text('insured_by_uscc'),
    fromDate: text('from_date').notNull(),
    /** last day of cover; null = still insured */
    toDate: text('to_date'),
    projectBased: integer('project_based', { mode: 'boolean' }).notNull(),
    projectId: integer('project_id'),
    naturalKey: text('natural_key').notNull(),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    createdBy: text('created_by'),
    supersededBy: integer('superseded_by'),
  },
  (t) => [
    uniqueIndex('insurance_key').on(t.naturalKey).where(sql`superseded_by IS NULL`),
    index('insurance_worker').on(t.idNumber),
    index('insurance_project').on(t.projectId),
  ],
);

/** 住房保障 — a housing application, allocation, rent subsidy or dormitory place. Key: (id_number, kind, applied_on). */
export const housingRecords = sqliteTable(
  'housing_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    idNumber: text('id_number').notNull(),
    name: text('name').notNull(),
    projectId: integer('project_id'),
    /** 公租房申请 rental_application | 公租房配租 rental_allocation | 租赁补贴 rent_subsidy | 集体宿舍 dormitory */
    kind: text('kind', { enum: ['rental_application', 'rental_allocation', 'rent_subsidy', 'dormitory'] }).notNull(),
    /** 已申请 applied | 审核中 reviewing | 已批准 approved | 已配租 allocated | 未通过 rejected | 已退出 ended */
    status: text('status', { enum: ['applied', 'reviewing', 'approved', 'allocated', 'rejected', 'ended'] }).notNull(),
    appliedOn: text('applied_on').notNull(),
    decidedOn: text('decided_on'),
    address: text('address'),
    /** monthly rent or rent subsidy */
    amountFen: integer('amount_fen'),
    householdSize: integer('household_size'),
    /** 本地无自有住房 — eligibility fact; null = not recorded */
    noLocalHousing: integer('no_local_housing', { mode: 'boolean' }),
    /** 在本市工作年限 — eligibility fact */
    yearsInCity: integer('years_in_city'),
    /** 荣誉称号 (劳动模范、优秀农民工 …): a worker with honours is served first */
    honours: text('honours'),
    office: text('office'),
    naturalKey: text('natural_key').notNull(),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    createdBy: text('created_by'),
    supersededBy: integer('superseded_by'),
  },
  (t) => [
    uniqueIndex('housing_key').on(t.naturalKey).where(sql`superseded_by IS NULL`),
    index('housing_worker').on(t.idNumber),
  ],
);

/**
 * 关爱服务 — care for a worker's family (留守儿童/妇女/老人, 随迁子女入学) and legal-aid referrals (法律援助),
 * each with its status and the office responsible. Sensitive: not readable by the viewer role.
 * Key: (id_number, kind, member_name or '', opened_on).
 */
export const careRecords = sqliteTable(
  'care_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    idNumber: text('id_number').notNull(),
    name: text('name').notNull(),
    projectId: integer('project_id'),
    kind: text('kind', {
      enum: ['left_behind_child', 'left_behind_woman', 'left_behind_elderly', 'migrant_child_schooling', 'legal_aid'],
    }).notNull(),
    /** 关爱对象 — the family member (none for a legal-aid referral, which is for the worker) */
    memberName: text('member_name'),
    relation: text('relation'),
    /** 已登记 registered | 已转介 referred | 跟进中 in_progress | 已办结 closed */
    status: text('status', { enum: ['registered', 'referred', 'in_progress', 'closed'] }).notNull(),
    /** 责任单位 */
    office: text('office').notNull(),
    openedOn: text('opened_on').notNull(),
    closedOn: text('closed_on'),
    /** 关联案件编号 — the wage case a legal-aid referral belongs to */
    caseRef: text('case_ref'),
    note: text('note'),
    naturalKey: text('natural_key').notNull(),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    createdBy: text('created_by'),
    supersededBy: integer('superseded_by'),
  },
  (t) => [
    uniqueIndex('care_key').on(t.naturalKey).where(sql`superseded_by IS NULL`),
    index('care_worker').on(t.idNumber),
  ],
);
