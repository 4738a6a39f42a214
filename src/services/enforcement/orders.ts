/**
 * 责令限期支付 — issuing an order from flagged worker-months and reading it back, evaluated against the
 * ledger as of D (common.ts projectsAt: the night's stored ledger where it answers for D; src/rules/orders.ts
 * proposes the next steps). Every write commits with its audit entry in one transaction.
 */
import type { IsoDate } from '../../domain/date.ts';
import { formatYuan, sumFen, type Fen } from '../../domain/money.ts';
import { evaluateOrder, type OrderEvaluation, type OrderFacts } from '../../rules/orders.ts';
import type { FindingRef, OrderRow } from '../../store/repos/orders.ts';
import type { Store } from '../../store/store.ts';
import { audit, EnforcementError, employerNameOf, enforcementOfProjects, judgeOf, notFoundError, projectsAt, requireDate, requireReason, workerMonthKey, workingCalendar, viewsOf, type Actor, type Judge } from './common.ts';

export type { FindingRef };

/** Flags an order (or a case) may be built from: worker-months with money owed. */
export const ORDERABLE_CODES = ['WAGE_UNPAID', 'WAGE_PARTIAL'] as const;

/** Findings by id or by fingerprint (the latest stored computation holding it); 422 for a flag without money owed. */
export async function resolveFindings(store: Store, ids: readonly number[] = [], fingerprints: readonly string[] = []): Promise<FindingRef[]> {
  const out: FindingRef[] = [];
  for (const id of ids) {
    // a version is valid on several evaluated days: the latest of them
    const r = await store.orders.flagById(id);
    if (!r) throw new EnforcementError(404, 'NOT_FOUND', `预警 #${id}不存在`);
    out.push(r);
  }
  for (const fp of fingerprints) {
    const r = await store.orders.flagByFingerprint(fp);
    if (!r) throw new EnforcementError(404, 'NOT_FOUND', '指定指纹的预警不存在');
    out.push(r);
  }
  for (const r of out) {
    if (!(ORDERABLE_CODES as readonly string[]).includes(r.code) || !r.id_number || !r.month || !r.amount_fen) {
      throw new EnforcementError(422, 'FLAG_NOT_ORDERABLE', `预警 #${r.id}（${r.code}）不是有欠薪金额的工人月度预警：只能依据 ${ORDERABLE_CODES.join('、')} 责令支付`);
    }
  }
  const seen = new Set<string>();
  return out.filter((r) => {
    const k = `${r.project_id}|${r.id_number}|${r.month}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * 重复责令、重复立案 — a worker-month already in an order in force (not withdrawn), or in a case not closed,
 * cannot be put in a second one: 409 with a Chinese message naming the first and a link to it.
 */
export async function refuseSecond(store: Store, items: readonly { project_id: number; id_number: string | null; month: string | null; id?: number }[], kind: 'order' | 'case'): Promise<void> {
  const known = await enforcementOfProjects(store, items.map((i) => i.project_id));
  for (const i of items) {
    const e = known.get(workerMonthKey(i.project_id, i.id_number ?? '', i.month ?? ''));
    if (!e) continue;
    const flag = i.id === undefined ? `该工人${i.month}` : `预警 #${i.id}（${i.month}）`;
    if (kind === 'order' && e.orders.length > 0) {
      const first = e.orders[0]!;
      throw new EnforcementError(409, 'ALREADY_ORDERED', `${flag}的工资已在责令限期支付 #${first.id}（${first.issuedOn}作出，期限${first.deadline}）中，不能重复责令；如需变更，请先撤销该责令`, {
        orderId: first.id,
        link: `/orders#order-${first.id}`,
        api: `/api/v1/orders/${first.id}`,
        findingId: i.id ?? null,
      });
    }
    if (kind === 'case' && e.cases.length > 0) {
      const first = e.cases[0]!;
      throw new EnforcementError(409, 'ALREADY_IN_CASE', `${flag}的工资已在案件 #${first.id}（${first.filedOn}登记，尚未结案）中，不能重复立案`, {
        caseId: first.id,
        link: `/cases/${first.id}`,
        api: `/api/v1/cases/${first.id}`,
        findingId: i.id ?? null,
      });
    }
  }
}

export interface IssueOrderInput {
  findingIds?: number[];
  fingerprints?: string[];
  issuedOn: string;
  deadline: string;
  reason: string;
  employerUscc?: string;
  caseId?: number;
  /** the project warning the order was issued from (recorded in the audit entry) */
  fromWarning?: string;
}

export async function issueOrder(store: Store, input: IssueOrderInput, actor: Actor, now: string): Promise<number> {
  const reason = requireReason(input.reason);
  const issuedOn = requireDate(input.issuedOn, '作出日期');
  const deadline = requireDate(input.deadline, '支付期限');
  if (deadline <= issuedOn) throw new EnforcementError(400, 'BAD_DEADLINE', `支付期限（${deadline}）必须晚于作出日期（${issuedOn}）`);
  const findings = await resolveFindings(store, input.findingIds, input.fingerprints);
  if (findings.length === 0) throw new EnforcementError(400, 'NO_ITEMS', '必须列明至少一条欠薪预警（findingIds 或 fingerprints）');
  const contractors = [...new Set(findings.map((f) => f.contractor_uscc))];
  const employer = input.employerUscc ?? (contractors.length === 1 ? contractors[0]! : null);
  if (!employer) throw new EnforcementError(422, 'EMPLOYER_AMBIGUOUS', '所列预警属于不同总承包单位的项目：请指定被责令单位 employerUscc，或分别作出责令');
  const ordered = sumFen(findings.map((f) => f.amount_fen as Fen));
  return store.tx(async (tx) => {
    // one order per worker-month: a second one is refused with the first (issue 18), inside the write
    // transaction so two inspectors cannot both pass the check
    await refuseSecond(tx, findings, 'order');
    const id = await tx.orders.insert({
      employerUscc: employer,
      issuedOn,
      deadline,
      caseId: input.caseId ?? null,
      orderedFen: ordered,
      actor: actor.name,
      reason,
      createdAt: now,
      items: findings.map((f) => ({ projectId: f.project_id, idNumber: f.id_number!, month: f.month!, amountFen: f.amount_fen!, fingerprint: f.fingerprint, findingId: f.id })),
    });
    await audit(tx, actor, now, 'order_issue', 'inspection_order', id, reason, { employerUscc: employer, issuedOn, deadline, ordered: formatYuan(ordered), items: findings.length, caseId: input.caseId ?? null, ...(input.fromWarning ? { fromWarning: input.fromWarning } : {}) });
    return id;
  });
}

export interface OrderView {
  id: number;
  employerUscc: string;
  employerName: string | null;
  issuedOn: string;
  deadline: string;
  caseId: number | null;
  ordered: string;
  actor: string;
  reason: string;
  createdAt: string;
  withdrawnAt: string | null;
  evaluation: ReturnType<typeof evaluationJson>;
}

function evaluationJson(e: OrderEvaluation) {
  return {
    asOf: e.asOf,
    status: e.status,
    ordered: formatYuan(e.ordered),
    owed: formatYuan(e.owed),
    items: e.items.map((i) => ({ projectCode: i.projectCode, idNumber: i.idNumber, name: i.name ?? null, month: i.month, amountOrdered: formatYuan(i.amountOrdered), owedNow: formatYuan(i.owedNow), paidInFullOn: i.paidInFullOn })),
    proposals: e.proposals.map((p) => ({
      step: p.step,
      proposed: p.proposed,
      amount: p.amount === undefined ? null : formatYuan(p.amount),
      range: p.range ? { low: formatYuan(p.range.low), high: formatYuan(p.range.high) } : null,
      dueBy: p.dueBy ? { name: p.dueBy.name, due: p.dueBy.due, extendedDue: p.dueBy.extendedDue, explanation: p.dueBy.explanation } : null,
      text: p.text,
      basis: p.basis,
    })),
    threshold: e.threshold ? { verdict: e.threshold.verdict, configured: e.threshold.configured, sentence: e.threshold.sentence } : null,
    sentence: e.sentence,
    params: e.params,
  };
}

/** The order's facts and its evaluation as of D. */
export async function evaluateStoredOrder(j: Judge, row: OrderRow, asOf: IsoDate): Promise<OrderEvaluation> {
  const items = await j.store.orders.items(row.id);
  const at = await projectsAt(j, items.map((i) => i.project_id), asOf);
  const facts: OrderFacts = {
    issuedOn: row.issued_on as IsoDate,
    deadline: row.deadline as IsoDate,
    items: items.map((i) => ({ projectId: i.project_id, projectCode: i.project_code, idNumber: i.id_number, ...(i.name ? { name: i.name } : {}), month: i.month, amountOrdered: i.amount_fen as Fen })),
  };
  const incident = await j.store.orders.firstIncident(row.employer_uscc, asOf);
  return evaluateOrder(facts, at.ledger, asOf, { depositHeld: at.depositHeld, incidentRecorded: incident !== undefined }, workingCalendar(j));
}

/** One order as the API answers it, evaluated as of D (`judge`: the parameters a list shares). */
export async function orderView(store: Store, id: number, asOf: IsoDate, judge?: Judge): Promise<OrderView> {
  const j = judge ?? (await judgeOf(store));
  const row = await store.orders.get(id);
  if (!row) throw notFoundError(`责令限期支付 #${id}`);
  return {
    id: row.id,
    employerUscc: row.employer_uscc,
    employerName: await employerNameOf(store, row.employer_uscc),
    issuedOn: row.issued_on,
    deadline: row.deadline,
    caseId: row.case_id,
    ordered: formatYuan(row.ordered_fen as Fen),
    actor: row.actor,
    reason: row.reason,
    createdAt: row.created_at,
    withdrawnAt: row.withdrawn_at,
    evaluation: evaluationJson(await evaluateStoredOrder(j, row, asOf)),
  };
}

/** Every order of the filter as of D, oldest first, judged with one parameter set. */
export async function orderViews(store: Store, filter: { employerUscc?: string; caseId?: number }, asOf: IsoDate): Promise<OrderView[]> {
  return viewsOf(store, await store.orders.ids(filter), (id, j) => orderView(store, id, asOf, j));
}

export async function withdrawOrder(store: Store, id: number, reasonText: string, actor: Actor, now: string): Promise<void> {
  const reason = requireReason(reasonText);
  return store.tx(async (tx) => {
    const row = await tx.orders.get(id);
    if (!row) throw notFoundError(`责令限期支付 #${id}`);
    if (row.withdrawn_at) throw new EnforcementError(409, 'ALREADY_WITHDRAWN', `责令限期支付 #${id}已于${row.withdrawn_at}撤销`);
    await tx.orders.withdraw(id, now);
    await audit(tx, actor, now, 'order_withdraw', 'inspection_order', id, reason);
  });
}
