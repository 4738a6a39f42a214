/**
 * 通知入队 — the events that queue notices, and `enqueueNotice` for any other code:
 *
 * | event                                   | template          | to                                              |
 * |-----------------------------------------|-------------------|-------------------------------------------------|
 * | an order to pay issued (POST /orders)   | ORDER_ISSUED      | each named project's 劳资专管员 and 项目经理       |
 * | a case opened (POST /cases, CLI intake) | CASE_OPENED       | each named project's 劳资专管员 and 项目经理       |
 * | LABOR_COST_SHORT appears on a night     | LABOR_COST_SHORT  | the project's 建设单位联系人                      |
 * | a warning assigned (enqueueWarningAssigned) | WARNING_ASSIGNED | the inspector (inspector_contacts, or given)  |
 * | a submission missing on a night (services/reminders.ts) | SUBMISSION_REMINDER | the project's 劳资专管员 |
 *
 * A recipient gets one notice per address given: an e-mail and an SMS when both are known, none when
 * neither is. Each notice has a dedupe key (event, project, recipient, channel): queuing the same event
 * twice queues nothing new. Every subject and body passes `scrubPersonalNumbers` (no full identity or card
 * number leaves in a notice, whatever free text a caller passes).
 */
import { fen } from '../../domain/money.ts';
import { STAGE_ZH, type CaseStage } from '../../rules/cases.ts';
import type { Store } from '../../store/store.ts';
import type { NewNotice, NoticeChannel, ProjectContacts } from '../../store/repos/notices.ts';
import { scrubPersonalNumbers, TEMPLATES, type Rendered, type TemplateCode, type WarningAssignedFacts } from './templates.ts';

export type RecipientRole = 'labor_officer' | 'project_manager' | 'owner_contact' | 'inspector';

export interface Recipient {
  readonly role: RecipientRole;
  readonly name: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
}

export interface EnqueueInput {
  readonly template: TemplateCode;
  readonly rendered: Rendered;
  readonly recipients: readonly Recipient[];
  /** the event, e.g. `order:12:p3`; the recipient's role and the channel are added per notice */
  readonly eventKey: string;
  readonly projectId?: number | null;
  readonly orderId?: number | null;
  readonly caseId?: number | null;
  readonly warningRef?: string | null;
}

/** Queues one notice per recipient and address. Returns the ids queued now (repeats are skipped). */
export async function enqueueNotice(store: Store, input: EnqueueInput, now: string): Promise<number[]> {
  const rows: NewNotice[] = [];
  const subject = scrubPersonalNumbers(input.rendered.subject);
  for (const r of input.recipients) {
    const channels: [NoticeChannel, string | null | undefined, string][] = [
      ['email', r.email, scrubPersonalNumbers(input.rendered.body)],
      ['sms', r.phone, scrubPersonalNumbers(input.rendered.sms)],
    ];
    for (const [channel, address, body] of channels) {
      if (!address) continue;
      rows.push({
        dedupeKey: `${input.eventKey}:${r.role}:${channel}:${address}`,
        recipientRole: r.role,
        recipientName: r.name,
        channel,
        address,
        template: input.template,
        subject,
        body,
        projectId: input.projectId ?? null,
        orderId: input.orderId ?? null,
        caseId: input.caseId ?? null,
        warningRef: input.warningRef ?? null,
      });
    }
  }
  return rows.length ? store.notices.enqueue(rows, now) : [];
}

const contractorSide = (p: ProjectContacts): Recipient[] => [
  { role: 'labor_officer', name: p.labor_officer_name, email: p.labor_officer_email, phone: p.labor_officer_phone },
  { role: 'project_manager', name: p.project_manager_name, email: p.project_manager_email, phone: p.project_manager_phone },
];

/** 责令限期支付: one notice set per project the order names, with that project's total. */
export async function enqueueOrderNotices(store: Store, orderId: number, now: string): Promise<number[]> {
  const facts = await store.notices.orderFacts(orderId);
  if (!facts) return [];
  const ids: number[] = [];
  for (const part of facts.projects) {
    const p = await store.notices.projectContacts(part.project_id);
    if (!p) continue;
    const rendered = TEMPLATES.ORDER_ISSUED({
      orderId,
      project: { code: p.code, name: p.name },
      employerName: facts.order.employer_name ?? facts.order.employer_uscc,
      issuedOn: facts.order.issued_on,
      deadline: facts.order.deadline,
      total: fen(part.total_fen),
      workers: part.workers,
      months: part.months,
      orderTotal: fen(facts.order.ordered_fen),
    });
    ids.push(...(await enqueueNotice(store, { template: 'ORDER_ISSUED', rendered, recipients: contractorSide(p), eventKey: `order:${orderId}:p${p.id}`, projectId: p.id, orderId }, now)));
  }
  return ids;
}

