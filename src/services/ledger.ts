/**
 * 台账 — the rules core's worker-month ledger of one project, loaded from the database: shared by the API's
 * project and worker views and by the erasure check (a project's wages settled = no arrears in its ledger).
 */
import { paramsOfStore } from './params.ts';
import { paramsVersionOf } from './recompute.ts';
import type { IsoDate } from '../domain/date.ts';
import { daysBetween } from '../domain/date.ts';
import type { RulesParams } from '../rules/params/index.ts';
import { workerMonthLedger, type WorkerMonth } from '../rules/wages.ts';
import { decodeRows, type Columns } from '../store/factsCodec.ts';
import type { Store } from '../store/store.ts';

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
  // a ledger line has every field, null included; the months in month order are the ledger's order
  const rows = s.ledger.flatMap((month) => decodeRows(JSON.parse(month) as Columns, true));
  const ledger = rows.map((r) => {
    const wm = r as unknown as Omit<WorkerMonth, 'projectId' | 'projectCode' | 'overdueDays'>;
    return { projectId, projectCode: s.projectCode, ...wm, overdueDays: wm.arrears > 0 ? daysBetween(wm.dueDate, day) : 0 } as WorkerMonth;
  });
  return { ledger, problem: null };
}

export interface ProjectLedger {
  ledger: WorkerMonth[];
  problem: string | null;
  /** 'stored': the night's evaluation of `on`; 'evaluated': the rules core run now over the project's facts */
  source: 'stored' | 'evaluated';
}

/** paramsVersionOf per parameter set read (a view judging many projects hashes the set once) */
const versionOf = new WeakMap<RulesParams, string>();
const paramsVersion = (p: RulesParams): string => {
  let v = versionOf.get(p);
  if (v === undefined) versionOf.set(p, (v = paramsVersionOf(p)));
  return v;
};

/**
 * Whether a project's stored evaluation still answers for day `on`: made on or before it, `on` before its
 * next date of change, from the facts version and the parameter version in force now. (The enforcement
 * services ask the same of the states they read.)
 */
export function storedEvaluationHolds(
  state: { readonly evaluatedOn: string; readonly factsVersion: number; readonly paramsVersion: string; readonly nextChange: string | null },
  now: { readonly factsVersion: number; readonly paramsVersion: string },
  on: string,
): boolean {
  return state.factsVersion === now.factsVersion && state.paramsVersion === now.paramsVersion && state.evaluatedOn <= on && (state.nextChange === null || on < state.nextChange);
}

/**
 * A project's ledger as of `on` for the API's and the pages' views (issue 16 point 5: one judgement of a
 * row, the night's). The stored evaluation answers when it still holds on `on`: made on or before `on`,
 * `on` before its next date of change, from the project's current facts (an import since would make the
 * stored verdicts disagree with the rows shown beside them) and the parameters in force — the same test the
 * enforcement services apply. Otherwise — a day before the evaluation or past its next change, facts
 * imported or parameters changed since, a project the night has not seen — the rules core judges the
 * project's facts with the parameters in force, as the next night would; never the shipped defaults alone.
 * `params`: how the caller reads the parameters once for many projects. `idNumber`: that worker's lines only
 * (cells are per month and worker).
 */
export async function ledgerOf(store: Store, projectId: number, on: string, o: { idNumber?: string; params?: () => Promise<RulesParams> } = {}): Promise<ProjectLedger> {
  const mine = (l: WorkerMonth[]) => (o.idNumber === undefined ? l : l.filter((w) => w.idNumber === o.idNumber));
  const params = await (o.params ?? (() => paramsOfStore(store)))();
  const st = await store.wages.ledgerState(projectId);
  if (st && storedEvaluationHolds(st, { factsVersion: st.currentVersion, paramsVersion: paramsVersion(params) }, on)) {
    const stored = await storedLedgerOf(store, projectId, on as IsoDate);
    if (stored) return { ledger: mine(stored.ledger), problem: stored.problem, source: 'stored' };
  }
  const project = (await store.facts.projects([projectId])).projects[0];
  if (!project) return { ledger: [], problem: null, source: 'evaluated' };
  const id = o.idNumber;
  const facts =
    id === undefined
      ? project
      : { ...project, roster: project.roster.filter((r) => r.idNumber === id), payroll: project.payroll.filter((r) => r.idNumber === id), payments: project.payments.filter((r) => r.idNumber === id) };
  try {
    return { ledger: workerMonthLedger(facts, on as IsoDate, params), problem: null, source: 'evaluated' };
  } catch (e) {
    return { ledger: [], problem: e instanceof Error ? e.message : String(e), source: 'evaluated' };
  }
}
