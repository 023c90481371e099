package dev.crmkit.http;

import dev.crmkit.TenantConfig;
import dev.crmkit.provider.CredentialListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The host's callback that persists OAuth2 tokens. Called after a code exchange and after every
 * refresh, with the new token set (vendors such as Salesforce or HubSpot may rotate the refresh
 * token, and the old one stops working).
 *
 * <p>Called from the thread that did the refresh, while other callers of the same credential wait;
 * keep it short. An exception thrown here propagates to the caller that triggered the refresh; the
 * new tokens stay in use in memory.
 */
@FunctionalInterface
public interface TokenStore {
  /** The credential key the access token is stored under by {@link #forwardingTo}. */
  String ACCESS_TOKEN = "accessToken";
  /** The credential key the refresh token is stored under by {@link #forwardingTo}. */
  String REFRESH_TOKEN = "refreshToken";

  /** @param tokens the new tokens; never {@code null} */
  void save(OAuth2Token tokens);

  /**
   * A store that hands each token set to a host's {@link CredentialListener} as the credentials
   * {@value #ACCESS_TOKEN} and (when there is one) {@value #REFRESH_TOKEN} of {@code config}.
   *
   * @param listener the host's listener; not null
   * @param config the config the tokens belong to; not null
   * @return the store
   * @throws NullPointerException naming the argument that is null
   */
  static TokenStore forwardingTo(CredentialListener listener, TenantConfig config) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(config, "config");
    return tokens -> {
      Map<String, String> changed = new LinkedHashMap<>();
      changed.put(ACCESS_TOKEN, tokens.accessToken());
      if (tokens.refreshToken() != null) {
        changed.put(REFRESH_TOKEN, tokens.refreshToken());
      }
      listener.credentialsChanged(config, java.util.Collections.unmodifiableMap(changed));
    };
  }
}
