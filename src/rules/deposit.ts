/**
 * 农民工工资保证金 — the guarantee deposit, COMPLIANCE.md §4.
 *
 * Implements 保障农民工工资支付条例 第三十二条 (the general contractor stores a wage guarantee deposit per project,
 * or a bank guarantee in its place), 工程建设领域农民工工资保证金规定 (人社部发〔2021〕65号: stored within 20
 * working days of signing; rate 1%–3% of the contract, not below 0.5% after cuts; cut after clean years, raised
 * after arrears or a blacklisting; used when an order to pay is ignored and replenished within 10 working days)
 * and Hebei's 冀人社规〔2022〕3号 (2%, cap 5,000,000 yuan, a second project −50%, small contracts exempt).
 *
 * Required = contract amount × rate: the base rate, then DEPOSIT_CHAIN — labelled steps, each with its basis,
 * whose exceptions (an exemption ends the chain; the blacklist raise replaces the arrears raise) are declared on
 * the step, not implied by the order of statements. The rate starts at the base rate and is waived, cut or raised by the
 * contractor's history before the deposit (the first deposit's date, or the storing deadline when nothing
 * was deposited by D) and by the contract size; the answer lists every step. History the system does not
 * hold earns no reduction: a clean-years step needs ContractorHistoryFacts.recordsHeldFrom on or before
 * the start of its look-back window. Raises need no coverage: known arrears always count.
 *
 * Held at D = cash deposits + replenishments − uses − refunds, plus bank guarantees and insurance not
 * expired at D.
 */
import { AS_OF } from '../domain/sentence.ts';
import { Decimal } from 'decimal.js';
import { addDays, addYears, daysBetween, type IsoDate } from '../domain/date.ts';
import { fen, yuanText, minFen, mulFen, type Fen } from '../domain/money.ts';
import { formatMonthZh } from '../domain/month.ts';
import type { Uscc } from '../domain/uscc.ts';
import { calendarOf } from './calendar.ts';
import type { BlacklistEntry, DepositEventFact, EvidenceRef, ProjectFacts } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import { cite, type ParamUse } from './params/dated.ts';
import { DEFAULT_PARAMS, type RulesParams } from './params/index.ts';
import { civilTerm } from './period.ts';
import type { WorkingDayCalendar } from './calendar.ts';
import type { WorkerMonth } from './wages.ts';

/** What the deposit flags read of a project as of D (a ProjectView has all of it). */
export interface DepositView {
  readonly project: ProjectFacts;
  readonly asOf: IsoDate;
  readonly params: RulesParams;
  readonly completed: boolean;
  /** events dated ≤ D */
  readonly depositEvents: readonly DepositEventFact[];
  readonly calendar: WorkingDayCalendar;
}

export function depositViewOf(project: ProjectFacts, asOf: IsoDate, params: RulesParams = DEFAULT_PARAMS): DepositView {
  return {
    project,
    asOf,
    params,
    completed: project.completionDate !== undefined && project.completionDate <= asOf,
    depositEvents: project.depositEvents.filter((e) => e.date <= asOf),
    calendar: calendarOf(params.holidays),
  };
}

/**
 * 记录来源 — where an item of the contractor's record comes from (issue 19 item 1): a row of an imported
 * contractor_records batch, or the ledger of one of the contractor's projects in the system (derived).
 */
export type RecordSource =
  | { readonly kind: 'imported'; readonly batchId: number; readonly line: number; readonly what: string }
  | { readonly kind: 'derived'; readonly projectCode: string; readonly what: string };

/** 来源说明: 导入批次#12第3行（…） / 本系统项目XT-001台账（…） */
export function sourceText(s: RecordSource): string {
  return s.kind === 'imported' ? `导入批次#${s.batchId}第${s.line}行（${s.what}）` : `本系统项目${s.projectCode}台账（${s.what}）`;
}

/** An imported row's source, or none for a fact entered without a row (tests, officer-entered history). */
export function importedSource(ref: EvidenceRef | undefined, what: string): RecordSource[] {
  return ref && ref.batchId > 0 ? [{ kind: 'imported', batchId: ref.batchId, line: ref.line, what }] : [];
}

/** A period in which the contractor owed wages (from and to inclusive; to null = still owed at D). */
export interface ArrearsPeriod {
  readonly from: IsoDate;
  readonly to: IsoDate | null;
  /** what it was, in Chinese (project, month, worker count) */
  readonly what: string;
  readonly evidence: readonly EvidenceRef[];
  /** where the period is known from (imported row, or derived from a project's ledger) */
  readonly sources?: readonly RecordSource[];
}

/** 承包单位信用记录 — what the deposit rule knows about a general contractor (built by evaluate.ts from CityFacts). */
export interface ContractorRecord {
  readonly uscc: Uscc;
  /** from this day the bureau holds the contractor's complete arrears record; null = no history held */
  readonly recordsHeldFrom: IsoDate | null;
  readonly realNameAndAccountCompliant: boolean;
  /** imported 实名制专户认定 periods (to null = still), read on the look-back day beside the flag above */
  readonly compliance?: readonly { readonly from: IsoDate; readonly to: IsoDate | null; readonly sources: readonly RecordSource[] }[];
  /** where recordsHeldFrom comes from (the imported 记录起始 row) */
  readonly recordsHeldFromSources?: readonly RecordSource[];
  /** merged arrears periods: recorded history plus those derived from the city's ledgers */
  readonly arrears: readonly ArrearsPeriod[];
  readonly blacklist: readonly BlacklistEntry[];
  /** the contractor's projects in the area (the city), this one included */
  readonly projects: readonly Pick<ProjectFacts, 'id' | 'code' | 'contractSignedOn' | 'completionDate'>[];
}

