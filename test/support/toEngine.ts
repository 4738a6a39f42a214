/**
 * A seeded SQLite file carried onto the test's engine. Many fixtures seed a database with plain SQL on the
 * SQLite floor (test/support/floor); on the `postgres` project the seeded file is then copied into a fresh
 * PostgreSQL database with copyDatabase (as `huxin db copy` moves a city onto its province), so the same
 * test runs the product on either engine. On SQLite the file itself is the location.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCityDb } from '../../scripts/city-generator.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE, freshLocation } from './engines.ts';

export interface EngineCopy {
  /** the file (SQLite) or a postgres:// URL holding the seeded data: what --db or HUXIN_DB would hold */
  readonly location: string;
  drop(): Promise<void>;
}

export async function onTestEngine(file: string): Promise<EngineCopy> {
  if (ENGINE === 'sqlite') return { location: file, drop: async () => {} };
  const loc = await freshLocation('postgres');
  try {
    const from = await openStore(file, { readonly: true });
    try {
      const to = await openStore(loc.location);
      try {
        await copyDatabase(from, to);
      } finally {
        await to.close();
      }
    } finally {
      await from.close();
    }
  } catch (e) {
    await loc.drop();
    throw e;
  }
  return loc;
}

/**
 * What a fixture's SQLite handle becomes on PostgreSQL: any use fails, naming the fix, so that a test that
 * reads or writes the seed file after the copy cannot pass by looking at the wrong database.
 */
export function sqliteOnly<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_t, p) {
      if (p === 'then') return undefined;
      throw new Error(`${what} is the SQLite seed file; on PostgreSQL read and write through the store (t.store) or the API`);
    },
  });
}

/** A JSON column's value as read with plain SQL: text on SQLite, already parsed (jsonb) on PostgreSQL. */
export function jsonColumn<T = unknown>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/** A count(*) as read with plain SQL (PostgreSQL's bigint may arrive as text). */
export function countOf(row: { n: number | string } | undefined): number {
  return Number(row?.n ?? 0);
}

/**
 * A generated city (scripts/city-generator.ts, its fixed seed) on the test's engine, with a store open on
 * it; `close` closes the store, drops the copy and removes the file.
 */
export async function generatedCityStore(projects: number, workers: number, months: number): Promise<{ store: Store; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'huxin-city-'));
  const file = join(dir, 'city.db');
  generateCityDb(file, projects, workers, months);
  const copy = await onTestEngine(file);
  const store = await openStore(copy.location);
  return {
    store,
    async close() {
      await store.close();
      await copy.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
