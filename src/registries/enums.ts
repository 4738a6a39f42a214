/**
 * Enumerated registry columns and the words accepted for each value (docs/REGISTRIES.md). The first word
 * is the canonical Chinese one shown in messages; a value not listed is an error naming the accepted words.
 */
import { enumParser, type EnumSpec } from '../imports/enums.ts';

export const TRAINING_TYPE = {
  label: '培训类型',
  words: {
    employment: ['就业技能培训', '就业技能', '就业培训'],
    upgrade: ['岗位技能提升培训', '岗位技能提升', '技能提升培训', '技能提升'],
    entrepreneurship: ['创业培训', '创业'],
  },
} as const satisfies EnumSpec<'employment' | 'upgrade' | 'entrepreneurship'>;

export const TRAINING_RESULT = {
  label: '培训结果',
  words: {
    passed: ['合格', '通过', '结业', 'pass'],
    failed: ['不合格', '未通过', 'fail'],
    in_progress: ['在训', '培训中', '未结业'],
  },
} as const satisfies EnumSpec<'passed' | 'failed' | 'in_progress'>;

export const CERTIFICATE_KIND = {
  label: '证书类型',
  words: {
    vocational_qualification: ['职业资格证书', '职业资格证'],
    skill_level: ['职业技能等级证书', '技能等级证书', '职业技能等级证'],
    special_ability: ['专项职业能力证书', '专项职业能力证'],
  },
} as const satisfies EnumSpec<'vocational_qualification' | 'skill_level' | 'special_ability'>;

export const SUBSIDY_STATUS = {
  label: '补贴状态',
  words: {
    none: ['未申请', '无'],
    applied: ['已申请', '审核中', '申请中'],
    paid: ['已发放', '已拨付'],
    rejected: ['未通过', '不予补贴'],
  },
} as const satisfies EnumSpec<'none' | 'applied' | 'paid' | 'rejected'>;

export const INSURANCE_KIND = {
  label: '险种',
  words: {
    injury: ['工伤保险', '工伤'],
    medical: ['医疗保险', '医疗', '基本医疗保险', '职工医保'],
    pension: ['养老保险', '养老', '基本养老保险', '职工养老'],
    unemployment: ['失业保险', '失业'],
  },
} as const satisfies EnumSpec<'injury' | 'medical' | 'pension' | 'unemployment'>;

export const HOUSING_KIND = {
  label: '业务类型',
  words: {
    rental_application: ['公租房申请', '公共租赁住房申请'],
    rental_allocation: ['公租房配租', '公共租赁住房配租', '实物配租'],
    rent_subsidy: ['租赁补贴', '住房租赁补贴', '租金补贴'],
    dormitory: ['集体宿舍', '宿舍', '职工宿舍'],
  },
} as const satisfies EnumSpec<'rental_application' | 'rental_allocation' | 'rent_subsidy' | 'dormitory'>;

export const HOUSING_STATUS = {
  label: '办理状态',
  words: {
    applied: ['已申请', '已受理'],
    reviewing: ['审核中', '待审核', '公示中'],
    approved: ['已批准', '审核通过', '已通过'],
    allocated: ['已配租', '已入住', '已发放'],
    rejected: ['未通过', '不予批准', '审核未通过'],
    ended: ['已退出', '已腾退', '已终止'],
  },
} as const satisfies EnumSpec<'applied' | 'reviewing' | 'approved' | 'allocated' | 'rejected' | 'ended'>;

export const CARE_KIND = {
  label: '关爱类型',
  words: {
    left_behind_child: ['留守儿童'],
    left_behind_woman: ['留守妇女'],
    left_behind_elderly: ['留守老人'],
    migrant_child_schooling: ['随迁子女入学', '随迁子女', '随迁子女就学'],
    legal_aid: ['法律援助', '法律援助转介', '法援'],
  },
} as const satisfies EnumSpec<'left_behind_child' | 'left_behind_woman' | 'left_behind_elderly' | 'migrant_child_schooling' | 'legal_aid'>;

export const CARE_STATUS = {
  label: '办理状态',
  words: {
    registered: ['已登记', '登记'],
    referred: ['已转介', '转介'],
    in_progress: ['跟进中', '办理中', '帮扶中'],
    closed: ['已办结', '办结', '已结案'],
  },
} as const satisfies EnumSpec<'registered' | 'referred' | 'in_progress' | 'closed'>;

export const parseTrainingType = enumParser(TRAINING_TYPE);
export const parseTrainingResult = enumParser(TRAINING_RESULT);
export const parseCertificateKind = enumParser(CERTIFICATE_KIND);
export const parseSubsidyStatus = enumParser(SUBSIDY_STATUS);
export const parseInsuranceKind = enumParser(INSURANCE_KIND);
export const parseHousingKind = enumParser(HOUSING_KIND);
export const parseHousingStatus = enumParser(HOUSING_STATUS);
export const parseCareKind = enumParser(CARE_KIND);
export const parseCareStatus = enumParser(CARE_STATUS);

export type TrainingType = keyof typeof TRAINING_TYPE.words;
export type TrainingResult = keyof typeof TRAINING_RESULT.words;
export type CertificateKind = keyof typeof CERTIFICATE_KIND.words;
export type SubsidyStatus = keyof typeof SUBSIDY_STATUS.words;
export type InsuranceKind = keyof typeof INSURANCE_KIND.words;
export type HousingKind = keyof typeof HOUSING_KIND.words;
export type HousingStatus = keyof typeof HOUSING_STATUS.words;
export type CareKind = keyof typeof CARE_KIND.words;
export type CareStatus = keyof typeof CARE_STATUS.words;

/** Chinese labels of stored values, for sentences and views. */
export const zhOf = <V extends string>(spec: { readonly words: Readonly<Record<V, readonly string[]>> }, value: V): string => spec.words[value][0]!;
