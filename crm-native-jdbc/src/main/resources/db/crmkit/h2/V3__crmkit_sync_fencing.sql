-- crmkit sync state, version 3: lease fencing.
-- generation: the lease's fencing token, raised each time another owner takes the lease; a fenced
-- checkpoint stores nothing unless its owner still holds the lease at the generation it acquired.
ALTER TABLE crm_sync_leases ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
