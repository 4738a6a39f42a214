/**
 * The few reads the pages need that the API does not answer (yet): the counties for the filter, and a
 * project's dedicated account month by month. Plain prepared statements, like src/api/queries.ts.
 */
import type { Db } from '../db/open.ts';

export function counties(db: Db): string[] {
  return (db.$client.prepare('SELECT DISTINCT county FROM projects ORDER BY county').all() as { county: string }[]).map((r) => r.county);
}

export interface AccountMonth {
  month: string;
  inflowFen: number;
  outflowFen: number;
  wagesOutFen: number;
  /** balance at the end of the month */
  balanceFen: number;
  transactions: number;
}

/** 专用账户余额变化 — current transactions dated ≤ `on`, by month, with the running balance. */
export function accountByMonth(db: Db, projectId: number, on: string): AccountMonth[] {
  const rows = db.$client
    .prepare(
      `SELECT substr(tx_date, 1, 7) AS month,
              coalesce(sum(CASE WHEN direction = 'in' THEN amount_fen END), 0) AS inflow,
              coalesce(sum(CASE WHEN direction = 'out' THEN amount_fen END), 0) AS outflow,
              coalesce(sum(CASE WHEN direction = 'out' AND purpose = 'wages' THEN amount_fen END), 0) AS wages_out,
              count(*) AS n
         FROM account_transactions
        WHERE project_id = ? AND superseded_by IS NULL AND tx_date <= ?
        GROUP BY month ORDER BY month`,
    )
    .all(projectId, on) as { month: string; inflow: number; outflow: number; wages_out: number; n: number }[];
  let balance = 0;
  return rows.map((r) => {
    balance += r.inflow - r.outflow;
    return { month: r.month, inflowFen: r.inflow, outflowFen: r.outflow, wagesOutFen: r.wages_out, balanceFen: balance, transactions: r.n };
  });
}
