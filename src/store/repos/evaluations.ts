/**
 * 评估状态 — the rules core's results kept as state (docs/STORAGE.md "Findings are state"): each night's
 * project results are compared with what is stored and only the differences are written.
 *
 * A finding is identified by (project, fingerprint); its content (everything but the validity) is summed
 * up in `content_hash`. Applying day D's result for a project:
 * - D on or after every evaluated day (the usual night): the project's current versions (valid_to NULL)
 *   are compared with the new ones — equal: untouched; changed: closed at D and a new version opened at D;
 *   gone: closed at D; new: opened at D. A version opened on D itself (D evaluated again) is replaced.
 * - D before an evaluated day N (a past day recomputed): the state on [D, N) is replaced by D's result,
 *   the parts before D and from N on are kept, and equal neighbours are merged back into one version.
 * A project whose result digest equals the stored one writes only its bookkeeping (versions read, next
 * change): a quiet night writes almost nothing. The ledger is kept by month (ledger_months): a changed
 * project rewrites only the months whose lines changed. A night's deltas are applied a chunk at a time (staged in
 * night_results, src/services/night/stage.ts), each chunk in a few statements, not a few per project.
 */
import { createHash } from 'node:crypto';
import { marks, rowMarks, type Sql } from '../sql.ts';
import { compactMembers, referenceTo, saveParts } from './outcomeParts.ts';
import { ValueDigest } from '../valueDigest.ts';
import { packJson, unpackJson } from '../packedJson.ts';

