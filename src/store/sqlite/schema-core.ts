/**
 * The database schema (drizzle, SQLite dialect). Migrations in /migrations are generated from this file
 * by `npm run db:generate` and applied by open.ts whenever a database is opened.
 *
 * Conventions
 * - Money is integer fen (`*_fen` columns). Dates are ISO text `YYYY-MM-DD`, months `YYYY-MM`.
 * - Every fact row records the import batch and the file line it came from (`batch_id`, `line`), so each
 *   figure can be traced to its file. A re-import that replaces rows does not delete them: it stamps
 *   `superseded_by` with the replacing batch, and the partial unique indexes only hold for current rows
 *   (`superseded_by IS NULL`). History stays; "current" is one predicate.
 * - Identity numbers are stored whole (the rules need them); masking happens at every output boundary.
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** 导入批次 — one imported file. */
export const importBatches = sqliteTable(
  'import_batches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    actor: text('actor').notNull(),
    importedAt: text('imported_at').notNull(),
    encoding: text('encoding').notNull(),
    /** data rows read (after skipped title/total rows) */
    rowCount: integer('row_count').notNull(),
    inserted: integer('inserted').notNull(),
    /** rows of earlier batches this batch superseded */
    replaced: integer('replaced').notNull(),
    /** JSON: what was replaced, e.g. [{ "projectCode": "XT-1", "month": "2026-10", "rows": 12, "batchIds": [3] }] */
    replacedDetail: text('replaced_detail').notNull().default('[]'),
    /** JSON array of Chinese warning strings (skipped title rows, unknown columns …) */
    warnings: text('warnings').notNull().default('[]'),
  },
  (t) => [uniqueIndex('import_batches_kind_sha').on(t.kind, t.sha256)],
);

/** 用人单位 — an employer (owner, contractor or subcontractor), keyed by its 统一社会信用代码. */
export const employers = sqliteTable('employers', {
  uscc: text('uscc').primaryKey(),
  name: text('name').notNull(),
  /** 法定代表人 — recorded with enforcement work */
  legalRepresentative: text('legal_representative'),
});

/** 工程项目 — a construction project. */
export const projects = sqliteTable(
  'projects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    county: text('county').notNull(),
    ownerUscc: text('owner_uscc').notNull(),
    contractorUscc: text('contractor_uscc').notNull(),
    contractAmountFen: integer('contract_amount_fen').notNull(),
    contractSignedOn: text('contract_signed_on').notNull(),
    startDate: text('start_date').notNull(),
    plannedEndDate: text('planned_end_date'),
    completionDate: text('completion_date'),
    governmentFunded: integer('government_funded', { mode: 'boolean' }).notNull(),
    wageAccountNo: text('wage_account_no'),
    wageAccountBank: text('wage_account_bank'),
    wageAccountOpenedOn: text('wage_account_opened_on'),
    /** 专用账户注销日期 (条例 第二十七条) */
    wageAccountClosedOn: text('wage_account_closed_on'),
    /** 注销前无拖欠公示开始日期 */
    wageAccountNoticeOn: text('wage_account_notice_on'),
    payDay: integer('pay_day').notNull(),
    monthlyLaborCostFen: integer('monthly_labor_cost_fen'),
    // 通知联系人 (notices): the contractor's labour-affairs officer and project manager, the owner's contact
    laborOfficerName: text('labor_officer_name'),
    laborOfficerPhone: text('labor_officer_phone'),
    laborOfficerEmail: text('labor_officer_email'),
    projectManagerName: text('project_manager_name'),
    projectManagerPhone: text('project_manager_phone'),
    projectManagerEmail: text('project_manager_email'),
    ownerContactName: text('owner_contact_name'),
    ownerContactPhone: text('owner_contact_phone'),
    ownerContactEmail: text('owner_contact_email'),
    // —— 建设单位义务 (issue 19 item 6; null = the file did not state it) ——
    /** 工程款支付担保 (条例 第二十四条): 1 provided, 0 not */
    paymentGuarantee: integer('payment_guarantee', { mode: 'boolean' }),
    /** 维权信息告示牌 (条例 第三十四条): 1 set up on site, 0 not */
    rightsNoticeBoard: integer('rights_notice_board', { mode: 'boolean' }),
    /** 劳资专管员 (条例 第二十八条第二款): 1 on site, 0 not */
    laborOfficer: integer('labor_officer', { mode: 'boolean' }),
    /** 建设单位未结清的工程款 (条例 第二十九条: the limit of the owner's advance), fen */
    unpaidContractFen: integer('unpaid_contract_fen'),
    /** the day the unpaid contract money was stated for */
    unpaidContractOn: text('unpaid_contract_on'),
    /** 总承包人为个人或不具备合法经营资格 (条例 第三十六条): 1 yes, 0 no */
    contractorUnqualified: integer('contractor_unqualified', { mode: 'boolean' }),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
  },
  (t) => [uniqueIndex('projects_code').on(t.code), index('projects_county').on(t.county)],
);

/**
 * 承包单位信用记录 — what the bureau holds on a general contractor beyond the system's projects (issue 19 item 1;
 * import kind contractor_records), one item a row; a file's rows for a contractor supersede its earlier rows.
 */
