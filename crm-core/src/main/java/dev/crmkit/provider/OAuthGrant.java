package dev.crmkit.provider;

import dev.crmkit.spi.Secrets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an {@link OAuthConnector#exchange} obtained: the credentials and settings to store in the
 * tenant's config (merged over the ones it has), and the vendor account they belong to. The
 * credentials are keys of the provider's {@link ProviderDescriptor} (such as {@code accessToken} and
 * {@code refreshToken}), so the provider builds a system from the merged config.
 * {@link #toString()} shows credential keys, never their values.
 *
 * @param credentials secrets to store, by key; unmodifiable, not empty, no blank value
 * @param settings non-secret settings to store, such as Salesforce's {@code instanceUrl}; unmodifiable,
 *     may be empty
 * @param accountId the vendor's id of the connected account: HubSpot's hub (portal) id, Salesforce's org
 *     id; not blank
 */
public record OAuthGrant(Map<String, String> credentials, Map<String, String> settings, String accountId) {
  /**
   * @throws NullPointerException naming the argument that is null, or holds a null key or value
   * @throws IllegalArgumentException naming {@code credentials} when it is empty or holds a blank
   *     value (the key is named, the value is not), or {@code accountId} when it is blank
   */
  public OAuthGrant {
    credentials = copy(Objects.requireNonNull(credentials, "credentials"), "credentials");
    settings = copy(Objects.requireNonNull(settings, "settings"), "settings");
    Objects.requireNonNull(accountId, "accountId");
    if (credentials.isEmpty()) {
      throw new IllegalArgumentException("credentials must not be empty");
    }
    credentials.forEach((k, v) -> {
      if (v.isBlank()) {
        throw new IllegalArgumentException("credentials: '" + k + "' must not be blank");
      }
    });
    if (accountId.isBlank()) {
      throw new IllegalArgumentException("accountId must not be blank");
    }
  }

  private static Map<String, String> copy(Map<String, String> from, String name) {
    Map<String, String> copy = new TreeMap<>();
    from.forEach((k, v) -> copy.put(Objects.requireNonNull(k, name + " key"), Objects.requireNonNull(v, name + " value")));
    return Collections.unmodifiableMap(copy);
  }

  @Override
  public String toString() {
    return "OAuthGrant[credentials=" + credentials.keySet() + " (" + Secrets.MASK + "), settings=" + settings
        + ", accountId=" + accountId + "]";
  }
}
