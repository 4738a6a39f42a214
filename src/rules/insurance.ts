/**
 * 工伤保险 — NO_INJURY_INSURANCE and the coverage rate (issue 7; RULES.md "Work-injury insurance in construction").
 *
 * Construction projects insure their workers by project (按项目参保): the general contractor pays the premium
 * in one sum before work starts, covering everyone on the project (部分行业企业工伤保险费缴纳办法 人社部令第10号;
 * 人社部发〔2014〕103号). An uninsured employer pays all benefits itself and a late fee (工伤保险条例 第六十二条).
 *
 * Rule (once per roster entry, like NO_CONTRACT): every day the worker is on site — from entry_date to the
 * earliest of exit_date, the project's completion date and D — must be covered by work-injury insurance that
 * applies to this project: a project-based cover for this project, or a cover by an employer (按单位参保,
 * which follows the worker to any project). A project-based cover for another project does not count.
 * Covers dated after D do not exist yet. The finding lists the uncovered spans and their days.
 *
 * Why per roster entry and not per worker-month: the duty attaches to the worker's stay on the project (the
 * premium is paid per project, before work starts), the counting unit matches NO_CONTRACT, and the fingerprint
 * (the entry date) stays the same from day to day while an inspector follows it up; the sentence names the
 * months concerned. A gap in the past stays a finding after cover begins (those days were uninsured); an
 * inspector resolves it with a reason.
 */
import { AS_OF, daysSince } from '../domain/sentence.ts';
import { addDays, daysBetween, type IsoDate } from '../domain/date.ts';
import { maskIdNumber } from '../domain/idNumber.ts';
import type { CityFacts, EvidenceRef, InjuryCoverageFact, ProjectFacts } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import type { NotApplied } from './payroll.ts';
import type { ProjectView } from './wages.ts';

export interface DaySpan {
  readonly from: IsoDate;
  /** inclusive */
  readonly to: IsoDate;
}

/** Covers by identity number, built once per list (a city's list is read by every project). */
const indexes = new WeakMap<readonly InjuryCoverageFact[], Map<string, InjuryCoverageFact[]>>();

function byWorker(all: readonly InjuryCoverageFact[]): Map<string, InjuryCoverageFact[]> {
  let index = indexes.get(all);
  if (!index) {
    index = new Map();
    for (const c of all) {
      const list = index.get(c.idNumber);
      if (list) list.push(c);
      else index.set(c.idNumber, [c]);
    }
    for (const list of index.values()) list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.ref.id - b.ref.id));
    indexes.set(all, index);
  }
  return index;
}

/** The covers that apply to W's work on P as known on D: by employer, or project-based for P; dated ≤ D. */
export function coversFor(all: readonly InjuryCoverageFact[], idNumber: string, project: Pick<ProjectFacts, 'id'>, asOf: IsoDate): InjuryCoverageFact[] {
  return (byWorker(all).get(idNumber) ?? []).filter((c) => c.from <= asOf && (!c.projectBased || c.projectId === project.id));
}

/** The days of [span.from, span.to] not inside any cover, as maximal spans. */
export function uncoveredSpans(span: DaySpan, covers: readonly InjuryCoverageFact[]): DaySpan[] {
  const out: DaySpan[] = [];
  let cursor: IsoDate = span.from;
  for (const c of covers) {
    if (cursor > span.to) break;
    if (c.to !== undefined && c.to < cursor) continue;
    if (c.from > cursor) {
      const gapEnd = addDays(c.from, -1);
      out.push({ from: cursor, to: gapEnd < span.to ? gapEnd : span.to });
    }
    if (c.to === undefined) return out;
    const next = addDays(c.to, 1);
    if (next > cursor) cursor = next;
  }
  if (cursor <= span.to) out.push({ from: cursor, to: span.to });
  return out;
}

/** The days W is on site on P up to D (null when the stay has not begun by D). */
export function onSiteSpan(entry: { entryDate: IsoDate; exitDate?: IsoDate }, project: Pick<ProjectFacts, 'completionDate'>, asOf: IsoDate): DaySpan | null {
  let to = asOf;
  if (entry.exitDate !== undefined && entry.exitDate < to) to = entry.exitDate;
  if (project.completionDate !== undefined && project.completionDate < to) to = project.completionDate;
  return entry.entryDate <= to ? { from: entry.entryDate, to } : null;
}

const spanDays = (s: DaySpan): number => daysBetween(s.from, s.to) + 1;
const spanText = (s: DaySpan): string => (s.from === s.to ? s.from : `${s.from}至${s.to}`);
/**
 * A span still open on D (the worker on site and uncovered up to the day shown) is written with the day
 * shown as its end, so its text stays the same from night to night (src/domain/sentence.ts).
 */
const openSpanText = (s: DaySpan): string => `${s.from}至${AS_OF}`;

