/**
 * 关联台账 — the linked registries over HTTP (issue 7; docs/REGISTRIES.md):
 *
 * - GET /api/v1/training, /training/projects/{project} (share of certified workers per trade)
 * - GET /api/v1/insurance, /insurance/coverage (work-injury coverage rates as of D, as in the nightly report)
 * - GET /api/v1/housing (workers with honours first)
 * - GET /api/v1/care — sensitive (family members, children, legal aid): inspectors and supervisors only
 * - POST /api/v1/care/legal-aid — an inspector opening a wage case refers the worker to legal aid; audited
 * - GET /api/v1/workers/{worker}/full — one worker joined: projects, wage months, open flags, cases (when
 *   the enforcement tables exist), every registry; the care part only for the roles that may read care records
 *
 * Writes come in through the importer (audited there) or the legal-aid route (audited here). Identity numbers
 * are masked by the central onSend hook like everywhere else.
 */
import { renderSentence } from '../../domain/sentence.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { IsoDate } from '../../domain/date.ts';
import type { FastifyRequest } from 'fastify';
import type { IdNumber } from '../../domain/idNumber.ts';
import { bool } from '../../store/sql.ts';
import { careKeyOf, careValues, CARE_COLUMNS_SQL } from '../../registries/care/import.ts';
import type { Store } from '../../store/store.ts';
import { CARE_KIND, CARE_STATUS, HOUSING_STATUS, INSURANCE_KIND } from '../../registries/enums.ts';
import { careOut, certifiedShare, housingOut, insuranceOut, trainingOut } from '../../registries/queries.ts';
import { coversFor, injuryInsuranceCoverage, onSiteSpan, uncoveredSpans, type InjuryCoverageFact } from '../../rules/index.ts';
import type { RouteContext } from '../../server.ts';
import { appendAudit } from '../audit.ts';
import { ApiError, notFound } from '../errors.ts';
import { workerWageMonths } from '../ledger.ts';
import { workerNamed } from '../workerLookup.ts';
import { WorkerParam } from './workers.ts';
import { findProject, stayOf, storedAsOf, termsOf, todayOf, yuanOf } from '../queries.ts';
import { READERS, REVIEWERS, type Role } from '../roles.ts';
import { errorResponses, IsoDateString, Page, PageQuery, pageOf } from '../schemas.ts';
import { CareRecord, CertifiedShare, HousingRecord, InjuryCoverage, InsuranceRecord, TrainingRecord, WorkerFull } from '../responseSchemas.ts';

/**
 * Who may read care records: inspectors (legal aid belongs to their wage cases) and supervisors. Not the
 * viewer (issue 7), and not the importer either: a clerk loads the files but has no case work that needs
 * a worker's children and family — least privilege.
 */
export const CARE_READERS: readonly Role[] = ['inspector', 'supervisor'];

const IdNumberQuery = Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '18位身份证号（仅科室负责人；限流并记入审计日志）' }));
const WorkerQuery = Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '工人编号（workerId，w_ 开头，见各列表）' }));
const ProjectQuery = Type.Optional(Type.String({ maxLength: 64, description: '项目 id 或项目编号' }));
const enumOf = (words: Readonly<Record<string, readonly string[]>>, description: string) =>
  Type.Optional(Type.Union(Object.keys(words).map((k) => Type.Literal(k)), { description }));

/**
 * The worker a registry filter names: `?worker=` (opaque id, any role) or `?idNumber=` (full number:
 * full-view roles only, throttled and audited). A masked role filtering by number gets 403 whatever the
 * number — the filter's total would otherwise confirm a guessed number (issue 15, finding 1).
 */
async function workerFilterOf(ctx: RouteContext, request: FastifyRequest, q: { worker?: string; idNumber?: string }): Promise<IdNumber | undefined> {
  if (q.worker !== undefined) return workerNamed(ctx, request, q.worker);
  if (q.idNumber !== undefined) return workerNamed(ctx, request, q.idNumber, '登记记录');
  return undefined;
}

