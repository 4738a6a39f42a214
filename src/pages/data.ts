/**
 * The few reads the pages need that the API does not answer (yet): the counties for the filter, and a
 * project's dedicated account month by month (store.projectViews).
 */
import type { Store } from '../store/store.ts';

export function counties(store: Store): Promise<string[]> {
  return store.projectViews.counties();
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
export async function accountByMonth(store: Store, projectId: number, on: string): Promise<AccountMonth[]> {
  let balance = 0;
  return (await store.projectViews.accountMonths(projectId, on)).map((r) => {
    balance += r.inflow - r.outflow;
    return { month: r.month, inflowFen: r.inflow, outflowFen: r.outflow, wagesOutFen: r.wages_out, balanceFen: balance, transactions: r.n };
  });
}
