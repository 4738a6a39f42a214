/**
 * Import benchmark: how close is importFile to the floors it is built on, and does memory stay flat?
 *
 *   npx tsx scripts/bench-import.ts [--rows 1000000] [--sizes 200000,1000000] [--repeat 1] [--postgres [URL]] [--built]
 *   npx tsx scripts/bench-import.ts --generate-only DIR [--rows N]   (data only, for profiling)
 *
 * For each file size it generates (deterministically) a payroll CSV plus the projects and roster it refers
 * to, then measures, each in a fresh child process so peak RSS is the measurement's own:
 *   floor 1  csv-parse alone over the file (records/s)
 *   floor 2  better-sqlite3 prepared inserts of the same number of payroll rows in one transaction,
 *            into a migrated database (same indexes as the importer writes into)
 *   import   importFile end to end: hash, decode, parse, validate every cell, check the roster name,
 *            supersede, insert, commit
 * With --postgres the importer runs once more into PostgreSQL (COPY): a database of its own on the server at
 * URL (one to the `postgres` maintenance database), or on a throwaway server (test/support/pgServer.ts) when
 * no URL is given; the floors stay SQLite's. Peak RSS is sampled every 20 ms (this process, not the server's). Output is a Markdown table (paste it into docs/PERFORMANCE.md).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../test/support/floor/open.ts';
import type { importFile } from '../src/imports/service.ts';
import type { openStore } from '../src/store/open.ts';
import { BULK_CACHE_KIB } from '../src/store/sqlite/database.ts';
import { cardNumber, creditCode, csvLine, identityNumber, int, rng, yuan } from './fixture-values.ts';

const SELF = fileURLToPath(import.meta.url);

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Measure {
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
  };
}

// --- data ------------------------------------------------------------------------------------------------
const PROJECTS = 200;
const WORKERS_PER_PROJECT = 100;

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  let buf: string[] = [];
  for (const line of lines) {
    buf.push(line);
    if (buf.length >= 5000) {
      if (!out.write(buf.join('\r\n') + '\r\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = [];
    }
  }
  if (buf.length) out.write(buf.join('\r\n') + '\r\n');
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗';
const GIVEN1 = '建国志春秋永长海立玉德振保金铁俊晓文明树广新秀桂淑丽凤云红卫小';
const GIVEN2 = '军强刚伟杰涛鹏超浩亮斌辉平华林明东生福江英兰芬娟霞山峰波勇磊龙飞成';

/** A distinct Chinese name per sequence number (names with digits are rejected by the importer). */
function benchName(seq: number): string {
  const s = SURNAMES[seq % SURNAMES.length]!;
  const a = GIVEN1[Math.floor(seq / SURNAMES.length) % GIVEN1.length]!;
  const b = GIVEN2[Math.floor(seq / SURNAMES.length / GIVEN1.length) % GIVEN2.length]!;
  return s + a + b;
}

interface Entry {
  readonly project: string;
  readonly name: string;
  readonly id: string;
}

const projectCodes = Array.from({ length: PROJECTS }, (_, i) => `BENCH-${String(i + 1).padStart(4, '0')}`);

/** The roster entries of the benchmark city: the same list in the generator and in the insert floor. */
function benchEntries(): Entry[] {
  const entries: Entry[] = [];
  let seq = 0;
  for (const project of projectCodes) {
    for (let w = 0; w < WORKERS_PER_PROJECT; w++, seq++) {
      const birth = `19${70 + (seq % 30)}-${String(1 + (seq % 12)).padStart(2, '0')}-${String(1 + (Math.floor(seq / 12) % 28)).padStart(2, '0')}`;
      entries.push({ project, name: benchName(seq), id: identityNumber('130503', birth, Math.floor(seq / 336) % 1000) });
    }
  }
  return entries;
}

