CREATE TABLE `portal_confirmations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`month` text NOT NULL,
	`batch_id` integer NOT NULL,
	`submission_id` integer,
	`file_id` integer NOT NULL,
	`uscc` text NOT NULL,
	`token_id` integer NOT NULL,
	`submitter` text NOT NULL,
	`attached_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `portal_confirmations_month` ON `portal_confirmations` (`project_id`,`month`);--> statement-breakpoint
CREATE INDEX `portal_confirmations_batch` ON `portal_confirmations` (`batch_id`);--> statement-breakpoint
CREATE TABLE `portal_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uploaded_at` text NOT NULL,
	`token_id` integer NOT NULL,
	`submitter` text NOT NULL,
	`uscc` text NOT NULL,
	`project_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`response_id` integer,
	`file_name` text NOT NULL,
	`media_type` text NOT NULL,
	`byte_size` integer NOT NULL,
	`sha256` text NOT NULL,
	`content` blob NOT NULL
);
--> statement-breakpoint
CREATE INDEX `portal_files_response` ON `portal_files` (`response_id`);--> statement-breakpoint
CREATE INDEX `portal_files_unit` ON `portal_files` (`uscc`,`uploaded_at`);--> statement-breakpoint
CREATE TABLE `warning_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`warning_key` text NOT NULL,
	`rectification_id` integer NOT NULL,
	`project_id` integer NOT NULL,
	`uscc` text NOT NULL,
	`token_id` integer NOT NULL,
	`submitter` text NOT NULL,
	`action` text NOT NULL,
	`body` text NOT NULL,
	`responded_on` text NOT NULL,
	`responded_at` text NOT NULL,
	`status` text NOT NULL,
	`reviewed_by` text,
	`reviewed_at` text,
	`review_reason` text
);
--> statement-breakpoint
CREATE INDEX `warning_responses_key` ON `warning_responses` (`warning_key`,`id`);--> statement-breakpoint
CREATE INDEX `warning_responses_unit` ON `warning_responses` (`uscc`,`id`);