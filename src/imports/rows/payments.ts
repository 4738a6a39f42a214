/** 工资发放记录 — a row of a payments file (DATA-FORMATS.md "payments"). */
import { createHash } from 'node:crypto';
import { parseBankCard, type BankCard } from '../../domain/bankCard.ts';
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import { parseIdNumber, type IdNumber } from '../../domain/idNumber.ts';
import type { Fen } from '../../domain/money.ts';
import { parseMonth, type Month } from '../../domain/month.ts';
import { parseChannel } from '../enums.ts';
import type { RowReader } from '../rowReader.ts';
import { parseName, parsePositiveYuan, parseRef } from '../values.ts';
import type { ProjectRef, ProjectRefs } from './projectRefs.ts';

export interface PaymentRow {
  readonly project: ProjectRef;
  readonly month: Month;
  readonly idNumber: IdNumber;
  readonly payeeName: string;
  readonly payeeCard: BankCard | null;
  readonly amountFen: Fen;
  readonly paidOn: IsoDate;
  readonly channel: 'dedicated_account' | 'other_transfer' | 'cash';
  readonly bankRef: string | null;
  /** 退回日期 / 退回原因: the bank returned the transfer (null = not returned) */
  readonly returnedOn: IsoDate | null;
  readonly returnReason: string | null;
  /** bank_ref for bank channels; for cash (no bank reference) a digest of every field */
  readonly naturalKey: string;
}

export function parsePaymentRow(row: RowReader, projects: ProjectRefs): PaymentRow | undefined {
  const project = projects.resolve(row);
  const month = row.required('month', parseMonth);
  const idNumber = row.required('id_number', parseIdNumber);
  const payeeName = row.required('payee_name', parseName);
  const payeeCard = row.optional('payee_card', parseBankCard);
  const amountFen = row.required('amount', parsePositiveYuan);
  const paidOn = row.required('paid_on', parseCellDate);
  const channel = row.required('channel', parseChannel);
  const bankRef = row.optional('bank_ref', parseRef('银行流水号'));
  const returnedOn = row.optional('returned_on', parseCellDate);
  const returnReason = row.optionalText('return_reason');
  if (returnedOn !== undefined && returnedOn !== null) {
    if (channel === 'cash') row.fail('returned_on', '现金发放没有银行退回：退回日期只用于转账发放');
    if (paidOn !== undefined && returnedOn < paidOn) row.fail('returned_on', `退回日期 ${returnedOn} 早于发放日期 ${paidOn}，请核对`);
  } else if (returnReason !== null && returnedOn === null) {
    row.fail('returned_on', '填写了退回原因，必须同时填写退回日期');
  }

  if (channel !== undefined && channel !== 'cash') {
    const how = channel === 'dedicated_account' ? '专户代发' : '其他转账';
    if (!row.has('payee_card')) row.fail('payee_card', `发放方式为${how}时必须填写收款卡号`);
    if (!row.has('bank_ref')) row.fail('bank_ref', `发放方式为${how}时必须填写银行流水号（用于与专用账户流水核对）`);
  }
  if (
    row.failed ||
    project === undefined ||
    month === undefined ||
    idNumber === undefined ||
    payeeName === undefined ||
    amountFen === undefined ||
    paidOn === undefined ||
    channel === undefined
  ) {
    return undefined;
  }
  const naturalKey =
    channel !== 'cash' && bankRef !== null
      ? bankRef
      : `cash:${createHash('sha256')
          .update([project.code, month, idNumber, payeeName, payeeCard ?? '', amountFen, paidOn, channel, bankRef ?? ''].join('\u001f'))
          .digest('hex')}`;
  return { project, month, idNumber, payeeName, payeeCard, amountFen, paidOn, channel, bankRef, returnedOn: returnedOn ?? null, returnReason, naturalKey };
}
