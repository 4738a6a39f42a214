/**
 * What the nightly report needs from enforcement (COMPLIANCE.md §6): cases past a statutory deadline, orders
 * past their date still unpaid, blacklist changes between two days, and rectifications overdue. Read-only, deterministic for the same
 * data and dates (no clock), ordered by id. Money as yuan strings, like the report.
 */
import type { IsoDate } from '../../domain/date.ts';
import { daysBetween } from '../../domain/date.ts';
import { formatYuan, type Fen } from '../../domain/money.ts';
import { getCaseRow, getOrderRow, stepsOfListing, type ListingRow } from '../../db/enforcement.ts';
import { openDatabase, type Db } from '../../db/open.ts';
import { Store } from '../../store/store.ts';
import { termEnd, termStart } from '../../rules/blacklistListing.ts';
import { STAGE_ZH, type CaseStage } from '../../rules/cases.ts';
import type { Severity } from '../../rules/flags.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import { deriveWarnings, parseWarningKey, rectificationState, WARNING_PROBLEM_ZH, type WarningProblem } from '../../rules/warnings.ts';
import { caseDeadlines } from './cases.ts';
import { evaluateStoredOrder } from './orders.ts';

export interface CasePastDeadline {
  caseId: number;
  title: string;
  employerUscc: string;
  /** the unit's name as imported (employers), '' when the credit code is not in the registry */
  employerName: string;
  stage: CaseStage;
  stageName: string;
  deadline: { kind: string; name: string; start: string; due: string; extendedDue: string | null; explanation: string };
  daysPast: number;
}

/** A unit's name by its credit code, so every list of units shows the name beside the code. */
function employerNameOf(db: Db, uscc: string): string {
  return (db.$client.prepare('SELECT name FROM employers WHERE uscc = ?').get(uscc) as { name: string } | undefined)?.name ?? '';
}

/** Open cases (not closed or withdrawn) whose current stage has a deadline before `asOf`. */
function casesPastDeadlineOn(db: Db, asOf: IsoDate): CasePastDeadline[] {
  const ids = db.$client.prepare("SELECT id FROM wage_cases WHERE stage NOT IN ('closed', 'withdrawn') ORDER BY id").all() as { id: number }[];
  const out: CasePastDeadline[] = [];
  for (const { id } of ids) {
    const row = getCaseRow(db, id)!;
    for (const d of caseDeadlines(db, row, asOf)) {
      if (d.past !== true || d.due === null) continue;
      out.push({
        caseId: id,
        title: row.title,
        employerUscc: row.employer_uscc,
        employerName: employerNameOf(db, row.employer_uscc),
        stage: row.stage as CaseStage,
        stageName: STAGE_ZH[row.stage as CaseStage],
        deadline: { kind: d.kind, name: d.name, start: d.start, due: d.due, extendedDue: d.extendedDue, explanation: d.explanation },
        daysPast: daysBetween(d.due, asOf),
      });
    }
  }
  return out;
}

export interface OrderPastDue {
  orderId: number;
  employerUscc: string;
  /** the unit's name as imported (employers), '' when the credit code is not in the registry */
  employerName: string;
  issuedOn: string;
  deadline: string;
  daysPast: number;
  ordered: string;
  owed: string;
  proposed: string[];
  sentence: string;
}

/** Orders (not withdrawn) whose deadline is before `asOf` with wages still owed by the ledger as of `asOf`. */
function ordersPastDueOn(db: Db, asOf: IsoDate): OrderPastDue[] {
  const ids = db.$client.prepare('SELECT id FROM inspection_orders WHERE withdrawn_at IS NULL AND deadline < ? ORDER BY id').all(asOf) as { id: number }[];
  const out: OrderPastDue[] = [];
  for (const { id } of ids) {
    const row = getOrderRow(db, id)!;
    const e = evaluateStoredOrder(db, row, asOf);
    if (e.status !== 'expired_unpaid') continue;
    out.push({
      orderId: id,
      employerUscc: row.employer_uscc,
      employerName: employerNameOf(db, row.employer_uscc),
      issuedOn: row.issued_on,
      deadline: row.deadline,
      daysPast: daysBetween(row.deadline as IsoDate, asOf),
      ordered: formatYuan(e.ordered),
      owed: formatYuan(e.owed),
      proposed: e.proposals.filter((p) => p.proposed).map((p) => p.step),
      sentence: e.sentence,
    });
  }
  return out;
}

export interface BlacklistChange {
  listingId: number;
  uscc: string;
  name: string;
  /** listed (decision), published, not_listed, removed (early), expired (term ran out) */
  change: 'listed' | 'published' | 'not_listed' | 'removed' | 'restored' | 'revoked' | 'expired';
  on: string;
  actor: string | null;
  reason: string | null;
}

