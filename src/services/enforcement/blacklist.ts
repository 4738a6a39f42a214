/**
 * 失信联合惩戒名单 — the listing procedure as recorded steps (src/rules/blacklistListing.ts decides what is
 * lawful): propose from an expired unpaid order, notice, the unit's statement or objection, correction with a
 * written pledge, decision, publication, early-removal application, decision and removal, and the listing's later
 * life: a removal obtained by fraud revoked and the listing restored with its term restarted (名单办法 第十五条),
 * the listing revoked when its payment order is annulled or confirmed unlawful (第十六条). Each step records the
 * day, the actor and the reason, in blacklist_steps and in the audit log. There is no lighter list (名单办法).
 *
 * A correction with a written pledge before the decision (名单办法 第七条 "可以不予列入") is the office's
 * discretion, not a bar: the service records it and the engine's recommendation not to list; the supervisor
 * decides either way, and the decision step records the recommendation, whether the decision follows it, and
 * the supervisor's reason (第五条: the office 应当 list when the criteria hold).
 */
import type { IsoDate } from '../../domain/date.ts';
import { getListingRow, getOrderRow, listingSteps, stepsOfListing, type ListingRow } from '../../db/enforcement.ts';
import type { Db } from '../../db/open.ts';
import { bumpParty } from '../../db/versions.ts';
import { checkListingDecision, checkRestoration, checkRevocation, earlyRemoval, entryOfListing, listingClock, listingCriteria, listingRecommendation } from '../../rules/blacklistListing.ts';
import { isListedOn } from '../../rules/blacklist.ts';
import { audit, EnforcementError, notFoundError, requireDate, requireReason, workingCalendar, type Actor } from './common.ts';
import { evaluateStoredOrder } from './orders.ts';

/** 法定代表人、直接负责的主管人员和其他直接责任人员 */
export interface ListedPerson {
  role: 'legal_representative' | 'principal' | 'responsible_manager' | 'responsible_person';
  name: string;
  idNumber?: string;
}

export function recordIncident(db: Db, input: { employerUscc: string; projectId?: number; kind: 'group' | 'extreme'; occurredOn: string; description: string }, actor: Actor, now: string): number {
  const occurredOn = requireDate(input.occurredOn, '发生日期');
  const description = requireReason(input.description);
  return db.$client.transaction(() => {
    const r = db.$client
      .prepare('INSERT INTO arrears_incidents (employer_uscc, project_id, kind, occurred_on, description, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(input.employerUscc, input.projectId ?? null, input.kind, occurredOn, description, actor.name, now);
    const id = Number(r.lastInsertRowid);
    audit(db, actor, now, 'incident_record', 'arrears_incident', id, description, { employerUscc: input.employerUscc, kind: input.kind, occurredOn });
    return id;
  })();
}

function addStep(db: Db, listingId: number, step: string, on: string, actor: Actor, reason: string, now: string, detail: Record<string, unknown> = {}): void {
  db.$client.prepare('INSERT INTO blacklist_steps (listing_id, step, "on", actor, reason, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)').run(listingId, step, on, actor.name, reason, now, JSON.stringify(detail));
  audit(db, actor, now, `blacklist_${step}`, 'blacklist_listing', listingId, reason, { on, ...detail });
}

/** 启动列入程序 — from an order whose deadline expired unpaid, when a criterion of 第五条 is met on `on`. */
export function proposeListing(db: Db, input: { orderId: number; on: string; reason: string; persons?: ListedPerson[] }, actor: Actor, now: string): number {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '日期');
  const order = getOrderRow(db, input.orderId);
  if (!order) throw notFoundError(`责令限期支付 #${input.orderId}`);
  if (order.withdrawn_at) throw new EnforcementError(409, 'ORDER_WITHDRAWN', `责令限期支付 #${order.id}已撤销`);
  const evaluation = evaluateStoredOrder(db, order, on);
  const incident = db.$client.prepare('SELECT id FROM arrears_incidents WHERE employer_uscc = ? AND occurred_on <= ? ORDER BY id LIMIT 1').get(order.employer_uscc, on) as { id: number } | undefined;
  const criteria = listingCriteria({ orderExpiredUnpaid: evaluation.status === 'expired_unpaid', orderDeadline: order.deadline as IsoDate, threshold: evaluation.threshold, incidentRecorded: Boolean(incident) });
  if (criteria.eligible !== true) {
    throw new EnforcementError(422, criteria.eligible === false ? 'LISTING_CRITERIA_NOT_MET' : 'LOCAL_THRESHOLD_NOT_CONFIGURED', `不符合列入失信联合惩戒名单的条件：${criteria.reasons.join('；')}（名单办法第五条）`, { reasons: criteria.reasons });
  }
  const open = db.$client.prepare("SELECT id FROM blacklist_listings WHERE order_id = ? AND status IN ('proposed', 'noticed', 'listed')").get(order.id) as { id: number } | undefined;
  if (open) throw new EnforcementError(409, 'LISTING_EXISTS', `该责令已启动列入程序 #${open.id}`);
  const name = (db.$client.prepare('SELECT name FROM employers WHERE uscc = ?').get(order.employer_uscc) as { name: string } | undefined)?.name ?? order.employer_uscc;
  return db.$client.transaction(() => {
    const r = db.$client
      .prepare(
        `INSERT INTO blacklist_listings (uscc, name, order_id, incident_id, criterion, order_deadline, status, persons, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?)`,
      )
      .run(order.employer_uscc, name, order.id, criteria.criterion === 'incident' ? (incident?.id ?? null) : null, criteria.criterion, order.deadline, JSON.stringify(input.persons ?? []), now, actor.name);
    const id = Number(r.lastInsertRowid);
    addStep(db, id, 'propose', on, actor, reason, now, { orderId: order.id, criterion: criteria.criterion, reasons: criteria.reasons, persons: (input.persons ?? []).length });
    return id;
  })();
}

