/**
 * 手算小城 — a small city written straight into a real SQLite file, with every report figure worked out
 * by hand below. Two counties, three projects, six workers; worker W1 is owed on two projects of one county.
 *
 * Dates: the report is for D = 2026-11-20 (Fri); the previous report is D0 = 2026-11-19.
 * Pay day 15 everywhere. Due dates (2026 holiday schedule): Sep wages → 2026-10-15 (Thu, a working day);
 * Oct wages → 2026-11-15 is a Sunday, so the last working day before it, 2026-11-13 (Fri).
 * At D: Sep wages are 36 days overdue (10-15 → 11-20), Oct wages 7 days (11-13 → 11-20). Nov wages not due.
 *
 * Parties: C1 河北甲建工集团 (general contractor of P1, P2), C2 邢台乙建设 (general contractor of P3),
 * S1 邢台丙劳务 (labour subcontractor employing W1 on P1 and P2).
 *
 * P1 XT-A-001 信都区 (C1), contract 10,000,000.00, 200,000.00 cash deposit
 *   W1 张三 (S1, entry 10-01)      Oct net 6,000.00, nothing paid          → arrears 6,000.00, 7 days   WAGE_UNPAID
 *   W2 李四 (C1, entry 09-01)      Sep net 4,000.00 paid 10-15 (专户)       → paid
 *                                  Oct net 4,000.00, nothing paid          → arrears 4,000.00, 7 days   WAGE_UNPAID
 *   P1: arrears 10,000.00, workers 2, oldest 7
 * P2 XT-A-002 信都区 (C1), contract 10,000,000.00, a 200,000.00 bank guarantee expiring 2026-12-20
 *   W1 张三 (S1, 09-01 → exit 09-30) Sep net 5,000.00, 3,000.00 paid 10-15 (专户) → arrears 2,000.00, 36 days
 *                                  WAGE_PARTIAL, EXIT_NOT_SETTLED (left in Sep, not paid in full)
 *   W3 王五 (C1, entry 10-01, NO labour contract) Oct net 3,000.00 paid 11-18 in cash → paid_late
 *                                  WAGE_LATE, PAID_OUTSIDE_ACCOUNT (dismissed on 11-19), NO_CONTRACT (resolved 11-20 Shanghai)
 *   W5 孙七 (not on the roster)     Oct net 2,500.00 paid 11-13 (专户)       → paid; NOT_ON_ROSTER; employer → C1
 *   guarantee expires 12-20 = D + 30: GUARANTEE_EXPIRING at D (not yet at D0, whose window ends 12-19);
 *   issued 01-20 it covers less than a year and ends before the planned completion 2027-12-31: GUARANTEE_TERM_SHORT
 *   P2: arrears 2,000.00, workers 1, oldest 36
 * P3 XT-B-001 襄都区 (C2), contract 5,000,000.00, NO deposit → DEPOSIT_MISSING
 *   W4 赵六 (C2, entry 10-19, daily 200.00) no Oct wage table → NO_PAYROLL; exposure 200.00 × Mon–Fri days
 *                                  19–31 Oct (19–23, 26–30 = 10) = 2,000.00
 *   W6 周八 (C2, entry 10-01)      Oct net 4,500.00, 1,500.00 paid 11-20 (专户) → arrears 3,000.00, 7 days
 *                                  WAGE_PARTIAL at D (it was WAGE_UNPAID at D0: the payment is dated D)
 *   Oct: 2 roster-active workers, 1 without a wage-table line (50% > 10%) → LOW_PAYROLL_COVERAGE
 *   P3: arrears 3,000.00, workers 1, oldest 7, exposure 2,000.00
 *
 * Totals: arrears 6,000 + 4,000 + 2,000 + 3,000 = 15,000.00; workers {W1, W2, W6} = 3 (projects sum to 4:
 * W1 counts once); projects in arrears 3; exposure 2,000.00; oldest 36.
 * 信都区: 12,000.00; workers {W1, W2} = 2 (P1 2 + P2 1 = 3: W1 once); projects 2; oldest 36; exposure 0.00.
 * 襄都区: 3,000.00; workers 1; projects 1; oldest 7; exposure 2,000.00.
 */
import { cardFor, idFor, usccFor } from '../rules/scenario.ts';
import { join } from 'node:path';
import { openDatabase, type Db } from '../support/floor/open.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Engine } from '../../src/store/sql.ts';
import type { Store } from '../../src/store/store.ts';
import { ENGINE, freshLocation, type TestLocation } from '../support/engines.ts';
import { onStore } from '../support/storeOn.ts';

export const D0 = '2026-11-19';
export const D = '2026-11-20';

export const C1 = usccFor('C1');
export const C2 = usccFor('C2');
export const S1 = usccFor('S1');
export const OWNER = usccFor('OWNER');

