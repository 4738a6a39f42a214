/**
 * The columns of each import kind (DATA-FORMATS.md tables): Chinese name, English name, whether required,
 * and a few aliases that real bureau and bank exports use for the same column.
 *
 * Aliases are kept deliberately small: each one is a header that means exactly this column and nothing
 * else. A unit in brackets is only accepted when it is yuan ("合同金额(元)"); "合同金额(万元)" is *not* an
 * alias, because reading 万元 as 元 would be wrong by a factor of 10,000.
 */
import { REGISTRY_COLUMNS } from '../registries/columns.ts';
import type { ImportKind } from './types.ts';

export interface ColumnSpec {
  /** the English column name of DATA-FORMATS.md, used as the field key */
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  readonly required: boolean;
  readonly aliases?: readonly string[];
}

const col = <K extends string>(
  key: K,
  zh: string,
  required: boolean,
  aliases: readonly string[] = [],
): ColumnSpec & { readonly key: K } => ({
  key,
  zh,
  en: key,
  required,
  aliases,
});

const PROJECT_CODE = col('project_code', '项目编号', true, ['项目编码', '项目代码', '工程编号']);
const ID_NUMBER = col('id_number', '身份证号', true, ['身份证号码', '公民身份号码', '身份证']);
const MONTH = col('month', '工资月份', true, ['月份', '所属月份']);

/** 工程项目 — projects */
export const PROJECT_COLUMNS = [
  PROJECT_CODE,
  col('project_name', '项目名称', true, ['工程名称']),
  col('county', '所属区县', true, ['区县', '所属县区', '所在区县']),
  col('owner_name', '建设单位', true, ['建设单位名称']),
  col('owner_uscc', '建设单位信用代码', true, ['建设单位统一社会信用代码']),
  col('contractor_name', '施工总承包单位', true, ['总承包单位', '施工总承包单位名称']),
  col('contractor_uscc', '总承包单位信用代码', true, ['总承包单位统一社会信用代码', '施工总承包单位信用代码']),
  col('contract_amount', '合同金额', true, ['合同价款']),
  col('contract_signed_on', '合同签订日期', false),
  col('start_date', '开工日期', true),
  col('planned_end_date', '计划竣工日期', false),
  col('completion_date', '竣工日期', false, ['实际竣工日期']),
  col('government_funded', '政府投资', false, ['是否政府投资']),
  col('wage_account_no', '专用账户账号', false, ['工资专用账户账号', '专户账号']),
  col('wage_account_bank', '专用账户开户行', false, ['专户开户行']),
  col('wage_account_opened_on', '专用账户开户日期', false, ['专户开户日期']),
  // 专户注销 (条例 第二十七条): the day it was closed and the first day of the no-arrears notice before it
  col('wage_account_closed_on', '专用账户注销日期', false, ['专户注销日期', '专用账户撤销日期', '专户撤销日期']),
  col('wage_account_notice_on', '注销公示开始日期', false, ['专户注销公示开始日期', '专户公示开始日期']),
  col('pay_day', '工资支付日', false, ['发薪日']),
  col('monthly_labor_cost', '月人工费用', false, ['每月人工费用']),
  // 通知联系人 (notices, issue 18): optional; a notice goes to whichever of phone and e-mail is given
  col('labor_officer_name', '劳资专管员姓名', false, []),
  col('labor_officer_phone', '劳资专管员手机', false, ['劳资专管员手机号', '劳资专管员电话']),
  col('labor_officer_email', '劳资专管员邮箱', false, ['劳资专管员电子邮箱']),
  col('project_manager_name', '项目经理姓名', false, ['项目经理']),
  col('project_manager_phone', '项目经理手机', false, ['项目经理手机号', '项目经理电话']),
  col('project_manager_email', '项目经理邮箱', false, ['项目经理电子邮箱']),
  col('owner_contact_name', '建设单位联系人姓名', false, ['建设单位联系人']),
  col('owner_contact_phone', '建设单位联系人手机', false, ['建设单位联系人手机号', '建设单位联系电话']),
  col('owner_contact_email', '建设单位联系人邮箱', false, ['建设单位联系人电子邮箱']),
  // —— 建设单位义务 (issue 19 item 6): optional; empty = not stated, nothing is flagged ——
  col('payment_guarantee', '工程款支付担保', false, ['是否提供工程款支付担保']),
  col('rights_notice_board', '维权信息告示牌', false, ['是否设立维权信息告示牌']),
  // the bare header 劳资专管员 is neither this nor the officer's name: ambiguous, not accepted
  col('labor_officer', '是否配备劳资专管员', false, ['配备劳资专管员', '劳资专管员在岗']),
  col('unpaid_contract_amount', '未结清工程款', false, ['建设单位未结清工程款']),
  col('unpaid_contract_on', '未结清工程款截至日期', false, ['未结清工程款日期']),
  col('contractor_unqualified', '承包人不具备合法经营资格', false, ['发包给个人或不具备合法经营资格的单位']),
] as const satisfies readonly ColumnSpec[];

