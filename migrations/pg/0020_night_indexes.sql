DROP INDEX "payroll_worker_month";--> statement-breakpoint
CREATE INDEX "finding_versions_counts" ON "finding_versions" USING btree ("county","code","severity","amount_fen") WHERE valid_to IS NULL;--> statement-breakpoint
CREATE INDEX "payroll_worker_month" ON "payroll_rows" USING btree ("id_number","month","project_id","superseded_by");