/**
 * Files holding personal data are the owner's alone (0600): the database with its WAL and shared memory,
 * backups, worker exports and full evidence packs (issue 15, finding 7 — they were written 0644, readable
 * by every account on the server). The mode is set on creation and again afterwards, because `mode` only
 * applies when a file is created and SQLite follows the umask.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const PRIVATE_MODE = 0o600;

/** Writes a file readable by its owner only, whether or not it existed before. */
export function writePrivateFile(path: string, data: string | Buffer): void {
  writeFileSync(path, data, { mode: PRIVATE_MODE });
  chmodSync(path, PRIVATE_MODE);
}

/** Sets 0600 on the files that exist among `paths`. */
export function makePrivate(...paths: string[]): void {
  for (const p of paths) {
    try {
      chmodSync(p, PRIVATE_MODE);
    } catch {
      /* not there (yet) */
    }
  }
}

/** A SQLite database file and its companions: created 0600 before SQLite creates it with the umask. */
export function prepareDatabaseFile(path: string): void {
  if (path === ':memory:' || path === '') return;
  mkdirSync(dirname(resolve(path)), { recursive: true });
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_MODE));
  makePrivate(path, `${path}-wal`, `${path}-shm`, `${path}-journal`);
}
