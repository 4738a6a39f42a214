/**
 * Crash harness: runs `node bin/huxin.mjs import payroll <file> --db X` as a child process and SIGKILLs it
 * at seeded random points, many times, checking after each kill that the database is whole: every batch
 * wholly there or wholly absent, no fact row without its batch, the engine's integrity check ok
 * (`PRAGMA integrity_check` on SQLite, amcheck on PostgreSQL). At the end every file is imported to
 * completion and checked again. X is a SQLite file or a postgres:// URL: on PostgreSQL the kill drops the
 * child's connection in the middle of its transaction, which the server must roll back.
 *
 * Where a kill lands is observed, not guessed: just before it fires, a probe connection asks whether the
 * child is inside its import transaction (writing rows, or committing) — on SQLite by trying
 * `BEGIN IMMEDIATE` with no busy wait (SQLITE_BUSY: the child holds the write lock); on PostgreSQL by
 * looking for another backend of the database whose transaction has written (pg_stat_activity.backend_xid).
 *
 * Used by test/reliability/crash.test.ts (a short run) and scripts/crash-import.ts (a long run with figures).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { creditCode, csvLine, identityNumber, int, rng as fixtureRng, yuan } from '../../scripts/fixture-values.ts';
import { importFile } from '../../src/imports/service.ts';
import { isPostgresUrl, openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { checkBatchesOn, collect, HUXIN_BIN, ROOT, rng, type CliRun } from './helpers.ts';

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗';
const GIVEN = '建国志春秋永长海立玉德振保金铁俊晓文明树广新秀桂淑丽凤云红卫小军强刚伟杰涛鹏超浩亮斌辉平华';

function nameOf(seq: number): string {
  return SURNAMES[seq % SURNAMES.length]! + GIVEN[Math.floor(seq / SURNAMES.length) % GIVEN.length]! + GIVEN[Math.floor(seq / 400) % GIVEN.length]!;
}

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

export interface CrashData {
  readonly projectsCsv: string;
  /** payroll files, each a different set of months (so each is its own batch) */
  readonly payrollFiles: readonly string[];
  readonly rowsPerFile: number;
}

/** A projects file and `files` payroll files of `rowsPerFile` rows each (workers × months). */
export async function generateCrashData(dir: string, opts: { files: number; rowsPerFile: number; projects?: number; workersPerProject?: number; firstYear?: number }): Promise<CrashData> {
  const r = fixtureRng(7);
  const projects = opts.projects ?? 50;
  const perProject = opts.workersPerProject ?? 100;
  const firstYear = opts.firstYear ?? 2016;
  const owner = creditCode(r, '91', '130500');
  const contractor = creditCode(r, '91', '130503');
  const codes = Array.from({ length: projects }, (_, i) => `CRASH-${String(i + 1).padStart(3, '0')}`);
  const projectsCsv = join(dir, 'projects.csv');
  await writeLines(projectsCsv, [
    '项目编号,项目名称,所属区县,建设单位,建设单位信用代码,施工总承包单位,总承包单位信用代码,合同金额,开工日期',
    ...codes.map((c) => csvLine([c, `崩溃测试项目${c}`, '信都区', '测试建设单位', owner, '测试总承包单位', contractor, '10000000', `${firstYear - 1}-12-01`])),
  ]);
  const workers = Array.from({ length: projects * perProject }, (_, seq) => ({
    project: codes[Math.floor(seq / perProject)]!,
    name: nameOf(seq),
    id: identityNumber('130503', `19${70 + (seq % 30)}-${String(1 + (seq % 12)).padStart(2, '0')}-${String(1 + (Math.floor(seq / 12) % 28)).padStart(2, '0')}`, Math.floor(seq / 336) % 1000),
  }));
  const monthsPerFile = Math.ceil(opts.rowsPerFile / workers.length);
  const payrollFiles: string[] = [];
  for (let f = 0; f < opts.files; f++) {
    const path = join(dir, `payroll-${f + 1}.csv`);
    function* rows(): Generator<string> {
      yield '项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,代扣款项,实发工资,本人确认';
      for (let i = 0; i < opts.rowsPerFile; i++) {
        const w = workers[i % workers.length]!;
        const m = f * monthsPerFile + Math.floor(i / workers.length);
        const month = `${firstYear + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
        const days = int(r, 1800, 2600);
        const gross = 300 * days;
        yield `${w.project},${month},${w.name},${w.id},${days / 100},${yuan(gross)},,${yuan(gross)},是`;
      }
    }
    await writeLines(path, rows());
    payrollFiles.push(path);
  }
  return { projectsCsv, payrollFiles, rowsPerFile: opts.rowsPerFile };
}

export function spawnImport(dbPath: string, file: string): { child: ReturnType<typeof spawn>; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [HUXIN_BIN, 'import', 'payroll', file, '--db', dbPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return { child, done: collect(child, 300_000) };
}

/** Watches from another connection whether the child is inside its import transaction. */
interface TxProbe {
  /** true when the child is inside its write transaction */
  writerActive(): Promise<boolean>;
  /**
   * Waits until the killed child has left the database: on PostgreSQL its backend goes on until it notices
   * the dropped connection (a COMMIT already received still completes), so what it leaves is read after.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

async function openProbe(location: string): Promise<TxProbe> {
  if (isPostgresUrl(location)) {
    const c = new pg.Client({ connectionString: location });
    await c.connect();
    const others = async (where: string) =>
      Number(
        (await c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND ${where}`))
          .rows[0]!.n,
      );
    return {
      writerActive: async () => (await others('backend_xid IS NOT NULL')) > 0,
      async settle() {
        const deadline = performance.now() + 30_000;
        while ((await others('true')) > 0) {
          if (performance.now() > deadline) throw new Error('the killed import still has a backend after 30 s');
          await sleep(10);
        }
      },
      close: () => c.end(),
    };
  }
  const probe = new Database(location);
  probe.pragma('busy_timeout = 0');
  return {
    async writerActive() {
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
        return false;
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_BUSY') return true;
        throw e;
      }
    },
    // a killed process holds nothing: SQLite's locks and its hot journal go with it
    settle: async () => {},
    close: async () => void probe.close(),
  };
}

