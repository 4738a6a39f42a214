/**
 * Import fuzzer, long run: seeded mutations of the fixture CSVs imported with the real importer, for a
 * bounded time. Every outcome must be a clean rejection or a correct import (test/reliability/fuzzer.ts).
 *
 *   npx tsx scripts/fuzz-import.ts [--seed 1] [--seconds 120] [--case-limit-ms 20000]
 *   npx tsx scripts/fuzz-import.ts --seed 1 --case 17 --write /tmp/case17.csv   (reproduce one case)
 *
 * Exit status 1 if any case failed; each failure prints its seed and case number to reproduce it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open.ts';
import { fuzzDatabase, makeCase, runFuzz, seedFiles } from '../test/reliability/fuzzer.ts';
import { integrityOf } from '../test/reliability/helpers.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(option('seed') ?? 1);
const seconds = Number(option('seconds') ?? 120);
const caseLimitMs = Number(option('case-limit-ms') ?? 20_000);
const NOW = '2026-11-28T02:00:00.000Z';

if (option('case') !== undefined) {
  const c = makeCase(seed, Number(option('case')), seedFiles());
  const out = option('write') ?? `fuzz-${seed}-${c.n}.csv`;
  writeFileSync(out, c.bytes);
  console.log(`case ${seed}/${c.n}: ${c.kind} from ${c.seedFile} with ${c.mutations.join(' + ')} → ${out} (${c.bytes.length} bytes)`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'huxin-fuzz-'));
  try {
    const db = await openStore(join(dir, 'huxin.db'));
    await fuzzDatabase(db, NOW);
    let last = performance.now();
    const fig = await runFuzz(db, {
      seed,
      budgetMs: seconds * 1000,
      caseLimitMs,
      now: NOW,
      onCase: (c) => {
        if (performance.now() - last > 10_000) {
          last = performance.now();
          console.log(`… ${c.n + 1} cases`);
        }
      },
    });
    const integrity = await integrityOf(db.sql);
    await db.close();
    console.log(`seed ${seed}, ${seconds} s: ${fig.cases} files fuzzed — imported ${fig.imported}, rejected ${fig.rejected}, duplicate ${fig.duplicate}, threw ${fig.threw}`);
    console.log(`slowest case ${fig.slowestMs.toFixed(0)} ms: ${fig.slowest}; integrity ${integrity}`);
    console.log(`mutations: ${Object.entries(fig.byMutation).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`failures: ${fig.failures.length}`);
    for (const f of fig.failures.slice(0, 50)) console.log(`  case ${seed}/${f.n} (${f.kind} from ${f.seedFile}, ${f.mutations.join(' + ')}): ${f.faults.join('; ')}`);
    process.exitCode = fig.failures.length > 0 || integrity !== 'ok' ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
