/**
 * The synchronous SQLite handle the tests keep beside the store (to inspect a file directly, and as the
 * floor of the benches): where a handle is open, and closing it.
 */
import type { Db } from './open.ts';

/** The file a handle is open on. */
export function fileOf(db: Db): string {
  return db.$client.name;
}

export function closeDb(db: Db): void {
  db.$client.close();
}
