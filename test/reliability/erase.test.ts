/**
 * `huxin worker erase` (docs/PRIVACY.md §5): a worker's rows are erased only on projects whose retention
 * term has passed — completed, every wage paid, and 3 years after the later of completion and the last
 * payment (《保障农民工工资支付条例》第十五条、第二十八条). Today is fixed at 2026-11-29 (Asia/Shanghai):
 *
 *   XT-2022-009  completed 2022-06-30, last payment 2022-07-10 → erasable from 2025-07-10: erased
 *   XT-2026-001  under construction                            → kept (not completed)
 *   XT-2023-004  completed 2023-12-31, last payment 2024-01-20 → erasable from 2027-01-20: kept
 *   XT-2021-002  completed 2021-09-30, B paid 1000.00 of 3000.00 → 2000.00 unpaid: kept, for A too
 *
 * Registries (a training record) and the audit log stay; the worker's name row goes only when nothing else
 * names the worker. On both engines: the city is written into a SQLite file and copied onto PostgreSQL
 * when that is the test's engine; the command runs with --db set to either.
 */
import { unpackJson } from '../../src/store/packedJson.ts';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { openDatabase, type Db } from '../support/floor/open.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { A, B, C } from '../api/helpers.ts';
import { ENGINE, freshLocation, type TestLocation } from '../support/engines.ts';
import { onStore } from '../support/storeOn.ts';

let loc: TestLocation;
let store: Store;

const OWNER = '91130500MA0000001X';

