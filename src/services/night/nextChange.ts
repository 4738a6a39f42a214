/**
 * 下一变化日 — the first day after D on which a project's outcome can change by date alone, so that a night
 * re-evaluates only the projects whose day has come (docs/STORAGE.md "Incremental nights").
 *
 * Conservative by construction: every date the rules compare with D is a candidate, and so is the day
 * after it (a comparison may be `≤ D` or `< D`) —
 * - every date in the project's facts (a row dated after D becomes visible on its date; an exit, an
 *   expiry, a completion changes what holds from the day after);
 * - every date the evaluation itself states (due dates of the ledger, the deposit's deadline and steps,
 *   dates inside findings' parameters): arrears begin the day after a due date;
 * - the deadlines the rules count from the contract without stating them while not yet due (account
 *   opening, deposit storing), from the same parameters the rules use;
 * - guarantee and insurance expiries minus the warning window (GUARANTEE_EXPIRING begins then);
 * - the first day of the next month (new worker-months, a month's labour-cost allocation falls due);
 * - the first day of any parameter value not yet in force; listings', injury cover's and the contractor's
 *   imported record's dates.
 * The equality test (incremental nights against full ones over a month with imports) keeps this honest.
 */
import { addDays, type IsoDate } from '../../domain/date.ts';
import { addMonths, firstDayOf, monthOf } from '../../domain/month.ts';
import type { ProjectEvaluation } from '../../rules/evaluate.ts';
import type { BlacklistEntry, ContractorHistoryFacts, InjuryCoverageFact, ProjectFacts } from '../../rules/facts.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import { decodedSource } from '../../store/factsCodec.ts';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The earliest candidate after D among the dates seen, each date d standing for the candidates d and d + 1.
 * Only two things about a date matter: d = D gives D + 1 (the earliest day there is after D), and d > D
 * gives d itself (d + 1 is later); a date before D gives nothing. So no set of dates is kept and no date
 * is shifted: the same answer as taking the least of every d and d + 1 after D.
 */
class Earliest {
  private hitAsOf = false;
  private best: string | null = null;
  constructor(private readonly asOf: string) {}
  see(d: string): void {
    if (d === this.asOf) this.hitAsOf = true;
    else if (d > this.asOf && (this.best === null || d < this.best)) this.best = d;
  }
  /** the least candidate, with `also` (a candidate taken as it is, not with its next day) */
  result(also: string): string {
    if (this.hitAsOf) return addDays(this.asOf as IsoDate, 1);
    return this.best !== null && this.best < also ? this.best : also;
  }
}

/** Every ISO date string anywhere in a value (objects, arrays, strings). */
function collectDates(v: unknown, into: Earliest, depth = 0): void {
  if (depth > 12 || v === null || v === undefined) return;
  if (typeof v === 'string') {
    // '-' at 4 and 7 first: most strings are not dates, and the pattern then decides
    if (v.length === 10 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45 && ISO.test(v)) into.see(v);
    return;
  }
  if (typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) collectDates(v[i], into, depth + 1);
    return;
  }
  const o = v as Record<string, unknown>;
  // own fields only (as Object.values), without building the array of them
  for (const k in o) if (Object.hasOwn(o, k)) collectDates(o[k], into, depth + 1);
}

/** Dates of parameter values not yet in force on D (any parameter: a new value may change any rule). */
export function parameterDates(params: RulesParams): string[] {
  const out = new Set<string>();
  for (const p of Object.values(params as Record<string, unknown>)) {
    const values = (p as { values?: readonly { from: string; to?: string }[] }).values;
    if (!Array.isArray(values)) continue;
    for (const v of values) {
      out.add(v.from);
      if (v.to) out.add(addDays(v.to as IsoDate, 1));
    }
  }
  return [...out];
}

export interface ChangeInputs {
  readonly facts: ProjectFacts;
  readonly evaluation: ProjectEvaluation | null;
  readonly asOf: IsoDate;
  readonly params: RulesParams;
  /** listings of the project's owner, contractor and employers */
  readonly listings: readonly BlacklistEntry[];
  readonly injuryCover: readonly InjuryCoverageFact[] | undefined;
  /** the general contractor's imported record (its dates are compared with the deposit's look-back day) */
  readonly history?: ContractorHistoryFacts;
  /** parameterDates(params), computed once a night */
  readonly paramDates: readonly string[];
}

/** The first day after D on which the project's outcome can change by date alone (null: none is known). */
export function nextChangeOf(input: ChangeInputs): IsoDate | null {
  const { facts, evaluation, asOf, params } = input;
  const dates = new Earliest(asOf);
  const source = decodedSource(facts);
  if (source) {
    // facts from a snapshot: the same values, read from its flat columns (not the references' numbers)
    collectDates(source.scalars, dates);
    for (const cols of source.lists) for (let i = 3; i < cols.c.length; i++) for (const v of cols.c[i]!) collectDates(v, dates, 3);
  } else collectDates(facts, dates);
  if (evaluation) {
    for (const wm of evaluation.ledger) dates.see(wm.dueDate);
    collectDates(evaluation.assessment.deposit, dates);
    for (const f of evaluation.findings) collectDates(f.params, dates);
  }
  collectDates(input.listings, dates);
  collectDates(input.injuryCover, dates);
  collectDates(input.history, dates);
  for (const d of input.paramDates) dates.see(d);
  // deadlines counted from the contract and not stated while they lie ahead (the rules' own parameters)
  try {
    const account = params.accountOpeningDeadline.at(facts.contractSignedOn).value.days;
    // a roll-forward past rest days moves it by at most a holiday run: cover the whole run
    const base = addDays(facts.contractSignedOn, account);
    for (let i = 0; i <= params.maxHolidayShiftDays.at(asOf).value; i++) dates.see(addDays(base, i));
  } catch {
    /* no parameter in force: the rule does not run */
  }
  try {
    const window = params.guaranteeExpiringWindow.at(asOf).value.days;
    // the day the window opens and the next: a date seen
    for (const e of facts.depositEvents) if (e.expiresOn) dates.see(addDays(e.expiresOn, -window));
  } catch {
    /* no window in force */
  }
  // the first day of the next month (always after D): a candidate of its own, without its next day
  return dates.result(firstDayOf(addMonths(monthOf(asOf), 1))) as IsoDate;
}
