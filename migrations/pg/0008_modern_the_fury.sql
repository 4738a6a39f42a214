ALTER TABLE "account_transactions" ADD COLUMN "original_bank_ref" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "returned_on" date;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "return_reason" text;