/**
 * Crash safety, long run: SIGKILLs `huxin import payroll` at seeded random points, many times, and checks
 * after each kill that every batch is wholly there or wholly absent and the integrity check passes; then
 * re-imports every file to completion. Prints each kill and the figures for docs/RELIABILITY.md.
 *
 *   npx tsx scripts/crash-import.ts [--kills 40] [--rows 100000] [--files kills+1] [--seed 1] [--budget-s 600]
 *
 * Exit status 1 if any check failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCrashData, runCrashCampaign } from '../test/reliability/crashHarness.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const kills = option('kills', 40);
const rows = option('rows', 100_000);
const files = option('files', kills + 1);
const seed = option('seed', 1);
const budgetMs = option('budget-s', 600) * 1000;

const dir = mkdtempSync(join(tmpdir(), 'huxin-crash-'));
try {
  const t0 = performance.now();
  const data = await generateCrashData(dir, { files, rowsPerFile: rows, projects: 100, workersPerProject: 100 });
  console.log(`generated ${files} payroll files of ${rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const fig = await runCrashCampaign({ dbPath: join(dir, 'huxin.db'), data, kills, seed, budgetMs, log: (l) => console.log(l) });
  console.log('');
  console.log(`rounds ${fig.rounds}; kills survived: ${fig.failures.length === 0 ? fig.kills : 'NOT ALL'} of ${fig.kills} SIGKILLs (inside the import transaction: ${fig.killsInTransaction})`);
  console.log(`after a kill: batch absent ${fig.absentAfterKill}, batch committed ${fig.committedBeforeKill}; whole-database checks ${fig.checks}`);
  console.log(`clean import of ${rows} rows: ${(fig.cleanImportMs / 1000).toFixed(1)} s; at the end ${fig.batchesAtEnd} batches, ${fig.rowsAtEnd} payroll rows, integrity ok`);
  console.log(`failures: ${fig.failures.length}`);
  for (const f of fig.failures) console.log(`  ${f}`);
  process.exitCode = fig.failures.length > 0 ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
