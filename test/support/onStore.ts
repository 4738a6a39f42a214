/**
 * A store over the database a test holds as a SQLite handle or a location, for one call: the tests that
 * still seed and read through the synchronous floor call the ported services this way.
 */
import type { Db } from '../../src/db/open.ts';
import { fileOf } from '../../src/db/floor.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';

export async function onStore<T>(at: Db | string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(typeof at === 'string' ? at : fileOf(at));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
