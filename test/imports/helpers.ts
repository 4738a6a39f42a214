/**
 * Shared by the import tests: a fresh database of the run's engine per test (test/support/engines.ts: a
 * SQLite file, or a PostgreSQL database of its own), opened through the store like the product does, and
 * fixture paths.
 */
import { join, resolve } from 'node:path';
import { loadCityFacts } from '../support/floor/facts.ts';
import { openDatabase } from '../support/floor/open.ts';
import { importFile } from '../../src/imports/service.ts';
import type { ImportKind, ImportOutcome } from '../../src/imports/types.ts';
import { openStore } from '../../src/store/open.ts';
import type { CityFacts } from '../../src/rules/facts.ts';
import type { Store } from '../../src/store/store.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';

export const CASES = resolve(import.meta.dirname, '../../fixtures/import-cases');
export const DEMO = resolve(import.meta.dirname, '../../fixtures/demo');
export const NOW = '2026-11-28T09:30:00+08:00';

export interface TestDb {
  readonly store: Store;
  readonly location: TestLocation;
  close(): Promise<void>;
}

export async function tempDb(): Promise<TestDb> {
  const location = await freshLocation();
  const store = await openStore(location.location);
  return {
    store,
    location,
    async close() {
      await store.close();
      await location.drop();
    },
  };
}

export function importCase(store: Store, kind: ImportKind, file: string, dir = CASES): Promise<ImportOutcome> {
  return importFile(store, { kind, fileName: file, source: { path: join(dir, file) }, actor: 'test:clerk', now: NOW });
}

export function importBuffer(store: Store, kind: ImportKind, text: string | Buffer, fileName = 'upload.csv'): Promise<ImportOutcome> {
  const buffer = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return importFile(store, { kind, fileName, source: { buffer }, actor: 'test:api', now: NOW });
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
export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of FACT_TABLES) out[t] = (await store.sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))!.n;
  return out;
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
export async function withBase(store: Store): Promise<void> {
  expectStatus(await importCase(store, 'projects', 'projects.csv'), 'imported');
  expectStatus(await importCase(store, 'roster', 'roster.csv'), 'imported');
}

/**
 * Rows of a query, the same on both engines: booleans as SQLite stores them (0/1), JSON columns as text
 * (PostgreSQL's jsonb comes back parsed; its key order is its own, so compare them parsed).
 */
export async function rows<T = Record<string, unknown>>(store: Store, sql: string, ...params: unknown[]): Promise<T[]> {
  const out = await store.sql.all<Record<string, unknown>>(sql, params);
  for (const r of out) {
    for (const [k, v] of Object.entries(r)) {
      if (typeof v === 'boolean') r[k] = v ? 1 : 0;
      else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) r[k] = JSON.stringify(v);
    }
  }
  return out as T[];
}

/** The city's facts as the rules read them, through the store (the night's reader): all projects or some. */
export async function cityFacts(store: Store, projectIds?: readonly number[]): Promise<CityFacts> {
  const ids = projectIds ?? (await store.facts.projectIndex()).map((p) => p.id).sort((a, b) => a - b);
  const projects = await store.facts.fromRows(ids);
  const injuryInsurance = await store.facts.injuryInsurance(projectIds);
  return {
    ...(injuryInsurance ? { injuryInsurance } : {}),
    projects,
    contractorHistory: await store.facts.contractorHistory([...new Set(projects.map((p) => p.contractorUscc))]),
    blacklist: await store.facts.blacklist(),
  };
}

/**
 * The same through the synchronous loader of src/db (still read by the services not yet behind the store),
 * on SQLite; on PostgreSQL, which that loader cannot read, the store's.
 */
export async function legacyFacts(t: TestDb, projectIds?: readonly number[]): Promise<CityFacts> {
  if (t.location.engine !== 'sqlite') return cityFacts(t.store, projectIds);
  const db = openDatabase(t.location.location);
  try {
    return loadCityFacts(db, projectIds);
  } finally {
    db.$client.close();
  }
}
