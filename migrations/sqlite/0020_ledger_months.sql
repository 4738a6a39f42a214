CREATE TABLE `ledger_months` (
	`project_id` integer NOT NULL,
	`month` text NOT NULL,
	`lines` text NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`project_id`, `month`)
);
--> statement-breakpoint
ALTER TABLE `project_states` ADD `ledger_hash` text;--> statement-breakpoint
-- the whole-project ledger documents are not converted (emptied: the column stays, unused): every project is evaluated again by the next night (its
-- next change day set to its evaluation's, its result digest cleared), which writes its ledger months; until
-- then readers find no stored ledger (ledger_hash NULL) and evaluate the project's facts, as for a project never evaluated
UPDATE project_states SET next_change = evaluated_on, result_hash = '', ledger = NULL;
