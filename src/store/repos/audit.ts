/**
 * 审计日志 — the append-only audit log: one row per write, its actor and reason (src/api/audit.ts masks an
 * entry before it reaches here: the log must not become a copy of personal data). No method updates or
 * deletes an entry. Engine-neutral SQL (src/store/sql.ts).
 */
import { Type } from 'typebox';
import { json, type Sql } from '../sql.ts';

/** An entry as stored: already masked by its writer. */
export interface StoredAuditEntry {
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
}

export interface AuditRow extends StoredAuditEntry {
  id: number;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  /** from this instant (inclusive), ISO text */
  from?: string;
  /** until this instant (exclusive), ISO text */
  to?: string;
}

const Detail = Type.Record(Type.String(), Type.Unknown());

export class AuditRepo {
  constructor(private readonly sql: Sql) {}

  /** Appends one entry; its id. */
  async append(e: StoredAuditEntry): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      'INSERT INTO audit_log (at, actor, action, entity, entity_id, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [e.at, e.actor, e.action, e.entity, e.entityId, e.reason, JSON.stringify(e.detail)],
    );
    return Number(row!.id);
  }

  /** A page of entries, newest first, and how many match. */
  async page(filter: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [key, column] of [
      ['actor', 'actor'],
      ['action', 'action'],
      ['entity', 'entity'],
      ['entityId', 'entity_id'],
    ] as const) {
      if (filter[key] !== undefined) {
        where.push(`${column} = ?`);
        params.push(filter[key]);
      }
    }
    if (filter.from !== undefined) {
      where.push('at >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('at < ?');
      params.push(filter.to);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.sql.get<{ n: number }>(`SELECT count(*) AS n FROM audit_log ${clause}`, params);
    const rows = await this.sql.all<{ id: number; at: string; actor: string; action: string; entity: string; entity_id: string | null; reason: string | null; detail: unknown }>(
      `SELECT id, at, actor, action, entity, entity_id, reason, detail FROM audit_log ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    );
    return {
      total: Number(total?.n ?? 0),
      rows: rows.map((r) => ({
        id: Number(r.id),
        at: r.at,
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        reason: r.reason,
        detail: json('audit_log.detail', Detail, r.detail),
      })),
    };
  }
}
