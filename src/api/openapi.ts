/**
 * The OpenAPI document (/openapi.json) as a client generates code from it. The routes' own schemas give the
 * parameters, bodies and responses (they also validate and serialize); what is only documentation is added
 * here, to the document alone, so no route's behaviour changes:
 * - the web pages (HTML, cookies, forms) are not part of the API: every route outside /api/ and /health is
 *   hidden (schema.hide);
 * - every operation gets a stable `operationId` (the table below; a route missing from it gets one derived
 *   from its method and path, so the document stays valid, and the test names it);
 * - every operation lists the errors any request can meet (401/403/429 for authenticated routes, 500, 503 for
 *   writes) with the shared error schema, each response a Chinese description instead of "Default Response";
 * - every response and request body has an example (the schema's own, else one built from the schema);
 * - the import's request body (raw CSV bytes or a multipart file, which the route reads itself) is described.
 */
import type { FastifySchema } from 'fastify';

/** operationId by `METHOD /path/{param}` (OpenAPI path syntax). */
export const OPERATION_IDS: Readonly<Record<string, string>> = {
  'GET /health': 'getHealth',
  'POST /api/v1/imports/{kind}': 'importFile',
  'GET /api/v1/imports': 'listImportBatches',
  'GET /api/v1/imports/{id}': 'getImportBatch',
  'GET /api/v1/portal/projects': 'listPortalProjects',
  'GET /api/v1/portal/submissions': 'listPortalSubmissions',
  'GET /api/v1/portal/templates/{file}': 'getPortalTemplate',
  'POST /api/v1/portal/imports/{kind}': 'submitPortalFile',
  'GET /api/v1/portal/warnings': 'listPortalWarnings',
  'GET /api/v1/portal/warnings/{key}': 'getPortalWarning',
  'POST /api/v1/portal/warnings/{key}/responses': 'answerPortalWarning',
  'GET /api/v1/portal/confirmations': 'listPortalConfirmations',
  'POST /api/v1/portal/confirmations': 'attachSignedWageTable',
  'GET /api/v1/portal/files/{id}': 'getPortalFile',
  'GET /api/v1/submissions/files/{id}': 'getSubmittedFile',
  'POST /api/v1/warnings/{key}/responses/{id}/return': 'returnWarningResponse',
  'GET /api/v1/submissions': 'listSubmissions',
  'GET /api/v1/projects': 'listProjects',
  'GET /api/v1/projects/{project}': 'getProject',
  'GET /api/v1/projects/{project}/ledger/{month}': 'getProjectLedger',
  'GET /api/v1/projects/{project}/deposit': 'getProjectDeposit',
  'GET /api/v1/workers': 'listWorkers',
  'GET /api/v1/workers/{worker}': 'getWorker',
  'GET /api/v1/workers/{worker}/full': 'getWorkerFull',
  'GET /api/v1/workers/{worker}/export': 'exportWorker',
  'GET /api/v1/training': 'listTrainingRecords',
  'GET /api/v1/training/projects/{project}': 'getProjectCertifiedShare',
  'GET /api/v1/insurance': 'listInsuranceRecords',
  'GET /api/v1/insurance/coverage': 'getInjuryInsuranceCoverage',
  'GET /api/v1/housing': 'listHousingRecords',
  'GET /api/v1/care': 'listCareRecords',
  'POST /api/v1/care/legal-aid': 'referLegalAid',
  'GET /api/v1/flags': 'listFlags',
  'GET /api/v1/flags/{id}': 'getFlag',
  'GET /api/v1/warnings': 'listWarnings',
  'GET /api/v1/warnings/{key}': 'getWarning',
  'POST /api/v1/warnings/{key}/order': 'orderFromWarning',
  'POST /api/v1/warnings/{key}/case': 'caseFromWarning',
  'POST /api/v1/warnings/{key}/blacklist': 'listingFromWarning',
  'GET /api/v1/warnings/rectifications': 'listRectifications',
  'POST /api/v1/warnings/{key}/assign': 'assignWarning',
  'POST /api/v1/warnings/{key}/close': 'closeWarning',
  'POST /api/v1/flags/{id}/resolve': 'resolveFlag',
  'POST /api/v1/flags/{id}/dismiss': 'dismissFlag',
  'GET /api/v1/reports': 'listReports',
  'GET /api/v1/reports/{asOf}': 'getReport',
  'GET /api/v1/reports/{asOf}/xlsx': 'getReportWorkbook',
  'GET /api/v1/audit': 'listAuditEntries',
  'GET /api/v1/params': 'listParams',
  'POST /api/v1/params/imports': 'importParams',
  'POST /api/v1/tokens': 'createToken',
  'GET /api/v1/tokens': 'listTokens',
  'DELETE /api/v1/tokens/{id}': 'revokeToken',
  'POST /api/v1/orders': 'issueOrder',
  'GET /api/v1/orders': 'listOrders',
  'GET /api/v1/notices': 'listNotices',
  'GET /api/v1/submissions/late': 'listLateSubmissions',
  'GET /api/v1/orders/{id}': 'getOrder',
  'POST /api/v1/orders/{id}/withdraw': 'withdrawOrder',
  'POST /api/v1/cases': 'intakeCase',
  'GET /api/v1/cases': 'listCases',
  'GET /api/v1/cases/{id}': 'getCase',
  'POST /api/v1/cases/{id}/transition': 'transitionCase',
  'POST /api/v1/cases/{id}/accept': 'acceptCase',
  'POST /api/v1/cases/{id}/agreed': 'recordCaseAgreedAmount',
  'POST /api/v1/cases/{id}/payments': 'recordCasePayment',
  'GET /api/v1/cases/{id}/evidence-pack': 'getCaseEvidencePack',
  'GET /api/v1/blacklist': 'listBlacklistProcedures',
  'POST /api/v1/blacklist': 'proposeBlacklisting',
  'GET /api/v1/blacklist/changes': 'listBlacklistChanges',
  'GET /api/v1/blacklist/{id}': 'getBlacklistProcedure',
  'POST /api/v1/blacklist/incidents': 'recordArrearsIncident',
  'POST /api/v1/blacklist/{id}/notice': 'recordBlacklistNotice',
  'POST /api/v1/blacklist/{id}/statement': 'recordBlacklistStatement',
  'POST /api/v1/blacklist/{id}/correction': 'recordBlacklistCorrection',
  'POST /api/v1/blacklist/{id}/decision': 'decideBlacklisting',
  'POST /api/v1/blacklist/{id}/publish': 'publishBlacklisting',
  'POST /api/v1/blacklist/{id}/removal-application': 'applyForBlacklistRemoval',
  'POST /api/v1/blacklist/{id}/removal-decision': 'decideBlacklistRemoval',
  'POST /api/v1/blacklist/{id}/removal': 'removeFromBlacklist',
  'POST /api/v1/blacklist/{id}/restore': 'restoreBlacklisting',
  'POST /api/v1/blacklist/{id}/revoke': 'revokeBlacklisting',
  'POST /api/v1/blacklist/{id}/default-again': 'recordDefaultAgain',
  'POST /api/v1/blacklist/{id}/criminal-case': 'recordCriminalCase',
  'POST /api/v1/blacklist/{id}/persons': 'recordListedPersons',
};

