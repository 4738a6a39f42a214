/**
 * The demo city in a fresh database of the test's engine: imported once per test file into a SQLite file
 * (the importer's own path, as `npm start` loads it), then copied onto the engine (src/store/copy.ts keeps
 * every id), so a file's tests do not import it again for each database.
 */
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Engine } from '../../src/store/sql.ts';
import type { Store } from '../../src/store/store.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { ENGINE, freshLocation, type TestLocation } from './engines.ts';

let source: Promise<TestLocation> | undefined;

async function demoSource(): Promise<TestLocation> {
  const loc = await freshLocation('sqlite');
  const store = await openStore(loc.location);
  try {
    await loadDemoCity(store, '2026-11-01T00:00:00Z');
  } finally {
    await store.close();
  }
  return loc;
}

/** A store over a fresh copy of the demo city on `engine`; drop the location when done. */
export async function demoStore(engine: Engine = ENGINE): Promise<{ loc: TestLocation; store: Store }> {
  const from = await openStore((await (source ??= demoSource())).location, { readonly: true });
  const loc = await freshLocation(engine);
  const store = await openStore(loc.location);
  try {
    await copyDatabase(from, store);
  } finally {
    await from.close();
  }
  return { loc, store };
}

/** Drops the demo source of this test file (afterAll). */
export async function dropDemoSource(): Promise<void> {
  if (source) await (await source).drop();
  source = undefined;
}
