ALTER TABLE "blacklist_listings" ADD COLUMN "restored_on" date;--> statement-breakpoint
ALTER TABLE "blacklist_listings" ADD COLUMN "revoked_on" date;--> statement-breakpoint
ALTER TABLE "blacklist_listings" ADD COLUMN "revocation_ground" text;--> statement-breakpoint
ALTER TABLE "deposit_events" ADD COLUMN "notice_on" date;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "wage_account_closed_on" date;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "wage_account_notice_on" date;