export type SeverityName = 'critical' | 'high' | 'medium' | 'low';
const SEVERITY_RANK: Record<SeverityName, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** A finding as stored (the rules' Finding, with day-dependent text left as template markers). */
export interface FindingRecord {
  readonly fingerprint: string;
  readonly code: string;
  readonly severity: SeverityName;
  readonly idNumber: string | null;
  readonly month: string | null;
  readonly employerUscc: string | null;
  readonly amount: number | null;
  readonly dueDate: string | null;
  readonly sentence: string;
  readonly legalBasis: unknown;
  readonly params: unknown;
  readonly evidence: unknown;
}

/** A project's assessment and report part as stored. */
export interface OutcomeRecord {
  readonly riskScore: number;
  readonly arrears: number;
  readonly workersInArrears: number;
  readonly oldestDueDate: string | null;
  readonly exposure: number;
  readonly findingCount: number;
  readonly assessment: unknown;
  readonly reportPart: unknown;
  readonly problem: string | null;
}

/**
 * One month of a project's worker-month ledger as stored (ledger_months): its lines by column, JSON in the
 * codec of src/store/factsCodec.ts (encodeRows), without project id, code and overdue days.
 */
export interface LedgerMonth {
  readonly month: string;
  readonly lines: string;
  /**
   * the month's digest when its maker took it from the lines' values (night/result.ts ledgerMonthsOf, `v2:…`;
   * its `lines` then written only when read: a month a night finds unchanged is never serialised); else the
   * sha1 of `lines`, taken here
   */
  readonly hash?: string;
}

/** One project's evaluation for a day, as the night hands it to storage. */
export interface ProjectResult {
  readonly projectId: number;
  readonly projectCode: string;
  readonly county: string;
  readonly factsVersion: number;
  readonly paramsVersion: string;
  /** the first day after D on which the outcome can change by date alone; null = none */
  readonly nextChange: string | null;
  readonly outcome: OutcomeRecord;
  /** in the rules' stable order */
  readonly findings: readonly FindingRecord[];
  /** the worker-month ledger, month by month in month order (null when not kept: the rules could not evaluate) */
  readonly ledger: readonly LedgerMonth[] | null;
}

export interface ProjectStateRow {
  readonly projectId: number;
  readonly evaluatedOn: string;
  readonly factsVersion: number;
  readonly paramsVersion: string;
  readonly nextChange: string | null;
  readonly resultHash: string;
}

export interface DayRecord {
  readonly asOf: string;
  readonly computedAt: string;
  readonly mode: 'full' | 'incremental';
  readonly projectCount: number;
  readonly evaluatedCount: number;
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
}

export interface ApplySummary {
  /** projects whose stored state changed */
  readonly changed: number;
  /** finding versions written (opened) */
  readonly opened: number;
  /** finding versions closed */
  readonly closed: number;
}

const sha = (s: string): string => createHash('sha1').update(s).digest('base64url');


/** What a citation's digest is taken over: its legal basis and the parameters used. */
const citationJson = (f: FindingRecord): string => JSON.stringify([f.legalBasis, f.params]);

/**
 * A finding's citation digest without serialising the citation again for every finding: findings of one
 * rule share their legal basis object and their parameters' sources (the loaded parameter files), so a key
 * made of those objects' identities — and of every other field's JSON — names one citation JSON. Equal keys
 * mean the same objects, hence the same JSON (the rules' parameters are never mutated); different objects
 * with equal contents just get their digest computed once more. The citation JSON of a project's findings
 * was their largest allocation after the ledger (up to 2 KB a finding, mostly the sources' notes).
 */
const objectIds = new WeakMap<object, number>();
let lastObjectId = 0;
const keyPart = (v: unknown): string => {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? '~';
  let id = objectIds.get(v);
  if (id === undefined) objectIds.set(v, (id = ++lastObjectId));
  return `#${id}`;
};
const citationDigests = new Map<string, string>();

function citationDigestOf(f: FindingRecord): string {
  let key = keyPart(f.legalBasis);
  if (!Array.isArray(f.params)) key += `!${keyPart(f.params)}`;
  else
    for (const p of f.params as readonly unknown[]) {
      key += '|';
      if (p === null || typeof p !== 'object') key += keyPart(p);
      else for (const k in p) key += `${k}=${keyPart((p as Record<string, unknown>)[k])},`;
    }
  let h = citationDigests.get(key);
  if (h === undefined) {
    h = sha(citationJson(f));
    if (citationDigests.size >= 50_000) citationDigests.clear();
    citationDigests.set(key, h);
  }
  return h;
}

/** What a finding's content digest (content_hash) is taken over: every stored field but its fingerprint, its citation by digest. */
function findingJson(f: FindingRecord, citationHash: string): string {
  return JSON.stringify([f.code, f.severity, f.idNumber, f.month, f.employerUscc, f.amount, f.dueDate, f.sentence, citationHash, f.evidence]);
}

function outcomeHash(o: OutcomeRecord): string {
  return sha(JSON.stringify([o.riskScore, o.arrears, o.workersInArrears, o.oldestDueDate, o.exposure, o.findingCount, o.assessment, o.reportPart, o.problem]));
}

interface Prepared {
  readonly result: ProjectResult;
  readonly citationHashes: readonly string[];
  readonly hashes: string[];
  readonly outcomeHash: string;
  /** each ledger month's digest, in the result's order */
  readonly ledgerHashes: string[];
  /** a digest of the whole ledger (null: none kept) */
  readonly ledgerHash: string | null;
  readonly resultHash: string;
}

export type Digests = Omit<Prepared, 'hashes'>;

/**
 * The result's digest, and what its findings' own digests need. The result digest is one digest over the
 * outcome's and the ledger's digests and each finding's fingerprint and stored fields, taken from the values
 * (ValueDigest: no finding is serialised for it — an unchanged project, most of a full night's, is recognised
 * without writing out its findings). A changed project's findings are serialised for their own sha1 content
 * digests (prepare). A finding's citation is hashed once per distinct citation (citationDigestOf: many
 * findings cite the same article with the same parameters).
 */
function digestsOf(r: ProjectResult): Digests {
  const oh = outcomeHash(r.outcome);
  const ledgerHashes = (r.ledger ?? []).map((m) => m.hash ?? sha(m.lines));
  const ledgerHash = r.ledger === null ? null : sha(JSON.stringify(r.ledger.map((m, i) => `${m.month}=${ledgerHashes[i]}`)));
  const whole = new ValueDigest();
  whole.string('result-3');
  whole.string(oh);
  whole.value(ledgerHash);
  whole.word(r.findings.length);
  const citationHashes: string[] = new Array(r.findings.length);
  r.findings.forEach((f, i) => {
    const ch = citationDigestOf(f);
    citationHashes[i] = ch;
    // what findingJson serialises, in its order
    whole.string(f.fingerprint);
    whole.value(f.code);
    whole.value(f.severity);
    whole.value(f.idNumber);
    whole.value(f.month);
    whole.value(f.employerUscc);
    whole.value(f.amount);
    whole.value(f.dueDate);
    whole.value(f.sentence);
    whole.string(ch);
    whole.value(f.evidence);
  });
  return { result: r, outcomeHash: oh, ledgerHashes, ledgerHash, resultHash: `v3:${whole.digest()}`, citationHashes };
}

/** Every digest of a result, its findings' too (what writing it needs). */
function prepare(r: ProjectResult, digests: Digests = digestsOf(r)): Prepared {
  return { ...digests, hashes: r.findings.map((f, i) => sha(findingJson(f, digests.citationHashes[i]!))) };
}

/** A result's state-row part: everything but its findings and ledger lines, with the ledger's digest. */
function stateOf(r: ProjectResult, ledgerHash: string | null): StateInput {
  const { findings: _f, ledger: _l, ...rest } = r;
  return { ...rest, ledgerHash };
}

const FINDING_COLS = [
  'project_id',
  'fingerprint',
  'valid_from',
  'valid_to',
  'code',
  'severity',
  'project_code',
  'county',
  'risk_score',
  'severity_rank',
  'id_number',
  'month',
  'employer_uscc',
  'amount_fen',
  'due_date',
  'sentence',
  'citation_id',
  'evidence',
  'content_hash',
] as const;

interface StoredVersion {
  id: number;
  fingerprint: string;
  valid_from: string;
  valid_to: string | null;
  content_hash: string;
}

/** A project's current state as a night compares it. */
export interface CurrentState {
  resultHash: string | null;
  /** current versions by fingerprint */
  readonly versions: Map<string, { readonly id: number; readonly from: string; readonly hash: string }>;
  outcome: { readonly from: string; readonly hash: string } | null;
  /** the stored ledger months' digests by month */
  readonly ledger: Map<string, string>;
}

/** A result without its findings and ledger. */
type ResultCore = Omit<ProjectResult, 'findings' | 'ledger'>;

/** A result without its findings and ledger lines: what the state row keeps (the ledger's digest). */
export type StateInput = Omit<ProjectResult, 'findings' | 'ledger'> & { readonly ledgerHash: string | null };

/**
 * What a night keeps of a project's result until it is written (plain data: it crosses processes as JSON
 * when workers share a night). An unchanged result keeps only the bookkeeping — what it read and when it can
 * next change — so a night that re-evaluates many projects and changes few holds little in memory.
 */
export type ProjectDelta = UnchangedDelta | ChangedDelta;

export interface UnchangedDelta {
  readonly changed: false;
  readonly asOf: string;
  readonly projectId: number;
  readonly factsVersion: number;
  readonly paramsVersion: string;
  readonly nextChange: string | null;
}

export interface ChangedDelta {
  readonly changed: true;
  readonly asOf: string;
  readonly state: StateInput;
  readonly resultHash: string;
  readonly outcomeHash: string;
  readonly open: readonly { readonly finding: FindingRecord; readonly hash: string; readonly citationHash: string }[];
  /** versions closed at asOf */
  readonly closeIds: readonly number[];
  /** versions opened on asOf itself and replaced (asOf evaluated again) */
  readonly deleteIds: readonly number[];
  readonly outcomeChange: 'none' | 'close' | 'replace' | 'open';
  /** ledger months whose lines changed (or are new): written whole (packJson); the other months stay as stored */
  readonly ledgerPut: readonly (LedgerMonth & { readonly hash: string })[];
  /** stored ledger months the new ledger no longer has */
  readonly ledgerDrop: readonly string[];
  /** some current versions stay current (their project's score, code and county may need following); absent: assume so */
  readonly keeps?: boolean;
}

/** The difference between a project's new result for D and its current state (D on or after every evaluated day). */
/** A result's digests (deltaOf takes them, so that currentOf can be told which projects are unchanged). */
export const digestsOfResult = (r: ProjectResult): Digests => digestsOf(r);

/** The delta of a project whose result digest equals its stored one: only its bookkeeping (what it read, when it can next change). */
export function unchangedDeltaOf(asOf: string, r: ProjectResult): ProjectDelta {
  return { changed: false, asOf, projectId: r.projectId, factsVersion: r.factsVersion, paramsVersion: r.paramsVersion, nextChange: r.nextChange };
}

export function deltaOf(asOf: string, r: ProjectResult, current: CurrentState | undefined, digests: Digests = digestsOf(r)): ProjectDelta {
  if (current && current.resultHash === digests.resultHash) return unchangedDeltaOf(asOf, r);
  const p = prepare(r, digests);
  const state = stateOf(r, p.ledgerHash);
  const ledgerPut: (LedgerMonth & { hash: string })[] = [];
  const ledgerDrop: string[] = [];
  const months = new Set<string>();
  (r.ledger ?? []).forEach((m, i) => {
    months.add(m.month);
    if (current?.ledger.get(m.month) !== p.ledgerHashes[i]) ledgerPut.push({ month: m.month, lines: packJson(m.lines), hash: p.ledgerHashes[i]! });
  });
  if (current) for (const month of current.ledger.keys()) if (!months.has(month)) ledgerDrop.push(month);
  const open: { finding: FindingRecord; hash: string; citationHash: string }[] = [];
  const closeIds: number[] = [];
  const deleteIds: number[] = [];
  const seen = new Set<string>();
  r.findings.forEach((f, i) => {
    seen.add(f.fingerprint);
    const old = current?.versions.get(f.fingerprint);
    if (old && old.hash === p.hashes[i]) return;
    if (old) (old.from === asOf ? deleteIds : closeIds).push(old.id);
    open.push({ finding: f, hash: p.hashes[i]!, citationHash: p.citationHashes[i]! });
  });
  if (current) for (const [fp, v] of current.versions) if (!seen.has(fp)) (v.from === asOf ? deleteIds : closeIds).push(v.id);
  const o = current?.outcome;
  const outcomeChange = o && o.hash === p.outcomeHash ? 'none' : !o ? 'open' : o.from === asOf ? 'replace' : 'close';
  const keeps = current !== undefined && current.versions.size > closeIds.length + deleteIds.length;
  return { changed: true, asOf, state, resultHash: p.resultHash, outcomeHash: p.outcomeHash, open, closeIds, deleteIds, outcomeChange, ledgerPut, ledgerDrop, keeps };
}

function findingValues(validFrom: string, validTo: string | null, r: ResultCore, f: FindingRecord, citationId: number, hash: string): unknown[] {
  return [
    r.projectId,
    f.fingerprint,
    validFrom,
    validTo,
    f.code,
    f.severity,
    r.projectCode,
    r.county,
    r.outcome.riskScore,
    SEVERITY_RANK[f.severity],
    f.idNumber,
    f.month,
    f.employerUscc,
    f.amount,
    f.dueDate,
    f.sentence,
    citationId,
    f.evidence,
    hash,
  ];
}

const STATE_COLS = [
  'project_id',
  'project_code',
  'county',
  'evaluated_on',
  'facts_version',
  'params_version',
  'next_change',
  'result_hash',
  'risk_score',
  'arrears_fen',
  'workers_in_arrears',
  'oldest_due_date',
  'estimated_exposure_fen',
  'finding_count',
  'assessment',
  'report_part',
  'ledger_hash',
  'problem',
] as const;

const LEDGER_COLS = ['project_id', 'month', 'lines', 'hash'] as const;

const OUTCOME_COLS = [
  'project_id',
  'valid_from',
  'valid_to',
  'risk_score',
  'arrears_fen',
  'workers_in_arrears',
  'oldest_due_date',
  'estimated_exposure_fen',
  'finding_count',
  'assessment',
  'report_part',
  'problem',
  'content_hash',
] as const;

/** A deposit member this long (JSON) or longer is kept by reference: the requirement (3.8 KB) and the holdings with their evidence, unchanged from one pay day to the next. */
const DEPOSIT_PART_MIN = 128;

/**
 * What an outcome version keeps of its assessment: what does not change from one pay day to the next by
 * reference to outcome_parts (outcomeParts.ts) — the deposit's members, the risk score's parameters with
 * their source (the same 0.7 KB in every project's version) and the rules not applied — so a version row
 * holds its figures and risk terms and two share a page. The risk terms stay inline: the day view reads
 * them from the row (`project_assessments.risk_terms`). Readers resolve the deposit's members
 * (deposits.ts, projectViews.ts); nothing reads a version's risk parameters or rules not applied back.
 */
function compactAssessment(assessment: unknown, parts: Map<string, string>): string {
  if (assessment === null || typeof assessment !== 'object' || Array.isArray(assessment)) return JSON.stringify(assessment);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(assessment as Record<string, unknown>)) {
    if (k === 'deposit') out[k] = compactMembers(v, parts, DEPOSIT_PART_MIN);
    else if (k === 'notApplied' && v !== undefined) out[k] = referenceTo(JSON.stringify(v), parts);
    else if (k === 'risk' && v !== null && typeof v === 'object' && 'params' in v) {
      const risk = v as Record<string, unknown>;
      out[k] = { ...risk, params: referenceTo(JSON.stringify(risk.params), parts) };
    } else out[k] = v;
  }
  return JSON.stringify(out);
}

