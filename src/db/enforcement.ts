/**
 * Data access for the enforcement tables (schema-enforcement.ts): rows as plain objects, and the listings
 * turned into the rules core's BlacklistEntry facts. Plain prepared statements: these tables are small.
 */
import type { IsoDate } from '../domain/date.ts';
import { entryOfListing, type ListingSteps } from '../rules/blacklistListing.ts';
import type { BlacklistEntry } from '../rules/facts.ts';
import type { Db } from './open.ts';

export interface OrderRow {
  id: number;
  employer_uscc: string;
  issued_on: string;
  deadline: string;
  case_id: number | null;
  ordered_fen: number;
  actor: string;
  reason: string;
  created_at: string;
  withdrawn_at: string | null;
}

export interface OrderItemRow {
  id: number;
  order_id: number;
  project_id: number;
  id_number: string;
  month: string;
  amount_fen: number;
  fingerprint: string | null;
  finding_id: number | null;
  project_code: string;
  name: string | null;
}

export interface CaseRow {
  id: number;
  employer_uscc: string;
  project_id: number;
  title: string;
  stage: string;
  stage_since: string;
  accepted_on: string | null;
  final_award: number | null;
  procedure: string | null;
  circumstances: string;
  routing: string;
  claimed_fen: number;
  agreed_fen: number | null;
  paid_fen: number;
  created_at: string;
  created_by: string;
  filed_on: string;
}

export interface CaseItemRow {
  id: number;
  case_id: number;
  project_id: number;
  id_number: string;
  month: string;
  claimed_fen: number;
  fingerprint: string | null;
  project_code: string;
  name: string | null;
}

export interface CaseEventRow {
  id: number;
  case_id: number;
  kind: string;
  on: string;
  from_stage: string | null;
  to_stage: string | null;
  amount_fen: number | null;
  id_number: string | null;
  bank_ref: string | null;
  actor: string;
  reason: string;
  at: string;
  detail: string;
}

export interface ListingRow {
  id: number;
  uscc: string;
  name: string;
  order_id: number | null;
  incident_id: number | null;
  criterion: string;
  order_deadline: string;
  status: string;
  persons: string;
  complex: number;
  noticed_on: string | null;
  statement_on: string | null;
  objection: number;
  corrected_on: string | null;
  pledge_on: string | null;
  decided_on: string | null;
  decision: string | null;
  published_on: string | null;
  removal_applied_on: string | null;
  removal_decided_on: string | null;
  removed_on: string | null;
  defaulted_again: number;
  criminal_case: number;
  restored_on: string | null;
  revoked_on: string | null;
  revocation_ground: string | null;
  created_at: string;
  created_by: string;
}

export interface ListingStepRow {
  id: number;
  listing_id: number;
  step: string;
  on: string;
  actor: string;
  reason: string;
  at: string;
  detail: string;
}

