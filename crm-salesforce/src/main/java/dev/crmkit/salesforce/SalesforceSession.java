package dev.crmkit.salesforce;

import dev.crmkit.http.OAuth2Token;
import java.time.Instant;
import java.util.Objects;

/**
 * A Salesforce OAuth token response: the tokens and where to use them. {@link #toString()} never shows
 * a token.
 *
 * @param tokens the access token (the session id), the refresh token when one was issued (web-server flow
 *     with the {@code refresh_token} scope; never for the JWT bearer flow) and the granted scopes; Salesforce
 *     does not say when the session ends, so {@code expiresAt} is {@code null}
 * @param instanceUrl the org's URL to send API calls to, such as {@code https://acme.my.salesforce.com}
 *     (the response's {@code instance_url}); not {@code null}
 * @param identityUrl the identity URL of the user ({@code id}), whose path holds the org and user ids;
 *     {@code null} when not given
 * @param issuedAt when the session was issued ({@code issued_at}); {@code null} when not given
 */
public record SalesforceSession(OAuth2Token tokens, String instanceUrl, String identityUrl, Instant issuedAt) {
  /** @throws NullPointerException naming {@code tokens} or {@code instanceUrl} when null */
  public SalesforceSession {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(instanceUrl, "instanceUrl");
  }

  /**
   * @return the org id ({@code 00D...}) from the identity URL ({@code .../id/<org>/<user>}), or {@code null}
   *     when there is none; what {@link SalesforceOutboundMessageHandler.Builder#organizationId} needs
   */
  public String organizationId() {
    if (identityUrl == null) {
      return null;
    }
    String[] parts = identityUrl.split("/");
    return parts.length >= 2 && parts[parts.length - 2].startsWith("00D") ? parts[parts.length - 2] : null;
  }

  @Override
  public String toString() {
    return "SalesforceSession[" + tokens + ", instanceUrl=" + instanceUrl + ", issuedAt=" + issuedAt + "]";
  }
}
