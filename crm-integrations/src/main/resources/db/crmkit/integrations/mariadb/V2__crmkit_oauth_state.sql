-- crmkit integrations, schema version 2: OAuth connect attempts (IntegrationService.startOAuth and
-- completeOAuth). The state itself is never stored: state_hash is the lower-case hex SHA-256 of it.
-- A row binds the state to one tenant, integration, provider and redirect URI; verifier_sealed is the
-- PKCE code verifier sealed like credentials (internal.CredentialCipher, bound to tenant and
-- integration), NULL when the vendor has no PKCE. Times are epoch milliseconds (UTC). A state is used
-- once: completeOAuth sets consumed_at with UPDATE ... WHERE consumed_at IS NULL, and only the caller
-- whose update counted one row goes on. Rows are deleted a day after they expire.
CREATE TABLE crmkit_oauth_state (
  state_hash      VARCHAR(64)   NOT NULL,
  tenant_id       VARCHAR(128)  NOT NULL,
  integration_id  VARCHAR(40)   NOT NULL,
  provider        VARCHAR(64)   NOT NULL,
  redirect_uri    VARCHAR(2048) NOT NULL,
  verifier_sealed VARCHAR(1024),
  created_at      BIGINT        NOT NULL,
  expires_at      BIGINT        NOT NULL,
  consumed_at     BIGINT,
  PRIMARY KEY (state_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${crmkit_nopad_collation};

-- Clean-up of expired attempts (a state of a deleted integration is refused, then expires).
CREATE INDEX crmkit_oauth_state_expiry ON crmkit_oauth_state (expires_at);
