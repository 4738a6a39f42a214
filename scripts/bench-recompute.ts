/**
 * City-wide recompute benchmark (issue: rules core): `huxin recompute` for a generated city, beside its floor.
 *
 *   npx tsx scripts/bench-recompute.ts [--projects 2000] [--workers 120] [--months 12] [--db PATH]
 *
 * floor    one SQL pass that sums net due and payments (paid on or before D) per worker-month — the least
 *          any recompute must do: read every wage row and every payment once
 * read     every current row of the four fact tables the rules read (roster, payroll, payments, account
 *          transactions), the columns loadCityFacts reads, into JavaScript as raw arrays, nothing kept: what
 *          any rules core in JavaScript pays before it computes anything
 * recompute  recomputeCity(db, D): load the facts, run the pure rules core, store findings and assessments —
 *          in worker threads (HUXIN_WORKERS, default one per core up to 4) and, with --single, also in
 *          this thread alone
 *
 * Each step runs in its own child process so its peak RSS is its own. Set BENCH_NODE_OPTIONS (e.g.
 * "--max-old-space-size=12288") to pass options to the children. Target: recompute under 3× the floor.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/open.ts';
import type { IsoDate } from '../src/domain/date.ts';
import { recomputeCity } from '../src/services/recompute.ts';
import { generateCityDb } from './city-generator.ts';
import { floor, peakRss } from './floor.ts';

const SELF = fileURLToPath(import.meta.url);
const AS_OF = '2026-12-02' as IsoDate;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The columns loadCityFacts reads from each table (src/db/facts.ts). */
const READ_SQL = [
  `SELECT r.*, e.name AS employer_name FROM roster_entries r LEFT JOIN employers e ON e.uscc = r.employer_uscc WHERE r.superseded_by IS NULL`,
  `SELECT project_id, id, batch_id, line, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed FROM payroll_rows WHERE superseded_by IS NULL`,
  `SELECT project_id, id, batch_id, line, month, id_number, payee_name, payee_card, amount_fen, paid_on, channel, bank_ref FROM payments WHERE superseded_by IS NULL`,
  `SELECT project_id, id, batch_id, line, tx_date, direction, amount_fen, purpose, counterparty, bank_ref FROM account_transactions WHERE superseded_by IS NULL`,
];

function read(dbPath: string): Record<string, number> {
  const db = openDatabase(dbPath, { readonly: true });
  const stop = peakRss();
  const t0 = performance.now();
  let rows = 0;
  for (const sql of READ_SQL) for (const _row of db.$client.prepare(sql).raw().iterate()) rows++;
  const ms = performance.now() - t0;
  db.$client.close();
  return { ms, rows, rssMb: stop() };
}

function recompute(dbPath: string, workers?: number): Record<string, number> {
  const db = openDatabase(dbPath);
  // a recompute of D replaces D's stored rows; start each measurement from none, as a new night does
  db.$client.prepare('DELETE FROM findings WHERE as_of = ?').run(AS_OF);
  db.$client.prepare('DELETE FROM project_assessments WHERE as_of = ?').run(AS_OF);
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  const stop = peakRss();
  const t0 = performance.now();
  const r = recomputeCity(db, AS_OF, '2026-12-03T00:00:00.000Z', undefined, workers === undefined ? {} : { workers });
  const ms = performance.now() - t0;
  db.$client.close();
  return {
    ms,
    projects: r.evaluation.evaluatedCount,
    findings: r.findingCount,
    arrearsFen: r.evaluation.totals.arrears,
    loadMs: r.timings.loadMs,
    evaluateMs: r.timings.evaluateMs,
    storeMs: r.timings.storeMs,
    rssMb: stop(),
  };
}

function child(step: string, dbPath: string): Record<string, number> {
  const nodeArgs = (process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const out = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', SELF, '--step', step, '--db', dbPath], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`${step} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const step = option('step');
if (step) {
  const dbPath = option('db')!;
  const result = step === 'floor' ? floor(dbPath, AS_OF) : step === 'read' ? read(dbPath) : step === 'single' ? recompute(dbPath, 1) : recompute(dbPath);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const projects = Number(option('projects') ?? 2000);
  const workers = Number(option('workers') ?? 120);
  const months = Number(option('months') ?? 12);
  const given = option('db');
  const dir = given ? undefined : mkdtempSync(join(tmpdir(), 'huxin-bench-recompute-'));
  const dbPath = given ?? join(dir!, 'city.db');
  try {
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    if (!given || !existsSync(dbPath)) {
      const t = performance.now();
      const counts = generateCityDb(dbPath, projects, workers, months);
      console.log(`generated ${JSON.stringify(counts)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const f = child('floor', dbPath);
    console.log(`floor     ${(f.ms! / 1000).toFixed(2)} s  ${f.cells} worker-months  peak ${f.rssMb} MB`);
    const rd = child('read', dbPath);
    console.log(`read      ${(rd.ms! / 1000).toFixed(2)} s  ${rd.rows} rows into JavaScript  peak ${rd.rssMb} MB  (${(rd.ms! / f.ms!).toFixed(2)} × the floor)`);
    const steps = process.argv.includes('--single') ? ['single', 'recompute'] : ['recompute'];
    for (const st of steps) {
      const r = child(st, dbPath);
      const label = st === 'single' ? 'one thread' : `threads (HUXIN_WORKERS=${process.env.HUXIN_WORKERS ?? 'default'})`;
      console.log(
        `recompute ${(r.ms! / 1000).toFixed(2)} s  ${label}: evaluate ${(r.evaluateMs! / 1000).toFixed(1)} s (load + rules + staging), store ${(r.storeMs! / 1000).toFixed(1)} s;  ${r.projects} projects, ${r.findings} findings  peak ${r.rssMb} MB`,
      );
      console.log(`ratio     ${(r.ms! / f.ms!).toFixed(2)} × the floor (target < 3×); load now ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
