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
import { findProject, storedAsOf, todayOf, yuanOf } from '../queries.ts';
import { READERS, SUPERVISORS } from '../roles.ts';
import { errorResponses, IsoDateString, Page, PageQuery, pageOf } from '../schemas.ts';
import { WorkerExport, WorkerView } from '../responseSchemas.ts';

/** `{worker}`: the opaque worker id from any list (every role), or — full-view roles only — the 18-digit number. */
export const WorkerParam = Type.Object({
  worker: Type.String({ minLength: 1, maxLength: 40, description: '工人编号（workerId，w_ 开头，见各列表）；科室负责人也可用18位身份证号（限流并记入审计日志）' }),
});

export const workerRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  const sql = ctx.db.$client;

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
      const where = ['superseded_by IS NULL'];
      const params: Record<string, unknown> = { on };
      if (q.project) {
        where.push('project_id = @project');
        params.project = findProject(ctx.db, q.project).id;
      }
      if (q.name) {
        where.push('name = @name');
        params.name = q.name;
      }
      const base = `SELECT id_number, max(name) AS name, count(DISTINCT project_id) AS projects,
                           sum(CASE WHEN exit_date IS NULL OR exit_date >= @on THEN 1 ELSE 0 END) AS active
                      FROM roster_entries WHERE ${where.join(' AND ')} GROUP BY id_number`;
      const total = (sql.prepare(`SELECT count(*) AS n FROM (${base})`).get(params) as { n: number }).n;
      const rows = sql.prepare(`${base} ORDER BY name, id_number LIMIT @limit OFFSET @offset`).all({ ...params, limit, offset }) as Array<{
        id_number: string;
        name: string;
        projects: number;
        active: number;
      }>;
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
      const idNumber = workerNamed(ctx, request, request.params.worker);
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
      const id = workerNamed(ctx, request, request.params.worker);
      const on = request.query.asOf ?? todayOf(ctx.now);
      const stored = storedAsOf(ctx.db, request.query.asOf);

      const roster = sql
        .prepare(
          `SELECT r.*, p.code AS project_code, p.name AS project_name, p.county, e.name AS employer_name
             FROM roster_entries r JOIN projects p ON p.id = r.project_id LEFT JOIN employers e ON e.uscc = r.employer_uscc
            WHERE r.id_number = ? AND r.superseded_by IS NULL ORDER BY r.entry_date, r.id`,
        )
        .all(id) as Array<Record<string, any>>;
      const months = workerWageMonths(ctx.db, id, on);
      if (roster.length === 0 && months.length === 0) throw notFound('该身份证号的工人');

      const worker = sql.prepare('SELECT name FROM workers WHERE id_number = ?').get(id) as { name: string } | undefined;
      const flags = sql
        .prepare(
          `SELECT f.id, f.code, f.severity, f.month, f.amount_fen, f.sentence, p.code AS project_code FROM findings f
             JOIN projects p ON p.id = f.project_id
            WHERE f.as_of = ? AND f.id_number = ? AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = f.fingerprint)
            ORDER BY f.month, f.code`,
        )
        .all(stored, id) as Array<{ id: number; code: string; severity: string; month: string | null; amount_fen: number | null; sentence: string; project_code: string }>;

      return {
        idNumber: id,
        name: worker?.name ?? (roster.at(-1)?.name as string | undefined) ?? null,
        asOf: on,
        storedAsOf: stored,
        roster: roster.map((r) => ({
          id: r.id,
          project: { id: r.project_id, code: r.project_code, name: r.project_name, county: r.county },
          name: r.name,
          employer: { uscc: r.employer_uscc, name: r.employer_name ?? null },
          team: r.team,
          trade: r.trade,
          entryDate: r.entry_date,
          exitDate: r.exit_date,
          contractSigned: r.contract_signed === 1,
          wageBasis: r.wage_basis,
          wageRate: yuanOf(r.wage_rate_fen),
          bankCard: r.bank_card,
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
    },
  );
};
