/**
 * Nightly report benchmark: the whole nightly run (load + evaluate + store + report + files) for a
 * deterministically generated city, beside its floors.
 *
 *   npx tsx scripts/bench-report.ts [--projects 2000] [--workers 120] [--months 12] [--keep DIR] [--db PATH]
 *
 * City: N projects in 20 counties, W roster workers each (5% of them also on a second project), 12 wage
 * months up to the as-of month, one payroll row per worker-month, one payment per row (≈95% through the
 * dedicated account with its wages outflow, ≈5% cash; ≈90% on time, 5% late, 3% unpaid, 2% partial), a
 * monthly labour-cost inflow and a deposit per project. Rows are inserted with prepared statements, the
 * indexes dropped during the load and rebuilt after (ARCHITECTURE.md: load first, index after).
 *
 * Measured, each in a fresh child process so that peak RSS is the step's own:
 *   floor A   SELECT every current payroll row (iterate, no objects kept)
 *   floor B   loadCityFacts + evaluateCity alone (the pure rules core, its time printed apart)
 *   nightly   produceNightlyReport: what `huxin nightly` does (load, evaluate, build, render, store, files)
 *   fork      the same through `huxin nightly` in a forked child, as the scheduler runs it (wall time)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadCityFacts } from '../test/support/floor/facts.ts';
import { openDatabase } from '../test/support/floor/open.ts';
import { openStore } from '../src/store/open.ts';
import type { IsoDate } from '../src/domain/date.ts';
import { produceNightlyReport } from '../src/jobs/produce.ts';
import { HUXIN_BIN } from '../src/jobs/runners.ts';
import { evaluateCity } from '../src/rules/evaluate.ts';
import { generateCityDb } from './city-generator.ts';

const SELF = fileURLToPath(import.meta.url);
const AS_OF = '2026-12-02' as IsoDate;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return () => {
    clearInterval(timer);
    // the kernel's high-water mark as well: the sampler cannot run while the main thread waits for its
    // worker threads (Atomics.wait), and the threads' memory is the process's
    return Math.round(Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024) / 1024 / 1024);
  };
}

// ——— measurements (each in a child) ———

function floorSelect(dbPath: string): object {
  const db = openDatabase(dbPath, { readonly: true });
  const t0 = performance.now();
  let n = 0;
  let sum = 0;
  for (const row of db.$client.prepare('SELECT * FROM payroll_rows WHERE superseded_by IS NULL ORDER BY id').iterate() as IterableIterator<{ net_fen: number }>) {
    n++;
    sum += row.net_fen;
  }
  const ms = performance.now() - t0;
  db.$client.close();
  return { rows: n, ms, check: sum };
}

/** Every current row of the four big fact tables, as raw arrays (no row objects): the read floor of a load. */
function floorSelectAll(dbPath: string): object {
  const db = openDatabase(dbPath, { readonly: true });
  const t0 = performance.now();
  let n = 0;
  for (const table of ['roster_entries', 'payroll_rows', 'payments', 'account_transactions']) {
    for (const _row of db.$client.prepare(`SELECT * FROM ${table} WHERE superseded_by IS NULL ORDER BY id`).raw(true).iterate()) n++;
  }
  const ms = performance.now() - t0;
  db.$client.close();
  return { rows: n, ms };
}

function floorEvaluate(dbPath: string): object {
  const db = openDatabase(dbPath, { readonly: true });
  const t0 = performance.now();
  const facts = loadCityFacts(db);
  const t1 = performance.now();
  const e = evaluateCity(facts, AS_OF);
  const t2 = performance.now();
  db.$client.close();
  return { loadMs: t1 - t0, evaluateMs: t2 - t1, projects: e.projects.length, findings: e.projects.reduce((n, p) => n + p.findings.length, 0), arrears: e.totals.arrears };
}

async function nightly(dbPath: string, reportsDir: string): Promise<object> {
  const db = openDatabase(dbPath);
  db.$client.prepare('DELETE FROM reports WHERE as_of = ?').run(AS_OF);
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  const store = await openStore(dbPath);
  const r = await produceNightlyReport({ store, asOf: AS_OF, reportsDir, now: new Date().toISOString() });
  await store.close();
  return { ...r.timings, evaluated: r.evaluated, projects: r.projects };
}

if (process.argv[2] === '--child') {
  const [, , , step, dbPath, reportsDir] = process.argv;
  const peak = rssSampler();
  const result = step === 'select' ? floorSelect(dbPath!) : step === 'select-all' ? floorSelectAll(dbPath!) : step === 'evaluate' ? floorEvaluate(dbPath!) : await nightly(dbPath!, reportsDir!);
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: peak() })}\n`);
  process.exit(0);
}

function child(step: string, dbPath: string, reportsDir: string): Record<string, number> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', ...(process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), SELF, '--child', step, dbPath, reportsDir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const projects = Number(option('projects') ?? 2000);
const workers = Number(option('workers') ?? 120);
const monthCount = Number(option('months') ?? 12);
const keep = option('keep');
const dir = keep ?? mkdtempSync(join(tmpdir(), 'huxin-bench-report-'));
const dbPath = option('db') ?? join(dir, 'bench.db');
const reportsDir = join(dir, 'reports');
const s = (ms: number) => (ms / 1000).toFixed(2);

try {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  if (!existsSync(dbPath) || !option('db')) {
    const t0 = performance.now();
    const counts = generateCityDb(dbPath, projects, workers, monthCount);
    console.log(`generated ${projects} projects × ${workers} workers × ${monthCount} months in ${s(performance.now() - t0)} s:`, counts);
  }
  const select = child('select', dbPath, reportsDir);
  const selectAll = child('select-all', dbPath, reportsDir);
  const evaluate = child('evaluate', dbPath, reportsDir);
  const run = child('nightly', dbPath, reportsDir);
  const tf = performance.now();
  const forked = spawnSync(process.execPath, [HUXIN_BIN, 'nightly', '--as-of', AS_OF, '--db', dbPath, '--reports-dir', reportsDir], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '' },
  });
  const forkMs = performance.now() - tf;
  if (forked.status !== 0) console.log('forked nightly failed:', forked.stderr);
  console.log(`
| step | seconds | peak RSS (MB) | detail |
|---|---:|---:|---|
| floor A: SELECT all current payroll rows | ${s(select.ms!)} | ${select.peakRssMb} | ${select.rows} rows |
| floor A2: SELECT all current rows of roster, payroll, payments, account transactions (raw arrays) | ${s(selectAll.ms!)} | ${selectAll.peakRssMb} | ${selectAll.rows} rows |
| floor B: loadCityFacts | ${s(evaluate.loadMs!)} | ${evaluate.peakRssMb} | (same child as the next line) |
| floor B: evaluateCity (pure rules core) | ${s(evaluate.evaluateMs!)} | | ${evaluate.findings} findings |
| nightly: load (read transaction) | ${s(run.loadMs!)} | ${run.peakRssMb} | |
| nightly: evaluate | ${s(run.evaluateMs!)} | | |
| nightly: build report model + JSON | ${s(run.buildMs!)} | | |
| nightly: render CSV/HTML + stage files | ${s(run.renderMs!)} | | |
| nightly: store (one transaction) | ${s(run.storeMs!)} | | findings, assessments, report row |
| **nightly total (in process)** | **${s(run.totalMs!)}** | | |
| nightly as forked \`huxin nightly\` (wall, incl. start-up) | ${s(forkMs)} | | |
`);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
