package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorOAuthTest {
  private static final String REDIRECT = "https://app.example.com/oauth/callback";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final HubSpotEmulator emulator =
      HubSpotEmulator.builder().clock(clock).oauthClient("client-1", "secret-1").build();
  private final HubSpotHttp http = new HubSpotHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private HubSpotHttp.Answer token(String form) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/oauth/v1/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      return new HubSpotHttp.Answer(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anAuthorizationCodeBuysAnAccessTokenTheApiAccepts() {
    String code = emulator.authorizationCode(REDIRECT);

    HubSpotHttp.Answer answer = token("grant_type=authorization_code&client_id=client-1&client_secret=secret-1"
        + "&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback&code=" + code);

    assertThat(answer.status()).isEqualTo(200);
    JsonNode body = answer.json();
    assertThat(body.get("token_type").asText()).isEqualTo("bearer");
    assertThat(body.get("expires_in").asLong()).isEqualTo(1800);
    assertThat(body.get("refresh_token").asText()).isNotBlank();
    String accessToken = body.get("access_token").asText();
    assertThat(http.send("GET", "/crm/v3/objects/contacts", null, accessToken).status()).isEqualTo(200);
    assertThat(emulator.counters().requests(HubSpotCounters.OAUTH_TOKEN)).isEqualTo(1);
    assertThat(token("grant_type=authorization_code&client_id=client-1&client_secret=secret-1"
        + "&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback&code=" + code).json().get("status").asText())
        .isEqualTo("BAD_AUTH_CODE");
  }

  @Test
  void anExpiredAccessTokenGets401ExpiredAuthenticationUntilRefreshed() {
    String refreshToken = emulator.newRefreshToken();
    String form = "grant_type=refresh_token&client_id=client-1&client_secret=secret-1&refresh_token=" + refreshToken;
    String accessToken = token(form).json().get("access_token").asText();

    clock.advance(Duration.ofMinutes(31));
    HubSpotHttp.Answer expired = http.send("GET", "/crm/v3/objects/contacts", null, accessToken);

    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.json().get("category").asText()).isEqualTo("EXPIRED_AUTHENTICATION");
    assertThat(expired.json().get("message").asText()).contains("expired 1 minute(s) ago");
    JsonNode refreshed = token(form).json();
    assertThat(refreshed.get("refresh_token").asText()).isEqualTo(refreshToken);
    assertThat(http.send("GET", "/crm/v3/objects/contacts", null, refreshed.get("access_token").asText()).status())
        .isEqualTo(200);
  }

  @Test
  void expireAccessTokensEndsIssuedTokensButNotThePrivateAppToken() {
    String form = "grant_type=refresh_token&client_id=client-1&client_secret=secret-1&refresh_token="
        + emulator.newRefreshToken();
    String accessToken = token(form).json().get("access_token").asText();

    emulator.expireAccessTokens();

    assertThat(http.send("GET", "/crm/v3/objects/contacts", null, accessToken).json().get("category").asText())
        .isEqualTo("EXPIRED_AUTHENTICATION");
    assertThat(http.get("/crm/v3/objects/contacts").status()).isEqualTo(200);
  }

  @Test
  void rotationIssuesANewRefreshTokenAndRetiresTheOldOne() {
    try (HubSpotEmulator rotating =
        HubSpotEmulator.builder().clock(clock).oauthClient("c", "s").rotateRefreshTokens(true).build()) {
      String old = rotating.newRefreshToken();
      HubSpotHttp rotatingHttp = new HubSpotHttp(rotating);
      String form = "grant_type=refresh_token&client_id=c&client_secret=s&refresh_token=";

      HubSpotHttp.Answer first = rotatingHttp.send("POST", "/oauth/v1/token?" + form + old, null, null);
      HubSpotHttp.Answer reused = rotatingHttp.send("POST", "/oauth/v1/token?" + form + old, null, null);

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.json().get("refresh_token").asText()).isNotEqualTo(old);
      assertThat(reused.status()).isEqualTo(400);
      assertThat(reused.json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
    }
  }

  @Test
  void badClientCredentialsGrantTypeAndRedirectGet400WithHubSpotCodes() {
    String code = emulator.authorizationCode(REDIRECT);

    assertThat(token("grant_type=refresh_token&client_id=other&client_secret=secret-1&refresh_token=x")
        .json().get("status").asText()).isEqualTo("BAD_CLIENT_ID");
    assertThat(token("grant_type=refresh_token&client_id=client-1&client_secret=wrong&refresh_token=x")
        .json().get("status").asText()).isEqualTo("BAD_CLIENT_SECRET");
    assertThat(token("grant_type=password&client_id=client-1&client_secret=secret-1")
        .json().get("status").asText()).isEqualTo("BAD_GRANT_TYPE");
    assertThat(token("grant_type=authorization_code&client_id=client-1&client_secret=secret-1&redirect_uri=x&code=" + code)
        .json().get("status").asText()).isEqualTo("BAD_REDIRECT_URI");
    assertThat(token("grant_type=refresh_token&client_id=client-1&client_secret=secret-1&refresh_token=nope").status())
        .isEqualTo(400);
  }

  @Test
  void oauthHooksNeedAConfiguredClientAndTheBuilderChecksItsSettings() {
    try (HubSpotEmulator plain = HubSpotEmulator.start()) {
      assertThatThrownBy(plain::newRefreshToken).isInstanceOf(IllegalStateException.class).hasMessageContaining("oauthClient");
    }
    assertThatThrownBy(() -> HubSpotEmulator.builder().oauthClient(" ", "s")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clientId");
    assertThatThrownBy(() -> HubSpotEmulator.builder().oauthClient(null, "s")).isInstanceOf(NullPointerException.class)
        .hasMessage("clientId");
    assertThatThrownBy(() -> HubSpotEmulator.builder().accessTokenLifetime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("accessTokenLifetime must be one second or more: PT0S");
    assertThatThrownBy(() -> HubSpotEmulator.builder().accessTokenLifetime(null))
        .isInstanceOf(NullPointerException.class).hasMessage("accessTokenLifetime");
    assertThatThrownBy(() -> HubSpotEmulator.builder().oauthClient("c", "s1").webhooks("http://127.0.0.1:1/h", "s2").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("webhooks(...)").hasMessageContaining("oauthClient(...)");
  }
}
