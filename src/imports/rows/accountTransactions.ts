/** 专用账户流水 — a row of an account_transactions file (DATA-FORMATS.md "account_transactions"). */
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import type { Fen } from '../../domain/money.ts';
import { parseDirection, parsePurpose } from '../enums.ts';
import type { RowReader } from '../rowReader.ts';
import { parsePositiveYuan, parseRef } from '../values.ts';
import type { ProjectRef, ProjectRefs } from './projectRefs.ts';

export interface AccountTransactionRow {
  readonly project: ProjectRef;
  readonly txDate: IsoDate;
  readonly direction: 'in' | 'out';
  readonly amountFen: Fen;
  readonly purpose: 'labor_cost' | 'wages' | 'wage_return' | 'other';
  readonly counterparty: string | null;
  readonly bankRef: string;
  /** for a 工资退回 (wage_return) inflow: the returned transfer's bank reference */
  readonly originalBankRef: string | null;
}

export function parseAccountTransactionRow(row: RowReader, projects: ProjectRefs): AccountTransactionRow | undefined {
  const project = projects.resolve(row);
  const txDate = row.required('tx_date', parseCellDate);
  const direction = row.required('direction', parseDirection);
  const amountFen = row.required('amount', parsePositiveYuan);
  const purpose = row.required('purpose', parsePurpose);
  const counterparty = row.optionalText('counterparty');
  const bankRef = row.required('bank_ref', parseRef('银行流水号'));
  const originalBankRef = row.optional('original_bank_ref', parseRef('原银行流水号'));
  // a return is its own kind of row: an inflow naming the transfer that came back (amounts stay positive)
  if (purpose === 'wage_return') {
    if (direction === 'out') row.fail('direction', '交易用途为工资退回时收支方向应为收入（退回的工资转入专户）');
    if (!row.has('original_bank_ref')) row.fail('original_bank_ref', '交易用途为工资退回时必须填写原银行流水号（被退回的那笔工资代发的流水号）');
  } else if (purpose !== undefined && row.has('original_bank_ref')) {
    row.fail('original_bank_ref', '只有交易用途为工资退回的流水才填写原银行流水号');
  }
  if (
    row.failed ||
    project === undefined ||
    txDate === undefined ||
    direction === undefined ||
    amountFen === undefined ||
    purpose === undefined ||
    bankRef === undefined
  ) {
    return undefined;
  }
  return { project, txDate, direction, amountFen, purpose, counterparty, bankRef, originalBankRef: originalBankRef ?? null };
}
