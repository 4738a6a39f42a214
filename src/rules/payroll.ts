/**
 * 实名制与工资支付表 — flags about the roster and the monthly wage table: NO_PAYROLL, NOT_ON_ROSTER,
 * LOW_PAYROLL_COVERAGE (条例 第二十八条 real-name management, 第三十一条 the monthly wage table signed by
 * the worker), UNCONFIRMED_PAYROLL (第三十一条), BELOW_MIN_WAGE (最低工资规定 第三条、第十二条; 劳动法 第五十一条;
 * 人社部发〔2025〕2号; the Hebei notice) and the
 * advisory DOUBLE_BOOKED.
 */
import { Decimal } from 'decimal.js';
import { maskIdNumber, type IdNumber } from '../domain/idNumber.ts';
import { fen, formatYuan, yuanText, mulFen, type Fen } from '../domain/money.ts';
import { addDays, type IsoDate } from '../domain/date.ts';
import { daysInMonth, firstDayOf, formatMonthZh, lastDayOf, type Month } from '../domain/month.ts';
import { MissingHolidayScheduleError } from './calendar.ts';
import type { EvidenceRef } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import { cite, ParamNotInForceError, type ParamUse } from './params/dated.ts';
import { ledgerOf, type ProjectView, type WorkerMonth } from './wages.ts';

/** A rule that could not be evaluated, and why (a missing parameter, an unmapped county …). */
export interface NotApplied {
  readonly rule: string;
  readonly reason: string;
}

/** W's days worked in M across all projects of the city (only for workers on more than one project). */
export interface CrossProjectDays {
  readonly totalCenti: number;
  readonly parts: readonly { readonly projectCode: string; readonly centi: number; readonly ref: EvidenceRef }[];
}

export function noPayrollFindings(view: ProjectView, ledger: readonly WorkerMonth[]): Finding[] {
  const out: Finding[] = [];
  for (const wm of ledger) {
    if (wm.status !== 'no_payroll') continue;
    const estimate =
      wm.estimatedExposure === null ? '无法估算应发金额（计件或未登记工资标准）' : `估算应发约${yuanText(wm.estimatedExposure)}元（${wm.estimateBasis}，不计入欠薪）`;
    const f = makeFinding('NO_PAYROLL', view.project, {
      idNumber: wm.idNumber,
      month: wm.month,
      params: view.due(wm.month).params,
      evidence: wm.evidence,
      text: `${wm.name} ${formatMonthZh(wm.month)}在花名册上在岗，工资应于${wm.dueDate}前支付，但工资支付表中没有其记录；${estimate}`,
      ...(wm.estimatedExposure === null ? {} : { amount: wm.estimatedExposure }),
    });
    out.push(f);
  }
  return out;
}

/** NOT_ON_ROSTER: a payroll or payment row (months ≤ D's month) for a worker not roster-active on P in M. */
export function notOnRosterFindings(view: ProjectView): Finding[] {
  ledgerOf(view);
  const out: Finding[] = [];
  for (const cell of view.sorted) {
    if (cell.active.length > 0 || (cell.payroll === null && cell.payments === null)) continue;
    const payroll = cell.payroll ?? [];
    const payments = cell.payments ?? [];
    const name = payroll[0]?.name ?? payments[0]?.payeeName ?? '';
    const rows = [payroll.length > 0 ? `工资支付表${payroll.length}行` : '', payments.length > 0 ? `发放记录${payments.length}笔` : '']
      .filter(Boolean)
      .join('、');
    const everOn = view.rosterById.has(cell.idNumber) ? '该月不在本项目花名册的在岗期间内' : '本项目花名册上没有此人';
    out.push(
      makeFinding('NOT_ON_ROSTER', view.project, {
        idNumber: cell.idNumber,
        month: cell.month,
        evidence: [...payroll.map((r) => r.ref), ...payments.map((p) => p.ref)],
        text: `${name}（${maskIdNumber(cell.idNumber)}）${formatMonthZh(cell.month)}有${rows}，但${everOn}，未按实名制登记`,
      }),
    );
  }
  return out;
}

