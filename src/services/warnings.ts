/**
 * 项目预警 — the warnings of the latest evaluated day, read off the stored state (the open current flags,
 * src/store/repos/warnings.ts) and derived by the rules core (src/rules/warnings.ts) with the parameters in
 * force: nothing about a warning is stored, so a warning is exactly its flags of the day, and its overdue
 * days count to the evaluated day (the day the flags' sentences count to). Each warning says how many of its
 * worker-months are already in an order to pay or a case (src/services/enforcement/common.ts).
 */
import { enqueueWarningAssigned } from './notices/outbox.ts';
import type { IsoDate } from '../domain/date.ts';
import { formatYuan, type Fen } from '../domain/money.ts';
import { enforcementOfProjects, workerMonthKey, type WorkerMonthEnforcement } from './enforcement/common.ts';
import type { Severity } from '../rules/flags.ts';
import { FLAGS } from '../rules/flags.ts';
import { ORDERABLE_CODES } from './enforcement/orders.ts';
import { paramsOfStore } from './params.ts';
import type { Store } from '../store/store.ts';
import type { WarningProjectRow } from '../store/repos/warnings.ts';
import { maskText } from '../api/masking.ts';
import { calendarOf, MissingHolidayScheduleError } from '../rules/calendar.ts';
import type { RectificationRow } from '../store/repos/rectifications.ts';
import {
  deriveWarnings,
  parseWarningKey,
  projectsByLevel,
  RECTIFICATION_STATE_ZH,
  rectificationState,
  reopenable,
  type RectificationState,
  WARNING_LEVEL_ZH,
  WARNING_PROBLEM_ZH,
  type Warning,
  type WarningFlag,
  type WarningLevel,
  type WarningProblem,
} from '../rules/warnings.ts';

export interface WarningFilter {
  readonly level?: WarningLevel;
  readonly problem?: WarningProblem;
  readonly projectId?: number;
  readonly county?: string;
}

/** A warning as the API answers it (money in yuan with two decimals). */
export interface WarningView {
  key: string;
  level: WarningLevel;
  levelName: string;
  problem: WarningProblem;
  problemName: string;
  month: string | null;
  project: { id: number; code: string; name: string; county: string };
  contractor: { uscc: string; name: string | null };
  riskScore: number | null;
  reasons: string[];
  workers: number;
  workersInArrears: number;
  arrears: string;
  amount: string;
  oldestDueDate: string | null;
  overdueDays: number;
  flagCount: number;
  severities: Record<Severity, number>;
  codes: { code: string; title: string }[];
  /** worker-months of the warning already in an order to pay in force / in a case not closed */
  ordered: number;
  inCase: number;
  /** wage flags of the warning an order can still be issued from (orderable, not yet in an order) */
  orderable: number;
  links: { flags: string; page: string };
  /** the problem persists in the day's facts (false: e.g. a month paid, late — it can be closed, not assigned) */
  persists: boolean;
  /** 整改: who follows the warning up, the deadline and the state (null when not assigned) */
  rectification: {
    state: RectificationState;
    stateName: string;
    assignee: string;
    deadline: string;
    overdueDays: number;
    reopenCount: number;
    /** the contractor's answers awaiting verification (报送门户, issue 20) */
    pendingResponses: number;
  } | null;
}

export interface WarningsOfDay {
  readonly asOf: string | null;
  readonly warnings: readonly Warning[];
  readonly flags: ReadonlyMap<number, WarningFlag>;
  readonly projects: ReadonlyMap<number, WarningProjectRow>;
}

/** The city's warnings of the latest day, kept while what they are derived from is unchanged (stateKey). */
const cityCache = new Map<string, { key: string; day: WarningsOfDay }>();

/**
 * Every warning of the latest evaluated day (filtered by project or county). The city's are derived once per
 * state of the stored evaluation and reused (a page of the queue and the dashboard read the same); a
 * project's or a county's are read at the source.
 */
