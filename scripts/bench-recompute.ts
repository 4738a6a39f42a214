/**
 * City-wide recompute benchmark (issue: rules core): `huxin recompute` for a generated city, beside its floor.
 *
 *   npx tsx scripts/bench-recompute.ts [--projects 2000] [--workers 120] [--months 12] [--db PATH]
 *
 * floor    one SQL pass that sums net due and payments (paid on or before D) per worker-month — the least
 *          any recompute must do: read every wage row and every payment once
 * recompute  recomputeCity(db, D): load the facts, run the pure rules core, store findings and assessments
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

const SELF = fileURLToPath(import.meta.url);
const AS_OF = '2026-12-02' as IsoDate;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function peakRss(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
  };
}

function floor(dbPath: string): Record<string, number> {
  const db = openDatabase(dbPath, { readonly: true });
  const stop = peakRss();
  const t0 = performance.now();
  let cells = 0;
  let arrears = 0;
  const rows = db.$client
    .prepare(
      `SELECT p.net_fen AS net, COALESCE(SUM(x.amount_fen), 0) AS paid
         FROM payroll_rows p
         LEFT JOIN payments x ON x.project_id = p.project_id AND x.month = p.month AND x.id_number = p.id_number
                              AND x.superseded_by IS NULL AND x.paid_on <= ?
        WHERE p.superseded_by IS NULL
        GROUP BY p.id`,
    )
    .raw()
    .iterate(AS_OF) as IterableIterator<[number, number]>;
  for (const [net, paid] of rows) {
    cells++;
    if (paid < net) arrears += net - paid;
  }
  const ms = performance.now() - t0;
  db.$client.close();
  return { ms, cells, arrearsFen: arrears, rssMb: stop() };
}

function recompute(dbPath: string): Record<string, number> {
  const db = openDatabase(dbPath);
  const stop = peakRss();
  const t0 = performance.now();
  const r = recomputeCity(db, AS_OF, '2026-12-03T00:00:00.000Z');
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
  process.stdout.write(`${JSON.stringify(step === 'floor' ? floor(dbPath) : recompute(dbPath))}\n`);
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
    const r = child('recompute', dbPath);
    console.log(
      `recompute ${(r.ms! / 1000).toFixed(2)} s  (load ${(r.loadMs! / 1000).toFixed(1)} s, evaluate ${(r.evaluateMs! / 1000).toFixed(1)} s, store ${(r.storeMs! / 1000).toFixed(1)} s)  ${r.projects} projects, ${r.findings} findings  peak ${r.rssMb} MB`,
    );
    console.log(`ratio     ${(r.ms! / f.ms!).toFixed(2)} × the floor (target < 3×); load now ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