/** 实名制花名册 — roster */
export const ROSTER_COLUMNS = [
  PROJECT_CODE,
  col('name', '姓名', true, ['工人姓名']),
  ID_NUMBER,
  col('employer_name', '用工单位', true, ['用工单位名称']),
  col('employer_uscc', '用工单位信用代码', true, ['用工单位统一社会信用代码']),
  col('team', '班组', false, ['所属班组']),
  col('trade', '工种', false),
  col('entry_date', '进场日期', true),
  col('exit_date', '退场日期', false),
  col('contract_signed', '劳动合同', false, ['是否签订劳动合同', '签订劳动合同']),
  // 未成年工登记 (未成年工特殊保护规定 第九条): only meaningful for a worker aged 16–17; empty = not stated
  col('juvenile_registered', '未成年工登记', false, ['未成年工登记证', '是否办理未成年工登记']),
  col('wage_basis', '计薪方式', true),
  col('wage_rate', '工资标准', false),
  col('bank_card', '银行卡号', true, ['工资卡号']),
  col('bank_name', '开户银行', false, ['开户行']),
  col('phone', '手机号码', false, ['手机号', '联系电话']),
] as const satisfies readonly ColumnSpec[];

/** 工资支付表 — payroll */
export const PAYROLL_COLUMNS = [
  PROJECT_CODE,
  MONTH,
  col('name', '姓名', true, ['工人姓名']),
  ID_NUMBER,
  col('days_worked', '出勤天数', true, ['考勤天数']),
  col('gross_pay', '应发工资', true, ['应发金额']),
  col('deductions', '代扣款项', false, ['代扣金额', '扣款']),
  col('net_pay', '实发工资', true, ['实发金额']),
  col('worker_confirmed', '本人确认', false, ['本人签字确认']),
] as const satisfies readonly ColumnSpec[];

/** 工资发放记录 — payments */
export const PAYMENT_COLUMNS = [
  PROJECT_CODE,
  MONTH,
  ID_NUMBER,
  col('payee_name', '收款人姓名', true, ['收款人']),
  col('payee_card', '收款卡号', false, ['收款账号']),
  col('amount', '发放金额', true),
  col('paid_on', '发放日期', true, ['支付日期']),
  col('channel', '发放方式', true, ['支付方式']),
  col('bank_ref', '银行流水号', false, ['流水号', '交易流水号']),
  // 退回 (returned transfers): the bank's 代发回单 status — the day the transfer came back, and why
  col('returned_on', '退回日期', false, ['退汇日期', '退票日期']),
  col('return_reason', '退回原因', false, ['退汇原因', '退票原因']),
] as const satisfies readonly ColumnSpec[];

/** 专用账户流水 — account_transactions */
export const ACCOUNT_TRANSACTION_COLUMNS = [
  PROJECT_CODE,
  col('tx_date', '交易日期', true),
  col('direction', '收支方向', true, ['借贷方向']),
  col('amount', '金额', true, ['交易金额']),
  col('purpose', '交易用途', true, ['用途']),
  col('counterparty', '对方户名', false, ['对方账户名称']),
  col('bank_ref', '银行流水号', true, ['流水号', '交易流水号']),
  // for a 工资退回 inflow: the bank reference of the wage transfer that came back
  col('original_bank_ref', '原银行流水号', false, ['原流水号', '原交易流水号']),
] as const satisfies readonly ColumnSpec[];

/** 工资保证金 — deposits */
export const DEPOSIT_COLUMNS = [
  PROJECT_CODE,
  col('event', '业务类型', true),
  col('form', '保证形式', true, ['存储形式']),
  col('amount', '金额', true),
  col('date', '日期', true, ['业务日期']),
  col('expires_on', '到期日期', false, ['保函到期日']),
  col('voucher_no', '凭证号', true, ['凭证编号']),
  // 返还 (保证金规定 第二十二条): the first day of the no-arrears notice before the refund
  col('notice_on', '公示开始日期', false, ['无拖欠公示开始日期', '返还公示开始日期']),
] as const satisfies readonly ColumnSpec[];

/**
 * 承包单位信用记录 — contractor_records (issue 19 item 1): what the bureau holds on a general contractor from
 * outside the system's projects, one item a row: from when its record is complete (记录起始), an arrears
 * period found and settled (欠薪), a listing (失信名单), the finding that it applies the real-name and
 * dedicated-account rules (实名制专户认定).
 */
export const CONTRACTOR_RECORD_COLUMNS = [
  col('contractor_uscc', '总承包单位信用代码', true, ['总承包单位统一社会信用代码', '施工总承包单位信用代码', '统一社会信用代码']),
  col('contractor_name', '施工总承包单位', false, ['总承包单位', '施工总承包单位名称', '单位名称']),
  col('record_type', '记录类型', true, ['类型']),
  col('from_date', '起始日期', true, ['开始日期', '发现日期', '列入日期', '认定日期']),
  col('to_date', '结束日期', false, ['结清日期', '移出日期', '截止日期']),
  col('project_name', '涉及项目', false, ['项目名称', '工程名称']),
  col('note', '说明', false, ['备注', '文书编号']),
] as const satisfies readonly ColumnSpec[];

export const COLUMNS_BY_KIND: Readonly<Record<ImportKind, readonly ColumnSpec[]>> = {
  projects: PROJECT_COLUMNS,
  roster: ROSTER_COLUMNS,
  payroll: PAYROLL_COLUMNS,
  payments: PAYMENT_COLUMNS,
  account_transactions: ACCOUNT_TRANSACTION_COLUMNS,
  deposits: DEPOSIT_COLUMNS,
  contractor_records: CONTRACTOR_RECORD_COLUMNS,
  ...REGISTRY_COLUMNS,
};

/** The field keys of a column list, as a string-literal union. */
export type ColumnKey<C extends readonly ColumnSpec[]> = C[number]['key'];
