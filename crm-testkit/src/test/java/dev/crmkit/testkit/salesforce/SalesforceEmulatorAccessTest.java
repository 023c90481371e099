package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.testkit.MutableClock;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorAccessTest {
  private static final String TOKEN_PATH = "/services/oauth2/token";
  private static final String FORM = "application/x-www-form-urlencoded";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  private final SalesforceEmulator emulator = SalesforceEmulator.builder()
      .clock(clock)
      .oauthClient("3MVG9client", "s3cret")
      .sessionLifetime(Duration.ofMinutes(30))
      .dailyApiLimit(5)
      .build();
  private final SalesforceHttp http = new SalesforceHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void aRequestWithoutAValidSessionGets401InvalidSessionId() {
    SalesforceHttp.Answer none = http.send("GET", http.data("/limits"), null, null, null);
    SalesforceHttp.Answer wrong = http.send("GET", http.data("/limits"), null, null, "00Dnot!valid");

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.text()).isEqualTo("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(emulator.apiUsage()).isZero();
  }

  @Test
  void expiredSessionsAreRejectedUntilTheClientRefreshes() {
    emulator.expireSessions();

    assertThat(http.get("/limits").status()).isEqualTo(401);

    SalesforceHttp.Answer refreshed = token("grant_type=refresh_token&client_id=3MVG9client&client_secret=s3cret"
        + "&refresh_token=" + emulator.newRefreshToken());
    http.useToken(refreshed.json().get("access_token").asText());
    assertThat(http.get("/limits").status()).isEqualTo(200);
  }

  @Test
  void theAuthorizationCodeFlowIssuesASignedSessionWithTheInstanceUrl() throws Exception {
    String code = emulator.authorizationCode("https://app.example.com/callback");

    SalesforceHttp.Answer answer = token("grant_type=authorization_code&client_id=3MVG9client&client_secret=s3cret"
        + "&redirect_uri=" + URLEncoder.encode("https://app.example.com/callback", StandardCharsets.UTF_8) + "&code=" + code);

    assertThat(answer.status()).isEqualTo(200);
    JsonNode body = answer.json();
    assertThat(body.get("instance_url").asText()).isEqualTo(emulator.baseUrl());
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("refresh_token").asText()).isNotBlank();
    assertThat(body.get("id").asText()).startsWith("https://login.salesforce.com/id/" + emulator.orgId() + "/005");
    assertThat(body.get("issued_at").asText()).isEqualTo(Long.toString(clock.instant().toEpochMilli()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = Base64.getEncoder().encodeToString(
        mac.doFinal((body.get("id").asText() + body.get("issued_at").asText()).getBytes(StandardCharsets.UTF_8)));
    assertThat(body.get("signature").asText()).isEqualTo(expected);
    assertThat(answer.header("Sforce-Limit-Info")).isNull();

    SalesforceHttp.Answer reused = token("grant_type=authorization_code&client_id=3MVG9client&client_secret=s3cret"
        + "&redirect_uri=" + URLEncoder.encode("https://app.example.com/callback", StandardCharsets.UTF_8) + "&code=" + code);
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.json().get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void issuedSessionsExpireAfterTheirLifetime() {
    SalesforceHttp.Answer issued = token("grant_type=refresh_token&client_id=3MVG9client&client_secret=s3cret"
        + "&refresh_token=" + emulator.newRefreshToken());
    http.useToken(issued.json().get("access_token").asText());
    assertThat(issued.json().has("refresh_token")).isFalse();
    assertThat(http.get("/limits").status()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(30));

    SalesforceHttp.Answer expired = http.get("/limits");
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.errorCode()).isEqualTo("INVALID_SESSION_ID");
  }

  @Test
  void badTokenRequestsGetOAuthErrors() {
    assertThat(token("grant_type=refresh_token&client_id=other&client_secret=s3cret&refresh_token=x").json()
        .get("error").asText()).isEqualTo("invalid_client_id");
    assertThat(token("grant_type=refresh_token&client_id=3MVG9client&client_secret=wrong&refresh_token=x").json()
        .get("error").asText()).isEqualTo("invalid_client");
    assertThat(token("grant_type=password&client_id=3MVG9client&client_secret=s3cret").json()
        .get("error").asText()).isEqualTo("unsupported_grant_type");
    SalesforceHttp.Answer badRefresh = token("grant_type=refresh_token&client_id=3MVG9client&client_secret=s3cret&refresh_token=x");
    assertThat(badRefresh.status()).isEqualTo(400);
    assertThat(badRefresh.json().get("error_description").asText()).isEqualTo("expired access/refresh token");
  }

  @Test
  void everyApiAnswerReportsUsageAndTheDailyLimitRefusesWith403() {
    for (int i = 1; i <= 5; i++) {
      SalesforceHttp.Answer answer = http.get("/limits");
      assertThat(answer.header("Sforce-Limit-Info")).isEqualTo("api-usage=" + i + "/5");
    }

    SalesforceHttp.Answer refused = http.query("SELECT Id FROM Contact");

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
    assertThat(refused.json().get(0).get("message").asText()).isEqualTo("TotalRequests Limit exceeded.");
    assertThat(refused.header("Sforce-Limit-Info")).isEqualTo("api-usage=5/5");
    assertThat(emulator.counters().limitExceededResponses()).isOne();

    clock.advance(Duration.ofHours(24));
    assertThat(http.get("/limits").status()).isEqualTo(200);
  }

  @Test
  void limitsReportTheDailyAllocation() {
    http.get("/sobjects");

    JsonNode limits = http.get("/limits").json().get("DailyApiRequests");

    assertThat(limits.get("Max").asInt()).isEqualTo(5);
    assertThat(limits.get("Remaining").asInt()).isEqualTo(3);
  }

  @Test
  void theVersionsListNeedsNoSessionAndIsNotCounted() {
    SalesforceHttp.Answer versions = http.send("GET", "/services/data/", null, null, null);

    assertThat(versions.status()).isEqualTo(200);
    assertThat(versions.json().get(0).get("url").asText()).isEqualTo("/services/data/v59.0");
    assertThat(emulator.apiUsage()).isZero();
  }

  @Test
  void injectedFaultsComeFirstAndChangeNothing() {
    emulator.faults().failNext(1, 503).malformedNext(1).dropNext(1);

    SalesforceHttp.Answer failed = http.post("/sobjects/Contact", "{\"LastName\":\"L\"}");
    SalesforceHttp.Answer malformed = http.get("/limits");

    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.errorCode()).isEqualTo("SERVER_UNAVAILABLE");
    assertThat(malformed.status()).isEqualTo(200);
    assertThatThrownBy(malformed::json).isInstanceOf(UncheckedIOException.class);
    // A POST, because java.net.http retries an idempotent GET once on a closed connection.
    assertThatThrownBy(() -> http.post("/sobjects/Contact", "{\"LastName\":\"L\"}"))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(emulator.faults().pending()).isZero();
    assertThat(http.query("SELECT COUNT() FROM Contact").json().get("totalSize").asInt()).isZero();
    assertThat(emulator.apiUsage()).isOne();
  }

  @Test
  void aSlowFaultServesTheRequestAnyway() {
    emulator.faults().slowNext(1, Duration.ofMillis(50));

    assertThat(http.post("/sobjects/Contact", "{\"LastName\":\"L\"}").status()).isEqualTo(201);
  }

  @Test
  void unknownPathsAnswerNotFoundInSalesforcesShape() {
    SalesforceHttp.Answer answer = http.get("/nothing/here");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.errorCode()).isEqualTo("NOT_FOUND");
    assertThat(emulator.counters().requests(SalesforceCounters.UNKNOWN)).isOne();
  }

  @Test
  void builderRejectsBadSettingsNamingThem() {
    assertThatThrownBy(() -> SalesforceEmulator.builder().apiVersion("59")).hasMessageContaining("apiVersion");
    assertThatThrownBy(() -> SalesforceEmulator.builder().orgId("001000000000000")).hasMessageContaining("orgId");
    assertThatThrownBy(() -> SalesforceEmulator.builder().pageSize(2001)).hasMessageContaining("2001");
    assertThatThrownBy(() -> SalesforceEmulator.builder().dailyApiLimit(0)).hasMessageContaining("dailyApiLimit");
    assertThatThrownBy(() -> SalesforceEmulator.builder().sessionLifetime(Duration.ZERO)).hasMessageContaining("lifetime");
    assertThatThrownBy(() -> SalesforceEmulator.builder().port(70_000)).hasMessageContaining("70000");
    assertThatThrownBy(() -> SalesforceEmulator.builder().clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SalesforceEmulator.start().authorizationCode("https://x")).isInstanceOf(IllegalStateException.class);
  }

  private SalesforceHttp.Answer token(String form) {
    return http.send("POST", TOKEN_PATH, form, FORM, null);
  }
}
