/**
 * Nightly report benchmark: the whole nightly run (load + evaluate + store + report + files) for a
 * deterministically generated city, beside its floors.
 *
 *   npx tsx scripts/bench-report.ts [--projects 2000] [--workers 120] [--months 12] [--keep DIR] [--db PATH]
 *
 * City: N projects in 20 counties, W roster workers each (5% of them also on a second project), 12 wage
 * months up to the as-of month, one payroll row per worker-month, one payment per row (≈95% through the
 * dedicated account with its wages outflow, ≈5% cash; ≈90% on time, 5% late, 3% unpaid, 2% partial), a
 * monthly labour-cost inflow and a deposit per project. Rows are inserted with prepared statements, the
 * indexes dropped during the load and rebuilt after (ARCHITECTURE.md: load first, index after).
 *
 * Measured, each in a fresh child process so that peak RSS is the step's own:
 *   floor A   SELECT every current payroll row (iterate, no objects kept)
 *   floor B   loadCityFacts + evaluateCity alone (the pure rules core, its time printed apart)
 *   nightly   produceNightlyReport: what `huxin nightly` does (load, evaluate, build, render, store, files)
 *   fork      the same through `huxin nightly` in a forked child, as the scheduler runs it (wall time)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadCityFacts } from '../src/db/facts.ts';
import { openDatabase } from '../src/db/open.ts';
import type { IsoDate } from '../src/domain/date.ts';
import { produceNightlyReport } from '../src/jobs/produce.ts';
import { HUXIN_BIN } from '../src/jobs/runners.ts';
import { evaluateCity } from '../src/rules/evaluate.ts';
import { cardNumber, creditCode, identityNumber, int, rng } from './fixture-values.ts';

const SELF = fileURLToPath(import.meta.url);
const AS_OF = '2026-12-02' as IsoDate;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
  };
}

// ——— generation ———

const COUNTIES = ['信都区', '襄都区', '任泽区', '南和区', '临城县', '内丘县', '柏乡县', '隆尧县', '宁晋县', '巨鹿县', '新河县', '广宗县', '平乡县', '威县', '清河县', '临西县', '南宫市', '沙河市', '邢台经济开发区', '邢东新区'];
const MONTHS_END = '2026-11';

function monthsBack(n: number): string[] {
  const out: string[] = [];
  let [y, m] = MONTHS_END.split('-').map(Number) as [number, number];
  for (let i = 0; i < n; i++) {
    out.unshift(`${y}-${String(m).padStart(2, '0')}`);
    m--;
    if (m === 0) {
      m = 12;
      y--;
    }
  }
  return out;
}

function nextMonth(month: string, day: number): string {
  let [y, m] = month.split('-').map(Number) as [number, number];
  m++;
  if (m === 13) {
    m = 1;
    y++;
  }
  return `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function generate(path: string, projects: number, workersPer: number, monthCount: number): Record<string, number> {
  const r = rng(20261202);
  const db = openDatabase(path); // migrated schema
  db.$client.close();
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  const indexes = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('roster_entries','payroll_rows','payments','account_transactions','deposit_events','projects')`)
    .all() as { name: string; sql: string }[];
  for (const ix of indexes) sqlite.exec(`DROP INDEX "${ix.name}"`);

  const months = monthsBack(monthCount);
  const contractors = Array.from({ length: Math.max(3, Math.round(projects / 7)) }, (_, i) => ({ uscc: creditCode(r, '91', '130500'), name: `邢台第${i + 1}建工集团有限公司` }));
  const labour = Array.from({ length: Math.max(3, Math.round(projects / 4)) }, (_, i) => ({ uscc: creditCode(r, '91', '130500'), name: `邢台第${i + 1}劳务有限公司` }));
  const insEmployer = sqlite.prepare('INSERT OR IGNORE INTO employers (uscc, name) VALUES (?, ?)');
  const insProject = sqlite.prepare(`INSERT INTO projects (id, code, name, county, owner_uscc, contractor_uscc, contract_amount_fen, contract_signed_on, start_date,
      planned_end_date, completion_date, government_funded, wage_account_no, wage_account_bank, wage_account_opened_on, pay_day, monthly_labor_cost_fen, batch_id, line)
      VALUES (?, ?, ?, ?, ?, ?, ?, '2025-10-20', '2025-11-01', '2027-12-31', NULL, 1, ?, '中国建设银行邢台分行', '2025-10-25', 15, NULL, 1, ?)`);
  const insRoster = sqlite.prepare(`INSERT INTO roster_entries (project_id, id_number, name, employer_uscc, team, trade, entry_date, exit_date, contract_signed,
      wage_basis, wage_rate_fen, bank_card, bank_name, phone, batch_id, line) VALUES (?, ?, ?, ?, '一班', '钢筋工', ?, NULL, ?, 'daily', ?, ?, '中国工商银行', ?, 2, ?)`);
  const insPayroll = sqlite.prepare(`INSERT INTO payroll_rows (project_id, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed, batch_id, line)
      VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, 3, ?)`);
  const insPayment = sqlite.prepare(`INSERT INTO payments (project_id, month, id_number, payee_name, payee_card, amount_fen, paid_on, channel, bank_ref, natural_key, batch_id, line)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 4, ?)`);
  const insTx = sqlite.prepare(`INSERT INTO account_transactions (project_id, tx_date, direction, amount_fen, purpose, counterparty, bank_ref, batch_id, line)
      VALUES (?, ?, ?, ?, ?, ?, ?, 5, ?)`);
  const insDeposit = sqlite.prepare(`INSERT INTO deposit_events (project_id, event, form, amount_fen, date, expires_on, voucher_no, batch_id, line) VALUES (?, 'deposit', ?, ?, '2025-11-10', ?, ?, 6, ?)`);

  const counts = { projects: 0, roster: 0, payroll: 0, payments: 0, transactions: 0, deposits: 0 };
  const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
  const given = ['国强', '建军', '志刚', '海涛', '文明', '春生', '永利', '德胜', '长江', '小平', '二虎', '秋菊'];
  let seq = 0;
  let line = 1;
  let ref = 0;
  const pool: { id: string; name: string; card: string }[] = [];
  const newWorker = () => {
    seq++;
    // unique by construction: a distinct birth date for every 1,000 workers, the sequence below it
    const birth = new Date(Date.UTC(1965, 0, 1) + Math.floor(seq / 1000) * 86_400_000).toISOString().slice(0, 10);
    const w = { id: identityNumber(`1305${String(21 + (seq % 15))}`, birth, seq % 1000), name: `${surnames[int(r, 0, surnames.length - 1)]}${given[int(r, 0, given.length - 1)]}`, card: cardNumber(r, '622202') };
    pool.push(w);
    return w;
  };

  for (const e of [...contractors, ...labour]) insEmployer.run(e.uscc, e.name);
  const perTx = Math.max(1, Math.floor(200 / Math.max(1, Math.ceil(projects / 200))));
  for (let p0 = 0; p0 < projects; p0 += perTx) {
    sqlite.transaction(() => {
      for (let p = p0 + 1; p <= Math.min(projects, p0 + perTx); p++) {
        const contractor = contractors[int(r, 0, contractors.length - 1)]!;
        const sub = labour[int(r, 0, labour.length - 1)]!;
        const contract = int(r, 5_000, 200_000) * 100_000; // 5M – 200M yuan, in fen
        insProject.run(p, `XT-B-${String(p).padStart(5, '0')}`, `基准项目${p}`, COUNTIES[p % COUNTIES.length], contractor.uscc, contractor.uscc, contract, `ACC${p}`, ++line);
        counts.projects++;
        insTx.run(p, '2025-11-05', 'in', 2_000_000_000, 'labor_cost', '建设单位', `FUND-${p}`, ++line);
        counts.transactions++;
        insDeposit.run(p, r() < 0.8 ? 'cash' : 'bank_guarantee', Math.round(contract * 0.02), r() < 0.8 ? null : '2026-12-20', `BZJ-${p}`, ++line);
        counts.deposits++;
        const onProject = new Set<string>();
        for (let w = 0; w < workersPer; w++) {
          let worker = pool.length > 1000 && r() < 0.05 ? pool[int(r, 0, pool.length - 1)]! : newWorker();
          if (onProject.has(worker.id)) worker = newWorker();
          onProject.add(worker.id);
          const employer = r() < 0.6 ? sub.uscc : contractor.uscc;
          const rate = int(r, 200, 450) * 100;
          insRoster.run(p, worker.id, worker.name, employer, `${months[0]}-01`, r() < 0.97 ? 1 : 0, rate, worker.card, `13${String(int(r, 100000000, 999999999))}`, ++line);
          counts.roster++;
          for (const month of months) {
            const days = int(r, 1800, 2600);
            const net = Math.round((rate * days) / 100);
            insPayroll.run(p, month, worker.id, worker.name, days, net, net, r() < 0.98 ? 1 : 0, ++line);
            counts.payroll++;
            const fate = r();
            if (fate < 0.03) continue; // unpaid
            const amount = fate < 0.05 ? Math.round(net / 2) : net; // partial
            const paidOn = fate < 0.1 && fate >= 0.05 ? nextMonth(month, 25) : nextMonth(month, 10);
            const dedicated = r() < 0.95;
            const bankRef = dedicated ? `B${String(++ref).padStart(12, '0')}` : null;
            insPayment.run(p, month, worker.id, worker.name, dedicated ? worker.card : null, amount, paidOn, dedicated ? 'dedicated_account' : 'cash', bankRef, bankRef ?? `cash-${ref++}`, ++line);
            counts.payments++;
            if (bankRef) {
              insTx.run(p, paidOn, 'out', amount, 'wages', worker.name, bankRef, ++line);
              counts.transactions++;
            }
          }
        }
      }
    })();
  }
  for (const ix of indexes) sqlite.exec(ix.sql);
  sqlite.exec('ANALYZE');
  sqlite.close();
  return counts;
}

// ——— measurements (each in a child) ———

function floorSelect(dbPath: string): object {
  const db = openDatabase(dbPath, { readonly: true });
  const t0 = performance.now();
  let n = 0;
  let sum = 0;
  for (const row of db.$client.prepare('SELECT * FROM payroll_rows WHERE superseded_by IS NULL ORDER BY id').iterate() as IterableIterator<{ net_fen: number }>) {
    n++;
    sum += row.net_fen;
  }
  const ms = performance.now() - t0;
  db.$client.close();
  return { rows: n, ms, check: sum };
}

/** Every current row of the four big fact tables, as raw arrays (no row objects): the read floor of a load. */
function floorSelectAll(dbPath: string): object {
  const db = openDatabase(dbPath, { readonly: true });
  const t0 = performance.now();
  let n = 0;
  for (const table of ['roster_entries', 'payroll_rows', 'payments', 'account_transactions']) {
    for (const _row of db.$client.prepare(`SELECT * FROM ${table} WHERE superseded_by IS NULL ORDER BY id`).raw(true).iterate()) n++;
  }
  const ms = performance.now() - t0;
  db.$client.close();
  return { rows: n, ms };
}

