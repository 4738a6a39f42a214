/**
 * 演示城市 — the demo city of 邢台市 in fixtures/demo, loaded into an empty database on `npm start` so a
 * fresh clone shows real-looking projects, ledgers and flags at once. Each file goes through the same
 * importer as a bureau's files (batches, audit, history), as the actor `system:demo`.
 */
import { resolve, dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importFile } from '../imports/service.ts';
import type { Store } from '../store/store.ts';
import type { ImportKind } from '../imports/types.ts';

export const DEMO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/demo');

/** The order references need: projects before the rows that name them. */
const DEMO_FILES: readonly ImportKind[] = [
  'projects',
  'roster',
  'payroll',
  'payments',
  'account_transactions',
  'deposits',
  // the general contractors' records held before and outside the system (issue 19 item 1)
  'contractor_records',
  // the linked registries (fixtures/registries, docs/REGISTRIES.md)
  'training',
  'insurance',
  'housing',
  'care',
];

/** No project yet: a fresh database (the demo city is loaded into nothing else). */
export async function isDatabaseEmpty(store: Store): Promise<boolean> {
  return (await store.facts.projectIndex()).length === 0;
}

/** Imports the demo city; throws if a demo file is rejected (the fixtures are broken — a bug, not input). */
export async function loadDemoCity(store: Store, now: string, dir = DEMO_DIR): Promise<{ kind: ImportKind; batchId: number; rows: number }[]> {
  const loaded: { kind: ImportKind; batchId: number; rows: number }[] = [];
  for (const kind of DEMO_FILES) {
    const path = join(dir, `${kind}.csv`);
    if (!existsSync(path)) continue;
    const outcome = await importFile(store, { kind, fileName: `demo/${kind}.csv`, source: { path }, actor: 'system:demo', now });
    if (outcome.status === 'rejected') {
      const first = outcome.problems.slice(0, 5).map((p) => `line ${p.line}, column ${p.column ?? '-'}: ${p.reason}`);
      throw new Error(`demo file ${kind}.csv was rejected:\n${first.join('\n')}`);
    }
    loaded.push({ kind, batchId: outcome.batch.id, rows: outcome.batch.rowCount });
  }
  return loaded;
}