export type DepositStepCode =
  | 'base_rate'
  | 'small_contract_exemption'
  | 'clean_years_exemption'
  | 'second_project_cut'
  | 'clean_years_cut'
  | 'several_projects_floor'
  | 'arrears_raise'
  | 'blacklist_raise'
  | 'amount'
  | 'cap';

export interface DepositStep {
  readonly step: DepositStepCode;
  readonly applied: boolean;
  /** the rate after this step (decimal string) */
  readonly rate: string;
  /** 说明 */
  readonly why: string;
  readonly params: readonly ParamUse[];
  /** the step whose exception took this one's place (its own condition held) */
  readonly replacedBy?: DepositStepCode;
  /** 依据 — the records the step's outcome rests on (imported batch and line, or a project's ledger) */
  readonly sources?: readonly RecordSource[];
}

/** 应存工资保证金 */
export interface DepositRequirement {
  readonly contractAmount: Fen;
  /** 存储期限: signing + 20 working days */
  readonly deadline: IsoDate;
  /** the day the history is looked back from */
  readonly lookbackDate: IsoDate;
  readonly lookbackBasis: 'first_deposit' | 'deadline';
  readonly exempt: boolean;
  readonly rate: string;
  /** contract × rate, before the cap */
  readonly uncapped: Fen;
  readonly cap: Fen;
  readonly required: Fen;
  readonly steps: readonly DepositStep[];
}

/** 实存工资保证金 as of D */
export interface DepositHoldings {
  /** cash deposits + replenishments − uses − refunds (not below 0) */
  readonly cash: Fen;
  /** guarantees and insurance not expired at D, less guarantee-form uses and refunds since the oldest of them */
  readonly guarantees: Fen;
  readonly total: Fen;
  readonly validGuarantees: readonly DepositEventFact[];
  readonly evidence: readonly EvidenceRef[];
}

/** Merged arrears periods of worker-months paid after their due date or still unpaid (derived history). */
export function arrearsPeriodsOf(ledger: readonly WorkerMonth[]): ArrearsPeriod[] {
  const raw: ArrearsPeriod[] = [];
  for (const wm of ledger) {
    if (wm.netDue === null || wm.netDue <= 0 || wm.status === 'not_due' || wm.status === 'paid') continue;
    if (wm.paidInFullOn !== null && wm.paidInFullOn <= wm.dueDate) continue;
    raw.push({
      from: addDays(wm.dueDate, 1),
      to: wm.paidInFullOn === null ? null : addDays(wm.paidInFullOn, -1),
      what: `${wm.projectCode} ${formatMonthZh(wm.month)} ${wm.name}工资逾期`,
      evidence: wm.evidence.slice(0, 1),
      sources: [{ kind: 'derived', projectCode: wm.projectCode, what: `${formatMonthZh(wm.month)}工资逾期` }],
    });
  }
  return mergePeriods(raw);
}

/** Sorts and merges overlapping or adjacent periods, keeping the first description and a count. */
export function mergePeriods(periods: readonly ArrearsPeriod[]): ArrearsPeriod[] {
  const sorted = [...periods].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.what < b.what ? -1 : 1));
  // each kept source beside its text: a merged period compares every new source with at most five kept ones
  const out: { from: IsoDate; to: IsoDate | null; what: string; count: number; evidence: EvidenceRef[]; sources: RecordSource[]; texts: string[] }[] = [];
  const addSources = (into: RecordSource[], texts: string[], more: readonly RecordSource[] | undefined) => {
    for (const x of more ?? []) {
      if (into.length >= 5) return;
      const text = sourceText(x);
      if (!texts.includes(text)) {
        into.push(x);
        texts.push(text);
      }
    }
  };
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && (last.to === null || p.from <= addDays(last.to, 1))) {
      if (last.to !== null && (p.to === null || p.to > last.to)) last.to = p.to;
      last.count++;
      if (last.evidence.length < 5) last.evidence.push(...p.evidence.slice(0, 5 - last.evidence.length));
      addSources(last.sources, last.texts, p.sources);
    } else {
      const sources: RecordSource[] = [];
      const texts: string[] = [];
      addSources(sources, texts, p.sources);
      out.push({ from: p.from, to: p.to, what: p.what, count: 1, evidence: [...p.evidence], sources, texts });
    }
  }
  return out.map((p) => ({
    from: p.from,
    to: p.to,
    what: p.count > 1 ? `${p.what}等${p.count}项` : p.what,
    evidence: p.evidence,
    ...(p.sources.length > 0 ? { sources: p.sources } : {}),
  }));
}

