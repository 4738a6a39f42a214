CREATE TABLE `contractor_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contractor_uscc` text NOT NULL,
	`record_type` text NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text,
	`project_name` text,
	`note` text,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE INDEX `contractor_records_uscc` ON `contractor_records` (`contractor_uscc`) WHERE superseded_by IS NULL;