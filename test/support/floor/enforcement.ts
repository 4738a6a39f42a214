/**
 * The synchronous SQLite floor's last readers of the enforcement tables, for callers not yet behind the
 * store: the listings as the rules core's BlacklistEntry facts (src/db/facts.ts, the evaluating report's
 * oracle) and the orders and cases naming a flag's worker-month (src/api/routes/flags.ts withEnforcement).
 * Everything else lives in src/store/repos/{orders,cases,listings}.ts; the async forms of these two are
 * FactsRepo.blacklist and src/services/enforcement/common.ts enforcementOfProjects — move the callers there
 * and delete this file.
 */
import { entryOfListing } from '../../../src/rules/blacklistListing.ts';
import type { BlacklistEntry } from '../../../src/rules/facts.ts';
import { stepsOf } from '../../../src/store/repos/facts.ts';
import type { ListingRow } from '../../../src/store/repos/listings.ts';
import { groupEnforcement, workerMonthKey, type WorkerMonthEnforcement } from '../../../src/services/enforcement/common.ts';
import type { CaseOfWorkerMonth } from '../../../src/store/repos/cases.ts';
import type { OrderOfWorkerMonth } from '../../../src/store/repos/orders.ts';
import type { Db } from './open.ts';

export { workerMonthKey, type WorkerMonthEnforcement };

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
    const e = entryOfListing({ uscc: r.uscc, name: r.name, steps: stepsOf(r), reason: `名单办法第五条（${r.criterion === 'amount' ? '拖欠数额达到数额较大标准' : '引发群体性或极端事件'}），列入决定书 #${r.id}` });
    if (e) out.push({ ...e, ref: { table: 'blacklist_entries', id: r.id, batchId: 0, line: 0 } });
  }
  return out;
}

/**
 * 责令与案件 — for every worker-month of the given projects, the orders in force and the open cases that
 * name it. Keyed by workerMonthKey.
 */
export function enforcementOfProjects(db: Db, projectIds: readonly number[]): Map<string, WorkerMonthEnforcement> {
  const ids = [...new Set(projectIds)];
  const orders: OrderOfWorkerMonth[] = [];
  const cases: CaseOfWorkerMonth[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const q = chunk.map(() => '?').join(', ');
    orders.push(
      ...(db.$client
        .prepare(
          `SELECT i.project_id, i.id_number, i.month, o.id, o.issued_on, o.deadline FROM inspection_order_items i JOIN inspection_orders o ON o.id = i.order_id
            WHERE o.withdrawn_at IS NULL AND i.project_id IN (${q}) ORDER BY o.id`,
        )
        .all(...chunk) as OrderOfWorkerMonth[]),
    );
    cases.push(
      ...(db.$client
        .prepare(
          `SELECT i.project_id, i.id_number, i.month, c.id, c.stage, c.filed_on FROM wage_case_items i JOIN wage_cases c ON c.id = i.case_id
            WHERE c.stage <> 'closed' AND i.project_id IN (${q}) ORDER BY c.id`,
        )
        .all(...chunk) as CaseOfWorkerMonth[]),
    );
  }
  return groupEnforcement(
    orders.sort((a, b) => a.id - b.id),
    cases.sort((a, b) => a.id - b.id),
  );
}