/**
 * Blacklist changes with a date in (from, to] — the decisions, publications, removals recorded in the steps,
 * and the terms that ran out (the first day off the list, computed). A report for D passes (previous D, D].
 */
function blacklistChangesOn(db: Db, from: IsoDate, to: IsoDate): BlacklistChange[] {
  const out: BlacklistChange[] = [];
  const steps = db.$client
    .prepare(
      `SELECT s.listing_id, s.step, s."on", s.actor, s.reason, s.detail, l.uscc, l.name FROM blacklist_steps s JOIN blacklist_listings l ON l.id = s.listing_id
       WHERE s.step IN ('decision', 'publish', 'removal', 'restore', 'revoke') AND s."on" > ? AND s."on" <= ? ORDER BY s."on", s.id`,
    )
    .all(from, to) as { listing_id: number; step: string; on: string; actor: string; reason: string; detail: string; uscc: string; name: string }[];
  for (const s of steps) {
    const change =
      s.step === 'publish'
        ? 'published'
        : s.step === 'removal'
          ? 'removed'
          : s.step === 'restore'
            ? 'restored'
            : s.step === 'revoke'
              ? 'revoked'
              : (JSON.parse(s.detail) as { decision?: string }).decision === 'listed'
                ? 'listed'
                : 'not_listed';
    out.push({ listingId: s.listing_id, uscc: s.uscc, name: s.name, change, on: s.on, actor: s.actor, reason: s.reason });
  }
  const listed = db.$client.prepare("SELECT * FROM blacklist_listings WHERE decision = 'listed' ORDER BY id").all() as ListingRow[];
  for (const l of listed) {
    const s = stepsOfListing(l);
    if (s.revokedOn) continue; // 第十六条: void, never expires
    const end = termEnd(termStart(s)!);
    if (s.removedOn && s.removedOn < end) continue;
    if (end > from && end <= to) out.push({ listingId: l.id, uscc: l.uscc, name: l.name, change: 'expired', on: end, actor: null, reason: '名单期限3年届满，自动移出（名单办法第十一条）' });
  }
  return out.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.listingId - b.listingId));
}

/** 整改逾期 — a warning assigned for rectification whose deadline passed before D while D's facts still show it. */
export interface RectificationOverdue {
  warningKey: string;
  projectCode: string;
  projectName: string;
  problem: string;
  problemName: string;
  /** the wage month (拖欠工资 warnings) */
  month: string | null;
  employerUscc: string;
  employerName: string;
  assignee: string;
  assignedOn: string;
  deadline: string;
  daysPast: number;
  reopenCount: number;
}

/**
 * The rectifications overdue at D (issue 18 point 3): assigned on or before D, not closed at D, deadline
 * before D, and the warning still present in D's open flags — judged by the same pure rules the queue uses
 * (rules/warnings.ts: deriveWarnings, rectificationState), over the flags valid at D not reviewed.
 */
function rectificationsOverdueOn(db: Db, asOf: IsoDate, params: RulesParams): RectificationOverdue[] {
  const rows = db.$client
    .prepare(
      `SELECT r.warning_key, r.project_id, r.problem, r.assignee, r.assigned_on, r.deadline, r.reopen_count,
              p.code AS project_code, p.name AS project_name, p.contractor_uscc, COALESCE(e.name, '') AS contractor_name
         FROM warning_rectifications r JOIN projects p ON p.id = r.project_id LEFT JOIN employers e ON e.uscc = p.contractor_uscc
        WHERE r.assigned_on <= ? AND r.deadline < ? AND (r.status = 'open' OR r.closed_on > ?)
        ORDER BY r.deadline, r.warning_key`,
    )
    .all(asOf, asOf, asOf) as {
    warning_key: string; project_id: number; problem: string; assignee: string; assigned_on: string; deadline: string; reopen_count: number;
    project_code: string; project_name: string; contractor_uscc: string; contractor_name: string;
  }[];
  if (rows.length === 0) return [];
  const projectIds = [...new Set(rows.map((r) => r.project_id))];
  const flags = db.$client
    .prepare(
      `SELECT fv.id, fv.code, fv.severity, fv.project_id, fv.id_number, fv.month, fv.amount_fen, fv.due_date
         FROM finding_versions fv
        WHERE fv.project_id IN (SELECT value FROM json_each(?)) AND fv.valid_from <= ? AND (fv.valid_to IS NULL OR fv.valid_to > ?)
          AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = fv.fingerprint)`,
    )
    .all(JSON.stringify(projectIds), asOf, asOf) as {
    id: number; code: string; severity: Severity; project_id: number; id_number: string | null; month: string | null; amount_fen: number | null; due_date: string | null;
  }[];
  const warnings = deriveWarnings(
    flags.map((f) => ({ id: f.id, code: f.code, severity: f.severity, projectId: f.project_id, idNumber: f.id_number, month: f.month, amount: f.amount_fen as Fen | null, dueDate: f.due_date as IsoDate | null })),
    asOf,
    params,
  );
  const present = new Set(warnings.filter((w) => w.persists).map((w) => w.key));
  const out: RectificationOverdue[] = [];
  for (const r of rows) {
    const { state, overdueDays } = rectificationState({ status: 'open', deadline: r.deadline as IsoDate }, present.has(r.warning_key), asOf);
    if (state !== 'overdue') continue;
    out.push({
      warningKey: r.warning_key,
      projectCode: r.project_code,
      projectName: r.project_name,
      problem: r.problem,
      problemName: WARNING_PROBLEM_ZH[r.problem as WarningProblem] ?? r.problem,
      month: parseWarningKey(r.warning_key)?.month ?? null,
      employerUscc: r.contractor_uscc,
      employerName: r.contractor_name,
      assignee: r.assignee,
      assignedOn: r.assigned_on,
      deadline: r.deadline,
      daysPast: overdueDays,
      reopenCount: r.reopen_count,
    });
  }
  return out;
}

