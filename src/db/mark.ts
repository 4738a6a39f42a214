/**
 * The change mark of the synchronous handle (the store's is src/store/sql.ts Database.changeMark): moves
 * with any commit of another connection or process (`PRAGMA data_version`) and with any row this connection
 * changes (`total_changes()`). Equal marks mean the handle reads the same data — what a memo of a read rests on.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './open.ts';

const totals = new WeakMap<object, BetterSqlite3.Statement>();

export function changeMarkOf(db: Db): string {
  const c = db.$client;
  let s = totals.get(c);
  if (!s) totals.set(c, (s = c.prepare('SELECT total_changes() AS n')));
  return `${c.pragma('data_version', { simple: true }) as number}.${(s.get() as { n: number }).n}`;
}
