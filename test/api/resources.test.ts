import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A, B, C, makeApp, maskedId, type TestApp } from './helpers.ts';
import { countOf, jsonColumn } from '../support/toEngine.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(() => t.close());

const get = (url: string, role: 'viewer' | 'supervisor' | 'inspector' | 'importer' = 'viewer') => t.as(role, { url });

describe('GET /api/v1/projects', () => {
  it('lists projects by code with the latest stored assessment and open flag counts', async () => {
    const res = await get('/api/v1/projects');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ page: 1, pageSize: 50, total: 2 });
    expect(body.items.map((p: { code: string }) => p.code)).toEqual(['XT-2026-001', 'XT-2026-002']);
    expect(body.items[0]).toMatchObject({
      status: 'active',
      contractAmount: '10000000.00',
      assessment: { asOf: '2026-11-28', arrears: '2823.50', workersInArrears: 1, riskScore: 80 },
      openFlags: 2,
    });
    expect(body.items[1]).toMatchObject({ status: 'completed', completionDate: '2026-06-30', openFlags: 1 });
  });

  it('filters by county, status and minimum risk', async () => {
    expect((await get('/api/v1/projects?county=任泽区')).json().items.map((p: { code: string }) => p.code)).toEqual(['XT-2026-002']);
    expect((await get('/api/v1/projects?status=active')).json().items.map((p: { code: string }) => p.code)).toEqual(['XT-2026-001']);
    expect((await get('/api/v1/projects?status=completed')).json().total).toBe(1);
    // before completion the second project was still active
    expect((await get('/api/v1/projects?status=active&asOf=2026-06-01')).json().total).toBe(2);
    expect((await get('/api/v1/projects?minRisk=50')).json().items.map((p: { code: string }) => p.code)).toEqual(['XT-2026-001']);
    expect((await get('/api/v1/projects?q=道路')).json().items.map((p: { code: string }) => p.code)).toEqual(['XT-2026-002']);
  });

  it('sorts by risk on request and pages', async () => {
    const page1 = (await get('/api/v1/projects?sort=risk&pageSize=1')).json();
    expect(page1).toMatchObject({ page: 1, pageSize: 1, total: 2 });
    expect(page1.items[0].code).toBe('XT-2026-001');
    const page2 = (await get('/api/v1/projects?sort=risk&pageSize=1&page=2')).json();
    expect(page2.items[0].code).toBe('XT-2026-002');
    expect((await get('/api/v1/projects?page=3&pageSize=1')).json().items).toEqual([]);
  });

  it('reads the stored assessment of the latest recompute on or before asOf', async () => {
    const earlier = (await get('/api/v1/projects?asOf=2026-11-27')).json();
    expect(earlier.items[0].assessment).toMatchObject({ asOf: '2026-11-27', riskScore: 70 });
    expect(earlier.items[1].assessment).toBeNull(); // nothing stored for project 2 that day
    const before = (await get('/api/v1/projects?asOf=2026-01-01')).json();
    expect(before.items[0].assessment).toBeNull();
  });
});

