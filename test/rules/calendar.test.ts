/** The working-day calendar: weekends, statutory rest days, make-up working days, and missing years. */
import { describe, expect, it } from 'vitest';
import { calendarOf, MissingHolidayScheduleError } from '../../src/rules/calendar.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { d } from './scenario.ts';

const cal = calendarOf(DEFAULT_PARAMS.holidays);

describe('working days', () => {
  it('an ordinary weekday works, an ordinary weekend rests', () => {
    expect(cal.isWorkingDay(d('2026-11-13'))).toBe(true); // Friday
    expect(cal.isWorkingDay(d('2026-11-14'))).toBe(false); // Saturday
    expect(cal.isWorkingDay(d('2026-11-15'))).toBe(false); // Sunday
  });

  it('a make-up Saturday is a working day (2026-02-14, 2026-02-28, 2026-10-10)', () => {
    expect(cal.isWorkingDay(d('2026-02-14'))).toBe(true);
    expect(cal.isWorkingDay(d('2026-02-28'))).toBe(true);
    expect(cal.isWorkingDay(d('2026-10-10'))).toBe(true);
    expect(cal.isWorkingDay(d('2026-01-04'))).toBe(true); // a make-up Sunday
  });

  it('a weekday inside a statutory holiday rests (Spring Festival 2026-02-16 Monday, National Day 2026-10-05 Monday)', () => {
    expect(cal.isWorkingDay(d('2026-02-16'))).toBe(false);
    expect(cal.isWorkingDay(d('2026-10-05'))).toBe(false);
    expect(cal.isWorkingDay(d('2025-10-08'))).toBe(false); // 2025 National Day runs to the 8th
    expect(cal.isWorkingDay(d('2025-10-09'))).toBe(true);
  });

  it('a year without a schedule throws instead of guessing', () => {
    expect(() => cal.isWorkingDay(d('2027-03-01'))).toThrow(MissingHolidayScheduleError);
    expect(() => cal.isWorkingDay(d('2023-03-01'))).toThrow(/2023年没有全国年节放假安排/);
  });
});

describe('moving and counting', () => {
  it('the last working day before a Sunday is the Friday (the Saturday is an ordinary rest day)', () => {
    expect(cal.lastWorkingDayBefore(d('2026-11-15'))).toBe('2026-11-13');
  });

  it('the last working day before a Spring Festival day is the make-up Saturday 2026-02-14', () => {
    expect(cal.lastWorkingDayBefore(d('2026-02-20'))).toBe('2026-02-14');
  });

  it('on-or-before keeps a working day and moves a rest day', () => {
    expect(cal.lastWorkingDayOnOrBefore(d('2026-11-13'))).toBe('2026-11-13');
    expect(cal.lastWorkingDayOnOrBefore(d('2026-10-07'))).toBe('2026-09-30');
  });

  it('addWorkingDays skips weekends and holidays and counts make-up days', () => {
    // From Friday 2026-09-18: 09-20 (make-up Sunday) is 1, 09-21 Mon 2, 09-22 3, 09-23 4, 09-24 5;
    // 09-25…27 holiday; 09-28 Mon 6, 09-29 7, 09-30 8; 10-01…07 holiday; 10-08 Thu 9, 10-09 Fri 10.
    expect(cal.addWorkingDays(d('2026-09-18'), 10)).toBe('2026-10-09');
    // 20 working days from 2026-01-05 (Mon): Jan 6–9 (4), 12–16 (9), 19–23 (14), 26–30 (19), Feb 2 (20).
    expect(cal.addWorkingDays(d('2026-01-05'), 20)).toBe('2026-02-02');
  });

  it('crosses a year boundary using both years’ schedules', () => {
    // 2025-12-31 Wed + 1: 2026-01-01…03 rest, 01-04 make-up Sunday works.
    expect(cal.addWorkingDays(d('2025-12-31'), 1)).toBe('2026-01-04');
    expect(cal.lastWorkingDayBefore(d('2026-01-03'))).toBe('2025-12-31');
  });
});
