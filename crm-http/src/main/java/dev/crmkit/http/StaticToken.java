package dev.crmkit.http;

import dev.crmkit.error.ValidationException;

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
   * @throws ValidationException when {@code token} is {@code null} or blank (the value is not echoed)
   */
  public static StaticToken of(String token) {
    if (token == null || token.isBlank()) {
      throw ValidationException.of("token", null, "must not be blank");
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
