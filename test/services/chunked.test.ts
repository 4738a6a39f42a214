/**
 * The chunked evaluation (services/chunked.ts) against the whole-city one: the demo city, a generated
 * multi-contractor city (workers on two projects whose projects land in different chunks) and the report's
 * hand-worked city (reviews, a previous report), with tiny chunks; the stored findings and assessments and
 * the report JSON must be the same bytes as evaluating the city whole.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCityDb } from '../../scripts/city-generator.ts';
import { loadCityFacts, planProjectChunks } from '../../src/db/facts.ts';
import { openDatabase, type Db } from '../../src/db/open.ts';
import type { IsoDate } from '../../src/domain/date.ts';
import { computeReport, discardReport, loadReportState, storeReport } from '../../src/reports/generate.ts';
import { renderJson } from '../../src/reports/json.ts';
import { buildReport } from '../../src/reports/model.ts';
import { evaluateCity } from '../../src/rules/evaluate.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { recomputeCity, storeEvaluation } from '../../src/services/recompute.ts';
import { evaluateCityInParallel } from '../../src/services/parallel/evaluate.ts';
import { D, D0, reviewFlags, seedCity } from '../reports/fixture.ts';

const NOW = '2026-11-28T02:00:00.000Z';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huxin-chunked-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stored = (db: Db, asOf: string) => ({
  findings: db.$client
    .prepare('SELECT as_of, fingerprint, code, severity, project_id, id_number, month, amount_fen, sentence, legal_basis, params, evidence FROM findings WHERE as_of = ? ORDER BY id')
    .raw()
    .all(asOf),
  assessments: db.$client.prepare('SELECT * FROM project_assessments WHERE as_of = ? ORDER BY rowid').raw().all(asOf),
  run: db.$client.prepare('SELECT project_count, finding_count FROM recompute_runs WHERE as_of = ?').get(asOf),
});

/** The whole-city path: every project loaded and evaluated at once, the report built over the whole city. */
function unchunked(db: Db, asOf: IsoDate) {
  const facts = loadCityFacts(db);
  const evaluation = evaluateCity(facts, asOf);
  const state = loadReportState(db, asOf);
  const json = renderJson(buildReport({ asOf, facts, evaluation, reviews: state.reviews, previous: state.previous }));
  storeEvaluation(db, evaluation, NOW);
  return { evaluation, json, rows: stored(db, asOf) };
}

/**
 * Chunks in this thread (workers: 1) and chunks in two worker threads (services/parallel/; used whenever
 * there are at least two chunks' worth of projects), each against the whole-city evaluation.
 */
function compareBothWays(db: Db, asOf: IsoDate, chunkSize: number) {
  const whole = unchunked(db, asOf);
  let computed: ReturnType<typeof computeReport> | undefined;
  for (const workers of [1, 2]) {
    db.$client.prepare('DELETE FROM findings WHERE as_of = ?').run(asOf);
    const r = recomputeCity(db, asOf, NOW, undefined, { chunkSize, workers });
    expect(stored(db, asOf)).toEqual(whole.rows);
    expect(r.findingCount).toBe(whole.rows.findings.length);
    const { projects: _p, ...wholeRest } = whole.evaluation;
    const { projects: _q, evaluatedCount, projectCount: _n, ...chunkRest } = r.evaluation;
    expect(evaluatedCount).toBe(whole.evaluation.projects.length);
    expect(JSON.stringify(chunkRest)).toBe(JSON.stringify(wholeRest));
    if (computed) discardReport(db, computed);
    computed = computeReport(db, asOf, undefined, { chunkSize, workers });
    expect(computed.json).toBe(whole.json);
  }
  // no staging file is left beside the database once the rows are committed or discarded: only the last
  // computed report's (kept for the caller) remain
  const base = basename(db.$client.name);
  const left = readdirSync(dirname(db.$client.name)).filter((f) => f.startsWith(`${base}-staging-`));
  expect(left.map((f) => join(dirname(db.$client.name), f)).sort()).toEqual([...computed!.staged.files].sort());
  return { whole, computed: computed! };
}

