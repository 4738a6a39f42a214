/**
 * 精简台账的同一性 — the lean ledger (issue 16 point 3) must give the same rules, articles and results as the
 * core it replaced, byte for byte. The oracle is a set of sha256 digests recorded from the core BEFORE the
 * rework (test/rules/lean-identity.digests.json, committed first), over
 * - the demo city (fixtures/demo through the importer) on three days,
 * - a generated city (scripts/city-generator.ts, its fixed seed, 30 projects) on two days,
 * - every project scenario of the YAML files the scenario tests run (test/rules/scenarios).
 * For each: the findings JSON, the whole evaluation JSON (ledger, assessment, notApplied, provisional years),
 * what the night stores of each project (night/result.ts: the ledger document, the finding records, the
 * assessment and report part, the next change day), the city totals and queue, and the report JSON. The
 * ledger is stored by month since; its months joined give the recorded whole-project document (wholeDocument).
 *
 * Re-recording is deliberate only: `HUXIN_RECORD_IDENTITY=1 npx vitest run --project sqlite
 * test/rules/lean-identity.test.ts` rewrites the digests (do it only for an intended change of results, and
 * say so in the commit).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCityDb } from '../../scripts/city-generator.ts';
import { isoDate, type IsoDate } from '../../src/domain/date.ts';
import { cityFacts } from '../imports/helpers.ts';
import { buildReport } from '../../src/reports/model.ts';
import { renderJson } from '../../src/reports/json.ts';
import { evaluateCity, evaluateProject, type CityEvaluation } from '../../src/rules/evaluate.ts';
import type { CityFacts } from '../../src/rules/facts.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { openStore } from '../../src/store/open.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { nextChangeOf, parameterDates } from '../../src/services/night/nextChange.ts';
import { projectResultOf } from '../../src/services/night/result.ts';
import type { LedgerMonth } from '../../src/store/repos/evaluations.ts';
import { encodeRows, type Columns } from '../../src/store/factsCodec.ts';
import { buildProject } from './scenario.ts';
import { cityOf, normalise, readScenarioFile, scenarioFiles } from './scenarioFiles.ts';

const DIGESTS = join(import.meta.dirname, 'lean-identity.digests.json');
const RECORD = process.env.HUXIN_RECORD_IDENTITY === '1';
const recorded: Record<string, Record<string, string>> = existsSync(DIGESTS) ? (JSON.parse(readFileSync(DIGESTS, 'utf8')) as Record<string, Record<string, string>>) : {};
const fresh: Record<string, Record<string, string>> = {};

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * The stored ledger in the whole-project document the digests were recorded over (one `encodeRows` of every
 * line): the night now stores it month by month (ledger_months), each month in that same layout, so the
 * months' columns joined in month order must give the recorded document byte for byte. Only this FORMAT
 * changed; findings, report and outcomes are compared as recorded.
 */
function wholeDocument(months: readonly LedgerMonth[] | null): string | null {
  if (months === null) return null;
  if (months.length === 0) return JSON.stringify(encodeRows([]));
  const parts = months.map((m) => JSON.parse(m.lines) as Columns);
  const k = parts[0]!.k;
  for (const p of parts) expect(p.k).toEqual(k);
  return JSON.stringify({ t: parts[0]!.t, k, c: k.map((_, i) => parts.flatMap((p) => p.c[i]!)) });
}
const paramDates = parameterDates(DEFAULT_PARAMS);

/** The digests of one city on one day: every output the rules core's results reach. */
function digestsOf(facts: CityFacts, asOf: IsoDate): Record<string, string> {
  const evaluation: CityEvaluation = evaluateCity(facts, asOf, DEFAULT_PARAMS);
  const byId = new Map(evaluation.projects.map((pe) => [pe.projectId, pe]));
  const problemOf = new Map(evaluation.problems.map((p) => [p.projectId, p.message]));
  const stored = facts.projects.map((p) => {
    const pe = byId.get(p.id) ?? null;
    const nextChange = nextChangeOf({
      facts: p,
      evaluation: pe,
      asOf,
      params: DEFAULT_PARAMS,
      listings: facts.blacklist ?? [],
      history: facts.contractorHistory?.find((h) => h.uscc === p.contractorUscc),
      injuryCover: facts.injuryInsurance,
      paramDates,
    });
    const r = projectResultOf(p, pe, { asOf, factsVersion: 1, paramsVersion: 'identity', nextChange, injuryCover: facts.injuryInsurance, problem: pe ? null : (problemOf.get(p.id) ?? '未评估') });
    return { ...r, ledger: wholeDocument(r.ledger) };
  });
  const report = buildReport({ asOf, facts, evaluation, reviews: new Map(), previous: null, params: DEFAULT_PARAMS });
  return {
    findings: sha(JSON.stringify(evaluation.projects.map((pe) => pe.findings))),
    ledger: sha(JSON.stringify(evaluation.projects.map((pe) => pe.ledger))),
    evaluation: sha(JSON.stringify(evaluation)),
    stored: sha(JSON.stringify(stored)),
    report: sha(renderJson(report)),
    // a readable line beside the digests, so a failing comparison says where to look first
    counts: `${evaluation.projects.length} projects, ${evaluation.projects.reduce((n, pe) => n + pe.ledger.length, 0)} worker-months, ${evaluation.projects.reduce((n, pe) => n + pe.findings.length, 0)} findings, ${evaluation.problems.length} problems`,
  };
}

