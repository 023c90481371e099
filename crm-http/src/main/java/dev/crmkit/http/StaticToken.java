package dev.crmkit.http;

import java.util.Objects;

/**
 * A fixed token, such as a HubSpot private-app token or a Pipedrive API token. Immutable and
 * thread-safe; {@link #toString()} never shows the token.
 */
public final class StaticToken implements AccessTokenProvider {
  private final String token;

  private StaticToken(String token) {
    this.token = token;
  }

  /**
   * @param token the token, not blank
   * @return a provider that always returns {@code token}
   * @throws NullPointerException naming {@code token} when it is null
   * @throws IllegalArgumentException naming {@code token} when it is blank (the value is not echoed)
   */
  public static StaticToken of(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("token must not be blank");
    }
    return new StaticToken(token);
  }

  @Override
  public String accessToken() {
    return token;
  }

  @Override
  public String toString() {
    return "StaticToken[***]";
  }
}
