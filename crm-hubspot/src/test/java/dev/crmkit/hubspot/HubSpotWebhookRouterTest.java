package dev.crmkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.webhook.WebhookHandler;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResult;
import dev.crmkit.webhook.WebhookRouter;
import dev.crmkit.webhook.WebhookRouter.Refusal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HubSpotWebhookRouterTest {
  private static final String URL = "https://app.example/webhooks/integrations/hubspot";
  private static final Instant NOW = Instant.parse("2026-12-06T22:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final WebhookRouter ROUTER = new HubSpotCustomerSystemProvider().webhooks().orElseThrow();

  private static WebhookRequest request(String body) {
    return WebhookRequest.builder().method("POST").url(URL).body(body).receivedAt(NOW).build();
  }

  private static WebhookRequest signed(String body, String secret) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long ts = NOW.toEpochMilli();
    return WebhookRequest.builder().method("POST").url(URL).body(bytes).receivedAt(NOW)
        .header("X-HubSpot-Signature-v3", HubSpotSignatures.v3(secret, "POST", URL, bytes, ts))
        .header("X-HubSpot-Request-Timestamp", Long.toString(ts)).build();
  }

  private static String event(String eventId, Object portalId) {
    return "{\"eventId\":" + eventId + ",\"portalId\":" + portalId + ",\"subscriptionType\":\"contact.creation\","
        + "\"occurredAt\":1765058400000,\"objectId\":501}";
  }

  private static TenantConfig config(String... credentials) {
    TenantConfig.Builder b = TenantConfig.builder("tenant-a", "hubspot");
    for (int i = 0; i < credentials.length; i += 2) {
      b.credential(credentials[i], credentials[i + 1]);
    }
    return b.build();
  }

  @Test
  void readsThePortalIdThatEveryEventOfTheDeliveryNames() {
    assertThat(ROUTER.accountId(request("[" + event("1", 62515) + "," + event("2", "\"62515\"") + "]")))
        .isEqualTo("62515");
    assertThat(ROUTER.accountId(request("[" + event("1", "\"0062515\"") + "]"))).isEqualTo("62515");
  }

  @Test
  void refusesADeliveryWhoseEventsNameDifferentPortalsWithoutEchoingThem() {
    assertThatThrownBy(() -> ROUTER.accountId(request("[" + event("1", 62515) + "," + event("2", 99999) + "]")))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("portalId");
          assertThat(e.getMessage()).contains("different portals").doesNotContain("99999");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "[]", "not json", "[1]", "[{\"eventId\":1}]", "[{\"portalId\":-4}]",
      "[{\"portalId\":1.5}]", "[{\"portalId\":\"12a\"}]", "[{\"portalId\":0}]", "[{\"portalId\":null}]"})
  void refusesABodyThatNamesNoPortal(String body) {
    assertThatThrownBy(() -> ROUTER.accountId(request(body))).isInstanceOf(ValidationException.class);
  }

  @Test
  void buildsAV3HandlerKeyedByTheIntegrationsClientSecret() {
    String body = "[" + event("1", 62515) + "]";
    WebhookHandler handler = ROUTER.handler(config("clientSecret", "secret-a"), "62515", CLOCK);

    WebhookResult result = handler.handle(signed(body, "secret-a"));

    assertThat(result.events()).singleElement().satisfies(e -> assertThat(e.eventId()).isEqualTo("1"));
    assertThat(result.response().status()).isEqualTo(200);
    assertThatThrownBy(() -> handler.handle(signed(body, "secret-b"))).isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> handler.handle(request(body))).isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void aHandlerNeedsTheClientSecretCredentialAndNamesItWithoutAValue() {
    assertThatThrownBy(() -> ROUTER.handler(config("accessToken", "pat-na1-123"), "62515", CLOCK))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("clientSecret")
        .hasMessageNotContaining("pat-na1-123");
  }

  @Test
  void refusalsUseStatusesHubSpotDoesNotRetryExceptWhenEventsWereNotStored() {
    assertThat(Arrays.stream(Refusal.values()).map(r -> ROUTER.refusal(r).status()))
        .containsExactly(404, 401, 400, 413, 500);
    assertThat(ROUTER.acknowledgement().status()).isEqualTo(200);
    assertThat(ROUTER.maxBodyBytes()).isEqualTo(HubSpotWebhookHandler.DEFAULT_MAX_BODY_BYTES);
  }
}
