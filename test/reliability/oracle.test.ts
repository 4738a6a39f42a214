/**
 * The unmasking attack of the review (issue 15, finding 1), replayed: a masked role reads a masked identity
 * number (`130503********0013`: area code, sequence and check character visible, birth date hidden), lists
 * every candidate that fits — each birth date 1950–2008 whose GB 11643 check character matches, about two
 * thousand — and asks every surface that takes a number whether it exists. Before the fix
 * `GET /api/v1/workers/{idNumber}` answered 200 for the right one and 404 for the others (5 of 5 numbers
 * recovered in 4,408 requests); the registry filters answered with their totals. Now every candidate gets
 * the same answer on every surface, and the test fails if any answer singles one out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckCharacter } from '../../src/domain/idNumber.ts';
import { A, B, leakedSecrets, makeApp, type TestApp } from '../api/helpers.ts';
import { countOf } from '../support/toEngine.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ limits: { failedAuthAttempts: 1_000_000, requestsPerTokenPerMinute: 1_000_000 } });
});
afterAll(() => t.close());

/** Every identity number the mask leaves possible: the hidden birth date over 1950–2008, the check character as shown. */
function candidatesOf(masked: string): string[] {
  const area = masked.slice(0, 6);
  const tail = masked.slice(-4);
  const out: string[] = [];
  for (let y = 1950; y <= 2008; y++)
    for (let m = 1; m <= 12; m++)
      for (let d = 1; d <= new Date(Date.UTC(y, m, 0)).getUTCDate(); d++) {
        const first17 = `${area}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${tail.slice(0, 3)}`;
        if (idCheckCharacter(first17) === tail[3]) out.push(first17 + tail[3]);
      }
  return out;
}

/** What an answer tells: status and body without the request id (which differs on every request). */
const signature = (r: { statusCode: number; body: string }) => `${r.statusCode} ${r.body.replace(/"requestId":"[^"]+"/, '')}`;

