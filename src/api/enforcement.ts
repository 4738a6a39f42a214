/**
 * Glue between the enforcement services and the API: their refusals become the API's error shape (409 for a
 * move the law does not allow, 422 for unmet conditions), the caller becomes the actor, `asOf` defaults to today.
 */
import type { FastifyRequest } from 'fastify';
import type { IsoDate } from '../domain/date.ts';
import { parseYuan } from '../domain/money.ts';
import { EnforcementError, type Actor } from '../services/enforcement/common.ts';
import { MissingHolidayScheduleError } from '../rules/calendar.ts';
import { ParamNotInForceError } from '../rules/params/dated.ts';
import { ApiError } from './errors.ts';
import { todayOf } from './queries.ts';

function refusal(e: unknown): never {
  if (e instanceof EnforcementError) throw new ApiError(e.status, e.code, e.message, e.details);
  if (e instanceof MissingHolidayScheduleError) throw new ApiError(422, 'MISSING_HOLIDAY_SCHEDULE', e.message);
  if (e instanceof ParamNotInForceError) throw new ApiError(422, 'PARAM_NOT_IN_FORCE', e.message);
  throw e;
}

/** Runs a service call (synchronous, or async: the promise it returns); its refusals become ApiErrors. */
export function run<T>(fn: () => T): T {
  try {
    const r = fn();
    return (r instanceof Promise ? r.catch(refusal) : r) as T;
  } catch (e) {
    return refusal(e);
  }
}

export function actorOf(request: FastifyRequest): Actor {
  const p = request.principal!;
  return { name: p.name, tokenId: p.tokenId };
}

export function asOfOf(q: { asOf?: string }, now: () => string): IsoDate {
  return (q.asOf ?? todayOf(now)) as IsoDate;
}

/** A money field of a request body ("1234.56") in fen; 400 when it is not an amount. */
export function fenOf(text: string, field: string): number {
  const p = parseYuan(text);
  if (!p.ok) throw new ApiError(400, 'BAD_AMOUNT', `${field}：${p.reason}`);
  return p.value;
}
