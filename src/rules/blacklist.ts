/**
 * 失信联合惩戒名单 — BLACKLISTED_PARTY: the owner, the general contractor or an employer on the project's
 * roster is on the arrears blacklist at D.
 *
 * Implements 条例 第四十八条 (listed units are restricted in government funds, procurement, bidding, loans …:
 * the bureau must know when a party on a project is listed) over 名单办法 (人社部令第45号) listings. A listing
 * covers D when from ≤ D and (no end, or D < end): `to` is the first day off the list — the day after the
 * term's last day (第十一条, counted by 民法典 第二百零一、二百零二条; see blacklistListing.ts).
 */
import { AS_OF } from '../domain/sentence.ts';
import type { IsoDate } from '../domain/date.ts';
import type { BlacklistEntry, EvidenceRef } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import type { ProjectView } from './wages.ts';

export function isListedOn(entry: BlacklistEntry, day: IsoDate): boolean {
  return entry.from <= day && (entry.to === undefined || day < entry.to);
}

export function blacklistFindings(view: ProjectView, listingsOf: (uscc: string) => readonly BlacklistEntry[]): Finding[] {
  const { project, asOf } = view;
  const parties: { role: string; uscc: string; name: string; evidence: EvidenceRef[] }[] = [
    { role: '建设单位', uscc: project.ownerUscc, name: project.ownerName, evidence: [project.ref] },
    { role: '施工总承包单位', uscc: project.contractorUscc, name: project.contractorName, evidence: [project.ref] },
  ];
  const employers = new Map<string, { name: string; evidence: EvidenceRef[] }>();
  for (const e of view.roster) {
    const cur = employers.get(e.employerUscc);
    if (cur) cur.evidence.push(e.ref);
    else employers.set(e.employerUscc, { name: e.employerName ?? '', evidence: [e.ref] });
  }
  for (const [uscc, { name, evidence }] of [...employers.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (uscc === project.contractorUscc || uscc === project.ownerUscc) continue;
    parties.push({ role: '用工单位', uscc, name, evidence });
  }
  const hits: string[] = [];
  const evidence: EvidenceRef[] = [];
  for (const party of parties) {
    const listing = listingsOf(party.uscc).find((b) => isListedOn(b, asOf));
    if (!listing) continue;
    const name = party.name || listing.name || '';
    hits.push(`${party.role}${name}（${party.uscc}）自${listing.from}起列入名单${listing.to ? `至${listing.to}` : ''}`);
    if (listing.ref) evidence.push(listing.ref);
    evidence.push(...party.evidence.slice(0, 20));
  }
  if (hits.length === 0) return [];
  return [
    makeFinding('BLACKLISTED_PARTY', project, {
      evidence,
      text: `截至${AS_OF}，${hits.join('；')}，属拖欠农民工工资失信联合惩戒对象，应依法实施联合惩戒并加强监管`,
    }),
  ];
}
