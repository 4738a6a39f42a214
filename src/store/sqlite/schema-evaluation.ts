/**
 * 评估状态 — the rules core's results kept as state, not as daily copies (docs/STORAGE.md).
 *
 * - `finding_versions`: one row per version of a flag, valid from `valid_from` until `valid_to` (exclusive;
 *   NULL = still valid). The flags of day D are `valid_from <= D AND (valid_to IS NULL OR valid_to > D)`.
 *   Day-dependent text is not stored: the sentence is a template the reader fills in for the day shown.
 * - `project_states`: each project's current evaluation (what it read, when it can next change by date,
 *   its assessment, report part and ledger digest; the ledger itself by month in `ledger_months`); `project_outcomes`: the assessment and report part by period.
 * - `citations`: each distinct legal basis + parameters, stored once and referenced by findings.
 * - `project_versions`: a counter per project bumped by every write to its facts, in the writer's own
 *   transaction (imports, registries, listings): an evaluation records the version it read.
 * - `fact_snapshots`: the facts of a project as the rules read them, encoded by column, with the version
 *   they were built from (rows stay the truth; a stale snapshot is ignored and rebuilt).
 * - `nights` / `night_chunks` / `night_results`: a night cut into chunks, each chunk's results staged as it
 *   finishes (by this process or by `huxin worker night` processes on PostgreSQL), applied in one transaction.
 * The project id leads every key (a province partitions by it).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** 评估日 — a day the city was evaluated for. */
export const evaluatedDays = sqliteTable('evaluated_days', {
  asOf: text('as_of').primaryKey(),
  computedAt: text('computed_at').notNull(),
  /** full: every project; incremental: only those whose inputs or dates changed */
  mode: text('mode', { enum: ['full', 'incremental'] }).notNull(),
  projectCount: integer('project_count').notNull(),
  evaluatedCount: integer('evaluated_count').notNull(),
  changedCount: integer('changed_count').notNull(),
  findingCount: integer('finding_count').notNull(),
  paramsVersion: text('params_version').notNull(),
  /** JSON: [{ code, message }] what limits the figures (a missing holiday schedule …) */
  warnings: text('warnings').notNull().default('[]'),
});

/** 项目当前评估 — one row per project: its latest evaluation. */
export const projectStates = sqliteTable(
  'project_states',
  {
    projectId: integer('project_id').primaryKey(),
    projectCode: text('project_code').notNull(),
    county: text('county').notNull(),
    /** the day this evaluation was made for */
    evaluatedOn: text('evaluated_on').notNull(),
    factsVersion: integer('facts_version').notNull(),
    paramsVersion: text('params_version').notNull(),
    /** the first day after evaluated_on on which the outcome can change by date alone; NULL = none */
    nextChange: text('next_change'),
    /** a digest of the findings and the outcome: unchanged → nothing is written */
    resultHash: text('result_hash').notNull(),
    riskScore: integer('risk_score').notNull(),
    arrearsFen: integer('arrears_fen').notNull(),
    workersInArrears: integer('workers_in_arrears').notNull(),
    /** the due date of the oldest unpaid month (overdue days are counted from it when read) */
    oldestDueDate: text('oldest_due_date'),
    exposureFen: integer('estimated_exposure_fen').notNull(),
    findingCount: integer('finding_count').notNull(),
    /** JSON: the assessment (risk terms, deposit requirement and holdings, rules not applied) */
    assessment: text('assessment').notNull(),
    /** JSON: the project's contribution to the nightly report */
    reportPart: text('report_part').notNull(),
    /** a digest of the project's ledger months (ledger_months); NULL = no ledger stored (not evaluated, or a database upgraded since) */
    ledgerHash: text('ledger_hash'),
    /** why the rules could not evaluate the project; NULL when evaluated */
    problem: text('problem'),
  },
  (t) => [index('project_states_next_change').on(t.nextChange), index('project_states_risk').on(t.riskScore, t.projectCode)],
);

/**
 * 项目台账月份 — the current evaluation's worker-month ledger, one row per project and month: the month's
 * lines by column (JSON, the codec of src/store/factsCodec.ts) and their digest. A night rewrites only the
 * months whose lines changed (on a pay day, typically one month of twelve), not the project's whole ledger.
 */
