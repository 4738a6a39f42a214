import { join } from 'node:path';
import { it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { importFile } from '../../src/imports/service.ts';
import type { ImportKind } from '../../src/imports/types.ts';
import { recomputeCity } from '../../src/services/recompute.ts';
import { makeApp, NOW } from '../api/helpers.ts';
const DEMO = join(import.meta.dirname, '../../fixtures/demo');
it('scratch', async () => {
  const t = await makeApp({ seed: false });
  for (const kind of ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits'] as ImportKind[]) {
    await importFile(t.db, { kind, fileName: `${kind}.csv`, source: { path: join(DEMO, `${kind}.csv`) }, actor: 'test', now: NOW });
  }
  await recomputeCity(t.db, '2026-11-28' as IsoDate, NOW);
  const res = await t.as('inspector', { url: '/api/v1/warnings?pageSize=200' });
  console.log(res.statusCode);
  const j = res.json();
  console.log(j.total, JSON.stringify(j.projectsByLevel));
  for (const w of j.items) console.log(w.key, w.level, w.project.code, w.contractor.name, w.problemName, w.workers, w.workersInArrears, w.arrears, w.oldestDueDate, w.overdueDays, w.flagCount, w.orderable, w.reasons.join('；'));
  const one = await t.as('inspector', { url: j.items[0].links.flags });
  console.log(one.statusCode, one.body.slice(0, 1500));
  await t.close();
}, 120000);
