/**
 * 列入、移出失信联合惩戒名单 — the listing procedure of 名单办法 (拖欠农民工工资失信联合惩戒对象名单管理暂行办法,
 * 人社部令第45号), as pure rules over the recorded steps. There is NO lighter list in this decree (RULES.md).
 *
 * - 第五条: after an order to pay within a deadline has expired unpaid, when (1) the wages withheld reach the
 *   criminal-threshold amount, or (2) the arrears caused a group or extreme incident with serious impact, the
 *   office 应当 (shall) decide to list the unit, its legal representative and the directly responsible persons;
 * - 第七条: a unit that corrects before the decision and gives a written credit pledge 可以不予列入 (may be left
 *   off). That is the office's discretion, not a bar: the engine records the correction and the pledge and
 *   recommends not listing; the supervisor decides, and a decision against the recommendation states why;
 * - 第六条: notice first; 5 working days to state a case or object; an objection checked within 5 working days;
 * - 第八条: decision within 20 working days after the order's deadline, +20 when complex; 第九条: published;
 * - 第十一条: term 3 years from the decision. Counted by 民法典 第二百零一、二百零二条 (period.ts): the decision
 *   day is not counted, the term's last day is the corresponding day three years on, and the unit is off the
 *   list from the day after (decided 2026-10-27 → on the list through 2029-10-27, off on 2029-10-28);
 * - 第十二至十七条: early removal: corrected, at least 6 months on the list counted from the correction (the later
 *   of decision and correction; that day not counted, the 6 months full at the end of the corresponding day), a
 *   written pledge; barred after a new default while listed or a criminal case (第十三条); the office decides
 *   within 15 working days of the application (第十四条) and removes within 10 working days (第十七条);
 * - 第十五条: a removal obtained by deceit or other improper means (以欺骗等不正当手段) is revoked, the listing
 *   restored and its term counted again — from the restoration decision (our reading, to confirm): restored
 *   2027-06-01 → on the list through 2030-06-01, off on 2030-06-02. The revoked removal is void, so the unit
 *   counts as listed without a gap from the first decision;
 * - 第十六条 (article number to confirm): when the administrative decision the listing rests on (the order to
 *   pay) is annulled or confirmed unlawful (被依法撤销或者确认违法), the listing is revoked. Decision: a revoked
 *   listing is void from the start — it yields no BlacklistEntry at all, so it neither flags BLACKLISTED_PARTY
 *   on any day nor raises a deposit rate, and the findings it raised resolve on the next evaluation.
 */
import { maxDate, type IsoDate } from '../domain/date.ts';
import type { WorkingDayCalendar } from './calendar.ts';
import type { ThresholdCheck } from './criminal.ts';
import { deadlineOf, type Deadline } from './deadlines.ts';
import type { BlacklistEntry } from './facts.ts';
import { cite, type ParamUse } from './params/dated.ts';
import { ENFORCEMENT_PARAMS, type EnforcementParams } from './params/enforcement.ts';
import { civilTerm } from './period.ts';

const DECREE = '拖欠农民工工资失信联合惩戒对象名单管理暂行办法';

export type ListingCriterion = 'amount' | 'incident';

export interface CriteriaFacts {
  /** the order to pay has expired with wages still owed */
  readonly orderExpiredUnpaid: boolean;
  readonly orderDeadline: IsoDate | null;
  /** the amount test on what is still owed (null without an order evaluation) */
  readonly threshold: ThresholdCheck | null;
  /** a group or extreme incident recorded by an inspector */
  readonly incidentRecorded: boolean;
}

export interface CriteriaResult {
  /** true: a criterion is met; false: none is; 'depends_on_local_figure': only the amount test might be */
  readonly eligible: boolean | 'depends_on_local_figure';
  readonly criterion: ListingCriterion | null;
  readonly reasons: readonly string[];
  readonly basis: { readonly document: string; readonly article: string };
}

export function listingCriteria(f: CriteriaFacts): CriteriaResult {
  const basis = { document: DECREE, article: '第五条' };
  if (!f.orderExpiredUnpaid) {
    return {
      eligible: false,
      criterion: null,
      reasons: [f.orderDeadline ? `责令限期支付的期限（${f.orderDeadline}）尚未届满或已支付：不符合列入前提` : '没有逾期未履行的责令限期支付文书：不符合列入前提'],
      basis,
    };
  }
  const reasons = [`责令限期支付期限${f.orderDeadline}届满后仍未支付`];
  const v = f.threshold?.verdict ?? 'not_met';
  if (f.threshold) reasons.push(f.threshold.sentence);
  if (f.incidentRecorded) reasons.push('劳动保障监察员已记录因拖欠工资引发的群体性事件或极端事件');
  if (v === 'met') return { eligible: true, criterion: 'amount', reasons, basis };
  if (f.incidentRecorded) return { eligible: true, criterion: 'incident', reasons, basis };
  if (v === 'depends_on_local_figure') return { eligible: 'depends_on_local_figure', criterion: null, reasons: [...reasons, '是否列入取决于河北省数额较大标准（本地设置，尚未配置）'], basis };
  return { eligible: false, criterion: null, reasons: [...reasons, '欠薪数额未达到数额较大标准，且未记录群体性或极端事件'], basis };
}

