/**
 * 工资保证金 — what the deposit view reads: the requirement the night stored with a project's outcome valid
 * on a day (its assessment's `deposit`: base rate, cuts, raises, exemption, cap) and the project's current
 * deposit events up to a day. Engine-neutral SQL; the assessment read back checked.
 */
import { resolveMembers } from './outcomeParts.ts';
import { Type } from 'typebox';
import { json, type Sql } from '../sql.ts';

export interface DepositEventRow {
  id: number;
  event: string;
  form: string;
  amount_fen: number;
  date: string;
  expires_on: string | null;
  voucher_no: string;
  batch_id: number;
  line: number;
}

const Assessment = Type.Object({ deposit: Type.Optional(Type.Unknown()) });

export class DepositsRepo {
  constructor(private readonly sql: Sql) {}

  /**
   * The deposit requirement stored for the project's outcome valid on the evaluated day `day` (null when the
   * assessment holds none); undefined when no outcome is stored for that day (or its evaluation failed).
   */
  async requirement(projectId: number, day: string): Promise<unknown> {
    const r = await this.sql.get<{ assessment: unknown }>(
      'SELECT assessment FROM project_outcomes WHERE project_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) AND problem IS NULL',
      [projectId, day, day],
    );
    if (!r) return undefined;
    const deposit = json('project_outcomes.assessment', Assessment, r.assessment).deposit ?? null;
    // its requirement kept once in outcome_parts (outcomeParts.ts)
    await resolveMembers(this.sql, [deposit]);
    return deposit;
  }

  /** The project's current deposit events dated on or before `on`, by date then id. */
  events(projectId: number, on: string): Promise<DepositEventRow[]> {
    return this.sql.all<DepositEventRow>(
      `SELECT id, event, form, amount_fen, date, expires_on, voucher_no, batch_id, line FROM deposit_events
        WHERE project_id = ? AND superseded_by IS NULL AND date <= ? ORDER BY date, id`,
      [projectId, on],
    );
  }
}
