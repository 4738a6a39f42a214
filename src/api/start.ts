/**
 * `huxin serve` / `npm start`: open the database (a SQLite file or a postgres:// URL) and listen
 * (HOST/PORT, default 127.0.0.1:3000). The CLI wires this; tests use `buildServer` with `inject` instead.
 */
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../server.ts';
import { defaultLocation, openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { loggerFromEnv, type LoggerSetting } from './logging.ts';

export interface StartOptions {
  /** a SQLite file or a postgres:// URL; default: `HUXIN_DB`, else ./data/huxin.db */
  location?: string;
  /** the same, by its older name */
  dbPath?: string;
  /** default: `HOST`, else 127.0.0.1 */
  host?: string;
  /** default: `PORT`, else 3000 */
  port?: number;
  /** default: HUXIN_LOG_LEVEL (info) and HUXIN_LOG_FORMAT (json lines; pretty) on stdout, masked */
  logger?: LoggerSetting;
  /** close the server cleanly on SIGINT/SIGTERM (default true) */
  handleSignals?: boolean;
  env?: NodeJS.ProcessEnv;
  /** further buildServer options (limits, publicDocs, trustProxy) */
  server?: Omit<ServerOptions, 'dbPath' | 'location' | 'store' | 'logger'>;
}

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const location = options.location ?? options.dbPath ?? defaultLocation(env);
  const host = options.host ?? (env.HOST && env.HOST.trim() !== '' ? env.HOST : '127.0.0.1');
  const port = options.port ?? (env.PORT && /^\d+$/.test(env.PORT) ? Number(env.PORT) : 3000);
  const logger = options.logger ?? loggerFromEnv(env);
  const store = await openStore(location);
  const trustProxy = options.server?.trustProxy ?? trustProxyOf(env.HUXIN_TRUST_PROXY);
  let app: FastifyInstance;
  try {
    app = await buildServer({ ...options.server, trustProxy, store, location, logger });
  } catch (e) {
    await store.close();
    throw e;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await store.close();
  };
  try {
    await app.listen({ host, port });
  } catch (e) {
    await close();
    throw e;
  }
  if (options.handleSignals ?? true) {
    const stop = (signal: NodeJS.Signals) => {
      app.log.info({ signal }, 'shutting down');
      void close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { app, store, url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`, close };
}

/**
 * HUXIN_TRUST_PROXY — which peers may tell the client's address in X-Forwarded-For (fastify's
 * trustProxy). Failed sign-ins are counted per client address: behind a reverse proxy without this
 * setting every client has the proxy's address, and one forgotten script with a revoked token would
 * make the whole office wait. Values:
 * - unset, empty, `0`, `false`: trust nobody (the socket's address counts; the default);
 * - the proxy's addresses or CIDR ranges, comma-separated (`127.0.0.1`, `10.0.0.5,10.0.1.0/24`): recommended;
 * - a number n ≥ 1: trust the n nearest hops;
 * - `true`: trust every peer — only when nothing but the proxy can reach the server.
 */
export function trustProxyOf(raw: string | undefined): boolean | number | string[] {
  const v = (raw ?? '').trim();
  if (v === '' || v === '0' || v.toLowerCase() === 'false') return false;
  if (v.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}