/** An outcome version's row, its report part's and assessment's large members collected into `parts`. */
function outcomeValues(r: ResultCore, hash: string, from: string, to: string | null, parts: Map<string, string>): unknown[] {
  const o = r.outcome;
  const reportPart = JSON.stringify(compactMembers(o.reportPart, parts));
  return [r.projectId, from, to, o.riskScore, o.arrears, o.workersInArrears, o.oldestDueDate, o.exposure, o.findingCount, compactAssessment(o.assessment, parts), reportPart, o.problem, hash];
}

/** Ids taken from each delta, grouped by the delta's day (a night's deltas share one). */
function byAsOf<D extends { readonly asOf: string }>(deltas: readonly D[], ids: (d: D) => readonly number[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const d of deltas) {
    const list = out.get(d.asOf);
    if (list) list.push(...ids(d));
    else out.set(d.asOf, [...ids(d)]);
  }
  return out;
}

export class EvaluationsRepo {
  constructor(private readonly sql: Sql) {}

  /** The day after the latest evaluated day on or before… — the evaluated days after `asOf`, first one. */
  async nextEvaluatedAfter(asOf: string): Promise<string | null> {
    const r = await this.sql.get<{ d: string | null }>('SELECT MIN(as_of) AS d FROM evaluated_days WHERE as_of > ?', [asOf]);
    return r?.d ?? null;
  }

