package dev.crmkit.hubspot;

import dev.crmkit.http.OAuth2Token;

/**
 * The host's callback that persists a HubSpot account's OAuth tokens after each refresh (HubSpot may
 * rotate the refresh token; the old one then stops working). Register one on the
 * {@link dev.crmkit.IntegrationFactory} with {@code resource(HubSpotTokenStore.class, store)}; it is
 * required for tenants configured with OAuth credentials.
 *
 * <p>Called from the thread that refreshed, while other callers of the same account wait; keep it short.
 * Must be thread-safe.
 */
@FunctionalInterface
public interface HubSpotTokenStore {
  /**
   * @param tenantId the tenant whose system first opened the account (every tenant on that account shares the tokens)
   * @param tokens the new tokens; never {@code null}
   */
  void save(String tenantId, OAuth2Token tokens);
}
