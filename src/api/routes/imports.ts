/**
 * 导入 — POST /api/v1/imports/{kind} takes a CSV file or an Excel workbook (.xlsx, its first sheet) as the
 * raw body (text/csv, the .xlsx media type or application/octet-stream) or as one multipart file; the
 * importer tells them apart by their bytes. GET lists and shows batches.
 *
 * The route is thin: it reads the bytes and calls the same `importFile` service the CLI uses, on the
 * app's store (the importer holds a write transaction while it streams; reads go to the store's readers
 * meanwhile, other writes wait their turn).
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { importFile } from '../../imports/service.ts';
import { IMPORT_KINDS, type BatchSummary, type ImportOutcome } from '../../imports/types.ts';
import type { RouteContext } from '../../server.ts';
import { storedFileName } from '../fileName.ts';
import { ApiError, notFound } from '../errors.ts';
import { IMPORTERS, READERS } from '../roles.ts';
import { errorResponses, IdParam, Page, PageQuery, pageOf } from '../schemas.ts';

const Kind = Type.Union(
  IMPORT_KINDS.map((k) => Type.Literal(k)),
  { description: '文件类型' },
);

const batchProps = {
    id: Type.Integer(),
    kind: Type.String(),
    fileName: Type.String(),
    sha256: Type.String(),
    actor: Type.String(),
    importedAt: Type.String(),
    encoding: Type.String(),
    rowCount: Type.Integer({ description: '读取的数据行数' }),
    inserted: Type.Integer({ description: '写入的行数' }),
    replaced: Type.Integer({ description: '被本批次替换的早先行数' }),
    replacedDetail: Type.Array(Type.Unknown()),
    warnings: Type.Array(Type.String()),
};
export const Batch = Type.Object(batchProps, { $id: 'ImportBatch', description: '导入批次' });
const ImportResult = Type.Object({
  ...batchProps,
  duplicate: Type.Boolean({ description: '同一文件（字节相同）已导入过：未做任何更改，返回的是早先的批次' }),
});

/** The media type of an .xlsx workbook. */
const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const summaryOut = (b: BatchSummary) => ({ ...b, replacedDetail: [...b.replacedDetail], warnings: [...b.warnings] });

/** A file name as recorded on the batch: the last path segment, no control characters, bounded. */
const cleanFileName = (raw: string | undefined, kind: string): string => storedFileName(raw, `${kind}.csv`);

/** Size-limit errors keep their 413; anything else the multipart parser throws is the client's malformed body. */
function malformedMultipart(e: unknown): unknown {
  if (e instanceof ApiError) return e;
  const code = (e as { code?: string }).code ?? '';
  if (/^FST_(REQ_FILE_TOO_LARGE|PARTS_LIMIT|FILES_LIMIT|FIELDS_LIMIT)$/.test(code)) return e;
  return new ApiError(400, 'MALFORMED_MULTIPART', 'multipart/form-data 请求体格式错误，无法读取上传的文件');
}

export const importRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.addSchema(Batch);
  // this scope accepts files only: CSV bytes or a multipart upload (JSON here is 415)
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['text/csv', 'application/octet-stream', 'text/plain', XLSX_MEDIA_TYPE], { parseAs: 'buffer', bodyLimit: ctx.limits.importBytes }, (_req, body, done) =>
    done(null, body),
  );
  await app.register(multipart, {
    limits: { fileSize: ctx.limits.importBytes, files: 1, fields: 10, parts: 11, fieldSize: 64 * 1024 },
  });

  app.post(
    '/:kind',
    {
      bodyLimit: ctx.limits.importBytes,
      config: { roles: IMPORTERS, rateLimit: { max: ctx.limits.importsPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['imports'],
        summary: '导入一个 CSV 文件或 Excel 工作簿（.xlsx）',
        description:
          '请求体为文件本身（Content-Type: text/csv、application/octet-stream 或 .xlsx 的类型；文件名放在查询参数 fileName 或请求头 X-File-Name，可 URL 编码），' +
          '或 multipart/form-data 中的一个文件。CSV 的编码（UTF-8/GB18030）、分隔符、标题行由导入程序自动识别；Excel 工作簿读第一个工作表，行号即 Excel 行号。' +
          '201 新批次；200 同一文件已导入过（duplicate=true）；422 文件有问题，未写入任何数据，details.problems 列出每个问题。',
        params: Type.Object({ kind: Kind }),
        querystring: Type.Object({ fileName: Type.Optional(Type.String({ maxLength: 1000 })) }),
        consumes: ['text/csv', 'application/octet-stream', XLSX_MEDIA_TYPE, 'multipart/form-data'],
        response: {
          200: ImportResult,
          201: ImportResult,
          ...errorResponses(400, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const { kind } = request.params;
      let bytes: Buffer;
      let fileName: string;
      if (request.isMultipart()) {
        try {
          const file = await request.file();
          if (!file) throw new ApiError(400, 'FILE_MISSING', 'multipart 请求中没有文件');
          bytes = await file.toBuffer();
          fileName = cleanFileName(file.filename, kind);
        } catch (e) {
          throw malformedMultipart(e);
        }
      } else {
        if (!Buffer.isBuffer(request.body)) throw new ApiError(400, 'FILE_MISSING', '请求体为空：请把 CSV 文件或 Excel 工作簿作为请求体上传');
        bytes = request.body;
        const header = request.headers['x-file-name'];
        fileName = cleanFileName(request.query.fileName ?? (typeof header === 'string' ? header : undefined), kind);
      }
      if (bytes.length === 0) throw new ApiError(400, 'FILE_MISSING', '上传的文件是空的');

      const principal = request.principal!;
      const at = ctx.now();
      const outcome: ImportOutcome = await importFile(ctx.store, { kind, fileName, source: { buffer: bytes }, actor: principal.name, now: at });

      if (outcome.status === 'rejected') {
        request.log.info({ kind, fileName, problems: outcome.problems.length }, 'import rejected');
        throw new ApiError(
          422,
          'IMPORT_REJECTED',
          `文件“${fileName}”未导入：发现 ${outcome.problems.length} 个问题，请逐条修改后重新上传（未写入任何数据）`,
          { problems: outcome.problems, warnings: outcome.warnings },
        );
      }
      if (outcome.status === 'duplicate') {
        return reply.code(200).send({ ...summaryOut(outcome.batch), duplicate: true });
      }
      // importFile records the audit entry (action 'import') in the import's own transaction
      return reply.code(201).send({ ...summaryOut(outcome.batch), duplicate: false });
    },
  );

  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['imports'],
        summary: '导入批次列表（新的在前）',
        querystring: Type.Object({ ...PageQuery, kind: Type.Optional(Kind) }),
        response: { 200: Page(Type.Ref('ImportBatch')), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { page, pageSize, limit, offset } = pageOf(request.query);
      const { items, total } = await ctx.store.importBatches.page(request.query.kind, limit, offset);
      return { items: items.map(summaryOut), page, pageSize, total };
    },
  );

  app.get(
    '/:id',
    {
      config: { roles: READERS },
      schema: {
        tags: ['imports'],
        summary: '一个导入批次',
        params: IdParam,
        response: { 200: Type.Ref('ImportBatch'), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const batch = await ctx.store.importBatches.get(request.params.id);
      if (!batch) throw notFound(`导入批次 #${request.params.id}`);
      return summaryOut(batch);
    },
  );
};
