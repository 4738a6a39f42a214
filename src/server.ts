/**
 * Builds the Huxin HTTP API (fastify). Tests call `buildServer(...)` and `inject`; `startServer` in
 * src/api/start.ts listens on a port. Everything about who may call what, masking, errors and the
 * audit trail is installed here once, before any route plugin is registered (see docs/API.md).
 */
import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { completeDocument, hideNonApiRoutes } from './api/openapi.ts';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installAccessControl } from './api/access.ts';
import { installReadCache } from './api/readCache.ts';
import { installSecurityHeaders } from './api/securityHeaders.ts';
import { todayOf } from './api/queries.ts';
import { limitConnectionsPerAddress } from './api/connections.ts';
import { WindowCounter } from './api/throttle.ts';
import { workerRefKey } from './api/workerRef.ts';
import { ApiError, installErrorHandling } from './api/errors.ts';
import { createApiLogger, type LoggerSetting } from './api/logging.ts';
import { READERS } from './api/roles.ts';
import { auditRoutes } from './api/routes/audit.ts';
import { noticeRoutes } from './api/routes/notices.ts';
import { lateRoutes } from './api/routes/late.ts';
import { blacklistRoutes } from './api/routes/blacklist.ts';
import { caseRoutes } from './api/routes/cases.ts';
import { depositRoutes } from './api/routes/deposits.ts';
import { flagRoutes } from './api/routes/flags.ts';
import { warningRoutes } from './api/routes/warnings.ts';
import { healthRoutes } from './api/routes/health.ts';
import { importRoutes } from './api/routes/imports.ts';
import { orderRoutes } from './api/routes/orders.ts';
import { paramRoutes } from './api/routes/params.ts';
import { projectRoutes } from './api/routes/projects.ts';
import { careRoutes, housingRoutes, insuranceRoutes, trainingRoutes, workerFullRoutes } from './api/routes/registries.ts';
import { reportRoutes } from './api/routes/reports.ts';
import { tokenRoutes } from './api/routes/tokens.ts';
import { workerRoutes } from './api/routes/workers.ts';
import { ErrorResponse } from './api/schemas.ts';
import { openStore } from './store/open.ts';
import type { Store } from './store/store.ts';
import { forbiddenPage } from './pages/layout.ts';
import { portalRoutes, submissionRoutes, Submission as PortalSubmission } from './api/routes/portal.ts';
import { pageRoutes } from './pages/plugin.ts';

export const MiB = 1024 * 1024;

/**
 * Ajv coerces the query string "Infinity" (and "1e309") to Infinity and then skips minimum/maximum for
 * a non-finite number, so `?page=Infinity` passed an integer schema and reached SQLite (issue 15, finding 5).
 * The `x-finite` keyword (set on every integer of PageQuery) refuses it.
 */
function finiteNumbers(ajv: unknown): unknown {
  (ajv as { addKeyword(def: object): unknown }).addKeyword({
    keyword: 'x-finite',
    schemaType: 'boolean',
    errors: false,
    validate: (on: boolean, data: unknown) => !on || typeof data !== 'number' || Number.isFinite(data),
  });
  return ajv;
}

export interface ServerLimits {
  /** body limit for every route except imports (default 1 MiB) */
  bodyBytes: number;
  /** body limit for an imported file, raw or multipart (default 64 MiB) */
  importBytes: number;
  /** imports per client address per minute (default 30) */
  importsPerMinute: number;
  /** token administration requests per client address per minute (default 30) */
  tokenRequestsPerMinute: number;
  /** failed authentications per client address per window before 429 (default 20 per 15 minutes) */
  failedAuthAttempts: number;
  failedAuthWindowMs: number;
  /** requests per token per minute, whatever the address (default 1200: a page makes up to ~20 API calls) */
  requestsPerTokenPerMinute: number;
  /** look-ups by full identity number per token per minute (full-view roles only; default 30) */
  idNumberLookupsPerMinute: number;
  /** a request (headers and body) not received within this is answered 408 and closed (default 120 s) */
  requestTimeoutMs: number;
  /** the headers of a request not received within this: closed (default 20 s; at most requestTimeoutMs) */
  headersTimeoutMs: number;
  /** a connection idle this long is closed (default 60 s) */
  connectionTimeoutMs: number;
  /** how often the server looks for requests past their timeout (default 1 s) */
  timeoutCheckMs: number;
  /** open connections from one client address (the socket's, not X-Forwarded-For; default 64) */
  connectionsPerAddress: number;
  /** a page session unused this long ends (default 30 minutes) */
  sessionIdleMs: number;
  /** a page session ends this long after sign-in (default 12 hours) */
  sessionMaxMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  bodyBytes: 1 * MiB,
  importBytes: 64 * MiB,
  importsPerMinute: 30,
  tokenRequestsPerMinute: 30,
  failedAuthAttempts: 20,
  failedAuthWindowMs: 15 * 60_000,
  requestsPerTokenPerMinute: 1200,
  idNumberLookupsPerMinute: 30,
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 20_000,
  connectionTimeoutMs: 60_000,
  timeoutCheckMs: 1_000,
  connectionsPerAddress: 64,
  sessionIdleMs: 30 * 60_000,
  sessionMaxMs: 12 * 3600_000,
};

