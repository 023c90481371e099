-- crmkit native store, schema version 1. Times are epoch milliseconds (UTC). Every row carries
-- tenant_id and every index starts with it: no statement reads across tenants.

CREATE TABLE crm_customers (
  tenant_id           VARCHAR(128) NOT NULL,
  id                  VARCHAR(36)  NOT NULL,
  first_name          VARCHAR(255),
  last_name           VARCHAR(255),
  email               VARCHAR(254),
  phone               VARCHAR(64),
  phone_extension     VARCHAR(64),
  company             VARCHAR(255),
  preferred_channel   VARCHAR(16),
  language            VARCHAR(64),
  segment             VARCHAR(16)  NOT NULL,
  address_line1       VARCHAR(255),
  address_line2       VARCHAR(255),
  address_city        VARCHAR(255),
  address_region      VARCHAR(255),
  address_postal_code VARCHAR(255),
  address_country     VARCHAR(255),
  opt_ins             VARCHAR(400),
  total_orders        INTEGER      NOT NULL,
  total_revenue       TEXT,
  revenue_currency    VARCHAR(3),
  last_order_at       BIGINT,
  created_at          BIGINT       NOT NULL,
  updated_at          BIGINT       NOT NULL,
  last_contact_at     BIGINT,
  deleted_at          BIGINT,
  merged_into_id      VARCHAR(36),
  email_key           VARCHAR(254),
  phone_key           VARCHAR(80),
  email_loose_key     VARCHAR(254),
  phone_loose_key     VARCHAR(80),
  name_key            VARCHAR(800),
  name_search         VARCHAR(520),
  created_seq         BIGINT       NOT NULL,
  change_seq          BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX crm_customers_email_key ON crm_customers (tenant_id, email_key);
CREATE UNIQUE INDEX crm_customers_phone_key ON crm_customers (tenant_id, phone_key);
CREATE UNIQUE INDEX crm_customers_change_seq ON crm_customers (tenant_id, change_seq);
CREATE INDEX crm_customers_email_loose ON crm_customers (tenant_id, email_loose_key);
CREATE INDEX crm_customers_phone_loose ON crm_customers (tenant_id, phone_loose_key);
CREATE INDEX crm_customers_name_key ON crm_customers (tenant_id, name_key);
CREATE INDEX crm_customers_segment ON crm_customers (tenant_id, segment, id);

CREATE TABLE crm_customer_tags (
  tenant_id   VARCHAR(128) NOT NULL,
  customer_id VARCHAR(36)  NOT NULL,
  tag         VARCHAR(100) NOT NULL,
  PRIMARY KEY (tenant_id, customer_id, tag)
);

CREATE INDEX crm_customer_tags_tag ON crm_customer_tags (tenant_id, tag, customer_id);

CREATE TABLE crm_customer_fields (
  tenant_id   VARCHAR(128) NOT NULL,
  customer_id VARCHAR(36)  NOT NULL,
  name        VARCHAR(64)  NOT NULL,
  field_value TEXT NOT NULL,
  PRIMARY KEY (tenant_id, customer_id, name)
);

CREATE TABLE crm_notes (
  tenant_id   VARCHAR(128) NOT NULL,
  id          VARCHAR(36)  NOT NULL,
  customer_id VARCHAR(36)  NOT NULL,
  content     TEXT NOT NULL,
  created_by  VARCHAR(255),
  created_at  BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX crm_notes_customer ON crm_notes (tenant_id, customer_id, created_at, id);

CREATE TABLE crm_activities (
  tenant_id       VARCHAR(128) NOT NULL,
  id              VARCHAR(36)  NOT NULL,
  customer_id     VARCHAR(36)  NOT NULL,
  activity_type   VARCHAR(32)  NOT NULL,
  channel         VARCHAR(16),
  description     TEXT,
  occurred_at     BIGINT       NOT NULL,
  idempotency_key VARCHAR(200),
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX crm_activities_customer ON crm_activities (tenant_id, customer_id, occurred_at, id);
CREATE UNIQUE INDEX crm_activities_idempotency_key ON crm_activities (tenant_id, idempotency_key);

CREATE TABLE crm_activity_metadata (
  tenant_id   VARCHAR(128) NOT NULL,
  activity_id VARCHAR(36)  NOT NULL,
  name        VARCHAR(255) NOT NULL,
  meta_value  TEXT NOT NULL,
  PRIMARY KEY (tenant_id, activity_id, name)
);

CREATE TABLE crm_orders (
  tenant_id   VARCHAR(128) NOT NULL,
  order_id    VARCHAR(255) NOT NULL,
  customer_id VARCHAR(36)  NOT NULL,
  amount      TEXT NOT NULL,
  currency    VARCHAR(3)   NOT NULL,
  placed_at   BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, order_id)
);

CREATE INDEX crm_orders_customer ON crm_orders (tenant_id, customer_id);

CREATE TABLE crm_change_counters (
  tenant_id VARCHAR(128) NOT NULL,
  last_seq  BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id)
);

CREATE TABLE crm_merged_ids (
  tenant_id   VARCHAR(128) NOT NULL,
  merged_id   VARCHAR(36)  NOT NULL,
  survivor_id VARCHAR(36)  NOT NULL,
  merged_at   BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, merged_id)
);

CREATE INDEX crm_merged_ids_survivor ON crm_merged_ids (tenant_id, survivor_id);
