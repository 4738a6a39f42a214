DROP TABLE `current_flag_counts`;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_daily_flag_counts` (
	`as_of` text NOT NULL,
	`county` text NOT NULL,
	`code` text NOT NULL,
	`severity` text NOT NULL,
	`n` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	PRIMARY KEY(`as_of`, `county`, `code`, `severity`)
);
--> statement-breakpoint
DROP TABLE `daily_flag_counts`;--> statement-breakpoint
ALTER TABLE `__new_daily_flag_counts` RENAME TO `daily_flag_counts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;