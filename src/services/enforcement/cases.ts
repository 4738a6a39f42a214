/**
 * 欠薪案件 — intake (linked to worker-months, routed by src/rules/caseRouting.ts), the lawful transitions
 * only (src/rules/cases.ts; anything else is a 409 with a Chinese message), acceptance, amounts agreed and
 * amounts paid to the workers, and the case as of D with its running statutory deadlines.
 */
import type { IsoDate } from '../../domain/date.ts';
import { formatYuan, sumFen, type Fen } from '../../domain/money.ts';
import { caseEvents, caseItems, getCaseRow, getOrderRow, type CaseRow } from '../../db/enforcement.ts';
import type { Db } from '../../db/open.ts';
import { routeCase, type Routing } from '../../rules/caseRouting.ts';
import { allowedNext, CASE_STAGES, checkTransition, STAGE_ZH, stageDeadlines, type CaseStage } from '../../rules/cases.ts';
import { isPast } from '../../rules/deadlines.ts';
import { workerArrearsOf } from '../../rules/orders.ts';
import { audit, EnforcementError, keyOf, notFoundError, projectsAt, requireDate, requireReason, workingCalendar, type Actor } from './common.ts';
import { evaluateStoredOrder, listOrderIds, refuseSecond, resolveFindings } from './orders.ts';

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

function projectIdOf(db: Db, ref: string): number {
  const row = (/^\d+$/.test(ref) ? db.$client.prepare('SELECT id FROM projects WHERE id = ?').get(Number(ref)) : db.$client.prepare('SELECT id FROM projects WHERE code = ?').get(ref)) as { id: number } | undefined;
  if (!row) throw new EnforcementError(404, 'NOT_FOUND', `项目“${ref}”不存在`);
  return row.id;
}