/** The recorded steps of one listing procedure (dates only; actors and reasons live with the records). */
export interface ListingSteps {
  readonly orderDeadline: IsoDate;
  readonly noticedOn?: IsoDate;
  /** the unit's statement or objection received */
  readonly statementOn?: IsoDate;
  readonly objection?: boolean;
  /** corrected (wages paid) and pledged in writing */
  readonly correctedOn?: IsoDate;
  readonly pledgeOn?: IsoDate;
  readonly decidedOn?: IsoDate;
  readonly decision?: 'listed' | 'not_listed';
  readonly complex?: boolean;
  readonly publishedOn?: IsoDate;
  readonly removalAppliedOn?: IsoDate;
  /** the office decided to remove early */
  readonly removalDecidedOn?: IsoDate;
  readonly removedOn?: IsoDate;
  /** defaulted on wages again while listed (第十三条) */
  readonly defaultedAgain?: boolean;
  /** a criminal case for refusing to pay is pending or decided (第十三条) */
  readonly criminalCase?: boolean;
  /** 第十五条: the early removal was revoked (obtained by fraud) and the listing restored on this day; the term restarts */
  readonly restoredOn?: IsoDate;
  /** 第十六条: the listing revoked on this day because its payment order was annulled or confirmed unlawful */
  readonly revokedOn?: IsoDate;
  readonly revocationGround?: 'annulled' | 'unlawful';
}

/** The day the listing's current term counts from: the restoration (第十五条) or else the decision (第十一条). */
export function termStart(s: Pick<ListingSteps, 'decidedOn' | 'restoredOn'>): IsoDate | undefined {
  return s.restoredOn ?? s.decidedOn;
}

export type LaterStepCheck = { readonly ok: true; readonly termEndsOn: IsoDate | null; readonly basis: { readonly document: string; readonly article: string } } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * 撤销移出、恢复列入 (第十五条) on `on`: only a listing removed early (a removal decision was made and carried out)
 * and not revoked; not before the removal. The term then runs again from `on`.
 */
export function checkRestoration(s: ListingSteps, on: IsoDate, p: EnforcementParams = ENFORCEMENT_PARAMS): LaterStepCheck {
  const problems: string[] = [];
  if (s.decision !== 'listed' || !s.decidedOn) problems.push('尚未作出列入决定，无从恢复列入');
  else if (s.revokedOn) problems.push(`列入决定已于${s.revokedOn}撤销，不能恢复列入`);
  else if (!s.removedOn) problems.push('该单位未被提前移出名单（期满移出不存在以欺骗手段移出的问题），不能恢复列入');
  else if (on < s.removedOn) problems.push(`恢复列入的日期不能早于移出日期${s.removedOn}`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, termEndsOn: termEnd(on, p), basis: { document: DECREE, article: '第十五条' } };
}

/** 撤销列入决定 (第十六条) on `on`: a listing decided (or still in procedure) and not already revoked. */
export function checkRevocation(s: ListingSteps, on: IsoDate): LaterStepCheck {
  const problems: string[] = [];
  if (s.revokedOn) problems.push(`已于${s.revokedOn}撤销`);
  else if (s.decision === 'not_listed') problems.push('已决定不予列入，无需撤销');
  else if (s.decidedOn && on < s.decidedOn) problems.push(`撤销日期不能早于列入决定日期${s.decidedOn}`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, termEndsOn: null, basis: { document: DECREE, article: '第十六条' } };
}

export interface ListingClock {
  readonly statementWindow: Deadline | null;
  readonly objectionCheck: Deadline | null;
  readonly decision: Deadline;
  /** first day off the list when the term runs out (exclusive end) */
  readonly termEndsOn: IsoDate | null;
  readonly earlyRemoval: EarlyRemoval | null;
  /** before the decision: what the engine recommends (第五条 / 第七条); null once decided */
  readonly recommendation: ListingRecommendation | null;
  readonly params: readonly ParamUse[];
}

export interface EarlyRemoval {
  readonly eligible: boolean;
  /** the first day an application can succeed (6 months from the later of decision and correction) */
  readonly earliestOn: IsoDate | null;
  readonly reasons: readonly string[];
  readonly decisionDue: Deadline | null;
  readonly removalDue: Deadline | null;
}

