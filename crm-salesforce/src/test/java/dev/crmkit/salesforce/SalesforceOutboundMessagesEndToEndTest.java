package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.salesforce.OutboundDelivery;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator's outbound messages, posted over HTTP to a host endpoint that hands each call to
 * {@link SalesforceOutboundMessageHandler} and answers what it says: record edits in the emulator
 * become change events in the endpoint's inbox, once per notification whatever Salesforce redelivers.
 */
class SalesforceOutboundMessagesEndToEndTest {
  private final SalesforceEmulator emulator = SalesforceEmulator.start();
  private LoopbackEndpoint endpoint;
  private final Map<String, ChangeEvent> inbox = new LinkedHashMap<>();
  private final List<ChangeEvent> received = new ArrayList<>();
  private final AtomicBoolean storeDown = new AtomicBoolean();

  private String url() {
    return endpoint.url("");
  }

  @BeforeEach
  void start() {
    SalesforceOutboundMessageHandler handler = SalesforceOutboundMessageHandler.builder()
        .organizationId(emulator.orgId().substring(0, 15))
        .ipRanges(List.of("127.0.0.0/8", "::1/128"))
        .inbox(events -> {
          synchronized (inbox) {
            received.addAll(events);
            if (storeDown.get()) {
              throw new IllegalStateException("store down");
            }
            events.forEach(e -> inbox.putIfAbsent(e.eventId(), e));
          }
        })
        .build();
    endpoint = new LoopbackEndpoint(call -> {
      WebhookRequest.Builder request = WebhookRequest.builder().method(call.method()).url(url() + call.target())
          .headers(call.headers()).body(call.body())
          // The TCP peer, as a host without a proxy takes it.
          .remoteAddress(call.peer()).receivedAt(Instant.now());
      try {
        WebhookResponse answer = handler.handle(request.build()).response();
        return new LoopbackEndpoint.Answer(answer.status(), answer.contentType(), answer.body());
      } catch (SignatureVerificationException e) {
        return new LoopbackEndpoint.Answer(403, null, null);
      } catch (ValidationException e) {
        return new LoopbackEndpoint.Answer(400, null, null);
      }
    });
    emulator.outboundMessages().target(url() + "/salesforce/outbound", "Contact");
  }

  @AfterEach
  void stop() {
    endpoint.close();
    emulator.close();
  }

  @Test
  void anEditInSalesforceArrivesAsAnAcknowledgedChangeEventWithTheRecordsFields() {
    String id = emulator.insert("Contact", Map.of("LastName", "Silva", "FirstName", "Ana", "Email", "ana@example.com",
        "Customer_Segment__c", "VIP"));
    emulator.update(id, Map.of("Phone", "+14155550100"));

    List<OutboundDelivery> deliveries = emulator.outboundMessages().flush();

    assertThat(deliveries).singleElement().satisfies(d -> {
      assertThat(d.acknowledged()).isTrue();
      assertThat(d.status()).isEqualTo(200);
    });
    assertThat(inbox.values()).hasSize(2).allSatisfy(e -> {
      assertThat(e.objectId()).isEqualTo(id);
      assertThat(e.objectType()).isEqualTo("Contact");
      assertThat(e.attributes()).containsEntry("Email", "ana@example.com").containsEntry("Customer_Segment__c", "VIP")
          .containsEntry("Phone", "+14155550100").containsEntry("OrganizationId", emulator.orgId());
    });
    assertThat(inbox.keySet()).containsExactlyElementsOf(deliveries.get(0).notificationIds());
  }

  @Test
  void duplicatesAndShuffledRedeliveriesAreStoredOncePerNotification() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      ids.add(emulator.insert("Contact", Map.of("LastName", "L" + i)));
    }

    List<OutboundDelivery> deliveries = emulator.outboundMessages().duplicateNextFlush().shuffleNextFlush(7).flush();

    assertThat(deliveries).hasSize(3).allSatisfy(d -> assertThat(d.acknowledged()).isTrue());
    assertThat(deliveries.get(1).notificationIds()).isEqualTo(deliveries.get(0).notificationIds());
    assertThat(received).hasSize(250);
    assertThat(inbox).hasSize(150);
    assertThat(inbox.values()).extracting(ChangeEvent::objectId).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void whenTheInboxCannotStoreSalesforceKeepsTheMessageAndDeliversItAgain() {
    String id = emulator.insert("Contact", Map.of("LastName", "Silva"));
    storeDown.set(true);

    List<OutboundDelivery> failed = emulator.outboundMessages().flush();

    assertThat(failed).singleElement().satisfies(d -> {
      assertThat(d.status()).isEqualTo(500);
      assertThat(d.acknowledged()).isFalse();
      assertThat(d.willRetry()).isTrue();
    });
    assertThat(inbox).isEmpty();
    assertThat(emulator.outboundMessages().pending()).isEqualTo(1);

    storeDown.set(false);
    List<OutboundDelivery> retried = emulator.outboundMessages().flush();

    assertThat(retried).singleElement().satisfies(d -> assertThat(d.acknowledged()).isTrue());
    assertThat(retried.get(0).notificationIds()).isEqualTo(failed.get(0).notificationIds());
    assertThat(inbox.values()).singleElement().satisfies(e -> {
      assertThat(e.objectId()).isEqualTo(id);
      assertThat(e.type()).isIn(ChangeEventType.CREATED, ChangeEventType.UPDATED);
    });
  }

  @Test
  void aMessageFromAnotherOrgIsRefusedAndNotStored() {
    try (SalesforceEmulator other = SalesforceEmulator.builder().orgId("00D5g000004ZzzZ").build()) {
      other.outboundMessages().target(url() + "/salesforce/outbound", "Contact");
      other.insert("Contact", Map.of("LastName", "Intruder"));

      assertThat(other.outboundMessages().flush()).singleElement().satisfies(d -> {
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.acknowledged()).isFalse();
      });
    }
    assertThat(inbox).isEmpty();
  }
}
