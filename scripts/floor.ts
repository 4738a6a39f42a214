/**
 * The floor of a city's night, shared by the benches: one SQL pass that sums net due and payments (paid on
 * or before D) per worker-month — the least any recompute must do: read every wage row and every payment
 * once. And the peak RSS sampler the benches report.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { IsoDate } from '../src/domain/date.ts';
import { openDatabase } from '../test/support/floor/open.ts';
import { generateCityDb } from './city-generator.ts';

/** The 1, 5 and 15-minute load averages, as the benches print them beside each figure. */
export const loadText = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

/** The machine line every bench prints first (`extra`: what else the run depends on). */
export function machineLine(extra?: string): string {
  return `machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load ${loadText()}${extra ? `; ${extra}` : ''}`;
}

/** The generated city at `path`: made (and its size printed) unless the file is there already. */
export function ensureCity(path: string, projects: number, workersPer: number, months: number): void {
  if (existsSync(path)) return;
  const t = performance.now();
  const counts = generateCityDb(path, projects, workersPer, months);
  console.log(`generated ${JSON.stringify(counts)} in ${((performance.now() - t) / 1000).toFixed(2)} s`);
}

export function peakRss(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return () => {
    clearInterval(timer);
    // the kernel's high-water mark as well: the sampler cannot run while the main thread waits for its
    // worker threads (Atomics.wait), and the threads' memory is the process's
    return Math.round(Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024) / 1024 / 1024);
  };
}

/** The floor's one pass (engine-neutral: bench-province.ts runs it on PostgreSQL): net due and payments on or before ? per worker-month. */
export const FLOOR_SQL = `SELECT p.net_fen AS net, COALESCE(SUM(x.amount_fen), 0) AS paid
   FROM payroll_rows p
   LEFT JOIN payments x ON x.project_id = p.project_id AND x.month = p.month AND x.id_number = p.id_number
                        AND x.superseded_by IS NULL AND x.paid_on <= ?
  WHERE p.superseded_by IS NULL
  GROUP BY p.id`;

export function floor(dbPath: string, AS_OF: IsoDate): Record<string, number> {
  const db = openDatabase(dbPath, { readonly: true });
  const stop = peakRss();
  const t0 = performance.now();
  let cells = 0;
  let arrears = 0;
  const rows = db.$client
    .prepare(
      FLOOR_SQL,
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

