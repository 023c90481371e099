-- crmkit native store, version 4: deals, and idempotency keys on notes.
-- A deal belongs to one customer of one tenant. amount and currency are both set or both NULL; the
-- amount is exact (text: SQLite would round a NUMERIC to a double). pipeline_id and stage_id are the
-- tenant's pipeline and stage ids (setting dealPipelines); status is OPEN, WON or LOST, as the stage
-- said when it was written. expected_close_date is an epoch day (days since 1970-01-01). Times are epoch
-- milliseconds (UTC). idempotency_key is unique per tenant (NULLs never clash): a create with a key the
-- tenant used already finds the earlier deal.

CREATE TABLE crm_deals (
  tenant_id           VARCHAR(128) NOT NULL,
  id                  VARCHAR(36)  NOT NULL,
  customer_id         VARCHAR(36)  NOT NULL,
  title               VARCHAR(255) NOT NULL,
  amount              TEXT,
  currency            VARCHAR(3),
  pipeline_id         VARCHAR(255) NOT NULL,
  stage_id            VARCHAR(255) NOT NULL,
  status              VARCHAR(8)   NOT NULL,
  expected_close_date INTEGER,
  owner               VARCHAR(255),
  idempotency_key     VARCHAR(200),
  created_at          BIGINT       NOT NULL,
  updated_at          BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX crm_deals_customer ON crm_deals (tenant_id, customer_id, created_at, id);
CREATE UNIQUE INDEX crm_deals_idempotency_key ON crm_deals (tenant_id, idempotency_key);

-- A deal's custom fields, stored as a customer's are (crm_customer_fields).
CREATE TABLE crm_deal_fields (
  tenant_id   VARCHAR(128) NOT NULL,
  deal_id     VARCHAR(36)  NOT NULL,
  name        VARCHAR(64)  NOT NULL,
  field_value TEXT NOT NULL,
  PRIMARY KEY (tenant_id, deal_id, name)
);

-- A note added with an idempotency key is written once per tenant and key, as activities are.
ALTER TABLE crm_notes ADD COLUMN idempotency_key VARCHAR(200);
CREATE UNIQUE INDEX crm_notes_idempotency_key ON crm_notes (tenant_id, idempotency_key);
