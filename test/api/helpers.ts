/**
 * Test fixtures for the HTTP API: a small seeded city (plain SQL inserts into the fact and result tables of a
 * real SQLite file), carried onto the test's engine (test/support/toEngine.ts), a server built on it, one
 * token per role.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createSession, DEFAULT_SESSION_LIMITS } from '../../src/api/session.ts';
import { createToken } from '../../src/api/tokens.ts';
import { workerRefKey, workerRefOf } from '../../src/api/workerRef.ts';
import { ROLES, type Role } from '../../src/api/roles.ts';
import { openDatabase, type Db } from '../support/floor/open.ts';
import { luhnCheckDigit } from '../../src/domain/bankCard.ts';
import { idCheckCharacter } from '../../src/domain/idNumber.ts';
import { usccCheckCharacter } from '../../src/domain/uscc.ts';
import { buildServer, type ServerOptions } from '../../src/server.ts';
import { ENGINE } from '../support/engines.ts';
import { onTestEngine, sqliteOnly } from '../support/toEngine.ts';
import type { Store } from '../../src/store/store.ts';

export const NOW = '2026-11-28T02:00:00.000Z'; // 2026-11-28 10:00 in Shanghai

const id18 = (first17: string) => first17 + idCheckCharacter(first17);
const card = (withoutCheck: string) => withoutCheck + luhnCheckDigit(withoutCheck);

/** Seeded people: full numbers that must never appear in a masked response or any log line. */
export const A = { name: '张三', id: id18('13050319900101001'), card: card('622202123456789'), phone: '13812345678' };
export const B = { name: '李四', id: id18('13050219851212003'), card: card('621700000000123456'), phone: '13987654321' };
export const C = { name: '王五', id: id18('13052119780505123'), card: card('623668000011112'), phone: '15011112222' };
export const PEOPLE = [A, B, C];
export const SECRETS = PEOPLE.flatMap((p) => [p.id, p.card, p.phone]);

