/**
 * 通知模板 — every notice Huxin sends, in Chinese, in one place. A template renders a subject and body for
 * e-mail and one short text for SMS from plain facts (names, codes, dates, amounts in fen); amounts are
 * printed with two decimals and thousands separators, dates as 2026年11月28日. A notice that is a legal act
 * (the order to pay) carries its legal basis; a notice that only informs says so.
 *
 * No template takes an identity or card number; `scrubPersonalNumbers` masks any that reach a notice through
 * free text (a case title, a warning title) all the same, and enqueue applies it to every notice.
 */
import { formatYuan, yuanText, type Fen } from '../../domain/money.ts';
import { WARNING_LEVEL_ZH, type WarningLevel } from '../../rules/warnings.ts';

export type TemplateCode = 'ORDER_ISSUED' | 'CASE_OPENED' | 'LABOR_COST_SHORT' | 'WARNING_ASSIGNED' | 'SUBMISSION_REMINDER';

export interface Rendered {
  readonly subject: string;
  readonly body: string;
  /** the SMS text (short; the gateway adds no signature of its own) */
  readonly sms: string;
}

/** The legal basis printed on a notice that is a legal act (articles as cited in src/rules). */
export const LEGAL_BASIS: Readonly<Partial<Record<TemplateCode, string>>> = {
  ORDER_ISSUED: '《劳动保障监察条例》第二十六条；《中华人民共和国劳动合同法》第八十五条',
  LABOR_COST_SHORT: '《保障农民工工资支付条例》第二十四条、第二十九条',
};