  /** The latest evaluated day on or before `on` (default: the latest), or null. */
  async latestDay(on?: string): Promise<string | null> {
    const r = on
      ? await this.sql.get<{ d: string | null }>('SELECT MAX(as_of) AS d FROM evaluated_days WHERE as_of <= ?', [on])
      : await this.sql.get<{ d: string | null }>('SELECT MAX(as_of) AS d FROM evaluated_days');
    return r?.d ?? null;
  }

  async day(asOf: string): Promise<DayRecord | null> {
    const r = await this.sql.get<{ as_of: string; computed_at: string; mode: 'full' | 'incremental'; project_count: number; evaluated_count: number; warnings: unknown }>(
      'SELECT as_of, computed_at, mode, project_count, evaluated_count, warnings FROM evaluated_days WHERE as_of = ?',
      [asOf],
    );
    if (!r) return null;
    const warnings = (typeof r.warnings === 'string' ? JSON.parse(r.warnings) : r.warnings) as DayRecord['warnings'];
    return { asOf: r.as_of, computedAt: r.computed_at, mode: r.mode, projectCount: r.project_count, evaluatedCount: r.evaluated_count, warnings };
  }

  /** Every project's state bookkeeping (what its evaluation read and when it can next change). */
  async states(): Promise<Map<number, ProjectStateRow>> {
    const rows = await this.sql.rows<[number, string, number, string, string | null, string]>(
      'SELECT project_id, evaluated_on, facts_version, params_version, next_change, result_hash FROM project_states',
    );
    return new Map(rows.map(([projectId, evaluatedOn, factsVersion, paramsVersion, nextChange, resultHash]) => [projectId, { projectId, evaluatedOn, factsVersion, paramsVersion, nextChange, resultHash }]));
  }

  /** Citation ids for the hashes, creating the missing ones. */
  /** Citation ids for the findings about to be written, creating the missing ones. */
  private async citationIds(items: readonly { readonly finding: FindingRecord; readonly citationHash: string }[]): Promise<Map<string, number>> {
    const wanted = new Map<string, FindingRecord>();
    for (const it of items) wanted.set(it.citationHash, it.finding);
    const ids = new Map<string, number>();
    const hashes = [...wanted.keys()];
    for (let i = 0; i < hashes.length; i += 500) {
      const part = hashes.slice(i, i + 500);
      for (const [id, hash] of await this.sql.rows<[number, string]>(`SELECT id, hash FROM citations WHERE hash IN (${marks(part.length)})`, part)) ids.set(hash, id);
    }
    for (const h of hashes) {
      if (ids.has(h)) continue;
      const f = wanted.get(h)!;
      const row = await this.sql.get<{ id: number }>(
        'INSERT INTO citations (hash, legal_basis, params) VALUES (?, ?, ?) ON CONFLICT (hash) DO UPDATE SET hash = excluded.hash RETURNING id',
        [h, JSON.stringify(f.legalBasis), JSON.stringify(f.params)],
      );
      ids.set(h, row!.id);
    }
    return ids;
  }

  /** The stored result digests of the listed projects (one never evaluated is absent): what a night compares a new result with first. */
  async resultHashes(projectIds: readonly number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (let i = 0; i < projectIds.length; i += 500) {
      const part = projectIds.slice(i, i + 500);
      for (const [pid, hash] of await this.sql.rows<[number, string]>(`SELECT project_id, result_hash FROM project_states WHERE project_id IN (${marks(part.length)})`, part)) out.set(pid, hash);
    }
    return out;
  }

