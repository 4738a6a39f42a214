/** Dated parameters: the value in force on a date, with its source; never a silent default. */
import { describe, expect, it } from 'vitest';
import { yuan } from '../../src/domain/money.ts';
import { DEFAULT_PARAMS, dated, ParamNotInForceError } from '../../src/rules/params/index.ts';
import { d } from './scenario.ts';

describe('dated parameters', () => {
  const p = dated<number>('测试参数', [
    { from: d('2020-01-01'), to: d('2020-12-31'), value: 1, source: { document: 'A', verified: true } },
    { from: d('2021-01-01'), value: 2, source: { document: 'B', verified: false, note: 'to confirm' } },
  ]);

  it('returns the value in force on the day, with the day it took effect and its source', () => {
    expect(p.at(d('2020-06-30'))).toEqual({ name: '测试参数', value: 1, from: '2020-01-01', source: { document: 'A', verified: true } });
    expect(p.at(d('2021-01-01')).value).toBe(2); // first day of the new value
    expect(p.at(d('2020-12-31')).value).toBe(1); // last day of the old value
    expect(p.at(d('2099-01-01')).source.verified).toBe(false);
  });

  it('throws, naming the parameter and its first date, for a day before the first value', () => {
    expect(() => p.at(d('2019-12-31'))).toThrow(ParamNotInForceError);
    expect(() => p.at(d('2019-12-31'))).toThrow(/测试参数.*2020-01-01/);
  });

  it('throws for a day after a value ended with nothing after it', () => {
    const ended = dated<number>('已废止参数', [{ from: d('2020-01-01'), to: d('2020-12-31'), value: 1, source: { document: 'A', verified: true } }]);
    expect(() => ended.at(d('2021-01-01'))).toThrow(ParamNotInForceError);
  });

  it('refuses overlapping values and two values from the same day', () => {
    const s = { document: 'A', verified: true };
    expect(() => dated('x', [{ from: d('2020-01-01'), to: d('2021-06-30'), value: 1, source: s }, { from: d('2021-01-01'), value: 2, source: s }])).toThrow(/overlap/);
    expect(() => dated('x', [{ from: d('2020-01-01'), value: 1, source: s }, { from: d('2020-01-01'), value: 2, source: s }])).toThrow(/two values/);
  });
});

describe('Hebei minimum wage and Xingtai tiers', () => {
  const P = DEFAULT_PARAMS;

  it('a month in 2022 uses the 2019 table (信都区 tier 2: 1790.00), a month in 2023 the 2023 table (2000.00)', () => {
    // 2022-12-31 is before 2023-01-01: the 冀人社发〔2019〕34号 table still applies.
    const tier2022 = P.countyTier.at(d('2022-12-31')).value['信都区']!;
    expect(tier2022.tier).toBe(2);
    expect(P.monthlyMinimumWage.at(d('2022-12-31')).value[2]).toBe(yuan('1790.00'));
    expect(P.monthlyMinimumWage.at(d('2022-12-31')).source.document).toBe('冀人社发〔2019〕34号');
    const tier2023 = P.countyTier.at(d('2023-01-31')).value['信都区']!;
    expect(tier2023.tier).toBe(2);
    expect(P.monthlyMinimumWage.at(d('2023-01-31')).value[2]).toBe(yuan('2000.00'));
  });

  it('the 2023 table has no tier 4, and the inferred tier-3 counties are marked unverified', () => {
    expect(P.monthlyMinimumWage.at(d('2026-10-31')).value[4]).toBeUndefined();
    expect(P.countyTier.at(d('2026-10-31')).value['临城县']).toEqual({ tier: 3, verified: false });
    expect(P.countyTier.at(d('2026-10-31')).value['宁晋县']).toEqual({ tier: 2, verified: true });
  });

  it('counties the 2019 notice does not place are absent, not guessed', () => {
    expect(P.countyTier.at(d('2021-05-31')).value['临城县']).toBeUndefined();
  });

  it('asking for a minimum wage before 2019-11-01 throws', () => {
    expect(() => P.monthlyMinimumWage.at(d('2019-10-31'))).toThrow(ParamNotInForceError);
  });

  it('the standard month is 21.75 days: 人社部发〔2025〕2号 from 2025-01-01 (checked), 劳社部发〔2008〕3号 before it (same value)', () => {
    const std = P.standardMonthDays.at(d('2026-01-31'));
    expect(std.value).toBe('21.75');
    expect(std.source.document).toContain('人社部发〔2025〕2号');
    expect(std.source.verified).toBe(true);
    expect(P.standardMonthDays.at(d('2025-01-01')).source.document).toContain('人社部发〔2025〕2号');
    const before = P.standardMonthDays.at(d('2024-12-31'));
    expect(before.value).toBe('21.75');
    expect(before.source.document).toContain('劳社部发〔2008〕3号');
  });
  it('statutory holidays lie inside the rest-day runs of each shipped holiday schedule (13 days from 2025, 11 before)', () => {
    for (const s of P.holidays) {
      const days = P.statutoryHolidays.at(d(`${s.year}-06-30`)).value[s.year];
      if (!days) continue; // a year whose statutory days are not listed yet: BELOW_MIN_WAGE says so in its sentence
      // 13 days from 2025, 11 before; 2020 has 10 distinct days (中秋 fell on 10-01, 国庆)
      expect(days.length, String(s.year)).toBe(s.year >= 2025 ? 13 : s.year === 2020 ? 10 : 11);
      for (const h of days) expect(s.restDays.some(([a, b]) => a <= h && h <= b), `${h} in a rest run of ${s.year}`).toBe(true);
    }
  });
});

