/**
 * The leaders' sections of the report (issue 18 point 7): trends over the last 30 days and 12 months from
 * the findings history, after a few nights on the hand-worked city (the same from the evaluated city and
 * from the stored state), and the projects ranked by risk with the red-line problems that carry no money
 * (child labour, no wage account, a blacklisted party) first, company names beside credit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { renderCsv } from '../../src/reports/csv.ts';
import { reportFromState } from '../../src/reports/fromState.ts';
import { computeReport, storeReport } from '../../src/reports/generate.ts';
import { renderHtml } from '../../src/reports/html.ts';
import type { ProjectRow, Report } from '../../src/reports/model.ts';
import { rankProjects, trendDaysOf } from '../../src/reports/trends.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
import { recompute } from '../../src/services/recompute.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import type { TestLocation } from '../support/engines.ts';
import { countOf } from '../support/toEngine.ts';
import { D, D0, seededLocation } from './fixture.ts';

const NIGHTS = ['2026-09-30', '2026-10-15', '2026-10-31', '2026-11-01', D0, D] as IsoDate[];

let loc: TestLocation;
let store: Store;
let report: Report;
let fromStateJson: string;
let json: string;

beforeAll(async () => {
  // the hand-worked city on the test's engine
  ({ loc } = await seededLocation());
  store = await openStore(loc.location);
  for (const [i, night] of NIGHTS.entries()) {
    await recompute(store, night, `${night}T18:00:00.000Z`);
    if (i < NIGHTS.length - 1) await storeReport(store, await computeReport(store, night), `${night}T18:00:00.000Z`);
  }
  fromStateJson = (await reportFromState(store, D as IsoDate, DEFAULT_PARAMS)).json;
  const c = await computeReport(store, D as IsoDate);
  report = c.report;
  json = c.json;
});

afterAll(async () => {
  await store?.close();
  await loc?.drop();
});

const count = async (sql: string, ...params: unknown[]): Promise<number> => countOf(await store.sql.get<{ n: number }>(sql, params));

describe('trends from the findings history', () => {
  it('lists every evaluated day of the last 30 days and the last evaluated day of each of the last 12 months', () => {
    expect(report.trends.days.map((p) => p.day)).toEqual(['2026-10-31', '2026-11-01', D0, D]); // 2026-10-15 is 36 days before D
    expect(report.trends.months.map((p) => [p.month, p.day])).toEqual([
      ['2026-09', '2026-09-30'],
      ['2026-10', '2026-10-31'],
      ['2026-11', D],
    ]);
  });

  it('gives each day its flags, critical flags, arrears and projects in arrears as stored that night', async () => {
    for (const p of report.trends.days) {
      expect(p.flags).toBe(await count('SELECT finding_count AS n FROM evaluated_days WHERE as_of = ?', p.day));
      expect(p.criticalFlags).toBe(await count("SELECT COUNT(*) AS n FROM findings WHERE as_of = ? AND severity = 'critical'", p.day));
    }
    const last = report.trends.days.at(-1)!;
    expect(last.arrears).toBe(report.totals.arrears);
    expect(last.projectsInArrears).toBe(report.totals.projectsInArrears);
    expect(Number(last.arrears)).toBeGreaterThan(0);
    // the city owed less at the end of September than on D (wages fall due month by month)
    expect(Number(report.trends.months[0]!.arrears)).toBeLessThanOrEqual(Number(last.arrears));
    expect(report.trends.days.some((p) => p.flags > 0)).toBe(true);
  });

  it('is the same in the report read off the stored state (the oracle agrees)', () => {
    expect(fromStateJson).toBe(json);
  });

  it('is in the CSVs, the workbook sheets and the HTML', () => {
    const files = renderCsv(report);
    const days = files.find((f) => f.name === '14_trend_days.csv')!;
    expect(days.title).toBe('近30天趋势');
    expect(days.content.trim().split('\r\n')).toHaveLength(1 + report.trends.days.length);
    expect(files.find((f) => f.name === '15_trend_months.csv')!.content).toContain('2026-09,2026-09-30');
    const html = renderHtml(report);
    expect(html).toContain('<h2>趋势</h2>');
    expect(html).toContain('2026年9月（09-30）');
  });

  it('chooses the points by date alone', () => {
    const asOf = '2027-01-10' as IsoDate;
    const got = trendDaysOf(asOf, ['2025-12-31', '2026-01-31', '2026-02-01', '2026-12-11', '2026-12-12', '2027-01-10', '2027-01-11']);
    expect(got.days).toEqual(['2026-12-12', '2027-01-10']);
    expect(got.months).toEqual([
      { month: '2026-02', day: '2026-02-01' },
      { month: '2026-12', day: '2026-12-12' },
      { month: '2027-01', day: '2027-01-10' },
    ]);
  });
});

describe('projects ranked by risk', () => {
  const row = (code: string, over: Partial<ProjectRow>): ProjectRow => ({
    projectCode: code,
    name: `${code}项目`,
    county: '信都区',
    contractorUscc: `USCC-${code}`,
    contractorName: `${code}建工`,
    arrears: '0.00',
    workersInArrears: 0,
    oldestOverdueDays: 0,
    estimatedExposure: '0.00',
    riskScore: 0,
    openFlags: 0,
    flags: {},
    problem: null,
    ...over,
  });

  it('puts child labour, no wage account and a blacklisted party (no money) above projects that merely owe more', () => {
    const ranked = rankProjects([
      row('A', { arrears: '40361.00', workersInArrears: 7, riskScore: 183, openFlags: 7, flags: { WAGE_UNPAID: 7 } }),
      row('B', { riskScore: 20, openFlags: 1, flags: { UNDERAGE: 1 } }),
      row('C', { riskScore: 8, openFlags: 1, flags: { ACCOUNT_NOT_OPENED: 1 } }),
      row('D', { riskScore: 3, openFlags: 1, flags: { SHARED_PHONE: 1 } }),
      row('E', {}), // nothing open, nothing owed: not ranked
      row('F', { riskScore: 40, openFlags: 2, flags: { BLACKLISTED_PARTY: 1, UNDERAGE: 1 } }),
    ]);
    expect(ranked.map((r) => [r.rank, r.projectCode])).toEqual([
      [1, 'F'],
      [2, 'B'],
      [3, 'C'],
      [4, 'A'],
      [5, 'D'],
    ]);
    expect(ranked[0]).toMatchObject({ redLines: { UNDERAGE: 1, BLACKLISTED_PARTY: 1 }, redLineTitles: '使用童工、失信名单单位参建', criticalFlags: 2, contractorName: 'F建工', contractorUscc: 'USCC-F' });
    expect(ranked[3]).toMatchObject({ criticalFlags: 7, redLineTitles: '' });
  });

  it('ranks the hand-worked city with company names beside the credit codes, in every format', () => {
    expect(report.riskRanking.length).toBeGreaterThan(0);
    const scores = report.riskRanking.map((r) => r.riskScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a)); // no red lines in this city: by score
    for (const r of report.riskRanking) {
      const p = report.projects.find((x) => x.projectCode === r.projectCode)!;
      expect(r.contractorName).toBe(p.contractorName);
      expect(r.contractorName).not.toBe('');
    }
    const csv = renderCsv(report).find((f) => f.name === '13_risk_ranking.csv')!;
    expect(csv.content).toContain(`${report.riskRanking[0]!.contractorName},${report.riskRanking[0]!.contractorUscc}`);
    expect(renderHtml(report)).toContain('项目风险排名');
  });
});
