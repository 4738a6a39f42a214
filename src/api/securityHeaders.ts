/**
 * 安全响应头 — the security headers of every answer (helmet's, with Huxin's content security policy).
 *
 * Why not @fastify/helmet: it builds a new helmet middleware — parsing the policy's directives — on every
 * request (its `helmetApplyHeaders` hook calls `helmet(config)` each time, to allow per-route options and
 * nonces we do not use). Under the review queue's load that was 5 % of the server's time for headers that
 * never change. The same helmet computes them here once, at start-up, and a hook sets the kept set: the
 * answers carry exactly the headers they carried before (test/api/errors.test.ts,
 * test/reliability/hostile-requests.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for `options`, computed once: name → value (lower-case names). */
export function securityHeadersOf(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader(name: string) {
      return headers[name.toLowerCase()];
    },
  };
  let failed: unknown;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (e?: unknown) => (failed = e));
  if (failed) throw failed;
  return Object.freeze(headers);
}

/**
 * Sets the headers on every answer, from the first hook on: an answer of access control (401/403/429) or
 * of an error carries them as well. Register before any hook that may answer.
 */
export function installSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers = securityHeadersOf(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