function seed(db: Db): void {
  const s = db.$client;
  s.exec(`
    INSERT INTO import_batches (id, kind, file_name, sha256, actor, imported_at, encoding, row_count, inserted, replaced, replaced_detail, warnings)
      VALUES (1, 'payroll', 'history.csv', 'aa', 'clerk', '2026-01-01T00:00:00Z', 'utf-8', 1, 1, 0, '[]', '[]');
    INSERT INTO employers (uscc, name) VALUES ('${OWNER}', '邢台城投');`);
  const project = s.prepare(`INSERT INTO projects (id, code, name, county, owner_uscc, contractor_uscc, contract_amount_fen, contract_signed_on,
      start_date, completion_date, government_funded, pay_day, batch_id, line)
    VALUES (?, ?, ?, '信都区', '${OWNER}', '${OWNER}', 100000000, ?, ?, ?, 0, 15, 1, ?)`);
  project.run(1, 'XT-2022-009', '旧楼改造', '2021-12-01', '2022-01-01', '2022-06-30', 2);
  project.run(2, 'XT-2026-001', '保障房一期', '2026-01-10', '2026-02-01', null, 3);
  project.run(3, 'XT-2023-004', '学校', '2023-01-10', '2023-02-01', '2023-12-31', 4);
  project.run(4, 'XT-2021-002', '道路', '2021-01-10', '2021-02-01', '2021-09-30', 5);
  const roster = s.prepare(`INSERT INTO roster_entries (project_id, id_number, name, employer_uscc, entry_date, exit_date, contract_signed, wage_basis,
      wage_rate_fen, bank_card, batch_id, line) VALUES (?, ?, ?, '${OWNER}', ?, ?, 1, 'daily', 30000, ?, 1, 10)`);
  const payroll = s.prepare(`INSERT INTO payroll_rows (project_id, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen,
      worker_confirmed, batch_id, line) VALUES (?, ?, ?, ?, 2000, ?, 0, ?, 1, 1, 11)`);
  const payment = s.prepare(`INSERT INTO payments (project_id, month, id_number, payee_name, amount_fen, paid_on, channel, bank_ref, natural_key,
      batch_id, line) VALUES (?, ?, ?, ?, ?, ?, 'dedicated_account', ?, ?, 1, 12)`);
  const worker = (p: number, who: typeof A, entry: string, exit: string | null, month: string, net: number, paid: number, paidOn: string, ref: string) => {
    roster.run(p, who.id, who.name, entry, exit, who.card);
    payroll.run(p, month, who.id, who.name, net, net);
    payment.run(p, month, who.id, who.name, paid, paidOn, ref, ref);
  };
  worker(1, A, '2022-01-01', '2022-06-30', '2022-06', 500000, 500000, '2022-07-10', 'R1');
  payroll.run(1, '2022-05', A.id, A.name, 500000, 500000);
  payment.run(1, '2022-05', A.id, A.name, 500000, '2022-06-10', 'R2', 'R2');
  worker(1, C, '2022-01-01', '2022-06-30', '2022-06', 400000, 400000, '2022-07-08', 'R3');
  worker(2, A, '2026-03-01', null, '2026-10', 600000, 600000, '2026-11-13', 'R4');
  worker(3, A, '2023-02-01', '2023-12-31', '2023-12', 500000, 500000, '2024-01-20', 'R5');
  worker(4, A, '2021-02-01', '2021-09-30', '2021-09', 300000, 300000, '2021-10-15', 'R6');
  worker(4, B, '2021-02-01', '2021-09-30', '2021-09', 300000, 100000, '2021-10-15', 'R7');
  s.prepare(`INSERT INTO citations (id, hash, legal_basis, params) VALUES (1, 'c1', '{}', '[]')`).run();
  s.prepare(`INSERT INTO finding_versions (project_id, fingerprint, valid_from, valid_to, code, severity, project_code, county, risk_score, severity_rank, id_number, month, sentence, citation_id, evidence, content_hash)
    VALUES (1, ?, '2022-07-01', NULL, 'UNCONFIRMED_PAYROLL', 'low', 'XT-2022-009', '信都区', 0, 1, ?, '2022-06', '工资表未经本人确认', 1, '[]', 'h')`).run(`UNCONFIRMED_PAYROLL|XT-2022-009|${A.id}|2022-06|`, A.id);
  s.prepare(`INSERT INTO flag_reviews (fingerprint, status, reason, actor, at) VALUES (?, 'resolved', '已补签', 'inspector', '2022-07-02T00:00:00Z')`).run(
    `UNCONFIRMED_PAYROLL|XT-2022-009|${A.id}|2022-06|`,
  );
  s.prepare(`INSERT INTO training_records (id_number, name, project_id, course, training_type, provider, start_date, natural_key, batch_id, line)
    VALUES (?, ?, 1, '钢筋工', 'upgrade', '邢台技师学院', '2022-03-01', 'T1', 1, 13)`).run(A.id, A.name);
  s.prepare('INSERT INTO workers (id_number, name) VALUES (?, ?), (?, ?), (?, ?)').run(A.id, A.name, B.id, B.name, C.id, C.name);
  // the stored ledger months of two projects (their lines name the workers, as a night writes them)
  const month = s.prepare(`INSERT INTO ledger_months (project_id, month, lines, hash) VALUES (?, ?, ?, 'h')`);
  month.run(1, '2022-06', JSON.stringify({ t: null, k: ['idNumber'], c: [[A.id, C.id]] }));
  month.run(2, '2026-10', JSON.stringify({ t: null, k: ['idNumber'], c: [[A.id]] }));
  // stored report parts (as a night writes them): project 1's roster names kept once in outcome_parts and
  // referenced by its state and its two outcome versions, a tally naming A inline; project 2's inline
  const names = JSON.stringify([[A.id, A.name, 0], [C.id, C.name, 1]]);
  s.prepare('INSERT INTO outcome_parts (hash, doc) VALUES (?, ?)').run('namesOf1', names);
  const part1 = JSON.stringify({ code: 'XT-2022-009', rosterNames: { '#part': 'namesOf1' }, project: { workers: [A.id], arrears: 0 } });
  const part2 = JSON.stringify({ code: 'XT-2026-001', rosterNames: [[A.id, A.name, 0]], project: { workers: [], arrears: 0 } });
  const outcome = s.prepare(`INSERT INTO project_outcomes (project_id, valid_from, valid_to, risk_score, arrears_fen, workers_in_arrears, oldest_due_date,
      estimated_exposure_fen, finding_count, assessment, report_part, problem, content_hash) VALUES (?, ?, ?, 0, 0, 0, NULL, 0, 0, '{}', ?, NULL, 'o')`);
  outcome.run(1, '2026-11-01', '2026-11-20', part1);
  outcome.run(1, '2026-11-20', null, part1);
  outcome.run(2, '2026-11-20', null, part2);
  s.prepare(`INSERT INTO project_states (project_id, project_code, county, evaluated_on, facts_version, params_version, next_change, result_hash, risk_score,
      arrears_fen, workers_in_arrears, oldest_due_date, estimated_exposure_fen, finding_count, assessment, report_part, ledger_hash, problem)
      VALUES (1, 'XT-2022-009', '信都区', '2026-11-20', 1, 'p', NULL, 'r', 0, 0, 0, NULL, 0, 0, '{}', ?, 'l', NULL)`).run(part1);
}

