/**
 * What the nightly report needs from enforcement (COMPLIANCE.md §6): cases past a statutory deadline, orders
 * past their date still unpaid, blacklist changes between two days, and rectifications overdue. Read-only, deterministic for the same
 * data and dates (no clock), ordered by id. Money as yuan strings, like the report.
 */
import type { IsoDate } from '../../domain/date.ts';
import { daysBetween } from '../../domain/date.ts';
import { formatYuan, type Fen } from '../../domain/money.ts';
import { stepsOf } from '../../store/repos/facts.ts';
import type { Store } from '../../store/store.ts';
import { termEnd, termStart } from '../../rules/blacklistListing.ts';
import { STAGE_ZH, type CaseStage } from '../../rules/cases.ts';
import type { Severity } from '../../rules/flags.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import { deriveWarnings, parseWarningKey, rectificationState, WARNING_PROBLEM_ZH, type WarningProblem } from '../../rules/warnings.ts';
import { caseDeadlines } from './cases.ts';
import { employerNameOf, type Judge } from './common.ts';
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

/** A unit's name by its credit code ('' when not in the registry), so every list of units shows the name beside the code. */
const nameOf = async (store: Store, uscc: string): Promise<string> => (await employerNameOf(store, uscc)) ?? '';

/**
 * Open cases (not closed or withdrawn) whose current stage has a deadline before `asOf` (`j`: the store and
 * the parameters in force — src/services/enforcement/common.ts judgeOf — whose calendar counts the days).
 */
export async function casesPastDeadline(j: Judge, asOf: IsoDate): Promise<CasePastDeadline[]> {
  const out: CasePastDeadline[] = [];
  for (const id of await j.store.cases.openIds()) {
    const row = (await j.store.cases.get(id))!;
    for (const d of await caseDeadlines(j, row, asOf)) {
      if (d.past !== true || d.due === null) continue;
      out.push({
        caseId: id,
        title: row.title,
        employerUscc: row.employer_uscc,
        employerName: await nameOf(j.store, row.employer_uscc),
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
export async function ordersPastDue(j: Judge, asOf: IsoDate): Promise<OrderPastDue[]> {
  const out: OrderPastDue[] = [];
  for (const id of await j.store.orders.idsPastDeadline(asOf)) {
    const row = (await j.store.orders.get(id))!;
    const e = await evaluateStoredOrder(j, row, asOf);
    if (e.status !== 'expired_unpaid') continue;
    out.push({
      orderId: id,
      employerUscc: row.employer_uscc,
      employerName: await nameOf(j.store, row.employer_uscc),
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
export async function blacklistChanges(store: Store, from: IsoDate, to: IsoDate): Promise<BlacklistChange[]> {
  const out: BlacklistChange[] = [];
  for (const s of await store.listings.changesBetween(from, to)) {
    const change =
      s.step === 'publish'
        ? 'published'
        : s.step === 'removal'
          ? 'removed'
          : s.step === 'restore'
            ? 'restored'
            : s.step === 'revoke'
              ? 'revoked'
              : s.detail.decision === 'listed'
                ? 'listed'
                : 'not_listed';
    out.push({ listingId: s.listing_id, uscc: s.uscc, name: s.name, change, on: s.on, actor: s.actor, reason: s.reason });
  }
  for (const l of await store.listings.decidedListed()) {
    const s = stepsOf(l);
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
export async function rectificationsOverdue(store: Store, asOf: IsoDate, params: RulesParams): Promise<RectificationOverdue[]> {
  const rows = await store.storedDays.overdueRectifications(asOf);
  if (rows.length === 0) return [];
  const projectIds = [...new Set(rows.map((r) => r.project_id))];
  const flags = await store.storedDays.openFlagsAt(projectIds, asOf);
  const warnings = deriveWarnings(
    flags.map((f) => ({ id: f.id, code: f.code, severity: f.severity as Severity, projectId: f.project_id, idNumber: f.id_number, month: f.month, amount: f.amount_fen as Fen | null, dueDate: f.due_date as IsoDate | null })),
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
