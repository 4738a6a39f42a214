/**
 * Per kind: how a row is parsed and where it is written. The service drives the file; this module is the
 * one place that knows which parser and writer belong to which kind.
 */
import type Database from 'better-sqlite3';
import { registryPipeline } from '../registries/pipelines.ts';
import type { RowReader } from './rowReader.ts';
import { parseAccountTransactionRow } from './rows/accountTransactions.ts';
import { parseContractorRecordRow } from './rows/contractorRecords.ts';
import { parseDepositRow } from './rows/deposits.ts';
import { parsePaymentRow } from './rows/payments.ts';
import { parsePayrollRow } from './rows/payroll.ts';
import { ProjectRefs } from './rows/projectRefs.ts';
import { parseProjectRow } from './rows/projects.ts';
import { parseRosterRow } from './rows/roster.ts';
import type { ImportKind } from './types.ts';
import {
  AccountTransactionWriter,
  ContractorRecordWriter,
  DepositWriter,
  PaymentWriter,
  PayrollWriter,
  ProjectWriter,
  RosterWriter,
  type RowWriter,
  type WriteTally,
} from './writer.ts';

export interface KindPipeline {
  /** Parses, checks and writes one data row; problems go to the row's problem list. */
  handle(row: RowReader): void;
  replacedDetail(): unknown[];
}

function pipe<R>(parse: (row: RowReader) => R | undefined, writer: RowWriter<R>): KindPipeline {
  return {
    handle(row) {
      const value = parse(row);
      if (value !== undefined) writer.write(value, row);
    },
    replacedDetail: () => writer.replacedDetail(),
  };
}

export function pipelineFor(
  kind: ImportKind,
  client: Database.Database,
  batchId: number,
  tally: WriteTally,
  warn: (text: string) => void,
): KindPipeline {
  if (kind === 'training' || kind === 'insurance' || kind === 'housing' || kind === 'care') {
    return registryPipeline(kind, client, batchId, tally, warn);
  }
  if (kind === 'projects') {
    const seen = new Map<string, number>();
    return pipe((row) => parseProjectRow(row, seen), new ProjectWriter(client, batchId, tally, warn));
  }
  if (kind === 'contractor_records') {
    // a contractor's record does not name the system's projects: it may hold a contractor with none yet
    const heldSeen = new Map<string, number>();
    return pipe((row) => parseContractorRecordRow(row, heldSeen), new ContractorRecordWriter(client, batchId, tally, warn));
  }
  const projects = new ProjectRefs(client);
  switch (kind) {
    case 'roster':
      return pipe((row) => parseRosterRow(row, projects), new RosterWriter(client, batchId, tally, warn));
    case 'payroll':
      return pipe((row) => parsePayrollRow(row, projects), new PayrollWriter(client, batchId, tally));
    case 'payments':
      return pipe((row) => parsePaymentRow(row, projects), new PaymentWriter(client, batchId, tally));
    case 'account_transactions':
      return pipe((row) => parseAccountTransactionRow(row, projects), new AccountTransactionWriter(client, batchId, tally));
    case 'deposits':
      return pipe((row) => parseDepositRow(row, projects, warn), new DepositWriter(client, batchId, tally));
  }
}