describe('chunked evaluation = whole-city evaluation', () => {
  it('demo city, chunks of 2 projects', async () => {
    const db = openDatabase(join(dir, 'demo.db'));
    await loadDemoCity(db, NOW);
    const { whole, computed } = compareBothWays(db, '2026-11-27' as IsoDate, 2);
    expect(whole.rows.findings.length).toBeGreaterThan(0);
    storeReport(db, computed, NOW);
    expect(stored(db, '2026-11-27')).toEqual(whole.rows);
    // a second day against the stored first: flag changes too
    compareBothWays(db, '2026-12-20' as IsoDate, 2);
    db.$client.close();
  });

  it('generated multi-contractor city with workers on projects in different chunks', () => {
    const path = join(dir, 'gen.db');
    generateCityDb(path, 60, 40, 2); // workers are shared between projects once 1,000 exist
    const db = openDatabase(path);
    const chunks = planProjectChunks(db, 2);
    expect(chunks.length).toBeGreaterThan(1);
    const chunkOf = new Map<number, number>();
    chunks.forEach((c, i) => c.forEach((id) => chunkOf.set(id, i)));
    // a contractor's projects are never split
    const contractorChunks = new Map<string, Set<number>>();
    for (const [id, uscc] of db.$client.prepare('SELECT id, contractor_uscc FROM projects').raw().all() as [number, string][]) {
      const s = contractorChunks.get(uscc) ?? new Set<number>();
      s.add(chunkOf.get(id)!);
      contractorChunks.set(uscc, s);
    }
    for (const s of contractorChunks.values()) expect(s.size).toBe(1);
    // some worker has payroll on two projects in different chunks
    const pairs = db.$client
      .prepare('SELECT a.project_id, b.project_id FROM payroll_rows a JOIN payroll_rows b ON a.id_number = b.id_number AND a.month = b.month AND a.project_id < b.project_id')
      .raw()
      .all() as [number, number][];
    expect(pairs.some(([a, b]) => chunkOf.get(a) !== chunkOf.get(b))).toBe(true);
    const { whole, computed } = compareBothWays(db, '2026-11-27' as IsoDate, 2);
    expect(whole.rows.findings.some((f) => (f as unknown[])[2] === 'DOUBLE_BOOKED')).toBe(true);
    expect(computed.staged.files.length).toBe(2); // two worker threads ran
    discardReport(db, computed);
    compareBothWays(db, '2026-11-27' as IsoDate, 1000);
    db.$client.close();
  });

  it('the hand-worked report city, with reviews and a previous report', () => {
    const db = openDatabase(join(dir, 'report.db'));
    const city = seedCity(db);
    storeReport(db, computeReport(db, D0 as IsoDate, undefined, { chunkSize: 1 }), '2026-11-19T18:00:00.000Z');
    reviewFlags(db, city);
    compareBothWays(db, D as IsoDate, 1);
    db.$client.close();
  });
});

describe('staged rows', () => {
  it('discarding one staged run leaves another staged on the same connection whole', async () => {
    const db = openDatabase(join(dir, 'staged.db'));
    await loadDemoCity(db, NOW);
    const first = computeReport(db, '2026-11-20' as IsoDate, undefined, { workers: 1 });
    const second = computeReport(db, '2026-11-21' as IsoDate, undefined, { workers: 1 });
    expect(first.staged.findingCount).toBeGreaterThan(0);
    discardReport(db, second);
    storeReport(db, first, NOW);
    const n = db.$client.prepare('SELECT count(*) AS n FROM findings WHERE as_of = ?').get('2026-11-20') as { n: number };
    expect(n.n).toBe(first.staged.findingCount);
    // and once nothing else is staged, the TEMP tables are emptied whole
    expect(db.$client.prepare('SELECT count(*) AS n FROM temp.staged_findings').get()).toEqual({ n: 0 });
    db.$client.close();
  });
});

describe('worker threads (services/parallel/)', () => {
  it('inside a transaction of the caller the city is evaluated in the calling thread (it sees the uncommitted rows)', async () => {
    const db = openDatabase(join(dir, 'in-tx.db'));
    await loadDemoCity(db, NOW);
    const asOf = '2026-11-20' as IsoDate;
    const outside = computeReport(db, asOf, undefined, { chunkSize: 2, workers: 2 });
    expect(outside.staged.files).toHaveLength(2);
    discardReport(db, outside);
    db.$client.exec('BEGIN');
    db.$client.prepare("UPDATE payments SET amount_fen = 1 WHERE id = (SELECT min(id) FROM payments)").run();
    const inside = computeReport(db, asOf, undefined, { chunkSize: 2, workers: 2 });
    expect(inside.staged.files).toEqual([]);
    expect(inside.json).not.toBe(outside.json); // the uncommitted change was seen
    discardReport(db, inside);
    db.$client.exec('ROLLBACK');
    db.$client.close();
  });

  it('a run that fails leaves no staging file, no open transaction and no stored row', async () => {
    const db = openDatabase(join(dir, 'fail.db'));
    await loadDemoCity(db, NOW);
    const asOf = '2026-11-20' as IsoDate;
    expect(() =>
      evaluateCityInParallel(db, asOf, { workers: 2, chunkSize: 2 }, () => {
        throw new Error('reading the report state failed');
      }),
    ).toThrow('reading the report state failed');
    const base = basename(db.$client.name);
    expect(readdirSync(dir).filter((f) => f.startsWith(`${base}-staging-`))).toEqual([]);
    expect(db.$client.inTransaction).toBe(false);
    expect(db.$client.prepare('SELECT count(*) AS n FROM findings WHERE as_of = ?').get(asOf)).toEqual({ n: 0 });
    // the connection still works, and a run after it succeeds; it removes the staging file of a process
    // killed mid-run (no process has pid 2^22 + 1: Linux pids stop at 2^22) and keeps a running one's
    const stale = join(dir, `${base}-staging-${2 ** 22 + 1}-7-0`);
    const live = join(dir, `${base}-staging-${process.ppid}-7-0`);
    writeFileSync(stale, '');
    writeFileSync(live, '');
    const r = recomputeCity(db, asOf, NOW, undefined, { chunkSize: 2, workers: 2 });
    expect(r.findingCount).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.startsWith(`${base}-staging-`))).toEqual([basename(live)]);
    rmSync(live);
    db.$client.close();
  });
});
