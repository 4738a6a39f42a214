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
import { findProject, latestAsOf, parseJson, projectStatus, storedAsOf, todayOf, yuanOf, type ProjectRow } from '../queries.ts';
import type { ProjectListFilter, ProjectListRow } from '../../store/repos/projects.ts';
import { daysBetween, type IsoDate } from '../../domain/date.ts';
import { maskEmail } from '../../domain/email.ts';
import { storedLedgerOf } from '../../services/ledger.ts';
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

interface ListRow extends ProjectRow {
  a_as_of: string | null;
  arrears_fen: number | null;
  workers_in_arrears: number | null;
  oldest_overdue_days: number | null;
  estimated_exposure_fen: number | null;
  risk_score: number | null;
  risk_terms: string | null;
  deposit: string | null;
  open_flags: number;
}

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

const LIST_SELECT = `
  SELECT p.*, a.as_of AS a_as_of, a.arrears_fen, a.workers_in_arrears, a.oldest_overdue_days, a.estimated_exposure_fen,
         a.risk_score, a.risk_terms, a.deposit,
         (SELECT count(*) FROM findings f WHERE f.as_of = @stored AND f.project_id = p.id
            AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = f.fingerprint)) AS open_flags
    FROM projects p
    LEFT JOIN project_assessments a ON a.project_id = p.id AND a.as_of = @stored`;

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
    ...(r as unknown as ProjectRow),
    a_as_of: evaluated ? stored : null,
    arrears_fen: evaluated ? r.arrears_fen : null,
    workers_in_arrears: evaluated ? r.workers_in_arrears : null,
    oldest_overdue_days: evaluated ? overdue : null,
    estimated_exposure_fen: evaluated ? r.estimated_exposure_fen : null,
    risk_score: evaluated ? r.risk_score : null,
    risk_terms: evaluated ? JSON.stringify(a?.risk?.terms ?? []) : null,
    deposit: evaluated ? JSON.stringify(a?.deposit ?? null) : null,
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
  const sql = ctx.db.$client;

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
      const stored = storedAsOf(ctx.db, q.asOf);
      const where: string[] = [];
      const params: Record<string, unknown> = { stored, on };
      if (q.county) {
        where.push('p.county = @county');
        params.county = q.county;
      }
      if (q.status === 'active') where.push('(p.completion_date IS NULL OR p.completion_date > @on)');
      if (q.status === 'completed') where.push('(p.completion_date IS NOT NULL AND p.completion_date <= @on)');
      if (q.minRisk !== undefined) {
        where.push('a.risk_score >= @minRisk');
        params.minRisk = q.minRisk;
      }
      if (q.q) {
        where.push('(instr(p.code, @q) > 0 OR instr(p.name, @q) > 0)');
        params.q = q.q;
      }
      let rows: ListRow[];
      let total: number;
      if (stored !== null && stored === latestAsOf(ctx.db)) {
        // the latest day: the project list's read model (src/store/repos/projects.ts)
        const f: ProjectListFilter = {
          on,
          sort: q.sort ?? 'code',
          ...(q.county ? { county: q.county } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.minRisk !== undefined ? { minRisk: q.minRisk } : {}),
          ...(q.q ? { q: q.q } : {}),
        };
        const read = await ctx.store.snapshot(async (s) => ({ rows: await s.projects.page(f, limit, offset), total: await s.projects.count(f) }));
        rows = read.rows.map((r) => listRowOf(r, stored));
        total = read.total;
      } else {
        const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
        const order = q.sort === 'risk' ? 'ORDER BY a.risk_score IS NULL, a.risk_score DESC, p.code' : 'ORDER BY p.code';
        total = (sql.prepare(`SELECT count(*) AS n FROM (${LIST_SELECT} ${filter})`).get(params) as { n: number }).n;
        rows = sql.prepare(`${LIST_SELECT} ${filter} ${order} LIMIT @limit OFFSET @offset`).all({ ...params, limit, offset }) as ListRow[];
      }
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
      const p = findProject(ctx.db, request.params.project);
      const on = request.query.asOf ?? todayOf(ctx.now);
      const stored = storedAsOf(ctx.db, request.query.asOf);
      const current = stored !== null && stored === latestAsOf(ctx.db) ? await ctx.store.projects.one(p.id) : undefined;
      const row = current ? listRowOf(current, stored!) : (sql.prepare(`${LIST_SELECT} WHERE p.id = @id`).get({ stored, id: p.id }) as ListRow);
      const employer = sql.prepare('SELECT uscc, name FROM employers WHERE uscc = ?');
      const party = (uscc: string) => (employer.get(uscc) as { uscc: string; name: string } | undefined) ?? { uscc, name: null };

      const roster = sql
        .prepare(
          `SELECT r.*, e.name AS employer_name FROM roster_entries r LEFT JOIN employers e ON e.uscc = r.employer_uscc
            WHERE r.project_id = ? AND r.superseded_by IS NULL AND r.entry_date <= ? ORDER BY r.entry_date, r.id`,
        )
        .all(p.id, on) as Array<Record<string, unknown> & { exit_date: string | null; entry_date: string }>;

      // the day shown is the latest evaluated one: its stored ledger (the flags' own), not the rules again
      const storedLedger = current && on === stored ? await storedLedgerOf(ctx.store, p.id, stored as IsoDate) : null;
      const wage = projectWageMonths(ctx.db, p.id, on, storedLedger);

      const account = sql
        .prepare(
          `SELECT coalesce(sum(CASE WHEN direction = 'in' THEN amount_fen END), 0) AS inflow,
                  coalesce(sum(CASE WHEN direction = 'out' THEN amount_fen END), 0) AS outflow,
                  coalesce(sum(CASE WHEN direction = 'in' AND purpose = 'labor_cost' THEN amount_fen END), 0) AS labor_cost_in,
                  coalesce(sum(CASE WHEN direction = 'out' AND purpose = 'wages' THEN amount_fen END), 0) AS wages_out,
                  coalesce(sum(CASE WHEN direction = 'out' AND purpose <> 'wages' THEN amount_fen END), 0) AS other_out,
                  count(*) AS n, max(tx_date) AS last_tx
             FROM account_transactions WHERE project_id = ? AND superseded_by IS NULL AND tx_date <= ?`,
        )
        .get(p.id, on) as { inflow: number; outflow: number; labor_cost_in: number; wages_out: number; other_out: number; n: number; last_tx: string | null };

      const depositEvents = sql
        .prepare('SELECT count(*) AS n FROM deposit_events WHERE project_id = ? AND superseded_by IS NULL AND date <= ?')
        .get(p.id, on) as { n: number };

      const flagCounts = sql
        .prepare(
          `SELECT f.code, count(*) AS n FROM findings f
            WHERE f.as_of = ? AND f.project_id = ? AND NOT EXISTS (SELECT 1 FROM flag_reviews r WHERE r.fingerprint = f.fingerprint)
            GROUP BY f.code ORDER BY f.code`,
        )
        .all(stored, p.id) as Array<{ code: string; n: number }>;

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
        governmentFunded: p.government_funded === 1,
        payDay: p.pay_day,
        monthlyLaborCost: yuanOf(p.monthly_labor_cost_fen),
        // 通知联系人 (notices): phones masked by the response masker, e-mails here, unless the full view
        contacts: contactsOf(p as unknown as Record<string, unknown>, request.fullView),
        source: { batchId: p.batch_id, line: p.line },
        assessment: row.a_as_of === null ? null : { ...assessmentOf(row), riskTerms: parseJson(row.risk_terms, []) },
        openFlags: Object.fromEntries(flagCounts.map((f) => [f.code, f.n])),
        roster: roster.map((r) => ({
          id: r.id,
          name: r.name,
          idNumber: r.id_number,
          employer: { uscc: r.employer_uscc, name: r.employer_name ?? null },
          team: r.team,
          trade: r.trade,
          entryDate: r.entry_date,
          exitDate: r.exit_date,
          activeOnAsOf: r.exit_date === null || r.exit_date >= on,
          contractSigned: r.contract_signed === 1,
          wageBasis: r.wage_basis,
          wageRate: yuanOf(r.wage_rate_fen as number | null),
          bankCard: r.bank_card,
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
          requirement: row.a_as_of === null ? null : parseJson(row.deposit, null),
          events: depositEvents.n,
          detail: `/api/v1/projects/${p.id}/deposit`,
        },
      };
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
      const p = findProject(ctx.db, request.params.project);
      const { page, pageSize, limit, offset } = pageOf(request.query);
      const on = request.query.asOf ?? todayOf(ctx.now);
      if (request.params.month > on.slice(0, 7)) throw badRequest(`工资月份 ${request.params.month} 晚于查询日期 ${on}`);
      const ledger = monthLedger(ctx.db, p.id, request.params.month, on);
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
