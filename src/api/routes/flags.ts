/**
 * 预警复核队列 — the review queue. GET lists the flags of the stored computation (latest on or before
 * `asOf`), filterable by county, code, severity, project and review status, highest project risk first.
 * POST …/resolve and …/dismiss record an inspector's decision with a required reason in flag_reviews
 * (keyed by the flag's fingerprint, so the decision survives later recomputes) and in the audit log.
 */
import { renderSentence } from '../../domain/sentence.ts';
import type { IsoDate } from '../../domain/date.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { appendAudit } from '../audit.ts';
import { ApiError, notFound } from '../errors.ts';
import { findProject, latestAsOf, storedAsOf, yuanOf } from '../queries.ts';
import { flagJson, SEVERITIES, type FlagRow } from '../../store/repos/flags.ts';
import { enforcementOfProjects, workerMonthKey } from '../../services/enforcement/common.ts';
import type { QueueFilter, QueueRow } from '../../store/repos/queue.ts';
import type { Store } from '../../store/store.ts';
import { READERS, REVIEWERS } from '../roles.ts';
import { errorResponses, IdParam, IsoDateString, Nullable, Page, PageQuery, pageOf } from '../schemas.ts';


const Review = Type.Object({
  status: Type.String({ description: 'resolved 已处理 / dismissed 已排除' }),
  reason: Type.String(),
  actor: Type.String(),
  at: Type.String(),
});

const EnforcementRefs = Type.Object({
  orders: Type.Array(Type.Object({ id: Type.Integer(), issuedOn: Type.String(), deadline: Type.String(), link: Type.String() }), { description: '该工人月度所在的责令限期支付（未撤销）' }),
  cases: Type.Array(Type.Object({ id: Type.Integer(), stage: Type.String(), filedOn: Type.String(), link: Type.String() }), { description: '该工人月度所在的案件（未结案）' }),
});

const FLAG_PROPS = {
    id: Type.Integer(),
    fingerprint: Type.String({ description: '跨日期识别同一预警' }),
    asOf: Type.String(),
    code: Type.String(),
    severity: Type.String(),
    status: Type.String({ description: 'open 待处理 / resolved / dismissed' }),
    project: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), county: Type.String() }),
    riskScore: Nullable(Type.Integer()),
    idNumber: Nullable(Type.String()),
    month: Nullable(Type.String()),
    amount: Nullable(Type.String()),
    sentence: Type.String(),
    legalBasis: Type.Unknown(),
    params: Type.Unknown(),
    evidence: Type.Unknown(),
    review: Nullable(Review),
    enforcement: EnforcementRefs,
};
const Flag = Type.Object(FLAG_PROPS, { $id: 'Flag' });
/** The flag schema for routes of other plugins (the `Flag` $id is registered in this plugin only). */
export const FlagItem = Type.Object(FLAG_PROPS);

export type { FlagRow };

/** The order and case each flag's worker-month is in (one query for the page's projects). */
export async function withEnforcement<T extends { project: { id: number }; idNumber: string | null; month: string | null }>(store: Store, flags: readonly T[]) {
  const known = await enforcementOfProjects(store, flags.filter((f) => f.idNumber && f.month).map((f) => f.project.id));
  return flags.map((f) => {
    const e = f.idNumber && f.month ? known.get(workerMonthKey(f.project.id, f.idNumber, f.month)) : undefined;
    return {
      ...f,
      enforcement: {
        orders: (e?.orders ?? []).map((o) => ({ ...o, link: `/api/v1/orders/${o.id}` })),
        cases: (e?.cases ?? []).map((c) => ({ ...c, link: `/api/v1/cases/${c.id}` })),
      },
    };
  });
}

/** A stored flag row as the API answers it (without its enforcement: see withEnforcement). */
export function flagOf(r: FlagRow) {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    asOf: r.as_of,
    code: r.code,
    severity: r.severity,
    status: r.r_status ?? 'open',
    project: { id: r.project_id, code: r.project_code, name: r.project_name, county: r.county },
    riskScore: r.risk_score,
    idNumber: r.id_number,
    month: r.month,
    amount: yuanOf(r.amount_fen),
    sentence: renderSentence(r.sentence, r.as_of as IsoDate),
    legalBasis: r.legal_basis,
    params: r.params,
    evidence: r.evidence,
    review: r.r_status === null ? null : { status: r.r_status, reason: r.r_reason!, actor: r.r_actor!, at: r.r_at! },
  };
}

/** A current flag of the queue's read model as a stored flag row of the day `asOf`. */
export function queueRowAsFlagRow(r: QueueRow, asOf: string): FlagRow {
  return { ...r, as_of: asOf, ...flagJson(r) };
}

