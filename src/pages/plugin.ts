/**
 * 页面 — the web pages for inspectors, clerks and the bureau's leaders, served by the API's own server.
 *
 * - Server-rendered HTML (the `html` template escapes every value), one stylesheet and one small script
 *   under /assets; nothing from the network. CSP stays `default-src 'self'`: no inline script.
 * - Sign-in with an API token opens a server-side session; the http-only, SameSite=Strict cookie holds the
 *   session's own id, never the token (src/api/session.ts).
 *   Page routes declare their roles like API routes (`config: { page: true, roles }`); the auth hook in
 *   src/api/access.ts reads the cookie for them and redirects to /login instead of answering 401.
 * - Every read and write goes through the HTTP API in process (`inject`, see api.ts) as the session's
 *   principal: the API's roles, validation, audit entries and masking apply unchanged. Identity, card and
 *   phone numbers therefore arrive masked, for every role (pages never ask for the full view); as a last
 *   guard every HTML answer is scanned for identity numbers once more.
 * - Form posts need the session cookie (SameSite=Strict keeps it off cross-site requests) and pass a
 *   same-origin check (Origin, else Referer, must name this host).
 */
import { latestAsOf, todayOf } from '../api/queries.ts';
import type { IsoDate } from '../domain/date.ts';
import { paramsOfStore } from '../services/params.ts';
import { riskScoreMax } from '../rules/risk.ts';
import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { maskText } from '../api/masking.ts';
import { CONTRACTORS, IMPORTERS, READERS, REVIEWERS, SUPERVISORS, type Role } from '../api/roles.ts';
import { portalPage, submissionsPage, type DueProjectView, type PortalProblemView, type PortalResult, type SubmissionView } from './views/portal.ts';
import { createSession, DEFAULT_SESSION_LIMITS, type SessionLimits, PAGE_CALL_HEADER, pageCallOf, revokeSession, SESSION_COOKIE, sessionIdOf, sessionPrincipal } from '../api/session.ts';
import { authenticate } from '../api/tokens.ts';
import { IMPORT_KINDS } from '../imports/types.ts';
import { renderHtml } from '../reports/html.ts';
import type { Report } from '../reports/model.ts';
import type { RouteContext } from '../server.ts';
import { allPages, apiFor, PageError, type ApiErrorBody } from './api.ts';
import { accountByMonth, counties } from './data.ts';
import { FLAG_CODE_LIST, KIND_ZH, SEVERITY_ZH } from './format.ts';
import { html, query, safeLocalPath } from './html.ts';
import { barePage, errorPage, page, type PageOptions } from './layout.ts';
import { dashboardPage, dashboardWarnings } from './views/dashboard.ts';
import { blacklistPage, casePage, casesPage, ordersPage, type ListingView } from './views/enforcement.ts';
import { flagsPage, flagsQuery, type FlagFilters } from './views/flags.ts';
import { PROBLEM_ZH, warningPage, warningsView, type WarningFilters, type WarningFormValues } from './views/warnings.ts';
import type { CaseView } from '../services/enforcement/cases.ts';
import type { OrderView } from '../services/enforcement/orders.ts';
import { importsPage, type ImportResult } from './views/imports.ts';
import { portalWarningPage, portalWarningsPage, type AnswerFormValues } from './views/answers.ts';
import { confirmationsPage, type ConfirmationFormValues } from './views/confirmations.ts';
import { multipartBody, type FormFile } from './multipart.ts';
import type { PortalWarningView } from '../services/portal/answers.ts';
import type { ConfirmationView } from '../services/portal/confirmations.ts';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_FILES, tooLarge } from '../services/portal/files.ts';
import { FILE_READERS } from '../api/routes/portal.ts';
import { noticesPage, type NoticeItem } from './views/notices.ts';
import { latePage, type LateItem } from './views/late.ts';
import { reportCron } from '../jobs/nightly.ts';

/** The nightly schedule in force (HUXIN_REPORT_CRON); a bad setting stops `huxin serve` itself, so the default here. */
function nightlyCron(): string {
  try {
    return reportCron();
  } catch {
    return '0 2 * * *';
  }
}
import { loginForm } from './views/login.ts';
import { projectPage } from './views/project.ts';
import { projectsPage } from './views/projects.ts';
import { reportsPage } from './views/reports.ts';
import { paramsPage, type ParamImportResult, type ParamsListing } from './views/params.ts';
import type { Batch, DepositAnswer, FlagPage, Rectification, WarningDetail, WarningPage, ImportProblem, Ledger, ProjectDetail, ProjectSummary, ReportListItem, StoredReport } from './views/types.ts';

export interface PagesOptions {
  ctx: RouteContext;
  /** the root instance (pages inject API requests into it) */
  root: FastifyInstance;
  /** set the session cookie's Secure flag (behind HTTPS); default false: plain HTTP on loopback/intranet */
  secureCookies?: boolean;
  /** page sessions' idle and absolute expiry (the access hook checks the same) */
  sessions?: SessionLimits;
}

const ASSETS: Record<string, { type: string; body: string }> = {
  'app.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./assets/app.css', import.meta.url), 'utf8') },
  'app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./assets/app.js', import.meta.url), 'utf8') },
};

// a page's GET answer may be kept until the next commit (src/api/readCache.ts), per session
const PAGE = (roles: typeof READERS) => ({ page: true, roles, readCache: true });
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LEDGER_MONTHS = 12;

/** Origin (else Referer) must be this server: form posts from other sites are refused. */
export function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const referer = request.headers.referer;
  const claimed = typeof origin === 'string' && origin !== 'null' ? origin : typeof referer === 'string' ? referer : null;
  if (!claimed) return false;
  try {
    const url = new URL(claimed);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    // compare as URLs, so that a default port written in one and left out of the other still matches
    return new URL(`${url.protocol}//${request.host}`).host === url.host;
  } catch {
    return false;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : undefined);