/** The first arrears period overlapping [from, before) — the look-back window ending the day before `before`. */
function arrearsIn(record: ContractorRecord, from: IsoDate, before: IsoDate): ArrearsPeriod | undefined {
  const lastDay = addDays(before, -1);
  return record.arrears.find((p) => p.from <= lastDay && (p.to === null || p.to >= from));
}

function listedOn(record: ContractorRecord, day: IsoDate): BlacklistEntry | undefined {
  return record.blacklist.find((b) => b.from <= day && (b.to === undefined || day < b.to));
}

const pct = (rate: Decimal) => `${rate.mul(100).toString()}%`;

/** 存储期限 — signing + N working days. */
export function depositDeadline(project: Pick<ProjectFacts, 'contractSignedOn'>, params: RulesParams = DEFAULT_PARAMS): { deadline: IsoDate; param: ParamUse } {
  const p = params.depositStoreDeadline.at(project.contractSignedOn);
  return { deadline: calendarOf(params.holidays).addWorkingDays(project.contractSignedOn, p.value.workingDays), param: cite(p) };
}

/** What every step of the chain reads, found once before the chain runs. */
interface ChainContext {
  readonly project: ProjectFacts;
  readonly record: ContractorRecord;
  readonly params: RulesParams;
  /** the day the contractor's history is looked back from */
  readonly t: IsoDate;
  /** the contractor's complete record covers the days from `from` */
  covered(from: IsoDate): boolean;
  /** why a reduction is refused for lack of history from `from` */
  noHistory(from: IsoDate): string;
  /** what a clean record rests on: the imported coverage row and the ledgers of the contractor's projects in the system */
  cleanSources(): RecordSource[];
  /** the compliance finding in force on `day` (imported period, or the bureau's flag), or null */
  compliantOn(day: IsoDate): RecordSource[] | null;
}

/** How a step changes the rate when it applies. */
type Effect =
  | { readonly kind: 'exempt' }
  | { readonly kind: 'times'; readonly factor: Decimal.Value }
  | { readonly kind: 'at_least'; readonly floor: Decimal.Value };

/** A step's legal test on the facts: whether its condition holds, and the sentence for each outcome. */
interface StepTest {
  readonly holds: boolean;
  readonly effect: Effect;
  /** the sentence when the condition holds (and the step applies) or does not hold */
  readonly why: string;
  /** the sentence when the condition holds but a later step replaces this one (an exception) */
  readonly whyReplaced?: string;
  /** at_least: the sentence when the rate is already at or above the floor */
  readonly whyNoChange?: string;
  readonly params: readonly ParamUse[];
  /** the records the outcome rests on (shown in the step and appended to its sentence) */
  readonly sources?: readonly RecordSource[];
}

/** One labelled step of the deposit chain. */
export interface DepositRule {
  readonly step: DepositStepCode;
  /** 中文名称 */
  readonly label: string;
  /** the provision the step applies */
  readonly basis: string;
  readonly kind: 'exemption' | 'cut' | 'floor' | 'raise';
  /**
   * 例外 — when this step applies, the steps listed here do not (even when their own condition holds): the
   * sentence of a replaced step says which step took its place.
   */
  readonly replaces?: readonly DepositStepCode[];
  /** the facts test; null when the step does not arise at all (it is then not listed) */
  test(ctx: ChainContext): StepTest | null;
}

/**
 * 保证金比例的认定链 — the deposit requirement as a declared chain: the base rate (保证金规定 第十一条; 河北办法:
 * 2%), then each step in this order, each cited. Exceptions are stated, not implied by the order of statements:
 * - an exemption (免存) that applies ends the chain: the rate is 0 and no cut, floor or raise is considered;
 * - 失信名单上浮 replaces 拖欠上浮: a contractor on the blacklist has its rate raised by the blacklist factor
 *   alone, even when it also owed wages in the look-back window.
 * After the chain: contract amount × rate, then the single-project cap.
 * History the system does not hold earns no reduction (a cut or exemption needs the record to cover its window).
 */
