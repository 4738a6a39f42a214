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
CREATE INDEX `contractor_records_uscc` ON `contractor_records` (`contractor_uscc`) WHERE superseded_by IS NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `payment_guarantee` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `rights_notice_board` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `labor_officer` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `unpaid_contract_fen` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `unpaid_contract_on` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `contractor_unqualified` integer;