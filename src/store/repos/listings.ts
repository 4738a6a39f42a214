/**
 * 失信联合惩戒名单 — the listing procedures (blacklist_listings: one row per procedure, its recorded dates)
 * and their steps (blacklist_steps). Engine-neutral SQL; booleans read with bool(), JSON checked. What a
 * step may do is the rules' (src/rules/blacklistListing.ts); the listing's dates as the rules read them
 * come from stepsOf (src/store/repos/facts.ts, shared with the night's BLACKLISTED_PARTY facts).
 */
import { Type } from 'typebox';
import { bool, json, type Sql } from '../sql.ts';
import { whereEqual } from './parts.ts';

export interface ListingRow {
  id: number;
  uscc: string;
  name: string;
  order_id: number | null;
  incident_id: number | null;
  criterion: string;
  order_deadline: string;
  status: string;
  persons: unknown[];
  complex: boolean;
  noticed_on: string | null;
  statement_on: string | null;
  objection: boolean;
  corrected_on: string | null;
  pledge_on: string | null;
  decided_on: string | null;
  decision: string | null;
  published_on: string | null;
  removal_applied_on: string | null;
  removal_decided_on: string | null;
  removed_on: string | null;
  defaulted_again: boolean;
  criminal_case: boolean;
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
  detail: Record<string, unknown>;
}

/** A dated step of the listings' life the report names (decision, publication, removal, restoration, revocation). */
export interface ListingChangeRow extends ListingStepRow {
  uscc: string;
  name: string;
}

/** The columns a step may set (status and the recorded dates and marks). */
export type ListingUpdate = Partial<
  Pick<
    ListingRow,
    | 'status'
    | 'noticed_on'
    | 'statement_on'
    | 'objection'
    | 'corrected_on'
    | 'pledge_on'
    | 'decided_on'
    | 'decision'
    | 'complex'
    | 'published_on'
    | 'removal_applied_on'
    | 'removal_decided_on'
    | 'removed_on'
    | 'defaulted_again'
    | 'criminal_case'
    | 'restored_on'
    | 'revoked_on'
    | 'revocation_ground'
    | 'persons'
  >
>;

const Persons = Type.Array(Type.Unknown());
const Detail = Type.Record(Type.String(), Type.Unknown());

function listingOf(r: ListingRow): ListingRow {
  return {
    ...r,
    persons: json('blacklist_listings.persons', Persons, r.persons),
    complex: bool(r.complex),
    objection: bool(r.objection),
    defaulted_again: bool(r.defaulted_again),
    criminal_case: bool(r.criminal_case),
  };
}

const stepOf = <T extends ListingStepRow>(s: T): T => ({ ...s, detail: json('blacklist_steps.detail', Detail, s.detail) });

export class ListingsRepo {
  constructor(private readonly sql: Sql) {}

  async get(id: number): Promise<ListingRow | undefined> {
    const r = await this.sql.get<ListingRow>('SELECT * FROM blacklist_listings WHERE id = ?', [id]);
    return r ? listingOf(r) : undefined;
  }

  async steps(listingId: number): Promise<ListingStepRow[]> {
    return (await this.sql.all<ListingStepRow>('SELECT * FROM blacklist_steps WHERE listing_id = ? ORDER BY id', [listingId])).map(stepOf);
  }

  /** Listing ids, oldest first, of a unit and/or at a status. */
  async ids(filter: { uscc?: string; status?: string } = {}): Promise<number[]> {
    const w = whereEqual([['uscc', filter.uscc], ['status', filter.status]]);
    const rows = await this.sql.rows<[number]>(`SELECT id FROM blacklist_listings ${w.sql} ORDER BY id`, w.params);
    return rows.map((r) => r[0]);
  }

  /** The procedure under way (proposed, noticed or listed) started from the order, if any: its id. */
  async openForOrder(orderId: number): Promise<number | undefined> {
    const r = await this.sql.get<{ id: number }>("SELECT id FROM blacklist_listings WHERE order_id = ? AND status IN ('proposed', 'noticed', 'listed') ORDER BY id LIMIT 1", [orderId]);
    return r ? Number(r.id) : undefined;
  }

  /** Every listing decided 'listed', oldest first. */
  async decidedListed(): Promise<ListingRow[]> {
    return (await this.sql.all<ListingRow>("SELECT * FROM blacklist_listings WHERE decision = 'listed' ORDER BY id")).map(listingOf);
  }

  /** The decisions, publications, removals, restorations and revocations dated in (from, to], by day then id. */
  async changesBetween(from: string, to: string): Promise<ListingChangeRow[]> {
    const rows = await this.sql.all<ListingChangeRow>(
      `SELECT s.*, l.uscc, l.name FROM blacklist_steps s JOIN blacklist_listings l ON l.id = s.listing_id
        WHERE s.step IN ('decision', 'publish', 'removal', 'restore', 'revoke') AND s."on" > ? AND s."on" <= ? ORDER BY s."on", s.id`,
      [from, to],
    );
    return rows.map(stepOf);
  }

  /** Starts a procedure (status proposed); its id. */
  async insert(l: { uscc: string; name: string; orderId: number; incidentId: number | null; criterion: string; orderDeadline: string; persons: readonly unknown[]; createdAt: string; createdBy: string }): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO blacklist_listings (uscc, name, order_id, incident_id, criterion, order_deadline, status, persons, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?) RETURNING id`,
      [l.uscc, l.name, l.orderId, l.incidentId, l.criterion, l.orderDeadline, JSON.stringify(l.persons), l.createdAt, l.createdBy],
    );
    return Number(row!.id);
  }

  /** Sets the given columns of the listing (column names come from ListingUpdate's keys, never from input). */
  async update(id: number, set: ListingUpdate): Promise<void> {
    const cols = Object.keys(set) as (keyof ListingUpdate)[];
    if (cols.length === 0) return;
    const values = cols.map((c) => (c === 'persons' ? JSON.stringify(set[c]) : (set[c] ?? null)));
    await this.sql.run(`UPDATE blacklist_listings SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...values, id]);
  }

  async addStep(listingId: number, s: { step: string; on: string; actor: string; reason: string; at: string; detail: Record<string, unknown> }): Promise<void> {
    await this.sql.run('INSERT INTO blacklist_steps (listing_id, step, "on", actor, reason, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      listingId,
      s.step,
      s.on,
      s.actor,
      s.reason,
      s.at,
      JSON.stringify(s.detail),
    ]);
  }
}
