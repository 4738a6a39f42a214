/**
 * 参数的中文写法 — sentences state the parameters they apply, never a copied number: "15日", "10个工作日",
 * "2年", "50%" are written from the dated value in force (RULES.md: every legal number a dated parameter).
 */
import type { IsoDate } from '../../domain/date.ts';
import type { Dated } from './dated.ts';
import type { PeriodRule, PeriodUnit } from './enforcement.ts';

const UNIT_ZH: Record<PeriodUnit, string> = { working_days: '个工作日', calendar_days: '日', months: '个月', years: '年' };

/** 15日, 10个工作日, 3个月, 2年 */
export function periodZh(rule: Pick<PeriodRule, 'n' | 'unit'>): string {
  return `${rule.n}${UNIT_ZH[rule.unit]}`;
}

/**
 * The period in force on `date` as Chinese text; for a day before the rule we hold was in force, the first
 * value we hold (a sentence must still read; the deadline itself is reported as not computable elsewhere).
 */
export function periodAt(param: Dated<PeriodRule>, date: IsoDate): string {
  const first = param.values[0]!;
  const v = date < first.from ? first.value : param.at(date).value;
  return periodZh(v);
}

/** The value in force on `date`, or the first one held for an earlier day (for sentences only). */
export function valueAt<T>(param: Dated<T>, date: IsoDate): T {
  const first = param.values[0]!;
  return date < first.from ? first.value : param.at(date).value;
}

/** '0.5' → 50%, '1' → 100%, '0.015' → 1.5% (exact: decimal strings, no float rounding) */
export function percentZh(decimal: string): string {
  const [whole = '0', frac = ''] = decimal.split('.');
  const digits = (whole + frac.padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  const intPart = digits.slice(0, digits.length - Math.max(0, frac.length - 2)) || '0';
  const rest = frac.length > 2 ? frac.slice(2).replace(/0+$/, '') : '';
  return `${intPart.replace(/^0+(?=\d)/, '')}${rest ? `.${rest}` : ''}%`;
}