describe('GET /api/v1/projects/{project}', () => {
  it('shows roster, wage months, account and deposit, by id or by code', async () => {
    const byCode = (await get('/api/v1/projects/XT-2026-001')).json();
    const byId = (await get('/api/v1/projects/1')).json();
    expect(byId).toEqual(byCode);
    expect(byId).toMatchObject({
      code: 'XT-2026-001',
      owner: { name: '邢台城投' },
      contractor: { name: '冀建集团' },
      monthlyLaborCost: '500000.00',
      assessment: { riskScore: 80, riskTerms: [{ term: 'arrears', points: 50 }] },
      openFlags: { WAGE_PARTIAL: 1, PAID_OUTSIDE_ACCOUNT: 1 },
    });
    expect(byId.roster).toHaveLength(2);
    expect(byId.roster[0]).toMatchObject({ name: A.name, idNumber: maskedId(A.id), wageBasis: 'daily', wageRate: '300.00', source: { batchId: 2, line: 2 } });
    // superseded payroll row (C) does not count; B's payment after the as-of date does not count
    // the rules core's ledger: A and B are on the roster from March, so every month from March to the as-of
    // month (November) is a wage month; only October has a wage table. October's wages fall due on
    // 2026-11-15, a Sunday, so on Friday 2026-11-13: A was paid 6000.00 that day, B 2000.00 of 4823.50 on
    // 2026-11-20 → 2823.50 in arrears. November's wages are not due until 2026-12-15: nothing is owed yet.
    expect(byId.wageMonths.map((m: { month: string }) => m.month)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(byId.wageMonths[7]).toEqual({ month: '2026-10', workers: 2, onPayroll: 2, netDue: '10823.50', paid: '8000.00', outstanding: '2823.50', arrears: '2823.50', dueDate: '2026-11-13' });
    expect(byId.wageMonths[8]).toEqual({ month: '2026-11', workers: 2, onPayroll: 0, netDue: '0.00', paid: '0.00', outstanding: '0.00', arrears: '0.00', dueDate: '2026-12-15' });
    // July's wages were due on 2026-08-15, a Saturday: moved to Friday the 14th
    expect(byId.wageMonths[4]).toMatchObject({ month: '2026-07', onPayroll: 0, arrears: '0.00', dueDate: '2026-08-14' });
    expect(byId.wageMonthsProblem).toBeNull();
    expect(byId.account).toMatchObject({ accountNo: '13050161010800000123', inflow: '10000.00', outflow: '6000.00', balance: '4000.00', wagesOut: '6000.00', otherOut: '0.00' });
    expect(byId.deposit.requirement).toMatchObject({ required: '200000.00', steps: [{ step: 'base' }] });
  });

  it('counts later payments when asked as of a later date', async () => {
    const later = (await get('/api/v1/projects/1?asOf=2026-12-31')).json();
    const october = later.wageMonths.find((m: { month: string }) => m.month === '2026-10');
    expect(october).toMatchObject({ paid: '9000.00', outstanding: '1823.50', arrears: '1823.50' });
    // by then November's wages (no wage table) are past due: a NO_PAYROLL month, no arrears; December is the as-of month
    expect(later.wageMonths.at(-2)).toMatchObject({ month: '2026-11', onPayroll: 0, arrears: '0.00' });
    expect(later.wageMonths.at(-1)).toMatchObject({ month: '2026-12', dueDate: '2027-01-15' });
  });
});

describe('GET /api/v1/projects/{project}/ledger/{month}', () => {
  it('joins payroll and payments per worker with the rules core verdict: due date, status, arrears, overdue days', async () => {
    // Pay day 15: October's wages fall due on 2026-11-15, a Sunday, so they must be paid by Friday
    // 2026-11-13 (条例 第十四条). A was paid 6000.00 on 11-13: on time, status paid. B is owed 4823.50 and
    // got 2000.00 in cash on 11-20 (the 12-05 payment is after the as-of date): partial, arrears
    // 4823.50 − 2000.00 = 2823.50, overdue 2026-11-28 − 2026-11-13 = 15 days.
    const res = await get('/api/v1/projects/1/ledger/2026-10');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ month: '2026-10', asOf: '2026-11-28', basis: 'rules', problem: null, total: 2 });
    expect(body.totals).toEqual({ workers: 2, netDue: '10823.50', paid: '8000.00', arrears: '2823.50', estimatedExposure: '0.00' });
    const a = body.items.find((r: { name: string }) => r.name === A.name);
    const b = body.items.find((r: { name: string }) => r.name === B.name);
    expect(a).toMatchObject({ idNumber: maskedId(A.id), daysWorked: '21.50', gross: '6200.00', deductions: '200.00', netDue: '6000.00', paid: '6000.00', arrears: '0.00', dueDate: '2026-11-13', status: 'paid', overdueDays: 0 });
    expect(a.payments[0]).toMatchObject({ amount: '6000.00', channel: 'dedicated_account', bankRef: 'BR0001', source: { batchId: 2, line: 6 } });
    expect(b).toMatchObject({ netDue: '4823.50', paid: '2000.00', arrears: '2823.50', dueDate: '2026-11-13', status: 'partial', overdueDays: 15 });
    expect(b.payments).toHaveLength(1);
  });

  it('pages the workers but keeps month totals', async () => {
    const body = (await get('/api/v1/projects/1/ledger/2026-10?pageSize=1&page=2')).json();
    expect(body.items).toHaveLength(1);
    expect(body.total).toBe(2);
    expect(body.totals.workers).toBe(2);
  });

  it('a month after the as-of date is refused; a month without rows is empty', async () => {
    expect((await get('/api/v1/projects/1/ledger/2027-01')).statusCode).toBe(400);
    const empty = (await get('/api/v1/projects/2/ledger/2026-10')).json();
    expect(empty.items).toEqual([]);
    expect(empty.totals).toEqual({ workers: 0, netDue: '0.00', paid: '0.00', arrears: '0.00', estimatedExposure: '0.00' });
  });
});

