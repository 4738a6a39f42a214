/**
 * 参数文件的格式 — what a parameter file (params/**.yaml, or a file given to `huxin params import`) may say,
 * as TypeBox schemas. Each parameter of the rules core has one entry in PARAM_DEFS: the schema of its value
 * as written in a file (money in yuan strings, ratios as decimal strings, so a lawyer reads what the law
 * says) and, through a codec, the value the rules read (money in integer fen). RulesParams — the parameter
 * set every rule takes — is derived from these entries, so a file and the code can never disagree on a
 * value's shape.
 */
import { Type, type Static, type StaticDecode, type TSchema } from 'typebox';
import { formatYuan, yuan, type Fen } from '../../domain/money.ts';
import type { IsoDate } from '../../domain/date.ts';
import type { Dated } from './dated.ts';
import type { HolidaySchedule } from './holidays.ts';

export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
export const DateText = Type.String({ pattern: DATE_PATTERN, description: 'YYYY-MM-DD' });

/** Money in yuan, as a string with at most two decimals ("5000000", "2200.00"); decoded to fen. */
const Yuan = Type.Codec(Type.String({ pattern: '^\\d{1,13}(\\.\\d{1,2})?$', description: '元（字符串，最多两位小数）' }))
  .Decode((s: string): Fen => yuan(s))
  .Encode((f: Fen): string => formatYuan(f));
/** A ratio or factor as an exact decimal string ("0.02", "1.5"). */
const Decimal = Type.String({ pattern: '^\\d+(\\.\\d+)?$', description: '小数（字符串，精确计算）' });
const Int = (min = 0) => Type.Integer({ minimum: min });

/** 出处 — document, article, verified or not; a local setting says so. */
export const SourceSchema = Type.Object(
  {
    document: Type.String({ minLength: 1 }),
    article: Type.Optional(Type.String({ minLength: 1 })),
    note: Type.Optional(Type.String()),
    verified: Type.Boolean(),
    localSetting: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const PeriodRuleSchema = Type.Object(
  {
    n: Int(1),
    unit: Type.Union([Type.Literal('working_days'), Type.Literal('calendar_days'), Type.Literal('months'), Type.Literal('years')]),
    extension: Type.Optional(Int(1)),
    rollForward: Type.Boolean(),
  },
  { additionalProperties: false },
);

const obj = <P extends Record<string, TSchema>>(props: P) => Type.Object(props, { additionalProperties: false });
const SeverityText = () => Type.Union([Type.Literal('critical'), Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]);
const Tier = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)]);

/** The units a file may state (shown by `huxin params list`). */
export const UNITS = {
  calendar_days: '自然日',
  working_days: '工作日',
  months: '月',
  years: '年',
  yuan: '元',
  ratio: '比例',
  count: '人/个',
  day_of_month: '日（每月）',
  age_years: '周岁',
  tier: '档次',
  period: '期间（数值与计算方式）',
  mixed: '复合取值',
} as const;
export type Unit = keyof typeof UNITS;

/**
 * Every parameter of the rules core: its value schema, and the unit its file must state. The key is the
 * file's `parameter:` and the name RulesParams gives it.
 */
