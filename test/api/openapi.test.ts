/**
 * /openapi.json is a document a client can generate code from: valid OpenAPI (checked by a real validator,
 * @apidevtools/swagger-parser), the API only (no page route), and every operation with an operationId, a
 * Chinese summary, a 2xx schema, error responses in the shared error shape, and examples.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_IDS } from '../../src/api/openapi.ts';
import { makeApp, type TestApp } from './helpers.ts';

type Json = Record<string, any>;
let t: TestApp;
let doc: Json;
const operations: { key: string; op: Json }[] = [];

beforeAll(async () => {
  t = await makeApp();
  const res = await t.as(null, { method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json() as Json;
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) operations.push({ key: `${method.toUpperCase()} ${path}`, op });
  }
});
afterAll(() => t.close());

describe('/openapi.json', () => {
  it('is a valid OpenAPI document (swagger-parser validates it against the schema and resolves every $ref)', async () => {
    const api = await SwaggerParser.validate(structuredClone(doc) as never);
    expect((api as Json).openapi).toMatch(/^3\.1/);
  });

  it('documents the API only: no page route (HTML pages, sign-in, assets) is in it', () => {
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(40);
    for (const p of paths) expect(p === '/health' || p.startsWith('/api/v1/'), p).toBe(true);
    for (const page of ['/', '/login', '/logout', '/flags', '/cases/{id}', '/imports', '/reports/{asOf}', '/assets/{file}']) expect(paths).not.toContain(page);
  });

  it('every operation has a unique operationId from the table, a Chinese summary and a 2xx response with a schema and an example', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, op } of operations) {
      expect(op.operationId, key).toBe(OPERATION_IDS[key]);
      expect(op.summary, key).toMatch(/[\u4e00-\u9fff]/);
      const ok = Object.entries<Json>(op.responses).filter(([code]) => code.startsWith('2'));
      expect(ok.length, key).toBeGreaterThan(0);
      for (const [code, response] of ok) {
        expect(response.description, `${key} ${code}`).not.toBe('Default Response');
        const media = Object.values<Json>(response.content ?? {});
        expect(media.length, `${key} ${code}`).toBeGreaterThan(0);
        for (const m of media) {
          expect(m.schema, `${key} ${code}`).toBeDefined();
          expect(m.example ?? m.examples, `${key} ${code}`).toBeDefined();
        }
      }
    }
    expect(operations.length).toBe(Object.keys(OPERATION_IDS).length);
  });

  it('every error response uses the shared error schema, with a Chinese description and an example', () => {
    expect(doc.components.schemas.ErrorResponse.properties.error.required).toEqual(expect.arrayContaining(['code', 'message']));
    for (const { key, op } of operations) {
      const errors = Object.entries<Json>(op.responses).filter(([code]) => !code.startsWith('2'));
      expect(errors.map(([c]) => c), key).toContain('500');
      if (key !== 'GET /health') expect(errors.map(([c]) => c), key).toEqual(expect.arrayContaining(['401', '403']));
      for (const [code, response] of errors) {
        expect(response.description, `${key} ${code}`).toMatch(/[\u4e00-\u9fff]/);
        const media = response.content['application/json'];
        expect(media.schema.$ref, `${key} ${code}`).toBe('#/components/schemas/ErrorResponse');
        expect(media.example.error.code, `${key} ${code}`).toMatch(/^[A-Z_]+$/);
      }
    }
  });

  it('describes the import body: raw CSV bytes or one multipart file', () => {
    const body = doc.paths['/api/v1/imports/{kind}'].post.requestBody;
    expect(body.required).toBe(true);
    expect(body.content['text/csv'].schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(body.content['multipart/form-data'].schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
  });

  it('types the registry and enforcement answers (no bare object): e.g. a case, a training record, a listing', () => {
    const schemaOf = (key: string, code = '200') => {
      const [method, path] = key.split(' ');
      return doc.paths[path!][method!.toLowerCase()].responses[code].content['application/json'].schema;
    };
    expect(Object.keys(schemaOf('GET /api/v1/cases/{id}').properties)).toEqual(expect.arrayContaining(['stage', 'amounts', 'deadlines', 'events']));
    expect(Object.keys(schemaOf('GET /api/v1/training').properties.items.items.properties)).toEqual(expect.arrayContaining(['idNumber', 'course', 'certificate', 'source']));
    expect(Object.keys(schemaOf('GET /api/v1/blacklist/{id}').properties)).toEqual(expect.arrayContaining(['status', 'onListAt', 'steps']));
    expect(Object.keys(schemaOf('POST /api/v1/orders', '201').properties)).toEqual(expect.arrayContaining(['deadline', 'evaluation']));
    for (const { key, op } of operations) {
      for (const [code, r] of Object.entries<Json>(op.responses)) {
        if (!code.startsWith('2')) continue;
        const s = r.content['application/json']?.schema;
        if (s && s.type === 'object') expect(Object.keys(s.properties ?? {}).length, `${key} ${code} is a bare object`).toBeGreaterThan(0);
      }
    }
  });
});
