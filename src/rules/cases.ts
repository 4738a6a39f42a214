/**
 * 欠薪案件 — wage claims: the stages a case moves through (the green channel 快调/快裁/快审/快执, or a
 * labour-inspection order and a criminal referral), the transitions the law allows between them, and the
 * statutory deadline of each stage counted from its start (COMPLIANCE.md §5; RULES.md "Inspection,
 * mediation, arbitration, trial, enforcement"). Pure: the storage layer records the events.
 *
 * Implements 劳动争议调解仲裁法 第十四、二十九、四十三、四十七至五十一条 (mediation, arbitration, the award and
 * its windows; 第五十一条: an award in force is enforced by the court like a judgment), 民事诉讼法（2023年修正）
 * 第一百六十四、一百六十八、一百七十一条 (trial periods, the 15-day appeal window) and 第二百五十条: the 2-year
 * enforcement-application period runs from the last day of the performance period the judgment or award sets,
 * or, when it sets none, from the day it takes effect — a judgment when its 15-day appeal window passes unused
 * (the day after the window's last day), a non-final award likewise after its 15-day suit window (第五十条),
 * a final award on the day it is made (第四十七条). Awards therefore get this clock too.
 */
import { addDays, type IsoDate } from '../domain/date.ts';
import { MissingHolidayScheduleError, type WorkingDayCalendar } from './calendar.ts';
import { deadlineOf, type Deadline } from './deadlines.ts';
import type { ParamUse } from './params/dated.ts';
import { civilDeadline } from './period.ts';
import { ENFORCEMENT_PARAMS, type EnforcementParams } from './params/enforcement.ts';

