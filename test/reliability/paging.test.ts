/**
 * Numeric query parameters on the 12 paged lists (issue 15, finding 5): `?page=2e17`, `?page=1e309`,
 * `?pageSize=Infinity` and friends answered 500 (an exponent is coerced to a number, and without a maximum
 * it reached SQLite as an offset it could not bind). Now one shared paging schema: integers in range, else
 * 400 VALIDATION_FAILED in the API's JSON error shape, never 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../api/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ limits: { failedAuthAttempts: 1_000_000, requestsPerTokenPerMinute: 1_000_000 } });
});
afterAll(() => t.close());

const BAD = ['page=2e17', 'page=1e309', 'page=-1e309', 'pageSize=Infinity', 'page=Infinity', 'page=-Infinity', 'page=NaN', 'page=1.5', 'page=0', 'page=-3', 'page=9007199254740993', 'page=1000001', 'pageSize=201', 'pageSize=0', 'pageSize=1e3', 'page=', 'page=%20', 'page=1&page=2e17', 'page=abc', 'pageSize=1e309'];

describe('paging parameters', () => {
  it('the 12 paged lists are exactly the routes answering a page (items, page, pageSize, total)', () => {
    expect(pagedLists().length).toBe(12);
  });

  it(`every bad value on every paged list is 400 VALIDATION_FAILED, never 500 (${BAD.length} values × 12 lists)`, async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const url of pagedLists()) {
      for (const q of BAD) {
        const r = await t.as('supervisor', { url: `${url}${url.includes('?') ? '&' : '?'}${q}` });
        tried++;
        const body = r.json() as { error?: { code: string; message: string } };
        if (r.statusCode !== 400 || body.error?.code !== 'VALIDATION_FAILED' || !/查询参数/.test(body.error.message)) failures.push(`${url} ${q} → ${r.statusCode} ${r.body.slice(0, 120)}`);
      }
    }
    expect(tried).toBe(12 * BAD.length);
    expect(failures).toEqual([]);
  });

  it('good values still page (the last allowed page is simply empty)', async () => {
    for (const url of pagedLists()) {
      // an exponent or hex form of an integer in range is that integer (Ajv coerces like Number())
      for (const q of ['page=1&pageSize=1', 'page=1000000&pageSize=200', 'pageSize=200', 'pageSize=2e2', 'page=0x1']) {
        const r = await t.as('supervisor', { url: `${url}${url.includes('?') ? '&' : '?'}${q}` });
        expect(r.statusCode, `${url} ${q} ${r.body.slice(0, 200)}`).toBe(200);
        expect(r.json()).toHaveProperty('total');
      }
    }
  });
});

/** The list routes with the shared paging query, as concrete URLs. */
function pagedLists(): string[] {
  return [
    '/api/v1/projects',
    '/api/v1/projects/1/ledger/2026-10',
    '/api/v1/workers',
    '/api/v1/flags',
    '/api/v1/imports',
    '/api/v1/reports',
    '/api/v1/audit',
    '/api/v1/tokens',
    '/api/v1/training',
    '/api/v1/insurance',
    '/api/v1/housing',
    '/api/v1/care',
  ];
}
