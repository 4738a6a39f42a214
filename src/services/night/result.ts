/**
 * 评估结果 — one project's evaluation by the rules core, turned into what storage keeps (ProjectResult):
 * each finding with its worker's employer and its due date, the assessment and report part, the ledger by
 * column, and the first day its outcome can change by date alone.
 */
import type { IsoDate } from '../../domain/date.ts';
import type { ProjectEvaluation } from '../../rules/evaluate.ts';
import type { InjuryCoverageFact, ProjectFacts } from '../../rules/facts.ts';
import type { Finding } from '../../rules/flags.ts';
import { keyOf, type WorkerMonth } from '../../rules/wages.ts';
import { EmployerIndex, projectReportPart } from '../../reports/part.ts';
import { ValueDigest } from '../../store/valueDigest.ts';
import type { FindingRecord, LedgerMonth, ProjectResult } from '../../store/repos/evaluations.ts';

/** The stored form of one finding. */
export function findingRecordOf(f: Finding, employers: EmployerIndex, contractorUscc: string, dueByCell: ReadonlyMap<string, string>): FindingRecord {
  return {
    fingerprint: f.fingerprint,
    code: f.code,
    severity: f.severity,
    idNumber: f.idNumber ?? null,
    month: f.month ?? null,
    employerUscc: f.idNumber ? employers.employerOf(f.idNumber, f.month) : contractorUscc,
    amount: f.amount ?? null,
    dueDate: f.idNumber && f.month ? (dueByCell.get(keyOf(f.month, f.idNumber)) ?? null) : null,
    sentence: f.sentence,
    legalBasis: f.legalBasis,
    params: f.params,
    evidence: f.evidence,
  };
}

/** Fields of a ledger line not stored: the state row's project id and code; overdue days, counted from the due date when read (so a quiet night leaves the ledger unchanged). */
const NOT_STORED = new Set(['projectId', 'projectCode', 'overdueDays']);

/**
 * The ledger as stored: month by month (ledger_months), each month's lines by column — the layout
 * encodeRows gives (src/store/factsCodec.ts: no evidence table, three empty reference columns, then one
 * column per field), written straight from the lines without copying them first. The ledger is in ledger
 * order (month, then identity number), so a month's lines are one run.
 *
 * Each month's digest is taken from its lines' values (valueDigest.ts, `v2:`), and its document is written
 * only when first read: a night reads it only for a month whose digest differs from the stored one, so the
 * months found unchanged — nearly all of a night's — are never serialised.
 */
export function ledgerMonthsOf(ledger: readonly WorkerMonth[]): LedgerMonth[] {
  const out: LedgerMonth[] = [];
  if (ledger.length === 0) return out;
  // every line is built by one constructor (wages.ts): the first line's fields are every line's
  const keys = Object.keys(ledger[0]!).filter((k) => !NOT_STORED.has(k));
  const header = JSON.stringify(['#id', '#batch', '#line', ...keys]);
  const columnsOf = columnReader(keys);
  const digestOf = columnDigest(keys);
  let start = 0;
  for (let i = 1; i <= ledger.length; i++) {
    if (i < ledger.length && ledger[i]!.month === ledger[start]!.month) continue;
    const month = ledger[start]!.month;
    if (out.length > 0 && month <= out[out.length - 1]!.month) throw new Error(`台账未按月份排序：${month}`);
    const from = start;
    const n = i - start;
    const d = new ValueDigest();
    d.string('ledger-month-1');
    for (const k of keys) d.string(k);
    d.word(n);
    digestOf(d, ledger, from, n);
    let lines: string | undefined;
    out.push({
      month,
      hash: `v2:${d.digest()}`,
      get lines(): string {
        if (lines === undefined) {
          const none = JSON.stringify(new Array(n).fill(null));
          lines = `{"t":null,"k":${header},"c":[${none},${none},${none},${columnsOf(ledger, from, n).join(',')}]}`;
        }
        return lines;
      },
    });
    start = i;
  }
  return out;
}

