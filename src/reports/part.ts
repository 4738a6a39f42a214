/**
 * 报告分项 — a project's contribution to the nightly report, computed when the project is evaluated and
 * stored with its state, so the report of a day is assembled from the stored evaluation (assemble.ts)
 * instead of evaluating the city again. Pure: facts, evaluation, date, parameters in; plain JSON out.
 *
 * A part holds no day-dependent number: the oldest unpaid month is kept as its due date (overdue days are
 * counted for the report's day), guarantees as their expiry date (the warning window is the report's), and
 * open flags are counted when the report is assembled (a review made after the evaluation closes a flag).
 * Definitions of every figure: model.ts and docs/REPORT.md.
 */
import type { IsoDate } from '../domain/date.ts';
import { firstDayOf, lastDayOf, monthOf, type Month } from '../domain/month.ts';
import type { ProjectEvaluation } from '../rules/evaluate.ts';
import type { InjuryCoverageFact, ProjectFacts, RosterEntryFact } from '../rules/facts.ts';
import { injuryCoverageOfProject } from '../rules/insurance.ts';

/** A running aggregate as plain data: money in fen, distinct workers by identity number. */
export interface TallyData {
  arrears: number;
  exposure: number;
  /** the earliest due date of a month still in arrears (null: nothing in arrears) */
  oldestDue: string | null;
  /** identity numbers in arrears */
  workers: string[];
  payrollMonths: number;
  payrollMonthsOnRoster: number;
  paidTotal: number;
  paidDedicated: number;
  rosterEntries: number;
  rosterSigned: number;
  depositDue: number;
  depositCovered: number;
  injuryDue: number;
  injuryCovered: number;
}

export function emptyTally(): TallyData {
  return {
    arrears: 0,
    exposure: 0,
    oldestDue: null,
    workers: [],
    payrollMonths: 0,
    payrollMonthsOnRoster: 0,
    paidTotal: 0,
    paidDedicated: 0,
    rosterEntries: 0,
    rosterSigned: 0,
    depositDue: 0,
    depositCovered: 0,
    injuryDue: 0,
    injuryCovered: 0,
  };
}

/** A guarantee (bank guarantee or insurance) held for a project not completed, with its expiry. */
export interface HeldGuarantee {
  readonly form: 'bank_guarantee' | 'insurance';
  readonly voucherNo: string;
  readonly amount: number;
  readonly expiresOn: string;
}

export interface ProjectReportPart {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly county: string;
  readonly contractorUscc: string;
  readonly contractorName: string;
  /** false when the rules could not evaluate the project (its figures are then zero) */
  readonly evaluated: boolean;
  readonly riskScore: number;
  /** [uscc, name, position]: the contractor at -1, roster entries by index (the first name in project-id order wins) */
  readonly employerNames: readonly (readonly [string, string, number])[];
  /** [identity number, name, roster index] of roster entries up to D */
  readonly rosterNames: readonly (readonly [string, string, number])[];
  /** [identity number, name, ledger index]: the first ledger month of each worker not on this project's roster up to D (a name only the wage table gives) */
  readonly ledgerNames: readonly (readonly [string, string, number])[];
  /** the project's own figures (its county's and the city's share) */
  readonly project: TallyData;
  /** by employer (credit code) */
  readonly employers: Readonly<Record<string, TallyData>>;
  /** arrears and exposure by wage month */
  readonly months: Readonly<Record<string, TallyData>>;
  readonly guarantees: readonly HeldGuarantee[];
  /** an insurance registry is held (the injury-cover rate is judged) */
  readonly injuryHeld: boolean;
  /** years without a holiday schedule that the project's dates needed (computed on weekends alone, provisional) */
  readonly provisionalYears: readonly number[];
}

/** The roster entries of a project up to D, by identity number; answers "who employs W on P in M". */
export class EmployerIndex {
  private readonly byId = new Map<string, RosterEntryFact[]>();

  constructor(
    private readonly project: ProjectFacts,
    asOf: IsoDate,
  ) {
    for (const r of project.roster) {
      if (r.entryDate > asOf) continue;
      const list = this.byId.get(r.idNumber);
      if (list) list.push(r);
      else this.byId.set(r.idNumber, [r]);
    }
  }

  /** The direct employer (uscc) of W on P in M, else the latest entry's, else the general contractor. */
  employerOf(idNumber: string | null | undefined, month: string | null | undefined): string {
    if (!idNumber) return this.project.contractorUscc;
    const entries = this.byId.get(idNumber);
    if (!entries) return this.project.contractorUscc;
    let best: RosterEntryFact | undefined;
    if (month) {
      const first = firstDayOf(month as Month);
      const last = lastDayOf(month as Month);
      for (const e of entries) {
        if (e.entryDate <= last && (e.exitDate === undefined || e.exitDate >= first) && (!best || e.entryDate > best.entryDate)) best = e;
      }
    }
    if (!best) for (const e of entries) if (!best || e.entryDate > best.entryDate) best = e;
    return best!.employerUscc;
  }
}

function tallyIn(map: Record<string, TallyData>, key: string): TallyData {
  let t = map[key];
  if (!t) {
    t = emptyTally();
    map[key] = t;
  }
  return t;
}

