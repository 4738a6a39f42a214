/**
 * 农民工工资保证金 — the guarantee deposit (条例 第三十二条; 保证金规定; 河北办法), COMPLIANCE.md §4.
 *
 * Required = contract amount × rate. The rate starts at the base rate and is waived, cut or raised by the
 * contractor's history before the deposit (the first deposit's date, or the storing deadline when nothing
 * was deposited by D) and by the contract size; the answer lists every step. History the system does not
 * hold earns no reduction: a clean-years step needs ContractorHistoryFacts.recordsHeldFrom on or before
 * the start of its look-back window. Raises need no coverage: known arrears always count.
 *
 * Held at D = cash deposits + replenishments − uses − refunds, plus bank guarantees and insurance not
 * expired at D.
 */
import { AS_OF } from '../domain/sentence.ts';
import { Decimal } from 'decimal.js';
import { addDays, addYears, type IsoDate } from '../domain/date.ts';
import { fen, formatYuan, minFen, mulFen, type Fen } from '../domain/money.ts';
import { formatMonthZh } from '../domain/month.ts';
import type { Uscc } from '../domain/uscc.ts';
import { calendarOf } from './calendar.ts';
import type { BlacklistEntry, DepositEventFact, EvidenceRef, ProjectFacts } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import { cite, type ParamUse } from './params/dated.ts';
import { DEFAULT_PARAMS, type RulesParams } from './params/index.ts';
import type { WorkingDayCalendar } from './calendar.ts';
import type { WorkerMonth } from './wages.ts';

/** What the deposit flags read of a project as of D (a ProjectView has all of it). */
export interface DepositView {
  readonly project: ProjectFacts;
  readonly asOf: IsoDate;
  readonly params: RulesParams;
  readonly completed: boolean;
  /** events dated ≤ D */
  readonly depositEvents: readonly DepositEventFact[];
  readonly calendar: WorkingDayCalendar;
}

export function depositViewOf(project: ProjectFacts, asOf: IsoDate, params: RulesParams = DEFAULT_PARAMS): DepositView {
  return {
    project,
    asOf,
    params,
    completed: project.completionDate !== undefined && project.completionDate <= asOf,
    depositEvents: project.depositEvents.filter((e) => e.date <= asOf),
    calendar: calendarOf(params.holidays),
  };
}

/** A period in which the contractor owed wages (from and to inclusive; to null = still owed at D). */
export interface ArrearsPeriod {
  readonly from: IsoDate;
  readonly to: IsoDate | null;
  /** what it was, in Chinese (project, month, worker count) */
  readonly what: string;
  readonly evidence: readonly EvidenceRef[];
}

/** 承包单位信用记录 — what the deposit rule knows about a general contractor (built by evaluate.ts from CityFacts). */
export interface ContractorRecord {
  readonly uscc: Uscc;
  /** from this day the bureau holds the contractor's complete arrears record; null = no history held */
  readonly recordsHeldFrom: IsoDate | null;
  readonly realNameAndAccountCompliant: boolean;
  /** merged arrears periods: recorded history plus those derived from the city's ledgers */
  readonly arrears: readonly ArrearsPeriod[];
  readonly blacklist: readonly BlacklistEntry[];
  /** the contractor's projects in the area (the city), this one included */
  readonly projects: readonly Pick<ProjectFacts, 'id' | 'code' | 'contractSignedOn' | 'completionDate'>[];
}

export type DepositStepCode =
  | 'base_rate'
  | 'small_contract_exemption'
  | 'clean_years_exemption'
  | 'second_project_cut'
  | 'clean_years_cut'
  | 'several_projects_floor'
  | 'arrears_raise'
  | 'blacklist_raise'
  | 'amount'
  | 'cap';

export interface DepositStep {
  readonly step: DepositStepCode;
  readonly applied: boolean;
  /** the rate after this step (decimal string) */
  readonly rate: string;
  /** 说明 */
  readonly why: string;
  readonly params: readonly ParamUse[];
}

