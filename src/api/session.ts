/**
 * 会话 — the pages' sign-in session (issue 15, finding 8: the cookie used to be the API token itself,
 * without expiry, and logging out only cleared it in the browser).
 *
 * - Signing in with a token creates a session of its own: a random 256-bit id in the cookie (http-only,
 *   SameSite=Strict, path /), only its SHA-256 in `page_sessions`. The API token never leaves the sign-in
 *   form: a stolen cookie is not a token, and works nowhere but the pages.
 * - A session ends when idle too long (default 30 minutes), at its absolute expiry (default 12 hours, also
 *   the cookie's Max-Age), on logout (revoked server-side: the old cookie no longer works anywhere), or
 *   when its token is revoked or expires.
 * - Pages call the API in process (src/pages/api.ts) as the session's principal through a one-time
 *   page-call id that lives only while the page request runs (`x-huxin-page-call`); nothing else
 *   outside the process can present it.
 * `secure` is off by default (plain HTTP on the bureau's network or loopback): HUXIN_SECURE_COOKIES=1
 * behind an HTTPS proxy.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../store/store.ts';
import type { Principal } from './roles.ts';
import { principalOfTokenId } from './tokens.ts';

export const SESSION_COOKIE = 'huxin_session';
export const PAGE_CALL_HEADER = 'x-huxin-page-call';

export interface SessionLimits {
  /** a session unused this long has ended */
  idleMs: number;
  /** a session ends this long after sign-in, however active */
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 };

/** last-seen is written at most this often (a page view is not a write each time) */
const TOUCH_EVERY_MS = 60_000;

const hashOf = (sessionId: string) => createHash('sha256').update(sessionId, 'utf8').digest('hex');

/** The session cookie's value from the Cookie header (no plugin needed: the auth hook runs first). */
export function sessionIdOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return value === '' ? null : value.slice(0, 200);
  }
  return null;
}

/** A new session for a token's principal; returns the id for the cookie (never stored). */
export async function createSession(store: Store, principal: Principal, now: string, limits: SessionLimits): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.parse(now) + limits.absoluteMs).toISOString();
  await store.sessions.insert({ hash: hashOf(id), tokenId: principal.tokenId, at: now, expiresAt });
  return id;
}

/** The principal of a live session, or null (unknown, revoked, idle too long, past its end, token no longer valid). */
export async function sessionPrincipal(store: Store, sessionId: string, now: string, limits: SessionLimits): Promise<Principal | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
  const row = await store.sessions.byHash(hashOf(sessionId));
  if (!row || row.revokedAt !== null) return null;
  const nowMs = Date.parse(now);
  if (nowMs >= Date.parse(row.expiresAt)) return null;
  if (nowMs - Date.parse(row.lastSeenAt) >= limits.idleMs) return null;
  const principal = await principalOfTokenId(store, row.tokenId, now);
  if (!principal) return null;
  if (nowMs - Date.parse(row.lastSeenAt) >= TOUCH_EVERY_MS) {
    try {
      await store.sessions.touch(row.id, now);
    } catch {
      // a read-only or full database must not stop a page from being read; the idle clock just runs on
    }
  }
  return principal;
}

/** Logout: the session ends on the server, whatever the browser keeps. */
export async function revokeSession(store: Store, sessionId: string, now: string): Promise<void> {
  await store.sessions.revoke(hashOf(sessionId), now);
}

/** Where to send a caller without a session: the sign-in page, coming back to this page afterwards. */
export function loginUrlFor(request: FastifyRequest): string {
  const next = request.method === 'GET' ? request.url : '/';
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** page-call ids of the page requests now running → their principal */
    pageCalls: Map<string, Principal>;
  }
}

/**
 * The page-call id of a page request (created on first use, forgotten when the page request ends): the
 * pages' in-process API calls carry it instead of a token.
 */
export function pageCallOf(root: FastifyInstance, request: FastifyRequest): string {
  if (request.pageCall) return request.pageCall;
  if (!request.principal) throw new Error('pageCallOf: not a signed-in page request');
  const id = randomBytes(32).toString('base64url');
  root.pageCalls.set(id, request.principal);
  request.pageCall = id;
  return id;
}
