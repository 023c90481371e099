package dev.crmkit.salesforce;

import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.salesforce.internal.TokenEndpoint;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The OAuth 2.0 web-server flow (authorization code with PKCE) against a Salesforce login host: the URL
 * to send the user to, the code exchange (whose answer names the org's {@code instance_url}) and the
 * refresh. Built with {@link #builder()} or, from a tenant's settings, with {@link
 * SalesforceCustomerSystemProvider#oauth}; immutable and thread-safe.
 *
 * <p>Typical use behind a host's "connect Salesforce" button:
 * <pre>{@code
 * AuthorizationRequest request = oauth.authorizationRequest(state);   // keep state and codeVerifier
 * // redirect the browser to request.url(); Salesforce calls back with ?code=...&state=...
 * SalesforceSession session = oauth.exchangeCode(code, request.codeVerifier());
 * // store session.tokens().refreshToken() as the tenant's refreshToken credential,
 * // and session.instanceUrl() as its instanceUrl setting
 * }</pre>
 *
 * <p>Token responses are checked: Salesforce signs {@code id + issued_at} with the consumer secret
 * (HMAC-SHA256), and a response whose {@code signature} does not match is refused.
 *
 * @see <a href="https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm">Salesforce: OAuth 2.0 web server flow</a>
 * @see <a href="https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_pkce.htm">Salesforce: PKCE</a>
 * @see <a href="https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm">Salesforce: refresh token flow</a>
 */
public final class SalesforceOAuth {
  /** The production login host. */
  public static final String PRODUCTION_LOGIN_URL = "https://login.salesforce.com";
  /** The sandbox login host. */
  public static final String SANDBOX_LOGIN_URL = "https://test.salesforce.com";
  /**
   * The scopes requested by default: {@code api} (REST calls), {@code refresh_token} and its synonym
   * {@code offline_access} (a refresh token is issued).
   */
  public static final List<String> DEFAULT_SCOPES = List.of("api", "refresh_token", "offline_access");

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Where to send the user, and what to keep until the callback. {@link #toString()} hides the verifier.
   *
   * @param url the authorization URL with {@code response_type=code}, {@code client_id}, {@code
   *     redirect_uri}, {@code scope}, {@code state}, {@code code_challenge} and {@code code_challenge_method=S256}
   * @param state the state passed in; compare it with the callback's before exchanging the code
   * @param codeVerifier the PKCE verifier (43 URL-safe characters from 32 random bytes) to pass to {@link
   *     #exchangeCode}; keep it server-side with the state
   */
  public record AuthorizationRequest(String url, String state, String codeVerifier) {
    @Override
    public String toString() {
      return "AuthorizationRequest[url=" + url + ", state=" + state + ", codeVerifier=***]";
    }
  }

  private final String loginUrl;
  private final String clientId;
  private final String clientSecret;
  private final String redirectUri;
  private final List<String> scopes;
  private final TokenEndpoint endpoint;

  private SalesforceOAuth(Builder b) {
    this.loginUrl = b.loginUrl;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.redirectUri = b.redirectUri;
    this.scopes = b.scopes;
    this.endpoint = new TokenEndpoint(loginUrl, b.okHttpClient);
  }

  /** @return a builder: client id and redirect URI required; production login host, {@link #DEFAULT_SCOPES} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A new authorization request with a fresh PKCE verifier.
   *
   * @param state an opaque, unguessable value the host checks on the callback (CSRF protection); not blank
   * @return the URL and what to keep
   * @throws NullPointerException naming {@code state} when {@code null}
   * @throws IllegalArgumentException naming {@code state} when blank
   */
  public AuthorizationRequest authorizationRequest(String state) {
    Objects.requireNonNull(state, "state");
    if (state.isBlank()) {
      throw new IllegalArgumentException("state must not be blank");
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", clientId);
    query.put("redirect_uri", redirectUri);
    if (!scopes.isEmpty()) {
      query.put("scope", String.join(" ", scopes));
    }
    query.put("state", state);
    query.put("code_challenge", codeChallenge(verifier));
    query.put("code_challenge_method", "S256");
    StringBuilder url = new StringBuilder(loginUrl).append("/services/oauth2/authorize");
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      url.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
      sep = '&';
    }
    return new AuthorizationRequest(url.toString(), state, verifier);
  }

  /**
   * The PKCE challenge of a verifier: Base64url (no padding) of its SHA-256 (RFC 7636, S256).
   *
   * @param codeVerifier the verifier; not {@code null}
   * @return the challenge
   */
  public static String codeChallenge(String codeVerifier) {
    Objects.requireNonNull(codeVerifier, "codeVerifier");
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every Java runtime", e);
    }
  }

  /**
   * Exchanges the callback's code ({@code grant_type=authorization_code}).
   *
   * @param code the callback's {@code code}; not blank
   * @param codeVerifier the {@link AuthorizationRequest#codeVerifier()} of the request; {@code null} when the
   *     URL was made without PKCE
   * @return the session: access and refresh tokens, and the {@code instance_url} to call
   * @throws ValidationException naming {@code code} when blank
   * @throws AuthenticationException when Salesforce rejects the code, verifier, redirect URI or client
   *     (its {@code error}, such as {@code invalid_grant}, is the vendor code), or the signature does not match
   * @throws ApiConnectionException when the login host cannot be reached
   */
  public SalesforceSession exchangeCode(String code, String codeVerifier) {
    if (code == null || code.isBlank()) {
      throw ValidationException.of("code", null, "the callback's authorization code must not be blank");
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("client_id", clientId);
    if (clientSecret != null) {
      form.put("client_secret", clientSecret);
    }
    if (codeVerifier != null) {
      form.put("code_verifier", codeVerifier);
    }
    return endpoint.request(form, clientSecret, null);
  }

  /**
   * A new session from a refresh token ({@code grant_type=refresh_token}). Salesforce normally answers
   * without a refresh token, and the one given is kept in the result; when it does rotate, the new one is
   * in the result and the host must store it.
   *
   * @param refreshToken the org's refresh token; not blank
   * @return the session
   * @throws ValidationException naming {@code refreshToken} when blank
   * @throws AuthenticationException when Salesforce rejects it ({@code invalid_grant}: revoked or expired)
   * @throws ApiConnectionException when the login host cannot be reached
   */
  public SalesforceSession refresh(String refreshToken) {
    if (refreshToken == null || refreshToken.isBlank()) {
      throw ValidationException.of("refreshToken", null, "must not be blank");
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", clientId);
    if (clientSecret != null) {
      form.put("client_secret", clientSecret);
    }
    return endpoint.request(form, clientSecret, refreshToken);
  }

  /** The login host in use. */
  public String loginUrl() {
    return loginUrl;
  }

  @Override
  public String toString() {
    return "SalesforceOAuth[loginUrl=" + loginUrl + ", clientId=" + clientId + ", clientSecret="
        + (clientSecret == null ? "none" : "***") + ", redirectUri=" + redirectUri + ", scopes=" + scopes + "]";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Collects the settings; setters reject bad values at once. Not thread-safe. */
  public static final class Builder {
    private String loginUrl = PRODUCTION_LOGIN_URL;
    private String clientId;
    private String clientSecret;
    private String redirectUri;
    private List<String> scopes = DEFAULT_SCOPES;
    private OkHttpClient okHttpClient;

    private Builder() {}

    /**
     * @param clientId the connected app's consumer key; required
     * @return this builder
     * @throws NullPointerException naming {@code clientId} when {@code null}
     * @throws IllegalArgumentException naming {@code clientId} when blank
     */
    public Builder clientId(String clientId) {
      this.clientId = text("clientId", clientId);
      return this;
    }

    /**
     * @param clientSecret the connected app's consumer secret; sent with every token request and used to
     *     check the responses' signatures. Default: none (a connected app that does not require the secret
     *     for the web-server flow, with PKCE). Never shown by {@code toString()}.
     * @return this builder
     * @throws NullPointerException naming {@code clientSecret} when {@code null}
     * @throws IllegalArgumentException naming {@code clientSecret} when blank (the value is not echoed)
     */
    public Builder clientSecret(String clientSecret) {
      Objects.requireNonNull(clientSecret, "clientSecret");
      if (clientSecret.isBlank()) {
        throw new IllegalArgumentException("clientSecret must not be blank");
      }
      this.clientSecret = clientSecret;
      return this;
    }

    /**
     * @param redirectUri the connected app's callback URL, exactly as registered; required
     * @return this builder
     * @throws NullPointerException naming {@code redirectUri} when {@code null}
     * @throws IllegalArgumentException naming {@code redirectUri} and the value when not an absolute http(s) URL
     */
    public Builder redirectUri(String redirectUri) {
      this.redirectUri = httpUrl("redirectUri", redirectUri);
      return this;
    }

    /**
     * @param loginUrl the login host: {@link #PRODUCTION_LOGIN_URL}, {@link #SANDBOX_LOGIN_URL}, or the org's
     *     My Domain login URL such as {@code https://acme.my.salesforce.com}; https, no path. Default: production.
     * @return this builder
     * @throws NullPointerException naming {@code loginUrl} when {@code null}
     * @throws IllegalArgumentException naming {@code loginUrl} and the value when not such a URL
     */
    public Builder loginUrl(String loginUrl) {
      String url = httpUrl("loginUrl", loginUrl).replaceAll("/+$", "");
      String path = URI.create(url).getPath();
      if ((path != null && !path.isEmpty()) || URI.create(url).getQuery() != null) {
        throw new IllegalArgumentException("loginUrl must be a scheme and host, without path or query: '" + loginUrl + "'");
      }
      this.loginUrl = url;
      return this;
    }

    /**
     * Uses {@link #SANDBOX_LOGIN_URL} when {@code sandbox} is true, {@link #PRODUCTION_LOGIN_URL} otherwise.
     *
     * @param sandbox whether the org is a sandbox
     * @return this builder
     */
    public Builder sandbox(boolean sandbox) {
      this.loginUrl = sandbox ? SANDBOX_LOGIN_URL : PRODUCTION_LOGIN_URL;
      return this;
    }

    /**
     * @param scopes the scopes to request, such as {@code api}, {@code refresh_token}; may be empty (the
     *     connected app's defaults). Default: {@link #DEFAULT_SCOPES}.
     * @return this builder
     * @throws NullPointerException naming {@code scopes} when {@code null} or holding {@code null}
     * @throws IllegalArgumentException naming {@code scopes} when one is blank or holds a space
     */
    public Builder scopes(List<String> scopes) {
      Objects.requireNonNull(scopes, "scopes");
      for (String s : scopes) {
        Objects.requireNonNull(s, "scopes");
        if (s.isBlank() || s.contains(" ")) {
          throw new IllegalArgumentException("scopes must be single words: '" + s + "'");
        }
      }
      this.scopes = List.copyOf(scopes);
      return this;
    }

    /**
     * @param okHttpClient the host's OkHttp client for the token requests, so its proxy, interceptors and
     *     pools apply (a derived client follows no redirect and gives up after 30 seconds); default crmkit's own
     * @return this builder
     * @throws NullPointerException naming {@code okHttpClient} when {@code null}
     */
    public Builder okHttpClient(OkHttpClient okHttpClient) {
      this.okHttpClient = Objects.requireNonNull(okHttpClient, "okHttpClient");
      return this;
    }

    /**
     * @return the flow
     * @throws IllegalStateException naming {@code clientId} or {@code redirectUri} when not set
     */
    public SalesforceOAuth build() {
      if (clientId == null) {
        throw new IllegalStateException("SalesforceOAuth needs clientId(...): the connected app's consumer key");
      }
      if (redirectUri == null) {
        throw new IllegalStateException("SalesforceOAuth needs redirectUri(...): the connected app's callback URL");
      }
      return new SalesforceOAuth(this);
    }

    private static String text(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value.strip();
    }

    static String httpUrl(String name, String value) {
      Objects.requireNonNull(value, name);
      try {
        URI uri = new URI(value.strip());
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
          throw new IllegalArgumentException(name + " must be an absolute http or https URL: '" + value + "'");
        }
        return value.strip();
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException(name + " must be an absolute http or https URL: '" + value + "'", e);
      }
    }
  }
}
