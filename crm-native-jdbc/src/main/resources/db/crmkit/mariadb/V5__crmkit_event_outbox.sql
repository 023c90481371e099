-- crmkit event actions, version 5: the outbox of host events (dev.crmkit.jdbc.JdbcEventOutbox).
-- One row per tenant and event id: a second append of an event id inserts nothing, which makes a
-- redelivered event a no-op. status: PENDING (due at next_attempt_at), IN_PROGRESS (claimed by
-- locked_by until locked_until; claimable again after that, when its worker died), DONE, PARKED.
-- Times are epoch milliseconds. payload is the event as dev.crmkit.actions.HostEventCodec wrote it.
CREATE TABLE crm_event_outbox (
  tenant_id       VARCHAR(128) NOT NULL,
  event_id        VARCHAR(200) NOT NULL,
  event_type      VARCHAR(32)  NOT NULL,
  payload         LONGTEXT NOT NULL,
  status          VARCHAR(12)  NOT NULL,
  attempts        INTEGER      NOT NULL,
  next_attempt_at BIGINT,
  locked_by       VARCHAR(100),
  locked_until    BIGINT,
  last_error      TEXT,
  outcome         TEXT,
  created_at      BIGINT       NOT NULL,
  updated_at      BIGINT       NOT NULL,
  done_at         BIGINT,
  PRIMARY KEY (tenant_id, event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${crmkit_nopad_collation};

-- The claim query's two paths: due pending events, and leases that ended.
CREATE INDEX crm_event_outbox_due ON crm_event_outbox (status, next_attempt_at);
CREATE INDEX crm_event_outbox_leases ON crm_event_outbox (status, locked_until);
-- A tenant's parked events, oldest first, and its counts by status.
CREATE INDEX crm_event_outbox_tenant ON crm_event_outbox (tenant_id, status, created_at);