function routeZh(routing: unknown): string | null {
  const r = (typeof routing === 'string' ? (JSON.parse(routing) as unknown) : routing) as { route?: string } | null;
  return r && typeof r.route === 'string' ? (STAGE_ZH[r.route as CaseStage] ?? null) : null;
}

/** 欠薪案件登记: one notice set per project the case names (its main project when it names none). */
export async function enqueueCaseNotices(store: Store, caseId: number, now: string): Promise<number[]> {
  const facts = await store.notices.caseFacts(caseId);
  if (!facts) return [];
  const parts = facts.projects.length ? facts.projects : [{ project_id: facts.case.project_id, total_fen: facts.case.claimed_fen, workers: 0, months: [] as string[] }];
  const ids: number[] = [];
  for (const part of parts) {
    const p = await store.notices.projectContacts(part.project_id);
    if (!p) continue;
    const rendered = TEMPLATES.CASE_OPENED({
      caseId,
      project: { code: p.code, name: p.name },
      employerName: facts.case.employer_name ?? facts.case.employer_uscc,
      title: facts.case.title,
      filedOn: facts.case.filed_on,
      claimed: fen(part.total_fen),
      workers: part.workers,
      routing: routeZh(facts.case.routing),
    });
    ids.push(...(await enqueueNotice(store, { template: 'CASE_OPENED', rendered, recipients: contractorSide(p), eventKey: `case:${caseId}:p${p.id}`, projectId: p.id, caseId }, now)));
  }
  return ids;
}

/** 人工费用拨付不足: the owner's contact of each project where LABOR_COST_SHORT appeared on day D. */
export async function enqueueLaborCostShortNotices(store: Store, asOf: string, now: string): Promise<number[]> {
  const ids: number[] = [];
  for (const f of await store.notices.laborCostShortAppeared(asOf)) {
    const p = await store.notices.projectContacts(f.project_id);
    if (!p || f.amount_fen === null) continue;
    const rendered = TEMPLATES.LABOR_COST_SHORT({ project: { code: p.code, name: p.name }, ownerName: p.owner_name ?? '建设单位', asOf, short: fen(f.amount_fen) });
    ids.push(
      ...(await enqueueNotice(
        store,
        {
          template: 'LABOR_COST_SHORT',
          rendered,
          recipients: [{ role: 'owner_contact', name: p.owner_contact_name, email: p.owner_contact_email, phone: p.owner_contact_phone }],
          eventKey: `labor_cost_short:p${p.id}:${asOf}`,
          projectId: p.id,
          warningRef: f.fingerprint,
        },
        now,
      )),
    );
  }
  return ids;
}

export interface WarningAssignedInput extends Omit<WarningAssignedFacts, 'project'> {
  /** the project by id or by code */
  readonly projectId?: number;
  readonly projectCode?: string;
  /** the warning's id or key (stored with the notice; part of the dedupe key) */
  readonly warningRef: string;
  /** the inspector's addresses; when both are absent, those of `huxin notices contact` for this name */
  readonly email?: string | null;
  readonly phone?: string | null;
  /** what makes this assignment distinct (default: the warning and the inspector — a repeat is not sent again) */
  readonly assignmentKey?: string;
}

/**
 * 预警分派 — for the warnings module: queue the 'assigned to you' notice to an inspector. Returns the ids
 * queued (none when the inspector has no address on record).
 */
export async function enqueueWarningAssigned(store: Store, input: WarningAssignedInput, now: string): Promise<number[]> {
  const projectId = input.projectId ?? (input.projectCode ? await store.notices.projectIdByCode(input.projectCode) : undefined);
  const p = projectId === undefined ? undefined : await store.notices.projectContacts(projectId);
  if (!p) throw new Error(`预警分派通知：项目${input.projectCode ?? input.projectId ?? ''}不存在`);
  let email = input.email ?? null;
  let phone = input.phone ?? null;
  if (!email && !phone) {
    const c = await store.notices.inspectorContact(input.inspectorName);
    email = c?.email ?? null;
    phone = c?.phone ?? null;
  }
  const rendered = TEMPLATES.WARNING_ASSIGNED({ ...input, project: { code: p.code, name: p.name } });
  return enqueueNotice(
    store,
    {
      template: 'WARNING_ASSIGNED',
      rendered,
      recipients: [{ role: 'inspector', name: input.inspectorName, email, phone }],
      eventKey: `warning:${input.assignmentKey ?? `${input.warningRef}:${input.inspectorName}`}`,
      projectId: p.id,
      warningRef: input.warningRef,
    },
    now,
  );
}

/**
 * Queues notices for an event that has already been recorded: a failure to queue is logged, never turned
 * into a failed request (the order or case stands; its notices can be queued again by repeating this).
 */
export async function queueAfter(log: { error(obj: object, msg: string): void }, what: string, fn: () => Promise<number[]>): Promise<number[]> {
  try {
    return await fn();
  } catch (e) {
    log.error({ err: e instanceof Error ? e.message : String(e), what }, 'notices: could not queue');
    return [];
  }
}
