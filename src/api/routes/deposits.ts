/**
 * 工资保证金 — GET /api/v1/projects/{project}/deposit: the required amount with each step of the rate
 * (as stored by the recompute for the as-of date: base rate, cuts, raises, exemption, cap) and the
 * project's deposit events up to the as-of date.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { yuan } from '../ledger.ts';
import { notFound } from '../errors.ts';
import { todayOf } from '../queries.ts';
import { READERS } from '../roles.ts';
import { errorResponses, IsoDateString, Money, Nullable, Source } from '../schemas.ts';

export const depositRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '/:project/deposit',
    {
      config: { roles: READERS },
      schema: {
        tags: ['projects'],
        summary: '工资保证金：应存金额及计算步骤、存取记录',
        params: Type.Object({ project: Type.String({ minLength: 1, maxLength: 64, description: '项目 id 或项目编号' }) }),
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString) }),
        response: {
          200: Type.Object({
            project: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
            asOf: Type.String(),
            storedAsOf: Nullable(Type.String({ description: '保证金要求取自该日的重算结果' })),
            requirement: Type.Unknown({ description: '规则引擎算出的应存金额、每一步的依据和持有情况；尚未重算时为 null' }),
            events: Type.Array(
              Type.Object({
                id: Type.Integer(),
                event: Type.String({ description: 'deposit 存储 / use 动用 / replenish 补足 / refund 返还' }),
                form: Type.String({ description: 'cash 现金 / bank_guarantee 银行保函 / insurance 保证保险' }),
                amount: Money,
                date: Type.String(),
                expiresOn: Nullable(Type.String()),
                voucherNo: Type.String(),
                source: Source,
              }),
            ),
          }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const on = request.query.asOf ?? todayOf(ctx.now);
      // the requirement and the events from one committed state
      const { p, stored, requirement, events } = await ctx.store.snapshot(async (s) => {
        const p = await s.cases.project(request.params.project);
        if (!p) throw notFound(`项目“${request.params.project}”`);
        const stored = request.query.asOf ? await s.evaluations.latestDay(request.query.asOf) : await s.evaluations.latestDay();
        return { p, stored, requirement: stored === null ? undefined : await s.deposits.requirement(p.id, stored), events: await s.deposits.events(p.id, on) };
      });
      return {
        project: { id: p.id, code: p.code, name: p.name },
        asOf: on,
        storedAsOf: requirement !== undefined ? stored : null,
        requirement: requirement ?? null,
        events: events.map((e) => ({
          id: e.id,
          event: e.event,
          form: e.form,
          amount: yuan(e.amount_fen),
          date: e.date,
          expiresOn: e.expires_on,
          voucherNo: e.voucher_no,
          source: { batchId: e.batch_id, line: e.line },
        })),
      };
    },
  );
};
