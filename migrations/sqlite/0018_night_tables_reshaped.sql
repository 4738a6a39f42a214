DROP TABLE `night_chunks`;--> statement-breakpoint
DROP TABLE `night_results`;