export type ListingStep =
  | 'notice'
  | 'statement'
  | 'correction'
  | 'decision'
  | 'publish'
  | 'removal_application'
  | 'removal_decision'
  | 'removal'
  | 'restore'
  | 'revoke'
  | 'default_again'
  | 'criminal_case'
  | 'persons';

export interface StepInput {
  on: string;
  reason: string;
  /** statement: the unit objects */
  objection?: boolean;
  /** correction: a written credit pledge was given */
  pledge?: boolean;
  /** decision: list (true) or not (false); removal_decision: approve (true) or refuse (false) */
  approve?: boolean;
  /** decision: complex case (20 more working days, approved by the head of the office) */
  complex?: boolean;
  persons?: ListedPerson[];
  /** revoke: the payment order was annulled (被撤销) or confirmed unlawful (被确认违法) */
  ground?: 'annulled' | 'unlawful';
}

const TERMINAL = new Set(['not_listed', 'removed', 'revoked']);
/** the steps a terminal listing still takes: a removed one can be restored (第十五条) or revoked (第十六条) */
const AFTER_END: Readonly<Record<string, readonly ListingStep[]>> = { removed: ['persons', 'restore', 'revoke'], not_listed: ['persons'], revoked: ['persons'] };

/** Records one step; refuses (409/422) a step the decree does not allow at this point. */
export function recordListingStep(db: Db, id: number, step: ListingStep, input: StepInput, actor: Actor, now: string): void {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '日期');
  const cal = workingCalendar(db);
  const record = db.$client.transaction(() => {
    const row = getListingRow(db, id);
    if (!row) throw notFoundError(`名单程序 #${id}`);
    const s = stepsOfListing(row);
    const refuse = (message: string, code = 'STEP_FORBIDDEN', status = 409): never => {
      throw new EnforcementError(status, code, message);
    };
    if (TERMINAL.has(row.status) && !AFTER_END[row.status]!.includes(step)) {
      refuse(`名单程序 #${id}已终结（${row.status === 'removed' ? '已移出' : row.status === 'revoked' ? '列入决定已撤销' : '决定不予列入'}）`);
    }
    const set = (sql: string, ...params: unknown[]) => db.$client.prepare(`UPDATE blacklist_listings SET ${sql} WHERE id = ?`).run(...params, id);
    switch (step) {
      case 'notice':
        if (row.status !== 'proposed') refuse('只能在列入决定前告知一次');
        set("noticed_on = ?, status = 'noticed'", on);
        addStep(db, id, step, on, actor, reason, now, { statementDue: listingClock({ ...s, noticedOn: on }, on, cal).statementWindow?.due ?? null });
        return;
      case 'statement':
        if (row.status !== 'noticed') refuse('告知后、决定前才能记录陈述申辩');
        set('statement_on = ?, objection = ?', on, input.objection ? 1 : 0);
        addStep(db, id, step, on, actor, reason, now, { objection: Boolean(input.objection), checkDue: input.objection ? listingClock({ ...s, statementOn: on, objection: true }, on, cal).objectionCheck?.due ?? null : null });
        return;
      case 'correction':
        set('corrected_on = ?, pledge_on = ?', on, input.pledge ? on : row.pledge_on);
        addStep(db, id, step, on, actor, reason, now, {
          pledge: Boolean(input.pledge),
          beforeDecision: row.decided_on === null,
          ...(row.decided_on === null ? { recommendation: listingRecommendation({ ...s, correctedOn: on as IsoDate, ...(input.pledge ? { pledgeOn: on as IsoDate } : {}) }, on as IsoDate) } : {}),
        });
        return;
      case 'decision': {
        if (row.status !== 'proposed' && row.status !== 'noticed') refuse('已作出决定');
        if (input.approve === undefined) refuse('必须说明是否列入（approve）', 'BAD_REQUEST', 400);
        if (input.approve) {
          const c = checkListingDecision({ ...s, complex: Boolean(input.complex) }, on, cal);
          if (!c.ok) refuse(`不能作出列入决定：${c.problems.join('；')}`, 'LISTING_NOT_ALLOWED', 422);
          const ok = c as Extract<typeof c, { ok: true }>;
          set("decided_on = ?, decision = 'listed', status = 'listed', complex = ?", on, input.complex ? 1 : 0);
          const entry = entryOfListing({ uscc: row.uscc, steps: { ...s, decision: 'listed', decidedOn: on } })!;
          addStep(db, id, step, on, actor, reason, now, {
            decision: 'listed',
            listedFrom: entry.from,
            termEndsOn: entry.to,
            late: ok.late,
            warnings: ok.warnings,
            recommendation: ok.recommendation,
            followsRecommendation: ok.recommendation.recommend === 'list',
            persons: JSON.parse(row.persons) as unknown,
          });
        } else {
          const recommendation = listingRecommendation(s, on);
          set("decided_on = ?, decision = 'not_listed', status = 'not_listed'", on);
          addStep(db, id, step, on, actor, reason, now, { decision: 'not_listed', recommendation, followsRecommendation: recommendation.recommend === 'may_not_list' });
        }
        return;
      }
      case 'publish':
        if (row.status !== 'listed') refuse('只有已决定列入的名单才能公布');
        if (row.published_on) refuse(`已于${row.published_on}公布`);
        set('published_on = ?', on);
        addStep(db, id, step, on, actor, reason, now);
        return;
      case 'removal_application':
        if (row.status !== 'listed') refuse('只有在名单上的单位才能申请提前移出');
        set('removal_applied_on = ?, removal_decided_on = NULL', on);
        addStep(db, id, step, on, actor, reason, now, { decisionDue: listingClock({ ...s, removalAppliedOn: on }, on, cal).earlyRemoval?.decisionDue?.due ?? null });
        return;
      case 'removal_decision': {
        if (row.status !== 'listed' || !row.removal_applied_on) refuse('尚未收到提前移出申请');
        if (input.approve === undefined) refuse('必须说明是否同意提前移出（approve）', 'BAD_REQUEST', 400);
        if (input.approve) {
          const er = earlyRemoval(s, on, cal)!;
          if (!er.eligible) refuse(`不符合提前移出条件：${er.reasons.join('；')}（名单办法第十二、十三条）`, 'REMOVAL_NOT_ALLOWED', 422);
          set('removal_decided_on = ?', on);
          addStep(db, id, step, on, actor, reason, now, { approve: true, removalDue: listingClock({ ...s, removalDecidedOn: on }, on, cal).earlyRemoval?.removalDue?.due ?? null });
        } else {
          set('removal_applied_on = NULL');
          addStep(db, id, step, on, actor, reason, now, { approve: false });
        }
        return;
      }
      case 'removal':
        if (row.status !== 'listed' || !row.removal_decided_on) refuse('尚未作出提前移出决定');
        set("removed_on = ?, status = 'removed'", on);
        addStep(db, id, step, on, actor, reason, now, { removedOn: on });
        return;
      case 'restore': {
        // 第十五条: the removal was obtained by deceit or other improper means — revoke it, restore the listing,
        // count the term again from today; the revoked removal's dates stay in the steps and the audit log
        const c = checkRestoration(s, on as IsoDate);
        if (!c.ok) refuse(`不能恢复列入：${c.problems.join('；')}（名单办法第十五条）`, 'RESTORE_NOT_ALLOWED', 422);
        const ok = c as Extract<typeof c, { ok: true }>;
        set("status = 'listed', restored_on = ?, removal_applied_on = NULL, removal_decided_on = NULL, removed_on = NULL", on);
        addStep(db, id, step, on, actor, reason, now, { revokedRemovalOn: row.removed_on, removalDecidedOn: row.removal_decided_on, termRestartsOn: on, termEndsOn: ok.termEndsOn, basis: ok.basis });
        return;
      }
      case 'revoke': {
        // 第十六条: the order to pay the listing rests on was annulled or confirmed unlawful — the listing is void
        if (input.ground !== 'annulled' && input.ground !== 'unlawful') refuse('必须说明责令支付的行政处理决定是被撤销（annulled）还是被确认违法（unlawful）（ground）', 'BAD_REQUEST', 400);
        const c = checkRevocation(s, on as IsoDate);
        if (!c.ok) refuse(`不能撤销列入：${c.problems.join('；')}（名单办法第十六条）`, 'REVOKE_NOT_ALLOWED', 422);
        const ok = c as Extract<typeof c, { ok: true }>;
        set("status = 'revoked', revoked_on = ?, revocation_ground = ?", on, input.ground);
        addStep(db, id, step, on, actor, reason, now, { ground: input.ground, previousStatus: row.status, listedFrom: row.decided_on, basis: ok.basis });
        return;
      }
      case 'default_again':
        set('defaulted_again = 1');
        addStep(db, id, step, on, actor, reason, now);
        return;
      case 'criminal_case':
        set('criminal_case = 1');
        addStep(db, id, step, on, actor, reason, now);
        return;
      case 'persons':
        set('persons = ?', JSON.stringify(input.persons ?? []));
        addStep(db, id, step, on, actor, reason, now, { persons: (input.persons ?? []).length });
        return;
    }
  });
  // A listing is a fact the rules read (BLACKLISTED_PARTY, the deposit's record): every project of the unit
  // gets a new facts version in the step's own transaction, so the next night re-evaluates them.
  db.$client.transaction(() => {
    record();
    const uscc = getListingRow(db, id)?.uscc;
    if (uscc) bumpParty(db.$client, uscc);
  })();
}

