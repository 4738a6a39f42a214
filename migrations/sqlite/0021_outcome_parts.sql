CREATE TABLE `outcome_parts` (
	`hash` text PRIMARY KEY NOT NULL,
	`doc` text NOT NULL
);