/** LOW_PAYROLL_COVERAGE: past due, more than the threshold share of roster-active workers in M have no wage-table row. */
export function payrollCoverageFindings(view: ProjectView, ledger: readonly WorkerMonth[]): Finding[] {
  const threshold = view.params.lowPayrollCoverageShare.at(view.asOf);
  const byMonth = new Map<Month, { active: number; missing: WorkerMonth[] }>();
  for (const wm of ledger) {
    if (!wm.rosterActive || wm.status === 'not_due') continue;
    let m = byMonth.get(wm.month);
    if (!m) byMonth.set(wm.month, (m = { active: 0, missing: [] }));
    m.active++;
    if (!wm.hasPayroll) m.missing.push(wm);
  }
  const out: Finding[] = [];
  const limit = new Decimal(threshold.value);
  for (const [month, { active, missing }] of byMonth) {
    if (missing.length === 0) continue;
    const share = new Decimal(missing.length).div(active);
    if (!share.gt(limit)) continue;
    const exposure = missing.reduce((s, wm) => s + (wm.estimatedExposure ?? 0), 0);
    out.push(
      makeFinding('LOW_PAYROLL_COVERAGE', view.project, {
        month,
        amount: fen(exposure),
        params: [cite(threshold)],
        evidence: missing.flatMap((wm) => wm.evidence),
        text: `${formatMonthZh(month)}花名册在岗${active}人，其中${missing.length}人（${share.mul(100).toDecimalPlaces(1).toString()}%）没有工资支付表记录，超过${limit.mul(100).toString()}%的提示线`,
      }),
    );
  }
  return out;
}

/** UNCONFIRMED_PAYROLL: a wage-table row not confirmed (signed) by the worker. */
export function unconfirmedPayrollFindings(view: ProjectView): Finding[] {
  ledgerOf(view);
  const out: Finding[] = [];
  for (const cell of view.sorted) {
    const rows = cell.payroll;
    if (rows === null || cell.wm === null || rows.every((r) => r.workerConfirmed)) continue;
    const wm = cell.wm;
    const unconfirmed = rows.filter((r) => !r.workerConfirmed);
    out.push(
      makeFinding('UNCONFIRMED_PAYROLL', view.project, {
        idNumber: wm.idNumber,
        month: wm.month,
        amount: fen(unconfirmed.reduce((s, r) => s + r.net, 0)),
        evidence: unconfirmed.map((r) => r.ref),
        text: `${wm.name} ${formatMonthZh(wm.month)}工资支付表（实发${yuanText(wm.netDue!)}元）未经本人签字确认`,
      }),
    );
  }
  return out;
}

/**
 * BELOW_MIN_WAGE — 最低工资规定 第三条、第十二条: a worker who did a month of normal work is owed at least the
 * county's monthly minimum wage (in force on M's last day), overtime, special allowances and statutory
 * benefits excluded. Only a part month is prorated, by paid days ÷ 21.75 (人社部发〔2025〕2号; before 2025
 * 劳社部发〔2008〕3号), where the paid days are the days worked plus the statutory holidays inside the worker's
 * active span (劳动法 第五十一条: holidays are paid, and the 21.75 counts them):
 *
 * - active for the whole of M and worked every working day of M → the whole minimum
 *   (October 2026: 18 working days; 18 days worked → 2000.00, not 2000 × 18 ÷ 21.75 = 1655.17);
 * - otherwise → minimum × min(1, (days worked + statutory holidays in the active span) ÷ 21.75)
 *   (October 2026, whole month, 17 days: 2000 × (17 + 3) ÷ 21.75 = 1839.08; entered 10-08 and worked all 18
 *   working days after it: no holiday in the span, 2000 × 18 ÷ 21.75 = 1655.17).
 *
 * A worker with a wage-table row but no roster entry in M (NOT_ON_ROSTER) is taken as active the whole month:
 * the missing registration is the employer's, and it must not lower the worker's floor.
 * A county the tier map does not place is not evaluated (notApplied).
 */
interface MinimumOfMonth {
  readonly minimum: Fen;
  readonly params: ParamUse[];
  readonly tier: number;
  readonly std: Decimal;
  readonly fullCenti: number;
  /** working days of M by the holiday schedule; null when M's year has no schedule */
  readonly workingDays: number | null;
  /** the statutory holidays of M; null when the year is not listed */
  readonly holidays: readonly IsoDate[] | null;
  readonly holidayParam: ParamUse | null;
  readonly calendarParam: ParamUse | null;
}

