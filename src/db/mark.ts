/**
 * The change mark of the synchronous handle (the store's is src/store/sql.ts Database.changeMark): moves
 * with any commit of another connection or process (`PRAGMA data_version`) and with any row this connection
 * changes (`total_changes()`). Equal marks mean the handle reads the same data — what a memo of a read rests on.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './open.ts';

// prepared once per connection: `pragma()` prepares anew on every call (3 µs against 0.1 µs), and every
// authenticated request asks
// (two plain statements: one SELECT over pragma_data_version costs half as much again)
const marks = new WeakMap<object, { version: BetterSqlite3.Statement; changes: BetterSqlite3.Statement }>();

export function changeMarkOf(db: Db): string {
  const c = db.$client;
  let s = marks.get(c);
  if (!s) marks.set(c, (s = { version: c.prepare('PRAGMA data_version').pluck(), changes: c.prepare('SELECT total_changes()').pluck() }));
  return `${s.version.get() as number}.${s.changes.get() as number}`;
}