async function findFlag(store: Store, id: number): Promise<FlagRow> {
  // a version is valid on several evaluated days: the latest of them
  const row = await store.flags.byId(id);
  if (!row) throw notFound(`预警 #${id}`);
  return row;
}

export const flagRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.addSchema(Flag);

  app.get(
    '',
    {
      config: { roles: READERS, readCache: true },
      schema: {
        tags: ['flags'],
        summary: '预警复核队列（项目风险高的在前）',
        querystring: Type.Object({
          ...PageQuery,
          asOf: Type.Optional(IsoDateString),
          county: Type.Optional(Type.String({ maxLength: 50 })),
          code: Type.Optional(Type.String({ pattern: '^[A-Z_]{2,40}$', description: '预警代码，如 WAGE_UNPAID' })),
          severity: Type.Optional(Type.Union(SEVERITIES.map((s) => Type.Literal(s)))),
          project: Type.Optional(Type.String({ maxLength: 64, description: '项目 id 或项目编号' })),
          status: Type.Optional(
            Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('dismissed'), Type.Literal('all')], { default: 'open' }),
          ),
        }),
        response: { 200: Type.Object({ ...Page(Type.Ref('Flag')).properties, asOf: Nullable(Type.String()) }), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      const { page, pageSize, limit, offset } = pageOf(q);
      const status = q.status ?? 'open';
      const projectId = q.project ? (await findProject(ctx.store, q.project)).id : undefined;
      const filter: QueueFilter = {
        status,
        ...(q.county ? { county: q.county } : {}),
        ...(q.code ? { code: q.code } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(projectId !== undefined ? { projectId } : {}),
      };
      // one committed state for the day, the page, its total and the flags' orders and cases
      return ctx.store.snapshot(async (s) => {
        const stored = await storedAsOf(s, q.asOf);
        if (stored !== null && stored === (await latestAsOf(s))) {
          // the latest day: the current flags' read model (src/store/repos/queue.ts), whatever the city's size
          const rows = await s.queue.page(filter, limit, offset);
          const total = await s.queue.count(filter, stored);
          return { items: await withEnforcement(s, rows.map((r) => flagOf(queueRowAsFlagRow(r, stored)))), page, pageSize, total, asOf: stored };
        }
        if (stored === null) return { items: [], page, pageSize, total: 0, asOf: stored };
        const total = await s.flags.dayCount(stored, filter);
        const rows = await s.flags.dayPage(stored, filter, limit, offset);
        return { items: await withEnforcement(s, rows.map(flagOf)), page, pageSize, total, asOf: stored };
      });
    },
  );

  app.get(
    '/:id',
    {
      config: { roles: READERS, readCache: true },
      schema: { tags: ['flags'], summary: '一条预警（含法律依据、参数、证据行）', params: IdParam, response: { 200: Type.Ref('Flag'), ...errorResponses(400, 404) } },
    },
    async (request) => ctx.store.snapshot(async (s) => (await withEnforcement(s, [flagOf(await findFlag(s, request.params.id))]))[0]!),
  );

  for (const [verb, status, zh] of [
    ['resolve', 'resolved', '处理完毕'],
    ['dismiss', 'dismissed', '排除（误报或不需处理）'],
  ] as const) {
    app.post(
      `/:id/${verb}`,
      {
        config: { roles: REVIEWERS },
        schema: {
          tags: ['flags'],
          summary: `将预警标记为${zh}（必须说明理由；记入审计日志）`,
          params: IdParam,
          body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000, description: '理由' }) }, { additionalProperties: false }),
          response: { 200: Type.Ref('Flag'), ...errorResponses(400, 404, 413, 415) },
        },
      },
      async (request) => {
        const reason = request.body.reason.trim();
        if (reason === '') throw new ApiError(400, 'REASON_REQUIRED', '必须填写理由');
        const principal = request.principal!;
        const at = ctx.now();
        await ctx.store.tx(async (tx) => {
          const flag = await findFlag(tx, request.params.id);
          const previous = flag.r_status === null ? null : { status: flag.r_status, reason: flag.r_reason, actor: flag.r_actor, at: flag.r_at };
          await tx.flags.review({ fingerprint: flag.fingerprint, status, reason, actor: principal.name, at });
          await appendAudit(tx, {
            at,
            actor: principal.name,
            action: `flag_${verb}`,
            entity: 'flag',
            entityId: flag.fingerprint,
            reason,
            detail: { findingId: flag.id, asOf: flag.as_of, code: flag.code, projectCode: flag.project_code, status, previous, tokenId: principal.tokenId },
          });
        });
        return ctx.store.snapshot(async (s) => (await withEnforcement(s, [flagOf(await findFlag(s, request.params.id))]))[0]!);
      },
    );
  }
};
