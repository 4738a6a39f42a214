DROP TABLE "night_chunks" CASCADE;--> statement-breakpoint
DROP TABLE "night_results" CASCADE;