export const pageRoutes: FastifyPluginAsync<PagesOptions> = async (app, opts) => {
  const { ctx, root } = opts;
  /** the risk score's scale (满分) under the weights in force on a day, printed beside every score */
  const riskMaxAt = async (day: string) => riskScoreMax((await paramsOfStore(ctx.store)).riskWeights.at(day as IsoDate).value);
  /** the day the listed scores are of: the latest evaluated day (today before the first evaluation) */
  const todayOfPages = async () => (await latestAsOf(ctx.store)) ?? todayOf(ctx.now);
  const sessionLimits = opts.sessions ?? DEFAULT_SESSION_LIMITS;
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(multipart, { limits: { fileSize: ctx.limits.importBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 } });

  const send = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const render = (request: FastifyRequest, reply: FastifyReply, o: Omit<PageOptions, 'principal'>, status = 200) =>
    send(reply, page({ ...o, principal: request.principal }), status);

  // last guard: no identity, card or mobile number leaves a page whole (the API already masked what it
  // answered; the one masker, so a number glued to letters or `_` in a file name is caught here too)
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      return maskText(payload);
    }
    return payload;
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'POST' && !sameOrigin(request)) {
      request.log.warn({ origin: request.headers.origin ?? null }, 'page form post refused: not same-origin');
      return send(reply, errorPage(request, 403, '该表单不是从本系统的页面提交的，已拒绝。请回到页面重新操作。'), 403);
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown; code?: string }, request, reply) => {
    let status = error instanceof PageError ? error.statusCode : (error.statusCode ?? 500);
    let message = error instanceof PageError ? error.message : '请求无法处理';
    if (error.validation) {
      status = 400;
      message = '地址中的参数不正确';
    } else if (error.code === 'FST_REQ_FILE_TOO_LARGE' || status === 413) {
      status = 413;
      message = `文件超过上限（${Math.round(ctx.limits.importBytes / 1024 / 1024)} MiB）`;
    } else if (status >= 500) {
      request.log.error({ err: error }, 'page failed');
      message = '服务器内部错误，已记录日志';
    }
    return send(reply, errorPage(request, status, message), status);
  });

  // ——— assets (public: no data) ———
  app.get('/assets/:file', { config: { public: true } }, async (request, reply) => {
    const asset = ASSETS[(request.params as { file: string }).file];
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    return reply.type(asset.type).header('cache-control', 'public, max-age=300').send(asset.body);
  });

  // ——— sign-in / sign-out ———
  app.get('/login', { config: { public: true } }, async (request, reply) => {
    const next = safeLocalPath((request.query as { next?: unknown }).next);
    const sessionId = sessionIdOf(request);
    if (sessionId && (await sessionPrincipal(ctx.store, sessionId, ctx.now(), sessionLimits))) return reply.redirect(next, 303);
    reply.header('cache-control', 'no-store');
    return send(reply, barePage('登录', loginForm({ next })));
  });

  app.post('/login', { config: { public: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as { token?: unknown; next?: unknown };
    const next = safeLocalPath(body.next);
    reply.header('cache-control', 'no-store');
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    const principal = token === '' ? null : await authenticate(ctx.store, token, ctx.now());
    if (!principal) {
      // a valid token always signs in; only wrong ones are refused for the address's failures
      const wait = root.authFailures.blocked(request.ip);
      if (wait !== null) {
        reply.header('retry-after', String(Math.ceil(wait / 1000)));
        return send(reply, barePage('登录', loginForm({ next, error: `认证失败次数过多，请 ${Math.ceil(wait / 60_000)} 分钟后再试` })), 429);
      }
      if (token !== '') root.authFailures.fail(request.ip);
      return send(reply, barePage('登录', loginForm({ next, error: '令牌无效、已过期或已被吊销' })), 401);
    }
    const sessionId = await createSession(ctx.store, principal, ctx.now(), sessionLimits);
    request.log.info({ actor: principal.name, role: principal.role, tokenId: principal.tokenId }, 'signed in to the pages');
    // a contractor's officer has one page (the portal): the bureau's pages would only answer 403
    const landing = principal.role === 'contractor' && !next.startsWith('/portal') ? '/portal' : next;
    reply.setCookie(SESSION_COOKIE, sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: opts.secureCookies ?? false,
      maxAge: Math.floor(sessionLimits.absoluteMs / 1000),
    });
    return reply.redirect(landing, 303);
  });

  app.post('/logout', { config: PAGE([...READERS, ...CONTRACTORS]) }, async (request, reply) => {
    // ended on the server: the cookie, if kept or copied, no longer opens anything
    if (request.sessionId) await revokeSession(ctx.store, request.sessionId, ctx.now());
    request.log.info('signed out of the pages');
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: opts.secureCookies ?? false });
    return reply.redirect('/login', 303);
  });

  // ——— 总览 ———
  // 总览 — the bureau's dashboard; a contractor's home is its portal (nothing of the city is shown to it)
  app.get('/', { config: PAGE([...READERS, ...CONTRACTORS]) }, async (request, reply) => {
    if (request.principal?.role === 'contractor') return reply.redirect('/portal', 303);
    const api = apiFor(root, request);
    const projects = await allPages<ProjectSummary>(api, '/api/v1/projects?sort=risk');
    const report = await api.find<StoredReport>('/api/v1/reports/latest');
    const listing = await api.get<ParamsListing>('/api/v1/params');
    const warnings = dashboardWarnings(report, listing.missingHolidayYears);
    const levels = (await api.get<WarningPage>('/api/v1/warnings?pageSize=1')).projectsByLevel;
    const overdueRectifications = (await api.get<{ items: Rectification[] }>('/api/v1/warnings/rectifications?state=overdue')).items;
    return render(request, reply, { title: '总览', nav: 'dashboard', body: dashboardPage({ projects, report, warnings, levels, overdueRectifications }) });
  });

  // ——— 复核队列：项目预警在前，逐条预警一键可达 ———
  /** the queue as the query asks: the warnings (default), or the flags one by one (view=flags, or a flag filter) */
  const queueView = async (request: FastifyRequest, reply: FastifyReply, q: Record<string, unknown>, notice: PageOptions['notice'], status = 200) => {
    const pageNo = Number(q.page);
    const pageN = Number.isInteger(pageNo) && pageNo > 1 && pageNo < 100_000 ? pageNo : 1;
    const api = apiFor(root, request);
    const flagView = q.view === 'flags' || str(q.code) !== undefined || str(q.severity) !== undefined || str(q.status) !== undefined;
    const done = str(q.done);
    const m = done ? /^(resolved|dismissed)-(\d+)$/.exec(done) : null;
    const shown = notice ?? (m ? { kind: 'ok' as const, text: `预警 #${m[2]} 已${m[1] === 'resolved' ? '标记为已处理' : '排除'}，理由已记入审计日志。` } : null);
    if (!flagView) {
      const filters: WarningFilters = {
        level: ['red', 'orange', 'yellow'].includes(str(q.level) ?? '') ? str(q.level) : undefined,
        problem: str(q.problem) && str(q.problem)! in PROBLEM_ZH ? str(q.problem) : undefined,
        county: str(q.county),
        project: str(q.project),
        page: pageN,
      };
      const data = await api.get<WarningPage>(`/api/v1/warnings${query({ level: filters.level, problem: filters.problem, county: filters.county, project: filters.project, page: filters.page, pageSize: 30 })}`);
      return render(request, reply, { title: '复核队列', nav: 'flags', notice: shown, body: warningsView({ data, filters, counties: await counties(ctx.store) }) }, status);
    }
    const filters: FlagFilters = {
      county: str(q.county),
      code: FLAG_CODE_LIST.includes(str(q.code) as never) ? str(q.code) : undefined,
      severity: str(q.severity) && str(q.severity)! in SEVERITY_ZH ? str(q.severity) : undefined,
      status: ['open', 'resolved', 'dismissed', 'all'].includes(str(q.status) ?? '') ? str(q.status) : 'open',
      project: str(q.project),
      page: pageN,
    };
    const data = await api.get<FlagPage>(
      `/api/v1/flags${query({ county: filters.county, code: filters.code, severity: filters.severity, status: filters.status, project: filters.project, page: filters.page, pageSize: 50 })}`,
    );
    const back = `/flags${flagsQuery(filters)}`;
    return render(request, reply, { title: '复核队列', nav: 'flags', notice: shown, body: flagsPage({ principal: request.principal!, filters, data, counties: await counties(ctx.store), back, riskMax: await riskMaxAt(await todayOfPages()) }) }, status);
  };

  app.get('/flags', { config: PAGE(READERS) }, async (request, reply) => queueView(request, reply, request.query as Record<string, unknown>, null));

  // ——— 一条项目预警：整体处置与逐条预警 ———
  const warningView = async (request: FastifyRequest, reply: FastifyReply, key: string, notice: PageOptions['notice'], status = 200, values?: WarningFormValues) => {
    if (!/^p\d{1,12}-[A-Z_]{3,40}(-\d{4}-\d{2})?$/.test(key)) throw new PageError(404, '项目预警不存在');
    const detail = await apiFor(root, request).get<WarningDetail>(`/api/v1/warnings/${key}`);
    const w = detail.warning;
    const pageTitle = w ? `${w.levelName} ${w.project.code} ${w.problemName}` : `预警整改 ${detail.rectification?.problemName ?? ''}`;
    return render(request, reply, { title: pageTitle, nav: 'flags', notice, body: warningPage({ principal: request.principal!, detail, key, back: `/warnings/${key}`, ...(values ? { values } : {}) }) }, status);
  };

  /** Re-renders the page a form came from (a warning's page or the queue) with a message, or a link back. */
  const backWith = async (request: FastifyRequest, reply: FastifyReply, back: string, notice: NonNullable<PageOptions['notice']>, status: number) => {
    const url = new URL(back, 'http://page.invalid');
    const wm = /^\/warnings\/([A-Za-z0-9_-]{3,80})$/.exec(url.pathname);
    try {
      if (wm) return await warningView(request, reply, wm[1]!, notice, status);
      if (url.pathname === '/flags') return await queueView(request, reply, Object.fromEntries(url.searchParams), notice, status);
    } catch (e) {
      // the page itself is gone (the warning cleared meanwhile): the message with a link back
      if (!(e instanceof PageError)) throw e;
    }
    return render(request, reply, { title: '未能完成', nav: 'flags', notice, body: backLink(back) }, status);
  };

  app.get('/warnings/:key', { config: PAGE(READERS) }, async (request, reply) => {
    const key = (request.params as { key: string }).key;
    const done = str((request.query as Record<string, unknown>).done);
    const m = done ? /^listing-(\d+)$/.exec(done) : null;
    const notice: PageOptions['notice'] = m
      ? { kind: 'ok', text: `已启动列入失信名单程序 #${m[1]}，理由已记入审计日志。` }
      : done === 'assigned'
        ? { kind: 'ok', text: '已指派并设定整改期限，已记入审计日志。' }
        : done === 'closed'
          ? { kind: 'ok', text: '已销号，理由和证据已记入审计日志。' }
          : done === 'returned'
            ? { kind: 'ok', text: '已退回施工单位的答复，理由已记入整改记录和审计日志。' }
            : null;
    return warningView(request, reply, key, notice);
  });

  app.post('/warnings/:key/:action', { config: PAGE(REVIEWERS) }, async (request, reply) => {
    const { key, action } = request.params as { key: string; action: string };
    if (!['order', 'case', 'blacklist', 'assign', 'close'].includes(action)) throw new PageError(404, '页面不存在');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const reason = reasonOf(body);
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const deadline = text('deadline');
    const picked = ([] as unknown[]).concat(body.flag ?? []).map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0);
    const form: WarningFormValues['form'] = action === 'assign' ? 'assign' : action === 'close' ? 'close' : 'bulk';
    const values: WarningFormValues = { form, reason, deadline, ...(form === 'bulk' ? { chosen: picked } : {}), assignee: text('assignee'), workingDays: text('workingDays'), evidence: text('evidence') };
    const fail = (message: string, status: number) => warningView(request, reply, key, { kind: 'error', text: message }, status, values);
    if (reason === '') return fail('必须填写理由。', 400);
    const api = apiFor(root, request);
    if (action === 'assign' || action === 'close') {
      const days = Number(values.workingDays);
      if (action === 'assign' && (!/^\d{1,2}$/.test(values.workingDays ?? '') || days < 1 || days > 60)) return fail('整改期限须为 1 至 60 个工作日。', 400);
      if (action === 'assign' && values.assignee === '') return fail('必须指定劳动保障监察员。', 400);
      if (action === 'close' && values.evidence === '') return fail('销号必须填写证据（如文书编号、补发工资的转账流水号）。', 400);
      const payload = action === 'assign' ? { assignee: values.assignee, workingDays: days, reason } : { reason, evidence: values.evidence };
      const res = await api.call<{ deadline: string } & ApiErrorBody>('POST', `/api/v1/warnings/${key}/${action}`, payload, 'application/json');
      if (res.status >= 500) throw new PageError(res.status, '服务器内部错误，已记录日志');
      if (res.status !== 200) return fail(`${action === 'assign' ? '未能指派' : '未能销号'}：${res.body?.error?.message ?? `接口返回 ${res.status}`}`, res.status);
      return reply.redirect(`/warnings/${key}?done=${action === 'assign' ? 'assigned' : 'closed'}`, 303);
    }
    if (action === 'blacklist') {
      const res = await api.call<{ id: number } & ApiErrorBody>('POST', `/api/v1/warnings/${key}/blacklist`, { reason }, 'application/json');
      if (res.status >= 500) throw new PageError(res.status, '服务器内部错误，已记录日志');
      if (res.status !== 201) return fail(`未能启动列入失信名单程序：${res.body?.error?.message ?? `接口返回 ${res.status}`}`, res.status);
      return reply.redirect(`/warnings/${key}?done=listing-${res.body.id}`, 303);
    }
    if (picked.length === 0) return fail('请至少勾选一名工人。', 400);
    if (action === 'order' && !DATE.test(deadline)) return fail('责令限期支付必须填写支付期限，格式为“年-月-日”，如 2026-12-10。', 400);
    const payload = action === 'order' ? { include: picked, deadline, reason } : { include: picked, reason, ...(body.mediate === '1' ? { circumstances: { willingToMediate: true } } : {}) };
    const res = await api.call<{ id: number } & ApiErrorBody>('POST', `/api/v1/warnings/${key}/${action}`, payload, 'application/json');
    if (res.status >= 500) throw new PageError(res.status, '服务器内部错误，已记录日志');
    if (res.status !== 201) return fail(`${action === 'order' ? '未能作出责令限期支付' : '未能立案'}：${res.body?.error?.message ?? `接口返回 ${res.status}`}`, res.status);
    return reply.redirect(action === 'order' ? `/orders?done=issued-${res.body.id}#order-${res.body.id}` : `/cases/${res.body.id}?done=opened`, 303);
  });

  for (const verb of ['resolve', 'dismiss'] as const) {
    app.post(`/flags/:id/${verb}`, { config: PAGE(REVIEWERS) }, async (request, reply) => {
      const id = Number((request.params as { id: string }).id);
      if (!Number.isInteger(id) || id < 1) throw new PageError(404, '预警不存在');
      const body = (request.body ?? {}) as { reason?: unknown; back?: unknown };
      const back = safeLocalPath(body.back, '/flags');
      const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
      if (reason === '') {
        return render(request, reply, { title: '需要理由', nav: 'flags', notice: { kind: 'error', text: '必须填写处理或排除的理由。' }, body: backLink(back) }, 400);
      }
      const res = await apiFor(root, request).call<ApiErrorBody>('POST', `/api/v1/flags/${id}/${verb}`, { reason }, 'application/json');
      if (res.status !== 200) throw new PageError(res.status, res.body?.error?.message ?? '操作失败');
      const url = new URL(back, 'http://page.invalid');
      url.searchParams.set('done', `${verb === 'resolve' ? 'resolved' : 'dismissed'}-${id}`);
      return reply.redirect(`${url.pathname}${url.search}`, 303);
    });
  }

  // ——— 执法：从预警作出责令限期支付、立案 ———
  /** An API refusal shown as a page with the API's Chinese message (same status) and a way back. */
  const refused = (request: FastifyRequest, reply: FastifyReply, nav: PageOptions['nav'], title: string, res: { status: number; body: ApiErrorBody | null }, back: string) => {
    if (res.status >= 500) throw new PageError(res.status, '服务器内部错误，已记录日志');
    return render(request, reply, { title, nav, notice: { kind: 'error', text: `${title}：${res.body?.error?.message ?? `接口返回 ${res.status}`}` }, body: backLink(back) }, res.status);
  };
  const idParam = (request: FastifyRequest, what: string): number => {
    const id = Number((request.params as { id: string }).id);
    if (!Number.isInteger(id) || id < 1) throw new PageError(404, `${what}不存在`);
    return id;
  };
  const reasonOf = (body: Record<string, unknown>) => (typeof body.reason === 'string' ? body.reason.trim() : '');

  app.post('/flags/:id/order', { config: PAGE(REVIEWERS) }, async (request, reply) => {
    const id = idParam(request, '预警');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const back = safeLocalPath(body.back, '/flags');
    const reason = reasonOf(body);
    const deadline = typeof body.deadline === 'string' ? body.deadline.trim() : '';
    if (reason === '' || !DATE.test(deadline)) {
      return backWith(request, reply, back, { kind: 'error', text: `预警 #${id}：责令限期支付必须填写理由和支付期限，期限格式为“年-月-日”，如 2026-12-10。` }, 400);
    }
    const res = await apiFor(root, request).call<OrderView & ApiErrorBody>('POST', '/api/v1/orders', { findingIds: [id], deadline, reason }, 'application/json');
    if (res.status >= 500) throw new PageError(res.status, '服务器内部错误，已记录日志');
    if (res.status !== 201) return backWith(request, reply, back, { kind: 'error', text: `预警 #${id}：未能作出责令限期支付：${res.body?.error?.message ?? `接口返回 ${res.status}`}` }, res.status);
    return reply.redirect(`/orders?done=issued-${res.body.id}#order-${res.body.id}`, 303);
  });

  app.post('/flags/:id/case', { config: PAGE(REVIEWERS) }, async (request, reply) => {
    const id = idParam(request, '预警');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const back = safeLocalPath(body.back, '/flags');
    const reason = reasonOf(body);
    if (reason === '') return backWith(request, reply, back, { kind: 'error', text: `预警 #${id}：立案必须填写理由。` }, 400);
    const payload = { findingIds: [id], reason, ...(body.mediate === '1' ? { circumstances: { willingToMediate: true } } : {}) };
    const res = await apiFor(root, request).call<CaseView & ApiErrorBody>('POST', '/api/v1/cases', payload, 'application/json');
    if (res.status >= 500) throw new PageError(res.status, '服务器内部错误，已记录日志');
    if (res.status !== 201) return backWith(request, reply, back, { kind: 'error', text: `预警 #${id}：未能立案：${res.body?.error?.message ?? `接口返回 ${res.status}`}` }, res.status);
    return reply.redirect(`/cases/${res.body.id}?done=opened`, 303);
  });

  // ——— 案件 ———
  app.get('/cases', { config: PAGE(READERS) }, async (request, reply) => {
    const data = await apiFor(root, request).get<{ asOf: string; items: CaseView[] }>('/api/v1/cases');
    return render(request, reply, { title: '欠薪案件', nav: 'cases', body: casesPage({ asOf: data.asOf, cases: data.items }) });
  });

  app.get('/cases/:id', { config: PAGE(READERS) }, async (request, reply) => {
    const id = idParam(request, '案件');
    const api = apiFor(root, request);
    const c = await api.get<CaseView>(`/api/v1/cases/${id}`);
    const orders = await api.get<{ items: OrderView[] }>(`/api/v1/orders?caseId=${id}`);
    const done = str((request.query as Record<string, unknown>).done);
    const moved = done ? /^moved-([a-z_]+)$/.exec(done) : null;
    const notice =
      done === 'opened'
        ? { kind: 'ok' as const, text: `已立案（案件 #${c.id}），分流建议：${(c.routing as { sentence?: string } | null)?.sentence ?? '—'}` }
        : moved
          ? { kind: 'ok' as const, text: `案件已转入“${c.stageName}”，理由已记入案件记录和审计日志。` }
          : done === 'accepted'
            ? { kind: 'ok' as const, text: `已记录受理（${c.acceptedOn}），下一期限自受理之日起计算。` }
            : done === 'agreed'
              ? { kind: 'ok' as const, text: `已记录约定金额 ${c.amounts.agreed} 元。` }
              : done === 'paid'
                ? { kind: 'ok' as const, text: `已记录支付，累计支付到人 ${c.amounts.paidToWorkers} 元。` }
                : null;
    return render(request, reply, { title: `案件 #${c.id}`, nav: 'cases', notice, body: casePage({ principal: request.principal!, c, orders: orders.items }) });
  });

  app.post('/cases/:id/transition', { config: PAGE(REVIEWERS) }, async (request, reply) => {
    const id = idParam(request, '案件');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const back = `/cases/${id}`;
    const reason = reasonOf(body);
    const to = typeof body.to === 'string' ? body.to.trim() : '';
    if (reason === '' || to === '') {
      return render(request, reply, { title: '需要理由', nav: 'cases', notice: { kind: 'error', text: '转换阶段必须选择目标阶段并填写理由。' }, body: backLink(back) }, 400);
    }
    const res = await apiFor(root, request).call<CaseView & ApiErrorBody>('POST', `/api/v1/cases/${id}/transition`, { to, reason }, 'application/json');
    if (res.status !== 200) return refused(request, reply, 'cases', '案件不能转换', res, back);
    return reply.redirect(`/cases/${id}?done=moved-${res.body.stage}`, 303);
  });

  // 受理、约定金额、支付到工人: the case page's record forms, each posted to its API route
  const CASE_RECORDS = {
    accept: { fields: ['on'], notice: 'accepted', refused: '未能记录受理' },
    agreed: { fields: ['amount', 'on'], notice: 'agreed', refused: '未能记录约定金额' },
    payments: { fields: ['amount', 'on', 'worker', 'bankRef'], notice: 'paid', refused: '未能记录支付' },
  } as const;
  for (const [verb, spec] of Object.entries(CASE_RECORDS)) {
    app.post(`/cases/:id/${verb}`, { config: PAGE(REVIEWERS) }, async (request, reply) => {
      const id = idParam(request, '案件');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const back = `/cases/${id}`;
      const reason = reasonOf(body);
      if (reason === '') {
        return render(request, reply, { title: '需要依据', nav: 'cases', notice: { kind: 'error', text: '记录必须填写依据（文书编号、流水号等）。' }, body: backLink(back) }, 400);
      }
      const payload: Record<string, string> = { reason };
      for (const f of spec.fields) {
        const v = typeof body[f] === 'string' ? (body[f] as string).trim() : '';
        if (v !== '') payload[f] = v;
      }
      const res = await apiFor(root, request).call<CaseView & ApiErrorBody>('POST', `/api/v1/cases/${id}/${verb}`, payload, 'application/json');
      if (res.status !== 200) return refused(request, reply, 'cases', spec.refused, res, back);
      return reply.redirect(`/cases/${id}?done=${spec.notice}`, 303);
    });
  }

  app.get('/cases/:id/evidence-pack', { config: PAGE(REVIEWERS) }, async (request, reply) => {
    const id = idParam(request, '案件');
    // the API answers printable HTML (masked; audited as case_evidence_pack)
    const res = await root.inject({ method: 'GET', url: `/api/v1/cases/${id}/evidence-pack?format=html`, headers: { [PAGE_CALL_HEADER]: pageCallOf(root, request), 'x-request-id': `${String(request.id)}.api` }, remoteAddress: request.ip });
    if (res.statusCode !== 200) {
      let message = `接口返回 ${res.statusCode}`;
      try {
        message = (JSON.parse(res.body) as ApiErrorBody).error.message;
      } catch {
        /* not JSON */
      }
      throw new PageError(res.statusCode, message);
    }
    return send(reply, res.body);
  });

  // ——— 责令限期支付 ———
  app.get('/orders', { config: PAGE(READERS) }, async (request, reply) => {
    const data = await apiFor(root, request).get<{ asOf: string; items: OrderView[] }>('/api/v1/orders');
    const done = str((request.query as Record<string, unknown>).done);
    const m = done ? /^issued-(\d+)$/.exec(done) : null;
    const notice = m ? { kind: 'ok' as const, text: `已作出责令限期支付 #${m[1]}，理由已记入审计日志。` } : null;
    return render(request, reply, { title: '责令限期支付', nav: 'orders', notice, body: ordersPage({ asOf: data.asOf, orders: data.items }) });
  });

  // ——— 通知发件箱 ———
  app.get('/notices', { config: PAGE(REVIEWERS) }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const state = str(q.state);
    const project = str(q.project);
    const pageNo = /^\d{1,6}$/.test(str(q.page) ?? '') ? Math.max(1, Number(q.page)) : 1;
    const params = new URLSearchParams({ page: String(pageNo), pageSize: '50', ...(state ? { state } : {}), ...(project ? { project } : {}) });
    const data = await apiFor(root, request).get<{ items: NoticeItem[]; total: number; page: number; pageSize: number }>(`/api/v1/notices?${params.toString()}`);
    return render(request, reply, { title: '通知发件箱', nav: 'notices', body: noticesPage({ ...data, ...(state ? { state } : {}), ...(project ? { project } : {}) }) });
  });

  // ——— 逾期未报送（催报）———
  app.get('/late', { config: PAGE(READERS) }, async (request, reply) => {
    const asOf = str((request.query as Record<string, unknown>).asOf);
    const valid = asOf !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(asOf);
    const data = await apiFor(root, request).get<{ asOf: string; items: LateItem[] }>(`/api/v1/submissions/late${valid ? `?asOf=${asOf}` : ''}`);
    return render(request, reply, { title: '逾期未报送', nav: 'late', body: latePage(data) });
  });

  // ——— 失信名单 ———
  app.get('/blacklist', { config: PAGE(READERS) }, async (request, reply) => {
    const data = await apiFor(root, request).get<{ asOf: string; items: ListingView[] }>('/api/v1/blacklist');
    const done = str((request.query as Record<string, unknown>).done);
    const m = done ? /^(listed|not_listed)-(\d+)$/.exec(done) : null;
    const notice = m ? { kind: 'ok' as const, text: `名单程序 #${m[2]}：已决定${m[1] === 'listed' ? '列入' : '不予列入'}，理由已记入审计日志。` } : null;
    return render(request, reply, { title: '失信名单', nav: 'blacklist', notice, body: blacklistPage({ principal: request.principal!, asOf: data.asOf, listings: data.items }) });
  });

  app.post('/blacklist/:id/decision', { config: PAGE(SUPERVISORS) }, async (request, reply) => {
    const id = idParam(request, '名单程序');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const back = `/blacklist#listing-${id}`;
    const reason = reasonOf(body);
    if (reason === '' || (body.approve !== '1' && body.approve !== '0')) {
      return render(request, reply, { title: '需要理由', nav: 'blacklist', notice: { kind: 'error', text: '作出决定必须选择列入或不予列入并填写理由。' }, body: backLink(back) }, 400);
    }
    const approve = body.approve === '1';
    const res = await apiFor(root, request).call<ApiErrorBody>('POST', `/api/v1/blacklist/${id}/decision`, { reason, approve, complex: body.complex === '1' }, 'application/json');
    if (res.status !== 200) return refused(request, reply, 'blacklist', '未能作出决定', res, back);
    return reply.redirect(`/blacklist?done=${approve ? 'listed' : 'not_listed'}-${id}#listing-${id}`, 303);
  });

  // ——— 项目 ———
  app.get('/projects', { config: PAGE(READERS) }, async (request, reply) => {
    const county = str((request.query as Record<string, unknown>).county);
    const projects = await allPages<ProjectSummary>(apiFor(root, request), `/api/v1/projects${query({ sort: 'risk', county })}`);
    return render(request, reply, { title: '项目', nav: 'projects', body: projectsPage({ projects, counties: await counties(ctx.store), county, riskMax: await riskMaxAt(await todayOfPages()) }) });
  });

  app.get('/projects/:code', { config: PAGE(READERS) }, async (request, reply) => {
    const code = (request.params as { code: string }).code;
    const wanted = str((request.query as Record<string, unknown>).month);
    const api = apiFor(root, request);
    const ref = encodeURIComponent(code);
    // one evaluated day for every figure on the page (issue 18): the flags and the score exist only for an
    // evaluated day, so the ledger, the overdue days, the deposit and the account are read at that day too
    const latest = await api.get<ProjectDetail>(`/api/v1/projects/${ref}`);
    const day = latest.storedAsOf ?? latest.asOf;
    const at = `asOf=${day}`;
    const p = day === latest.asOf ? latest : await api.get<ProjectDetail>(`/api/v1/projects/${ref}?${at}`);
    const months = p.wageMonths.map((m) => m.month).filter((m) => m <= p.asOf.slice(0, 7)).reverse();
    const shown = months.slice(0, LEDGER_MONTHS);
    // opened by default: the latest month with a wage table (the months after it are usually not due yet)
    const latestPaid = [...p.wageMonths].reverse().find((m) => m.onPayroll > 0 && m.month <= p.asOf.slice(0, 7))?.month;
    const openMonth = wanted && MONTH.test(wanted) && months.includes(wanted) ? wanted : (latestPaid ?? months[0] ?? null);
    if (openMonth && !shown.includes(openMonth)) shown.push(openMonth);
    const ledgers: Ledger[] = [];
    for (const m of shown) ledgers.push(await api.get<Ledger>(`/api/v1/projects/${ref}/ledger/${m}?pageSize=200&${at}`));
    const flags = await api.get<FlagPage>(`/api/v1/flags?project=${ref}&pageSize=30`);
    const deposit = await api.get<DepositAnswer>(`/api/v1/projects/${ref}/deposit?${at}`);
    const back = `/projects/${ref}`;
    return render(request, reply, {
      title: `${p.code} ${p.name}`,
      nav: 'projects',
      body: projectPage({
        principal: request.principal!,
        p,
        ledgers,
        openMonth,
        olderMonths: months.filter((m) => !shown.includes(m)),
        flags: flags.items,
        flagTotal: flags.total,
        deposit,
        account: await accountByMonth(ctx.store, p.id, p.asOf),
        back,
        riskMax: await riskMaxAt(p.asOf),
      }),
    });
  });

  // ——— 导入 ———
  const importsView = async (request: FastifyRequest, reply: FastifyReply, result: ImportResult | null, kind: string | undefined, status: number) => {
    const list = await apiFor(root, request).get<{ items: Batch[]; total: number }>('/api/v1/imports?pageSize=100');
    return render(request, reply, { title: '导入', nav: 'imports', body: importsPage({ principal: request.principal!, batches: list.items, total: list.total, result, kind, nightly: nightlyCron() }) }, status);
  };

  app.get('/imports', { config: PAGE(READERS) }, async (request, reply) => importsView(request, reply, null, undefined, 200));

  app.post('/imports', { config: PAGE(IMPORTERS), bodyLimit: ctx.limits.importBytes }, async (request, reply) => {
    if (!request.isMultipart()) return importsView(request, reply, { status: 'error', message: '请通过页面上的表单上传文件' }, undefined, 400);
    let kind: string | undefined;
    let file: { name: string; bytes: Buffer } | null = null;
    for await (const part of request.parts()) {
      if (part.type === 'file') file = { name: part.filename, bytes: await part.toBuffer() };
      else if (part.fieldname === 'kind') kind = String(part.value);
    }
    if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind)) return importsView(request, reply, { status: 'error', message: '请选择文件类型' }, undefined, 400);
    if (!file || file.bytes.length === 0) return importsView(request, reply, { status: 'error', message: '请选择要上传的文件（不能是空文件）' }, kind, 400);
    const res = await apiFor(root, request).call<Batch & ApiErrorBody>(
      'POST',
      `/api/v1/imports/${kind}?fileName=${encodeURIComponent(file.name || `${kind}.csv`)}`,
      file.bytes,
      'application/octet-stream',
    );
    let result: ImportResult;
    if (res.status === 200 || res.status === 201) result = { status: 'imported', batch: res.body };
    else if (res.status === 422) {
      const details = (res.body.error.details ?? {}) as { problems?: ImportProblem[]; warnings?: string[] };
      result = { status: 'rejected', fileName: file.name, message: res.body.error.message, problems: details.problems ?? [], warnings: details.warnings ?? [] };
    } else result = { status: 'error', message: res.body?.error?.message ?? `导入失败（${res.status}）` };
    request.log.info({ kind: KIND_ZH[kind] ? kind : null, status: res.status }, 'page import');
    return importsView(request, reply, result, kind, res.status === 201 ? 200 : res.status);
  });

  // ——— 施工单位报送门户 (issue 20): the contractor role only; every answer from the portal API, scoped to its unit ———
  const portalView = async (request: FastifyRequest, reply: FastifyReply, result: PortalResult | null, kind: string | undefined, status: number) => {
    const api = apiFor(root, request);
    const projects = await api.get<{ uscc: string; items: DueProjectView[] }>('/api/v1/portal/projects');
    const submissions = await api.get<{ items: SubmissionView[] }>('/api/v1/portal/submissions?limit=50');
    return render(request, reply, { title: '报送', nav: 'portal', body: portalPage({ uscc: projects.uscc, projects: projects.items, submissions: submissions.items, result, kind }) }, status);
  };

  app.get('/portal', { config: PAGE(CONTRACTORS) }, async (request, reply) => portalView(request, reply, null, undefined, 200));

  app.post('/portal/upload', { config: PAGE(CONTRACTORS), bodyLimit: ctx.limits.importBytes }, async (request, reply) => {
    if (!request.isMultipart()) return portalView(request, reply, { status: 'error', message: '请通过页面上的表单上传文件' }, undefined, 400);
    let kind: string | undefined;
    let file: { name: string; bytes: Buffer } | null = null;
    for await (const part of request.parts()) {
      if (part.type === 'file') file = { name: part.filename, bytes: await part.toBuffer() };
      else if (part.fieldname === 'kind') kind = String(part.value);
    }
    if (kind !== 'payroll' && kind !== 'roster') return portalView(request, reply, { status: 'error', message: '请选择报送工资表还是花名册' }, undefined, 400);
    if (!file || file.bytes.length === 0) return portalView(request, reply, { status: 'error', message: '请选择要上传的文件（不能是空文件）' }, kind, 400);
    const res = await apiFor(root, request).call<{ status: 'accepted' | 'duplicate'; submission: SubmissionView; inserted?: number } & ApiErrorBody>(
      'POST',
      `/api/v1/portal/imports/${kind}?fileName=${encodeURIComponent(file.name || `${kind}.csv`)}`,
      file.bytes,
      'application/octet-stream',
    );
    let result: PortalResult;
    if (res.status === 200 || res.status === 201) result = { status: res.body.status, submission: res.body.submission, inserted: res.body.inserted };
    else if (res.status === 422) result = { status: 'rejected', message: res.body.error.message, submission: (res.body.error.details as { submission: SubmissionView }).submission };
    else if (res.status === 403 && res.body?.error?.code === 'PROJECT_NOT_YOURS')
      result = { status: 'refused', message: res.body.error.message, problems: ((res.body.error.details ?? {}) as { problems?: PortalProblemView[] }).problems ?? [] };
    else result = { status: 'error', message: res.body?.error?.message ?? `上传失败（${res.status}）` };
    request.log.info({ kind, status: res.status }, 'portal upload');
    return portalView(request, reply, result, kind, res.status === 201 ? 200 : res.status);
  });

  app.get('/portal/templates/:file', { config: PAGE(CONTRACTORS) }, async (request, reply) => {
    const name = (request.params as { file: string }).file;
    if (!/^(payroll|roster)\.(csv|xlsx)$/.test(name)) throw new PageError(404, '没有这个模板');
    const file = await apiFor(root, request).download(`/api/v1/portal/templates/${name}`);
    return reply.type(file.type).header('content-disposition', file.disposition ?? `attachment; filename="${name}"`).send(file.bytes);
  });

  // ——— 预警答复、签字确认 (issue 20 points 3 and 5): the portal API does every check; the page forwards the form ———
  /** the form's fields and files (at most the answer's file count, each cut at the attachment limit) */
  const formWithFiles = async (request: FastifyRequest): Promise<{ fields: Record<string, string>; files: FormFile[]; tooLarge: string | null }> => {
    const fields: Record<string, string> = {};
    const files: FormFile[] = [];
    let tooLargeName: string | null = null;
    try {
      for await (const part of request.parts({ limits: { files: ATTACHMENT_MAX_FILES, fileSize: ATTACHMENT_MAX_BYTES, fields: 10, parts: ATTACHMENT_MAX_FILES + 10, fieldSize: 8 * 1024 } })) {
        if (part.type === 'field') fields[part.fieldname] = String(part.value);
        else {
          try {
            const bytes = await part.toBuffer();
            // an empty file input sends a part without a name or bytes
            if (bytes.length > 0 || part.filename) files.push({ field: part.fieldname, name: part.filename, bytes });
          } catch (e) {
            if ((e as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw e;
            tooLargeName ??= part.filename;
          }
        }
      }
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_FILES_LIMIT') throw new PageError(400, `一次最多上传 ${ATTACHMENT_MAX_FILES} 个文件`);
      throw new PageError(400, '表单内容无法读取，请回到页面重新提交');
    }
    return { fields, files, tooLarge: tooLargeName === null ? null : tooLarge(tooLargeName).message };
  };
  const WARNING_KEY = /^p\d{1,12}-[A-Z_]{3,40}(-\d{4}-\d{2})?$/;
  const ATTACH_BODY = ATTACHMENT_MAX_FILES * ATTACHMENT_MAX_BYTES + 1024 * 1024;

  app.get('/portal/warnings', { config: PAGE(CONTRACTORS) }, async (request, reply) => {
    const data = await apiFor(root, request).get<{ asOf: string | null; items: PortalWarningView[] }>('/api/v1/portal/warnings');
    return render(request, reply, { title: '预警与整改', nav: 'portal-warnings', body: portalWarningsPage(data) });
  });

  const portalWarningView = async (request: FastifyRequest, reply: FastifyReply, key: string, notice: PageOptions['notice'], status = 200, values?: AnswerFormValues) => {
    if (!WARNING_KEY.test(key)) throw new PageError(404, '预警不存在，或不是本单位项目的预警');
    const w = await apiFor(root, request).get<PortalWarningView>(`/api/v1/portal/warnings/${key}`);
    return render(request, reply, { title: `${w.problemName} ${w.project.code}`, nav: 'portal-warnings', notice, body: portalWarningPage({ w, ...(values ? { values } : {}) }) }, status);
  };

  app.get('/portal/warnings/:key', { config: PAGE(CONTRACTORS) }, async (request, reply) => {
    const answered = (request.query as { done?: unknown }).done === 'answered';
    return portalWarningView(request, reply, (request.params as { key: string }).key, answered ? { kind: 'ok', text: '答复和凭证已提交，住建局核验后销号；答复已记入整改记录。' } : null);
  });

  app.post('/portal/warnings/:key/respond', { config: PAGE(CONTRACTORS), bodyLimit: ATTACH_BODY }, async (request, reply) => {
    const key = (request.params as { key: string }).key;
    if (!WARNING_KEY.test(key)) throw new PageError(404, '预警不存在，或不是本单位项目的预警');
    if (!request.isMultipart()) return portalWarningView(request, reply, key, { kind: 'error', text: '请通过页面上的表单提交答复' }, 400);
    const form = await formWithFiles(request);
    const values: AnswerFormValues = { action: form.fields.action, text: form.fields.text };
    if (form.tooLarge) return portalWarningView(request, reply, key, { kind: 'error', text: form.tooLarge }, 413, values);
    const body = multipartBody({ action: form.fields.action ?? '', text: form.fields.text ?? '' }, form.files);
    const res = await apiFor(root, request).call<ApiErrorBody>('POST', `/api/v1/portal/warnings/${key}/responses`, body.payload, body.contentType);
    if (res.status >= 500) throw new PageError(res.status, '服务器内部错误，已记录日志');
    if (res.status !== 201) return portalWarningView(request, reply, key, { kind: 'error', text: `答复未提交：${res.body?.error?.message ?? `接口返回 ${res.status}`}` }, res.status, values);
    return reply.redirect(`/portal/warnings/${key}?done=answered`, 303);
  });

  const confirmationsView = async (request: FastifyRequest, reply: FastifyReply, notice: PageOptions['notice'], status = 200, values?: ConfirmationFormValues) => {
    const api = apiFor(root, request);
    const projects = await api.get<{ uscc: string; items: DueProjectView[] }>('/api/v1/portal/projects');
    const list = await api.get<{ items: ConfirmationView[] }>('/api/v1/portal/confirmations?limit=200');
    const defaultMonth = projects.items[0]?.payrollMonth ?? todayOf(ctx.now).slice(0, 7);
    return render(request, reply, { title: '工资表签字确认', nav: 'portal-confirmations', notice, body: confirmationsPage({ projects: projects.items, items: list.items, defaultMonth, ...(values ? { values } : {}) }) }, status);
  };

  app.get('/portal/confirmations', { config: PAGE(CONTRACTORS) }, async (request, reply) => {
    const done = (request.query as { done?: unknown }).done === 'attached';
    return confirmationsView(request, reply, done ? { kind: 'ok', text: '签字确认的工资表已上传，随该月工资表保存，住建局可以查看。' } : null);
  });

  app.post('/portal/confirmations', { config: PAGE(CONTRACTORS), bodyLimit: ATTACH_BODY }, async (request, reply) => {
    if (!request.isMultipart()) return confirmationsView(request, reply, { kind: 'error', text: '请通过页面上的表单上传文件' }, 400);
    const form = await formWithFiles(request);
    const values: ConfirmationFormValues = { project: form.fields.project, month: form.fields.month };
    if (form.tooLarge) return confirmationsView(request, reply, { kind: 'error', text: form.tooLarge }, 413, values);
    const body = multipartBody({ project: form.fields.project ?? '', month: form.fields.month ?? '' }, form.files);
    const res = await apiFor(root, request).call<ApiErrorBody>('POST', '/api/v1/portal/confirmations', body.payload, body.contentType);
    if (res.status >= 500) throw new PageError(res.status, '服务器内部错误，已记录日志');
    if (res.status !== 201) return confirmationsView(request, reply, { kind: 'error', text: `未上传：${res.body?.error?.message ?? `接口返回 ${res.status}`}` }, res.status, values);
    return reply.redirect('/portal/confirmations?done=attached', 303);
  });

  // downloads are audited by the API on every call: never kept by the read cache
  const fileRoute = (path: string, roles: readonly Role[], api: string) =>
    app.get(path, { config: { page: true, roles } }, async (request, reply) => {
      const id = Number((request.params as { id: string }).id);
      if (!Number.isSafeInteger(id) || id < 1) throw new PageError(404, '文件不存在');
      const file = await apiFor(root, request).download(`${api}/${id}`);
      return reply.type(file.type).header('content-disposition', file.disposition ?? 'attachment').header('x-content-type-options', 'nosniff').send(file.bytes);
    });
  fileRoute('/portal/files/:id', CONTRACTORS, '/api/v1/portal/files');
  fileRoute('/submissions/files/:id', FILE_READERS, '/api/v1/submissions/files');

  app.post('/warnings/:key/responses/:id/return', { config: PAGE(REVIEWERS) }, async (request, reply) => {
    const { key, id } = request.params as { key: string; id: string };
    const responseId = Number(id);
    if (!WARNING_KEY.test(key) || !Number.isSafeInteger(responseId) || responseId < 1) throw new PageError(404, '答复不存在');
    const reason = reasonOf((request.body ?? {}) as Record<string, unknown>);
    const values: WarningFormValues = { form: 'return', responseId, reason };
    if (reason === '') return warningView(request, reply, key, { kind: 'error', text: '退回必须写明理由。' }, 400, values);
    const res = await apiFor(root, request).call<ApiErrorBody>('POST', `/api/v1/warnings/${key}/responses/${responseId}/return`, { reason }, 'application/json');
    if (res.status >= 500) throw new PageError(res.status, '服务器内部错误，已记录日志');
    if (res.status !== 200) return warningView(request, reply, key, { kind: 'error', text: `未能退回：${res.body?.error?.message ?? `接口返回 ${res.status}`}` }, res.status, values);
    return reply.redirect(`/warnings/${key}?done=returned#responses`, 303);
  });

  // the bureau's view of every unit's submissions
  app.get('/submissions', { config: PAGE(READERS) }, async (request, reply) => {
    const status = str((request.query as { status?: unknown }).status);
    const valid = status === 'accepted' || status === 'rejected' || status === 'duplicate' ? status : null;
    const list = await apiFor(root, request).get<{ items: SubmissionView[] }>(`/api/v1/submissions?limit=200${valid ? `&status=${valid}` : ''}`);
    return render(request, reply, { title: '报送记录', nav: 'submissions', body: submissionsPage({ rows: list.items, status: valid }) });
  });

  // ——— 法定参数 ———
  const paramsView = async (request: FastifyRequest, reply: FastifyReply, result: ParamImportResult | null, status: number) => {
    const asOf = str((request.query as { asOf?: unknown }).asOf);
    const listing = await apiFor(root, request).get<ParamsListing>(`/api/v1/params${asOf && DATE.test(asOf) ? `?asOf=${asOf}` : ''}`);
    return render(request, reply, { title: '法定参数', nav: 'params', body: paramsPage({ principal: request.principal!, listing, result }) }, status);
  };

  app.get('/params', { config: PAGE(READERS) }, async (request, reply) => paramsView(request, reply, null, 200));

  app.post('/params', { config: PAGE(SUPERVISORS), bodyLimit: 1024 * 1024 }, async (request, reply) => {
    if (!request.isMultipart()) return paramsView(request, reply, { status: 'error', message: '请通过页面上的表单上传文件' }, 400);
    let file: { name: string; bytes: Buffer } | null = null;
    for await (const part of request.parts()) if (part.type === 'file') file = { name: part.filename, bytes: await part.toBuffer() };
    if (!file || file.bytes.length === 0) return paramsView(request, reply, { status: 'error', message: '请选择要上传的文件（不能是空文件）' }, 400);
    const res = await apiFor(root, request).call<{ importId: number; fileName: string; values: { parameter: string; label: string; from: string }[]; holidayYears: number[] } & ApiErrorBody>(
      'POST',
      '/api/v1/params/imports',
      { fileName: file.name || 'params.yaml', content: file.bytes.toString('utf8') },
      'application/json',
    );
    let result: ParamImportResult;
    if (res.status === 201) result = { status: 'imported', ...res.body };
    else if (res.status === 422) result = { status: 'rejected', message: res.body.error.message, problems: ((res.body.error.details ?? {}) as { problems?: { file: string; line: number; reason: string }[] }).problems ?? [] };
    else result = { status: 'error', message: res.body?.error?.message ?? `导入失败（${res.status}）` };
    request.log.info({ status: res.status }, 'page params import');
    return paramsView(request, reply, result, res.status === 201 ? 200 : res.status);
  });

  // ——— 夜间报告 ———
  app.get('/reports', { config: PAGE(READERS) }, async (request, reply) => {
    const list = await apiFor(root, request).get<{ items: ReportListItem[]; total: number }>('/api/v1/reports?pageSize=100');
    return render(request, reply, { title: '夜间报告', nav: 'reports', body: reportsPage({ reports: list.items, total: list.total }) });
  });

  app.get('/reports/:asOf', { config: PAGE(READERS) }, async (request, reply) => {
    const asOf = (request.params as { asOf: string }).asOf;
    if (!DATE.test(asOf)) throw new PageError(404, '报告不存在');
    const report = await apiFor(root, request).get<Report>(`/api/v1/reports/${asOf}`);
    let rendered: string;
    try {
      rendered = renderHtml(report, { workbookHref: `/reports/${asOf}/xlsx` });
    } catch (e) {
      // a stored report of an older shape: its JSON is still there
      request.log.warn({ err: e, asOf }, 'stored report cannot be rendered as HTML');
      return render(request, reply, {
        title: `${asOf} 夜间报告`,
        nav: 'reports',
        notice: { kind: 'error', text: `${asOf} 的报告格式较旧，无法生成网页版。` },
        body: html`<p><a href="/reports/${asOf}/json">查看 JSON</a> · <a href="/reports">全部报告</a></p>`,
      });
    }
    return send(reply, rendered);
  });

  app.get('/reports/:asOf/xlsx', { config: PAGE(READERS) }, async (request, reply) => {
    const asOf = (request.params as { asOf: string }).asOf;
    if (!DATE.test(asOf)) throw new PageError(404, '报告不存在');
    const file = await apiFor(root, request).download(`/api/v1/reports/${asOf}/xlsx`);
    return reply.type(file.type).header('content-disposition', file.disposition ?? `attachment; filename="huxin-report-${asOf}.xlsx"`).send(file.bytes);
  });

  app.get('/reports/:asOf/json', { config: PAGE(READERS) }, async (request, reply) => {
    const asOf = (request.params as { asOf: string }).asOf;
    if (!DATE.test(asOf)) throw new PageError(404, '报告不存在');
    const report = await apiFor(root, request).get<unknown>(`/api/v1/reports/${asOf}`);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `inline; filename="huxin-report-${asOf}.json"`)
      .send(JSON.stringify(report, null, 2));
  });
};

/** A link back to the page a form came from (`back` is a checked local path). */
function backLink(back: string) {
  return html`<p><a href="${back}">返回上一页</a></p>`;
}
