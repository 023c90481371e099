package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.testkit.MutableClock;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorOutboundMessagesTest {
  private static final String ACK = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
      + "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><notificationsResponse "
      + "xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack></notificationsResponse></soapenv:Body>"
      + "</soapenv:Envelope>";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  private final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).build();
  private final SalesforceHttp http = new SalesforceHttp(emulator);
  private final MockWebServer receiver = new MockWebServer();

  @BeforeEach
  void startReceiver() throws IOException {
    receiver.start();
    emulator.outboundMessages().target(receiver.url("/sfdc/outbound").toString(), "Contact");
  }

  @AfterEach
  void stop() {
    emulator.close();
    receiver.close();
  }

  private static MockResponse ack() {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/xml").body(ACK).build();
  }

  private RecordedRequest take() {
    try {
      return receiver.takeRequest();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aCreateIsDeliveredAsASoapNotificationWithTheLatestData() {
    String id = http.create("Contact", "{\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\",\"Email\":\"ada@example.com\"}");
    http.patch("/sobjects/Contact/" + id, "{\"FirstName\":\"Augusta\"}");
    http.create("Account", "{\"Name\":\"Not watched\"}");
    receiver.enqueue(ack());

    List<OutboundDelivery> deliveries = emulator.outboundMessages().flush();

    assertThat(deliveries).hasSize(1);
    OutboundDelivery delivery = deliveries.get(0);
    assertThat(delivery.acknowledged()).isTrue();
    assertThat(delivery.recordIds()).containsExactly(id, id);
    assertThat(delivery.notificationIds()).hasSize(2).allMatch(n -> n.startsWith("04l")).doesNotHaveDuplicates();
    RecordedRequest request = take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/sfdc/outbound");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("text/xml; charset=utf-8");
    assertThat(request.getHeaders().get("SOAPAction")).isEqualTo("\"\"");
    String xml = request.getBody().utf8();
    assertThat(xml).contains("<notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">")
        .contains("<OrganizationId>" + emulator.orgId() + "</OrganizationId>")
        .contains("<PartnerUrl>" + emulator.baseUrl() + "/services/Soap/u/59.0/" + emulator.orgId().substring(0, 15))
        .contains("<sObject xsi:type=\"sf:Contact\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">")
        .contains("<sf:Id>" + id + "</sf:Id>")
        .contains("<sf:FirstName>Augusta</sf:FirstName>")
        .contains("<sf:CreatedDate>2026-03-10T12:00:00.000Z</sf:CreatedDate>")
        .doesNotContain("<sf:FirstName>Ada</sf:FirstName>")
        .doesNotContain("<sf:MobilePhone>");
    assertThat(emulator.outboundMessages().pending()).isZero();
  }

  @Test
  void aMessageWithoutAnAckIsRetriedWithTheSameNotificationIds() {
    emulator.insert("Contact", Map.of("LastName", "L"));
    receiver.enqueue(new MockResponse.Builder().code(200).body("<ok/>").build());
    receiver.enqueue(new MockResponse.Builder().code(500).build());
    receiver.enqueue(ack());

    OutboundDelivery first = emulator.outboundMessages().flush().get(0);
    OutboundDelivery second = emulator.outboundMessages().flush().get(0);
    OutboundDelivery third = emulator.outboundMessages().flush().get(0);

    assertThat(first.acknowledged()).isFalse();
    assertThat(first.failure()).contains("Ack");
    assertThat(first.willRetry()).isTrue();
    assertThat(second.status()).isEqualTo(500);
    assertThat(third.acknowledged()).isTrue();
    assertThat(third.notificationIds()).isEqualTo(first.notificationIds());
    assertThat(emulator.outboundMessages().flush()).isEmpty();
  }

  @Test
  void pendingNotificationIdsAreInSendingOrderWithARefusedMessagesAhead() {
    emulator.insert("Contact", Map.of("LastName", "A"));
    emulator.insert("Contact", Map.of("LastName", "B"));
    List<String> first = emulator.outboundMessages().pendingNotificationIds();
    receiver.enqueue(new MockResponse.Builder().code(503).build());
    OutboundDelivery refused = emulator.outboundMessages().flush().get(0);
    emulator.insert("Contact", Map.of("LastName", "C"));

    List<String> pending = emulator.outboundMessages().pendingNotificationIds();

    assertThat(first).hasSize(2).isEqualTo(refused.notificationIds());
    assertThat(pending).hasSize(3).startsWith(first.toArray(String[]::new)).doesNotHaveDuplicates();
    receiver.enqueue(ack());
    assertThat(emulator.outboundMessages().flush().get(0).notificationIds()).isEqualTo(pending);
    assertThat(emulator.outboundMessages().pendingNotificationIds()).isEmpty();
  }

  @Test
  void notificationsAreDroppedAfterTheMaximumAttempts() {
    emulator.outboundMessages().maxAttempts(2);
    emulator.insert("Contact", Map.of("LastName", "L"));
    receiver.enqueue(new MockResponse.Builder().code(503).build());
    receiver.enqueue(new MockResponse.Builder().code(503).build());

    assertThat(emulator.outboundMessages().flush().get(0).willRetry()).isTrue();
    assertThat(emulator.outboundMessages().flush().get(0).willRetry()).isFalse();
    assertThat(emulator.outboundMessages().pending()).isZero();
  }

  @Test
  void duplicatesAndShuffledOrderCanBeAskedFor() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(emulator.insert("Contact", Map.of("LastName", "L" + i)));
    }
    receiver.enqueue(ack());
    receiver.enqueue(ack());

    List<OutboundDelivery> deliveries = emulator.outboundMessages().duplicateNextFlush().shuffleNextFlush(42).flush();

    assertThat(deliveries).hasSize(2);
    assertThat(deliveries.get(1).notificationIds()).isEqualTo(deliveries.get(0).notificationIds());
    assertThat(deliveries.get(0).recordIds()).containsExactlyInAnyOrderElementsOf(ids).isNotEqualTo(ids);
  }

  @Test
  void moreThan100NotificationsGoInSeveralMessages() {
    StringBuilder records = new StringBuilder("{\"records\":[");
    for (int i = 0; i < 150; i++) {
      records.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Contact\"},\"LastName\":\"L").append(i).append("\"}");
    }
    http.post("/composite/sobjects", records.append("]}").toString());
    receiver.enqueue(ack());
    receiver.enqueue(ack());

    List<OutboundDelivery> deliveries = emulator.outboundMessages().flush();

    assertThat(deliveries).hasSize(2);
    assertThat(deliveries.get(0).notificationIds()).hasSize(100);
    assertThat(deliveries.get(1).notificationIds()).hasSize(50);
  }

  @Test
  void rolledBackAndDeletedChangesSendNothing() {
    http.post("/composite/sobjects", "{\"allOrNone\":true,\"records\":[{\"attributes\":{\"type\":\"Contact\"},"
        + "\"LastName\":\"A\"},{\"attributes\":{\"type\":\"Contact\"}}]}");
    assertThat(emulator.outboundMessages().pending()).isZero();

    String id = emulator.insert("Contact", Map.of("LastName", "L"));
    receiver.enqueue(ack());
    emulator.outboundMessages().flush();
    emulator.delete(id);

    assertThat(emulator.outboundMessages().pending()).isZero();
  }

  @Test
  void aTargetMustBeAnHttpUrlAndAWritableType() {
    assertThatThrownBy(() -> emulator.outboundMessages().target("ftp://x", "Contact")).hasMessageContaining("url");
    assertThatThrownBy(() -> emulator.outboundMessages().target("http://127.0.0.1/x", "OpportunityStage"))
        .hasMessageContaining("sObjectType");
    assertThatThrownBy(() -> emulator.outboundMessages().maxAttempts(0)).hasMessageContaining("maxAttempts");
  }
}
