/** 工程项目 — a row of a projects file (DATA-FORMATS.md "projects"). */
import { parseBool } from '../../domain/bool.ts';
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import type { Fen } from '../../domain/money.ts';
import { parseEmail } from '../../domain/email.ts';
import { parsePhone } from '../../domain/phone.ts';
import { parseUscc, type Uscc } from '../../domain/uscc.ts';
import type { RowReader } from '../rowReader.ts';
import { normalizeCode, parseNonNegativeYuan, parsePayDay, parsePositiveYuan, parseRef } from '../values.ts';

export interface ProjectRow {
  readonly code: string;
  readonly name: string;
  readonly county: string;
  readonly ownerName: string;
  readonly ownerUscc: Uscc;
  readonly contractorName: string;
  readonly contractorUscc: Uscc;
  readonly contractAmountFen: Fen;
  readonly contractSignedOn: IsoDate;
  readonly startDate: IsoDate;
  readonly plannedEndDate: IsoDate | null;
  readonly completionDate: IsoDate | null;
  readonly governmentFunded: boolean;
  readonly wageAccountNo: string | null;
  readonly wageAccountBank: string | null;
  readonly wageAccountOpenedOn: IsoDate | null;
  /** 专用账户注销日期 and the first day of the no-arrears notice before it (条例 第二十七条) */
  readonly wageAccountClosedOn: IsoDate | null;
  readonly wageAccountNoticeOn: IsoDate | null;
  readonly payDay: number;
  readonly monthlyLaborCostFen: Fen | null;
  // 通知联系人 (notices): optional; phone 11 digits starting with 1, e-mail name@domain
  readonly laborOfficerName: string | null;
  readonly laborOfficerPhone: string | null;
  readonly laborOfficerEmail: string | null;
  readonly projectManagerName: string | null;
  readonly projectManagerPhone: string | null;
  readonly projectManagerEmail: string | null;
  readonly ownerContactName: string | null;
  readonly ownerContactPhone: string | null;
  readonly ownerContactEmail: string | null;
  // —— 建设单位义务 (issue 19 item 6; null = not stated) ——
  readonly paymentGuarantee: boolean | null;
  readonly rightsNoticeBoard: boolean | null;
  readonly laborOfficer: boolean | null;
  readonly unpaidContractFen: Fen | null;
  readonly unpaidContractOn: IsoDate | null;
  readonly contractorUnqualified: boolean | null;
}

/** The contact columns: name, phone and e-mail of each recipient a notice can go to. */
function parseContacts(row: RowReader) {
  const one = (prefix: 'labor_officer' | 'project_manager' | 'owner_contact') => {
    const name = row.optionalText(`${prefix}_name`);
    const phone = row.optional(`${prefix}_phone`, parsePhone);
    const email = row.optional(`${prefix}_email`, parseEmail);
    return { name, phone: phone as string | null, email: email as string | null };
  };
  const lo = one('labor_officer');
  const pm = one('project_manager');
  const oc = one('owner_contact');
  return {
    laborOfficerName: lo.name,
    laborOfficerPhone: lo.phone,
    laborOfficerEmail: lo.email,
    projectManagerName: pm.name,
    projectManagerPhone: pm.phone,
    projectManagerEmail: pm.email,
    ownerContactName: oc.name,
    ownerContactPhone: oc.phone,
    ownerContactEmail: oc.email,
  };
}

/** 工资支付日 when the file leaves it empty (DATA-FORMATS.md). */
export const DEFAULT_PAY_DAY = 15;

/**
 * @param seen project codes met earlier in this file → their line: a project may appear once per file
 *   (checked here, before the rest of the row, so a repeated code is reported even when the first row is invalid)
 */
