/**
 * 通知发件箱 — the notices outbox and what notices are built from (src/services/notices): the contacts of a
 * project, an order's and a case's facts per project, the LABOR_COST_SHORT findings that appeared on a day,
 * an inspector's contact. SQL written once for both engines.
 */
import type { Sql } from '../sql.ts';

export type NoticeState = 'pending' | 'sent' | 'failed' | 'gave_up';
export type NoticeChannel = 'email' | 'sms';

export interface NewNotice {
  readonly dedupeKey: string;
  readonly recipientRole: string;
  readonly recipientName: string | null;
  readonly channel: NoticeChannel;
  readonly address: string;
  readonly template: string;
  readonly subject: string;
  readonly body: string;
  readonly projectId: number | null;
  readonly orderId: number | null;
  readonly caseId: number | null;
  readonly warningRef: string | null;
}

export interface NoticeRow {
  id: number;
  dedupe_key: string;
  recipient_role: string;
  recipient_name: string | null;
  channel: NoticeChannel;
  address: string;
  template: string;
  subject: string;
  body: string;
  project_id: number | null;
  project_code: string | null;
  order_id: number | null;
  case_id: number | null;
  warning_ref: string | null;
  state: NoticeState;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
}

export interface NoticeFilter {
  readonly state?: NoticeState;
  readonly projectId?: number;
  readonly template?: string;
}

export interface ProjectContacts {
  id: number;
  code: string;
  name: string;
  owner_name: string | null;
  contractor_name: string | null;
  labor_officer_name: string | null;
  labor_officer_phone: string | null;
  labor_officer_email: string | null;
  project_manager_name: string | null;
  project_manager_phone: string | null;
  project_manager_email: string | null;
  owner_contact_name: string | null;
  owner_contact_phone: string | null;
  owner_contact_email: string | null;
}

