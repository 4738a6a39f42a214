CREATE TABLE `care_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id_number` text NOT NULL,
	`name` text NOT NULL,
	`project_id` integer,
	`kind` text NOT NULL,
	`member_name` text,
	`relation` text,
	`status` text NOT NULL,
	`office` text NOT NULL,
	`opened_on` text NOT NULL,
	`closed_on` text,
	`case_ref` text,
	`note` text,
	`natural_key` text NOT NULL,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`created_by` text,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `care_key` ON `care_records` (`natural_key`) WHERE superseded_by IS NULL;--> statement-breakpoint
CREATE INDEX `care_worker` ON `care_records` (`id_number`);--> statement-breakpoint
CREATE TABLE `housing_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id_number` text NOT NULL,
	`name` text NOT NULL,
	`project_id` integer,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`applied_on` text NOT NULL,
	`decided_on` text,
	`address` text,
	`amount_fen` integer,
	`household_size` integer,
	`no_local_housing` integer,
	`years_in_city` integer,
	`honours` text,
	`office` text,
	`natural_key` text NOT NULL,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`created_by` text,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `housing_key` ON `housing_records` (`natural_key`) WHERE superseded_by IS NULL;--> statement-breakpoint
CREATE INDEX `housing_worker` ON `housing_records` (`id_number`);--> statement-breakpoint
CREATE TABLE `insurance_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id_number` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`insured_where` text NOT NULL,
	`insured_by` text,
	`insured_by_uscc` text,
	`from_date` text NOT NULL,
	`to_date` text,
	`project_based` integer NOT NULL,
	`project_id` integer,
	`natural_key` text NOT NULL,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`created_by` text,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `insurance_key` ON `insurance_records` (`natural_key`) WHERE superseded_by IS NULL;--> statement-breakpoint
CREATE INDEX `insurance_worker` ON `insurance_records` (`id_number`);--> statement-breakpoint
CREATE INDEX `insurance_project` ON `insurance_records` (`project_id`);--> statement-breakpoint
CREATE TABLE `training_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id_number` text NOT NULL,
	`name` text NOT NULL,
	`project_id` integer,
	`course` text NOT NULL,
	`training_type` text NOT NULL,
	`provider` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`result` text,
	`certificate_kind` text,
	`certificate_no` text,
	`certificate_trade` text,
	`subsidy_fen` integer,
	`subsidy_status` text,
	`natural_key` text NOT NULL,
	`batch_id` integer NOT NULL,
	`line` integer NOT NULL,
	`created_by` text,
	`superseded_by` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `training_key` ON `training_records` (`natural_key`) WHERE superseded_by IS NULL;--> statement-breakpoint
CREATE INDEX `training_worker` ON `training_records` (`id_number`);