CREATE TABLE `etcd_backup_schedules` (
	`cluster_id` integer PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`every_minutes` integer NOT NULL,
	`keep_last` integer NOT NULL,
	`max_age_days` integer NOT NULL,
	`last_started_at` integer,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `etcd_backups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cluster_id` integer NOT NULL,
	`run_id` integer,
	`file` text NOT NULL,
	`sha256` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`revision` integer NOT NULL,
	`total_keys` integer NOT NULL,
	`member` text NOT NULL,
	`members` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `etcd_backups_cluster_idx` ON `etcd_backups` (`cluster_id`,`id`);