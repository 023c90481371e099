package dev.crmkit.integrations;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * Where to send the tenant's browser to connect an integration by OAuth, as
 * {@link IntegrationService#startOAuth} returns it.
 *
 * @param authorizationUrl the vendor's consent page, with the state (and the PKCE challenge where the
 *     vendor supports it); the state in it is a bearer secret until used: do not log the URL
 * @param expiresAt when the state stops being accepted
 */
public record OAuthStart(URI authorizationUrl, Instant expiresAt) {
  /** @throws NullPointerException naming the component that is null */
  public OAuthStart {
    Objects.requireNonNull(authorizationUrl, "authorizationUrl");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "OAuthStart[authorizationUrl=" + authorizationUrl.getScheme() + "://" + authorizationUrl.getRawAuthority()
        + authorizationUrl.getRawPath() + "?..., expiresAt=" + expiresAt + "]";
  }
}
