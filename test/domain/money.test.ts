import { describe, expect, it } from 'vitest';
import { addFen, fen, formatYuan, mulFen, parseYuan, sumFen, yuan } from '../../src/domain/money.ts';

describe('Money (fen)', () => {
  it.each([
    ['4823.5', 482350],
    ['4823.50', 482350],
    ['4,823.50', 482350],
    ['￥4823.50', 482350],
    ['¥4823.50', 482350],
    ['４８２３．５０', 482350],
    [' 12 ', 1200],
    ['0.01', 1],
    ['1,234,567.89', 123456789],
  ])('parses %s as %i fen', (text, expected) => {
    expect(parseYuan(text)).toEqual({ ok: true, value: expected });
  });

  it('rejects a third decimal instead of rounding it away', () => {
    const r = parseYuan('4823.505');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('两位小数');
  });

  it.each(['abc', '48,23.50', '1.2.3', ''])('rejects %j', (text) => {
    expect(parseYuan(text).ok).toBe(false);
  });

  it('prints fen as yuan with exactly two decimals', () => {
    expect(formatYuan(fen(482350))).toBe('4823.50');
    expect(formatYuan(fen(5))).toBe('0.05');
    expect(formatYuan(fen(-120))).toBe('-1.20');
    expect(formatYuan(fen(0))).toBe('0.00');
  });

  it('sums exactly where floats do not: 0.1 + 0.2 yuan is 0.30', () => {
    // 0.1 + 0.2 === 0.30000000000000004 in floating point; in fen it is 10 + 20 = 30.
    expect(formatYuan(addFen(yuan('0.1'), yuan('0.2')))).toBe('0.30');
    // 100,000 lines of 0.07 yuan: 7 fen × 100,000 = 700,000 fen = 7000.00 yuan.
    expect(formatYuan(sumFen(Array.from({ length: 100_000 }, () => yuan('0.07'))))).toBe('7000.00');
  });

  it('multiplies by an exact ratio and rounds half up to the fen', () => {
    // 2% of 3,000,000.00 yuan = 60,000.00 yuan
    expect(formatYuan(mulFen(yuan('3000000'), '0.02'))).toBe('60000.00');
    // 2200.00 × 10/21.75 = 1011.4942… → 1011.49
    expect(formatYuan(mulFen(yuan('2200'), ['10', '21.75']))).toBe('1011.49');
    // 0.05 × 0.5 = 0.025 → 0.03 (half up)
    expect(formatYuan(mulFen(yuan('0.05'), '0.5'))).toBe('0.03');
  });

  it('refuses a non-integer fen amount', () => {
    expect(() => fen(1.5)).toThrow();
  });
});
