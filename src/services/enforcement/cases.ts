/**
 * 欠薪案件 — intake (linked to worker-months, routed by src/rules/caseRouting.ts), the lawful transitions
 * only (src/rules/cases.ts; anything else is a 409 with a Chinese message), acceptance, amounts agreed and
 * amounts paid to the workers, and the case as of D with its running statutory deadlines.
 */
import type { IsoDate } from '../../domain/date.ts';
import { formatYuan, sumFen, type Fen } from '../../domain/money.ts';
import type { CaseRow } from '../../store/repos/cases.ts';
import type { Store } from '../../store/store.ts';
import { routeCase, type Routing } from '../../rules/caseRouting.ts';
import { allowedNext, CASE_STAGES, checkTransition, STAGE_ZH, stageDeadlines, type CaseStage } from '../../rules/cases.ts';
import { isPast } from '../../rules/deadlines.ts';
import { workerArrearsOf } from '../../rules/orders.ts';
import { audit, EnforcementError, employerNameOf, judgeOf, keyOf, notFoundError, projectsAt, requireDate, requireReason, workingCalendar, viewsOf, type Actor, type Judge } from './common.ts';
import { evaluateStoredOrder, refuseSecond, resolveFindings } from './orders.ts';

export interface Circumstances {
  employerAbsconded?: boolean;
  writtenIou?: boolean;
  willingToMediate?: boolean;
  enforceableTitle?: boolean;
}

export interface IntakeInput {
  /** worker-months by flag */
  findingIds?: number[];
  fingerprints?: string[];
  /** or named directly */
  items?: { project: string; idNumber: string; month: string }[];
  filedOn: string;
  reason: string;
  title?: string;
  employerUscc?: string;
  circumstances?: Circumstances;
  /** the project warning the case was opened from (recorded in the audit entry) */
  fromWarning?: string;
}

async function projectIdOf(store: Store, ref: string): Promise<number> {
  const row = await store.cases.project(ref);
  if (!row) throw new EnforcementError(404, 'NOT_FOUND', `项目“${ref}”不存在`);
  return row.id;
}

/** Routing facts of a case as of a day: the claim from the ledger, the county, the deposit, an expired order. */
async function routingOf(j: Judge, employerUscc: string, mainProjectId: number, items: { projectId: number; idNumber: string; month: string; claimed: Fen; name?: string }[], on: IsoDate, c: Circumstances): Promise<Routing> {
  const county = (await j.store.cases.project(String(mainProjectId)))!.county;
  const at = await projectsAt(j, [...new Set(items.map((i) => i.projectId))], on);
  let orderExpiredUnpaid = false;
  for (const id of await j.store.orders.ids({ employerUscc })) {
    const row = (await j.store.orders.get(id))!;
    if (row.withdrawn_at || row.deadline >= on) continue;
    if ((await evaluateStoredOrder(j, row, on)).status === 'expired_unpaid') orderExpiredUnpaid = true;
  }
  return routeCase({
    on,
    county,
    claimants: workerArrearsOf(items.map((i) => ({ idNumber: i.idNumber, ...(i.name ? { name: i.name } : {}), owedNow: i.claimed, month: i.month }))),
    employerAbsconded: Boolean(c.employerAbsconded),
    writtenIou: Boolean(c.writtenIou),
    willingToMediate: Boolean(c.willingToMediate),
    enforceableTitle: Boolean(c.enforceableTitle),
    orderExpiredUnpaid,
    depositHeld: at.depositHeld,
  });
}

