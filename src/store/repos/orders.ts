/**
 * 责令限期支付 — the labour-inspection orders (inspection_orders) and the worker-months they name
 * (inspection_order_items), the flags an order is built from, and the arrears incidents an order's
 * evaluation asks about. Engine-neutral SQL (src/store/sql.ts); the rules (src/rules/orders.ts) judge.
 */
import { marks, type Sql } from '../sql.ts';
import { inParts, whereEqual } from './parts.ts';

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

/** A stored flag as an order or a case reads it (the latest evaluated day holding its version). */
export interface FindingRef {
  id: number;
  as_of: string;
  fingerprint: string;
  code: string;
  project_id: number;
  id_number: string | null;
  month: string | null;
  amount_fen: number | null;
  contractor_uscc: string;
}

export interface NewOrder {
  readonly employerUscc: string;
  readonly issuedOn: string;
  readonly deadline: string;
  readonly caseId: number | null;
  readonly orderedFen: number;
  readonly actor: string;
  readonly reason: string;
  readonly createdAt: string;
  readonly items: readonly { projectId: number; idNumber: string; month: string; amountFen: number; fingerprint: string | null; findingId: number | null }[];
}

/** An order in force naming a worker-month. */
export interface OrderOfWorkerMonth {
  project_id: number;
  id_number: string;
  month: string;
  id: number;
  issued_on: string;
  deadline: string;
}

const FINDING_REF = `SELECT f.id, f.as_of, f.fingerprint, f.code, f.project_id, f.id_number, f.month, f.amount_fen, p.contractor_uscc
                       FROM findings f JOIN projects p ON p.id = f.project_id`;

export class OrdersRepo {
  constructor(private readonly sql: Sql) {}

  get(id: number): Promise<OrderRow | undefined> {
    return this.sql.get<OrderRow>('SELECT * FROM inspection_orders WHERE id = ?', [id]);
  }

  /** The order's worker-months with their project code and the worker's name, in project, month, number order. */
  items(orderId: number): Promise<OrderItemRow[]> {
    return this.sql.all<OrderItemRow>(
      `SELECT i.*, p.code AS project_code, w.name AS name FROM inspection_order_items i JOIN projects p ON p.id = i.project_id
         LEFT JOIN workers w ON w.id_number = i.id_number WHERE i.order_id = ? ORDER BY i.project_id, i.month, i.id_number`,
      [orderId],
    );
  }

  /** Order ids, oldest first, of an employer and/or a case. */
  async ids(filter: { employerUscc?: string; caseId?: number } = {}): Promise<number[]> {
    const w = whereEqual([['employer_uscc', filter.employerUscc], ['case_id', filter.caseId]]);
    const rows = await this.sql.rows<[number]>(`SELECT id FROM inspection_orders ${w.sql} ORDER BY id`, w.params);
    return rows.map((r) => r[0]);
  }

  /** Orders not withdrawn whose deadline is before `asOf`, oldest first. */
  async idsPastDeadline(asOf: string): Promise<number[]> {
    const rows = await this.sql.rows<[number]>('SELECT id FROM inspection_orders WHERE withdrawn_at IS NULL AND deadline < ? ORDER BY id', [asOf]);
    return rows.map((r) => r[0]);
  }

  /** Inserts the order and its worker-months; its id. */
  async insert(o: NewOrder): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      'INSERT INTO inspection_orders (employer_uscc, issued_on, deadline, case_id, ordered_fen, actor, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [o.employerUscc, o.issuedOn, o.deadline, o.caseId, o.orderedFen, o.actor, o.reason, o.createdAt],
    );
    const id = Number(row!.id);
    await this.sql.insertMany(
      'inspection_order_items',
      ['order_id', 'project_id', 'id_number', 'month', 'amount_fen', 'fingerprint', 'finding_id'],
      o.items.map((i) => [id, i.projectId, i.idNumber, i.month, i.amountFen, i.fingerprint, i.findingId]),
    );
    return id;
  }

  async withdraw(id: number, at: string): Promise<void> {
    await this.sql.run('UPDATE inspection_orders SET withdrawn_at = ? WHERE id = ?', [at, id]);
  }

  /** The orders in force (not withdrawn) naming worker-months of the projects, oldest order first. */
  async inForceOn(projectIds: readonly number[]): Promise<OrderOfWorkerMonth[]> {
    const rows = await inParts(projectIds, (part) =>
      this.sql.all<OrderOfWorkerMonth>(
        `SELECT i.project_id, i.id_number, i.month, o.id, o.issued_on, o.deadline FROM inspection_order_items i JOIN inspection_orders o ON o.id = i.order_id
          WHERE o.withdrawn_at IS NULL AND i.project_id IN (${marks(part.length)}) ORDER BY o.id`,
        part,
      ),
    );
    return rows.sort((a, b) => a.id - b.id);
  }

  /** A flag by its version id, on the latest evaluated day holding that version. */
  flagById(id: number): Promise<FindingRef | undefined> {
    return this.sql.get<FindingRef>(`${FINDING_REF} WHERE f.id = ? ORDER BY f.as_of DESC LIMIT 1`, [id]);
  }

  /** A flag by its fingerprint, on the latest evaluated day holding it. */
  flagByFingerprint(fingerprint: string): Promise<FindingRef | undefined> {
    return this.sql.get<FindingRef>(`${FINDING_REF} WHERE f.fingerprint = ? ORDER BY f.as_of DESC, f.id DESC LIMIT 1`, [fingerprint]);
  }

  /** The first arrears incident (群体性或极端事件) of the unit on or before `on`: its id. */
  async firstIncident(employerUscc: string, on: string): Promise<number | undefined> {
    const r = await this.sql.get<{ id: number }>('SELECT id FROM arrears_incidents WHERE employer_uscc = ? AND occurred_on <= ? ORDER BY id LIMIT 1', [employerUscc, on]);
    return r ? Number(r.id) : undefined;
  }

  /** Records an arrears incident; its id. */
  async insertIncident(i: { employerUscc: string; projectId: number | null; kind: string; occurredOn: string; description: string; actor: string; at: string }): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      'INSERT INTO arrears_incidents (employer_uscc, project_id, kind, occurred_on, description, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [i.employerUscc, i.projectId, i.kind, i.occurredOn, i.description, i.actor, i.at],
    );
    return Number(row!.id);
  }
}
