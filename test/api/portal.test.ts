/**
 * 施工单位报送门户 (issue 20 points 1–2), on a real SQLite file: contractor tokens bound to a credit code, the
 * isolation walk over EVERY route and page with a contractor of another unit, the upload through the same
 * importer (rejected, then corrected), the refusal of another unit's project with nothing written, the
 * templates, and the bureau's list of submissions.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, DEFAULT_SESSION_LIMITS } from '../../src/api/session.ts';
import { createToken, TokenError } from '../../src/api/tokens.ts';
import { usccCheckCharacter } from '../../src/domain/uscc.ts';
import { idCheckCharacter } from '../../src/domain/idNumber.ts';
import { luhnCheckDigit } from '../../src/domain/bankCard.ts';
import { A, B, leakedSecrets, makeApp, NOW, OTHER_UNIT, type TestApp } from './helpers.ts';

const valid = (first17: string) => first17 + usccCheckCharacter(first17);
/** general contractor of XT-2026-001 (信都区保障房一期) */
const UNIT_A = valid('91130500MA00000A1');
/** employer on the roster of XT-2026-002 only (任泽区道路改造) */
const UNIT_B = valid('91130500MA00000B2');
/** a unit on no project */
const UNIT_C = valid('91130500MA00000C3');
/** a worker not in the seeded city */
const D = { name: '赵六', id: ((f: string) => f + idCheckCharacter(f))('13050219920202004'), card: ((f: string) => f + luhnCheckDigit(f))('622848001122334') };

const ORIGIN = { host: 'localhost', origin: 'http://localhost' };
const HEADER = '项目编号,工资月份,姓名,身份证号,出勤天数,应发工资,代扣款项,实发工资,本人确认';
const wrongPayroll = `${HEADER}\r\nXT-2026-001,2026-11,${A.name},${A.id},22,6600,0,6500,是\r\n`;
const rightPayroll = `${HEADER}\r\nXT-2026-001,2026-11,${A.name},${A.id},22,6600,0,6600,是\r\n`;

let t: TestApp;
const tokens: Record<'a' | 'b' | 'other', string> = { a: '', b: '', other: '' };
const sessions: Record<'a' | 'b' | 'other', string> = { a: '', b: '', other: '' };

const count = (table: string) => (t.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const bearer = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });
const upload = (who: keyof typeof tokens, kind: string, csv: string, fileName = 'payroll.csv') =>
  t.app.inject({ method: 'POST', url: `/api/v1/portal/imports/${kind}?fileName=${encodeURIComponent(fileName)}`, headers: { ...bearer(who), 'content-type': 'text/csv' }, payload: csv });