function where(f: NoticeFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.state !== undefined) (parts.push('n.state = ?'), params.push(f.state));
  if (f.projectId !== undefined) (parts.push('n.project_id = ?'), params.push(f.projectId));
  if (f.template !== undefined) (parts.push('n.template = ?'), params.push(f.template));
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export class NoticesRepo {
  constructor(private readonly sql: Sql) {}

  /** Queues notices; one whose dedupe key is already queued is skipped. Returns the ids queued now. */
  async enqueue(rows: readonly NewNotice[], now: string): Promise<number[]> {
    const ids: number[] = [];
    for (const n of rows) {
      const r = await this.sql.get<{ id: number }>(
        `INSERT INTO notices (dedupe_key, recipient_role, recipient_name, channel, address, template, subject, body, project_id, order_id, case_id,
            warning_ref, state, attempts, next_attempt_at, last_error, sent_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, ?)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [n.dedupeKey, n.recipientRole, n.recipientName, n.channel, n.address, n.template, n.subject, n.body, n.projectId, n.orderId, n.caseId, n.warningRef, now, now],
      );
      if (r) ids.push(r.id);
    }
    return ids;
  }

  /** Notices due for an attempt at `now` (pending or failed, next attempt not in the future), oldest due first. */
  async due(now: string, limit: number, channels: readonly NoticeChannel[]): Promise<NoticeRow[]> {
    if (channels.length === 0) return [];
    return this.sql.all<NoticeRow>(
      `SELECT n.*, NULL AS project_code FROM notices n WHERE n.state IN ('pending', 'failed') AND n.next_attempt_at <= ?
         AND n.channel IN (${channels.map(() => '?').join(', ')}) ORDER BY n.next_attempt_at, n.id LIMIT ?`,
      [now, ...channels, limit],
    );
  }

  /**
   * Takes a due notice for one attempt: moves its next attempt to `until` if nobody else did meanwhile (a
   * second sender — the nightly job, the schedule, the CLI — then finds it not due). True when taken.
   */
  async claim(id: number, seenNextAttemptAt: string, seenAttempts: number, until: string): Promise<boolean> {
    const n = await this.sql.run(
      `UPDATE notices SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND attempts = ? AND state IN ('pending', 'failed')`,
      [until, id, seenNextAttemptAt, seenAttempts],
    );
    return n === 1;
  }

  async markSent(id: number, attempts: number, at: string): Promise<void> {
    await this.sql.run(`UPDATE notices SET state = 'sent', attempts = ?, sent_at = ?, next_attempt_at = NULL, last_error = NULL WHERE id = ?`, [attempts, at, id]);
  }

  /** A failed attempt: `failed` with the next attempt's time, or `gave_up` (nextAttemptAt null). */
  async markFailed(id: number, attempts: number, error: string, nextAttemptAt: string | null): Promise<void> {
    await this.sql.run(`UPDATE notices SET state = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`, [
      nextAttemptAt === null ? 'gave_up' : 'failed',
      attempts,
      error.slice(0, 1000),
      nextAttemptAt,
      id,
    ]);
  }

  async page(f: NoticeFilter, limit: number, offset: number): Promise<NoticeRow[]> {
    const w = where(f);
    return this.sql.all<NoticeRow>(
      `SELECT n.*, p.code AS project_code FROM notices n LEFT JOIN projects p ON p.id = n.project_id ${w.sql} ORDER BY n.id DESC LIMIT ? OFFSET ?`,
      [...w.params, limit, offset],
    );
  }

  async count(f: NoticeFilter): Promise<number> {
    const w = where(f);
    return (await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM notices n ${w.sql}`, w.params))?.n ?? 0;
  }

  /** Counts by state (the page's and the CLI's summary). */
  async countsByState(): Promise<Record<string, number>> {
    const rows = await this.sql.all<{ state: string; n: number }>(`SELECT state, COUNT(*) AS n FROM notices GROUP BY state`);
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** Notices still waiting (pending or failed), by channel. */
  async countsByChannelWaiting(): Promise<Record<string, number>> {
    const rows = await this.sql.all<{ channel: string; n: number }>(`SELECT channel, COUNT(*) AS n FROM notices WHERE state IN ('pending', 'failed') GROUP BY channel`);
    return Object.fromEntries(rows.map((r) => [r.channel, r.n]));
  }

  async one(id: number): Promise<NoticeRow | undefined> {
    return this.sql.get<NoticeRow>(`SELECT n.*, p.code AS project_code FROM notices n LEFT JOIN projects p ON p.id = n.project_id WHERE n.id = ?`, [id]);
  }

  /** A project's code, name, owner and contractor names and its contacts. */
  async projectContacts(projectId: number): Promise<ProjectContacts | undefined> {
    return this.sql.get<ProjectContacts>(
      `SELECT p.id, p.code, p.name, o.name AS owner_name, c.name AS contractor_name,
              p.labor_officer_name, p.labor_officer_phone, p.labor_officer_email,
              p.project_manager_name, p.project_manager_phone, p.project_manager_email,
              p.owner_contact_name, p.owner_contact_phone, p.owner_contact_email
         FROM projects p LEFT JOIN employers o ON o.uscc = p.owner_uscc LEFT JOIN employers c ON c.uscc = p.contractor_uscc
        WHERE p.id = ?`,
      [projectId],
    );
  }

  async projectIdByCode(code: string): Promise<number | undefined> {
    return (await this.sql.get<{ id: number }>(`SELECT id FROM projects WHERE code = ?`, [code]))?.id;
  }

  /** An order and, per project it names, that project's total, workers and months. */
  async orderFacts(orderId: number): Promise<
    | {
        order: { id: number; employer_uscc: string; employer_name: string | null; issued_on: string; deadline: string; ordered_fen: number };
        projects: { project_id: number; total_fen: number; workers: number; months: string[] }[];
      }
    | undefined
  > {
    const order = await this.sql.get<{ id: number; employer_uscc: string; employer_name: string | null; issued_on: string; deadline: string; ordered_fen: number }>(
      `SELECT o.id, o.employer_uscc, e.name AS employer_name, o.issued_on, o.deadline, o.ordered_fen FROM inspection_orders o
         LEFT JOIN employers e ON e.uscc = o.employer_uscc WHERE o.id = ?`,
      [orderId],
    );
    if (!order) return undefined;
    const items = await this.sql.all<{ project_id: number; id_number: string; month: string; amount_fen: number }>(
      `SELECT project_id, id_number, month, amount_fen FROM inspection_order_items WHERE order_id = ? ORDER BY project_id, id`,
      [orderId],
    );
    return { order, projects: groupItems(items.map((i) => ({ ...i, amount: i.amount_fen }))) };
  }

  /** A case and, per project its items name, that project's claimed total, workers and months. */
  async caseFacts(caseId: number): Promise<
    | {
        case: { id: number; employer_uscc: string; employer_name: string | null; project_id: number; title: string; filed_on: string; claimed_fen: number; routing: unknown };
        projects: { project_id: number; total_fen: number; workers: number; months: string[] }[];
      }
    | undefined
  > {
    const c = await this.sql.get<{ id: number; employer_uscc: string; employer_name: string | null; project_id: number; title: string; filed_on: string; claimed_fen: number; routing: unknown }>(
      `SELECT w.id, w.employer_uscc, e.name AS employer_name, w.project_id, w.title, w.filed_on, w.claimed_fen, w.routing FROM wage_cases w
         LEFT JOIN employers e ON e.uscc = w.employer_uscc WHERE w.id = ?`,
      [caseId],
    );
    if (!c) return undefined;
    const items = await this.sql.all<{ project_id: number; id_number: string; month: string; claimed_fen: number }>(
      `SELECT project_id, id_number, month, claimed_fen FROM wage_case_items WHERE case_id = ? ORDER BY project_id, id`,
      [caseId],
    );
    return { case: c, projects: groupItems(items.map((i) => ({ ...i, amount: i.claimed_fen }))) };
  }

  /**
   * The LABOR_COST_SHORT findings that appeared on day D: a version starting on D with no version of the
   * same finding ending on D (a changed amount is not a new appearance).
   */
  async laborCostShortAppeared(asOf: string): Promise<{ project_id: number; amount_fen: number | null; fingerprint: string }[]> {
    return this.sql.all(
      `SELECT f.project_id, f.amount_fen, f.fingerprint FROM finding_versions f
        WHERE f.code = 'LABOR_COST_SHORT' AND f.valid_from = ?
          AND NOT EXISTS (SELECT 1 FROM finding_versions g WHERE g.project_id = f.project_id AND g.fingerprint = f.fingerprint AND g.valid_to = f.valid_from)
        ORDER BY f.project_id`,
      [asOf],
    );
  }

  async inspectorContact(name: string): Promise<{ name: string; email: string | null; phone: string | null } | undefined> {
    return this.sql.get(`SELECT name, email, phone FROM inspector_contacts WHERE name = ?`, [name]);
  }

  async setInspectorContact(name: string, email: string | null, phone: string | null, now: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO inspector_contacts (name, email, phone, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET email = excluded.email, phone = excluded.phone, updated_at = excluded.updated_at`,
      [name, email, phone, now],
    );
  }

  async inspectorContacts(): Promise<{ name: string; email: string | null; phone: string | null; updated_at: string }[]> {
    return this.sql.all(`SELECT name, email, phone, updated_at FROM inspector_contacts ORDER BY name`);
  }
}

function groupItems(items: readonly { project_id: number; id_number: string; month: string; amount: number }[]) {
  const by = new Map<number, { project_id: number; total_fen: number; ids: Set<string>; months: Set<string> }>();
  for (const i of items) {
    let g = by.get(i.project_id);
    if (!g) by.set(i.project_id, (g = { project_id: i.project_id, total_fen: 0, ids: new Set(), months: new Set() }));
    g.total_fen += i.amount;
    g.ids.add(i.id_number);
    g.months.add(i.month);
  }
  return [...by.values()].map((g) => ({ project_id: g.project_id, total_fen: g.total_fen, workers: g.ids.size, months: [...g.months].sort() }));
}
