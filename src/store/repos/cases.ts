/**
 * 欠薪案件 — wage cases (wage_cases), the worker-months they claim (wage_case_items) and their history
 * (wage_case_events). Engine-neutral SQL; JSON columns (circumstances, routing, detail) read back checked.
 * Which moves are lawful is the rules' (src/rules/cases.ts), not this repository's.
 */
import { Type } from 'typebox';
import { bool, json, marks, type Sql } from '../sql.ts';
import { inParts, whereEqual } from './parts.ts';

export interface CaseRow {
  id: number;
  employer_uscc: string;
  project_id: number;
  title: string;
  stage: string;
  stage_since: string;
  accepted_on: string | null;
  final_award: boolean | null;
  procedure: string | null;
  circumstances: Record<string, unknown>;
  /** the routing the intake recorded (src/rules/caseRouting.ts Routing) */
  routing: unknown;
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
  detail: Record<string, unknown>;
}

export interface NewCase {
  readonly employerUscc: string;
  readonly projectId: number;
  readonly title: string;
  readonly filedOn: string;
  readonly circumstances: Record<string, unknown>;
  readonly routing: unknown;
  readonly claimedFen: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly items: readonly { projectId: number; idNumber: string; month: string; claimedFen: number; fingerprint: string | null }[];
}

export interface NewCaseEvent {
  readonly kind: string;
  readonly on: string;
  readonly fromStage: string | null;
  readonly toStage: string | null;
  readonly amountFen: number | null;
  readonly idNumber: string | null;
  readonly bankRef: string | null;
  readonly actor: string;
  readonly reason: string;
  readonly at: string;
  readonly detail: Record<string, unknown>;
}

/** An open case (not closed) naming a worker-month. */
export interface CaseOfWorkerMonth {
  project_id: number;
  id_number: string;
  month: string;
  id: number;
  stage: string;
  filed_on: string;
}

const Detail = Type.Record(Type.String(), Type.Unknown());

function caseOf(r: CaseRow): CaseRow {
  return {
    ...r,
    final_award: r.final_award === null ? null : bool(r.final_award),
    circumstances: json('wage_cases.circumstances', Detail, r.circumstances),
    routing: json('wage_cases.routing', Type.Unknown(), r.routing),
  };
}

export class CasesRepo {
  constructor(private readonly sql: Sql) {}

  async get(id: number): Promise<CaseRow | undefined> {
    const r = await this.sql.get<CaseRow>('SELECT * FROM wage_cases WHERE id = ?', [id]);
    return r ? caseOf(r) : undefined;
  }

  /** The case's worker-months with their project code and the worker's name. */
  items(caseId: number): Promise<CaseItemRow[]> {
    return this.sql.all<CaseItemRow>(
      `SELECT i.*, p.code AS project_code, w.name AS name FROM wage_case_items i JOIN projects p ON p.id = i.project_id
         LEFT JOIN workers w ON w.id_number = i.id_number WHERE i.case_id = ? ORDER BY i.project_id, i.month, i.id_number`,
      [caseId],
    );
  }

  /** The case's history, in the order it was recorded. */
  async events(caseId: number): Promise<CaseEventRow[]> {
    const rows = await this.sql.all<CaseEventRow>('SELECT * FROM wage_case_events WHERE case_id = ? ORDER BY id', [caseId]);
    return rows.map((e) => ({ ...e, detail: json('wage_case_events.detail', Detail, e.detail) }));
  }

  /** The detail of the latest transition into `stage` (the performance period recorded with it), or null. */
  async lastTransitionInto(caseId: number, stage: string): Promise<Record<string, unknown> | null> {
    const e = await this.sql.get<{ detail: unknown }>(
      "SELECT detail FROM wage_case_events WHERE case_id = ? AND kind = 'transition' AND to_stage = ? ORDER BY id DESC LIMIT 1",
      [caseId, stage],
    );
    return e ? json('wage_case_events.detail', Detail, e.detail) : null;
  }

  /** Case ids, oldest first, at a stage and/or of an employer. */
  async ids(filter: { stage?: string; employerUscc?: string } = {}): Promise<number[]> {
    const w = whereEqual([['stage', filter.stage], ['employer_uscc', filter.employerUscc]]);
    const rows = await this.sql.rows<[number]>(`SELECT id FROM wage_cases ${w.sql} ORDER BY id`, w.params);
    return rows.map((r) => r[0]);
  }

