/**
 * Enumerated columns and the words accepted for each value, in Chinese and English (DATA-FORMATS.md),
 * plus a few variants that real files use. Every alias is listed here and in docs/IMPORT.md; a value not
 * listed is an error naming the accepted words, never a guess.
 */
import { fail, ok, type Parsed } from '../domain/result.ts';

export interface EnumSpec<V extends string> {
  /** what the column is called in messages */
  readonly label: string;
  /** value → accepted words (the first is the canonical Chinese word shown in messages) */
  readonly words: Readonly<Record<V, readonly string[]>>;
}

function enumKey(raw: string): string {
  return raw.normalize('NFKC').toLowerCase().replace(/[\s_\-]+/g, '');
}

export function enumParser<V extends string>(spec: EnumSpec<V>): (raw: string) => Parsed<V> {
  const table = new Map<string, V>();
  for (const [value, words] of Object.entries(spec.words) as [V, readonly string[]][]) {
    for (const w of [...words, value]) table.set(enumKey(w), value);
  }
  const accepted = (Object.values(spec.words) as readonly string[][]).map((w) => w[0]).join('、');
  return (raw) => {
    const value = table.get(enumKey(raw));
    return value !== undefined ? ok(value) : fail(`${spec.label}“${raw.trim()}”无法识别：请填写 ${accepted} 之一`);
  };
}

/** 计薪方式 — wage basis */
export const WAGE_BASIS = {
  label: '计薪方式',
  words: {
    daily: ['日薪', '按日', '计日', '日工资', '点工', 'day'],
    monthly: ['月薪', '按月', '月工资', '包月', 'month'],
    piece: ['计件', '按件', '计量', 'piecework'],
  },
} as const satisfies EnumSpec<'daily' | 'monthly' | 'piece'>;

/** 发放方式 — payment channel */
export const CHANNEL = {
  label: '发放方式',
  words: {
    dedicated_account: ['专户代发', '专户', '专用账户代发', '专用账户', '工资专户代发', '农民工工资专用账户代发', 'dedicated'],
    other_transfer: ['其他转账', '转账', '银行转账', '非专户转账', '其他账户转账', 'transfer'],
    cash: ['现金', '现金发放'],
  },
} as const satisfies EnumSpec<'dedicated_account' | 'other_transfer' | 'cash'>;

/** 收支方向 — direction of an account transaction (借/贷 as on a bank statement of the account holder) */
export const DIRECTION = {
  label: '收支方向',
  words: {
    in: ['收入', '收', '存入', '转入', '贷', '贷方', 'credit'],
    out: ['支出', '支', '转出', '付出', '借', '借方', 'debit'],
  },
} as const satisfies EnumSpec<'in' | 'out'>;

/** 交易用途 — purpose of an account transaction */
export const PURPOSE = {
  label: '交易用途',
  words: {
    labor_cost: ['人工费用拨付', '人工费拨付', '人工费用', '人工费', '拨付人工费', 'labour_cost'],
    wages: ['工资代发', '代发工资', '工资', '农民工工资', 'wage'],
    wage_return: ['工资退回', '代发退回', '退汇', '退票', '工资退汇', 'returned_wage'],
    other: ['其他', '其它'],
  },
} as const satisfies EnumSpec<'labor_cost' | 'wages' | 'wage_return' | 'other'>;

/** 业务类型 — deposit event */
export const DEPOSIT_EVENT = {
  label: '业务类型',
  words: {
    deposit: ['存储', '存入', '缴存', '缴纳'],
    use: ['动用', '使用', '支取'],
    replenish: ['补足', '补存', '补缴'],
    refund: ['返还', '退还', '退回'],
  },
} as const satisfies EnumSpec<'deposit' | 'use' | 'replenish' | 'refund'>;

/** 保证形式 — deposit form */
export const DEPOSIT_FORM = {
  label: '保证形式',
  words: {
    cash: ['现金', '现金存储', '现金存款'],
    bank_guarantee: ['银行保函', '保函', 'guarantee'],
    insurance: ['保证保险', '保险', '工程保证保险'],
  },
} as const satisfies EnumSpec<'cash' | 'bank_guarantee' | 'insurance'>;

/** 记录类型 — an item of a general contractor's record (contractor_records, issue 19 item 1) */
export const CONTRACTOR_RECORD_TYPE = {
  label: '记录类型',
  words: {
    records_held: ['记录起始', '记录覆盖起始', '掌握记录起始', 'records_from'],
    arrears: ['欠薪', '拖欠', '欠薪记录', '拖欠工资'],
    listing: ['失信名单', '列入名单', '列入失信名单', 'blacklist'],
    compliance: ['实名制专户认定', '落实实名制和专户制度', '合规认定', 'compliant'],
  },
} as const satisfies EnumSpec<'records_held' | 'arrears' | 'listing' | 'compliance'>;

export const parseWageBasis = enumParser(WAGE_BASIS);
export const parseContractorRecordType = enumParser(CONTRACTOR_RECORD_TYPE);
export const parseChannel = enumParser(CHANNEL);
export const parseDirection = enumParser(DIRECTION);
export const parsePurpose = enumParser(PURPOSE);
export const parseDepositEvent = enumParser(DEPOSIT_EVENT);
export const parseDepositForm = enumParser(DEPOSIT_FORM);
