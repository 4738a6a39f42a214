CREATE TABLE `night_chunks` (
	`night_id` integer NOT NULL,
	`chunk_no` integer NOT NULL,
	`project_ids` text NOT NULL,
	`planned_versions` text NOT NULL,
	`status` text NOT NULL,
	`worker` text,
	`done_at` text,
	`evaluated` integer,
	`problems` text,
	PRIMARY KEY(`night_id`, `chunk_no`)
);
--> statement-breakpoint
CREATE TABLE `night_results` (
	`night_id` integer NOT NULL,
	`chunk_no` integer NOT NULL,
	`results` text NOT NULL,
	PRIMARY KEY(`night_id`, `chunk_no`)
);
--> statement-breakpoint
CREATE TABLE `nights` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`as_of` text NOT NULL,
	`mode` text NOT NULL,
	`past` integer NOT NULL,
	`params_version` text NOT NULL,
	`plan_key` text NOT NULL,
	`status` text NOT NULL,
	`project_count` integer NOT NULL,
	`chunk_count` integer NOT NULL,
	`removed` text NOT NULL,
	`planned_at` text NOT NULL,
	`applied_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `nights_one_open` ON `nights` (`status`) WHERE status = 'open';