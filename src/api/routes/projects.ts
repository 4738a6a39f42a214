/**
 * 工程项目 — the project list (filters: county, status, risk; paged), one project's detail (roster,
 * wage months, dedicated account, deposit, stored assessment), and a project's wage ledger for a month.
 *
 * Stored results (project_assessments, findings) are read at the latest recompute on or before `asOf`
 * (default: the latest); facts are current rows (`superseded_by IS NULL`) dated on or before `asOf`
 * (default: today in Asia/Shanghai).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { badRequest } from '../errors.ts';
import { formatCenti, monthLedger, projectWageMonths, yuan } from '../ledger.ts';
import { findProject, latestAsOf, projectStatus, stayOf, storedAsOf, termsOf, todayOf, yuanOf } from '../queries.ts';
import type { ProjectListFilter, ProjectListRow } from '../../store/repos/projects.ts';
import type { DayProjectRow } from '../../store/repos/projectViews.ts';
import { daysBetween, type IsoDate } from '../../domain/date.ts';
import { maskEmail } from '../../domain/email.ts';
import { READERS } from '../roles.ts';
import { errorResponses, IsoDateString, Money, MonthString, Nullable, Page, PageQuery, pageOf, Source } from '../schemas.ts';
import { ProjectDetail } from '../responseSchemas.ts';

const ProjectRef = Type.Object({ project: Type.String({ minLength: 1, maxLength: 64, description: '项目 id（数字）或项目编号' }) });
const AsOfQuery = { asOf: Type.Optional(IsoDateString) };

const Assessment = Type.Object({
  asOf: Type.String({ description: '读取的重算日期' }),
  arrears: Money,
  workersInArrears: Type.Integer(),
  oldestOverdueDays: Type.Integer(),
  estimatedExposure: Money,
  riskScore: Type.Integer(),
});

const ProjectSummary = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  county: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('completed')]),
  contractAmount: Money,
  startDate: Type.String(),
  completionDate: Nullable(Type.String()),
  assessment: Nullable(Assessment),
  openFlags: Type.Integer({ description: '未处理的预警数' }),
});

type ListRow = DayProjectRow;

const assessmentOf = (r: ListRow) =>
  r.a_as_of === null
    ? null
    : {
        asOf: r.a_as_of,
        arrears: yuan(r.arrears_fen ?? 0),
        workersInArrears: r.workers_in_arrears ?? 0,
        oldestOverdueDays: r.oldest_overdue_days ?? 0,
        estimatedExposure: yuan(r.estimated_exposure_fen ?? 0),
        riskScore: r.risk_score ?? 0,
      };

/**
 * A row of the project list's read model in the shape of the day view's rows: an evaluated project's
 * totals as of `stored`, overdue days counted from its oldest due date (a project the rules could not
 * evaluate has no assessment, as in the day view).
 */
function listRowOf(r: ProjectListRow, stored: string): ListRow {
  const evaluated = r.s_evaluated_on !== null && r.problem === null;
  const a = (typeof r.assessment === 'string' ? JSON.parse(r.assessment) : r.assessment) as { risk?: { terms?: unknown }; deposit?: unknown } | null;
  const overdue = evaluated && r.oldest_due_date !== null && (r.arrears_fen ?? 0) > 0 ? Math.max(0, daysBetween(r.oldest_due_date as IsoDate, stored as IsoDate)) : 0;
  return {
    ...(r as unknown as DayProjectRow),
    government_funded: Boolean(r.government_funded),
    a_as_of: evaluated ? stored : null,
    arrears_fen: evaluated ? r.arrears_fen : null,
    workers_in_arrears: evaluated ? r.workers_in_arrears : null,
    oldest_overdue_days: evaluated ? overdue : null,
    estimated_exposure_fen: evaluated ? r.estimated_exposure_fen : null,
    risk_score: evaluated ? r.risk_score : null,
    risk_terms: evaluated ? (a?.risk?.terms ?? []) : null,
    deposit: evaluated ? (a?.deposit ?? null) : null,
    open_flags: r.open_flags,
  };
}

/** The project's notice contacts as imported (null when none of name, phone, e-mail was given). */
function contactsOf(p: Record<string, unknown>, full: boolean) {
  const one = (prefix: string) => {
    const name = (p[`${prefix}_name`] as string | null) ?? null;
    const phone = (p[`${prefix}_phone`] as string | null) ?? null;
    const email = (p[`${prefix}_email`] as string | null) ?? null;
    if (name === null && phone === null && email === null) return null;
    return { name, phone, email: email === null || full ? email : maskEmail(email) };
  };
  return { laborOfficer: one('labor_officer'), projectManager: one('project_manager'), ownerContact: one('owner_contact') };
}

