import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import { countOf } from '../support/toEngine.ts';
import { usccCheckCharacter } from '../../src/domain/uscc.ts';
import { C, leakedSecrets, makeApp, maskedId, type TestApp } from './helpers.ts';

const uscc = (first17: string) => first17 + usccCheckCharacter(first17);
const OWNER = uscc('91130500MA0A12345');
const CONTRACTOR = uscc('91130500MA0B67890');

const PROJECTS_CSV =
  '项目编号,项目名称,所属区县,建设单位,建设单位信用代码,施工总承包单位,总承包单位信用代码,合同金额,开工日期\n' +
  `XT-2026-010,沙河市学校扩建,沙河市,沙河教育局,${OWNER},冀建集团,${CONTRACTOR},"12,000,000.00",2026-03-01\n`;

const rosterCsv = (id: string) =>
  '项目编号,姓名,身份证号,用工单位,用工单位信用代码,进场日期,计薪方式,工资标准,银行卡号\n' +
  `XT-2026-001,${C.name},${id},冀建集团,${CONTRACTOR},2026-09-01,日薪,300,${C.card}\n`;

function multipart(fileName: string, content: string, boundary = 'huxinboundary') {
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload:
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n` +
      `${content}\r\n--${boundary}--\r\n`,
  };
}

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(() => t.close());

describe('POST /api/v1/imports/{kind}', () => {
  it('a CSV body is imported as a new batch (201), recorded with the token name and audited', async () => {
    const res = await t.as('importer', {
      method: 'POST',
      url: '/api/v1/imports/projects?fileName=%E9%A1%B9%E7%9B%AE.csv',
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      payload: PROJECTS_CSV,
    });
    expect(res.statusCode, res.body).toBe(201);
    const batch = res.json();
    expect(batch).toMatchObject({ kind: 'projects', fileName: '项目.csv', actor: 'importer-user', rowCount: 1, inserted: 1, duplicate: false });
    const project = await t.store.sql.get<{ contract_amount_fen: number }>("SELECT contract_amount_fen FROM projects WHERE code = 'XT-2026-010'");
    expect(project?.contract_amount_fen).toBe(1_200_000_000);
    const audit = await t.store.sql.all<{ actor: string }>("SELECT * FROM audit_log WHERE action = 'import' AND entity_id = ?", [String(batch.id)]);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('importer-user');

    const list = await t.as('viewer', { url: '/api/v1/imports?kind=projects' });
    expect(list.json().items.map((b: { id: number }) => b.id)).toContain(batch.id);
    const one = await t.as('inspector', { url: `/api/v1/imports/${batch.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json().sha256).toBe(batch.sha256);
  });

  it('the same bytes again answer 200 with the earlier batch and change nothing', async () => {
    const req = { method: 'POST' as const, url: '/api/v1/imports/projects', headers: { 'content-type': 'text/csv' }, payload: PROJECTS_CSV };
    const first = await t.as('importer', req);
    const again = await t.as('supervisor', req);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, duplicate: true });
    const batches = countOf(await t.store.sql.get<{ n: number }>("SELECT count(*) AS n FROM import_batches WHERE kind = 'projects'"));
    expect(batches).toBe(2); // the seeded one and this one
  });

  it('a multipart upload is imported, with the uploaded file name on the batch', async () => {
    const res = await t.as('importer', { method: 'POST', url: '/api/v1/imports/roster', ...multipart('花名册10月.csv', rosterCsv(C.id)) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'roster', fileName: '花名册10月.csv', inserted: 1 });
  });

  it('application/octet-stream bodies are accepted too (GBK files sent as bytes)', async () => {
    const res = await t.as('importer', {
      method: 'POST',
      url: '/api/v1/imports/projects',
      headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'p.csv' },
      payload: Buffer.from(PROJECTS_CSV, 'utf8'),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().fileName).toBe('p.csv');
  });

  it('a bad file is 422 IMPORT_REJECTED listing line, column, value and reason — nothing written, numbers masked', async () => {
    const wrongCheck = C.id.slice(0, 17) + (C.id[17] === '0' ? '1' : '0');
    const before = countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM roster_entries'));
    const res = await t.as('importer', { method: 'POST', url: '/api/v1/imports/roster', headers: { 'content-type': 'text/csv' }, payload: rosterCsv(wrongCheck) });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('IMPORT_REJECTED');
    expect(body.error.message).toMatch(/未导入/);
    const problem = body.error.details.problems[0];
    expect(problem).toMatchObject({ line: 2, column: '身份证号' });
    expect(problem.reason).toEqual(expect.any(String));
    expect(body.error.details.warnings).toEqual(expect.any(Array));
    expect(res.body).not.toContain(wrongCheck);
    expect(res.body).toContain(maskedId(wrongCheck));
    expect(leakedSecrets(res.body)).toEqual([]);
    const after = countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM roster_entries'));
    expect(after).toBe(before);
  });

  it('an unknown kind is a 400 schema violation', async () => {
    const res = await t.as('importer', { method: 'POST', url: '/api/v1/imports/salaries', headers: { 'content-type': 'text/csv' }, payload: 'a\n' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('JSON is not a file: 415', async () => {
    const res = await t.as('importer', { method: 'POST', url: '/api/v1/imports/projects', payload: { rows: [] } });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('an empty body is 400', async () => {
    const res = await t.as('importer', { method: 'POST', url: '/api/v1/imports/projects', headers: { 'content-type': 'text/csv' }, payload: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toMatch(/FILE_MISSING|EMPTY_BODY/);
  });

  it('an import runs through the app\'s store (its own writer connection); another connection to the database sees the committed batch', async () => {
    const custom = await makeApp({});
    try {
      const res = await custom.as('importer', { method: 'POST', url: '/api/v1/imports/projects', headers: { 'content-type': 'text/csv' }, payload: PROJECTS_CSV });
      expect(res.statusCode).toBe(201);
      expect(custom.app.store.sql.inTransaction).toBe(false);
      expect(await custom.app.store.importBatches.get(res.json().id)).toMatchObject({ kind: 'projects' });
      // a connection that is not the app's (another process's) sees it committed
      const other = await openStore(custom.dbPath, { readonly: true });
      try {
        expect(countOf(await other.sql.get<{ n: number }>('SELECT count(*) AS n FROM import_batches WHERE id = ?', [res.json().id]))).toBe(1);
      } finally {
        await other.close();
      }
      const seen = await custom.as('viewer', { url: '/api/v1/projects/XT-2026-010' });
      expect(seen.statusCode).toBe(200);
    } finally {
      await custom.close();
    }
  });
});

describe('import limits', () => {
  it('a raw body over the import limit is 413', async () => {
    const small = await makeApp({ seed: false, limits: { importBytes: 2048 } });
    try {
      const res = await small.as('importer', { method: 'POST', url: '/api/v1/imports/projects', headers: { 'content-type': 'text/csv' }, payload: 'x'.repeat(4096) });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it('a multipart file over the import limit is 413', async () => {
    const small = await makeApp({ seed: false, limits: { importBytes: 2048 } });
    try {
      const res = await small.as('importer', { method: 'POST', url: '/api/v1/imports/projects', ...multipart('big.csv', 'x'.repeat(4096)) });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it('imports are rate limited per client (429 with the error shape)', async () => {
    const limited = await makeApp({ limits: { importsPerMinute: 2 } });
    try {
      const send = () => limited.as('importer', { method: 'POST', url: '/api/v1/imports/projects', headers: { 'content-type': 'text/csv' }, payload: PROJECTS_CSV });
      expect((await send()).statusCode).toBe(201);
      expect((await send()).statusCode).toBe(200);
      const third = await send();
      expect(third.statusCode).toBe(429);
      expect(third.json().error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