/** Every stored report part of a project (state and outcome versions) and every outcome part, as text. */
const partsText = async (projectId: number): Promise<string> =>
  JSON.stringify([
    await store.sql.rows('SELECT CAST(report_part AS TEXT) FROM project_states WHERE project_id = ?', [projectId]),
    await store.sql.rows('SELECT CAST(report_part AS TEXT) FROM project_outcomes WHERE project_id = ?', [projectId]),
  ]);
/** every outcome part as its JSON (a part is stored gzipped, packedJson.ts; the seeded one plain) */
const outcomePartsText = async (): Promise<string> => JSON.stringify((await store.sql.rows<[string]>('SELECT doc FROM outcome_parts')).map(([d]) => unpackJson(d)));

const count = async (sql: string, ...args: unknown[]): Promise<number> => Number((await store.sql.rows<[number]>(sql, args))[0]![0]);
const rowsOf = async (who: string): Promise<Record<string, number>> => {
  const out: Record<string, number> = {};
  for (const t of ['roster_entries', 'payroll_rows', 'payments', 'finding_versions', 'training_records']) out[t] = await count(`SELECT count(*) AS n FROM ${t} WHERE id_number = ?`, who);
  return out;
};

function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const io = { stdout: { write: (x: string) => ((out += x), true) }, stderr: { write: (x: string) => ((err += x), true) } } as never;
  return main([...argv, '--db', loc.location], io, () => new Date('2026-11-29T04:00:00Z')).then((code) => ({ code, out, err }));
}

beforeAll(async () => {
  loc = await freshLocation();
  const file = ENGINE === 'sqlite' ? loc.location : join(loc.dir, 'seed.db');
  const db = openDatabase(file);
  try {
    seed(db);
  } finally {
    db.$client.close();
  }
  store = await openStore(loc.location);
  if (ENGINE !== 'sqlite') await onStore(file, (from) => copyDatabase(from, store));
});
afterAll(async () => {
  await store?.close();
  await loc?.drop();
});

