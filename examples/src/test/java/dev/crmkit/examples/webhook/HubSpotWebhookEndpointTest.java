package dev.crmkit.examples.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.hubspot.HubSpotSignatures;
import dev.crmkit.hubspot.HubSpotWebhookHandler;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotWebhookEndpointTest {
  private static final String SECRET = "client-secret-for-tests";
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private static final String BODY = "[{\"eventId\":101,\"subscriptionId\":7,\"portalId\":62515,\"appId\":1,"
      + "\"occurredAt\":" + NOW.toEpochMilli() + ",\"subscriptionType\":\"contact.propertyChange\","
      + "\"attemptNumber\":0,\"objectId\":123,\"propertyName\":\"email\",\"propertyValue\":\"ada@example.com\","
      + "\"changeSource\":\"CRM\"}]";

  private final List<List<ChangeEvent>> received = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private HubSpotWebhookEndpoint endpoint;

  private HubSpotWebhookEndpoint start(String publicBaseUrl, boolean consumerFails) {
    HubSpotWebhookHandler handler = HubSpotWebhookHandler.builder()
        .clientSecret(SECRET)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
    endpoint = HubSpotWebhookEndpoint.start(new InetSocketAddress("127.0.0.1", 0), "/webhooks/hubspot",
        publicBaseUrl, handler, events -> {
          if (consumerFails) {
            throw new IllegalStateException("inbox down");
          }
          received.add(events);
        });
    return endpoint;
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private HttpResponse<String> post(URI target, String signedUrl, String body, String signatureBody) throws Exception {
    long timestamp = NOW.toEpochMilli();
    String signature = HubSpotSignatures.v3(SECRET, "POST", signedUrl,
        signatureBody.getBytes(StandardCharsets.UTF_8), timestamp);
    HttpRequest request = HttpRequest.newBuilder(target)
        .header("Content-Type", "application/json")
        .header("X-HubSpot-Signature-v3", signature)
        .header("X-HubSpot-Request-Timestamp", Long.toString(timestamp))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSignedCallIsVerifiedParsedAndAnsweredWith200() throws Exception {
    URI url = start(null, false).url();

    HttpResponse<String> response = post(url, url.toString(), BODY, BODY);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(received).hasSize(1);
    ChangeEvent event = received.get(0).get(0);
    assertThat(event.type()).isEqualTo(ChangeEventType.UPDATED);
    assertThat(event.objectId()).isEqualTo("123");
  }

  @Test
  void behindAProxyTheSignatureCoversThePublicUrlNotTheLocalOne() throws Exception {
    URI url = start("https://app.example.com", false).url();

    HttpResponse<String> signedForPublic = post(url, "https://app.example.com/webhooks/hubspot", BODY, BODY);
    HttpResponse<String> signedForLocal = post(url, url.toString(), BODY, BODY);

    assertThat(signedForPublic.statusCode()).isEqualTo(200);
    assertThat(signedForLocal.statusCode()).isEqualTo(401);
    assertThat(received).hasSize(1);
  }

  @Test
  void aTamperedBodyIsRejectedWith401AndNoEventReachesTheConsumer() throws Exception {
    URI url = start(null, false).url();

    HttpResponse<String> response = post(url, url.toString(), BODY.replace("ada@", "eve@"), BODY);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(received).isEmpty();
  }

  @Test
  void aSignedBodyThatIsNotAnEventArrayIsRejectedWith400() throws Exception {
    URI url = start(null, false).url();

    HttpResponse<String> response = post(url, url.toString(), "{\"not\":\"an array\"}", "{\"not\":\"an array\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("body");
    assertThat(received).isEmpty();
  }

  @Test
  void aConsumerThatFailsAnswers500SoHubSpotDeliversAgain() throws Exception {
    URI url = start(null, true).url();

    HttpResponse<String> response = post(url, url.toString(), BODY, BODY);

    assertThat(response.statusCode()).isEqualTo(500);
  }

  @Test
  void startRejectsABadPathOrANullArgumentNamingIt() {
    HubSpotWebhookHandler handler = HubSpotWebhookHandler.builder().clientSecret(SECRET).build();
    InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);

    assertThatThrownBy(() -> HubSpotWebhookEndpoint.start(bind, "webhooks", null, handler, received::add))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("path must start with /: 'webhooks'");
    assertThatThrownBy(() -> HubSpotWebhookEndpoint.start(bind, null, null, handler, received::add))
        .isInstanceOf(NullPointerException.class).hasMessage("path");
    assertThatThrownBy(() -> HubSpotWebhookEndpoint.start(null, "/h", null, handler, received::add))
        .isInstanceOf(NullPointerException.class).hasMessage("bind");
    assertThatThrownBy(() -> HubSpotWebhookEndpoint.start(bind, "/h", null, null, received::add))
        .isInstanceOf(NullPointerException.class).hasMessage("handler");
  }
}