describe('deposit, deadline and threshold parameters', () => {
  const P = DEFAULT_PARAMS;
  const on = d('2026-06-01');
  it('carry the RULES.md numbers', () => {
    expect(P.depositBaseRate.at(on).value).toBe('0.02');
    expect(P.depositCap.at(on).value).toBe(yuan('5000000.00'));
    expect(P.depositNationalBounds.at(on).value).toEqual({ min: '0.01', max: '0.03', severalProjectsFloor: '0.005' });
    expect(P.depositSmallContractExemption.at(on).value.below).toBe(yuan('3000000.00'));
    expect(P.depositCleanYearsCut.at(on).value).toEqual({ years: 2, factor: '0.5' });
    expect(P.depositCleanYearsExemption.at(on).value).toEqual({ years: 3 });
    expect(P.depositArrearsRaise.at(on).value).toEqual({ years: 2, factor: '1.5' });
    expect(P.depositBlacklistRaise.at(on).value).toEqual({ factor: '2' });
    expect(P.depositStoreDeadline.at(on).value.workingDays).toBe(20);
    expect(P.depositReplenishDeadline.at(on).value.workingDays).toBe(10);
    expect(P.accountOpeningDeadline.at(on).value.days).toBe(30);
    expect(P.laborCostCycle.at(on).value.months).toBe(1);
    expect(P.ledgerRetention.at(on).value.years).toBe(3);
    expect(P.ledgerRetention.at(on).source).toMatchObject({ article: '第十五条、第二十八条', verified: true });
    expect(P.payOutlierThresholds.at(on).value).toEqual({ month: yuan('50000.00'), year: yuan('300000.00') });
    expect(P.sharedPayeeCardWorkers.at(on).value).toBe(3);
    expect(P.sharedPhoneWorkers.at(on).value).toBe(3);
    expect(P.lowPayrollCoverageShare.at(on).value).toBe('0.10');
    expect(P.guaranteeExpiringWindow.at(on).value.days).toBe(30);
    expect(P.defaultPayDay.at(on).value).toBe(15);
  });

  it('[R] items are marked unverified and local settings say so', () => {
    expect(P.depositArrearsRaise.at(on).source.verified).toBe(false);
    expect(P.depositBlacklistRaise.at(on).source.verified).toBe(false);
    expect(P.depositCleanYearsExemption.at(on).source.verified).toBe(false);
    for (const local of [P.payOutlierThresholds, P.sharedPayeeCardWorkers, P.sharedPhoneWorkers, P.lowPayrollCoverageShare, P.guaranteeExpiringWindow, P.defaultPayDay, P.riskWeights]) {
      expect(local.at(on).source.localSetting, local.name).toBe(true);
    }
  });

  it('the Hebei deposit rate does not exist before the Hebei measures were issued (2022-03-04)', () => {
    expect(() => P.depositBaseRate.at(d('2022-03-03'))).toThrow(ParamNotInForceError);
  });
});
