package dev.crmkit.salesforce;

import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.http.AccessTokenProvider;
import dev.crmkit.salesforce.internal.TokenEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.OkHttpClient;

/**
 * The OAuth 2.0 JWT bearer flow, for server-to-server access without a user at the keyboard: an
 * assertion signed with the connected app's certificate key (RS256; {@code iss} the consumer key, {@code
 * sub} the user name, {@code aud} the login host, {@code exp} at most three minutes ahead) is exchanged for
 * a session ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}). Signed with {@code
 * java.security} alone. There is no refresh token: when a session expires (a 401 {@code
 * INVALID_SESSION_ID}), {@link #invalidate} signs a new assertion.
 *
 * <p>An {@link AccessTokenProvider}: the provider uses it when a tenant has a {@code privateKey}
 * credential. Thread-safe; at most one token request runs at a time. {@link #toString()} shows no key or token.
 *
 * @see <a href="https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm">Salesforce: OAuth 2.0 JWT bearer flow</a>
 */
public final class SalesforceJwtBearer implements AccessTokenProvider {
  /** The longest {@code exp} Salesforce accepts ahead of now: three minutes, also the default lifetime. */
  public static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(3);
  private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  private final String clientId;
  private final String username;
  private final String loginUrl;
  private final PrivateKey key;
  private final Duration lifetime;
  private final Clock clock;
  private final TokenEndpoint endpoint;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile SalesforceSession current;

  private SalesforceJwtBearer(Builder b) {
    this.clientId = b.clientId;
    this.username = b.username;
    this.loginUrl = b.loginUrl;
    this.key = b.key;
    this.lifetime = b.lifetime;
    this.clock = b.clock;
    this.endpoint = new TokenEndpoint(loginUrl, b.okHttpClient);
  }

