/**
 * 监管提示阈值 — thresholds of the advisory flags and of the risk score. None is set by law: each is a
 * local setting with a stated default (RULES.md: "A local figure the sources do not give is a local
 * setting the bureau configures").
 */
import type { IsoDate } from '../../domain/date.ts';
import { fen, type Fen } from '../../domain/money.ts';
import { dated, type ParamSource } from './dated.ts';

const FROM = '2020-05-01' as IsoDate;
const local = (note: string): ParamSource => ({ document: '本系统默认设置（监管提示阈值）', verified: true, localSetting: true, note });

/** PAY_OUTLIER — one worker's pay on a project above 50,000 yuan in a month or 300,000 yuan in a year. */
export const payOutlierThresholds = dated<{ readonly month: Fen; readonly year: Fen }>('异常高额工资提示线', [
  { from: FROM, value: { month: fen(5_000_000), year: fen(30_000_000) }, source: local('单人单项目月工资超过5万元或年累计超过30万元提示（疑似借工资名义转移资金）') },
]);

/** SHARED_PAYEE_CARD — one card receiving wages of this many different workers in a month. */
export const sharedPayeeCardWorkers = dated<number>('同一收款卡工人数提示线', [
  { from: FROM, value: 3, source: local('同一银行卡一个月内收取3名及以上工人的工资（疑似工资卡被控制，条例第三十一条禁止）') },
]);

/** SHARED_PHONE — this many roster workers sharing one phone number. */
export const sharedPhoneWorkers = dated<number>('同一手机号工人数提示线', [
  { from: FROM, value: 3, source: local('花名册中3名及以上工人登记同一手机号') },
]);

/** LOW_PAYROLL_COVERAGE — share of roster-active workers without a wage-table row (strictly above). */
export const lowPayrollCoverageShare = dated<string>('工资表覆盖率不足提示线', [
  { from: FROM, value: '0.10', source: local('在岗工人中超过10%没有工资支付表记录') },
]);

/** 风险评分权重 — weights and caps of the project risk score (risk.ts). */
export interface RiskWeights {
  readonly perFlag: { readonly critical: number; readonly high: number; readonly medium: number; readonly low: number };
  readonly flagCap: { readonly critical: number; readonly high: number; readonly medium: number; readonly low: number };
  /** points per this many fen of arrears */
  readonly arrearsStep: Fen;
  readonly arrearsCap: number;
  readonly perWorkerInArrears: number;
  readonly workersCap: number;
}

export const riskWeights = dated<RiskWeights>('项目风险评分权重', [
  {
    from: FROM,
    value: {
      perFlag: { critical: 20, high: 8, medium: 3, low: 1 },
      flagCap: { critical: 200, high: 120, medium: 60, low: 20 },
      arrearsStep: fen(500_000),
      arrearsCap: 200,
      perWorkerInArrears: 5,
      workersCap: 150,
    },
    source: local('严重20分/个（上限200）、高8分（上限120）、中3分（上限60）、低1分（上限20）；欠薪每5000元1分（上限200）；每名被欠薪工人5分（上限150）'),
  },
]);
