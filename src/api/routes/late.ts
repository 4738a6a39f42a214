/**
 * 逾期未报送 — the bureau's view of who is late (issue 20 point 4): every project-month whose wage table or
 * payment records were not in by the due date on `asOf` (default today in Asia/Shanghai), with the due date,
 * the days late and the reminders already sent to the project's 劳资专管员 (src/services/reminders.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { lateSubmissions } from '../../services/reminders.ts';
import { asOfOf } from '../enforcement.ts';
import { READERS } from '../roles.ts';
import { errorResponses, IsoDateString, Nullable } from '../schemas.ts';

export const LateSubmissionView = Type.Object(
  {
    projectCode: Type.String(),
    projectName: Type.String(),
    month: Type.String({ description: 'YYYY-MM' }),
    kind: Type.String({ description: 'wage_table | payment_records' }),
    kindName: Type.String({ description: '缺报项目：工资支付表 | 工资发放记录' }),
    dueDate: Type.String({ description: '报送期限' }),
    wageDueDate: Type.String({ description: '该月工资支付日（应付期限）' }),
    daysLate: Type.Integer({ description: '逾期天数' }),
    remindersSent: Type.Integer({ description: '已发送的催报提醒次数（按阶段计：逾期提醒、工资支付日前提醒）' }),
    lastReminderOn: Nullable(Type.String({ description: '最近一次提醒日期' })),
  },
  { description: '一项逾期未报送' },
);

export const lateRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '/late',
    {
      config: { roles: READERS },
      schema: {
        tags: ['notices'],
        summary: '逾期未报送：工资支付表、工资发放记录未按期报送的项目月份（逾期天数最多的在前）',
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ asOf: Type.String(), total: Type.Integer(), items: Type.Array(LateSubmissionView) }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const asOf = asOfOf(request.query, ctx.now);
      const items = await lateSubmissions(ctx.store, asOf);
      return {
        asOf,
        total: items.length,
        items: items.map((i) => ({
          projectCode: i.projectCode,
          projectName: i.projectName,
          month: i.month,
          kind: i.kind,
          kindName: i.kindName,
          dueDate: i.dueDate,
          wageDueDate: i.wageDueDate,
          daysLate: i.daysLate,
          remindersSent: i.remindersSent,
          lastReminderOn: i.lastReminderOn,
        })),
      };
    },
  );
};