export interface IncidentRow {
  id: number;
  employer_uscc: string;
  project_id: number | null;
  kind: string;
  occurred_on: string;
  description: string;
  actor: string;
  at: string;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export function getOrderRow(db: Db, id: number): OrderRow | undefined {
  return db.$client.prepare('SELECT * FROM inspection_orders WHERE id = ?').get(id) as OrderRow | undefined;
}

export function orderItems(db: Db, orderId: number): OrderItemRow[] {
  return db.$client
    .prepare(
      `SELECT i.*, p.code AS project_code, w.name AS name FROM inspection_order_items i JOIN projects p ON p.id = i.project_id
       LEFT JOIN workers w ON w.id_number = i.id_number WHERE i.order_id = ? ORDER BY i.project_id, i.month, i.id_number`,
    )
    .all(orderId) as OrderItemRow[];
}

export function getCaseRow(db: Db, id: number): CaseRow | undefined {
  return db.$client.prepare('SELECT * FROM wage_cases WHERE id = ?').get(id) as CaseRow | undefined;
}

export function caseItems(db: Db, caseId: number): CaseItemRow[] {
  return db.$client
    .prepare(
      `SELECT i.*, p.code AS project_code, w.name AS name FROM wage_case_items i JOIN projects p ON p.id = i.project_id
       LEFT JOIN workers w ON w.id_number = i.id_number WHERE i.case_id = ? ORDER BY i.project_id, i.month, i.id_number`,
    )
    .all(caseId) as CaseItemRow[];
}

export function caseEvents(db: Db, caseId: number): CaseEventRow[] {
  return db.$client.prepare('SELECT * FROM wage_case_events WHERE case_id = ? ORDER BY id').all(caseId) as CaseEventRow[];
}

export function getListingRow(db: Db, id: number): ListingRow | undefined {
  return db.$client.prepare('SELECT * FROM blacklist_listings WHERE id = ?').get(id) as ListingRow | undefined;
}

export function listingSteps(db: Db, listingId: number): ListingStepRow[] {
  return db.$client.prepare('SELECT * FROM blacklist_steps WHERE listing_id = ? ORDER BY id').all(listingId) as ListingStepRow[];
}

export function getIncidentRow(db: Db, id: number): IncidentRow | undefined {
  return db.$client.prepare('SELECT * FROM arrears_incidents WHERE id = ?').get(id) as IncidentRow | undefined;
}

/** The recorded dates of a listing, as the rules read them. */
export function stepsOfListing(r: ListingRow): ListingSteps {
  return {
    orderDeadline: r.order_deadline as IsoDate,
    noticedOn: opt(r.noticed_on) as IsoDate | undefined,
    statementOn: opt(r.statement_on) as IsoDate | undefined,
    objection: Boolean(r.objection),
    correctedOn: opt(r.corrected_on) as IsoDate | undefined,
    pledgeOn: opt(r.pledge_on) as IsoDate | undefined,
    decidedOn: opt(r.decided_on) as IsoDate | undefined,
    decision: opt(r.decision) as ListingSteps['decision'],
    complex: Boolean(r.complex),
    publishedOn: opt(r.published_on) as IsoDate | undefined,
    removalAppliedOn: opt(r.removal_applied_on) as IsoDate | undefined,
    removalDecidedOn: opt(r.removal_decided_on) as IsoDate | undefined,
    removedOn: opt(r.removed_on) as IsoDate | undefined,
    defaultedAgain: Boolean(r.defaulted_again),
    criminalCase: Boolean(r.criminal_case),
    restoredOn: opt(r.restored_on) as IsoDate | undefined,
    revokedOn: opt(r.revoked_on) as IsoDate | undefined,
    revocationGround: opt(r.revocation_ground) as ListingSteps['revocationGround'],
  };
}

/**
 * 名单事实 — every decided listing as a BlacklistEntry (from the decision day to the end of the term or the
 * removal), with the listing row as its evidence. Feeds BLACKLISTED_PARTY and the deposit-rate raise.
 */
export function loadBlacklistEntries(db: Db): BlacklistEntry[] {
  // a read-only connection to a database not yet migrated has no listings table: nothing is listed there
  const exists = db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blacklist_listings'").get();
  if (!exists) return [];
  const rows = db.$client.prepare("SELECT * FROM blacklist_listings WHERE decision = 'listed' ORDER BY id").all() as ListingRow[];
  const out: BlacklistEntry[] = [];
  for (const r of rows) {
    const e = entryOfListing({ uscc: r.uscc, name: r.name, steps: stepsOfListing(r), reason: `名单办法第五条（${r.criterion === 'amount' ? '拖欠数额达到数额较大标准' : '引发群体性或极端事件'}），列入决定书 #${r.id}` });
    if (e) out.push({ ...e, ref: { table: 'blacklist_entries', id: r.id, batchId: 0, line: 0 } });
  }
  return out;
}

/** A worker-month's key: project id, identity number, month. */
export const workerMonthKey = (projectId: number, idNumber: string, month: string): string => `${projectId}|${idNumber}|${month}`;

export interface WorkerMonthEnforcement {
  /** orders in force (not withdrawn) naming the worker-month, oldest first */
  readonly orders: { readonly id: number; readonly issuedOn: string; readonly deadline: string }[];
  /** cases not closed naming the worker-month, oldest first */
  readonly cases: { readonly id: number; readonly stage: string; readonly filedOn: string }[];
}

/**
 * 责令与案件 — for every worker-month of the given projects, the orders in force and the open cases that
 * name it (a flag shows the order or case it is in; a second one is refused). Keyed by workerMonthKey.
 */
export function enforcementOfProjects(db: Db, projectIds: readonly number[]): Map<string, WorkerMonthEnforcement> {
  const out = new Map<string, { orders: WorkerMonthEnforcement['orders']; cases: WorkerMonthEnforcement['cases'] }>();
  const ids = [...new Set(projectIds)];
  const at = (k: string) => {
    let e = out.get(k);
    if (!e) out.set(k, (e = { orders: [], cases: [] }));
    return e;
  };
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const q = chunk.map(() => '?').join(', ');
    const orders = db.$client
      .prepare(
        `SELECT i.project_id, i.id_number, i.month, o.id, o.issued_on, o.deadline FROM inspection_order_items i JOIN inspection_orders o ON o.id = i.order_id
          WHERE o.withdrawn_at IS NULL AND i.project_id IN (${q}) ORDER BY o.id`,
      )
      .all(...chunk) as { project_id: number; id_number: string; month: string; id: number; issued_on: string; deadline: string }[];
    for (const r of orders) {
      const e = at(workerMonthKey(r.project_id, r.id_number, r.month));
      if (!e.orders.some((o) => o.id === r.id)) e.orders.push({ id: r.id, issuedOn: r.issued_on, deadline: r.deadline });
    }
    const cases = db.$client
      .prepare(
        `SELECT i.project_id, i.id_number, i.month, c.id, c.stage, c.filed_on FROM wage_case_items i JOIN wage_cases c ON c.id = i.case_id
          WHERE c.stage <> 'closed' AND i.project_id IN (${q}) ORDER BY c.id`,
      )
      .all(...chunk) as { project_id: number; id_number: string; month: string; id: number; stage: string; filed_on: string }[];
    for (const r of cases) {
      const e = at(workerMonthKey(r.project_id, r.id_number, r.month));
      if (!e.cases.some((c) => c.id === r.id)) e.cases.push({ id: r.id, stage: r.stage, filedOn: r.filed_on });
    }
  }
  return out;
}
