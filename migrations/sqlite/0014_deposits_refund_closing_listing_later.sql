ALTER TABLE `deposit_events` ADD `notice_on` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `wage_account_closed_on` text;--> statement-breakpoint
ALTER TABLE `projects` ADD `wage_account_notice_on` text;--> statement-breakpoint
ALTER TABLE `blacklist_listings` ADD `restored_on` text;--> statement-breakpoint
ALTER TABLE `blacklist_listings` ADD `revoked_on` text;--> statement-breakpoint
ALTER TABLE `blacklist_listings` ADD `revocation_ground` text;