export const PARAM_DEFS = {
  // —— 工资支付与台账 ——
  monthlyMinimumWage: { unit: 'yuan', schema: Type.Partial(obj({ 1: Yuan, 2: Yuan, 3: Yuan, 4: Yuan })) },
  countyTier: { unit: 'tier', schema: Type.Record(Type.String({ minLength: 1 }), obj({ tier: Tier, verified: Type.Boolean() })) },
  standardMonthDays: { unit: 'mixed', schema: Decimal },
  /** 法定节假日 — year → the statutory holiday days of that year (paid days inside the 21.75; i14b's parameter) */
  statutoryHolidays: {
    unit: 'mixed',
    schema: Type.Record(
      Type.String({ pattern: '^\\d{4}$' }),
      Type.Codec(Type.Array(DateText))
        .Decode((a: string[]): readonly IsoDate[] => a as IsoDate[])
        .Encode((a: readonly IsoDate[]): string[] => [...a]),
    ),
  },
  minimumWorkingAge: { unit: 'age_years', schema: Int(1) },
  /** 未成年工 — under this age (and at least minimumWorkingAge) a worker is a juvenile worker (未成年工特殊保护规定 第二条) */
  juvenileWorkerAge: { unit: 'age_years', schema: Int(1) },
  /** 未成年工禁忌劳动 — roster trades (工种) that fall in 未成年工特殊保护规定 第三条, with the item they fall under */
  juvenileProhibitedTrades: { unit: 'mixed', schema: Type.Array(obj({ trade: Type.String({ minLength: 1 }), item: Type.String({ minLength: 1 }) })) },
  /** 未签书面劳动合同二倍工资 — from the day after `graceMonths` months of work to the day before `capMonths` (劳动合同法 第八十二条; 实施条例 第六、七条) */
  noContractDoubleWage: { unit: 'months', schema: obj({ graceMonths: Int(1), capMonths: Int(1) }) },
  defaultPayDay: { unit: 'day_of_month', schema: Type.Integer({ minimum: 1, maximum: 31 }) },
  /**
   * 放假调整最大提前天数 — the longest run of rest days a date can be moved across; not a legal number but a
   * bound the night's change planner (services/night/nextChange.ts) uses to know when a date can next move
   */
  maxHolidayShiftDays: { unit: 'calendar_days', schema: Int(1) },
  accountOpeningDeadline: { unit: 'calendar_days', schema: obj({ days: Int(1) }) },
  laborCostCycle: { unit: 'months', schema: obj({ months: Int(1) }) },
  ledgerRetention: { unit: 'years', schema: obj({ years: Int(1) }) },
  /** 报送期限 — M's wage table due on day `wageTableDay` of M+1; M's payment records `paymentRecordsDaysAfterWageDue` days after M's wage due date (a local setting; rules/reminders.ts) */
  submissionDueDates: { unit: 'mixed', schema: obj({ wageTableDay: Type.Integer({ minimum: 1, maximum: 31 }), paymentRecordsDaysAfterWageDue: Int(0) }) },
  /** 催报提醒 — again `leadDays` before the wage due date; a missed overdue reminder still sent up to `catchUpDays` after the due date (a local setting) */
  submissionReminders: { unit: 'mixed', schema: obj({ leadDays: Int(1), catchUpDays: Int(1) }) },
  // —— 工资保证金 ——
  depositBaseRate: { unit: 'ratio', schema: Decimal },
  depositCap: { unit: 'yuan', schema: Yuan },
  depositNationalBounds: { unit: 'ratio', schema: obj({ min: Decimal, max: Decimal, severalProjectsFloor: Decimal }) },
  depositSecondProjectCut: { unit: 'ratio', schema: Decimal },
  depositSmallContractExemption: { unit: 'mixed', schema: obj({ below: Yuan, lookbackYears: Int(1) }) },
  depositCleanYearsCut: { unit: 'mixed', schema: obj({ years: Int(1), factor: Decimal }) },
  depositCleanYearsExemption: { unit: 'years', schema: obj({ years: Int(1) }) },
  depositArrearsRaise: { unit: 'mixed', schema: obj({ years: Int(1), factor: Decimal }) },
  depositBlacklistRaise: { unit: 'ratio', schema: obj({ factor: Decimal }) },
  depositStoreDeadline: { unit: 'working_days', schema: obj({ workingDays: Int(1) }) },
  depositReplenishDeadline: { unit: 'working_days', schema: obj({ workingDays: Int(1) }) },
  guaranteeExpiringWindow: { unit: 'calendar_days', schema: obj({ days: Int(1) }) },
  /** 保函（保险）最短保证期限 — at least `years` from issue and not shorter than the contract period (保证金规定, to confirm the article) */
  guaranteeMinTerm: { unit: 'years', schema: obj({ years: Int(1) }) },
  /** 返还工资保证金、撤销专户前的公示天数 (保证金规定 第二十二条; 条例 第二十七条) */
  noArrearsNoticeDays: { unit: 'calendar_days', schema: obj({ days: Int(1) }) },
  // —— 监管提示阈值与风险评分（地方设置）——
  payOutlierThresholds: { unit: 'yuan', schema: obj({ month: Yuan, year: Yuan }) },
  sharedPayeeCardWorkers: { unit: 'count', schema: Int(2) },
  sharedPhoneWorkers: { unit: 'count', schema: Int(2) },
  lowPayrollCoverageShare: { unit: 'ratio', schema: Decimal },
  riskWeights: {
    unit: 'mixed',
    schema: obj({
      perFlag: obj({ critical: Int(), high: Int(), medium: Int(), low: Int() }),
      flagCap: obj({ critical: Int(), high: Int(), medium: Int(), low: Int() }),
      arrearsStep: Yuan,
      arrearsCap: Int(),
      perWorkerInArrears: Int(),
      workersCap: Int(),
    }),
  },
  /**
   * 项目预警等级 — red, then orange, when any condition of the level holds; yellow otherwise (rules/warnings.ts).
   * A local setting: no law fixes warning levels.
   */
  warningLevels: {
    unit: 'mixed',
    schema: obj({
      red: obj({ severities: Type.Array(SeverityText()), arrears: Yuan, workersInArrears: Int(1), overdueDays: Int(1) }),
      orange: obj({ severities: Type.Array(SeverityText()), arrears: Yuan, workersInArrears: Int(1), overdueDays: Int(1) }),
    }),
  },
  /** 工伤保险项目参保费率 — Hebei's project rate is not found: a local setting, null until configured. */
  projectInjuryPremiumRate: { unit: 'ratio', schema: Type.Union([Type.Null(), Decimal]) },
  // —— 执法期限与标准 ——
  inspectionAcceptPeriod: { unit: 'period', schema: PeriodRuleSchema },
  inspectionInvestigatePeriod: { unit: 'period', schema: PeriodRuleSchema },
  mediationPeriod: { unit: 'period', schema: PeriodRuleSchema },
  arbitrationAcceptPeriod: { unit: 'period', schema: PeriodRuleSchema },
  arbitrationAwardPeriod: { unit: 'period', schema: PeriodRuleSchema },
  finalAwardWorkerSuitPeriod: { unit: 'period', schema: PeriodRuleSchema },
  finalAwardSetAsidePeriod: { unit: 'period', schema: PeriodRuleSchema },
  awardSuitPeriod: { unit: 'period', schema: PeriodRuleSchema },
  finalAwardLimitMonths: { unit: 'months', schema: Int(1) },
  collectiveDisputeWorkers: { unit: 'count', schema: Int(2) },
  trialSimplifiedPeriod: { unit: 'period', schema: PeriodRuleSchema },
  trialSmallClaimsPeriod: { unit: 'period', schema: PeriodRuleSchema },
  judgmentAppealPeriod: { unit: 'period', schema: PeriodRuleSchema },
  enforcementApplicationPeriod: { unit: 'period', schema: PeriodRuleSchema },
  enforcementExecutionPeriod: { unit: 'period', schema: PeriodRuleSchema },
  listingStatementPeriod: { unit: 'period', schema: PeriodRuleSchema },
  listingObjectionCheckPeriod: { unit: 'period', schema: PeriodRuleSchema },
  listingDecisionPeriod: { unit: 'period', schema: PeriodRuleSchema },
  listingTerm: { unit: 'period', schema: PeriodRuleSchema },
  earlyRemovalMinMonths: { unit: 'months', schema: Int(1) },
  earlyRemovalDecisionPeriod: { unit: 'period', schema: PeriodRuleSchema },
  removalExecutionPeriod: { unit: 'period', schema: PeriodRuleSchema },
  depositUsePaymentPeriod: { unit: 'period', schema: PeriodRuleSchema },
  additionalCompensationRates: { unit: 'ratio', schema: obj({ low: Decimal, high: Decimal }) },
  criminalThresholdNational: {
    unit: 'yuan',
    schema: obj({
      singleWorker: obj({ months: Int(1), low: Yuan, high: Yuan }),
      group: obj({ workers: Int(2), low: Yuan, high: Yuan }),
    }),
  },
  criminalThresholdLocal: { unit: 'yuan', schema: Type.Union([Type.Null(), obj({ singleWorker: Yuan, group: Yuan })]) },
} satisfies Record<string, { unit: Unit; schema: TSchema }>;