/** Whether a route belongs to the JSON API (documented) rather than the web pages. */
export const isApiRoute = (url: string): boolean => url === '/health' || url.startsWith('/api/');

/** @fastify/swagger `transform`: hides every route that is not the API (the pages, /openapi.json itself). */
export function hideNonApiRoutes({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  return isApiRoute(url) ? { schema, url } : { schema: { ...(schema ?? {}), hide: true } as FastifySchema, url };
}

const ERROR_DESCRIPTIONS: Readonly<Record<string, string>> = {
  '400': '请求不符合要求（VALIDATION_FAILED、MALFORMED_JSON 等），details 说明哪一项',
  '401': '缺少令牌或令牌无效、已过期、已吊销（UNAUTHENTICATED、INVALID_TOKEN）',
  '403': '该角色无权执行此操作（FORBIDDEN）',
  '404': '所指的对象不存在（NOT_FOUND）',
  '409': '与当前状态冲突（例如 TRANSITION_FORBIDDEN：案件阶段不允许此转换）',
  '413': '请求体过大（PAYLOAD_TOO_LARGE）',
  '415': '不支持的内容类型（UNSUPPORTED_MEDIA_TYPE）',
  '422': '内容不符合业务规则，未写入任何数据；details 列出每个问题',
  '429': '请求过于频繁或认证失败次数过多（RATE_LIMITED、TOO_MANY_FAILED_LOGINS），按 Retry-After 重试',
  '500': '服务器内部错误（INTERNAL_ERROR），请提供 requestId 联系管理员',
  '503': '数据库忙（DATABASE_BUSY）或不可用，按 Retry-After 重试',
};

const ERROR_EXAMPLES: Readonly<Record<string, { code: string; message: string }>> = {
  '400': { code: 'VALIDATION_FAILED', message: '请求体不符合要求：/reason must NOT have fewer than 1 characters' },
  '401': { code: 'UNAUTHENTICATED', message: '需要认证：请在 Authorization 请求头中提供 Bearer 令牌' },
  '403': { code: 'FORBIDDEN', message: '当前角色（viewer）无权访问该接口' },
  '404': { code: 'NOT_FOUND', message: '案件 #9不存在' },
  '409': { code: 'TRANSITION_FORBIDDEN', message: '案件当前阶段不允许转入该阶段' },
  '413': { code: 'PAYLOAD_TOO_LARGE', message: '请求体过大，超过了允许的大小' },
  '415': { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型（Content-Type）' },
  '422': { code: 'IMPORT_REJECTED', message: '文件被拒绝，未写入任何数据（共 2 处问题）' },
  '429': { code: 'RATE_LIMITED', message: '请求过于频繁，请在 60 秒后再试' },
  '500': { code: 'INTERNAL_ERROR', message: '服务器内部错误，请联系管理员并提供请求编号' },
  '503': { code: 'DATABASE_BUSY', message: '数据库正忙，请稍后重试' },
};

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** @fastify/swagger `transformObject`: completes the generated document (see the file comment). */
export function completeDocument({ openapiObject }: { openapiObject: Json }): Json {
  const doc = openapiObject;
  const schemas: Json = doc.components?.schemas ?? {};
  const errorRef = { $ref: '#/components/schemas/ErrorResponse' };
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op: Json | undefined = item[method];
      if (!op) continue;
      const key = `${method.toUpperCase()} ${path}`;
      op.operationId ??= OPERATION_IDS[key] ?? derivedOperationId(method, path);
      if (key === 'POST /api/v1/imports/{kind}' || key === 'POST /api/v1/portal/imports/{kind}') op.requestBody = IMPORT_BODY;
      if (key === 'GET /api/v1/reports/{asOf}/xlsx') (op.responses ??= {})['200'] = WORKBOOK_RESPONSE;
      if (ATTACHMENT_BODIES[key]) op.requestBody = ATTACHMENT_BODIES[key];
      if (key === 'GET /api/v1/portal/files/{id}' || key === 'GET /api/v1/submissions/files/{id}') (op.responses ??= {})['200'] = SCAN_RESPONSE;

      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      const responses: Json = (op.responses ??= {});
      const add = (code: string) => (responses[code] ??= { description: '', content: { 'application/json': { schema: errorRef } } });
      if (!isPublic) ['401', '403', '429'].forEach(add);
      if (op.parameters?.length || op.requestBody) add('400');
      add('500');
      if (method !== 'get') add('503');

      for (const [code, response] of Object.entries<Json>(responses)) {
        const error = !code.startsWith('2');
        if (error || !response.description || response.description === 'Default Response' || response.description.startsWith('错误 —')) {
          response.description = error ? (ERROR_DESCRIPTIONS[code] ?? '错误') : code === '201' ? '已创建' : '成功';
        }
        for (const [type, media] of Object.entries<Json>(response.content ?? {})) {
          if (media.example !== undefined || media.examples !== undefined) continue;
          if (error && EXAMPLES[key]?.[code]) media.example = EXAMPLES[key][code];
          else if (error) media.example = { error: { ...(ERROR_EXAMPLES[code] ?? { code: 'BAD_REQUEST', message: '请求无效' }), requestId: 'req-1a' } };
          else if (type.includes('json')) media.example = EXAMPLES[key]?.[code] ?? exampleOf(media.schema, schemas);
          else if (type.startsWith('text/')) media.example = type === 'text/html' ? '<!doctype html><html lang="zh-CN">…</html>' : '…';
        }
      }
      for (const media of Object.values<Json>(op.requestBody?.content ?? {})) {
        if (media.example === undefined && media.examples === undefined && media.schema) media.example = exampleOf(media.schema, schemas);
      }
    }
  }
  return doc;
}

function derivedOperationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1/, '')
    .split(/[/\-{}]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return `${method}${words.join('')}`;
}

/** The report workbook's answer: the bytes of an .xlsx file (the route's schema says only "a string"). */
const WORKBOOK_RESPONSE = {
  description: '成功：Excel 工作簿（.xlsx），每张表一个工作表',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' }, example: '（二进制 .xlsx 文件）' },
  },
};

/** Hand-written examples where a built one would say little (INTERFACES.md's report, an import's batch). */
const EXAMPLES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'GET /api/v1/params': {
    '200': {
      asOf: '2027-01-20',
      params: [
        {
          parameter: 'depositCap',
          label: '工资保证金单个项目存储上限（河北）',
          description: '单个工程工资保证金存储金额上限（河北500万元）',
          unit: '元',
          value: '5000000.00',
          from: '2022-03-04',
          to: null,
          source: { document: '河北省工程建设领域农民工工资保证金实施办法（冀人社规〔2022〕3号）', article: '第二章 工资保证金存储（条文序号待核对）', verified: true },
          origin: 'params/deposit/depositCap.yaml:7',
          valueCount: 1,
        },
      ],
      holidays: [{ year: 2026, restDays: [['2026-01-01', '2026-01-03']], makeUpWorkDays: ['2026-01-04'], source: { document: '国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）', verified: true }, origin: 'params/holidays/2026.yaml', inForce: false }],
      missingHolidayYears: [{ year: 2027, message: '2027年放假安排未录入：该年日期按周末计算（周六、周日休息），为暂定日期；录入当年放假通知后重算即更正' }],
    },
  },
  'POST /api/v1/params/imports': {
    '201': { importId: 1, fileName: 'holidays-2027.yaml', values: [], holidayYears: [2027] },
    '422': { error: { code: 'INVALID_PARAM_FILE', message: '参数文件被拒绝，未写入任何数据（共 1 处问题）', details: { problems: [{ file: 'holidays-2027.yaml', line: 7, reason: '调休上班日期 2027-02-15 不是周六或周日（本来就是工作日，请核对通知）' }] }, requestId: 'req-1a' } },
  },
  'GET /api/v1/reports/{asOf}': {
    '200': {
      asOf: '2026-11-28',
      warnings: [],
      totals: { arrears: '12400.00', workersInArrears: 5, projectsInArrears: 2, estimatedExposure: '0.00' },
      counties: [{ county: '信都区', arrears: '8400.00', workersInArrears: 3, projectsInArrears: 1 }],
      projects: [{ projectCode: 'XT-2026-001', county: '信都区', arrears: '8400.00', workersInArrears: 3, oldestOverdueDays: 44, estimatedExposure: '0.00', flags: { WAGE_UNPAID: 2, PAID_OUTSIDE_ACCOUNT: 1 } }],
    },
  },
  'POST /api/v1/imports/{kind}': {
    '201': { id: 3, kind: 'payroll', fileName: '2026年10月工资表.csv', sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', actor: 'api:钱导入', importedAt: '2026-11-28T02:00:00.000Z', encoding: 'gb18030', rowCount: 120, inserted: 120, replaced: 0, replacedDetail: [], warnings: ['第1行是标题行，已跳过'], duplicate: false },
    '200': { id: 3, kind: 'payroll', fileName: '2026年10月工资表.csv', sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', actor: 'api:钱导入', importedAt: '2026-11-28T02:00:00.000Z', encoding: 'gb18030', rowCount: 120, inserted: 120, replaced: 0, replacedDetail: [], warnings: [], duplicate: true },
    '422': {
      error: {
        code: 'IMPORT_REJECTED',
        message: '文件“2026年10月工资表.csv”未导入：发现 1 个问题，请逐条修改后重新上传（未写入任何数据）',
        details: { problems: [{ line: 7, column: '实发工资', reason: '实发工资 6500.00 不等于 应发工资 6600.00 − 代扣款项 0.00' }], warnings: [] },
        requestId: 'req-1a',
      },
    },
  },
};

const IMPORT_BODY = {
  required: true,
  description: '要导入的文件：原样作为请求体（CSV 文本，UTF-8 或 GB18030 编码均可；或 Excel 工作簿 .xlsx，读第一个工作表），或 multipart/form-data 中名为 file 的一个文件。',
  content: {
    'text/csv': { schema: { type: 'string', format: 'binary' }, example: '项目编号,身份证号,姓名,月份,应发工资,代扣款项,实发工资\nXT-2026-001,130503199001010012,钱云,2026-10,8400.00,0.00,8400.00\n' },
    'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' }, example: '（二进制 .xlsx 文件）' },
    'multipart/form-data': {
      schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: '文件（文件名记入批次）' } } },
    },
  },
};

