/**
 * The API's one error shape: `{ "error": { "code": "...", "message": "...(Chinese)", "details": ... } }`.
 * Every failure goes through `errorHandler` or `notFoundHandler`; nothing else formats errors, and no
 * stack trace or internal message ever reaches a response (they go to the log, masked).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { storageFailureOf } from '../store/sql.ts';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

export const notFound = (what: string, details?: unknown) => new ApiError(404, 'NOT_FOUND', `${what}不存在`, details);
export const badRequest = (message: string, details?: unknown) => new ApiError(400, 'BAD_REQUEST', message, details);

function body(request: FastifyRequest, code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }), requestId: String(request.id) } };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, e: ApiError): FastifyReply {
  return reply.code(e.statusCode).type('application/json; charset=utf-8').send(body(request, e.code, e.message, e.details));
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: unknown;
}

/** Seconds a client is asked to wait (Retry-After) when the database is busy with another writer. */
export const BUSY_RETRY_SECONDS = 5;

/** Turns any thrown error into a fitting 4xx with our shape, or a bare 500. */
export function toApiError(error: FastifyError & { validation?: ValidationIssue[]; validationContext?: string }): ApiError {
  if (error instanceof ApiError) return error;
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    const issues = error.validation.map((v) => ({
      in: where,
      path: v.instancePath || '/',
      rule: v.keyword ?? null,
      message: v.message ?? '',
      ...(v.params && typeof v.params === 'object' ? { params: v.params } : {}),
    }));
    const label = where === 'body' ? '请求体' : where === 'querystring' ? '查询参数' : where === 'params' ? '路径参数' : where === 'headers' ? '请求头' : '请求';
    return new ApiError(400, 'VALIDATION_FAILED', `${label}不符合要求：${issues.map((i) => `${i.path} ${i.message}`).join('；')}`, { issues });
  }
  const status = error.statusCode ?? 500;
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'MALFORMED_JSON', '请求体不是有效的 JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'EMPTY_BODY', '请求体为空，但声明了 JSON 内容类型');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new ApiError(413, 'PAYLOAD_TOO_LARGE', '请求体过大，超过了允许的大小');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型（Content-Type）');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'BAD_REQUEST', 'Content-Length 与请求体长度不符');
    default:
      break;
  }
  if (error instanceof SyntaxError && status === 400) return new ApiError(400, 'MALFORMED_JSON', '请求体不是有效的 JSON');
  if (status === 413) return new ApiError(413, 'PAYLOAD_TOO_LARGE', '请求体过大，超过了允许的大小');
  if (status === 415) return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型（Content-Type）');
  if (status === 429) return new ApiError(429, 'RATE_LIMITED', '请求过于频繁，请稍后再试');
  if (status >= 400 && status < 500) return new ApiError(status, 'BAD_REQUEST', '请求无效');
  // another process (a large `huxin import`, the nightly child) held the write lock longer than busy_timeout:
  // a temporary condition the caller can retry, not an internal error
  if (typeof error.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(error.code)) {
    return new ApiError(503, 'DATABASE_BUSY', '数据库正忙（可能正在导入大文件或生成夜间报告），请稍后重试', { retryAfterSeconds: BUSY_RETRY_SECONDS });
  }
  // the storage itself refused (issue 15, finding 6: a full disk answered a generic 500): the transaction
  // was rolled back, nothing was written — say so, in Chinese, as a 503 the caller can retry later
  const storage = storageErrorOf(error);
  if (storage) return storage;
  return new ApiError(500, 'INTERNAL_ERROR', '服务器内部错误，请联系管理员并提供请求编号');
}

/** The storage failures a caller is told about (503), from the engine-neutral classification of src/store/sql.ts. */
export function storageErrorOf(error: unknown): ApiError | null {
  switch (storageFailureOf(error)) {
    case 'disk_full':
      return new ApiError(503, 'STORAGE_FULL', '服务器磁盘空间已满，本次操作未写入任何数据（已有数据不受影响）：请联系管理员清理磁盘后重试', { retryAfterSeconds: 60 });
    case 'read_only':
      return new ApiError(503, 'DATABASE_READ_ONLY', '数据库当前只读，本次操作未写入任何数据：请联系管理员检查数据库文件、目录权限或磁盘状态', { retryAfterSeconds: 60 });
    case 'unavailable':
      return new ApiError(503, 'DATABASE_UNAVAILABLE', '数据库暂时无法访问，本次操作未完成：请稍后重试或联系管理员', { retryAfterSeconds: 60 });
    default:
      return null;
  }
}

/** The last storage failure this server answered (reported by /health for a while after). */
export interface StorageFailureNote {
  code: string;
  atMs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    lastStorageFailure: { note: StorageFailureNote | null };
  }
}

/** Whether a parsed query, path or JSON body holds a NUL character in any string (uploads — bytes, streams — aside). */
function holdsNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (v === null || typeof v !== 'object' || depth > 32 || ArrayBuffer.isView(v) || typeof (v as { pipe?: unknown }).pipe === 'function') return false;
  if (Array.isArray(v)) return v.some((x) => holdsNul(x, depth + 1));
  // parsed queries are objects of a null-prototype class: any object but bytes and streams is walked
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || holdsNul(x, depth + 1));
}

const PART_LABEL = { querystring: '查询参数', params: '路径参数', body: '请求体' } as const;

/** Installs the error handler and the 404/405 handler on the root instance. */
export function installErrorHandling(app: FastifyInstance, allowedMethods: (url: string) => string[]): void {
  const last = { note: null as StorageFailureNote | null };
  app.decorate('lastStorageFailure', last);
  // A NUL character is no text anyone means, and PostgreSQL can neither store nor compare it (its text type
  // refuses U+0000: a filter `?county=%00` answered 500 there). Refused alike on every engine, as the
  // validation failure it is, before any handler reaches the database.
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [
      ['querystring', request.query],
      ['params', request.params],
      ['body', request.body],
    ] as const) {
      if (holdsNul(value)) {
        throw new ApiError(400, 'VALIDATION_FAILED', `${PART_LABEL[where]}不符合要求：含有空字符（U+0000）`, {
          issues: [{ in: where, path: '/', rule: 'noNul', message: '含有空字符（U+0000）' }],
        });
      }
    }
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const e = toApiError(error);
    if (e.code === 'STORAGE_FULL' || e.code === 'DATABASE_READ_ONLY' || e.code === 'DATABASE_UNAVAILABLE') {
      // remembered for /health when the engine itself refused (not /health's own report of it)
      if (!(error instanceof ApiError)) last.note = { code: e.code, atMs: Date.now() };
      reply.header('retry-after', '60');
      request.log.error({ err: error, code: e.code }, 'storage refused the write');
    } else if (e.code === 'DATABASE_BUSY') {
      reply.header('retry-after', String(BUSY_RETRY_SECONDS));
      request.log.warn({ code: e.code }, 'database busy: another writer held the lock past busy_timeout');
    } else if (e.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: e.code, statusCode: e.statusCode }, e.message);
    return sendError(request, reply, e);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allow = allowedMethods(path);
    if (allow.length > 0) {
      reply.header('allow', allow.join(', '));
      return sendError(request, reply, new ApiError(405, 'METHOD_NOT_ALLOWED', `该地址不支持 ${request.method} 方法`, { allow }));
    }
    return sendError(request, reply, new ApiError(404, 'ROUTE_NOT_FOUND', '没有这个接口地址'));
  });
}
