/**
 * 访问令牌 — API bearer tokens as stored (src/api/tokens.ts issues, checks and revokes them): only the
 * SHA-256 of a secret, never the secret. Engine-neutral SQL (src/store/sql.ts).
 */
import type { Sql } from '../sql.ts';

export type TokenRole = 'importer' | 'inspector' | 'supervisor' | 'viewer' | 'contractor';

export interface TokenRow {
  id: number;
  name: string;
  role: TokenRole;
  uscc: string | null;
  tokenHash: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export type NewToken = Omit<TokenRow, 'id' | 'revokedAt'>;

const COLUMNS = 'id, name, role, uscc, token_hash, created_at, created_by, expires_at, revoked_at';

type Stored = { id: number; name: string; role: TokenRole; uscc: string | null; token_hash: string; created_at: string; created_by: string; expires_at: string | null; revoked_at: string | null };

const rowOf = (r: Stored): TokenRow => ({
  id: Number(r.id),
  name: r.name,
  role: r.role,
  uscc: r.uscc ?? null,
  tokenHash: r.token_hash,
  createdAt: r.created_at,
  createdBy: r.created_by,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export class TokensRepo {
  constructor(private readonly sql: Sql) {}

  /** Stores a new token; its id. */
  async insert(t: NewToken): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      'INSERT INTO api_tokens (name, role, uscc, token_hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [t.name, t.role, t.uscc, t.tokenHash, t.createdAt, t.createdBy, t.expiresAt],
    );
    return Number(row!.id);
  }

  async byId(id: number): Promise<TokenRow | null> {
    const r = await this.sql.get<Stored>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = ?`, [id]);
    return r ? rowOf(r) : null;
  }

  async byHash(hash: string): Promise<TokenRow | null> {
    const r = await this.sql.get<Stored>(`SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = ?`, [hash]);
    return r ? rowOf(r) : null;
  }

  /** Every token ever issued, newest first. */
  async all(): Promise<TokenRow[]> {
    return (await this.sql.all<Stored>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY id DESC`)).map(rowOf);
  }

  /** Marks a token revoked (true when it was not yet). */
  async revoke(id: number, at: string): Promise<boolean> {
    return (await this.sql.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])) > 0;
  }
}
