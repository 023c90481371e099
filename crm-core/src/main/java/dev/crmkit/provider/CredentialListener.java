package dev.crmkit.provider;

import dev.crmkit.TenantConfig;
import java.util.Map;

/**
 * The host's callback for credentials a provider obtained on its own, such as OAuth tokens it
 * refreshed (a vendor may rotate the refresh token, and the old one then stops working). Register one
 * on the {@link dev.crmkit.IntegrationFactory} with {@code resource(CredentialListener.class, listener)};
 * the HubSpot and Salesforce providers call it after every refresh when the host registered no
 * vendor-specific token store ({@code HubSpotTokenStore}, {@code SalesforceTokenStore}), which wins
 * when present. The integrations layer persists the changes into the integration's sealed credentials.
 *
 * <p>Called from the thread that refreshed, while other callers of the same credential wait: keep it
 * short. An exception thrown here reaches the call that triggered the refresh; the new credentials
 * stay in use in memory. Must be thread-safe.
 */
@FunctionalInterface
public interface CredentialListener {
  /**
   * @param config the config the provider built the system from: the tenant, the provider, and the
   *     credentials as they were before this change (for a vendor account shared by several tenant
   *     configs, the config of the first)
   * @param changed the credentials to store in place of the config's, by the provider's descriptor keys
   *     (such as {@code accessToken}, {@code refreshToken}); unmodifiable, not empty, never printed
   */
  void credentialsChanged(TenantConfig config, Map<String, String> changed);
}
