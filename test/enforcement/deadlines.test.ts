/**
 * Statutory deadlines across holidays and make-up working days, every date worked out by hand.
 *
 * 2026 around National Day (国务院办公厅 2025-11-04): 09-20 (Sun) is a make-up working day; 09-25…27
 * (Fri–Sun, Mid-Autumn) and 10-01…07 (Thu–Wed) are rest days; 10-10 (Sat) is a make-up working day.
 * 2025 around National Day: 09-28 (Sun) make-up; 10-01…08 rest; 10-11 (Sat) make-up.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { calendarOf } from '../../src/rules/calendar.ts';
import { addMonthsToDate, deadlineOf, isPast } from '../../src/rules/deadlines.ts';
import { stageDeadlines } from '../../src/rules/cases.ts';
import { ENFORCEMENT_PARAMS as P } from '../../src/rules/params/enforcement.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
const HOLIDAY_SCHEDULES = DEFAULT_PARAMS.holidays;

const cal = calendarOf(HOLIDAY_SCHEDULES);
const d = (s: string) => s as IsoDate;

describe('working-day periods (办案规则 第八十条: 3/5/10 days; 名单办法; 监察)', () => {
  it('arbitration acceptance, 5 working days from Mon 2026-09-28, ends on the make-up Saturday 10-10', () => {
    // 09-29 (1), 09-30 (2), 10-01…07 rest, 10-08 (3), 10-09 (4), 10-10 Sat make-up (5)
    const x = deadlineOf('arbitration_accept', P.arbitrationAcceptPeriod, d('2026-09-28'), cal);
    expect(x.due).toBe('2026-10-10');
    expect(x.unit).toBe('working_days');
    expect(x.basis.article).toBe('第二十九条');
  });

  it('inspection acceptance, 5 working days from Fri 2026-09-18, counts the make-up Sunday 09-20', () => {
    // 09-19 Sat rest, 09-20 Sun make-up (1), 09-21 (2), 09-22 (3), 09-23 (4), 09-24 Thu (5); without the make-up day it would run past the 09-25 holiday
    expect(deadlineOf('inspection_accept', P.inspectionAcceptPeriod, d('2026-09-18'), cal).due).toBe('2026-09-24');
  });

  it('inspection investigation, 60 working days from 2026-09-01 ends 11-30; the 30-day extension runs into 2027 (no schedule): unknown, not guessed', () => {
    // Sep: 02–04 (3), 07–11 (8), 14–18 (13), 20 make-up (14), 21–24 (18), 28–30 (21); Oct: 08–09 (23), 10 make-up (24),
    // 12–16 (29), 19–23 (34), 26–30 (39); Nov: 02–06 (44), 09–13 (49), 16–20 (54), 23–27 (59), 30 (60)
    const x = deadlineOf('inspection_investigate', P.inspectionInvestigatePeriod, d('2026-09-01'), cal);
    expect(x.due).toBe('2026-11-30');
    expect(x.extendedDue).toBeNull();
    expect(x.explanation).toContain('2027年');
  });

  it('blacklist decision, 20 working days after an order deadline of 2026-09-22, +20 when complex', () => {
    // 09-23 (1), 09-24 (2), 09-28 (3), 09-29 (4), 09-30 (5), 10-08 (6), 10-09 (7), 10-10 make-up (8), 10-12…16 (13), 10-19…23 (18), 10-26 (19), 10-27 (20)
    // then 10-28…30 (23), 11-02…06 (28), 11-09…13 (33), 11-16…20 (38), 11-23 (39), 11-24 (40)
    const x = deadlineOf('listing_decision', P.listingDecisionPeriod, d('2026-09-22'), cal);
    expect(x.due).toBe('2026-10-27');
    expect(x.extendedDue).toBe('2026-11-24');
  });

  it('blacklist statement window, 5 working days from a notice on Tue 2026-09-29', () => {
    // 09-30 (1), 10-08 (2), 10-09 (3), 10-10 Sat make-up (4), 10-12 Mon (5)
    expect(deadlineOf('listing_statement', P.listingStatementPeriod, d('2026-09-29'), cal).due).toBe('2026-10-12');
  });

  it('2025 National Day: 5 working days from Fri 2025-09-26 count the make-up Sunday 09-28', () => {
    // 09-27 Sat rest, 09-28 Sun make-up (1), 09-29 (2), 09-30 (3), 10-01…08 rest, 10-09 (4), 10-10 (5)
    expect(deadlineOf('x', P.listingObjectionCheckPeriod, d('2025-09-26'), cal).due).toBe('2025-10-10');
  });
});

describe('calendar-day periods (15/45 days) and the holiday roll-forward (民事诉讼法 第八十五条)', () => {
  it('mediation, 15 days from 2026-09-22, ends on holiday 10-07 and rolls to Thu 10-08', () => {
    const x = deadlineOf('mediation', P.mediationPeriod, d('2026-09-22'), cal);
    expect(x.notBefore).toBe('2026-10-07');
    expect(x.due).toBe('2026-10-08');
    expect(x.explanation).toContain('顺延');
  });

  it('mediation, 15 days from 2026-09-25, ends on the make-up Saturday 10-10 — a working day, no roll', () => {
    expect(deadlineOf('mediation', P.mediationPeriod, d('2026-09-25'), cal).due).toBe('2026-10-10');
  });

  it('arbitration award, 45 days from acceptance 2026-08-17 → 10-01 (holiday) → 10-08; +15 → 10-16', () => {
    // 08-17 + 14 = 08-31, + 30 = 09-30, + 1 = 10-01 (45 days); 60 days → 10-16 (Fri)
    const x = deadlineOf('arbitration_award', P.arbitrationAwardPeriod, d('2026-08-17'), cal);
    expect(x.due).toBe('2026-10-08');
    expect(x.extendedDue).toBe('2026-10-16');
  });

  it('final award: worker 15 days from service on 2026-09-16 → 10-01 → 10-08; employer set-aside 30 days → Fri 10-16', () => {
    expect(deadlineOf('w', P.finalAwardWorkerSuitPeriod, d('2026-09-16'), cal).due).toBe('2026-10-08');
    expect(deadlineOf('e', P.finalAwardSetAsidePeriod, d('2026-09-16'), cal).due).toBe('2026-10-16');
  });

  it('a period ending on an ordinary Sunday rolls to Monday: 15 days from 2026-11-14 → Sun 11-29 → Mon 11-30', () => {
    expect(deadlineOf('award_suit', P.awardSuitPeriod, d('2026-11-14'), cal).due).toBe('2026-11-30');
  });
});

describe('month and year periods', () => {
  it('simplified trial, 3 months from 2026-07-05 → 10-05 (holiday) → 10-08; +1 month → Thu 11-05', () => {
    const x = deadlineOf('trial_simplified', P.trialSimplifiedPeriod, d('2026-07-05'), cal);
    expect(x.due).toBe('2026-10-08');
    expect(x.extendedDue).toBe('2026-11-05');
  });

  it('small claims, 2 months from 2026-08-04 → Sun 10-04 (holiday) → 10-08; +1 → Wed 11-04', () => {
    const x = deadlineOf('trial_small_claims', P.trialSmallClaimsPeriod, d('2026-08-04'), cal);
    expect(x.due).toBe('2026-10-08');
    expect(x.extendedDue).toBe('2026-11-04');
  });

  it('a month without the start day ends on its last day: 2026-08-31 + 3 months = 11-30', () => {
    expect(addMonthsToDate(d('2026-08-31'), 3)).toBe('2026-11-30');
    expect(addMonthsToDate(d('2026-11-30'), 3)).toBe('2027-02-28');
  });

  it('enforcement application, 2 years from 2026-10-08 falls in 2028 (no schedule): due unknown, not before 2028-10-08', () => {
    const x = deadlineOf('enforcement_application', P.enforcementApplicationPeriod, d('2026-10-08'), cal);
    expect(x.due).toBeNull();
    expect(x.notBefore).toBe('2028-10-08');
    expect(x.problem).toContain('2028');
    expect(isPast(x, d('2027-01-01'))).toBe(false);
    expect(isPast(x, d('2028-10-09'))).toBeNull();
  });
});

describe('stage deadlines of a case', () => {
  it('arbitration: before acceptance the 5-working-day clock runs; after it the 45-day award clock', () => {
    expect(stageDeadlines({ stage: 'arbitration', since: d('2026-09-28') }, cal).map((x) => [x.kind, x.due])).toEqual([['arbitration_accept', '2026-10-10']]);
    expect(stageDeadlines({ stage: 'arbitration', since: d('2026-08-10'), acceptedOn: d('2026-08-17') }, cal).map((x) => [x.kind, x.due])).toEqual([['arbitration_award', '2026-10-08']]);
  });

  it('awarded: final awards have two windows, other awards one; both carry the enforcement-application clock (调仲法 第五十一条)', () => {
    // 2 years from 2026-09-16 falls in 2028 (no schedule): the enforcement clock's day is not guessed
    expect(stageDeadlines({ stage: 'awarded', since: d('2026-09-16'), finalAward: true }, cal).map((x) => x.due)).toEqual(['2026-10-08', '2026-10-16', null]);
    expect(stageDeadlines({ stage: 'awarded', since: d('2026-09-16'), finalAward: false }, cal).map((x) => [x.kind, x.due])).toEqual([
      ['award_suit', '2026-10-08'],
      ['enforcement_application', null],
    ]);
  });

  it('inspection, mediation, trial, judged, enforcement each have their clock; intake and terminal stages none', () => {
    expect(stageDeadlines({ stage: 'inspection', since: d('2026-09-18') }, cal)[0]!.due).toBe('2026-09-24');
    expect(stageDeadlines({ stage: 'mediation', since: d('2026-09-22') }, cal)[0]!.due).toBe('2026-10-08');
    expect(stageDeadlines({ stage: 'trial', since: d('2026-08-04'), procedure: 'small_claims' }, cal)[0]!.due).toBe('2026-10-08');
    expect(stageDeadlines({ stage: 'judged', since: d('2026-10-08') }, cal)[0]!.kind).toBe('enforcement_application');
    // 6 months from 2026-04-08 → 10-08 (a working day)
    expect(stageDeadlines({ stage: 'enforcement', since: d('2026-04-08') }, cal)[0]!.due).toBe('2026-10-08');
    for (const stage of ['intake', 'criminal_referral', 'closed', 'withdrawn'] as const) expect(stageDeadlines({ stage, since: d('2026-10-08') }, cal)).toEqual([]);
  });
});

describe('申请执行期间 (民事诉讼法 第二百五十条): from the last day of performance, or from the day the document takes effect', () => {
  // Judgment served Mon 2024-09-02. Appeal window 15 days (第一百七十一条): the 15th day 09-17 is 中秋 (2024 rest
  // 09-15…17) → 09-18 (Wed); unused, the judgment takes effect the next day, 09-19.
  it('judgment with "生效之日起十日内": 09-19 + 10 = 09-29, a make-up working day (2024 调休上班) → 2 years → 2026-09-29 (Tue)', () => {
    const [x] = stageDeadlines({ stage: 'judged', since: d('2024-09-02'), performanceDays: 10 }, cal);
    expect(x).toMatchObject({ kind: 'enforcement_application', start: '2024-09-29', due: '2026-09-29' });
    expect(x!.explanation).toContain('2024-09-19发生法律效力');
    expect(isPast(x!, d('2026-09-29'))).toBe(false);
    expect(isPast(x!, d('2026-09-30'))).toBe(true);
    // the old reading (2 years from the day the case entered "judged") would have closed on 2026-09-02
    expect(isPast(x!, d('2026-09-03'))).toBe(false);
  });
  it('judgment that sets no performance period: from 09-19 → 2026-09-19 (Sat) → the first working day after it, the make-up Sunday 09-20', () => {
    const [x] = stageDeadlines({ stage: 'judged', since: d('2024-09-02') }, cal);
    expect(x).toMatchObject({ start: '2024-09-19', due: '2026-09-20' });
    expect(x!.explanation).toContain('未记录法律文书规定的履行期间');
  });
  it('a performance date the judgment names is used as it is: 2024-10-15 → 2026-10-15 (Thu)', () => {
    expect(stageDeadlines({ stage: 'judged', since: d('2024-09-02'), performanceDueOn: d('2024-10-15') }, cal)[0]).toMatchObject({ start: '2024-10-15', due: '2026-10-15' });
  });
  it('a non-final award served 2024-09-02 takes effect after its 15-day suit window (第五十条) like a judgment: 09-19 → 2026-09-20', () => {
    const xs = stageDeadlines({ stage: 'awarded', since: d('2024-09-02'), finalAward: false }, cal);
    expect(xs.find((x) => x.kind === 'enforcement_application')).toMatchObject({ start: '2024-09-19', due: '2026-09-20' });
  });
  it('a final award takes effect the day it is made (第四十七条): made 2024-09-02, 10 days to pay → 09-12 (Thu) → 2026-09-12 (Sat) → Mon 2026-09-14', () => {
    const xs = stageDeadlines({ stage: 'awarded', since: d('2024-09-02'), finalAward: true, performanceDays: 10 }, cal);
    expect(xs.find((x) => x.kind === 'enforcement_application')).toMatchObject({ start: '2024-09-12', due: '2026-09-14' });
  });
});

describe('a period that started before the rule we hold', () => {
  it('is reported as unknown with the reason, not computed under a later law', () => {
    // the 2023 civil procedure law is held from 2024-01-01; a trial filed in 2023 is out of its range
    const x = deadlineOf('trial_simplified', P.trialSimplifiedPeriod, d('2023-06-01'), cal);
    expect(x.due).toBeNull();
    expect(x.problem).toContain('2024-01-01');
    expect(x.explanation).toContain('人工计算');
  });
});
