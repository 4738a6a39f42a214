/**
 * 会话 — the pages' sign-in session. The cookie holds the API token itself (http-only, SameSite=Strict,
 * path /): the token is already a 256-bit random secret checked against its stored hash on every request,
 * so signing it would add nothing, and revoking the token ends every session at once. The cookie has no
 * expiry (it ends with the browser); `secure` is off by default because the server speaks plain HTTP on
 * the bureau's network or loopback — turn it on with `buildServer({ secureCookies: true })` behind an
 * HTTPS proxy (not yet a setting of `huxin serve`).
 */
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'huxin_session';

/** The session cookie's value from the Cookie header (no plugin needed: the auth hook runs first). */
export function sessionTokenOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return value === '' ? null : value;
  }
  return null;
}

/** Where to send a caller without a session: the sign-in page, coming back to this page afterwards. */
export function loginUrlFor(request: FastifyRequest): string {
  const next = request.method === 'GET' ? request.url : '/';
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
