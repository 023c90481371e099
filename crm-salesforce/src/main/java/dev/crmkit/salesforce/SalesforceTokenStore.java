package dev.crmkit.salesforce;

import dev.crmkit.http.OAuth2Token;

/**
 * The host's callback that persists a Salesforce org's OAuth tokens after each refresh. Register one on
 * the {@link dev.crmkit.IntegrationFactory} with {@code resource(SalesforceTokenStore.class, store)}; it
 * is required for tenants configured with a refresh token. Must be thread-safe; keep it short (other
 * callers of the org wait).
 */
@FunctionalInterface
public interface SalesforceTokenStore {
  /**
   * @param tenantId the tenant whose call refreshed the session
   * @param tokens the new tokens; never {@code null}
   */
  void save(String tenantId, OAuth2Token tokens);
}
