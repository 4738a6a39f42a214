/**
 * An existing database upgrades in place: a database of the first round (SQLite: migrations up to
 * 0002_enforcement; PostgreSQL: up to 0001_flag_counts, its migrations before the state views — each
 * holding a day's copies of findings and recompute runs, a flag review and a stored report) opened by this
 * version migrates without losing a review or a report; the old daily copies give way to the state views;
 * after an import (today's importer writes today's columns) the next night evaluates every project and the
 * queue and the day views read it.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/domain/date.ts';
import { recompute } from '../../src/services/recompute.ts';
import { openStore, PG_MIGRATIONS, SQLITE_MIGRATIONS } from '../../src/store/open.ts';
import { ENGINE, freshLocation, type TestLocation } from '../support/engines.ts';

const dir = mkdtempSync(join(tmpdir(), 'huxin-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A migrations folder as the first round shipped it: its migrations up to `last` (a tag's number). */
function firstRoundMigrations(from: string, last: string): string {
  const to = join(dir, `migrations-round1-${last}`);
  cpSync(from, to, { recursive: true });
  const journalPath = join(to, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag.slice(0, 4) <= last);
  writeFileSync(journalPath, JSON.stringify(journal));
  return to;
}

/** The first round's data: a day's copies, a review, a report (the demo city is imported after the upgrade). */
const FIRST_ROUND_DATA = [
  "INSERT INTO recompute_runs (as_of, computed_at, project_count, finding_count) VALUES ('2026-11-26', '2026-11-26T18:00:00Z', 1, 1)",
  "INSERT INTO findings (as_of, fingerprint, code, severity, project_id, id_number, month, amount_fen, sentence, legal_basis) VALUES ('2026-11-26', 'OLD|1', 'WAGE_UNPAID', 'critical', 1, NULL, '2026-10', 100, '旧的一条', '{}')",
  "INSERT INTO flag_reviews (fingerprint, status, reason, actor, at) VALUES ('OLD|1', 'resolved', '已处理', 'inspector', '2026-11-27T01:00:00Z')",
  `INSERT INTO reports (as_of, created_at, json) VALUES ('2026-11-26', '2026-11-26T18:00:00Z', '{"asOf":"2026-11-26"}')`,
];

/** A first-round database of the test's engine, holding the first round's data: its location. */
async function firstRoundDatabase(locations: TestLocation[]): Promise<string> {
  if (ENGINE === 'sqlite') {
    const path = join(dir, 'huxin.db');
    const old = new Database(path);
    migrate(drizzle({ client: old }), { migrationsFolder: firstRoundMigrations(SQLITE_MIGRATIONS, '0002') });
    for (const q of FIRST_ROUND_DATA) old.exec(q);
    old.close();
    return path;
  }
  // PostgreSQL's first round: 0000_init and 0001_flag_counts (0002_state_views replaced the daily copies)
  const loc = await freshLocation('postgres');
  locations.push(loc);
  const client = new pg.Client({ connectionString: loc.location });
  await client.connect();
  try {
    await migratePg(drizzlePg({ client }), { migrationsFolder: firstRoundMigrations(PG_MIGRATIONS, '0001') });
    for (const q of FIRST_ROUND_DATA) await client.query(q);
  } finally {
    await client.end();
  }
  return loc.location;
}

describe('upgrading a first-round database', () => {
  it('keeps reviews and reports, replaces the daily copies by the state, and the next night fills it', async () => {
    const locations: TestLocation[] = [];
    const path = await firstRoundDatabase(locations);
    // this version opens it: every later migration applies
    const store = await openStore(path);
    try {
      await loadDemoCity(store, '2026-11-27T00:00:00Z');
      expect((await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM flag_reviews'))!.n).toBe(1);
      expect((await store.sql.get<{ json: string }>("SELECT json FROM reports WHERE as_of = '2026-11-26'"))!.json).toBe('{"asOf":"2026-11-26"}');
      // the daily copies are views now: the old day has no evaluation behind it
      expect((await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM findings'))!.n).toBe(0);
      const night = await recompute(store, isoDate('2026-11-27'), '2026-11-27T18:00:00Z');
      expect(night.evaluatedCount).toBe(night.projectCount);
      expect(night.findingCount).toBeGreaterThan(50);
      expect(await store.queue.count({ status: 'all' }, '2026-11-27')).toBe(night.findingCount);
      expect((await store.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM findings WHERE as_of = '2026-11-27'"))!.n).toBe(night.findingCount);
    } finally {
      await store.close();
      for (const l of locations) await l.drop();
    }
  }, 120_000);
});