export interface ServerOptions {
  /** the storage boundary (docs/STORAGE.md); given: the caller closes it; else opened on `location` and closed with the app */
  store?: Store;
  /** where the database is: a SQLite file or a postgres:// URL (default: db's file) */
  location?: string;
  /** open the store read-only (a read-only deployment: every write answers 503 DATABASE_READ_ONLY) */
  readonly?: boolean;
  /** the database file (the same as `location`, by its older name) */
  dbPath?: string;
  /** pino options (`stream` to capture lines), a pino instance, or false/undefined for silence */
  logger?: LoggerSetting;
  /** ISO timestamp of "now" (tests pass a fixed clock) */
  now?: () => string;
  /** serve /docs and /openapi.json without a token (default true: they describe the API, hold no data) */
  publicDocs?: boolean;
  /**
   * trust X-Forwarded-For from a reverse proxy for client addresses (fastify's trustProxy: true, a hop
   * count, or the proxies' addresses/CIDRs); default false. `huxin serve` reads HUXIN_TRUST_PROXY.
   */
  trustProxy?: boolean | number | string | string[];
  /** the pages' session cookie carries the Secure flag (serve behind HTTPS); default false (plain HTTP) */
  secureCookies?: boolean;
  limits?: Partial<ServerLimits>;
}

export type HuxinServer = FastifyInstance;

declare module 'fastify' {
  interface FastifyInstance {
    /** the storage boundary's repositories (src/store) */
    store: Store;
  }
}

/** Per-app context the route plugins receive. */
export interface RouteContext {
  /** the storage boundary (docs/STORAGE.md): the read models routes move to, off the raw handle */
  readonly store: Store;
  readonly now: () => string;
  readonly limits: ServerLimits;
  /** look-ups by full identity number, per token (src/api/workerLookup.ts) */
  readonly idNumberLookups: WindowCounter;
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const now = opts.now ?? (() => new Date().toISOString());
  const publicDocs = opts.publicDocs ?? true;
  const location = opts.location ?? opts.dbPath;
  if (!location && !opts.store) throw new Error('buildServer: a store or a location is needed');
  // the store (opened here unless given; closed with the app then)
  const store = opts.store ?? (await openStore(location!, { readonly: opts.readonly ?? false }));

  const app = Fastify({
    loggerInstance: createApiLogger(opts.logger) as FastifyBaseLogger,
    bodyLimit: limits.bodyBytes,
    // fastify takes a hop count too (its types leave numbers out)
    trustProxy: (opts.trustProxy ?? false) as boolean,
    // a request must arrive whole in bounded time (issue 15, finding 4: slow bodies were held open forever)
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      connectionsCheckingInterval: limits.timeoutCheckMs,
    },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    ajv: {
      // schema violations are rejected with 400, never silently dropped
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
      plugins: [finiteNumbers as never],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', String(request.id));
    // answered before its body arrived (refused, rate limited, too large): close after the answer instead of
    // reading the rest — a slow sender must not keep the connection (issue 15, finding 4)
    if (request.raw.complete === false) reply.header('connection', 'close');
    return payload;
  });

  // security headers first: its onRequest hook must run before access control can answer 401/403/429
  installSecurityHeaders(app, {
    // served over plain HTTP inside the bureau network: no upgrade-insecure-requests; Swagger UI's
    // scripts and styles are served from /docs/static (self), and its spec validator badge is disabled
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false,
  });

