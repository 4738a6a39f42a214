/**
 * Province benchmark (issue: a province on PostgreSQL): a generated province's nights on PostgreSQL, shared
 * by 1 and by 2 processes (the coordinating night alone, or with one `huxin worker night` beside it),
 * beside the floor measured in the same run. The steps run one after another on one copy of the province
 * (copying it into PostgreSQL is the slow part on a small machine): by default the first night with 2
 * processes, then a full night with 1 and one with 2.
 *
 *   npx tsx scripts/bench-province.ts [--projects 10000] [--workers 20] [--months 6] [--steps first:2,full:1,full:2,full:1:50] [--chunk 10] [--pg URL] [--city PATH]
 *
 * city      generated once into a SQLite file (scripts/city-generator.ts; --city keeps it), then copied into a
 *           fresh PostgreSQL database (src/store/copy.ts) and analysed
 * floor     one SQL pass over PostgreSQL summing net due and payments per worker-month (scripts/floor.ts's query)
 * first     the first night: every project evaluated, facts read from the rows (snapshots written), every
 *           finding stored
 * full      `--full` the next day: every project evaluated again, facts from the snapshots, differences only
 * Each night's coordinator runs in a child process; the workers are `node bin/huxin.mjs worker night`
 * processes (from the sources), started before the night and stopped after it. Peak RSS is each
 * process's own (the coordinator's sampler; a worker's VmHWM read before it is stopped). Without --pg a
 * throwaway server is started the way the tests start one (test/support/pgServer.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { addDays, isoDate, type IsoDate } from '../src/domain/date.ts';
import { runNight } from '../src/services/night/run.ts';
import { paramsOfStore } from '../src/services/params.ts';
import { paramsVersionOf } from '../src/services/recompute.ts';
import { openStore } from '../src/store/open.ts';
import { startPgServer } from '../test/support/pgServer.ts';
import { ensureCity, FLOOR_SQL, machineLine, peakRss } from './floor.ts';
import { cityIntoPostgres } from './pg-city.ts';

const SELF = fileURLToPath(import.meta.url);
const ROOT = resolve(SELF, '../..');
const FIRST = isoDate('2026-12-02');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The floor on PostgreSQL: scripts/floor.ts's one pass, through a cursor. */
async function pgFloor(url: string, asOf: IsoDate): Promise<Record<string, number>> {
  const store = await openStore(url);
  const stop = peakRss();
  const t0 = performance.now();
  let cells = 0;
  let arrears = 0;
  for await (const batch of store.sql.batches<[number, number]>(FLOOR_SQL, [asOf], 10_000)) {
    for (const [net, paid] of batch) {
      cells++;
      if (paid < net) arrears += net - paid;
    }
  }
  const ms = performance.now() - t0;
  await store.close();
  return { ms, cells, arrearsFen: arrears, rssMb: stop() };
}

/** One night, coordinated by this (child) process with the parameters a worker reads for itself. */
async function night(url: string, asOf: IsoDate, mode: 'full' | 'incremental', chunkSize: number): Promise<Record<string, unknown>> {
  const store = await openStore(url);
  const params = await paramsOfStore(store);
  const stop = peakRss();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await runNight(store, { asOf, now: `${asOf}T18:00:00.000Z`, params, paramsVersion: paramsVersionOf(params), mode, chunkSize, clock: () => new Date().toISOString(), pollMs: 100 });
  const ms = performance.now() - t0;
  await store.close();
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, pid: process.pid, evaluated: s.evaluatedCount, projects: s.projectCount, changed: s.changedCount, opened: s.opened, closed: s.closed, timings: s.timings, workers: s.workers, rssMb: stop() };
}