export const ledgerMonths = sqliteTable(
  'ledger_months',
  {
    projectId: integer('project_id').notNull(),
    month: text('month').notNull(),
    /** the month's ledger lines by column, JSON gzipped and base64 (packedJson.ts; overdue days are counted from the due date when read) */
    lines: text('lines').notNull(),
    /** a digest of `lines`: a night compares it, never the lines */
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ name: 'ledger_months_pk', columns: [t.projectId, t.month] })],
);

/** 项目评估历史 — a project's assessment and report part by period. */
export const projectOutcomes = sqliteTable(
  'project_outcomes',
  {
    projectId: integer('project_id').notNull(),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to'),
    riskScore: integer('risk_score').notNull(),
    arrearsFen: integer('arrears_fen').notNull(),
    workersInArrears: integer('workers_in_arrears').notNull(),
    oldestDueDate: text('oldest_due_date'),
    exposureFen: integer('estimated_exposure_fen').notNull(),
    findingCount: integer('finding_count').notNull(),
    assessment: text('assessment').notNull(),
    reportPart: text('report_part').notNull(),
    problem: text('problem'),
    contentHash: text('content_hash').notNull(),
  },
  (t) => [primaryKey({ name: 'project_outcomes_pk', columns: [t.projectId, t.validFrom] }), index('project_outcomes_valid_to').on(t.validTo)],
);

/**
 * 评估分项片段 — a large member of a project outcome's report part (names of employers and workers, the
 * month figures …), stored once by its digest: an outcome version keeps `{"#part": hash}` in its place, so a
 * project whose figures change on a pay day writes a version of the members that changed, not its whole
 * report part again (project_outcomes; the current state's report part stays whole in project_states).
 */
export const outcomeParts = sqliteTable('outcome_parts', {
  hash: text('hash').primaryKey(),
  /** the member's JSON text, as the report part held it */
  doc: text('doc').notNull(),
});

/** 法律依据与参数 — a legal basis and the parameters a finding used, stored once. */
export const citations = sqliteTable(
  'citations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hash: text('hash').notNull(),
    /** JSON: { document, article, advisory } */
    legalBasis: text('legal_basis').notNull(),
    /** JSON: the dated parameters used, with their sources */
    params: text('params').notNull(),
  },
  (t) => [uniqueIndex('citations_hash').on(t.hash)],
);

/** 预警版本 — one version of a flag, valid over a period. */
export const findingVersions = sqliteTable(
  'finding_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to'),
    code: text('code').notNull(),
    severity: text('severity', { enum: ['critical', 'high', 'medium', 'low'] }).notNull(),
    /** the project's, for the queue's order and filters (kept with the project's current evaluation) */
    projectCode: text('project_code').notNull(),
    county: text('county').notNull(),
    riskScore: integer('risk_score').notNull(),
    /** 4 critical · 3 high · 2 medium · 1 low (the queue orders by it) */
    severityRank: integer('severity_rank').notNull(),
    idNumber: text('id_number'),
    month: text('month'),
    /** the worker's direct employer in the month (the general contractor for project flags) */
    employerUscc: text('employer_uscc'),
    amountFen: integer('amount_fen'),
    /** the day from which overdue days are counted (wage flags), for the reader */
    dueDate: text('due_date'),
    /** the sentence, with {{asOf}} and {{daysSince:YYYY-MM-DD}} filled in when read */
    sentence: text('sentence').notNull(),
    citationId: integer('citation_id').notNull(),
    /** JSON: evidence rows [{ table, id, batchId, line }] */
    evidence: text('evidence').notNull(),
    contentHash: text('content_hash').notNull(),
  },
  (t) => [
    uniqueIndex('finding_versions_key').on(t.projectId, t.fingerprint, t.validFrom),
    index('finding_versions_project').on(t.projectId, t.validTo),
    index('finding_versions_fingerprint').on(t.fingerprint),
    index('finding_versions_from').on(t.validFrom),
    // no index on valid_to alone: the planner would take it for the queue's `valid_to IS NULL` and sort
    // the review queue: current flags in the queue's order (highest project risk, then severity, project, id)
    index('finding_versions_queue')
      .on(sql`risk_score DESC`, sql`severity_rank DESC`, t.projectCode, t.id)
      .where(sql`valid_to IS NULL`),
    index('finding_versions_worker').on(t.idNumber).where(sql`valid_to IS NULL`),
    // the day's counts by county, code and severity when the day is the latest (daily_flag_counts): read from
    // this index alone, 85 ms for the 2,000-project city's 747,675 current flags (the aggregate over every
    // version valid on the day read the table: 0.7–1.6 s a night, growing with the history)
    index('finding_versions_counts').on(t.county, t.code, t.severity, t.amountFen).where(sql`valid_to IS NULL`),
  ],
);

