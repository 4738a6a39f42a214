/**
 * 项目风险评分 — the project risk score (COMPLIANCE.md §3), explained term by term. Implements no article:
 * the ordering of the inspectors' queue is a local setting (监管提示), built from flags that carry theirs.
 *
 *   score = Σ over severities s of min(cap_s, weight_s × flags of severity s)
 *         + min(arrearsCap, ⌊arrears ÷ arrearsStep⌋)
 *         + min(workersCap, perWorker × distinct workers in arrears)
 *
 * Defaults (a local setting, params/thresholds/riskWeights.yaml): critical 20 per flag (cap 200), high 8
 * (cap 120), medium 3 (cap 60), low 1 (cap 20); 1 point per 5,000 yuan of arrears (cap 200); 5 points per
 * worker in arrears (cap 150). Maximum 750. Caps keep one large project from drowning the queue by count
 * alone; severity still orders it. Integer points only.
 */
import type { IsoDate } from '../domain/date.ts';
import { yuanText, type Fen } from '../domain/money.ts';
import { SEVERITIES, type Finding, type Severity } from './flags.ts';
import { cite, type ParamUse } from './params/dated.ts';
import { DEFAULT_PARAMS, type RulesParams } from './params/index.ts';
import type { RiskWeights } from './params/thresholds.ts';

export interface RiskTerm {
  readonly term: string;
  readonly points: number;
  /** 中文说明 */
  readonly why: string;
}

export interface RiskScore {
  readonly score: number;
  readonly terms: readonly RiskTerm[];
  readonly params: readonly ParamUse[];
}

const SEVERITY_ZH: Record<Severity, string> = { critical: '严重', high: '高', medium: '中', low: '低' };

export function riskScore(
  findings: readonly Finding[],
  ledgerTotals: { readonly arrears: Fen; readonly workersInArrears: number },
  asOf: IsoDate,
  params: RulesParams = DEFAULT_PARAMS,
): RiskScore {
  const w = params.riskWeights.at(asOf);
  const weights = w.value;
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity]++;
  const terms: RiskTerm[] = [];
  for (const s of SEVERITIES) {
    const raw = counts[s] * weights.perFlag[s];
    const points = Math.min(weights.flagCap[s], raw);
    terms.push({
      term: `flags.${s}`,
      points,
      why: `${SEVERITY_ZH[s]}等级预警${counts[s]}个×${weights.perFlag[s]}分=${raw}分${raw > points ? `，封顶${points}分` : ''}`,
    });
  }
  const arrearsRaw = Math.floor(ledgerTotals.arrears / weights.arrearsStep);
  const arrearsPoints = Math.min(weights.arrearsCap, arrearsRaw);
  terms.push({
    term: 'arrears',
    points: arrearsPoints,
    why: `欠薪${yuanText(ledgerTotals.arrears)}元，每${yuanText(weights.arrearsStep)}元计1分=${arrearsRaw}分${arrearsRaw > arrearsPoints ? `，封顶${arrearsPoints}分` : ''}`,
  });
  const workersRaw = ledgerTotals.workersInArrears * weights.perWorkerInArrears;
  const workersPoints = Math.min(weights.workersCap, workersRaw);
  terms.push({
    term: 'workersInArrears',
    points: workersPoints,
    why: `被欠薪工人${ledgerTotals.workersInArrears}人×${weights.perWorkerInArrears}分=${workersRaw}分${workersRaw > workersPoints ? `，封顶${workersPoints}分` : ''}`,
  });
  return { score: terms.reduce((s, t) => s + t.points, 0), terms, params: [cite(w)] };
}

/**
 * 满分 — the highest score the weights allow (every cap reached): 750 with the defaults. Pages and the report
 * print the score with it ("风险分 183（满分 750）") so a bare number has a scale.
 */
export function riskScoreMax(weights: RiskWeights): number {
  const caps = weights.flagCap;
  return caps.critical + caps.high + caps.medium + caps.low + weights.arrearsCap + weights.workersCap;
}

/** 待核查队列 — flagged projects, highest risk first; then larger arrears; then project code. */
export function reviewQueue<T extends { readonly projectCode: string; readonly findingCount: number; readonly score: number; readonly arrears: Fen }>(
  items: readonly T[],
): T[] {
  return items
    .filter((i) => i.findingCount > 0)
    .sort((a, b) => b.score - a.score || b.arrears - a.arrears || (a.projectCode < b.projectCode ? -1 : a.projectCode > b.projectCode ? 1 : 0));
}
