package dev.crmkit.provider;

import dev.crmkit.TenantConfig;
import java.net.URI;

/**
 * How a provider connects a tenant's account by the OAuth 2.0 authorization-code flow, as
 * {@link dev.crmkit.CustomerSystemProvider#oauth()} returns it: the authorization URL (with a PKCE
 * challenge where the vendor supports it) and the code exchange, whose answer says what to store.
 * The caller (the integrations layer, or a host of its own) owns the {@code state}: it makes it
 * unguessable, binds it to the tenant, keeps it (and the {@link OAuthAuthorization#codeVerifier()})
 * server-side, refuses a forged, replayed or expired one, and only then calls {@link #exchange}.
 *
 * <p>Both methods read the app's client id, client secret and the vendor's login or API host from
 * the {@link TenantConfig} the same way the provider's {@code create} does (its
 * {@link ProviderDescriptor}'s settings), so an emulator's {@code http://127.0.0.1:...} URL can stand
 * in for the vendor's. Tokens refreshed later by the provider reach the host through a
 * {@link CredentialListener} resource.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface OAuthConnector {

  /**
   * The URL of the vendor's consent page for one connect attempt.
   *
   * @param config the tenant's config: the app's client id and the vendor's login or API host
   * @param redirectUri where the vendor sends the browser back with {@code code} and {@code state};
   *     absolute http(s), registered with the vendor's app
   * @param state the caller's opaque, unguessable value, echoed back on the redirect; not blank
   * @return the URL and, where the vendor supports PKCE (RFC 7636, S256), the verifier to keep
   *     server-side until the exchange
   * @throws dev.crmkit.error.ConfigurationException naming the setting when the client id or a host is
   *     missing or malformed
   * @throws NullPointerException naming the argument that is null
   * @throws IllegalArgumentException naming {@code state} when it is blank, or {@code redirectUri} when
   *     it is not absolute http(s)
   */
  OAuthAuthorization authorize(TenantConfig config, URI redirectUri, String state);

  /**
   * Exchanges the redirect's {@code code} for tokens, and reads the account they belong to.
   *
   * @param config the same tenant config as the {@link #authorize} call (the client secret too)
   * @param redirectUri the redirect URI of that call; vendors refuse another
   * @param code the redirect's {@code code}; not blank
   * @param codeVerifier the {@link OAuthAuthorization#codeVerifier()} of that call; {@code null} when
   *     it had none
   * @return the credentials and settings to store, and the vendor's account id
   * @throws dev.crmkit.error.AuthenticationException when the vendor refuses the code (unknown, used
   *     or expired), the verifier, the redirect URI or the client; its
   *     {@link dev.crmkit.error.CrmException#vendorCode()} is the vendor's error code (Salesforce
   *     {@code invalid_grant}, HubSpot {@code BAD_AUTH_CODE}, ...)
   * @throws dev.crmkit.error.ApiConnectionException when the vendor cannot be reached
   * @throws dev.crmkit.error.ConfigurationException naming the setting when the client id, the client
   *     secret or a host is missing or malformed
   * @throws dev.crmkit.error.ValidationException naming {@code code} when it is blank
   */
  OAuthGrant exchange(TenantConfig config, URI redirectUri, String code, String codeVerifier);
}
