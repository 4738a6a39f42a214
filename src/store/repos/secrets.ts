/**
 * 服务器密钥 — secrets kept with the data they protect, one row per purpose (the key of the opaque worker
 * ids, src/api/workerRef.ts). Engine-neutral SQL (src/store/sql.ts).
 */
import type { Sql } from '../sql.ts';

export class SecretsRepo {
  constructor(private readonly sql: Sql) {}

  /** The secret stored under `name` (base64), or null. */
  async get(name: string): Promise<string | null> {
    const r = await this.sql.get<{ secret: string }>('SELECT secret FROM server_secrets WHERE name = ?', [name]);
    return r?.secret ?? null;
  }

  /** Stores `secret` under `name` unless one is there already (two processes may race: the first stays). */
  async putIfAbsent(name: string, secret: string, at: string): Promise<void> {
    await this.sql.run('INSERT INTO server_secrets (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [name, secret, at]);
  }
}