/** 应存工资保证金 */
export interface DepositRequirement {
  readonly contractAmount: Fen;
  /** 存储期限: signing + 20 working days */
  readonly deadline: IsoDate;
  /** the day the history is looked back from */
  readonly lookbackDate: IsoDate;
  readonly lookbackBasis: 'first_deposit' | 'deadline';
  readonly exempt: boolean;
  readonly rate: string;
  /** contract × rate, before the cap */
  readonly uncapped: Fen;
  readonly cap: Fen;
  readonly required: Fen;
  readonly steps: readonly DepositStep[];
}

/** 实存工资保证金 as of D */
export interface DepositHoldings {
  /** cash deposits + replenishments − uses − refunds (not below 0) */
  readonly cash: Fen;
  /** guarantees and insurance not expired at D, less guarantee-form uses and refunds since the oldest of them */
  readonly guarantees: Fen;
  readonly total: Fen;
  readonly validGuarantees: readonly DepositEventFact[];
  readonly evidence: readonly EvidenceRef[];
}

/** Merged arrears periods of worker-months paid after their due date or still unpaid (derived history). */
export function arrearsPeriodsOf(ledger: readonly WorkerMonth[]): ArrearsPeriod[] {
  const raw: ArrearsPeriod[] = [];
  for (const wm of ledger) {
    if (wm.netDue === null || wm.netDue <= 0 || wm.status === 'not_due' || wm.status === 'paid') continue;
    if (wm.paidInFullOn !== null && wm.paidInFullOn <= wm.dueDate) continue;
    raw.push({
      from: addDays(wm.dueDate, 1),
      to: wm.paidInFullOn === null ? null : addDays(wm.paidInFullOn, -1),
      what: `${wm.projectCode} ${formatMonthZh(wm.month)} ${wm.name}工资逾期`,
      evidence: wm.evidence.slice(0, 1),
    });
  }
  return mergePeriods(raw);
}

/** Sorts and merges overlapping or adjacent periods, keeping the first description and a count. */
export function mergePeriods(periods: readonly ArrearsPeriod[]): ArrearsPeriod[] {
  const sorted = [...periods].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.what < b.what ? -1 : 1));
  const out: { from: IsoDate; to: IsoDate | null; what: string; count: number; evidence: EvidenceRef[] }[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && (last.to === null || p.from <= addDays(last.to, 1))) {
      if (last.to !== null && (p.to === null || p.to > last.to)) last.to = p.to;
      last.count++;
      if (last.evidence.length < 5) last.evidence.push(...p.evidence.slice(0, 5 - last.evidence.length));
    } else {
      out.push({ from: p.from, to: p.to, what: p.what, count: 1, evidence: [...p.evidence] });
    }
  }
  return out.map((p) => ({ from: p.from, to: p.to, what: p.count > 1 ? `${p.what}等${p.count}项` : p.what, evidence: p.evidence }));
}

/** The first arrears period overlapping [from, before) — the look-back window ending the day before `before`. */
function arrearsIn(record: ContractorRecord, from: IsoDate, before: IsoDate): ArrearsPeriod | undefined {
  const lastDay = addDays(before, -1);
  return record.arrears.find((p) => p.from <= lastDay && (p.to === null || p.to >= from));
}

function listedOn(record: ContractorRecord, day: IsoDate): BlacklistEntry | undefined {
  return record.blacklist.find((b) => b.from <= day && (b.to === undefined || day < b.to));
}

const pct = (rate: Decimal) => `${rate.mul(100).toString()}%`;

/** 存储期限 — signing + N working days. */
export function depositDeadline(project: Pick<ProjectFacts, 'contractSignedOn'>, params: RulesParams = DEFAULT_PARAMS): { deadline: IsoDate; param: ParamUse } {
  const p = params.depositStoreDeadline.at(project.contractSignedOn);
  return { deadline: calendarOf(params.holidays).addWorkingDays(project.contractSignedOn, p.value.workingDays), param: cite(p) };
}