// ——— BRIDGE (ports-svc, until the enforcement port lands: take that branch's async(store) functions) ———
// The report reads these through the store. A store over a SQLite file reads them on a handle of its own on
// that file; on PostgreSQL they can only be empty so far (no enforcement record can be written there yet).

async function viaFloor<T>(target: Store, empty: T, fn: (db: Db) => T): Promise<T> {
  if (target.engine === 'postgres') {
    const r = await target.sql.get<{ n: number }>(
      `SELECT (SELECT count(*) FROM wage_cases) + (SELECT count(*) FROM inspection_orders) + (SELECT count(*) FROM blacklist_listings)
            + (SELECT count(*) FROM warning_rectifications) AS n`,
    );
    if (Number(r?.n ?? 0) === 0) return empty;
    throw new Error('enforcement sections on PostgreSQL come with the enforcement port');
  }
  const db = openDatabase(target.location);
  try {
    return fn(db);
  } finally {
    db.$client.close();
  }
}

export function casesPastDeadline(db: Db, asOf: IsoDate): CasePastDeadline[];
export function casesPastDeadline(store: Store, asOf: IsoDate): Promise<CasePastDeadline[]>;
export function casesPastDeadline(t: Db | Store, asOf: IsoDate): CasePastDeadline[] | Promise<CasePastDeadline[]> {
  return t instanceof Store ? viaFloor(t, [], (db) => casesPastDeadlineOn(db, asOf)) : casesPastDeadlineOn(t, asOf);
}

export function ordersPastDue(db: Db, asOf: IsoDate): OrderPastDue[];
export function ordersPastDue(store: Store, asOf: IsoDate): Promise<OrderPastDue[]>;
export function ordersPastDue(t: Db | Store, asOf: IsoDate): OrderPastDue[] | Promise<OrderPastDue[]> {
  return t instanceof Store ? viaFloor(t, [], (db) => ordersPastDueOn(db, asOf)) : ordersPastDueOn(t, asOf);
}

export function blacklistChanges(db: Db, from: IsoDate, to: IsoDate): BlacklistChange[];
export function blacklistChanges(store: Store, from: IsoDate, to: IsoDate): Promise<BlacklistChange[]>;
export function blacklistChanges(t: Db | Store, from: IsoDate, to: IsoDate): BlacklistChange[] | Promise<BlacklistChange[]> {
  return t instanceof Store ? viaFloor(t, [], (db) => blacklistChangesOn(db, from, to)) : blacklistChangesOn(t, from, to);
}

export function rectificationsOverdue(db: Db, asOf: IsoDate, params: RulesParams): RectificationOverdue[];
export function rectificationsOverdue(store: Store, asOf: IsoDate, params: RulesParams): Promise<RectificationOverdue[]>;
export function rectificationsOverdue(t: Db | Store, asOf: IsoDate, params: RulesParams): RectificationOverdue[] | Promise<RectificationOverdue[]> {
  return t instanceof Store ? viaFloor(t, [], (db) => rectificationsOverdueOn(db, asOf, params)) : rectificationsOverdueOn(t, asOf, params);
}
