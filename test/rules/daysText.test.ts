/** daysText (payroll.ts) writes hundredths of a day exactly as decimal.js writes centi ÷ 100, which it replaced in the sentences. */
import { Decimal } from 'decimal.js';
import { expect, it } from 'vitest';
import { daysText } from '../../src/rules/payroll.ts';

it('writes every centi from −50.00 to 500.00 days, and the edges, as Decimal does', () => {
  const wrong: string[] = [];
  const check = (n: number) => {
    const want = new Decimal(n).div(100).toString();
    if (daysText(n) !== want) wrong.push(`${n}: ${daysText(n)} ≠ ${want}`);
  };
  for (let n = -5000; n <= 50000; n++) check(n);
  for (const n of [-0, 0.5, 1234.5, 123456789012, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) check(n);
  expect(wrong).toEqual([]);
});
