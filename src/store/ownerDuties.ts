/**
 * 建设单位义务 — the projects row's owner-duty columns (issue 19 item 6) as the facts' `ownerDuties`, shared by
 * the two fact loaders (test/support/floor/facts.ts (the tests' synchronous loader), src/store/repos/facts.ts). No SQL: a mapping of one row's columns.
 */
import type { IsoDate } from '../domain/date.ts';
import type { Fen } from '../domain/money.ts';
import type { OwnerDutiesFact } from '../rules/facts.ts';

const flag = (v: unknown): boolean | undefined => (v === null || v === undefined ? undefined : v === true || v === 1 || v === '1' || v === 't');

/** The duties stated on the row, or undefined when none is (the fact is then absent, as before the columns). */
export function ownerDutiesOf(r: Record<string, unknown>): OwnerDutiesFact | undefined {
  const out: { -readonly [K in keyof OwnerDutiesFact]: OwnerDutiesFact[K] } = {};
  const g = flag(r.payment_guarantee);
  const b = flag(r.rights_notice_board);
  const o = flag(r.labor_officer);
  const u = flag(r.contractor_unqualified);
  if (u !== undefined) out.contractorUnqualified = u;
  if (g !== undefined) out.paymentGuarantee = g;
  if (b !== undefined) out.rightsNoticeBoard = b;
  if (o !== undefined) out.laborOfficer = o;
  if (r.unpaid_contract_fen !== null && r.unpaid_contract_fen !== undefined) out.unpaidContractAmount = Number(r.unpaid_contract_fen) as Fen;
  if (r.unpaid_contract_on !== null && r.unpaid_contract_on !== undefined) out.unpaidContractOn = String(r.unpaid_contract_on).slice(0, 10) as IsoDate;
  return Object.keys(out).length > 0 ? out : undefined;
}
