package dev.crmkit.testkit.hubspot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * HubSpot's OAuth 2.0 token endpoint for one app: authorization codes (single use, bound to a
 * redirect URI, living {@link #CODE_LIFETIME}) and refresh tokens are exchanged for access tokens that live for the configured
 * lifetime. Refresh tokens stay the same unless rotation is on, as HubSpot's do. Thread-safe:
 * every method holds the lock.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/oauth-quickstart-guide">HubSpot: OAuth</a>
 */
final class OAuthServer {
  /** What a bearer token is to this server. */
  enum TokenState {
    LIVE,
    EXPIRED,
    UNKNOWN
  }

  static final List<String> SCOPES = List.of("crm.objects.contacts.read", "crm.objects.contacts.write", "oauth");
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * How long an authorization code can be exchanged. HubSpot documents no lifetime; the emulator
   * keeps codes short-lived, as RFC 6749 section 4.1.2 asks (at most 10 minutes).
   */
  static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

  private final Clock clock;
  private final String clientId;
  private final String clientSecret;
  private final Duration lifetime;
  private final boolean rotateRefreshTokens;
  private final long portalId;
  private final long appId;
  private final Map<String, String> redirectUriByCode = new HashMap<>();
  private final Map<String, Instant> expiryByCode = new HashMap<>();
  private final Map<String, Instant> expiryByAccessToken = new HashMap<>();
  private final Map<String, Boolean> refreshTokens = new HashMap<>();

  OAuthServer(Clock clock, String clientId, String clientSecret, Duration lifetime, boolean rotateRefreshTokens,
      long portalId, long appId) {
    this.clock = clock;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.lifetime = lifetime;
    this.rotateRefreshTokens = rotateRefreshTokens;
    this.portalId = portalId;
    this.appId = appId;
  }

  boolean configured() {
    return clientId != null;
  }

  /** @return whether {@code id} is the app's client id */
  boolean knowsClient(String id) {
    return clientId != null && clientId.equals(id);
  }

  synchronized String newAuthorizationCode(String redirectUri) {
    String code = UUID.randomUUID().toString();
    redirectUriByCode.put(code, redirectUri);
    expiryByCode.put(code, clock.instant().plus(CODE_LIFETIME));
    return code;
  }

  synchronized String newRefreshToken() {
    String token = "na1-" + UUID.randomUUID();
    refreshTokens.put(token, Boolean.TRUE);
    return token;
  }

  synchronized TokenState state(String accessToken) {
    Instant expiry = expiryByAccessToken.get(accessToken);
    if (expiry == null) {
      return TokenState.UNKNOWN;
    }
    return clock.instant().isBefore(expiry) ? TokenState.LIVE : TokenState.EXPIRED;
  }

  /** @return how long ago the token expired, for HubSpot's expired-token message */
  synchronized Duration expiredFor(String accessToken) {
    Instant expiry = expiryByAccessToken.get(accessToken);
    return expiry == null ? Duration.ZERO : Duration.between(expiry, clock.instant());
  }

  /** Makes every access token issued so far expired now. */
  synchronized void expireAccessTokens() {
    Instant now = clock.instant();
    expiryByAccessToken.replaceAll((token, expiry) -> expiry.isAfter(now) ? now : expiry);
  }

  /**
   * Serves {@code POST /oauth/v1/token}.
   *
   * @param form the form fields and query parameters, by name
   * @return the token response body
   * @throws ApiError 400 with HubSpot's OAuth error code as the category (BAD_CLIENT_ID,
   *     BAD_CLIENT_SECRET, BAD_GRANT_TYPE, BAD_AUTH_CODE, BAD_REDIRECT_URI, BAD_REFRESH_TOKEN)
   */
  synchronized ObjectNode token(Map<String, String> form) {
    if (!configured() || !clientId.equals(form.get("client_id"))) {
      throw oauthError("BAD_CLIENT_ID", "missing or unknown client id");
    }
    if (!clientSecret.equals(form.get("client_secret"))) {
      throw oauthError("BAD_CLIENT_SECRET", "missing or invalid client secret");
    }
    String grantType = String.valueOf(form.get("grant_type"));
    String refreshToken;
    switch (grantType) {
      case "authorization_code":
        String code = form.get("code");
        if (code == null || !redirectUriByCode.containsKey(code)) {
          throw oauthError("BAD_AUTH_CODE", "missing or unknown auth code");
        }
        if (!clock.instant().isBefore(expiryByCode.get(code))) {
          redirectUriByCode.remove(code);
          expiryByCode.remove(code);
          throw oauthError("BAD_AUTH_CODE", "auth code expired");
        }
        if (!redirectUriByCode.get(code).equals(form.get("redirect_uri"))) {
          throw oauthError("BAD_REDIRECT_URI", "redirect_uri does not match the one the code was issued for");
        }
        redirectUriByCode.remove(code);
        expiryByCode.remove(code);
        refreshToken = newRefreshToken();
        break;
      case "refresh_token":
        refreshToken = form.get("refresh_token");
        if (refreshToken == null || !refreshTokens.containsKey(refreshToken)) {
          throw oauthError("BAD_REFRESH_TOKEN", "missing or unknown refresh token");
        }
        if (rotateRefreshTokens) {
          refreshTokens.remove(refreshToken);
          refreshToken = newRefreshToken();
        }
        break;
      default:
        throw oauthError("BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token, was '" + grantType + "'");
    }
    String accessToken = "emu-na1-" + UUID.randomUUID();
    expiryByAccessToken.put(accessToken, clock.instant().plus(lifetime));
    ObjectNode body = JSON.createObjectNode();
    body.put("token_type", "bearer");
    body.put("refresh_token", refreshToken);
    body.put("access_token", accessToken);
    body.put("expires_in", lifetime.toSeconds());
    body.put("token_use", "access_token");
    body.put("hub_id", portalId);
    body.put("user_id", 1);
    SCOPES.forEach(body.putArray("scopes")::add);
    return body;
  }

  /**
   * Serves {@code GET /oauth/v1/access-tokens/{token}}: what HubSpot says about a live access token.
   *
   * @throws ApiError 404 when the token is unknown or expired
   */
  synchronized ObjectNode accessTokenInfo(String accessToken) {
    Instant expiry = expiryByAccessToken.get(accessToken);
    Instant now = clock.instant();
    if (expiry == null || !now.isBefore(expiry)) {
      throw new ApiError(404, "NOT_FOUND", "access token not found or expired", Map.of());
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("token", accessToken);
    body.put("user", "emulator-user@example.com");
    body.put("hub_domain", "emulator-" + portalId + ".hubspot.com");
    SCOPES.forEach(body.putArray("scopes")::add);
    body.put("hub_id", portalId);
    body.put("app_id", appId);
    body.put("expires_in", Duration.between(now, expiry).toSeconds());
    body.put("user_id", 1);
    body.put("token_type", "access");
    return body;
  }

  private static ApiError oauthError(String code, String message) {
    return new ApiError(400, code, message, Map.of());
  }
}
