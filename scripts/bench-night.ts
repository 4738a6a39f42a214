/**
 * Nights benchmark (issue: a real city's nights): the nights of a generated city kept as state, beside the
 * floor measured in the same run.
 *
 *   npx tsx scripts/bench-night.ts [--projects 2000] [--workers 120] [--months 12] [--nights 5] [--db PATH] [--chunk 50]
 *                                  [--event 2026-12-10] [--no-full] [--compact] [--threads N]
 *
 * floor      one SQL pass summing net due and payments per worker-month (scripts/floor.ts)
 * first      the first night: every project evaluated (facts read from the rows, snapshots written), all
 *            findings stored as state
 * full       `--full` again on the next day: every project evaluated (facts from the snapshots), only the
 *            differences written
 * nights     the following nights, incremental: only the projects whose facts changed or whose outcome
 *            can change by date on that day are evaluated; database growth per night
 * event      `--event D`: then an incremental night on D, a day every project's outcome changes on (the
 *            generated city's pay day 12-10: every due date passes); its growth by table (dbstat) and the
 *            floor again on D beside it; growth in pages in use, on the file as the nights left it (`--compact`:
 *            VACUUMed first, the worst case for index growth). `--no-full` skips the full night of the second day.
 *
 * --threads N: threads evaluating a night's chunks (run.ts NightInput.threads; default HUXIN_NIGHT_THREADS,
 * else 2 on a machine of two cores or more).
 *
 * Each step runs in its own child process so its peak RSS is its own. Targets (issue): full recompute ≤ 3×
 * the floor, a quiet night < 5 s and < 1 MB of growth, peak RSS < 500 MB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, isoDate, type IsoDate } from '../src/domain/date.ts';
import { DEFAULT_PARAMS } from '../src/rules/params/index.ts';
import { runNight } from '../src/services/night/run.ts';
import { openStore } from '../src/store/open.ts';
import { openDatabase } from '../test/support/floor/open.ts';
import { ensureCity, floor, machineLine, peakRss } from './floor.ts';

const SELF = fileURLToPath(import.meta.url);
const FIRST = isoDate('2026-12-02');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function night(location: string, asOf: IsoDate, mode: 'full' | 'incremental', chunkSize?: number, threads?: number): Promise<Record<string, number>> {
  const store = await openStore(location);
  const stop = peakRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await runNight(store, { asOf, now: `${asOf}T18:00:00.000Z`, params: DEFAULT_PARAMS, paramsVersion: 'bench', mode, ...(chunkSize ? { chunkSize } : {}), ...(threads ? { threads } : {}) });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const findings = (await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM finding_versions WHERE valid_to IS NULL'))!.n;
  await store.sql.run('PRAGMA wal_checkpoint(TRUNCATE)');
  await store.close();
  return { ms, evaluated: s.evaluatedCount, projects: s.projectCount, changed: s.changedCount, opened: s.opened, closed: s.closed, findings, planMs: s.timings.planMs, evaluateMs: s.timings.evaluateMs, writeMs: s.timings.writeMs, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: stop(), threads: s.threads, threadFailures: s.threadFailures.length };
}

function child(args: string[]): Record<string, number> {
  const nodeArgs = (process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const out = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', SELF, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${args.join(' ')} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const sizeMb = (path: string): number => [path, `${path}-wal`].reduce((n, p) => n + (existsSync(p) ? statSync(p).size : 0), 0) / 2 ** 20;
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
const secs = (ms: number): string => (ms / 1000).toFixed(2);

/** Bytes per table and index (dbstat, pages in use): where a night's growth went. */
function tableBytes(db: string): Record<string, number> {
  const h = openDatabase(db, { readonly: true });
  const rows = h.$client.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[];
  const free = (h.$client.prepare('PRAGMA freelist_count').get() as { freelist_count: number }).freelist_count;
  const page = (h.$client.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
  h.$client.close();
  return { ...Object.fromEntries(rows.map((r) => [r.name, r.bytes])), '(free pages)': free * page };
}

function vacuum(db: string): Record<string, number> {
  const h = openDatabase(db);
  h.$client.exec('VACUUM');
  h.$client.pragma('wal_checkpoint(TRUNCATE)');
  h.$client.close();
  return {};
}

const step = option('step');
if (step) {
  const db = option('db')!;
  const result =
    step === 'floor'
      ? floor(db, option('on') ? isoDate(option('on')!) : FIRST)
      : step === 'tables'
        ? tableBytes(db)
        : step === 'vacuum'
          ? vacuum(db)
        : await night(db, isoDate(option('on')!), step === 'full' ? 'full' : 'incremental', option('chunk') ? Number(option('chunk')) : undefined, option('threads') ? Number(option('threads')) : undefined);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const projects = Number(option('projects') ?? 2000);
  const workers = Number(option('workers') ?? 120);
  const months = Number(option('months') ?? 12);
  const nights = Number(option('nights') ?? 5);
  const given = option('db');
  const chunkArgs = [...(option('chunk') ? ['--chunk', option('chunk')!] : []), ...(option('threads') ? ['--threads', option('threads')!] : [])];
  const dir = given ? undefined : mkdtempSync(join(tmpdir(), 'huxin-bench-night-'));
  const db = given ?? join(dir!, 'city.db');
  try {
    console.log(machineLine());
    ensureCity(db, projects, workers, months);
    const f = child(['--step', 'floor', '--db', db]);
    console.log(`floor      ${secs(f.ms!)} s  ${f.cells} worker-months  peak ${f.rssMb} MB`);
    const report = (label: string, r: Record<string, number>, before: number): void => {
      const grown = sizeMb(db) - before;
      console.log(
        `${label.padEnd(10)} ${secs(r.ms!)} s (${(r.ms! / f.ms!).toFixed(2)} × floor; plan ${secs(r.planMs!)}, evaluate ${secs(r.evaluateMs!)}, write ${secs(r.writeMs!)}; CPU ${r.cpuMs === undefined ? '?' : secs(r.cpuMs)} s)  ` +
          `${r.evaluated}/${r.projects} projects evaluated, ${r.changed} changed, +${r.opened}/−${r.closed} versions, ${r.findings} current flags  ` +
          `peak ${r.rssMb} MB  database ${grown >= 0 ? '+' : ''}${grown.toFixed(2)} MB  load ${load()}`,
      );
    };
    let before = sizeMb(db);
    report(`first ${FIRST}`, child(['--step', 'first', '--db', db, '--on', FIRST, ...chunkArgs]), before);
    let day = addDays(FIRST, 1);
    if (!process.argv.includes('--no-full')) {
      before = sizeMb(db);
      report(`full ${day}`, child(['--step', 'full', '--db', db, '--on', day, ...chunkArgs]), before);
    }
    for (let i = 0; i < nights; i++) {
      day = addDays(day, 1);
      before = sizeMb(db);
      report(`night ${day}`, child(['--step', 'night', '--db', db, '--on', day, ...chunkArgs]), before);
    }
    const event = option('event');
    if (event) {
      const ef = child(['--step', 'floor', '--db', db, '--on', event]);
      console.log(`floor      ${secs(ef.ms!)} s on ${event}  peak ${ef.rssMb} MB  load ${load()}`);
      // growth is counted in pages in use (dbstat), so the free pages the earlier nights' staging left do not
      // hide it. The file stays as its nights left it, as a bureau's does: a compacted file (`--compact`, as
      // VACUUM leaves it, every b-tree page full) makes each insert into an index split a page, which a
      // database that has had nights does not (docs/PERFORMANCE.md: 18.4 MB of index growth compacted, 1.8
      // MB as the nights left it)
      if (process.argv.includes('--compact')) child(['--step', 'vacuum', '--db', db]);
      const t0 = child(['--step', 'tables', '--db', db]);
      before = sizeMb(db);
      const r = child(['--step', 'night', '--db', db, '--on', event, ...chunkArgs]);
      report(`event ${event}`, r, before);
      const t1 = child(['--step', 'tables', '--db', db]);
      const grown = Object.keys({ ...t0, ...t1 })
        .map((name) => ({ name, mb: ((t1[name] ?? 0) - (t0[name] ?? 0)) / 2 ** 20 }))
        .filter((g) => Math.abs(g.mb) >= 0.01)
        .sort((a, b) => b.mb - a.mb);
      console.log(`event growth by table (MB of pages in use): ${grown.map((g) => `${g.name} ${g.mb >= 0 ? '+' : ''}${g.mb.toFixed(2)}`).join(', ')}`);
      const inUse = grown.filter((g) => g.name !== '(free pages)').reduce((n, g) => n + g.mb, 0);
      console.log(`event growth in pages in use: ${inUse >= 0 ? '+' : ''}${inUse.toFixed(2)} MB (target < 20 MB)`);
      console.log(`event vs floor on ${event}: ${(r.ms! / ef.ms!).toFixed(2)} × (${secs(r.ms!)} s / ${secs(ef.ms!)} s)`);
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