function check(name: string, got: Record<string, string>): void {
  fresh[name] = got;
  if (RECORD) return;
  expect(recorded[name], `${name}: a recorded digest (record with HUXIN_RECORD_IDENTITY=1)`).toBeDefined();
  expect(got).toEqual(recorded[name]);
}

/**
 * evaluateCity streaming (onProject: a contractor's other projects run ahead for its arrears history, each in
 * its own record of missing holiday years) gives each project the evaluation the two-phase run gives it.
 */
function sameStreamed(facts: CityFacts, asOf: IsoDate): void {
  const whole = evaluateCity(facts, asOf, DEFAULT_PARAMS);
  const streamed: unknown[] = [];
  const s = evaluateCity(facts, asOf, DEFAULT_PARAMS, { onProject: (pe) => streamed.push(pe) });
  expect(streamed.length).toBeGreaterThan(0);
  expect(JSON.stringify(streamed)).toBe(JSON.stringify(whole.projects));
  expect(s.totals).toEqual(whole.totals);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'huxin-identity-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (RECORD) writeFileSync(DIGESTS, `${JSON.stringify(fresh, null, 2)}\n`);
});

describe('the demo city', () => {
  let facts: CityFacts;
  beforeAll(async () => {
    const seed = await openStore(join(dir, 'demo.db'));
    await loadDemoCity(seed, '2026-11-01T08:00:00.000Z');
    // the facts as the night reads them (the store's reader, from the rows)
    facts = await cityFacts(seed);
    await seed.close();
  }, 120_000);
  for (const day of ['2026-11-20', '2026-12-02', '2026-12-16']) {
    it(`as of ${day}`, () => check(`demo ${day}`, digestsOf(facts, isoDate(day))));
  }
  it('streamed project by project, as a night evaluates its chunks, gives the same evaluations', () => sameStreamed(facts, isoDate('2026-12-16')));
});

describe('a generated city (30 projects, the generator’s fixed seed)', () => {
  let facts: CityFacts;
  beforeAll(async () => {
    const path = join(dir, 'generated.db');
    generateCityDb(path, 30, 40, 12);
    const store = await openStore(path);
    facts = await cityFacts(store);
    await store.close();
  }, 120_000);
  for (const day of ['2026-12-02', '2026-12-16']) {
    it(`as of ${day}`, () => check(`generated ${day}`, digestsOf(facts, isoDate(day))));
  }
  it('streamed project by project, as a night evaluates its chunks, gives the same evaluations', () => sameStreamed(facts, isoDate('2026-12-16')));
});

describe('every project scenario of the YAML files', () => {
  for (const file of scenarioFiles()) {
    it(file, () => {
      const scenarios = (readScenarioFile(file).scenarios ?? []).map((raw) => normalise(raw) as ReturnType<typeof readScenarioFile>['scenarios'][number]);
      const digests: Record<string, string> = {};
      for (const s of scenarios) {
        if ((s.kind ?? 'project') !== 'project') continue;
        const extras = cityOf(s) ?? {};
        const project = buildProject(s.project ?? {});
        const facts: CityFacts = { projects: [project, ...(extras.projects ?? [])], blacklist: [], contractorHistory: extras.contractorHistory ?? [] };
        const asOf = isoDate(s.asOf!);
        // the city evaluation, and the one-project evaluation the scenario tests themselves run
        const single = sha(JSON.stringify(evaluateProject(project, facts, asOf, DEFAULT_PARAMS)));
        digests[s.name] = sha(JSON.stringify({ ...digestsOf(facts, asOf), single }));
      }
      check(`scenarios ${file}`, digests);
    });
  }
});