export const DEPOSIT_CHAIN: readonly DepositRule[] = [
  {
    step: 'small_contract_exemption',
    label: '小额合同免存',
    basis: '冀人社规〔2022〕3号（合同额低于300万元且签订合同前一年无拖欠的，免存）',
    kind: 'exemption',
    test({ project, record, params, t, covered, noHistory, cleanSources }) {
      const small = params.depositSmallContractExemption.at(t);
      if (!(project.contractAmount < small.value.below)) return null; // not a small contract: the step does not arise
      const from = addYears(project.contractSignedOn, -small.value.lookbackYears);
      const arrears = arrearsIn(record, from, project.contractSignedOn);
      const holds = covered(from) && !arrears;
      return {
        holds,
        sources: holds ? cleanSources() : (arrears?.sources ?? []),
        effect: { kind: 'exempt' },
        why: holds
          ? `合同额${yuanText(project.contractAmount)}元低于${yuanText(small.value.below)}元，且签订合同前一年内（${from}至${addDays(project.contractSignedOn, -1)}）无拖欠，免存`
          : `合同额低于${yuanText(small.value.below)}元，但${arrears ? `签订合同前一年内有拖欠（${arrears.what}，${arrears.from}起）` : noHistory(from)}，不免存`,
        params: [cite(small)],
      };
    },
  },
  {
    step: 'clean_years_exemption',
    label: '连续无拖欠免存',
    basis: '保证金规定 第十二条（连续3年无拖欠且落实实名制和专户制度的，新增工程免存）',
    kind: 'exemption',
    test({ record, params, t, covered, noHistory, cleanSources, compliantOn }) {
      const p = params.depositCleanYearsExemption.at(t);
      const from = addYears(t, -p.value.years);
      const arrears = arrearsIn(record, from, t);
      const listed = record.blacklist.find((b) => b.from < t && (b.to === undefined || b.to > from));
      const compliance = compliantOn(t);
      const holds = covered(from) && !arrears && !listed && compliance !== null;
      const reason = arrears
        ? `前${p.value.years}年内有拖欠（${arrears.what}）`
        : listed
          ? `前${p.value.years}年内曾列入失信名单`
          : !covered(from)
            ? noHistory(from)
            : '未认定落实实名制和专户制度';
      return {
        holds,
        sources: holds ? [...cleanSources(), ...compliance!] : arrears ? (arrears.sources ?? []) : listed ? importedSource(listed.ref, `${listed.from}列入失信名单`) : [],
        effect: { kind: 'exempt' },
        why: holds ? `${from}至${addDays(t, -1)}连续${p.value.years}年无拖欠，且落实实名制和专户制度，免存` : `连续${p.value.years}年无拖欠免存：不适用（${reason}）`,
        params: [cite(p)],
      };
    },
  },
  {
    step: 'second_project_cut',
    label: '同一地区第二个及以后项目下浮',
    basis: '冀人社规〔2022〕3号（同一地区第二个及以后的在建项目，比例下浮50%）',
    kind: 'cut',
    test({ project, record, params, t }) {
      const p = params.depositSecondProjectCut.at(t);
      const earlier = record.projects.find(
        (x) =>
          x.id !== project.id &&
          (x.contractSignedOn < project.contractSignedOn || (x.contractSignedOn === project.contractSignedOn && x.code < project.code)) &&
          (x.completionDate === undefined || x.completionDate >= t),
      );
      return {
        holds: earlier !== undefined,
        effect: { kind: 'times', factor: p.value },
        why: earlier
          ? `该单位在本地区另有在建项目${earlier.code}（${earlier.contractSignedOn}签订），本项目为第二个及以后的项目，比例×${p.value}`
          : '该单位在本地区没有更早的在建项目，不下浮',
        params: [cite(p)],
      };
    },
  },
  {
    step: 'clean_years_cut',
    label: '连续无拖欠下浮',
    basis: '保证金规定 第十二条；冀人社规〔2022〕3号（连续2年无拖欠的，新增工程比例降幅不低于50%）',
    kind: 'cut',
    test({ record, params, t, covered, noHistory, cleanSources }) {
      const p = params.depositCleanYearsCut.at(t);
      const from = addYears(t, -p.value.years);
      const arrears = arrearsIn(record, from, t);
      const holds = covered(from) && !arrears;
      return {
        holds,
        sources: holds ? cleanSources() : (arrears?.sources ?? []),
        effect: { kind: 'times', factor: p.value.factor },
        why: holds
          ? `${from}至${addDays(t, -1)}连续${p.value.years}年无拖欠，比例×${p.value.factor}`
          : `连续${p.value.years}年无拖欠下浮：不适用（${arrears ? `有拖欠：${arrears.what}` : noHistory(from)}）`,
        params: [cite(p)],
      };
    },
  },
  {
    step: 'several_projects_floor',
    label: '下浮后的最低比例',
    basis: '保证金规定 第十一条（下浮后不低于0.5%）',
    kind: 'floor',
    test({ params, t }) {
      const bounds = params.depositNationalBounds.at(t);
      const floor = new Decimal(bounds.value.severalProjectsFloor);
      return {
        holds: true,
        effect: { kind: 'at_least', floor },
        why: `下浮后低于全国规定的最低比例${pct(floor)}，按${pct(floor)}`,
        whyNoChange: `不低于全国规定的最低比例${pct(floor)}`,
        params: [cite(bounds)],
      };
    },
  },
  {
    step: 'arrears_raise',
    label: '拖欠上浮',
    basis: '保证金规定 第十二条（存储前2年内发生拖欠的，比例增幅不低于50%）',
    kind: 'raise',
    test({ record, params, t }) {
      const p = params.depositArrearsRaise.at(t);
      const from = addYears(t, -p.value.years);
      const arrears = arrearsIn(record, from, t);
      return {
        holds: arrears !== undefined,
        sources: arrears?.sources ?? [],
        effect: { kind: 'times', factor: p.value.factor },
        why: arrears
          ? `前${p.value.years}年内（${from}起）有拖欠：${arrears.what}（${arrears.from}起），比例×${p.value.factor}`
          : `前${p.value.years}年内（${from}至${addDays(t, -1)}）无已知拖欠，不上浮`,
        ...(arrears ? { whyReplaced: `前${p.value.years}年内有拖欠（${arrears.what}），由失信名单上浮代替` } : {}),
        params: [cite(p)],
      };
    },
  },
  {
    step: 'blacklist_raise',
    label: '失信名单上浮',
    basis: '保证金规定 第十二条（因拖欠农民工工资被列入失信联合惩戒对象名单的，比例增幅不低于100%）',
    kind: 'raise',
    replaces: ['arrears_raise'],
    test({ record, params, t }) {
      const p = params.depositBlacklistRaise.at(t);
      const dayBefore = addDays(t, -1);
      const listing = listedOn(record, dayBefore);
      return {
        holds: listing !== undefined,
        sources: listing ? importedSource(listing.ref, `${listing.from}列入失信名单`) : [],
        effect: { kind: 'times', factor: p.value.factor },
        why: listing ? `该单位自${listing.from}起列入拖欠农民工工资失信联合惩戒对象名单，比例×${p.value.factor}` : `${dayBefore}不在失信名单上，不上浮`,
        params: [cite(p)],
      };
    },
  },
];