/** The portal's scans (PDF, PNG, JPEG told by their bytes; 10 MiB each), read by the routes themselves. */
const SCAN = { type: 'string', format: 'binary', description: 'PDF、PNG 或 JPEG 扫描件（按文件内容判断），每个不超过 10 MiB' };
const ATTACHMENT_BODIES: Readonly<Record<string, Json>> = {
  'POST /api/v1/portal/warnings/{key}/responses': {
    required: true,
    description: '答复及凭证（multipart/form-data）：任何一个文件不合格，整个答复不保存。',
    content: {
      'multipart/form-data': {
        schema: {
          type: 'object',
          required: ['action', 'text', 'evidence'],
          properties: {
            action: { type: 'string', enum: ['paid', 'rectified', 'explained'], description: 'paid 已支付 / rectified 已整改 / explained 情况说明' },
            text: { type: 'string', maxLength: 2000, description: '做了什么（何时、怎样改正或支付、转账流水号等）' },
            evidence: { type: 'array', items: SCAN, minItems: 1, maxItems: 5, description: '凭证，1 至 5 个文件' },
          },
        },
      },
    },
  },
  'POST /api/v1/portal/confirmations': {
    required: true,
    description: '某项目某月经工人本人签字确认的工资表扫描件（multipart/form-data）。',
    content: {
      'multipart/form-data': {
        schema: {
          type: 'object',
          required: ['project', 'month', 'file'],
          properties: { project: { type: 'string', description: '项目编号' }, month: { type: 'string', pattern: '^\\d{4}-\\d{2}$', description: '工资月份' }, file: SCAN },
        },
      },
    },
  },
};
const SCAN_RESPONSE = {
  description: '成功：文件原样（下载记入审计日志）',
  content: Object.fromEntries(['application/pdf', 'image/png', 'image/jpeg'].map((t) => [t, { schema: { type: 'string', format: 'binary' }, example: '（二进制文件）' }])),
};

