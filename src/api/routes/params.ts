/**
 * 法定参数 — GET /api/v1/params?asOf=D (every value in force on D with its source; any role) and
 * POST /api/v1/params/imports (supervisors: add or change dated values, a holiday schedule, a local
 * setting; services/params.ts). A file that does not validate answers 422 with every problem (file, line,
 * reason) and writes nothing. The body is JSON { fileName, content } (content: the YAML or JSON text).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseDate, shanghaiDateOf, type IsoDate } from '../../domain/date.ts';
import { ParamFileError } from '../../rules/params/index.ts';
import { importParams, listParams } from '../../services/params.ts';
import type { RouteContext } from '../../server.ts';
import { ApiError } from '../errors.ts';
import { READERS, SUPERVISORS } from '../roles.ts';
import { errorResponses } from '../schemas.ts';

export const paramRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['params'],
        summary: '某日生效的法定参数及其出处（随程序发布的参数文件叠加本局导入的取值）',
        querystring: Type.Object({ asOf: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '日期，默认今天（北京时间）' })) }),
        response: { 200: Type.Unknown(), ...errorResponses(400) },
      },
    },
    async (request) => {
      const text = request.query.asOf;
      let asOf: IsoDate = shanghaiDateOf(new Date(ctx.now()));
      if (text !== undefined) {
        const p = parseDate(text);
        if (!p.ok) throw new ApiError(400, 'BAD_DATE', `asOf: ${p.reason}`);
        asOf = p.value;
      }
      return listParams(ctx.store, asOf);
    },
  );

  app.post(
    '/imports',
    {
      config: { roles: SUPERVISORS },
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['params'],
        summary: '导入法定参数文件（YAML 或 JSON：参数的新取值、年度放假安排、地方设置），下次重算生效',
        body: Type.Object(
          {
            fileName: Type.String({ minLength: 1, maxLength: 200 }),
            content: Type.String({ minLength: 1, maxLength: 1024 * 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Unknown(), ...errorResponses(400, 422) },
      },
    },
    async (request, reply) => {
      try {
        const result = await importParams(ctx.store, { text: request.body.content, fileName: request.body.fileName, actor: request.principal!.name, now: ctx.now() });
        request.log.info({ importId: result.importId, values: result.values.length, holidayYears: result.holidayYears }, 'params imported');
        return reply.code(201).send(result);
      } catch (e) {
        if (e instanceof ParamFileError) throw new ApiError(422, 'INVALID_PARAM_FILE', `参数文件被拒绝，未写入任何数据（共 ${e.problems.length} 处问题）`, { problems: e.problems });
        throw e;
      }
    },
  );
};
