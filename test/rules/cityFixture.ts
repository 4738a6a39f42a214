/**
 * A synthetic city for performance checks: `projects` projects × `workers` workers × `months` months,
 * every worker on the roster, a confirmed wage-table row and a 专户代发 payment with its account outflow
 * each month. A few workers per project are left unpaid so flags and arrears exist. Deterministic.
 */
import type { BankCard } from '../../src/domain/bankCard.ts';
import { luhnCheckDigit } from '../../src/domain/bankCard.ts';
import { addDays, type IsoDate } from '../../src/domain/date.ts';
import { idCheckCharacter, type IdNumber } from '../../src/domain/idNumber.ts';
import { fen } from '../../src/domain/money.ts';
import { addMonths, clampedDayOf, type Month } from '../../src/domain/month.ts';
import type { AccountTxFact, CityFacts, EvidenceRef, PaymentFact, PayrollRowFact, ProjectFacts, RosterEntryFact } from '../../src/rules/facts.ts';
import { usccFor } from './scenario.ts';

export function generateCity(opts: { projects: number; workers: number; months: number; firstMonth?: string }): CityFacts {
  const first = (opts.firstMonth ?? '2025-11') as Month;
  const ref: EvidenceRef = { table: 'payroll_rows', id: 0, batchId: 1, line: 0 };
  const contractor = usccFor('contractor');
  const owner = usccFor('owner');
  const projects: ProjectFacts[] = [];
  let seq = 0;
  for (let p = 0; p < opts.projects; p++) {
    const code = `XT-${String(p).padStart(5, '0')}`;
    const roster: RosterEntryFact[] = [];
    const payroll: PayrollRowFact[] = [];
    const payments: PaymentFact[] = [];
    const txs: AccountTxFact[] = [{ ref, txDate: '2025-11-01' as IsoDate, direction: 'in', amount: fen(10_000_000_000), purpose: 'labor_cost', bankRef: `${code}-IN` }];
    for (let w = 0; w < opts.workers; w++) {
      seq++;
      // unique per worker: a birth date 1970-01-01 + ⌊seq / 1000⌋ days, and seq mod 1000 as the sequence
      const birth = addDays('1970-01-01' as IsoDate, Math.floor(seq / 1000)).replace(/-/g, '');
      const first17 = `130502${birth}${String(seq % 1000).padStart(3, '0')}`;
      const id = (first17 + idCheckCharacter(first17)) as IdNumber;
      const body = `62220${String(seq).padStart(13, '0')}`;
      const card = (body + luhnCheckDigit(body)) as BankCard;
      roster.push({
        ref,
        idNumber: id,
        name: `工人${seq}`,
        employerUscc: contractor,
        entryDate: `${first}-01` as IsoDate,
        contractSigned: true,
        wageBasis: 'daily',
        wageRate: fen(30000),
        bankCard: card,
      });
      for (let m = 0; m < opts.months; m++) {
        const month = addMonths(first, m);
        payroll.push({ ref, month, idNumber: id, name: `工人${seq}`, daysWorkedCenti: 2175, gross: fen(600000), deductions: fen(0), net: fen(600000), workerConfirmed: true });
        if (w % 40 === 7 && m === opts.months - 3) continue; // a few unpaid worker-months
        const paidOn = clampedDayOf(addMonths(month, 1), 10);
        const bankRef = `${code}-${w}-${m}`;
        payments.push({ ref, month, idNumber: id, payeeName: `工人${seq}`, payeeCard: card, amount: fen(600000), paidOn, channel: 'dedicated_account', bankRef });
        txs.push({ ref, txDate: paidOn, direction: 'out', amount: fen(600000), purpose: 'wages', bankRef });
      }
    }
    projects.push({
      id: p + 1,
      ref,
      code,
      name: `${code} 工程`,
      county: '信都区',
      ownerUscc: owner,
      ownerName: '建设单位',
      contractorUscc: contractor,
      contractorName: '建工集团',
      contractAmount: fen(1_000_000_000),
      contractSignedOn: '2025-10-08' as IsoDate,
      startDate: '2025-10-10' as IsoDate,
      governmentFunded: false,
      wageAccount: { no: `6217${p}`, openedOn: '2025-10-09' as IsoDate },
      payDay: 15,
      roster,
      payroll,
      payments,
      accountTransactions: txs,
      depositEvents: [{ ref, event: 'deposit', form: 'cash', amount: fen(20_000_000), date: '2025-10-20' as IsoDate, voucherNo: `${code}-D` }],
    });
  }
  return { projects, blacklist: [], contractorHistory: [] };
}
