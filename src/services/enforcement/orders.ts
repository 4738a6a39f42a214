/**
 * 责令限期支付 — issuing an order from flagged worker-months and reading it back, evaluated against the
 * ledger as of D (src/rules/orders.ts proposes the next steps).
 */
import type { IsoDate } from '../../domain/date.ts';
import { formatYuan, sumFen, type Fen } from '../../domain/money.ts';
import { enforcementOfProjects, getOrderRow, orderItems, workerMonthKey, type OrderRow } from '../../db/enforcement.ts';
import type { Db } from '../../db/open.ts';
import { evaluateOrder, type OrderEvaluation, type OrderFacts } from '../../rules/orders.ts';
import { audit, EnforcementError, notFoundError, projectsAt, requireDate, requireReason, workingCalendar, type Actor } from './common.ts';

/** Flags an order (or a case) may be built from: worker-months with money owed. */
export const ORDERABLE_CODES = ['WAGE_UNPAID', 'WAGE_PARTIAL'] as const;

export interface FindingRef {
  id: number;
  as_of: string;
  fingerprint: string;
  code: string;
  project_id: number;
  id_number: string | null;
  month: string | null;
  amount_fen: number | null;
  contractor_uscc: string;
}

/** Findings by id or by fingerprint (the latest stored computation holding it); 422 for a flag without money owed. */
export function resolveFindings(db: Db, ids: readonly number[] = [], fingerprints: readonly string[] = []): FindingRef[] {
  const sel = `SELECT f.id, f.as_of, f.fingerprint, f.code, f.project_id, f.id_number, f.month, f.amount_fen, p.contractor_uscc
               FROM findings f JOIN projects p ON p.id = f.project_id`;
  const out: FindingRef[] = [];
  for (const id of ids) {
    // a version is valid on several evaluated days: the latest of them
    const r = db.$client.prepare(`${sel} WHERE f.id = ? ORDER BY f.as_of DESC LIMIT 1`).get(id) as FindingRef | undefined;
    if (!r) throw new EnforcementError(404, 'NOT_FOUND', `预警 #${id}不存在`);
    out.push(r);
  }
  for (const fp of fingerprints) {
    const r = db.$client.prepare(`${sel} WHERE f.fingerprint = ? ORDER BY f.as_of DESC LIMIT 1`).get(fp) as FindingRef | undefined;
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
export function refuseSecond(db: Db, items: readonly { project_id: number; id_number: string | null; month: string | null; id?: number }[], kind: 'order' | 'case'): void {
  const known = enforcementOfProjects(db, items.map((i) => i.project_id));
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

export function issueOrder(db: Db, input: IssueOrderInput, actor: Actor, now: string): number {
  const reason = requireReason(input.reason);
  const issuedOn = requireDate(input.issuedOn, '作出日期');
  const deadline = requireDate(input.deadline, '支付期限');
  if (deadline <= issuedOn) throw new EnforcementError(400, 'BAD_DEADLINE', `支付期限（${deadline}）必须晚于作出日期（${issuedOn}）`);
  const findings = resolveFindings(db, input.findingIds, input.fingerprints);
  if (findings.length === 0) throw new EnforcementError(400, 'NO_ITEMS', '必须列明至少一条欠薪预警（findingIds 或 fingerprints）');
  const contractors = [...new Set(findings.map((f) => f.contractor_uscc))];
  const employer = input.employerUscc ?? (contractors.length === 1 ? contractors[0]! : null);
  if (!employer) throw new EnforcementError(422, 'EMPLOYER_AMBIGUOUS', '所列预警属于不同总承包单位的项目：请指定被责令单位 employerUscc，或分别作出责令');
  const ordered = sumFen(findings.map((f) => f.amount_fen as Fen));
  return db.$client.transaction(() => {
    // one order per worker-month: a second one is refused with the first (issue 18), inside the write
    // transaction so two inspectors cannot both pass the check
    refuseSecond(db, findings, 'order');
    const r = db.$client
      .prepare(`INSERT INTO inspection_orders (employer_uscc, issued_on, deadline, case_id, ordered_fen, actor, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(employer, issuedOn, deadline, input.caseId ?? null, ordered, actor.name, reason, now);
    const id = Number(r.lastInsertRowid);
    const item = db.$client.prepare(`INSERT INTO inspection_order_items (order_id, project_id, id_number, month, amount_fen, fingerprint, finding_id) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    for (const f of findings) item.run(id, f.project_id, f.id_number, f.month, f.amount_fen, f.fingerprint, f.id);
    audit(db, actor, now, 'order_issue', 'inspection_order', id, reason, { employerUscc: employer, issuedOn, deadline, ordered: formatYuan(ordered), items: findings.length, caseId: input.caseId ?? null, ...(input.fromWarning ? { fromWarning: input.fromWarning } : {}) });
    return id;
  })();
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
export function evaluateStoredOrder(db: Db, row: OrderRow, asOf: IsoDate): OrderEvaluation {
  const items = orderItems(db, row.id);
  const at = projectsAt(db, items.map((i) => i.project_id), asOf);
  const facts: OrderFacts = {
    issuedOn: row.issued_on as IsoDate,
    deadline: row.deadline as IsoDate,
    items: items.map((i) => ({ projectId: i.project_id, projectCode: i.project_code, idNumber: i.id_number, ...(i.name ? { name: i.name } : {}), month: i.month, amountOrdered: i.amount_fen as Fen })),
  };
  const incident = db.$client.prepare('SELECT 1 FROM arrears_incidents WHERE employer_uscc = ? AND occurred_on <= ? LIMIT 1').get(row.employer_uscc, asOf);
  return evaluateOrder(facts, at.ledger, asOf, { depositHeld: at.depositHeld, incidentRecorded: Boolean(incident) }, workingCalendar(db));
}

export function orderView(db: Db, id: number, asOf: IsoDate): OrderView {
  const row = getOrderRow(db, id);
  if (!row) throw notFoundError(`责令限期支付 #${id}`);
  const name = db.$client.prepare('SELECT name FROM employers WHERE uscc = ?').get(row.employer_uscc) as { name: string } | undefined;
  return {
    id: row.id,
    employerUscc: row.employer_uscc,
    employerName: name?.name ?? null,
    issuedOn: row.issued_on,
    deadline: row.deadline,
    caseId: row.case_id,
    ordered: formatYuan(row.ordered_fen as Fen),
    actor: row.actor,
    reason: row.reason,
    createdAt: row.created_at,
    withdrawnAt: row.withdrawn_at,
    evaluation: evaluationJson(evaluateStoredOrder(db, row, asOf)),
  };
}

export function listOrderIds(db: Db, filter: { employerUscc?: string; caseId?: number } = {}): number[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.employerUscc) {
    where.push('employer_uscc = ?');
    params.push(filter.employerUscc);
  }
  if (filter.caseId) {
    where.push('case_id = ?');
    params.push(filter.caseId);
  }
  return (db.$client.prepare(`SELECT id FROM inspection_orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...params) as { id: number }[]).map((r) => r.id);
}

export function withdrawOrder(db: Db, id: number, reasonText: string, actor: Actor, now: string): void {
  const reason = requireReason(reasonText);
  db.$client.transaction(() => {
    const row = getOrderRow(db, id);
    if (!row) throw notFoundError(`责令限期支付 #${id}`);
    if (row.withdrawn_at) throw new EnforcementError(409, 'ALREADY_WITHDRAWN', `责令限期支付 #${id}已于${row.withdrawn_at}撤销`);
    db.$client.prepare('UPDATE inspection_orders SET withdrawn_at = ? WHERE id = ?').run(now, id);
    audit(db, actor, now, 'order_withdraw', 'inspection_order', id, reason);
  })();
}
