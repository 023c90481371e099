package dev.crmkit.http;

/**
 * Supplies the credential the connector puts on each call. Called once per attempt, so a provider
 * that refreshes (such as {@link OAuth2Tokens}) hands out a fresh token after expiry.
 *
 * <p>When the vendor answers 401 to a call, the connector reports the token it sent to
 * {@link #invalidate(String)}; if that returns true, it sends the call once more with a new
 * {@link #accessToken()}, and a second 401 fails with {@link dev.crmkit.error.AuthenticationException}.
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

  /**
   * Told that the vendor rejected {@code staleToken} with 401 (revoked, or expired earlier than
   * announced). A refreshable provider replaces it, unless another caller already has (so many
   * concurrent 401s with the same stale token cause one refresh), and returns true; a fixed
   * credential returns false, since sending it again cannot help.
   *
   * <p>The default returns false and does nothing: right for fixed tokens such as {@link StaticToken}.
   *
   * @param staleToken the token the rejected call carried, as returned earlier by {@link #accessToken()}; not null
   * @return true when the next {@link #accessToken()} returns a different token worth one more try;
   *     false when the call should fail as it is
   * @throws dev.crmkit.error.AuthenticationException when the vendor rejects the refresh
   * @throws dev.crmkit.error.ApiConnectionException when a token endpoint cannot be reached
   */
  default boolean invalidate(String staleToken) {
    return false;
  }
}