function floorEvaluate(dbPath: string): object {
  const db = openDatabase(dbPath, { readonly: true });
  const t0 = performance.now();
  const facts = loadCityFacts(db);
  const t1 = performance.now();
  const e = evaluateCity(facts, AS_OF);
  const t2 = performance.now();
  db.$client.close();
  return { loadMs: t1 - t0, evaluateMs: t2 - t1, projects: e.projects.length, findings: e.projects.reduce((n, p) => n + p.findings.length, 0), arrears: e.totals.arrears };
}

function nightly(dbPath: string, reportsDir: string): object {
  const db = openDatabase(dbPath);
  const r = produceNightlyReport({ db, asOf: AS_OF, reportsDir, now: new Date().toISOString() });
  db.$client.close();
  return r.timings;
}

if (process.argv[2] === '--child') {
  const [, , , step, dbPath, reportsDir] = process.argv;
  const peak = rssSampler();
  const result = step === 'select' ? floorSelect(dbPath!) : step === 'select-all' ? floorSelectAll(dbPath!) : step === 'evaluate' ? floorEvaluate(dbPath!) : nightly(dbPath!, reportsDir!);
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: peak() })}\n`);
  process.exit(0);
}

function child(step: string, dbPath: string, reportsDir: string): Record<string, number> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', ...(process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), SELF, '--child', step, dbPath, reportsDir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const projects = Number(option('projects') ?? 2000);
const workers = Number(option('workers') ?? 120);
const monthCount = Number(option('months') ?? 12);
const keep = option('keep');
const dir = keep ?? mkdtempSync(join(tmpdir(), 'huxin-bench-report-'));
const dbPath = option('db') ?? join(dir, 'bench.db');
const reportsDir = join(dir, 'reports');
const s = (ms: number) => (ms / 1000).toFixed(2);

try {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  if (!existsSync(dbPath) || !option('db')) {
    const t0 = performance.now();
    const counts = generate(dbPath, projects, workers, monthCount);
    console.log(`generated ${projects} projects × ${workers} workers × ${monthCount} months in ${s(performance.now() - t0)} s:`, counts);
  }
  const select = child('select', dbPath, reportsDir);
  const selectAll = child('select-all', dbPath, reportsDir);
  const evaluate = child('evaluate', dbPath, reportsDir);
  const run = child('nightly', dbPath, reportsDir);
  const tf = performance.now();
  const forked = spawnSync(process.execPath, [HUXIN_BIN, 'nightly', '--as-of', AS_OF, '--db', dbPath, '--reports-dir', reportsDir], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '' },
  });
  const forkMs = performance.now() - tf;
  if (forked.status !== 0) console.log('forked nightly failed:', forked.stderr);
  console.log(`
