/**
 * 失信联合惩戒名单 — the listing procedure of 名单办法. Inspectors propose (from an order expired unpaid),
 * notify, record the unit's statement, its correction and pledge, incidents and removal applications; the
 * supervisor decides listings and removals and publishes. Each step is recorded with actor, day and reason,
 * and audited. There is no lighter list in the decree.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { listingView, listingViews, proposeListing, recordIncident, recordListingStep, type ListingStep } from '../../services/enforcement/blacklist.ts';
import { blacklistChanges } from '../../services/enforcement/reporting.ts';
import { actorOf, asOfOf, run } from '../enforcement.ts';
import { READERS, REVIEWERS, SUPERVISORS, type Role } from '../roles.ts';
import { errorResponses, IdParam, IsoDateString } from '../schemas.ts';
import { BlacklistChanges, IncidentRecorded, ListingList, ListingView } from '../responseSchemas.ts';

const Reason = Type.String({ minLength: 1, maxLength: 2000, description: '理由（记入名单程序和审计日志）' });
const Person = Type.Object(
  {
    role: Type.Union([Type.Literal('legal_representative'), Type.Literal('principal'), Type.Literal('responsible_manager'), Type.Literal('responsible_person')], {
      description: '法定代表人 / 主要负责人 / 直接负责的主管人员 / 其他直接责任人员',
    }),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    idNumber: Type.Optional(Type.String({ pattern: '^\\d{17}[\\dXx]$' })),
  },
  { additionalProperties: false },
);
const USCC = Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' });

/** step route → service step, roles, body extras */
const STEPS: readonly { path: string; step: ListingStep; roles: readonly Role[]; summary: string; extra: Record<string, TSchema> }[] = [
  { path: 'notice', step: 'notice', roles: REVIEWERS, summary: '书面告知（列入事由、依据、陈述申辩权利；陈述申辩期限见参数 listingStatementPeriod，名单办法第六条）', extra: {} },
  { path: 'statement', step: 'statement', roles: REVIEWERS, summary: '记录单位的陈述申辩或异议（在复核期限内复核，参数 listingObjectionCheckPeriod，名单办法第六条）', extra: { objection: Type.Boolean() } },
  { path: 'correction', step: 'correction', roles: REVIEWERS, summary: '记录改正（已支付被拖欠工资）及书面信用承诺（决定前改正并承诺的，建议不予列入，不是禁止列入）', extra: { pledge: Type.Boolean() } },
  { path: 'decision', step: 'decision', roles: SUPERVISORS, summary: '作出列入或不予列入决定（主管裁量：已改正并书面承诺的，系统建议不予列入（名单办法第七条），主管可不采纳并须说明理由）', extra: { approve: Type.Boolean({ description: 'true 列入 / false 不予列入' }), complex: Type.Boolean({ description: '情况复杂，按名单办法第八条延长决定期限（参数 listingDecisionPeriod 的 extension）' }) } },
  { path: 'publish', step: 'publish', roles: SUPERVISORS, summary: '公布并共享至信用平台（主管）', extra: {} },
  { path: 'removal-application', step: 'removal_application', roles: REVIEWERS, summary: '记录提前移出（信用修复）申请', extra: {} },
  { path: 'removal-decision', step: 'removal_decision', roles: SUPERVISORS, summary: '作出是否同意提前移出的决定（审核期限见参数 earlyRemovalDecisionPeriod，名单办法第十四条；主管）', extra: { approve: Type.Boolean() } },
  { path: 'removal', step: 'removal', roles: SUPERVISORS, summary: '移出名单（执行期限见参数 removalExecutionPeriod，名单办法第十七条；主管）', extra: {} },
  {
    path: 'restore',
    step: 'restore',
    roles: SUPERVISORS,
    summary: '以欺骗等不正当手段被移出的，撤销移出决定、恢复列入，名单期限自恢复之日起重新计算（名单办法第十五条；主管）',
    extra: {},
  },
  {
    path: 'revoke',
    step: 'revoke',
    roles: SUPERVISORS,
    summary: '列入所依据的责令支付行政处理决定被撤销或确认违法的，撤销列入决定（名单办法第十六条；主管）',
    extra: { ground: Type.Union([Type.Literal('annulled'), Type.Literal('unlawful')], { description: 'annulled 被撤销 / unlawful 被确认违法' }) },
  },
  { path: 'default-again', step: 'default_again', roles: REVIEWERS, summary: '记录列入期间再次拖欠（不得提前移出）', extra: {} },
  { path: 'criminal-case', step: 'criminal_case', roles: REVIEWERS, summary: '记录拒不支付劳动报酬刑事案件（不得提前移出）', extra: {} },
  { path: 'persons', step: 'persons', roles: REVIEWERS, summary: '记录一并列入的法定代表人和直接责任人员', extra: { persons: Type.Array(Person, { maxItems: 50 }) } },
];

