/**
 * Per kind: how a row is parsed and where it is written. The service drives the file; this module is the
 * one place that knows which parser and writer belong to which kind.
 */
import { registryPipeline } from '../registries/pipelines.ts';
import type { RowReader } from './rowReader.ts';
import { parseAccountTransactionRow } from './rows/accountTransactions.ts';
import { parseContractorRecordRow } from './rows/contractorRecords.ts';
import { parseDepositRow } from './rows/deposits.ts';
import { parsePaymentRow } from './rows/payments.ts';
import { parsePayrollRow } from './rows/payroll.ts';
import type { ProjectRefs } from './rows/projectRefs.ts';
import type { FactRowsRepo } from '../store/repos/factRows.ts';
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
  /** Parses and checks one data row and takes it for writing; problems go to the row's problem list. */
  handle(row: RowReader): void;
  /** Writes the rows taken so far (the checks against stored rows are made here; their problems too). */
  flush(): Promise<void>;
  replacedDetail(): unknown[];
}

function pipe<R>(parse: (row: RowReader) => R | undefined, writer: RowWriter<R>): KindPipeline {
  return {
    handle(row) {
      const value = parse(row);
      if (value !== undefined) writer.write(value, row);
    },
    flush: () => writer.flush(),
    replacedDetail: () => writer.replacedDetail(),
  };
}

/** Whether rows of the kind name the system's projects (the reference map is loaded for them). */
export function namesProjects(kind: ImportKind): boolean {
  return kind !== 'projects' && kind !== 'contractor_records';
}

/** `projects`: the reference map (ProjectRefs.load), for the kinds that name projects. */
export function pipelineFor(
  kind: ImportKind,
  rows: FactRowsRepo,
  projects: ProjectRefs | undefined,
  batchId: number,
  tally: WriteTally,
  warn: (text: string) => void,
): KindPipeline {
  if (kind === 'training' || kind === 'insurance' || kind === 'housing' || kind === 'care') {
    return registryPipeline(kind, rows, projects!, batchId, tally, warn);
  }
  if (kind === 'projects') {
    const seen = new Map<string, number>();
    return pipe((row) => parseProjectRow(row, seen), new ProjectWriter(rows, batchId, tally, warn));
  }
  if (kind === 'contractor_records') {
    // a contractor's record does not name the system's projects: it may hold a contractor with none yet
    const heldSeen = new Map<string, number>();
    return pipe((row) => parseContractorRecordRow(row, heldSeen), new ContractorRecordWriter(rows, batchId, tally, warn));
  }
  if (!projects) throw new Error(`the ${kind} pipeline needs the project references`);
  switch (kind) {
    case 'roster':
      return pipe((row) => parseRosterRow(row, projects), new RosterWriter(rows, batchId, tally, warn));
    case 'payroll':
      return pipe((row) => parsePayrollRow(row, projects), new PayrollWriter(rows, batchId, tally));
    case 'payments':
      return pipe((row) => parsePaymentRow(row, projects), new PaymentWriter(rows, batchId, tally));
    case 'account_transactions':
      return pipe((row) => parseAccountTransactionRow(row, projects), new AccountTransactionWriter(rows, batchId, tally));
    case 'deposits':
      return pipe((row) => parseDepositRow(row, projects, warn), new DepositWriter(rows, batchId, tally));
  }
}
