/**
 * 健康检查 — is the database reachable, and does it take writes (GET /health). Reads no data and writes
 * nothing: a write probe would wait behind an import holding the write lock.
 */
import type { Sql } from '../sql.ts';

export class HealthRepo {
  constructor(private readonly sql: Sql) {}

  /** One round trip; throws when the database cannot be reached. */
  async ping(): Promise<void> {
    await this.sql.get('SELECT 1 AS ok');
  }

  /**
   * Whether the database refuses writes: PostgreSQL says so itself (a standby, default_transaction_read_only);
   * SQLite's read-only open is a property of the adapter's writer connection, not visible in SQL.
   */
  async readOnly(): Promise<boolean> {
    if (this.sql.dialect.engine === 'postgres') {
      const r = await this.sql.get<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro");
      return r?.ro === 'on';
    }
    return (this.sql as { writer?: { readonly?: boolean } }).writer?.readonly === true;
  }
}
