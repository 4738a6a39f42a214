/**
 * Whole-project and whole-city evaluation: determinism, totals, the risk score term by term, the review
 * queue, problems reported instead of skipped, and speed.
 */
import { describe, expect, it } from 'vitest';
import { yuan } from '../../src/domain/money.ts';
import { evaluateCity, evaluateProject } from '../../src/rules/evaluate.ts';
import type { Finding } from '../../src/rules/flags.ts';
import { reviewQueue, riskScore } from '../../src/rules/risk.ts';
import { generateCity } from './cityFixture.ts';
import { buildProject, d } from './scenario.ts';

const owing = (id: number, code: string, workers: Record<string, string>, contractor = 'contractor') =>
  buildProject({
    id,
    code,
    contractor,
    workers: Object.fromEntries(Object.keys(workers).map((k) => [k, {}])),
    payroll: Object.entries(workers).map(([worker, net]) => ({ worker, month: '2026-09', net })),
  });

describe('determinism', () => {
  it('recomputing the same D over the same facts gives deep-equal results', () => {
    const city = { projects: [owing(1, 'XT-A', { A: '5000.00', B: '3000.00' }), owing(2, 'XT-B', { A: '1000.00' })], blacklist: [], contractorHistory: [] };
    const first = evaluateCity(city, d('2026-10-20'));
    const second = evaluateCity(city, d('2026-10-20'));
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(evaluateProject(city.projects[0]!, city, d('2026-10-20'))).toEqual(first.projects[0]);
  });

  it('streaming gives the same projects, totals and queue as keeping them', () => {
    const city = { projects: [owing(2, 'XT-B', { A: '1000.00' }), owing(1, 'XT-A', { A: '5000.00', B: '3000.00' })] };
    const kept = evaluateCity(city, d('2026-10-20'));
    const streamed: unknown[] = [];
    const r = evaluateCity(city, d('2026-10-20'), undefined, { onProject: (pe) => streamed.push(pe) });
    expect(streamed).toEqual(kept.projects);
    expect(r.projects).toEqual([]);
    expect({ ...r, projects: kept.projects }).toEqual(kept);
  });

  it('the input facts are not modified', () => {
    const p = owing(1, 'XT-A', { A: '5000.00' });
    const before = JSON.stringify(p);
    evaluateCity({ projects: [p] }, d('2026-10-20'));
    expect(JSON.stringify(p)).toBe(before);
  });
});

describe('city totals', () => {
  it('a worker owed on two projects counts once in the city, once on each project', () => {
    // XT-A owes A 5000.00 and B 3000.00; XT-B owes A 1000.00 → city arrears 9000.00, 2 distinct workers, 2 projects.
    const r = evaluateCity({ projects: [owing(2, 'XT-B', { A: '1000.00' }), owing(1, 'XT-A', { A: '5000.00', B: '3000.00' })] }, d('2026-10-20'));
    expect(r.totals).toEqual({ arrears: yuan('9000.00'), workersInArrears: 2, projectsInArrears: 2, estimatedExposure: 0 });
    expect(r.projects.map((p) => p.projectCode)).toEqual(['XT-A', 'XT-B']);
    expect(r.projects[0]!.assessment).toMatchObject({ arrears: yuan('8000.00'), workersInArrears: 2, oldestOverdueDays: 5 });
  });

  it('a project that cannot be evaluated is reported as a problem, and the others still are', () => {
    const broken = buildProject({ id: 3, code: 'XT-BAD', payDay: 40, workers: { A: {} }, payroll: [{ worker: 'A', month: '2026-09', net: '1.00' }] });
    const r = evaluateCity({ projects: [owing(1, 'XT-A', { A: '5000.00' }), broken] }, d('2026-10-20'));
    expect(r.problems).toEqual([{ projectId: 3, projectCode: 'XT-BAD', message: '项目 XT-BAD 的工资支付日 40 不在1–31之间' }]);
    expect(r.projects.map((p) => p.projectCode)).toEqual(['XT-A']);
    // the same project evaluated alone throws: nothing is skipped silently
    expect(() => evaluateProject(broken, { projects: [broken] }, d('2026-10-20'))).toThrow(/工资支付日 40/);
  });
});

