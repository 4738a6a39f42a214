/**
 * 审计日志 — GET /api/v1/audit, supervisors only. Read only: no route updates or deletes an entry
 * (PUT/PATCH/DELETE answer 405).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { SUPERVISORS } from '../roles.ts';
import { errorResponses, Nullable, Page, PageQuery, pageOf } from '../schemas.ts';

export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '',
    {
      config: { roles: SUPERVISORS },
      schema: {
        tags: ['audit'],
        summary: '审计日志（新的在前，仅主管可查）',
        querystring: Type.Object({
          ...PageQuery,
          actor: Type.Optional(Type.String({ maxLength: 100 })),
          action: Type.Optional(Type.String({ maxLength: 50, description: 'import, flag_resolve, flag_dismiss, token_create, token_revoke, view_personal_data …' })),
          entity: Type.Optional(Type.String({ maxLength: 50 })),
          entityId: Type.Optional(Type.String({ maxLength: 200 })),
          from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}', description: '起始时间（含），ISO 日期或时间' })),
          to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}', description: '截止时间（不含），ISO 日期或时间' })),
        }),
        response: {
          200: Page(
            Type.Object({
              id: Type.Integer(),
              at: Type.String(),
              actor: Type.String(),
              action: Type.String(),
              entity: Type.String(),
              entityId: Nullable(Type.String()),
              reason: Nullable(Type.String()),
              detail: Type.Unknown(),
            }),
          ),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { page, pageSize, limit, offset } = pageOf(q);
      const { rows, total } = await ctx.store.snapshot((s) => s.audit.page(
        {
          ...(q.actor !== undefined ? { actor: q.actor } : {}),
          ...(q.action !== undefined ? { action: q.action } : {}),
          ...(q.entity !== undefined ? { entity: q.entity } : {}),
          ...(q.entityId !== undefined ? { entityId: q.entityId } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
        },
        limit,
        offset,
      ));
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at,
          actor: r.actor,
          action: r.action,
          entity: r.entity,
          entityId: r.entityId,
          reason: r.reason,
          detail: r.detail,
        })),
        page,
        pageSize,
        total,
      };
    },
  );
};
