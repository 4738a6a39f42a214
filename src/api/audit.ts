/**
 * 审计日志 — append-only record of every write: who, when, what changed and why.
 * Details are masked before they are stored: the audit log must not become a copy of personal data.
 */
import { auditLog } from '../db/schema.ts';
import type { Db } from '../db/open.ts';
import { maskPersonalData, maskText } from './masking.ts';

export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  /** e.g. import, flag_resolve, flag_dismiss, token_create, token_revoke, view_personal_data */
  readonly action: string;
  readonly entity: string;
  readonly entityId?: string | number | null;
  readonly reason?: string | null;
  readonly detail?: Record<string, unknown>;
}

export function recordAudit(db: Db, entry: AuditEntry): number {
  const detail = maskPersonalData(entry.detail ?? {}).value;
  const row = db
    .insert(auditLog)
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      // a flag's id is its fingerprint (which holds the worker's identity number) and a reason is free text
      // that may quote one: both are masked like the detail (the API shows fingerprints masked the same way)
      entityId: entry.entityId === undefined || entry.entityId === null ? null : maskText(String(entry.entityId)),
      reason: entry.reason === undefined || entry.reason === null ? null : maskText(entry.reason),
      detail: JSON.stringify(detail),
    })
    .returning({ id: auditLog.id })
    .get();
  return row.id;
}
