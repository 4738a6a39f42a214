/**
 * NO_INJURY_INSURANCE (工伤保险条例 第六十二条; 按项目参保: 人社部令第10号, 人社部发〔2014〕103号) on both sides of
 * every coverage date, and the coverage rate exported for the nightly report.
 */
import { renderSentence } from '../../src/domain/sentence.ts';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { evaluateCity, evaluateProject, FLAGS, injuryInsuranceCoverage, uncoveredSpans, type CityFacts, type InjuryCoverageFact, type ProjectFacts } from '../../src/rules/index.ts';
import { buildProject, d, idFor } from '../rules/scenario.ts';

let refId = 9000;
const cover = (worker: string, from: string, opts: { to?: string; project?: ProjectFacts | null } = {}): InjuryCoverageFact => ({
  ref: { table: 'insurance_records', id: ++refId, batchId: 7, line: refId - 9000 + 1 },
  idNumber: idFor(worker),
  from: d(from),
  ...(opts.to ? { to: d(opts.to) } : {}),
  projectBased: opts.project !== null,
  ...(opts.project ? { projectId: opts.project.id } : {}),
});

/** One worker A on site from 2026-06-01 (default project: not completed). */
const project = (spec: { exit?: string; completionDate?: string; id?: number; code?: string } = {}) =>
  buildProject({
    id: spec.id ?? 1,
    code: spec.code ?? 'XT-TEST',
    ...(spec.completionDate ? { completionDate: spec.completionDate } : {}),
    workers: { A: { entry: '2026-06-01', ...(spec.exit ? { exit: spec.exit } : {}) } },
  });

const injury = (p: ProjectFacts, covers: InjuryCoverageFact[] | undefined, asOf = '2026-07-15') => {
  const city: CityFacts = { projects: [p], ...(covers ? { injuryInsurance: covers } : {}) };
  const ev = evaluateProject(p, city, d(asOf));
  // sentences as shown on the day (the open span's end and day count are filled in when read)
  const findings = ev.findings.filter((f) => f.code === 'NO_INJURY_INSURANCE').map((f) => ({ ...f, sentence: renderSentence(f.sentence, d(asOf)) }));
  return { findings, notApplied: ev.notApplied };
};

describe('NO_INJURY_INSURANCE', () => {
  it('is in the catalogue: worker scope, high, with its legal basis', () => {
    expect(FLAGS.NO_INJURY_INSURANCE).toMatchObject({ scope: 'worker', severity: 'high' });
    expect(FLAGS.NO_INJURY_INSURANCE.basis.document).toContain('人社部令第10号');
    expect(FLAGS.NO_INJURY_INSURANCE.basis.document).toContain('人社部发〔2014〕103号');
    expect(FLAGS.NO_INJURY_INSURANCE.basis.article).toContain('第六十二条');
  });

  it('cover from the entry day: no flag; cover from the day after: flagged for exactly that one day', () => {
    const p = project();
    expect(injury(p, [cover('A', '2026-06-01', { project: p })]).findings).toEqual([]);
    const [f] = injury(p, [cover('A', '2026-06-02', { project: p })]).findings;
    expect(f).toBeDefined();
    expect(f!.sentence).toContain('2026-06-01共1天');
    expect(f!.fingerprint).toBe(`NO_INJURY_INSURANCE|XT-TEST|${idFor('A')}||2026-06-01`);
    expect(f!.evidence.map((e) => e.table)).toEqual(['roster_entries', 'insurance_records']);
    expect(f!.sentence).toMatch(/《工伤保险条例》第六十二条）$/);
  });

  it('cover ending on D: no flag; ending the day before D: flagged for D only', () => {
    const p = project();
    expect(injury(p, [cover('A', '2026-05-01', { to: '2026-07-15', project: p })]).findings).toEqual([]);
    const [f] = injury(p, [cover('A', '2026-05-01', { to: '2026-07-14', project: p })]).findings;
    expect(f!.sentence).toContain('2026-07-15共1天');
  });

  it('cover ending on the exit day: no flag; ending the day before exit: flagged; days after exit do not count', () => {
    const p = project({ exit: '2026-06-30' });
    expect(injury(p, [cover('A', '2026-06-01', { to: '2026-06-30', project: p })]).findings).toEqual([]);
    expect(injury(p, [cover('A', '2026-06-01', { to: '2026-06-29', project: p })]).findings[0]!.sentence).toContain('2026-06-30共1天');
  });

  it('days after completion do not count', () => {
    const p = project({ completionDate: '2026-06-30' });
    expect(injury(p, [cover('A', '2026-06-01', { to: '2026-06-30', project: p })]).findings).toEqual([]);
  });

  it('a gap between two covers is flagged with its span; adjoining covers are not', () => {
    const p = project();
    expect(injury(p, [cover('A', '2026-06-01', { to: '2026-06-30', project: p }), cover('A', '2026-07-01', { project: p })]).findings).toEqual([]);
    const [f] = injury(p, [cover('A', '2026-06-01', { to: '2026-06-29', project: p }), cover('A', '2026-07-02', { project: p })]).findings;
    expect(f!.sentence).toContain('2026-06-30至2026-07-01共2天');
  });

  it('no cover at all: the whole stay', () => {
    const [f] = injury(project(), []).findings;
    expect(f!.sentence).toContain('在场45天均未参加工伤保险');
  });

  it("project-based cover for another project does not count; the employer's own cover does", () => {
    const p = project();
    const other = project({ id: 2, code: 'XT-OTHER' });
    expect(injury(p, [cover('A', '2026-01-01', { project: other })]).findings).toHaveLength(1);
    expect(injury(p, [cover('A', '2026-01-01', { project: null })]).findings).toEqual([]);
  });

  it('a cover dated after D does not exist yet on D', () => {
    const p = project();
    expect(injury(p, [cover('A', '2026-06-01', { project: p })], '2026-05-31').findings).toEqual([]); // not on site yet
    const [f] = injury(p, [cover('A', '2026-07-16', { project: p })], '2026-07-15').findings;
    expect(f!.sentence).toContain('均未参加工伤保险');
  });

  it('without an insurance registry the rule is not applied (and says so)', () => {
    const r = injury(project(), undefined);
    expect(r.findings).toEqual([]);
    expect(r.notApplied.map((n) => n.rule)).toContain('NO_INJURY_INSURANCE');
  });

  it('uncoveredSpans merges overlapping covers', () => {
    const p = project();
    const covers = [cover('A', '2026-06-01', { to: '2026-06-20', project: p }), cover('A', '2026-06-10', { to: '2026-06-25', project: p })];
    expect(uncoveredSpans({ from: d('2026-06-01'), to: d('2026-06-30') }, covers)).toEqual([{ from: '2026-06-26', to: '2026-06-30' }]);
  });
});

