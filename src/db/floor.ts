/**
 * The synchronous SQLite floor as its remaining users outside src/db hold it (the server and the CLI pass it
 * to the routes and commands not yet behind the store): where a handle is open, and closing it. Goes with
 * the floor (docs/STORAGE.md).
 */
import type { Db } from './open.ts';

/** The file a handle is open on. */
export function fileOf(db: Db): string {
  return db.$client.name;
}

export function closeDb(db: Db): void {
  db.$client.close();
}

/**
 * A stand-in for the handle where there is none (the server on PostgreSQL): `refuse` is called the moment
 * it, or its driver connection, is used. Routes take both when they are registered; only using them fails.
 */
export function refusingFloor(refuse: () => never): Db {
  const client = new Proxy({}, { get: refuse, apply: refuse });
  return new Proxy({}, { get: (_t, key) => (key === '$client' ? client : refuse()) }) as Db;
}