| step | seconds | peak RSS (MB) | detail |
|---|---:|---:|---|
| floor A: SELECT all current payroll rows | ${s(select.ms!)} | ${select.peakRssMb} | ${select.rows} rows |
| floor A2: SELECT all current rows of roster, payroll, payments, account transactions (raw arrays) | ${s(selectAll.ms!)} | ${selectAll.peakRssMb} | ${selectAll.rows} rows |
| floor B: loadCityFacts | ${s(evaluate.loadMs!)} | ${evaluate.peakRssMb} | (same child as the next line) |
| floor B: evaluateCity (pure rules core) | ${s(evaluate.evaluateMs!)} | | ${evaluate.findings} findings |
| nightly: load (read transaction) | ${s(run.loadMs!)} | ${run.peakRssMb} | |
| nightly: evaluate | ${s(run.evaluateMs!)} | | |
| nightly: build report model + JSON | ${s(run.buildMs!)} | | |
| nightly: render CSV/HTML + stage files | ${s(run.renderMs!)} | | |
| nightly: store (one transaction) | ${s(run.storeMs!)} | | findings, assessments, report row |
| **nightly total (in process)** | **${s(run.totalMs!)}** | | |
| nightly as forked \`huxin nightly\` (wall, incl. start-up) | ${s(forkMs)} | | |
`);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
