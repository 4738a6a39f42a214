/** GET /health — the only route that needs no token: is the process up and the database readable. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { ApiError } from '../errors.ts';

export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: '健康检查（无需令牌）',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok'), time: Type.String(), database: Type.Literal('ok') }) },
      },
    },
    async () => {
      try {
        ctx.db.$client.prepare('SELECT 1').get();
      } catch {
        throw new ApiError(503, 'DATABASE_UNAVAILABLE', '数据库不可用');
      }
      return { status: 'ok' as const, time: ctx.now(), database: 'ok' as const };
    },
  );
};