export async function intakeCase(store: Store, input: IntakeInput, actor: Actor, now: string): Promise<number> {
  const reason = requireReason(input.reason);
  const filedOn = requireDate(input.filedOn, '登记日期');
  const j = await judgeOf(store);
  const wanted: { projectId: number; idNumber: string; month: string; fingerprint: string | null; findingId?: number }[] = [];
  for (const f of await resolveFindings(store, input.findingIds, input.fingerprints)) wanted.push({ projectId: f.project_id, idNumber: f.id_number!, month: f.month!, fingerprint: f.fingerprint, findingId: f.id });
  for (const i of input.items ?? []) wanted.push({ projectId: await projectIdOf(store, i.project), idNumber: i.idNumber.toUpperCase(), month: i.month, fingerprint: null });
  if (wanted.length === 0) throw new EnforcementError(400, 'NO_ITEMS', '案件必须关联至少一个工人月度（findingIds、fingerprints 或 items）');
  const at = await projectsAt(j, wanted.map((w) => w.projectId), filedOn);
  const ledger = new Map(at.ledger.map((w) => [keyOf(w.projectId, w.idNumber, w.month), w]));
  const seen = new Set<string>();
  const items: { projectId: number; idNumber: string; month: string; claimed: Fen; fingerprint: string | null; name: string; findingId?: number }[] = [];
  for (const w of wanted) {
    const k = keyOf(w.projectId, w.idNumber, w.month);
    if (seen.has(k)) continue;
    seen.add(k);
    const line = ledger.get(k);
    if (!line) throw new EnforcementError(422, 'NO_WORKER_MONTH', `截至${filedOn}，工资台账中没有该工人${w.month}的记录`);
    if (line.arrears <= 0) throw new EnforcementError(422, 'NOTHING_OWED', `截至${filedOn}，${line.name}${w.month}工资没有欠付（状态：${line.status}）`);
    items.push({ ...w, claimed: line.arrears, name: line.name });
  }
  const main = items[0]!.projectId;
  const project = at.projects.find((p) => p.id === main)!;
  const contractors = [...new Set(items.map((i) => at.projects.find((p) => p.id === i.projectId)!.contractorUscc))];
  const employer = input.employerUscc ?? (contractors.length === 1 ? contractors[0]! : null);
  if (!employer) throw new EnforcementError(422, 'EMPLOYER_AMBIGUOUS', '所列工人月度属于不同总承包单位的项目：请指定被申请单位 employerUscc');
  const c = input.circumstances ?? {};
  const routing = await routingOf(j, employer, main, items, filedOn, c);
  const claimed = sumFen(items.map((i) => i.claimed));
  const workers = new Set(items.map((i) => i.idNumber)).size;
  const title = input.title?.trim() || `${project.code} ${workers}名工人追索欠薪`;
  return store.tx(async (tx) => {
    await refuseSecond(tx, items.map((i) => ({ project_id: i.projectId, id_number: i.idNumber, month: i.month, ...(i.findingId !== undefined ? { id: i.findingId } : {}) })), 'case');
    const id = await tx.cases.insert({
      employerUscc: employer,
      projectId: main,
      title,
      filedOn,
      circumstances: c as Record<string, unknown>,
      routing,
      claimedFen: claimed,
      createdAt: now,
      createdBy: actor.name,
      items: items.map((i) => ({ projectId: i.projectId, idNumber: i.idNumber, month: i.month, claimedFen: i.claimed, fingerprint: i.fingerprint })),
    });
    await addEvent(tx, id, { kind: 'intake', on: filedOn, toStage: 'intake', amount: claimed, actor, reason, now, detail: { route: routing.route, finalAward: routing.finalAward, workers, items: items.length } });
    await audit(tx, actor, now, 'case_intake', 'wage_case', id, reason, { employerUscc: employer, projectId: main, claimed: formatYuan(claimed), workers, route: routing.route, routing: routing.sentence, ...(input.fromWarning ? { fromWarning: input.fromWarning } : {}) });
    return id;
  });
}

function addEvent(
  store: Store,
  caseId: number,
  e: { kind: string; on: string; fromStage?: string; toStage?: string; amount?: number; idNumber?: string | undefined; bankRef?: string | undefined; actor: Actor; reason: string; now: string; detail?: Record<string, unknown> },
): Promise<void> {
  return store.cases.addEvent(caseId, {
    kind: e.kind,
    on: e.on,
    fromStage: e.fromStage ?? null,
    toStage: e.toStage ?? null,
    amountFen: e.amount ?? null,
    idNumber: e.idNumber ?? null,
    bankRef: e.bankRef ?? null,
    actor: e.actor.name,
    reason: e.reason,
    at: e.now,
    detail: e.detail ?? {},
  });
}

