/**
 * 重算 — the recompute service: load the facts, run the pure rules core, store what it found.
 *
 * The API and reports read stored results; they never run the rules on a request. Storing for a date
 * replaces that date's findings and assessments in one transaction, so a recompute interrupted half way
 * leaves the previous results whole, and recomputing the same day twice over the same data stores the
 * same rows (the core is deterministic; rows are written in its stable order).
 */
import type { IsoDate } from '../domain/date.ts';
import { loadCityFacts } from '../db/facts.ts';
import type { Db } from '../db/open.ts';
import { evaluateCity, type CityEvaluation } from '../rules/evaluate.ts';
import { DEFAULT_PARAMS, type RulesParams } from '../rules/params/index.ts';

export interface RecomputeResult {
  readonly evaluation: CityEvaluation;
  readonly findingCount: number;
  readonly timings: { readonly loadMs: number; readonly evaluateMs: number; readonly storeMs: number };
}

/** Evaluates the whole city as of `asOf` and stores the findings; `now` stamps the run. */
export function recomputeCity(db: Db, asOf: IsoDate, now: string, params: RulesParams = DEFAULT_PARAMS): RecomputeResult {
  const t0 = performance.now();
  // one read transaction: every table is read from the same snapshot, so an import committing meanwhile
  // (another process, the API's import connection) is wholly in or wholly out of the facts
  const city = db.$client.transaction(() => loadCityFacts(db))();
  const t1 = performance.now();
  const evaluation = evaluateCity(city, asOf, params);
  const t2 = performance.now();
  const findingCount = storeEvaluation(db, evaluation, now);
  const t3 = performance.now();
  return { evaluation, findingCount, timings: { loadMs: t1 - t0, evaluateMs: t2 - t1, storeMs: t3 - t2 } };
}

/** Replaces the stored findings and assessments of the evaluation's date; returns the number of findings. */
export function storeEvaluation(db: Db, evaluation: CityEvaluation, now: string): number {
  const sqlite = db.$client;
  const insertFinding = sqlite.prepare(
    `INSERT INTO findings (as_of, fingerprint, code, severity, project_id, id_number, month, amount_fen,
       sentence, legal_basis, params, evidence)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAssessment = sqlite.prepare(
    `INSERT INTO project_assessments (as_of, project_id, arrears_fen, workers_in_arrears, oldest_overdue_days,
       estimated_exposure_fen, risk_score, risk_terms, deposit)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const asOf = evaluation.asOf;
  let count = 0;
  sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM findings WHERE as_of = ?').run(asOf);
    sqlite.prepare('DELETE FROM project_assessments WHERE as_of = ?').run(asOf);
    for (const p of evaluation.projects) {
      for (const f of p.findings) {
        insertFinding.run(
          asOf,
          f.fingerprint,
          f.code,
          f.severity,
          f.projectId,
          f.idNumber ?? null,
          f.month ?? null,
          f.amount ?? null,
          f.sentence,
          JSON.stringify(f.legalBasis),
          JSON.stringify(f.params),
          JSON.stringify(f.evidence),
        );
        count++;
      }
      const a = p.assessment;
      insertAssessment.run(
        asOf,
        p.projectId,
        a.arrears,
        a.workersInArrears,
        a.oldestOverdueDays,
        a.estimatedExposure,
        a.risk.score,
        JSON.stringify(a.risk.terms),
        JSON.stringify(a.deposit),
      );
    }
    sqlite
      .prepare(
        `INSERT INTO recompute_runs (as_of, computed_at, project_count, finding_count) VALUES (?, ?, ?, ?)
         ON CONFLICT(as_of) DO UPDATE SET computed_at = excluded.computed_at,
           project_count = excluded.project_count, finding_count = excluded.finding_count`,
      )
      .run(asOf, now, evaluation.projects.length, count);
  })();
  return count;
}
