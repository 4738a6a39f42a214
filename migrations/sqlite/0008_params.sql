CREATE TABLE `param_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`imported_at` text NOT NULL,
	`actor` text NOT NULL,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`content` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `param_values` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` integer NOT NULL,
	`parameter` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`value` text NOT NULL,
	`source` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `param_values_parameter` ON `param_values` (`parameter`,`valid_from`);