export async function warningsOfDay(store: Store, f: Pick<WarningFilter, 'projectId' | 'county'> = {}): Promise<WarningsOfDay> {
  if (f.projectId === undefined && f.county === undefined) {
    return store.snapshot(async (s) => {
      const key = await s.warnings.stateKey();
      const hit = cityCache.get(s.location);
      let day: WarningsOfDay;
      if (hit && hit.key === key) day = hit.day;
      else cityCache.set(s.location, { key, day: (day = await deriveOfDay(s, {})) });
      // names and contractors as they stand now (a projects import changes them before any night)
      return { ...day, projects: await projectsOf(s, day.warnings) };
    });
  }
  return store.snapshot((s) => deriveOfDay(s, f));
}

async function deriveOfDay(s: Store, f: Pick<WarningFilter, 'projectId' | 'county'>): Promise<WarningsOfDay> {
  {
    const asOf = await s.warnings.latestDay();
    if (asOf === null) return { asOf, warnings: [], flags: new Map(), projects: new Map() };
    const rows = await s.warnings.openFlags(f);
    const flags = new Map<number, WarningFlag>();
    for (const [id, code, severity, projectId, idNumber, month, amount, dueDate] of rows) {
      flags.set(id, { id, code, severity: severity as Severity, projectId, idNumber, month, amount: amount as Fen | null, dueDate: dueDate as IsoDate | null });
    }
    const params = await paramsOfStore(s);
    const warnings = deriveWarnings([...flags.values()], asOf as IsoDate, params);
    return { asOf, warnings, flags, projects: await projectsOf(s, warnings) };
  }
}

async function projectsOf(s: Store, warnings: readonly Warning[]): Promise<Map<number, WarningProjectRow>> {
  return new Map((await s.warnings.projects([...new Set(warnings.map((w) => w.projectId))])).map((p) => [Number(p.id), p]));
}

function viewOf(w: Warning, day: WarningsOfDay, known: ReadonlyMap<string, WorkerMonthEnforcement>, rect?: RectificationRow, pendingResponses = 0): WarningView {
  const p = day.projects.get(w.projectId);
  // counted by worker-month (a worker who left unpaid has two flags for one worker-month)
  const ordered = new Set<string>();
  const inCase = new Set<string>();
  let orderable = 0;
  for (const id of w.flagIds) {
    const f = day.flags.get(id)!;
    if (!f.idNumber || !f.month) continue;
    const k = workerMonthKey(f.projectId, f.idNumber, f.month);
    const e = known.get(k);
    if (e?.orders.length) ordered.add(k);
    if (e?.cases.length) inCase.add(k);
    if ((ORDERABLE_CODES as readonly string[]).includes(f.code) && f.amount && !e?.orders.length) orderable++;
  }
  return {
    key: w.key,
    level: w.level,
    levelName: WARNING_LEVEL_ZH[w.level],
    problem: w.problem,
    problemName: WARNING_PROBLEM_ZH[w.problem],
    month: w.month,
    project: { id: w.projectId, code: p?.code ?? String(w.projectId), name: p?.name ?? '', county: p?.county ?? '' },
    contractor: { uscc: p?.contractor_uscc ?? '', name: p?.contractor_name ?? null },
    riskScore: p?.risk_score === null || p?.risk_score === undefined ? null : Number(p.risk_score),
    reasons: [...w.reasons],
    workers: w.workers,
    workersInArrears: w.workersInArrears,
    arrears: formatYuan(w.arrears),
    amount: formatYuan(w.amount),
    oldestDueDate: w.oldestDueDate,
    overdueDays: w.overdueDays,
    flagCount: w.flagCount,
    severities: { ...w.severities },
    codes: w.codes.map((code) => ({ code, title: (FLAGS as Record<string, { title: string }>)[code]?.title ?? code })),
    ordered: ordered.size,
    inCase: inCase.size,
    orderable,
    links: { flags: `/api/v1/warnings/${w.key}`, page: `/warnings/${w.key}` },
    persists: w.persists,
    rectification: rect
      ? (() => {
          const v = rectificationView(rect, w.persists, day.asOf);
          return { state: v.state, stateName: v.stateName, assignee: v.assignee, deadline: v.deadline, overdueDays: v.overdueDays, reopenCount: v.reopenCount, pendingResponses };
        })()
      : null,
  };
}