export function listingView(db: Db, id: number, asOf: IsoDate) {
  const row = getListingRow(db, id);
  if (!row) throw notFoundError(`名单程序 #${id}`);
  return listingViewOf(db, row, asOf);
}

export function listingViewOf(db: Db, row: ListingRow, asOf: IsoDate) {
  const s = stepsOfListing(row);
  const clock = listingClock(s, asOf, workingCalendar(db));
  const entry = entryOfListing({ uscc: row.uscc, steps: s });
  const onList = entry ? isListedOn(entry, asOf) : false;
  return {
    id: row.id,
    uscc: row.uscc,
    name: row.name,
    orderId: row.order_id,
    criterion: row.criterion,
    status: row.status === 'listed' && entry && asOf >= entry.to! ? 'expired' : row.status,
    onListAt: onList,
    asOf,
    listedFrom: entry?.from ?? null,
    listedUntilExclusive: entry?.to ?? null,
    publishedOn: row.published_on,
    persons: JSON.parse(row.persons) as ListedPerson[],
    clock,
    steps: listingSteps(db, row.id).map((x) => ({ id: x.id, step: x.step, on: x.on, actor: x.actor, reason: x.reason, at: x.at, detail: JSON.parse(x.detail) as unknown })),
    lighterList: '名单办法没有较轻的名单：只有失信联合惩戒对象名单一种',
  };
}

export function listListingIds(db: Db, filter: { uscc?: string; status?: string } = {}): number[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.uscc) {
    where.push('uscc = ?');
    params.push(filter.uscc);
  }
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  return (db.$client.prepare(`SELECT id FROM blacklist_listings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...params) as { id: number }[]).map((r) => r.id);
}