/** 应存工资保证金 — the requirement: the base rate, the declared chain (DEPOSIT_CHAIN) with every step shown, amount and cap. */
export function requiredDeposit(
  project: ProjectFacts,
  record: ContractorRecord,
  asOf: IsoDate,
  params: RulesParams = DEFAULT_PARAMS,
): DepositRequirement {
  const { deadline, param: deadlineParam } = depositDeadline(project, params);
  const firstDeposit = project.depositEvents
    .filter((e) => e.event === 'deposit' && e.date <= asOf)
    .reduce<IsoDate | undefined>((min, e) => (min === undefined || e.date < min ? e.date : min), undefined);
  const t = firstDeposit ?? deadline;
  const lookbackBasis = firstDeposit !== undefined ? 'first_deposit' : 'deadline';
  const ctx: ChainContext = {
    project,
    record,
    params,
    t,
    covered: (from) => record.recordsHeldFrom !== null && record.recordsHeldFrom <= from,
    noHistory: (from) =>
      record.recordsHeldFrom === null
        ? '系统未掌握该单位的历史欠薪记录，不予降低'
        : `系统自${record.recordsHeldFrom}起才掌握该单位记录，未覆盖${from}起的期间，不予降低`,
    cleanSources: () => [
      ...(record.recordsHeldFromSources ?? []),
      ...record.projects.slice(0, 5).map((x): RecordSource => ({ kind: 'derived', projectCode: x.code, what: '无拖欠' })),
    ],
    compliantOn: (day) => {
      const period = record.compliance?.find((c) => c.from <= day && (c.to === null || c.to >= day));
      if (period) return [...period.sources];
      return record.realNameAndAccountCompliant ? [] : null;
    },
  };
  const steps: DepositStep[] = [];

  // —— the base rate ——
  const baseP = params.depositBaseRate.at(t);
  const bounds = params.depositNationalBounds.at(t);
  let rate = new Decimal(baseP.value);
  if (rate.lt(bounds.value.min) || rate.gt(bounds.value.max)) {
    throw new RangeError(`工资保证金基准比例${pct(rate)}不在全国规定的${pct(new Decimal(bounds.value.min))}–${pct(new Decimal(bounds.value.max))}之间：请检查参数`);
  }
  steps.push({
    step: 'base_rate',
    applied: true,
    rate: rate.toString(),
    why: `基准比例${pct(rate)}（${baseP.source.document}；全国规定${pct(new Decimal(bounds.value.min))}–${pct(new Decimal(bounds.value.max))}）；以${t}${lookbackBasis === 'first_deposit' ? '（首次存储日）' : '（存储期限）'}为准回溯该单位记录`,
    params: [cite(baseP), cite(bounds), deadlineParam],
  });
  const cap = params.depositCap.at(t);

  // —— the chain: every test first (an exception needs to know whether the step replacing it holds) ——
  const tests = new Map<DepositStepCode, StepTest | null>();
  const replacedBy = new Map<DepositStepCode, DepositRule>();
  let exempt = false;
  for (const rule of DEPOSIT_CHAIN) {
    const test = rule.test(ctx);
    tests.set(rule.step, test);
    // an exemption that holds ends the chain: later steps are neither tested nor listed
    if (rule.kind === 'exemption' && test?.holds) break;
  }
  for (const rule of DEPOSIT_CHAIN) if (tests.get(rule.step)?.holds) for (const r of rule.replaces ?? []) replacedBy.set(r, rule);
  for (const rule of DEPOSIT_CHAIN) {
    if (!tests.has(rule.step)) break; // after an exemption
    const test = tests.get(rule.step)!;
    if (test === null) continue;
    const replacement = test.holds ? replacedBy.get(rule.step) : undefined;
    let applied = test.holds && replacement === undefined;
    let why = replacement ? (test.whyReplaced ?? `${test.why}，由${replacement.label}代替`) : test.why;
    const e = test.effect;
    if (applied && e.kind === 'at_least') {
      applied = rate.lt(e.floor);
      if (!applied) why = test.whyNoChange ?? why;
    }
    if (applied) rate = e.kind === 'exempt' ? new Decimal(0) : e.kind === 'times' ? rate.mul(e.factor) : new Decimal(e.floor);
    const sources = test.sources ?? [];
    if (sources.length > 0) why = `${why}；依据：${sources.map(sourceText).join('、')}`;
    steps.push({
      step: rule.step,
      applied,
      rate: rate.toString(),
      why,
      params: test.params,
      ...(replacement ? { replacedBy: replacement.step } : {}),
      ...(sources.length > 0 ? { sources } : {}),
    });
    if (applied && e.kind === 'exempt') {
      exempt = true;
      break;
    }
  }

  // —— amount and cap ——
  const uncapped = exempt ? fen(0) : mulFen(project.contractAmount, rate);
  const required = minFen(uncapped, cap.value);
  steps.push({
    step: 'amount',
    applied: !exempt,
    rate: rate.toString(),
    why: exempt ? '免存，应存0元' : `合同额${yuanText(project.contractAmount)}元×${pct(rate)}=${yuanText(uncapped)}元`,
    params: [],
  });
  steps.push({
    step: 'cap',
    applied: uncapped > cap.value,
    rate: rate.toString(),
    why: uncapped > cap.value ? `超过单个项目上限${yuanText(cap.value)}元，按上限存储` : `未超过单个项目上限${yuanText(cap.value)}元`,
    params: [cite(cap)],
  });
  return { contractAmount: project.contractAmount, deadline, lookbackDate: t, lookbackBasis, exempt, rate: rate.toString(), uncapped, cap: cap.value, required, steps };
}