async function loadCase(store: Store, id: number): Promise<CaseRow> {
  const row = await store.cases.get(id);
  if (!row) throw notFoundError(`案件 #${id}`);
  return row;
}

export interface TransitionInput {
  to: string;
  on: string;
  reason: string;
  /** awarded: final award (default: the routing's answer) */
  finalAward?: boolean;
  /** trial: simplified | small_claims */
  procedure?: 'simplified' | 'small_claims';
  /** awarded / judged / closed by agreement: the amount the award, judgment or settlement fixes */
  agreedAmount?: number;
  /** awarded / judged: 履行期间 in days from the day the document takes effect (民事诉讼法 第二百五十条) */
  performanceDays?: number;
  /** awarded / judged: the last day of performance the document names */
  performanceDueOn?: string;
}

/** The performance period recorded with the transition into the current awarded / judged stage. */
async function performanceOf(store: Store, row: CaseRow): Promise<{ performanceDays?: number; performanceDueOn?: IsoDate }> {
  if (row.stage !== 'awarded' && row.stage !== 'judged') return {};
  const detail = (await store.cases.lastTransitionInto(row.id, row.stage)) ?? {};
  return {
    ...(typeof detail.performanceDays === 'number' ? { performanceDays: detail.performanceDays } : {}),
    ...(typeof detail.performanceDueOn === 'string' ? { performanceDueOn: detail.performanceDueOn as IsoDate } : {}),
  };
}

export async function transitionCase(store: Store, id: number, input: TransitionInput, actor: Actor, now: string): Promise<void> {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '日期');
  if (!(CASE_STAGES as readonly string[]).includes(input.to)) throw new EnforcementError(400, 'UNKNOWN_STAGE', `没有“${input.to}”这个案件阶段：可选 ${CASE_STAGES.join('、')}`);
  const to = input.to as CaseStage;
  await store.tx(async (tx) => {
    const row = await loadCase(tx, id);
    const from = row.stage as CaseStage;
    const check = checkTransition(from, to);
    if (!check.ok) throw new EnforcementError(409, 'TRANSITION_FORBIDDEN', check.message, { from, to, allowed: check.allowed });
    if (on < row.stage_since) throw new EnforcementError(422, 'DATE_BEFORE_STAGE', `日期${on}早于当前阶段开始日${row.stage_since}`);
    const routing = row.routing as Routing | null;
    const finalAward = to === 'awarded' ? (input.finalAward ?? routing?.finalAward ?? false) : row.final_award;
    const procedure = to === 'trial' ? (input.procedure ?? 'simplified') : row.procedure;
    const performance: Record<string, unknown> = {};
    if (input.performanceDays !== undefined || input.performanceDueOn !== undefined) {
      if (to !== 'awarded' && to !== 'judged') throw new EnforcementError(400, 'BAD_REQUEST', '履行期间只能在转入“已作出仲裁裁决”或“已作出判决”时记录');
      if (input.performanceDays !== undefined) {
        if (!Number.isInteger(input.performanceDays) || input.performanceDays < 1) throw new EnforcementError(400, 'BAD_REQUEST', '履行期间天数必须是正整数');
        performance.performanceDays = input.performanceDays;
      }
      if (input.performanceDueOn !== undefined) {
        const due = requireDate(input.performanceDueOn, '履行期间最后一日');
        if (due < on) throw new EnforcementError(422, 'DATE_BEFORE_STAGE', `履行期间最后一日${due}早于文书送达日${on}`);
        performance.performanceDueOn = due;
      }
    }
    await tx.cases.setStage(id, { stage: to, since: on, finalAward, procedure });
    await addEvent(tx, id, { kind: 'transition', on, fromStage: from, toStage: to, actor, reason, now, detail: { basis: check.transition.basis, why: check.transition.why, ...(to === 'awarded' ? { finalAward } : {}), ...(to === 'trial' ? { procedure } : {}), ...performance } });
    await audit(tx, actor, now, 'case_transition', 'wage_case', id, reason, { from, to, on, basis: check.transition.basis });
    if (input.agreedAmount !== undefined) await setAgreed(tx, id, input.agreedAmount, on, `${STAGE_ZH[to]}：${reason}`, actor, now);
  });
}