/** 2026-11-28 → 2026年11月28日 */
export function dateZh(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** 1234567 fen → 12,345.67 */
export const amountZh = (amount: Fen): string => yuanText(formatYuan(amount));

const FOOTER = '本通知由护薪（农民工工资支付监控）系统自动发送，请勿直接回复；如有疑问请联系项目所在地劳动保障监察机构。';
const SMS_SIGN = '【护薪】';

export interface ProjectFacts {
  readonly code: string;
  readonly name: string;
}

export interface OrderIssuedFacts {
  readonly orderId: number;
  readonly project: ProjectFacts;
  readonly employerName: string;
  readonly issuedOn: string;
  readonly deadline: string;
  /** this project's part of the order */
  readonly total: Fen;
  readonly workers: number;
  readonly months: readonly string[];
  /** the order's total when it covers several projects */
  readonly orderTotal: Fen;
}

export interface CaseOpenedFacts {
  readonly caseId: number;
  readonly project: ProjectFacts;
  readonly employerName: string;
  readonly title: string;
  readonly filedOn: string;
  readonly claimed: Fen;
  readonly workers: number;
  /** the path proposed at intake, in Chinese (e.g. 投诉至劳动保障监察，责令限期支付) */
  readonly routing: string | null;
}

export interface LaborCostShortFacts {
  readonly project: ProjectFacts;
  readonly ownerName: string;
  readonly asOf: string;
  readonly short: Fen;
}

export interface WarningAssignedFacts {
  readonly inspectorName: string;
  readonly project: ProjectFacts;
  /** the warning's title as shown in the queue, e.g. 2026年10月工资拖欠（7名工人） */
  readonly title: string;
  /** red | orange | yellow, or a Chinese level */
  readonly level?: string | null;
  readonly assignedBy?: string | null;
  /** rectification deadline, when one is set */
  readonly dueOn?: string | null;
  /** a link to the warning in Huxin */
  readonly link?: string | null;
}

export interface SubmissionReminderFacts {
  readonly project: ProjectFacts;
  readonly officerName: string | null;
  /** YYYY-MM */
  readonly month: string;
  /** 工资支付表 | 工资发放记录 */
  readonly what: string;
  readonly stage: 'overdue' | 'before_wage_due';
  readonly dueDate: string;
  readonly wageDueDate: string;
  readonly daysLate: number;
  /** e.g. 《保障农民工工资支付条例》第十五条、第三十一条 */
  readonly basis: string;
}

const monthZh = (m: string) => (/^\d{4}-\d{2}$/.test(m) ? `${m.slice(0, 4)}年${Number(m.slice(5))}月` : m);

function monthsText(months: readonly string[]): string {
  const sorted = [...new Set(months)].sort();
  if (sorted.length === 0) return '';
  if (sorted.length <= 3) return sorted.map(monthZh).join('、');
  return `${monthZh(sorted[0]!)}至${monthZh(sorted[sorted.length - 1]!)}（共${sorted.length}个月）`;
}

export const TEMPLATES = {
  /** 责令限期支付 — to the contractor's labour-affairs officer and project manager. A legal act. */
  ORDER_ISSUED(f: OrderIssuedFacts): Rendered {
    const subject = `责令限期支付通知：${f.project.name}（${f.project.code}）`;
    const several = f.orderTotal !== f.total ? `（本责令共责令支付${amountZh(f.orderTotal)}元，其中本项目${amountZh(f.total)}元）` : '';
    const body = [
      `${f.employerName}：`,
      `劳动保障监察机构于${dateZh(f.issuedOn)}作出第${f.orderId}号责令限期支付，责令你单位于${dateZh(f.deadline)}前，` +
        `足额支付${f.project.name}（项目编号${f.project.code}）拖欠的${f.workers}名农民工${monthsText(f.months)}工资，共计${amountZh(f.total)}元${several}。`,
      `逾期不支付的，劳动保障监察机构可依法责令按应付金额百分之五十以上百分之一百以下的标准加付赔偿金、动用工资保证金；符合条件的，依法列入拖欠农民工工资失信联合惩戒对象名单。`,
      `依据：${LEGAL_BASIS.ORDER_ISSUED}。`,
      `工人名单及金额见责令书正本；支付后请将银行代发凭证报送劳动保障监察机构。`,
      FOOTER,
    ].join('\n\n');
    const sms = `${SMS_SIGN}${f.employerName}：第${f.orderId}号责令限期支付——请于${dateZh(f.deadline)}前支付${f.project.name}（${f.project.code}）拖欠的${f.workers}名农民工工资${amountZh(f.total)}元。依据${LEGAL_BASIS.ORDER_ISSUED}。`;
    return { subject, body, sms };
  },

  /** 欠薪案件登记 — to the contractor's labour-affairs officer and project manager. Informs; not a decision. */
  CASE_OPENED(f: CaseOpenedFacts): Rendered {
    const subject = `欠薪案件登记告知：${f.project.name}（${f.project.code}）`;
    const body = [
      `${f.employerName}：`,
      `${dateZh(f.filedOn)}，涉及${f.project.name}（项目编号${f.project.code}）的欠薪案件已登记（案件第${f.caseId}号：${f.title}），` +
        `涉及${f.workers}名农民工，主张金额共计${amountZh(f.claimed)}元。${f.routing ? `拟处理途径：${f.routing}。` : ''}`,
      `请你单位的劳资专管员备齐该项目的实名制花名册、考勤和工资支付表、专用账户代发记录，配合调查处理。`,
      `本通知仅为告知，不是处理决定；处理决定以劳动保障监察机构或仲裁、审判机关的法律文书为准。`,
      FOOTER,
    ].join('\n\n');
    const sms = `${SMS_SIGN}${f.employerName}：${f.project.name}（${f.project.code}）欠薪案件第${f.caseId}号已于${dateZh(f.filedOn)}登记，涉及${f.workers}名农民工${amountZh(f.claimed)}元，请备齐用工和工资资料配合处理。`;
    return { subject, body, sms };
  },

  /** 人工费用拨付不足 — to the owner's contact, when the nightly finding LABOR_COST_SHORT appears. */
  LABOR_COST_SHORT(f: LaborCostShortFacts): Rendered {
    const subject = `人工费用拨付不足提醒：${f.project.name}（${f.project.code}）`;
    const body = [
      `${f.ownerName}：`,
      `截至${dateZh(f.asOf)}，${f.project.name}（项目编号${f.project.code}）农民工工资专用账户收到的人工费用，比按月应拨付的少${amountZh(f.short)}元。`,
      `建设单位应当按照合同约定及时拨付工程款，并将人工费用及时足额拨付至农民工工资专用账户。请尽快补足拨付。`,
      `依据：${LEGAL_BASIS.LABOR_COST_SHORT}。`,
      FOOTER,
    ].join('\n\n');
    const sms = `${SMS_SIGN}${f.ownerName}：截至${dateZh(f.asOf)}，${f.project.name}（${f.project.code}）工资专用账户人工费用少拨付${amountZh(f.short)}元，请及时足额拨付（${LEGAL_BASIS.LABOR_COST_SHORT}）。`;
    return { subject, body, sms };
  },

  /** 预警分派 — to the inspector a warning is assigned to. Internal; no legal act. */
  WARNING_ASSIGNED(f: WarningAssignedFacts): Rendered {
    const level = f.level ? (WARNING_LEVEL_ZH[f.level as WarningLevel]?.replace(/预警$/, '') ?? f.level) : null;
    const subject = `分派给你的预警：${f.project.name}（${f.project.code}）${level ? `【${level}】` : ''}`;
    const body = [
      `${f.inspectorName}：`,
      `${f.assignedBy ? `${f.assignedBy}将` : '有'}一条${level ? `${level}` : ''}预警分派给你处理：${f.project.name}（项目编号${f.project.code}）——${f.title}。`,
      f.dueOn ? `整改期限：${dateZh(f.dueOn)}。` : null,
      f.link ? `在护薪中查看：${f.link}` : '请登录护薪查看预警详情及其中的工人月度预警。',
      FOOTER,
    ]
      .filter((x): x is string => x !== null)
      .join('\n\n');
    const sms = `${SMS_SIGN}${f.inspectorName}：${level ? `${level}` : ''}预警分派给你：${f.project.name}（${f.project.code}）${f.title}${f.dueOn ? `，整改期限${dateZh(f.dueOn)}` : ''}。`;
    return { subject, body, sms };
  },

  /** 催报提醒 — to the project's labour-affairs officer: a month's wage table or payment records not yet in. Informs; no legal act. */
  SUBMISSION_REMINDER(f: SubmissionReminderFacts): Rendered {
    const who = f.officerName ? `${f.officerName}（劳资专管员）` : '劳资专管员';
    const m = monthZh(f.month);
    const subject = `${f.stage === 'overdue' ? '逾期未报送' : '报送提醒'}：${f.project.name}（${f.project.code}）${m}${f.what}`;
    const state =
      f.stage === 'overdue'
        ? `${f.project.name}（项目编号${f.project.code}）${m}的${f.what}应于${dateZh(f.dueDate)}前报送，截至目前尚未收到，已逾期${f.daysLate}天。`
        : `${f.project.name}（项目编号${f.project.code}）${m}的${f.what}尚未报送（报送期限${dateZh(f.dueDate)}），该月工资应于${dateZh(f.wageDueDate)}前支付。`;
    const body = [
      `${who}：`,
      state,
      `请尽快通过护薪报送（或交劳动保障监察机构导入）。已报送的，请忽略本提醒。`,
      `依据：${f.basis}（报送期限为本地设置）。本提醒仅为告知，不是行政处理决定。`,
      FOOTER,
    ].join('\n\n');
    const sms =
      f.stage === 'overdue'
        ? `${SMS_SIGN}${f.project.name}（${f.project.code}）${m}${f.what}应于${dateZh(f.dueDate)}前报送，已逾期${f.daysLate}天，请尽快报送。`
        : `${SMS_SIGN}${f.project.name}（${f.project.code}）${m}${f.what}尚未报送，该月工资应于${dateZh(f.wageDueDate)}前支付，请尽快报送。`;
    return { subject, body, sms };
  },
} satisfies Record<TemplateCode, (f: never) => Rendered>;

/** The state of a notice, in Chinese (pages, CLI). */
export const NOTICE_STATE_ZH: Readonly<Record<string, string>> = { pending: '待发送', sent: '已发送', failed: '发送失败（将重试）', gave_up: '已放弃' };
export const RECIPIENT_ROLE_ZH: Readonly<Record<string, string>> = {
  labor_officer: '劳资专管员',
  project_manager: '项目经理',
  owner_contact: '建设单位联系人',
  inspector: '劳动保障监察员',
};
export const CHANNEL_ZH: Readonly<Record<string, string>> = { email: '电子邮件', sms: '短信' };
export const TEMPLATE_ZH: Readonly<Record<TemplateCode, string>> = {
  ORDER_ISSUED: '责令限期支付通知',
  CASE_OPENED: '欠薪案件登记告知',
  LABOR_COST_SHORT: '人工费用拨付不足提醒',
  WARNING_ASSIGNED: '预警分派通知',
  SUBMISSION_REMINDER: '报送催报提醒',
};

/**
 * Masks anything shaped like an identity number (18 characters, or 15 digits) or a bank card (16–19 digits)
 * in free text: 130503********0012, 6222 **** **** 1234. Templates take no such numbers; this is the net.
 */
export function scrubPersonalNumbers(text: string): string {
  return text
    .replace(/(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g, '$1********$2')
    .replace(/(?<![0-9A-Za-z])(\d{4})\d{8,11}(\d{4})(?![0-9A-Za-z])/g, '$1 **** **** $2')
    .replace(/(?<![0-9A-Za-z])(\d{6})\d{6}(\d{3})(?![0-9A-Za-z])/g, '$1******$2');
}

/** True when the text holds a run of digits as long as an identity or card number (used by tests and enqueue). */
export function holdsFullNumber(text: string): boolean {
  return /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<![0-9A-Za-z])\d{15,19}(?![0-9A-Za-z])/.test(text);
}