function addMonth(t: TallyData, idNumber: string, arrears: number, dueDate: string, exposure: number, onPayroll: number, onRoster: number): void {
  t.arrears += arrears;
  t.exposure += exposure;
  t.payrollMonths += onPayroll;
  t.payrollMonthsOnRoster += onRoster;
  if (arrears > 0) {
    if (!t.workers.includes(idNumber)) t.workers.push(idNumber);
    if (t.oldestDue === null || dueDate < t.oldestDue) t.oldestDue = dueDate;
  }
}

/** 项目报告分项 — the project's part as of D (evaluation null when the rules could not evaluate it). */
export function projectReportPart(p: ProjectFacts, pe: ProjectEvaluation | null, injuryCover: readonly InjuryCoverageFact[] | undefined, asOf: IsoDate): ProjectReportPart {
  const asOfMonth = monthOf(asOf);
  const employerNames: [string, string, number][] = [];
  const rosterNames: [string, string, number][] = [];
  const ledgerNames: [string, string, number][] = [];
  if (p.contractorName) employerNames.push([p.contractorUscc, p.contractorName, -1]);
  p.roster.forEach((r, i) => {
    if (r.employerName) employerNames.push([r.employerUscc, r.employerName, i]);
    if (r.entryDate <= asOf) rosterNames.push([r.idNumber, r.name, i]);
  });
  const project = emptyTally();
  const employers: Record<string, TallyData> = {};
  const months: Record<string, TallyData> = {};
  const ix = new EmployerIndex(p, asOf);
  tallyIn(employers, p.contractorUscc);

  if (pe) {
    const named = new Set(rosterNames.map((r) => r[0]));
    pe.ledger.forEach((wm, i) => {
      if (!named.has(wm.idNumber)) {
        named.add(wm.idNumber);
        ledgerNames.push([wm.idNumber, wm.name, i]);
      }
      const exposure = wm.estimatedExposure ?? 0;
      const onRoster = wm.hasPayroll && wm.rosterActive ? 1 : 0;
      const onPayroll = wm.hasPayroll ? 1 : 0;
      for (const t of [project, tallyIn(employers, ix.employerOf(wm.idNumber, wm.month)), tallyIn(months, wm.month)]) {
        addMonth(t, wm.idNumber, wm.arrears, wm.dueDate, exposure, onPayroll, onRoster);
      }
    });
  }
  for (const pay of p.payments) {
    if (pay.paidOn > asOf || pay.month > asOfMonth) continue;
    const dedicated = pay.channel === 'dedicated_account' ? pay.amount : 0;
    for (const t of [project, tallyIn(employers, ix.employerOf(pay.idNumber, pay.month))]) {
      t.paidTotal += pay.amount;
      t.paidDedicated += dedicated;
    }
  }
  for (const r of p.roster) {
    if (r.entryDate > asOf) continue;
    for (const t of [project, tallyIn(employers, r.employerUscc)]) {
      t.rosterEntries++;
      if (r.contractSigned) t.rosterSigned++;
    }
  }
  for (const w of injuryCoverageOfProject(p, injuryCover, asOf)) {
    for (const t of [project, tallyIn(employers, w.employerUscc)]) {
      t.injuryDue++;
      if (w.covered) t.injuryCovered++;
    }
  }
  const deposit = pe?.assessment.deposit;
  const completed = p.completionDate !== undefined && p.completionDate <= asOf;
  if (deposit && !completed && asOf > deposit.requirement.deadline && deposit.requirement.required > 0) {
    const covered = deposit.holdings.total >= deposit.requirement.required ? 1 : 0;
    for (const t of [project, tallyIn(employers, p.contractorUscc)]) {
      t.depositDue++;
      t.depositCovered += covered;
    }
  }
  const guarantees: HeldGuarantee[] = [];
  if (!completed) {
    for (const e of p.depositEvents) {
      if (e.form === 'cash' || e.date > asOf || (e.event !== 'deposit' && e.event !== 'replenish')) continue;
      if (e.expiresOn === undefined || e.expiresOn < asOf) continue;
      guarantees.push({ form: e.form, voucherNo: e.voucherNo, amount: e.amount, expiresOn: e.expiresOn });
    }
  }
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    county: p.county,
    contractorUscc: p.contractorUscc,
    contractorName: p.contractorName,
    evaluated: pe !== null,
    riskScore: pe?.assessment.risk.score ?? 0,
    employerNames,
    rosterNames,
    ledgerNames,
    project,
    employers,
    months,
    guarantees,
    injuryHeld: injuryCover !== undefined,
    provisionalYears: pe?.provisionalYears ?? [],
  };
}

/**
 * A stored report part with one worker's identity taken out (删除个人信息, docs/PRIVACY.md §5): every string
 * equal to the identity number becomes `placeholder`, and a [identity number, name, index] entry
 * (rosterNames, ledgerNames) becomes [placeholder, '已删除', index]. Counts stay as they were (a past day's
 * figures are kept; the placeholder still counts one worker), the person is no longer named. Null when the
 * part does not name the worker.
 */
export function withoutWorker(part: unknown, idNumber: string, placeholder: string): unknown {
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (v === idNumber) {
      changed = true;
      return placeholder;
    }
    if (Array.isArray(v)) {
      if (v.length === 3 && v[0] === idNumber && typeof v[1] === 'string' && typeof v[2] === 'number') {
        changed = true;
        return [placeholder, '已删除', v[2]];
      }
      return v.map(walk);
    }
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(part);
  return changed ? out : null;
}
