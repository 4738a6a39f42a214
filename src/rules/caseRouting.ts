/**
 * 案件分流 — where a wage claim goes first, decided by rules that explain themselves like a flag does
 * (COMPLIANCE.md §5).
 *
 * Implements 劳动争议调解仲裁法 第五条、第十条 (mediation, then arbitration before suit), 第四十七条 (final award
 * for pay claims within 12 months of the local monthly minimum wage), 劳动保障监察条例 第二十六条 and 条例
 * 第四十二条 (an order to pay), 最高人民法院劳动争议解释（一）第十五条 (a written IOU goes straight to court),
 * 刑法 第二百七十六条之一 (a criminal referral when refusal and the amount are met); the green channel itself
 * (快调/快裁/快审/快执) is practice, a local setting, not statute. Written as a default with exceptions (Catala style): the default is arbitration
 * (快裁), final when every claim is within 12 months of the local minimum wage; each exception above it
 * takes precedence in the order listed, and every rule that was looked at says whether it applied.
 */
import type { IsoDate } from '../domain/date.ts';
import { formatYuan, yuanText, mulFen, sumFen, type Fen } from '../domain/money.ts';
import { criminalThresholdCheck, type ThresholdCheck, type WorkerArrears } from './criminal.ts';
import { cite, type ParamUse } from './params/dated.ts';
import { percentZh, periodAt, valueAt } from './params/text.ts';
import { ENFORCEMENT_PARAMS, type EnforcementParams } from './params/enforcement.ts';
import { DEFAULT_PARAMS, type RulesParams } from './params/index.ts';
import type { CaseStage } from './cases.ts';

export interface RoutingFacts {
  /** the day the routing is decided */
  readonly on: IsoDate;
  /** 项目所在区县 — picks the local minimum wage for the final-award limit */
  readonly county: string;
  /** each claimant's unpaid wages (amount and months owed) */
  readonly claimants: readonly WorkerArrears[];
  /** 用人单位逃匿 — the employer has absconded or cannot be found */
  readonly employerAbsconded?: boolean;
  /** 已有生效法律文书 — an award, judgment or confirmed mediation agreement exists and is not performed */
  readonly enforceableTitle?: boolean;
  /** 工资欠条 — the employer's written IOU for the wages */
  readonly writtenIou?: boolean;
  /** 双方同意调解 */
  readonly willingToMediate?: boolean;
  /** a labour-inspection order to pay these wages has expired unpaid */
  readonly orderExpiredUnpaid?: boolean;
  /** the project's guarantee deposit held at `on` (null when unknown) */
  readonly depositHeld?: Fen | null;
}

export interface RoutingRule {
  readonly rule: string;
  readonly applies: boolean;
  /** 中文说明 */
  readonly text: string;
  readonly basis: { readonly document: string; readonly article: string };
}

export interface Routing {
  readonly route: CaseStage;
  /** arbitration: the award would be final (一裁终局) for every claimant */
  readonly finalAward: boolean | null;
  /** the next steps beside the route (deposit use, criminal referral, listing) */
  readonly alsoConsider: readonly string[];
  readonly rules: readonly RoutingRule[];
  readonly sentence: string;
  readonly finalAwardLimit: Fen | null;
  readonly threshold: ThresholdCheck;
  readonly params: readonly ParamUse[];
}

const ROUTE_ZH: Partial<Record<CaseStage, string>> = {
  mediation: '快调（调解）',
  arbitration: '快裁（劳动争议仲裁）',
  trial: '快审（直接起诉）',
  enforcement: '快执（申请强制执行）',
  inspection: '劳动保障监察责令限期支付',
  criminal_referral: '移送公安机关',
};

/** 12 × the county's monthly minimum wage on `on`; null when the county's tier is not known. */
export function finalAwardLimit(county: string, on: IsoDate, p: EnforcementParams = ENFORCEMENT_PARAMS, rules: RulesParams = DEFAULT_PARAMS): { limit: Fen | null; params: ParamUse[]; text: string } {
  const months = p.finalAwardLimitMonths.at(on);
  const tiers = rules.countyTier.at(on);
  const tier = tiers.value[county];
  const wages = rules.monthlyMinimumWage.at(on);
  const monthly = tier ? wages.value[tier.tier] : undefined;
  if (!tier || monthly === undefined) {
    return { limit: null, params: [cite(months), cite(tiers)], text: `${county}的最低工资档次未知，无法计算终局裁决限额` };
  }
  const limit = mulFen(monthly, months.value);
  return {
    limit,
    params: [cite(months), cite(tiers, { county, tier: tier.tier }), cite(wages, formatYuan(monthly))],
    text: `${county}为${tier.tier}类地区，月最低工资${yuanText(monthly)}元，${months.value}个月计${yuanText(limit)}元`,
  };
}