  /**
   * The current state of the listed projects as a night compares it (read in the night's snapshot).
   * `digests`: the new results' digests by project (digestsOfResult) — a project whose stored digest equals
   * its new one is unchanged, and its versions, outcome and ledger months are not read (deltaOf needs only
   * the digest): a full night that changes little reads little.
   */
  async currentOf(projectIds: readonly number[], digests?: ReadonlyMap<number, string>): Promise<Map<number, CurrentState>> {
    const out = new Map<number, CurrentState>();
    const of = (pid: number): CurrentState => {
      let st = out.get(pid);
      if (!st) out.set(pid, (st = { resultHash: null, versions: new Map(), outcome: null, ledger: new Map() }));
      return st;
    };
    for (let i = 0; i < projectIds.length; i += 500) {
      const part = projectIds.slice(i, i + 500);
      const changed: number[] = [];
      const stored = await this.resultHashes(part);
      for (const pid of part) {
        const hash = stored.get(pid);
        if (hash !== undefined) of(pid).resultHash = hash;
        if (digests === undefined || hash === undefined || digests.get(pid) !== hash) changed.push(pid);
      }
      if (changed.length === 0) continue;
      const inChanged = `IN (${marks(changed.length)})`;
      for (const [pid, id, fp, from, hash] of await this.sql.rows<[number, number, string, string, string]>(
        `SELECT project_id, id, fingerprint, valid_from, content_hash FROM finding_versions WHERE valid_to IS NULL AND project_id ${inChanged}`,
        changed,
      ))
        of(pid).versions.set(fp, { id, from, hash });
      for (const [pid, from, hash] of await this.sql.rows<[number, string, string]>(
        `SELECT project_id, valid_from, content_hash FROM project_outcomes WHERE valid_to IS NULL AND project_id ${inChanged}`,
        changed,
      ))
        of(pid).outcome = { from, hash };
      for (const [pid, month, hash] of await this.sql.rows<[number, string, string]>(`SELECT project_id, month, hash FROM ledger_months WHERE project_id ${inChanged}`, changed))
        of(pid).ledger.set(month, hash);
    }
    return out;
  }

  /**
   * Applies day `asOf`'s results (call inside a write transaction). D on or after every evaluated day:
   * only the differences with the current state are written (deltaOf); a past day: its span is replaced.
   */
  async apply(asOf: string, results: readonly ProjectResult[]): Promise<ApplySummary> {
    const next = await this.nextEvaluatedAfter(asOf);
    if (next === null) {
      const current = await this.currentOf(results.map((r) => r.projectId));
      return this.applyDeltas(results.map((r) => deltaOf(asOf, r, current.get(r.projectId))));
    }
    let opened = 0;
    let closed = 0;
    const prepared = results.map((r) => prepare(r));
    const citationIds = await this.citationIds(prepared.flatMap((p) => p.result.findings.map((finding, i) => ({ finding, citationHash: p.citationHashes[i]! }))));
    for (const p of prepared) {
      const r = await this.applySplice(asOf, next, p, citationIds);
      opened += r.opened;
      closed += r.closed;
      // the current state only moves forward: D's ledger replaces the stored one only when D's state row does
      const st = await this.sql.get<{ d: string }>('SELECT evaluated_on AS d FROM project_states WHERE project_id = ?', [p.result.projectId]);
      if (!st || st.d <= asOf) {
        await this.sql.run('DELETE FROM ledger_months WHERE project_id = ?', [p.result.projectId]);
        await this.sql.insertMany('ledger_months', LEDGER_COLS, (p.result.ledger ?? []).map((m, i) => [p.result.projectId, m.month, packJson(m.lines), p.ledgerHashes[i]!]));
      }
      await this.saveState(asOf, stateOf(p.result, p.ledgerHash), p.resultHash);
    }
    return { changed: prepared.length, opened, closed };
  }

