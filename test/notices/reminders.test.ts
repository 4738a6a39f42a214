/**
 * 催报 (issue 20 point 4): the night with a fixed clock queues the reminder for a missing wage table in the
 * outbox (the real notices table, on either engine) to the project's 劳资专管员 — on the night of the day after the due
 * date, not the night before, and never twice — and the bureau's late list (GET /api/v1/submissions/late).
 *
 * The seeded project XT-2026-001 (pay day 15) has its October 2026 wage table and payments, and workers on
 * site in November: November's wage table is due on 2026-12-07 (the 5th is a Saturday, moved to Monday).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/domain/date.ts';
import { runNightlyCycle, type JobLogger } from '../../src/jobs/nightly.ts';
import { inProcessRunner } from '../../src/jobs/runners.ts';
import { recompute } from '../../src/services/recompute.ts';
import { holdsFullNumber } from '../../src/services/notices/templates.ts';
import { makeApp, type TestApp } from '../api/helpers.ts';

const OFFICER = { name: '赵劳资', phone: '13700001111', email: 'zhao.laozi@jijian.example.com' };
const quiet: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };
/** 02:00 in Shanghai on a date: the night reports the day before */
const at2am = (date: string) => () => new Date(`${date}T02:00:00+08:00`);

type Json = Record<string, any>;

