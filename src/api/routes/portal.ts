/**
 * 施工单位报送门户 — the contractor's API (issue 20): its unit's projects and what is due, templates, the upload
 * through the importer, its own submissions; its projects' open warnings and its answers to them (with
 * evidence files); the signed wage table of a month; its own files — under /api/v1/portal, for the
 * contractor role only. The bureau reads every unit's submissions (with the signed tables of their batches)
 * at GET /api/v1/submissions and downloads a unit's files at GET /api/v1/submissions/files/{id}.
 *
 * Every answer is scoped to the token's unit (its uscc); nothing here takes a unit from the caller, and a
 * project, warning or file of another unit answers like one that does not exist.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { dueProjects, isPortalKind, listSubmissions, PORTAL_KINDS, submitFile, templateCsv, templateXlsx, unitOf } from '../../services/portal/index.ts';
import { bureauFileHref, RESPONSE_ACTIONS, respondToWarning, unitWarning, unitWarnings } from '../../services/portal/answers.ts';
import { attachSignedTable, downloadFile, unitConfirmations } from '../../services/portal/confirmations.ts';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_FILES, checkUpload, cleanFileName, dispositionOf, tooLarge, type CheckedFile } from '../../services/portal/files.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KeyParam } from './warnings.ts';
import { Confirmation, PortalWarning } from './portalSchemas.ts';
import { ApiError } from '../errors.ts';
import { CONTRACTORS, READERS, type Role } from '../roles.ts';
import { errorResponses, Nullable } from '../schemas.ts';

const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const Problem = Type.Object({
  line: Type.Integer({ description: '行号（0 = 整个文件）' }),
  column: Nullable(Type.String()),
  value: Nullable(Type.String()),
  reason: Type.String({ description: '问题（中文）' }),
  hint: Type.String({ description: '怎样改正（中文）' }),
});

export const Submission = Type.Object(
  {
    id: Type.Integer(),
    submittedAt: Type.String({ description: '提交时间（ISO 8601）' }),
    submitter: Type.String({ description: '提交人（令牌使用人）' }),
    uscc: Type.String({ description: '提交单位的统一社会信用代码' }),
    unitName: Nullable(Type.String()),
    kind: Type.String({ description: 'payroll | roster' }),
    fileName: Type.String(),
    status: Type.String({ description: 'accepted（已接收）| rejected（已退回）| duplicate（与已接收文件相同）' }),
    batchId: Nullable(Type.Integer({ description: '接收后形成的导入批次' })),
    problemCount: Type.Integer(),
    problems: Type.Array(Problem),
    projectCodes: Type.Array(Type.String(), { description: '文件中出现的项目编号' }),
    confirmations: Type.Array(Confirmation, { description: '附在该批次各月份上的签字确认工资表（本人签字确认扫描件）' }),
  },
  { $id: 'PortalSubmission', description: '一次报送' },
);

const DueProject = Type.Object({
  code: Type.String(),
  name: Type.String(),
  county: Type.String(),
  relation: Type.String({ description: 'contractor（总承包）| employer（用工单位）' }),
  payrollMonth: Type.String({ description: '应报送工资表的月份（上月）' }),
  payrollDueOn: Type.String({ description: '报送期限（本月工资支付日）' }),
  payrollRows: Type.Integer({ description: '该月已在库的工资表行数' }),
  payrollState: Type.String({ description: 'submitted | due | late | by_contractor（本单位只是用工单位：工资表由总承包单位报送）' }),
});

const SubmitAnswer = Type.Object({
  status: Type.String({ description: 'accepted | duplicate | rejected' }),
  submission: Type.Ref('PortalSubmission'),
  warnings: Type.Optional(Type.Array(Type.String())),
  inserted: Type.Optional(Type.Integer()),
  replaced: Type.Optional(Type.Integer()),
});

const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) });

export const portalRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  const deps = { store: ctx.store, now: ctx.now };

  app.get(
    '/projects',
    {
      config: { roles: CONTRACTORS },
      schema: {
        tags: ['portal'],
        summary: '本单位的项目（总承包或用工单位）及应报送的工资表',
        response: { 200: Type.Object({ uscc: Type.String(), items: Type.Array(DueProject) }) },
      },
    },
    async (request) => {
      const uscc = unitOf(request.principal!);
      return { uscc, items: await dueProjects(deps, uscc) };
    },
  );

  app.get(
    '/submissions',
    {
      config: { roles: CONTRACTORS },
      schema: {
        tags: ['portal'],
        summary: '本单位的报送记录（新的在前）',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('PortalSubmission')) }), ...errorResponses(400) },
      },
    },
    async (request) => ({ items: await listSubmissions(deps, { uscc: unitOf(request.principal!), limit: request.query.limit ?? 100 }) }),
  );

  app.get(
    '/templates/:file',
    {
      config: { roles: CONTRACTORS },
      schema: {
        tags: ['portal'],
        summary: '下载报送模板（payroll.csv、payroll.xlsx、roster.csv、roster.xlsx）',
        params: Type.Object({ file: Type.String({ pattern: '^(payroll|roster)\\.(csv|xlsx)$' }) }),
        response: { 200: Type.String({ format: 'binary', description: '模板文件（CSV 或 .xlsx）' }), ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      unitOf(request.principal!);
      const [kind, ext] = request.params.file.split('.') as [string, string];
      if (!isPortalKind(kind)) throw new ApiError(400, 'INVALID_KIND', '模板只有工资表（payroll）和花名册（roster）');
      const name = `${kind === 'payroll' ? '工资表' : '花名册'}模板.${ext}`;
      reply.header('content-disposition', `attachment; filename="${kind}-template.${ext}"; filename*=UTF-8''${encodeURIComponent(name)}`);
      if (ext === 'csv') return reply.type('text/csv; charset=utf-8').send(templateCsv(kind) as never);
      return reply.type(XLSX_MEDIA_TYPE).send((await templateXlsx(kind)) as never);
    },
  );

  // the upload: raw bytes or one multipart file, like POST /api/v1/imports/{kind}
  const uploadScope: FastifyPluginAsyncTypebox = async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['text/csv', 'application/octet-stream', 'text/plain', XLSX_MEDIA_TYPE], { parseAs: 'buffer', bodyLimit: ctx.limits.importBytes }, (_req, body, done) => done(null, body));
    await scope.register(multipart, { limits: { fileSize: ctx.limits.importBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 } });
    scope.post(
      '/imports/:kind',
      {
        bodyLimit: ctx.limits.importBytes,
        config: { roles: CONTRACTORS, rateLimit: { max: ctx.limits.importsPerMinute, timeWindow: 60_000 } },
        schema: {
          tags: ['portal'],
          summary: '报送工资表或花名册（整个文件接收或整个退回）',
          description:
            '与 POST /api/v1/imports/{kind} 相同的导入程序：CSV 或 .xlsx，请求体为文件本身（文件名放在 fileName）或 multipart 中的一个文件。' +
            '文件中每一行的项目都必须是本单位总承包或用工的项目，否则 403 PROJECT_NOT_YOURS，不写入任何数据（也不记为报送）。' +
            '201 已接收；200 与已接收的文件相同；422 已退回（记为一次报送），details.submission.problems 列出每个问题及改正方法。',
          params: Type.Object({ kind: Type.Union(PORTAL_KINDS.map((k) => Type.Literal(k))) }),
          querystring: Type.Object({ fileName: Type.Optional(Type.String({ maxLength: 1000 })) }),
          consumes: ['text/csv', 'application/octet-stream', XLSX_MEDIA_TYPE, 'multipart/form-data'],
          response: { 200: SubmitAnswer, 201: SubmitAnswer, ...errorResponses(400, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const principal = request.principal!;
        unitOf(principal);
        const { kind } = request.params;
        let bytes: Buffer;
        let fileName: string;
        if (request.isMultipart()) {
          let file;
          try {
            file = await request.file();
          } catch {
            throw new ApiError(400, 'MALFORMED_MULTIPART', 'multipart/form-data 请求体格式错误，无法读取上传的文件');
          }
          if (!file) throw new ApiError(400, 'FILE_MISSING', 'multipart 请求中没有文件');
          bytes = await file.toBuffer();
          fileName = cleanName(file.filename, kind);
        } else {
          if (!Buffer.isBuffer(request.body)) throw new ApiError(400, 'FILE_MISSING', '请求体为空：请上传 CSV 文件或 Excel 工作簿');
          bytes = request.body;
          fileName = cleanName(request.query.fileName, kind);
        }
        const result = await submitFile(deps, principal, { kind, fileName, bytes });
        request.log.info({ kind, status: result.status, submission: result.submission.id }, 'portal submission');
        if (result.status === 'rejected') {
          throw new ApiError(422, 'SUBMISSION_REJECTED', `文件“${fileName}”已退回：发现 ${result.submission.problemCount} 个问题，请按提示逐条改正后重新上传整个文件（未写入任何数据）`, {
            submission: result.submission,
            problems: result.submission.problems,
            warnings: result.warnings,
          });
        }
        if (result.status === 'duplicate') return reply.code(200).send({ status: 'duplicate', submission: result.submission });
        return reply.code(201).send({ status: 'accepted', submission: result.submission, inserted: result.batch.inserted, replaced: result.batch.replaced, warnings: [...result.batch.warnings] });
      },
    );
  };
  await app.register(uploadScope);

  app.get(
    '/warnings',
    {
      config: { roles: CONTRACTORS },
      schema: {
        tags: ['portal'],
        summary: '本单位项目的未销号预警及整改期限、本单位的答复',
        response: { 200: Type.Object({ asOf: Nullable(Type.String()), items: Type.Array(PortalWarning) }) },
      },
    },
    async (request) => unitWarnings(ctx.store, unitOf(request.principal!)),
  );

  app.get(
    '/warnings/:key',
    {
      config: { roles: CONTRACTORS },
      schema: { tags: ['portal'], summary: '本单位项目的一条预警（其他单位的预警与不存在的一样答 404）', params: KeyParam, response: { 200: PortalWarning, ...errorResponses(400, 404) } },
    },
    async (request) => unitWarning(ctx.store, unitOf(request.principal!), request.params.key),
  );

  app.get(
    '/confirmations',
    {
      config: { roles: CONTRACTORS },
      schema: { tags: ['portal'], summary: '本单位上传的工资表签字确认（新的在前）', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(Confirmation) }), ...errorResponses(400) } },
    },
    async (request) => ({ items: await unitConfirmations(ctx.store, unitOf(request.principal!), request.query.limit ?? 100) }),
  );

  app.get(
    '/files/:id',
    {
      config: { roles: CONTRACTORS },
      schema: {
        tags: ['portal'],
        summary: '下载本单位上传的文件（凭证、签字确认工资表；记入审计日志）',
        params: FileId,
        response: { 200: Type.String({ format: 'binary', description: 'PDF、PNG 或 JPEG' }), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => sendFile(reply, await downloadFile(ctx.store, request.principal!, request.params.id, ctx.now())),
  );

  // 附件: multipart with the scans (PDF, PNG, JPEG by their bytes; ATTACHMENT_MAX_BYTES each); nothing is stored unless all pass
  const attachScope: FastifyPluginAsyncTypebox = async (scope) => {
    await scope.register(multipart, { limits: { fileSize: ATTACHMENT_MAX_BYTES, files: ATTACHMENT_MAX_FILES, fields: 10, parts: ATTACHMENT_MAX_FILES + 10, fieldSize: 8 * 1024 } });
    const bodyLimit = ATTACHMENT_MAX_FILES * ATTACHMENT_MAX_BYTES + 1024 * 1024;
    scope.post(
      '/warnings/:key/responses',
      {
        bodyLimit,
        config: { roles: CONTRACTORS, rateLimit: { max: ctx.limits.importsPerMinute, timeWindow: 60_000 } },
        schema: {
          tags: ['portal'],
          summary: '答复预警：做了什么（已支付、已整改、情况说明）并附凭证',
          description:
            `multipart/form-data：字段 action（${RESPONSE_ACTIONS.join(' | ')}）、text（做了什么），以及 1 至 ${ATTACHMENT_MAX_FILES} 个文件（字段名任意，如 evidence）。` +
            `每个文件须为 PDF、PNG 或 JPEG（按文件内容判断，不看文件名），不超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MiB；任何一个不合格则整个答复不保存（415 UNSUPPORTED_FILE_TYPE、413 FILE_TOO_LARGE）。` +
            '答复、凭证和整改闭环的“答复”步骤（记入审计日志）在同一事务中写入；须在住建局指派整改期限之后、销号之前（否则 409 NOT_OPEN）。',
          params: KeyParam,
          consumes: ['multipart/form-data'],
          response: { 201: PortalWarning, ...errorResponses(400, 404, 409, 413, 415) },
        },
      },
      async (request, reply) => {
        const { fields, files } = await readAttachments(request);
        const view = await respondToWarning(ctx.store, request.principal!, request.params.key, { action: fields.action ?? '', text: fields.text ?? '', files }, ctx.now());
        request.log.info({ warning: request.params.key, files: files.length }, 'portal warning answered');
        return reply.code(201).send(view);
      },
    );
    scope.post(
      '/confirmations',
      {
        bodyLimit,
        config: { roles: CONTRACTORS, rateLimit: { max: ctx.limits.importsPerMinute, timeWindow: 60_000 } },
        schema: {
          tags: ['portal'],
          summary: '上传某项目某月经工人本人签字确认的工资表扫描件（随该月被接收的工资表批次保存）',
          description:
            `multipart/form-data：字段 project（项目编号）、month（如 2026-10）和一个文件：PDF、PNG 或 JPEG（按文件内容判断），不超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MiB。` +
            '只有该项目的施工总承包单位可以上传（403 NOT_GENERAL_CONTRACTOR）；该月工资表须已被接收（409 NO_WAGE_TABLE）。不合格的文件不保存任何内容。',
          consumes: ['multipart/form-data'],
          response: { 201: Confirmation, ...errorResponses(400, 404, 409, 413, 415) },
        },
      },
      async (request, reply) => {
        const { fields, files } = await readAttachments(request);
        if (files.length !== 1) throw new ApiError(400, files.length === 0 ? 'FILE_MISSING' : 'TOO_MANY_FILES', '请上传一个文件：该月签字确认的工资表扫描件（多页请合成一个 PDF）');
        const view = await attachSignedTable(ctx.store, request.principal!, { projectCode: (fields.project ?? '').trim(), month: (fields.month ?? '').trim(), file: files[0]! }, ctx.now());
        return reply.code(201).send(view);
      },
    );
  };
  await app.register(attachScope);
};

const FileId = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

/** Who may download a contractor's files on the bureau's side: not the read-only viewer (a scan cannot be masked). */
export const FILE_READERS: readonly Role[] = ['importer', 'inspector', 'supervisor'];

