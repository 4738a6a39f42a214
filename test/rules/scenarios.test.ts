/**
 * Scenario tests as data: every test/rules/scenarios/*.yaml file is a list of scenarios a labour lawyer can copy
 * and change without TypeScript (test/rules/scenarios/README.md describes the format). Each scenario carries its
 * hand-worked reasoning (`worked`), the facts (a project in the scenario builder's terms, test/rules/scenario.ts;
 * or a contractor's deposit history, a case stage, a listing procedure) and what the law gives (`expect`).
 * This file only reads the YAML, builds the facts with the same builder as the TypeScript tests, runs the rules
 * core and compares; it holds no scenario of its own.
 */
import { describe, expect, it } from 'vitest';
import { formatYuan, yuan, type Fen } from '../../src/domain/money.ts';
import { calendarOf } from '../../src/rules/calendar.ts';
import { checkListingDecision, checkRestoration, checkRevocation, earlyRemoval, entryOfListing, listingRecommendation, termEnd } from '../../src/rules/blacklistListing.ts';
import { isListedOn } from '../../src/rules/blacklist.ts';
import { stageDeadlines } from '../../src/rules/cases.ts';
import { isPast } from '../../src/rules/deadlines.ts';
import { requiredDeposit, sourceText, type ContractorRecord, type DepositRequirement } from '../../src/rules/deposit.ts';
import type { FlagCode } from '../../src/rules/flags.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { buildProject, d, evaluate, usccFor } from './scenario.ts';
import { cityOf, normalise, readScenarioFile, scenarioFiles, type Scenario } from './scenarioFiles.ts';

const cal = calendarOf(DEFAULT_PARAMS.holidays);

/** Each listed phrase must appear in the text (a sentence is checked by what it must say, not word for word). */
const asList = (x: unknown): string[] => (x === undefined ? [] : Array.isArray(x) ? x.map(String) : [String(x)]);
function expectContains(text: string, phrases: unknown, what: string) {
  for (const p of asList(phrases)) expect(text, what).toContain(p);
}

function runProject(s: Scenario) {
  const r = evaluate(s.project ?? {}, s.asOf!, cityOf(s));
  const e = s.expect;
  if (e.deposit) {
    const dep = r.evaluation.assessment.deposit;
    expect(dep, 'the deposit rule ran').not.toBeNull();
    expectDeposit(dep!.requirement, e.deposit as DepositExpect);
  }
  for (const [code, n] of Object.entries((e.flags ?? {}) as Record<string, number>)) expect(r.flags(code as FlagCode).length, `${code} count`).toBe(n);
  for (const want of (e.findings ?? []) as { code: FlagCode; month?: string; amount?: string; sentence?: unknown; params?: string[]; paramSources?: string[] }[]) {
    const found = r.flags(want.code).filter((f) => want.month === undefined || f.month === want.month);
    expect(found.length, `${want.code} ${want.month ?? ''} found`).toBeGreaterThan(0);
    const f = found[0]!;
    if (want.amount !== undefined) expect(f.amount === undefined ? undefined : formatYuan(f.amount as Fen), `${want.code} amount`).toBe(want.amount);
    expectContains(f.sentence, want.sentence, `${want.code} sentence`);
    if (want.params) expect(f.params.map((p) => p.name)).toEqual(want.params);
    for (const doc of asList(want.paramSources)) expect(f.params.some((p) => p.source.document.includes(doc)), `a cited source mentions ${doc}`).toBe(true);
  }
  for (const rule of asList(e.notApplied)) expect(r.evaluation.notApplied.map((n) => n.rule)).toContain(rule);
  if (e.codes !== undefined) expect(r.codes(), 'every code raised').toEqual(asList(e.codes).sort());
  for (const want of (e.ledger ?? []) as { worker: string; month: string; codes?: string[]; [field: string]: unknown }[]) {
    const wm = r.wm(want.worker, want.month);
    expect(wm, `worker-month ${want.worker} ${want.month}`).toBeDefined();
    for (const [field, value] of Object.entries(want)) {
      if (field === 'worker' || field === 'month') continue;
      if (field === 'codes') {
        expect(r.codesOf(want.worker, want.month), `${want.worker} ${want.month} codes`).toEqual(asList(value).sort());
        continue;
      }
      const got = (wm as unknown as Record<string, unknown>)[field];
      // money fields of the ledger are fen: compare as yuan text
      const shown = MONEY_LEDGER.has(field) && typeof got === 'number' ? formatYuan(got as Fen) : got;
      expect(shown, `${want.worker} ${want.month} ${field}`).toEqual(value);
    }
  }
}

