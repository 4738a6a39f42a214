/**
 * 项目预警 — GET lists the warnings of the latest evaluated day (one per project and problem, with its flags
 * inside and a level 红/橙/黄; src/rules/warnings.ts), highest risk first, filterable by level, problem,
 * project and county; GET /:key is one warning with its flags. From a warning, on the whole: an order to pay
 * covering its unpaid worker-months (POST /:key/order; `exclude` removes some), a case for its workers
 * (POST /:key/case) and the listing procedure (POST /:key/blacklist, from an order of it expired unpaid).
 * A worker-month already in an order in force or an open case is not put in a second one (409).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { enforcementOfProjects, judgeOf, workerMonthKey } from '../../services/enforcement/common.ts';
import type { IsoDate } from '../../domain/date.ts';
import { WARNING_PROBLEM_ZH, WARNING_PROBLEMS } from '../../rules/warnings.ts';
import type { RouteContext } from '../../server.ts';
import { caseView, intakeCase } from '../../services/enforcement/cases.ts';
import { listingView, proposeListing } from '../../services/enforcement/blacklist.ts';
import { evaluateStoredOrder, issueOrder, ORDERABLE_CODES, orderView } from '../../services/enforcement/orders.ts';
import { assignWarning, closeWarning, findWarning, listRectifications, listWarnings, RectificationError, rectificationOf } from '../../services/warnings.ts';
import { bureauFileHref, responsesOf, returnResponse } from '../../services/portal/answers.ts';
import { actorOf, asOfOf, run } from '../enforcement.ts';
import { ApiError, notFound } from '../errors.ts';
import { findProject } from '../queries.ts';
import { CaseView, ListingView, OrderView } from '../responseSchemas.ts';
import { READERS, REVIEWERS } from '../roles.ts';
import { errorResponses, IsoDateString, Nullable, PageQuery, pageOf } from '../schemas.ts';
import { FlagItem, flagOf, queueRowAsFlagRow, withEnforcement } from './flags.ts';
import { WarningResponse } from './portalSchemas.ts';

const Yuan = Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description: '金额（元，两位小数）' });
const Level = Type.Union([Type.Literal('red'), Type.Literal('orange'), Type.Literal('yellow')], { description: 'red 红色 / orange 橙色 / yellow 黄色' });
const Problem = Type.Union(
  [
    Type.Literal('WAGE_ARREARS'),
    Type.Literal('PAYROLL_RECORDS'),
    Type.Literal('WAGE_ACCOUNT'),
    Type.Literal('DEPOSIT'),
    Type.Literal('INJURY_INSURANCE'),
    Type.Literal('CHILD_LABOUR'),
    Type.Literal('LABOUR_CONTRACT'),
    Type.Literal('OWNER_DUTIES'),
    Type.Literal('BLACKLISTED_PARTY'),
  ],
  { description: WARNING_PROBLEMS.map((p) => `${p} ${WARNING_PROBLEM_ZH[p]}`).join(' / ') },
);
export const KeyParam = Type.Object({ key: Type.String({ pattern: '^p\\d{1,12}-[A-Z_]{3,40}(-\\d{4}-\\d{2})?$', maxLength: 80, description: '预警编号，如 p3-WAGE_ARREARS-2026-10' }) });
const Reason = Type.String({ minLength: 1, maxLength: 2000, description: '理由（记入审计日志）' });
const FlagIds = Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), { maxItems: 2000 });

export const Warning = Type.Object({
  key: Type.String({ description: '预警编号（跨日期稳定：项目、问题、月份）' }),
  level: Level,
  levelName: Type.String({ description: '红色预警 / 橙色预警 / 黄色预警' }),
  problem: Problem,
  problemName: Type.String({ description: '问题（中文）' }),
  month: Nullable(Type.String({ description: '工资所属月份（拖欠工资预警）' })),
  project: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), county: Type.String() }),
  contractor: Type.Object({ uscc: Type.String({ description: '施工总承包单位统一社会信用代码' }), name: Nullable(Type.String()) }),
  riskScore: Nullable(Type.Integer()),
  reasons: Type.Array(Type.String(), { description: '定级理由（达到的条件）' }),
  workers: Type.Integer({ description: '涉及工人数' }),
  workersInArrears: Type.Integer({ description: '被欠薪工人数' }),
  arrears: Yuan,
  amount: Yuan,
  oldestDueDate: Nullable(Type.String({ description: '最早一笔欠付工资的应付日期' })),
  overdueDays: Type.Integer({ description: '自最早应付日期至评估日的天数（读取时计算）' }),
  flagCount: Type.Integer(),
  severities: Type.Object({ critical: Type.Integer(), high: Type.Integer(), medium: Type.Integer(), low: Type.Integer() }),
  codes: Type.Array(Type.Object({ code: Type.String(), title: Type.String() })),
  ordered: Type.Integer({ description: '已在责令限期支付中的工人月度数' }),
  inCase: Type.Integer({ description: '已在案件中的工人月度数' }),
  orderable: Type.Integer({ description: '尚可责令支付的欠薪预警数' }),
  links: Type.Object({ flags: Type.String(), page: Type.String() }),
  persists: Type.Boolean({ description: '问题在评估日的事实中是否仍存在（如工资已迟延付清则为 false）' }),
  rectification: Nullable(
    Type.Object({
      state: Type.String({ description: 'rectifying 整改中 / overdue 逾期未整改 / verified 已整改待销号 / closed 已销号' }),
      stateName: Type.String(),
      assignee: Type.String(),
      deadline: Type.String(),
      overdueDays: Type.Integer(),
      reopenCount: Type.Integer(),
      pendingResponses: Type.Integer({ description: '施工单位答复待核验的条数（报送门户）' }),
    }),
  ),
});

const Rectification = Type.Object({
  key: Type.String(),
  projectId: Type.Integer(),
  project: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
  problem: Type.String(),
  problemName: Type.String(),
  status: Type.String({ description: 'open 整改中（含重开）/ closed 已销号' }),
  state: Type.String({ description: 'rectifying 整改中 / overdue 逾期未整改 / verified 已整改待销号 / closed 已销号' }),
  stateName: Type.String(),
  assignee: Type.String(),
  assignedOn: Type.String(),
  workingDays: Type.Integer(),
  deadline: Type.String({ description: '整改期限（按工作日计算，节假日按国务院办公厅通知）' }),
  overdueDays: Type.Integer({ description: '超过整改期限的天数（读取时计算）' }),
  closedOn: Nullable(Type.String()),
  closeReason: Nullable(Type.String()),
  closeEvidence: Nullable(Type.String()),
  closedBy: Nullable(Type.String()),
  reopenedOn: Nullable(Type.String()),
  reopenCount: Type.Integer(),
  present: Type.Boolean({ description: '评估日的事实是否仍显示该问题' }),
  asOf: Nullable(Type.String()),
  steps: Type.Optional(Type.Array(Type.Object({ step: Type.String(), on: Type.String(), actor: Type.String(), reason: Type.String(), at: Type.String() }))),
});

const ByLevel = Type.Object({ red: Type.Integer(), orange: Type.Integer(), yellow: Type.Integer() }, { description: '有预警的项目数（按项目的最高等级）' });

/** A rectification step's refusal as the API's error (4xx JSON in Chinese). */
async function rect<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RectificationError) throw new ApiError(e.status, e.code, e.message, e.details);
    throw e;
  }
}

