/**
 * 工资保证金 — guarantee-deposit parameters (RULES.md "Wage guarantee deposit").
 * 保证金规定 = 工程建设领域农民工工资保证金规定（人社部发〔2021〕65号，2021-11-01 施行）;
 * 河北办法 = 河北省工程建设领域农民工工资保证金实施办法（冀人社规〔2022〕3号，2022-03-04 印发）.
 * Rates are decimal strings (exact through decimal.js), amounts integer fen.
 */
import type { IsoDate } from '../../domain/date.ts';
import { fen, type Fen } from '../../domain/money.ts';
import { dated, type ParamSource } from './dated.ts';

const NATIONAL = '工程建设领域农民工工资保证金规定（人社部发〔2021〕65号）';
const HEBEI = '河北省工程建设领域农民工工资保证金实施办法（冀人社规〔2022〕3号）';
const NATIONAL_FROM = '2021-11-01' as IsoDate;
const HEBEI_FROM = '2022-03-04' as IsoDate;

const hebei = (note: string, verified = true): ParamSource => ({ document: HEBEI, verified, note });

/** 存储比例 — Hebei base rate: 2% of the contract amount. */
export const depositBaseRate = dated<string>('工资保证金存储比例（河北）', [
  { from: HEBEI_FROM, value: '0.02', source: hebei('按施工合同额的2%存储（据官方解读摘要核对）') },
]);

/** 单个项目存储上限 — Hebei cap per project: 5,000,000 yuan. */
export const depositCap = dated<Fen>('工资保证金单个项目存储上限（河北）', [
  { from: HEBEI_FROM, value: fen(500_000_000), source: hebei('单个工程最高不超过500万元') },
]);

/** 全国存储比例区间 — national bounds: 1%–3%, and 0.5% for a contractor with several projects in the area. */
export const depositNationalBounds = dated<{ readonly min: string; readonly max: string; readonly severalProjectsFloor: string }>(
  '工资保证金存储比例区间（全国）',
  [
    {
      from: NATIONAL_FROM,
      value: { min: '0.01', max: '0.03', severalProjectsFloor: '0.005' },
      source: {
        document: NATIONAL,
        article: '第十一条',
        verified: true,
        note: '原则上不低于1%、不超过3%；同一地区有多个在建工程的可下浮，但不得低于0.5%',
      },
    },
  ],
);

/** 同一地区第二个及以后项目下浮50% — Hebei: a second and later project in the same area, rate × 0.5. */
export const depositSecondProjectCut = dated<string>('同一地区多个在建工程下浮比例（河北）', [
  { from: HEBEI_FROM, value: '0.5', source: hebei('同一地区第二个及以后的工程下浮50%；“同一地区”按本系统所辖（全市）项目理解') },
]);

/** 小额合同免存 — contract below 3,000,000 yuan and no arrears in the year before signing: exempt. */
export const depositSmallContractExemption = dated<{ readonly below: Fen; readonly lookbackYears: number }>('小额合同免存工资保证金', [
  {
    from: HEBEI_FROM,
    value: { below: fen(300_000_000), lookbackYears: 1 },
    source: {
      document: HEBEI,
      verified: true,
      note: '合同额300万元以下、施工总承包单位签订施工合同前一年内未发生工资拖欠的免存（全国规定第十一条为地方可选项，河北采用）',
    },
  },
]);

/** 连续2年无拖欠下浮 — 2 consecutive clean years in the area: new projects' rate × 0.5. */
export const depositCleanYearsCut = dated<{ readonly years: number; readonly factor: string }>('连续无拖欠降低存储比例', [
  {
    from: HEBEI_FROM,
    value: { years: 2, factor: '0.5' },
    source: { document: HEBEI, verified: true, note: '连续2年未发生工资拖欠的，新增工程降低存储比例，降幅不低于50%（取50%）；全国规定第十二条同' },
  },
]);

/** 连续3年无拖欠且落实实名制和专户制度免存 — 3 clean years + compliance: new projects exempt. */
export const depositCleanYearsExemption = dated<{ readonly years: number }>('连续无拖欠免存工资保证金', [
  {
    from: NATIONAL_FROM,
    value: { years: 3 },
    source: {
      document: NATIONAL,
      article: '第十二条',
      verified: false,
      note: 'RULES.md [R]：河北按全国规定执行，待确认；还须落实用工实名制和农民工工资专用账户制度（由主管部门认定）',
    },
  },
]);

/** 前2年有拖欠上浮 — arrears in the 2 years before storing: rate × 1.5 (raise of at least 50%). */
export const depositArrearsRaise = dated<{ readonly years: number; readonly factor: string }>('有拖欠记录提高存储比例', [
  {
    from: NATIONAL_FROM,
    value: { years: 2, factor: '1.5' },
    source: { document: NATIONAL, article: '第十二条', verified: false, note: 'RULES.md [R]：增幅不低于50%（取50%），河北按全国规定执行，待确认' },
  },
]);

/** 列入失信名单上浮 — on the arrears blacklist: rate × 2 (raise of at least 100%), in place of the 50% raise. */
export const depositBlacklistRaise = dated<{ readonly factor: string }>('列入失信名单提高存储比例', [
  {
    from: NATIONAL_FROM,
    value: { factor: '2' },
    source: {
      document: NATIONAL,
      article: '第十二条',
      verified: false,
      note: 'RULES.md [R]：因拖欠农民工工资被列入失信名单的增幅不低于100%（取100%，与50%上浮不叠加）；福建规定此上浮不受上限限制，河北未见规定，本系统仍适用上限——待确认',
    },
  },
]);

/** 存储期限 — stored within 20 working days of signing the construction contract. */
export const depositStoreDeadline = dated<{ readonly workingDays: number }>('工资保证金存储期限', [
  { from: NATIONAL_FROM, value: { workingDays: 20 }, source: { document: NATIONAL, verified: true, note: '施工合同签订之日起20个工作日内（河北：施工许可/开工批准或合同签订之日起20个工作日内，本系统按合同签订日计算）' } },
]);

/** 补足期限 — a used deposit replenished within 10 working days. */
export const depositReplenishDeadline = dated<{ readonly workingDays: number }>('工资保证金补足期限', [
  { from: NATIONAL_FROM, value: { workingDays: 10 }, source: { document: NATIONAL, verified: true, note: '动用后10个工作日内补足（以保函形式存储的，重新提交保函）' } },
]);

/** 临期提示 — a guarantee or insurance expiring within this many days is reported (local setting). */
export const guaranteeExpiringWindow = dated<{ readonly days: number }>('保函到期提示天数', [
  {
    from: '2020-05-01' as IsoDate,
    value: { days: 30 },
    source: { document: '本系统默认设置（监管提示）', verified: true, localSetting: true, note: '主管部门可调整' },
  },
]);
