package dev.crmkit.integrations;

/** Where a tenant integration stands. */
public enum IntegrationStatus {
  /** Connected and enabled: scheduled syncs and webhooks run. */
  ACTIVE,
  /** Disabled by the tenant: no scheduled sync, webhooks are acknowledged but not applied. */
  PAUSED,
  /** Enabled, but the last health check or run failed; {@link TenantIntegration#lastError()} says why. */
  ERROR,
  /** Created, or its credentials revoked: waits for credentials or an OAuth connect. */
  DISCONNECTED
}