  const docPrefixes = ['/docs', '/openapi.json'];
  const access = installAccessControl(app, {
    store,
    now,
    publicPrefixes: publicDocs ? docPrefixes : [],
    failedAuthLimit: limits.failedAuthAttempts,
    failedAuthWindowMs: limits.failedAuthWindowMs,
    requestsPerTokenPerMinute: limits.requestsPerTokenPerMinute,
    sessions: { idleMs: limits.sessionIdleMs, absoluteMs: limits.sessionMaxMs },
    renderForbiddenPage: forbiddenPage,
  });
  if (!publicDocs) {
    // the documentation routes then need any valid token
    app.addHook('onRoute', (route) => {
      if (docPrefixes.some((p) => route.url === p || route.url.startsWith(`${p}/`))) route.config = { ...(route.config ?? {}), roles: READERS };
    });
  }
  // after access control: its hooks (who asks; masking) run before the cache's
  installReadCache(app, store, () => todayOf(now));
  installErrorHandling(app, access.allowedMethods);
  app.addSchema(ErrorResponse);

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'RATE_LIMITED', `请求过于频繁，请在 ${Math.ceil(context.ttl / 1000)} 秒后再试`, { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });

  await app.register(swagger, {
    // documentation only (src/api/openapi.ts): pages hidden; operationIds, error responses, examples added
    transform: hideNonApiRoutes,
    transformObject: completeDocument as never,
    // components named by their $id (ErrorResponse, ImportBatch), not def-0, def-1…
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '护薪 Huxin API',
        description:
          '农民工工资支付合规与欠薪执法引擎。所有 /api/v1 接口都需要 `Authorization: Bearer <令牌>`（令牌由 `huxin token create` 签发）。' +
          '身份证号、银行卡号、手机号在所有响应中都已遮蔽；主管（supervisor）可加请求头 `X-Full-View: 1` 查看完整号码，每次查看都记入审计日志。',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'huxin token create 签发的令牌' } } },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'imports', description: '导入批次' },
        { name: 'projects', description: '工程项目与工资台账' },
        { name: 'workers', description: '农民工' },
        { name: 'flags', description: '预警与复核队列' },
        { name: 'reports', description: '夜间报告' },
        { name: 'enforcement', description: '执法：责令限期支付、欠薪案件、失信联合惩戒名单' },
        { name: 'params', description: '法定参数：某日生效的取值与出处，导入新的取值（年度放假安排、最低工资调整、地方设置）' },
        { name: 'notices', description: '通知：发件箱与投递状态（邮件、短信）' },
        { name: 'audit', description: '审计日志' },
        { name: 'tokens', description: '访问令牌' },
        { name: 'health', description: '健康检查' },
        { name: 'registries', description: '登记册：职业技能培训、社会保险、住房保障、关爱服务' },
      ],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null, persistAuthorization: false },
    staticCSP: false,
  });
  app.get(
    '/openapi.json',
    { config: publicDocs ? { public: true } : { roles: READERS }, schema: { hide: true } },
    async () => app.swagger(),
  );

  limitConnectionsPerAddress(app, limits.connectionsPerAddress);
  try {
    // the worker-id key is made now, not on the first read that needs it (a read must not write)
    await workerRefKey(store);
  } catch {
    // a read-only or full database: made on first use once it can be written
  }

  if (!opts.store) app.addHook('onClose', async () => store.close());
  app.decorate('store', store);
  const ctx: RouteContext = {
    store,
    now,
    limits,
    idNumberLookups: new WindowCounter(limits.idNumberLookupsPerMinute, 60_000),
  };
  await app.register(healthRoutes, { ctx });
  await app.register(importRoutes, { ctx, prefix: '/api/v1/imports' });
  await app.register(paramRoutes, { ctx, prefix: '/api/v1/params' });
  await app.register(projectRoutes, { ctx, prefix: '/api/v1/projects' });
  await app.register(depositRoutes, { ctx, prefix: '/api/v1/projects' });
  await app.register(workerRoutes, { ctx, prefix: '/api/v1/workers' });
  await app.register(workerFullRoutes, { ctx, prefix: '/api/v1/workers' });
  await app.register(trainingRoutes, { ctx, prefix: '/api/v1/training' });
  await app.register(insuranceRoutes, { ctx, prefix: '/api/v1/insurance' });
  await app.register(housingRoutes, { ctx, prefix: '/api/v1/housing' });
  await app.register(careRoutes, { ctx, prefix: '/api/v1/care' });
  await app.register(flagRoutes, { ctx, prefix: '/api/v1/flags' });
  await app.register(warningRoutes, { ctx, prefix: '/api/v1/warnings' });
  await app.register(reportRoutes, { ctx, prefix: '/api/v1/reports' });
  await app.register(auditRoutes, { ctx, prefix: '/api/v1/audit' });
  await app.register(tokenRoutes, { ctx, prefix: '/api/v1/tokens' });
  await app.register(orderRoutes, { ctx, prefix: '/api/v1/orders' });
  await app.register(caseRoutes, { ctx, prefix: '/api/v1/cases' });
  await app.register(blacklistRoutes, { ctx, prefix: '/api/v1/blacklist' });
  await app.register(noticeRoutes, { ctx, prefix: '/api/v1/notices' });
  await app.register(lateRoutes, { ctx, prefix: '/api/v1/submissions' });
  // the contractor portal (issue 20) and the bureau's list of its submissions
  app.addSchema(PortalSubmission);
  await app.register(portalRoutes, { ctx, prefix: '/api/v1/portal' });
  await app.register(submissionRoutes, { ctx, prefix: '/api/v1/submissions' });
  // the web pages (docs/PAGES.md): same roles, read and written through the API above
  await app.register(pageRoutes, {
    ctx,
    root: app,
    secureCookies: opts.secureCookies ?? false,
    sessions: { idleMs: limits.sessionIdleMs, absoluteMs: limits.sessionMaxMs },
  });

  await app.ready();
  return app;
}