async function onLocation<T>(location: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(location);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CrashFigures {
  /** rounds run: an import started and a kill fired at it (some finish first) */
  rounds: number;
  /** imports that were still running when SIGKILL came */
  kills: number;
  /** kills that landed while the child held the write lock (inside the import transaction) */
  killsInTransaction: number;
  /** kills after which the file's batch was found committed (the kill came after COMMIT) */
  committedBeforeKill: number;
  /** kills after which the file's batch was absent */
  absentAfterKill: number;
  /** checks of the whole database after a kill (each must be whole) */
  checks: number;
  /** files imported afresh after the kills (the others were committed before their kill) */
  reimported: number;
  batchesAtEnd: number;
  rowsAtEnd: number;
  /** a clean import of one file, for scale */
  cleanImportMs: number;
  failures: string[];
}

/**
 * Imports the projects in-process, times one clean payroll import, then for `kills` rounds: spawns an
 * import of one of the payroll files, waits until it holds the write lock (or a seeded random moment for
 * `startupKills` of them), waits a seeded random part of a clean import's duration, SIGKILLs it, and checks
 * the database. Finally imports every file to completion and checks again.
 */
export async function runCrashCampaign(opts: {
  /** a SQLite file or a postgres:// URL */
  dbPath: string;
  data: CrashData;
  kills: number;
  seed: number;
  log?: (line: string) => void;
  /** stop starting new rounds after this time (ms since start) */
  budgetMs?: number;
}): Promise<CrashFigures> {
  const log = opts.log ?? (() => {});
  const random = rng(opts.seed);
  const failures: string[] = [];
  const p = await onLocation(opts.dbPath, (s) =>
    importFile(s, { kind: 'projects', fileName: 'projects.csv', source: { path: opts.data.projectsCsv }, actor: 'crash', now: new Date().toISOString() }),
  );
  if (p.status !== 'imported' && p.status !== 'duplicate') throw new Error(`projects rejected: ${JSON.stringify(p).slice(0, 500)}`);

  const files = opts.data.payrollFiles;
  // a clean import of the last file, timed from the moment it holds the write lock to its exit: the scale
  // of the kill window (the campaign kills the others)
  const cleanProbe = await openProbe(opts.dbPath);
  const t0 = performance.now();
  const cleanRun = spawnImport(opts.dbPath, files[files.length - 1]!);
  let txStart = 0;
  while (cleanRun.child.exitCode === null && txStart === 0) {
    if (await cleanProbe.writerActive()) txStart = performance.now();
    else await sleep(5);
  }
  await cleanProbe.close();
  const clean = await cleanRun.done;
  const cleanImportMs = performance.now() - t0;
  const txMs = Math.max(50, performance.now() - (txStart || t0));
  if (clean.code !== 0) throw new Error(`clean import failed: ${clean.stderr}`);
  log(`clean import of ${opts.data.rowsPerFile} rows: ${cleanImportMs.toFixed(0)} ms, ${txMs.toFixed(0)} ms of it in the transaction (${clean.stdout.trim()})`);

  const fig: CrashFigures = { rounds: 0, kills: 0, killsInTransaction: 0, committedBeforeKill: 0, absentAfterKill: 0, reimported: 0, checks: 0, batchesAtEnd: 0, rowsAtEnd: 0, cleanImportMs, failures };
  const started = performance.now();
  const pending = files.slice(0, -1);
  for (let k = 0; k < opts.kills; k++) {
    if (opts.budgetMs !== undefined && performance.now() - started > opts.budgetMs) break;
    // a file not imported yet (a kill after COMMIT leaves its file imported; the next round takes another)
    const file = pending[0];
    if (!file) break;
    const probe = await openProbe(opts.dbPath);
    const { child, done } = spawnImport(opts.dbPath, file);
    let inTx = false;
    let run: CliRun;
    try {
      if (random() < 0.15) {
        // anywhere, startup included
        await sleep(random() * (cleanImportMs - txMs));
      } else {
        // inside the transaction: wait for the write lock, then a random part of a transaction's length
        // (the last tenth past its expected end, so some kills fall during or just after COMMIT)
        const deadline = performance.now() + cleanImportMs * 3;
        while (!(await probe.writerActive()) && performance.now() < deadline && child.exitCode === null) await sleep(5);
        await sleep(random() * txMs * 1.1);
      }
      inTx = child.exitCode === null && (await probe.writerActive());
      child.kill('SIGKILL');
      run = await done;
      await probe.settle();
    } finally {
      await probe.close();
    }
    fig.rounds++;
    if (run.signal === 'SIGKILL') fig.kills++;
    if (inTx) fig.killsInTransaction++;

    await onLocation(opts.dbPath, async (after) => {
      const check = await checkBatchesOn(after.sql);
      fig.checks++;
      const committed = (await after.sql.get<{ n: number }>("SELECT count(*) AS n FROM import_batches WHERE kind = 'payroll' AND file_name = ?", [file.split('/').pop()]))!;
      if (committed.n > 0) {
        fig.committedBeforeKill++;
        pending.shift();
      } else fig.absentAfterKill++;
      // and every payroll batch is a whole file: the row count the file has, not only the one it recorded
      const short = await after.sql.all<{ id: number; f: string; n: number }>(
        "SELECT id, file_name AS f, row_count AS n FROM import_batches WHERE kind = 'payroll' AND row_count <> ?",
        [opts.data.rowsPerFile],
      );
      const bad = check.integrity !== 'ok' || check.partial.length > 0 || check.orphans > 0 || short.length > 0;
      if (bad) failures.push(`round ${k + 1}: ${JSON.stringify({ ...check, short })}`);
      log(
        `round ${k + 1}: ${run.signal ?? `exit ${run.code}`}${inTx ? ' inside the import transaction' : ''}; ` +
          `${committed.n > 0 ? 'batch committed' : 'batch absent'}; batches ${check.batches}, partial ${check.partial.length}, orphans ${check.orphans}, integrity ${check.integrity}`,
      );
    });
  }

  // every file imports to completion afterwards (a new batch, or "duplicate" when a kill came after COMMIT),
  // in-process: the same importer the CLI runs, without a child's start-up time per file
  await onLocation(opts.dbPath, async (re) => {
    for (const file of files) {
      const o = await importFile(re, { kind: 'payroll', fileName: file.split('/').pop()!, source: { path: file }, actor: 'crash', now: new Date().toISOString() });
      if (o.status === 'rejected') failures.push(`re-import of ${file} rejected: ${JSON.stringify(o.problems.slice(0, 3))}`);
      else fig.reimported += o.status === 'imported' ? 1 : 0;
    }
  });
  await onLocation(opts.dbPath, async (end) => {
    const check = await checkBatchesOn(end.sql);
    if (check.integrity !== 'ok' || check.partial.length > 0 || check.orphans > 0) failures.push(`final: ${JSON.stringify(check)}`);
    const perFile = await end.sql.all<{ f: string; n: number; rows: number }>(
      "SELECT file_name AS f, count(*) AS n, sum(row_count) AS rows FROM import_batches WHERE kind = 'payroll' GROUP BY file_name",
    );
    for (const file of files) {
      const name = file.split('/').pop();
      const row = perFile.find((x) => x.f === name);
      if (!row || Number(row.n) !== 1 || Number(row.rows) !== opts.data.rowsPerFile) failures.push(`final: ${name} has ${JSON.stringify(row)} (want one batch of ${opts.data.rowsPerFile} rows)`);
    }
    fig.batchesAtEnd = check.batches;
    fig.rowsAtEnd = Number((await end.sql.get<{ n: number }>('SELECT count(*) AS n FROM payroll_rows'))!.n);
  });
  return fig;
}