/** 实存工资保证金 at D. */
export function depositHoldings(events: readonly DepositEventFact[], asOf: IsoDate): DepositHoldings {
  const current = events.filter((e) => e.date <= asOf);
  let cash = 0;
  for (const e of current) {
    if (e.form !== 'cash') continue;
    cash += e.event === 'deposit' || e.event === 'replenish' ? e.amount : -e.amount;
  }
  const validGuarantees = current.filter(
    (e) => e.form !== 'cash' && (e.event === 'deposit' || e.event === 'replenish') && (e.expiresOn === undefined || e.expiresOn >= asOf),
  );
  let guarantees = validGuarantees.reduce((s, e) => s + e.amount, 0);
  if (validGuarantees.length > 0) {
    const oldest = validGuarantees.reduce((m, e) => (e.date < m ? e.date : m), validGuarantees[0]!.date);
    for (const e of current) if (e.form !== 'cash' && (e.event === 'use' || e.event === 'refund') && e.date >= oldest) guarantees -= e.amount;
  }
  const cashHeld = fen(Math.max(0, cash));
  const guaranteesHeld = fen(Math.max(0, guarantees));
  return { cash: cashHeld, guarantees: guaranteesHeld, total: fen(cashHeld + guaranteesHeld), validGuarantees, evidence: current.map((e) => e.ref) };
}

const FORM_ZH: Record<DepositEventFact['form'], string> = { cash: '现金', bank_guarantee: '银行保函', insurance: '保证保险' };

/**
 * DEPOSIT_MISSING / DEPOSIT_SHORT (P not completed, D after the storing deadline, held zero / below the
 * requirement), GUARANTEE_EXPIRING / GUARANTEE_EXPIRED (P not completed), DEPOSIT_NOT_REPLENISHED.
 */
