CREATE TABLE `citations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hash` text NOT NULL,
	`legal_basis` text NOT NULL,
	`params` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `citations_hash` ON `citations` (`hash`);--> statement-breakpoint
CREATE TABLE `current_flag_counts` (
	`county` text NOT NULL,
	`code` text NOT NULL,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`county`, `code`, `severity`, `status`)
);
--> statement-breakpoint
CREATE TABLE `daily_flag_counts` (
	`as_of` text NOT NULL,
	`county` text NOT NULL,
	`code` text NOT NULL,
	`n` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	PRIMARY KEY(`as_of`, `county`, `code`)
);
--> statement-breakpoint
CREATE TABLE `evaluated_days` (
	`as_of` text PRIMARY KEY NOT NULL,
	`computed_at` text NOT NULL,
	`mode` text NOT NULL,
	`project_count` integer NOT NULL,
	`evaluated_count` integer NOT NULL,
	`changed_count` integer NOT NULL,
	`finding_count` integer NOT NULL,
	`params_version` text NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `fact_snapshots` (
	`project_id` integer PRIMARY KEY NOT NULL,
	`facts_version` integer NOT NULL,
	`format` integer NOT NULL,
	`facts` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `finding_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`code` text NOT NULL,
	`severity` text NOT NULL,
	`project_code` text NOT NULL,
	`county` text NOT NULL,
	`risk_score` integer NOT NULL,
	`severity_rank` integer NOT NULL,
	`id_number` text,
	`month` text,
	`employer_uscc` text,
	`amount_fen` integer,
	`due_date` text,
	`sentence` text NOT NULL,
	`citation_id` integer NOT NULL,
	`evidence` text NOT NULL,
	`content_hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finding_versions_key` ON `finding_versions` (`project_id`,`fingerprint`,`valid_from`);--> statement-breakpoint
CREATE INDEX `finding_versions_project` ON `finding_versions` (`project_id`,`valid_to`);--> statement-breakpoint
CREATE INDEX `finding_versions_fingerprint` ON `finding_versions` (`fingerprint`);--> statement-breakpoint
CREATE INDEX `finding_versions_from` ON `finding_versions` (`valid_from`);--> statement-breakpoint
CREATE INDEX `finding_versions_to` ON `finding_versions` (`valid_to`);--> statement-breakpoint
CREATE INDEX `finding_versions_queue` ON `finding_versions` (`risk_score`,`project_code`,`month`,`id_number`,`code`,`id`) WHERE valid_to IS NULL;--> statement-breakpoint
CREATE INDEX `finding_versions_worker` ON `finding_versions` (`id_number`) WHERE valid_to IS NULL;--> statement-breakpoint
CREATE TABLE `night_chunks` (
	`as_of` text NOT NULL,
	`chunk_no` integer NOT NULL,
	`project_ids` text NOT NULL,
	`status` text NOT NULL,
	`worker` text,
	`done_at` text,
	PRIMARY KEY(`as_of`, `chunk_no`)
);
--> statement-breakpoint
CREATE TABLE `night_results` (
	`as_of` text NOT NULL,
	`project_id` integer NOT NULL,
	`chunk_no` integer NOT NULL,
	`result` text NOT NULL,
	PRIMARY KEY(`as_of`, `project_id`)
);
--> statement-breakpoint
CREATE TABLE `project_outcomes` (
	`project_id` integer NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`risk_score` integer NOT NULL,
	`arrears_fen` integer NOT NULL,
	`workers_in_arrears` integer NOT NULL,
	`oldest_due_date` text,
	`estimated_exposure_fen` integer NOT NULL,
	`finding_count` integer NOT NULL,
	`assessment` text NOT NULL,
	`report_part` text NOT NULL,
	`problem` text,
	`content_hash` text NOT NULL,
	PRIMARY KEY(`project_id`, `valid_from`)
);
--> statement-breakpoint
CREATE INDEX `project_outcomes_valid_to` ON `project_outcomes` (`valid_to`);--> statement-breakpoint
CREATE TABLE `project_states` (
	`project_id` integer PRIMARY KEY NOT NULL,
	`project_code` text NOT NULL,
	`county` text NOT NULL,
	`evaluated_on` text NOT NULL,
	`facts_version` integer NOT NULL,
	`params_version` text NOT NULL,
	`next_change` text,
	`result_hash` text NOT NULL,
	`risk_score` integer NOT NULL,
	`arrears_fen` integer NOT NULL,
	`workers_in_arrears` integer NOT NULL,
	`oldest_due_date` text,
	`estimated_exposure_fen` integer NOT NULL,
	`finding_count` integer NOT NULL,
	`assessment` text NOT NULL,
	`report_part` text NOT NULL,
	`ledger` text,
	`problem` text
);
--> statement-breakpoint
CREATE INDEX `project_states_next_change` ON `project_states` (`next_change`);--> statement-breakpoint
CREATE INDEX `project_states_risk` ON `project_states` (`risk_score`,`project_code`);--> statement-breakpoint
CREATE TABLE `project_versions` (
	`project_id` integer PRIMARY KEY NOT NULL,
	`facts_version` integer NOT NULL
);
