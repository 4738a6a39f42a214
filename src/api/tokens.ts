/**
 * API bearer tokens. A token is `hx_` + 32 random bytes in base64url; only its SHA-256 is stored, so a
 * stolen database does not give working tokens. Issued by `huxin token create` (or a supervisor through
 * POST /api/v1/tokens); every issue and revocation is audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseDate } from '../domain/date.ts';
import { parseUscc } from '../domain/uscc.ts';
import { shanghaiDateOf } from '../domain/date.ts';
import type { TokenRow } from '../store/repos/tokens.ts';
import type { Store } from '../store/store.ts';
import { appendAudit } from './audit.ts';
import { isRole, type Principal, type Role } from './roles.ts';

export const TOKEN_PREFIX = 'hx_';

export interface TokenInfo {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly createdBy: string;
  /** last valid day (Asia/Shanghai), or null for no expiry */
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  /** contractor tokens: the unit's unified social credit code */
  readonly uscc: string | null;
}

export class TokenError extends Error {
  constructor(
    readonly code: 'INVALID_ROLE' | 'INVALID_USCC' | 'INVALID_NAME' | 'INVALID_EXPIRY' | 'TOKEN_NOT_FOUND' | 'ALREADY_REVOKED',
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createToken(
  store: Store,
  input: { role: string; name: string; actor: string; now: string; expiresAt?: string | null; reason?: string | null; uscc?: string | null },
): Promise<{ id: number; token: string }> {
  if (!isRole(input.role)) throw new TokenError('INVALID_ROLE', `角色“${input.role}”无效：应为 importer、inspector、supervisor、viewer 或 contractor`);
  // a contractor token is bound to one unit (统一社会信用代码); a bureau token never is
  let uscc: string | null = null;
  const usccText = (input.uscc ?? '').trim().toUpperCase();
  if (input.role === 'contractor') {
    if (usccText === '') throw new TokenError('INVALID_USCC', '施工单位（contractor）令牌必须绑定统一社会信用代码：--uscc <18位代码>');
    const parsed = parseUscc(usccText);
    if (!parsed.ok) throw new TokenError('INVALID_USCC', parsed.reason);
    uscc = parsed.value;
  } else if (usccText !== '') {
    throw new TokenError('INVALID_USCC', '只有施工单位（contractor）令牌绑定统一社会信用代码');
  }
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new TokenError('INVALID_NAME', '令牌名称（使用人）不能为空，且不超过100个字符');
  let expiresAt: string | null = null;
  if (input.expiresAt !== undefined && input.expiresAt !== null && input.expiresAt !== '') {
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(input.expiresAt) ? parseDate(input.expiresAt) : null;
    if (!parsed || !parsed.ok) throw new TokenError('INVALID_EXPIRY', `到期日期“${input.expiresAt}”无效：应为 YYYY-MM-DD`);
    if (parsed.value < shanghaiDateOf(new Date(input.now))) throw new TokenError('INVALID_EXPIRY', `到期日期 ${parsed.value} 已经过去`);
    expiresAt = parsed.value;
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const role: Role = input.role;
  return store.tx(async (tx) => {
    const id = await tx.tokens.insert({ name, role, uscc, tokenHash: hashToken(token), createdAt: input.now, createdBy: input.actor, expiresAt });
    await appendAudit(tx, {
      at: input.now,
      actor: input.actor,
      action: 'token_create',
      entity: 'api_token',
      entityId: id,
      reason: input.reason ?? null,
      detail: { name, role, expiresAt, ...(uscc ? { uscc } : {}) },
    });
    return { id, token };
  });
}

export function revokeToken(store: Store, input: { id: number; actor: string; now: string; reason?: string | null }): Promise<TokenInfo> {
  return store.tx(async (tx) => {
    const row = await tx.tokens.byId(input.id);
    if (!row) throw new TokenError('TOKEN_NOT_FOUND', `令牌 #${input.id} 不存在`);
    if (row.revokedAt) throw new TokenError('ALREADY_REVOKED', `令牌 #${input.id} 已于 ${row.revokedAt} 吊销`);
    await tx.tokens.revoke(input.id, input.now);
    await appendAudit(tx, {
      at: input.now,
      actor: input.actor,
      action: 'token_revoke',
      entity: 'api_token',
      entityId: input.id,
      reason: input.reason ?? null,
      detail: { name: row.name, role: row.role },
    });
    return toInfo({ ...row, revokedAt: input.now });
  });
}

function toInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    uscc: row.uscc ?? null,
  };
}

/** Every token ever issued, newest first (never the secret, which is not stored). */
export async function listTokens(store: Store): Promise<TokenInfo[]> {
  return (await store.tokens.all()).map(toInfo);
}

export function tokenStatus(info: TokenInfo, now: string): 'active' | 'revoked' | 'expired' {
  if (info.revokedAt) return 'revoked';
  if (info.expiresAt && info.expiresAt < shanghaiDateOf(new Date(now))) return 'expired';
  return 'active';
}

/**
 * The token rows read by hash, kept while the database's change mark holds: every API request authenticates,
 * and building and preparing the query each time was an eighth of a kept read's cost (CPU profile,
 * docs/PERFORMANCE.md). Any commit — a revocation, a new token — moves the mark and empties the memo; the
 * status (expiry) is still judged at every request against its own clock. Unknown hashes are kept too
 * (a guessed token costs no query the second time), at most MEMO_ROWS of them. While a write of this
 * process is under way (no mark) nothing is kept.
 */
const MEMO_ROWS = 10_000;
const tokenMemo = new WeakMap<Store, { mark: string; rows: Map<string, TokenRow | null> }>();

async function tokenRowByHash(store: Store, hash: string): Promise<TokenRow | null> {
  const mark = await store.changeMark();
  if (mark === null) return store.tokens.byHash(hash);
  let memo = tokenMemo.get(store);
  if (!memo || memo.mark !== mark) tokenMemo.set(store, (memo = { mark, rows: new Map() }));
  const kept = memo.rows.get(hash);
  if (kept !== undefined) return kept;
  const row = await store.tokens.byHash(hash);
  // (a commit after the mark was read only makes the row newer than the mark: the next mark empties the memo)
  if (memo.rows.size < MEMO_ROWS) memo.rows.set(hash, row);
  return row;
}

/** The caller a bearer token stands for, or null when it is unknown, revoked or expired. */
export async function authenticate(store: Store, token: string, now: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await tokenRowByHash(store, hashToken(token));
  if (!row) return null;
  if (tokenStatus(toInfo(row), now) !== 'active') return null;
  return { tokenId: row.id, name: row.name, role: row.role, uscc: row.uscc ?? null };
}

/** The principal of a token by its id, or null when it is unknown, revoked or expired (page sessions). */
export async function principalOfTokenId(store: Store, id: number, now: string): Promise<Principal | null> {
  const row = await store.tokens.byId(id);
  if (!row || tokenStatus(toInfo(row), now) !== 'active') return null;
  return { tokenId: row.id, name: row.name, role: row.role, uscc: row.uscc ?? null };
}
