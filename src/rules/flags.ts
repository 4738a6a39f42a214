/**
 * 预警目录 — the flag catalogue (COMPLIANCE.md §2): every code with its scope, severity, legal basis and
 * citation, and the Finding every rule returns. Implements no article itself: each code below names the
 * article it rests on, and a code with none is marked advisory (监管提示). Codes are stable: reports and APIs use them.
 *
 * Counting (COMPLIANCE.md §2): a worker-month flag counts once per worker-month, a worker flag once per
 * roster entry, a monthly project flag once per project-month (SHARED_PAYEE_CARD once per card and month),
 * any other project flag once per project. The fingerprint is built from exactly that unit, so within one
 * evaluation no two findings share a fingerprint, and the same problem keeps its fingerprint across days.
 */
import type { IdNumber } from '../domain/idNumber.ts';
import type { Fen } from '../domain/money.ts';
import type { Month } from '../domain/month.ts';
import type { EvidenceRef, ProjectFacts } from './facts.ts';
import type { ParamUse } from './params/dated.ts';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** worker_month: (project, month, worker); worker: a roster entry; project_month; project */
export type FlagScope = 'worker_month' | 'worker' | 'project_month' | 'project';

export interface LegalBasis {
  readonly document: string;
  readonly article: string;
  /** 监管提示 — no article behind the flag: an early warning for the inspector */
  readonly advisory: boolean;
}

const TIAOLI = '保障农民工工资支付条例';
const DEPOSIT_RULES = '工程建设领域农民工工资保证金规定';
const ADVISORY: LegalBasis = { document: '监管提示', article: '无对应法条（风险预警）', advisory: true };

interface FlagDefinition {
  readonly scope: FlagScope;
  readonly severity: Severity;
  /** 中文名称 */
  readonly title: string;
  readonly basis: LegalBasis;
  /** the citation closing every sentence of the flag */
  readonly cite: string;
}

const def = (scope: FlagScope, severity: Severity, title: string, basis: LegalBasis, cite: string): FlagDefinition => ({
  scope,
  severity,
  title,
  basis,
  cite,
});
const law = (document: string, article: string): LegalBasis => ({ document, article, advisory: false });

