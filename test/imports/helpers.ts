/** Shared by the import tests: a real SQLite file per test in a temp dir, and fixture paths. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type Db } from '../../src/db/open.ts';
import { importFile } from '../../src/imports/service.ts';
import type { ImportKind, ImportOutcome } from '../../src/imports/types.ts';

export const CASES = resolve(import.meta.dirname, '../../fixtures/import-cases');
export const DEMO = resolve(import.meta.dirname, '../../fixtures/demo');
export const NOW = '2026-11-28T09:30:00+08:00';

export interface TestDb {
  readonly db: Db;
  close(): void;
}

export function tempDb(): TestDb {
  const dir = mkdtempSync(join(tmpdir(), 'huxin-import-'));
  const db = openDatabase(join(dir, 'huxin.db'));
  return {
    db,
    close() {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function importCase(db: Db, kind: ImportKind, file: string, dir = CASES): Promise<ImportOutcome> {
  return importFile(db, { kind, fileName: file, source: { path: join(dir, file) }, actor: 'test:clerk', now: NOW });
}

export function importBuffer(db: Db, kind: ImportKind, text: string | Buffer, fileName = 'upload.csv'): Promise<ImportOutcome> {
  const buffer = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return importFile(db, { kind, fileName, source: { buffer }, actor: 'test:api', now: NOW });
}

const FACT_TABLES = [
  'import_batches',
  'employers',
  'projects',
  'workers',
  'roster_entries',
  'payroll_rows',
  'payments',
  'account_transactions',
  'deposit_events',
  'audit_log',
] as const;

/** Row counts of every table an import writes, to prove a rejected or duplicate import wrote nothing. */
export function tableCounts(db: Db): Record<string, number> {
  return Object.fromEntries(
    FACT_TABLES.map((t) => [t, (db.$client.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
  );
}

/** Asserts an outcome's status and narrows it. */
export function expectStatus<S extends ImportOutcome['status']>(
  outcome: ImportOutcome,
  status: S,
): Extract<ImportOutcome, { status: S }> {
  if (outcome.status !== status) {
    throw new Error(`expected ${status}, got ${outcome.status}: ${JSON.stringify(outcome, null, 1).slice(0, 3000)}`);
  }
  return outcome as Extract<ImportOutcome, { status: S }>;
}

/** Base data most tests need: the two test projects and their roster. */
export async function withBase(db: Db): Promise<void> {
  expectStatus(await importCase(db, 'projects', 'projects.csv'), 'imported');
  expectStatus(await importCase(db, 'roster', 'roster.csv'), 'imported');
}

export function rows<T = Record<string, unknown>>(db: Db, sql: string, ...params: unknown[]): T[] {
  return db.$client.prepare(sql).all(...params) as T[];
}
