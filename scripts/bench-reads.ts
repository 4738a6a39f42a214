/**
 * Reads benchmark (issue: reads that do not grow with the city): the review queue, the project API and the
 * project list of a generated city under 50 concurrent connections, beside a Fastify hello-world served the
 * same way on the same machine (the floor).
 *
 *   npx tsx scripts/bench-reads.ts [--projects 2000] [--workers 120] [--months 12] [--seconds 10] [--connections 50] [--db PATH] [--postgres [URL]]
 *
 * --postgres: the same city (generated into a SQLite file, or --db's) is copied into PostgreSQL
 * (src/store/copy.ts, as `huxin db copy`) — a database of its own on the server at URL (one to the
 * `postgres` maintenance database), or on a throwaway server (test/support/pgServer.ts) — and served from
 * there (issue: a province on PostgreSQL, "the read endpoints within the city-scale issue's targets").
 *
 * The city is generated (scripts/city-generator.ts) and its first night stored (services/recompute.ts);
 * each server runs in a child process (this script with --serve / --hello) so the load generator does not
 * share its event loop. Keep-alive connections, one request at a time each; every answer must be 200.
 * Targets (issue): p99 < 50 ms at 50 connections; the queue at ≥ 30 % of hello-world's throughput.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { startServer } from '../src/api/start.ts';
import { createToken } from '../src/api/tokens.ts';
import { openStore } from '../src/store/open.ts';
import { isoDate } from '../src/domain/date.ts';
import { recompute } from '../src/services/recompute.ts';
import { startPgServer } from '../test/support/pgServer.ts';
import { cityIntoPostgres } from './pg-city.ts';
import { ensureCity, machineLine } from './floor.ts';

const SELF = fileURLToPath(import.meta.url);
const AS_OF = isoDate('2026-12-02');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv.includes('--serve')) {
  // the per-token limit (1,200 a minute) would answer 429 to the load generator's one token
  const server = await startServer({ dbPath: option('db')!, host: '127.0.0.1', port: 0, logger: false, handleSignals: true,
    server: { limits: { failedAuthAttempts: 1_000_000, requestsPerTokenPerMinute: 1_000_000_000 } } });
  process.stdout.write(`LISTENING ${server.url}\n`);
} else if (process.argv.includes('--hello')) {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  // the same floor answering as many bytes as an endpoint does (a kept answer is bytes to send)
  const sized = new Map<number, Buffer>();
  app.get<{ Params: { n: string } }>('/bytes/:n', async (request, reply) => {
    const n = Number(request.params.n);
    let b = sized.get(n);
    if (!b) sized.set(n, (b = Buffer.from(`{"x":"${'x'.repeat(Math.max(0, n - 8))}"}`)));
    return reply.type('application/json; charset=utf-8').send(b);
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`LISTENING ${url}\n`);
} else {
  await main();
}

function serve(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

interface Result {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

/** `connections` keep-alive loops for `seconds`, each request waiting for the previous answer. */
async function load(url: string, headers: Record<string, string>, seconds: number, connections: number): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((done) => {
      const t0 = performance.now();
      const req = http.get(url, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          latencies.push(performance.now() - t0);
          done();
        });
      });
      req.on('error', () => {
        errors++;
        done();
      });
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) await one();
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99) };
}