function multipart(kind: string, fileName: string, bytes: string) {
  const boundary = '----huxinportal';
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n${bytes}\r\n--${boundary}--\r\n`;
  return { 'content-type': `multipart/form-data; boundary=${boundary}`, payload: Buffer.from(body) };
}

beforeAll(async () => {
  t = await makeApp({ limits: { failedAuthAttempts: 10_000, importsPerMinute: 10_000, tokenRequestsPerMinute: 100_000, requestsPerTokenPerMinute: 100_000 } });
  t.db.$client.prepare("INSERT INTO employers (uscc, name) VALUES (?, '冀建一公司'), (?, '顺达劳务')").run(UNIT_A, UNIT_B);
  t.db.$client.prepare('UPDATE projects SET contractor_uscc = ? WHERE id = 1').run(UNIT_A);
  t.db.$client.prepare('UPDATE roster_entries SET employer_uscc = ? WHERE project_id = 2').run(UNIT_B);
  const make = async (uscc: string, name: string) => {
    const made = await createToken(t.store, { role: 'contractor', uscc, name, actor: 'setup', now: NOW });
    return { token: made.token, session: await createSession(t.store, { tokenId: made.id, name, role: 'contractor', uscc }, NOW, DEFAULT_SESSION_LIMITS) };
  };
  for (const [k, uscc, name] of [['a', UNIT_A, '甲专管员'], ['b', UNIT_B, '乙专管员'], ['other', OTHER_UNIT, '丙专管员']] as const) {
    const m = await make(uscc, name);
    tokens[k] = m.token;
    sessions[k] = m.session;
  }
});
afterAll(() => t.close());

describe('contractor tokens', () => {
  it('a contractor token needs a valid credit code; a bureau token takes none', async () => {
    const base = { name: '某人', actor: 'setup', now: NOW };
    await expect(createToken(t.store, { ...base, role: 'contractor' })).rejects.toThrow(TokenError);
    await expect(createToken(t.store, { ...base, role: 'contractor', uscc: '91130500MA0000001X' })).rejects.toThrow(/校验位/);
    await expect(createToken(t.store, { ...base, role: 'viewer', uscc: UNIT_A })).rejects.toThrow(/只有施工单位/);
  });

  it('a supervisor issues and revokes one through the tokens API; the unit is on the token', async () => {
    const res = await t.as('supervisor', { method: 'POST', url: '/api/v1/tokens', payload: { role: 'contractor', name: '临时专管员', uscc: UNIT_A } });
    expect(res.statusCode).toBe(201);
    expect(res.json().uscc).toBe(UNIT_A);
    const mine = await t.app.inject({ url: '/api/v1/portal/projects', headers: { authorization: `Bearer ${res.json().token}` } });
    expect(mine.json().items.map((p: { code: string }) => p.code)).toEqual(['XT-2026-001']);
    expect((await t.as('supervisor', { method: 'DELETE', url: `/api/v1/tokens/${res.json().id}` })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/portal/projects', headers: { authorization: `Bearer ${res.json().token}` } })).statusCode).toBe(401);
    const noUnit = await t.as('supervisor', { method: 'POST', url: '/api/v1/tokens', payload: { role: 'contractor', name: '无单位' } });
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().error.code).toBe('INVALID_USCC');
  });

  it('signing in with a contractor token lands on the portal', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { ...ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: tokens.b, next: '/' }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/portal');
  });
});

describe('reject, correct, and the bureau sees both', () => {
  it('a wrong wage table is rejected with a fix per problem and nothing imported; the corrected one is accepted', async () => {
    const batches = count('import_batches');
    const rejected = await upload('a', 'payroll', wrongPayroll, '十一月工资.csv');
    expect(rejected.statusCode).toBe(422);
    const err = rejected.json().error;
    expect(err.code).toBe('SUBMISSION_REJECTED');
    const problems = err.details.submission.problems as { line: number; reason: string; hint: string }[];
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.line).toBe(2);
    for (const p of problems) expect(p.hint).toMatch(/[\u4e00-\u9fff]/);
    expect(count('import_batches')).toBe(batches);
    // the kept problem list holds no whole identity or card number
    const stored = t.db.$client.prepare('SELECT problems FROM portal_submissions ORDER BY id DESC LIMIT 1').get() as { problems: string };
    expect(leakedSecrets(stored.problems)).toEqual([]);
    expect(JSON.parse(stored.problems).length).toBe(problems.length);
    expect((t.db.$client.prepare("SELECT count(*) AS n FROM payroll_rows WHERE month = '2026-11'").get() as { n: number }).n).toBe(0);

    const accepted = await upload('a', 'payroll', rightPayroll, '十一月工资（改）.csv');
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json().status).toBe('accepted');
    expect(accepted.json().submission.projectCodes).toEqual(['XT-2026-001']);
    expect((t.db.$client.prepare("SELECT count(*) AS n FROM payroll_rows WHERE month = '2026-11' AND superseded_by IS NULL").get() as { n: number }).n).toBe(1);
    const batch = t.db.$client.prepare('SELECT actor FROM import_batches WHERE id = ?').get(accepted.json().submission.batchId) as { actor: string };
    expect(batch.actor).toBe(`甲专管员（${UNIT_A}）`);

    const mine = await t.app.inject({ url: '/api/v1/portal/submissions', headers: bearer('a') });
    expect(mine.json().items.map((s: { status: string; submitter: string }) => [s.status, s.submitter])).toEqual([
      ['accepted', '甲专管员'],
      ['rejected', '甲专管员'],
    ]);
    // the bureau sees every unit's submissions and their states; the contractor may not call the bureau's list
    for (const role of ['importer', 'supervisor'] as const) {
      const all = await t.as(role, { url: '/api/v1/submissions' });
      expect(all.statusCode).toBe(200);
      expect(all.json().items.filter((s: { uscc: string }) => s.uscc === UNIT_A).map((s: { status: string }) => s.status)).toEqual(['accepted', 'rejected']);
      expect(all.json().items[0].unitName).toBe('冀建一公司');
    }
    expect((await t.as('importer', { url: '/api/v1/submissions?status=rejected' })).json().items.every((s: { status: string }) => s.status === 'rejected')).toBe(true);
    expect((await t.app.inject({ url: '/api/v1/submissions', headers: bearer('a') })).statusCode).toBe(403);
  });

  it("a file naming another unit's project is refused, with nothing written — and says the same as for a project that does not exist", async () => {
    const before = { batches: count('import_batches'), submissions: count('portal_submissions'), payroll: count('payroll_rows'), audit: count('audit_log') };
    // UNIT_B is an employer on XT-2026-002 only; one line of its file names XT-2026-001
    const mixed = `${HEADER}\r\nXT-2026-002,2026-11,${A.name},${A.id},22,6600,0,6600,是\r\nXT-2026-001,2026-11,${B.name},${B.id},20,5000,0,5000,是\r\n`;
    const res = await upload('b', 'payroll', mixed);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('PROJECT_NOT_YOURS');
    expect(res.json().error.details.problems.map((p: { line: number }) => p.line)).toEqual([3]);
    const ghost = await upload('b', 'payroll', mixed.replace('XT-2026-001', 'XT-9999-999'));
    expect(ghost.statusCode).toBe(403);
    expect(ghost.json().error.message).toBe(res.json().error.message);
    expect(ghost.json().error.details.problems[0].reason.replace('XT-9999-999', 'X')).toBe(res.json().error.details.problems[0].reason.replace('XT-2026-001', 'X'));
    expect({ batches: count('import_batches'), submissions: count('portal_submissions'), payroll: count('payroll_rows'), audit: count('audit_log') }).toEqual(before);
    // a unit with no project at all: the same refusal
    const other = await upload('other', 'payroll', rightPayroll.replace('6600,是', '6600,否'));
    expect(other.statusCode).toBe(403);
    expect(count('portal_submissions')).toBe(before.submissions);
    // the very bytes UNIT_A had accepted: another unit is refused (not told "already imported"); UNIT_A is told
    const copied = await upload('b', 'payroll', rightPayroll);
    expect(copied.statusCode).toBe(403);
    expect(copied.json().error.code).toBe('PROJECT_NOT_YOURS');
    expect(count('import_batches')).toBe(before.batches);
    const again = await upload('a', 'payroll', rightPayroll);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('duplicate');
    expect(count('import_batches')).toBe(before.batches);
    // only the wage table and the roster go through the portal
    expect((await upload('a', 'projects', 'x\n')).statusCode).toBe(400);
  });
});

describe('a subcontractor (employer only) files roster changes for its own workers, not the wage table', () => {
  it('a wage table for its project, or a roster row naming another employer, is a problem of the file; its own roster row is accepted', async () => {
    const batches = count('import_batches');
    const payroll = await upload('b', 'payroll', `${HEADER}\r\nXT-2026-002,2026-11,${A.name},${A.id},10,3000,0,3000,是\r\n`);
    expect(payroll.statusCode).toBe(422);
    expect(payroll.json().error.details.submission.problems[0].reason).toContain('工资表由施工总承包单位汇总报送');
    expect(payroll.json().error.details.submission.problems[0].hint).toContain('交给该项目的施工总承包单位');
    const roster = '项目编号,姓名,身份证号,用工单位,用工单位信用代码,进场日期,计薪方式,工资标准,银行卡号';
    const foreignEmployer = await upload('b', 'roster', `${roster}\r\nXT-2026-002,${D.name},${D.id},某劳务公司,${UNIT_C},2026-11-01,daily,300,${D.card}\r\n`, 'r.csv');
    expect(foreignEmployer.statusCode).toBe(422);
    expect(foreignEmployer.json().error.details.submission.problems[0].reason).toContain(`应为 ${UNIT_B}`);
    expect(count('import_batches')).toBe(batches);
    expect((await upload('b', 'roster', `${roster}\r\nXT-2026-002,${D.name},${D.id},顺达劳务,${UNIT_B},2026-11-01,daily,300,${D.card}\r\n`, 'r2.csv')).statusCode).toBe(201);
    const due = (await t.app.inject({ url: '/api/v1/portal/projects', headers: bearer('b') })).json().items;
    expect(due.map((p: { payrollState: string }) => p.payrollState)).toEqual(['by_contractor']);
  });
});

describe('templates', () => {
  it('the CSV and .xlsx templates carry the importer\'s Chinese headers; a filled template is accepted', async () => {
    const csv = await t.app.inject({ url: '/api/v1/portal/templates/payroll.csv', headers: bearer('b') });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.replace(/^\uFEFF/, '').trim()).toBe(HEADER);
    const xlsx = await t.app.inject({ url: '/api/v1/portal/templates/roster.xlsx', headers: bearer('b') });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    expect((wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toContain('用工单位信用代码');
    // the unit fills the CSV template for its project and sends it
    const filled = csv.body + `XT-2026-001,2026-11,${A.name},${A.id},10,3000,0,3000,是\r\n`;
    const res = await upload('a', 'payroll', filled, '模板.csv');
    expect(res.statusCode, res.body).toBe(201);
    // the page serves them to the contractor's session only
    const page = await t.app.inject({ url: '/portal/templates/payroll.xlsx', headers: { cookie: `huxin_session=${sessions.b}` } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('spreadsheetml');
  });
});

describe('the portal page', () => {
  it('shows the unit\'s projects and what is due; a rejected upload lists problems with fixes; the corrected one is accepted', async () => {
    const cookie = `huxin_session=${sessions.a}`;
    const home = await t.app.inject({ url: '/portal', headers: { cookie } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('信都区保障房一期');
    expect(home.body).not.toContain('XT-2026-002');
    expect(home.body).toContain('2026年10月工资表');
    expect(home.body).toContain('下载模板');
    const roster = '项目编号,姓名,身份证号,用工单位,用工单位信用代码,进场日期,计薪方式,工资标准,银行卡号';
    const badForm = multipart('roster', '花名册.csv', `${roster}\r\nXT-2026-001,${B.name},${B.id},冀建一公司,${UNIT_A},2026-13-01,daily,300,${B.card}\r\n`);
    const bad = await t.app.inject({ method: 'POST', url: '/portal/upload', headers: { ...ORIGIN, cookie, 'content-type': badForm['content-type'] }, payload: badForm.payload });
    expect(bad.statusCode, bad.body.slice(0, 500)).toBe(422);
    expect(bad.body).toContain('data-testid="portal-rejected"');
    expect(bad.body).toContain('怎样改');
    expect(bad.body).toContain('2026-11-28');
    expect(leakedSecrets(bad.body)).toEqual([]);
    const goodFile = `${roster}\r\nXT-2026-001,${B.name},${B.id},冀建一公司,${UNIT_A},2026-11-01,daily,300,${B.card}\r\n`;
    const mp = multipart('roster', '花名册（改）.csv', goodFile);
    const good = await t.app.inject({ method: 'POST', url: '/portal/upload', headers: { ...ORIGIN, cookie, 'content-type': mp['content-type'] }, payload: mp.payload });
    expect(good.statusCode, good.body.slice(good.body.indexOf("portal-rejected"), good.body.indexOf("portal-rejected") + 1500)).toBe(200);
    expect(good.body).toContain('data-testid="portal-accepted"');
    // the bureau's page lists both, with the unit
    const bureau = await t.app.inject({ url: '/submissions', headers: { cookie: `huxin_session=${t.sessions.importer}` } });
    expect(bureau.statusCode).toBe(200);
    expect(bureau.body).toContain('冀建一公司');
    expect(bureau.body).toContain('已退回');
    expect(bureau.body).toContain('已接收');
    expect(leakedSecrets(bureau.body)).toEqual([]);
  });
});

/** Traces of XT-2026-001 (UNIT_A's project) and its people and files that UNIT_B and OTHER_UNIT must never see. */
// (the seeded batches' names projects.csv / roster.csv are not listed: the portal's template links are named so)
const FOREIGN = ['XT-2026-001', '信都区保障房一期', B.name, '十一月工资', '花名册（改）', '冀建一公司', UNIT_A, '甲专管员'];
const NOTHING_AT_ALL = [...FOREIGN, 'XT-2026-002', '任泽区道路改造', A.name, '顺达劳务', UNIT_B, '乙专管员'];

function concrete(url: string): string {
  return url
    .replace('/portal/imports/:kind', '/portal/imports/payroll')
    .replace(':kind', 'payroll')
    .replace(':file', 'payroll.csv')
    .replace(':project', '1')
    .replace(':code', 'XT-2026-001')
    .replace(':month', '2026-10')
    .replace(':worker', t.ref(B.id))
    .replace(':asOf', '2026-11-28')
    .replace(':key', 'WAGE_ARREARS%7C1')
    .replace(':action', 'assign')
    .replace(':id', '1');
}

describe('isolation: a contractor of another unit, on every route and every page', () => {
  it('a contractor signing in to the home page is sent to its portal', async () => {
    const res = await t.app.inject({ url: '/', headers: { cookie: `huxin_session=${sessions.a}` } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/portal');
    expect(res.body).toBe('');
  });

  it('is refused (403) everywhere but the portal, and the portal shows nothing of another unit', async () => {
    // make sure UNIT_A has submissions, batches and payroll on file to leak
    await upload('a', 'payroll', rightPayroll.replace('22,6600,0,6600', '21,6300,0,6300'), '十一月工资（再改）.csv');
    const before = { batches: count('import_batches'), submissions: count('portal_submissions'), tokens: count('api_tokens'), audit: count('audit_log') };
    let walked = 0;
    let opened = 0;
    for (const who of ['b', 'other'] as const) {
      const forbidden = who === 'b' ? FOREIGN : NOTHING_AT_ALL;
      for (const route of t.app.routeTable) {
        if (route.roles === 'public' || route.method === 'HEAD' || route.url.startsWith('/docs')) continue;
        const url = concrete(route.url);
        const isApi = url.startsWith('/api/');
        const post = route.method !== 'GET';
        const isUpload = route.url.includes('/imports');
        const headers: Record<string, string> = isApi ? bearer(who) : { cookie: `huxin_session=${sessions[who]}`, ...(post ? ORIGIN : {}) };
        let payload: string | Buffer | object | undefined;
        if (post && isUpload && isApi) {
          headers['content-type'] = 'text/csv';
          payload = rightPayroll; // names XT-2026-001
        } else if (post && isUpload) {
          const mp = multipart('payroll', 'x.csv', rightPayroll);
          headers['content-type'] = mp['content-type'];
          payload = mp.payload;
        } else if (post && isApi) payload = { reason: '越权', role: 'viewer', name: 'x', worker: t.ref(B.id), office: 'x' };
        else if (post) {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          payload = 'reason=x';
        }
        if (url === '/logout') continue; // would end the session the walk uses (allowed: it only ends one's own)
        const res = await t.app.inject({ method: route.method as 'GET', url, headers, payload: payload as never });
        walked++;
        const allowed = (route.roles as readonly string[]).includes('contractor');
        const label = `${who} ${route.method} ${url} → ${res.statusCode}`;
        if (!allowed) {
          expect(res.statusCode, label).toBe(403);
        } else {
          opened++;
          expect(res.statusCode, `${label} ${res.body.slice(0, 300)}`).toBeLessThan(500);
          if (isUpload) expect(res.statusCode, label).toBe(403); // PROJECT_NOT_YOURS: the file names XT-2026-001
          // the file's own lines echo what the sender wrote; anything else must hold no trace of another unit
          const text = isUpload ? JSON.stringify(JSON.parse(isApi ? res.body : '{}')?.error?.message ?? '') + (isApi ? '' : res.body.replace(/XT-2026-001/g, '')) : res.body;
          for (const f of forbidden) expect(text.includes(f), `${label} shows ${f}`).toBe(false);
        }
        expect(leakedSecrets(res.body), label).toEqual([]);
      }
    }
    expect(walked).toBeGreaterThan(200);
    expect(opened).toBe(2 * 8); // the 4 portal API routes + /portal, /portal/upload, /portal/templates/:file, and / (a redirect to /portal; POST /logout not walked)
    // nothing written by the walk: no batch, submission, token, audit entry
    expect({ batches: count('import_batches'), submissions: count('portal_submissions'), tokens: count('api_tokens'), audit: count('audit_log') }).toEqual(before);
    // UNIT_B sees its own project (the walk's scoping is not "nothing for everyone")
    const mine = await t.app.inject({ url: '/api/v1/portal/projects', headers: bearer('b') });
    expect(mine.json().items.map((p: { code: string; relation: string }) => [p.code, p.relation])).toEqual([['XT-2026-002', 'employer']]);
  });
});