export function injuryInsuranceFindings(view: ProjectView, covers: CityFacts['injuryInsurance'], notApplied: NotApplied[]): Finding[] {
  if (covers === undefined) {
    notApplied.push({ rule: 'NO_INJURY_INSURANCE', reason: '未导入工伤保险参保记录（社会保险台账 insurance），不判断工伤保险覆盖' });
    return [];
  }
  const out: Finding[] = [];
  for (const e of view.roster) {
    const span = onSiteSpan(e, view.project, view.asOf);
    if (span === null) continue;
    const applicable = coversFor(covers, e.idNumber, view.project, view.asOf);
    const gaps = uncoveredSpans(span, applicable);
    if (gaps.length === 0) continue;
    const last = gaps[gaps.length - 1]!;
    const open = last.to === view.asOf && last.from < view.asOf;
    const closedDays = gaps.reduce((n, g) => n + (open && g === last ? 0 : spanDays(g)), 0);
    const days = open ? daysSince(last.from, closedDays + 1) : String(closedDays);
    const evidence: EvidenceRef[] = [e.ref, ...applicable.map((c) => c.ref)];
    const shown =
      gaps
        .slice(0, 5)
        .map((g) => (open && g === last ? openSpanText(g) : spanText(g)))
        .join('、') + (gaps.length > 5 ? `等${gaps.length}段` : '');
    const whole = gaps.length === 1 && gaps[0]!.from === span.from && gaps[0]!.to === span.to;
    out.push(
      makeFinding('NO_INJURY_INSURANCE', view.project, {
        idNumber: e.idNumber,
        detail: e.entryDate,
        evidence,
        text: `${e.name}（${maskIdNumber(e.idNumber)}）${e.entryDate}进场${e.employerName ? `，用工单位${e.employerName}` : ''}，${
          whole ? `在场${days}天均未参加工伤保险（无本项目按项目参保或用人单位参保的记录）` : `在场期间${shown}共${days}天不在工伤保险保障期内`
        }（应由施工总承包单位按项目参保，或由用人单位参保），发生工伤时由用人单位支付全部工伤保险待遇`,
      }),
    );
  }
  return out;
}

// ———————————————————————————————— coverage rate (nightly report) ————————————————————————————————

export interface CoverageRate {
  /** roster-active (project, worker) pairs on D covered on D */
  readonly numerator: number;
  /** roster-active (project, worker) pairs on D, projects not completed by D */
  readonly denominator: number;
  /** "0.9500" (half-up, 4 places, like the report's rates); null when the denominator is 0 */
  readonly rate: string | null;
}

export interface InjuryInsuranceCoverage {
  readonly asOf: IsoDate;
  /** false when no insurance registry is held (every rate is then null: unknown, not zero) */
  readonly held: boolean;
  readonly city: CoverageRate;
  /** by county, sorted */
  readonly counties: readonly ({ readonly county: string } & CoverageRate)[];
  /** by the worker's direct employer (用工单位), sorted by credit code */
  readonly employers: readonly ({ readonly uscc: string; readonly name: string } & CoverageRate)[];
}

function rate4(n: number, d: number): string | null {
  if (d === 0) return null;
  const q = Math.floor((2 * n * 10000 + d) / (2 * d)); // half-up on integers
  return `${Math.floor(q / 10000)}.${String(q % 10000).padStart(4, '0')}`;
}

/**
 * The workers on site at D on one project (roster entry active at D; completed projects have none) and
 * whether each is covered by work-injury insurance on D — the unit of the coverage rate, counted per
 * (project, worker). `covers` undefined: no insurance registry is held, nobody counts as covered.
 */
export function injuryCoverageOfProject(
  p: ProjectFacts,
  covers: readonly InjuryCoverageFact[] | undefined,
  asOf: IsoDate,
): { readonly idNumber: string; readonly employerUscc: string; readonly employerName: string; readonly covered: boolean }[] {
  if (p.completionDate !== undefined && p.completionDate <= asOf) return [];
  const pairs = new Map<string, (typeof p.roster)[number]>();
  for (const e of p.roster) {
    if (e.entryDate > asOf || (e.exitDate !== undefined && e.exitDate < asOf)) continue;
    if (!pairs.has(e.idNumber)) pairs.set(e.idNumber, e);
  }
  return [...pairs].map(([id, e]) => ({
    idNumber: id,
    employerUscc: e.employerUscc,
    employerName: e.employerName ?? '',
    covered: covers !== undefined && coversFor(covers, id, p, asOf).some((c) => c.from <= asOf && (c.to === undefined || c.to >= asOf)),
  }));
}

/**
 * 工伤保险覆盖率 as of D — for the nightly report: of the (project, worker) pairs roster-active on D (entry ≤ D,
 * no exit or exit ≥ D) on projects not completed by D, the share with an applicable work-injury cover on D.
 * City, per county and per direct employer. A worker on two projects counts on each.
 */
export function injuryInsuranceCoverage(city: CityFacts, asOf: IsoDate): InjuryInsuranceCoverage {
  const covers = city.injuryInsurance;
  const tally = () => ({ n: 0, d: 0 });
  const total = tally();
  const counties = new Map<string, { n: number; d: number }>();
  const employers = new Map<string, { n: number; d: number; name: string }>();
  for (const p of city.projects) {
    for (const w of injuryCoverageOfProject(p, covers, asOf)) {
      const county = counties.get(p.county) ?? tally();
      counties.set(p.county, county);
      const employer = employers.get(w.employerUscc) ?? { ...tally(), name: w.employerName };
      employers.set(w.employerUscc, employer);
      for (const t of [total, county, employer]) {
        t.d++;
        if (w.covered) t.n++;
      }
    }
  }
  const held = covers !== undefined;
  const r = (t: { n: number; d: number }): CoverageRate => ({ numerator: t.n, denominator: t.d, rate: held ? rate4(t.n, t.d) : null });
  const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    asOf,
    held,
    city: r(total),
    counties: sorted(counties).map(([county, t]) => ({ county, ...r(t) })),
    employers: sorted(employers).map(([uscc, t]) => ({ uscc, name: t.name, ...r(t) })),
  };
}
