/**
 * City-wide evaluation benchmark (not part of the test suite):
 *   npx tsx test/rules/bench.ts [projects=2000] [workers=120] [months=12]
 * The clock is read here, in the benchmark, never in src/rules.
 */
import { evaluateCity } from '../../src/rules/evaluate.ts';
import { generateCity } from './cityFixture.ts';

const [projects = 2000, workers = 120, months = 12] = process.argv.slice(2).map(Number);
let t = performance.now();
const city = generateCity({ projects, workers, months });
console.log(`generated ${projects}×${workers}×${months} in ${((performance.now() - t) / 1000).toFixed(2)} s`);
for (const mode of ['streamed', 'kept'] as const) {
  t = performance.now();
  let wm = 0;
  let findings = 0;
  const count = (p: { ledger: readonly unknown[]; findings: readonly unknown[] }) => {
    wm += p.ledger.length;
    findings += p.findings.length;
  };
  const result = mode === 'streamed' ? evaluateCity(city, '2026-11-28' as never, undefined, { onProject: count }) : evaluateCity(city, '2026-11-28' as never);
  if (mode === 'kept') result.projects.forEach(count);
  const seconds = (performance.now() - t) / 1000;
  console.log(`${mode}: ${wm} worker-months, ${findings} findings in ${seconds.toFixed(2)} s (${Math.round(wm / seconds)} worker-months/s); arrears ${result.totals.arrears} fen, problems ${result.problems.length}`);
}
console.log(`heap used ${(process.memoryUsage().heapUsed / 1e9).toFixed(2)} GB`);