/** One page of the warnings, highest risk first, and the projects with a warning by their highest level. */
export async function listWarnings(
  store: Store,
  f: WarningFilter,
  limit: number,
  offset: number,
): Promise<{ asOf: string | null; items: WarningView[]; total: number; projectsByLevel: Record<WarningLevel, number> }> {
  const day = await warningsOfDay(store, { ...(f.projectId !== undefined ? { projectId: f.projectId } : {}), ...(f.county !== undefined ? { county: f.county } : {}) });
  const matching = day.warnings.filter((w) => (f.level === undefined || w.level === f.level) && (f.problem === undefined || w.problem === f.problem));
  const pageOf = matching.slice(offset, offset + limit);
  const known = await enforcementOfProjects(store, pageOf.map((w) => w.projectId));
  const rects = await store.rectifications.byKeys(pageOf.map((w) => w.key));
  const pending = await pendingResponses(store, pageOf.map((w) => w.key));
  return {
    asOf: day.asOf,
    items: pageOf.map((w) => viewOf(w, day, known, rects.get(w.key), pending.get(w.key))),
    total: matching.length,
    projectsByLevel: projectsByLevel(day.warnings),
  };
}

/** The contractors' answers awaiting verification, by warning key. */
async function pendingResponses(store: Store, keys: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const r of await store.uploads.responsesOf(keys, null)) if (r.status === 'submitted') out.set(r.warning_key, (out.get(r.warning_key) ?? 0) + 1);
  return out;
}

/** One warning by its key, with the ids of its flags (null when the key names no warning of the day). */
export async function findWarning(store: Store, key: string): Promise<{ asOf: string | null; warning: WarningView; flagIds: number[] } | null> {
  const parsed = parseWarningKey(key);
  if (!parsed) return null;
  const day = await warningsOfDay(store, { projectId: parsed.projectId });
  const w = day.warnings.find((x) => x.key === key);
  if (!w) return null;
  const known = await enforcementOfProjects(store, [w.projectId]);
  return { asOf: day.asOf, warning: viewOf(w, day, known, await store.rectifications.byKey(key), (await pendingResponses(store, [key])).get(key)), flagIds: [...w.flagIds] };
}

// ——— 整改闭环：指派、整改期限、核验、销号、自动重开 ———

/** A warning's rectification as the API answers it (overdue days counted when read). */
export interface RectificationView {
  key: string;
  projectId: number;
  project: { id: number; code: string; name: string };
  problem: string;
  problemName: string;
  status: 'open' | 'closed';
  state: RectificationState;
  stateName: string;
  assignee: string;
  assignedOn: string;
  workingDays: number;
  deadline: string;
  overdueDays: number;
  closedOn: string | null;
  closeReason: string | null;
  closeEvidence: string | null;
  closedBy: string | null;
  reopenedOn: string | null;
  reopenCount: number;
  /** the warning still shows in the facts of the evaluated day */
  present: boolean;
  asOf: string | null;
  steps?: { step: string; on: string; actor: string; reason: string; at: string }[];
}

export class RectificationError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RectificationError';
  }
}

function rectificationView(r: RectificationRow, present: boolean, asOf: string | null, project?: WarningProjectRow): RectificationView {
  const { state, overdueDays } = rectificationState({ status: r.status, deadline: r.deadline as IsoDate }, present, (asOf ?? r.assigned_on) as IsoDate);
  return {
    key: r.warning_key,
    projectId: r.project_id,
    project: { id: r.project_id, code: project?.code ?? String(r.project_id), name: project?.name ?? '' },
    problem: r.problem,
    problemName: WARNING_PROBLEM_ZH[r.problem as WarningProblem] ?? r.problem,
    status: r.status,
    state,
    stateName: RECTIFICATION_STATE_ZH[state],
    assignee: r.assignee,
    assignedOn: r.assigned_on,
    workingDays: r.working_days,
    deadline: r.deadline,
    overdueDays,
    closedOn: r.closed_on,
    closeReason: r.close_reason,
    closeEvidence: r.close_evidence,
    closedBy: r.closed_by,
    reopenedOn: r.reopened_on,
    reopenCount: r.reopen_count,
    present,
    asOf,
  };
}