export function parseProjectRow(row: RowReader, seen: Map<string, number>): ProjectRow | undefined {
  const codeText = row.requiredText('project_code');
  const code = codeText === undefined ? undefined : normalizeCode(codeText);
  if (code !== undefined) {
    const first = seen.get(code);
    if (first !== undefined) {
      row.fail('project_code', `项目编号“${code}”在本文件中重复出现：第${first}行和第${row.line}行，每个项目只能有一行`);
    } else seen.set(code, row.line);
  }
  const name = row.requiredText('project_name');
  const county = row.requiredText('county');
  const ownerName = row.requiredText('owner_name');
  const ownerUscc = row.required('owner_uscc', parseUscc);
  const contractorName = row.requiredText('contractor_name');
  const contractorUscc = row.required('contractor_uscc', parseUscc);
  const contractAmountFen = row.required('contract_amount', parsePositiveYuan);
  const signedOn = row.optional('contract_signed_on', parseCellDate);
  const startDate = row.required('start_date', parseCellDate);
  const plannedEndDate = row.optional('planned_end_date', parseCellDate);
  const completionDate = row.optional('completion_date', parseCellDate);
  const governmentFunded = row.optional('government_funded', (raw) => parseBool(raw, false)) ?? false;
  const wageAccountNo = row.optional('wage_account_no', parseRef('专用账户账号'));
  const wageAccountBank = row.optionalText('wage_account_bank');
  const wageAccountOpenedOn = row.optional('wage_account_opened_on', parseCellDate);
  const wageAccountClosedOn = row.optional('wage_account_closed_on', parseCellDate);
  const wageAccountNoticeOn = row.optional('wage_account_notice_on', parseCellDate);
  const payDay = row.optional('pay_day', parsePayDay) ?? DEFAULT_PAY_DAY;
  const monthlyLaborCostFen = row.optional('monthly_labor_cost', parseNonNegativeYuan);
  const contacts = parseContacts(row);
  // —— 建设单位义务 (issue 19 item 6): 是/否, empty = not stated ——
  const yesNo = (raw: string) => parseBool(raw, false);
  const paymentGuarantee = row.optional('payment_guarantee', yesNo) ?? null;
  const rightsNoticeBoard = row.optional('rights_notice_board', yesNo) ?? null;
  const laborOfficer = row.optional('labor_officer', yesNo) ?? null;
  const unpaidContractFen = row.optional('unpaid_contract_amount', parseNonNegativeYuan);
  const unpaidContractOn = row.optional('unpaid_contract_on', parseCellDate);
  const contractorUnqualified = row.optional('contractor_unqualified', yesNo) ?? null;
  if (unpaidContractOn !== null && !row.has('unpaid_contract_amount')) {
    row.fail('unpaid_contract_on', '填写了未结清工程款截至日期，却没有未结清工程款金额：请填写金额，或清空日期');
  }

  if (startDate !== undefined) {
    if (plannedEndDate !== null && plannedEndDate < startDate) {
      row.fail('planned_end_date', `计划竣工日期 ${plannedEndDate} 早于开工日期 ${startDate}，请核对`);
    }
    if (completionDate !== null && completionDate < startDate) {
      row.fail('completion_date', `竣工日期 ${completionDate} 早于开工日期 ${startDate}，请核对`);
    }
  }
  if (!row.has('wage_account_no') && (row.has('wage_account_opened_on') || wageAccountBank !== null)) {
    row.fail(
      'wage_account_no',
      '填写了专用账户开户行或开户日期，却没有专用账户账号：已开户的请填写账号，未开户的请清空开户行和开户日期',
    );
  }
  if (!row.has('wage_account_no') && (row.has('wage_account_closed_on') || row.has('wage_account_notice_on'))) {
    row.fail('wage_account_no', '填写了专用账户注销日期或注销公示开始日期，却没有专用账户账号，请核对');
  }
  if (wageAccountClosedOn !== null && wageAccountOpenedOn !== null && wageAccountClosedOn < wageAccountOpenedOn) {
    row.fail('wage_account_closed_on', `专用账户注销日期 ${wageAccountClosedOn} 早于开户日期 ${wageAccountOpenedOn}，请核对`);
  }
  if (wageAccountNoticeOn !== null && wageAccountClosedOn !== null && wageAccountNoticeOn > wageAccountClosedOn) {
    row.fail('wage_account_notice_on', `注销公示开始日期 ${wageAccountNoticeOn} 晚于专用账户注销日期 ${wageAccountClosedOn}，请核对`);
  }
  if (
    row.failed ||
    code === undefined ||
    name === undefined ||
    county === undefined ||
    ownerName === undefined ||
    ownerUscc === undefined ||
    contractorName === undefined ||
    contractorUscc === undefined ||
    contractAmountFen === undefined ||
    startDate === undefined
  ) {
    return undefined;
  }
  return {
    code,
    name,
    county,
    ownerName,
    ownerUscc,
    contractorName,
    contractorUscc,
    contractAmountFen,
    // deadlines for the account and the deposit count from signing; the file may leave it to start_date
    contractSignedOn: signedOn ?? startDate,
    startDate,
    plannedEndDate,
    completionDate,
    governmentFunded,
    wageAccountNo,
    wageAccountBank,
    wageAccountOpenedOn,
    wageAccountClosedOn,
    wageAccountNoticeOn,
    payDay,
    monthlyLaborCostFen,
    ...contacts,
    paymentGuarantee,
    rightsNoticeBoard,
    laborOfficer,
    unpaidContractFen,
    unpaidContractOn,
    contractorUnqualified,
  };
}