export function minimumWageFindings(view: ProjectView, notApplied: NotApplied[]): Finding[] {
  ledgerOf(view);
  const { params, project } = view;
  // by month index (ProjectView): undefined = not yet worked out, null = not applicable
  const perMonth: (MinimumOfMonth | null | undefined)[] = [];
  const minimumFor = (m: number, month: Month) => {
    const known = perMonth[m];
    if (known !== undefined) return known;
    const on = lastDayOf(month);
    let result: MinimumOfMonth | null = null;
    try {
      const tiers = params.countyTier.at(on);
      const placed = tiers.value[project.county];
      const table = params.monthlyMinimumWage.at(on);
      const std = params.standardMonthDays.at(on);
      const minimum = placed ? table.value[placed.tier] : undefined;
      if (!placed || minimum === undefined) {
        notApplied.push({
          rule: 'BELOW_MIN_WAGE',
          reason: `${project.county}在${on}施行的最低工资档次表中没有${placed ? `第${placed.tier}档的标准` : '档次'}，${formatMonthZh(month)}不作最低工资判断（待录入参数）`,
        });
      } else {
        const first = firstDayOf(month);
        let workingDays: number | null = 0;
        let calendarParam: ParamUse | null = null;
        try {
          for (let day = first; day <= on; day = addDays(day, 1)) if (view.calendar.isWorkingDay(day)) workingDays++;
          calendarParam = view.calendar.citeYear(on, null);
        } catch (e) {
          if (!(e instanceof MissingHolidayScheduleError)) throw e;
          workingDays = null;
        }
        const year = Number(month.slice(0, 4));
        const hp = params.statutoryHolidays.at(on);
        const listed = hp.value[year];
        const holidays = listed ? listed.filter((h) => h >= first && h <= on) : null;
        result = {
          minimum,
          tier: placed.tier,
          std: new Decimal(std.value),
          fullCenti: new Decimal(std.value).mul(100).toNumber(),
          params: [cite(table, { tier: placed.tier, monthly: formatYuan(minimum) }), cite(tiers, { county: project.county, ...placed }), cite(std)],
          workingDays,
          holidays,
          holidayParam: holidays ? cite(hp, { month, days: holidays }) : null,
          calendarParam,
        };
      }
    } catch (e) {
      if (!(e instanceof ParamNotInForceError)) throw e;
      notApplied.push({ rule: 'BELOW_MIN_WAGE', reason: `${formatMonthZh(month)}：${e.message}` });
    }
    perMonth[m] = result;
    return result;
  };
  const out: Finding[] = [];
  for (const cell of view.sorted) {
    const rows = cell.payroll;
    const wm = cell.wm;
    if (rows === null || wm === null) continue;
    const m = minimumFor(cell.m, wm.month);
    if (!m) continue;
    let gross = 0;
    let centi = 0;
    for (const r of rows) {
      gross += r.gross;
      centi += r.daysWorkedCenti;
    }
    if (gross >= m.minimum) continue; // at or above the full monthly minimum: never below the prorated one
    const first = firstDayOf(wm.month);
    const last = lastDayOf(wm.month);
    // the worker's active days in M (every day when no roster entry is active: see above)
    const activeDays = new Set<IsoDate>();
    for (const e of cell.active) {
      const from = e.entryDate > first ? e.entryDate : first;
      const to = e.exitDate !== undefined && e.exitDate < last ? e.exitDate : last;
      for (let day = from; day <= to; day = addDays(day, 1)) activeDays.add(day);
    }
    const onRoster = cell.active.length > 0;
    const wholeMonth = !onRoster || activeDays.size === daysInMonth(wm.month);
    const everyWorkingDay = m.workingDays !== null && centi >= m.workingDays * 100;
    const days = daysText(centi);
    let floor: Fen;
    let how: string;
    const used: ParamUse[] = [...m.params];
    if (wholeMonth && everyWorkingDay) {
      floor = m.minimum;
      how = `${onRoster ? '整月在岗' : '（未登记花名册，按整月在岗）'}且出勤${days}天，已满当月${m.workingDays}个工作日，属提供正常劳动满月，应不低于月最低工资${yuanText(m.minimum)}元（最低工资规定第三条、第十二条）`;
      if (m.calendarParam) used.push(m.calendarParam);
    } else {
      const holidays = m.holidays === null ? 0 : m.holidays.filter((h) => !onRoster || activeDays.has(h)).length;
      const paidCenti = centi + holidays * 100;
      floor = paidCenti >= m.fullCenti ? m.minimum : mulFen(m.minimum, [paidCenti, m.fullCenti]);
      const paid = daysText(paidCenti);
      const span = wholeMonth ? '整月在岗' : '非整月在岗';
      const holidayText = m.holidays === null ? `${wm.month.slice(0, 4)}年法定节假日未录入，未计入` : `在岗期间法定节假日${holidays}天（带薪，劳动法第五十一条）`;
      how = `${span}，出勤${days}天，加${holidayText}，共${paid}天，按${paid}÷${m.std.toString()}天折算（最多按全月）月最低工资${yuanText(m.minimum)}元为${yuanText(floor)}元`;
      if (m.holidayParam) used.push(m.holidayParam);
    }
    if (!(gross < floor)) continue;
    out.push(
      makeFinding('BELOW_MIN_WAGE', view.project, {
        idNumber: wm.idNumber,
        month: wm.month,
        amount: fen(floor - gross),
        params: used,
        evidence: rows.map((r) => r.ref),
        text: `${wm.name} ${formatMonthZh(wm.month)}应发工资${yuanText(fen(gross))}元，低于${project.county}（第${m.tier}档）最低工资：${how}`,
      }),
    );
  }
  return out;
}

