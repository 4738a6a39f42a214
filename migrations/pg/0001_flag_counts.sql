ALTER TABLE "current_flag_counts" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "current_flag_counts" CASCADE;--> statement-breakpoint
ALTER TABLE "daily_flag_counts" ADD COLUMN "severity" text NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_flag_counts" DROP CONSTRAINT "daily_flag_counts_pk";
--> statement-breakpoint
ALTER TABLE "daily_flag_counts" ADD CONSTRAINT "daily_flag_counts_pk" PRIMARY KEY("as_of","county","code","severity");