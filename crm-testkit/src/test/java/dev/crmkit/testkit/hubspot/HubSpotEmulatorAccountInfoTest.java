package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.testkit.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorAccountInfoTest {
  private static final String DETAILS = "/account-info/v3/details";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-07-01T10:00:00Z"));
  private final HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).portalId(62515).build();
  private final HubSpotHttp http = new HubSpotHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void theAccountDetailsNameTheEmulatorsPortalInHubSpotsShape() {
    HubSpotHttp.Answer answer = http.get(DETAILS);

    assertThat(answer.status()).isEqualTo(200);
    JsonNode body = answer.json();
    assertThat(body.get("portalId").isIntegralNumber()).isTrue();
    assertThat(body.get("portalId").asLong()).isEqualTo(62515);
    assertThat(body.get("accountType").asText()).isEqualTo("STANDARD");
    assertThat(body.get("timeZone").asText()).isEqualTo("US/Eastern");
    assertThat(body.get("utcOffset").asText()).isEqualTo("-04:00");
    assertThat(body.get("utcOffsetMilliseconds").asLong()).isEqualTo(-4 * 3_600_000L);
    assertThat(body.get("companyCurrency").asText()).isEqualTo("USD");
    assertThat(body.get("additionalCurrencies").isArray()).isTrue();
    assertThat(body.get("uiDomain").asText()).isEqualTo("app.hubspot.com");
    assertThat(body.get("dataHostingLocation").asText()).isEqualTo("na1");
    assertThat(answer.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("99");
    assertThat(emulator.counters().requests(HubSpotCounters.ACCOUNT_DETAILS)).isEqualTo(1);
  }

  @Test
  void theUtcOffsetFollowsTheClockAcrossDaylightSavingTime() {
    clock.set(Instant.parse("2026-01-15T10:00:00Z"));

    assertThat(http.get(DETAILS).json().get("utcOffset").asText()).isEqualTo("-05:00");
  }

  @Test
  void theAccountDetailsWithoutOrWithAnotherTokenAre401AndCounted() {
    HubSpotHttp.Answer none = http.send("GET", DETAILS, null, null);
    HubSpotHttp.Answer other = http.send("GET", DETAILS, null, "pat-na1-other");

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
    assertThat(none.json().has("portalId")).isFalse();
    assertThat(other.status()).isEqualTo(401);
    assertThat(emulator.counters().requests(HubSpotCounters.ACCOUNT_DETAILS)).isEqualTo(2);
  }

  @Test
  void onlyGetServesTheAccountDetails() {
    HubSpotHttp.Answer answer = http.post(DETAILS, "{}");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(emulator.counters().requests(HubSpotCounters.ACCOUNT_DETAILS)).isZero();
    assertThat(emulator.counters().requests(HubSpotCounters.UNKNOWN)).isEqualTo(1);
  }
}
