/**
 * 期间 by 民法典 第二百零一至二百零四条 (src/rules/period.ts), worked by hand on both sides of each boundary.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { calendarOf } from '../../src/rules/calendar.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
const HOLIDAY_SCHEDULES = DEFAULT_PARAMS.holidays;
import { civilDeadline, civilTerm, periodLastDay } from '../../src/rules/period.ts';

const cal = calendarOf(HOLIDAY_SCHEDULES);
const d = (s: string) => s as IsoDate;

describe('民法典 第二百零一、二百零二条: the start day is not counted; months and years end on the corresponding day', () => {
  it('30 days from 2026-09-01 end on 2026-10-01 (09-02 is day 1, 10-01 day 30)', () => {
    expect(periodLastDay(d('2026-09-01'), 30, 'days')).toBe('2026-10-01');
  });
  it('6 months from 2025-08-31 end on 2026-02-28 (no 02-31: the month end); 3 years from 2028-02-29 end on 2031-02-28', () => {
    expect(periodLastDay(d('2025-08-31'), 6, 'months')).toBe('2026-02-28');
    expect(periodLastDay(d('2028-02-29'), 3, 'years')).toBe('2031-02-28');
  });
});

describe('民法典 第二百零三条: a deadline whose last day is a rest day ends on the first working day after it', () => {
  it('signed 2026-09-01: the 30th day 10-01 is 国庆 (rest 10-01…10-07) → 2026-10-08 (Thu)', () => {
    expect(civilDeadline(d('2026-09-01'), 30, 'days', cal)).toEqual({ raw: '2026-10-01', last: '2026-10-08', rolled: true });
  });
  it('signed 2026-08-31: the 30th day 09-30 is a Wednesday, a working day → no roll', () => {
    expect(civilDeadline(d('2026-08-31'), 30, 'days', cal)).toEqual({ raw: '2026-09-30', last: '2026-09-30', rolled: false });
  });
  it('a last day on an ordinary Sunday (2026-03-08) rolls to Monday 03-09; a make-up Saturday (2026-02-28) is a working day and does not roll', () => {
    expect(civilDeadline(d('2026-02-06'), 30, 'days', cal).last).toBe('2026-03-09');
    expect(civilDeadline(d('2026-01-29'), 30, 'days', cal)).toMatchObject({ raw: '2026-02-28', rolled: false });
  });
  it('a term (listing, waiting time) is never rolled: its effect begins the day after its corresponding last day', () => {
    expect(civilTerm(d('2023-10-01'), 3, 'years')).toEqual({ lastDay: '2026-10-01', dayAfter: '2026-10-02' });
  });
});
