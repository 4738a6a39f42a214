/**
 * 夜间计划 — which projects a night evaluates (docs/STORAGE.md "Incremental nights"), in chunks.
 *
 * Incremental: a project without a state, or whose facts version, parameter version or next change says
 * it may differ on D; then every project of the same general contractor (the deposit rule reads the
 * contractor's record from all its projects' ledgers), and every project sharing a wage-table worker with a
 * project whose facts changed (DOUBLE_BOOKED reads the worker's days on other projects). Full, or a past
 * day (before the latest evaluated day): every project.
 */
import { createHash } from 'node:crypto';
import type { IsoDate } from '../../domain/date.ts';
import type { Store } from '../../store/store.ts';

export interface NightPlan {
  readonly mode: 'full' | 'incremental';
  /** D lies before the latest evaluated day: its span of history is replaced */
  readonly past: boolean;
  readonly projectCount: number;
  /** project ids to evaluate, a contractor's projects in one chunk */
  readonly chunks: readonly (readonly number[])[];
  /** each chunk's projects' facts versions as planned (same order) */
  readonly versions: readonly (readonly number[])[];
  /**
   * A digest of everything the plan rests on (the options, every project's facts version and state
   * bookkeeping): an interrupted night is resumed only by a plan with the same key (src/services/night/stage.ts).
   */
  readonly key: string;
  /** projects with a state that no longer exist */
  readonly removed: readonly number[];
  /** why each project is evaluated (for the log and the tests) */
  readonly reasons: ReadonlyMap<number, string>;
}

export async function planNight(s: Store, o: { asOf: IsoDate; paramsVersion: string; mode: 'full' | 'incremental'; chunkSize: number }): Promise<NightPlan> {
  const index = await s.facts.projectIndex();
  const versions = await s.facts.versions();
  const states = await s.evaluations.states();
  const latest = await s.evaluations.latestDay();
  const past = latest !== null && o.asOf < latest;
  const mode = o.mode === 'full' || past ? 'full' : 'incremental';
  const reasons = new Map<number, string>();
  const factsChanged: number[] = [];
  for (const p of index) {
    const st = states.get(p.id);
    const version = versions.get(p.id) ?? 0;
    if (mode === 'full') reasons.set(p.id, 'full');
    else if (!st) reasons.set(p.id, 'new');
    else if (st.factsVersion !== version) {
      reasons.set(p.id, 'facts');
      factsChanged.push(p.id);
    } else if (st.paramsVersion !== o.paramsVersion) reasons.set(p.id, 'params');
    else if (st.nextChange !== null && st.nextChange <= o.asOf) reasons.set(p.id, 'date');
  }
  if (mode === 'incremental' && factsChanged.length > 0) {
    for (const id of await s.facts.projectsSharingWorkers(factsChanged)) if (!reasons.has(id)) reasons.set(id, 'shared_worker');
  }
  // a contractor's projects together: chunks never split one
  const byContractor = new Map<string, number[]>();
  for (const p of index) {
    const list = byContractor.get(p.contractorUscc);
    if (list) list.push(p.id);
    else byContractor.set(p.contractorUscc, [p.id]);
  }
  const chunks: number[][] = [];
  let cur: number[] = [];
  for (const ids of byContractor.values()) {
    if (!ids.some((id) => reasons.has(id))) continue;
    for (const id of ids) if (!reasons.has(id)) reasons.set(id, 'same_contractor');
    if (cur.length >= o.chunkSize) {
      chunks.push(cur);
      cur = [];
    }
    cur.push(...ids);
  }
  if (cur.length > 0) chunks.push(cur);
  const existing = new Set(index.map((p) => p.id));
  const removed = [...states.keys()].filter((id) => !existing.has(id));
  const key = createHash('sha1').update(JSON.stringify([o.asOf, mode, past, o.paramsVersion, o.chunkSize]));
  for (const p of index) key.update(`|${p.id}:${p.contractorUscc}:${versions.get(p.id) ?? 0}`);
  for (const st of [...states.values()].sort((a, b) => a.projectId - b.projectId))
    key.update(`|${st.projectId}:${st.evaluatedOn}:${st.factsVersion}:${st.paramsVersion}:${st.nextChange}:${st.resultHash}`);
  const chunkVersions = chunks.map((ids) => ids.map((id) => versions.get(id) ?? 0));
  return { mode, past, projectCount: index.length, chunks, versions: chunkVersions, removed, reasons, key: key.digest('base64url') };
}
