package dev.crmkit.salesforce.internal;

import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.provider.OAuthAuthorization;
import dev.crmkit.provider.OAuthConnector;
import dev.crmkit.provider.OAuthGrant;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import dev.crmkit.salesforce.SalesforceOAuth;
import dev.crmkit.salesforce.SalesforceSession;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Salesforce's web-server flow with PKCE as an {@link OAuthConnector}: {@link SalesforceOAuth} built from
 * the tenant's config by {@link SalesforceCustomerSystemProvider#oauth(TenantConfig)} (client id, client
 * secret, login host) and the redirect URI. The grant holds the session's tokens, its {@code instance_url}
 * as the {@code instanceUrl} setting, and the org id of its identity URL as the account id. Stateless and
 * thread-safe.
 */
public final class OAuthConnect implements OAuthConnector {

  @Override
  public OAuthAuthorization authorize(TenantConfig config, URI redirectUri, String state) {
    Objects.requireNonNull(state, "state");
    SalesforceOAuth.AuthorizationRequest request = flow(config, redirectUri).authorizationRequest(state);
    return new OAuthAuthorization(URI.create(request.url()), request.codeVerifier());
  }

  @Override
  public OAuthGrant exchange(TenantConfig config, URI redirectUri, String code, String codeVerifier) {
    SalesforceSession session = flow(config, redirectUri).exchangeCode(code, codeVerifier);
    String org = session.organizationId();
    if (org == null) {
      throw new CrmException("salesforce OAuth token response has no identity URL naming the org (id)",
          SalesforceApi.PROVIDER, 200, null, null, null);
    }
    Map<String, String> credentials = new LinkedHashMap<>();
    credentials.put(SalesforceCustomerSystemProvider.ACCESS_TOKEN, session.tokens().accessToken());
    if (session.tokens().refreshToken() != null) {
      credentials.put(SalesforceCustomerSystemProvider.REFRESH_TOKEN, session.tokens().refreshToken());
    }
    return new OAuthGrant(credentials, Map.of(SalesforceCustomerSystemProvider.INSTANCE_URL, session.instanceUrl()),
        org);
  }

  private static SalesforceOAuth flow(TenantConfig config, URI redirectUri) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(redirectUri, "redirectUri");
    SalesforceOAuth.Builder b = SalesforceCustomerSystemProvider.oauth(config);
    try {
      b.redirectUri(redirectUri.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("redirectUri must be an absolute http(s) URL, was " + redirectUri, e);
    }
    if (config.credentials().get(SalesforceCustomerSystemProvider.CLIENT_SECRET) == null) {
      // Without the secret the session could not be refreshed later, nor its signature checked.
      throw new ConfigurationException("tenant '" + config.tenantId() + "', provider 'salesforce': OAuth connect needs "
          + "credential '" + SalesforceCustomerSystemProvider.CLIENT_SECRET + "' (the connected app's consumer secret)");
    }
    return b.build();
  }
}