export const W = {
  W1: { id: idFor('W1', '1980-03-04'), name: '张三' },
  W2: { id: idFor('W2', '1982-05-06'), name: '李四' },
  W3: { id: idFor('W3', '1985-07-08'), name: '王五' },
  W4: { id: idFor('W4', '1979-09-10'), name: '赵六' },
  W5: { id: idFor('W5', '1990-11-12'), name: '孙七' },
  W6: { id: idFor('W6', '1988-01-02'), name: '周八' },
} as const;

type Row = Record<string, string | number | null>;

function insert(db: Db, table: string, row: Row): number {
  const cols = Object.keys(row);
  const r = db.$client.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c] ?? null));
  return Number(r.lastInsertRowid);
}

let line = 1;
const batch = () => ({ batch_id: 1, line: ++line });
const fen = (yuan: string) => Math.round(Number(yuan) * 100);

function project(db: Db, code: string, name: string, county: string, contractor: string, contract: string): number {
  return insert(db, 'projects', {
    code,
    name,
    county,
    owner_uscc: OWNER,
    contractor_uscc: contractor,
    contract_amount_fen: fen(contract),
    contract_signed_on: '2026-01-05',
    start_date: '2026-01-10',
    planned_end_date: '2027-12-31',
    completion_date: null,
    government_funded: 1,
    wage_account_no: `ACC-${code}`,
    wage_account_bank: '中国建设银行邢台分行',
    wage_account_opened_on: '2026-01-06',
    pay_day: 15,
    monthly_labor_cost_fen: null,
    ...batch(),
  });
}

function roster(db: Db, projectId: number, w: keyof typeof W, employer: string, entry: string, extra: Partial<Row> = {}): void {
  insert(db, 'roster_entries', {
    project_id: projectId,
    id_number: W[w].id,
    name: W[w].name,
    employer_uscc: employer,
    team: '一班',
    trade: '钢筋工',
    entry_date: entry,
    exit_date: null,
    contract_signed: 1,
    wage_basis: 'daily',
    wage_rate_fen: 30000,
    bank_card: cardFor(w),
    bank_name: '中国工商银行',
    phone: null,
    superseded_by: null,
    ...batch(),
    ...extra,
  });
}

function payroll(db: Db, projectId: number, w: keyof typeof W, month: string, net: string): void {
  insert(db, 'payroll_rows', {
    project_id: projectId,
    month,
    id_number: W[w].id,
    name: W[w].name,
    days_worked_centi: 2175,
    gross_fen: fen(net),
    deductions_fen: 0,
    net_fen: fen(net),
    worker_confirmed: 1,
    superseded_by: null,
    ...batch(),
  });
}

let refNo = 0;
function payment(db: Db, projectId: number, w: keyof typeof W, month: string, amount: string, paidOn: string, channel: 'dedicated_account' | 'cash' = 'dedicated_account'): void {
  const bankRef = channel === 'cash' ? null : `REF${String(++refNo).padStart(6, '0')}`;
  insert(db, 'payments', {
    project_id: projectId,
    month,
    id_number: W[w].id,
    payee_name: W[w].name,
    payee_card: channel === 'cash' ? null : cardFor(w),
    amount_fen: fen(amount),
    paid_on: paidOn,
    channel,
    bank_ref: bankRef,
    natural_key: bankRef ?? `cash-${w}-${month}-${paidOn}`,
    superseded_by: null,
    ...batch(),
  });
  if (bankRef) {
    insert(db, 'account_transactions', {
      project_id: projectId,
      tx_date: paidOn,
      direction: 'out',
      amount_fen: fen(amount),
      purpose: 'wages',
      counterparty: W[w].name,
      bank_ref: bankRef,
      superseded_by: null,
      ...batch(),
    });
  }
}

function funding(db: Db, projectId: number): void {
  insert(db, 'account_transactions', {
    project_id: projectId,
    tx_date: '2026-01-10',
    direction: 'in',
    amount_fen: fen('1000000.00'),
    purpose: 'labor_cost',
    counterparty: '建设单位',
    bank_ref: `FUND-${projectId}`,
    superseded_by: null,
    ...batch(),
  });
}

function deposit(db: Db, projectId: number, form: 'cash' | 'bank_guarantee', amount: string, expiresOn: string | null, voucherNo: string): void {
  insert(db, 'deposit_events', {
    project_id: projectId,
    event: 'deposit',
    form,
    amount_fen: fen(amount),
    date: '2026-01-20',
    expires_on: expiresOn,
    voucher_no: voucherNo,
    superseded_by: null,
    ...batch(),
  });
}

export interface SeededCity {
  p1: number;
  p2: number;
  p3: number;
}