export const warningRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  const load = async (key: string) => {
    const found = await findWarning(ctx.store, key);
    if (!found) throw notFound(`预警 ${key}`);
    return found;
  };
  /** the warning's flags an order or a case can name (wage flags with money owed), in flag order */
  const orderableFlags = async (key: string) => {
    const found = await load(key);
    const rows = await ctx.store.queue.byIds(found.flagIds);
    return { found, rows: rows.filter((r) => (ORDERABLE_CODES as readonly string[]).includes(r.code) && r.id_number && r.month && r.amount_fen) };
  };
  /** which flags an action names: all the orderable ones not yet in one (less `exclude`), or exactly `include` */
  const chosen = async (rows: { id: number; project_id: number; id_number: string | null; month: string | null }[], kind: 'orders' | 'cases', include?: number[], exclude?: number[]) => {
    const ids = new Set(rows.map((r) => r.id));
    for (const id of [...(include ?? []), ...(exclude ?? [])]) {
      if (!ids.has(id)) throw new ApiError(422, 'FLAG_NOT_IN_WARNING', `预警 #${id} 不是该项目预警中的欠薪预警`);
    }
    if (include) return include;
    const known = await enforcementOfProjects(ctx.store, rows.map((r) => r.project_id));
    const skip = new Set(exclude ?? []);
    return rows.filter((r) => !skip.has(r.id) && !(known.get(workerMonthKey(r.project_id, r.id_number!, r.month!))?.[kind].length)).map((r) => r.id);
  };

  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['warnings'],
        summary: '项目预警（每个项目每类问题一条，红、橙、黄三级，风险高的在前）',
        querystring: Type.Object({
          ...PageQuery,
          level: Type.Optional(Level),
          problem: Type.Optional(Problem),
          project: Type.Optional(Type.String({ maxLength: 64, description: '项目 id 或项目编号' })),
          county: Type.Optional(Type.String({ maxLength: 50 })),
        }),
        response: {
          200: Type.Object({ asOf: Nullable(Type.String()), items: Type.Array(Warning), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer(), projectsByLevel: ByLevel }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { page, pageSize, limit, offset } = pageOf(q);
      const filter = {
        ...(q.level ? { level: q.level } : {}),
        ...(q.problem ? { problem: q.problem } : {}),
        ...(q.project ? { projectId: (await findProject(ctx.store, q.project)).id } : {}),
        ...(q.county ? { county: q.county } : {}),
      };
      const out = await listWarnings(ctx.store, filter, limit, offset);
      return { ...out, page, pageSize };
    },
  );

  app.get(
    '/rectifications',
    {
      config: { roles: READERS },
      schema: {
        tags: ['warnings'],
        summary: '预警整改（指派、期限、核验、销号），可按状态筛选（如逾期未整改）',
        querystring: Type.Object({
          state: Type.Optional(Type.Union([Type.Literal('rectifying'), Type.Literal('overdue'), Type.Literal('verified'), Type.Literal('closed')])),
        }),
        response: { 200: Type.Object({ asOf: Nullable(Type.String()), items: Type.Array(Rectification) }), ...errorResponses(400) },
      },
    },
    async (request) => listRectifications(ctx.store, request.query.state ? { state: request.query.state } : {}),
  );

  app.post(
    '/:key/assign',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['warnings'],
        summary: '指派预警给劳动保障监察员并设定整改期限（工作日）；再次指派即改派（记入审计日志）',
        params: KeyParam,
        body: Type.Object(
          {
            assignee: Type.String({ minLength: 1, maxLength: 100, description: '负责跟踪整改的劳动保障监察员' }),
            workingDays: Type.Integer({ minimum: 1, maximum: 60, description: '整改期限（工作日）' }),
            reason: Reason,
            on: Type.Optional(IsoDateString),
          },
          { additionalProperties: false },
        ),
        response: { 200: Rectification, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) =>
      rect(() =>
        assignWarning(ctx.store, request.params.key, { ...request.body, on: (request.body.on ?? asOfOf({}, ctx.now)) as IsoDate }, actorOf(request), ctx.now(), (e) =>
          request.log.error({ err: e, warning: request.params.key }, '预警分派通知未能写入通知队列（分派已生效）'),
        ),
      ),
  );

  app.post(
    '/:key/close',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['warnings'],
        summary: '销号：评估日的事实已不再显示该问题时，说明理由和证据后销号（记入审计日志）',
        params: KeyParam,
        body: Type.Object(
          { reason: Reason, evidence: Type.String({ minLength: 1, maxLength: 2000, description: '证据：文书编号、补发工资转账流水号等' }), on: Type.Optional(IsoDateString) },
          { additionalProperties: false },
        ),
        response: { 200: Rectification, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => rect(() => closeWarning(ctx.store, request.params.key, { ...request.body, on: (request.body.on ?? asOfOf({}, ctx.now)) as IsoDate }, actorOf(request), ctx.now())),
  );

  app.post(
    '/:key/responses/:id/return',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['warnings'],
        summary: '退回施工单位的答复（写明理由；记入整改闭环和审计日志），施工单位可重新答复',
        params: Type.Object({ ...KeyParam.properties, id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
        response: { 200: WarningResponse, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => returnResponse(ctx.store, request.params.key, request.params.id, request.body, actorOf(request), ctx.now()),
  );

  app.get(
    '/:key',
    {
      config: { roles: READERS },
      schema: {
        tags: ['warnings'],
        summary: '一条项目预警及其包含的预警（各带所在的责令、案件）',
        params: KeyParam,
        response: {
          200: Type.Object({
            asOf: Nullable(Type.String()),
            warning: Nullable(Warning),
            flags: Type.Array(FlagItem),
            names: Type.Record(Type.String(), Type.String(), { description: '工人姓名（按预警 id）' }),
            rectification: Nullable(Rectification),
            responses: Type.Array(WarningResponse, { description: '施工单位的答复（报送门户），旧的在前' }),
          }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const rectification = await rectificationOf(ctx.store, request.params.key);
      const found = await findWarning(ctx.store, request.params.key);
      if (!found) {
        // gone from the day's facts: still shown while it has a rectification (to verify and close it)
        if (!rectification) throw notFound(`预警 ${request.params.key}`);
        return { asOf: rectification.asOf, warning: null, flags: [], names: {}, rectification, responses: await responsesOf(ctx.store, [request.params.key], null, bureauFileHref) };
      }
      const rows = await ctx.store.queue.byIds(found.flagIds);
      const flags = await withEnforcement(ctx.store, rows.map((r) => flagOf(queueRowAsFlagRow(r, found.asOf ?? ''))));
      const known = await ctx.store.warnings.workerNames(rows.map((r) => r.id_number).filter((x): x is string => x !== null));
      const names: Record<string, string> = {};
      for (const r of rows) if (r.id_number && known.has(r.id_number)) names[String(r.id)] = known.get(r.id_number)!;
      return { asOf: found.asOf, warning: found.warning, flags, names, rectification, responses: await responsesOf(ctx.store, [request.params.key], null, bureauFileHref) };
    },
  );

  app.post(
    '/:key/order',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['warnings'],
        summary: '依据项目预警责令限期支付：包括其全部欠薪工人月度（exclude 去掉部分，或 include 只列部分）',
        params: KeyParam,
        body: Type.Object(
          { deadline: IsoDateString, reason: Reason, issuedOn: Type.Optional(IsoDateString), exclude: Type.Optional(FlagIds), include: Type.Optional(FlagIds) },
          { additionalProperties: false },
        ),
        response: { 201: OrderView, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { rows } = await orderableFlags(request.params.key);
      const ids = await chosen(rows, 'orders', b.include, b.exclude);
      if (ids.length === 0) throw new ApiError(400, 'NO_ITEMS', '该预警没有可责令支付的欠薪工人月度（均已在责令中或已去掉）');
      const issuedOn = b.issuedOn ?? asOfOf({}, ctx.now);
      const id = await run(() => issueOrder(ctx.store, { findingIds: ids, issuedOn, deadline: b.deadline, reason: b.reason, fromWarning: request.params.key }, actorOf(request), ctx.now()));
      return reply.code(201).send(await run(() => orderView(ctx.store, id, issuedOn as IsoDate)));
    },
  );

  app.post(
    '/:key/case',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['warnings'],
        summary: '依据项目预警立案：一组被欠薪工人（exclude 去掉部分，或 include 只列部分）',
        params: KeyParam,
        body: Type.Object(
          {
            reason: Reason,
            filedOn: Type.Optional(IsoDateString),
            title: Type.Optional(Type.String({ maxLength: 200 })),
            exclude: Type.Optional(FlagIds),
            include: Type.Optional(FlagIds),
            circumstances: Type.Optional(
              Type.Object(
                {
                  employerAbsconded: Type.Optional(Type.Boolean()),
                  writtenIou: Type.Optional(Type.Boolean()),
                  willingToMediate: Type.Optional(Type.Boolean()),
                  enforceableTitle: Type.Optional(Type.Boolean()),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: CaseView, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { rows } = await orderableFlags(request.params.key);
      const ids = await chosen(rows, 'cases', b.include, b.exclude);
      if (ids.length === 0) throw new ApiError(400, 'NO_ITEMS', '该预警没有可立案的欠薪工人月度（均已在案件中或已去掉）');
      const filedOn = b.filedOn ?? asOfOf({}, ctx.now);
      const id = await run(() =>
        intakeCase(
          ctx.store,
          { findingIds: ids, filedOn, reason: b.reason, ...(b.title ? { title: b.title } : {}), ...(b.circumstances ? { circumstances: b.circumstances } : {}), fromWarning: request.params.key },
          actorOf(request),
          ctx.now(),
        ),
      );
      return reply.code(201).send(await run(() => caseView(ctx.store, id, filedOn as IsoDate)));
    },
  );

  app.post(
    '/:key/blacklist',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['warnings'],
        summary: '依据项目预警启动列入失信联合惩戒名单程序（须有该预警的责令限期支付逾期未履行，名单办法第五条）',
        params: KeyParam,
        body: Type.Object({ reason: Reason, on: Type.Optional(IsoDateString) }, { additionalProperties: false }),
        response: { 201: ListingView, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { rows } = await orderableFlags(request.params.key);
      const on = (request.body.on ?? asOfOf({}, ctx.now)) as IsoDate;
      const known = await enforcementOfProjects(ctx.store, rows.map((r) => r.project_id));
      const orderIds = [...new Set(rows.flatMap((r) => (known.get(workerMonthKey(r.project_id, r.id_number!, r.month!))?.orders ?? []).map((o) => o.id)))].sort((a, b) => a - b);
      if (orderIds.length === 0) {
        throw new ApiError(422, 'NO_ORDER', '该预警尚未责令限期支付：须先责令限期支付，期限届满仍未支付的，方可启动列入程序（名单办法第五条）');
      }
      const judge = await judgeOf(ctx.store);
      let expired: number | undefined;
      for (const id of orderIds) {
        const row = await ctx.store.orders.get(id);
        if (row !== undefined && !row.withdrawn_at && (await run(() => evaluateStoredOrder(judge, row, on))).status === 'expired_unpaid') {
          expired = id;
          break;
        }
      }
      if (expired === undefined) {
        throw new ApiError(422, 'ORDER_NOT_EXPIRED', `该预警的责令限期支付（#${orderIds.join('、#')}）尚未逾期未履行：期限届满仍未支付的，方可启动列入程序（名单办法第五条）`, { orderIds });
      }
      const id = await run(() => proposeListing(ctx.store, { orderId: expired, on, reason: request.body.reason }, actorOf(request), ctx.now()));
      return reply.code(201).send(await run(() => listingView(ctx.store, id, on)));
    },
  );
};
