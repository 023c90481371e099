package dev.crmkit.http;

import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.internal.ErrorMapper;
import dev.crmkit.http.internal.SharedClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OAuth2 authorization-code credentials of one account (RFC 6749): builds the authorization URL,
 * exchanges the code, and hands out an access token that is refreshed {@link Builder#refreshSkew
 * shortly before} it expires. Every new token set goes to the host's {@link TokenStore}.
 *
 * <p>When the vendor answers 401 to a call with the current token, {@link #invalidate(String)}
 * refreshes even before the announced expiry, so {@link HttpConnector} can retry the call once.
 *
 * <p>Thread-safe. At most one refresh runs at a time per instance; callers that need a token while
 * it runs wait for it and then use its result. {@link #toString()} never shows a token or secret.
 */
public final class OAuth2Tokens implements AccessTokenProvider {
  private final String vendor;
  private final HttpUrl authorizationUrl;
  private final HttpUrl tokenUrl;
  private final String clientId;
  private final String clientSecret;
  private final String redirectUri;
  private final List<String> scopes;
  private final Duration skew;
  private final Clock clock;
  private final TokenStore store;
  private final OkHttpClient client;
  private final ErrorParser errorParser;
  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile OAuth2Token current;

  private OAuth2Tokens(Builder b) {
    this.vendor = b.vendor;
    this.authorizationUrl = b.authorizationUrl;
    this.tokenUrl = b.tokenUrl;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.redirectUri = b.redirectUri;
    this.scopes = b.scopes;
    this.skew = b.skew;
    this.clock = b.clock;
    this.store = b.store;
    this.client = b.okHttpClient != null ? b.okHttpClient : SharedClient.get();
    this.current = b.initial;
    this.errorParser = b.errorParser;
  }

  /** A new builder; see {@link Builder} for what is required and the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The URL to send the user to for consent.
   *
   * @param state an opaque value the host checks on the redirect (CSRF protection); not blank
   * @return the authorization URL with {@code response_type=code}, {@code client_id},
   *     {@code redirect_uri}, {@code scope} (space-separated, when any) and {@code state}
   * @throws NullPointerException naming {@code state} when it is null
   * @throws IllegalArgumentException naming {@code state} when it is blank
   * @throws IllegalStateException when the builder was given no {@link Builder#authorizationUrl(String)}
   */
  public String authorizationUrl(String state) {
    Builder.text("state", state);
    if (authorizationUrl == null) {
      throw new IllegalStateException("OAuth2Tokens for '" + vendor
          + "' has no authorization URL: call authorizationUrl(\"https://...\") on its builder");
    }
    HttpUrl.Builder url = authorizationUrl.newBuilder()
        .addQueryParameter("response_type", "code")
        .addQueryParameter("client_id", clientId)
        .addQueryParameter("redirect_uri", redirectUri);
    if (!scopes.isEmpty()) {
      url.addQueryParameter("scope", String.join(" ", scopes));
    }
    return url.addQueryParameter("state", state).build().toString();
  }

  /**
   * Exchanges an authorization code for tokens, keeps them and passes them to the {@link TokenStore}.
   * The host calls it from its OAuth redirect handler, after checking the redirect's {@code state}
   * against the one it passed to {@link #authorizationUrl(String)}.
   *
   * @param code the {@code code} of the redirect; not blank
   * @return the new tokens
   * @throws ValidationException when {@code code} is blank
   * @throws AuthenticationException when the vendor rejects the code or client credentials
   * @throws ApiConnectionException when the token endpoint cannot be reached
   */
  public OAuth2Token exchangeCode(String code) {
    if (code == null || code.isBlank()) {
      throw ValidationException.of("code", null, "must not be blank");
    }
    refreshLock.lock();
    try {
      OAuth2Token t = requestTokens(new FormBody.Builder()
          .add("grant_type", "authorization_code")
          .add("code", code)
          .add("redirect_uri", redirectUri), null);
      current = t;
      store.save(t);
      return t;
    } finally {
      refreshLock.unlock();
    }
  }

  /**
   * The current access token, refreshed first when it expires within the skew.
   *
   * @throws AuthenticationException when there are no tokens yet (no code exchanged, no initial
   *     tokens), the token expired without a refresh token, or the vendor rejects the refresh
   * @throws ApiConnectionException when the token endpoint cannot be reached
   */
  @Override
  public String accessToken() {
    OAuth2Token t = current;
    if (t != null && fresh(t)) {
      return t.accessToken();
    }
    refreshLock.lock();
    try {
      t = current;
      if (t != null && fresh(t)) {
        return t.accessToken();
      }
      return refresh(t).accessToken();
    } finally {
      refreshLock.unlock();
    }
  }

  /**
   * Refreshes at once when {@code staleToken} is still the current access token, whatever its
   * announced expiry; when the current token is already another one (a concurrent caller refreshed
   * first), refreshes nothing. Single-flight with {@link #accessToken()}: at most one refresh runs at
   * a time, and callers reporting the same stale token share one refresh.
   *
   * @param staleToken the access token the vendor answered 401 to; not null
   * @return true when the current access token now differs from {@code staleToken}; false when there
   *     are no tokens or no refresh token, so a new token cannot be had
   * @throws NullPointerException naming {@code staleToken} when it is null
   * @throws AuthenticationException when the vendor rejects the refresh
   * @throws ApiConnectionException when the token endpoint cannot be reached
   */
  @Override
  public boolean invalidate(String staleToken) {
    Objects.requireNonNull(staleToken, "staleToken");
    refreshLock.lock();
    try {
      OAuth2Token t = current;
      if (t == null) {
        return false;
      }
      if (!t.accessToken().equals(staleToken)) {
        return true;
      }
      if (t.refreshToken() == null) {
        return false;
      }
      refresh(t);
      return true;
    } finally {
      refreshLock.unlock();
    }
  }

  /** The token set in use, or {@code null} before any; the same as last passed to the store or given initially. */
  public OAuth2Token current() {
    return current;
  }

  private boolean fresh(OAuth2Token t) {
    return t.expiresAt() == null || clock.instant().plus(skew).isBefore(t.expiresAt());
  }

  private OAuth2Token refresh(OAuth2Token old) {
    if (old == null) {
      throw new AuthenticationException("no OAuth2 tokens for '" + vendor + "': exchange an authorization code first",
          vendor, 0, null, null, null);
    }
    if (old.refreshToken() == null) {
      throw new AuthenticationException("OAuth2 access token of '" + vendor + "' expired at " + old.expiresAt()
          + " and there is no refresh token", vendor, 0, null, null, null);
    }
    OAuth2Token t = requestTokens(new FormBody.Builder()
        .add("grant_type", "refresh_token")
        .add("refresh_token", old.refreshToken()), old.refreshToken());
    current = t;
    store.save(t);
    return t;
  }

  private OAuth2Token requestTokens(FormBody.Builder form, String previousRefreshToken) {
    form.add("client_id", clientId).add("client_secret", clientSecret);
    Request request = new Request.Builder().url(tokenUrl).header("Accept", "application/json").post(form.build()).build();
    Instant sent = clock.instant();
    ApiResponse response;
    try (Response r = client.newCall(request).execute()) {
      response = new ApiResponse(r.code(), r.headers().toMultimap(), r.body().string());
    } catch (IOException e) {
      throw new ApiConnectionException(vendor + " OAuth2 token endpoint unreachable: " + e.getClass().getSimpleName(),
          vendor, 0, null, null, e);
    }
    if (!response.isSuccessful()) {
      VendorError error = errorParser.parse(response);
      if (response.status() == 400 || response.status() == 401 || response.status() == 403) {
        // RFC 6749 section 5.2: a rejected grant or client is a credential problem, not bad input.
        throw new AuthenticationException(vendor + " OAuth2 token request rejected: HTTP " + response.status()
            + (error.code() == null ? "" : " " + error.code()), vendor, response.status(), error.code(), error.requestId(), null);
      }
      throw ErrorMapper.map(vendor, ApiRequest.of("POST", "/" + String.join("/", tokenUrl.pathSegments())),
          response.status(), error, null);
    }
    Map<String, Object> body = response.json();
    if (!(body.get("access_token") instanceof String access) || access.isBlank()) {
      throw new CrmException(vendor + " OAuth2 token response has no access_token", vendor, response.status(), null, null, null);
    }
    String refresh = body.get("refresh_token") instanceof String s && !s.isBlank() ? s : previousRefreshToken;
    Instant expiresAt = null;
    Object expiresIn = body.get("expires_in");
    if (expiresIn instanceof Number n) {
      expiresAt = sent.plusSeconds(n.longValue());
    } else if (expiresIn instanceof String s && s.strip().matches("\\d+")) {
      expiresAt = sent.plusSeconds(Long.parseLong(s.strip()));
    }
    Object scope = body.get("scope");
    return new OAuth2Token(access, refresh, expiresAt, scope == null ? null : scope.toString());
  }

  @Override
  public String toString() {
    return "OAuth2Tokens[" + vendor + ", clientId=" + clientId + ", clientSecret=***, token="
        + (current == null ? "none" : "***, expiresAt=" + current.expiresAt()) + ']';
  }

  /**
   * Builds {@link OAuth2Tokens}. Required: vendor, tokenUrl, clientId, clientSecret, tokenStore; and
   * redirectUri for the code flow. Not thread-safe. Each setter rejects a {@code null} with a
   * {@link NullPointerException} and a blank text or malformed URL with an
   * {@link IllegalArgumentException}, both naming the setting.
   */
  public static final class Builder {
    /** Default {@link #refreshSkew(Duration)}: 5 minutes. */
    public static final Duration DEFAULT_REFRESH_SKEW = Duration.ofMinutes(5);

    private String vendor;
    private HttpUrl authorizationUrl;
    private HttpUrl tokenUrl;
    private String clientId;
    private String clientSecret;
    private String redirectUri = "";
    private List<String> scopes = List.of();
    private Duration skew = DEFAULT_REFRESH_SKEW;
    private Clock clock = Clock.systemUTC();
    private TokenStore store;
    private OkHttpClient okHttpClient;
    private OAuth2Token initial;
    private ErrorParser errorParser = ErrorParser.generic();

    private Builder() {}

    /** Required: provider name for exceptions, such as {@code "hubspot"}. */
    public Builder vendor(String vendor) {
      this.vendor = text("vendor", vendor);
      return this;
    }

    /** The vendor's consent page, such as {@code https://app.hubspot.com/oauth/authorize}; needed only for {@link #authorizationUrl(String)}. */
    public Builder authorizationUrl(String url) {
      this.authorizationUrl = url("authorizationUrl", url);
      return this;
    }

    /** Required: the token endpoint, such as {@code https://api.hubapi.com/oauth/v1/token}. */
    public Builder tokenUrl(String url) {
      this.tokenUrl = url("tokenUrl", url);
      return this;
    }

    /** Required: the app's client id. */
    public Builder clientId(String clientId) {
      this.clientId = text("clientId", clientId);
      return this;
    }

    /** Required: the app's client secret; never logged or shown. */
    public Builder clientSecret(String clientSecret) {
      Objects.requireNonNull(clientSecret, "clientSecret");
      if (clientSecret.isBlank()) {
        throw new IllegalArgumentException("clientSecret must not be blank");
      }
      this.clientSecret = clientSecret;
      return this;
    }

    /** The redirect URI registered with the vendor; required for the code flow. */
    public Builder redirectUri(String redirectUri) {
      this.redirectUri = text("redirectUri", redirectUri);
      return this;
    }

    /** Scopes to request; default none. */
    public Builder scopes(List<String> scopes) {
      this.scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
      return this;
    }

    /** How long before expiry a token is refreshed; zero or positive; default {@link #DEFAULT_REFRESH_SKEW}. */
    public Builder refreshSkew(Duration skew) {
      Objects.requireNonNull(skew, "refreshSkew");
      if (skew.isNegative()) {
        throw new IllegalArgumentException("refreshSkew must be zero or positive: " + skew);
      }
      this.skew = skew;
      return this;
    }

    /** Time source for expiry; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Required: the host's callback that persists new tokens. */
    public Builder tokenStore(TokenStore store) {
      this.store = Objects.requireNonNull(store, "tokenStore");
      return this;
    }

    /** Tokens persisted earlier; default none (exchange a code first). */
    public Builder tokens(OAuth2Token tokens) {
      this.initial = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** The host's own OkHttp client for token calls; default a process-wide client of crmkit. */
    public Builder okHttpClient(OkHttpClient okHttpClient) {
      this.okHttpClient = Objects.requireNonNull(okHttpClient, "okHttpClient");
      return this;
    }

    /**
     * Reads the token endpoint's error answers, so a rejected grant carries the vendor's code (such as
     * HubSpot's {@code BAD_AUTH_CODE} in {@code status}); default the generic parser ({@code error},
     * {@code code}, {@code category}).
     */
    public Builder errorParser(ErrorParser errorParser) {
      this.errorParser = Objects.requireNonNull(errorParser, "errorParser");
      return this;
    }

    /**
     * @return the credentials
     * @throws IllegalStateException naming the first missing required setter
     */
    public OAuth2Tokens build() {
      String missing = vendor == null ? "vendor" : tokenUrl == null ? "tokenUrl" : clientId == null ? "clientId"
          : clientSecret == null ? "clientSecret" : store == null ? "tokenStore" : null;
      if (missing != null) {
        throw new IllegalStateException("OAuth2Tokens needs " + missing + ": call " + missing + "(...) on the builder");
      }
      return new OAuth2Tokens(this);
    }

    private static String text(String field, String value) {
      Objects.requireNonNull(value, field);
      if (value.isBlank()) {
        throw new IllegalArgumentException(field + " must not be blank: '" + value + "'");
      }
      return value;
    }

    private static HttpUrl url(String field, String value) {
      HttpUrl u = HttpUrl.parse(Objects.requireNonNull(value, field));
      if (u == null) {
        throw new IllegalArgumentException(field + " must be an http or https URL: '" + value + "'");
      }
      return u;
    }
  }
}
