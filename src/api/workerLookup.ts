/**
 * Naming a worker in a request (path, filter, body): by the opaque worker id for every role, by the full
 * identity number only for the roles that may see full numbers — and then throttled per token and audited.
 *
 * A masked role that names a worker by number gets the same 403 whatever the number (nothing is read from
 * the database first), so no answer, message or timing tells it whether a guessed number exists. An opaque
 * id that no worker has, or that was made up, answers like a worker without data: 404.
 */
import type { FastifyRequest } from 'fastify';
import { parseIdNumber, type IdNumber } from '../domain/idNumber.ts';
import type { RouteContext } from '../server.ts';
import { appendAudit } from './audit.ts';
import { ApiError, notFound } from './errors.ts';
import { maskText } from './masking.ts';
import { FULL_VIEW_ROLES } from './roles.ts';
import { idNumberOfRef, isWorkerRef, workerRefKey } from './workerRef.ts';

/** The reason a caller gave for seeing personal data: header X-Full-View-Reason (URL-encoded) or `?reason=`. */
export function fullViewReasonOf(request: FastifyRequest): string | null {
  const header = request.headers['x-full-view-reason'];
  const fromQuery = (request.query as { reason?: unknown } | undefined)?.reason;
  const raw = typeof header === 'string' && header.trim() !== '' ? header : typeof fromQuery === 'string' ? fromQuery : '';
  if (raw.trim() === '') return null;
  try {
    return decodeURIComponent(raw).trim().slice(0, 500) || null;
  } catch {
    return raw.trim().slice(0, 500);
  }
}

/**
 * The identity number a request names, from an opaque worker id (`w_…`) or — for full-view roles only —
 * a full identity number. `where` names the parameter in messages.
 */
export async function workerNamed(ctx: RouteContext, request: FastifyRequest, raw: string, where = '工人'): Promise<IdNumber> {
  const value = raw.trim();
  if (isWorkerRef(value)) {
    const id = idNumberOfRef(await workerRefKey(ctx.store), value);
    if (!id) throw notFound('该工人');
    return id as IdNumber;
  }
  const principal = request.principal!;
  if (!FULL_VIEW_ROLES.includes(principal.role)) {
    throw new ApiError(
      403,
      'ID_NUMBER_LOOKUP_FORBIDDEN',
      `当前角色（${principal.role}）不能按完整身份证号查找${where}：请使用列表中给出的工人编号（workerId，以 w_ 开头）`,
    );
  }
  const parsed = parseIdNumber(value);
  if (!parsed.ok) throw new ApiError(400, 'INVALID_ID_NUMBER', parsed.reason);
  const wait = ctx.idNumberLookups.take(String(principal.tokenId), Date.now());
  if (wait !== null) {
    throw new ApiError(429, 'ID_NUMBER_LOOKUPS_LIMITED', `按身份证号查找过于频繁，请在 ${Math.ceil(wait / 1000)} 秒后再试`, { retryAfterSeconds: Math.ceil(wait / 1000) });
  }
  await appendAudit(ctx.store, {
    at: ctx.now(),
    actor: principal.name,
    action: 'worker_lookup_by_id_number',
    entity: 'worker',
    entityId: parsed.value,
    reason: fullViewReasonOf(request),
    detail: { method: request.method, url: maskText(request.url), tokenId: principal.tokenId },
  });
  return parsed.value;
}

/**
 * Flag fingerprints (`WAGE_PARTIAL|1|<identity number>|2026-10`) name a worker by number: a masked role sees
 * them masked and names flags by id; a fingerprint holding a full number from such a role is refused like a
 * look-up by number (an intake or order answering 404 or 201 would confirm a guessed number).
 */
export function assertFingerprintsAllowed(request: FastifyRequest, fingerprints: readonly string[] | undefined): void {
  if (!fingerprints || fingerprints.length === 0) return;
  const principal = request.principal!;
  if (FULL_VIEW_ROLES.includes(principal.role)) return;
  if (fingerprints.some((fp) => maskText(fp) !== fp || /\d{17}[\dXx]/.test(fp))) {
    throw new ApiError(403, 'ID_NUMBER_LOOKUP_FORBIDDEN', `当前角色（${principal.role}）不能用含完整身份证号的预警指纹：请用预警编号（findingIds）`);
  }
}
