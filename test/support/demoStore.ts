/**
 * The demo city in a fresh database of the test's engine: loaded once into a SQLite file (the loader is
 * the SQLite floor's) and copied over with copyDatabase, as a province would move a city's data.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { freshLocation, type TestLocation } from './engines.ts';

export interface DemoStore {
  readonly store: Store;
  close(): Promise<void>;
}

export async function demoCityStore(loadedAt = '2026-11-01T00:00:00Z'): Promise<DemoStore> {
  const locations: TestLocation[] = [];
  try {
    const source = await freshLocation('sqlite');
    locations.push(source);
    const seed = await openStore(source.location);
    await loadDemoCity(seed, loadedAt);
    await seed.close();
    const loc = await freshLocation();
    locations.push(loc);
    const store = await openStore(loc.location);
    const from = await openStore(source.location, { readonly: true });
    try {
      await copyDatabase(from, store);
    } finally {
      await from.close();
    }
    return {
      store,
      async close() {
        await store.close();
        for (const l of locations) await l.drop();
      },
    };
  } catch (e) {
    for (const l of locations) await l.drop();
    throw e;
  }
}