  /**
   * Writes a night's deltas (deltaOf, computed against the current state read in the night's snapshot), in
   * a few statements for the whole batch rather than a few per project (a province's night applies tens of
   * thousands): the unchanged projects' bookkeeping grouped by what it sets; every closing and deleting
   * before any opening (a version replaced on D itself keeps its key); the opened versions in one bulk
   * insert, in delta order (so ids come out as they would project by project); the outcomes likewise; the
   * state rows as multi-row upserts.
   */
  async applyDeltas(deltas: readonly ProjectDelta[]): Promise<ApplySummary> {
    const citationIds = await this.citationIds(deltas.flatMap((d) => (d.changed ? d.open : [])));
    const changed = deltas.filter((d): d is ChangedDelta => d.changed);
    // the same result: only what it read and when it can next change, one statement per distinct bookkeeping
    const groups = new Map<string, { d: UnchangedDelta; ids: number[] }>();
    for (const d of deltas) {
      if (d.changed) continue;
      const key = JSON.stringify([d.asOf, d.factsVersion, d.paramsVersion, d.nextChange]);
      const g = groups.get(key);
      if (g) g.ids.push(d.projectId);
      else groups.set(key, { d, ids: [d.projectId] });
    }
    for (const { d, ids } of groups.values()) {
      await this.inChunks(ids, (part) =>
        this.sql.run(
          `UPDATE project_states SET evaluated_on = ?, facts_version = ?, params_version = ?, next_change = ? WHERE evaluated_on <= ? AND project_id IN (${marks(part.length)})`,
          [d.asOf, d.factsVersion, d.paramsVersion, d.nextChange, d.asOf, ...part],
        ),
      );
    }
    let opened = 0;
    let closed = 0;
    for (const [asOf, ids] of byAsOf(changed, (d) => d.closeIds))
      await this.inChunks(ids, (part) => this.sql.run(`UPDATE finding_versions SET valid_to = ? WHERE id IN (${marks(part.length)})`, [asOf, ...part]));
    await this.inChunks(
      changed.flatMap((d) => d.deleteIds),
      (part) => this.sql.run(`DELETE FROM finding_versions WHERE id IN (${marks(part.length)})`, part),
    );
    await this.sql.insertMany(
      'finding_versions',
      FINDING_COLS,
      changed.flatMap((d) => d.open.map((o) => findingValues(d.asOf, null, d.state, o.finding, citationIds.get(o.citationHash)!, o.hash))),
    );
    for (const d of changed) {
      opened += d.open.length;
      closed += d.closeIds.length + d.deleteIds.length;
      if (d.keeps === false) continue;
      const r = d.state;
      // the queue's order follows the project's current score and code (versions opened just now have them)
      await this.sql.run(
        'UPDATE finding_versions SET risk_score = ?, project_code = ?, county = ? WHERE project_id = ? AND valid_to IS NULL AND (risk_score <> ? OR project_code <> ? OR county <> ?)',
        [r.outcome.riskScore, r.projectCode, r.county, r.projectId, r.outcome.riskScore, r.projectCode, r.county],
      );
    }
    for (const d of changed) {
      if (d.outcomeChange === 'replace') await this.sql.run('DELETE FROM project_outcomes WHERE project_id = ? AND valid_from = ?', [d.state.projectId, d.asOf]);
    }
    for (const [asOf, ids] of byAsOf(
      changed.filter((d) => d.outcomeChange === 'close'),
      (d) => [d.state.projectId],
    ))
      await this.inChunks(ids, (part) => this.sql.run(`UPDATE project_outcomes SET valid_to = ? WHERE valid_to IS NULL AND project_id IN (${marks(part.length)})`, [asOf, ...part]));
    const parts = new Map<string, string>();
    const outcomes = changed.filter((d) => d.outcomeChange !== 'none').map((d) => outcomeValues(d.state, d.outcomeHash, d.asOf, null, parts));
    await saveParts(this.sql, parts);
    await this.sql.insertMany('project_outcomes', OUTCOME_COLS, outcomes);
    for (let i = 0; i < changed.length; i += 100) {
      const part = changed.slice(i, i + 100);
      await this.saveStates(part.map((d) => ({ asOf: d.asOf, r: d.state, resultHash: d.resultHash })));
    }
    // only the ledger months that changed: removed, then written again (an event night: one month a project)
    const gone = new Map<string, number[]>();
    for (const d of changed)
      for (const month of [...d.ledgerDrop, ...d.ledgerPut.map((m) => m.month)]) {
        const ids = gone.get(month);
        if (ids) ids.push(d.state.projectId);
        else gone.set(month, [d.state.projectId]);
      }
    for (const [month, ids] of gone) await this.inChunks(ids, (part) => this.sql.run(`DELETE FROM ledger_months WHERE month = ? AND project_id IN (${marks(part.length)})`, [month, ...part]));
    await this.sql.insertMany(
      'ledger_months',
      LEDGER_COLS,
      changed.flatMap((d) => d.ledgerPut.map((m) => [d.state.projectId, m.month, m.lines, m.hash])),
    );
    return { changed: changed.length, opened, closed };
  }