/**
 * 每日预警计数 — the flags valid on each evaluated day by county, code and severity, for trends and the
 * dashboard (the latest day's rows are the current counts; reviews are few and joined when read).
 */
export const dailyFlagCounts = sqliteTable(
  'daily_flag_counts',
  {
    asOf: text('as_of').notNull(),
    county: text('county').notNull(),
    code: text('code').notNull(),
    severity: text('severity').notNull(),
    n: integer('n').notNull(),
    amountFen: integer('amount_fen').notNull(),
  },
  (t) => [primaryKey({ name: 'daily_flag_counts_pk', columns: [t.asOf, t.county, t.code, t.severity] })],
);

/** 事实版本 — bumped by every write to a project's facts. */
export const projectVersions = sqliteTable('project_versions', {
  projectId: integer('project_id').primaryKey(),
  factsVersion: integer('facts_version').notNull(),
});

/** 事实快照 — a project's facts as the rules read them, by column, with the version they were built from. */
export const factSnapshots = sqliteTable('fact_snapshots', {
  projectId: integer('project_id').primaryKey(),
  factsVersion: integer('facts_version').notNull(),
  /** the codec's format version: a snapshot of an older format is ignored */
  format: integer('format').notNull(),
  facts: text('facts').notNull(),
});

/**
 * 夜间评估 — one night being evaluated (status `open`; at most one at a time) or applied (a small log row
 * kept per night). Its plan key says what the plan rested on, so a night interrupted before its apply is
 * resumed only when a fresh plan would be the same (docs/STORAGE.md "Staged nights").
 */
export const nights = sqliteTable(
  'nights',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    asOf: text('as_of').notNull(),
    mode: text('mode', { enum: ['full', 'incremental'] }).notNull(),
    /** D lies before the latest evaluated day: the results are spliced into the history */
    past: integer('past', { mode: 'boolean' }).notNull(),
    paramsVersion: text('params_version').notNull(),
    /** a digest of everything the plan read (facts versions, states, the last applied night, the options) */
    planKey: text('plan_key').notNull(),
    status: text('status', { enum: ['open', 'applied', 'superseded'] }).notNull(),
    projectCount: integer('project_count').notNull(),
    chunkCount: integer('chunk_count').notNull(),
    /** JSON: ids of projects with a state that no longer exist */
    removed: text('removed').notNull(),
    plannedAt: text('planned_at').notNull(),
    appliedAt: text('applied_at'),
  },
  (t) => [uniqueIndex('nights_one_open').on(t.status).where(sql`status = 'open'`)],
);

/** 夜间分块 — one chunk of a night's projects (a general contractor's projects together), claimed by a worker. */
export const nightChunks = sqliteTable(
  'night_chunks',
  {
    nightId: integer('night_id').notNull(),
    chunkNo: integer('chunk_no').notNull(),
    /** JSON: the project ids */
    projectIds: text('project_ids').notNull(),
    /** JSON: each project's facts version when the night was planned (same order) */
    plannedVersions: text('planned_versions').notNull(),
    status: text('status', { enum: ['pending', 'done'] }).notNull(),
    /** who evaluated it (host:pid) */
    worker: text('worker'),
    doneAt: text('done_at'),
    /** projects evaluated */
    evaluated: integer('evaluated'),
    /** JSON: [{ projectId, projectCode, message }] projects the rules could not evaluate */
    problems: text('problems'),
  },
  (t) => [primaryKey({ name: 'night_chunks_pk', columns: [t.nightId, t.chunkNo] })],
);

/** 夜间结果 — a chunk's encoded results (differences with the state, or a past day's results), until the apply. */
export const nightResults = sqliteTable(
  'night_results',
  {
    nightId: integer('night_id').notNull(),
    chunkNo: integer('chunk_no').notNull(),
    /** the chunk's ProjectDelta[] (ProjectResult[] for a past day): JSON, gzipped, base64 (src/services/night/stage.ts) */
    results: text('results').notNull(),
  },
  (t) => [primaryKey({ name: 'night_results_pk', columns: [t.nightId, t.chunkNo] })],
);
