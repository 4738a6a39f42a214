/**
 * Engines benchmark (issue: a province on PostgreSQL — "import and nightly on PostgreSQL within 2× of
 * SQLite on the same machine"): one generated city, its nights on SQLite and on PostgreSQL, alternated on
 * the same machine so that both see the same load, beside the floor of each engine.
 *
 *   npx tsx scripts/bench-engines.ts [--projects 2000] [--workers 120] [--months 12] [--city PATH] [--pg URL]
 *
 * city    generated once into a SQLite file (scripts/city-generator.ts; --city keeps it), copied into a fresh
 *         PostgreSQL database (src/store/copy.ts, as `huxin db copy`) and analysed; the SQLite night runs on
 *         a copy of the file, so both engines start from the same facts and no state
 * floor   one SQL pass summing net due and payments per worker-month (scripts/floor.ts), on each engine
 * first   the first night on each engine (every finding new), then
 * full    a full night the next day on each (every project evaluated again, differences only)
 * Each night runs in a child process of its own (one process: the night as `huxin recompute` runs it);
 * peak RSS is that process's. The import of the city's wage lines on both engines is
 * `scripts/bench-import.ts --sizes 2880000 --postgres`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, isoDate, type IsoDate } from '../src/domain/date.ts';
import { runNight } from '../src/services/night/run.ts';
import { paramsOfStore } from '../src/services/params.ts';
import { paramsVersionOf } from '../src/services/recompute.ts';
import { openStore } from '../src/store/open.ts';
import { startPgServer } from '../test/support/pgServer.ts';
import { ensureCity, FLOOR_SQL, machineLine, peakRss } from './floor.ts';
import { cityIntoPostgres } from './pg-city.ts';

const SELF = fileURLToPath(import.meta.url);
const FIRST = isoDate('2026-12-02');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The floor through the store's executor (the same query and cursor on both engines). */
async function floorOf(location: string, asOf: IsoDate): Promise<Record<string, number>> {
  const store = await openStore(location, { readonly: true });
  const stop = peakRss();
  const t0 = performance.now();
  let cells = 0;
  let arrears = 0;
  for await (const batch of store.sql.batches<[number, number]>(FLOOR_SQL, [asOf], 10_000)) {
    for (const [net, paid] of batch) {
      cells++;
      if (Number(paid) < Number(net)) arrears += Number(net) - Number(paid);
    }
  }
  const ms = performance.now() - t0;
  await store.close();
  return { ms, cells, arrearsFen: arrears, rssMb: stop() };
}

async function night(location: string, asOf: IsoDate, mode: 'full' | 'incremental'): Promise<Record<string, unknown>> {
  const store = await openStore(location);
  const params = await paramsOfStore(store);
  const stop = peakRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await runNight(store, { asOf, now: `${asOf}T18:00:00.000Z`, params, paramsVersion: paramsVersionOf(params), mode });
  const ms = performance.now() - t0;
  await store.close();
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, evaluated: s.evaluatedCount, projects: s.projectCount, changed: s.changedCount, opened: s.opened, timings: s.timings, rssMb: stop() };
}

function child(args: string[]): Record<string, unknown> {
  const out = spawnSync(process.execPath, ['--import', 'tsx', SELF, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${args.join(' ')} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
const secs = (ms: number): string => (ms / 1000).toFixed(1);

const step = option('step');
if (step) {
  const db = option('db')!;
  const result = step === 'floor' ? await floorOf(db, FIRST) : await night(db, isoDate(option('on')!), 'full');
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const projects = Number(option('projects') ?? 2000);
  const workersPer = Number(option('workers') ?? 120);
  const months = Number(option('months') ?? 12);
  const dir = mkdtempSync(join(tmpdir(), 'huxin-bench-engines-'));
  const city = option('city') ?? join(dir, 'city.db');
  const given = option('pg');
  const server = given ? { url: given, how: '--pg', stop: async () => {} } : await startPgServer();
  try {
    console.log(machineLine(`PostgreSQL: ${server.how}`));
    ensureCity(city, projects, workersPer, months);
    // the SQLite night runs on a copy, so the city file stays as generated (facts only) for the next run
    const sqlite = join(dir, 'night.db');
    copyFileSync(city, sqlite);
    const { url, rows, ms: copyMs } = await cityIntoPostgres(sqlite, server.url, 'huxin_engines');
    console.log(`copied ${rows} rows into PostgreSQL in ${secs(copyMs)} s, load ${load()}`);
    const engines = [
      { name: 'SQLite', at: sqlite },
      { name: 'PostgreSQL', at: url },
    ];
    const floors: Record<string, number> = {};
    for (const e of engines) {
      const f = child(['--step', 'floor', '--db', e.at]);
      floors[e.name] = f.ms as number;
      console.log(`${e.name.padEnd(10)} floor       ${secs(f.ms as number)} s  ${f.cells} worker-months  peak ${f.rssMb} MB  load ${load()}`);
    }
    const seconds: Record<string, Record<string, number>> = {};
    let day = FIRST;
    for (const label of ['first', 'full']) {
      for (const e of engines) {
        const r = child(['--step', label, '--db', e.at, '--on', day]);
        const t2 = r.timings as { planMs: number; evaluateMs: number; writeMs: number };
        (seconds[label] ??= {})[e.name] = r.ms as number;
        console.log(
          `${e.name.padEnd(10)} ${`${label} ${day}`.padEnd(16)} ${secs(r.ms as number)} s (${((r.ms as number) / floors[e.name]!).toFixed(1)} × its floor; plan ${secs(t2.planMs)}, evaluate ${secs(t2.evaluateMs)}, write ${secs(t2.writeMs)})  ` +
            `CPU ${secs(r.cpuMs as number)} s  ${r.evaluated}/${r.projects} evaluated, ${r.changed} changed, +${r.opened} versions  peak ${r.rssMb} MB  load ${load()}`,
        );
      }
      console.log(`           ${label}: PostgreSQL / SQLite = ${(seconds[label]!.PostgreSQL! / seconds[label]!.SQLite!).toFixed(2)} (target ≤ 2)`);
      day = addDays(day, 1);
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