const ACCEPTING: readonly CaseStage[] = ['arbitration', 'inspection', 'trial', 'enforcement'];

/** 受理 — the arbitration committee, inspectorate or court accepted the matter on `on` (starts the next clock). */
export async function acceptCase(store: Store, id: number, input: { on: string; reason: string }, actor: Actor, now: string): Promise<void> {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '受理日期');
  await store.tx(async (tx) => {
    const row = await loadCase(tx, id);
    if (!ACCEPTING.includes(row.stage as CaseStage)) throw new EnforcementError(409, 'NOT_ACCEPTABLE', `案件处于“${STAGE_ZH[row.stage as CaseStage]}”阶段，没有受理环节（仅仲裁、监察、诉讼、执行阶段可记录受理）`);
    if (row.accepted_on) throw new EnforcementError(409, 'ALREADY_ACCEPTED', `本阶段已于${row.accepted_on}受理`);
    if (on < row.stage_since) throw new EnforcementError(422, 'DATE_BEFORE_STAGE', `受理日期${on}早于申请日${row.stage_since}`);
    await tx.cases.setAccepted(id, on);
    await addEvent(tx, id, { kind: 'accept', on, toStage: row.stage, actor, reason, now });
    await audit(tx, actor, now, 'case_accept', 'wage_case', id, reason, { stage: row.stage, on });
  });
}

async function setAgreed(tx: Store, id: number, amount: number, on: IsoDate, reason: string, actor: Actor, now: string): Promise<void> {
  if (!Number.isInteger(amount) || amount < 0) throw new EnforcementError(400, 'BAD_AMOUNT', '金额必须是非负整数（分）');
  await tx.cases.setAgreed(id, amount);
  await addEvent(tx, id, { kind: 'agree', on, amount, actor, reason, now });
  await audit(tx, actor, now, 'case_agree', 'wage_case', id, reason, { agreed: formatYuan(amount as Fen), on });
}

/** 约定金额 — the amount a mediation agreement, award, judgment or settlement fixes. */
export async function recordAgreed(store: Store, id: number, input: { amount: number; on: string; reason: string }, actor: Actor, now: string): Promise<void> {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '日期');
  await store.tx(async (tx) => {
    const row = await loadCase(tx, id);
    if (row.stage === 'closed' || row.stage === 'withdrawn') throw new EnforcementError(409, 'CASE_CLOSED', '案件已终结，不能再记录约定金额');
    await setAgreed(tx, id, input.amount, on, reason, actor, now);
  });
}

/** 实付到人 — money actually paid to a worker of the case (with the bank reference when by transfer). */
export async function recordPaid(store: Store, id: number, input: { amount: number; on: string; reason: string; idNumber?: string; bankRef?: string }, actor: Actor, now: string): Promise<void> {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '支付日期');
  if (!Number.isInteger(input.amount) || input.amount <= 0) throw new EnforcementError(400, 'BAD_AMOUNT', '支付金额必须是正整数（分）');
  await store.tx(async (tx) => {
    const row = await loadCase(tx, id);
    if (row.stage === 'withdrawn') throw new EnforcementError(409, 'CASE_CLOSED', '案件已撤回');
    if (input.idNumber && !(await tx.cases.hasClaimant(id, input.idNumber.toUpperCase()))) throw new EnforcementError(422, 'NOT_A_CLAIMANT', '该工人不是本案申请人');
    await tx.cases.addPaid(id, input.amount);
    await addEvent(tx, id, { kind: 'pay', on, amount: input.amount, idNumber: input.idNumber?.toUpperCase(), bankRef: input.bankRef, actor, reason, now });
    await audit(tx, actor, now, 'case_payment', 'wage_case', id, reason, { amount: formatYuan(input.amount as Fen), on, bankRef: input.bankRef ?? null });
  });
}

