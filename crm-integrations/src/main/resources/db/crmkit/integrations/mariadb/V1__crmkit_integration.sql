-- crmkit integrations, schema version 1: one row per tenant integration (dev.crmkit.integrations).
-- Times are epoch milliseconds (UTC). settings, credential_keys and mapping hold the length-prefixed
-- text encoding of dev.crmkit.sync.spi.TextCodec. credentials_sealed is the AES-256-GCM envelope
-- v1.<keyId>.<nonce>.<ciphertext> (internal.CredentialCipher), NULL when no credential is set: no
-- secret is ever stored in another column. version is the optimistic lock, raised by every change.
CREATE TABLE crmkit_integration (
  id                 VARCHAR(40)  NOT NULL,
  tenant_id          VARCHAR(128) NOT NULL,
  provider           VARCHAR(64)  NOT NULL,
  name               VARCHAR(100) NOT NULL,
  status             VARCHAR(16)  NOT NULL,
  flow               VARCHAR(16)  NOT NULL,
  schedule           VARCHAR(16)  NOT NULL,
  settings           MEDIUMTEXT NOT NULL,
  credentials_sealed MEDIUMTEXT,
  credential_keys    MEDIUMTEXT NOT NULL,
  mapping            MEDIUMTEXT NOT NULL,
  account_id         VARCHAR(255),
  last_sync_at       BIGINT,
  last_error         MEDIUMTEXT,
  created_at         BIGINT       NOT NULL,
  updated_at         BIGINT       NOT NULL,
  version            BIGINT       NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${crmkit_nopad_collation};

-- A tenant's integrations, oldest first (IntegrationService.list).
CREATE INDEX crmkit_integration_tenant ON crmkit_integration (tenant_id, created_at, id);
-- Webhook and OAuth routing: one integration per vendor account; NULLs (not connected) do not clash.
CREATE UNIQUE INDEX crmkit_integration_account ON crmkit_integration (provider, account_id);
