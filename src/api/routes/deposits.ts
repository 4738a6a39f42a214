/**
 * 工资保证金 — GET /api/v1/projects/{project}/deposit: the required amount with each step of the rate
 * (as stored by the recompute for the as-of date: base rate, cuts, raises, exemption, cap) and the
 * project's deposit events up to the as-of date.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { yuan } from '../ledger.ts';
import { findProject, parseJson, storedAsOf, todayOf } from '../queries.ts';
import { READERS } from '../roles.ts';
import { errorResponses, IsoDateString, Money, Nullable, Source } from '../schemas.ts';

interface EventRow {
  id: number;
  event: string;
  form: string;
  amount_fen: number;
  date: string;
  expires_on: string | null;
  voucher_no: string;
  batch_id: number;
  line: number;
}

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
      const p = await findProject(ctx.store, request.params.project);
      const on = request.query.asOf ?? todayOf(ctx.now);
      const stored = await storedAsOf(ctx.store, request.query.asOf);
      const assessment = ctx.db.$client
        .prepare('SELECT deposit FROM project_assessments WHERE as_of = ? AND project_id = ?')
        .get(stored, p.id) as { deposit: string } | undefined;
      const events = ctx.db.$client
        .prepare(
          `SELECT id, event, form, amount_fen, date, expires_on, voucher_no, batch_id, line FROM deposit_events
            WHERE project_id = ? AND superseded_by IS NULL AND date <= ? ORDER BY date, id`,
        )
        .all(p.id, on) as EventRow[];
      return {
        project: { id: p.id, code: p.code, name: p.name },
        asOf: on,
        storedAsOf: assessment ? stored : null,
        requirement: assessment ? parseJson(assessment.deposit, null) : null,
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
