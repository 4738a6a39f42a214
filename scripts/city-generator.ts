/**
 * A deterministic generated city in a SQLite file, for the benchmarks (bench-report, bench-recompute):
 * N projects in 20 counties × W roster workers (5% of them also on a second project) × M wage months up to
 * 2026-11, one payroll row per worker-month, one payment per row (≈95% through the dedicated account with
 * its wages outflow, ≈5% cash; ≈90% on time, 5% late, 3% unpaid, 2% partial), a labour-cost inflow and a
 * deposit per project. Rows go in with prepared statements, indexes dropped during the load and rebuilt
 * after (ARCHITECTURE.md: load first, index after).
 */
import Database from 'better-sqlite3';
import { openDatabase } from '../test/support/floor/open.ts';
import { cardNumber, creditCode, identityNumber, int, rng } from './fixture-values.ts';

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

export function generateCityDb(path: string, projects: number, workersPer: number, monthCount: number): Record<string, number> {
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