type ColumnDigest = (d: ValueDigest, ledger: readonly WorkerMonth[], start: number, n: number) => void;
const columnDigests = new Map<string, ColumnDigest>();

/** The lines' fields into a digest column by column, by a function made for the field list (as columnReader). */
function columnDigest(keys: readonly string[]): ColumnDigest {
  const id = keys.join(',');
  let run = columnDigests.get(id);
  if (!run) {
    const body = keys.map((k) => `for (let j = 0; j < n; j++) d.value(ledger[start + j][${JSON.stringify(k)}]);`).join('\n');
    run = new Function('d', 'ledger', 'start', 'n', body) as ColumnDigest;
    columnDigests.set(id, run);
  }
  return run;
}

type ColumnReader = (ledger: readonly WorkerMonth[], start: number, n: number) => string[];
const columnReaders = new Map<string, ColumnReader>();

/**
 * The lines' fields as JSON columns, read by a function made for the field list: one named property load
 * per field. A loop over the field names (`line[k]`) makes one keyed load see every field, which V8 then
 * handles as megamorphic — on an event night that loop was the largest cost of storing a ledger. The
 * field names come from the ledger line's own constructor (never from input), and an absent field is
 * null, as JSON keeps it.
 */
function columnReader(keys: readonly string[]): ColumnReader {
  const id = keys.join(',');
  let read = columnReaders.get(id);
  if (!read) {
    const cols = keys.map((_, i) => `c${i}`);
    const body = [
      ...cols.map((c) => `const ${c} = new Array(n);`),
      'for (let j = 0; j < n; j++) {',
      '  const l = ledger[start + j];',
      ...keys.map((k, i) => `  ${cols[i]}[j] = l[${JSON.stringify(k)}] ?? null;`),
      '}',
      `return [${cols.map((c) => `JSON.stringify(${c})`).join(', ')}];`,
    ].join('\n');
    read = new Function('ledger', 'start', 'n', body) as ColumnReader;
    columnReaders.set(id, read);
  }
  return read;
}

export interface ResultContext {
  readonly asOf: IsoDate;
  readonly factsVersion: number;
  readonly paramsVersion: string;
  readonly nextChange: IsoDate | null;
  readonly injuryCover: readonly InjuryCoverageFact[] | undefined;
  /** why the rules could not evaluate the project (pe is then null) */
  readonly problem: string | null;
}

export function projectResultOf(facts: ProjectFacts, pe: ProjectEvaluation | null, ctx: ResultContext): ProjectResult {
  const employers = new EmployerIndex(facts, ctx.asOf);
  const dueByCell = new Map<string, string>();
  let oldestDue: string | null = null;
  for (const wm of pe?.ledger ?? []) {
    dueByCell.set(keyOf(wm.month, wm.idNumber), wm.dueDate);
    if (wm.arrears > 0 && (oldestDue === null || wm.dueDate < oldestDue)) oldestDue = wm.dueDate;
  }
  const a = pe?.assessment;
  return {
    projectId: facts.id,
    projectCode: facts.code,
    county: facts.county,
    factsVersion: ctx.factsVersion,
    paramsVersion: ctx.paramsVersion,
    nextChange: ctx.nextChange,
    outcome: {
      riskScore: a?.risk.score ?? 0,
      arrears: a?.arrears ?? 0,
      workersInArrears: a?.workersInArrears ?? 0,
      oldestDueDate: oldestDue,
      exposure: a?.estimatedExposure ?? 0,
      findingCount: pe?.findings.length ?? 0,
      assessment: a ? { risk: a.risk, deposit: a.deposit, notApplied: pe!.notApplied } : null,
      reportPart: projectReportPart(facts, pe, ctx.injuryCover, ctx.asOf),
      problem: ctx.problem,
    },
    findings: (pe?.findings ?? []).map((f) => findingRecordOf(f, employers, facts.contractorUscc, dueByCell)),
    ledger: pe ? ledgerMonthsOf(pe.ledger) : null,
  };
}
