/** 导入批次 — the audit record of an import (the batch rows themselves: store.importBatches). */
import { maskText } from '../api/masking.ts';
import type { Store } from '../store/store.ts';
import type { BatchSummary } from './types.ts';

/**
 * 审计日志 — one row per committed import, in the import's own transaction. The detail is written as it
 * stands (the file name masked, the rest counts and the SHA-256): the digest must stay whole to name the
 * file, and a scan for numbers in 64 hex digits could take a run of digits in it for one.
 */
export async function auditImport(store: Store, batch: BatchSummary): Promise<void> {
  await store.audit.append({
    at: batch.importedAt,
    actor: batch.actor,
    action: 'import',
    entity: 'import_batch',
    entityId: String(batch.id),
    reason: null,
    detail: {
      kind: batch.kind,
      fileName: maskText(batch.fileName),
      sha256: batch.sha256,
      encoding: batch.encoding,
      rowCount: batch.rowCount,
      inserted: batch.inserted,
      replaced: batch.replaced,
      warnings: batch.warnings.length,
    },
  });
}
