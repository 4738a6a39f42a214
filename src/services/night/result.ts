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
import type { FindingRecord, ProjectResult } from '../../store/repos/evaluations.ts';
import { encodeRows } from '../../store/factsCodec.ts';

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

/** The ledger as stored: columns of every worker-month (the project's id and code are the state row's). */
export function ledgerDocument(ledger: readonly WorkerMonth[]): string {
  // overdue days are counted from the due date when read: a quiet night leaves the ledger unchanged
  return JSON.stringify(encodeRows(ledger.map(({ projectId: _p, projectCode: _c, overdueDays: _d, ...wm }) => wm as unknown as Record<string, unknown>)));
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
    ledger: pe ? ledgerDocument(pe.ledger) : null,
  };
}