export const projectRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {

  app.get(
    '',
    {
      config: { roles: READERS, readCache: true },
      schema: {
        tags: ['projects'],
        summary: '项目列表',
        querystring: Type.Object({
          ...PageQuery,
          ...AsOfQuery,
          county: Type.Optional(Type.String({ maxLength: 50, description: '区县' })),
          status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('completed')], { description: 'active 在建 / completed 已竣工（按 asOf）' })),
          minRisk: Type.Optional(Type.Integer({ minimum: 0, description: '风险分不低于' })),
          q: Type.Optional(Type.String({ maxLength: 100, description: '项目编号或名称包含' })),
          sort: Type.Optional(Type.Union([Type.Literal('code'), Type.Literal('risk')], { default: 'code' })),
        }),
        response: { 200: Page(ProjectSummary), ...errorResponses(400) },
      },
    },
    async (request) => {
      const q = request.query;
      const { page, pageSize, limit, offset } = pageOf(q);
      const on = q.asOf ?? todayOf(ctx.now);
      const f: ProjectListFilter = {
        on,
        sort: q.sort ?? 'code',
        ...(q.county ? { county: q.county } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.minRisk !== undefined ? { minRisk: q.minRisk } : {}),
        ...(q.q ? { q: q.q } : {}),
      };
      const { rows, total } = await ctx.store.snapshot(async (s) => {
        const stored = await storedAsOf(s, q.asOf);
        if (stored !== null && stored === (await latestAsOf(s))) {
          // the latest day: the project list's read model (src/store/repos/projects.ts)
          return { rows: (await s.projects.page(f, limit, offset)).map((r) => listRowOf(r, stored)), total: await s.projects.count(f) };
        }
        return { rows: await s.projectViews.dayPage(stored, f, limit, offset), total: await s.projectViews.dayCount(stored, f) };
      });
      return {
        items: rows.map((r) => ({
          id: r.id,
          code: r.code,
          name: r.name,
          county: r.county,
          status: projectStatus(r, on),
          contractAmount: yuan(r.contract_amount_fen),
          startDate: r.start_date,
          completionDate: r.completion_date,
          assessment: assessmentOf(r),
          openFlags: r.open_flags,
        })),
        page,
        pageSize,
        total,
      };
    },
  );

  app.get(
    '/:project',
    {
      config: { roles: READERS, readCache: true },
      schema: {
        tags: ['projects'],
        summary: '项目详情：花名册、各月工资、专用账户、保证金、风险评估',
        params: ProjectRef,
        querystring: Type.Object(AsOfQuery),
        response: { 200: ProjectDetail, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      return ctx.store.snapshot(async (s) => {
        const p = await findProject(s, request.params.project);
        const on = request.query.asOf ?? todayOf(ctx.now);
        const stored = await storedAsOf(s, request.query.asOf);
        const current = stored !== null && stored === (await latestAsOf(s)) ? await s.projects.one(p.id) : undefined;
        const row = current ? listRowOf(current, stored!) : (await s.projectViews.dayRow(stored, p.id))!;
        const names = await s.projectViews.unitNames([p.owner_uscc, p.contractor_uscc]);
        const party = (uscc: string) => ({ uscc, name: names.get(uscc) ?? null });
        const roster = await s.projectViews.roster(p.id, on);
        // the night's ledger when it is the evaluation of `on`, else the rules with the parameters in force (api/ledger.ts)
        const wage = await projectWageMonths(s, p.id, on);
        const account = await s.projectViews.accountTotals(p.id, on);
        const depositEvents = await s.projectViews.depositEventCount(p.id, on);
        const flagCounts = stored === null ? [] : await s.flags.openCountsOfProject(stored, p.id);

        return {
          id: p.id,
          code: p.code,
          name: p.name,
          county: p.county,
          status: projectStatus(p, on),
          asOf: on,
          storedAsOf: stored,
          owner: party(p.owner_uscc),
          contractor: party(p.contractor_uscc),
          contractAmount: yuan(p.contract_amount_fen),
          contractSignedOn: p.contract_signed_on,
          startDate: p.start_date,
          plannedEndDate: p.planned_end_date,
          completionDate: p.completion_date,
          governmentFunded: p.government_funded,
          payDay: p.pay_day,
          monthlyLaborCost: yuanOf(p.monthly_labor_cost_fen),
          // 通知联系人 (notices): phones masked by the response masker, e-mails here, unless the full view
          contacts: contactsOf(p as unknown as Record<string, unknown>, request.fullView),
          source: { batchId: p.batch_id, line: p.line },
          assessment: row.a_as_of === null ? null : { ...assessmentOf(row), riskTerms: row.risk_terms },
          openFlags: Object.fromEntries(flagCounts.map((f) => [f.code, f.n])),
          roster: roster.map((r) => ({
            id: r.id,
            name: r.name,
            idNumber: r.id_number,
            ...stayOf(r),
            activeOnAsOf: r.exit_date === null || r.exit_date >= on,
            ...termsOf(r),
            bankName: r.bank_name,
            phone: r.phone,
            source: { batchId: r.batch_id, line: r.line },
          })),
          // per month: the rules core's arrears (owed once past the due date) beside what is still unpaid
          wageMonths: wage.months,
          wageMonthsProblem: wage.problem,
          account: {
            accountNo: p.wage_account_no,
            bank: p.wage_account_bank,
            openedOn: p.wage_account_opened_on,
            // 注销 (条例 第二十七条): the closing day and the first day of the no-arrears notice before it
            closedOn: p.wage_account_closed_on,
            closingNoticeOn: p.wage_account_notice_on,
            transactions: account.n,
            lastTransactionOn: account.last_tx,
            inflow: yuan(account.inflow),
            outflow: yuan(account.outflow),
            laborCostIn: yuan(account.labor_cost_in),
            wagesOut: yuan(account.wages_out),
            otherOut: yuan(account.other_out),
            balance: yuan(account.inflow - account.outflow),
          },
          deposit: {
            requirement: row.a_as_of === null ? null : row.deposit,
            events: depositEvents,
            detail: `/api/v1/projects/${p.id}/deposit`,
          },
        };
      });
    },
  );

  app.get(
    '/:project/ledger/:month',
    {
      config: { roles: READERS, readCache: true },
      schema: {
        tags: ['projects'],
        summary: '项目某月工资台账（每名工人：应发、实发、欠薪）',
        params: Type.Object({ project: ProjectRef.properties.project, month: MonthString }),
        querystring: Type.Object({ ...PageQuery, ...AsOfQuery }),
        response: {
          200: Type.Object({
            project: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
            month: Type.String(),
            asOf: Type.String(),
            basis: Type.String({ description: 'rules：规则引擎台账；facts：规则无法判断时（见 problem）仅列事实行' }),
            problem: Nullable(Type.String()),
            totals: Type.Object({ workers: Type.Integer(), netDue: Money, paid: Money, arrears: Money, estimatedExposure: Money }),
            items: Type.Array(
              Type.Object({
                idNumber: Type.String(),
                name: Type.String(),
                onPayroll: Type.Boolean(),
                daysWorked: Nullable(Type.String()),
                gross: Nullable(Money),
                deductions: Nullable(Money),
                netDue: Nullable(Money),
                workerConfirmed: Nullable(Type.Boolean()),
                paid: Money,
                arrears: Nullable(Money),
                dueDate: Nullable(Type.String()),
                status: Nullable(Type.String({ description: 'not_due · paid · paid_late · partial · unpaid · no_payroll' })),
                overdueDays: Type.Integer(),
                rosterActive: Type.Boolean(),
                estimatedExposure: Nullable(Money),
                estimateBasis: Nullable(Type.String()),
                source: Nullable(Source),
                payments: Type.Array(
                  Type.Object({
                    id: Type.Integer(),
                    amount: Money,
                    paidOn: Type.String(),
                    channel: Type.String(),
                    payeeName: Type.String(),
                    payeeCard: Nullable(Type.String()),
                    bankRef: Nullable(Type.String()),
                    source: Source,
                  }),
                ),
              }),
            ),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            total: Type.Integer(),
          }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const { page, pageSize, limit, offset } = pageOf(request.query);
      const on = request.query.asOf ?? todayOf(ctx.now);
      const { p, ledger } = await ctx.store.snapshot(async (s) => {
        const p = await findProject(s, request.params.project);
        if (request.params.month > on.slice(0, 7)) throw badRequest(`工资月份 ${request.params.month} 晚于查询日期 ${on}`);
        return { p, ledger: await monthLedger(s, p.id, request.params.month, on) };
      });
      return {
        project: { id: p.id, code: p.code, name: p.name },
        month: request.params.month,
        asOf: on,
        basis: ledger.basis,
        problem: ledger.problem,
        totals: {
          workers: ledger.totals.workers,
          netDue: yuan(ledger.totals.netDueFen),
          paid: yuan(ledger.totals.paidFen),
          arrears: yuan(ledger.totals.arrearsFen),
          estimatedExposure: yuan(ledger.totals.estimatedExposureFen),
        },
        items: ledger.rows.slice(offset, offset + limit).map((r) => ({
          idNumber: r.idNumber,
          name: r.name,
          onPayroll: r.onPayroll,
          daysWorked: r.daysWorkedCenti === null ? null : formatCenti(r.daysWorkedCenti),
          gross: yuanOf(r.grossFen),
          deductions: yuanOf(r.deductionsFen),
          netDue: yuanOf(r.netDueFen),
          workerConfirmed: r.workerConfirmed,
          paid: yuan(r.paidFen),
          arrears: yuanOf(r.arrearsFen),
          dueDate: r.dueDate,
          status: r.status,
          overdueDays: r.overdueDays,
          rosterActive: r.rosterActive,
          estimatedExposure: yuanOf(r.estimatedExposureFen),
          estimateBasis: r.estimateBasis,
          source: r.source,
          payments: r.payments.map((x) => ({
            id: x.id,
            amount: yuan(x.amountFen),
            paidOn: x.paidOn,
            channel: x.channel,
            payeeName: x.payeeName,
            payeeCard: x.payeeCard,
            bankRef: x.bankRef,
            source: { batchId: x.batchId, line: x.line },
          })),
        })),
        page,
        pageSize,
        total: ledger.rows.length,
      };
    },
  );
};
