/**
 * 句子里的数字来自参数 — a sentence states the parameter it applies, never a copied number: change the
 * parameter (as a bureau import would) and the sentence changes with it.
 */
import { describe, expect, it } from 'vitest';
import { fen } from '../../src/domain/money.ts';
import { routeCase } from '../../src/rules/caseRouting.ts';
import { buildParams, parseParamFile, SHIPPED_DOCS, DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { percentZh, periodZh } from '../../src/rules/params/text.ts';
import { d, idFor } from '../rules/scenario.ts';

const ON = d('2026-11-20');
const claimant = { idNumber: idFor('A'), amount: fen(600_000), months: 3 };

/** The shipped set with one import laid over it (the path `huxin params import` takes). */
function withImport(yaml: string) {
  return buildParams(SHIPPED_DOCS, parseParamFile(yaml, 'test.yaml', 'import')).params;
}

describe('sentences interpolate their parameters', () => {
  it('writes periods and percentages from the values', () => {
    expect(periodZh({ n: 15, unit: 'calendar_days' })).toBe('15日');
    expect(periodZh({ n: 10, unit: 'working_days' })).toBe('10个工作日');
    expect(periodZh({ n: 2, unit: 'years' })).toBe('2年');
    expect(percentZh('0.5')).toBe('50%');
    expect(percentZh('1')).toBe('100%');
    expect(percentZh('0.015')).toBe('1.5%');
  });

  it('the mediation sentence follows mediationPeriod (15日 shipped, 20日 when a file says so)', () => {
    const facts = { on: ON, county: '信都区', claimants: [claimant], willingToMediate: true };
    const shipped = routeCase(facts, DEFAULT_PARAMS, DEFAULT_PARAMS);
    expect(shipped.rules.find((r) => r.rule === 'mediation')!.text).toContain('15日内未达成协议');
    const p = withImport('parameter: mediationPeriod\nvalues:\n  2026-01-01:\n    value: { n: 20, unit: calendar_days, rollForward: true }\n    source: { document: 测试, article: 第十四条, verified: false }\n');
    expect(routeCase(facts, p, p).rules.find((r) => r.rule === 'mediation')!.text).toContain('20日内未达成协议');
  });

  it('the additional-compensation advice follows additionalCompensationRates', () => {
    const facts = { on: ON, county: '信都区', claimants: [claimant], orderExpiredUnpaid: true };
    expect(routeCase(facts, DEFAULT_PARAMS, DEFAULT_PARAMS).alsoConsider.join('')).toContain('50%–100%');
    const p = withImport('parameter: additionalCompensationRates\nvalues:\n  2026-01-01:\n    value: { low: "0.6", high: "1" }\n    source: { document: 测试, article: 第八十五条, verified: false }\n');
    expect(routeCase(facts, p, p).alsoConsider.join('')).toContain('60%–100%');
  });
});
