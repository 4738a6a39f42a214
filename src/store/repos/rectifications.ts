/**
 * 预警整改 — the closing loop's rows (warning_rectifications: one per warning key; warning_steps: the
 * history) and the audit entries of its steps, written in the step's own transaction. Engine-neutral SQL:
 * the night (services/recompute.ts) reopens warnings through it on either engine.
 */
import { marks, type Sql } from '../sql.ts';

export interface RectificationRow {
  id: number;
  warning_key: string;
  project_id: number;
  problem: string;
  status: 'open' | 'closed';
  assignee: string;
  assigned_on: string;
  working_days: number;
  deadline: string;
  closed_on: string | null;
  close_reason: string | null;
  close_evidence: string | null;
  closed_by: string | null;
  reopened_on: string | null;
  reopen_count: number;
  updated_at: string;
}

export interface StepRow {
  id: number;
  step: string;
  on: string;
  actor: string;
  reason: string;
  detail: unknown;
  at: string;
}

export interface StepInput {
  /** respond: a contractor's answer (issue 20); return: the inspector sends the answer back */
  readonly step: 'assign' | 'reassign' | 'close' | 'reopen' | 'respond' | 'return';
  readonly on: string;
  readonly actor: string;
  /** already masked by the caller (free text may quote an identity number) */
  readonly reason: string;
  readonly detail: Record<string, unknown>;
  readonly at: string;
}

const day = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

function rowOf(r: RectificationRow): RectificationRow {
  return {
    ...r,
    id: Number(r.id),
    project_id: Number(r.project_id),
    working_days: Number(r.working_days),
    reopen_count: Number(r.reopen_count),
    assigned_on: day(r.assigned_on)!,
    deadline: day(r.deadline)!,
    closed_on: day(r.closed_on),
    reopened_on: day(r.reopened_on),
  };
}

export class RectificationsRepo {
  constructor(private readonly sql: Sql) {}

  async byKey(key: string): Promise<RectificationRow | undefined> {
    const r = await this.sql.get<RectificationRow>('SELECT * FROM warning_rectifications WHERE warning_key = ?', [key]);
    return r ? rowOf(r) : undefined;
  }

  async byKeys(keys: readonly string[]): Promise<Map<string, RectificationRow>> {
    const out = new Map<string, RectificationRow>();
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      if (chunk.length === 0) continue;
      for (const r of await this.sql.all<RectificationRow>(`SELECT * FROM warning_rectifications WHERE warning_key IN (${marks(chunk.length)})`, chunk)) out.set(r.warning_key, rowOf(r));
    }
    return out;
  }

  /** Every rectification of a status (or all), oldest deadline first. */
  async list(status?: 'open' | 'closed'): Promise<RectificationRow[]> {
    const rows = await this.sql.all<RectificationRow>(
      `SELECT * FROM warning_rectifications ${status ? 'WHERE status = ?' : ''} ORDER BY deadline, warning_key`,
      status ? [status] : [],
    );
    return rows.map(rowOf);
  }

  async steps(id: number): Promise<StepRow[]> {
    const rows = await this.sql.all<StepRow>('SELECT id, step, "on", actor, reason, detail, at FROM warning_steps WHERE rectification_id = ? ORDER BY id', [id]);
    return rows.map((r) => ({ ...r, id: Number(r.id), on: day(r.on)!, detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail }));
  }

  /** Assigns (or reassigns) the warning: its row as it now stands. */
  async assign(input: { key: string; projectId: number; problem: string; assignee: string; on: string; workingDays: number; deadline: string }, step: StepInput): Promise<RectificationRow> {
    return this.sql.tx(async (tx) => {
      const before = await tx.get<{ id: number }>('SELECT id FROM warning_rectifications WHERE warning_key = ?', [input.key]);
      if (before) {
        await tx.run(
          `UPDATE warning_rectifications SET status = 'open', assignee = ?, assigned_on = ?, working_days = ?, deadline = ?, closed_on = NULL, close_reason = NULL,
             close_evidence = NULL, closed_by = NULL, updated_at = ? WHERE id = ?`,
          [input.assignee, input.on, input.workingDays, input.deadline, step.at, before.id],
        );
      } else {
        await tx.run(
          `INSERT INTO warning_rectifications (warning_key, project_id, problem, status, assignee, assigned_on, working_days, deadline, reopen_count, updated_at)
           VALUES (?, ?, ?, 'open', ?, ?, ?, ?, 0, ?)`,
          [input.key, input.projectId, input.problem, input.assignee, input.on, input.workingDays, input.deadline, step.at],
        );
      }
      const row = rowOf((await tx.get<RectificationRow>('SELECT * FROM warning_rectifications WHERE warning_key = ?', [input.key]))!);
      await this.addStep(tx, row, step);
      return row;
    });
  }

  async close(id: number, input: { on: string; reason: string; evidence: string; actor: string }, step: StepInput): Promise<void> {
    await this.sql.tx(async (tx) => {
      await tx.run(`UPDATE warning_rectifications SET status = 'closed', closed_on = ?, close_reason = ?, close_evidence = ?, closed_by = ?, updated_at = ? WHERE id = ?`, [
        input.on,
        input.reason,
        input.evidence,
        input.actor,
        step.at,
        id,
      ]);
      const row = rowOf((await tx.get<RectificationRow>('SELECT * FROM warning_rectifications WHERE id = ?', [id]))!);
      await this.addStep(tx, row, step);
    });
  }

  /** Reopens a closed warning with a new deadline (the night, when the facts show the problem again). */
  async reopen(id: number, input: { on: string; deadline: string }, step: StepInput): Promise<void> {
    await this.sql.tx(async (tx) => {
      await tx.run(
        `UPDATE warning_rectifications SET status = 'open', reopened_on = ?, reopen_count = reopen_count + 1, assigned_on = ?, deadline = ?, updated_at = ? WHERE id = ? AND status = 'closed'`,
        [input.on, input.on, input.deadline, step.at, id],
      );
      const row = rowOf((await tx.get<RectificationRow>('SELECT * FROM warning_rectifications WHERE id = ?', [id]))!);
      await this.addStep(tx, row, step);
    });
  }

  /** A step that changes nothing of the row itself (an answer, a return), with its audit entry: in the caller's transaction. */
  async recordStep(row: RectificationRow, step: StepInput): Promise<void> {
    await this.addStep(this.sql, row, step);
  }

  private async addStep(tx: Sql, row: RectificationRow, step: StepInput): Promise<void> {
    await tx.run('INSERT INTO warning_steps (rectification_id, step, "on", actor, reason, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      row.id,
      step.step,
      step.on,
      step.actor,
      step.reason,
      JSON.stringify(step.detail),
      step.at,
    ]);
    // every step in the audit log too (src/api/audit.ts's table), in the same transaction
    await tx.run('INSERT INTO audit_log (at, actor, action, entity, entity_id, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      step.at,
      step.actor,
      `warning_${step.step}`,
      'warning',
      row.warning_key,
      step.reason,
      JSON.stringify({ ...step.detail, rectificationId: row.id, status: row.status, assignee: row.assignee, deadline: row.deadline }),
    ]);
  }
}