function sendFile(reply: FastifyReply, file: { id: number; fileName: string; mediaType: string; content: Buffer }) {
  return reply
    .type(file.mediaType)
    .header('content-disposition', dispositionOf(file.id, file.fileName, file.mediaType))
    .header('x-content-type-options', 'nosniff')
    .send(file.content);
}

/**
 * Reads a multipart request's fields and files; every file is checked (type by its bytes, size, empty).
 * The whole body is read before the first refusal is thrown, so the client always gets the JSON answer.
 */
async function readAttachments(request: FastifyRequest): Promise<{ fields: Record<string, string>; files: CheckedFile[] }> {
  if (!request.isMultipart()) throw new ApiError(415, 'MULTIPART_REQUIRED', '请以 multipart/form-data 上传文件');
  const fields: Record<string, string> = {};
  const files: CheckedFile[] = [];
  let refusal: unknown = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const name = cleanFileName(part.filename, 'scan');
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw e;
        refusal ??= tooLarge(name);
        continue;
      }
      if (bytes.length === 0 && name === 'scan') continue; // an empty file input sends an empty part
      try {
        files.push(checkUpload({ name, bytes }));
      } catch (e) {
        refusal ??= e;
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') throw new ApiError(400, 'TOO_MANY_FILES', `一次最多上传 ${ATTACHMENT_MAX_FILES} 个文件（未保存任何文件）`);
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge('');
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, 'MALFORMED_MULTIPART', 'multipart/form-data 请求体格式错误，无法读取上传的文件');
  }
  if (refusal) throw refusal;
  return { fields, files };
}

