/**
 * The registries' rows for the API (src/api/routes/registries.ts) and the worker's joined view, as read by
 * store.registryViews, turned into plain JSON (money as yuan strings, stored enum values plus their Chinese label), each with its source
 * (batch and file line; 0/0 and `createdBy` for rows created over the API).
 */
import { formatYuan, type Fen } from '../domain/money.ts';
import { bool } from '../store/sql.ts';
import type { TradeCount } from '../store/repos/registryViews.ts';
import {
  CARE_KIND,
  CARE_STATUS,
  CERTIFICATE_KIND,
  HOUSING_KIND,
  HOUSING_STATUS,
  INSURANCE_KIND,
  SUBSIDY_STATUS,
  TRAINING_RESULT,
  TRAINING_TYPE,
  zhOf,
} from './enums.ts';

type Row = Record<string, any>;
const yuan = (fen: number | null): string | null => (fen === null ? null : formatYuan(fen as Fen));
const label = (spec: { readonly words: Readonly<Record<string, readonly string[]>> }, v: string | null) => (v === null ? null : zhOf(spec, v));
const source = (r: Row) => ({ batchId: r.batch_id as number, line: r.line as number, createdBy: (r.created_by as string | null) ?? null });
const project = (r: Row) => (r.project_id === null ? null : { id: r.project_id as number, code: (r.project_code as string | null) ?? null });

export const trainingOut = (r: Row) => ({
  id: r.id as number,
  idNumber: r.id_number as string,
  name: r.name as string,
  project: project(r),
  course: r.course as string,
  trainingType: r.training_type as string,
  trainingTypeLabel: label(TRAINING_TYPE, r.training_type),
  provider: r.provider as string,
  startDate: r.start_date as string,
  endDate: r.end_date as string | null,
  result: r.result as string | null,
  resultLabel: label(TRAINING_RESULT, r.result),
  certificate:
    r.certificate_kind === null
      ? null
      : { kind: r.certificate_kind as string, kindLabel: label(CERTIFICATE_KIND, r.certificate_kind), no: r.certificate_no as string, trade: r.certificate_trade as string | null },
  subsidy: r.subsidy_fen === null && r.subsidy_status === null ? null : { amount: yuan(r.subsidy_fen), status: r.subsidy_status as string | null, statusLabel: label(SUBSIDY_STATUS, r.subsidy_status) },
  source: source(r),
});

export const insuranceOut = (r: Row) => ({
  id: r.id as number,
  idNumber: r.id_number as string,
  name: r.name as string,
  kind: r.kind as string,
  kindLabel: label(INSURANCE_KIND, r.kind),
  insuredWhere: r.insured_where as string,
  insuredBy: r.insured_by_uscc === null && r.insured_by === null ? null : { name: r.insured_by as string | null, uscc: r.insured_by_uscc as string | null },
  from: r.from_date as string,
  to: r.to_date as string | null,
  projectBased: bool(r.project_based),
  project: project(r),
  source: source(r),
});

export const housingOut = (r: Row) => ({
  id: r.id as number,
  idNumber: r.id_number as string,
  name: r.name as string,
  project: project(r),
  kind: r.kind as string,
  kindLabel: label(HOUSING_KIND, r.kind),
  status: r.status as string,
  statusLabel: label(HOUSING_STATUS, r.status),
  appliedOn: r.applied_on as string,
  decidedOn: r.decided_on as string | null,
  address: r.address as string | null,
  amount: yuan(r.amount_fen),
  eligibility: {
    householdSize: r.household_size as number | null,
    noLocalHousing: r.no_local_housing === null ? null : bool(r.no_local_housing),
    yearsInCity: r.years_in_city as number | null,
  },
  honours: r.honours as string | null,
  /** a worker with honours is served first */
  priority: r.honours !== null,
  office: r.office as string | null,
  source: source(r),
});

export const careOut = (r: Row) => ({
  id: r.id as number,
  idNumber: r.id_number as string,
  name: r.name as string,
  project: project(r),
  kind: r.kind as string,
  kindLabel: label(CARE_KIND, r.kind),
  memberName: r.member_name as string | null,
  relation: r.relation as string | null,
  status: r.status as string,
  statusLabel: label(CARE_STATUS, r.status),
  office: r.office as string,
  openedOn: r.opened_on as string,
  closedOn: r.closed_on as string | null,
  caseRef: r.case_ref as string | null,
  note: r.note as string | null,
  source: source(r),
});

/**
 * 持证率 — a project's share of certified workers per trade (store.registryViews.certifiedByTrade: workers on
 * the roster on D holding a certificate from a passed training by D), rounded half up to four places.
 */
export function certifiedShare(trades: readonly TradeCount[], on: string) {
  const share = (n: number, d: number) => (d === 0 ? null : (Math.floor((2 * n * 10000 + d) / (2 * d)) / 10000).toFixed(4));
  const workers = trades.reduce((n, r) => n + r.workers, 0);
  const certified = trades.reduce((n, r) => n + r.certified, 0);
  return {
    asOf: on,
    total: { workers, certified, share: share(certified, workers) },
    trades: trades.map((r) => ({ trade: r.trade, workers: r.workers, certified: r.certified, share: share(r.certified, r.workers) })),
  };
}
