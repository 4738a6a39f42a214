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

  it('a year without a schedule is placed on weekends alone and reported as missing (never an error)', () => {
    // 2027 has no shipped schedule: Monday 2027-03-01 works, Saturday 2027-03-06 rests, whatever the notice
    expect(cal.isWorkingDay(d('2027-03-01'))).toBe(true);
    expect(cal.isWorkingDay(d('2027-03-06'))).toBe(false);
    expect(cal.missingYears(d('2026-12-20'), d('2027-01-15'))).toEqual([2027]);
    expect(cal.missingYears(d('2023-01-01'), d('2026-12-31'))).toEqual([]); // 2019–2026 are shipped
    const cited = cal.citeYear(d('2027-01-15'), { payDayDate: '2027-01-15' });
    expect(cited.value).toMatchObject({ provisional: true, payDayDate: '2027-01-15' });
    expect(cited.source.verified).toBe(false);
    expect(String((cited.value as { reason: string }).reason)).toContain('2027年放假安排未录入');
  });

  it('the strict view (enforcement deadlines) still throws for a missing year', () => {
    expect(() => cal.strictView().isWorkingDay(d('2027-03-01'))).toThrow(MissingHolidayScheduleError);
    expect(cal.strictView().isWorkingDay(d('2026-03-02'))).toBe(true);
  });

  it('the shipped 2019–2026 schedules follow the notices (spot checks of each year)', () => {
    expect(cal.isWorkingDay(d('2019-05-02'))).toBe(false); // 劳动节 adjusted to 5月1日至4日 (国办发明电〔2019〕3号)
    expect(cal.isWorkingDay(d('2019-05-05'))).toBe(true); // make-up Sunday
    expect(cal.isWorkingDay(d('2020-01-31'))).toBe(false); // Spring Festival extended to 2月2日
    expect(cal.isWorkingDay(d('2020-02-01'))).toBe(false); // the planned make-up Saturday fell away
    expect(cal.isWorkingDay(d('2021-09-18'))).toBe(true);
    expect(cal.isWorkingDay(d('2022-10-07'))).toBe(false);
    expect(cal.isWorkingDay(d('2022-10-08'))).toBe(true);
    expect(cal.isWorkingDay(d('2023-01-02'))).toBe(false); // 元旦 2022-12-31 to 2023-01-02
    expect(cal.isWorkingDay(d('2023-06-25'))).toBe(true);
    expect(cal.isWorkingDay(d('2024-02-09'))).toBe(true); // 除夕 2024 only "encouraged" rest
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
