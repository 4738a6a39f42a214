/**
 * The registries over HTTP, on the test's engine: the demo city imported through POST /api/v1/imports/{kind}
 * (registry kinds included), recomputed, then read by every role. The worker's joined view comes in one
 * request, masked by role; care records are refused to the viewer; a legal-aid referral is created and audited.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUREAU_ROLES as ROLES } from '../../src/api/roles.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { recompute } from '../../src/services/recompute.ts';
import { onStore } from '../support/storeOn.ts';
import { jsonColumn } from '../support/toEngine.ts';
import { DEMO_DIR } from '../../src/services/demoCity.ts';
import { makeApp, NOW, type TestApp } from '../api/helpers.ts';

const KINDS = ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits', 'training', 'insurance', 'housing', 'care'];
const YAN_YUN = '130523198208234226'; // 严云, XT-2026-007: project cover starts 2026-07-01, on site since 2026-06-04
const CHEN_PING = '130522196707221088'; // 陈平, XT-2026-001: tower-crane certificate, 劳动模范 housing application
const ZOU_PING = '130522199603191420'; // 邹平: a left-behind wife in the care registry

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ seed: false, limits: { importsPerMinute: 1000, failedAuthAttempts: 1000, tokenRequestsPerMinute: 1000 } });
  for (const kind of KINDS) {
    const res = await t.as('importer', {
      method: 'POST',
      url: `/api/v1/imports/${kind}?fileName=${kind}.csv`,
      headers: { 'content-type': 'text/csv' },
      payload: readFileSync(join(DEMO_DIR, `${kind}.csv`)),
    });
    expect(res.statusCode, `${kind}: ${res.body.slice(0, 300)}`).toBe(201);
  }
  // the night, through a store of its own (as the nightly process would)
  await onStore(t.dbPath, (s) => recompute(s, '2026-11-28' as IsoDate, NOW));
}, 60_000);
afterAll(() => t.close());

const get = (role: (typeof ROLES)[number], url: string, headers: Record<string, string> = {}) => t.as(role, { method: 'GET', url, headers });

describe('GET /api/v1/workers/{worker}/full', () => {
  it('joins projects, wage months, open flags, cases and every registry in one request', async () => {
    const res = await get('inspector', `/api/v1/workers/${t.ref(YAN_YUN)}/full?asOf=2026-11-28`);
    expect(res.statusCode).toBe(200);
    const v = res.json();
    expect(v.name).toBe('严云');
    expect(v.projects).toHaveLength(1);
    expect(v.projects[0].project.code).toBe('XT-2026-007');
    expect(v.projects[0].injuryInsurance).toEqual({ covered: false, uncovered: [{ from: '2026-06-04', to: '2026-06-30' }] });
    expect(v.wageMonths.length).toBeGreaterThanOrEqual(5);
    expect(v.openFlags.map((f: { code: string }) => f.code)).toContain('NO_INJURY_INSURANCE');
    expect(v.cases).toHaveProperty('available');
    expect(v.insurance.held).toBe(true);
    expect(v.insurance.records[0]).toMatchObject({ kind: 'injury', kindLabel: '工伤保险', projectBased: true, from: '2026-07-01', project: { code: 'XT-2026-007' } });
    expect(v.care).toEqual([]);
    expect(v.restricted).toEqual([]);
  });

  it('shows skills (certificates) and housing with honours first', async () => {
    const v = (await get('viewer', `/api/v1/workers/${t.ref(CHEN_PING)}/full`)).json();
    expect(v.training.skills).toEqual([expect.objectContaining({ kind: 'vocational_qualification', kindLabel: '职业资格证书', trade: '塔吊司机' })]);
    expect(v.housing[0]).toMatchObject({ kind: 'rental_application', priority: true, honours: '河北省劳动模范', eligibility: { householdSize: 4, noLocalHousing: true, yearsInCity: 8 } });
    expect(v.projects[0].injuryInsurance.covered).toBe(true);
  });

  it('masks identity, card and phone numbers for every role; hides care from the viewer and the importer', async () => {
    for (const role of ROLES) {
      const res = await get(role, `/api/v1/workers/${t.ref(ZOU_PING)}/full`);
      expect(res.statusCode, role).toBe(200);
      expect(res.body).not.toContain(ZOU_PING);
      const v = res.json();
      expect(v.idNumber).toMatch(/\*{8}/);
      expect(v.projects[0].bankCard).toMatch(/\*\*\*\*/);
      if (role === 'inspector' || role === 'supervisor') {
        expect(v.care).toEqual([expect.objectContaining({ kind: 'left_behind_woman', memberName: '李秀梅', office: '信都区妇联' })]);
      } else {
        expect(v.care).toBeNull();
        expect(v.restricted).toEqual(['care']);
        expect(res.body).not.toContain('李秀梅');
      }
    }
  });

  it("a supervisor's full view shows the number (and is audited)", async () => {
    const res = await get('supervisor', `/api/v1/workers/${ZOU_PING}/full`, { 'x-full-view': '1', 'x-full-view-reason': encodeURIComponent('法律援助核查') });
    expect(res.json().idNumber).toBe(ZOU_PING);
  });

  it('a supervisor naming a worker by number: 400 for a malformed number, 404 for an unknown worker; a masked role: 403 whatever the number', async () => {
    expect((await get('supervisor', '/api/v1/workers/12345/full')).json().error.code).toBe('INVALID_ID_NUMBER');
    expect((await get('supervisor', '/api/v1/workers/11010519491231002X/full')).statusCode).toBe(404);
    for (const id of ['12345', '11010519491231002X', ZOU_PING]) expect((await get('viewer', `/api/v1/workers/${id}/full`)).json().error.code).toBe('ID_NUMBER_LOOKUP_FORBIDDEN');
  });
});