describe('huxin worker erase', () => {
  it('without --confirm lists what would be erased and what is kept, and why; changes nothing', async () => {
    const before = await rowsOf(A.id);
    const { code, out } = await cli('worker', 'erase', A.id);
    expect(code).toBe(0);
    expect(out).toMatch(/可删除\s+XT-2022-009：.*payroll_rows 2.*2025-07-10 起可删除；《保障农民工工资支付条例（国务院令第724号）》第十五条、第二十八条/);
    expect(out).toMatch(/须保留\s+XT-2026-001：.*尚未竣工/);
    expect(out).toMatch(/须保留\s+XT-2023-004：.*2027-01-20 起方可删除/);
    expect(out).toMatch(/须保留\s+XT-2021-002：.*未付工资 2,000\.00 元/);
    expect(out).toMatch(/不在本命令删除范围.*training_records 1/);
    expect(out).toContain('未删除任何数据');
    expect(out).not.toContain(A.id); // the number is masked on the terminal
    expect(await rowsOf(A.id)).toEqual(before);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'erase_personal_data'")).toBe(0);
  });

  it('--confirm needs a reason (the decision it carries out)', async () => {
    const { code, err } = await cli('worker', 'erase', A.id, '--confirm');
    expect(code).toBe(2);
    expect(err).toContain('--reason');
    expect(await count('SELECT count(*) AS n FROM payroll_rows WHERE id_number = ? AND project_id = 1', A.id)).toBe(2);
  });

  it('erases the rows on the projects past their term only, with their reviews, audited', async () => {
    const before = await rowsOf(A.id);
    const { code, out } = await cli('worker', 'erase', A.id, '--reason', '邢人社删〔2026〕1号', '--confirm');
    expect(code).toBe(0);
    expect(out).toMatch(/erased \d{6}\*{8}\d{3}[\dX]: .*payroll_rows 2/);
    // XT-2022-009: 1 roster entry, 2 wage lines, 2 payments, 1 finding gone; the others untouched
    expect(await rowsOf(A.id)).toEqual({
      roster_entries: before.roster_entries! - 1,
      payroll_rows: before.payroll_rows! - 2,
      payments: before.payments! - 2,
      finding_versions: before.finding_versions! - 1,
      training_records: 1,
    });
    expect(await count('SELECT count(*) AS n FROM payroll_rows WHERE id_number = ? AND project_id = 1', A.id)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM payroll_rows WHERE id_number = ? AND project_id IN (2, 3, 4)', A.id)).toBe(3);
    expect(await count('SELECT count(*) AS n FROM flag_reviews')).toBe(0);
    // the erased project's stored ledger (it named A) goes, to be rebuilt by the next night; the others' stay
    expect(await count('SELECT count(*) AS n FROM ledger_months WHERE project_id = 1')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM ledger_months WHERE project_id = 2')).toBe(1);
    // the erased project's stored report parts, today's and the past days', no longer name A; C stays named,
    // A counts as one placeholder (a past day's figures stay); project 2's parts still name A
    expect(await partsText(1)).not.toContain(A.id);
    expect(await outcomePartsText()).not.toContain(A.id);
    expect(await outcomePartsText()).not.toContain(A.name);
    expect(await partsText(1)).toContain(C.id);
    const states = await store.sql.rows<[string]>('SELECT CAST(report_part AS TEXT) FROM project_states WHERE project_id = 1');
    const placeholder = (JSON.parse(states[0]![0]) as { project: { workers: string[] } }).project.workers;
    expect(placeholder).toHaveLength(1);
    expect(placeholder[0]).toMatch(/^已删除-/);
    expect(await count('SELECT count(*) AS n FROM outcome_parts WHERE hash = ?', 'namesOf1')).toBe(0);
    expect(await partsText(2)).toContain(A.id);
    // C on the same project and B elsewhere are untouched; A is still named elsewhere, so A's name row stays
    expect(await count('SELECT count(*) AS n FROM payroll_rows WHERE id_number = ?', C.id)).toBe(1);
    expect(await count('SELECT count(*) AS n FROM payroll_rows WHERE id_number = ?', B.id)).toBe(1);
    expect(await count('SELECT count(*) AS n FROM workers WHERE id_number = ?', A.id)).toBe(1);
    const audit = (await store.sql.all<{ actor: string; entity_id: string; reason: string; detail: unknown }>(
      "SELECT actor, entity_id, reason, detail FROM audit_log WHERE action = 'erase_personal_data'",
    )).map((r) => ({ ...r, detail: typeof r.detail === 'string' ? r.detail : JSON.stringify(r.detail) }));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.reason).toBe('邢人社删〔2026〕1号');
    expect(audit[0]!.entity_id).toBe(`${A.id.slice(0, 6)}********${A.id.slice(-4)}`);
    expect(audit[0]!.actor).toMatch(/^cli:/);
    expect(JSON.parse(audit[0]!.detail).erased).toEqual({ roster_entries: 1, payroll_rows: 2, payments: 2, finding_versions: 1, flag_reviews: 1 });
    expect(audit[0]!.detail).not.toContain(A.id);
  });

  it("removes the worker's name row once nothing else names the worker", async () => {
    const { code, out } = await cli('worker', 'erase', C.id, '--reason', '邢人社删〔2026〕2号', '--confirm');
    expect(code).toBe(0);
    expect(out).toContain('worker row removed');
    expect(await count('SELECT count(*) AS n FROM workers WHERE id_number = ?', C.id)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM roster_entries WHERE id_number = ?', C.id)).toBe(0);
  });

  it('an invalid identity number is refused', async () => {
    expect((await cli('worker', 'erase', '12345')).code).toBe(1);
  });
});
