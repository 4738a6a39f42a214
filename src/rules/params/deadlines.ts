/**
 * Deadlines and cycles of the dedicated wage account and of wage payment (RULES.md "Paying wages",
 * "Construction projects").
 */
import type { IsoDate } from '../../domain/date.ts';
import { dated } from './dated.ts';

const REGULATION = '保障农民工工资支付条例（国务院令第724号）';
const REGULATION_FROM = '2020-05-01' as IsoDate;

/** 专用账户开户期限 — the dedicated wage account opened within 30 (calendar) days of signing the contract. */
export const accountOpeningDeadline = dated<{ readonly days: number }>('农民工工资专用账户开户期限', [
  {
    from: '2021-07-01' as IsoDate,
    value: { days: 30 },
    source: {
      document: '工程建设领域农民工工资专用账户管理暂行办法（人社部发〔2021〕53号）',
      verified: true,
      note: '签订施工合同之日起30日内开设（RULES.md [V, web copy]）；施行日期按2021年7月录入，待与文件落款日期核对',
    },
  },
]);

/** 人工费用拨付周期 — labour cost allocated to the account at least monthly (cycle ≤ 1 month). */
export const laborCostCycle = dated<{ readonly months: number }>('人工费用拨付周期', [
  {
    from: REGULATION_FROM,
    value: { months: 1 },
    source: { document: REGULATION, article: '第二十四条', verified: true, note: '拨付周期不得超过1个月；每月的人工费用最迟于当月末拨付到位' },
  },
]);

/** 工资支付日默认值 — pay day when a project records none: the 15th of the following month (local setting). */
export const defaultPayDay = dated<number>('默认工资支付日', [
  {
    from: REGULATION_FROM,
    value: 15,
    source: {
      document: '本系统默认设置（DATA-FORMATS.md 工程项目 pay_day 默认15日）',
      verified: true,
      localSetting: true,
      note: '项目未登记工资支付日时，M月工资于M+1月15日前支付',
    },
  },
]);

/** 童工年龄 — employing anyone under 16 is forbidden. */
export const minimumWorkingAge = dated<number>('最低就业年龄', [
  {
    from: '1995-01-01' as IsoDate,
    value: 16,
    source: { document: '中华人民共和国劳动法', article: '第十五条', verified: true, note: '禁止用人单位招用未满十六周岁的未成年人；另见《禁止使用童工规定》第二条' },
  },
]);

/**
 * 放假调整的最大提前天数 — how far a pay day can move earlier when it falls in a run of rest days. A pay day
 * in a year whose holiday schedule is not yet published can only be placed exactly once it is; but when it
 * lies further after the as-of date than any run of rest days, the month is certainly not yet due, so the
 * ledger need not wait for the notice (the December wage month's pay day falls in next January).
 */
export const maxHolidayShiftDays = dated<number>('放假调整最大提前天数', [
  {
    from: REGULATION_FROM,
    value: 14,
    source: {
      document: '国务院办公厅历年部分节假日安排的通知（2025、2026年）',
      verified: false,
      note: '最长连续放假为2026年春节9天（02-15至02-23）；取14天留有余量。仅用于判断“尚未到期”，不用于计算任何期限',
    },
  },
]);

/**
 * 台账保存期限 — wage ledgers kept at least 3 years (第十五条); the project's labour ledger until the works are
 * finished and all wages settled, plus at least 3 years (第二十八条). Read by the erasure check of personal
 * data (services/personalData.ts), not by a flag.
 */
export const ledgerRetention = dated<{ readonly years: number }>('工资支付台账和用工管理台账保存期限', [
  {
    from: REGULATION_FROM,
    value: { years: 3 },
    source: { document: REGULATION, article: '第十五条、第二十八条', verified: true, note: '工资支付台账至少保存3年；用工管理台账保存至工程完工且工资全部结清后至少3年' },
  },
]);