/** The stage's running deadlines as of D, each with whether it has passed. */
export async function caseDeadlines(j: Judge, row: CaseRow, asOf: IsoDate) {
  return stageDeadlines(
    {
      ...(await performanceOf(j.store, row)),
      stage: row.stage as CaseStage,
      since: row.stage_since as IsoDate,
      ...(row.accepted_on ? { acceptedOn: row.accepted_on as IsoDate } : {}),
      ...(row.final_award !== null ? { finalAward: row.final_award } : {}),
      ...(row.procedure ? { procedure: row.procedure as 'simplified' | 'small_claims' } : {}),
    },
    // the calendar of the parameters in force (the bureau's holiday imports), as every other deadline
    workingCalendar(j),
  ).map((d) => ({ ...d, past: isPast(d, asOf) }));
}

/** One case as the API answers it, as of D (`judge`: the parameters a list shares). */
export async function caseView(store: Store, id: number, asOf: IsoDate, judge?: Judge) {
  const j = judge ?? (await judgeOf(store));
  const row = await loadCase(store, id);
  const items = await store.cases.items(id);
  const at = await projectsAt(j, items.map((i) => i.project_id), asOf);
  const ledger = new Map(at.ledger.map((w) => [keyOf(w.projectId, w.idNumber, w.month), w]));
  const employerName = await employerNameOf(store, row.employer_uscc);
  const itemViews = items.map((i) => {
    const w = ledger.get(keyOf(i.project_id, i.id_number, i.month));
    return {
      projectCode: i.project_code,
      idNumber: i.id_number,
      name: i.name,
      month: i.month,
      claimed: formatYuan(i.claimed_fen as Fen),
      ledger: w ? { dueDate: w.dueDate, netDue: w.netDue === null ? null : formatYuan(w.netDue), paid: formatYuan(w.paid), arrears: formatYuan(w.arrears), status: w.status } : null,
      fingerprint: i.fingerprint,
    };
  });
  const ledgerArrears = sumFen(items.map((i) => ledger.get(keyOf(i.project_id, i.id_number, i.month))?.arrears ?? (0 as Fen)));
  const stage = row.stage as CaseStage;
  return {
    id: row.id,
    title: row.title,
    employerUscc: row.employer_uscc,
    employerName,
    projectId: row.project_id,
    filedOn: row.filed_on,
    stage,
    stageName: STAGE_ZH[stage],
    stageSince: row.stage_since,
    acceptedOn: row.accepted_on,
    finalAward: row.final_award,
    procedure: row.procedure,
    circumstances: row.circumstances as Circumstances,
    routing: row.routing as Routing,
    amounts: {
      claimed: formatYuan(row.claimed_fen as Fen),
      agreed: row.agreed_fen === null ? null : formatYuan(row.agreed_fen as Fen),
      paidToWorkers: formatYuan(row.paid_fen as Fen),
      ledgerArrearsNow: formatYuan(ledgerArrears),
      outstandingAgainstAgreed: row.agreed_fen === null ? null : formatYuan(Math.max(0, row.agreed_fen - row.paid_fen) as Fen),
    },
    asOf,
    deadlines: await caseDeadlines(j, row, asOf),
    allowedNext: allowedNext(stage).map((t) => ({ to: t.to, name: STAGE_ZH[t.to], why: t.why, basis: t.basis })),
    items: itemViews,
    events: (await store.cases.events(id)).map((e) => ({ id: e.id, kind: e.kind, on: e.on, fromStage: e.from_stage, toStage: e.to_stage, amount: e.amount_fen === null ? null : formatYuan(e.amount_fen as Fen), idNumber: e.id_number, bankRef: e.bank_ref, actor: e.actor, reason: e.reason, at: e.at, detail: e.detail as unknown })),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
export type CaseView = Awaited<ReturnType<typeof caseView>>;

/** Every case of the filter as of D, oldest first, judged with one parameter set. */
export async function caseViews(store: Store, filter: { stage?: string; employerUscc?: string }, asOf: IsoDate): Promise<CaseView[]> {
  return viewsOf(store, await store.cases.ids(filter), (id, j) => caseView(store, id, asOf, j));
}