describe('GET /api/v1/projects/{project}/deposit', () => {
  it('returns the stored requirement with its steps, and the deposit events', async () => {
    const body = (await get('/api/v1/projects/XT-2026-001/deposit')).json();
    expect(body).toMatchObject({ project: { code: 'XT-2026-001' }, storedAsOf: '2026-11-28', requirement: { required: '200000.00', held: '100000.00' } });
    expect(body.requirement.steps[0]).toMatchObject({ rate: '0.02', source: '冀人社规〔2022〕3号' });
    expect(body.events).toEqual([
      { id: 1, event: 'deposit', form: 'cash', amount: '100000.00', date: '2026-02-15', expiresOn: null, voucherNo: 'V-001', source: { batchId: 2, line: 12 } },
    ]);
  });

  it('is null before any recompute', async () => {
    const body = (await get('/api/v1/projects/1/deposit?asOf=2026-01-01')).json();
    expect(body.requirement).toBeNull();
    expect(body.events).toEqual([]);
  });
});

describe('workers', () => {
  it('GET /api/v1/workers/{worker} shows one worker across projects (by the opaque worker id)', async () => {
    const body = (await get(`/api/v1/workers/${t.ref(A.id)}`)).json();
    expect(body.idNumber).toBe(maskedId(A.id));
    expect(body.name).toBe(A.name);
    expect(body.roster.map((r: { project: { code: string } }) => r.project.code).sort()).toEqual(['XT-2026-001', 'XT-2026-002']);
    // every month A was on a roster: March–November on project 1, February–June on project 2 (left 06-30)
    expect(body.months).toHaveLength(9 + 5);
    expect(body.months.find((m: { month: string; project: { code: string } }) => m.month === '2026-10' && m.project.code === 'XT-2026-001')).toEqual({
      project: { id: 1, code: 'XT-2026-001' },
      month: '2026-10',
      daysWorked: '21.50',
      netDue: '6000.00',
      paid: '6000.00',
      payments: 1,
      outstanding: '0.00',
      dueDate: '2026-11-13',
      status: 'paid',
      arrears: '0.00',
      overdueDays: 0,
      estimatedExposure: null,
      problem: null,
    });
    // March 2026 on project 2: on the roster at 300.00 a day, no wage table: 22 weekdays → 6600.00 estimated
    expect(body.months.find((m: { month: string; project: { code: string } }) => m.month === '2026-03' && m.project.code === 'XT-2026-002')).toMatchObject({
      netDue: null,
      status: 'no_payroll',
      arrears: null,
      estimatedExposure: '6600.00',
    });
    // B's October: 2000.00 of 4823.50 paid → 2823.50 in arrears, 15 days after the due date 2026-11-13
    const bOct = (await get(`/api/v1/workers/${t.ref(B.id)}`)).json().months.find((m: { month: string }) => m.month === '2026-10');
    expect(bOct).toMatchObject({ status: 'partial', outstanding: '2823.50', arrears: '2823.50', overdueDays: 15 });
    const b = (await get(`/api/v1/workers/${t.ref(B.id)}`)).json();
    expect(b.openFlags.map((f: { code: string }) => f.code).sort()).toEqual(['PAID_OUTSIDE_ACCOUNT', 'WAGE_PARTIAL']);
  });

  it('a supervisor may name a worker by number: a lower-case x check character is accepted; an unknown worker is 404', async () => {
    const unknown = '11010519491231002X';
    expect((await get(`/api/v1/workers/${unknown.toLowerCase()}`, 'supervisor')).statusCode).toBe(404);
    expect((await get(`/api/v1/workers/${A.id}`, 'supervisor')).json().name).toBe(A.name);
    // an opaque id nobody was given (made up, or of another database) is 404 like an unknown worker
    expect((await get(`/api/v1/workers/w_${'A'.repeat(22)}`)).statusCode).toBe(404);
  });

  it('GET /api/v1/workers lists roster workers, filterable by project and name', async () => {
    const all = (await get('/api/v1/workers')).json();
    expect(all.total).toBe(3);
    const p2 = (await get('/api/v1/workers?project=XT-2026-002')).json();
    expect(p2.items.map((w: { name: string }) => w.name).sort()).toEqual([A.name, C.name].sort());
    const named = (await get(`/api/v1/workers?name=${encodeURIComponent(B.name)}`)).json();
    expect(named.items).toEqual([{ idNumber: maskedId(B.id), workerId: t.ref(B.id), name: B.name, projects: 1, activeEntries: 1 }]);
  });
});

