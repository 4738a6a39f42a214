CREATE TABLE `account_transactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`tx_date` text NOT NULL,
	`direction` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`purpose` text NOT NULL,
	`counterparty` text,
	`bank_ref` text NOT NULL,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_tx_key` ON `account_transactions` (`project_id`,`bank_ref`) WHERE superseded_by IS NULL;--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`expires_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`reason` text,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `deposit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`event` text NOT NULL,
	`form` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`date` text NOT NULL,
	`expires_on` text,
	`voucher_no` text NOT NULL,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deposit_key` ON `deposit_events` (`project_id`,`voucher_no`) WHERE superseded_by IS NULL;--> statement-breakpoint
CREATE TABLE `employers` (
	`uscc` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`legal_representative` text
);
--> statement-breakpoint
CREATE TABLE `findings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`as_of` text NOT NULL,
	`fingerprint` text NOT NULL,
	`code` text NOT NULL,
	`severity` text NOT NULL,
	`project_id` integer NOT NULL,
	`id_number` text,
	`month` text,
	`amount_fen` integer,
	`sentence` text NOT NULL,
	`legal_basis` text NOT NULL,
	`params` text DEFAULT '[]' NOT NULL,
	`evidence` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `findings_as_of_fingerprint` ON `findings` (`as_of`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `findings_as_of_project` ON `findings` (`as_of`,`project_id`);--> statement-breakpoint
CREATE TABLE `flag_reviews` (
	`fingerprint` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`actor` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `import_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`actor` text NOT NULL,
	`imported_at` text NOT NULL,
	`encoding` text NOT NULL,
	`row_count` integer NOT NULL,
	`inserted` integer NOT NULL,
	`replaced` integer NOT NULL,
	`replaced_detail` text DEFAULT '[]' NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_batches_kind_sha` ON `import_batches` (`kind`,`sha256`);--> statement-breakpoint
CREATE TABLE `job_locks` (
	`name` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`acquired_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`as_of` text NOT NULL,
	`attempt` integer NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`status` text NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_as_of` ON `job_runs` (`job`,`as_of`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`month` text NOT NULL,
	`id_number` text NOT NULL,
	`payee_name` text NOT NULL,
	`payee_card` text,
	`amount_fen` integer NOT NULL,
	`paid_on` text NOT NULL,
	`channel` text NOT NULL,
	`bank_ref` text,
	`natural_key` text NOT NULL,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_key` ON `payments` (`project_id`,`natural_key`) WHERE superseded_by IS NULL;--> statement-breakpoint
CREATE INDEX `payments_project_month` ON `payments` (`project_id`,`month`,`id_number`);--> statement-breakpoint
CREATE TABLE `payroll_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`month` text NOT NULL,
	`id_number` text NOT NULL,
	`name` text NOT NULL,
	`days_worked_centi` integer NOT NULL,
	`gross_fen` integer NOT NULL,
	`deductions_fen` integer NOT NULL,
	`net_fen` integer NOT NULL,
	`worker_confirmed` integer NOT NULL,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payroll_key` ON `payroll_rows` (`project_id`,`month`,`id_number`) WHERE superseded_by IS NULL;--> statement-breakpoint
CREATE INDEX `payroll_worker_month` ON `payroll_rows` (`id_number`,`month`);--> statement-breakpoint
CREATE TABLE `project_assessments` (
	`as_of` text NOT NULL,
	`project_id` integer NOT NULL,
	`arrears_fen` integer NOT NULL,
	`workers_in_arrears` integer NOT NULL,
	`oldest_overdue_days` integer NOT NULL,
	`estimated_exposure_fen` integer NOT NULL,
	`risk_score` integer NOT NULL,
	`risk_terms` text DEFAULT '[]' NOT NULL,
	`deposit` text DEFAULT 'null' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_assessments_key` ON `project_assessments` (`as_of`,`project_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`county` text NOT NULL,
	`owner_uscc` text NOT NULL,
	`contractor_uscc` text NOT NULL,
	`contract_amount_fen` integer NOT NULL,
	`contract_signed_on` text NOT NULL,
	`start_date` text NOT NULL,
	`planned_end_date` text,
	`completion_date` text,
	`government_funded` integer NOT NULL,
	`wage_account_no` text,
	`wage_account_bank` text,
	`wage_account_opened_on` text,
	`pay_day` integer NOT NULL,
	`monthly_labor_cost_fen` integer,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_code` ON `projects` (`code`);--> statement-breakpoint
CREATE INDEX `projects_county` ON `projects` (`county`);--> statement-breakpoint
CREATE TABLE `recompute_runs` (
	`as_of` text PRIMARY KEY NOT NULL,
	`computed_at` text NOT NULL,
	`project_count` integer NOT NULL,
	`finding_count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`as_of` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`json` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `roster_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`id_number` text NOT NULL,
	`name` text NOT NULL,
	`employer_uscc` text NOT NULL,
	`team` text,
	`trade` text,
	`entry_date` text NOT NULL,
	`exit_date` text,
	`contract_signed` integer NOT NULL,
	`wage_basis` text NOT NULL,
	`wage_rate_fen` integer,
	`bank_card` text NOT NULL,
	`bank_name` text,
	`phone` text,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roster_key` ON `roster_entries` (`project_id`,`id_number`,`entry_date`) WHERE superseded_by IS NULL;--> statement-breakpoint
CREATE INDEX `roster_worker` ON `roster_entries` (`id_number`);--> statement-breakpoint
CREATE TABLE `workers` (
	`id_number` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