/** 应存工资保证金 — the requirement with every step shown. */
export function requiredDeposit(
  project: ProjectFacts,
  record: ContractorRecord,
  asOf: IsoDate,
  params: RulesParams = DEFAULT_PARAMS,
): DepositRequirement {
  const { deadline, param: deadlineParam } = depositDeadline(project, params);
  const firstDeposit = project.depositEvents
    .filter((e) => e.event === 'deposit' && e.date <= asOf)
    .reduce<IsoDate | undefined>((min, e) => (min === undefined || e.date < min ? e.date : min), undefined);
  const t = firstDeposit ?? deadline;
  const lookbackBasis = firstDeposit !== undefined ? 'first_deposit' : 'deadline';
  const steps: DepositStep[] = [];
  const covered = (from: IsoDate) => record.recordsHeldFrom !== null && record.recordsHeldFrom <= from;
  const noHistory = (from: IsoDate) =>
    record.recordsHeldFrom === null
      ? '系统未掌握该单位的历史欠薪记录，不予降低'
      : `系统自${record.recordsHeldFrom}起才掌握该单位记录，未覆盖${from}起的期间，不予降低`;

  const baseP = params.depositBaseRate.at(t);
  const bounds = params.depositNationalBounds.at(t);
  let rate = new Decimal(baseP.value);
  if (rate.lt(bounds.value.min) || rate.gt(bounds.value.max)) {
    throw new RangeError(`工资保证金基准比例${pct(rate)}不在全国规定的${pct(new Decimal(bounds.value.min))}–${pct(new Decimal(bounds.value.max))}之间：请检查参数`);
  }
  steps.push({
    step: 'base_rate',
    applied: true,
    rate: rate.toString(),
    why: `基准比例${pct(rate)}（${baseP.source.document}；全国规定${pct(new Decimal(bounds.value.min))}–${pct(new Decimal(bounds.value.max))}）；以${t}${lookbackBasis === 'first_deposit' ? '（首次存储日）' : '（存储期限）'}为准回溯该单位记录`,
    params: [cite(baseP), cite(bounds), deadlineParam],
  });

  const cap = params.depositCap.at(t);
  const finish = (exempt: boolean): DepositRequirement => {
    const uncapped = exempt ? fen(0) : mulFen(project.contractAmount, rate);
    const required = minFen(uncapped, cap.value);
    steps.push({
      step: 'amount',
      applied: !exempt,
      rate: rate.toString(),
      why: exempt ? '免存，应存0元' : `合同额${formatYuan(project.contractAmount)}元×${pct(rate)}=${formatYuan(uncapped)}元`,
      params: [],
    });
    steps.push({
      step: 'cap',
      applied: uncapped > cap.value,
      rate: rate.toString(),
      why:
        uncapped > cap.value
          ? `超过单个项目上限${formatYuan(cap.value)}元，按上限存储`
          : `未超过单个项目上限${formatYuan(cap.value)}元`,
      params: [cite(cap)],
    });
    return { contractAmount: project.contractAmount, deadline, lookbackDate: t, lookbackBasis, exempt, rate: rate.toString(), uncapped, cap: cap.value, required, steps };
  };

  // —— exemptions ——
  const small = params.depositSmallContractExemption.at(t);
  const smallFrom = addYears(project.contractSignedOn, -small.value.lookbackYears);
  if (project.contractAmount < small.value.below) {
    const arrears = arrearsIn(record, smallFrom, project.contractSignedOn);
    const ok = covered(smallFrom) && !arrears;
    steps.push({
      step: 'small_contract_exemption',
      applied: ok,
      rate: ok ? '0' : rate.toString(),
      why: ok
        ? `合同额${formatYuan(project.contractAmount)}元低于${formatYuan(small.value.below)}元，且签订合同前一年内（${smallFrom}至${addDays(project.contractSignedOn, -1)}）无拖欠，免存`
        : `合同额低于${formatYuan(small.value.below)}元，但${arrears ? `签订合同前一年内有拖欠（${arrears.what}，${arrears.from}起）` : noHistory(smallFrom)}，不免存`,
      params: [cite(small)],
    });
    if (ok) {
      rate = new Decimal(0);
      return finish(true);
    }
  }
  const exemptP = params.depositCleanYearsExemption.at(t);
  const exemptFrom = addYears(t, -exemptP.value.years);
  {
    const arrears = arrearsIn(record, exemptFrom, t);
    const listed = record.blacklist.find((b) => b.from < t && (b.to === undefined || b.to > exemptFrom));
    const ok = covered(exemptFrom) && !arrears && !listed && record.realNameAndAccountCompliant;
    const reason = arrears
      ? `前${exemptP.value.years}年内有拖欠（${arrears.what}）`
      : listed
        ? `前${exemptP.value.years}年内曾列入失信名单`
        : !covered(exemptFrom)
          ? noHistory(exemptFrom)
          : '未认定落实实名制和专户制度';
    steps.push({
      step: 'clean_years_exemption',
      applied: ok,
      rate: ok ? '0' : rate.toString(),
      why: ok
        ? `${exemptFrom}至${addDays(t, -1)}连续${exemptP.value.years}年无拖欠，且落实实名制和专户制度，免存`
        : `连续${exemptP.value.years}年无拖欠免存：不适用（${reason}）`,
      params: [cite(exemptP)],
    });
    if (ok) {
      rate = new Decimal(0);
      return finish(true);
    }
  }

  // —— cuts ——
  const secondP = params.depositSecondProjectCut.at(t);
  const earlier = record.projects.find(
    (p) =>
      p.id !== project.id &&
      (p.contractSignedOn < project.contractSignedOn || (p.contractSignedOn === project.contractSignedOn && p.code < project.code)) &&
      (p.completionDate === undefined || p.completionDate >= t),
  );
  if (earlier) rate = rate.mul(secondP.value);
  steps.push({
    step: 'second_project_cut',
    applied: earlier !== undefined,
    rate: rate.toString(),
    why: earlier
      ? `该单位在本地区另有在建项目${earlier.code}（${earlier.contractSignedOn}签订），本项目为第二个及以后的项目，比例×${secondP.value}`
      : '该单位在本地区没有更早的在建项目，不下浮',
    params: [cite(secondP)],
  });

  const cutP = params.depositCleanYearsCut.at(t);
  const cutFrom = addYears(t, -cutP.value.years);
  {
    const arrears = arrearsIn(record, cutFrom, t);
    const ok = covered(cutFrom) && !arrears;
    if (ok) rate = rate.mul(cutP.value.factor);
    steps.push({
      step: 'clean_years_cut',
      applied: ok,
      rate: rate.toString(),
      why: ok
        ? `${cutFrom}至${addDays(t, -1)}连续${cutP.value.years}年无拖欠，比例×${cutP.value.factor}`
        : `连续${cutP.value.years}年无拖欠下浮：不适用（${arrears ? `有拖欠：${arrears.what}` : noHistory(cutFrom)}）`,
      params: [cite(cutP)],
    });
  }

  const floor = new Decimal(bounds.value.severalProjectsFloor);
  const belowFloor = rate.lt(floor);
  if (belowFloor) rate = floor;
  steps.push({
    step: 'several_projects_floor',
    applied: belowFloor,
    rate: rate.toString(),
    why: belowFloor ? `下浮后低于全国规定的最低比例${pct(floor)}，按${pct(floor)}` : `不低于全国规定的最低比例${pct(floor)}`,
    params: [cite(bounds)],
  });

  // —— raises (the blacklist raise replaces the arrears raise) ——
  const raiseP = params.depositArrearsRaise.at(t);
  const raiseFrom = addYears(t, -raiseP.value.years);
  const blackP = params.depositBlacklistRaise.at(t);
  const dayBefore = addDays(t, -1);
  const listing = listedOn(record, dayBefore);
  const arrears = arrearsIn(record, raiseFrom, t);
  const arrearsApplies = arrears !== undefined && listing === undefined;
  if (arrearsApplies) rate = rate.mul(raiseP.value.factor);
  steps.push({
    step: 'arrears_raise',
    applied: arrearsApplies,
    rate: rate.toString(),
    why: arrears
      ? listing
        ? `前${raiseP.value.years}年内有拖欠（${arrears.what}），由失信名单上浮代替`
        : `前${raiseP.value.years}年内（${raiseFrom}起）有拖欠：${arrears.what}（${arrears.from}起），比例×${raiseP.value.factor}`
      : `前${raiseP.value.years}年内（${raiseFrom}至${dayBefore}）无已知拖欠，不上浮`,
    params: [cite(raiseP)],
  });
  if (listing) rate = rate.mul(blackP.value.factor);
  steps.push({
    step: 'blacklist_raise',
    applied: listing !== undefined,
    rate: rate.toString(),
    why: listing
      ? `该单位自${listing.from}起列入拖欠农民工工资失信联合惩戒对象名单，比例×${blackP.value.factor}`
      : `${dayBefore}不在失信名单上，不上浮`,
    params: [cite(blackP)],
  });
  return finish(false);
}

