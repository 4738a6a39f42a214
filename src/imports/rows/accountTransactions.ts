/** 专用账户流水 — a row of an account_transactions file (DATA-FORMATS.md "account_transactions"). */
import { parseDate, type IsoDate } from '../../domain/date.ts';
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
  readonly purpose: 'labor_cost' | 'wages' | 'other';
  readonly counterparty: string | null;
  readonly bankRef: string;
}

export function parseAccountTransactionRow(row: RowReader, projects: ProjectRefs): AccountTransactionRow | undefined {
  const project = projects.resolve(row);
  const txDate = row.required('tx_date', parseDate);
  const direction = row.required('direction', parseDirection);
  const amountFen = row.required('amount', parsePositiveYuan);
  const purpose = row.required('purpose', parsePurpose);
  const counterparty = row.optionalText('counterparty');
  const bankRef = row.required('bank_ref', parseRef('银行流水号'));
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
  return { project, txDate, direction, amountFen, purpose, counterparty, bankRef };
}