export function depositFindings(view: DepositView, requirement: DepositRequirement, holdings: DepositHoldings): Finding[] {
  const { project, asOf, params } = view;
  const out: Finding[] = [];
  const stepParams = requirement.steps.flatMap((s) => (s.applied || s.step === 'base_rate' ? s.params : []));
  const how = requirement.steps.filter((s) => s.applied && s.step !== 'amount' && s.step !== 'cap').map((s) => s.why.split('；')[0]).join('；');
  if (!view.completed && asOf > requirement.deadline && requirement.required > 0) {
    if (holdings.total === 0) {
      out.push(
        makeFinding('DEPOSIT_MISSING', project, {
          amount: requirement.required,
          params: stepParams,
          evidence: [project.ref, ...holdings.evidence],
          text: `项目未竣工，应于${requirement.deadline}前存储工资保证金${yuanText(requirement.required)}元（${how}），截至${AS_OF}未存储`,
        }),
      );
    } else if (holdings.total < requirement.required) {
      const short = fen(requirement.required - holdings.total);
      out.push(
        makeFinding('DEPOSIT_SHORT', project, {
          amount: short,
          params: stepParams,
          evidence: [project.ref, ...holdings.evidence],
          text: `项目未竣工，应存工资保证金${yuanText(requirement.required)}元（${how}），截至${AS_OF}实存${yuanText(holdings.total)}元（现金${yuanText(holdings.cash)}元，有效保函/保险${yuanText(holdings.guarantees)}元），少${yuanText(short)}元`,
        }),
      );
    }
  }

  const events = view.depositEvents;
  if (!view.completed) {
    const window = params.guaranteeExpiringWindow.at(asOf);
    const until = addDays(asOf, window.value.days);
    const expiring = holdings.validGuarantees.filter((g) => g.expiresOn !== undefined && g.expiresOn <= until);
    if (expiring.length > 0) {
      out.push(
        makeFinding('GUARANTEE_EXPIRING', project, {
          amount: fen(expiring.reduce((s, g) => s + g.amount, 0)),
          params: [cite(window)],
          evidence: expiring.map((g) => g.ref),
          text: `项目未竣工，${expiring.map((g) => `${FORM_ZH[g.form]}${g.voucherNo}（${yuanText(g.amount)}元）将于${g.expiresOn}到期`).join('；')}，在${window.value.days}天内，请督促续保或改存现金`,
        }),
      );
    }
    // an expired guarantee counts unless a later deposit still held at D replaced it, or it was refunded
    const cashDeposits = events.filter((e) => e.form === 'cash' && (e.event === 'deposit' || e.event === 'replenish'));
    const expired = events.filter(
      (g) =>
        g.form !== 'cash' &&
        (g.event === 'deposit' || g.event === 'replenish') &&
        g.expiresOn !== undefined &&
        g.expiresOn < asOf &&
        !holdings.validGuarantees.some((v) => v !== g && v.date >= g.date) &&
        !(holdings.cash > 0 && cashDeposits.some((c) => c.date >= g.date)) &&
        !events.some((r) => r.form !== 'cash' && r.event === 'refund' && r.date >= g.date),
    );
    if (expired.length > 0) {
      out.push(
        makeFinding('GUARANTEE_EXPIRED', project, {
          amount: fen(expired.reduce((s, g) => s + g.amount, 0)),
          evidence: expired.map((g) => g.ref),
          text: `项目未竣工，${expired.map((g) => `${FORM_ZH[g.form]}${g.voucherNo}（${yuanText(g.amount)}元）已于${g.expiresOn}到期`).join('；')}，未见续保或替换`,
        }),
      );
    }
  }

  // DEPOSIT_NOT_REPLENISHED — each use made good within N working days; replenishments allocated first-in first-out
  const uses = events.filter((e) => e.event === 'use').sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (uses.length > 0) {
    const calendar = view.calendar;
    const replenishments = events
      .filter((e) => e.event === 'replenish')
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      .map((e) => ({ e, left: e.amount as number }));
    let shortTotal = 0;
    const failed: string[] = [];
    const evidence: EvidenceRef[] = [];
    let param: ParamUse | undefined;
    for (const u of uses) {
      const p = params.depositReplenishDeadline.at(u.date);
      param = cite(p);
      const deadline = calendar.addWorkingDays(u.date, p.value.workingDays);
      let need = u.amount as number;
      for (const r of replenishments) {
        if (need === 0) break;
        if (r.left === 0 || r.e.date < u.date || r.e.date > deadline) continue;
        const take = Math.min(need, r.left);
        r.left -= take;
        need -= take;
      }
      if (need > 0 && asOf > deadline) {
        shortTotal += need;
        failed.push(`${u.date}动用${yuanText(u.amount)}元，应于${deadline}前补足，期限内少补${yuanText(fen(need))}元`);
        evidence.push(u.ref);
      }
    }
    if (failed.length > 0) {
      for (const r of replenishments) evidence.push(r.e.ref);
      out.push(
        makeFinding('DEPOSIT_NOT_REPLENISHED', project, {
          amount: fen(shortTotal),
          params: param ? [param] : [],
          evidence,
          text: `工资保证金动用后未按期补足：${failed.join('；')}`,
        }),
      );
    }
  }
  return out;
}

/** The worker-months still owed on day X: due before X and not paid in full by the end of X (the ledger's paidInFullOn). */
export function owedOn(ledger: readonly WorkerMonth[], day: IsoDate): WorkerMonth[] {
  return ledger.filter((wm) => wm.netDue !== null && wm.netDue > 0 && wm.dueDate < day && (wm.paidInFullOn === null || wm.paidInFullOn > day));
}

/** 30 days' no-arrears notice from `from` (the day not counted, 民法典 第二百零一条): the first day the act may follow it. */
export function noticeEndsOn(from: IsoDate, days: number): { lastDay: IsoDate; dayAfter: IsoDate } {
  return civilTerm(from, days, 'days');
}

/** “王建军2026年8月工资等3项” — the first owed worker-months, for a sentence. */
export function owedText(owed: readonly WorkerMonth[]): string {
  const first = owed.slice(0, 3).map((wm) => `${wm.name}${formatMonthZh(wm.month)}工资`);
  return `${first.join('、')}${owed.length > 3 ? `等${owed.length}项` : ''}`;
}

/**
 * The deposit's life from storing to refund — findings that stay as a record once the thing happened, completed
 * or not:
 * - DEPOSIT_STORED_LATE (保证金规定 第八条): the holdings first reached the requirement after the storing deadline;
 * - GUARANTEE_TERM_SHORT (保证金规定 第十七条, to confirm): a guarantee or insurance whose cover, counted from its
 *   issue day inclusive, is shorter than `guaranteeMinTerm` years or ends before the planned completion date;
 * - DEPOSIT_REFUND_EARLY (保证金规定 第二十二条): a refund made before completion (unless what is held after it
 *   still covers the requirement — a replacement, not a refund), without a recorded 30-day no-arrears notice or
 *   before it ran out, or while wages were owed on the project.
 */
