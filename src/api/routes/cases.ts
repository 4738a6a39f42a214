/**
 * 欠薪案件 — wage cases: intake linked to worker-months (routed with its reasons), the lawful transitions
 * only (409 with a Chinese message for any other), acceptance, amounts agreed and paid to the workers, and the
 * evidence pack (JSON, or printable HTML) for the arbitration committee or court. Identity numbers are masked
 * as everywhere; a supervisor's full view is audited.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { acceptCase, caseView, caseViews, intakeCase, recordAgreed, recordPaid, transitionCase } from '../../services/enforcement/cases.ts';
import { buildEvidencePack, renderEvidencePackHtml } from '../../services/enforcement/evidencePack.ts';
import { enqueueCaseNotices, queueAfter } from '../../services/notices/outbox.ts';
import { appendAudit } from '../audit.ts';
import { ApiError } from '../errors.ts';
import { maskText } from '../masking.ts';
import { assertFingerprintsAllowed, fullViewReasonOf, workerNamed } from '../workerLookup.ts';
import { actorOf, asOfOf, fenOf, run } from '../enforcement.ts';
import { READERS, REVIEWERS } from '../roles.ts';
import { errorResponses, IdParam, IsoDateString, Money, MonthString } from '../schemas.ts';
import { CaseList, CaseView, EvidencePack } from '../responseSchemas.ts';
import { CASE_STAGES } from '../../rules/cases.ts';

const Reason = Type.String({ minLength: 1, maxLength: 2000, description: '理由（记入案件记录和审计日志）' });
const AsOfQuery = Type.Object({ asOf: Type.Optional(IsoDateString) });
const WorkerId = Type.String({ minLength: 1, maxLength: 40, description: '工人编号（workerId，w_ 开头，见各列表）' });

export const caseRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.post(
    '',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['enforcement'],
        summary: '登记欠薪案件（关联工人月度，自动分流并说明理由）',
        body: Type.Object(
          {
            findingIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), { maxItems: 2000 })),
            fingerprints: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 2000 })),
            items: Type.Optional(Type.Array(Type.Object({ project: Type.String({ maxLength: 64 }), worker: Type.Optional(WorkerId), idNumber: Type.Optional(Type.String({ pattern: '^\\d{17}[\\dXx]$', description: '仅科室负责人；其他角色用 worker' })), month: MonthString }, { additionalProperties: false }), { maxItems: 2000 })),
            filedOn: Type.Optional(IsoDateString),
            reason: Reason,
            title: Type.Optional(Type.String({ maxLength: 200 })),
            employerUscc: Type.Optional(Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' })),
            circumstances: Type.Optional(
              Type.Object(
                {
                  employerAbsconded: Type.Optional(Type.Boolean({ description: '用人单位逃匿' })),
                  writtenIou: Type.Optional(Type.Boolean({ description: '持有工资欠条' })),
                  willingToMediate: Type.Optional(Type.Boolean({ description: '双方同意调解' })),
                  enforceableTitle: Type.Optional(Type.Boolean({ description: '已有生效法律文书' })),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: CaseView, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      assertFingerprintsAllowed(request, request.body.fingerprints);
      const filedOn = request.body.filedOn ?? asOfOf({}, ctx.now);
      // each item names its worker by opaque id (or, full-view roles only, by number): no answer confirms a guessed number
      const items = request.body.items
        ? await Promise.all(
            request.body.items.map(async (i) => {
              const named = i.worker ?? i.idNumber;
              if (named === undefined) throw new ApiError(400, 'WORKER_REQUIRED', '每一项须指明工人：worker（工人编号）');
              return { project: i.project, idNumber: await workerNamed(ctx, request, named), month: i.month };
            }),
          )
        : undefined;
      const { items: _named, ...rest } = request.body;
      const id = await run(() => intakeCase(ctx.store, { ...rest, ...(items ? { items } : {}), filedOn }, actorOf(request), ctx.now()));
      await queueAfter(request.log, `case ${id}`, () => enqueueCaseNotices(ctx.store, id, ctx.now()));
      return reply.code(201).send(await run(() => caseView(ctx.store, id, filedOn as never)));
    },
  );

  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['enforcement'],
        summary: '案件列表（含当前阶段的法定期限）',
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString), stage: Type.Optional(Type.Union(CASE_STAGES.map((s) => Type.Literal(s)))), employer: Type.Optional(Type.String({ maxLength: 18 })) }),
        response: { 200: CaseList, ...errorResponses(400) },
      },
    },
    async (request) => {
      const asOf = asOfOf(request.query, ctx.now);
      const filter = { ...(request.query.stage ? { stage: request.query.stage } : {}), ...(request.query.employer ? { employerUscc: request.query.employer } : {}) };
      return { asOf, items: await run(() => ctx.store.snapshot((s) => caseViews(s, filter, asOf))) };
    },
  );

  app.get(
    '/:id',
    { config: { roles: READERS }, schema: { tags: ['enforcement'], summary: '一个案件：阶段、期限、分流理由、金额、记录', params: IdParam, querystring: AsOfQuery, response: { 200: CaseView, ...errorResponses(400, 404) } } },
    async (request) => run(() => ctx.store.snapshot((s) => caseView(s, request.params.id, asOfOf(request.query, ctx.now)))),
  );

  app.post(
    '/:id/transition',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['enforcement'],
        summary: '案件转入下一阶段（只允许法律规定的转换，否则 409）',
        params: IdParam,
        body: Type.Object(
          {
            to: Type.String({ maxLength: 40, description: `目标阶段：${CASE_STAGES.join(' / ')}` }),
            on: Type.Optional(IsoDateString),
            reason: Reason,
            finalAward: Type.Optional(Type.Boolean()),
            procedure: Type.Optional(Type.Union([Type.Literal('simplified'), Type.Literal('small_claims')])),
            agreedAmount: Type.Optional(Money),
            performanceDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'awarded / judged: 履行期间（生效之日起N日内），申请执行期间自其最后一日起算（民事诉讼法第二百五十条）' })),
            performanceDueOn: Type.Optional({ ...IsoDateString, description: 'awarded / judged: 法律文书写明的履行期间最后一日（分期履行的为最后一期）' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: CaseView, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => {
      const b = request.body;
      const on = b.on ?? asOfOf({}, ctx.now);
      await run(() =>
        transitionCase(
          ctx.store,
          request.params.id,
          { to: b.to, on, reason: b.reason, ...(b.finalAward !== undefined ? { finalAward: b.finalAward } : {}), ...(b.procedure ? { procedure: b.procedure } : {}), ...(b.agreedAmount ? { agreedAmount: fenOf(b.agreedAmount, 'agreedAmount') } : {}), ...(b.performanceDays !== undefined ? { performanceDays: b.performanceDays } : {}), ...(b.performanceDueOn ? { performanceDueOn: b.performanceDueOn } : {}) },
          actorOf(request),
          ctx.now(),
        ),
      );
      return run(() => caseView(ctx.store, request.params.id, on as never));
    },
  );

  app.post(
    '/:id/accept',
    {
      config: { roles: REVIEWERS },
      schema: { tags: ['enforcement'], summary: '记录受理（仲裁委、监察机构、法院），开始计算下一期限', params: IdParam, body: Type.Object({ on: Type.Optional(IsoDateString), reason: Reason }, { additionalProperties: false }), response: { 200: CaseView, ...errorResponses(400, 404, 409, 422) } },
    },
    async (request) => {
      const on = request.body.on ?? asOfOf({}, ctx.now);
      await run(() => acceptCase(ctx.store, request.params.id, { on, reason: request.body.reason }, actorOf(request), ctx.now()));
      return run(() => caseView(ctx.store, request.params.id, on as never));
    },
  );

  app.post(
    '/:id/agreed',
    {
      config: { roles: REVIEWERS },
      schema: { tags: ['enforcement'], summary: '记录约定金额（调解协议、裁决、判决、和解确定的金额）', params: IdParam, body: Type.Object({ amount: Money, on: Type.Optional(IsoDateString), reason: Reason }, { additionalProperties: false }), response: { 200: CaseView, ...errorResponses(400, 404, 409) } },
    },
    async (request) => {
      const on = request.body.on ?? asOfOf({}, ctx.now);
      await run(() => recordAgreed(ctx.store, request.params.id, { amount: fenOf(request.body.amount, 'amount'), on, reason: request.body.reason }, actorOf(request), ctx.now()));
      return run(() => caseView(ctx.store, request.params.id, on as never));
    },
  );

  app.post(
    '/:id/payments',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['enforcement'],
        summary: '记录实际支付到工人本人的金额（附银行流水号）',
        params: IdParam,
        body: Type.Object({ amount: Money, on: Type.Optional(IsoDateString), reason: Reason, worker: Type.Optional(WorkerId), idNumber: Type.Optional(Type.String({ pattern: '^\\d{17}[\\dXx]$', description: '仅科室负责人；其他角色用 worker' })), bankRef: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: CaseView, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => {
      const b = request.body;
      const on = b.on ?? asOfOf({}, ctx.now);
      const named = b.worker ?? b.idNumber;
      const idNumber = named === undefined ? undefined : await workerNamed(ctx, request, named);
      await run(() => recordPaid(ctx.store, request.params.id, { amount: fenOf(b.amount, 'amount'), on, reason: b.reason, ...(idNumber ? { idNumber } : {}), ...(b.bankRef ? { bankRef: b.bankRef } : {}) }, actorOf(request), ctx.now()));
      return run(() => caseView(ctx.store, request.params.id, on as never));
    },
  );

  app.get(
    '/:id/evidence-pack',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['enforcement'],
        summary: '证据包：工资台账、花名册、工资表、发放记录（银行流水号）、专户支出、预警及法条（JSON 文件或可打印 HTML）',
        params: IdParam,
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString), format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')], { default: 'json' })) }),
        response: {
          200: { description: '证据包：JSON 文件（format=json）或可打印 HTML（format=html）', content: { 'application/json': { schema: EvidencePack }, 'text/html': { schema: Type.String() } } },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const asOf = asOfOf(request.query, ctx.now);
      const pack = await run(() => ctx.store.snapshot((s) => buildEvidencePack(s, request.params.id, asOf)));
      const name = `case-${request.params.id}-evidence-${asOf}`;
      const actor = actorOf(request);
      const reason = fullViewReasonOf(request);
      await appendAudit(ctx.store, { at: ctx.now(), actor: actor.name, action: 'case_evidence_pack', entity: 'wage_case', entityId: request.params.id, reason, detail: { asOf, format: request.query.format ?? 'json', fullView: request.fullView, tokenId: actor.tokenId } });
      if (request.query.format === 'html') {
        // JSON answers are masked (and full views audited) by the access hook; HTML is masked here, and its
        // full view audited here as a personal-data view with its reason (issue 15, finding 7)
        if (request.fullView) {
          await appendAudit(ctx.store, {
            at: ctx.now(),
            actor: actor.name,
            action: 'view_personal_data',
            entity: 'http_response',
            entityId: String(request.id),
            reason,
            detail: { method: request.method, url: maskText(request.url), format: 'html', case: request.params.id, tokenId: actor.tokenId },
          });
        }
        return reply
          .header('content-disposition', `inline; filename="${name}.html"`)
          .type('text/html; charset=utf-8')
          .send(renderEvidencePackHtml(pack, request.fullView));
      }
      return reply.header('content-disposition', `attachment; filename="${name}.json"`).type('application/json; charset=utf-8').send(JSON.stringify(pack, null, 2));
    },
  );
};
