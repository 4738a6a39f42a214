/**
 * A generated city carried into PostgreSQL for a bench: a fresh database of the given name on the server
 * (dropped first if a previous run left it), every table copied from the SQLite file with copyDatabase (the
 * code of `huxin db copy`), then ANALYZE so the planner has statistics after the bulk load (autovacuum
 * would gather them later). The file is first brought to this version's schema: a kept city may predate a
 * migration, and the copy reads every table this version has.
 */
import pg from 'pg';
import { copyDatabase } from '../src/store/copy.ts';
import { openStore } from '../src/store/open.ts';
import { databaseUrl } from '../test/support/pgServer.ts';

export async function cityIntoPostgres(cityFile: string, serverUrl: string, name: string): Promise<{ url: string; rows: number; ms: number }> {
  const t = performance.now();
  await (await openStore(cityFile)).close();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(serverUrl, name);
  const from = await openStore(cityFile, { readonly: true });
  const to = await openStore(url);
  try {
    const copied = await copyDatabase(from, to);
    await to.sql.run('ANALYZE');
    return { url, rows: copied.rows, ms: performance.now() - t };
  } finally {
    await from.close();
    await to.close();
  }
}