/** Example strings by property name, so a built example reads like the real thing. */
const BY_NAME: Readonly<Record<string, string>> = {
  idNumber: '130503********0012',
  name: '钱云',
  projectCode: 'XT-2026-001',
  code: 'XT-2026-001',
  county: '信都区',
  month: '2026-10',
  uscc: '91130500MA0000001X',
  employerUscc: '91130500MA0000001X',
  employerName: '邢台市建工集团有限公司',
  fileName: '2026年10月工资表.csv',
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  kind: 'payroll',
  actor: 'api:钱导入',
  createdBy: 'api:赵监察',
  reason: '工人投诉，经核实',
  sentence: '钱云 2026年10月工资应于2026-11-13前支付8400.00元，截至2026-11-28未支付，已逾期15天（《保障农民工工资支付条例》第十二条）',
  importedAt: '2026-11-28T02:00:00.000Z',
  createdAt: '2026-11-28T02:00:00.000Z',
  at: '2026-11-28T02:00:00.000Z',
  encoding: 'gb18030',
  requestId: 'req-1a',
};

/** An example value built from a schema: its own example, default, const or first enum value, else by type. */
export function exampleOf(schema: unknown, schemas: Json, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 12) return null;
  const s = schema as Json;
  if (typeof s.$ref === 'string') return exampleOf(schemas[s.$ref.replace('#/components/schemas/', '')], schemas, depth + 1);
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const alternatives = s.anyOf ?? s.oneOf;
  if (Array.isArray(alternatives)) {
    const first = alternatives.find((a: Json) => a?.type !== 'null') ?? alternatives[0];
    return exampleOf(first, schemas, depth + 1);
  }
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((a: unknown) => exampleOf(a, schemas, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries<unknown>(s.properties ?? {}).map(([k, v]) => {
          const plain = (v as Json)?.type === 'string' && (v as Json).example === undefined && !(v as Json).examples && !(v as Json).enum && !(v as Json).format;
          return [k, plain && k in BY_NAME ? BY_NAME[k] : exampleOf(v, schemas, depth + 1)];
        }),
      );
    case 'array':
      return s.items ? [exampleOf(s.items, schemas, depth + 1)] : [];
    case 'integer':
      return typeof s.minimum === 'number' ? Math.max(1, s.minimum) : 1;
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'date' || /\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(s.pattern ?? '')) return '2026-11-28';
      if (s.format === 'date-time') return '2026-11-28T02:00:00.000Z';
      if (s.format === 'binary') return '…';
      return s.description ? String(s.description).slice(0, 40) : '文本';
    default:
      return s.properties ? exampleOf({ ...s, type: 'object' }, schemas, depth + 1) : null;
  }
}