const MONEY_LEDGER = new Set(['netDue', 'paid', 'paidOnTime', 'arrears', 'estimatedExposure', 'paidToOthers']);

type DepositExpect = { rate?: string; required?: string; exempt?: boolean; applied?: string[]; steps?: Record<string, { applied?: boolean; replacedBy?: string; why?: unknown; sources?: unknown }> };

function expectDeposit(r: DepositRequirement, e: DepositExpect) {
  if (e.rate !== undefined) expect(r.rate).toBe(String(e.rate));
  if (e.required !== undefined) expect(r.required).toBe(yuan(e.required));
  if (e.exempt !== undefined) expect(r.exempt).toBe(e.exempt);
  if (e.applied) expect(r.steps.filter((x) => x.applied).map((x) => x.step)).toEqual(e.applied);
  for (const [step, want] of Object.entries(e.steps ?? {})) {
    const got = r.steps.find((x) => x.step === step);
    expect(got, `step ${step}`).toBeDefined();
    if (want.applied !== undefined) expect(got!.applied, `${step} applied`).toBe(want.applied);
    if (want.replacedBy !== undefined) expect(got!.replacedBy).toBe(want.replacedBy);
    expectContains(got!.why, want.why, `${step} why`);
    // sources: the phrases each listed source must show (导入批次#7第2行, 本系统项目XT-OLD台账 …)
    expectContains((got!.sources ?? []).map(sourceText).join('、'), want.sources, `${step} sources`);
  }
}

function runDeposit(s: Scenario) {
  const project = buildProject(s.project ?? {});
  const c = s.contractor ?? {};
  const record: ContractorRecord = {
    uscc: usccFor('contractor'),
    recordsHeldFrom: c.recordsHeldFrom ? d(c.recordsHeldFrom) : null,
    realNameAndAccountCompliant: c.compliant ?? false,
    arrears: (c.arrears ?? []).map((a) => ({ from: d(a.from), to: a.to ? d(a.to) : null, what: a.what, evidence: [] })),
    blacklist: (c.blacklist ?? []).map((b) => ({ uscc: usccFor('contractor'), from: d(b.from), ...(b.to ? { to: d(b.to) } : {}) })),
    projects: [project, ...(c.earlierProjects ?? []).map((p, i) => ({ id: 100 + i, code: p.code, contractSignedOn: d(p.signedOn), ...(p.completionDate ? { completionDate: d(p.completionDate) } : {}) }))],
  };
  expectDeposit(requiredDeposit(project, record, d(s.asOf ?? '2026-03-01')), s.expect as DepositExpect);
}

function runCase(s: Scenario) {
  const facts = { ...s.case! };
  const xs = stageDeadlines(facts, cal);
  for (const want of (s.expect.deadlines ?? []) as { kind: string; start?: string; due?: string | null; explanation?: unknown; pastOn?: Record<string, boolean | null> }[]) {
    const x = xs.find((y) => y.kind === want.kind);
    expect(x, `deadline ${want.kind}`).toBeDefined();
    if (want.start !== undefined) expect(x!.start).toBe(want.start);
    if (want.due !== undefined) expect(x!.due).toBe(want.due);
    expectContains(x!.explanation, want.explanation, `${want.kind} explanation`);
    for (const [day, past] of Object.entries(want.pastOn ?? {})) expect(isPast(x!, d(day)), `${want.kind} past on ${day}`).toBe(past);
  }
}

