/**
 * 监管提示阈值 — the type of the risk-score weights. The thresholds of the advisory flags and the weights are
 * local settings with a stated default (params/thresholds/*.yaml): none is set by law.
 */
import type { Fen } from '../../domain/money.ts';

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