export const contractorRecords = sqliteTable(
  'contractor_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    contractorUscc: text('contractor_uscc').notNull(),
    /** records_held (from_date: the record is complete from this day) | arrears | listing | compliance */
    recordType: text('record_type', { enum: ['records_held', 'arrears', 'listing', 'compliance'] }).notNull(),
    fromDate: text('from_date').notNull(),
    /** arrears: the day settled (last day owed); listing: the day removed; null = still open */
    toDate: text('to_date'),
    projectName: text('project_name'),
    note: text('note'),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    supersededBy: integer('superseded_by'),
  },
  (t) => [index('contractor_records_uscc').on(t.contractorUscc).where(sql`superseded_by IS NULL`)],
);

/** 农民工 — a worker, keyed by identity number; the name is the latest roster name. */
export const workers = sqliteTable('workers', {
  idNumber: text('id_number').primaryKey(),
  name: text('name').notNull(),
});

/** 实名制花名册 — a roster entry: one worker's stay on one project. */
export const rosterEntries = sqliteTable(
  'roster_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id').notNull(),
    idNumber: text('id_number').notNull(),
    name: text('name').notNull(),
    employerUscc: text('employer_uscc').notNull(),
    team: text('team'),
    trade: text('trade'),
    entryDate: text('entry_date').notNull(),
    exitDate: text('exit_date'),
    contractSigned: integer('contract_signed', { mode: 'boolean' }).notNull(),
    /** 未成年工登记 (未成年工特殊保护规定 第九条): 1 registered with the labour office, 0 not, null = not stated */
    juvenileRegistered: integer('juvenile_registered', { mode: 'boolean' }),
    /** 计薪方式: daily | monthly | piece */
    wageBasis: text('wage_basis', { enum: ['daily', 'monthly', 'piece'] }).notNull(),
    wageRateFen: integer('wage_rate_fen'),
    bankCard: text('bank_card').notNull(),
    bankName: text('bank_name'),
    phone: text('phone'),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    supersededBy: integer('superseded_by'),
  },
  (t) => [
    uniqueIndex('roster_key').on(t.projectId, t.idNumber, t.entryDate).where(sql`superseded_by IS NULL`),
    index('roster_worker').on(t.idNumber),
  ],
);

/** 工资支付表 — one worker's line in a project's monthly wage table (what is owed). */
export const payrollRows = sqliteTable(
  'payroll_rows',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id').notNull(),
    month: text('month').notNull(),
    idNumber: text('id_number').notNull(),
    name: text('name').notNull(),
    /** 出勤天数 in hundredths of a day (21.5 days → 2150), exact like money */
    daysWorkedCenti: integer('days_worked_centi').notNull(),
    grossFen: integer('gross_fen').notNull(),
    deductionsFen: integer('deductions_fen').notNull(),
    netFen: integer('net_fen').notNull(),
    workerConfirmed: integer('worker_confirmed', { mode: 'boolean' }).notNull(),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    supersededBy: integer('superseded_by'),
  },
  (t) => [
    // one line per worker per month in a project's current wage table; a duplicate line in a file trips it
    uniqueIndex('payroll_key').on(t.projectId, t.month, t.idNumber).where(sql`superseded_by IS NULL`),
    // a worker's months on every project; with the project and the supersession the cross-project days' aggregate
    // (FactsRepo.crossProjectDaysFor: which workers are on more than one wage table) reads this index alone
    index('payroll_worker_month').on(t.idNumber, t.month, t.projectId, t.supersededBy),
  ],
);

/** 工资发放记录 — a payment actually made to a worker for a wage month. */
export const payments = sqliteTable(
  'payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id').notNull(),
    month: text('month').notNull(),
    idNumber: text('id_number').notNull(),
    payeeName: text('payee_name').notNull(),
    payeeCard: text('payee_card'),
    amountFen: integer('amount_fen').notNull(),
    paidOn: text('paid_on').notNull(),
    /** 发放方式: dedicated_account (专户代发) | other_transfer (其他转账) | cash (现金) */
    channel: text('channel', { enum: ['dedicated_account', 'other_transfer', 'cash'] }).notNull(),
    bankRef: text('bank_ref'),
    /** 退回日期 — the bank returned the transfer that day (closed card, wrong name): from then it is not paid */
    returnedOn: text('returned_on'),
    /** 退回原因 */
    returnReason: text('return_reason'),
    /** natural key: bank_ref for bank channels; for cash, a digest of all fields */
    naturalKey: text('natural_key').notNull(),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    supersededBy: integer('superseded_by'),
  },
  (t) => [
    uniqueIndex('payments_key').on(t.projectId, t.naturalKey).where(sql`superseded_by IS NULL`),
    index('payments_project_month').on(t.projectId, t.month, t.idNumber),
  ],
);