export function depositLifeFindings(view: DepositView, requirement: DepositRequirement, ledger: readonly WorkerMonth[]): Finding[] {
  const { project, asOf, params } = view;
  const out: Finding[] = [];
  const events = [...view.depositEvents].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // —— DEPOSIT_STORED_LATE ——
  if (requirement.required > 0 && asOf > requirement.deadline) {
    const days = [...new Set(events.map((e) => e.date))];
    const reached = days.find((day) => depositHoldings(events, day).total >= requirement.required);
    if (reached !== undefined && reached > requirement.deadline) {
      const deadlineP = params.depositStoreDeadline.at(project.contractSignedOn);
      const upTo = events.filter((e) => e.date <= reached && (e.event === 'deposit' || e.event === 'replenish'));
      const late = daysBetween(requirement.deadline, reached);
      out.push(
        makeFinding('DEPOSIT_STORED_LATE', project, {
          amount: requirement.required,
          params: [cite(deadlineP)],
          evidence: [project.ref, ...upTo.map((e) => e.ref)],
          text: `施工合同于${project.contractSignedOn}签订，应在${deadlineP.value.workingDays}个工作日内即${requirement.deadline}前存储工资保证金${yuanText(requirement.required)}元，实际于${reached}方存足（${upTo.map((e) => `${e.date}${FORM_ZH[e.form]}${yuanText(e.amount)}元`).join('、')}），迟延${late}天；已存足的不再报未存储，迟延存储作为记录保留`,
        }),
      );
    }
  }

  // —— GUARANTEE_TERM_SHORT ——
  const short: { e: DepositEventFact; need: IsoDate; why: string }[] = [];
  for (const e of events) {
    if (e.form === 'cash' || (e.event !== 'deposit' && e.event !== 'replenish') || e.expiresOn === undefined) continue;
    if (project.completionDate !== undefined && project.completionDate < e.date) continue;
    const p = params.guaranteeMinTerm.at(e.date);
    const yearEnd = addDays(addYears(e.date, p.value.years), -1);
    const plan = project.plannedEndDate;
    const need = plan !== undefined && plan > yearEnd ? plan : yearEnd;
    if (e.expiresOn < need) {
      short.push({
        e,
        need,
        why: need === plan ? `不短于合同工期（计划竣工${plan}）` : `至少${p.value.years}年（至${yearEnd}）${plan === undefined ? '，项目未登记计划竣工日期，只按最短年限判断' : ''}`,
      });
    }
  }
  if (short.length > 0) {
    out.push(
      makeFinding('GUARANTEE_TERM_SHORT', project, {
        amount: fen(short.reduce((s, x) => s + x.e.amount, 0)),
        params: [cite(params.guaranteeMinTerm.at(short[0]!.e.date))],
        evidence: [project.ref, ...short.map((x) => x.e.ref)],
        text: short
          .map((x) => `${FORM_ZH[x.e.form]}${x.e.voucherNo}（${yuanText(x.e.amount)}元）${x.e.date}出具、保至${x.e.expiresOn}，保证期限应${x.why}，少${daysBetween(x.e.expiresOn!, x.need)}天`)
          .join('；'),
      }),
    );
  }

  // —— DEPOSIT_REFUND_EARLY ——
  const noticeP = params.noArrearsNoticeDays.at(asOf);
  const early: { e: DepositEventFact; reasons: string[]; owed: WorkerMonth[] }[] = [];
  for (const e of events) {
    if (e.event !== 'refund') continue;
    const reasons: string[] = [];
    const completed = project.completionDate !== undefined && project.completionDate <= e.date;
    if (!completed) {
      // a refund that leaves the requirement covered replaces one form by another: not a refund under 第二十二条
      const after = depositHoldings(events.filter((x) => x.date <= e.date), e.date).total;
      if (after >= requirement.required) continue;
      reasons.push(`工程尚未完工${project.completionDate ? `（${project.completionDate}竣工）` : ''}，返还后实存${yuanText(after)}元低于应存${yuanText(requirement.required)}元`);
    }
    if (e.noticeFrom === undefined) reasons.push(`未记录无拖欠公示（应公示${noticeP.value.days}日）`);
    else {
      const n = noticeEndsOn(e.noticeFrom, params.noArrearsNoticeDays.at(e.noticeFrom).value.days);
      if (e.date < n.dayAfter) reasons.push(`${e.noticeFrom}起公示${noticeP.value.days}日至${n.lastDay}届满，${n.dayAfter}起方可返还，返还日${e.date}公示未满`);
    }
    const owed = owedOn(ledger, e.date);
    if (owed.length > 0) reasons.push(`返还时本项目仍拖欠工资（${owedText(owed)}）`);
    if (reasons.length > 0) early.push({ e, reasons, owed });
  }
  if (early.length > 0) {
    out.push(
      makeFinding('DEPOSIT_REFUND_EARLY', project, {
        amount: fen(early.reduce((s, x) => s + x.e.amount, 0)),
        params: [cite(noticeP)],
        evidence: [project.ref, ...early.flatMap((x) => [x.e.ref, ...x.owed.slice(0, 5).flatMap((wm) => wm.evidence.slice(0, 1))])],
        text: early.map((x) => `${x.e.date}返还${FORM_ZH[x.e.form]}保证金${x.e.voucherNo}（${yuanText(x.e.amount)}元）不符合返还条件：${x.reasons.join('；')}`).join('。'),
      }),
    );
  }
  return out;
}
