/** 工资支付表 — a row of a payroll file (DATA-FORMATS.md "payroll"). */
import { parseBool } from '../../domain/bool.ts';
import { parseIdNumber, type IdNumber } from '../../domain/idNumber.ts';
import { yuanText, type Fen } from '../../domain/money.ts';
import { parseMonth, type Month } from '../../domain/month.ts';
import type { RowReader } from '../rowReader.ts';
import { parseDaysCenti, parseName, parseNonNegativeYuan } from '../values.ts';
import type { ProjectRef, ProjectRefs } from './projectRefs.ts';

export interface PayrollRow {
  readonly project: ProjectRef;
  readonly month: Month;
  readonly name: string;
  readonly idNumber: IdNumber;
  readonly daysWorkedCenti: number;
  readonly grossFen: Fen;
  readonly deductionsFen: Fen;
  readonly netFen: Fen;
  readonly workerConfirmed: boolean;
}

export function parsePayrollRow(row: RowReader, projects: ProjectRefs): PayrollRow | undefined {
  const project = projects.resolve(row);
  const month = row.required('month', parseMonth);
  const name = row.required('name', parseName);
  const idNumber = row.required('id_number', parseIdNumber);
  const daysWorkedCenti = row.required('days_worked', parseDaysCenti);
  const grossFen = row.required('gross_pay', parseNonNegativeYuan);
  const deductions = row.optional('deductions', parseNonNegativeYuan);
  const deductionsOk = deductions !== null || !row.has('deductions');
  const deductionsFen = deductions ?? (0 as Fen);
  const netFen = row.required('net_pay', parseNonNegativeYuan);
  const workerConfirmed = row.optional('worker_confirmed', (raw) => parseBool(raw, false)) ?? false;

  if (grossFen !== undefined && netFen !== undefined && deductionsOk && grossFen - deductionsFen !== netFen) {
    row.fail(
      'net_pay',
      `实发工资 ${yuanText(netFen)} 不等于 应发工资 ${yuanText(grossFen)} − 代扣款项 ${yuanText(deductionsFen)} = ${yuanText((grossFen - deductionsFen) as Fen)}，请核对这三列`,
    );
  }
  if (
    row.failed ||
    project === undefined ||
    month === undefined ||
    name === undefined ||
    idNumber === undefined ||
    daysWorkedCenti === undefined ||
    grossFen === undefined ||
    netFen === undefined
  ) {
    return undefined;
  }
  return { project, month, name, idNumber, daysWorkedCenti, grossFen, deductionsFen, netFen, workerConfirmed };
}
