/**
 * Authentication, roles and masking, installed once on the root instance so that every route gets them.
 *
 * - Fail closed: a route must declare `config.roles` (or `config.public: true`); a route without either
 *   stops the server from starting.
 * - Bearer tokens (tokens.ts) → `request.principal`; 401 without a valid token, 403 for a role the route
 *   does not allow. Failed attempts are counted per client address and answered 429 past a limit.
 * - Every JSON response is masked in the onSend hook (masking.ts), unless a supervisor asked for the full
 *   view with `X-Full-View: 1`; such a response, when it holds personal data, is audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Db } from '../db/open.ts';
import { recordAudit } from './audit.ts';
import { ApiError, sendError } from './errors.ts';
import { maskPersonalData, maskText } from './masking.ts';
import { FULL_VIEW_ROLES, type Role } from './roles.ts';
import { loginUrlFor, SESSION_COOKIE, sessionTokenOf } from './session.ts';
import { authenticate } from './tokens.ts';

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly roles: readonly Role[] | 'public';
}

export interface AccessOptions {
  readonly db: Db;
  readonly now: () => string;
  /** URL prefixes whose routes are public (the API documentation) */
  readonly publicPrefixes: readonly string[];
  /** failed authentication attempts allowed per client address per window before 429 */
  readonly failedAuthLimit: number;
  readonly failedAuthWindowMs: number;
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

/** Counts failed authentications per client address within a fixed window. */
class FailedAuthCounter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  blocked(key: string, nowMs: number): number | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.resetAt <= nowMs) {
      this.entries.delete(key);
      return null;
    }
    return e.count >= this.limit ? e.resetAt - nowMs : null;
  }

  fail(key: string, nowMs: number): void {
    if (this.entries.size > 10_000) for (const [k, v] of this.entries) if (v.resetAt <= nowMs) this.entries.delete(k);
    const e = this.entries.get(key);
    if (!e || e.resetAt <= nowMs) this.entries.set(key, { count: 1, resetAt: nowMs + this.windowMs });
    else e.count++;
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
  app.decorateRequest('sessionToken', null);

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

  const failures = new FailedAuthCounter(options.failedAuthLimit, options.failedAuthWindowMs);
  app.decorate('authFailures', {
    blocked: (ip: string) => failures.blocked(ip, Date.now()),
    fail: (ip: string) => failures.fail(ip, Date.now()),
  } satisfies AuthFailures);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    const config = request.routeOptions.config ?? {};
    if (config.public || request.is404) return;

    const nowMs = Date.now();
    const wait = failures.blocked(request.ip, nowMs);
    if (wait !== null) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return sendError(request, reply, new ApiError(429, 'TOO_MANY_FAILED_LOGINS', '认证失败次数过多，请稍后再试'));
    }

    if (config.page) return pageAccess(request, reply, config.roles ?? [], nowMs);

    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      failures.fail(request.ip, nowMs);
      reply.header('www-authenticate', 'Bearer realm="huxin"');
      return sendError(request, reply, new ApiError(401, 'UNAUTHENTICATED', '需要认证：请在 Authorization 请求头中提供 Bearer 令牌'));
    }
    const principal = authenticate(options.db, match[1]!, options.now());
    if (!principal) {
      failures.fail(request.ip, nowMs);
      reply.header('www-authenticate', 'Bearer realm="huxin", error="invalid_token"');
      return sendError(request, reply, new ApiError(401, 'INVALID_TOKEN', '令牌无效、已过期或已被吊销'));
    }
    request.principal = principal;
    request.log = request.log.child({ actor: principal.name, role: principal.role });

    const roles = config.roles ?? [];
    if (!roles.includes(principal.role)) {
      return sendError(request, reply, new ApiError(403, 'FORBIDDEN', `当前角色（${principal.role}）无权访问该接口`, { allowedRoles: roles }));
    }

    const fullView = request.headers['x-full-view'];
    if (fullView === '1' || fullView === 'true') {
      if (!FULL_VIEW_ROLES.includes(principal.role)) {
        return sendError(request, reply, new ApiError(403, 'FULL_VIEW_FORBIDDEN', `当前角色（${principal.role}）不能查看完整的身份证号和银行卡号`));
      }
      request.fullView = true;
    }
  });

  /** Page routes: the session cookie instead of a bearer header; a redirect to /login instead of 401. */
  function pageAccess(request: FastifyRequest, reply: FastifyReply, roles: readonly Role[], nowMs: number) {
    reply.header('cache-control', 'no-store');
    const token = sessionTokenOf(request);
    if (!token) return reply.redirect(loginUrlFor(request), 303);
    const principal = authenticate(options.db, token, options.now());
    if (!principal) {
      // revoked or expired since sign-in, or forged: forget the cookie and ask again
      failures.fail(request.ip, nowMs);
      reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return reply.redirect(loginUrlFor(request), 303);
    }
    request.principal = principal;
    request.sessionToken = token;
    request.log = request.log.child({ actor: principal.name, role: principal.role });
    if (!roles.includes(principal.role)) {
      const page = options.renderForbiddenPage?.(request, roles) ?? '<!doctype html><meta charset="utf-8"><title>无权访问</title><p>当前角色无权访问该页面。<a href="/">返回总览</a></p>';
      return reply.code(403).type('text/html; charset=utf-8').send(page);
    }
  }

  app.addHook('onSend', async (request, reply, payload) => {
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
    if (request.fullView && request.principal && reply.statusCode < 400) {
      recordAudit(options.db, {
        at: options.now(),
        actor: request.principal.name,
        action: 'view_personal_data',
        entity: 'http_response',
        entityId: String(request.id),
        reason: decodeReason(request.headers['x-full-view-reason']),
        detail: { method: request.method, url: maskText(request.url), personalValues: found, tokenId: request.principal.tokenId },
      });
      return payload;
    }
    return JSON.stringify(value);
  });

  return {
    allowedMethods(path: string) {
      const methods = new Set<string>();
      for (const p of patterns) if (p.re.test(path)) methods.add(p.method);
      return [...methods].sort();
    },
  };
}

function decodeReason(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  try {
    return decodeURIComponent(header).slice(0, 500);
  } catch {
    return header.slice(0, 500);
  }
}
