CREATE TABLE `cluster_status` (
	`cluster_id` integer PRIMARY KEY NOT NULL,
	`run_id` integer,
	`taken_at` integer NOT NULL,
	`report` text NOT NULL,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
