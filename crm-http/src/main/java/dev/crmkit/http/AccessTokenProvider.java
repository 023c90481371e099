package dev.crmkit.http;

/**
 * Supplies the credential the connector puts on each call. Called once per attempt, so a provider
 * that refreshes (such as {@link OAuth2Tokens}) hands out a fresh token after expiry.
 *
 * <p>Implementations must be thread-safe and must not expose the token in {@code toString()}.
 */
@FunctionalInterface
public interface AccessTokenProvider {
  /**
   * The token to send now.
   *
   * @return a non-blank token, without any scheme prefix such as {@code "Bearer "}
   * @throws dev.crmkit.error.AuthenticationException when no valid token can be had
   */
  String accessToken();
}