describe('flags (review queue)', () => {
  it('lists open flags of the latest recompute, highest project risk first, then severity', async () => {
    const body = (await get('/api/v1/flags')).json();
    expect(body.asOf).toBe('2026-11-28');
    expect(body.items.map((f: { id: number }) => f.id)).toEqual([2, 3, 4]);
    expect(body.items[0]).toMatchObject({
      code: 'WAGE_PARTIAL',
      severity: 'high',
      status: 'open',
      riskScore: 80,
      amount: '2823.50',
      project: { code: 'XT-2026-001', county: '信都区' },
      legalBasis: { article: '第十二条' },
      review: null,
    });
  });

  it('filters by county, code, severity and project', async () => {
    const ids = async (q: string) => (await get(`/api/v1/flags?${q}`)).json().items.map((f: { id: number }) => f.id);
    expect(await ids('county=任泽区')).toEqual([4]);
    expect(await ids('code=PAID_OUTSIDE_ACCOUNT')).toEqual([3]);
    expect(await ids('severity=critical')).toEqual([4]);
    expect(await ids('project=XT-2026-001')).toEqual([2, 3]);
    expect(await ids('asOf=2026-11-27')).toEqual([1]);
  });

  it('resolve and dismiss need a reason, are stored by fingerprint, leave the queue and are audited', async () => {
    const resolved = await t.as('inspector', { method: 'POST', url: '/api/v1/flags/3/dismiss', payload: { reason: '现金发放经劳动监察大队核实，已补办专户' } });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ id: 3, status: 'dismissed', review: { status: 'dismissed', actor: 'inspector-user', reason: '现金发放经劳动监察大队核实，已补办专户' } });

    const review = await t.store.sql.all<{ fingerprint: string; status: string }>('SELECT * FROM flag_reviews');
    expect(review).toHaveLength(1);
    expect(review[0]!.fingerprint).toBe(`PAID_OUTSIDE_ACCOUNT|1|${B.id}|2026-10|cash-1`);

    const open = (await get('/api/v1/flags')).json().items.map((f: { id: number }) => f.id);
    expect(open).toEqual([2, 4]);
    const dismissed = (await get('/api/v1/flags?status=dismissed')).json().items.map((f: { id: number }) => f.id);
    expect(dismissed).toEqual([3]);

    const audit = await t.store.sql.all<{ actor: string; reason: string; entity_id: string; detail: unknown }>("SELECT * FROM audit_log WHERE action = 'flag_dismiss'");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'inspector-user', reason: '现金发放经劳动监察大队核实，已补办专户' });
    expect(audit[0]!.entity_id).toContain('PAID_OUTSIDE_ACCOUNT');
    expect(jsonColumn(audit[0]!.detail)).toMatchObject({ findingId: 3, code: 'PAID_OUTSIDE_ACCOUNT', status: 'dismissed', previous: null });

    // a decision on one day's flag holds for the same flag on another day (same fingerprint)
    const earlier = (await get('/api/v1/flags/1')).json();
    expect(earlier.status).toBe('open');
    await t.as('supervisor', { method: 'POST', url: '/api/v1/flags/2/resolve', payload: { reason: '已足额补发' } });
    expect((await get('/api/v1/flags/1')).json()).toMatchObject({ status: 'resolved', review: { actor: 'supervisor-user' } });

    // a second decision replaces the first, and the audit keeps both
    await t.as('inspector', { method: 'POST', url: '/api/v1/flags/2/dismiss', payload: { reason: '重复预警' } });
    const entries = await t.store.sql.all<{ action: string; detail: unknown }>("SELECT action, detail FROM audit_log WHERE entity = 'flag' AND entity_id LIKE 'WAGE_PARTIAL%' ORDER BY id");
    expect(entries.map((e) => e.action)).toEqual(['flag_resolve', 'flag_dismiss']);
    expect(jsonColumn<{ previous: unknown }>(entries[1]!.detail).previous).toMatchObject({ status: 'resolved', reason: '已足额补发' });
  });
});

