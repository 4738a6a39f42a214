CREATE TABLE `warning_rectifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`warning_key` text NOT NULL,
	`project_id` integer NOT NULL,
	`problem` text NOT NULL,
	`status` text NOT NULL,
	`assignee` text NOT NULL,
	`assigned_on` text NOT NULL,
	`working_days` integer NOT NULL,
	`deadline` text NOT NULL,
	`closed_on` text,
	`close_reason` text,
	`close_evidence` text,
	`closed_by` text,
	`reopened_on` text,
	`reopen_count` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `warning_rectifications_key` ON `warning_rectifications` (`warning_key`);--> statement-breakpoint
CREATE INDEX `warning_rectifications_project` ON `warning_rectifications` (`project_id`,`status`);--> statement-breakpoint
CREATE TABLE `warning_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rectification_id` integer NOT NULL,
	`step` text NOT NULL,
	`on` text NOT NULL,
	`actor` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `warning_steps_rectification` ON `warning_steps` (`rectification_id`);