  /** @return a builder: client id, user name and private key required; production login host, 3-minute assertions */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Signs a new assertion and exchanges it for a session.
   *
   * @return the session (no refresh token)
   * @throws AuthenticationException when Salesforce refuses the assertion (its {@code error}, such as {@code
   *     invalid_grant} for an unknown user or a certificate that does not match, is the vendor code)
   * @throws ApiConnectionException when the login host cannot be reached
   */
  public SalesforceSession requestSession() {
    lock.lock();
    try {
      SalesforceSession s = endpoint.request(Map.of("grant_type", GRANT, "assertion", assertion()), null, null);
      current = s;
      return s;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The assertion this instance would send now: {@code base64url(header).base64url(claims).base64url(RS256
   * signature)}.
   *
   * @return the signed JWT
   */
  public String assertion() {
    long exp = clock.instant().plus(lifetime).getEpochSecond();
    String header = b64("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64(("{\"iss\":\"" + json(clientId) + "\",\"sub\":\"" + json(username) + "\",\"aud\":\""
        + json(loginUrl) + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
    String signingInput = header + "." + claims;
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("salesforce JWT bearer: cannot sign with the private key: "
          + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * The current session's access token, requesting a session first when there is none.
   *
   * @throws AuthenticationException when Salesforce refuses the assertion
   * @throws ApiConnectionException when the login host cannot be reached
   */
  @Override
  public String accessToken() {
    SalesforceSession s = current;
    if (s != null) {
      return s.tokens().accessToken();
    }
    lock.lock();
    try {
      s = current;
      return s != null ? s.tokens().accessToken() : requestSession().tokens().accessToken();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Requests a new session when {@code staleToken} is still the current one (another caller may have
   * already).
   *
   * @return true: a new token is worth one more try
   * @throws AuthenticationException when Salesforce refuses the new assertion
   */
  @Override
  public boolean invalidate(String staleToken) {
    Objects.requireNonNull(staleToken, "staleToken");
    lock.lock();
    try {
      SalesforceSession s = current;
      if (s == null || s.tokens().accessToken().equals(staleToken)) {
        requestSession();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "SalesforceJwtBearer[clientId=" + clientId + ", username=" + username + ", loginUrl=" + loginUrl
        + ", privateKey=***, session=" + (current == null ? "none" : "***") + "]";
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Collects the settings; setters reject bad values at once. Not thread-safe. */
  public static final class Builder {
    private String clientId;
    private String username;
    private String loginUrl = SalesforceOAuth.PRODUCTION_LOGIN_URL;
    private PrivateKey key;
    private Duration lifetime = MAX_ASSERTION_LIFETIME;
    private Clock clock = Clock.systemUTC();
    private OkHttpClient okHttpClient;

    private Builder() {}

    /**
     * @param clientId the connected app's consumer key (the assertion's {@code iss}); required
     * @return this builder
     * @throws NullPointerException naming {@code clientId} when {@code null}
     * @throws IllegalArgumentException naming {@code clientId} when blank
     */
    public Builder clientId(String clientId) {
      Objects.requireNonNull(clientId, "clientId");
      if (clientId.isBlank()) {
        throw new IllegalArgumentException("clientId must not be blank");
      }
      this.clientId = clientId.strip();
      return this;
    }

    /**
     * @param username the Salesforce user name the session acts as (the assertion's {@code sub}), such as
     *     {@code integration@acme.com}; the user must be pre-authorized for the connected app; required
     * @return this builder
     * @throws NullPointerException naming {@code username} when {@code null}
     * @throws IllegalArgumentException naming {@code username} when blank
     */
    public Builder username(String username) {
      Objects.requireNonNull(username, "username");
      if (username.isBlank()) {
        throw new IllegalArgumentException("username must not be blank");
      }
      this.username = username.strip();
      return this;
    }

    /**
     * @param loginUrl the login host, also the assertion's {@code aud}: {@link
     *     SalesforceOAuth#PRODUCTION_LOGIN_URL}, {@link SalesforceOAuth#SANDBOX_LOGIN_URL} or a My Domain URL.
     *     Default: production.
     * @return this builder
     * @throws NullPointerException naming {@code loginUrl} when {@code null}
     * @throws IllegalArgumentException naming {@code loginUrl} and the value when not an absolute http(s) URL
     */
    public Builder loginUrl(String loginUrl) {
      this.loginUrl = SalesforceOAuth.Builder.httpUrl("loginUrl", loginUrl).replaceAll("/+$", "");
      return this;
    }

    /**
     * @param pem the connected app certificate's RSA private key in PEM PKCS#8 form ({@code -----BEGIN
     *     PRIVATE KEY-----}); an encrypted or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) key is refused (convert
     *     it with {@code openssl pkcs8 -topk8 -nocrypt}); required. Never shown.
     * @return this builder
     * @throws NullPointerException naming {@code privateKey} when {@code null}
     * @throws IllegalArgumentException naming {@code privateKey} (never its content) when not such a key
     */
    public Builder privateKeyPem(String pem) {
      Objects.requireNonNull(pem, "privateKey");
      String text = pem.strip();
      if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
        throw new IllegalArgumentException("privateKey must be an unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY); "
            + "convert it with openssl pkcs8 -topk8 -nocrypt");
      }
      if (!text.startsWith("-----BEGIN PRIVATE KEY-----") || !text.endsWith("-----END PRIVATE KEY-----")) {
        throw new IllegalArgumentException("privateKey must be a PEM block from -----BEGIN PRIVATE KEY----- to "
            + "-----END PRIVATE KEY-----");
      }
      String base64 = text.substring("-----BEGIN PRIVATE KEY-----".length(), text.length() - "-----END PRIVATE KEY-----".length())
          .replaceAll("\\s+", "");
      try {
        PrivateKey k = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        if (((RSAPrivateKey) k).getModulus().bitLength() < 2048) {
          throw new IllegalArgumentException("privateKey must be an RSA key of 2048 bits or more");
        }
        this.key = k;
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("privateKey")) {
          throw e;
        }
        throw new IllegalArgumentException("privateKey is not valid Base64 inside its PEM block");
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("privateKey is not an RSA PKCS#8 private key");
      }
      return this;
    }

    /**
     * @param lifetime how far ahead of now the assertion's {@code exp} lies; positive and at most {@link
     *     #MAX_ASSERTION_LIFETIME}. Default: {@link #MAX_ASSERTION_LIFETIME}.
     * @return this builder
     * @throws NullPointerException naming {@code lifetime} when {@code null}
     * @throws IllegalArgumentException naming {@code lifetime} and the value when out of range
     */
    public Builder assertionLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_ASSERTION_LIFETIME) > 0) {
        throw new IllegalArgumentException("lifetime must be positive and at most " + MAX_ASSERTION_LIFETIME + ": " + lifetime);
      }
      this.lifetime = lifetime;
      return this;
    }

    /**
     * @param clock the clock {@code exp} is computed from; not {@code null}. Default: {@link Clock#systemUTC()}.
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
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
     * @throws IllegalStateException naming the first of {@code clientId}, {@code username}, {@code privateKey}
     *     not set
     */
    public SalesforceJwtBearer build() {
      String missing = clientId == null ? "clientId" : username == null ? "username" : key == null ? "privateKey" : null;
      if (missing != null) {
        throw new IllegalStateException("SalesforceJwtBearer needs " + missing + "(...)");
      }
      return new SalesforceJwtBearer(this);
    }
  }
}