/** Writes the city above into an empty database. */
export function seedCity(db: Db): SeededCity {
  line = 1;
  refNo = 0;
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    insert(db, 'employers', { uscc: C1, name: '河北甲建工集团有限公司' });
    insert(db, 'employers', { uscc: C2, name: '邢台乙建设有限公司' });
    insert(db, 'employers', { uscc: S1, name: '邢台丙劳务有限公司' });
    insert(db, 'employers', { uscc: OWNER, name: '邢台市城市建设投资有限公司' });
    const p1 = project(db, 'XT-A-001', '信都区安置房一期', '信都区', C1, '10000000.00');
    const p2 = project(db, 'XT-A-002', '信都区学校综合楼', '信都区', C1, '10000000.00');
    const p3 = project(db, 'XT-B-001', '襄都区道路改造', '襄都区', C2, '5000000.00');
    for (const p of [p1, p2, p3]) funding(db, p);
    deposit(db, p1, 'cash', '200000.00', null, 'BZJ-A-001');
    deposit(db, p2, 'bank_guarantee', '200000.00', '2026-12-20', 'BH-A-002');

    roster(db, p1, 'W1', S1, '2026-10-01');
    roster(db, p1, 'W2', C1, '2026-09-01');
    roster(db, p2, 'W1', S1, '2026-09-01', { exit_date: '2026-09-30' });
    roster(db, p2, 'W3', C1, '2026-10-01', { contract_signed: 0 });
    roster(db, p3, 'W4', C2, '2026-10-19', { wage_basis: 'daily', wage_rate_fen: 20000 });
    roster(db, p3, 'W6', C2, '2026-10-01');

    payroll(db, p1, 'W1', '2026-10', '6000.00');
    payroll(db, p1, 'W2', '2026-09', '4000.00');
    payroll(db, p1, 'W2', '2026-10', '4000.00');
    payroll(db, p2, 'W1', '2026-09', '5000.00');
    payroll(db, p2, 'W3', '2026-10', '3000.00');
    payroll(db, p2, 'W5', '2026-10', '2500.00');
    payroll(db, p3, 'W6', '2026-10', '4500.00');

    payment(db, p1, 'W2', '2026-09', '4000.00', '2026-10-15');
    payment(db, p2, 'W1', '2026-09', '3000.00', '2026-10-15');
    payment(db, p2, 'W3', '2026-10', '3000.00', '2026-11-18', 'cash');
    payment(db, p2, 'W5', '2026-10', '2500.00', '2026-11-13');
    payment(db, p3, 'W6', '2026-10', '1500.00', '2026-11-20');
    return { p1, p2, p3 };
  })();
}

/** The inspectors' reviews made after the D0 report (fingerprints looked up in D0's stored findings). */
const REVIEWS: readonly { code: string; project: keyof SeededCity; status: 'resolved' | 'dismissed'; reason: string; at: string }[] = [
  // 2026-11-19 01:30 in Shanghai: on D0, so closed at D0 and at D
  { code: 'PAID_OUTSIDE_ACCOUNT', project: 'p2', status: 'dismissed', reason: '现金发放经核实为工人本人要求并有签收', at: '2026-11-18T17:30:00.000Z' },
  // 2026-11-20 00:30 in Shanghai (still the 19th in UTC): open at D0, closed at D
  { code: 'NO_CONTRACT', project: 'p2', status: 'resolved', reason: '已补签劳动合同', at: '2026-11-19T16:30:00.000Z' },
];

export function reviewFlags(db: Db, city: SeededCity): void {
  const fp = (code: string, projectId: number) =>
    (db.$client.prepare('SELECT fingerprint FROM findings WHERE as_of = ? AND code = ? AND project_id = ?').get(D0, code, projectId) as { fingerprint: string }).fingerprint;
  const review = db.$client.prepare('INSERT INTO flag_reviews (fingerprint, status, reason, actor, at) VALUES (?, ?, ?, ?, ?)');
  for (const r of REVIEWS) review.run(fp(r.code, city[r.project]), r.status, r.reason, 'inspector:liu', r.at);
}

/** The same reviews through the store (either engine). */
export async function reviewFlagsIn(store: Store, city: SeededCity): Promise<void> {
  const flags = await store.reportState.flags(D0);
  for (const r of REVIEWS) {
    const f = flags.find((x) => x.code === r.code && x.projectId === city[r.project])!;
    await store.sql.run('INSERT INTO flag_reviews (fingerprint, status, reason, actor, at) VALUES (?, ?, ?, ?, ?)', [f.fingerprint, r.status, r.reason, 'inspector:liu', r.at]);
  }
}

/**
 * The city above in a fresh database of the test's engine: written into a SQLite file (the fixture speaks
 * its SQL), copied onto PostgreSQL when that is the engine (src/store/copy.ts keeps every id).
 */
export async function seededLocation(engine: Engine = ENGINE): Promise<{ loc: TestLocation; city: SeededCity }> {
  const loc = await freshLocation(engine);
  const file = engine === 'sqlite' ? loc.location : join(loc.dir, 'seed.db');
  const db = openDatabase(file);
  let city: SeededCity;
  try {
    city = seedCity(db);
  } finally {
    db.$client.close();
  }
  if (engine !== 'sqlite') {
    const to = await openStore(loc.location);
    try {
      await onStore(file, (from) => copyDatabase(from, to));
    } finally {
      await to.close();
    }
  }
  return { loc, city };
}
