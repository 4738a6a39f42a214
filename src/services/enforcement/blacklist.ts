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
import { stepsOf } from '../../store/repos/facts.ts';
import type { ListingRow, ListingUpdate } from '../../store/repos/listings.ts';
import type { Store } from '../../store/store.ts';
import { checkListingDecision, checkRestoration, checkRevocation, earlyRemoval, entryOfListing, listingClock, listingCriteria, listingRecommendation } from '../../rules/blacklistListing.ts';
import { isListedOn } from '../../rules/blacklist.ts';
import { audit, EnforcementError, employerNameOf, judgeOf, notFoundError, requireDate, requireReason, workingCalendar, viewsOf, type Actor, type Judge } from './common.ts';
import { evaluateStoredOrder } from './orders.ts';

/** 法定代表人、直接负责的主管人员和其他直接责任人员 */
export interface ListedPerson {
  role: 'legal_representative' | 'principal' | 'responsible_manager' | 'responsible_person';
  name: string;
  idNumber?: string;
}

export async function recordIncident(store: Store, input: { employerUscc: string; projectId?: number; kind: 'group' | 'extreme'; occurredOn: string; description: string }, actor: Actor, now: string): Promise<number> {
  const occurredOn = requireDate(input.occurredOn, '发生日期');
  const description = requireReason(input.description);
  return store.tx(async (tx) => {
    const id = await tx.orders.insertIncident({ employerUscc: input.employerUscc, projectId: input.projectId ?? null, kind: input.kind, occurredOn, description, actor: actor.name, at: now });
    await audit(tx, actor, now, 'incident_record', 'arrears_incident', id, description, { employerUscc: input.employerUscc, kind: input.kind, occurredOn });
    return id;
  });
}

async function addStep(tx: Store, listingId: number, step: string, on: string, actor: Actor, reason: string, now: string, detail: Record<string, unknown> = {}): Promise<void> {
  await tx.listings.addStep(listingId, { step, on, actor: actor.name, reason, at: now, detail });
  await audit(tx, actor, now, `blacklist_${step}`, 'blacklist_listing', listingId, reason, { on, ...detail });
}

