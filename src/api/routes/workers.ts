/**
 * 农民工 — workers across projects. GET /api/v1/workers lists workers on current rosters (filters:
 * project, name); GET /api/v1/workers/{worker} shows one worker on every project: roster entries,
 * wage months (owed, paid, arrears in fen → yuan) and open flags.
 *
 * `{worker}` is the opaque worker id (`workerId`, `w_…`) every list gives beside the masked identity
 * number; the full identity number is accepted from the roles that may see full numbers only, throttled
 * and audited (src/api/workerLookup.ts) — a masked role cannot test whether a guessed number exists.
 */
import { renderSentence } from '../../domain/sentence.ts';
import type { IsoDate } from '../../domain/date.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { ApiError, notFound } from '../errors.ts';
import { workerWageMonths } from '../ledger.ts';
import { workerNamed } from '../workerLookup.ts';
import { exportWorkerData } from '../../services/personalData.ts';
import { findProject, stayOf, storedAsOf, termsOf, todayOf, yuanOf } from '../queries.ts';
import { READERS, SUPERVISORS } from '../roles.ts';
import { errorResponses, IsoDateString, Page, PageQuery, pageOf } from '../schemas.ts';
import { WorkerExport, WorkerView } from '../responseSchemas.ts';

/** `{worker}`: the opaque worker id from any list (every role), or — full-view roles only — the 18-digit number. */
export const WorkerParam = Type.Object({
  worker: Type.String({ minLength: 1, maxLength: 40, description: '工人编号（workerId，w_ 开头，见各列表）；科室负责人也可用18位身份证号（限流并记入审计日志）' }),
});

export const workerRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {

  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['workers'],
        summary: '工人列表（按现行花名册）',
        querystring: Type.Object({
          ...PageQuery,
          project: Type.Optional(Type.String({ maxLength: 64, description: '项目 id 或项目编号' })),
          name: Type.Optional(Type.String({ maxLength: 50, description: '姓名（完全一致）' })),
        }),
        response: {
          200: Page(Type.Object({ idNumber: Type.String(), workerId: Type.Optional(Type.String()), name: Type.String(), projects: Type.Integer(), activeEntries: Type.Integer() })),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { page, pageSize, limit, offset } = pageOf(q);
      const on = todayOf(ctx.now);
      const projectId = q.project ? (await findProject(ctx.store, q.project)).id : undefined;
      const f = { on, ...(projectId !== undefined ? { projectId } : {}), ...(q.name ? { name: q.name } : {}) };
      const { rows, total } = await ctx.store.snapshot(async (s) => ({ total: await s.workers.count(f), rows: await s.workers.page(f, limit, offset) }));
      return {
        items: rows.map((r) => ({ idNumber: r.id_number, name: r.name, projects: r.projects, activeEntries: r.active })),
        page,
        pageSize,
        total,
      };
    },
  );

  app.get(
    '/:worker/export',
    {
      config: { roles: SUPERVISORS },
      schema: {
        tags: ['workers'],
        summary: '导出一名工人的全部个人信息（科室负责人；须带 X-Full-View: 1 和原因；记入审计日志）',
        params: WorkerParam,
        querystring: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500, description: '导出原因（本人申请、法院调取等）' }) }),
        response: { 200: WorkerExport, ...errorResponses(400, 403, 404) },
      },
    },
    async (request, reply) => {
      // the export's point is the full numbers: asked for explicitly (and audited as a full view as well)
      if (!request.fullView) throw new ApiError(400, 'FULL_VIEW_REQUIRED', '导出个人信息须使用完整视图：请求头 X-Full-View: 1');
      const reason = request.query.reason.trim();
      if (reason === '') throw new ApiError(400, 'REASON_REQUIRED', '请说明导出原因');
      const idNumber = await workerNamed(ctx, request, request.params.worker);
      const result = await exportWorkerData(ctx.store, { idNumber, actor: request.principal!.name, now: ctx.now(), reason });
      if (result.rowCount === 0) throw notFound('该身份证号的工人');
      reply.header('content-disposition', 'attachment; filename="worker-export.json"');
      return result;
    },
  );

  app.get(
    '/:worker',
    {
      config: { roles: READERS },
      schema: {
        tags: ['workers'],
        summary: '一名工人在各项目的情况（花名册、各月工资、未处理预警）',
        params: WorkerParam,
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString) }),
        response: { 200: WorkerView, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const id = await workerNamed(ctx, request, request.params.worker);
      const on = request.query.asOf ?? todayOf(ctx.now);
      return ctx.store.snapshot(async (s) => {
        const stored = await storedAsOf(s, request.query.asOf);
        const roster = await s.workers.roster(id);
        const months = await workerWageMonths(s, id, on);
        if (roster.length === 0 && months.length === 0) throw notFound('该身份证号的工人');
        const name = await s.workers.name(id);
        const flags = stored === null ? [] : await s.flags.openOfWorker(stored, id);

        return {
          idNumber: id,
          name: name ?? roster.at(-1)?.name ?? null,
          asOf: on,
          storedAsOf: stored,
          roster: roster.map((r) => ({
            id: r.id,
            project: { id: r.project_id, code: r.project_code, name: r.project_name, county: r.county },
            name: r.name,
            ...stayOf(r),
            ...termsOf(r),
            bankName: r.bank_name,
            phone: r.phone,
            source: { batchId: r.batch_id, line: r.line },
          })),
          months: months,
          openFlags: flags.map((f) => ({
            id: f.id,
            code: f.code,
            severity: f.severity,
            projectCode: f.project_code,
            month: f.month,
            amount: yuanOf(f.amount_fen),
            sentence: renderSentence(f.sentence, stored as IsoDate),
          })),
        };
      });
    },
  );
};
