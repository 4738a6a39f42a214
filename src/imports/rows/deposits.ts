/** 工资保证金 — a row of a deposits file (DATA-FORMATS.md "deposits"). */
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import type { Fen } from '../../domain/money.ts';
import { parseDepositEvent, parseDepositForm } from '../enums.ts';
import type { RowReader } from '../rowReader.ts';
import { parsePositiveYuan, parseRef } from '../values.ts';
import type { ProjectRef, ProjectRefs } from './projectRefs.ts';

export interface DepositRow {
  readonly project: ProjectRef;
  readonly event: 'deposit' | 'use' | 'replenish' | 'refund';
  readonly form: 'cash' | 'bank_guarantee' | 'insurance';
  readonly amountFen: Fen;
  readonly date: IsoDate;
  readonly expiresOn: IsoDate | null;
  readonly voucherNo: string;
  /** 返还: the first day of the no-arrears notice (保证金规定 第二十二条) */
  readonly noticeOn: IsoDate | null;
}

/**
 * @param warn records a warning (a cash deposit with an expiry date: the date is ignored, cash does not expire)
 */
export function parseDepositRow(row: RowReader, projects: ProjectRefs, warn: (text: string) => void): DepositRow | undefined {
  const project = projects.resolve(row);
  const event = row.required('event', parseDepositEvent);
  const form = row.required('form', parseDepositForm);
  const amountFen = row.required('amount', parsePositiveYuan);
  const date = row.required('date', parseCellDate);
  let expiresOn = row.optional('expires_on', parseCellDate);
  const voucherNo = row.required('voucher_no', parseRef('凭证号'));
  const noticeOn = row.optional('notice_on', parseCellDate);
  if (noticeOn !== null && event !== undefined && event !== 'refund') row.fail('notice_on', '只有业务类型为返还的行才填写公示开始日期（返还前的无拖欠公示）');
  else if (noticeOn !== null && date !== undefined && noticeOn > date) row.fail('notice_on', `公示开始日期 ${noticeOn} 晚于返还日期 ${date}，请核对`);

  if (form === 'bank_guarantee' || form === 'insurance') {
    const what = form === 'bank_guarantee' ? '银行保函' : '保证保险';
    if (!row.has('expires_on')) row.fail('expires_on', `保证形式为${what}时必须填写到期日期`);
    else if (expiresOn !== null && date !== undefined && expiresOn <= date) {
      row.fail('expires_on', `${what}的到期日期 ${expiresOn} 不晚于业务日期 ${date}，请核对`);
    }
  } else if (form === 'cash' && expiresOn !== null) {
    warn(`第${row.line}行：现金保证金没有到期日，已忽略“${row.header('expires_on')}”中的 ${expiresOn}`);
    expiresOn = null;
  }
  if (
    row.failed ||
    project === undefined ||
    event === undefined ||
    form === undefined ||
    amountFen === undefined ||
    date === undefined ||
    voucherNo === undefined
  ) {
    return undefined;
  }
  return { project, event, form, amountFen, date, expiresOn, voucherNo, noticeOn: noticeOn ?? null };
}
