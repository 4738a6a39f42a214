/**
 * 台账 — the rules core's worker-month ledger of one project, loaded from the database: shared by the API's
 * project and worker views and by the erasure check (a project's wages settled = no arrears in its ledger).
 */
import { loadCityFacts } from '../db/facts.ts';
import type { Db } from '../db/open.ts';
import type { IsoDate } from '../domain/date.ts';
import { workerMonthLedger, type WorkerMonth } from '../rules/wages.ts';

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
    return { ledger: workerMonthLedger(facts, on as IsoDate), problem: null };
  } catch (e) {
    return { ledger: [], problem: e instanceof Error ? e.message : String(e) };
  }
}