export const trainingRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['registries'],
        summary: '职业技能培训记录',
        querystring: Type.Object({ ...PageQuery, idNumber: IdNumberQuery, worker: WorkerQuery, project: ProjectQuery }),
        response: { 200: Page(TrainingRecord), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      const p = pageOf(q);
      const idNumber = await workerFilterOf(ctx, request, q);
      const projectId = q.project ? (await findProject(ctx.store, q.project)).id : undefined;
      const { rows, total } = await ctx.store.snapshot((s) => s.registryViews.rows('training', { ...(idNumber ? { idNumber } : {}), ...(projectId !== undefined ? { projectId } : {}) }, p));
      return { items: rows.map(trainingOut), page: p.page, pageSize: p.pageSize, total };
    },
  );
  app.get(
    '/projects/:project',
    {
      config: { roles: READERS },
      schema: {
        tags: ['registries'],
        summary: '项目各工种持证工人占比',
        params: Type.Object({ project: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString) }),
        response: { 200: CertifiedShare, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const project = await findProject(ctx.store, request.params.project);
      const on = request.query.asOf ?? todayOf(ctx.now);
      return { project: { id: project.id, code: project.code, name: project.name }, ...certifiedShare(await ctx.store.registryViews.certifiedByTrade(project.id, on), on) };
    },
  );
};

export const insuranceRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['registries'],
        summary: '社会保险参保记录（工伤保险可按项目参保）',
        querystring: Type.Object({ ...PageQuery, idNumber: IdNumberQuery, worker: WorkerQuery, project: ProjectQuery, kind: enumOf(INSURANCE_KIND.words, '险种') }),
        response: { 200: Page(InsuranceRecord), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      const p = pageOf(q);
      const idNumber = await workerFilterOf(ctx, request, q);
      const projectId = q.project ? (await findProject(ctx.store, q.project)).id : undefined;
      const { rows, total } = await ctx.store.snapshot((s) => s.registryViews.rows(
        'insurance',
        { ...(idNumber ? { idNumber } : {}), ...(projectId !== undefined ? { projectId } : {}), ...(q.kind ? { kind: q.kind } : {}) },
        p,
      ));
      return { items: rows.map(insuranceOut), page: p.page, pageSize: p.pageSize, total };
    },
  );
  app.get(
    '/coverage',
    {
      config: { roles: READERS },
      schema: {
        tags: ['registries'],
        summary: '工伤保险覆盖率（全市、各区县、各用工单位）',
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString) }),
        response: { 200: InjuryCoverage, ...errorResponses(400) },
      },
    },
    // the same function the nightly report uses; reads the city's facts (a report-sized read)
    async (request) => {
      const city = await ctx.store.snapshot(async (s) => ({
        projects: (await s.facts.projects((await s.facts.projectIndex()).map((p) => p.id).sort((a, b) => a - b))).projects,
        injuryInsurance: await s.facts.injuryInsurance(),
      }));
      return injuryInsuranceCoverage(city, (request.query.asOf ?? todayOf(ctx.now)) as IsoDate) as unknown as Static<typeof InjuryCoverage>;
    },
  );
};

export const housingRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '',
    {
      config: { roles: READERS },
      schema: {
        tags: ['registries'],
        summary: '住房保障记录（有荣誉称号者优先）',
        querystring: Type.Object({ ...PageQuery, idNumber: IdNumberQuery, worker: WorkerQuery, status: enumOf(HOUSING_STATUS.words, '办理状态') }),
        response: { 200: Page(HousingRecord), ...errorResponses(400) },
      },
    },
    async (request) => {
      const q = request.query;
      const p = pageOf(q);
      const idNumber = await workerFilterOf(ctx, request, q);
      const { rows, total } = await ctx.store.snapshot((s) => s.registryViews.rows('housing', { ...(idNumber ? { idNumber } : {}), ...(q.status ? { status: q.status } : {}) }, p));
      return { items: rows.map(housingOut), page: p.page, pageSize: p.pageSize, total };
    },
  );
};