describe('reports', () => {
  it('GET /api/v1/reports/{asOf} returns the stored report JSON; latest works; the list pages', async () => {
    const res = await get('/api/v1/reports/2026-11-28');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toMatchObject({ asOf: '2026-11-28', totals: { arrears: '2823.50', workersInArrears: 1 } });
    expect((await get('/api/v1/reports/latest')).json().asOf).toBe('2026-11-28');
    expect((await get('/api/v1/reports')).json()).toEqual({
      items: [{ asOf: '2026-11-28', createdAt: '2026-11-28T18:00:00Z', href: '/api/v1/reports/2026-11-28' }],
      page: 1,
      pageSize: 50,
      total: 1,
    });
  });
});

describe('audit log and tokens (supervisor)', () => {
  it('token changes through the API are audited; GET /api/v1/audit reads them; no route edits the log', async () => {
    const created = await t.as('supervisor', { method: 'POST', url: '/api/v1/tokens', payload: { role: 'importer', name: '县住建局孙', expiresAt: '2027-06-30', reason: '新入职' } });
    expect(created.statusCode).toBe(201);
    const token = created.json();
    expect(token).toMatchObject({ role: 'importer', name: '县住建局孙', expiresAt: '2027-06-30', status: 'active', createdBy: 'supervisor-user' });
    expect(token.token).toMatch(/^hx_/);
    const works = await t.app.inject({ url: '/api/v1/imports', headers: { authorization: `Bearer ${token.token}` } });
    expect(works.statusCode).toBe(200);

    const list = (await t.as('supervisor', { url: '/api/v1/tokens' })).json();
    expect(list.items.find((x: { id: number }) => x.id === token.id)).toMatchObject({ status: 'active' });
    expect(JSON.stringify(list)).not.toContain(token.token);

    const revoked = await t.as('supervisor', { method: 'DELETE', url: `/api/v1/tokens/${token.id}?reason=${encodeURIComponent('调岗')}` });
    expect(revoked.json()).toMatchObject({ id: token.id, status: 'revoked' });
    expect((await t.app.inject({ url: '/api/v1/imports', headers: { authorization: `Bearer ${token.token}` } })).statusCode).toBe(401);

    const audit = (await t.as('supervisor', { url: `/api/v1/audit?entity=api_token&entityId=${token.id}` })).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['token_revoke', 'token_create']);
    expect(audit.items[0]).toMatchObject({ actor: 'supervisor-user', reason: '调岗' });
    expect(audit.items[1]).toMatchObject({ reason: '新入职', detail: { name: '县住建局孙', role: 'importer', expiresAt: '2027-06-30' } });

    const total = countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'));
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      for (const url of ['/api/v1/audit', '/api/v1/audit/1']) {
        const res = await t.as('supervisor', { method, url, payload: {} });
        expect([404, 405], `${method} ${url}`).toContain(res.statusCode);
      }
    }
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))).toBe(total);
  });

  it('filters the audit log by action, actor and time, newest first, paged', async () => {
    const all = (await t.as('supervisor', { url: '/api/v1/audit?action=token_create&pageSize=2' })).json();
    expect(all.pageSize).toBe(2);
    expect(all.items.length).toBeLessThanOrEqual(2);
    expect(all.items.every((e: { action: string }) => e.action === 'token_create')).toBe(true);
    const setup = (await t.as('supervisor', { url: '/api/v1/audit?actor=setup' })).json();
    expect(setup.total).toBeGreaterThanOrEqual(4);
    const none = (await t.as('supervisor', { url: '/api/v1/audit?to=2000-01-01' })).json();
    expect(none.total).toBe(0);
    const ids = setup.items.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((x: number, y: number) => y - x));
  });
});

