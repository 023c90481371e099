package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorWebhooksTest {
  private static final String SECRET = "client-secret";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final MockWebServer receiver = new MockWebServer();
  private HubSpotEmulator emulator;
  private HubSpotHttp http;
  private String target;

  @BeforeEach
  void start() throws Exception {
    receiver.start();
    target = receiver.url("/hubspot/webhooks").toString();
    emulator = HubSpotEmulator.builder().clock(clock).appId(77).portalId(88).webhookMaxAttempts(3)
        .webhooks(target, SECRET).build();
    http = new HubSpotHttp(emulator);
  }

  @AfterEach
  void stop() {
    emulator.close();
    receiver.close();
  }

  private JsonNode received() throws Exception {
    RecordedRequest request = receiver.takeRequest();
    return HubSpotHttp.JSON.readTree(request.getBody().utf8());
  }

  @Test
  void anApiCreateDeliversACreationAndOnePropertyChangePerPropertySignedV3AndV1() throws Exception {
    String id = http.post("/crm/v3/objects/contacts", HubSpotHttp.properties("email", "ada@example.com", "firstname", "Ada"))
        .json().get("id").asText();
    receiver.enqueue(new MockResponse.Builder().code(204).build());

    List<WebhookAttempt> attempts = emulator.webhooks().flush();

    assertThat(attempts).singleElement().satisfies(a -> assertThat(a.delivered()).isTrue());
    RecordedRequest request = receiver.takeRequest();
    String body = request.getBody().utf8();
    JsonNode events = HubSpotHttp.JSON.readTree(body);
    assertThat(events).hasSize(3);
    JsonNode creation = events.get(0);
    assertThat(creation.get("subscriptionType").asText()).isEqualTo("contact.creation");
    assertThat(creation.get("objectId").asText()).isEqualTo(id);
    assertThat(creation.get("appId").asLong()).isEqualTo(77);
    assertThat(creation.get("portalId").asLong()).isEqualTo(88);
    assertThat(creation.get("occurredAt").asLong()).isEqualTo(clock.millis());
    assertThat(creation.get("attemptNumber").asInt()).isZero();
    assertThat(creation.get("changeSource").asText()).isEqualTo("INTEGRATION");
    assertThat(creation.get("sourceId").asText()).isEqualTo("77");
    assertThat(creation.has("subscriptionId")).isTrue();
    assertThat(events.get(1).get("subscriptionType").asText()).isEqualTo("contact.propertyChange");
    assertThat(events.get(1).get("propertyName").asText()).isEqualTo("email");
    assertThat(events.get(1).get("propertyValue").asText()).isEqualTo("ada@example.com");
    assertThat(events.get(2).get("propertyName").asText()).isEqualTo("firstname");

    String timestamp = request.getHeaders().get("X-HubSpot-Request-Timestamp");
    assertThat(timestamp).isEqualTo(Long.toString(clock.millis()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = Base64.getEncoder().encodeToString(
        mac.doFinal(("POST" + target + body + timestamp).getBytes(StandardCharsets.UTF_8)));
    assertThat(request.getHeaders().get("X-HubSpot-Signature-v3")).isEqualTo(expected);
    assertThat(request.getHeaders().get("X-HubSpot-Signature-Version")).isEqualTo("v1");
    assertThat(request.getHeaders().get("X-HubSpot-Signature"))
        .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest((SECRET + body).getBytes(StandardCharsets.UTF_8))));
    assertThat(emulator.webhooks().pending()).isZero();
  }

  @Test
  void hooksAndApiChangesProduceTheirEventTypes() throws Exception {
    String ada = emulator.seedContact(Map.of("email", "ada@example.com"));
    String bob = emulator.seedContact(Map.of("email", "bob@example.com"));
    receiver.enqueue(new MockResponse.Builder().code(200).build());
    receiver.enqueue(new MockResponse.Builder().code(200).build());
    emulator.webhooks().flush();
    receiver.takeRequest();
    emulator.updateContact(ada, Map.of("firstname", "Ada"));
    http.delete("/crm/v3/objects/contacts/" + bob);
    emulator.restoreContact(bob);
    emulator.mergeContacts(ada, bob);
    String carol = emulator.seedContact(Map.of("email", "carol@example.com"));
    http.post("/crm/v3/objects/contacts/gdpr-delete", "{\"objectId\":\"" + carol + "\"}");

    emulator.webhooks().flush();

    List<String> types = new ArrayList<>();
    received().forEach(e -> types.add(e.get("subscriptionType").asText()));
    assertThat(types).containsExactly("contact.propertyChange", "contact.deletion", "contact.restore", "contact.merge",
        "contact.creation", "contact.propertyChange", "contact.privacyDeletion");
  }

  @Test
  void archivingAContactInTheUiDeletesItAndSendsADeletionFromCrmUi() throws Exception {
    String ada = emulator.seedContact(Map.of("email", "ada@example.com"));
    receiver.enqueue(new MockResponse.Builder().code(200).build());
    receiver.enqueue(new MockResponse.Builder().code(200).build());
    emulator.webhooks().flush();
    receiver.takeRequest();

    emulator.archiveContact(ada);
    emulator.webhooks().flush();

    JsonNode deletion = received().get(0);
    assertThat(deletion.get("subscriptionType").asText()).isEqualTo("contact.deletion");
    assertThat(deletion.get("objectId").asText()).isEqualTo(ada);
    assertThat(deletion.get("changeSource").asText()).isEqualTo("CRM_UI");
    assertThat(emulator.contactProperties(ada)).isEmpty();
    assertThat(emulator.liveContactCount()).isZero();
    assertThatThrownBy(() -> emulator.archiveContact(ada)).isInstanceOf(NotFoundException.class);
    assertThat(emulator.restoreContact(ada)).containsEntry("email", "ada@example.com");
  }

  @Test
  void aMergeEventNamesThePrimaryTheMergedIdsAndTheNewId() throws Exception {
    String ada = emulator.seedContact(Map.of("email", "ada@example.com"));
    String bob = emulator.seedContact(Map.of("email", "bob@example.com"));
    receiver.enqueue(new MockResponse.Builder().code(200).build());
    receiver.enqueue(new MockResponse.Builder().code(200).build());
    emulator.webhooks().flush();
    receiver.takeRequest();

    http.post("/crm/v3/objects/contacts/merge", "{\"primaryObjectId\":\"" + ada + "\",\"objectIdToMerge\":\"" + bob + "\"}");
    emulator.webhooks().flush();

    JsonNode merge = received().get(0);
    assertThat(merge.get("subscriptionType").asText()).isEqualTo("contact.merge");
    assertThat(merge.get("primaryObjectId").asText()).isEqualTo(ada);
    assertThat(merge.get("newObjectId").asText()).isEqualTo(ada);
    assertThat(merge.get("mergedObjectIds").get(0).asText()).isEqualTo(bob);
  }

  @Test
  void aFailedBatchIsRetriedOnTheNextFlushWithAHigherAttemptNumberUpToTheMaximum() throws Exception {
    emulator.seedContact(Map.of("email", "ada@example.com"));
    receiver.enqueue(new MockResponse.Builder().code(500).build());
    receiver.enqueue(new MockResponse.Builder().code(503).build());
    receiver.enqueue(new MockResponse.Builder().code(500).build());

    WebhookAttempt first = emulator.webhooks().flush().get(0);
    WebhookAttempt second = emulator.webhooks().flush().get(0);
    WebhookAttempt third = emulator.webhooks().flush().get(0);

    assertThat(first.status()).isEqualTo(500);
    assertThat(first.failure()).isEqualTo("HTTP 500");
    assertThat(first.willRetry()).isTrue();
    assertThat(second.attemptNumbers()).containsOnly(1);
    assertThat(third.attemptNumbers()).containsOnly(2);
    assertThat(third.willRetry()).isFalse();
    assertThat(emulator.webhooks().pending()).isZero();
    assertThat(received().get(0).get("attemptNumber").asInt()).isZero();
    assertThat(received().get(0).get("attemptNumber").asInt()).isEqualTo(1);
  }

  @Test
  void aReceiverThatChangesAContactWhileAnsweringIsNotBlockedAndRetriesGoAheadOfItsEvents() throws Exception {
    String ada = emulator.seedContact(Map.of("email", "ada@example.com"));
    receiver.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        // A receiver that writes back to HubSpot while it answers, as a sync engine may.
        emulator.updateContact(ada, Map.of("firstname", "Ada"));
        return new MockResponse.Builder().code(500).build();
      }
    });

    WebhookAttempt attempt = emulator.webhooks().flush().get(0);

    assertThat(attempt.status()).isEqualTo(500);
    assertThat(attempt.failure()).isEqualTo("HTTP 500");
    assertThat(emulator.webhooks().pendingEvents()).extracting(e -> HubSpotHttp.JSON.readTree(e).get("eventId").asLong())
        .containsExactly(1L, 2L, 3L);
    assertThat(HubSpotHttp.JSON.readTree(emulator.webhooks().pendingEvents().get(2)).get("propertyName").asText())
        .isEqualTo("firstname");
  }

  @Test
  void aConnectionFailureCountsAsAFailedAttempt() {
    emulator.webhooks().target("http://127.0.0.1:1/nothing-listens", SECRET);
    emulator.seedContact(Map.of("email", "ada@example.com"));

    WebhookAttempt attempt = emulator.webhooks().flush().get(0);

    assertThat(attempt.status()).isZero();
    assertThat(attempt.failure()).isNotBlank();
    assertThat(attempt.willRetry()).isTrue();
    assertThat(emulator.webhooks().pending()).isEqualTo(2);
  }

  @Test
  void batchesHoldAtMostOneHundredEvents() {
    for (int i = 0; i < 60; i++) {
      emulator.seedContact(Map.of("email", "c" + i + "@example.com"));
    }
    for (int i = 0; i < 2; i++) {
      receiver.enqueue(new MockResponse.Builder().code(200).build());
    }

    List<WebhookAttempt> attempts = emulator.webhooks().flush();

    assertThat(attempts).extracting(a -> a.eventIds().size()).containsExactly(100, 20);
    assertThat(attempts).allMatch(WebhookAttempt::delivered);
  }

  @Test
  void duplicateNextBatchDeliversTheSameEventsTwice() throws Exception {
    emulator.seedContact(Map.of("email", "ada@example.com"));
    receiver.enqueue(new MockResponse.Builder().code(200).build());
    receiver.enqueue(new MockResponse.Builder().code(200).build());

    List<WebhookAttempt> attempts = emulator.webhooks().duplicateNextBatch().flush();

    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).eventIds()).isEqualTo(attempts.get(1).eventIds());
    assertThat(received()).isEqualTo(received());
  }

  @Test
  void shuffleNextFlushReordersTheEventsDeterministically() {
    for (int i = 0; i < 5; i++) {
      emulator.seedContact(Map.of("email", "c" + i + "@example.com"));
    }
    receiver.enqueue(new MockResponse.Builder().code(200).build());

    List<Long> ids = emulator.webhooks().shuffleNextFlush(42).flush().get(0).eventIds();

    assertThat(ids).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(ids).isNotEqualTo(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L));
  }

  @Test
  void withoutATargetNothingIsQueuedAndBadTargetsAreRejected() {
    try (HubSpotEmulator quiet = HubSpotEmulator.start()) {
      quiet.seedContact(Map.of("email", "ada@example.com"));
      assertThat(quiet.webhooks().pending()).isZero();
      assertThat(quiet.webhooks().flush()).isEmpty();
      assertThatThrownBy(() -> quiet.webhooks().target("ftp://example.com/x", SECRET))
          .hasMessageContaining("url");
      assertThatThrownBy(() -> quiet.webhooks().target(target, " ")).hasMessageContaining("clientSecret");
    }
  }
}