describe('registry routes', () => {
  it('training per worker, and the share of certified workers per trade on a project', async () => {
    const list = (await get('viewer', `/api/v1/training?worker=${t.ref(CHEN_PING)}`)).json();
    expect(list.total).toBe(1);
    const share = (await get('viewer', '/api/v1/training/projects/XT-2026-001?asOf=2026-11-28')).json();
    const crane = share.trades.find((r: { trade: string }) => r.trade === '塔吊司机');
    expect(crane).toEqual({ trade: '塔吊司机', workers: 1, certified: 1, share: '1.0000' });
    expect(share.total.workers).toBe(14);
  });

  it('insurance coverage rates as of D (the function the nightly report uses)', async () => {
    const c = (await get('viewer', '/api/v1/insurance/coverage?asOf=2026-11-28')).json();
    expect(c.held).toBe(true);
    expect(c.counties.find((x: { county: string }) => x.county === '临城县')).toMatchObject({ numerator: 0, denominator: 8, rate: '0.0000' });
    expect(c.city.denominator).toBeGreaterThan(c.city.numerator);
  });

  it('housing lists workers with honours first', async () => {
    const items = (await get('viewer', '/api/v1/housing')).json().items as { priority: boolean }[];
    const firstPlain = items.findIndex((i) => !i.priority);
    expect(items.slice(firstPlain).some((i) => i.priority)).toBe(false);
  });

  it('care: 403 for viewer and importer, listed for inspector', async () => {
    expect((await get('viewer', '/api/v1/care')).statusCode).toBe(403);
    expect((await get('importer', '/api/v1/care')).statusCode).toBe(403);
    const res = await get('inspector', '/api/v1/care?kind=legal_aid');
    expect(res.json().total).toBe(2);
  });

  it('an inspector opening a wage case creates a legal-aid referral: stored with its actor, audited, shown in the worker view; a second one the same day is 409', async () => {
    const body = { worker: t.ref(YAN_YUN), office: '信都区法律援助中心', caseRef: 'XT-AJ-2026-0099', project: 'XT-2026-007', note: '工伤保险空档期受伤，申请法律援助' };
    const res = await t.as('inspector', { method: 'POST', url: '/api/v1/care/legal-aid', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'legal_aid', status: 'referred', statusLabel: '已转介', caseRef: 'XT-AJ-2026-0099', project: { code: 'XT-2026-007' }, source: { batchId: 0, line: 0, createdBy: 'inspector-user' } });
    expect(res.body).not.toContain(YAN_YUN);
    const audit = await t.store.sql.all<{ actor: string; detail: unknown }>("SELECT * FROM audit_log WHERE action = 'care_legal_aid_create'");
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('inspector-user');
    expect(JSON.stringify(jsonColumn(audit[0]!.detail))).not.toContain(YAN_YUN);
    const again = await t.as('supervisor', { method: 'POST', url: '/api/v1/care/legal-aid', payload: body });
    expect(again.statusCode).toBe(409);
    const v = (await get('inspector', `/api/v1/workers/${t.ref(YAN_YUN)}/full`)).json();
    expect(v.care.map((c: { caseRef: string }) => c.caseRef)).toEqual(['XT-AJ-2026-0099']);
    expect((await t.as('viewer', { method: 'POST', url: '/api/v1/care/legal-aid', payload: body })).statusCode).toBe(403);
  });
});