  /** Cases neither closed nor withdrawn, oldest first. */
  async openIds(): Promise<number[]> {
    const rows = await this.sql.rows<[number]>("SELECT id FROM wage_cases WHERE stage NOT IN ('closed', 'withdrawn') ORDER BY id");
    return rows.map((r) => r[0]);
  }

  /** Inserts the case at intake with its worker-months; its id. */
  async insert(c: NewCase): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO wage_cases (employer_uscc, project_id, title, stage, stage_since, circumstances, routing, claimed_fen, paid_fen, created_at, created_by, filed_on)
       VALUES (?, ?, ?, 'intake', ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id`,
      [c.employerUscc, c.projectId, c.title, c.filedOn, JSON.stringify(c.circumstances), JSON.stringify(c.routing), c.claimedFen, c.createdAt, c.createdBy, c.filedOn],
    );
    const id = Number(row!.id);
    await this.sql.insertMany(
      'wage_case_items',
      ['case_id', 'project_id', 'id_number', 'month', 'claimed_fen', 'fingerprint'],
      c.items.map((i) => [id, i.projectId, i.idNumber, i.month, i.claimedFen, i.fingerprint]),
    );
    return id;
  }

  async addEvent(caseId: number, e: NewCaseEvent): Promise<void> {
    await this.sql.run(
      'INSERT INTO wage_case_events (case_id, kind, "on", from_stage, to_stage, amount_fen, id_number, bank_ref, actor, reason, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [caseId, e.kind, e.on, e.fromStage, e.toStage, e.amountFen, e.idNumber, e.bankRef, e.actor, e.reason, e.at, JSON.stringify(e.detail)],
    );
  }

  /** Into a new stage from `since` (its acceptance not yet recorded). */
  async setStage(id: number, s: { stage: string; since: string; finalAward: boolean | null; procedure: string | null }): Promise<void> {
    await this.sql.run('UPDATE wage_cases SET stage = ?, stage_since = ?, accepted_on = NULL, final_award = ?, procedure = ? WHERE id = ?', [s.stage, s.since, s.finalAward, s.procedure, id]);
  }

  async setAccepted(id: number, on: string): Promise<void> {
    await this.sql.run('UPDATE wage_cases SET accepted_on = ? WHERE id = ?', [on, id]);
  }

  async setAgreed(id: number, amountFen: number): Promise<void> {
    await this.sql.run('UPDATE wage_cases SET agreed_fen = ? WHERE id = ?', [amountFen, id]);
  }

  async addPaid(id: number, amountFen: number): Promise<void> {
    await this.sql.run('UPDATE wage_cases SET paid_fen = paid_fen + ? WHERE id = ?', [amountFen, id]);
  }

  /** Whether the worker is a claimant of the case. */
  async hasClaimant(caseId: number, idNumber: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 AS x FROM wage_case_items WHERE case_id = ? AND id_number = ?', [caseId, idNumber])) !== undefined;
  }

  /** The open cases (not closed) naming worker-months of the projects, oldest case first. */
  async openOn(projectIds: readonly number[]): Promise<CaseOfWorkerMonth[]> {
    const rows = await inParts(projectIds, (part) =>
      this.sql.all<CaseOfWorkerMonth>(
        `SELECT i.project_id, i.id_number, i.month, c.id, c.stage, c.filed_on FROM wage_case_items i JOIN wage_cases c ON c.id = i.case_id
          WHERE c.stage <> 'closed' AND i.project_id IN (${marks(part.length)}) ORDER BY c.id`,
        part,
      ),
    );
    return rows.sort((a, b) => a.id - b.id);
  }

  /** A project a case (or a deposit view) names, by its id (digits) or its code. */
  async project(ref: string): Promise<{ id: number; code: string; name: string; county: string } | undefined> {
    const select = 'SELECT id, code, name, county FROM projects';
    return /^\d+$/.test(ref)
      ? await this.sql.get<{ id: number; code: string; name: string; county: string }>(`${select} WHERE id = ?`, [Number(ref)])
      : await this.sql.get<{ id: number; code: string; name: string; county: string }>(`${select} WHERE code = ?`, [ref]);
  }
}
