/**
 * 页面会话 — the pages' sign-in sessions as stored (src/api/session.ts decides when one has ended): only
 * the SHA-256 of a session id. Engine-neutral SQL (src/store/sql.ts).
 */
import type { Sql } from '../sql.ts';

export interface SessionRow {
  id: number;
  tokenId: number;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export class SessionsRepo {
  constructor(private readonly sql: Sql) {}

  async insert(s: { hash: string; tokenId: number; at: string; expiresAt: string }): Promise<void> {
    await this.sql.run('INSERT INTO page_sessions (session_hash, token_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
      s.hash,
      s.tokenId,
      s.at,
      s.at,
      s.expiresAt,
    ]);
  }

  async byHash(hash: string): Promise<SessionRow | null> {
    const r = await this.sql.get<{ id: number; token_id: number; last_seen_at: string; expires_at: string; revoked_at: string | null }>(
      'SELECT id, token_id, last_seen_at, expires_at, revoked_at FROM page_sessions WHERE session_hash = ?',
      [hash],
    );
    return r ? { id: Number(r.id), tokenId: Number(r.token_id), lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, revokedAt: r.revoked_at } : null;
  }

  async touch(id: number, at: string): Promise<void> {
    await this.sql.run('UPDATE page_sessions SET last_seen_at = ? WHERE id = ?', [at, id]);
  }

  /** Ends a session that has not ended yet. */
  async revoke(hash: string, at: string): Promise<void> {
    await this.sql.run('UPDATE page_sessions SET revoked_at = ? WHERE session_hash = ? AND revoked_at IS NULL', [at, hash]);
  }
}
