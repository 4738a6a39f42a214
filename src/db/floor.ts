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
