/**
 * Which engine a test file runs on, and a fresh database of it. The whole storage suite runs once per
 * engine (vitest.config.ts: the `sqlite` and `postgres` projects set HUXIN_TEST_ENGINE); a test asks for
 * a location here and opens it like the product does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Engine } from '../../src/store/sql.ts';
import { databaseUrl } from './pgServer.ts';

export const ENGINE: Engine = process.env.HUXIN_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestLocation {
  /** a file path (SQLite) or a postgres:// URL: what HUXIN_DB or --db would hold */
  readonly location: string;
  readonly engine: Engine;
  /** a scratch folder for the test's other files (reports, exports) */
  readonly dir: string;
  drop(): Promise<void>;
}

/** A new, empty database of the test's engine (PostgreSQL: a database of its own on the run's server). */
export async function freshLocation(engine: Engine = ENGINE): Promise<TestLocation> {
  const dir = mkdtempSync(join(tmpdir(), 'huxin-t-'));
  if (engine === 'sqlite') {
    return { location: join(dir, 'huxin.db'), engine, dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const server = inject('pgUrl');
  const name = `huxin_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    location: databaseUrl(server, name),
    engine,
    dir,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