/**
 * 3 years from the decision (第十一条), counted by 民法典 第二百零一、二百零二条: the first day off the list.
 * Hand-worked: decided 2026-10-27 → the term runs 2026-10-28 … 2029-10-27 → off the list on 2029-10-28;
 * decided 2028-02-29 → last day 2031-02-28 (no 29 February) → off on 2031-03-01. Not rolled by 第二百零三条:
 * a sanction's term is not lengthened because its last day is a rest day (period.ts).
 */
export function termEnd(decidedOn: IsoDate, p: EnforcementParams = ENFORCEMENT_PARAMS): IsoDate {
  const rule = p.listingTerm.at(decidedOn).value;
  return civilTerm(decidedOn, rule.n, rule.unit === 'months' ? 'months' : rule.unit === 'calendar_days' ? 'days' : 'years').dayAfter;
}

/**
 * The first day an early-removal application can succeed: 6 months on the list counted from the correction
 * (the later of decision and correction), 第十二条 "自改正之日起被列入名单满6个月". That day is not counted
 * (民法典 第二百零一条); the 6 months end on the corresponding day (第二百零二条) and are full after it.
 * Hand-worked: corrected 2025-04-30 (listed 2025-03-10) → 6 months end 2025-10-30 → earliest 2025-10-31.
 */
export function earlyRemovalEarliest(decidedOn: IsoDate, correctedOn: IsoDate, months: number): { readonly from: IsoDate; readonly lastDay: IsoDate; readonly earliestOn: IsoDate } {
  const from = maxDate(decidedOn, correctedOn);
  const t = civilTerm(from, months, 'months');
  return { from, lastDay: t.lastDay, earliestOn: t.dayAfter };
}

export function earlyRemoval(s: ListingSteps, asOf: IsoDate, calendar: WorkingDayCalendar, p: EnforcementParams = ENFORCEMENT_PARAMS): EarlyRemoval | null {
  if (s.decision !== 'listed' || !s.decidedOn) return null;
  const reasons: string[] = [];
  const months = p.earlyRemovalMinMonths.at(s.decidedOn).value;
  if (s.revokedOn) return null;
  // after a restoration (第十五条) the 6 months count from the restoration, like the term
  const wait = s.correctedOn ? earlyRemovalEarliest(termStart(s)!, s.correctedOn, months) : null;
  const earliestOn = wait?.earliestOn ?? null;
  let eligible = true;
  if (!s.correctedOn) {
    eligible = false;
    reasons.push('尚未改正拖欠行为（未全部支付被拖欠的工资）');
  } else reasons.push(`${s.correctedOn}已改正，自${wait!.from}起（当日不计）${months}个月至${wait!.lastDay}届满，${earliestOn}起列入已满${months}个月`);
  if (earliestOn && asOf < earliestOn) {
    eligible = false;
    reasons.push(`截至${asOf}列入未满${months}个月（自改正之日起算），${earliestOn}起方可申请`);
  }
  if (!s.pledgeOn) {
    eligible = false;
    reasons.push('未作出书面信用承诺');
  }
  if (s.defaultedAgain) {
    eligible = false;
    reasons.push('列入期间再次拖欠农民工工资，不得提前移出（第十三条）');
  }
  if (s.criminalCase) {
    eligible = false;
    reasons.push('因拒不支付劳动报酬被追究刑事责任或正在刑事诉讼中，不得提前移出（第十三条）');
  }
  const decisionDue = s.removalAppliedOn ? deadlineOf('removal_decision', p.earlyRemovalDecisionPeriod, s.removalAppliedOn, calendar) : null;
  const removalDue = s.removalDecidedOn ? deadlineOf('removal_execution', p.removalExecutionPeriod, s.removalDecidedOn, calendar) : null;
  return { eligible, earliestOn, reasons, decisionDue, removalDue };
}

export function listingClock(s: ListingSteps, asOf: IsoDate, calendar: WorkingDayCalendar, p: EnforcementParams = ENFORCEMENT_PARAMS): ListingClock {
  const statementWindow = s.noticedOn ? deadlineOf('listing_statement', p.listingStatementPeriod, s.noticedOn, calendar) : null;
  const objectionCheck = s.objection && s.statementOn ? deadlineOf('listing_objection_check', p.listingObjectionCheckPeriod, s.statementOn, calendar) : null;
  const decision = deadlineOf('listing_decision', p.listingDecisionPeriod, s.orderDeadline, calendar);
  const termEndsOn = s.decision === 'listed' && s.decidedOn && !s.revokedOn ? termEnd(termStart(s)!, p) : null;
  const params: ParamUse[] = [...decision.params];
  if (s.decidedOn) params.push(cite(p.listingTerm.at(s.decidedOn)));
  const recommendation = s.decision === undefined ? listingRecommendation(s, asOf) : null;
  return { statementWindow, objectionCheck, decision, termEndsOn, earlyRemoval: earlyRemoval(s, asOf, calendar, p), recommendation, params };
}