  /**
   * Projects' current-state rows: what each evaluation read, when it can next change, its assessment. The
   * current state only moves forward: a past day's recompute leaves a later evaluation's row alone.
   */
  private async saveStates(rows: readonly { asOf: string; r: StateInput; resultHash: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.sql.run(
      `INSERT INTO project_states (${STATE_COLS.join(', ')})
       VALUES ${rowMarks(rows.length, STATE_COLS.length)}
       ON CONFLICT (project_id) DO UPDATE SET project_code = excluded.project_code, county = excluded.county, evaluated_on = excluded.evaluated_on,
          facts_version = excluded.facts_version, params_version = excluded.params_version, next_change = excluded.next_change,
          result_hash = excluded.result_hash, risk_score = excluded.risk_score, arrears_fen = excluded.arrears_fen,
          workers_in_arrears = excluded.workers_in_arrears, oldest_due_date = excluded.oldest_due_date,
          estimated_exposure_fen = excluded.estimated_exposure_fen, finding_count = excluded.finding_count,
          assessment = excluded.assessment, report_part = excluded.report_part, ledger_hash = excluded.ledger_hash, problem = excluded.problem
       WHERE project_states.evaluated_on <= excluded.evaluated_on`,
      rows.flatMap(({ asOf, r, resultHash }) => {
        const o = r.outcome;
        return [
          r.projectId,
          r.projectCode,
          r.county,
          asOf,
          r.factsVersion,
          r.paramsVersion,
          r.nextChange,
          resultHash,
          o.riskScore,
          o.arrears,
          o.workersInArrears,
          o.oldestDueDate,
          o.exposure,
          o.findingCount,
          JSON.stringify(o.assessment),
          JSON.stringify(o.reportPart),
          r.ledgerHash,
          o.problem,
        ];
      }),
    );
  }

  private async saveState(asOf: string, r: StateInput, resultHash: string): Promise<void> {
    await this.saveStates([{ asOf, r, resultHash }]);
  }

  private async insertOutcome(r: ResultCore, hash: string, from: string, to: string | null): Promise<void> {
    const parts = new Map<string, string>();
    const values = outcomeValues(r, hash, from, to, parts);
    await saveParts(this.sql, parts);
    await this.sql.run(`INSERT INTO project_outcomes (${OUTCOME_COLS.join(', ')}) VALUES (${marks(OUTCOME_COLS.length)})`, values);
  }

  /**
   * A past day D before the evaluated day N: the versions overlapping [D, N) are cut at D and N, D's result
   * fills [D, N), and a piece equal to its neighbour is merged with it.
   */
  private async applySplice(asOf: string, next: string, p: Prepared, citationIds: Map<string, number>): Promise<{ opened: number; closed: number }> {
    const r = p.result;
    const overlapping = await this.sql.all<Record<string, unknown> & StoredVersion>(
      `SELECT * FROM finding_versions WHERE project_id = ? AND valid_from < ? AND (valid_to IS NULL OR valid_to > ?)`,
      [r.projectId, next, asOf],
    );
    // neighbours that end exactly at D or start exactly at N, for merging
    const touching = await this.sql.all<Record<string, unknown> & StoredVersion>(
      `SELECT * FROM finding_versions WHERE project_id = ? AND (valid_to = ? OR valid_from = ?)`,
      [r.projectId, asOf, next],
    );
    const newByFp = new Map<string, number>();
    r.findings.forEach((f, i) => newByFp.set(f.fingerprint, i));
    const fps = new Set([...overlapping.map((v) => v.fingerprint), ...newByFp.keys()]);
    let opened = 0;
    let closed = 0;
    for (const fp of fps) {
      const olds = overlapping.filter((v) => v.fingerprint === fp);
      const i = newByFp.get(fp);
      const newHash = i === undefined ? null : p.hashes[i]!;
      // pieces to keep from the old versions, and the new piece
      const pieces: { from: string; to: string | null; hash: string; row: Record<string, unknown> | null }[] = [];
      for (const v of olds) {
        if (v.valid_from < asOf) pieces.push({ from: v.valid_from, to: asOf, hash: v.content_hash, row: v });
        if (v.valid_to === null || v.valid_to > next) pieces.push({ from: next, to: v.valid_to, hash: v.content_hash, row: v });
      }
      for (const v of touching.filter((t) => t.fingerprint === fp)) pieces.push({ from: v.valid_from, to: v.valid_to, hash: v.content_hash, row: v });
      if (newHash !== null) pieces.push({ from: asOf, to: next, hash: newHash, row: null });
      pieces.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      const merged: typeof pieces = [];
      for (const piece of pieces) {
        const last = merged[merged.length - 1];
        if (last && last.to === piece.from && last.hash === piece.hash) {
          last.to = piece.to;
          if (last.row === null) last.row = piece.row;
        } else merged.push({ ...piece });
      }
      const removeIds = [...new Set([...olds, ...touching.filter((t) => t.fingerprint === fp)].map((v) => v.id))];
      await this.inChunks(removeIds, (part) => this.sql.run(`DELETE FROM finding_versions WHERE id IN (${marks(part.length)})`, part));
      closed += olds.length;
      for (const m of merged) {
        if (m.row === null) {
          await this.sql.insertMany('finding_versions', FINDING_COLS, [findingValues(m.from, m.to, r, r.findings[i!]!, citationIds.get(p.citationHashes[i!]!)!, p.hashes[i!]!)]);
        } else {
          const values = FINDING_COLS.map((c) => (c === 'valid_from' ? m.from : c === 'valid_to' ? m.to : m.row![c]));
          await this.sql.insertMany('finding_versions', FINDING_COLS, [values]);
        }
        opened++;
      }
    }
    // the outcome, the same way
    const oldOutcomes = await this.sql.all<Record<string, unknown> & { valid_from: string; valid_to: string | null; content_hash: string }>(
      `SELECT * FROM project_outcomes WHERE project_id = ? AND ((valid_from < ? AND (valid_to IS NULL OR valid_to > ?)) OR valid_to = ? OR valid_from = ?)`,
      [r.projectId, next, asOf, asOf, next],
    );
    const pieces: { from: string; to: string | null; hash: string; row: Record<string, unknown> | null }[] = [];
    for (const v of oldOutcomes) {
      const overlaps = v.valid_from < next && (v.valid_to === null || v.valid_to > asOf);
      if (!overlaps) pieces.push({ from: v.valid_from, to: v.valid_to, hash: v.content_hash, row: v });
      else {
        if (v.valid_from < asOf) pieces.push({ from: v.valid_from, to: asOf, hash: v.content_hash, row: v });
        if (v.valid_to === null || v.valid_to > next) pieces.push({ from: next, to: v.valid_to, hash: v.content_hash, row: v });
      }
    }
    pieces.push({ from: asOf, to: next, hash: p.outcomeHash, row: null });
    pieces.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    const merged: typeof pieces = [];
    for (const piece of pieces) {
      const last = merged[merged.length - 1];
      if (last && last.to === piece.from && last.hash === piece.hash) last.to = piece.to;
      else merged.push({ ...piece });
    }
    for (const v of oldOutcomes) await this.sql.run('DELETE FROM project_outcomes WHERE project_id = ? AND valid_from = ?', [r.projectId, v.valid_from]);
    const cols = OUTCOME_COLS;
    for (const m of merged) {
      if (m.row === null) await this.insertOutcome(r, m.hash, m.from, m.to);
      else await this.sql.insertMany('project_outcomes', cols, [cols.map((c) => (c === 'valid_from' ? m.from : c === 'valid_to' ? m.to : m.row![c]))]);
    }
    return { opened, closed };
  }

  private async inChunks(ids: readonly number[], fn: (part: number[]) => Promise<unknown>): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) await fn(ids.slice(i, i + 500));
  }

  /**
   * Records day D's evaluation (after its results are applied, in the same transaction). `sameAs`: an
   * earlier evaluated day whose flags D's are known to equal (nothing opened or closed since): its count is
   * taken instead of counting the flags again.
   */
  async recordDay(day: DayRecord, changed: number, paramsVersion: string, sameAs?: string): Promise<void> {
    const count = sameAs
      ? await this.sql.get<{ n: number }>('SELECT finding_count AS n FROM evaluated_days WHERE as_of = ?', [sameAs])
      : await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM finding_versions WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)', [day.asOf, day.asOf]);
    await this.sql.run(
      `INSERT INTO evaluated_days (as_of, computed_at, mode, project_count, evaluated_count, changed_count, finding_count, params_version, warnings)
       VALUES (${marks(9)})
       ON CONFLICT (as_of) DO UPDATE SET computed_at = excluded.computed_at, mode = excluded.mode, project_count = excluded.project_count,
         evaluated_count = excluded.evaluated_count, changed_count = excluded.changed_count, finding_count = excluded.finding_count,
         params_version = excluded.params_version, warnings = excluded.warnings`,
      [day.asOf, day.computedAt, day.mode, day.projectCount, day.evaluatedCount, changed, count?.n ?? 0, paramsVersion, JSON.stringify(day.warnings)],
    );
  }

  /**
   * Day D's flag counts by county, code and severity (trends and the dashboard read them, never the
   * findings), in the night's write transaction: recounted from the versions valid on D, or copied from
   * `sameAs`, an earlier evaluated day whose flags D's equal (a quiet night counts nothing).
   */
  async refreshCounts(asOf: string, sameAs?: string): Promise<void> {
    await this.sql.run('DELETE FROM daily_flag_counts WHERE as_of = ?', [asOf]);
    if (sameAs) {
      await this.sql.run(
        'INSERT INTO daily_flag_counts (as_of, county, code, severity, n, amount_fen) SELECT ?, county, code, severity, n, amount_fen FROM daily_flag_counts WHERE as_of = ?',
        [asOf, sameAs],
      );
      return;
    }
    if ((await this.nextEvaluatedAfter(asOf)) === null) {
      // D is the latest evaluated day: the flags valid on D are the current ones (no version closes after
      // the latest day or opens after it), counted from their index alone
      await this.sql.run(
        `INSERT INTO daily_flag_counts (as_of, county, code, severity, n, amount_fen)
         SELECT ?, county, code, severity, COUNT(*), COALESCE(SUM(amount_fen), 0) FROM finding_versions${this.sql.dialect.indexedBy('finding_versions_counts')}
          WHERE valid_to IS NULL GROUP BY county, code, severity`,
        [asOf],
      );
      return;
    }
    await this.sql.run(
      `INSERT INTO daily_flag_counts (as_of, county, code, severity, n, amount_fen)
       SELECT ?, county, code, severity, COUNT(*), COALESCE(SUM(amount_fen), 0) FROM finding_versions
        WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) GROUP BY county, code, severity`,
      [asOf, asOf, asOf],
    );
  }

  /** The latest evaluated day before `asOf`, or null. */
  async dayBefore(asOf: string): Promise<string | null> {
    const r = await this.sql.get<{ d: string | null }>('SELECT MAX(as_of) AS d FROM evaluated_days WHERE as_of < ?', [asOf]);
    return r?.d ?? null;
  }

  /** Day D's flag count and the city's arrears on D (0 and 0 for a day not evaluated). */
  async dayTotals(asOf: string): Promise<{ findings: number; arrears: number }> {
    const f = await this.sql.get<{ n: number }>('SELECT finding_count AS n FROM evaluated_days WHERE as_of = ?', [asOf]);
    const a = await this.sql.get<{ fen: number | null }>(
      'SELECT SUM(arrears_fen) AS fen FROM project_outcomes WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)',
      [asOf, asOf],
    );
    return { findings: f?.n ?? 0, arrears: a?.fen ?? 0 };
  }

  /**
   * A project's stored ledger — its months' documents (columns, without overdue days) in month order; null
   * when none is stored — and the day of its evaluation. One statement, so state row and months are read
   * from one committed state.
   */
  async storedLedger(projectId: number): Promise<{ evaluatedOn: string; projectCode: string; ledger: string[] | null; problem: string | null } | null> {
    const rows = await this.sql.rows<[string, string, string | null, string | null, string | null]>(
      `SELECT s.evaluated_on, s.project_code, s.ledger_hash, s.problem, m.lines
         FROM project_states s LEFT JOIN ledger_months m ON m.project_id = s.project_id AND s.ledger_hash IS NOT NULL
        WHERE s.project_id = ? ORDER BY m.month`,
      [projectId],
    );
    const first = rows[0];
    if (!first) return null;
    const ledger = first[2] === null ? null : rows.flatMap((r) => (r[4] === null ? [] : [unpackJson(r[4])]));
    return { evaluatedOn: first[0], projectCode: first[1], ledger, problem: first[3] };
  }

  /** Projects that no longer exist lose their state (a project deleted by an erasure). */
  async forgetProjects(projectIds: readonly number[], asOf: string): Promise<void> {
    await this.inChunks(projectIds, async (part) => {
      await this.sql.run(`UPDATE finding_versions SET valid_to = ? WHERE valid_to IS NULL AND project_id IN (${marks(part.length)})`, [asOf, ...part]);
      await this.sql.run(`UPDATE project_outcomes SET valid_to = ? WHERE valid_to IS NULL AND project_id IN (${marks(part.length)})`, [asOf, ...part]);
      await this.sql.run(`DELETE FROM project_states WHERE project_id IN (${marks(part.length)})`, part);
      await this.sql.run(`DELETE FROM ledger_months WHERE project_id IN (${marks(part.length)})`, part);
    });
  }
}