/** A warning's rectification with its history (null when never assigned). */
export async function rectificationOf(store: Store, key: string): Promise<RectificationView | null> {
  const r = await store.rectifications.byKey(key);
  if (!r) return null;
  const day = await warningsOfDay(store, { projectId: r.project_id });
  const [project] = await store.warnings.projects([r.project_id]);
  const view = rectificationView(r, day.warnings.some((w) => w.key === key && w.persists), day.asOf, project);
  view.steps = (await store.rectifications.steps(r.id)).map((s) => ({ step: s.step, on: s.on, actor: s.actor, reason: s.reason, at: s.at }));
  return view;
}

/** Every rectification, with its state on the evaluated day (`state` filters: overdue ones for the dashboard). */
export async function listRectifications(store: Store, filter: { state?: RectificationState } = {}): Promise<{ asOf: string | null; items: RectificationView[] }> {
  const rows = await store.rectifications.list();
  const day = await warningsOfDay(store);
  const present = new Set(day.warnings.filter((w) => w.persists).map((w) => w.key));
  const projects = new Map((await store.warnings.projects([...new Set(rows.map((r) => r.project_id))])).map((p) => [Number(p.id), p]));
  const items = rows
    .map((r) => rectificationView(r, present.has(r.warning_key), day.asOf, projects.get(r.project_id)))
    .filter((v) => filter.state === undefined || v.state === filter.state);
  return { asOf: day.asOf, items };
}

const calendarOfStore = async (store: Store) => calendarOf((await paramsOfStore(store)).holidays).strictView();

/**
 * 指派 — the warning (present in the day's facts) goes to an inspector with a rectification deadline of
 * `workingDays` working days from `on` (the official calendar; a year without a holiday notice is refused).
 */
export async function assignWarning(
  store: Store,
  key: string,
  input: { assignee: string; workingDays: number; reason: string; on: IsoDate },
  actor: { name: string },
  now: string,
  /** told when the inspector's notice could not be queued (the assignment stands) */
  onNoticeError: (e: unknown) => void = () => {},
): Promise<RectificationView> {
  const parsed = parseWarningKey(key);
  if (!parsed) throw new RectificationError(404, 'NOT_FOUND', `预警 ${key}不存在`);
  const assignee = input.assignee.trim();
  const reason = input.reason.trim();
  if (assignee === '') throw new RectificationError(400, 'ASSIGNEE_REQUIRED', '必须指定负责整改跟踪的劳动保障监察员');
  if (reason === '') throw new RectificationError(400, 'REASON_REQUIRED', '必须填写理由');
  const day = await warningsOfDay(store, { projectId: parsed.projectId });
  const w = day.warnings.find((x) => x.key === key);
  if (!w || !w.persists) throw new RectificationError(404, 'NOT_FOUND', `预警 ${key}在 ${day.asOf ?? '—'} 的评估中不存在或问题已不再存在`);
  const before = await store.rectifications.byKey(key);
  if (before && before.status === 'open' && before.assignee === assignee && before.working_days === input.workingDays && before.assigned_on === input.on) {
    return (await rectificationOf(store, key))!;
  }
  let deadline: IsoDate;
  try {
    deadline = (await calendarOfStore(store)).addWorkingDays(input.on, input.workingDays);
  } catch (e) {
    if (e instanceof MissingHolidayScheduleError) throw new RectificationError(422, 'MISSING_HOLIDAY_SCHEDULE', `整改期限无法确定：${e.message}`);
    throw e;
  }
  await store.rectifications.assign(
    { key, projectId: w.projectId, problem: w.problem, assignee, on: input.on, workingDays: input.workingDays, deadline },
    {
      step: before ? 'reassign' : 'assign',
      on: input.on,
      actor: actor.name,
      reason: maskText(reason),
      detail: { level: w.level, workingDays: input.workingDays, deadline, previous: before ? { assignee: before.assignee, deadline: before.deadline, status: before.status } : null },
      at: now,
    },
  );
  // 通知: the assigned inspector is told (README “通知”); an assignment repeated unchanged is not sent again.
  // The outbox is written after the step: the assignment stands even if queuing fails (the caller logs it);
  // an inspector without an address on record gets no notice.
  await enqueueWarningAssigned(
    store,
    {
      inspectorName: assignee,
      projectId: w.projectId,
      warningRef: key,
      title: `${WARNING_PROBLEM_ZH[w.problem]}${w.month ? `（${w.month.slice(0, 4)}年${Number(w.month.slice(5))}月工资）` : ''}`,
      level: w.level,
      assignedBy: actor.name,
      dueOn: deadline,
      link: `/warnings/${encodeURIComponent(key)}`,
      assignmentKey: `${key}:${assignee}:${deadline}`,
    },
    now,
  ).catch((e: unknown) => {
    onNoticeError(e);
    return [];
  });
  return (await rectificationOf(store, key))!;
}

