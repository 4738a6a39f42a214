/**
 * 通知 — the notices outbox: what was queued to whom, over which channel, and how delivery went
 * (pending → sent, or failed and retried, or gave_up). For supervisors and inspectors. The address is
 * personal data: shown masked (138****5678, z***@example.com) unless a supervisor asks for the full view
 * (X-Full-View, audited like every full view).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { maskEmail } from '../../domain/email.ts';
import { maskPhone } from '../../domain/phone.ts';
import { CHANNEL_ZH, NOTICE_STATE_ZH, RECIPIENT_ROLE_ZH, TEMPLATE_ZH, type TemplateCode } from '../../services/notices/templates.ts';
import type { NoticeRow } from '../../store/repos/notices.ts';
import { ApiError } from '../errors.ts';
import { REVIEWERS } from '../roles.ts';
import { errorResponses, Nullable, Page, pageOf, PageQuery } from '../schemas.ts';

const STATES = ['pending', 'sent', 'failed', 'gave_up'] as const;

export const NoticeView = Type.Object(
  {
    id: Type.Integer(),
    state: Type.String({ description: 'pending | sent | failed | gave_up' }),
    stateName: Type.String({ description: '状态（中文）' }),
    template: Type.String({ description: 'ORDER_ISSUED | CASE_OPENED | LABOR_COST_SHORT | WARNING_ASSIGNED' }),
    templateName: Type.String(),
    recipientRole: Type.String({ description: 'labor_officer | project_manager | owner_contact | inspector' }),
    recipientRoleName: Type.String(),
    recipientName: Nullable(Type.String()),
    channel: Type.String({ description: "email | sms" }),
    channelName: Type.String(),
    address: Type.String({ description: '收件地址（除完整视图外遮蔽）' }),
    subject: Type.String(),
    body: Type.String({ description: '通知正文（不含完整身份证号、银行卡号）' }),
    projectId: Nullable(Type.Integer()),
    projectCode: Nullable(Type.String()),
    orderId: Nullable(Type.Integer()),
    caseId: Nullable(Type.Integer()),
    warningRef: Nullable(Type.String()),
    attempts: Type.Integer(),
    nextAttemptAt: Nullable(Type.String()),
    lastError: Nullable(Type.String()),
    sentAt: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { description: '一条通知' },
);

export function noticeJson(n: NoticeRow, full: boolean) {
  const address = full ? n.address : n.channel === 'email' ? maskEmail(n.address) : maskPhone(n.address);
  return {
    id: n.id,
    state: n.state,
    stateName: NOTICE_STATE_ZH[n.state] ?? n.state,
    template: n.template,
    templateName: TEMPLATE_ZH[n.template as TemplateCode] ?? n.template,
    recipientRole: n.recipient_role,
    recipientRoleName: RECIPIENT_ROLE_ZH[n.recipient_role] ?? n.recipient_role,
    recipientName: n.recipient_name,
    channel: n.channel,
    channelName: CHANNEL_ZH[n.channel] ?? n.channel,
    address,
    subject: n.subject,
    body: n.body,
    projectId: n.project_id,
    projectCode: n.project_code,
    orderId: n.order_id,
    caseId: n.case_id,
    warningRef: n.warning_ref,
    attempts: n.attempts,
    nextAttemptAt: n.state === 'sent' || n.state === 'gave_up' ? null : n.next_attempt_at,
    lastError: n.last_error,
    sentAt: n.sent_at,
    createdAt: n.created_at,
  };
}

export const noticeRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['notices'],
        summary: '通知发件箱（按状态、项目筛选，分页；最新的在前）',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(STATES.map((s) => Type.Literal(s)), { description: '状态' })),
            project: Type.Optional(Type.String({ maxLength: 64, description: '项目编号' })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(NoticeView, '通知列表'), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      const { page, pageSize, limit, offset } = pageOf(q);
      let projectId: number | undefined;
      if (q.project !== undefined) {
        projectId = await ctx.store.notices.projectIdByCode(q.project);
        if (projectId === undefined) throw new ApiError(404, 'NOT_FOUND', `项目“${q.project}”不存在`);
      }
      const filter = { ...(q.state ? { state: q.state } : {}), ...(projectId !== undefined ? { projectId } : {}) };
      const [rows, total] = await ctx.store.snapshot(async (s) => [await s.notices.page(filter, limit, offset), await s.notices.count(filter)] as const);
      return { items: rows.map((n) => noticeJson(n, request.fullView)), page, pageSize, total };
    },
  );
};
