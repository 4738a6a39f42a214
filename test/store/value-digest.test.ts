/**
 * 值摘要 — a ledger month's digest taken from its values (src/store/valueDigest.ts) tells apart what
 * its JSON document tells apart, and nothing else: values with the same JSON digest alike (an undefined
 * member left out, undefined as null in a column, -0 as 0), any change a night must store gives another
 * digest. And the night's ledger months: the digest is the same for the same lines, the document is the
 * one the lines give when read.
 */
import { describe, expect, it } from 'vitest';
import { ValueDigest } from '../../src/store/valueDigest.ts';
import { ledgerMonthsOf } from '../../src/services/night/result.ts';
import type { WorkerMonth } from '../../src/rules/wages.ts';

const digest = (...values: unknown[]): string => {
  const d = new ValueDigest();
  for (const v of values) d.value(v);
  return d.digest();
};

describe('a value digest', () => {
  it('digests alike what has the same JSON', () => {
    expect(digest({ a: 1, b: undefined, c: [null, 'x'] })).toBe(digest({ a: 1, c: [null, 'x'] }));
    expect(digest(undefined)).toBe(digest(null));
    expect(digest(-0)).toBe(digest(0));
    expect(digest('名字', 12)).toBe(digest('名字', 12));
    expect(digest(2 ** 40 + 3)).toBe(digest(2 ** 40 + 3));
  });

  it('tells apart what a night must store', () => {
    const base = { id: 3054, table: 'payroll_rows', batchId: 3, line: 9117 };
    const seen = new Set<string>();
    for (const v of [
      base,
      { ...base, id: 3055 },
      { ...base, line: 9118 },
      { ...base, table: 'payments' },
      { table: 'payroll_rows', id: 3054, batchId: 3, line: 9117 }, // same members, other order: another JSON
      [base],
      [base, base],
      null,
      0,
      '0',
      false,
      '',
      [],
      {},
      [null],
      [[]],
      2 ** 32,
      2 ** 32 + 1,
      -1,
      1.5,
      '张三',
      '张四',
      ['ab', 'c'],
      ['a', 'bc'],
    ]) {
      const h = digest(v);
      expect(seen.has(h), JSON.stringify(v)).toBe(false);
      seen.add(h);
    }
    expect(digest(1, 2)).not.toBe(digest(2, 1));
    expect(digest([1], 2)).not.toBe(digest([1, 2]));
  });
});

describe('the ledger months of a night', () => {
  const line = (id: string, netDue: number, name = '张三'): WorkerMonth =>
    ({ projectId: 1, projectCode: 'XT-1', idNumber: id, name, month: '2026-10', dueDate: '2026-11-15', netDue, overdueDays: 3, evidence: [{ table: 'payroll_rows', id: 1, batchId: 1, line: 2 }] }) as unknown as WorkerMonth;

  it('digest the same lines alike, every stored field changed otherwise, and write the document when read', () => {
    const a = ledgerMonthsOf([line('1', 100), line('2', 200)]);
    expect(a[0]!.hash).toBe(ledgerMonthsOf([line('1', 100), line('2', 200)])[0]!.hash);
    expect(a[0]!.hash).not.toBe(ledgerMonthsOf([line('1', 100), line('2', 201)])[0]!.hash);
    expect(a[0]!.hash).not.toBe(ledgerMonthsOf([line('1', 100), line('2', 200, '李四')])[0]!.hash);
    // overdue days are not stored (counted when read): they leave the digest alone
    expect(a[0]!.hash).toBe(ledgerMonthsOf([{ ...line('1', 100), overdueDays: 9 } as WorkerMonth, line('2', 200)])[0]!.hash);
    const doc = JSON.parse(a[0]!.lines) as { k: string[]; c: unknown[][] };
    expect(doc.c[doc.k.indexOf('netDue')]).toEqual([100, 200]);
    expect(doc.k).not.toContain('overdueDays');
    expect(JSON.parse(JSON.stringify(a))[0].lines).toBe(a[0]!.lines);
  });
});
