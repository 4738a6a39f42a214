import { describe, expect, it } from 'vitest';
import { addDays, addYears, dayOfWeek, daysBetween, parseDate } from '../../src/domain/date.ts';
import { addMonths, clampedDayOf, lastDayOf, month, monthsFromTo, parseMonth } from '../../src/domain/month.ts';

describe('dates', () => {
  it.each(['2026-10-05', '2026/10/5', '2026.10.05', '2026年10月5日', '20261005', '２０２６-１０-０５'])('parses %s', (text) => {
    expect(parseDate(text)).toEqual({ ok: true, value: '2026-10-05' });
  });
  it('rejects days that do not exist and explains Excel serial numbers', () => {
    expect(parseDate('2026-02-29').ok).toBe(false); // 2026 is not a leap year
    expect(parseDate('2028-02-29').ok).toBe(true);
    const serial = parseDate('46300');
    expect(serial.ok ? '' : serial.reason).toContain('Excel');
  });
  it('counts days and weekdays without a clock', () => {
    expect(daysBetween('2026-09-15' as never, '2026-09-30' as never)).toBe(15);
    expect(addDays('2026-02-28' as never, 1)).toBe('2026-03-01');
    expect(dayOfWeek('2026-11-15' as never)).toBe(0); // a Sunday
    expect(dayOfWeek('2026-11-13' as never)).toBe(5); // a Friday
    expect(addYears('2024-02-29' as never, 1)).toBe('2025-02-28');
  });
});

describe('months', () => {
  it.each(['2026-10', '2026/10', '202610', '2026年10月', '2026.10'])('parses %s', (text) => {
    expect(parseMonth(text)).toEqual({ ok: true, value: '2026-10' });
  });
  it('rejects month 13', () => {
    expect(parseMonth('2026-13').ok).toBe(false);
  });
  it('clamps a pay day of 31 to the last day of a 30-day month and of February', () => {
    expect(clampedDayOf(month('2026-11'), 31)).toBe('2026-11-30');
    expect(clampedDayOf(month('2026-02'), 31)).toBe('2026-02-28');
    expect(clampedDayOf(month('2028-02'), 30)).toBe('2028-02-29');
    expect(lastDayOf(month('2026-02'))).toBe('2026-02-28');
  });
  it('steps across years', () => {
    expect(addMonths(month('2026-12'), 1)).toBe('2027-01');
    expect(addMonths(month('2026-01'), -1)).toBe('2025-12');
    expect(monthsFromTo(month('2025-11'), month('2026-02'))).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});
