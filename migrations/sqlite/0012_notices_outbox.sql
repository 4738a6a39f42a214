CREATE TABLE `inspector_contacts` (
	`name` text PRIMARY KEY NOT NULL,
	`email` text,
	`phone` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text NOT NULL,
	`recipient_role` text NOT NULL,
	`recipient_name` text,
	`channel` text NOT NULL,
	`address` text NOT NULL,
	`template` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`project_id` integer,
	`order_id` integer,
	`case_id` integer,
	`warning_ref` text,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error` text,
	`sent_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_dedupe` ON `notices` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `notices_due` ON `notices` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notices_project` ON `notices` (`project_id`,`id`);--> statement-breakpoint
ALTER TABLE `projects` ADD `labor_officer_name` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `labor_officer_phone` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `labor_officer_email` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `project_manager_name` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `project_manager_phone` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `project_manager_email` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `owner_contact_name` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `owner_contact_phone` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `owner_contact_email` text;