/** 实存工资保证金 at D. */
export function depositHoldings(events: readonly DepositEventFact[], asOf: IsoDate): DepositHoldings {
  const current = events.filter((e) => e.date <= asOf);
  let cash = 0;
  for (const e of current) {
    if (e.form !== 'cash') continue;
    cash += e.event === 'deposit' || e.event === 'replenish' ? e.amount : -e.amount;
  }
  const validGuarantees = current.filter(
    (e) => e.form !== 'cash' && (e.event === 'deposit' || e.event === 'replenish') && (e.expiresOn === undefined || e.expiresOn >= asOf),
  );
  let guarantees = validGuarantees.reduce((s, e) => s + e.amount, 0);
  if (validGuarantees.length > 0) {
    const oldest = validGuarantees.reduce((m, e) => (e.date < m ? e.date : m), validGuarantees[0]!.date);
    for (const e of current) if (e.form !== 'cash' && (e.event === 'use' || e.event === 'refund') && e.date >= oldest) guarantees -= e.amount;
  }
  const cashHeld = fen(Math.max(0, cash));
  const guaranteesHeld = fen(Math.max(0, guarantees));
  return { cash: cashHeld, guarantees: guaranteesHeld, total: fen(cashHeld + guaranteesHeld), validGuarantees, evidence: current.map((e) => e.ref) };
}

