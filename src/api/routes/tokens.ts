/**
 * 访问令牌 — supervisors issue (POST), list (GET) and revoke (DELETE) API tokens. The secret is shown
 * once, in the answer to POST; only its SHA-256 is stored. Every change is audited (tokens.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { ApiError } from '../errors.ts';
import { ROLES, SUPERVISORS } from '../roles.ts';
import { errorResponses, IdParam, IsoDateString, Nullable, Page, PageQuery, pageOf } from '../schemas.ts';
import { createToken, listTokens, revokeToken, TokenError, tokenStatus, type TokenInfo } from '../tokens.ts';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const TokenOut = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    role: Type.String(),
    createdAt: Type.String(),
    createdBy: Type.String(),
    expiresAt: Nullable(Type.String({ description: '最后有效日（北京时间）' })),
    revokedAt: Nullable(Type.String()),
    uscc: Nullable(Type.String({ description: '施工单位令牌（contractor）绑定的统一社会信用代码' })),
    status: Type.String({ description: 'active / revoked / expired' }),
  },
  { $id: 'Token' },
);

function toApi(e: unknown): never {
  if (e instanceof TokenError) {
    const status = e.code === 'TOKEN_NOT_FOUND' ? 404 : e.code === 'ALREADY_REVOKED' ? 409 : 400;
    throw new ApiError(status, e.code, e.message);
  }
  throw e;
}

export const tokenRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.addSchema(TokenOut);
  const out = (t: TokenInfo) => ({ ...t, status: tokenStatus(t, ctx.now()) });
  const rateLimit = { max: ctx.limits.tokenRequestsPerMinute, timeWindow: 60_000 };

  app.post(
    '',
    {
      config: { roles: SUPERVISORS, rateLimit },
      schema: {
        tags: ['tokens'],
        summary: '签发令牌（令牌只在此次响应中出现一次）',
        body: Type.Object(
          {
            role: Role,
            name: Type.String({ minLength: 1, maxLength: 100, description: '使用人' }),
            expiresAt: Type.Optional(IsoDateString),
            uscc: Type.Optional(Type.String({ maxLength: 18, description: '统一社会信用代码：contractor 必填，其他角色不可填' })),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ...TokenOut.properties, token: Type.String({ description: 'Bearer 令牌，请立即妥善保存' }) }),
          ...errorResponses(400, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const now = ctx.now();
      let created: { id: number; token: string };
      try {
        created = await createToken(ctx.store, {
          role: request.body.role,
          name: request.body.name,
          expiresAt: request.body.expiresAt ?? null,
          reason: request.body.reason ?? null,
          uscc: request.body.uscc ?? null,
          actor: principal.name,
          now,
        });
      } catch (e) {
        toApi(e);
      }
      const info = (await listTokens(ctx.store)).find((t) => t.id === created.id)!;
      return reply.code(201).send({ ...out(info), token: created.token });
    },
  );

  app.get(
    '',
    {
      config: { roles: SUPERVISORS, rateLimit },
      schema: {
        tags: ['tokens'],
        summary: '令牌列表（不含令牌本身）',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Type.Ref('Token')), ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const { page, pageSize, limit, offset } = pageOf(request.query);
      const all = await listTokens(ctx.store);
      return { items: all.slice(offset, offset + limit).map(out), page, pageSize, total: all.length };
    },
  );

  app.delete(
    '/:id',
    {
      config: { roles: SUPERVISORS, rateLimit },
      schema: {
        tags: ['tokens'],
        summary: '吊销令牌',
        params: IdParam,
        querystring: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }),
        response: { 200: Type.Ref('Token'), ...errorResponses(400, 404, 409, 429) },
      },
    },
    async (request) => {
      try {
        return out(await revokeToken(ctx.store, { id: request.params.id, actor: request.principal!.name, now: ctx.now(), reason: request.query.reason ?? null }));
      } catch (e) {
        toApi(e);
      }
    },
  );
};