export type ParamKey = keyof typeof PARAM_DEFS;
export const PARAM_KEYS = Object.keys(PARAM_DEFS) as ParamKey[];
/** The value a rule reads of parameter K (money in fen). */
export type ParamValue<K extends ParamKey> = StaticDecode<(typeof PARAM_DEFS)[K]['schema']>;
/** The value as written in a file (money in yuan strings). */
export type ParamFileValue<K extends ParamKey> = Static<(typeof PARAM_DEFS)[K]['schema']>;

/** 规则参数 — every dated parameter the rules core reads, and the holiday schedules (one per year). */
export type RulesParams = { readonly [K in ParamKey]: Dated<ParamValue<K>> } & {
  readonly holidays: readonly HolidaySchedule[];
};

/** The key a holiday schedule goes by in the overlay table (param_values.parameter). */
export const HOLIDAYS_KEY = 'holidays';

// —— the two kinds of document a file holds ——

export const ValueEntrySchema = obj({
  value: Type.Unknown(),
  to: Type.Optional(DateText),
  source: SourceSchema,
});

/** A parameter file: one parameter, its values keyed by the date each starts. */
export const ParamDocSchema = obj({
  parameter: Type.String({ minLength: 1 }),
  label: Type.String({ minLength: 1 }),
  description: Type.String({ minLength: 1 }),
  unit: Type.Union(Object.keys(UNITS).map((u) => Type.Literal(u))),
  values: Type.Record(Type.String({ pattern: DATE_PATTERN }), ValueEntrySchema, { minProperties: 1 }),
});

/** A parameter named in an import file: the label, description and unit may be left to the shipped file. */
export const ParamImportDocSchema = obj({
  parameter: Type.String({ minLength: 1 }),
  label: Type.Optional(Type.String({ minLength: 1 })),
  description: Type.Optional(Type.String({ minLength: 1 })),
  unit: Type.Optional(Type.Union(Object.keys(UNITS).map((u) => Type.Literal(u)))),
  values: Type.Record(Type.String({ pattern: DATE_PATTERN }), ValueEntrySchema, { minProperties: 1 }),
});

/** A year's holiday schedule (INTERFACES.md). */
export const HolidayDocSchema = obj({
  holidaySchedule: obj({
    year: Type.Integer({ minimum: 1990, maximum: 2100 }),
    restDays: Type.Array(Type.Tuple([DateText, DateText])),
    makeUpWorkDays: Type.Array(DateText),
    source: SourceSchema,
  }),
});