/** 专用账户流水 — a transaction on the project's dedicated wage account. */
export const accountTransactions = sqliteTable(
  'account_transactions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id').notNull(),
    txDate: text('tx_date').notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    amountFen: integer('amount_fen').notNull(),
    /** 交易用途: labor_cost (人工费用拨付) | wages (工资代发) | wage_return (工资退回: a wage transfer the bank returned) | other (其他) */
    purpose: text('purpose', { enum: ['labor_cost', 'wages', 'wage_return', 'other'] }).notNull(),
    counterparty: text('counterparty'),
    bankRef: text('bank_ref').notNull(),
    /** 原银行流水号 — for a wage_return inflow: the bank reference of the returned wage transfer */
    originalBankRef: text('original_bank_ref'),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    supersededBy: integer('superseded_by'),
  },
  (t) => [uniqueIndex('account_tx_key').on(t.projectId, t.bankRef).where(sql`superseded_by IS NULL`)],
);

/** 工资保证金 — a guarantee-deposit event. */
export const depositEvents = sqliteTable(
  'deposit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id').notNull(),
    /** 业务类型: deposit (存储) | use (动用) | replenish (补足) | refund (返还) */
    event: text('event', { enum: ['deposit', 'use', 'replenish', 'refund'] }).notNull(),
    /** 保证形式: cash (现金) | bank_guarantee (银行保函) | insurance (保证保险) */
    form: text('form', { enum: ['cash', 'bank_guarantee', 'insurance'] }).notNull(),
    amountFen: integer('amount_fen').notNull(),
    date: text('date').notNull(),
    expiresOn: text('expires_on'),
    voucherNo: text('voucher_no').notNull(),
    /** 返还: 无拖欠公示开始日期 (保证金规定 第二十二条) */
    noticeOn: text('notice_on'),
    batchId: integer('batch_id').notNull(),
    line: integer('line').notNull(),
    supersededBy: integer('superseded_by'),
  },
  (t) => [uniqueIndex('deposit_key').on(t.projectId, t.voucherNo).where(sql`superseded_by IS NULL`)],
);

/** 审计日志 — every write, with its actor; append-only (no route updates or deletes it). */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    reason: text('reason'),
    /** JSON detail of what changed */
    detail: text('detail').notNull().default('{}'),
  },
  (t) => [index('audit_at').on(t.at)],
);

/** API bearer tokens (issued by `huxin token create`); only a SHA-256 of the secret is stored. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** importer | inspector | supervisor | viewer | contractor */
    role: text('role', { enum: ['importer', 'inspector', 'supervisor', 'viewer', 'contractor'] }).notNull(),
    /** contractor tokens: the unit's unified social credit code (统一社会信用代码); null for bureau roles */
    uscc: text('uscc'),
    tokenHash: text('token_hash').notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    expiresAt: text('expires_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash)],
);

/**
 * 页面会话 — a signed-in browser (src/api/session.ts). The cookie holds a random session id of its own, never
 * the API token; only its SHA-256 is stored. A session ends when idle too long, at its absolute expiry, on
 * logout (revoked_at), or when its token is revoked.
 */
export const pageSessions = sqliteTable(
  'page_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionHash: text('session_hash').notNull(),
    tokenId: integer('token_id').notNull(),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    /** absolute end (ISO instant), whatever the activity */
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('page_sessions_hash').on(t.sessionHash), index('page_sessions_token').on(t.tokenId)],
);

/**
 * Server secrets kept with the data they protect (one row per purpose), e.g. the key of the opaque worker
 * ids (src/api/workerRef.ts): random, created on first use, never shown.
 */
export const serverSecrets = sqliteTable('server_secrets', {
  name: text('name').primaryKey(),
  /** base64 */
  secret: text('secret').notNull(),
  createdAt: text('created_at').notNull(),
});

/*
 * The findings and assessments of each evaluated day (findings, project_assessments, recompute_runs) are no
 * longer tables: they are views over the evaluation state (src/store/sqlite/schema-evaluation.ts), defined
 * in migrations/sqlite/0005_state_views.sql, so a reader that asks for day D gets the versions valid on D.
 */

/** 预警处理 — an inspector's resolution or dismissal of a flag (by fingerprint), with the reason. */
export const flagReviews = sqliteTable('flag_reviews', {
  fingerprint: text('fingerprint').primaryKey(),
  status: text('status', { enum: ['resolved', 'dismissed'] }).notNull(),
  reason: text('reason').notNull(),
  actor: text('actor').notNull(),
  at: text('at').notNull(),
});

/** 夜间报告 — the nightly report for a date, as its canonical JSON. */
export const reports = sqliteTable('reports', {
  asOf: text('as_of').primaryKey(),
  createdAt: text('created_at').notNull(),
  json: text('json').notNull(),
});

/**
 * 任务锁 — a lease that keeps two nightly runs from overlapping, across processes. A holder renews
 * `expires_at`; a lease past it belongs to a run that died and may be taken over.
 */
export const jobLocks = sqliteTable('job_locks', {
  name: text('name').primaryKey(),
  owner: text('owner').notNull(),
  acquiredAt: text('acquired_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});

/** 任务记录 — each attempt of a scheduled job, with its outcome (failures are kept for the log). */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    asOf: text('as_of').notNull(),
    attempt: integer('attempt').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
    error: text('error'),
  },
  (t) => [index('job_runs_job_as_of').on(t.job, t.asOf)],
);
