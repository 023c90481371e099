package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorRateLimitTest {
  private static final String CONTACTS = "/crm/v3/objects/contacts";
  private static final String SEARCH = "/crm/v3/objects/contacts/search";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

  @Test
  void everyAnswerCarriesTheRateLimitHeaders() {
    try (HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).build()) {
      HubSpotHttp.Answer answer = new HubSpotHttp(emulator).get(CONTACTS);

      assertThat(answer.header("X-HubSpot-RateLimit-Max")).isEqualTo("100");
      assertThat(answer.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("99");
      assertThat(answer.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
      assertThat(answer.header("X-HubSpot-RateLimit-Daily")).isEqualTo("250000");
      assertThat(answer.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("249999");
    }
  }

  @Test
  void theRequestBeyondTheTenSecondBudgetGets429WithHubSpotsBodyAndHeaders() {
    try (HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).tenSecondlyLimit(3).build()) {
      HubSpotHttp http = new HubSpotHttp(emulator);
      assertThat(http.get(CONTACTS).header("X-HubSpot-RateLimit-Remaining")).isEqualTo("2");
      assertThat(http.get(CONTACTS).header("X-HubSpot-RateLimit-Remaining")).isEqualTo("1");
      assertThat(http.get(CONTACTS).header("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");

      HubSpotHttp.Answer limited = http.get(CONTACTS);

      assertThat(limited.status()).isEqualTo(429);
      JsonNode body = limited.json();
      assertThat(body.get("status").asText()).isEqualTo("error");
      assertThat(body.get("message").asText()).isEqualTo("You have reached your ten_secondly_rolling limit.");
      assertThat(body.get("errorType").asText()).isEqualTo("RATE_LIMIT");
      assertThat(body.get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
      assertThat(body.get("correlationId").asText()).isNotBlank();
      assertThat(limited.header("X-HubSpot-RateLimit-Max")).isEqualTo("3");
      assertThat(limited.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");
      assertThat(emulator.counters().rateLimitedResponses()).isEqualTo(1);
      assertThat(emulator.counters().requests(HubSpotCounters.LIST)).isEqualTo(4);
    }
  }

  @Test
  void theWindowRollsSoBudgetReturnsTenSecondsAfterEachCall() {
    try (HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).tenSecondlyLimit(2).build()) {
      HubSpotHttp http = new HubSpotHttp(emulator);
      http.get(CONTACTS);
      clock.advance(Duration.ofSeconds(6));
      http.get(CONTACTS);
      assertThat(http.get(CONTACTS).status()).isEqualTo(429);

      clock.advance(Duration.ofSeconds(4));

      assertThat(http.get(CONTACTS).status()).isEqualTo(200);
      assertThat(http.get(CONTACTS).status()).isEqualTo(429);
    }
  }

  @Test
  void theSixthSearchInOneSecondGets429FromTheSecondlyPolicy() {
    try (HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).build()) {
      HubSpotHttp http = new HubSpotHttp(emulator);
      for (int i = 0; i < 5; i++) {
        assertThat(http.post(SEARCH, "{}").status()).isEqualTo(200);
      }

      HubSpotHttp.Answer limited = http.post(SEARCH, "{}");

      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.json().get("policyName").asText()).isEqualTo("SECONDLY");
      assertThat(limited.header("X-HubSpot-RateLimit-Remaining")).isNotNull();
      assertThat(http.get(CONTACTS).status()).isEqualTo(200);
      clock.advance(Duration.ofSeconds(1));
      assertThat(http.post(SEARCH, "{}").status()).isEqualTo(200);
      assertThat(emulator.counters().requests(HubSpotCounters.SEARCH)).isEqualTo(7);
    }
  }

  @Test
  void theDailyBudgetResetsAtMidnight() {
    try (HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).dailyLimit(1).build()) {
      HubSpotHttp http = new HubSpotHttp(emulator);
      assertThat(http.get(CONTACTS).status()).isEqualTo(200);

      HubSpotHttp.Answer limited = http.get(CONTACTS);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.json().get("policyName").asText()).isEqualTo("DAILY");
      assertThat(limited.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("0");

      clock.set(Instant.parse("2026-03-02T00:00:00Z"));
      assertThat(http.get(CONTACTS).status()).isEqualTo(200);
    }
  }

  @Test
  void withRateLimitsOffNoRequestIsRejected() {
    try (HubSpotEmulator emulator =
        HubSpotEmulator.builder().clock(clock).rateLimits(false).tenSecondlyLimit(1).build()) {
      HubSpotHttp http = new HubSpotHttp(emulator);
      for (int i = 0; i < 5; i++) {
        HubSpotHttp.Answer answer = http.get(CONTACTS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("1");
      }
      assertThat(emulator.counters().rateLimitedResponses()).isZero();
    }
  }
}