/** 启动列入程序 — from an order whose deadline expired unpaid, when a criterion of 第五条 is met on `on`. */
export async function proposeListing(store: Store, input: { orderId: number; on: string; reason: string; persons?: ListedPerson[] }, actor: Actor, now: string): Promise<number> {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '日期');
  const order = await store.orders.get(input.orderId);
  if (!order) throw notFoundError(`责令限期支付 #${input.orderId}`);
  if (order.withdrawn_at) throw new EnforcementError(409, 'ORDER_WITHDRAWN', `责令限期支付 #${order.id}已撤销`);
  const evaluation = await evaluateStoredOrder(await judgeOf(store), order, on);
  const incident = await store.orders.firstIncident(order.employer_uscc, on);
  const criteria = listingCriteria({ orderExpiredUnpaid: evaluation.status === 'expired_unpaid', orderDeadline: order.deadline as IsoDate, threshold: evaluation.threshold, incidentRecorded: incident !== undefined });
  if (criteria.eligible !== true) {
    throw new EnforcementError(422, criteria.eligible === false ? 'LISTING_CRITERIA_NOT_MET' : 'LOCAL_THRESHOLD_NOT_CONFIGURED', `不符合列入失信联合惩戒名单的条件：${criteria.reasons.join('；')}（名单办法第五条）`, { reasons: criteria.reasons });
  }
  const name = (await employerNameOf(store, order.employer_uscc)) ?? order.employer_uscc;
  return store.tx(async (tx) => {
    // inside the write transaction, so two inspectors cannot both start a procedure from the order
    const open = await tx.listings.openForOrder(order.id);
    if (open !== undefined) throw new EnforcementError(409, 'LISTING_EXISTS', `该责令已启动列入程序 #${open}`);
    const id = await tx.listings.insert({
      uscc: order.employer_uscc,
      name,
      orderId: order.id,
      incidentId: criteria.criterion === 'incident' ? (incident ?? null) : null,
      criterion: criteria.criterion!,
      orderDeadline: order.deadline,
      persons: input.persons ?? [],
      createdAt: now,
      createdBy: actor.name,
    });
    await addStep(tx, id, 'propose', on, actor, reason, now, { orderId: order.id, criterion: criteria.criterion, reasons: criteria.reasons, persons: (input.persons ?? []).length });
    return id;
  });
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
export async function recordListingStep(store: Store, id: number, step: ListingStep, input: StepInput, actor: Actor, now: string): Promise<void> {
  const reason = requireReason(input.reason);
  const on = requireDate(input.on, '日期');
  const cal = workingCalendar(await judgeOf(store));
  await store.tx(async (tx) => {
    const row = await tx.listings.get(id);
    if (!row) throw notFoundError(`名单程序 #${id}`);
    const s = stepsOf(row);
    const refuse = (message: string, code = 'STEP_FORBIDDEN', status = 409): never => {
      throw new EnforcementError(status, code, message);
    };
    if (TERMINAL.has(row.status) && !AFTER_END[row.status]!.includes(step)) {
      refuse(`名单程序 #${id}已终结（${row.status === 'removed' ? '已移出' : row.status === 'revoked' ? '列入决定已撤销' : '决定不予列入'}）`);
    }
    const set = (columns: ListingUpdate) => tx.listings.update(id, columns);
    const add = (detail: Record<string, unknown> = {}) => addStep(tx, id, step, on, actor, reason, now, detail);
    switch (step) {
      case 'notice':
        if (row.status !== 'proposed') refuse('只能在列入决定前告知一次');
        await set({ noticed_on: on, status: 'noticed' });
        await add({ statementDue: listingClock({ ...s, noticedOn: on }, on, cal).statementWindow?.due ?? null });
        break;
      case 'statement':
        if (row.status !== 'noticed') refuse('告知后、决定前才能记录陈述申辩');
        await set({ statement_on: on, objection: Boolean(input.objection) });
        await add({ objection: Boolean(input.objection), checkDue: input.objection ? listingClock({ ...s, statementOn: on, objection: true }, on, cal).objectionCheck?.due ?? null : null });
        break;
      case 'correction':
        await set({ corrected_on: on, pledge_on: input.pledge ? on : row.pledge_on });
        await add({
          pledge: Boolean(input.pledge),
          beforeDecision: row.decided_on === null,
          ...(row.decided_on === null ? { recommendation: listingRecommendation({ ...s, correctedOn: on as IsoDate, ...(input.pledge ? { pledgeOn: on as IsoDate } : {}) }, on as IsoDate) } : {}),
        });
        break;
      case 'decision': {
        if (row.status !== 'proposed' && row.status !== 'noticed') refuse('已作出决定');
        if (input.approve === undefined) refuse('必须说明是否列入（approve）', 'BAD_REQUEST', 400);
        if (input.approve) {
          const c = checkListingDecision({ ...s, complex: Boolean(input.complex) }, on, cal);
          if (!c.ok) refuse(`不能作出列入决定：${c.problems.join('；')}`, 'LISTING_NOT_ALLOWED', 422);
          const ok = c as Extract<typeof c, { ok: true }>;
          await set({ decided_on: on, decision: 'listed', status: 'listed', complex: Boolean(input.complex) });
          const entry = entryOfListing({ uscc: row.uscc, steps: { ...s, decision: 'listed', decidedOn: on } })!;
          await add({
            decision: 'listed',
            listedFrom: entry.from,
            termEndsOn: entry.to,
            late: ok.late,
            warnings: ok.warnings,
            recommendation: ok.recommendation,
            followsRecommendation: ok.recommendation.recommend === 'list',
            persons: row.persons as unknown,
          });
        } else {
          const recommendation = listingRecommendation(s, on);
          await set({ decided_on: on, decision: 'not_listed', status: 'not_listed' });
          await add({ decision: 'not_listed', recommendation, followsRecommendation: recommendation.recommend === 'may_not_list' });
        }
        break;
      }
      case 'publish':
        if (row.status !== 'listed') refuse('只有已决定列入的名单才能公布');
        if (row.published_on) refuse(`已于${row.published_on}公布`);
        await set({ published_on: on });
        await add();
        break;
      case 'removal_application':
        if (row.status !== 'listed') refuse('只有在名单上的单位才能申请提前移出');
        await set({ removal_applied_on: on, removal_decided_on: null });
        await add({ decisionDue: listingClock({ ...s, removalAppliedOn: on }, on, cal).earlyRemoval?.decisionDue?.due ?? null });
        break;
      case 'removal_decision': {
        if (row.status !== 'listed' || !row.removal_applied_on) refuse('尚未收到提前移出申请');
        if (input.approve === undefined) refuse('必须说明是否同意提前移出（approve）', 'BAD_REQUEST', 400);
        if (input.approve) {
          const er = earlyRemoval(s, on, cal)!;
          if (!er.eligible) refuse(`不符合提前移出条件：${er.reasons.join('；')}（名单办法第十二、十三条）`, 'REMOVAL_NOT_ALLOWED', 422);
          await set({ removal_decided_on: on });
          await add({ approve: true, removalDue: listingClock({ ...s, removalDecidedOn: on }, on, cal).earlyRemoval?.removalDue?.due ?? null });
        } else {
          await set({ removal_applied_on: null });
          await add({ approve: false });
        }
        break;
      }
      case 'removal':
        if (row.status !== 'listed' || !row.removal_decided_on) refuse('尚未作出提前移出决定');
        await set({ removed_on: on, status: 'removed' });
        await add({ removedOn: on });
        break;
      case 'restore': {
        // 第十五条: the removal was obtained by deceit or other improper means — revoke it, restore the listing,
        // count the term again from today; the revoked removal's dates stay in the steps and the audit log
        const c = checkRestoration(s, on as IsoDate);
        if (!c.ok) refuse(`不能恢复列入：${c.problems.join('；')}（名单办法第十五条）`, 'RESTORE_NOT_ALLOWED', 422);
        const ok = c as Extract<typeof c, { ok: true }>;
        await set({ status: 'listed', restored_on: on, removal_applied_on: null, removal_decided_on: null, removed_on: null });
        await add({ revokedRemovalOn: row.removed_on, removalDecidedOn: row.removal_decided_on, termRestartsOn: on, termEndsOn: ok.termEndsOn, basis: ok.basis });
        break;
      }
      case 'revoke': {
        // 第十六条: the order to pay the listing rests on was annulled or confirmed unlawful — the listing is void
        if (input.ground !== 'annulled' && input.ground !== 'unlawful') refuse('必须说明责令支付的行政处理决定是被撤销（annulled）还是被确认违法（unlawful）（ground）', 'BAD_REQUEST', 400);
        const c = checkRevocation(s, on as IsoDate);
        if (!c.ok) refuse(`不能撤销列入：${c.problems.join('；')}（名单办法第十六条）`, 'REVOKE_NOT_ALLOWED', 422);
        const ok = c as Extract<typeof c, { ok: true }>;
        await set({ status: 'revoked', revoked_on: on, revocation_ground: input.ground! });
        await add({ ground: input.ground, previousStatus: row.status, listedFrom: row.decided_on, basis: ok.basis });
        break;
      }
      case 'default_again':
        await set({ defaulted_again: true });
        await add();
        break;
      case 'criminal_case':
        await set({ criminal_case: true });
        await add();
        break;
      case 'persons':
        await set({ persons: input.persons ?? [] });
        await add({ persons: (input.persons ?? []).length });
        break;
    }
    // A listing is a fact the rules read (BLACKLISTED_PARTY, the deposit's record): every project of the unit
    // gets a new facts version in the step's own transaction, so the next night re-evaluates them.
    await tx.facts.bumpParty(row.uscc);
  });
}

