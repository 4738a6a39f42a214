/**
 * Pages read and write through the HTTP API itself (`inject`, in process, no network): as the session's
 * principal (a page-call id, src/api/session.ts — the token itself is not kept after sign-in), so the API's roles, validation, audit entries and masking apply to every page
 * exactly as they do to any other client, and no page repeats a query the API already answers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PAGE_CALL_HEADER, pageCallOf } from '../api/session.ts';

export class PageError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code = 'PAGE_ERROR',
  ) {
    super(message);
    this.name = 'PageError';
  }
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface ApiCaller {
  /** GET → the JSON body; an API error becomes a PageError with the API's status and message */
  get<T>(url: string): Promise<T>;
  /** GET → the JSON body, or null on 404 */
  find<T>(url: string): Promise<T | null>;
  /** any call → status and JSON body, errors included */
  call<T>(method: 'POST' | 'GET', url: string, payload?: Buffer | string | object, contentType?: string): Promise<ApiAnswer<T>>;
  /** GET a file (a workbook …) → its bytes and content type; an API error becomes a PageError */
  download(url: string): Promise<{ bytes: Buffer; type: string; disposition: string | null }>;
}

export function apiFor(root: FastifyInstance, request: FastifyRequest): ApiCaller {
  const call = async <T>(method: 'POST' | 'GET', url: string, payload?: Buffer | string | object, contentType?: string): Promise<ApiAnswer<T>> => {
    if (!request.principal) throw new PageError(401, '未登录');
    const headers: Record<string, string> = { [PAGE_CALL_HEADER]: pageCallOf(root, request), 'x-request-id': `${String(request.id)}.api` };
    if (contentType) headers['content-type'] = contentType;
    const res = await root.inject({ method, url, headers, remoteAddress: request.ip, ...(payload === undefined ? {} : { payload: payload as never }) });
    let body: unknown = null;
    try {
      body = res.body === '' ? null : JSON.parse(res.body);
    } catch {
      body = null;
    }
    return { status: res.statusCode, body: body as T };
  };
  const get = async <T>(url: string): Promise<T> => {
    const res = await call<T & ApiErrorBody>('GET', url);
    if (res.status >= 400) throw new PageError(res.status, res.body?.error?.message ?? `接口返回 ${res.status}`, res.body?.error?.code);
    return res.body;
  };
  return {
    call,
    get,
    async download(url: string) {
      if (!request.principal) throw new PageError(401, '未登录');
      const headers: Record<string, string> = { [PAGE_CALL_HEADER]: pageCallOf(root, request), 'x-request-id': `${String(request.id)}.api` };
      const res = await root.inject({ method: 'GET', url, headers, remoteAddress: request.ip });
      if (res.statusCode >= 400) {
        let message = `接口返回 ${res.statusCode}`;
        let code: string | undefined;
        try {
          const body = JSON.parse(res.body) as ApiErrorBody;
          message = body.error?.message ?? message;
          code = body.error?.code;
        } catch {
          /* not JSON */
        }
        throw new PageError(res.statusCode, message, code);
      }
      const disposition = res.headers['content-disposition'];
      return { bytes: res.rawPayload, type: String(res.headers['content-type'] ?? 'application/octet-stream'), disposition: typeof disposition === 'string' ? disposition : null };
    },
    async find<T>(url: string) {
      const res = await call<T & ApiErrorBody>('GET', url);
      if (res.status === 404) return null;
      if (res.status >= 400) throw new PageError(res.status, res.body?.error?.message ?? `接口返回 ${res.status}`, res.body?.error?.code);
      return res.body;
    },
  };
}

/** Every page of a paged API list (pageSize 200). */
export async function allPages<T>(api: ApiCaller, url: string, max = 50): Promise<T[]> {
  const items: T[] = [];
  const sep = url.includes('?') ? '&' : '?';
  for (let page = 1; page <= max; page++) {
    const res = await api.get<{ items: T[]; total: number }>(`${url}${sep}pageSize=200&page=${page}`);
    items.push(...res.items);
    if (items.length >= res.total || res.items.length === 0) break;
  }
  return items;
}
