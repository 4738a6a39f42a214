/**
 * 台账 — the rules core's worker-month ledger of one project, loaded from the database: shared by the API's
 * project and worker views and by the erasure check (a project's wages settled = no arrears in its ledger).
 */
import { paramsOf } from '../db/params.ts';
import { loadCityFacts } from '../db/facts.ts';
import type { Db } from '../db/open.ts';
import type { IsoDate } from '../domain/date.ts';
import { daysBetween } from '../domain/date.ts';
import { workerMonthLedger, type WorkerMonth } from '../rules/wages.ts';
import { decodeRows, type Columns } from '../store/factsCodec.ts';
import type { Store } from '../store/store.ts';

/**
 * The rules core's ledger of one project as of `on` — of every worker, or of one worker only (a worker's
 * lines depend on that worker's rows alone: cells are per month and worker) — or why it cannot be computed
 * (a pay day in a year without a holiday schedule …).
 */
export function rulesLedgerOf(db: Db, projectId: number, on: string, idNumber?: string): { ledger: WorkerMonth[]; problem: string | null } {
  const project = loadCityFacts(db, [projectId]).projects[0];
  if (!project) return { ledger: [], problem: null };
  const facts = idNumber
    ? {
        ...project,
        roster: project.roster.filter((r) => r.idNumber === idNumber),
        payroll: project.payroll.filter((r) => r.idNumber === idNumber),
        payments: project.payments.filter((r) => r.idNumber === idNumber),
      }
    : project;
  try {
    // the parameters in force, as the night uses
    return { ledger: workerMonthLedger(facts, on as IsoDate, paramsOf(db)), problem: null };
  } catch (e) {
    return { ledger: [], problem: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The ledger the night stored for the project's current evaluation, as of `day` (the latest evaluated day:
 * overdue days are counted to it) — the same ledger the flags and the report of that day were made from,
 * with the parameters in force, not evaluated again. Null when the project has no stored ledger.
 */
export async function storedLedgerOf(store: Store, projectId: number, day: IsoDate): Promise<{ ledger: WorkerMonth[]; problem: string | null } | null> {
  const s = await store.evaluations.storedLedger(projectId);
  if (!s) return null;
  if (s.problem !== null) return { ledger: [], problem: s.problem };
  if (s.ledger === null) return null;
  // a ledger line has every field, null included
  const rows = decodeRows(JSON.parse(s.ledger) as Columns, true);
  const ledger = rows.map((r) => {
    const wm = r as unknown as Omit<WorkerMonth, 'projectId' | 'projectCode' | 'overdueDays'>;
    return { projectId, projectCode: s.projectCode, ...wm, overdueDays: wm.arrears > 0 ? daysBetween(wm.dueDate, day) : 0 } as WorkerMonth;
  });
  return { ledger, problem: null };
}
