/**
 * Mixed load on loopback: readers page through the review queue and project pages while imports run,
 * for a bounded time; reports errors (must be 0), throughput and latency percentiles per phase.
 *
 *   npx tsx scripts/bench-load.ts [--seconds 20] [--clients 8] [--rows 20000]
 *
 * The server runs in a child process (this script with --serve: startServer on 127.0.0.1, port 0, logs
 * off, no nightly job) on a fresh database holding the demo city (recomputed) and 20 more projects. Phases:
 *   reads only      the baseline
 *   + API imports   payroll files of --rows rows POSTed one after another to /api/v1/imports/payroll
 *                   (the importer runs on the server's own event loop)
 *   + CLI imports   the same kind of files imported by `huxin import` in another process
 * Every request is checked: a status other than 200/201, or a network error, counts as an error.
 * Exit status 1 if there was any error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src/api/start.ts';
import { createToken } from '../src/api/tokens.ts';
import { openStore } from '../src/store/open.ts';
import { openDatabase } from '../test/support/floor/open.ts';
import type { IsoDate } from '../src/domain/date.ts';
import { importFile } from '../src/imports/service.ts';
import { loadDemoCity } from '../src/services/demoCity.ts';
import { recompute } from '../src/services/recompute.ts';
import { generateCrashData } from '../test/reliability/crashHarness.ts';
import { collect, HUXIN_BIN, ROOT } from '../test/reliability/helpers.ts';

const SELF = fileURLToPath(import.meta.url);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
function textOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// --- server child ------------------------------------------------------------------------------------------
if (process.argv.includes('--serve')) {
  const server = await startServer({
    dbPath: textOption('db')!,
    host: '127.0.0.1',
    port: 0,
    logger: false,
    handleSignals: true,
    server: { limits: { importsPerMinute: 10_000, failedAuthAttempts: 10_000 } },
  });
  process.stdout.write(`LISTENING ${server.url}\n`);
} else {
  await main();
}

interface Phase {
  name: string;
  requests: number;
  errors: number;
  errorSamples: string[];
  latencies: number[];
  seconds: number;
  imports: number;
  importRows: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const seconds = option('seconds', 20);
  const clients = option('clients', 8);
  const rows = option('rows', 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'huxin-load-'));
  const dbPath = join(dir, 'huxin.db');
  let server: ChildProcess | undefined;
  try {
    // data: demo city (recomputed), 20 more projects, payroll files for the imports
    const now = new Date().toISOString();
    const db = openDatabase(dbPath);
    const store = await openStore(dbPath);
    await loadDemoCity(store, now);
    await recompute(store, '2026-11-27' as IsoDate, now);
    // distinct files for every import of both import phases (an import repeating a file is a 200 duplicate,
    // not an import): about 1.5 API imports a second were seen on the quiet machine
    const files = seconds * 4 + 8;
    const data = await generateCrashData(dir, { files, rowsPerFile: rows, projects: 20, workersPerProject: 100, firstYear: 2000 });
    const p = await importFile(store, { kind: 'projects', fileName: 'projects.csv', source: { path: data.projectsCsv }, actor: 'bench', now });
    if (p.status !== 'imported') throw new Error('projects');
    const viewer = (await createToken(store, { role: 'viewer', name: 'bench-viewer', actor: 'bench', now })).token;
    const importer = (await createToken(store, { role: 'importer', name: 'bench-importer', actor: 'bench', now })).token;
    await store.close();
    const projectCodes = (db.$client.prepare("SELECT code FROM projects WHERE code LIKE 'XT-%' ORDER BY code").all() as { code: string }[]).map((r) => r.code);
    const months = (db.$client.prepare("SELECT DISTINCT month FROM payroll_rows ORDER BY month DESC LIMIT 3").all() as { month: string }[]).map((r) => r.month);
    db.$client.close();

    server = spawn(process.execPath, ['--import', 'tsx', SELF, '--serve', '--db', dbPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server!.stdout!.on('data', (d) => {
        out += d;
        const m = /LISTENING (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server!.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`not loopback: ${url}`);

    const readUrls = [
      '/api/v1/flags?pageSize=50',
      '/api/v1/flags?pageSize=50&page=2&severity=high',
      '/api/v1/projects?sort=risk',
      ...projectCodes.map((c) => `/api/v1/projects/${c}`),
      ...projectCodes.slice(0, 4).flatMap((c) => months.map((m) => `/api/v1/projects/${c}/ledger/${m}`)),
    ];
    let fileIndex = 0;
    /** the next file never imported before, or undefined once all were used (the importer then stops) */
    const nextFile = (): string | undefined => data.payrollFiles[fileIndex++];

    const runPhase = async (name: string, importer_: ((stop: () => boolean, phase: Phase) => Promise<void>) | null, phaseSeconds: number): Promise<Phase> => {
      const phase: Phase = { name, requests: 0, errors: 0, errorSamples: [], latencies: [], seconds: phaseSeconds, imports: 0, importRows: 0 };
      const end = performance.now() + phaseSeconds * 1000;
      const stop = () => performance.now() >= end;
      const reader = async (k: number) => {
        for (let i = k; !stop(); i++) {
          const u = readUrls[i % readUrls.length]!;
          const t0 = performance.now();
          try {
            const r = await fetch(url + u, { headers: { authorization: `Bearer ${viewer}` } });
            await r.arrayBuffer();
            if (r.status !== 200) {
              phase.errors++;
              if (phase.errorSamples.length < 5) phase.errorSamples.push(`${r.status} ${u}`);
            }
          } catch (e) {
            phase.errors++;
            if (phase.errorSamples.length < 5) phase.errorSamples.push(`${(e as Error).message} ${u}`);
          }
          phase.latencies.push(performance.now() - t0);
          phase.requests++;
        }
      };
      await Promise.all([...Array.from({ length: clients }, (_, k) => reader(k)), importer_ ? importer_(stop, phase) : Promise.resolve()]);
      phase.latencies.sort((a, b) => a - b);
      return phase;
    };

    const apiImports = async (stop: () => boolean, phase: Phase) => {
      while (!stop()) {
        const f = nextFile();
        if (f === undefined) break;
        const r = await fetch(`${url}/api/v1/imports/payroll?fileName=${f.split('/').pop()}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${importer}`, 'content-type': 'text/csv' },
          body: readFileSync(f),
        });
        const body = await r.text();
        if (r.status !== 201) {
          phase.errors++;
          if (phase.errorSamples.length < 5) phase.errorSamples.push(`import ${r.status} ${body.slice(0, 200)}`);
        } else {
          phase.imports++;
          phase.importRows += rows;
        }
      }
    };
    const cliImports = async (stop: () => boolean, phase: Phase) => {
      while (!stop()) {
        const f = nextFile();
        if (f === undefined) break;
        const child = spawn(process.execPath, [HUXIN_BIN, 'import', 'payroll', f, '--db', dbPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        const r = await collect(child, 600_000);
        if (r.code !== 0) {
          phase.errors++;
          if (phase.errorSamples.length < 5) phase.errorSamples.push(`cli import: ${r.stderr.slice(0, 200)}`);
        } else {
          phase.imports++;
          phase.importRows += rows;
        }
      }
    };

    // warm up, then the phases
    await runPhase('warm-up', null, 2);
    const phases = [
      await runPhase('reads only', null, Math.max(3, Math.round(seconds / 4))),
      await runPhase('reads + API imports', apiImports, seconds),
      await runPhase('reads + CLI imports (other process)', cliImports, seconds),
    ];

    console.log(`loopback ${url}, ${clients} reader clients, payroll files of ${rows} rows`);
    console.log('| phase | s | requests | errors | req/s | p50 ms | p99 ms | max ms | imports (rows) |');
    console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
    let errors = 0;
    for (const ph of phases) {
      errors += ph.errors;
      const l = ph.latencies;
      console.log(
        `| ${ph.name} | ${ph.seconds} | ${ph.requests} | ${ph.errors} | ${(ph.requests / ph.seconds).toFixed(0)} | ${percentile(l, 50).toFixed(1)} | ` +
          `${percentile(l, 99).toFixed(1)} | ${(l[l.length - 1] ?? 0).toFixed(0)} | ${ph.imports} (${ph.importRows}) |`,
      );
      for (const s of ph.errorSamples) console.log(`  error: ${s}`);
    }
    console.log(`errors: ${errors}`);
    process.exitCode = errors > 0 ? 1 : 0;
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
