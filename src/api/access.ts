/**
 * Authentication, roles and masking, installed once on the root instance so that every route gets them.
 *
 * - Fail closed: a route must declare `config.roles` (or `config.public: true`); a route without either
 *   stops the server from starting.
 * - Bearer tokens (tokens.ts) → `request.principal`; 401 without a valid token, 403 for a role the route
 *   does not allow. Failed attempts (invalid tokens) are counted per client address and answered 429 past
 *   a limit — but a valid token is never refused for someone else's failures (issue 15, finding 3: one
 *   script with a revoked token behind the office NAT locked the whole bureau out). Each token is also
 *   throttled on its own (requests per minute), whatever its address.
 * - A request refused here (401, 403, 429 …) is answered at once with `Connection: close`: its body is
 *   never read, and a slow sender cannot keep the connection (finding 4).
 * - Page routes: the session cookie (session.ts), never the token; pages call the API in process with a
 *   page-call id that stands for the session's principal while the page request runs.
 * - Every JSON response is masked in the onSend hook (masking.ts), unless a supervisor asked for the full
 *   view with `X-Full-View: 1` and a reason (`X-Full-View-Reason`); such a response, when it holds personal
 *   data, is audited with the reason. Each object that names a worker by identity number gets the worker's
 *   opaque id beside it (`workerId`, workerRef.ts), by which every role looks workers up.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Store } from '../store/store.ts';
import { parseIdNumber } from '../domain/idNumber.ts';
import { appendAudit } from './audit.ts';
import { ApiError, sendError } from './errors.ts';
import { maskPersonalData, maskText } from './masking.ts';
import { FULL_VIEW_ROLES, type Role } from './roles.ts';
import { DEFAULT_SESSION_LIMITS, loginUrlFor, PAGE_CALL_HEADER, SESSION_COOKIE, sessionIdOf, sessionPrincipal, type SessionLimits } from './session.ts';
import { WindowCounter } from './throttle.ts';
import { authenticate } from './tokens.ts';
import { fullViewReasonOf } from './workerLookup.ts';
import { workerRefKey, workerRefOf } from './workerRef.ts';

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly roles: readonly Role[] | 'public';
}

export interface AccessOptions {
  readonly store: Store;
  readonly now: () => string;
  /** URL prefixes whose routes are public (the API documentation) */
  readonly publicPrefixes: readonly string[];
  /** failed authentication attempts allowed per client address per window before 429 */
  readonly failedAuthLimit: number;
  readonly failedAuthWindowMs: number;
  /** requests per token per minute */
  readonly requestsPerTokenPerMinute?: number;
  /** page sessions' idle and absolute expiry */
  readonly sessions?: SessionLimits;
  /** the HTML answer when a page route refuses the caller's role (default: a bare page) */
  readonly renderForbiddenPage?: (request: FastifyRequest, allowed: readonly Role[]) => string;
}

/** Failed-authentication bookkeeping, shared with the sign-in form (which checks tokens itself). */
export interface AuthFailures {
  /** milliseconds until the address may try again, or null when it is not blocked */
  blocked(ip: string): number | null;
  fail(ip: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every route with the roles it allows (for tests and docs) */
    routeTable: RouteEntry[];
    authFailures: AuthFailures;
  }
}

