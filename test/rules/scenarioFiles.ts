/**
 * The YAML scenario files (test/rules/scenarios/*.yaml, described in its README.md) as data: read and
 * normalised once here, for the scenario tests (scenarios.test.ts) and the lean-ledger identity test
 * (lean-identity.test.ts), which must see exactly the same scenarios.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { StageFacts } from '../../src/rules/cases.ts';
import type { ListingSteps } from '../../src/rules/blacklistListing.ts';
import type { ContractorHistoryFacts } from '../../src/rules/facts.ts';
import { buildProject, d, usccFor, type evaluate, type ProjectSpec } from './scenario.ts';

export const SCENARIO_DIR = join(import.meta.dirname, 'scenarios');

/** The scenario files, by name. */
export const scenarioFiles = (): string[] => readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml')).sort();

/** A file's scenarios as written (normalise each before use). */
export const readScenarioFile = (file: string): { scenarios: Scenario[] } => parse(readFileSync(join(SCENARIO_DIR, file), 'utf8')) as { scenarios: Scenario[] };

/** YAML reads 2000.00 as the number 2000: money fields become yuan strings with two decimals again. */
const MONEY_KEYS = new Set(['net', 'gross', 'deductions', 'amount', 'contractAmount', 'monthlyLaborCost', 'rate', 'required', 'uncapped', 'netDue', 'paid', 'paidOnTime', 'arrears', 'estimatedExposure', 'unpaidContractAmount', 'paidToOthers']);
export function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, key));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
  if (typeof value === 'number' && MONEY_KEYS.has(key)) return value.toFixed(2);
  if (typeof value === 'number' && key === 'days') return String(value);
  return value;
}

export interface Scenario {
  name: string;
  worked: string;
  kind?: 'project' | 'deposit' | 'case' | 'listing';
  asOf?: string;
  project?: ProjectSpec;
  contractor?: {
    recordsHeldFrom?: string | null;
    compliant?: boolean;
    arrears?: { from: string; to?: string | null; what: string }[];
    blacklist?: { from: string; to?: string }[];
    earlierProjects?: { code: string; signedOn: string; completionDate?: string }[];
  };
  /**
   * project kind: the rest of the city — the general contractor's imported record (contractor_records rows,
   * batch 7 from line 2 in the order written) and its other projects in the system (ProjectSpec, ids from 2)
   */
  city?: {
    record?: {
      recordsHeldFrom?: string;
      compliance?: { from: string; to?: string }[];
      arrears?: { from: string; to?: string; project?: string; note?: string }[];
      listings?: { from: string; to?: string }[];
    };
    projects?: ProjectSpec[];
  };
  case?: StageFacts;
  listing?: ListingSteps;
  expect: Record<string, unknown>;
}

/** The city around a project scenario: the contractor's imported record and its other projects. */
export function cityOf(s: Scenario): Parameters<typeof evaluate>[2] {
  const c = s.city;
  if (!c) return {};
  let line = 2;
  const ref = () => ({ table: 'contractor_records' as const, id: line, batchId: 7, line: line++ });
  const rec = c.record;
  const history: ContractorHistoryFacts[] = rec
    ? [
        {
          uscc: usccFor(s.project?.contractor ?? 'contractor'),
          ...(rec.recordsHeldFrom ? { recordsHeldFrom: d(rec.recordsHeldFrom), recordsHeldFromRef: ref() } : {}),
          ...(rec.arrears ? { arrears: rec.arrears.map((a) => ({ from: d(a.from), ...(a.to ? { to: d(a.to) } : {}), ...(a.project ? { projectCode: a.project } : {}), ...(a.note ? { note: a.note } : {}), ref: ref() })) } : {}),
          ...(rec.listings ? { listings: rec.listings.map((b) => ({ uscc: usccFor(s.project?.contractor ?? 'contractor'), from: d(b.from), ...(b.to ? { to: d(b.to) } : {}), ref: ref() })) } : {}),
          ...(rec.compliance ? { compliance: rec.compliance.map((x) => ({ from: d(x.from), ...(x.to ? { to: d(x.to) } : {}), ref: ref() })) } : {}),
        },
      ]
    : [];
  return { contractorHistory: history, projects: (c.projects ?? []).map((p, i) => buildProject({ id: i + 2, ...p })) };
}