export const blacklistRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['enforcement'],
        summary: '失信联合惩戒名单程序列表（含期限、名单期间、提前移出条件）',
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString), uscc: Type.Optional(Type.String({ maxLength: 18 })), status: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: { 200: ListingList, ...errorResponses(400) },
      },
    },
    async (request) => {
      const asOf = asOfOf(request.query, ctx.now);
      const filter = { ...(request.query.uscc ? { uscc: request.query.uscc } : {}), ...(request.query.status ? { status: request.query.status } : {}) };
      return { asOf, lighterList: '名单办法没有较轻的名单', items: await run(() => ctx.store.snapshot((s) => listingViews(s, filter, asOf))) };
    },
  );

  app.get(
    '/changes',
    {
      config: { roles: READERS },
      schema: { tags: ['enforcement'], summary: '名单变化（列入、公布、不予列入、移出、期满），日期在 (from, to]', querystring: Type.Object({ from: IsoDateString, to: IsoDateString }), response: { 200: BlacklistChanges, ...errorResponses(400) } },
    },
    async (request) => ({ from: request.query.from, to: request.query.to, items: await blacklistChanges(ctx.store, request.query.from as never, request.query.to as never) }),
  );

  app.get(
    '/:id',
    { config: { roles: READERS }, schema: { tags: ['enforcement'], summary: '一个名单程序：步骤、期限、名单期间', params: IdParam, querystring: Type.Object({ asOf: Type.Optional(IsoDateString) }), response: { 200: ListingView, ...errorResponses(400, 404) } } },
    async (request) => run(() => ctx.store.snapshot((s) => listingView(s, request.params.id, asOfOf(request.query, ctx.now)))),
  );

  app.post(
    '',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['enforcement'],
        summary: '启动列入程序（责令限期支付逾期未付且符合名单办法第五条）',
        body: Type.Object({ orderId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), on: Type.Optional(IsoDateString), reason: Reason, persons: Type.Optional(Type.Array(Person, { maxItems: 50 })) }, { additionalProperties: false }),
        response: { 201: ListingView, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const on = request.body.on ?? asOfOf({}, ctx.now);
      const id = await run(() => proposeListing(ctx.store, { ...request.body, on }, actorOf(request), ctx.now()));
      return reply.code(201).send(await run(() => listingView(ctx.store, id, on as never)));
    },
  );

  app.post(
    '/incidents',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['enforcement'],
        summary: '记录因拖欠工资引发的群体性事件或极端事件（名单办法第五条第二项）',
        body: Type.Object(
          { employerUscc: USCC, projectId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })), kind: Type.Union([Type.Literal('group'), Type.Literal('extreme')]), occurredOn: IsoDateString, description: Reason },
          { additionalProperties: false },
        ),
        response: { 201: IncidentRecorded, ...errorResponses(400, 422) },
      },
    },
    async (request, reply) => {
      const id = await run(() => recordIncident(ctx.store, request.body, actorOf(request), ctx.now()));
      return reply.code(201).send({ id, ...request.body });
    },
  );

  for (const s of STEPS) {
    app.post(
      `/:id/${s.path}`,
      {
        config: { roles: s.roles },
        schema: {
          tags: ['enforcement'],
          summary: s.summary,
          params: IdParam,
          body: Type.Object({ on: Type.Optional(IsoDateString), reason: Reason, ...Object.fromEntries(Object.entries(s.extra).map(([k, v]) => [k, Type.Optional(v)])) }, { additionalProperties: false }),
          response: { 200: ListingView, ...errorResponses(400, 404, 409, 422) },
        },
      },
      async (request) => {
        const body = request.body as { on?: string; reason: string } & Record<string, unknown>;
        const on = body.on ?? asOfOf({}, ctx.now);
        await run(() => recordListingStep(ctx.store, request.params.id, s.step, { ...body, on } as never, actorOf(request), ctx.now()));
        return run(() => listingView(ctx.store, request.params.id, on as never));
      },
    );
  }
};
