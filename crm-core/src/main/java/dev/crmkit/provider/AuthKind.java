package dev.crmkit.provider;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One way a tenant can authenticate to a provider's back end. A {@link ProviderDescriptor} lists
 * the kinds its provider accepts; the integrations layer builds the connect form (or the OAuth
 * redirect) from them. The secrets themselves are {@link SettingDescriptor#secret() secret} settings
 * of the same descriptor.
 */
public sealed interface AuthKind permits AuthKind.None, AuthKind.ApiToken, AuthKind.OAuth2 {

  /** No authentication: the back end is reached through host resources or local files. */
  AuthKind NONE = new None();

  /** A token the tenant pastes once, such as a HubSpot private app's access token. */
  static ApiToken apiToken(String credentialKey) {
    return new ApiToken(credentialKey);
  }

  /**
   * The OAuth 2.0 authorization-code flow.
   *
   * @see OAuth2#OAuth2(URI, URI, List)
   */
  static OAuth2 oauth2(String authorizeUrl, String tokenUrl, List<String> scopes) {
    return new OAuth2(URI.create(Objects.requireNonNull(authorizeUrl, "authorizeUrl")),
        URI.create(Objects.requireNonNull(tokenUrl, "tokenUrl")), scopes);
  }

  /** No authentication: the back end is reached through host resources or local files. */
  record None() implements AuthKind {}

  /**
   * A token the tenant pastes once.
   *
   * @param credentialKey the credential that holds it, such as {@code "accessToken"}: a secret
   *     setting of the same descriptor
   */
  record ApiToken(String credentialKey) implements AuthKind {
    /** @throws IllegalArgumentException when {@code credentialKey} is null or blank */
    public ApiToken {
      if (credentialKey == null || credentialKey.isBlank()) {
        throw new IllegalArgumentException("credentialKey must not be blank, was " + credentialKey);
      }
    }
  }

  /**
   * The OAuth 2.0 authorization-code flow: the tenant is sent to {@code authorizeUrl} asking for
   * {@code scopes}, and the code that comes back is exchanged at {@code tokenUrl}.
   *
   * @param authorizeUrl where the tenant grants access; an absolute https URL
   * @param tokenUrl where codes and refresh tokens are exchanged for access tokens; an absolute https URL
   * @param scopes the scopes the provider needs, in the vendor's spelling; unmodifiable, may be empty
   */
  record OAuth2(URI authorizeUrl, URI tokenUrl, List<String> scopes) implements AuthKind {
    /**
     * @throws IllegalArgumentException naming the URL when it is not an absolute https URL, or
     *     {@code scopes} when it holds a null or blank scope
     * @throws NullPointerException naming the argument that is null
     */
    public OAuth2 {
      https(Objects.requireNonNull(authorizeUrl, "authorizeUrl"), "authorizeUrl");
      https(Objects.requireNonNull(tokenUrl, "tokenUrl"), "tokenUrl");
      Objects.requireNonNull(scopes, "scopes");
      if (scopes.stream().anyMatch(s -> s == null || s.isBlank())) {
        throw new IllegalArgumentException("scopes must not hold a null or blank scope, was " + scopes);
      }
      scopes = List.copyOf(scopes);
    }

    private static void https(URI url, String name) {
      if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
        throw new IllegalArgumentException(name + " must be an absolute https URL, was " + url);
      }
    }
  }
}