const FORM_ZH: Record<DepositEventFact['form'], string> = { cash: '现金', bank_guarantee: '银行保函', insurance: '保证保险' };

/**
 * DEPOSIT_MISSING / DEPOSIT_SHORT (P not completed, D after the storing deadline, held zero / below the
 * requirement), GUARANTEE_EXPIRING / GUARANTEE_EXPIRED (P not completed), DEPOSIT_NOT_REPLENISHED.
 */
export function depositFindings(view: DepositView, requirement: DepositRequirement, holdings: DepositHoldings): Finding[] {
  const { project, asOf, params } = view;
  const out: Finding[] = [];
  const stepParams = requirement.steps.flatMap((s) => (s.applied || s.step === 'base_rate' ? s.params : []));
  const how = requirement.steps.filter((s) => s.applied && s.step !== 'amount' && s.step !== 'cap').map((s) => s.why.split('；')[0]).join('；');
  if (!view.completed && asOf > requirement.deadline && requirement.required > 0) {
    if (holdings.total === 0) {
      out.push(
        makeFinding('DEPOSIT_MISSING', project, {
          amount: requirement.required,
          params: stepParams,
          evidence: [project.ref, ...holdings.evidence],
          text: `项目未竣工，应于${requirement.deadline}前存储工资保证金${formatYuan(requirement.required)}元（${how}），截至${AS_OF}未存储`,
        }),
      );
    } else if (holdings.total < requirement.required) {
      const short = fen(requirement.required - holdings.total);
      out.push(
        makeFinding('DEPOSIT_SHORT', project, {
          amount: short,
          params: stepParams,
          evidence: [project.ref, ...holdings.evidence],
          text: `项目未竣工，应存工资保证金${formatYuan(requirement.required)}元（${how}），截至${AS_OF}实存${formatYuan(holdings.total)}元（现金${formatYuan(holdings.cash)}元，有效保函/保险${formatYuan(holdings.guarantees)}元），少${formatYuan(short)}元`,
        }),
      );
    }
  }

  const events = view.depositEvents;
  if (!view.completed) {
    const window = params.guaranteeExpiringWindow.at(asOf);
    const until = addDays(asOf, window.value.days);
    const expiring = holdings.validGuarantees.filter((g) => g.expiresOn !== undefined && g.expiresOn <= until);
    if (expiring.length > 0) {
      out.push(
        makeFinding('GUARANTEE_EXPIRING', project, {
          amount: fen(expiring.reduce((s, g) => s + g.amount, 0)),
          params: [cite(window)],
          evidence: expiring.map((g) => g.ref),
          text: `项目未竣工，${expiring.map((g) => `${FORM_ZH[g.form]}${g.voucherNo}（${formatYuan(g.amount)}元）将于${g.expiresOn}到期`).join('；')}，在${window.value.days}天内，请督促续保或改存现金`,
        }),
      );
    }
    // an expired guarantee counts unless a later deposit still held at D replaced it, or it was refunded
    const cashDeposits = events.filter((e) => e.form === 'cash' && (e.event === 'deposit' || e.event === 'replenish'));
    const expired = events.filter(
      (g) =>
        g.form !== 'cash' &&
        (g.event === 'deposit' || g.event === 'replenish') &&
        g.expiresOn !== undefined &&
        g.expiresOn < asOf &&
        !holdings.validGuarantees.some((v) => v !== g && v.date >= g.date) &&
        !(holdings.cash > 0 && cashDeposits.some((c) => c.date >= g.date)) &&
        !events.some((r) => r.form !== 'cash' && r.event === 'refund' && r.date >= g.date),
    );
    if (expired.length > 0) {
      out.push(
        makeFinding('GUARANTEE_EXPIRED', project, {
          amount: fen(expired.reduce((s, g) => s + g.amount, 0)),
          evidence: expired.map((g) => g.ref),
          text: `项目未竣工，${expired.map((g) => `${FORM_ZH[g.form]}${g.voucherNo}（${formatYuan(g.amount)}元）已于${g.expiresOn}到期`).join('；')}，未见续保或替换`,
        }),
      );
    }
  }

  // DEPOSIT_NOT_REPLENISHED — each use made good within N working days; replenishments allocated first-in first-out
  const uses = events.filter((e) => e.event === 'use').sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (uses.length > 0) {
    const calendar = view.calendar;
    const replenishments = events
      .filter((e) => e.event === 'replenish')
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      .map((e) => ({ e, left: e.amount as number }));
    let shortTotal = 0;
    const failed: string[] = [];
    const evidence: EvidenceRef[] = [];
    let param: ParamUse | undefined;
    for (const u of uses) {
      const p = params.depositReplenishDeadline.at(u.date);
      param = cite(p);
      const deadline = calendar.addWorkingDays(u.date, p.value.workingDays);
      let need = u.amount as number;
      for (const r of replenishments) {
        if (need === 0) break;
        if (r.left === 0 || r.e.date < u.date || r.e.date > deadline) continue;
        const take = Math.min(need, r.left);
        r.left -= take;
        need -= take;
      }
      if (need > 0 && asOf > deadline) {
        shortTotal += need;
        failed.push(`${u.date}动用${formatYuan(u.amount)}元，应于${deadline}前补足，期限内少补${formatYuan(fen(need))}元`);
        evidence.push(u.ref);
      }
    }
    if (failed.length > 0) {
      for (const r of replenishments) evidence.push(r.e.ref);
      out.push(
        makeFinding('DEPOSIT_NOT_REPLENISHED', project, {
          amount: fen(shortTotal),
          params: param ? [param] : [],
          evidence,
          text: `工资保证金动用后未按期补足：${failed.join('；')}`,
        }),
      );
    }
  }
  return out;
}
