-- crmkit sync state, version 3: lease fencing and one open conflict per record.
-- generation: the lease's fencing token, raised each time another owner takes the lease; a fenced
-- checkpoint stores nothing unless its owner still holds the lease at the generation it acquired.
ALTER TABLE crm_sync_leases ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;

-- open_local_id: the local id while the conflict is OPEN, NULL once resolved; unique, so a record has
-- at most one open conflict (NULLs never clash).
ALTER TABLE crm_sync_conflicts ADD COLUMN open_local_id VARCHAR(255);
CREATE UNIQUE INDEX crm_sync_conflicts_open ON crm_sync_conflicts (tenant_id, integration, open_local_id);