/** 建议 — what the engine recommends the office decide, and why (the supervisor decides). */
export interface ListingRecommendation {
  /** list: 第五条 应当列入; may_not_list: 第七条 可以不予列入 (corrected and pledged before the decision) */
  readonly recommend: 'list' | 'may_not_list';
  readonly reasons: readonly string[];
  readonly basis: { readonly document: string; readonly article: string };
}

/**
 * The recommendation on `on`: when the unit corrected (paid the wages owed) and gave a written credit pledge
 * before the decision, 第七条 lets the office leave it off the list — recommended, not imposed; otherwise 第五条
 * says the office shall list once the criteria hold.
 */
export function listingRecommendation(s: ListingSteps, on: IsoDate): ListingRecommendation {
  const corrected = s.correctedOn !== undefined && s.correctedOn <= on;
  const pledged = s.pledgeOn !== undefined && s.pledgeOn <= on;
  if (corrected && pledged) {
    return {
      recommend: 'may_not_list',
      reasons: [
        `已于${s.correctedOn}改正拖欠行为并于${s.pledgeOn}作出书面信用承诺，依第七条可以不予列入：建议不予列入`,
        '是否列入由主管裁量决定；决定列入的，应记录不采纳建议的理由',
      ],
      basis: { document: DECREE, article: '第七条' },
    };
  }
  const reasons = ['符合列入条件的，应当作出列入决定（第五条）'];
  if (corrected && !pledged) reasons.push(`${s.correctedOn}已改正，但未作出书面信用承诺，不适用第七条`);
  if (!corrected && pledged) reasons.push('已作出书面信用承诺，但尚未改正拖欠行为，不适用第七条');
  return { recommend: 'list', reasons, basis: { document: DECREE, article: '第五条' } };
}

export type DecisionCheck =
  | { readonly ok: true; readonly late: boolean; readonly warnings: readonly string[]; readonly recommendation: ListingRecommendation }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * May the office decide to list on `on`? Only after the notice and the statement window (or the unit's
 * statement) and once the order's deadline has passed (第六条). A correction with a written pledge (第七条)
 * does not bar the listing: the answer carries the recommendation not to list, and the supervisor decides.
 */
export function checkListingDecision(s: ListingSteps, on: IsoDate, calendar: WorkingDayCalendar, p: EnforcementParams = ENFORCEMENT_PARAMS): DecisionCheck {
  const problems: string[] = [];
  if (!s.noticedOn) problems.push('作出列入决定前应当书面告知（第六条），尚未记录告知');
  else {
    const w = deadlineOf('listing_statement', p.listingStatementPeriod, s.noticedOn, calendar);
    if (!s.statementOn && w.due !== null && on <= w.due) problems.push(`陈述申辩期（至${w.due}）尚未届满，且未收到陈述申辩`);
  }
  if (on < s.orderDeadline) problems.push(`责令限期支付期限${s.orderDeadline}尚未届满`);
  if (problems.length > 0) return { ok: false, problems };
  const recommendation = listingRecommendation(s, on);
  const d = deadlineOf('listing_decision', p.listingDecisionPeriod, s.orderDeadline, calendar);
  const warnings: string[] = [];
  let late = false;
  if (d.due !== null && on > d.due) {
    late = true;
    warnings.push(`列入决定应于${d.due}前作出${s.complex ? `（经批准延长至${d.extendedDue}）` : ''}`);
    if (s.complex && d.extendedDue && on <= d.extendedDue) {
      late = false;
      warnings.pop();
    }
  }
  if (recommendation.recommend === 'may_not_list') warnings.push(`未采纳不予列入的建议（第七条）：${recommendation.reasons[0]}`);
  return { ok: true, late, warnings, recommendation };
}

/** The listing as the rules core's BlacklistEntry (feeds BLACKLISTED_PARTY and the deposit raise). */
export function entryOfListing(l: { uscc: string; name?: string; steps: ListingSteps; reason?: string }, p: EnforcementParams = ENFORCEMENT_PARAMS): BlacklistEntry | null {
  const s = l.steps;
  if (s.decision !== 'listed' || !s.decidedOn) return null;
  // 第十六条: revoked with the order it rests on — void from the start
  if (s.revokedOn) return null;
  // 第十五条: a removal revoked for fraud is void (its dates are cleared on restoration); the term restarts
  const end = termEnd(termStart(s)!, p);
  // a removal on or before the restoration is the one revoked: only a later removal ends the restored listing
  const removed = s.removedOn && !(s.restoredOn && s.removedOn <= s.restoredOn) ? s.removedOn : undefined;
  const to = removed && removed < end ? removed : end;
  return { uscc: l.uscc as BlacklistEntry['uscc'], ...(l.name ? { name: l.name } : {}), from: s.decidedOn, to, ...(l.reason ? { reason: l.reason } : {}) };
}
