CREATE TABLE `portal_submissions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submitted_at` text NOT NULL,
	`token_id` integer NOT NULL,
	`submitter` text NOT NULL,
	`uscc` text NOT NULL,
	`kind` text NOT NULL,
	`file_name` text NOT NULL,
	`status` text NOT NULL,
	`batch_id` integer,
	`problem_count` integer DEFAULT 0 NOT NULL,
	`problems` text DEFAULT '[]' NOT NULL,
	`project_codes` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `portal_submissions_uscc` ON `portal_submissions` (`uscc`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `portal_submissions_at` ON `portal_submissions` (`submitted_at`);--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `uscc` text;