describe('risk score', () => {
  const f = (severity: Finding['severity']) => ({ severity }) as Finding;
  it('is the sum of its explained terms: flags by severity (capped), arrears, workers in arrears', () => {
    // 2 critical × 20 = 40; 16 high × 8 = 128 → cap 120; 1 medium × 3 = 3; 0 low;
    // arrears 12,345.67 → ⌊1,234,567 ÷ 500,000⌋ = 2 points; 3 workers × 5 = 15. Total 40 + 120 + 3 + 0 + 2 + 15 = 180.
    const findings = [f('critical'), f('critical'), ...Array.from({ length: 16 }, () => f('high')), f('medium')];
    const r = riskScore(findings, { arrears: yuan('12345.67'), workersInArrears: 3 }, d('2026-10-20'));
    expect(r.terms.map((t) => [t.term, t.points])).toEqual([
      ['flags.critical', 40],
      ['flags.high', 120],
      ['flags.medium', 3],
      ['flags.low', 0],
      ['arrears', 2],
      ['workersInArrears', 15],
    ]);
    expect(r.score).toBe(180);
    expect(r.terms[1]!.why).toBe('高等级预警16个×8分=128分，封顶120分');
    expect(r.terms[4]!.why).toBe('欠薪12,345.67元，每5,000.00元计1分=2分');
    expect(r.params[0]!.source.localSetting).toBe(true);
  });

  it('the review queue: flagged projects only, score desc, then arrears desc, then project code', () => {
    const item = (projectCode: string, score: number, arrears: string, findingCount = 1) => ({ projectCode, score, arrears: yuan(arrears), findingCount });
    const queue = reviewQueue([item('C', 50, '10.00'), item('A', 50, '10.00'), item('B', 50, '99.00'), item('D', 80, '0.00'), item('E', 0, '0.00', 0)]);
    expect(queue.map((q) => q.projectCode)).toEqual(['D', 'B', 'A', 'C']);
  });

  it('the city review queue ranks the project owing more workers first', () => {
    const r = evaluateCity({ projects: [owing(1, 'XT-A', { A: '100.00' }), owing(2, 'XT-B', { B: '100.00', C: '100.00' })] }, d('2026-10-20'));
    expect(r.reviewQueue.map((q) => q.projectCode)).toEqual(['XT-B', 'XT-A']);
    const terms = r.projects.find((p) => p.projectCode === 'XT-B')!.assessment.risk.terms;
    expect(terms.reduce((s, t) => s + t.points, 0)).toBe(r.reviewQueue[0]!.score);
  });
});

describe('speed', () => {
  // Catches accidental O(n²) work: linear code does this in about 1 s on an idle 2-core machine; the bound
  // is loose because the suite shares the machine with other jobs (docs/RULES-CORE.md has the measurements).
  it('evaluates a city of 60 projects × 120 workers × 13 months (93,600 worker-months) in seconds, streaming', () => {
    const city = generateCity({ projects: 60, workers: 120, months: 12 });
    const started = performance.now();
    let workerMonths = 0;
    const r = evaluateCity(city, d('2026-11-28'), undefined, { onProject: (pe) => (workerMonths += pe.ledger.length) });
    const seconds = (performance.now() - started) / 1000;
    expect(workerMonths).toBe(60 * 120 * 13);
    // every 40th worker is unpaid for 2026-08 (due 2026-09-15): 3 per project × 6000.00
    expect(r.totals.arrears).toBe(yuan('6000.00') * 3 * 60);
    expect(r.problems).toEqual([]);
    expect(seconds).toBeLessThan(20);
  });
});
