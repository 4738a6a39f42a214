/**
 * For tests that still hold a legacy handle (src/db) and call a service already behind the store (the
 * importer, the demo city): a store over the same database file, opened for the call and closed after.
 */
import type { Db } from './floor/open.ts';
import { fileOf } from './floor/floor.ts';
import { importFile } from '../../src/imports/service.ts';
import type { ImportOutcome, ImportRequest } from '../../src/imports/types.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { openStore } from '../../src/store/open.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import type { RulesParams } from '../../src/rules/params/index.ts';
import { recompute, type RecomputeOptions, type RecomputeResult } from '../../src/services/recompute.ts';
import type { Store } from '../../src/store/store.ts';

export async function onStore<T>(at: Db | string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(typeof at === 'string' ? at : fileOf(at));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** importFile through a store over the handle's file. */
export function importOn(db: Db, req: ImportRequest): Promise<ImportOutcome> {
  return onStore(db, (s) => importFile(s, req));
}

/** loadDemoCity through a store over the handle's file. */
export function loadDemoOn(db: Db, now: string, dir?: string): ReturnType<typeof loadDemoCity> {
  return onStore(db, (s) => loadDemoCity(s, now, dir));
}

/** recompute (the night of `asOf`) through a store over the handle's file. */
export function recomputeCity(db: Db, asOf: IsoDate, now: string, params?: RulesParams, options?: RecomputeOptions): Promise<RecomputeResult> {
  return onStore(db, (s) => recompute(s, asOf, now, params, options));
}