export function routeCase(f: RoutingFacts, p: EnforcementParams = ENFORCEMENT_PARAMS, rules: RulesParams = DEFAULT_PARAMS): Routing {
  const total = sumFen(f.claimants.map((c) => c.amount));
  const group = p.collectiveDisputeWorkers.at(f.on);
  const threshold = criminalThresholdCheck(f.claimants, f.on, p);
  const limit = finalAwardLimit(f.county, f.on, p, rules);
  const held = f.depositHeld ?? null;
  const rulesSeen: RoutingRule[] = [];
  const also: string[] = [];
  const see = (rule: string, applies: boolean, text: string, document: string, article: string) => {
    rulesSeen.push({ rule, applies, text, basis: { document, article } });
    return applies;
  };

  let route: CaseStage | null = null;
  // 1. an enforceable title: nothing to decide again, apply for enforcement
  if (see('enforceable_title', Boolean(f.enforceableTitle), f.enforceableTitle ? '已有生效的裁决、判决或调解书且未履行：直接申请强制执行' : '没有生效法律文书', '中华人民共和国民事诉讼法', `第二百四十七条、第二百五十条（申请执行期间${periodAt(p.enforcementApplicationPeriod, f.on)}）`)) {
    route = 'enforcement';
  }
  // 2. an expired order and the amount test met: criminal referral
  const refusal = Boolean(f.orderExpiredUnpaid);
  const criminal = refusal && threshold.verdict === 'met';
  if (
    see(
      'criminal_referral',
      route === null && criminal,
      refusal ? `责令限期支付逾期未付；${threshold.sentence}` : '尚无逾期未履行的责令支付文书（构成拒不支付劳动报酬罪须经政府有关部门责令支付仍不支付，或以逃匿等方法逃避支付）',
      '中华人民共和国刑法',
      '第二百七十六条之一；法释〔2013〕3号 第三条、第四条',
    ) &&
    route === null
  ) {
    route = 'criminal_referral';
  }
  if (refusal && threshold.verdict === 'depends_on_local_figure') also.push('是否移送公安机关取决于河北省数额较大标准（本地设置，尚未配置）');
  // 3. an absconding employer: the inspectorate orders payment (the order may be posted at the site) and uses the deposit
  if (see('employer_absconded', route === null && Boolean(f.employerAbsconded), f.employerAbsconded ? '用人单位逃匿：由劳动保障监察责令限期支付（可在经营场所张贴送达），动用工资保证金或应急周转金先行垫付' : '用人单位未逃匿', '劳动保障监察条例；法释〔2013〕3号', '监察条例第二十六条；法释〔2013〕3号第四条') && route === null) {
    route = 'inspection';
    also.push('逾期仍不支付且达到数额较大标准的，移送公安机关（逃匿本身即为逃避支付的方法）');
  }
  // 4. a group claim: the inspectorate acts at once
  const isGroup = f.claimants.length >= group.value;
  if (see('group', route === null && isGroup, `${f.claimants.length}名劳动者共同主张${isGroup ? `，达到集体争议人数（${group.value}人以上）：由劳动保障监察快速处置、责令限期支付` : `，不足${group.value}人`}`, '劳动争议调解仲裁法；劳动保障监察条例', '调仲法第七条；监察条例第二十六条') && route === null) {
    route = 'inspection';
  }
  // 5. a written IOU: sue directly
  if (see('written_iou', route === null && Boolean(f.writtenIou), f.writtenIou ? '持工资欠条且只主张欠付工资：可直接向人民法院起诉（按普通民事纠纷受理）' : '没有工资欠条', '最高人民法院关于审理劳动争议案件适用法律问题的解释（一）', '第十五条') && route === null) {
    route = 'trial';
  }
  // 6. both willing: mediation first, 15 days
  if (see('mediation', route === null && Boolean(f.willingToMediate), f.willingToMediate ? `双方同意调解：先行快调，${periodAt(p.mediationPeriod, f.on)}内未达成协议可申请仲裁` : '未表示同意调解', '劳动争议调解仲裁法', '第十条、第十四条') && route === null) {
    route = 'mediation';
  }
  // default: arbitration, final when every claim is within the limit
  const withinLimit = limit.limit === null ? null : f.claimants.every((c) => c.amount <= limit.limit!);
  const over = limit.limit === null ? [] : f.claimants.filter((c) => c.amount > limit.limit!);
  see(
    'final_award_limit',
    withinLimit === true,
    limit.limit === null
      ? limit.text
      : `${limit.text}；${withinLimit ? `每名劳动者的请求均未超过限额，仲裁裁决为终局裁决（劳动者不服可在${periodAt(p.finalAwardWorkerSuitPeriod, f.on)}内起诉，用人单位只能在${periodAt(p.finalAwardSetAsidePeriod, f.on)}内申请撤销）` : `${over.length}名劳动者的请求超过限额，裁决非终局（任一方可在${periodAt(p.awardSuitPeriod, f.on)}内起诉）`}`,
    '劳动争议调解仲裁法',
    '第四十七条、第四十八条、第四十九条、第五十条',
  );
  if (route === null) route = 'arbitration';

  if (held !== null && held > 0 && (f.employerAbsconded || refusal || isGroup)) {
    also.push(`项目工资保证金现有${yuanText(held)}元，可依法动用支付（欠薪${yuanText(total)}元，可支付${yuanText(held < total ? held : total)}元）`);
  }
  if (refusal) {
    const rates = valueAt(p.additionalCompensationRates, f.on);
    also.push(`逾期未支付：可责令按应付金额${percentZh(rates.low)}–${percentZh(rates.high)}加付赔偿金（劳动合同法第八十五条）并启动失信名单程序（名单办法第五条）`);
  }

  const reasons = rulesSeen.filter((r) => r.applies).map((r) => r.text);
  const sentence = `${f.claimants.length}名劳动者主张欠薪${yuanText(total)}元，分流至${ROUTE_ZH[route] ?? route}${route === 'arbitration' ? (withinLimit ? '（终局裁决）' : withinLimit === false ? '（非终局裁决）' : '') : ''}：${reasons.length > 0 ? reasons.join('；') : '无其他情形，按一般程序申请仲裁'}`;
  return {
    route,
    finalAward: route === 'arbitration' ? withinLimit : null,
    alsoConsider: also,
    rules: rulesSeen,
    sentence,
    finalAwardLimit: limit.limit,
    threshold,
    params: [cite(group), ...limit.params, ...threshold.params],
  };
}
