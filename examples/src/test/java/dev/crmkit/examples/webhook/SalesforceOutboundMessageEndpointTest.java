package dev.crmkit.examples.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.salesforce.SalesforceOutboundMessageHandler;
import dev.crmkit.salesforce.SalesforceOutboundMessages;
import dev.crmkit.webhook.ChangeEvent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceOutboundMessageEndpointTest {
  private static final String ORG = "00D5g000004ABCD";
  private static final String OTHER_ORG = "00D5g000009WXYZ";

  private final List<ChangeEvent> received = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private SalesforceOutboundMessageEndpoint endpoint;

  private URI start(boolean inboxFails, List<String> ipRanges) {
    SalesforceOutboundMessageHandler handler = SalesforceOutboundMessageHandler.builder().organizationId(ORG)
        .ipRanges(ipRanges)
        .inbox(events -> {
          if (inboxFails) {
            throw new IllegalStateException("inbox down");
          }
          received.addAll(events);
        }).build();
    endpoint = SalesforceOutboundMessageEndpoint.start(new InetSocketAddress("127.0.0.1", 0), "/salesforce/outbound",
        handler);
    return endpoint.url();
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private static String message(String org) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Id", "003000000000001AAA");
    fields.put("FirstName", "Ana");
    fields.put("Email", "ana@example.com");
    return SalesforceOutboundMessages.builder(org)
        .notification("04l000000000001AAA", "Contact", fields).build();
  }

  private HttpResponse<String> post(URI url, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(url).header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"\"").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aMessageOfTheOrgGoesIntoTheInboxAndIsAcknowledged() throws Exception {
    HttpResponse<String> answer = post(start(false, List.of()), message(ORG));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("<Ack>true</Ack>");
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(SalesforceOutboundMessageHandler.CONTENT_TYPE);
    assertThat(received).singleElement().satisfies(e -> {
      assertThat(e.eventId()).isEqualTo("04l000000000001AAA");
      assertThat(e.objectId()).isEqualTo("003000000000001AAA");
    });
  }

  @Test
  void aMessageOfAnotherOrgIsRefusedWith403AndReachesNoInbox() throws Exception {
    HttpResponse<String> answer = post(start(false, List.of()), message(OTHER_ORG));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).doesNotContain("Ack");
    assertThat(received).isEmpty();
  }

  @Test
  void aSenderOutsideTheConfiguredRangesIsRefusedByItsTcpAddress() throws Exception {
    HttpResponse<String> answer = post(start(false, List.of("13.108.0.0/14")), message(ORG));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(received).isEmpty();
  }

  @Test
  void aBodyThatIsNotANotificationsEnvelopeIsRefusedWith400() throws Exception {
    HttpResponse<String> answer = post(start(false, List.of()), "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a "
        + "\"b\">]><x>&a;</x>");

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(received).isEmpty();
  }

  @Test
  void anInboxThatFailsAnswersTheNegativeAckSoSalesforceDeliversAgain() throws Exception {
    HttpResponse<String> answer = post(start(true, List.of()), message(ORG));

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.body()).contains("Fault").doesNotContain("<Ack>true</Ack>");
  }

  @Test
  void startRejectsABadPathOrANullArgumentNamingIt() {
    SalesforceOutboundMessageHandler handler = SalesforceOutboundMessageHandler.builder().organizationId(ORG).build();
    InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);

    assertThatThrownBy(() -> SalesforceOutboundMessageEndpoint.start(bind, "outbound", handler))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path").hasMessageContaining("outbound");
    assertThatThrownBy(() -> SalesforceOutboundMessageEndpoint.start(null, "/o", handler))
        .isInstanceOf(NullPointerException.class).hasMessage("bind");
    assertThatThrownBy(() -> SalesforceOutboundMessageEndpoint.start(bind, null, handler))
        .isInstanceOf(NullPointerException.class).hasMessage("path");
    assertThatThrownBy(() -> SalesforceOutboundMessageEndpoint.start(bind, "/o", null))
        .isInstanceOf(NullPointerException.class).hasMessage("handler");
  }
}
