/**
 * 拒不支付劳动报酬罪“数额较大” — the amount test of 刑法 第二百七十六条之一 (法释〔2013〕3号 第三条), used by the
 * blacklist criterion (名单办法), by a payment order's proposals and by case routing.
 *
 * Each province's high court fixes its figures inside the national range. Hebei's figure is a LOCAL SETTING not
 * found in the sources: until the bureau configures it, the test is reported against BOTH ends of the range —
 * met at the high end means met whatever the local figure; not met at the low end means not met; in between
 * the answer is `depends_on_local_figure` and says so.
 */
import type { IsoDate } from '../domain/date.ts';
import { yuanText, sumFen, type Fen } from '../domain/money.ts';
import { cite, type ParamUse } from './params/dated.ts';
import { ENFORCEMENT_PARAMS, type EnforcementParams } from './params/enforcement.ts';

/** One worker's unpaid wages after the order: the amount and how many wage months it spans. */
export interface WorkerArrears {
  readonly idNumber: string;
  readonly name?: string;
  readonly amount: Fen;
  /** distinct wage months with money still owed */
  readonly months: number;
}

export type ThresholdVerdict = 'met' | 'not_met' | 'depends_on_local_figure';

export interface ThresholdCheck {
  readonly verdict: ThresholdVerdict;
  /** the local figures are configured (else both ends of the national range are reported) */
  readonly configured: boolean;
  readonly workers: number;
  readonly total: Fen;
  /** workers with ≥ the months of pay owed, and their amounts */
  readonly longOwed: readonly WorkerArrears[];
  /** each figure tried and whether it is met */
  readonly tests: readonly { readonly test: 'single_worker' | 'group'; readonly figure: Fen; readonly end: 'local' | 'low' | 'high'; readonly met: boolean; readonly text: string }[];
  readonly sentence: string;
  readonly params: readonly ParamUse[];
}

export function criminalThresholdCheck(arrears: readonly WorkerArrears[], on: IsoDate, p: EnforcementParams = ENFORCEMENT_PARAMS): ThresholdCheck {
  const national = p.criminalThresholdNational.at(on);
  const local = p.criminalThresholdLocal.at(on);
  const owing = arrears.filter((a) => a.amount > 0);
  const total = sumFen(owing.map((a) => a.amount));
  const { singleWorker, group } = national.value;
  const longOwed = owing.filter((a) => a.months >= singleWorker.months);
  const maxLong = longOwed.reduce((m, a) => (a.amount > m ? a.amount : m), 0);

  const tests: { test: 'single_worker' | 'group'; figure: Fen; end: 'local' | 'low' | 'high'; met: boolean; text: string }[] = [];
  const single = (figure: Fen, end: 'local' | 'low' | 'high') => {
    const met = longOwed.some((a) => a.amount >= figure);
    tests.push({
      test: 'single_worker',
      figure,
      end,
      met,
      text: `一名劳动者${singleWorker.months}个月以上工资且数额${yuanText(figure)}元以上：${met ? '达到' : '未达到'}（${longOwed.length === 0 ? `无人被欠${singleWorker.months}个月以上` : `被欠${singleWorker.months}个月以上者最高${yuanText(maxLong as Fen)}元`}）`,
    });
  };
  const grp = (figure: Fen, end: 'local' | 'low' | 'high') => {
    const met = owing.length >= group.workers && total >= figure;
    tests.push({ test: 'group', figure, end, met, text: `${group.workers}名以上劳动者累计${yuanText(figure)}元以上：${met ? '达到' : '未达到'}（${owing.length}人，累计${yuanText(total)}元）` });
  };

  let verdict: ThresholdVerdict;
  const configured = local.value !== null;
  if (local.value) {
    single(local.value.singleWorker, 'local');
    grp(local.value.group, 'local');
    verdict = tests.some((x) => x.met) ? 'met' : 'not_met';
  } else {
    single(singleWorker.low, 'low');
    grp(group.low, 'low');
    single(singleWorker.high, 'high');
    grp(group.high, 'high');
    const atHigh = tests.filter((x) => x.end === 'high').some((x) => x.met);
    const atLow = tests.filter((x) => x.end === 'low').some((x) => x.met);
    verdict = atHigh ? 'met' : atLow ? 'depends_on_local_figure' : 'not_met';
  }
  const head = configured ? '按本地配置的数额较大标准' : '河北省数额较大标准未配置（本地设置），按全国幅度两端分别判断';
  const conclusion =
    verdict === 'met'
      ? configured
        ? '达到数额较大标准'
        : '即使按幅度上限也达到数额较大标准'
      : verdict === 'not_met'
        ? configured
          ? '未达到数额较大标准'
          : '即使按幅度下限也未达到数额较大标准'
        : '按幅度下限达到、按上限未达到：取决于河北省确定的标准，须配置后确认';
  return {
    verdict,
    configured,
    workers: owing.length,
    total,
    longOwed,
    tests,
    sentence: `${head}：${tests.map((x) => x.text).join('；')}。结论：${conclusion}（刑法第二百七十六条之一；法释〔2013〕3号第三条）`,
    params: [cite(national), cite(local)],
  };
}