/** One listing procedure as the API answers it, as of D (`judge`: the parameters a list shares). */
export async function listingView(store: Store, id: number, asOf: IsoDate, judge?: Judge) {
  const row = await store.listings.get(id);
  if (!row) throw notFoundError(`名单程序 #${id}`);
  return listingViewOf(judge ?? (await judgeOf(store)), row, asOf);
}

async function listingViewOf(j: Judge, row: ListingRow, asOf: IsoDate) {
  const s = stepsOf(row);
  const clock = listingClock(s, asOf, workingCalendar(j));
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
    persons: row.persons as ListedPerson[],
    clock,
    steps: (await j.store.listings.steps(row.id)).map((x) => ({ id: x.id, step: x.step, on: x.on, actor: x.actor, reason: x.reason, at: x.at, detail: x.detail as unknown })),
    lighterList: '名单办法没有较轻的名单：只有失信联合惩戒对象名单一种',
  };
}
export type ListingView = Awaited<ReturnType<typeof listingView>>;

/** Every listing procedure of the filter as of D, oldest first, judged with one parameter set. */
export async function listingViews(store: Store, filter: { uscc?: string; status?: string }, asOf: IsoDate): Promise<ListingView[]> {
  return viewsOf(store, await store.listings.ids(filter), (id, j) => listingView(store, id, asOf, j));
}