async function main(): Promise<void> {
  const projects = Number(option('projects') ?? 2000);
  const workers = Number(option('workers') ?? 120);
  const months = Number(option('months') ?? 12);
  const seconds = Number(option('seconds') ?? 10);
  const connections = Number(option('connections') ?? 50);
  const given = option('db');
  const dir = given ? undefined : mkdtempSync(join(tmpdir(), 'huxin-bench-reads-'));
  const db = given ?? join(dir!, 'city.db');
  const load1 = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  const servers: ChildProcess[] = [];
  const wantsPg = process.argv.includes('--postgres');
  const pgGiven = wantsPg ? option('postgres') : undefined;
  const pgServer = wantsPg ? (pgGiven && pgGiven.startsWith('postgres') ? { url: pgGiven, how: pgGiven, stop: async () => {} } : await startPgServer()) : null;
  try {
    console.log(machineLine());
    ensureCity(db, projects, workers, months);
    let location = db;
    if (pgServer) {
      const copied = await cityIntoPostgres(db, pgServer.url, 'huxin_reads');
      location = copied.url;
      console.log(`PostgreSQL (${pgServer.how}): copied ${copied.rows} rows in ${(copied.ms / 1000).toFixed(1)} s`);
    }
    const setup = await openStore(location);
    const night = await recompute(setup, AS_OF, new Date().toISOString());
    console.log(`night ${AS_OF}: ${night.evaluatedCount}/${night.projectCount} projects evaluated, ${night.findingCount} flags, ${(night.timings.evaluateMs / 1000).toFixed(1)} s evaluating`);
    const token = (await createToken(setup, { role: 'viewer', name: 'bench', actor: 'bench', now: new Date().toISOString() })).token;
    const code = (await setup.sql.get<{ code: string }>('SELECT code FROM projects ORDER BY id LIMIT 1 OFFSET 7'))!.code;
    await setup.close();

    const hello = await serve(['--hello']);
    servers.push(hello.child);
    const api = await serve(['--serve', '--db', location]);
    servers.push(api.child);
    const auth = { authorization: `Bearer ${token}` };
    // the project page is read as a signed-in user reads it: a page session's cookie (pages are kept per session)
    const signIn = await fetch(`${api.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url }, body: `token=${encodeURIComponent(token)}` });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    if (signIn.status !== 303 || cookie === '') throw new Error(`sign-in: ${signIn.status}`);
    const rows: [string, Result][] = [];
    rows.push(['floor: Fastify hello-world', await load(`${hello.url}/`, {}, seconds, connections)]);
    for (const [name, path, headers] of [
      ['review queue GET /api/v1/flags?pageSize=50', '/api/v1/flags?pageSize=50', auth],
      ['project GET /api/v1/projects/{code}', `/api/v1/projects/${code}`, auth],
      ['project list GET /api/v1/projects?pageSize=50', '/api/v1/projects?pageSize=50', auth],
      ['project page GET /projects/{code} (signed in, no gzip)', `/projects/${code}`, { cookie }],
      // as a browser asks for it: the kept page is also kept gzipped (src/api/readCache.ts)
      ['project page GET /projects/{code} (signed in, Accept-Encoding: gzip)', `/projects/${code}`, { cookie, 'accept-encoding': 'gzip' }],
    ] as const) {
      rows.push([name, await load(`${api.url}${path}`, headers, seconds, connections)]);
      // the floor answers as many bytes as went over the wire (fetch unzips: the header says what was sent)
      const res = await fetch(`${api.url}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } });
      const size = Number(res.headers.get('content-length')) || (await res.arrayBuffer()).byteLength;
      rows.push([`  floor: hello-world answering the same ${(size / 1024).toFixed(0)} KB`, await load(`${hello.url}/bytes/${size}`, {}, seconds, connections)]);
    }
    // the answers above after the first are the read cache's (src/api/readCache.ts); what a read costs
    // when it must be computed — the first read after a night, an import or a review — measured by
    // committing a change from another connection before each request
    const touch = await openStore(location);
    await touch.sql.run('CREATE TABLE IF NOT EXISTS bench_touch (n INTEGER)');
    const cold: [string, number[]][] = [];
    for (const [name, path] of [
      ['review queue (computed)', '/api/v1/flags?pageSize=50'],
      ['project (computed)', `/api/v1/projects/${code}`],
      ['project list (computed)', '/api/v1/projects?pageSize=50'],
    ] as const) {
      const ms: number[] = [];
      for (let i = 0; i < 20; i++) {
        await touch.sql.run('INSERT INTO bench_touch VALUES (?)', [i]);
        const t0 = performance.now();
        const res = await fetch(`${api.url}${path}`, { headers: auth });
        await res.arrayBuffer();
        if (res.status !== 200 || res.headers.get('x-read-cache') === 'hit') throw new Error(`${path}: ${res.status} ${res.headers.get('x-read-cache')}`);
        ms.push(performance.now() - t0);
      }
      cold.push([name, ms.sort((a, b) => a - b)]);
    }
    await touch.close();
    const floor = rows[0]![1].rps;
    console.log(`\n${connections} connections, ${seconds} s each; load ${load1()}`);
    console.log('| what | requests | errors | req/s | share of floor | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|---:|');
    for (const [name, r] of rows) {
      console.log(`| ${name} | ${r.requests} | ${r.errors} | ${r.rps.toFixed(0)} | ${((100 * r.rps) / floor).toFixed(0)} % | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
    }
    console.log('\none connection, a commit from another connection before each of 20 requests (nothing kept can answer)');
    console.log('| what | p50 ms | max ms |\n|---|---:|---:|');
    for (const [name, ms] of cold) console.log(`| ${name} | ${ms[10]!.toFixed(1)} | ${ms[ms.length - 1]!.toFixed(1)} |`);
  } finally {
    for (const s of servers) s.kill('SIGTERM');
    await pgServer?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
