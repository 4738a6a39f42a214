ALTER TABLE `projects` ADD `payment_guarantee` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `rights_notice_board` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `labor_officer` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `unpaid_contract_fen` integer;--> statement-breakpoint
ALTER TABLE `projects` ADD `unpaid_contract_on` text;