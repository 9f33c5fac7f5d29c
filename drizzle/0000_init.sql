CREATE TABLE `clusters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`spec` text NOT NULL,
	`draft` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clusters_name_uq` ON `clusters` (`name`);--> statement-breakpoint
CREATE TABLE `credentials` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cluster_id` integer NOT NULL,
	`path` text NOT NULL,
	`ciphertext` blob NOT NULL,
	`key_id` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credentials_cluster_path_uq` ON `credentials` (`cluster_id`,`path`);--> statement-breakpoint
CREATE INDEX `credentials_key_idx` ON `credentials` (`key_id`);--> statement-breakpoint
CREATE TABLE `hosts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cluster_id` integer NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`port` integer DEFAULT 22 NOT NULL,
	`username` text NOT NULL,
	`host_key_fingerprint` text,
	`host_key_accepted_at` integer,
	`facts` text,
	`facts_at` integer,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hosts_cluster_name_uq` ON `hosts` (`cluster_id`,`name`);--> statement-breakpoint
CREATE TABLE `run_cells` (
	`run_id` integer NOT NULL,
	`step_id` text NOT NULL,
	`host` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`exit_code` integer,
	`error_kind` text,
	`error_message` text,
	`stderr_tail` text,
	`seq` integer NOT NULL,
	PRIMARY KEY(`run_id`, `step_id`, `host`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `run_events` (
	`run_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`ts` integer NOT NULL,
	PRIMARY KEY(`run_id`, `seq`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `run_logs` (
	`run_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`host` text,
	`step_id` text,
	`stream` text NOT NULL,
	`text` text NOT NULL,
	`ts` integer NOT NULL,
	PRIMARY KEY(`run_id`, `seq`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_logs_cell_idx` ON `run_logs` (`run_id`,`host`,`step_id`,`seq`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cluster_id` integer,
	`cluster_name` text NOT NULL,
	`pipeline` text NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`spec_snapshot` text NOT NULL,
	`plan` text,
	`options` text,
	`hosts` text NOT NULL,
	`parent_run_id` integer,
	`summary` text,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`parent_run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `runs_cluster_idx` ON `runs` (`cluster_id`,`id`);--> statement-breakpoint
CREATE INDEX `runs_status_idx` ON `runs` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `runs_pipeline_idx` ON `runs` (`pipeline`,`id`);--> statement-breakpoint
CREATE INDEX `runs_created_idx` ON `runs` (`created_at`);--> statement-breakpoint
CREATE INDEX `runs_parent_idx` ON `runs` (`parent_run_id`);