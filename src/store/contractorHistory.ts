/**
 * 承包单位信用记录 → facts — the rows of contractor_records (issue 19 item 1) as the rules core's
 * ContractorHistoryFacts, one per general contractor, shared by the two fact loaders (test/support/floor/facts.ts (the tests' synchronous loader),
 * src/store/repos/facts.ts). No SQL: a mapping of rows already read (current rows only, in id order).
 */
import type { IsoDate } from '../domain/date.ts';
import type { Uscc } from '../domain/uscc.ts';
import type { ArrearsPeriodFact, BlacklistEntry, ContractorHistoryFacts, EvidenceRef } from '../rules/facts.ts';

export interface ContractorRecordDbRow {
  readonly id: number;
  readonly contractor_uscc: string;
  readonly record_type: string;
  readonly from_date: string;
  readonly to_date: string | null;
  readonly project_name: string | null;
  readonly note: string | null;
  readonly batch_id: number;
  readonly line: number;
}

/** The columns the mapping reads, in this order (both loaders select them). */
export const CONTRACTOR_RECORD_SELECT = 'id, contractor_uscc, record_type, from_date, to_date, project_name, note, batch_id, line';

const day = (v: unknown): IsoDate => String(v).slice(0, 10) as IsoDate;

export function contractorHistoryOf(rows: readonly ContractorRecordDbRow[]): ContractorHistoryFacts[] {
  const by = new Map<string, { recordsHeldFrom?: IsoDate; recordsHeldFromRef?: EvidenceRef; arrears: ArrearsPeriodFact[]; listings: BlacklistEntry[]; compliance: { from: IsoDate; to?: IsoDate; ref: EvidenceRef }[] }>();
  for (const r of rows) {
    let h = by.get(r.contractor_uscc);
    if (!h) by.set(r.contractor_uscc, (h = { arrears: [], listings: [], compliance: [] }));
    const ref: EvidenceRef = { table: 'contractor_records', id: Number(r.id), batchId: Number(r.batch_id), line: Number(r.line) };
    const from = day(r.from_date);
    const to = r.to_date === null || r.to_date === undefined ? undefined : day(r.to_date);
    switch (r.record_type) {
      case 'records_held':
        // one a contractor (the importer refuses a second in a file); the earliest wins if ever two
        if (h.recordsHeldFrom === undefined || from < h.recordsHeldFrom) {
          h.recordsHeldFrom = from;
          h.recordsHeldFromRef = ref;
        }
        break;
      case 'arrears':
        h.arrears.push({ from, ...(to ? { to } : {}), ...(r.project_name ? { projectCode: r.project_name } : {}), ...(r.note ? { note: r.note } : {}), ref });
        break;
      case 'listing':
        h.listings.push({ uscc: r.contractor_uscc as Uscc, from, ...(to ? { to } : {}), ...(r.note ? { reason: r.note } : {}), ref });
        break;
      case 'compliance':
        h.compliance.push({ from, ...(to ? { to } : {}), ref });
        break;
    }
  }
  return [...by.entries()].map(([uscc, h]) => ({
    uscc: uscc as Uscc,
    ...(h.recordsHeldFrom ? { recordsHeldFrom: h.recordsHeldFrom, recordsHeldFromRef: h.recordsHeldFromRef } : {}),
    ...(h.arrears.length > 0 ? { arrears: h.arrears } : {}),
    ...(h.listings.length > 0 ? { listings: h.listings } : {}),
    ...(h.compliance.length > 0 ? { compliance: h.compliance } : {}),
  }));
}
