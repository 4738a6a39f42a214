/**
 * 欠薪案件 — wage claims: the stages a case moves through (the green channel 快调/快裁/快审/快执, or a
 * labour-inspection order and a criminal referral), the transitions the law allows between them, and the
 * statutory deadline of each stage counted from its start (COMPLIANCE.md §5; RULES.md "Inspection,
 * mediation, arbitration, trial, enforcement"). Pure: the storage layer records the events.
 */
import type { IsoDate } from '../domain/date.ts';
import type { WorkingDayCalendar } from './calendar.ts';
import { deadlineOf, type Deadline } from './deadlines.ts';
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
          ]
        : [deadlineOf('award_suit', p.awardSuitPeriod, s.since, calendar)];
    case 'trial':
      return [
        s.procedure === 'small_claims'
          ? deadlineOf('trial_small_claims', p.trialSmallClaimsPeriod, s.acceptedOn ?? s.since, calendar)
          : deadlineOf('trial_simplified', p.trialSimplifiedPeriod, s.acceptedOn ?? s.since, calendar),
      ];
    case 'judged':
      return [deadlineOf('enforcement_application', p.enforcementApplicationPeriod, s.since, calendar)];
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
