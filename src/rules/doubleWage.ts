/**
 * 未订立书面劳动合同的二倍工资 — the worker's claim when no written contract was signed: 劳动合同法 第八十二条
 * (超过一个月不满一年未订立书面劳动合同，每月支付二倍的工资), 实施条例 第六条 (起算：用工之日起满一个月的次日；
 * 截止：补订书面劳动合同的前一日) and 第七条 (满一年仍未订立：计至满一年的前一日), so at most eleven months.
 *
 * How it is counted (decisions where the law leaves the arithmetic open):
 * - 用工之日 is the roster's entry date and counts as the first day of work, so 满一个月 is the day before the
 *   corresponding day of the next month; the claim starts on that corresponding day (entry 01-10 → 02-10;
 *   with no corresponding day — entry 01-31 — on the first day of the month after). It ends on the earliest of
 *   the day before 满一年 (entry 2026-01-10 → 2027-01-08), the exit date, and — unknown here, the roster only
 *   says signed or not — the day before a contract signed later.
 * - The claim is the second wage: for each month of the window, the month's gross pay (应发工资) of the wage
 *   table on this project, times the calendar days of the month inside the window over the month's days,
 *   rounded half up to the fen. A month without a wage-table row is named, not guessed.
 * - A month counts once it is over (its last day before D), so the amount changes on the first of a month,
 *   a day the night already re-evaluates on, never in the middle of one.
 */
import { addDays, dateFromParts, dateParts, maxDate, minDate, type IsoDate } from '../domain/date.ts';
import { fen, type Fen } from '../domain/money.ts';
import { daysInMonth, firstDayOf, lastDayOf, monthOf, monthsFromTo, type Month } from '../domain/month.ts';
import type { EvidenceRef, PayrollRowFact, RosterEntryFact } from './facts.ts';
import { cite, type ParamUse } from './params/dated.ts';
import type { RulesParams } from './params/schema.ts';

export interface DoubleWageMonth {
  readonly month: Month;
  /** the days of the month inside the claim window */
  readonly days: number;
  /** the month's gross pay on the wage table; null = no wage-table row for the month */
  readonly gross: Fen | null;
  readonly claim: Fen;
}

export interface DoubleWageClaim {
  /** 起算日 — the day after one month of work */
  readonly from: IsoDate;
  /** 截止日 — the day before one year of work, or the exit date if earlier */
  readonly to: IsoDate;
  /** the months of the window that are over on D, in order */
  readonly months: readonly DoubleWageMonth[];
  /** months of the window over on D without a wage-table row */
  readonly missingPayroll: readonly Month[];
  readonly total: Fen;
  readonly evidence: readonly EvidenceRef[];
  readonly param: ParamUse;
}

/** The day `n` months after `date` counting `date` as the first day: the corresponding day, or the 1st of the month after when there is none. */
export function correspondingDay(date: IsoDate, n: number): IsoDate {
  const { year, month, day } = dateParts(date);
  const m0 = month - 1 + n;
  const y = year + Math.floor(m0 / 12);
  const m = (m0 % 12) + 1;
  return dateFromParts(y, m, day) ?? addDays(lastDayOf(`${y}-${String(m).padStart(2, '0')}` as Month), 1);
}

/**
 * The double-wage claim of a roster entry without a written contract, as of D; null when the entry has a
 * contract or the claim has not begun by D.
 */
export function doubleWageClaim(entry: RosterEntryFact, payroll: readonly PayrollRowFact[], asOf: IsoDate, params: RulesParams): DoubleWageClaim | null {
  if (entry.contractSigned) return null;
  let p;
  try {
    p = params.noContractDoubleWage.at(entry.entryDate);
  } catch {
    p = params.noContractDoubleWage.at(asOf); // employment that began before the rule: its value of today
  }
  const from = correspondingDay(entry.entryDate, p.value.graceMonths);
  const yearEnd = addDays(correspondingDay(entry.entryDate, p.value.capMonths), -2);
  const to = entry.exitDate ? minDate(yearEnd, entry.exitDate) : yearEnd;
  if (from > asOf || from > to) return null;
  const months: DoubleWageMonth[] = [];
  const missing: Month[] = [];
  const evidence: EvidenceRef[] = [entry.ref];
  for (const m of monthsFromTo(monthOf(from), monthOf(to))) {
    if (lastDayOf(m) >= asOf) break; // the month is not over on D
    const start = maxDate(from, firstDayOf(m));
    const end = minDate(to, lastDayOf(m));
    const days = Number(end.slice(8)) - Number(start.slice(8)) + 1;
    const rows = payroll.filter((r) => r.idNumber === entry.idNumber && r.month === m);
    if (rows.length === 0) {
      missing.push(m);
      months.push({ month: m, days, gross: null, claim: fen(0) });
      continue;
    }
    const gross = rows.reduce((s, r) => s + r.gross, 0);
    const dim = daysInMonth(m);
    // half up: floor((2·g·d + dim) / (2·dim)), exact in integers
    const claim = fen(Math.floor((2 * gross * days + dim) / (2 * dim)));
    months.push({ month: m, days, gross: fen(gross), claim });
    evidence.push(...rows.map((r) => r.ref));
  }
  return {
    from,
    to,
    months,
    missingPayroll: missing,
    total: fen(months.reduce((s, m) => s + m.claim, 0)),
    evidence,
    param: cite(p),
  };
}
