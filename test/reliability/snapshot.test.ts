/**
 * A recompute reads one snapshot: imports that commit while it loads the facts (another process, or the
 * API's import connection) are either wholly in its view or wholly out of it, table by table alike. Here a
 * payroll file and then the payments of that payroll commit in the middle of the recompute's reads, just
 * before it reads the payments table; the recompute must still see a state that existed — neither
 * import, or both — never the payments without their payroll.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { recompute } from '../../src/services/recompute.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { tempDir } from './helpers.ts';
import { onTestEngine, type EngineCopy } from '../support/toEngine.ts';

const AS_OF = '2026-11-27' as IsoDate;

/** fn on a store over the location (another connection than the night's: the concurrent writer's own) */
async function onStoreAt<T>(location: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(location);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}
const NOW = '2026-11-28T02:00:00.000Z';

describe('recompute snapshot', () => {
  const t = tempDir('huxin-snap-');
  afterAll(() => t.cleanup());

  it('imports committing while the facts load are wholly in or wholly out of the recompute', async () => {
    const base = join(t.dir, 'base.db');
    const seed = await openStore(base);
    await loadDemoCity(seed, NOW);
    await seed.close();
    // three copies of the city on the test's engine (a file copy on SQLite; copied into a database of its own on PostgreSQL)
    const copies: EngineCopy[] = [];
    const copyOf = async (name: string) => {
      const p = join(t.dir, name);
      copyFileSync(base, p);
      const c = await onTestEngine(p);
      copies.push(c);
      return c.location;
    };

    // the concurrent writer: payroll of a new month for one worker, then its payment, each statement its own commit
    const w = (await onStoreAt(base, (s) =>
      s.sql.get<{ project_id: number; id_number: string; name: string; bank_card: string }>(
        'SELECT project_id, id_number, name, bank_card FROM roster_entries WHERE exit_date IS NULL ORDER BY id LIMIT 1',
      ),
    ))!;
    const month = '2026-10';
    const write = (location: string) =>
      onStoreAt(location, async (s) => {
        await s.sql.run('UPDATE payroll_rows SET superseded_by = 0 WHERE project_id = ? AND id_number = ? AND month = ?', [w.project_id, w.id_number, month]);
        await s.sql.run(
          `INSERT INTO payroll_rows (project_id, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed, batch_id, line)
           VALUES (?, ?, ?, ?, 2200, 99999900, 0, 99999900, ?, 1, 9999)`,
          [w.project_id, month, w.id_number, w.name, true],
        );
        await s.sql.run(
          `INSERT INTO payments (project_id, month, id_number, payee_name, payee_card, amount_fen, paid_on, channel, bank_ref, natural_key, batch_id, line)
           VALUES (?, ?, ?, ?, ?, 99999900, '2026-11-10', 'dedicated_account', 'SNAP-1', 'SNAP-1', 1, 9999)`,
          [w.project_id, month, w.id_number, w.name, w.bank_card],
        );
      });
    /** The night of AS_OF over the database; `hook` runs just before the night's snapshot first reads the payments. */
    const evaluationOf = async (path: string, hook?: () => Promise<void>) => {
      const store = await openStore(path);
      try {
        if (hook) {
          const snapshot = store.snapshot.bind(store);
          let fired = false;
          store.snapshot = (fn) =>
            snapshot((s) => {
              const rows = s.sql.rows.bind(s.sql);
              s.sql.rows = (async (text: string, params?: readonly unknown[]) => {
                if (!fired && /FROM payments/.test(text)) {
                  fired = true;
                  await hook();
                }
                return rows(text, params);
              }) as typeof s.sql.rows;
              return fn(s);
            });
        }
        await recompute(store, AS_OF, NOW, undefined, { chunkSize: 2 });
        return JSON.stringify(await store.sql.rows('SELECT project_id, fingerprint, content_hash FROM finding_versions ORDER BY project_id, fingerprint'));
      } finally {
        await store.close();
      }
    };

    try {
      const before = await copyOf('before.db');
      const after = await copyOf('after.db');
      const torn = await copyOf('torn.db');
      await write(after);
      const expectedBefore = await evaluationOf(before);
      const expectedAfter = await evaluationOf(after);
      expect(expectedAfter).not.toBe(expectedBefore);
      const concurrent = await evaluationOf(torn, () => write(torn));
      expect([expectedBefore, expectedAfter]).toContain(concurrent);
    } finally {
      for (const c of copies) await c.drop();
    }
  });
});