/** The city's days per worker-month over all projects (CityFacts.crossProjectDays), as DOUBLE_BOOKED asks them. */
export interface CrossDaysIndex {
  /** W has days on another project in some month */
  readonly holds: (idNumber: IdNumber) => boolean;
  readonly of: (month: Month, idNumber: IdNumber) => CrossProjectDays | undefined;
}

/**
 * Days from hundredths of a day, as decimal.js writes centi ÷ 100 (2175 → "21.75", 2150 → "21.5", 2100 → "21"):
 * integer arithmetic, since a DOUBLE_BOOKED sentence writes one per project part (a Decimal each was most of
 * its cost). Anything but a plain integer goes through Decimal itself.
 */
export function daysText(centi: number): string {
  if (!Number.isSafeInteger(centi)) return new Decimal(centi).div(100).toString();
  const abs = Math.abs(centi);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  const sign = centi < 0 ? '-' : '';
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${frac % 10 === 0 ? frac / 10 : frac < 10 ? `0${frac}` : frac}`;
}

/** DOUBLE_BOOKED (advisory): W's days worked in M over all projects exceed the days in M. */
export function doubleBookedFindings(view: ProjectView, across: CrossDaysIndex): Finding[] {
  ledgerOf(view);
  const out: Finding[] = [];
  const dims: number[] = [];
  // asked once per worker, not per worker-month: most workers are on this project alone
  const elsewhereToo = view.workers.map((id) => across.holds(id));
  for (const cell of view.sorted) {
    const rows = cell.payroll;
    const wm = cell.wm;
    if (rows === null || wm === null) continue;
    const elsewhere = elsewhereToo[cell.w] ? across.of(cell.month, cell.idNumber) : undefined;
    let total = 0;
    if (elsewhere) total = elsewhere.totalCenti;
    else for (const r of rows) total += r.daysWorkedCenti;
    let dim = dims[cell.m];
    if (dim === undefined) dims[cell.m] = dim = daysInMonth(cell.month);
    if (!(total > dim * 100)) continue;
    const parts = elsewhere?.parts ?? rows.map((r) => ({ projectCode: view.project.code, centi: r.daysWorkedCenti, ref: r.ref }));
    const projects = [...new Set(parts.map((p) => p.projectCode))];
    const detail = parts.map((p) => `${p.projectCode} ${daysText(p.centi)}天`).join('、');
    out.push(
      makeFinding('DOUBLE_BOOKED', view.project, {
        idNumber: wm.idNumber,
        month: wm.month,
        evidence: parts.map((p) => p.ref),
        text: `${wm.name}（${maskIdNumber(wm.idNumber)}）${formatMonthZh(wm.month)}在${projects.length}个项目的工资表中合计出勤${daysText(total)}天（${detail}），超过当月${dim}天，疑似虚报出勤或冒用身份`,
      }),
    );
  }
  return out;
}
