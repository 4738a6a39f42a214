/**
 * 责令限期支付 — labour-inspection orders. An inspector issues one from flagged worker-months (finding ids or
 * fingerprints) with a deadline; reading it evaluates it against the ledger as of D and, once the deadline has
 * passed unpaid, lists the next steps the law provides with their amounts. Every write is audited.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { issueOrder, orderView, orderViews, withdrawOrder } from '../../services/enforcement/orders.ts';
import { enqueueOrderNotices, queueAfter } from '../../services/notices/outbox.ts';
import { actorOf, asOfOf, run } from '../enforcement.ts';
import { assertFingerprintsAllowed } from '../workerLookup.ts';
import { READERS, REVIEWERS, SUPERVISORS } from '../roles.ts';
import { errorResponses, IdParam, IsoDateString } from '../schemas.ts';
import { OrderList, OrderView } from '../responseSchemas.ts';

const Reason = Type.String({ minLength: 1, maxLength: 2000, description: '理由（记入审计日志）' });

export const orderRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.post(
    '',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['enforcement'],
        summary: '作出责令限期支付（依据欠薪预警）',
        body: Type.Object(
          {
            findingIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), { maxItems: 2000 })),
            fingerprints: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 2000 })),
            issuedOn: Type.Optional(IsoDateString),
            deadline: IsoDateString,
            reason: Reason,
            employerUscc: Type.Optional(Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' })),
            caseId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
          },
          { additionalProperties: false },
        ),
        response: { 201: OrderView, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const today = asOfOf({}, ctx.now);
      assertFingerprintsAllowed(request, request.body.fingerprints);
      const id = await run(() => issueOrder(ctx.store, { ...b, issuedOn: b.issuedOn ?? today }, actorOf(request), ctx.now()));
      // 通知: the contractor's labour-affairs officer and project manager of each project the order names
      await queueAfter(request.log, `order ${id}`, () => enqueueOrderNotices(ctx.store, id, ctx.now()));
      return reply.code(201).send(await run(() => orderView(ctx.store, id, (b.issuedOn ?? today) as never)));
    },
  );

  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['enforcement'],
        summary: '责令限期支付列表（按日期评估履行情况）',
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString), employer: Type.Optional(Type.String({ maxLength: 18 })), caseId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) }),
        response: { 200: OrderList, ...errorResponses(400) },
      },
    },
    async (request) => {
      const asOf = asOfOf(request.query, ctx.now);
      const filter = { ...(request.query.employer ? { employerUscc: request.query.employer } : {}), ...(request.query.caseId ? { caseId: request.query.caseId } : {}) };
      // every order from one committed state
      return { asOf, items: await run(() => ctx.store.snapshot((s) => orderViews(s, filter, asOf))) };
    },
  );

  app.get(
    '/:id',
    {
      config: { roles: READERS },
      schema: { tags: ['enforcement'], summary: '一份责令限期支付：履行情况与逾期后的处理建议（保证金、加付赔偿金、失信名单、移送）', params: IdParam, querystring: Type.Object({ asOf: Type.Optional(IsoDateString) }), response: { 200: OrderView, ...errorResponses(400, 404) } },
    },
    async (request) => run(() => ctx.store.snapshot((s) => orderView(s, request.params.id, asOfOf(request.query, ctx.now)))),
  );

  app.post(
    '/:id/withdraw',
    {
      config: { roles: SUPERVISORS },
      schema: { tags: ['enforcement'], summary: '撤销责令限期支付（主管）', params: IdParam, body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: OrderView, ...errorResponses(400, 404, 409) } },
    },
    async (request) => {
      await run(() => withdrawOrder(ctx.store, request.params.id, request.body.reason, actorOf(request), ctx.now()));
      return run(() => orderView(ctx.store, request.params.id, asOfOf({}, ctx.now)));
    },
  );
};
