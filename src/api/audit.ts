/**
 * 审计日志 — append-only record of every write: who, when, what changed and why.
 * Details are masked before they are stored: the audit log must not become a copy of personal data.
 */
import type { Store } from '../store/store.ts';
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

/** The entry as it may be stored: the detail, the entity id and the reason masked. */
function masked(entry: AuditEntry) {
  return {
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    // a flag's id is its fingerprint (which holds the worker's identity number) and a reason is free text
    // that may quote one: both are masked like the detail (the API shows fingerprints masked the same way)
    entityId: entry.entityId === undefined || entry.entityId === null ? null : maskText(String(entry.entityId)),
    reason: entry.reason === undefined || entry.reason === null ? null : maskText(entry.reason),
    detail: maskPersonalData(entry.detail ?? {}).value as Record<string, unknown>,
  };
}

/** Appends an entry through the store (either engine; inside the caller's transaction when it is bound to one). */
export function appendAudit(store: Store, entry: AuditEntry): Promise<number> {
  return store.audit.append(masked(entry));
}