export interface TestApp {
  app: FastifyInstance;
  /** the seed file's SQLite handle (on PostgreSQL a guard that fails when used: use `store`) */
  db: Db;
  /** the server's store (src/store) */
  store: Store;
  /** where the server's database is: the SQLite file, or a postgres:// URL on the postgres project */
  dbPath: string;
  dir: string;
  tokens: Record<Role, string>;
  /** a signed-in page session per role (the cookie's value: a session id, not the token) */
  sessions: Record<Role, string>;
  /** the opaque worker id (workerId) of an identity number in this database */
  ref(idNumber: string): string;
  /** a fresh page session for the role (for tests that sign out) */
  newSession(role: Role): Promise<string>;
  logs: string[];
  /** inject with the role's bearer token */
  as(role: Role | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface AppFixture {
  /** seed the small city (default true) */
  seed?: boolean;
  /** more seeding on the SQLite seed file, before it is carried onto the test's engine */
  prepare?: (db: Db) => void;
}

export async function makeApp(options: Partial<ServerOptions> & AppFixture = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'huxin-api-'));
  const seedFile = join(dir, 'huxin.db');
  const seedDb = openDatabase(seedFile);
  if (options.seed !== false) seed(seedDb);
  options.prepare?.(seedDb);
  // on PostgreSQL the seeded file is copied into a database of its own and the server runs there
  if (ENGINE === 'postgres') seedDb.$client.close();
  const target = await onTestEngine(seedFile);
  const db = ENGINE === 'postgres' ? sqliteOnly<Db>('t.db') : seedDb;
  const dbPath = target.location;
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const { seed: _seed, prepare: _prepare, ...rest } = options;
  const app = await buildServer({ location: dbPath, now: () => NOW, logger: { level: 'debug', stream }, ...rest });
  const store = app.store;
  const tokens = {} as Record<Role, string>;
  const sessions = {} as Record<Role, string>;
  const tokenIds = {} as Record<Role, number>;
  const newSession = (role: Role) => createSession(store, { tokenId: tokenIds[role], name: `${role}-user`, role }, NOW, DEFAULT_SESSION_LIMITS);
  for (const role of ROLES) {
    // the contractor of the fixtures belongs to a unit with no project here (OTHER_UNIT): it must see nothing
    const made = await createToken(store, { role, name: `${role}-user`, actor: 'setup', now: NOW, uscc: role === 'contractor' ? OTHER_UNIT : null });
    tokens[role] = made.token;
    tokenIds[role] = made.id;
    sessions[role] = await newSession(role);
  }
  const refKey = await workerRefKey(store);
  return {
    app,
    db,
    store,
    dbPath,
    dir,
    tokens,
    sessions,
    newSession,
    ref: (idNumber: string) => workerRefOf(refKey, idNumber),
    logs,
    as(role, opts) {
      const headers = { ...(opts.headers ?? {}) } as Record<string, string>;
      if (role) headers.authorization = `Bearer ${tokens[role]}`;
      return app.inject({ ...opts, headers });
    },
    async close() {
      await app.close();
      if (ENGINE === 'sqlite') seedDb.$client.close();
      await target.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** a unit with a valid credit code that is neither contractor nor employer on any seeded project */
export const OTHER_UNIT = `91130500MA0000009${usccCheckCharacter('91130500MA0000009')}`;
export const OWNER = '91130500MA0000001X';
export const CONTRACTOR = '91130500MA0000002Y';

/** A small city: two projects, three workers, a month of wages, stored results for two days. */
export function seed(db: Db): void {
  const s = db.$client;
  s.exec(`
    INSERT INTO import_batches (id, kind, file_name, sha256, actor, imported_at, encoding, row_count, inserted, replaced, replaced_detail, warnings)
    VALUES (1, 'projects', 'projects.csv', 'aa', 'clerk', '2026-11-01T00:00:00Z', 'utf-8', 2, 2, 0, '[]', '[]'),
           (2, 'roster', 'roster.csv', 'bb', 'clerk', '2026-11-01T00:00:00Z', 'gb18030', 3, 3, 0, '[]', '["跳过了标题行"]');
    INSERT INTO employers (uscc, name) VALUES ('${OWNER}', '邢台城投'), ('${CONTRACTOR}', '冀建集团');
  `);
  const project = s.prepare(`INSERT INTO projects (id, code, name, county, owner_uscc, contractor_uscc, contract_amount_fen, contract_signed_on,
      start_date, completion_date, government_funded, wage_account_no, wage_account_bank, wage_account_opened_on, pay_day, monthly_labor_cost_fen, batch_id, line)
    VALUES (?, ?, ?, ?, '${OWNER}', '${CONTRACTOR}', ?, '2026-01-10', '2026-02-01', ?, 1, ?, '建设银行邢台分行', '2026-01-20', 15, 50000000, 1, ?)`);
  project.run(1, 'XT-2026-001', '信都区保障房一期', '信都区', 1_000_000_000, null, '13050161010800000123', 2);
  project.run(2, 'XT-2026-002', '任泽区道路改造', '任泽区', 250_000_000, '2026-06-30', null, 3);

  const roster = s.prepare(`INSERT INTO roster_entries (project_id, id_number, name, employer_uscc, team, trade, entry_date, exit_date, contract_signed,
      wage_basis, wage_rate_fen, bank_card, bank_name, phone, batch_id, line) VALUES (?, ?, ?, '${CONTRACTOR}', '木工班', '木工', ?, ?, 1, 'daily', 30000, ?, '农业银行', ?, 2, ?)`);
  roster.run(1, A.id, A.name, '2026-03-01', null, A.card, A.phone, 2);
  roster.run(1, B.id, B.name, '2026-03-01', null, B.card, B.phone, 3);
  roster.run(2, A.id, A.name, '2026-02-01', '2026-06-30', A.card, A.phone, 4);
  roster.run(2, C.id, C.name, '2026-02-01', '2026-06-30', C.card, C.phone, 5);
  s.prepare('INSERT INTO workers (id_number, name) VALUES (?, ?), (?, ?), (?, ?)').run(A.id, A.name, B.id, B.name, C.id, C.name);

  const payroll = s.prepare(`INSERT INTO payroll_rows (project_id, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed, batch_id, line)
    VALUES (1, '2026-10', ?, ?, ?, ?, ?, ?, 1, 2, ?)`);
  payroll.run(A.id, A.name, 2150, 620000, 20000, 600000, 4);
  payroll.run(B.id, B.name, 2000, 482350, 0, 482350, 5);
  // a superseded row must not count
  s.prepare(`INSERT INTO payroll_rows (project_id, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed, batch_id, line, superseded_by)
    VALUES (1, '2026-10', ?, ?, 2000, 999900, 0, 999900, 1, 1, 9, 2)`).run(C.id, C.name);

  const payment = s.prepare(`INSERT INTO payments (project_id, month, id_number, payee_name, payee_card, amount_fen, paid_on, channel, bank_ref, natural_key, batch_id, line)
    VALUES (1, '2026-10', ?, ?, ?, ?, ?, ?, ?, ?, 2, ?)`);
  payment.run(A.id, A.name, A.card, 600000, '2026-11-13', 'dedicated_account', 'BR0001', 'BR0001', 6);
  payment.run(B.id, B.name, null, 200000, '2026-11-20', 'cash', null, 'cash-1', 7);
  payment.run(B.id, B.name, null, 100000, '2026-12-05', 'cash', null, 'cash-2', 8); // after the as-of date

  s.exec(`
    INSERT INTO account_transactions (project_id, tx_date, direction, amount_fen, purpose, counterparty, bank_ref, batch_id, line)
      VALUES (1, '2026-11-01', 'in', 1000000, 'labor_cost', '邢台城投', 'T1', 2, 10), (1, '2026-11-13', 'out', 600000, 'wages', NULL, 'BR0001', 2, 11);
    INSERT INTO deposit_events (project_id, event, form, amount_fen, date, expires_on, voucher_no, batch_id, line)
      VALUES (1, 'deposit', 'cash', 10000000, '2026-02-15', NULL, 'V-001', 2, 12);
    INSERT INTO evaluated_days (as_of, computed_at, mode, project_count, evaluated_count, changed_count, finding_count, params_version)
      VALUES ('2026-11-27', '2026-11-27T18:00:00Z', 'full', 2, 2, 2, 1, 'seed'), ('2026-11-28', '2026-11-28T18:00:00Z', 'incremental', 2, 2, 2, 3, 'seed');
    INSERT INTO project_outcomes (project_id, valid_from, valid_to, risk_score, arrears_fen, workers_in_arrears, oldest_due_date, estimated_exposure_fen, finding_count, assessment, report_part, problem, content_hash)
      VALUES (1, '2026-11-27', '2026-11-28', 70, 282350, 1, '2026-11-14', 0, 1, '{"risk":{"score":70,"terms":[]},"deposit":null}', '{}', NULL, 'o1'),
             (1, '2026-11-28', NULL, 80, 282350, 1, '2026-11-14', 0, 2,
              '{"risk":{"score":80,"terms":[{"term":"arrears","points":50,"why":"欠薪 2823.50 元"}]},"deposit":{"required":"200000.00","steps":[{"step":"base","rate":"0.02","source":"冀人社规〔2022〕3号"}],"held":"100000.00"}}', '{}', NULL, 'o2'),
             (2, '2026-11-28', NULL, 10, 0, 0, NULL, 0, 1, '{"risk":{"score":10,"terms":[]},"deposit":null}', '{}', NULL, 'o3');
    INSERT INTO project_states (project_id, project_code, county, evaluated_on, facts_version, params_version, next_change, result_hash, risk_score,
        arrears_fen, workers_in_arrears, oldest_due_date, estimated_exposure_fen, finding_count, assessment, report_part, problem)
      VALUES (1, 'XT-2026-001', '信都区', '2026-11-28', 0, 'seed', NULL, 'r1', 80, 282350, 1, '2026-11-14', 0, 2,
              '{"risk":{"score":80,"terms":[{"term":"arrears","points":50,"why":"欠薪 2823.50 元"}]},"deposit":{"required":"200000.00","steps":[{"step":"base","rate":"0.02","source":"冀人社规〔2022〕3号"}],"held":"100000.00"}}', '{}', NULL),
             (2, 'XT-2026-002', '任泽区', '2026-11-28', 0, 'seed', NULL, 'r2', 10, 0, 0, NULL, 0, 1, '{"risk":{"score":10,"terms":[]},"deposit":null}', '{}', NULL);
    INSERT INTO citations (id, hash, legal_basis, params) VALUES (1, 'c1', '{"document":"保障农民工工资支付条例","article":"第十二条","advisory":false}', '[]');
  `);
  // the findings of the two days as versions: the partial payment's evidence changed on 11-28
  const finding = s.prepare(`INSERT INTO finding_versions (id, project_id, fingerprint, valid_from, valid_to, code, severity, project_code, county, risk_score, severity_rank,
      id_number, month, employer_uscc, amount_fen, due_date, sentence, citation_id, evidence, content_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '${CONTRACTOR}', ?, NULL, ?, 1, ?, ?)`);
  finding.run(1, 1, `WAGE_PARTIAL|1|${B.id}|2026-10`, '2026-11-27', '2026-11-28', 'WAGE_PARTIAL', 'high', 'XT-2026-001', '信都区', 70, 3, B.id, '2026-10', 282350, `工人${B.id}（${B.name}）2026年10月工资少付 2823.50 元`, '[]', 'h1');
  finding.run(2, 1, `WAGE_PARTIAL|1|${B.id}|2026-10`, '2026-11-28', null, 'WAGE_PARTIAL', 'high', 'XT-2026-001', '信都区', 80, 3, B.id, '2026-10', 282350, `工人${B.id}（${B.name}）2026年10月工资少付 2823.50 元`,
    JSON.stringify([{ table: 'payments', id: 2, batchId: 2, line: 7, payeeCard: B.card }]), 'h2');
  finding.run(3, 1, `PAID_OUTSIDE_ACCOUNT|1|${B.id}|2026-10|cash-1`, '2026-11-28', null, 'PAID_OUTSIDE_ACCOUNT', 'medium', 'XT-2026-001', '信都区', 80, 2, B.id, '2026-10', 200000, '现金发放工资，未通过专用账户', '[]', 'h3');
  finding.run(4, 2, 'DEPOSIT_MISSING|2', '2026-11-28', null, 'DEPOSIT_MISSING', 'critical', 'XT-2026-002', '任泽区', 10, 4, null, null, null, '未存储工资保证金', '[]', 'h4');
  s.prepare('INSERT INTO reports (as_of, created_at, json) VALUES (?, ?, ?)').run(
    '2026-11-28',
    '2026-11-28T18:00:00Z',
    JSON.stringify({
      asOf: '2026-11-28',
      totals: { arrears: '2823.50', workersInArrears: 1, projectsInArrears: 1, estimatedExposure: '0.00' },
      counties: [{ county: '信都区', arrears: '2823.50', workersInArrears: 1, projectsInArrears: 1 }],
      projects: [{ projectCode: 'XT-2026-001', county: '信都区', arrears: '2823.50', workersInArrears: 1, oldestOverdueDays: 14, estimatedExposure: '0.00', flags: { WAGE_PARTIAL: 1 } }],
    }),
  );
}

/** Asserts a text holds none of the seeded full numbers; returns the offending ones. */
export function leakedSecrets(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

export const maskedId = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;
export const maskedCard = (c: string) => `${c.slice(0, 4)} **** **** ${c.slice(-4)}`;
