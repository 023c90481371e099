package dev.crmkit.provider;

import java.net.URI;
import java.util.Objects;

/**
 * Where to send the browser for one OAuth connect attempt, and what to keep until the redirect.
 * {@link #toString()} never shows the verifier.
 *
 * @param url the vendor's consent page with {@code client_id}, {@code redirect_uri}, {@code scope},
 *     {@code state} and, with PKCE, {@code code_challenge} and {@code code_challenge_method=S256}
 * @param codeVerifier the PKCE verifier (RFC 7636: 43 to 128 characters of {@code [A-Za-z0-9-._~]})
 *     to pass to {@link OAuthConnector#exchange}; {@code null} when the vendor does not support PKCE
 */
public record OAuthAuthorization(URI url, String codeVerifier) {
  /**
   * @throws NullPointerException naming {@code url} when it is null
   * @throws IllegalArgumentException naming {@code codeVerifier} when it is not an RFC 7636 verifier
   *     (the value is not echoed)
   */
  public OAuthAuthorization {
    Objects.requireNonNull(url, "url");
    if (codeVerifier != null && !codeVerifier.matches("[A-Za-z0-9._~-]{43,128}")) {
      throw new IllegalArgumentException("codeVerifier must be 43 to 128 characters of [A-Za-z0-9-._~]");
    }
  }

  @Override
  public String toString() {
    return "OAuthAuthorization[url=" + url + ", codeVerifier=" + (codeVerifier == null ? "none" : "***") + "]";
  }
}