/** Payroll row i is roster entry i mod n in month ⌊i / n⌋ counted from 2020-01. */
function benchMonth(i: number, n: number): string {
  const m = Math.floor(i / n);
  return `${2020 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
}

/** projects.csv, roster.csv and payroll.csv of `rows` rows. */
async function generate(dir: string, rows: number): Promise<void> {
  const r = rng(42);
  const owner = creditCode(r, '91', '130500');
  const contractor = creditCode(r, '91', '130503');
  await writeLines(join(dir, 'projects.csv'), [
    '项目编号,项目名称,所属区县,建设单位,建设单位信用代码,施工总承包单位,总承包单位信用代码,合同金额,开工日期',
    ...projectCodes.map((code) => csvLine([code, `基准测试项目${code}`, '信都区', '基准建设单位', owner, '基准总承包单位', contractor, '10000000', '2019-12-01'])),
  ]);
  const entries = benchEntries();
  await writeLines(join(dir, 'roster.csv'), [
    '项目编号,姓名,身份证号,用工单位,用工单位信用代码,进场日期,计薪方式,工资标准,银行卡号',
    ...entries.map((e) => csvLine([e.project, e.name, e.id, '基准总承包单位', contractor, '2020-01-01', '日薪', '300', cardNumber(r, '622202')])),
  ]);
  function* payroll(): Generator<string> {
    yield '项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,代扣款项,实发工资,本人确认';
    for (let i = 0; i < rows; i++) {
      const e = entries[i % entries.length]!;
      const month = benchMonth(i, entries.length);
      const days = int(r, 1800, 2600);
      const gross = 300 * days;
      const deductions = i % 10 === 0 ? 10_000 : 0;
      yield `${e.project},${month},${e.name},${e.id},${days / 100},${yuan(gross)},${deductions ? yuan(deductions) : ''},${yuan(gross - deductions)},是`;
    }
  }
  await writeLines(join(dir, 'payroll.csv'), payroll());
}

// --- child measurements ----------------------------------------------------------------------------------
async function floorCsv(dir: string): Promise<Measure> {
  const peak = rssSampler();
  const t0 = process.hrtime.bigint();
  let rows = 0;
  const parser = createReadStream(join(dir, 'payroll.csv'), { highWaterMark: 256 * 1024 }).pipe(
    parse({ relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'], on_record: () => (rows++, null) }),
  );
  parser.resume();
  await new Promise((resolve, reject) => parser.on('end', resolve).on('error', reject));
  return { rows: rows - 1, seconds: Number(process.hrtime.bigint() - t0) / 1e9, peakRssMb: peak() };
}

async function floorSqlite(dir: string, rows: number): Promise<Measure> {
  const db = openDatabase(join(dir, 'floor.db'));
  const client = db.$client;
  client.pragma(`cache_size = -${BULK_CACHE_KIB}`); // the page cache an import's transaction gets, for a fair floor
  const peak = rssSampler();
  const t0 = process.hrtime.bigint();
  const insert = client.prepare(
    `INSERT INTO payroll_rows (project_id, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen,
       worker_confirmed, batch_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // the same (project, month, identity number, name) as the file's rows, in the same order: index inserts
  // land where the importer's land, so the floor is a fair one
  const entries = benchEntries();
  const projectId = new Map(projectCodes.map((code, i) => [code, i + 1]));
  client.exec('BEGIN IMMEDIATE');
  for (let i = 0; i < rows; i++) {
    const e = entries[i % entries.length]!;
    insert.run(projectId.get(e.project), benchMonth(i, entries.length), e.id, e.name, 2200, 660000, 0, 660000, 1, 1, i + 2);
  }
  client.exec('COMMIT');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  client.close();
  return { rows, seconds, peakRssMb: peak() };
}

/** A fresh database on the PostgreSQL server at `server`, dropped by the returned function. */
async function freshPgDatabase(server: string): Promise<{ url: string; drop: () => Promise<void> }> {
  // loaded here only: the SQLite measurements' memory must not include the PostgreSQL driver
  const [{ default: pg }, { databaseUrl }] = await Promise.all([import('pg'), import('../test/support/pgServer.ts')]);
  const name = `huxin_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return { url: databaseUrl(server, name), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * The importer's modules: the sources through tsx, or with --built the compiled dist/ the product runs
 * (`npm run build`): tsx keeps every transpiled module's source in memory, which the product does not pay.
 */
async function importerModules(): Promise<{ importFile: typeof importFile; openStore: typeof openStore }> {
  const built = process.argv.includes('--built');
  const root = built ? new URL('../dist/', import.meta.url) : new URL('../src/', import.meta.url);
  const ext = built ? 'js' : 'ts';
  const service = (await import(new URL(`imports/service.${ext}`, root).href)) as { importFile: typeof importFile };
  const open = (await import(new URL(`store/open.${ext}`, root).href)) as { openStore: typeof openStore };
  return { importFile: service.importFile, openStore: open.openStore };
}

async function importer(dir: string, pgServer?: string): Promise<Measure> {
  const { importFile, openStore } = await importerModules();
  const pgDb = pgServer ? await freshPgDatabase(pgServer) : undefined;
  const db = await openStore(pgDb?.url ?? join(dir, 'import.db'));
  const now = '2026-11-28T00:00:00+08:00';
  for (const kind of ['projects', 'roster'] as const) {
    const o = await importFile(db, { kind, fileName: `${kind}.csv`, source: { path: join(dir, `${kind}.csv`) }, actor: 'bench', now });
    if (o.status !== 'imported') throw new Error(`${kind}: ${JSON.stringify(o).slice(0, 2000)}`);
  }
  const peak = rssSampler();
  const t0 = process.hrtime.bigint();
  const o = await importFile(db, { kind: 'payroll', fileName: 'payroll.csv', source: { path: join(dir, 'payroll.csv') }, actor: 'bench', now });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (o.status !== 'imported') throw new Error(`payroll: ${JSON.stringify(o).slice(0, 2000)}`);
  await db.close();
  await pgDb?.drop();
  return { rows: o.batch.rowCount, seconds, peakRssMb: peak() };
}

function runChild(mode: string, dir: string, rows: number, pgServer?: string): Measure {
  const args = ['--child', mode, '--dir', dir, '--rows', String(rows), ...(pgServer ? ['--pg', pgServer] : []), ...(process.argv.includes('--built') ? ['--built'] : [])];
  const res = spawnSync(process.execPath, [...process.execArgv, SELF, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`${mode} failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as Measure;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const generateOnly = option('generate-only');
  if (generateOnly) {
    // for profiling: `--generate-only DIR --rows N`, then `node --cpu-prof … --child import --dir DIR`
    await generate(generateOnly, Number(option('rows') ?? 200_000));
    return;
  }
  const child = option('child');
  if (child) {
    const dir = option('dir')!;
    const rows = Number(option('rows'));
    const m = child === 'csv' ? await floorCsv(dir) : child === 'sqlite' ? await floorSqlite(dir, rows) : await importer(dir, option('pg'));
    console.log(JSON.stringify(m));
    return;
  }
  const top = Number(option('rows') ?? 1_000_000);
  const sizes = (option('sizes') ?? `${Math.round(top / 5)},${top}`).split(',').map(Number);
  const repeat = Number(option('repeat') ?? 1);
  console.log(`machine: ${cpus().length} cpus, ${cpus()[0]?.model ?? '?'}; node ${process.version}`);
  const withPg = process.argv.includes('--postgres');
  const given = option('postgres');
  const server = withPg ? (given && !given.startsWith('--') ? { url: given, stop: async () => {} } : await (await import('../test/support/pgServer.ts')).startPgServer()) : undefined;
  const table: string[] = [
    '| rows | measurement | seconds | rows/s | peak RSS (MB) | load avg (1 min) |',
    '|---:|---|---:|---:|---:|---:|',
  ];
  for (const rows of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'huxin-bench-'));
    try {
      await generate(dir, rows);
      for (const [mode, label] of [
        ['csv', 'floor 1: csv-parse only'],
        ['sqlite', 'floor 2: prepared INSERTs only'],
        ['import', 'importFile end to end'],
        ...(server ? ([['import-pg', 'importFile end to end, PostgreSQL (COPY)']] as const) : []),
      ] as const) {
        const runs: Measure[] = [];
        const loads: number[] = [];
        for (let i = 0; i < repeat; i++) {
          rmSync(join(dir, 'floor.db'), { force: true });
          rmSync(join(dir, 'import.db'), { force: true });
          for (const ext of ['-wal', '-shm']) {
            rmSync(join(dir, `floor.db${ext}`), { force: true });
            rmSync(join(dir, `import.db${ext}`), { force: true });
          }
          runs.push(mode === 'import-pg' ? runChild('import', dir, rows, server!.url) : runChild(mode, dir, rows));
          loads.push(loadavg()[0]!); // the machine is shared: say how busy it was
        }
        const seconds = median(runs.map((m) => m.seconds));
        const rss = Math.max(...runs.map((m) => m.peakRssMb));
        const line = `| ${rows.toLocaleString('en')} | ${label} | ${seconds.toFixed(2)} | ${Math.round(rows / seconds).toLocaleString('en')} | ${rss} | ${Math.max(...loads).toFixed(1)} |`;
        table.push(line);
        console.error(line);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await server?.stop();
  console.log(table.join('\n'));
}

await main();
