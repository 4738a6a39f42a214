/**
 * 项目预警 over the store on both engines: the warnings read from the current flags equal the rules core's
 * derivation over the day's findings (the `findings` view, open flags only), and the closing loop's rows
 * (assignment, steps, audit entries, dates read back as dates) work the same on SQLite and PostgreSQL.
 */
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../support/floor/open.ts';
import { isoDate, type IsoDate } from '../../src/domain/date.ts';
import type { Fen } from '../../src/domain/money.ts';
import type { Severity } from '../../src/rules/flags.ts';
import { deriveWarnings } from '../../src/rules/warnings.ts';
import { paramsOfStore } from '../../src/services/params.ts';
import { recompute } from '../../src/services/recompute.ts';
import { assignWarning, closeWarning, RectificationError, rectificationOf, warningsOfDay } from '../../src/services/warnings.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';
import { onStore } from '../support/storeOn.ts';

const D = isoDate('2026-11-27');
let source: TestLocation;
let loc: TestLocation;
let store: Store;

beforeAll(async () => {
  source = await freshLocation('sqlite');
  const db = openDatabase(source.location);
  await onStore(db, (s) => loadDemoCity(s, '2026-11-01T00:00:00Z'));
  db.$client.close();
  loc = await freshLocation();
  store = await openStore(loc.location);
  const from = await openStore(source.location, { readonly: true });
  await copyDatabase(from, store);
  await from.close();
  await recompute(store, isoDate('2026-11-20'), '2026-11-20T18:00:00Z');
  await recompute(store, D, '2026-11-27T18:00:00Z');
  const [fp] = (await store.sql.rows<[string]>("SELECT fingerprint FROM finding_versions WHERE valid_to IS NULL AND code = 'NO_CONTRACT' ORDER BY id LIMIT 1"))[0]!;
  await store.sql.run('INSERT INTO flag_reviews (fingerprint, status, reason, actor, at) VALUES (?, ?, ?, ?, ?)', [fp, 'dismissed', '核实', 'inspector', '2026-11-28T01:00:00Z']);
}, 120_000);
afterAll(async () => {
  await store?.close();
  await loc?.drop();
  await source?.drop();
});

describe('project warnings over the store', () => {
  it('equal the derivation over the day’s open findings', async () => {
    const rows = await store.sql.rows<[number, string, string, number, string | null, string | null, number | null, unknown]>(
      `SELECT f.id, f.code, f.severity, f.project_id, f.id_number, f.month, f.amount_fen, fv.due_date FROM findings f
         JOIN finding_versions fv ON fv.id = f.id
         LEFT JOIN flag_reviews r ON r.fingerprint = f.fingerprint WHERE f.as_of = ? AND r.fingerprint IS NULL ORDER BY f.id`,
      [D],
    );
    const flags = rows.map(([id, code, severity, projectId, idNumber, month, amount, due]) => ({
      id: Number(id),
      code,
      severity: severity as Severity,
      projectId: Number(projectId),
      idNumber,
      month,
      amount: amount === null ? null : (Number(amount) as Fen),
      dueDate: due === null ? null : ((due instanceof Date ? due.toISOString() : String(due)).slice(0, 10) as IsoDate),
    }));
    const expected = deriveWarnings(flags, D, await paramsOfStore(store));
    const day = await warningsOfDay(store);
    expect(day.asOf).toBe(D);
    expect(day.warnings).toEqual(expected);
    expect(day.warnings.length).toBeGreaterThan(10);
    // a project's, read at the source, are the city's of that project
    const p = day.warnings[0]!.projectId;
    expect((await warningsOfDay(store, { projectId: p })).warnings).toEqual(expected.filter((w) => w.projectId === p));
  });

  it('the closing loop’s rows: assignment with its deadline, refusal to close while present, steps and audit', async () => {
    const w = (await warningsOfDay(store)).warnings[0]!;
    // Mon 2026-11-30 + 3 working days → 12-01, 02, 03
    const r = await assignWarning(store, w.key, { assignee: '赵监察', workingDays: 3, reason: '限期整改', on: isoDate('2026-11-30') }, { name: 'inspector-user' }, '2026-11-30T02:00:00Z');
    expect(r).toMatchObject({ key: w.key, status: 'open', state: 'rectifying', assignedOn: '2026-11-30', deadline: '2026-12-03', present: true });
    await expect(closeWarning(store, w.key, { reason: '已整改', evidence: '流水号', on: isoDate('2026-12-01') }, { name: 'inspector-user' }, '2026-12-01T02:00:00Z')).rejects.toBeInstanceOf(RectificationError);
    const again = await rectificationOf(store, w.key);
    expect(again!.steps!.map((s) => [s.step, s.on, s.actor])).toEqual([['assign', '2026-11-30', 'inspector-user']]);
    const audit = await store.sql.all<{ action: string; entity_id: string }>("SELECT action, entity_id FROM audit_log WHERE entity = 'warning'");
    expect(audit).toEqual([{ action: 'warning_assign', entity_id: w.key }]);
  });
});
