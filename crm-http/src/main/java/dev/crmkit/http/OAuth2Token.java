package dev.crmkit.http;

import java.time.Instant;
import java.util.Objects;

/**
 * One OAuth2 token set. {@link #toString()} never shows the tokens.
 *
 * @param accessToken the access token; not blank
 * @param refreshToken the refresh token; {@code null} when the vendor issued none
 * @param expiresAt when the access token expires; {@code null} when the vendor did not say (then it
 *     is used until a call is rejected)
 * @param scope the granted scopes as the vendor returned them (space-separated); {@code null} when not given
 */
public record OAuth2Token(String accessToken, String refreshToken, Instant expiresAt, String scope) {
  /**
   * @throws NullPointerException naming {@code accessToken} when it is null
   * @throws IllegalArgumentException naming {@code accessToken} when it is blank (the value is not echoed)
   */
  public OAuth2Token {
    Objects.requireNonNull(accessToken, "accessToken");
    if (accessToken.isBlank()) {
      throw new IllegalArgumentException("accessToken must not be blank");
    }
  }

  @Override
  public String toString() {
    return "OAuth2Token[accessToken=***, refreshToken=" + (refreshToken == null ? "null" : "***")
        + ", expiresAt=" + expiresAt + ", scope=" + scope + ']';
  }
}