function child(args: string[]): Record<string, unknown> {
  const out = spawnSync(process.execPath, ['--import', 'tsx', SELF, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${args.join(' ')} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

function startWorker(url: string): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'bin/huxin.mjs'), 'worker', 'night', '--db', url, '--poll', '0.1'], {
    cwd: ROOT,
    env: { ...process.env, HUXIN_FROM_SOURCE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A process's peak RSS so far (VmHWM), in MB. */
function peakOf(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** A process's CPU time so far (user + system), in ms (/proc/PID/stat, clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The PostgreSQL server's CPU time so far, in ms: its postmaster's own and that of every backend it has
 * reaped (cutime, cstime) plus the backends still running — the database's share of a night.
 */
async function serverCpu(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const backend = Number((await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const statOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const postmaster = Number(statOf(backend)[1]);
  await c.end();
  const pm = statOf(postmaster);
  let ticks = Number(pm[11]) + Number(pm[12]) + Number(pm[13]) + Number(pm[14]);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === backend) continue;
    try {
      const st = statOf(Number(name));
      if (Number(st[1]) === postmaster) ticks += Number(st[11]) + Number(st[12]);
    } catch {
      /* gone meanwhile */
    }
  }
  return ticks * 10;
}

async function stopWorker(w: ChildProcess): Promise<{ rssMb: number; cpuMs: number; out: string }> {
  let out = '';
  w.stdout!.on('data', (b) => (out += b));
  const rssMb = peakOf(w.pid!);
  const cpuMs = cpuOf(w.pid!);
  const closed = new Promise((r) => w.once('close', r));
  w.kill('SIGTERM');
  await closed;
  return { rssMb, cpuMs, out };
}

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
const secs = (ms: number): string => (ms / 1000).toFixed(1);

const step = option('step');
if (step) {
  const url = option('db')!;
  const result = step === 'floor' ? await pgFloor(url, FIRST) : await night(url, isoDate(option('on')!), step === 'night' ? 'incremental' : 'full', Number(option('chunk') ?? 50));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const projects = Number(option('projects') ?? 10_000);
  const workersPer = Number(option('workers') ?? 20);
  const months = Number(option('months') ?? 6);
  // what to run, in order, on one copy of the province: kind:processes[:projects per chunk]
  const steps = (option('steps') ?? 'first:2,full:1,full:2').split(',').map((x) => x.split(':'));
  const chunk = option('chunk') ?? '10';
  const dir = mkdtempSync(join(tmpdir(), 'huxin-bench-province-'));
  const city = option('city') ?? join(dir, 'province.db');
  const given = option('pg');
  const server = given ? { url: given, how: '--pg', stop: async () => {} } : await startPgServer();
  try {
    console.log(machineLine(`PostgreSQL: ${server.how}`));
    ensureCity(city, projects, workersPer, months);
    // one copy of the province: the first night, then full nights, each with the given number of processes
    const { url, rows, ms: copyMs } = await cityIntoPostgres(city, server.url, 'huxin_province');
    console.log(`copied ${rows} rows into PostgreSQL in ${secs(copyMs)} s, load ${load()}`);
    const f = child(['--step', 'floor', '--db', url]);
    console.log(`floor        ${secs(f.ms as number)} s  ${f.cells} worker-months  peak ${f.rssMb} MB  load ${load()}`);
    let day = FIRST;
    for (const [label, count, size] of steps) {
      const n = Number(count);
      const workers = Array.from({ length: n - 1 }, () => startWorker(url));
      const db0 = await serverCpu(url);
      const r = child(['--step', label!, '--db', url, '--on', day, '--chunk', size ?? chunk]);
      const stopped = await Promise.all(workers.map(stopWorker));
      // the backends of the night's connections are reaped (and counted) once they have gone
      await new Promise((res) => setTimeout(res, 500));
      const dbCpu = (await serverCpu(url)) - db0;
      const ms = r.ms as number;
      const evalS = (r.timings as { evaluateMs: number }).evaluateMs / 1000;
      const per = (r.workers as { worker: string; chunks: number; projects: number }[]).map((w) => {
        const pid = Number(w.worker.split(':')[1]);
        const wi = workers.findIndex((x) => x.pid === pid);
        const me = pid === (r.pid as number);
        const rss = me ? (r.rssMb as number) : wi >= 0 ? stopped[wi]!.rssMb : NaN;
        // a worker's CPU includes its start-up (tsx compiling the sources) and its idle polling
        const cpu = me ? (r.cpuMs as number) : wi >= 0 ? stopped[wi]!.cpuMs : NaN;
        return `${me ? 'coordinator' : `worker ${pid}`}: ${w.projects} projects in ${w.chunks} chunks (${(w.projects / evalS).toFixed(1)}/s), CPU ${secs(cpu)} s (${(cpu / w.projects).toFixed(1)} ms/project), peak ${rss} MB`;
      });
      const t2 = r.timings as { planMs: number; evaluateMs: number; writeMs: number };
      console.log(
        `${`${label} ${day}`.padEnd(12)} ${n} process${n > 1 ? 'es' : ''}, chunks of ${size ?? chunk}: ${secs(ms)} s (${(ms / (f.ms as number)).toFixed(1)} × floor; plan ${secs(t2.planMs)}, evaluate+stage ${secs(t2.evaluateMs)}, apply ${secs(t2.writeMs)})  ` +
          `${r.evaluated}/${r.projects} evaluated, ${r.changed} changed, +${r.opened}/−${r.closed} versions  ${((r.evaluated as number) / (ms / 1000)).toFixed(1)} projects/s  load ${load()}`,
      );
      for (const line of per) console.log(`             ${line}`);
      console.log(`             PostgreSQL server: CPU ${secs(dbCpu)} s (${(dbCpu / (r.evaluated as number)).toFixed(1)} ms/project)`);
      day = addDays(day, 1);
    }
  } finally {
    await server.stop();
    if (!option('city')) rmSync(dir, { recursive: true, force: true });
  }
}
