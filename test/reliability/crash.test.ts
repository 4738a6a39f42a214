/**
 * Crash safety (short run; `npx tsx scripts/crash-import.ts` is the long one): the importer, run as the
 * real CLI in a child process, is SIGKILLed at seeded random points — most of them observed to land
 * inside its import transaction — and after every kill the database is whole: each batch wholly there or
 * wholly absent, no orphan rows, integrity ok; then every file re-imports to completion. On either engine:
 * on PostgreSQL the kill drops the child's connection mid-transaction, and the server must roll it back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { freshLocation } from '../support/engines.ts';
import { generateCrashData, runCrashCampaign } from './crashHarness.ts';
import { tempDir } from './helpers.ts';

describe('SIGKILL during imports', () => {
  const t = tempDir('huxin-crash-');
  afterAll(() => t.cleanup());

  it('leaves every batch whole or absent, integrity ok, and a re-import completes', async () => {
    const data = await generateCrashData(t.dir, { files: 4, rowsPerFile: 6000, projects: 30, workersPerProject: 100 });
    const loc = await freshLocation();
    const fig = await runCrashCampaign({ dbPath: loc.location, data, kills: 3, seed: 20261128 }).finally(() => loc.drop());
    expect(fig.failures).toEqual([]);
    expect(fig.checks).toBe(fig.rounds);
    expect(fig.rounds).toBe(3);
    // the kills are real: most interrupt an import that holds its write transaction
    expect(fig.kills).toBeGreaterThanOrEqual(2);
    expect(fig.killsInTransaction).toBeGreaterThanOrEqual(2);
    // a file whose kill came before COMMIT was absent and imports afresh; one committed is a duplicate
    expect(fig.reimported).toBe(data.payrollFiles.length - 1 - fig.committedBeforeKill);
    expect(fig.batchesAtEnd).toBe(1 + data.payrollFiles.length);
    expect(fig.rowsAtEnd).toBe(data.payrollFiles.length * data.rowsPerFile);
  }, 120_000);
});
