-- crmkit sync state, schema version 2: what dev.crmkit.jdbc.JdbcSyncStore keeps per tenant
-- integration. Times are epoch milliseconds (UTC). Every key starts with tenant_id, integration.
-- Map- and list-valued columns hold a length-prefixed text encoding (dev.crmkit.sync.spi.TextCodec).

CREATE TABLE crm_sync_mappings (
  tenant_id        VARCHAR(128) NOT NULL,
  integration      VARCHAR(64)  NOT NULL,
  local_id         VARCHAR(255) NOT NULL,
  external_id      VARCHAR(255) NOT NULL,
  snapshot_fields  VARCHAR(1000000),
  snapshot_at      BIGINT,
  snapshot_version VARCHAR(255),
  PRIMARY KEY (tenant_id, integration, local_id)
);

CREATE UNIQUE INDEX crm_sync_mappings_external ON crm_sync_mappings (tenant_id, integration, external_id);

CREATE TABLE crm_sync_cursors (
  tenant_id    VARCHAR(128) NOT NULL,
  integration  VARCHAR(64)  NOT NULL,
  direction    VARCHAR(8)   NOT NULL,
  cursor_value VARCHAR(1000000) NOT NULL,
  updated_at   BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, integration, direction)
);

CREATE TABLE crm_sync_leases (
  tenant_id   VARCHAR(128) NOT NULL,
  integration VARCHAR(64)  NOT NULL,
  owner       VARCHAR(255) NOT NULL,
  acquired_at BIGINT       NOT NULL,
  expires_at  BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, integration)
);

CREATE TABLE crm_sync_runs (
  tenant_id   VARCHAR(128) NOT NULL,
  integration VARCHAR(64)  NOT NULL,
  id          VARCHAR(36)  NOT NULL,
  kind        VARCHAR(64)  NOT NULL,
  status      VARCHAR(16)  NOT NULL,
  started_at  BIGINT       NOT NULL,
  finished_at BIGINT,
  processed   INTEGER      NOT NULL,
  created     INTEGER      NOT NULL,
  updated     INTEGER      NOT NULL,
  deleted     INTEGER      NOT NULL,
  skipped     INTEGER      NOT NULL,
  conflicts   INTEGER      NOT NULL,
  failed      INTEGER      NOT NULL,
  PRIMARY KEY (tenant_id, integration, id)
);

CREATE INDEX crm_sync_runs_started ON crm_sync_runs (tenant_id, integration, started_at, id);

CREATE TABLE crm_sync_record_errors (
  tenant_id   VARCHAR(128) NOT NULL,
  integration VARCHAR(64)  NOT NULL,
  run_id      VARCHAR(36)  NOT NULL,
  id          VARCHAR(36)  NOT NULL,
  record_id   VARCHAR(255) NOT NULL,
  side        VARCHAR(8)   NOT NULL,
  error_type  VARCHAR(255) NOT NULL,
  message     VARCHAR(1000000) NOT NULL,
  PRIMARY KEY (tenant_id, integration, run_id, id)
);

CREATE TABLE crm_sync_conflicts (
  tenant_id     VARCHAR(128) NOT NULL,
  integration   VARCHAR(64)  NOT NULL,
  id            VARCHAR(36)  NOT NULL,
  local_id      VARCHAR(255) NOT NULL,
  external_id   VARCHAR(255) NOT NULL,
  fields        VARCHAR(1000000) NOT NULL,
  strategy      VARCHAR(64)  NOT NULL,
  detected_at   BIGINT       NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  choice        VARCHAR(8),
  merged_values VARCHAR(1000000),
  resolved_by   VARCHAR(255),
  resolved_at   BIGINT,
  PRIMARY KEY (tenant_id, integration, id)
);

CREATE INDEX crm_sync_conflicts_status ON crm_sync_conflicts (tenant_id, integration, status, detected_at, id);

CREATE TABLE crm_sync_inbox (
  tenant_id      VARCHAR(128) NOT NULL,
  integration    VARCHAR(64)  NOT NULL,
  event_id       VARCHAR(255) NOT NULL,
  arrival_id     VARCHAR(36)  NOT NULL,
  vendor         VARCHAR(64)  NOT NULL,
  event_type     VARCHAR(32)  NOT NULL,
  raw_type       VARCHAR(255) NOT NULL,
  object_type    VARCHAR(255),
  object_id      VARCHAR(255),
  occurred_at    BIGINT,
  order_at       BIGINT       NOT NULL,
  property_name  VARCHAR(255),
  property_value VARCHAR(1000000),
  merged_ids     VARCHAR(1000000) NOT NULL,
  attempt_number INTEGER      NOT NULL,
  attributes     VARCHAR(1000000) NOT NULL,
  status         VARCHAR(8)   NOT NULL,
  attempts       INTEGER      NOT NULL,
  last_error     VARCHAR(1000000),
  received_at    BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, integration, event_id)
);

CREATE INDEX crm_sync_inbox_queue ON crm_sync_inbox (tenant_id, integration, status, order_at, arrival_id);