describe('催报: the night queues a reminder for a missing wage table', () => {
  let t: TestApp;
  let reportsDir: string;
  const reminders = () => t.app.store.notices.page({ template: 'SUBMISSION_REMINDER' }, 100, 0);
  const night = (date: string) =>
    runNightlyCycle({ location: t.dbPath, reportsDir, logger: quiet, now: at2am(date), runDay: inProcessRunner({ location: t.dbPath, reportsDir, now: at2am(date) }), catchUpDays: 1, sleep: async () => {} });

  beforeAll(async () => {
    // the app's clock: 2026-12-09 10:00 in Shanghai
    t = await makeApp({
      now: () => '2026-12-09T02:00:00.000Z',
      prepare: (db) => db.$client.prepare('UPDATE projects SET labor_officer_name = ?, labor_officer_phone = ?, labor_officer_email = ? WHERE id = 1').run(OFFICER.name, OFFICER.phone, OFFICER.email),
    });
    reportsDir = mkdtempSync(join(tmpdir(), 'huxin-reminders-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  it('the night of the due date (2026-12-07) queues nothing', async () => {
    expect(await night('2026-12-08')).toMatchObject({ status: 'ran', days: [{ asOf: '2026-12-07', ok: true }] });
    expect(await reminders()).toEqual([]);
  });

  it('the night of the day after (2026-12-08) queues it to the labour-affairs officer, by e-mail and SMS', async () => {
    expect(await night('2026-12-09')).toMatchObject({ status: 'ran', days: [{ asOf: '2026-12-08', ok: true }] });
    const rows = await reminders();
    expect(rows.map((n) => `${n.recipient_role}/${n.channel}/${n.address}`).sort()).toEqual([`labor_officer/email/${OFFICER.email}`, `labor_officer/sms/${OFFICER.phone}`]);
    for (const n of rows) {
      expect(n).toMatchObject({ state: 'pending', project_id: 1, recipient_name: OFFICER.name });
      expect(n.dedupe_key).toMatch(/^submission:p1:2026-11:wage_table:overdue:/);
      expect(n.subject).toBe('逾期未报送：信都区保障房一期（XT-2026-001）2026年11月工资支付表');
      expect(n.body + n.subject).not.toSatisfy(holdsFullNumber);
    }
    const email = rows.find((n) => n.channel === 'email')!;
    expect(email.body).toContain('赵劳资（劳资专管员）');
    expect(email.body).toContain('应于2026年12月7日前报送，截至目前尚未收到，已逾期1天');
    expect(email.body).toContain('《保障农民工工资支付条例》第十五条');
    expect(rows.find((n) => n.channel === 'sms')!.body).toContain('已逾期1天');
  });

  it('the same night again, or the next, sends nothing new (one reminder per project-month-stage)', async () => {
    expect((await recompute(t.app.store, isoDate('2026-12-08'), '2026-12-08T19:00:00.000Z')).noticesQueued).toBe(0);
    expect((await recompute(t.app.store, isoDate('2026-12-09'), '2026-12-09T19:00:00.000Z')).noticesQueued).toBe(0);
    expect(await reminders()).toHaveLength(2);
  });

  it('once the wage table is in, the reminder before the wage due date (2026-12-12 to 2026-12-15) is not sent', async () => {
    // with November's table in, 2026-12-12 (the first day of the window) queues nothing; taken out again, 2026-12-13 queues the second reminder
    await t.store.sql.run(
      `INSERT INTO payroll_rows (project_id, month, id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed, batch_id, line)
        SELECT project_id, '2026-11', id_number, name, days_worked_centi, gross_fen, deductions_fen, net_fen, worker_confirmed, batch_id, line + 100 FROM payroll_rows WHERE project_id = 1 AND month = '2026-10' AND superseded_by IS NULL`,
    );
    expect((await recompute(t.app.store, isoDate('2026-12-12'), '2026-12-12T18:00:00.000Z')).noticesQueued).toBe(0);
    await t.store.sql.run(`DELETE FROM payroll_rows WHERE project_id = 1 AND month = '2026-11'`);
    expect((await recompute(t.app.store, isoDate('2026-12-13'), '2026-12-13T18:00:00.000Z')).noticesQueued).toBe(2);
    const stages = (await reminders()).map((n) => n.dedupe_key.split(':')[4]);
    expect(stages.filter((s) => s === 'before_wage_due')).toHaveLength(2);
  });

  it('GET /api/v1/submissions/late lists who is late, with the due date, days late and reminders sent', async () => {
    const res = await t.as('viewer', { method: 'GET', url: '/api/v1/submissions/late?asOf=2026-12-08' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Json;
    expect(body.asOf).toBe('2026-12-08');
    const nov = body.items.find((i: Json) => i.projectCode === 'XT-2026-001' && i.month === '2026-11' && i.kind === 'wage_table');
    expect(nov).toEqual({
      projectCode: 'XT-2026-001',
      projectName: '信都区保障房一期',
      month: '2026-11',
      kind: 'wage_table',
      kindName: '工资支付表',
      dueDate: '2026-12-07',
      wageDueDate: '2026-12-15',
      daysLate: 1,
      remindersSent: 2,
      lastReminderOn: '2026-12-14',
    });
    // October's table and payments are in: not late
    expect(body.items.filter((i: Json) => i.projectCode === 'XT-2026-001' && i.month === '2026-10')).toEqual([]);
    // XT-2026-002 completed on 2026-06-30 (its workers left then): June is owed, July is not
    const p2 = body.items.filter((i: Json) => i.projectCode === 'XT-2026-002').map((i: Json) => i.month);
    expect(p2).toContain('2026-06');
    expect(p2).not.toContain('2026-07');
    // most days late first
    const days = body.items.map((i: Json) => i.daysLate);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(body.total).toBe(body.items.length);
    // the day before the due date passes: November is not late on 2026-12-07
    const before = (await t.as('inspector', { method: 'GET', url: '/api/v1/submissions/late?asOf=2026-12-07' })).json() as Json;
    expect(before.items.find((i: Json) => i.projectCode === 'XT-2026-001' && i.month === '2026-11')).toBeUndefined();
    // without asOf: the app's today (2026-12-09)
    expect(((await t.as('importer', { method: 'GET', url: '/api/v1/submissions/late' })).json() as Json).asOf).toBe('2026-12-09');
  });

  it('the page /late shows the same list in Chinese, dates as 2026-12-07, to every role', async () => {
    // the sessions were opened on the helper's day (2026-11-28): bring them to the app's clock
    await t.store.sql.run(`UPDATE page_sessions SET created_at = '2026-12-09T01:50:00.000Z', last_seen_at = '2026-12-09T01:50:00.000Z', expires_at = '2026-12-10T01:00:00.000Z'`);
    for (const role of ['viewer', 'importer', 'inspector', 'supervisor'] as const) {
      const res = await t.app.inject({ url: '/late?asOf=2026-12-08', headers: { cookie: `huxin_session=${t.sessions[role]}` } });
      expect(res.statusCode, role).toBe(200);
      expect(res.body).toContain('逾期未报送');
      expect(res.body).toContain('href="/late"');
    }
    const res = await t.app.inject({ url: '/late?asOf=2026-12-08', headers: { cookie: `huxin_session=${t.sessions.viewer}` } });
    const row = /<tr data-testid="late-item" data-project="XT-2026-001" data-month="2026-11" data-kind="wage_table">([\s\S]*?)<\/tr>/.exec(res.body)?.[1];
    expect(row).toBeDefined();
    const cells = [...row!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
    expect(cells).toEqual(['XT-2026-001 信都区保障房一期', '2026年11月', '工资支付表', '2026-12-07', '2026-12-15', '1', '2 次', '2026-12-14']);
    // no reminder yet for a long-late month
    expect(res.body).toContain('未提醒');
  });

  it('a bad date is a 400 with a Chinese message; no token is a 401', async () => {
    const bad = await t.as('viewer', { method: 'GET', url: '/api/v1/submissions/late?asOf=2026-13-01' });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as Json).error.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await t.as(null, { method: 'GET', url: '/api/v1/submissions/late' })).statusCode).toBe(401);
  });
});
