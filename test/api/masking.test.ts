import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiLogger } from '../../src/api/logging.ts';
import { maskPersonalData, maskText } from '../../src/api/masking.ts';
import { A, B, C, leakedSecrets, makeApp, maskedCard, maskedId, type TestApp } from './helpers.ts';
import { countOf, jsonColumn } from '../support/toEngine.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(() => t.close());

const READS = () => ['/api/v1/projects/1', '/api/v1/projects/2', `/api/v1/workers/${t.ref(A.id)}`, `/api/v1/workers/${t.ref(B.id)}`, '/api/v1/workers', '/api/v1/flags?status=all', '/api/v1/flags/2', '/api/v1/projects/1/ledger/2026-10?asOf=2026-12-31'];

describe('masking in responses', () => {
  for (const role of ['importer', 'inspector', 'viewer', 'supervisor'] as const) {
    it(`${role}: no full identity, card or phone number in any read response`, async () => {
      for (const url of READS()) {
        const res = await t.as(role, { url });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
        expect(leakedSecrets(res.body), url).toEqual([]);
      }
    });
  }

  it('known fields are masked to the documented forms', async () => {
    const res = await t.as('viewer', { url: '/api/v1/projects/1' });
    const a = res.json().roster.find((r: { name: string }) => r.name === A.name);
    expect(a.idNumber).toBe(maskedId(A.id));
    expect(a.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(a.bankCard).toBe(maskedCard(A.card));
    expect(a.phone).toBe(`${A.phone.slice(0, 3)}****${A.phone.slice(-4)}`);
  });

  it('numbers inside free text (a flag sentence, evidence, fingerprint) are masked too', async () => {
    const flag = (await t.as('inspector', { url: '/api/v1/flags/2' })).json();
    expect(flag.sentence).toContain(maskedId(B.id));
    expect(flag.fingerprint).toContain(maskedId(B.id));
    expect(flag.evidence[0].payeeCard).toBe(maskedCard(B.card));
  });

  it('the stored report is returned as stored (nothing personal in it, nothing changed)', async () => {
    const res = await t.as('viewer', { url: '/api/v1/reports/2026-11-28' });
    const stored = await t.store.sql.get<{ json: string }>("SELECT json FROM reports WHERE as_of = '2026-11-28'");
    expect(res.body).toBe(stored!.json);
  });

  it('a supervisor sees full numbers only when asking with X-Full-View, and that view is audited with the reason', async () => {
    const plain = await t.as('supervisor', { url: `/api/v1/workers/${A.id}` });
    expect(leakedSecrets(plain.body)).toEqual([]);
    const count = async () => countOf(await t.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'view_personal_data'"));
    const before = await count();
    const full = await t.as('supervisor', {
      url: `/api/v1/workers/${A.id}`,
      headers: { 'x-full-view': '1', 'x-full-view-reason': encodeURIComponent('核查欠薪投诉 2026-118') },
    });
    expect(full.statusCode).toBe(200);
    expect(full.body).toContain(A.id);
    expect(full.body).toContain(A.card);
    expect(await count()).toBe(before + 1);
    const entry = (await t.store.sql.get<{ actor: string; reason: string; detail: unknown }>(
      "SELECT * FROM audit_log WHERE action = 'view_personal_data' ORDER BY id DESC LIMIT 1",
    ))!;
    expect(entry.actor).toBe('supervisor-user');
    expect(entry.reason).toBe('核查欠薪投诉 2026-118');
    const detail = jsonColumn<{ personalValues: number; url: string }>(entry.detail);
    expect(detail.personalValues).toBeGreaterThan(0);
    // the audit log itself holds no full number (the URL had one)
    expect(leakedSecrets(JSON.stringify(detail))).toEqual([]);
    expect(detail.url).toContain(maskedId(A.id));
  });

  it('a full view without a reason is refused (every full view is audited with its reason)', async () => {
    const res = await t.as('supervisor', { url: `/api/v1/workers/${t.ref(A.id)}`, headers: { 'x-full-view': '1' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('FULL_VIEW_REASON_REQUIRED');
    expect(leakedSecrets(res.body)).toEqual([]);
  });

  it('a full view of a response without personal data is not audited', async () => {
    const count = async () => countOf(await t.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'view_personal_data'"));
    const before = await count();
    await t.as('supervisor', { url: '/api/v1/reports/2026-11-28', headers: { 'x-full-view': '1', 'x-full-view-reason': 'check' } });
    expect(await count()).toBe(before);
  });

  for (const role of ['importer', 'inspector', 'viewer'] as const) {
    it(`${role} asking for the full view is refused (403)`, async () => {
      const res = await t.as(role, { url: `/api/v1/workers/${A.id}`, headers: { 'x-full-view': '1' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FULL_VIEW_FORBIDDEN');
      expect(leakedSecrets(res.body)).toEqual([]);
    });
  }
});

describe('masking in log lines', () => {
  it('request logs (URLs with an identity number, error messages quoting it) hold no full number', async () => {
    t.logs.length = 0;
    await t.as('viewer', { url: `/api/v1/workers/${C.id}` });
    await t.as('supervisor', { url: `/api/v1/workers/${A.id.slice(0, 17)}0` }); // a bad check digit: the reason quotes the number
    await t.as('supervisor', { url: `/api/v1/workers/${B.id}?q=${B.card}&p=${B.phone}`, headers: { 'x-full-view': '1', 'x-full-view-reason': 'log' } });
    await t.as('importer', { method: 'POST', url: '/api/v1/imports/roster', headers: { 'content-type': 'text/csv' }, payload: `项目编号,姓名,身份证号\nXT-2026-001,x,${A.id}\n` });
    const text = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(4);
    expect(leakedSecrets(text)).toEqual([]);
    expect(text).toContain(maskedId(C.id));
    expect(text).toContain(maskedCard(B.card));
    // every line is JSON with the request id
    for (const line of text.trim().split('\n')) {
      const parsed = JSON.parse(line);
      if (parsed.req || parsed.res) expect(parsed.reqId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('the bearer token never reaches the log', async () => {
    t.logs.length = 0;
    const logger = createApiLogger({ level: 'info', stream: new Writable({ write: (c, _e, cb) => (t.logs.push(String(c)), cb()) }) });
    logger.info({ req: { headers: { authorization: `Bearer ${t.tokens.viewer}` } } }, 'headers');
    await new Promise((r) => setImmediate(r));
    expect(t.logs.join('')).not.toContain(t.tokens.viewer);
  });

  it('anything a developer logs is masked: objects, nested fields, messages, errors', async () => {
    const lines: string[] = [];
    const logger = createApiLogger({ level: 'info', stream: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
    logger.info({ idNumber: A.id, worker: { bankCard: A.card, phone: A.phone, note: `卡号 ${B.card}` }, list: [{ payeeCard: C.card }] }, `处理 ${A.id} 的工资`);
    logger.error(new Error(`身份证号 ${B.id} 校验失败`), 'failed');
    logger.warn(`spaced card 6222 0212 3456 7890 123 and phone ${C.phone}`);
    const text = lines.join('');
    expect(lines).toHaveLength(3);
    expect(leakedSecrets(text)).toEqual([]);
    expect(text).not.toContain('6222 0212 3456 7890 123');
    expect(text).toContain(maskedId(A.id));
    expect(JSON.parse(lines[0]!).time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/); // an ISO 8601 time, left alone by the masker
  });
});

describe('masking rules', () => {
  it('masks by field name, by pattern, leaves UUIDs, dates, money and API tokens alone', () => {
    const uuid = '46d624f6-5113-4457-9453-123456789012';
    const token = `hx_${'A1234567890123456789'.padEnd(43, 'b')}`;
    const { value, found } = maskPersonalData({
      idNumber: A.id,
      text: `${A.id} ${B.card} ${C.phone}`,
      requestId: uuid,
      date: '2026-10-01 2026-10-31',
      amount: '123456789012.50',
      token,
      bankRef: '6222021234567890123',
      // a project's dedicated wage account is a company account, not a person's card, even when its
      // digits happen to pass Luhn (5030 1234 5678 4563 does)
      account: { accountNo: '5030123456784563' },
    });
    expect(value).toEqual({
      idNumber: maskedId(A.id),
      text: `${maskedId(A.id)} ${maskedCard(B.card)} ${C.phone.slice(0, 3)}****${C.phone.slice(-4)}`,
      requestId: uuid,
      date: '2026-10-01 2026-10-31',
      amount: '123456789012.50',
      token,
      bankRef: '6222021234567890123',
      account: { accountNo: '5030123456784563' },
    });
    expect(found).toBe(4);
  });

  it('masking is idempotent', () => {
    const once = maskText(`${A.id} / ${A.card}`);
    expect(maskText(once)).toBe(once);
  });
});
