ALTER TABLE "projects" ADD COLUMN "payment_guarantee" boolean;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "rights_notice_board" boolean;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "labor_officer" boolean;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "unpaid_contract_fen" bigint;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "unpaid_contract_on" date;