describe('no role that sees masked numbers can confirm a guessed one', () => {
  it('the masked number read from a list leaves about two thousand candidates, the real number among them', async () => {
    const list = (await t.as('viewer', { url: '/api/v1/workers' })).json();
    const masked = list.items.find((w: { name: string }) => w.name === A.name).idNumber as string;
    expect(masked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const candidates = candidatesOf(masked);
    expect(candidates).toContain(A.id);
    expect(candidates.length).toBeGreaterThan(1500);
    expect(candidates.length).toBeLessThan(2500);
  });

  it(`GET /api/v1/workers/{number} (viewer, importer, inspector): one answer for every candidate`, async () => {
    const masked = (await t.as('viewer', { url: '/api/v1/workers' })).json().items.find((w: { name: string }) => w.name === A.name).idNumber as string;
    const candidates = candidatesOf(masked);
    let requests = 0;
    for (const role of ['viewer', 'importer', 'inspector'] as const) {
      const seen = new Map<string, number>();
      for (const c of role === 'viewer' ? candidates : candidates.slice(0, 200).concat(A.id)) {
        const r = await t.as(role, { url: `/api/v1/workers/${c}` });
        requests++;
        seen.set(signature(r), (seen.get(signature(r)) ?? 0) + 1);
        expect(leakedSecrets(r.body)).toEqual([]);
      }
      expect([...seen.keys()], role).toHaveLength(1);
      expect([...seen.keys()][0]).toMatch(/^403 .*ID_NUMBER_LOOKUP_FORBIDDEN/);
    }
    expect(requests).toBeGreaterThan(2000);
  }, 120_000);

  it('every other surface that takes a number — worker view, registry filters, legal aid, case intake — answers the same for every candidate', async () => {
    const candidates = candidatesOf(`${A.id.slice(0, 6)}********${A.id.slice(-4)}`).slice(0, 150).concat(A.id, B.id);
    const surfaces: { role: 'viewer' | 'inspector' | 'importer'; req: (c: string) => Parameters<TestApp['as']>[1] }[] = [
      { role: 'viewer', req: (c) => ({ url: `/api/v1/workers/${c}/full` }) },
      { role: 'viewer', req: (c) => ({ url: `/api/v1/training?idNumber=${c}` }) },
      { role: 'viewer', req: (c) => ({ url: `/api/v1/insurance?idNumber=${c}` }) },
      { role: 'viewer', req: (c) => ({ url: `/api/v1/housing?idNumber=${c}` }) },
      { role: 'importer', req: (c) => ({ url: `/api/v1/training?idNumber=${c}&pageSize=1` }) },
      { role: 'inspector', req: (c) => ({ url: `/api/v1/care?idNumber=${c}` }) },
      { role: 'inspector', req: (c) => ({ method: 'POST', url: '/api/v1/care/legal-aid', payload: { idNumber: c, office: '信都区法律援助中心' } }) },
      { role: 'inspector', req: (c) => ({ method: 'POST', url: '/api/v1/cases', payload: { items: [{ project: 'XT-2026-001', idNumber: c, month: '2026-10' }], reason: '试探' } }) },
    ];
    const auditBefore = countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'));
    for (const s of surfaces) {
      const seen = new Set<string>();
      for (const c of candidates) seen.add(signature(await t.as(s.role, s.req(c))));
      expect([...seen], JSON.stringify(s.req('X'))).toHaveLength(1);
      expect([...seen][0]).toMatch(/^403 /);
    }
    // nothing was written by the attempts
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))).toBe(auditBefore);
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT count(*) AS n FROM care_records'))).toBe(0);
  }, 120_000);

  it('a flag fingerprint holding a guessed number (case intake, order) answers the same for every candidate', async () => {
    // B has a WAGE_PARTIAL flag on project 1 for 2026-10: its fingerprint is WAGE_PARTIAL|1|<B's number>|2026-10
    const candidates = candidatesOf(`${B.id.slice(0, 6)}********${B.id.slice(-4)}`).slice(0, 150).concat(B.id);
    const fp = (c: string) => `WAGE_PARTIAL|1|${c}|2026-10`;
    const before = countOf(await t.store.sql.get<{ n: number }>('SELECT (SELECT count(*) FROM wage_cases) + (SELECT count(*) FROM inspection_orders) AS n'));
    for (const req of [
      (c: string) => ({ method: 'POST' as const, url: '/api/v1/cases', payload: { fingerprints: [fp(c)], reason: '试探' } }),
      (c: string) => ({ method: 'POST' as const, url: '/api/v1/orders', payload: { fingerprints: [fp(c)], deadline: '2026-12-15', reason: '试探' } }),
    ]) {
      const seen = new Set<string>();
      for (const c of candidates) seen.add(signature(await t.as('inspector', req(c))));
      expect([...seen], req('X').url).toHaveLength(1);
      expect([...seen][0]).toMatch(/^403 .*ID_NUMBER_LOOKUP_FORBIDDEN/);
    }
    expect(countOf(await t.store.sql.get<{ n: number }>('SELECT (SELECT count(*) FROM wage_cases) + (SELECT count(*) FROM inspection_orders) AS n'))).toBe(before);
  });

  it('the worker is reached by the opaque id the list gives, for every role; a made-up id is a plain 404', async () => {
    const item = (await t.as('viewer', { url: '/api/v1/workers' })).json().items.find((w: { name: string }) => w.name === A.name);
    expect(item.workerId).toMatch(/^w_[A-Za-z0-9_-]{22}$/);
    expect(item.workerId).not.toContain(A.id.slice(6, 14));
    for (const role of ['viewer', 'importer', 'inspector', 'supervisor'] as const) {
      const r = await t.as(role, { url: `/api/v1/workers/${item.workerId}` });
      expect(r.statusCode, role).toBe(200);
      expect(r.json().name).toBe(A.name);
      expect(leakedSecrets(r.body)).toEqual([]);
    }
    // forging ids (flipping characters of a real one, random ones) finds nobody
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    const forged = [`w_${'A'.repeat(22)}`, `w_${item.workerId.slice(2, 12)}${flip(item.workerId[12])}${item.workerId.slice(13)}`, `w_${item.workerId.slice(3)}A`, `${item.workerId.slice(0, 23)}${item.workerId.at(-1) === 'A' ? 'B' : 'A'}`];
    const answers = new Set<string>();
    for (const f of forged) answers.add(signature(await t.as('viewer', { url: `/api/v1/workers/${f}` })));
    expect([...answers], [...answers].join(" | ")).toHaveLength(1);
    expect([...answers][0]).toMatch(/^404 /);
  });

  it('a supervisor may look a worker up by full number: each look-up audited (masked), throttled per token', async () => {
    const limited = await makeApp({ limits: { idNumberLookupsPerMinute: 5 } });
    try {
      const statuses: number[] = [];
      for (const c of [A.id, ...candidatesOf(`${A.id.slice(0, 6)}********${A.id.slice(-4)}`).slice(0, 6)]) {
        statuses.push((await limited.as('supervisor', { url: `/api/v1/workers/${c}`, headers: { 'x-full-view-reason': encodeURIComponent('投诉核查') } })).statusCode);
      }
      expect(statuses[0]).toBe(200);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const rows = await limited.store.sql.all<{ actor: string; entity_id: string; reason: string; detail: string }>("SELECT actor, entity_id, reason, detail FROM audit_log WHERE action = 'worker_lookup_by_id_number' ORDER BY id");
      expect(rows).toHaveLength(5);
      expect(rows[0]).toMatchObject({ actor: 'supervisor-user', entity_id: `${A.id.slice(0, 6)}********${A.id.slice(-4)}`, reason: '投诉核查' });
      expect(leakedSecrets(JSON.stringify(rows))).toEqual([]);
      // the opaque id is not throttled as a look-up by number
      expect((await limited.as('supervisor', { url: `/api/v1/workers/${limited.ref(A.id)}` })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('opaque worker ids', () => {
  it('round-trip every identity number (X check characters included), one spelling each, nothing from another key', async () => {
    const { randomBytes } = await import('node:crypto');
    const { idNumberOfRef, workerRefOf } = await import('../../src/api/workerRef.ts');
    const key = randomBytes(32);
    const other = randomBytes(32);
    let xs = 0;
    for (let n = 0; n < 2000; n++) {
      const first17 = `${String(110000 + n * 37).slice(0, 6)}${1950 + (n % 59)}${String((n % 12) + 1).padStart(2, '0')}${String((n % 28) + 1).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
      const id = first17 + idCheckCharacter(first17);
      if (id.endsWith('X')) xs++;
      const ref = workerRefOf(key, id);
      expect(ref).toMatch(/^w_[A-Za-z0-9_-]{22}$/);
      expect(idNumberOfRef(key, ref)).toBe(id);
      expect(idNumberOfRef(other, ref)).toBeNull();
    }
    expect(xs).toBeGreaterThan(50);
  });
});
