package dev.crmkit.testkit.hubspot;

import static dev.crmkit.testkit.hubspot.HubSpotHttp.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorAccessAndFaultsTest {
  private static final String CONTACTS = "/crm/v3/objects/contacts";

  private final HubSpotEmulator emulator = HubSpotEmulator.builder().accessToken("pat-na1-test").build();
  private final HubSpotHttp http = new HubSpotHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void servesOnLoopbackAndAcceptsItsOwnToken() {
    assertThat(emulator.baseUrl()).startsWith("http://127.0.0.1:").doesNotEndWith("/");
    assertThat(emulator.accessToken()).isEqualTo("pat-na1-test");
    assertThat(http.get(CONTACTS).status()).isEqualTo(200);
  }

  @Test
  void theDefaultTokenLooksLikeAPrivateAppToken() {
    try (HubSpotEmulator defaults = HubSpotEmulator.start()) {
      assertThat(defaults.accessToken()).startsWith("pat-na1-");
    }
  }

  @Test
  void aRequestWithoutTokenGets401WithAHubSpotBodyAndChangesNothing() {
    HubSpotHttp.Answer answer = http.send("POST", CONTACTS, properties("email", "a@example.com"), null);

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.json().get("status").asText()).isEqualTo("error");
    assertThat(answer.json().get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
    assertThat(answer.json().get("correlationId").asText()).isNotBlank();
    assertThat(answer.header("X-HubSpot-RateLimit-Remaining")).isEqualTo("100");
    assertThat(http.get(CONTACTS).json().get("results")).isEmpty();
    assertThat(emulator.counters().requests(HubSpotCounters.CREATE)).isEqualTo(1);
  }

  @Test
  void aRequestWithAnotherTokenGets401() {
    assertThat(http.send("GET", CONTACTS, null, "pat-na1-other").status()).isEqualTo(401);
  }

  @Test
  void failNextAnswersTheGivenStatusThatManyTimesThenServesNormally() {
    emulator.faults().failNext(2, 502);

    HubSpotHttp.Answer first = http.post(CONTACTS, properties("email", "a@example.com"));
    HubSpotHttp.Answer second = http.get(CONTACTS);
    HubSpotHttp.Answer third = http.get(CONTACTS);

    assertThat(first.status()).isEqualTo(502);
    assertThat(first.json().get("status").asText()).isEqualTo("error");
    assertThat(second.status()).isEqualTo(502);
    assertThat(third.status()).isEqualTo(200);
    assertThat(third.json().get("results")).isEmpty();
    assertThat(emulator.faults().pending()).isZero();
  }

  @Test
  void malformedNextAnswers200WithABodyThatIsNotJson() {
    emulator.faults().malformedNext(1);

    HubSpotHttp.Answer answer = http.get(CONTACTS);

    assertThat(answer.status()).isEqualTo(200);
    assertThatThrownBy(() -> new ObjectMapper().readTree(answer.text())).isInstanceOf(IOException.class);
    assertThat(http.get(CONTACTS).status()).isEqualTo(200);
  }

  @Test
  void dropNextClosesTheConnectionWithoutAnAnswer() {
    emulator.faults().dropNext(1);

    assertThatThrownBy(
            () -> http.sendOrFail("POST", CONTACTS, properties("email", "a@example.com"), emulator.accessToken()))
        .isInstanceOf(IOException.class);
    assertThat(http.get(CONTACTS).json().get("results")).isEmpty();
    assertThat(emulator.counters().requests(HubSpotCounters.CREATE)).isEqualTo(1);
  }

  @Test
  void slowNextServesNormallyAfterTheDelaySoAShortClientTimeoutFires() throws Exception {
    emulator.faults().slowNext(1, Duration.ofMillis(1500));
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(emulator.baseUrl() + CONTACTS))
        .header("Authorization", "Bearer " + emulator.accessToken())
        .timeout(Duration.ofMillis(200))
        .build();

    assertThatThrownBy(() -> client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.net.http.HttpTimeoutException.class);
    assertThat(emulator.faults().pending()).isZero();
    assertThat(http.get(CONTACTS).status()).isEqualTo(200);
  }

  @Test
  void aSlowResponseStillChangesStateAndCarriesTheNormalAnswer() {
    emulator.faults().slowNext(1, Duration.ofMillis(50));

    HubSpotHttp.Answer created = http.post(CONTACTS, properties("email", "a@example.com"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(emulator.liveContactCount()).isEqualTo(1);
    assertThatThrownBy(() -> emulator.faults().slowNext(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("delay must be more than zero: PT0S");
    assertThatThrownBy(() -> emulator.faults().slowNext(1, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
    assertThatThrownBy(() -> emulator.faults().slowNext(1, null))
        .isInstanceOf(NullPointerException.class).hasMessage("delay");
  }

  @Test
  void faultsComeOutInTheOrderTheyWereAskedFor() {
    emulator.faults().failNext(1, 503).malformedNext(1).failNext(1, 500);

    assertThat(http.get(CONTACTS).status()).isEqualTo(503);
    HubSpotHttp.Answer malformed = http.get(CONTACTS);
    assertThat(malformed.status()).isEqualTo(200);
    assertThatThrownBy(malformed::json).hasRootCauseInstanceOf(IOException.class);
    assertThat(http.get(CONTACTS).status()).isEqualTo(500);
    assertThat(http.get(CONTACTS).status()).isEqualTo(200);
  }

  @Test
  void faultsRejectBadCountsAndStatusesNamingTheField() {
    assertThatThrownBy(() -> emulator.faults().failNext(1, 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status must be from 400 to 599: 200");
    assertThatThrownBy(() -> emulator.faults().failNext(1, 600))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("600");
    assertThatThrownBy(() -> emulator.faults().dropNext(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be one or more: 0");
    assertThatThrownBy(() -> emulator.faults().malformedNext(-2))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("count must be one or more: -2");
    assertThat(emulator.faults().pending()).isZero();
  }

  @Test
  void countersReportRequestsPerEndpointAndReset() {
    http.get(CONTACTS);
    http.get(CONTACTS);
    http.post("/crm/v3/objects/contacts/search", "{}");

    assertThat(emulator.counters().requestsByEndpoint())
        .containsExactly(Map.entry(HubSpotCounters.LIST, 2L), Map.entry(HubSpotCounters.SEARCH, 1L));
    assertThat(emulator.counters().totalRequests()).isEqualTo(3);

    emulator.counters().reset();
    assertThat(emulator.counters().totalRequests()).isZero();
  }

  @Test
  void theBuilderRejectsBadSettingsNamingTheField() {
    assertThatThrownBy(() -> HubSpotEmulator.builder().tenSecondlyLimit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tenSecondlyLimit must be one or more: 0");
    assertThatThrownBy(() -> HubSpotEmulator.builder().batchInputCap(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchInputCap must be one or more: -1");
    assertThatThrownBy(() -> HubSpotEmulator.builder().accessToken(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accessToken");
  }

  @Test
  void theBuilderRejectsNullZeroNegativeAndOutOfRangeArgumentsNamingThem() {
    HubSpotEmulator.Builder b = HubSpotEmulator.builder();
    assertThatThrownBy(() -> b.accessToken(null)).isInstanceOf(NullPointerException.class).hasMessage("accessToken");
    assertThatThrownBy(() -> b.port(-1)).isInstanceOf(IllegalArgumentException.class).hasMessage("port must be from 0 to 65535: -1");
    assertThatThrownBy(() -> b.port(65_536)).isInstanceOf(IllegalArgumentException.class).hasMessage("port must be from 0 to 65535: 65536");
    assertThatThrownBy(() -> b.appId(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("appId must be one or more: 0");
    assertThatThrownBy(() -> b.portalId(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("portalId");
    assertThatThrownBy(() -> b.firstObjectId(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("firstObjectId");
    assertThatThrownBy(() -> b.webhookMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhookMaxAttempts");
    assertThatThrownBy(() -> b.searchPerSecondLimit(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("searchPerSecondLimit");
    assertThatThrownBy(() -> b.dailyLimit(-5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dailyLimit");
    assertThatThrownBy(() -> b.listPageSizeCap(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listPageSizeCap");
    assertThatThrownBy(() -> b.searchPageSizeCap(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("searchPageSizeCap");
    assertThatThrownBy(() -> b.searchResultCap(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("searchResultCap");
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> b.webhooks(null, "s")).isInstanceOf(NullPointerException.class).hasMessage("url");
    assertThatThrownBy(() -> b.webhooks("ftp://x.example/h", "s")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url");
    assertThatThrownBy(() -> b.webhooks("not a url", "s")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url");
    assertThatThrownBy(() -> b.webhooks("http://127.0.0.1:1/h", null)).isInstanceOf(NullPointerException.class).hasMessage("clientSecret");
    assertThatThrownBy(() -> b.webhooks("http://127.0.0.1:1/h", " ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientSecret");
    assertThatThrownBy(() -> emulator.webhooks().target("relative/path", "s")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url");
  }
}