/** 案件阶段 */
export const CASE_STAGES = [
  'intake',
  'mediation',
  'arbitration',
  'awarded',
  'trial',
  'judged',
  'enforcement',
  'inspection',
  'criminal_referral',
  'closed',
  'withdrawn',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const STAGE_ZH: Record<CaseStage, string> = {
  intake: '登记受理',
  mediation: '快调（调解）',
  arbitration: '快裁（仲裁）',
  awarded: '已作出仲裁裁决',
  trial: '快审（诉讼）',
  judged: '已作出判决',
  enforcement: '快执（强制执行）',
  inspection: '劳动保障监察（责令限期支付）',
  criminal_referral: '移送公安机关（涉嫌拒不支付劳动报酬罪）',
  closed: '结案',
  withdrawn: '撤回',
};

/** A transition the law provides, with the article that opens it. */
export interface Transition {
  readonly from: CaseStage;
  readonly to: CaseStage;
  /** why this move is lawful, in Chinese */
  readonly why: string;
  readonly basis: string;
}

const t = (from: CaseStage, to: CaseStage, why: string, basis: string): Transition => ({ from, to, why, basis });

/** 允许的阶段转换 — every other move is refused. */
export const TRANSITIONS: readonly Transition[] = [
  t('intake', 'mediation', '双方同意先行调解（快调）', '劳动争议调解仲裁法 第十条'),
  t('intake', 'arbitration', '申请劳动争议仲裁（快裁）', '劳动争议调解仲裁法 第五条、第二十八条'),
  t('intake', 'trial', '持用人单位工资欠条直接起诉（快审）', '最高人民法院关于审理劳动争议案件适用法律问题的解释（一） 第十五条'),
  t('intake', 'inspection', '投诉至劳动保障监察，责令限期支付', '劳动保障监察条例 第二十六条；保障农民工工资支付条例 第四十二条'),
  t('intake', 'enforcement', '已有生效法律文书，申请强制执行（快执）', '民事诉讼法 第二百四十七条、第二百四十八条'),
  t('intake', 'withdrawn', '申请人撤回', '劳动争议调解仲裁法 第四十一条'),
  t('mediation', 'arbitration', '调解期限内未达成调解协议或达成后不履行，申请仲裁', '劳动争议调解仲裁法 第十四条、第十五条'),
  t('mediation', 'inspection', '调解中发现欠薪事实清楚，转监察责令支付', '劳动保障监察条例 第二十六条'),
  t('mediation', 'closed', '调解协议已履行（工资已付到工人本人）', '劳动争议调解仲裁法 第十四条'),
  t('mediation', 'withdrawn', '申请人撤回', '劳动争议调解仲裁法 第四十一条'),
  t('arbitration', 'awarded', '仲裁庭作出裁决', '劳动争议调解仲裁法 第四十三条、第四十七条'),
  t('arbitration', 'trial', '仲裁委员会不予受理或逾期未作决定，向人民法院起诉', '劳动争议调解仲裁法 第二十九条、第四十三条'),
  t('arbitration', 'closed', '仲裁调解书已履行或和解结案', '劳动争议调解仲裁法 第四十一条、第四十二条'),
  t('arbitration', 'withdrawn', '申请人撤回仲裁申请', '劳动争议调解仲裁法 第四十一条'),
  t('awarded', 'trial', '当事人在法定期限内起诉（终局裁决仅劳动者可起诉）', '劳动争议调解仲裁法 第四十八条、第五十条'),
  t('awarded', 'enforcement', '裁决生效后用人单位不履行，申请强制执行', '劳动争议调解仲裁法 第五十一条'),
  t('awarded', 'closed', '裁决已履行（工资已付到工人本人）', '劳动争议调解仲裁法 第五十一条'),
  t('trial', 'judged', '人民法院作出判决', '民事诉讼法 第一百六十四条、第一百六十八条'),
  t('trial', 'closed', '诉讼中调解或和解并已履行', '民事诉讼法 第一百零一条'),
  t('trial', 'withdrawn', '原告撤诉', '民事诉讼法 第一百四十八条'),
  t('judged', 'enforcement', '判决生效后不履行，在申请执行期间内申请强制执行', '民事诉讼法 第二百四十七条、第二百五十条'),
  t('judged', 'closed', '判决已履行（工资已付到工人本人）', '民事诉讼法 第二百四十七条'),
  t('enforcement', 'closed', '执行完毕或依法终结执行', '民事诉讼法 第二百六十四条'),
  t('inspection', 'criminal_referral', '责令限期支付逾期仍不支付且达到数额较大标准，移送公安机关', '刑法 第二百七十六条之一；行政执法机关移送涉嫌犯罪案件的规定 第三条'),
  t('inspection', 'arbitration', '争议事实需经仲裁确认，告知申请仲裁', '劳动保障监察条例 第二十一条'),
  t('inspection', 'closed', '责令支付已履行（工资已付到工人本人）或依法作出处理决定', '劳动保障监察条例 第二十六条、第三十条'),
  t('criminal_referral', 'closed', '公安机关立案侦查或案件终结（刑事程序之外的工资追索另行处理）', '刑法 第二百七十六条之一'),
];

export function allowedNext(from: CaseStage): Transition[] {
  return TRANSITIONS.filter((x) => x.from === from);
}

export type TransitionCheck = { readonly ok: true; readonly transition: Transition } | { readonly ok: false; readonly message: string; readonly allowed: readonly CaseStage[] };

/** Is `from → to` a lawful move? The refusal says, in Chinese, which moves are open instead. */
export function checkTransition(from: CaseStage, to: CaseStage): TransitionCheck {
  const found = TRANSITIONS.find((x) => x.from === from && x.to === to);
  if (found) return { ok: true, transition: found };
  const allowed = allowedNext(from).map((x) => x.to);
  const open = allowed.length === 0 ? '该阶段已终结，不能再转换' : `当前只能转入：${allowed.map((s) => STAGE_ZH[s]).join('、')}`;
  return { ok: false, message: `案件不能从“${STAGE_ZH[from]}”转入“${STAGE_ZH[to]}”：${open}`, allowed };
}

/** What a stage's clocks need besides its start. */
export interface StageFacts {
  readonly stage: CaseStage;
  /** the day the stage began (application, filing, award or judgment served, enforcement applied …) */
  readonly since: IsoDate;
  /** the day the body accepted the matter (arbitration, inspection), when recorded */
  readonly acceptedOn?: IsoDate;
  /** awarded: the award is final (一裁终局, 调仲法 第四十七条) */
  readonly finalAward?: boolean;
  /** trial: the procedure */
  readonly procedure?: 'simplified' | 'small_claims';
  /** judged / awarded: 履行期间 the document sets, in days from the day it takes effect (e.g. 判决生效之日起十日内) */
  readonly performanceDays?: number;
  /** judged / awarded: the last day of performance when the document names a date (the last instalment's) */
  readonly performanceDueOn?: IsoDate;
}

/**
 * 申请执行期间 — 2 years (民事诉讼法 第二百五十条) from the last day of the performance period, else from the day
 * the judgment or award takes effect. Hand-worked: judgment served Mon 2024-09-02; the appeal window's 15th day
 * 09-17 is 中秋 (rest 09-15…17) → 09-18; in force 09-19; "生效之日起十日内" → 09-29, a make-up working day
 * (调休上班) so no roll; 2 years from 09-29 → 2026-09-29 (Tue): in time on 09-29, late from 09-30. Without a
 * performance period: from 09-19 → 2026-09-19 (Sat) → the first working day after it, 09-20 (a make-up Sunday).
 */
export function enforcementApplicationDeadline(s: StageFacts, calendar: WorkingDayCalendar, p: EnforcementParams = ENFORCEMENT_PARAMS): Deadline {
  const steps: string[] = [];
  const params: ParamUse[] = [];
  let effective: IsoDate | null;
  if (s.stage === 'awarded' && s.finalAward) {
    effective = s.since;
    steps.push(`终局裁决自作出之日（${s.since}）起发生法律效力（劳动争议调解仲裁法第四十七条）`);
  } else {
    const w =
      s.stage === 'awarded'
        ? deadlineOf('award_suit', p.awardSuitPeriod, s.since, calendar)
        : deadlineOf('judgment_appeal', p.judgmentAppealPeriod, s.since, calendar);
    params.push(...w.params);
    effective = w.due === null ? null : addDays(w.due, 1);
    steps.push(
      w.due === null
        ? `${w.name}届满日无法确定（${w.problem ?? ''}），生效日期暂无法确定`
        : `${s.stage === 'awarded' ? '非终局裁决' : '第一审判决'}于${s.since}送达，${w.name}至${w.due}届满未${s.stage === 'awarded' ? '起诉' : '上诉'}，${effective}发生法律效力（${w.basis.document}${w.basis.article}）`,
    );
  }
  let start: IsoDate | null = effective;
  if (s.performanceDueOn) {
    start = s.performanceDueOn;
    steps.push(`法律文书规定的履行期间最后一日为${s.performanceDueOn}`);
  } else if (s.performanceDays && effective) {
    try {
      const perf = civilDeadline(effective, s.performanceDays, 'days', calendar);
      start = perf.last;
      steps.push(`履行期间为生效之日起${s.performanceDays}日，至${perf.raw}${perf.rolled ? `（休息日或法定节假日，顺延至${perf.last}）` : ''}届满`);
    } catch (e) {
      if (!(e instanceof MissingHolidayScheduleError)) throw e;
      start = null;
      steps.push(`履行期间届满日落在${e.year}年，该年放假安排未录入，暂无法确定`);
    }
  } else if (effective) {
    steps.push('未记录法律文书规定的履行期间，自生效之日起计算（如文书规定了履行期间，请补录）');
  }
  if (start === null) {
    const param = p.enforcementApplicationPeriod;
    const first = param.values[0]!;
    return {
      kind: 'enforcement_application',
      name: param.name,
      start: s.since,
      n: first.value.n,
      unit: first.value.unit,
      due: null,
      extendedDue: null,
      notBefore: s.since,
      explanation: `${steps.join('；')}；申请执行期间的起算日暂无法确定`,
      basis: { document: first.source.document, article: first.source.article ?? '' },
      params,
      problem: steps[steps.length - 1],
    };
  }
  const d = deadlineOf('enforcement_application', p.enforcementApplicationPeriod, start, calendar);
  return { ...d, explanation: `${steps.join('；')}；${d.explanation}`, params: [...params, ...d.params] };
}

/** 阶段期限 — the statutory deadlines running in a stage, each counted from its start. */
export function stageDeadlines(s: StageFacts, calendar: WorkingDayCalendar, p: EnforcementParams = ENFORCEMENT_PARAMS): Deadline[] {
  switch (s.stage) {
    case 'mediation':
      return [deadlineOf('mediation', p.mediationPeriod, s.since, calendar)];
    case 'arbitration': {
      // once accepted, the acceptance clock has been met and the award clock runs from acceptance
      return s.acceptedOn
        ? [deadlineOf('arbitration_award', p.arbitrationAwardPeriod, s.acceptedOn, calendar)]
        : [deadlineOf('arbitration_accept', p.arbitrationAcceptPeriod, s.since, calendar)];
    }
    case 'awarded':
      return s.finalAward
        ? [
            deadlineOf('final_award_worker_suit', p.finalAwardWorkerSuitPeriod, s.since, calendar),
            deadlineOf('final_award_set_aside', p.finalAwardSetAsidePeriod, s.since, calendar),
            enforcementApplicationDeadline(s, calendar, p),
          ]
        : [deadlineOf('award_suit', p.awardSuitPeriod, s.since, calendar), enforcementApplicationDeadline(s, calendar, p)];
    case 'trial':
      return [
        s.procedure === 'small_claims'
          ? deadlineOf('trial_small_claims', p.trialSmallClaimsPeriod, s.acceptedOn ?? s.since, calendar)
          : deadlineOf('trial_simplified', p.trialSimplifiedPeriod, s.acceptedOn ?? s.since, calendar),
      ];
    case 'judged':
      return [enforcementApplicationDeadline(s, calendar, p)];
    case 'enforcement':
      return [deadlineOf('enforcement_execution', p.enforcementExecutionPeriod, s.acceptedOn ?? s.since, calendar)];
    case 'inspection': {
      return s.acceptedOn
        ? [deadlineOf('inspection_investigate', p.inspectionInvestigatePeriod, s.acceptedOn, calendar)]
        : [deadlineOf('inspection_accept', p.inspectionAcceptPeriod, s.since, calendar)];
    }
    case 'intake':
    case 'criminal_referral':
    case 'closed':
    case 'withdrawn':
      return [];
  }
}
