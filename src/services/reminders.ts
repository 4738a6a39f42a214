/**
 * 催报 — chasing a missing wage table or payment records (issue 20 point 4). The rules core decides
 * (src/rules/reminders.ts: what is owed, what is late, which reminders are due on D); this queues the due
 * reminders to each project's 劳资专管员 through the notice outbox (dedupe key per project-month-item-stage,
 * so a reminder is never sent twice), and builds the bureau's late list (GET /api/v1/submissions/late, page /late).
 */
import { shanghaiDateOf, type IsoDate } from '../domain/date.ts';
import { dueReminders, owedSubmissions, SUBMISSION_KIND_ZH, type SubmissionKind } from '../rules/reminders.ts';
import type { RulesParams } from '../rules/params/index.ts';
import { SUBMISSION_REMINDER_TEMPLATE } from '../store/repos/reminders.ts';
import type { Store } from '../store/store.ts';
import { enqueueNotice } from './notices/outbox.ts';
import { TEMPLATES } from './notices/templates.ts';
import { paramsOfStore } from './params.ts';

/** Queues the reminders due on `asOf` (repeats are skipped by the outbox's dedupe key). Returns the ids queued now. */
export async function enqueueSubmissionReminders(store: Store, asOf: IsoDate, now: string, given?: RulesParams): Promise<number[]> {
  const params = given ?? (await paramsOfStore(store));
  const ids: number[] = [];
  for (const p of await store.reminders.submissionProjects(asOf)) {
    const due = dueReminders(p, params, asOf);
    if (due.length === 0) continue;
    const c = await store.notices.projectContacts(p.projectId);
    if (!c) continue;
    for (const r of due) {
      const rendered = TEMPLATES.SUBMISSION_REMINDER({
        project: { code: p.code, name: p.name },
        officerName: c.labor_officer_name,
        month: r.month,
        what: SUBMISSION_KIND_ZH[r.kind],
        stage: r.stage,
        dueDate: r.dueDate,
        wageDueDate: r.wageDueDate,
        daysLate: r.daysLate,
        basis: `《${r.basis.document}》${r.basis.article}`,
      });
      ids.push(
        ...(await enqueueNotice(
          store,
          {
            template: 'SUBMISSION_REMINDER',
            rendered,
            recipients: [{ role: 'labor_officer', name: c.labor_officer_name, email: c.labor_officer_email, phone: c.labor_officer_phone }],
            eventKey: r.eventKey,
            projectId: p.projectId,
          },
          now,
        )),
      );
    }
  }
  return ids;
}

export interface LateSubmission {
  readonly projectId: number;
  readonly projectCode: string;
  readonly projectName: string;
  readonly month: string;
  readonly kind: SubmissionKind;
  readonly kindName: string;
  readonly dueDate: string;
  readonly wageDueDate: string;
  readonly daysLate: number;
  /** reminders queued for this project-month-item (stages, not recipients × channels) */
  readonly remindersSent: number;
  readonly lastReminderOn: string | null;
}

/** 逾期未报送 — every owed submission not in by its due date on `asOf`, most days late first. */
export async function lateSubmissions(store: Store, asOf: IsoDate, given?: RulesParams): Promise<LateSubmission[]> {
  const params = given ?? (await paramsOfStore(store));
  return store.snapshot(async (s) => {
    // reminders per project-month-item: the dedupe key is submission:p<id>:<month>:<kind>:<stage>:<role>:<channel>:<address>
    const sent = new Map<string, { stages: Set<string>; last: string }>();
    for (const n of await s.reminders.remindersSent()) {
      const m = /^submission:p(\d+):(\d{4}-\d{2}):([a-z_]+):([a-z_]+):/.exec(n.dedupe_key);
      if (!m) continue;
      const key = `${m[1]}:${m[2]}:${m[3]}`;
      const e = sent.get(key) ?? { stages: new Set<string>(), last: n.created_at };
      e.stages.add(m[4]!);
      if (n.created_at > e.last) e.last = n.created_at;
      sent.set(key, e);
    }
    const out: LateSubmission[] = [];
    for (const p of await s.reminders.submissionProjects(asOf)) {
      for (const o of owedSubmissions(p, params, asOf)) {
        if (!o.late) continue;
        const e = sent.get(`${p.projectId}:${o.month}:${o.kind}`);
        out.push({
          projectId: p.projectId,
          projectCode: p.code,
          projectName: p.name,
          month: o.month,
          kind: o.kind,
          kindName: SUBMISSION_KIND_ZH[o.kind],
          dueDate: o.dueDate,
          wageDueDate: o.wageDueDate,
          daysLate: o.daysLate,
          remindersSent: e?.stages.size ?? 0,
          lastReminderOn: e ? shanghaiDateOf(new Date(e.last)) : null,
        });
      }
    }
    return out.sort((a, b) => b.daysLate - a.daysLate || a.projectCode.localeCompare(b.projectCode) || a.month.localeCompare(b.month) || a.kind.localeCompare(b.kind));
  });
}

export { SUBMISSION_REMINDER_TEMPLATE };