export const FLAGS = {
  // —— worker-month ——
  WAGE_UNPAID: def('worker_month', 'critical', '工资未支付', law(TIAOLI, '第十二条、第十三条（支付日：第十四条）'), '《保障农民工工资支付条例》第十二条'),
  WAGE_PARTIAL: def('worker_month', 'high', '工资未足额支付', law(TIAOLI, '第十二条、第十三条（支付日：第十四条）'), '《保障农民工工资支付条例》第十二条'),
  WAGE_LATE: def('worker_month', 'medium', '工资迟延支付', law(TIAOLI, '第十二条、第十三条（支付日：第十四条）'), '《保障农民工工资支付条例》第十二条'),
  NO_PAYROLL: def('worker_month', 'high', '在岗无工资表', law(TIAOLI, '第二十八条、第三十一条'), '《保障农民工工资支付条例》第三十一条'),
  NOT_ON_ROSTER: def('worker_month', 'medium', '未实名登记', law(TIAOLI, '第二十八条、第三十一条'), '《保障农民工工资支付条例》第二十八条'),
  PAID_OUTSIDE_ACCOUNT: def('worker_month', 'medium', '未通过专户代发', law(TIAOLI, '第三十一条、第十一条'), '《保障农民工工资支付条例》第三十一条'),
  PAYEE_MISMATCH: def('worker_month', 'medium', '收款人与本人不符', law(TIAOLI, '第三十一条、第十一条'), '《保障农民工工资支付条例》第十一条'),
  PAYMENT_RETURNED: def('worker_month', 'high', '工资转账被退回', law(TIAOLI, '第十一条、第十二条'), '《保障农民工工资支付条例》第十二条'),
  PAYMENT_NOT_IN_ACCOUNT: def('worker_month', 'medium', '代发记录无专户流水', law(TIAOLI, '第三十一条'), '《保障农民工工资支付条例》第三十一条'),
  BELOW_MIN_WAGE: def(
    'worker_month',
    'high',
    '低于最低工资',
    law('最低工资规定（劳动和社会保障部令第21号）；中华人民共和国劳动法；河北省最低工资标准通知', '最低工资规定第十二条；劳动法第四十八条'),
    '《最低工资规定》第十二条',
  ),
  UNCONFIRMED_PAYROLL: def('worker_month', 'low', '工资表未经本人确认', law(TIAOLI, '第三十一条'), '《保障农民工工资支付条例》第三十一条'),
  DOUBLE_BOOKED: def('worker_month', 'low', '出勤天数超过当月天数', ADVISORY, '监管提示'),
  EXIT_NOT_SETTLED: def('worker_month', 'high', '退场未结清工资', law('工资支付暂行规定', '第九条'), '《工资支付暂行规定》第九条'),
  PAY_OUTLIER: def('worker_month', 'low', '异常高额工资', ADVISORY, '监管提示'),
  // —— worker (per roster entry) ——
  NO_CONTRACT: def(
    'worker',
    'medium',
    '未签劳动合同',
    law('中华人民共和国劳动合同法；中华人民共和国劳动合同法实施条例；保障农民工工资支付条例', '劳动合同法第十条；条例第二十八条；二倍工资：劳动合同法第八十二条、实施条例第六条、第七条'),
    '《劳动合同法》第十条',
  ),
  UNDERAGE: def('worker', 'critical', '使用童工', law('中华人民共和国劳动法；禁止使用童工规定', '劳动法第十五条；禁止使用童工规定第二条'), '《劳动法》第十五条'),
  JUVENILE_NOT_REGISTERED: def(
    'worker',
    'medium',
    '未成年工未登记',
    law('中华人民共和国劳动法；未成年工特殊保护规定（劳部发〔1994〕498号）', '劳动法第五十八条、第六十五条；规定第六条、第九条'),
    '《未成年工特殊保护规定》第九条',
  ),
  JUVENILE_PROHIBITED_WORK: def(
    'worker',
    'high',
    '未成年工从事禁忌劳动',
    law('中华人民共和国劳动法；未成年工特殊保护规定（劳部发〔1994〕498号）', '劳动法第六十四条；规定第三条'),
    '《劳动法》第六十四条',
  ),
  NO_INJURY_INSURANCE: def(
    'worker',
    'high',
    '在场期间未参加工伤保险',
    law(
      '部分行业企业工伤保险费缴纳办法（人社部令第10号）；关于进一步做好建筑业工伤保险工作的意见（人社部发〔2014〕103号）；工伤保险条例',
      '建筑施工企业按项目参保（人社部令第10号；人社部发〔2014〕103号）；未参保的后果：工伤保险条例第六十二条',
    ),
    '《工伤保险条例》第六十二条',
  ),
  // —— project-month ——
  SHARED_PAYEE_CARD: def('project_month', 'high', '多人工资进入同一银行卡', law(TIAOLI, '第三十一条（罚则：第五十四条）'), '《保障农民工工资支付条例》第三十一条'),
  LOW_PAYROLL_COVERAGE: def('project_month', 'medium', '工资表覆盖不足', law(TIAOLI, '第二十八条、第三十一条'), '《保障农民工工资支付条例》第三十一条'),
  // —— project ——
  SHARED_PHONE: def('project', 'low', '多人共用手机号', ADVISORY, '监管提示'),
  ACCOUNT_NOT_OPENED: def(
    'project',
    'high',
    '未按期开设工资专户',
    law(`${TIAOLI}；工程建设领域农民工工资专用账户管理暂行办法`, '条例第二十六条；专户办法（签订施工合同后在开户期限内开户）'),
    '《保障农民工工资支付条例》第二十六条',
  ),
  LABOR_COST_SHORT: def('project', 'high', '人工费用拨付不足', law(TIAOLI, '第二十四条、第二十九条'), '《保障农民工工资支付条例》第二十九条'),
  ACCOUNT_MISUSE: def('project', 'high', '专户资金挪作他用', law(TIAOLI, '第二十六条、第三十三条'), '《保障农民工工资支付条例》第二十六条'),
  ACCOUNT_BALANCE_LOW: def('project', 'low', '专户余额不足一月工资', ADVISORY, '监管提示'),
  // 建设单位义务 (issue 19 item 6; only what the projects file states)
  OWNER_ADVANCE_DUE: def('project', 'high', '建设单位应先行垫付工资', law(TIAOLI, '第二十九条（人工费用拨付：第二十四条）'), '《保障农民工工资支付条例》第二十九条'),
  OWNER_MUST_CLEAR: def('project', 'critical', '建设单位应清偿拖欠工资', law(TIAOLI, '第三十六条'), '《保障农民工工资支付条例》第三十六条'),
  NO_PAYMENT_GUARANTEE: def('project', 'medium', '未提供工程款支付担保', law(TIAOLI, '第二十四条第一款'), '《保障农民工工资支付条例》第二十四条'),
  NO_LABOR_OFFICER: def('project', 'medium', '未配备劳资专管员', law(TIAOLI, '第二十八条第二款'), '《保障农民工工资支付条例》第二十八条'),
  NO_RIGHTS_NOTICE_BOARD: def('project', 'low', '未设立维权信息告示牌', law(TIAOLI, '第三十四条'), '《保障农民工工资支付条例》第三十四条'),
  DEPOSIT_MISSING: def('project', 'high', '未存储工资保证金', law(`${TIAOLI}；${DEPOSIT_RULES}`, '条例第三十二条；保证金规定'), '《保障农民工工资支付条例》第三十二条'),
  DEPOSIT_SHORT: def('project', 'medium', '工资保证金不足', law(`${TIAOLI}；${DEPOSIT_RULES}`, '条例第三十二条；保证金规定'), '《保障农民工工资支付条例》第三十二条'),
  GUARANTEE_EXPIRING: def('project', 'low', '保函即将到期', law(`${TIAOLI}；${DEPOSIT_RULES}`, '条例第三十二条；保证金规定（保函有效期）'), `《${DEPOSIT_RULES}》`),
  GUARANTEE_EXPIRED: def('project', 'medium', '保函已过期', law(`${TIAOLI}；${DEPOSIT_RULES}`, '条例第三十二条；保证金规定（保函有效期）'), `《${DEPOSIT_RULES}》`),
  DEPOSIT_NOT_REPLENISHED: def('project', 'medium', '保证金动用后未补足', law(`${TIAOLI}；${DEPOSIT_RULES}`, '条例第三十二条；保证金规定（动用后在补足期限内补足）'), `《${DEPOSIT_RULES}》`),
  DEPOSIT_STORED_LATE: def(
    'project',
    'medium',
    '工资保证金逾期存储',
    law(`${TIAOLI}；${DEPOSIT_RULES}`, '条例第三十二条；保证金规定第八条（签订合同后20个工作日内存储）'),
    `《${DEPOSIT_RULES}》第八条`,
  ),
  GUARANTEE_TERM_SHORT: def(
    'project',
    'medium',
    '保函保证期限不足',
    law(`${TIAOLI}；${DEPOSIT_RULES}`, '条例第三十二条；保证金规定第十七条（保函有效期至少1年且不短于合同工期；条号待核对）'),
    `《${DEPOSIT_RULES}》第十七条`,
  ),
  DEPOSIT_REFUND_EARLY: def(
    'project',
    'high',
    '不符合返还条件返还保证金',
    law(DEPOSIT_RULES, '第二十二条（工程完工、书面承诺无拖欠并公示30日后返还）'),
    `《${DEPOSIT_RULES}》第二十二条`,
  ),
  ACCOUNT_CLOSED_EARLY: def('project', 'high', '不符合条件注销工资专户', law(TIAOLI, '第二十七条（工程完工且未拖欠、公示30日后方可注销）'), '《保障农民工工资支付条例》第二十七条'),
  BLACKLISTED_PARTY: def(
    'project',
    'critical',
    '失信名单单位参建',
    law(`拖欠农民工工资失信联合惩戒对象名单管理暂行办法（人社部令第45号）；${TIAOLI}`, '名单办法第五条、第十一条；条例第四十八条'),
    '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》',
  ),
} as const satisfies Record<string, FlagDefinition>;

