/** The demo city of 邢台市 (fixtures/demo/) imports cleanly in dependency order. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchSummary, ImportKind } from '../../src/imports/types.ts';
import { DEMO, expectStatus, importCase, rows, tempDb, type TestDb } from './helpers.ts';

const ORDER: readonly ImportKind[] = ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits'];

/** Data lines of a UTF-8 fixture: non-empty lines after the header. */
function dataLines(file: string): number {
  return readFileSync(join(DEMO, file), 'utf8').split(/\r\n/).filter((l) => l !== '').length - 1;
}

describe('demo city', () => {
  let t: TestDb;
  const batches = new Map<ImportKind, BatchSummary>();
  beforeAll(async () => {
    t = await tempDb();
    for (const kind of ORDER) batches.set(kind, expectStatus(await importCase(t.store, kind, `${kind}.csv`, DEMO), 'imported').batch);
  });
  afterAll(() => t.close());

  it('imports every file in order, each row of each file written', async () => {
    for (const kind of ['projects', 'roster', 'payments', 'account_transactions'] as const) {
      const b = batches.get(kind)!;
      expect(b.rowCount, kind).toBe(dataLines(`${kind}.csv`));
      expect(b.inserted, kind).toBe(b.rowCount);
      expect(b.replaced, kind).toBe(0);
    }
    expect(batches.get('projects')!.rowCount).toBe(8);
    expect(batches.get('deposits')!.rowCount).toBe(10);
  });

  it('reads the GBK wage table past its title, 合计 and signature rows', async () => {
    const b = batches.get('payroll')!;
    expect(b.encoding).toBe('gb18030');
    expect(b.warnings).toHaveLength(3);
    expect(b.warnings[0]).toContain('农民工工资支付表');
    expect(b.warnings[1]).toContain('合计/小计行');
    expect(b.warnings[2]).toContain('签字栏');
    // the 合计 row of the file equals the sum of the rows imported
    const text = new TextDecoder('gb18030').decode(readFileSync(join(DEMO, 'payroll.csv')));
    const total = text.split('\r\n').find((l) => l.startsWith('合计'))!;
    const net = /"([\d,]+\.\d\d)",?$/.exec(total.replace(/,+$/, ''))![1]!.replace(/,/g, '');
    const sum = (await rows<{ s: number }>(t.store, 'SELECT sum(net_fen) AS s FROM payroll_rows'))[0]!.s;
    expect(sum).toBe(Number(net.replace('.', '')));
    expect((await rows(t.store, 'SELECT count(*) AS n FROM payroll_rows'))).toEqual([{ n: b.rowCount }]);
  });

  it('spans the eight projects across six counties, months 2026-06 to 2026-10', async () => {
    expect((await rows(t.store, 'SELECT count(DISTINCT county) AS n FROM projects'))).toEqual([{ n: 6 }]);
    expect((await rows(t.store, 'SELECT min(month) AS lo, max(month) AS hi FROM payroll_rows'))).toEqual([{ lo: '2026-06', hi: '2026-10' }]);
    expect((await rows(t.store, "SELECT code FROM projects WHERE wage_account_no IS NULL"))).toEqual([{ code: 'XT-2026-005' }]);
    expect((await rows(t.store, "SELECT code FROM projects WHERE completion_date IS NOT NULL"))).toEqual([{ code: 'XT-2026-006' }]);
  });

  it('holds the designed oddities: a shared payee card, a cash payment, an expiring guarantee, a 15-year-old', async () => {
    const shared = (await rows<{ n: number }>(
      t.store,
      `SELECT count(DISTINCT id_number) AS n FROM payments p JOIN projects j ON j.id = p.project_id
       WHERE j.code = 'XT-2026-007' AND p.month = '2026-10' GROUP BY payee_card ORDER BY n DESC LIMIT 1`,
    ));
    expect(shared[0]!.n).toBeGreaterThanOrEqual(3);
    expect((await rows(t.store, "SELECT count(*) AS n FROM payments WHERE channel = 'cash'"))).toEqual([{ n: 1 }]);
    expect((await rows(t.store, "SELECT form, expires_on FROM deposit_events WHERE expires_on BETWEEN '2026-11-28' AND '2026-12-28'"))).toEqual([
      { form: 'bank_guarantee', expires_on: '2026-12-10' },
    ]);
    expect((await rows(t.store, "SELECT substr(id_number, 7, 8) AS birth FROM roster_entries WHERE substr(id_number, 7, 4) = '2010'"))).toEqual([
      { birth: '20101220' },
    ]);
  });
});