describe('injuryInsuranceCoverage (for the nightly report)', () => {
  const p1 = buildProject({ id: 1, code: 'XT-1', county: '信都区', workers: { A: { entry: '2026-06-01' }, B: { entry: '2026-06-01', employer: 'SUB' }, C: { entry: '2026-06-01', exit: '2026-07-01' } } });
  const p2 = buildProject({ id: 2, code: 'XT-2', county: '沙河市', workers: { A: { entry: '2026-06-01' }, D: { entry: '2026-08-01' } } });
  const done = buildProject({ id: 3, code: 'XT-3', county: '沙河市', completionDate: '2026-07-01', workers: { E: { entry: '2026-06-01' } } });
  const covers = [cover('A', '2026-06-01', { project: p1 }), cover('B', '2026-01-01', { project: null }), cover('B', '2026-01-01', { to: '2026-07-14', project: p1 })];
  const asOf = '2026-07-15' as IsoDate;

  it('counts roster-active (project, worker) pairs on D on unfinished projects, covered on D, by city, county and employer', () => {
    const c = injuryInsuranceCoverage({ projects: [p1, p2, done], injuryInsurance: covers }, asOf);
    expect(c.held).toBe(true);
    // p1: A covered (project), B covered (employer), C exited; p2: A not covered (p1's cover), D not yet entered; XT-3 completed
    expect(c.city).toEqual({ numerator: 2, denominator: 3, rate: '0.6667' });
    expect(c.counties).toEqual([
      { county: '信都区', numerator: 2, denominator: 2, rate: '1.0000' },
      { county: '沙河市', numerator: 0, denominator: 1, rate: '0.0000' },
    ]);
    expect(c.employers.reduce((n, e) => n + e.denominator, 0)).toBe(3);
  });

  it('both sides of a cover end: covered on its last day, not the day after', () => {
    const only = [cover('A', '2026-06-01', { to: '2026-07-15', project: p1 })];
    const city = { projects: [p1], injuryInsurance: only };
    expect(injuryInsuranceCoverage(city, asOf).city.numerator).toBe(1);
    expect(injuryInsuranceCoverage(city, '2026-07-16' as IsoDate).city.numerator).toBe(0);
  });

  it('without an insurance registry every rate is null (unknown), not zero', () => {
    const c = injuryInsuranceCoverage({ projects: [p1] }, asOf);
    expect(c.held).toBe(false);
    expect(c.city.rate).toBeNull();
    expect(c.city.denominator).toBe(2);
  });

  it('evaluateCity raises the flag per roster entry across projects', () => {
    const ev = evaluateCity({ projects: [p1, p2], injuryInsurance: covers }, asOf);
    const flagged = ev.projects.flatMap((p) => p.findings.filter((f) => f.code === 'NO_INJURY_INSURANCE').map((f) => `${f.projectCode}:${f.idNumber === idFor('A') ? 'A' : f.idNumber === idFor('C') ? 'C' : f.idNumber}`));
    expect(flagged.sort()).toEqual(['XT-1:C', 'XT-2:A']);
  });
});