export type FlagCode = keyof typeof FLAGS;
export const FLAG_CODES = Object.keys(FLAGS) as FlagCode[];

/** 预警 — one flag raised as of a date. */
export interface Finding {
  readonly code: FlagCode;
  readonly severity: Severity;
  readonly projectId: number;
  readonly projectCode: string;
  readonly idNumber?: IdNumber;
  readonly month?: Month;
  /** the money at stake (arrears, shortfall, sum of the rows concerned …) */
  readonly amount?: Fen;
  readonly legalBasis: LegalBasis;
  readonly params: readonly ParamUse[];
  readonly evidence: readonly EvidenceRef[];
  /** 一句可以朗读的中文说明，以法律依据结尾 */
  readonly sentence: string;
  /** code|projectCode|idNumber|month|detail — the counting unit; stable across recomputes. Holds the identity number: mask at output boundaries. */
  readonly fingerprint: string;
}

export interface FindingInput {
  readonly idNumber?: IdNumber;
  readonly month?: Month;
  readonly amount?: Fen;
  readonly params?: readonly ParamUse[];
  readonly evidence: readonly EvidenceRef[];
  /** the sentence without its citation (added from the catalogue) */
  readonly text: string;
  /** the counting unit beyond worker and month (a roster entry's entry date, a card …) */
  readonly detail?: string;
}

export function fingerprintOf(code: FlagCode, projectCode: string, idNumber = '', month = '', detail = ''): string {
  return `${code}|${projectCode}|${idNumber}|${month}|${detail}`;
}

/** Builds a Finding from the catalogue entry of `code`. */
export function makeFinding(code: FlagCode, project: Pick<ProjectFacts, 'id' | 'code'>, input: FindingInput): Finding {
  const entry = FLAGS[code];
  const f: {
    -readonly [K in keyof Finding]: Finding[K];
  } = {
    code,
    severity: entry.severity,
    projectId: project.id,
    projectCode: project.code,
    legalBasis: entry.basis,
    params: input.params ?? [],
    evidence: input.evidence,
    sentence: `${input.text}（${entry.cite}）`,
    fingerprint: fingerprintOf(code, project.code, input.idNumber, input.month, input.detail),
  };
  if (input.idNumber !== undefined) f.idNumber = input.idNumber;
  if (input.month !== undefined) f.month = input.month;
  if (input.amount !== undefined) f.amount = input.amount;
  return f;
}

/** Findings in a stable order: project code, month, worker, code, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.projectCode, b.projectCode) ||
    cmp(a.month ?? '', b.month ?? '') ||
    cmp(a.idNumber ?? '', b.idNumber ?? '') ||
    cmp(a.code, b.code) ||
    cmp(a.fingerprint, b.fingerprint)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