function runListing(s: Scenario) {
  const steps = s.listing!;
  const e = s.expect as {
    termEndsOn?: string;
    listedOn?: Record<string, boolean>;
    earlyRemoval?: { eligible?: boolean; earliestOn?: string | null; reasons?: unknown };
    decision?: { on: string; ok: boolean; recommend?: string; warnings?: unknown; problems?: unknown };
    recommendation?: { on: string; recommend: string; basis?: string };
    restoration?: { on: string; ok: boolean; termEndsOn?: string; problems?: unknown };
    revocation?: { on: string; ok: boolean; problems?: unknown };
  };
  if (e.termEndsOn !== undefined) expect(termEnd(steps.decidedOn!)).toBe(e.termEndsOn);
  if (e.listedOn) {
    const entry = entryOfListing({ uscc: 'X', steps });
    for (const [day, on] of Object.entries(e.listedOn)) expect(entry !== null && isListedOn(entry, d(day)), `listed on ${day}`).toBe(on);
  }
  if (e.earlyRemoval) {
    const er = earlyRemoval(steps, d(s.asOf!), cal);
    expect(er).not.toBeNull();
    if (e.earlyRemoval.eligible !== undefined) expect(er!.eligible, 'eligible').toBe(e.earlyRemoval.eligible);
    if (e.earlyRemoval.earliestOn !== undefined) expect(er!.earliestOn).toBe(e.earlyRemoval.earliestOn);
    expectContains(er!.reasons.join('；'), e.earlyRemoval.reasons, 'early removal reasons');
  }
  if (e.decision) {
    const c = checkListingDecision(steps, d(e.decision.on), cal);
    expect(c.ok, 'decision allowed').toBe(e.decision.ok);
    if (c.ok) {
      if (e.decision.recommend !== undefined) expect(c.recommendation.recommend).toBe(e.decision.recommend);
      expectContains(c.warnings.join('；'), e.decision.warnings, 'decision warnings');
    } else expectContains(c.problems.join('；'), e.decision.problems, 'decision problems');
  }
  for (const [want, check] of [
    [e.restoration, checkRestoration],
    [e.revocation, checkRevocation],
  ] as const) {
    if (!want) continue;
    const c = check(steps, d(want.on));
    expect(c.ok, `allowed on ${want.on}`).toBe(want.ok);
    if (c.ok && 'termEndsOn' in want && want.termEndsOn !== undefined) expect(c.termEndsOn).toBe(want.termEndsOn);
    if (!c.ok) expectContains(c.problems.join('；'), want.problems, 'problems');
  }
  if (e.recommendation) {
    const r = listingRecommendation(steps, d(e.recommendation.on));
    expect(r.recommend).toBe(e.recommendation.recommend);
    if (e.recommendation.basis) expect(r.basis.article).toBe(e.recommendation.basis);
  }
}

const files = scenarioFiles();

it('there are scenario files', () => {
  expect(files.length).toBeGreaterThan(0);
});

for (const file of files) {
  const doc = readScenarioFile(file);
  describe(file, () => {
    it('is well formed', () => {
      expect(Array.isArray(doc?.scenarios), `${file}: a top-level "scenarios" list`).toBe(true);
      for (const s of doc.scenarios) {
        expect(typeof s.name, `${file}: every scenario has a name`).toBe('string');
        expect(typeof s.worked === 'string' && s.worked.trim().length > 0, `${file} / ${s.name}: "worked" (the hand-worked reasoning) is required`).toBe(true);
        expect(s.expect, `${file} / ${s.name}: "expect"`).toBeTypeOf('object');
      }
    });
    for (const raw of doc?.scenarios ?? []) {
      const s = normalise(raw) as Scenario;
      it(s.name, () => {
        switch (s.kind ?? 'project') {
          case 'project':
            return runProject(s);
          case 'deposit':
            return runDeposit(s);
          case 'case':
            return runCase(s);
          case 'listing':
            return runListing(s);
          default:
            throw new Error(`${file} / ${s.name}: unknown kind ${String(s.kind)}`);
        }
      });
    }
  });
}
