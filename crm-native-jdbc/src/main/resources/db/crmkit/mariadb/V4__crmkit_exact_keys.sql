-- crmkit native store, version 4: every key compares exactly, as on H2, SQLite and PostgreSQL.
-- utf8mb4_bin is PAD SPACE: it compares 'acme' equal to 'acme ', so tenant "acme " read tenant "acme"'s
-- rows and message id "SM-9 " was a duplicate of "SM-9". A binary NO PAD collation compares code points
-- with no padding, no case folding and no Unicode normalization. ${crmkit_nopad_collation} is set by
-- dev.crmkit.jdbc.NativeSchema: utf8mb4_nopad_bin on MariaDB (10.2 and later), utf8mb4_0900_bin on
-- MySQL 8.0 and later; a host running this script with its own tool sets it to one of them.
-- Whole tables convert, so every text column and every column a later migration adds is NO PAD too.
-- NO PAD only tells apart values PAD SPACE took as equal, so no unique index can fail here.
ALTER TABLE crm_customers CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_customer_tags CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_customer_fields CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_notes CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_activities CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_activity_metadata CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_orders CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_change_counters CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_merged_ids CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_sync_mappings CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_sync_cursors CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_sync_leases CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_sync_runs CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_sync_record_errors CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_sync_conflicts CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
ALTER TABLE crm_sync_inbox CONVERT TO CHARACTER SET utf8mb4 COLLATE ${crmkit_nopad_collation};
