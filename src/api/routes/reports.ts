/**
 * 夜间报告 — GET /api/v1/reports lists stored reports; GET /api/v1/reports/{asOf} returns one as stored;
 * GET /api/v1/reports/{asOf}/xlsx the same report as an Excel workbook (reports/xlsx.ts: one sheet per
 * table, typed cells), built from the stored JSON after masking, so it carries what the JSON carries.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { ApiError, notFound } from '../errors.ts';
import { READERS } from '../roles.ts';
import { errorResponses, Page, PageQuery, pageOf } from '../schemas.ts';
import { maskPersonalData } from '../masking.ts';
import type { Report } from '../../reports/model.ts';
import { renderXlsx } from '../../reports/xlsx.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const reportRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['reports'],
        summary: '已生成的夜间报告（新的在前）',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Type.Object({ asOf: Type.String(), createdAt: Type.String(), href: Type.String() })), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { page, pageSize, limit, offset } = pageOf(request.query);
      const { rows, total } = await ctx.store.snapshot(async (s) => ({ total: await s.reportViews.count(), rows: await s.reportViews.page(limit, offset) }));
      return { items: rows.map((r) => ({ asOf: r.asOf, createdAt: r.createdAt, href: `/api/v1/reports/${r.asOf}` })), page, pageSize, total };
    },
  );

  app.get(
    '/:asOf',
    {
      config: { roles: READERS },
      schema: {
        tags: ['reports'],
        summary: '某日的夜间报告（JSON，与 huxin report --format json 相同）；latest 为最新一份',
        params: Type.Object({ asOf: Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2}|latest)$', description: 'YYYY-MM-DD 或 latest' }) }),
        response: {
          200: Type.Object(
            {
              asOf: Type.String(),
              totals: Type.Object({}, { additionalProperties: true }),
              counties: Type.Array(Type.Unknown()),
              projects: Type.Array(Type.Unknown()),
            },
            { additionalProperties: true, description: '报告 JSON（见 INTERFACES.md）' },
          ),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const { asOf } = request.params;
      const row = await ctx.store.reportViews.one(asOf);
      if (!row) throw notFound(asOf === 'latest' ? '夜间报告' : `${asOf} 的夜间报告`);
      // the stored canonical JSON, byte for byte (masking still applies in onSend)
      return reply.type('application/json; charset=utf-8').send(row.json as never);
    },
  );

  app.get(
    '/:asOf/xlsx',
    {
      config: { roles: READERS },
      schema: {
        tags: ['reports'],
        summary: '某日的夜间报告（Excel 工作簿 .xlsx：每张表一个工作表，金额为数字、比率为百分比格式）；latest 为最新一份',
        params: Type.Object({ asOf: Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2}|latest)$', description: 'YYYY-MM-DD 或 latest' }) }),
        response: {
          // documented as the workbook's media type in openapi.ts (WORKBOOK_RESPONSE)
          200: Type.String({ format: 'binary', description: 'Excel 工作簿（.xlsx）' }),
          ...errorResponses(400, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { asOf } = request.params;
      const row = await ctx.store.reportViews.one(asOf);
      if (!row) throw notFound(asOf === 'latest' ? '夜间报告' : `${asOf} 的夜间报告`);
      // the JSON route is masked on the way out (onSend); a workbook is not JSON, so mask before rendering
      const report = maskPersonalData(JSON.parse(row.json)).value as Report;
      let bytes: Buffer;
      try {
        bytes = await renderXlsx(report);
      } catch (e) {
        // a report stored in an older shape lacks tables the workbook needs; its JSON is still served
        request.log.warn({ err: e, asOf: row.asOf }, 'stored report cannot be rendered as a workbook');
        throw new ApiError(409, 'REPORT_SHAPE_OLD', `${row.asOf} 的报告格式较旧，无法生成 Excel 工作簿：可查看其 JSON，或运行 huxin report --as-of ${row.asOf} 重新生成`);
      }
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', `attachment; filename="huxin-report-${row.asOf}.xlsx"`)
        .send(bytes as never);
    },
  );
};
