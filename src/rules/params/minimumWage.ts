/**
 * 最低工资 — Hebei's monthly minimum wage by tier, and Xingtai's county → tier map (RULES.md "Minimum
 * wage, Hebei"). The standard in force on the last day of a wage month applies to that month.
 */
import { fen, type Fen } from '../../domain/money.ts';
import { dated } from './dated.ts';

export type WageTier = 1 | 2 | 3 | 4;

/** 河北省月最低工资标准（分，按档次）— Hebei monthly minimum wage, fen by tier. */
export const hebeiMonthlyMinimumWage = dated<Partial<Record<WageTier, Fen>>>('河北省月最低工资标准', [
  {
    from: '2019-11-01' as never,
    to: '2022-12-31' as never,
    value: { 1: fen(190000), 2: fen(179000), 3: fen(168000), 4: fen(158000) },
    source: { document: '冀人社发〔2019〕34号', verified: true, note: '一类1900、二类1790、三类1680、四类1580元/月' },
  },
  {
    from: '2023-01-01' as never,
    value: { 1: fen(220000), 2: fen(200000), 3: fen(180000) },
    source: {
      document: '河北省人力资源和社会保障厅关于调整全省最低工资标准的通知（2022-11-25）',
      verified: true,
      note: '一类2200、二类2000、三类1800元/月（不再设四类）。另有报道称此后河北再次调整（邢台2000元），施行日期未查到，确认前不录入',
    },
  },
]);

/** One county's tier, and whether its placement was checked against the source. */
export interface CountyTier {
  readonly tier: WageTier;
  readonly verified: boolean;
}

const T = (tier: WageTier, verified: boolean): CountyTier => ({ tier, verified });

/**
 * 邢台市各县（市、区）最低工资档次 — Xingtai county → tier. Counties the sources do not place are absent:
 * BELOW_MIN_WAGE is then not evaluated for them (reported in the evaluation's notApplied list), never guessed.
 * Keys are today's names (桥东区 → 襄都区, 桥西区 → 信都区, 任县 → 任泽区, 南和县 → 南和区 in 2020).
 */
export const xingtaiCountyTier = dated<Readonly<Record<string, CountyTier>>>('邢台市最低工资档次', [
  {
    from: '2019-11-01' as never,
    to: '2022-12-31' as never,
    value: { 襄都区: T(2, true), 信都区: T(2, true), 任泽区: T(2, true), 南和区: T(2, true), 沙河市: T(2, true) },
    source: {
      document: '冀人社发〔2019〕34号',
      verified: true,
      note: '邢台市区（今襄都区、信都区、任泽区、南和区）和沙河市为二类；其余县的档次来源中未给出，待确认后补录',
    },
  },
  {
    from: '2023-01-01' as never,
    value: {
      襄都区: T(2, true),
      信都区: T(2, true),
      任泽区: T(2, true),
      南和区: T(2, true),
      沙河市: T(2, true),
      宁晋县: T(2, true),
      内丘县: T(2, true),
      巨鹿县: T(2, true),
      南宫市: T(2, true),
      平乡县: T(2, true),
      威县: T(2, true),
      清河县: T(2, true),
      隆尧县: T(2, true),
      临城县: T(3, false),
      柏乡县: T(3, false),
      新河县: T(3, false),
      广宗县: T(3, false),
      临西县: T(3, false),
    },
    source: {
      document: '河北省人力资源和社会保障厅关于调整全省最低工资标准的通知（2022-11-25）',
      verified: true,
      note: '二类名单已核对；临城县、柏乡县、新河县、广宗县、临西县为三类系推断（to confirm）',
    },
  },
]);

/**
 * 月计薪天数 21.75 — the standard month in paid days: (365 − 104 rest days) ÷ 12, statutory holidays included
 * because they are paid (劳动法 第五十一条). Prorates the monthly minimum for a part month only.
 */
export const standardMonthDays = dated<string>('月计薪天数', [
  {
    from: '2008-01-01' as never,
    to: '2024-12-31' as never,
    value: '21.75',
    source: {
      document: '关于职工全年月平均工作时间和工资折算问题的通知（劳社部发〔2008〕3号）',
      article: '二',
      verified: false,
      note: '月计薪天数=(365天−104天)÷12月=21.75天；自2025-01-01起由人社部发〔2025〕2号废止（数值不变）',
    },
  },
  {
    from: '2025-01-01' as never,
    value: '21.75',
    source: {
      document: '人力资源社会保障部关于职工全年月平均工作时间和工资折算问题的通知（人社部发〔2025〕2号）',
      article: '二',
      verified: true,
      note: '按劳动法第五十一条，折算日工资时不剔除13天法定节假日：月计薪天数=(365天−104天)÷12月=21.75天；同时废止劳社部发〔2008〕3号',
    },
  },
]);