/** The bureau's view: every unit's submissions and their states (GET /api/v1/submissions). */
export const submissionRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  const deps = { store: ctx.store, now: ctx.now };
  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['portal'],
        summary: '施工单位的报送记录及其状态（全部单位，新的在前）',
        querystring: Type.Object({
          ...ListQuery.properties,
          status: Type.Optional(Type.Union([Type.Literal('accepted'), Type.Literal('rejected'), Type.Literal('duplicate')])),
          uscc: Type.Optional(Type.String({ maxLength: 18 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('PortalSubmission')) }), ...errorResponses(400) },
      },
    },
    async (request) => ({
      items: await listSubmissions(deps, { uscc: request.query.uscc ?? null, status: request.query.status ?? null, limit: request.query.limit ?? 100 }, bureauFileHref),
    }),
  );

  app.get(
    '/files/:id',
    {
      config: { roles: FILE_READERS },
      schema: {
        tags: ['portal'],
        summary: '下载施工单位上传的文件（预警答复的凭证、签字确认的工资表；记入审计日志）',
        description: '扫描件无法遮蔽个人信息：只读角色（viewer）不能下载；每次下载记入审计日志（portal_file_download）。',
        params: FileId,
        response: { 200: Type.String({ format: 'binary', description: 'PDF、PNG 或 JPEG' }), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => sendFile(reply, await downloadFile(ctx.store, request.principal!, request.params.id, ctx.now())),
  );
};

function cleanName(raw: string | undefined, kind: string): string {
  return cleanFileName(raw, `${kind}.csv`);
}
