CREATE TABLE `arrears_incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`employer_uscc` text NOT NULL,
	`project_id` integer,
	`kind` text NOT NULL,
	`occurred_on` text NOT NULL,
	`description` text NOT NULL,
	`actor` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `blacklist_listings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uscc` text NOT NULL,
	`name` text NOT NULL,
	`order_id` integer,
	`incident_id` integer,
	`criterion` text NOT NULL,
	`order_deadline` text NOT NULL,
	`status` text NOT NULL,
	`persons` text DEFAULT '[]' NOT NULL,
	`complex` integer DEFAULT false NOT NULL,
	`noticed_on` text,
	`statement_on` text,
	`objection` integer DEFAULT false NOT NULL,
	`corrected_on` text,
	`pledge_on` text,
	`decided_on` text,
	`decision` text,
	`published_on` text,
	`removal_applied_on` text,
	`removal_decided_on` text,
	`removed_on` text,
	`defaulted_again` integer DEFAULT false NOT NULL,
	`criminal_case` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `blacklist_listings_uscc` ON `blacklist_listings` (`uscc`);--> statement-breakpoint
CREATE TABLE `blacklist_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`listing_id` integer NOT NULL,
	`step` text NOT NULL,
	`on` text NOT NULL,
	`actor` text NOT NULL,
	`reason` text NOT NULL,
	`at` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `blacklist_steps_listing` ON `blacklist_steps` (`listing_id`);--> statement-breakpoint
CREATE INDEX `blacklist_steps_on` ON `blacklist_steps` (`on`);--> statement-breakpoint
CREATE TABLE `inspection_order_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` integer NOT NULL,
	`project_id` integer NOT NULL,
	`id_number` text NOT NULL,
	`month` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`fingerprint` text,
	`finding_id` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inspection_order_items_key` ON `inspection_order_items` (`order_id`,`project_id`,`id_number`,`month`);--> statement-breakpoint
CREATE TABLE `inspection_orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`employer_uscc` text NOT NULL,
	`issued_on` text NOT NULL,
	`deadline` text NOT NULL,
	`case_id` integer,
	`ordered_fen` integer NOT NULL,
	`actor` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` text NOT NULL,
	`withdrawn_at` text
);
--> statement-breakpoint
CREATE INDEX `inspection_orders_deadline` ON `inspection_orders` (`deadline`);--> statement-breakpoint
CREATE INDEX `inspection_orders_employer` ON `inspection_orders` (`employer_uscc`);--> statement-breakpoint
CREATE TABLE `wage_case_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`kind` text NOT NULL,
	`on` text NOT NULL,
	`from_stage` text,
	`to_stage` text,
	`amount_fen` integer,
	`id_number` text,
	`bank_ref` text,
	`actor` text NOT NULL,
	`reason` text NOT NULL,
	`at` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wage_case_events_case` ON `wage_case_events` (`case_id`);--> statement-breakpoint
CREATE TABLE `wage_case_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`project_id` integer NOT NULL,
	`id_number` text NOT NULL,
	`month` text NOT NULL,
	`claimed_fen` integer NOT NULL,
	`fingerprint` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wage_case_items_key` ON `wage_case_items` (`case_id`,`project_id`,`id_number`,`month`);--> statement-breakpoint
CREATE TABLE `wage_cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`employer_uscc` text NOT NULL,
	`project_id` integer NOT NULL,
	`title` text NOT NULL,
	`stage` text NOT NULL,
	`stage_since` text NOT NULL,
	`accepted_on` text,
	`final_award` integer,
	`procedure` text,
	`circumstances` text DEFAULT '{}' NOT NULL,
	`routing` text DEFAULT 'null' NOT NULL,
	`claimed_fen` integer NOT NULL,
	`agreed_fen` integer,
	`paid_fen` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`filed_on` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wage_cases_stage` ON `wage_cases` (`stage`);--> statement-breakpoint
CREATE INDEX `wage_cases_employer` ON `wage_cases` (`employer_uscc`);