function routePattern(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

export function installAccessControl(app: FastifyInstance, options: AccessOptions): { allowedMethods: (path: string) => string[] } {
  const table: RouteEntry[] = [];
  const patterns: { method: string; re: RegExp }[] = [];
  app.decorate('routeTable', table);
  app.decorateRequest('principal', null);
  app.decorateRequest('fullView', false);

  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]) as HTTPMethods[];
    const isPublicDoc = options.publicPrefixes.some((p) => route.url === p || route.url.startsWith(`${p}/`));
    if (isPublicDoc) route.config = { ...(route.config ?? {}), public: true };
    const config = route.config ?? {};
    const roles = config.roles;
    if (!config.public && (!Array.isArray(roles) || roles.length === 0)) {
      throw new Error(`route ${methods.join(',')} ${route.url} declares no roles (config.roles) — every route must say who may call it`);
    }
    for (const method of methods) {
      table.push({ method, url: route.url, roles: config.public ? 'public' : [...roles!] });
      patterns.push({ method, re: routePattern(route.url) });
    }
  });

  const failures = new WindowCounter(options.failedAuthLimit, options.failedAuthWindowMs);
  const perToken = new WindowCounter(options.requestsPerTokenPerMinute ?? 1200, 60_000);
  const sessionLimits = options.sessions ?? DEFAULT_SESSION_LIMITS;
  app.decorate('authFailures', {
    blocked: (ip: string) => failures.blocked(ip, Date.now()),
    fail: (ip: string) => failures.hit(ip, Date.now()),
  } satisfies AuthFailures);
  app.decorate('pageCalls', new Map());
  app.decorateRequest('pageCall', null);
  app.decorateRequest('sessionId', null);
  // a page-call id lives as long as its page request
  app.addHook('onResponse', async (request) => {
    if (request.pageCall) app.pageCalls.delete(request.pageCall);
  });

  /** Refused before the body is read: answered now, and the connection closed after the answer. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, e: ApiError) => {
    reply.header('connection', 'close');
    return sendError(request, reply, e);
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    const config = request.routeOptions.config ?? {};
    if (config.public || request.is404) return;

    const nowMs = Date.now();
    if (config.page) return pageAccess(request, reply, config.roles ?? [], nowMs);

    let principal = null;
    const pageCall = request.headers[PAGE_CALL_HEADER];
    if (typeof pageCall === 'string') {
      // a page's in-process call (src/pages/api.ts); an id not running now is a forgery
      principal = app.pageCalls.get(pageCall) ?? null;
      if (!principal) return refuse(request, reply, new ApiError(401, 'INVALID_TOKEN', '令牌无效、已过期或已被吊销'));
    } else {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!match) {
        // no credential at all is not a guess: it is not counted against the address
        reply.header('www-authenticate', 'Bearer realm="huxin"');
        return refuse(request, reply, new ApiError(401, 'UNAUTHENTICATED', '需要认证：请在 Authorization 请求头中提供 Bearer 令牌'));
      }
      principal = await authenticate(options.store, match[1]!, options.now());
      if (!principal) {
        // only a wrong token is refused for the address's failures; a valid one always gets through
        const wait = failures.blocked(request.ip, nowMs);
        if (wait !== null) {
          reply.header('retry-after', String(Math.ceil(wait / 1000)));
          return refuse(request, reply, new ApiError(429, 'TOO_MANY_FAILED_LOGINS', '认证失败次数过多，请稍后再试'));
        }
        failures.hit(request.ip, nowMs);
        reply.header('www-authenticate', 'Bearer realm="huxin", error="invalid_token"');
        return refuse(request, reply, new ApiError(401, 'INVALID_TOKEN', '令牌无效、已过期或已被吊销'));
      }
    }
    const wait = perToken.take(String(principal.tokenId), nowMs);
    if (wait !== null) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return refuse(request, reply, new ApiError(429, 'RATE_LIMITED', `该令牌的请求过于频繁，请在 ${Math.ceil(wait / 1000)} 秒后再试`, { retryAfterSeconds: Math.ceil(wait / 1000) }));
    }
    request.principal = principal;
    request.log = request.log.child({ actor: principal.name, role: principal.role });

    const roles = config.roles ?? [];
    if (!roles.includes(principal.role)) {
      return refuse(request, reply, new ApiError(403, 'FORBIDDEN', `当前角色（${principal.role}）无权访问该接口`, { allowedRoles: roles }));
    }

    const fullView = request.headers['x-full-view'];
    if (fullView === '1' || fullView === 'true') {
      if (!FULL_VIEW_ROLES.includes(principal.role)) {
        return refuse(request, reply, new ApiError(403, 'FULL_VIEW_FORBIDDEN', `当前角色（${principal.role}）不能查看完整的身份证号和银行卡号`));
      }
      if (fullViewReasonOf(request) === null) {
        return refuse(request, reply, new ApiError(400, 'FULL_VIEW_REASON_REQUIRED', '查看完整号码须说明原因：请求头 X-Full-View-Reason（URL 编码），记入审计日志'));
      }
      request.fullView = true;
    }
  });

  /** Page routes: the session cookie instead of a bearer header; a redirect to /login instead of 401. */
  async function pageAccess(request: FastifyRequest, reply: FastifyReply, roles: readonly Role[], nowMs: number) {
    reply.header('cache-control', 'no-store');
    const sessionId = sessionIdOf(request);
    if (!sessionId) return reply.redirect(loginUrlFor(request), 303);
    const principal = await sessionPrincipal(options.store, sessionId, options.now(), sessionLimits);
    if (!principal) {
      // ended (idle, expired, logged out, token revoked) or forged: forget the cookie and ask again
      reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return reply.redirect(loginUrlFor(request), 303);
    }
    const wait = perToken.take(String(principal.tokenId), nowMs);
    if (wait !== null) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return reply.code(429).type('text/html; charset=utf-8').send('<!doctype html><meta charset="utf-8"><title>请求过于频繁</title><p>请求过于频繁，请稍后再试。</p>');
    }
    request.principal = principal;
    request.sessionId = sessionId;
    request.log = request.log.child({ actor: principal.name, role: principal.role });
    if (!roles.includes(principal.role)) {
      const page = options.renderForbiddenPage?.(request, roles) ?? '<!doctype html><meta charset="utf-8"><title>无权访问</title><p>当前角色无权访问该页面。<a href="/">返回总览</a></p>';
      return reply.code(403).type('text/html; charset=utf-8').send(page);
    }
  }

  /** the worker-id key, or null when it cannot be made (a read-only database that never had one) */
  const refKeyOrNull = async (): Promise<Buffer | null> => {
    try {
      return await workerRefKey(options.store);
    } catch {
      return null;
    }
  };

  app.addHook('onSend', async (request, reply, payload) => {
    // the read cache's answers are kept masked (readCache.ts): masked once, when first computed
    if (request.readCacheHit) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (typeof payload !== 'string' || !type.includes('json')) return payload;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return request.fullView ? payload : maskText(payload);
    }
    const { value, found } = maskPersonalData(parsed);
    if (found === 0) return payload;
    const key = await refKeyOrNull();
    const withRefs = key ? addWorkerRefs(parsed, key) : parsed;
    if (request.fullView && request.principal && reply.statusCode < 400) {
      await appendAudit(options.store, {
        at: options.now(),
        actor: request.principal.name,
        action: 'view_personal_data',
        entity: 'http_response',
        entityId: String(request.id),
        reason: fullViewReasonOf(request),
        detail: { method: request.method, url: maskText(request.url), personalValues: found, tokenId: request.principal.tokenId },
      });
      return JSON.stringify(withRefs);
    }
    return JSON.stringify(key ? addWorkerRefs(value, key, withRefs) : value);
  });

  return {
    allowedMethods(path: string) {
      const methods = new Set<string>();
      for (const p of patterns) if (p.re.test(path)) methods.add(p.method);
      return [...methods].sort();
    },
  };
}

const ID_KEYS = ['idNumber', 'id_number'] as const;

/**
 * Beside every identity number in a response object, the worker's opaque id (`workerId`). Called on the
 * unmasked value; `masked`, when given, is the masked copy to write the ids into (same shape).
 */
function addWorkerRefs(value: unknown, key: Buffer, unmaskedTwin?: unknown): unknown {
  const source = unmaskedTwin ?? value;
  if (Array.isArray(value)) return value.map((v, i) => addWorkerRefs(v, key, Array.isArray(source) ? source[i] : undefined));
  if (value === null || typeof value !== 'object') return value;
  const src = (source ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = addWorkerRefs(v, key, src[k]);
  if (!('workerId' in out)) {
    for (const k of ID_KEYS) {
      const raw = src[k];
      if (typeof raw === 'string' && raw.length === 18) {
        const parsed = parseIdNumber(raw);
        if (parsed.ok) {
          out.workerId = workerRefOf(key, parsed.value);
          break;
        }
      }
    }
  }
  return out;
}
