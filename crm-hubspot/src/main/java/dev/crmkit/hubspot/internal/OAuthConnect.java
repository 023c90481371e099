package dev.crmkit.hubspot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.http.OAuth2Token;
import dev.crmkit.http.OAuth2Tokens;
import dev.crmkit.provider.OAuthAuthorization;
import dev.crmkit.provider.OAuthConnector;
import dev.crmkit.provider.OAuthGrant;
import dev.crmkit.provider.SettingDescriptor;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * HubSpot's app install (OAuth 2.0 authorization code, no PKCE): the consent URL on
 * {@code https://app.hubspot.com/oauth/authorize} (or {@code <baseUrl>/oauth/authorize} when the base URL
 * is not HubSpot's, as with the emulator), the code exchange at {@code POST <baseUrl>/oauth/v1/token}
 * through crm-http's {@link OAuth2Tokens}, and the hub id from {@code GET
 * <baseUrl>/oauth/v1/access-tokens/<token>}.
 *
 * <p>Why no PKCE: HubSpot documents the authorization URL's parameters as {@code client_id}, {@code
 * scope}, {@code redirect_uri}, {@code optional_scope} and {@code state}, no {@code code_challenge}; its
 * apps are confidential clients that send the client secret with the code. Stateless and thread-safe.
 *
 * @see <a href="https://developers.hubspot.com/docs/apps/legacy-apps/authentication/oauth-quickstart-guide">HubSpot: OAuth quickstart</a>
 */
public final class OAuthConnect implements OAuthConnector {
  /** HubSpot's consent page. */
  public static final String APP_AUTHORIZE_URL = "https://app.hubspot.com/oauth/authorize";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final SettingDescriptor clientId;
  private final SettingDescriptor clientSecret;
  private final SettingDescriptor baseUrl;
  private final String defaultBaseUrl;
  private final List<String> scopes;

  /**
   * @param clientId the provider's client id setting
   * @param clientSecret the provider's client secret credential
   * @param baseUrl the provider's API root setting
   * @param defaultBaseUrl HubSpot's API root: with it, consent goes to {@link #APP_AUTHORIZE_URL}
   * @param scopes the scopes to ask for
   */
  public OAuthConnect(SettingDescriptor clientId, SettingDescriptor clientSecret, SettingDescriptor baseUrl,
      String defaultBaseUrl, List<String> scopes) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.baseUrl = baseUrl;
    this.defaultBaseUrl = defaultBaseUrl;
    this.scopes = List.copyOf(scopes);
  }

  @Override
  public OAuthAuthorization authorize(TenantConfig config, URI redirectUri, String state) {
    Objects.requireNonNull(config, "config");
    checkRedirect(redirectUri);
    Objects.requireNonNull(state, "state");
    if (state.isBlank()) {
      throw new IllegalArgumentException("state must not be blank");
    }
    return new OAuthAuthorization(URI.create(tokens(config, redirectUri).authorizationUrl(state)), null);
  }

  @Override
  public OAuthGrant exchange(TenantConfig config, URI redirectUri, String code, String codeVerifier) {
    Objects.requireNonNull(config, "config");
    checkRedirect(redirectUri);
    if (codeVerifier != null) {
      throw new IllegalArgumentException("codeVerifier: HubSpot's install uses no PKCE, pass null");
    }
    OAuth2Token tokens = tokens(config, redirectUri).exchangeCode(code);
    Map<String, String> credentials = new LinkedHashMap<>();
    credentials.put("accessToken", tokens.accessToken());
    if (tokens.refreshToken() != null) {
      credentials.put("refreshToken", tokens.refreshToken());
    }
    return new OAuthGrant(credentials, Map.of(), hubId(root(config), tokens.accessToken()));
  }

  private OAuth2Tokens tokens(TenantConfig config, URI redirectUri) {
    String where = "tenant '" + config.tenantId() + "', provider 'hubspot': ";
    String id = clientId.value(config);
    String secret = config.credentials().get(clientSecret.key());
    if (id == null || id.isBlank()) {
      throw new ConfigurationException(where + "OAuth connect needs '" + clientId.key() + "' (the app's client id)");
    }
    if (secret == null || secret.isBlank()) {
      throw new ConfigurationException(where + "OAuth connect needs credential '" + clientSecret.key()
          + "' (the app's client secret)");
    }
    String root = root(config);
    try {
      return OAuth2Tokens.builder()
          .vendor(HubSpotApi.PROVIDER)
          .authorizationUrl(root.equals(defaultBaseUrl) ? APP_AUTHORIZE_URL : root + "/oauth/authorize")
          .tokenUrl(root + "/oauth/v1/token")
          .clientId(id.strip())
          .clientSecret(secret)
          .redirectUri(redirectUri.toString())
          .scopes(scopes)
          .errorParser(new HubSpotErrors())
          .tokenStore(t -> { })
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + e.getMessage(), e);
    }
  }

  private String root(TenantConfig config) {
    return baseUrl.value(config).strip().replaceAll("/+$", "");
  }

  /** The {@code hub_id} HubSpot reports for an access token; the token travels in the path, so it never reaches a message. */
  private static String hubId(String root, String accessToken) {
    HttpUrl url = HttpUrl.get(root).newBuilder().addPathSegments("oauth/v1/access-tokens").addPathSegment(accessToken)
        .build();
    Request request = new Request.Builder().url(url).header("Accept", "application/json").get().build();
    String what = "hubspot GET /oauth/v1/access-tokens/***";
    try (Response response = Client.INSTANCE.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw new AuthenticationException(what + ": HTTP " + response.code(), HubSpotApi.PROVIDER, response.code(),
            null, response.header(HubSpotErrors.CORRELATION_HEADER), null);
      }
      JsonNode hub = JSON.readTree(body).path("hub_id");
      if (!hub.canConvertToLong() || hub.asLong() <= 0) {
        throw new CrmException(what + ": the answer has no hub_id", HubSpotApi.PROVIDER, response.code(), null,
            response.header(HubSpotErrors.CORRELATION_HEADER), null);
      }
      return Long.toString(hub.asLong());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CrmException(what + ": the answer is not JSON", HubSpotApi.PROVIDER, 200, null, null, null);
    } catch (IOException e) {
      throw new ApiConnectionException(what + ": " + e.getClass().getSimpleName(), HubSpotApi.PROVIDER, 0, null, null, e);
    }
  }

  private static void checkRedirect(URI redirectUri) {
    Objects.requireNonNull(redirectUri, "redirectUri");
    String scheme = redirectUri.getScheme();
    if (!redirectUri.isAbsolute() || redirectUri.getHost() == null
        || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
      throw new IllegalArgumentException("redirectUri must be an absolute http(s) URL, was " + redirectUri);
    }
  }

  /** The client for the token lookup, made on first use; a lookup never follows a redirect. */
  private static final class Client {
    static final OkHttpClient INSTANCE = new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false)
        .callTimeout(TIMEOUT).build();
  }
}
