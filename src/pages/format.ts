/** Chinese labels and number formats shared by the pages. */
import type { Role } from '../api/roles.ts';
import { FLAGS, type FlagCode } from '../rules/flags.ts';
import { fen, formatYuan, parseYuan, yuanText } from '../domain/money.ts';

export const ROLE_ZH: Record<Role, string> = {
  importer: '导入员',
  inspector: '劳动监察员',
  supervisor: '科室负责人',
  viewer: '查看者',
  contractor: '劳资专管员',
};

export const SEVERITY_ZH: Record<string, string> = { critical: '严重', high: '高', medium: '中', low: '低' };

export const FLAG_STATUS_ZH: Record<string, string> = { open: '待处理', resolved: '已处理', dismissed: '已排除', all: '全部' };

export const WAGE_STATUS_ZH: Record<string, string> = {
  not_due: '未到期',
  paid: '已按时足额支付',
  paid_late: '迟延支付',
  partial: '未足额支付',
  unpaid: '未支付',
  no_payroll: '无工资表',
};

export const KIND_ZH: Record<string, string> = {
  projects: '工程项目',
  roster: '实名制花名册',
  payroll: '工资支付表',
  payments: '工资发放记录',
  account_transactions: '专用账户流水',
  deposits: '工资保证金',
  contractor_records: '承包单位信用记录',
  training: '技能培训登记',
  insurance: '社会保险参保登记',
  housing: '住房保障登记',
  care: '关爱服务登记',
};

export const EVIDENCE_TABLE_ZH: Record<string, string> = {
  projects: '项目',
  roster_entries: '花名册',
  payroll_rows: '工资表',
  payments: '发放记录',
  account_transactions: '专户流水',
  deposit_events: '保证金',
  contractor_records: '承包单位信用记录',
};

export const DEPOSIT_STEP_ZH: Record<string, string> = {
  base_rate: '基准比例',
  small_contract_exemption: '小额合同免存',
  clean_years_exemption: '连续无拖欠免存',
  second_project_cut: '同地区第二个工程下浮',
  clean_years_cut: '连续无拖欠下浮',
  several_projects_floor: '最低比例',
  arrears_raise: '有拖欠上浮',
  blacklist_raise: '失信名单上浮',
  amount: '应存金额',
  cap: '上限',
};

export const DEPOSIT_EVENT_ZH: Record<string, string> = { deposit: '存储', use: '动用', replenish: '补足', refund: '返还' };
export const DEPOSIT_FORM_ZH: Record<string, string> = { cash: '现金', bank_guarantee: '银行保函', insurance: '保证保险' };

export const flagTitle = (code: string): string => (FLAGS as Record<string, { title: string }>)[code]?.title ?? code;
export const FLAG_CODE_LIST = Object.keys(FLAGS) as FlagCode[];

/** "1234567.50" → "1,234,567.50" (a yuan string from the API; the domain's one reader's format, yuanText) */
export function money(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return yuanText(value);
}

/** Fen (integer) → yuan string with two decimals (the domain's one formatter). */
export function yuanOfFen(amount: number): string {
  return formatYuan(fen(amount));
}

/** Yuan string from the API → fen, exact (the domain's one parser); 0 for an absent figure. */
export function fenOf(value: string | null | undefined): number {
  if (!value) return 0;
  const parsed = parseYuan(value);
  return parsed.ok ? parsed.value : 0;
}

/** "2026-10" → "2026年10月" */
export function monthZh(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** "2026-11-28T02:00:00.000Z" → "2026-11-28 10:00" (Asia/Shanghai) */
export function timeZh(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}
