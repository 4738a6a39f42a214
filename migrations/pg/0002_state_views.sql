DROP TABLE "findings" CASCADE;--> statement-breakpoint
DROP TABLE "project_assessments" CASCADE;--> statement-breakpoint
DROP TABLE "recompute_runs" CASCADE;--> statement-breakpoint
CREATE VIEW "findings" AS
  SELECT fv.id AS id, d.as_of AS as_of, fv.fingerprint AS fingerprint, fv.code AS code, fv.severity AS severity,
         fv.project_id AS project_id, fv.id_number AS id_number, fv.month AS month, fv.amount_fen AS amount_fen,
         fv.sentence AS sentence, c.legal_basis AS legal_basis, c.params AS params, fv.evidence AS evidence
    FROM evaluated_days d
    JOIN finding_versions fv ON fv.valid_from <= d.as_of AND (fv.valid_to IS NULL OR fv.valid_to > d.as_of)
    JOIN citations c ON c.id = fv.citation_id;--> statement-breakpoint
CREATE VIEW "project_assessments" AS
  SELECT d.as_of AS as_of, o.project_id AS project_id, o.arrears_fen AS arrears_fen, o.workers_in_arrears AS workers_in_arrears,
         CASE WHEN o.oldest_due_date IS NULL OR o.arrears_fen = 0 THEN 0 ELSE GREATEST(0, d.as_of - o.oldest_due_date) END AS oldest_overdue_days,
         o.estimated_exposure_fen AS estimated_exposure_fen, o.risk_score AS risk_score,
         COALESCE(o.assessment #> '{risk,terms}', '[]'::jsonb) AS risk_terms,
         COALESCE(o.assessment -> 'deposit', 'null'::jsonb) AS deposit
    FROM evaluated_days d
    JOIN project_outcomes o ON o.valid_from <= d.as_of AND (o.valid_to IS NULL OR o.valid_to > d.as_of)
   WHERE o.problem IS NULL;--> statement-breakpoint
CREATE VIEW "recompute_runs" AS
  SELECT as_of, computed_at, project_count, finding_count FROM evaluated_days;
