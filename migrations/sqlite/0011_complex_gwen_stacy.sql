ALTER TABLE `account_transactions` ADD `original_bank_ref` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `returned_on` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `return_reason` text;