/** Routing facts of a case as of a day: the claim from the ledger, the county, the deposit, an expired order. */
function routingOf(db: Db, employerUscc: string, mainProjectId: number, items: { projectId: number; idNumber: string; month: string; claimed: Fen; name?: string }[], on: IsoDate, c: Circumstances): Routing {
  const county = (db.$client.prepare('SELECT county FROM projects WHERE id = ?').get(mainProjectId) as { county: string }).county;
  const at = projectsAt(db, [...new Set(items.map((i) => i.projectId))], on);
  let orderExpiredUnpaid = false;
  for (const id of listOrderIds(db, { employerUscc })) {
    const row = getOrderRow(db, id)!;
    if (row.withdrawn_at || row.deadline >= on) continue;
    if (evaluateStoredOrder(db, row, on).status === 'expired_unpaid') orderExpiredUnpaid = true;
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

export function intakeCase(db: Db, input: IntakeInput, actor: Actor, now: string): number {
  const reason = requireReason(input.reason);
  const filedOn = requireDate(input.filedOn, '登记日期');
  const wanted: { projectId: number; idNumber: string; month: string; fingerprint: string | null; findingId?: number }[] = [];
  for (const f of resolveFindings(db, input.findingIds, input.fingerprints)) wanted.push({ projectId: f.project_id, idNumber: f.id_number!, month: f.month!, fingerprint: f.fingerprint, findingId: f.id });
  for (const i of input.items ?? []) wanted.push({ projectId: projectIdOf(db, i.project), idNumber: i.idNumber.toUpperCase(), month: i.month, fingerprint: null });
  if (wanted.length === 0) throw new EnforcementError(400, 'NO_ITEMS', '案件必须关联至少一个工人月度（findingIds、fingerprints 或 items）');
  const at = projectsAt(db, wanted.map((w) => w.projectId), filedOn);
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
  const routing = routingOf(db, employer, main, items, filedOn, c);
  const claimed = sumFen(items.map((i) => i.claimed));
  const workers = new Set(items.map((i) => i.idNumber)).size;
  const title = input.title?.trim() || `${project.code} ${workers}名工人追索欠薪`;
  return db.$client.transaction(() => {
    refuseSecond(db, items.map((i) => ({ project_id: i.projectId, id_number: i.idNumber, month: i.month, ...(i.findingId !== undefined ? { id: i.findingId } : {}) })), 'case');
    const r = db.$client
      .prepare(
        `INSERT INTO wage_cases (employer_uscc, project_id, title, stage, stage_since, circumstances, routing, claimed_fen, paid_fen, created_at, created_by, filed_on)
         VALUES (?, ?, ?, 'intake', ?, ?, ?, ?, 0, ?, ?, ?)`,
      )
      .run(employer, main, title, filedOn, JSON.stringify(c), JSON.stringify(routing), claimed, now, actor.name, filedOn);
    const id = Number(r.lastInsertRowid);
    const ins = db.$client.prepare('INSERT INTO wage_case_items (case_id, project_id, id_number, month, claimed_fen, fingerprint) VALUES (?, ?, ?, ?, ?, ?)');
    for (const i of items) ins.run(id, i.projectId, i.idNumber, i.month, i.claimed, i.fingerprint);
    addEvent(db, id, { kind: 'intake', on: filedOn, toStage: 'intake', amount: claimed, actor, reason, now, detail: { route: routing.route, finalAward: routing.finalAward, workers, items: items.length } });
    audit(db, actor, now, 'case_intake', 'wage_case', id, reason, { employerUscc: employer, projectId: main, claimed: formatYuan(claimed), workers, route: routing.route, routing: routing.sentence, ...(input.fromWarning ? { fromWarning: input.fromWarning } : {}) });
    return id;
  })();
}

function addEvent(
  db: Db,
  caseId: number,
  e: { kind: string; on: string; fromStage?: string; toStage?: string; amount?: number; idNumber?: string; bankRef?: string; actor: Actor; reason: string; now: string; detail?: Record<string, unknown> },
): void {
  db.$client
    .prepare(
      `INSERT INTO wage_case_events (case_id, kind, "on", from_stage, to_stage, amount_fen, id_number, bank_ref, actor, reason, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(caseId, e.kind, e.on, e.fromStage ?? null, e.toStage ?? null, e.amount ?? null, e.idNumber ?? null, e.bankRef ?? null, e.actor.name, e.reason, e.now, JSON.stringify(e.detail ?? {}));
}

function loadCase(db: Db, id: number): CaseRow {
  const row = getCaseRow(db, id);
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
function performanceOf(db: Db, row: CaseRow): { performanceDays?: number; performanceDueOn?: IsoDate } {
  if (row.stage !== 'awarded' && row.stage !== 'judged') return {};
  const e = db.$client
    .prepare("SELECT detail FROM wage_case_events WHERE case_id = ? AND kind = 'transition' AND to_stage = ? ORDER BY id DESC LIMIT 1")
    .get(row.id, row.stage) as { detail: string } | undefined;
  const detail = e ? (JSON.parse(e.detail) as { performanceDays?: number; performanceDueOn?: IsoDate }) : {};
  return {
    ...(typeof detail.performanceDays === 'number' ? { performanceDays: detail.performanceDays } : {}),
    ...(typeof detail.performanceDueOn === 'string' ? { performanceDueOn: detail.performanceDueOn } : {}),
  };
}

export function transitionCase(db: Db, id: number, input: TransitionInput, actor: Actor, now: string): void {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '日期');
  if (!(CASE_STAGES as readonly string[]).includes(input.to)) throw new EnforcementError(400, 'UNKNOWN_STAGE', `没有“${input.to}”这个案件阶段：可选 ${CASE_STAGES.join('、')}`);
  const to = input.to as CaseStage;
  db.$client.transaction(() => {
    const row = loadCase(db, id);
    const from = row.stage as CaseStage;
    const check = checkTransition(from, to);
    if (!check.ok) throw new EnforcementError(409, 'TRANSITION_FORBIDDEN', check.message, { from, to, allowed: check.allowed });
    if (on < row.stage_since) throw new EnforcementError(422, 'DATE_BEFORE_STAGE', `日期${on}早于当前阶段开始日${row.stage_since}`);
    const routing = JSON.parse(row.routing) as Routing | null;
    const finalAward = to === 'awarded' ? (input.finalAward ?? routing?.finalAward ?? false) : row.final_award === null ? null : Boolean(row.final_award);
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
    db.$client
      .prepare('UPDATE wage_cases SET stage = ?, stage_since = ?, accepted_on = NULL, final_award = ?, procedure = ? WHERE id = ?')
      .run(to, on, finalAward === null ? null : finalAward ? 1 : 0, procedure, id);
    addEvent(db, id, { kind: 'transition', on, fromStage: from, toStage: to, actor, reason, now, detail: { basis: check.transition.basis, why: check.transition.why, ...(to === 'awarded' ? { finalAward } : {}), ...(to === 'trial' ? { procedure } : {}), ...performance } });
    audit(db, actor, now, 'case_transition', 'wage_case', id, reason, { from, to, on, basis: check.transition.basis });
    if (input.agreedAmount !== undefined) setAgreed(db, id, input.agreedAmount, on, `${STAGE_ZH[to]}：${reason}`, actor, now);
  })();
}

const ACCEPTING: readonly CaseStage[] = ['arbitration', 'inspection', 'trial', 'enforcement'];

/** 受理 — the arbitration committee, inspectorate or court accepted the matter on `on` (starts the next clock). */
export function acceptCase(db: Db, id: number, input: { on: string; reason: string }, actor: Actor, now: string): void {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '受理日期');
  db.$client.transaction(() => {
    const row = loadCase(db, id);
    if (!ACCEPTING.includes(row.stage as CaseStage)) throw new EnforcementError(409, 'NOT_ACCEPTABLE', `案件处于“${STAGE_ZH[row.stage as CaseStage]}”阶段，没有受理环节（仅仲裁、监察、诉讼、执行阶段可记录受理）`);
    if (row.accepted_on) throw new EnforcementError(409, 'ALREADY_ACCEPTED', `本阶段已于${row.accepted_on}受理`);
    if (on < row.stage_since) throw new EnforcementError(422, 'DATE_BEFORE_STAGE', `受理日期${on}早于申请日${row.stage_since}`);
    db.$client.prepare('UPDATE wage_cases SET accepted_on = ? WHERE id = ?').run(on, id);
    addEvent(db, id, { kind: 'accept', on, toStage: row.stage, actor, reason, now });
    audit(db, actor, now, 'case_accept', 'wage_case', id, reason, { stage: row.stage, on });
  })();
}

function setAgreed(db: Db, id: number, amount: number, on: IsoDate, reason: string, actor: Actor, now: string): void {
  if (!Number.isInteger(amount) || amount < 0) throw new EnforcementError(400, 'BAD_AMOUNT', '金额必须是非负整数（分）');
  db.$client.prepare('UPDATE wage_cases SET agreed_fen = ? WHERE id = ?').run(amount, id);
  addEvent(db, id, { kind: 'agree', on, amount, actor, reason, now });
  audit(db, actor, now, 'case_agree', 'wage_case', id, reason, { agreed: formatYuan(amount as Fen), on });
}

/** 约定金额 — the amount a mediation agreement, award, judgment or settlement fixes. */
export function recordAgreed(db: Db, id: number, input: { amount: number; on: string; reason: string }, actor: Actor, now: string): void {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '日期');
  db.$client.transaction(() => {
    const row = loadCase(db, id);
    if (row.stage === 'closed' || row.stage === 'withdrawn') throw new EnforcementError(409, 'CASE_CLOSED', '案件已终结，不能再记录约定金额');
    setAgreed(db, id, input.amount, on, reason, actor, now);
  })();
}

/** 实付到人 — money actually paid to a worker of the case (with the bank reference when by transfer). */
export function recordPaid(db: Db, id: number, input: { amount: number; on: string; reason: string; idNumber?: string; bankRef?: string }, actor: Actor, now: string): void {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '支付日期');
  if (!Number.isInteger(input.amount) || input.amount <= 0) throw new EnforcementError(400, 'BAD_AMOUNT', '支付金额必须是正整数（分）');
  db.$client.transaction(() => {
    const row = loadCase(db, id);
    if (row.stage === 'withdrawn') throw new EnforcementError(409, 'CASE_CLOSED', '案件已撤回');
    if (input.idNumber) {
      const ok = db.$client.prepare('SELECT 1 FROM wage_case_items WHERE case_id = ? AND id_number = ?').get(id, input.idNumber.toUpperCase());
      if (!ok) throw new EnforcementError(422, 'NOT_A_CLAIMANT', '该工人不是本案申请人');
    }
    db.$client.prepare('UPDATE wage_cases SET paid_fen = paid_fen + ? WHERE id = ?').run(input.amount, id);
    addEvent(db, id, { kind: 'pay', on, amount: input.amount, idNumber: input.idNumber?.toUpperCase(), bankRef: input.bankRef, actor, reason, now });
    audit(db, actor, now, 'case_payment', 'wage_case', id, reason, { amount: formatYuan(input.amount as Fen), on, bankRef: input.bankRef ?? null });
  })();
}

export function listCaseIds(db: Db, filter: { stage?: string; employerUscc?: string } = {}): number[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.stage) {
    where.push('stage = ?');
    params.push(filter.stage);
  }
  if (filter.employerUscc) {
    where.push('employer_uscc = ?');
    params.push(filter.employerUscc);
  }
  return (db.$client.prepare(`SELECT id FROM wage_cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...params) as { id: number }[]).map((r) => r.id);
}

/** The stage's running deadlines as of D, each with whether it has passed. */
export function caseDeadlines(db: Db, row: CaseRow, asOf: IsoDate) {
  return stageDeadlines(
    {
      ...performanceOf(db, row),
      stage: row.stage as CaseStage,
      since: row.stage_since as IsoDate,
      ...(row.accepted_on ? { acceptedOn: row.accepted_on as IsoDate } : {}),
      ...(row.final_award !== null ? { finalAward: Boolean(row.final_award) } : {}),
      ...(row.procedure ? { procedure: row.procedure as 'simplified' | 'small_claims' } : {}),
    },
    workingCalendar(),
  ).map((d) => ({ ...d, past: isPast(d, asOf) }));
}

export function caseView(db: Db, id: number, asOf: IsoDate) {
  const row = loadCase(db, id);
  const items = caseItems(db, id);
  const at = projectsAt(db, items.map((i) => i.project_id), asOf);
  const ledger = new Map(at.ledger.map((w) => [keyOf(w.projectId, w.idNumber, w.month), w]));
  const employer = db.$client.prepare('SELECT name FROM employers WHERE uscc = ?').get(row.employer_uscc) as { name: string } | undefined;
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
    employerName: employer?.name ?? null,
    projectId: row.project_id,
    filedOn: row.filed_on,
    stage,
    stageName: STAGE_ZH[stage],
    stageSince: row.stage_since,
    acceptedOn: row.accepted_on,
    finalAward: row.final_award === null ? null : Boolean(row.final_award),
    procedure: row.procedure,
    circumstances: JSON.parse(row.circumstances) as Circumstances,
    routing: JSON.parse(row.routing) as Routing,
    amounts: {
      claimed: formatYuan(row.claimed_fen as Fen),
      agreed: row.agreed_fen === null ? null : formatYuan(row.agreed_fen as Fen),
      paidToWorkers: formatYuan(row.paid_fen as Fen),
      ledgerArrearsNow: formatYuan(ledgerArrears),
      outstandingAgainstAgreed: row.agreed_fen === null ? null : formatYuan(Math.max(0, row.agreed_fen - row.paid_fen) as Fen),
    },
    asOf,
    deadlines: caseDeadlines(db, row, asOf),
    allowedNext: allowedNext(stage).map((t) => ({ to: t.to, name: STAGE_ZH[t.to], why: t.why, basis: t.basis })),
    items: itemViews,
    events: caseEvents(db, id).map((e) => ({ id: e.id, kind: e.kind, on: e.on, fromStage: e.from_stage, toStage: e.to_stage, amount: e.amount_fen === null ? null : formatYuan(e.amount_fen as Fen), idNumber: e.id_number, bankRef: e.bank_ref, actor: e.actor, reason: e.reason, at: e.at, detail: JSON.parse(e.detail) as unknown })),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
export type CaseView = ReturnType<typeof caseView>;
