/**
 * 项目预警等级 — the level rules on both sides of each threshold of params/thresholds/warningLevels.yaml,
 * the grouping (one warning per project and problem; the wages per month; injury insurance one per project),
 * overdue days counted from the stored due date to the day read, and the order (highest risk first).
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { yuan, type Fen } from '../../src/domain/money.ts';
import type { Severity } from '../../src/rules/flags.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { deriveWarnings, levelOf, parseWarningKey, projectsByLevel, type WarningFlag } from '../../src/rules/warnings.ts';

const D = '2026-11-28' as IsoDate;
const T = DEFAULT_PARAMS.warningLevels.at(D).value;
const none = { severities: [] as Severity[], arrears: 0 as Fen, workersInArrears: 0, overdueDays: 0 };

describe('the thresholds in force', () => {
  it('are the documented defaults (red 30,000.00 元 / 10 workers / 30 days; orange 5,000.00 元 / 3 workers / 15 days)', () => {
    expect(T.red).toEqual({ severities: ['critical'], arrears: yuan('30000.00'), workersInArrears: 10, overdueDays: 30 });
    expect(T.orange).toEqual({ severities: ['high'], arrears: yuan('5000.00'), workersInArrears: 3, overdueDays: 15 });
    expect(DEFAULT_PARAMS.warningLevels.at(D).source.localSetting).toBe(true);
  });
});

describe('levelOf: both sides of each threshold', () => {
  it('severity: a critical flag is red, a high one orange, medium and low alone yellow', () => {
    expect(levelOf({ ...none, severities: ['critical'] }, T).level).toBe('red');
    expect(levelOf({ ...none, severities: ['high', 'low'] }, T).level).toBe('orange');
    expect(levelOf({ ...none, severities: ['medium', 'low'] }, T).level).toBe('yellow');
  });

  it('arrears: 29,999.99 元 orange, 30,000.00 元 red; 4,999.99 元 yellow, 5,000.00 元 orange', () => {
    expect(levelOf({ ...none, arrears: yuan('29999.99') }, T).level).toBe('orange');
    const red = levelOf({ ...none, arrears: yuan('30000.00') }, T);
    expect(red.level).toBe('red');
    expect(red.reasons).toEqual(['欠薪合计达到30,000.00元']);
    expect(levelOf({ ...none, arrears: yuan('4999.99') }, T).level).toBe('yellow');
    expect(levelOf({ ...none, arrears: yuan('5000.00') }, T).level).toBe('orange');
  });

  it('workers in arrears: 9 orange, 10 red; 2 yellow, 3 orange', () => {
    expect(levelOf({ ...none, workersInArrears: 9 }, T).level).toBe('orange');
    expect(levelOf({ ...none, workersInArrears: 10 }, T).level).toBe('red');
    expect(levelOf({ ...none, workersInArrears: 2 }, T).level).toBe('yellow');
    expect(levelOf({ ...none, workersInArrears: 3 }, T).level).toBe('orange');
  });

  it('overdue days: 29 orange, 30 red; 14 yellow, 15 orange', () => {
    expect(levelOf({ ...none, overdueDays: 29 }, T).level).toBe('orange');
    expect(levelOf({ ...none, overdueDays: 30 }, T).level).toBe('red');
    expect(levelOf({ ...none, overdueDays: 14 }, T).level).toBe('yellow');
    expect(levelOf({ ...none, overdueDays: 15 }, T).level).toBe('orange');
  });

  it('every condition that holds is given as a reason', () => {
    expect(levelOf({ severities: ['critical'], arrears: yuan('40000.00'), workersInArrears: 12, overdueDays: 31 }, T).reasons).toEqual([
      '含严重等级预警',
      '欠薪合计达到30,000.00元',
      '被欠薪工人达到10人',
      '最早一笔已逾期30日以上',
    ]);
  });
});

let nextId = 1;
const flag = (f: Partial<WarningFlag> & Pick<WarningFlag, 'code' | 'severity'>): WarningFlag => ({
  id: nextId++,
  projectId: 1,
  idNumber: null,
  month: null,
  amount: null,
  dueDate: null,
  ...f,
});

describe('deriveWarnings', () => {
  it('one warning per project and problem: wages per month, injury insurance once per project whatever the workers', () => {
    const flags = [
      ...Array.from({ length: 56 }, (_, i) => flag({ code: 'NO_INJURY_INSURANCE', severity: 'high', idNumber: `W${i}` })),
      flag({ code: 'WAGE_LATE', severity: 'medium', idNumber: 'A', month: '2026-09', amount: yuan('100.00'), dueDate: '2026-10-15' as IsoDate }),
      flag({ code: 'WAGE_PARTIAL', severity: 'high', idNumber: 'A', month: '2026-10', amount: yuan('1000.00'), dueDate: '2026-11-15' as IsoDate }),
      flag({ code: 'NO_PAYROLL', severity: 'high', idNumber: 'B', month: '2026-10' }),
      flag({ code: 'DEPOSIT_SHORT', severity: 'medium', amount: yuan('20000.00') }),
      flag({ code: 'GUARANTEE_EXPIRING', severity: 'low' }),
      flag({ code: 'UNDERAGE', severity: 'critical', projectId: 2, idNumber: 'C' }),
    ];
    const ws = deriveWarnings(flags, D);
    expect(ws.map((w) => [w.key, w.level, w.flagCount])).toEqual([
      ['p2-CHILD_LABOUR', 'red', 1],
      ['p1-WAGE_ARREARS-2026-10', 'orange', 2],
      ['p1-INJURY_INSURANCE', 'orange', 56],
      ['p1-DEPOSIT', 'yellow', 2],
      ['p1-WAGE_ARREARS-2026-09', 'yellow', 1],
    ]);
    const oct = ws.find((w) => w.key === 'p1-WAGE_ARREARS-2026-10')!;
    // NO_PAYROLL names a worker without an amount owed: a worker, not a worker in arrears
    expect([oct.workers, oct.workersInArrears, oct.arrears, oct.oldestDueDate, oct.overdueDays]).toEqual([2, 1, yuan('1000.00'), '2026-11-15', 13]);
    // WAGE_LATE was paid, late: nothing owed and not overdue (its due date, 44 days back, does not count)
    const sep = ws.find((w) => w.key === 'p1-WAGE_ARREARS-2026-09')!;
    expect([sep.arrears, sep.oldestDueDate, sep.overdueDays, sep.level]).toEqual([0, null, 0, 'yellow']);
    expect(projectsByLevel(ws)).toEqual({ red: 1, orange: 1, yellow: 0 });
  });

  it('overdue days are counted to the day read (not stored): yellow to day 14, orange from day 15, red from day 30', () => {
    // a worker on site with no wage table (high → orange by severity is switched off here to see the days)
    const f = [flag({ code: 'NO_PAYROLL', severity: 'medium', idNumber: 'A', month: '2026-10', dueDate: '2026-11-15' as IsoDate })];
    expect(deriveWarnings(f, '2026-11-29' as IsoDate)[0]!.level).toBe('yellow');
    expect(deriveWarnings(f, '2026-11-30' as IsoDate)[0]!.level).toBe('orange');
    expect(deriveWarnings(f, '2026-12-14' as IsoDate)[0]!.level).toBe('orange');
    expect(deriveWarnings(f, '2026-12-15' as IsoDate)[0]!.level).toBe('red');
  });

  it('a worker-month flagged twice (unpaid, and left unpaid) counts its arrears once', () => {
    const [w] = deriveWarnings(
      [
        flag({ code: 'WAGE_UNPAID', severity: 'critical', idNumber: 'A', month: '2026-10', amount: yuan('8400.00'), dueDate: '2026-11-13' as IsoDate }),
        flag({ code: 'EXIT_NOT_SETTLED', severity: 'high', idNumber: 'A', month: '2026-10', amount: yuan('8400.00'), dueDate: '2026-11-13' as IsoDate }),
        flag({ code: 'WAGE_PARTIAL', severity: 'high', idNumber: 'B', month: '2026-10', amount: yuan('100.00'), dueDate: '2026-11-13' as IsoDate }),
      ],
      D,
    );
    expect([w!.arrears, w!.workersInArrears, w!.flagCount]).toEqual([yuan('8500.00'), 2, 3]);
  });

  it('within a level, more arrears first', () => {
    const ws = deriveWarnings(
      [
        flag({ code: 'WAGE_UNPAID', severity: 'critical', projectId: 5, idNumber: 'A', month: '2026-10', amount: yuan('100.00') }),
        flag({ code: 'WAGE_UNPAID', severity: 'critical', projectId: 6, idNumber: 'B', month: '2026-10', amount: yuan('8400.00') }),
      ],
      D,
    );
    expect(ws.map((w) => w.projectId)).toEqual([6, 5]);
  });

  it('keys read back, and nothing else does', () => {
    expect(parseWarningKey('p12-WAGE_ARREARS-2026-10')).toEqual({ projectId: 12, problem: 'WAGE_ARREARS', month: '2026-10' });
    expect(parseWarningKey('p12-DEPOSIT')).toEqual({ projectId: 12, problem: 'DEPOSIT', month: null });
    for (const bad of ['p12-DEPOSIT-2026-10', 'p12-NOPE', '12-DEPOSIT', 'p12-WAGE_ARREARS-2026-13']) expect(parseWarningKey(bad)).toBeNull();
  });
});