/**
 * 销号 — closes a rectification once the facts of the evaluated day no longer show the warning (verified),
 * with a reason and the evidence (document numbers, the wage transfers' references …).
 */
export async function closeWarning(store: Store, key: string, input: { reason: string; evidence: string; on: IsoDate }, actor: { name: string }, now: string): Promise<RectificationView> {
  const reason = input.reason.trim();
  const evidence = input.evidence.trim();
  if (reason === '' || evidence === '') throw new RectificationError(400, 'REASON_REQUIRED', '销号必须填写理由和证据（如文书编号、补发工资的转账流水号）');
  const r = await store.rectifications.byKey(key);
  if (!r) throw new RectificationError(409, 'NOT_ASSIGNED', '该预警尚未指派整改，不能销号');
  if (r.status === 'closed') throw new RectificationError(409, 'ALREADY_CLOSED', `该预警已于${r.closed_on}销号`);
  const view = await rectificationOf(store, key);
  if (view!.present) {
    throw new RectificationError(409, 'NOT_VERIFIED', `截至${view!.asOf}的评估仍显示该问题（${view!.problemName}），核验未通过，不能销号：请待整改后的数据导入并重算后再核验`);
  }
  await store.tx(async (tx) => {
    // the contractor's answers awaiting verification (issue 20) are accepted with the 销号, in its transaction
    const answers = (await tx.uploads.responsesOf([key], null)).filter((a) => a.status === 'submitted').map((a) => a.id);
    await tx.rectifications.close(
      r.id,
      { on: input.on, reason: maskText(reason), evidence: maskText(evidence), actor: actor.name },
      { step: 'close', on: input.on, actor: actor.name, reason: maskText(reason), detail: { evidence: maskText(evidence), verifiedOn: view!.asOf, acceptedResponses: answers }, at: now },
    );
    await tx.uploads.reviewResponses(answers, { status: 'accepted', by: actor.name, at: now, reason: maskText(reason) });
  });
  return (await rectificationOf(store, key))!;
}

/**
 * 自动重开 — after the night of `asOf` (the latest evaluated day), every closed rectification whose warning
 * shows again is reopened with a new deadline of its working days. Recomputing an earlier day reopens
 * nothing. Returns the keys reopened.
 */
export async function reopenWarnings(store: Store, asOf: IsoDate, now: string): Promise<string[]> {
  const closed = await store.rectifications.list('closed');
  if (closed.length === 0) return [];
  const latest = await store.warnings.latestDay();
  if (latest === null || asOf < latest) return [];
  const day = await warningsOfDay(store);
  const present = new Map(day.warnings.filter((w) => w.persists).map((w) => [w.key, w]));
  const calendar = calendarOf((await paramsOfStore(store)).holidays);
  const reopened: string[] = [];
  for (const r of closed) {
    const w = present.get(r.warning_key);
    if (!reopenable({ status: r.status, closedOn: r.closed_on as IsoDate | null }, w !== undefined, asOf)) continue;
    // a year without a holiday notice: weekends alone (the deadline is then provisional, as the ledger's)
    const deadline = calendar.addWorkingDays(asOf, r.working_days);
    await store.rectifications.reopen(
      r.id,
      { on: asOf, deadline },
      { step: 'reopen', on: asOf, actor: '系统（夜间重算）', reason: `${asOf}的评估再次显示该问题（${WARNING_LEVEL_ZH[w!.level]}），自动重开`, detail: { level: w!.level, flagCount: w!.flagCount, closedOn: r.closed_on, deadline }, at: now },
    );
    // NOTICE CALL SITE (issue 18 point 4): the assigned inspector is told the warning reopened.
    reopened.push(r.warning_key);
  }
  return reopened;
}