it('unused seeded person C appears only where the data puts them', async () => {
  const c = (await get(`/api/v1/workers/${t.ref(C.id)}`)).json();
  // C's only payroll row is superseded: C's months are the roster months on project 2 (February–June), none on project 1
  expect(c.months.map((m: { month: string; project: { code: string }; status: string }) => `${m.project.code} ${m.month} ${m.status}`)).toEqual(
    ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06'].map((m) => `XT-2026-002 ${m} no_payroll`),
  );
  expect(c.roster).toHaveLength(1);
});

describe('GET /api/v1/workers/{idNumber}/export', () => {
  const url = (id: string, reason = '本人申请查询 2026-11-28') => `/api/v1/workers/${id}/export?reason=${encodeURIComponent(reason)}`;
  const full = { 'x-full-view': '1' };

  it('gives a supervisor everything held on the worker, unmasked, as an attachment, audited with the reason', async () => {
    const res = await t.as('supervisor', { url: url(A.id), headers: full });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const body = res.json();
    expect(body.idNumber).toBe(A.id);
    expect(body.tables.roster_entries).toHaveLength(2);
    expect(body.tables.payroll_rows).toHaveLength(1);
    expect(body.tables.payroll_rows[0].id_number).toBe(A.id);
    expect(body.tables.roster_entries[0].bank_card).toBe(A.card);
    const audit = await t.store.sql.all<{ actor: string; entity_id: string; reason: string }>("SELECT actor, entity_id, reason FROM audit_log WHERE action = 'export_personal_data'");
    expect(audit.at(-1)).toEqual({ actor: 'supervisor-user', entity_id: maskedId(A.id), reason: '本人申请查询 2026-11-28' });
  });

  it('asks for the full view explicitly and a reason; is refused to every other role; an unknown worker is 404', async () => {
    const plain = await t.as('supervisor', { url: url(A.id) });
    expect(plain.statusCode).toBe(400);
    expect(plain.json().error.code).toBe('FULL_VIEW_REQUIRED');
    expect((await t.as('supervisor', { url: `/api/v1/workers/${A.id}/export`, headers: full })).statusCode).toBe(400);
    expect((await t.as('supervisor', { url: url(A.id, '  '), headers: full })).statusCode).toBe(400);
    for (const role of ['viewer', 'importer', 'inspector'] as const) {
      expect((await t.as(role, { url: url(A.id), headers: full })).statusCode, role).toBe(403);
      expect((await t.as(role, { url: url(A.id) })).statusCode, role).toBe(403);
    }
    expect((await t.as('supervisor', { url: url('11010519491231002X'), headers: full })).statusCode).toBe(404);
  });
});