const LegalAidBody = Type.Object(
  {
    worker: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '工人编号（workerId）' })),
    idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '工人身份证号（仅科室负责人）' })),
    office: Type.String({ minLength: 1, maxLength: 100, description: '责任单位（法律援助中心）' }),
    openedOn: Type.Optional(IsoDateString),
    caseRef: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '关联欠薪案件编号' })),
    project: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '项目 id 或项目编号' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const careRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '',
    {
      config: { roles: CARE_READERS },
      schema: {
        tags: ['registries'],
        summary: '关爱服务记录（留守家庭、随迁子女入学、法律援助）——敏感，仅监察员和负责人可查',
        querystring: Type.Object({
          ...PageQuery,
          idNumber: IdNumberQuery, worker: WorkerQuery,
          kind: enumOf(CARE_KIND.words, '关爱类型'),
          status: enumOf(CARE_STATUS.words, '办理状态'),
        }),
        response: { 200: Page(CareRecord), ...errorResponses(400) },
      },
    },
    async (request) => {
      const q = request.query;
      const p = pageOf(q);
      const idNumber = await workerFilterOf(ctx, request, q);
      const { rows, total } = await ctx.store.snapshot((s) => s.registryViews.rows(
        'care',
        { ...(idNumber ? { idNumber } : {}), ...(q.kind ? { kind: q.kind } : {}), ...(q.status ? { status: q.status } : {}) },
        p,
      ));
      return { items: rows.map(careOut), page: p.page, pageSize: p.pageSize, total };
    },
  );

  app.post(
    '/legal-aid',
    {
      config: { roles: REVIEWERS },
      schema: {
        tags: ['registries'],
        summary: '为工人转介法律援助（办理欠薪案件时）',
        body: LegalAidBody,
        response: { 201: CareRecord, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const named = b.worker ?? b.idNumber;
      if (named === undefined) throw new ApiError(400, 'WORKER_REQUIRED', '请指明工人：worker（工人编号）');
      const idNumber = await workerNamed(ctx, request, named);
      const workerName = await ctx.store.workers.name(idNumber);
      if (workerName === null) throw notFound('该身份证号的工人');
      const project = b.project ? await findProject(ctx.store, b.project) : null;
      const openedOn = (b.openedOn ?? todayOf(ctx.now)) as IsoDate;
      const record = {
        idNumber,
        name: workerName,
        project: project ? { id: project.id } : null,
        kind: 'legal_aid' as const,
        memberName: null,
        relation: null,
        status: 'referred' as const,
        office: b.office.trim(),
        openedOn,
        closedOn: null,
        caseRef: b.caseRef?.trim() ?? null,
        note: b.note?.trim() || null,
      };
      const key = careKeyOf(record);
      const actor = request.principal!.name;
      const id = await ctx.store.tx(async (tx) => {
        if (await tx.registryViews.careExists(key)) {
          throw new ApiError(409, 'ALREADY_REFERRED', `该工人${openedOn}已有一条法律援助转介记录`);
        }
        const inserted = await tx.registryViews.insertCare({ columns: CARE_COLUMNS_SQL, values: careValues(record), naturalKey: key, createdBy: actor });
        await appendAudit(tx, {
          at: ctx.now(),
          actor,
          action: 'care_legal_aid_create',
          entity: 'care_records',
          entityId: inserted,
          detail: { idNumber, office: record.office, caseRef: record.caseRef, projectCode: project?.code ?? null, openedOn },
        });
        return inserted;
      });
      const row = await ctx.store.registryViews.row('care', id);
      reply.code(201);
      return careOut(row!);
    },
  );
};

/**
 * The worker's wage cases (enforcement: wage_cases, linked to workers through wage_case_items), once those
 * tables exist; each case with the worker's months in it and — for the roles that may read care records — the
 * legal-aid referrals whose 案件编号 is the case's id.
 */
async function casesOf(s: Store, idNumber: string, withLegalAid: boolean): Promise<{ available: boolean; items: unknown[] }> {
  const cases = await s.registryViews.casesOfWorker(idNumber);
  const items = [];
  for (const c of cases as Record<string, any>[]) {
    items.push({
      id: c.id,
      title: c.title,
      stage: c.stage,
      stageSince: c.stage_since,
      filedOn: c.filed_on,
      employerUscc: c.employer_uscc,
      projectCode: c.project_code,
      claimed: yuanOf(c.claimed_fen),
      paid: yuanOf(c.paid_fen),
      months: ((await s.registryViews.caseMonths(c.id, idNumber)) as Record<string, any>[]).map((i) => ({ month: i.month, projectCode: i.project_code, claimed: yuanOf(i.claimed_fen) })),
      legalAid: withLegalAid ? (await s.registryViews.legalAidOfCase(idNumber, String(c.id))).map(careOut) : null,
    });
  }
  return { available: true, items };
}

/** GET /api/v1/workers/{idNumber}/full — registered under the workers prefix beside the workers plugin. */
export const workerFullRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '/:worker/full',
    {
      config: { roles: READERS },
      schema: {
        tags: ['workers'],
        summary: '一名工人的全部情况：项目、工资台账、预警、案件、培训、社保（含工伤保险覆盖）、住房、关爱（按角色）',
        params: WorkerParam,
        querystring: Type.Object({ asOf: Type.Optional(IsoDateString) }),
        response: { 200: WorkerFull, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const id = await workerNamed(ctx, request, request.params.worker);
      const on = (request.query.asOf ?? todayOf(ctx.now)) as IsoDate;
      return ctx.store.snapshot(async (s) => {
        const stored = await storedAsOf(s, request.query.asOf);
        const roster = await s.workers.roster(id);
        const months = await workerWageMonths(s, id, on);
        const training = (await s.registryViews.rows('training', { idNumber: id })).rows;
        const insurance = (await s.registryViews.rows('insurance', { idNumber: id })).rows as Record<string, any>[];
        const housing = (await s.registryViews.rows('housing', { idNumber: id })).rows;
        const workerName = await s.workers.name(id);
        if (workerName === null && roster.length === 0 && months.length === 0 && training.length === 0 && insurance.length === 0 && housing.length === 0) {
          throw notFound('该身份证号的工人');
        }
        const flags = stored ? await s.flags.openOfWorker(stored, id) : [];

        // work-injury cover of each stay, computed by the rules core's own functions
        const covers: InjuryCoverageFact[] = insurance
          .filter((r) => r.kind === 'injury')
          .map((r) => ({
            ref: { table: 'insurance_records', id: r.id, batchId: r.batch_id, line: r.line },
            idNumber: id,
            from: r.from_date,
            ...(r.to_date ? { to: r.to_date } : {}),
            projectBased: bool(r.project_based),
            ...(r.project_id !== null ? { projectId: r.project_id } : {}),
          }));
        const insuranceHeld = await s.registryViews.insuranceHeld();

        const mayReadCare = CARE_READERS.includes(request.principal!.role);
        const certificates = training.filter((t) => t.certificate_kind !== null && (t.result === null || t.result === 'passed')).map(trainingOut);

        return {
          idNumber: id,
          name: workerName ?? roster.at(-1)?.name ?? (training[0]?.name as string | undefined) ?? (insurance[0]?.name as string | undefined) ?? null,
          asOf: on,
          storedAsOf: stored,
          projects: roster.map((r) => {
            const span = onSiteSpan(
              { entryDate: r.entry_date as IsoDate, ...(r.exit_date ? { exitDate: r.exit_date as IsoDate } : {}) },
              r.completion_date ? { completionDate: r.completion_date as IsoDate } : {},
              on,
            );
            const gaps = span && insuranceHeld ? uncoveredSpans(span, coversFor(covers, id, { id: r.project_id }, on)) : null;
            return {
              rosterEntryId: r.id,
              project: { id: r.project_id, code: r.project_code, name: r.project_name, county: r.county },
              ...stayOf(r),
              ...termsOf(r),
              phone: r.phone,
              // null: no insurance registry held, or the stay has not begun by asOf
              injuryInsurance: gaps === null ? null : { covered: gaps.length === 0, uncovered: gaps },
              source: { batchId: r.batch_id, line: r.line },
            };
          }),
          wageMonths: months,
          openFlags: flags.map((f) => ({ id: f.id, code: f.code, severity: f.severity, projectCode: f.project_code, month: f.month, amount: yuanOf(f.amount_fen), sentence: renderSentence(f.sentence, stored as IsoDate) })),
          cases: await casesOf(s, id, mayReadCare),
          training: { records: training.map(trainingOut), skills: certificates.map((c) => ({ ...c.certificate!, course: c.course, obtainedOn: c.endDate ?? c.startDate })) },
          insurance: { held: insuranceHeld, records: insurance.map(insuranceOut) },
          housing: housing.map(housingOut),
          care: mayReadCare ? (await s.registryViews.rows('care', { idNumber: id })).rows.map(careOut) : null,
          /** parts this role may not read (null above) */
          restricted: mayReadCare ? [] : ['care'],
        };
      });
    },
  );
};
