package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sessions and the OAuth 2.0 token endpoint of one connected app. An access token is a session id:
 * issued ones live for the session lifetime from issue (the emulator does not extend them on
 * activity); the configured access token lives until {@link #expireAll()}. Authorization codes
 * are single-use, live {@link #CODE_LIFETIME} and are bound to a redirect URI (and a PKCE
 * challenge); refresh tokens stay valid until revoked, as with the default connected-app policy. The JWT bearer grant is served once a consumer key and its
 * certificate's public key are configured. Thread-safe: every method holds the lock.
 *
 * @see <a href="https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm">OAuth web server flow</a>
 * @see <a href="https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm">OAuth refresh token flow</a>
 * @see <a href="https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm">OAuth JWT bearer flow</a>
 */
final class SessionServer {
  /** What a bearer token is to this server. */
  enum State { LIVE, EXPIRED, UNKNOWN }

  /** An OAuth error: status 400 or 401 and the body {@code {error, error_description}}. */
  static final class OAuthError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String error;

    OAuthError(int status, String error, String description) {
      super(description, null, false, false);
      this.status = status;
      this.error = error;
    }
  }

  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final Duration JWT_MAX_LIFETIME = Duration.ofMinutes(3);
  /** How long an authorization code can be exchanged: Salesforce's 15 minutes. */
  static final Duration CODE_LIFETIME = Duration.ofMinutes(15);

  private final Clock clock;
  private final String clientId;
  private final String clientSecret;
  private final Duration lifetime;
  private final String identityUrl;
  private final Map<String, Instant> expiryByToken = new HashMap<>();
  private final Map<String, String> redirectUriByCode = new HashMap<>();
  private final Map<String, String> challengeByCode = new HashMap<>();
  private final Map<String, Instant> expiryByCode = new HashMap<>();
  private final Set<String> refreshTokens = new HashSet<>();
  /** Set once the server has a port, before it is announced. */
  private volatile String instanceUrl;
  private boolean staticTokenLive = true;
  private final String staticToken;
  private String jwtConsumerKey;
  private PublicKey jwtKey;

  SessionServer(Clock clock, String staticToken, String clientId, String clientSecret, Duration lifetime,
      String orgId, String userId) {
    this.clock = clock;
    this.staticToken = staticToken;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.lifetime = lifetime;
    this.identityUrl = "https://login.salesforce.com/id/" + orgId + "/" + userId;
  }

  synchronized void jwtBearer(String consumerKey, PublicKey key) {
    this.jwtConsumerKey = consumerKey;
    this.jwtKey = key;
  }

  void instanceUrl(String url) {
    this.instanceUrl = url;
  }

  boolean oauthConfigured() {
    return clientId != null;
  }

  /** @return whether {@code id} is the connected app's consumer key */
  boolean knowsClient(String id) {
    return clientId != null && clientId.equals(id);
  }

  synchronized State state(String token) {
    if (token.equals(staticToken)) {
      return staticTokenLive ? State.LIVE : State.EXPIRED;
    }
    Instant expiry = expiryByToken.get(token);
    if (expiry == null) {
      return State.UNKNOWN;
    }
    return clock.instant().isBefore(expiry) ? State.LIVE : State.EXPIRED;
  }

  /** Ends every session, the configured token's too; refresh tokens stay valid. */
  synchronized void expireAll() {
    staticTokenLive = false;
    Instant now = clock.instant();
    expiryByToken.replaceAll((token, expiry) -> expiry.isAfter(now) ? now : expiry);
  }

  synchronized String newAuthorizationCode(String redirectUri, String codeChallenge) {
    String code = "aPrx" + UUID.randomUUID().toString().replace("-", "");
    redirectUriByCode.put(code, redirectUri);
    expiryByCode.put(code, clock.instant().plus(CODE_LIFETIME));
    if (codeChallenge != null) {
      challengeByCode.put(code, codeChallenge);
    }
    return code;
  }

  synchronized String newRefreshToken() {
    String token = "5Aep861" + UUID.randomUUID().toString().replace("-", "");
    refreshTokens.add(token);
    return token;
  }

  /**
   * Serves {@code POST /services/oauth2/token}.
   *
   * @throws OAuthError invalid_client_id, invalid_client, unsupported_grant_type, invalid_grant
   */
  synchronized ObjectNode token(Map<String, String> form) {
    if (JWT_BEARER.equals(form.get("grant_type"))) {
      return jwtBearer(form.get("assertion"));
    }
    if (!oauthConfigured() || !clientId.equals(form.get("client_id"))) {
      throw new OAuthError(400, "invalid_client_id", "client identifier invalid");
    }
    String grantType = String.valueOf(form.get("grant_type"));
    if (!clientSecret.equals(form.get("client_secret"))) {
      throw new OAuthError(400, "invalid_client", "invalid client credentials");
    }
    String refreshToken = null;
    switch (grantType) {
      case "authorization_code":
        String code = form.get("code");
        String redirectUri = code == null ? null : redirectUriByCode.remove(code);
        String challenge = code == null ? null : challengeByCode.remove(code);
        Instant codeExpiry = code == null ? null : expiryByCode.remove(code);
        if (redirectUri == null) {
          throw new OAuthError(400, "invalid_grant", "invalid authorization code");
        }
        if (!clock.instant().isBefore(codeExpiry)) {
          throw new OAuthError(400, "invalid_grant", "expired authorization code");
        }
        if (challenge != null && !challenge.equals(s256(form.get("code_verifier")))) {
          throw new OAuthError(400, "invalid_grant", "invalid code verifier");
        }
        if (!redirectUri.equals(form.get("redirect_uri"))) {
          throw new OAuthError(400, "redirect_uri_mismatch", "redirect_uri must match configuration");
        }
        refreshToken = newRefreshToken();
        break;
      case "refresh_token":
        if (!refreshTokens.contains(form.get("refresh_token"))) {
          throw new OAuthError(400, "invalid_grant", "expired access/refresh token");
        }
        break;
      default:
        throw new OAuthError(400, "unsupported_grant_type", "grant type not supported");
    }
    String accessToken = "00D!emu." + UUID.randomUUID().toString().replace("-", "");
    Instant now = clock.instant();
    expiryByToken.put(accessToken, now.plus(lifetime));
    String issuedAt = Long.toString(now.toEpochMilli());
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("access_token", accessToken);
    if (refreshToken != null) {
      body.put("refresh_token", refreshToken);
    }
    body.put("signature", signature(identityUrl + issuedAt));
    body.put("scope", "refresh_token api");
    body.put("instance_url", instanceUrl);
    body.put("id", identityUrl);
    body.put("token_type", "Bearer");
    body.put("issued_at", issuedAt);
    return body;
  }

  /**
   * The JWT bearer flow: an RS256-signed assertion whose {@code iss} is the configured consumer
   * key, {@code aud} {@code https://login.salesforce.com}, {@code https://test.salesforce.com} or
   * the instance URL, {@code sub} a user name, and {@code exp} (epoch seconds) in the future and at
   * most three minutes ahead. The answer has no refresh token.
   */
  private ObjectNode jwtBearer(String assertion) {
    if (jwtKey == null) {
      throw new OAuthError(400, "unsupported_grant_type", "grant type not supported");
    }
    String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
    if (parts.length != 3) {
      throw new OAuthError(400, "invalid_grant", "invalid assertion");
    }
    JsonNode header;
    JsonNode claims;
    try {
      Base64.Decoder decoder = Base64.getUrlDecoder();
      header = RestApi.MAPPER.readTree(decoder.decode(parts[0]));
      claims = RestApi.MAPPER.readTree(decoder.decode(parts[1]));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(jwtKey);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!"RS256".equals(header.path("alg").asText()) || !rsa.verify(decoder.decode(parts[2]))) {
        throw new OAuthError(400, "invalid_grant", "invalid assertion");
      }
    } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
      throw new OAuthError(400, "invalid_grant", "invalid assertion");
    }
    if (!jwtConsumerKey.equals(claims.path("iss").asText())) {
      throw new OAuthError(400, "invalid_client_id", "client identifier invalid");
    }
    String audience = claims.path("aud").asText();
    if (!List.of("https://login.salesforce.com", "https://test.salesforce.com", instanceUrl).contains(audience)) {
      throw new OAuthError(400, "invalid_grant", "audience is invalid");
    }
    if (claims.path("sub").asText().isBlank()) {
      throw new OAuthError(400, "invalid_grant", "user is missing: the assertion has no sub");
    }
    long now = clock.instant().getEpochSecond();
    long exp = claims.path("exp").asLong(0);
    if (exp <= now || exp > now + JWT_MAX_LIFETIME.toSeconds()) {
      throw new OAuthError(400, "invalid_grant", "expired authorization code: exp must be in the future and at most "
          + JWT_MAX_LIFETIME.toMinutes() + " minutes ahead");
    }
    String accessToken = "00D!emu." + UUID.randomUUID().toString().replace("-", "");
    expiryByToken.put(accessToken, clock.instant().plus(lifetime));
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("access_token", accessToken);
    body.put("scope", "api");
    body.put("instance_url", instanceUrl);
    body.put("id", identityUrl);
    body.put("token_type", "Bearer");
    return body;
  }

  /** RFC 7636 S256: Base64url, unpadded, of the verifier's SHA-256; null for no verifier. */
  private static String s256(String verifier) {
    if (verifier == null) {
      return null;
    }
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Salesforce's {@code signature}: Base64 HMAC-SHA256 of {@code id + issued_at} under the client secret. */
  private String signature(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is always available", e);
    }
  }
}
