package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SalesforceOutboundMessageHandlerTest {
  private static final String ORG_18 = "00D5g000004SbcDEAS";
  private static final String ORG_15 = "00D5g000004SbcD";
  private static final String URL = "https://app.example/salesforce/outbound";
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final String CONTACT = "0035g00000A1b2cAAB";

  private static String resource(String name) {
    try (InputStream in = SalesforceOutboundMessageHandlerTest.class.getResourceAsStream("/salesforce/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static WebhookRequest post(String body) {
    return WebhookRequest.builder().method("POST").url(URL).header("Content-Type", "text/xml; charset=utf-8")
        .body(body).receivedAt(NOW).build();
  }

  private static WebhookRequest post(String body, String from) {
    return WebhookRequest.builder().method("POST").url(URL).body(body).remoteAddress(from).receivedAt(NOW).build();
  }

  private static SalesforceOutboundMessageHandler handler() {
    return SalesforceOutboundMessageHandler.builder().organizationId(ORG_15).build();
  }

  private static SalesforceOutboundMessages contactMessage(String org) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Id", CONTACT);
    fields.put("FirstName", "Ana & Bo <Ltd>");
    fields.put("LastName", "Silva");
    fields.put("Email", "ana@example.com");
    fields.put("Phone", null);
    fields.put("Description", "not a customer field");
    fields.put("CreatedDate", "2026-12-01T09:00:00.000Z");
    fields.put("LastModifiedDate", "2026-12-06T09:59:00.000Z");
    fields.put("SystemModstamp", "2026-12-06T09:59:01.000Z");
    return SalesforceOutboundMessages.builder(org).notification("04l5g0000000001AAA", "Contact", fields);
  }

  @Test
  void theDocumentedSampleBecomesOneEventPerNotificationAndIsAcknowledgedAsDocumented() {
    // The sample's OrganizationId is a placeholder whose suffix does not match; a real org id goes in its place.
    String sample = resource("outbound_message_sample.xml").replace("0123456789ABCDENNN", ORG_18);

    WebhookResult result = handler().handle(post(sample));

    assertThat(result.events()).extracting(ChangeEvent::eventId, ChangeEvent::objectType, ChangeEvent::objectId,
        ChangeEvent::type).containsExactly(
            tuple("04l37000000L0E5AAK", "Lead1", "0123456789ABCDEEAE", ChangeEventType.CREATED),
            tuple("14l37000123L0E5AAK", "Lead2", "1123456789ABCDEEAE",
                ChangeEventType.CREATED),
            tuple("24l37123450L0E5AAK", "Lead3", "2123456789ABCDEEAE", ChangeEventType.CREATED));
    ChangeEvent first = result.events().get(0);
    assertThat(first.vendor()).isEqualTo("salesforce");
    assertThat(first.rawType()).isEqualTo(SalesforceOutboundMessageHandler.RAW_TYPE);
    assertThat(first.occurredAt()).isEqualTo(Instant.parse("2015-08-14T18:27:02Z"));
    assertThat(first.attributes()).containsEntry("FirstName", "Henrik").containsEntry("LastName", "Nielsen")
        .containsEntry("Street", "One Microsoft Way").containsEntry("Company", "Microsoft")
        .containsEntry("OrganizationId", ORG_18).containsEntry("ActionId", "05h370200108OsUAAU")
        .doesNotContainKeys("SessionId", "Title", "Industry", "Description");
    assertThat(result.events()).allSatisfy(e -> assertThat(e.attributes().values()).noneMatch(v -> v.contains("BSGSRAzG9")));
    assertThat(result.unparsed()).isEmpty();
    assertThat(result.response().status()).isEqualTo(200);
    assertThat(result.response().contentType()).isEqualTo("text/xml; charset=utf-8");
    assertThat(result.response().body().replace("\r\n", "\n").strip())
        .isEqualTo(resource("notification_response_sample.xml").replace("\r\n", "\n").strip());
  }

  @Test
  void aContactNotificationCarriesItsCustomerFieldsDecodedAndANilAsEmpty() {
    WebhookResult result = handler().handle(post(contactMessage(ORG_18).build()));

    ChangeEvent event = result.events().get(0);
    assertThat(event.type()).isEqualTo(ChangeEventType.UPDATED);
    assertThat(event.objectId()).isEqualTo(CONTACT);
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-12-06T09:59:01Z"));
    assertThat(event.attributes()).containsEntry("FirstName", "Ana & Bo <Ltd>").containsEntry("Email", "ana@example.com")
        .containsEntry("Phone", "").doesNotContainKey("Description");
  }

  @Test
  void configuredCustomFieldsAreCarriedToo() {
    SalesforceOutboundMessageHandler h = SalesforceOutboundMessageHandler.builder().organizationId(ORG_18)
        .customerFields(Set.of("Loyalty_Id__c")).build();
    String xml = SalesforceOutboundMessages.builder(ORG_18)
        .notification("04l5g0000000002AAA", "Contact", Map.of("Id", CONTACT, "Loyalty_Id__c", "L-7", "Other__c", "x"))
        .build();

    assertThat(h.handle(post(xml)).events().get(0).attributes()).containsEntry("Loyalty_Id__c", "L-7")
        .doesNotContainKey("Other__c");
  }

  @Test
  void aDeletedRecordAndAMergedAwayOneBecomeDeletionAndMergeEvents() {
    String xml = SalesforceOutboundMessages.builder(ORG_18)
        .notification("04l5g0000000003AAA", "Contact", Map.of("Id", CONTACT, "IsDeleted", "true"))
        .notification("04l5g0000000004AAA", "Contact", Map.of("Id", "0035g00000A1b2dAAB", "IsDeleted", "true",
            "MasterRecordId", CONTACT))
        .build();

    List<ChangeEvent> events = handler().handle(post(xml)).events();

    assertThat(events.get(0).type()).isEqualTo(ChangeEventType.DELETED);
    assertThat(events.get(0).objectId()).isEqualTo(CONTACT);
    assertThat(events.get(1).type()).isEqualTo(ChangeEventType.MERGED);
    assertThat(events.get(1).objectId()).isEqualTo(CONTACT);
    assertThat(events.get(1).mergedIds()).containsExactly("0035g00000A1b2dAAB");
  }

  @Test
  void aRedeliveryRepeatsTheNotificationIdsSoTheInboxStoresEachOnce() {
    Map<String, ChangeEvent> inbox = new ConcurrentHashMap<>();
    List<Integer> newPerCall = new ArrayList<>();
    SalesforceOutboundMessageHandler h = SalesforceOutboundMessageHandler.builder().organizationId(ORG_18)
        .inbox(events -> newPerCall.add((int) events.stream().filter(e -> inbox.putIfAbsent(e.eventId(), e) == null).count()))
        .build();
    String xml = contactMessage(ORG_18).notification("04l5g0000000009AAA", "Contact", Map.of("Id", "0035g00000A1b2dAAB"))
        .build();

    WebhookResult first = h.handle(post(xml));
    WebhookResult again = h.handle(post(xml));

    assertThat(again.events()).extracting(ChangeEvent::eventId)
        .isEqualTo(first.events().stream().map(ChangeEvent::eventId).toList());
    assertThat(newPerCall).containsExactly(2, 0);
    assertThat(inbox).containsOnlyKeys("04l5g0000000001AAA", "04l5g0000000009AAA");
    assertThat(again.response().status()).isEqualTo(200);
  }

  @Test
  void aHundredNotificationsAreTakenAndOneMoreIsRefusedNamingTheLimit() {
    SalesforceOutboundMessages hundred = SalesforceOutboundMessages.builder(ORG_18);
    for (int i = 0; i < 100; i++) {
      hundred.notification(String.format("04l5g%010dAAA", i), "Contact", Map.of("Id", CONTACT));
    }
    assertThat(handler().handle(post(hundred.build())).events()).hasSize(100);

    hundred.notification("04l5g9999999999AAA", "Contact", Map.of("Id", CONTACT));
    assertThatThrownBy(() -> handler().handle(post(hundred.build())))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
            .anySatisfy(f -> assertThat(f.field()).isEqualTo("notifications")))
        .hasMessageContaining("100");
  }

  @Test
  void anotherOrgsMessageIsRefusedWhateverTheIdsCase() {
    assertThatThrownBy(() -> handler().handle(post(contactMessage("00D5g000004SbcEEAS").build())))
        .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("organization");
    // The 15-character id is case-sensitive: a different case is another org.
    assertThatThrownBy(() -> handler().handle(post(contactMessage("00D5G000004SBCD").build())))
        .isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> handler().handle(post(contactMessage("not-an-id").build())))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void the15And18CharacterFormsOfTheOrgIdMatchEachOther() {
    assertThat(handler().handle(post(contactMessage(ORG_18).build())).events()).hasSize(1);
    assertThat(handler().handle(post(contactMessage(ORG_15).build())).events()).hasSize(1);
    assertThat(handler().handle(post(contactMessage("00D5g000004SbcDeas").build())).events()).hasSize(1);
    SalesforceOutboundMessageHandler by18 = SalesforceOutboundMessageHandler.builder().organizationId(ORG_18).build();
    assertThat(by18.handle(post(contactMessage(ORG_15).build())).events()).hasSize(1);
    // An 18-character id whose suffix does not fit its first 15 characters is no id.
    assertThatThrownBy(() -> by18.handle(post(contactMessage("00D5g000004SbcDAAA").build())))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void withIpRangesOnlySendersInsideThemAreTakenIpv4AndIpv6() {
    SalesforceOutboundMessageHandler h = SalesforceOutboundMessageHandler.builder().organizationId(ORG_18)
        .ipRanges(List.of("13.108.0.0/14", "2001:db8:100::/40")).build();
    String xml = contactMessage(ORG_18).build();

    assertThat(h.handle(post(xml, "13.110.255.254")).events()).hasSize(1);
    assertThat(h.handle(post(xml, "::ffff:13.108.0.1")).events()).hasSize(1);
    assertThat(h.handle(post(xml, "2001:db8:1ff:ffff::1")).events()).hasSize(1);
    for (String outside : List.of("13.112.0.0", "13.107.255.255", "10.0.0.1", "2001:db8:200::1", "::1")) {
      assertThatThrownBy(() -> h.handle(post(xml, outside)), outside)
          .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("outside");
    }
    assertThatThrownBy(() -> h.handle(post(xml)))
        .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("address is unknown");
  }

  @Test
  void malformedXmlOrAnotherDocumentIsAValidationErrorNamingTheBody() {
    for (String bad : List.of("", "<soapenv:Envelope", "{\"notifications\":[]}",
        "<a:Envelope xmlns:a=\"urn:other\"><a:Body/></a:Envelope>",
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body/></soapenv:Envelope>",
        contactMessage(ORG_18).build().replace("</sf:LastName>", ""))) {
      assertThatThrownBy(() -> handler().handle(post(bad)), bad)
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).isNotEmpty());
    }
  }

  @Test
  void anExternalEntityIsNeverReadTheDoctypeIsRefused() {
    String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        + contactMessage(ORG_18).build().replaceFirst("<\\?xml[^>]*>\\n", "").replace("Ana &amp; Bo &lt;Ltd&gt;", "&xxe;");

    assertThatThrownBy(() -> handler().handle(post(xxe)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("DOCTYPE")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("root:"));
  }

  @Test
  void anExternalDtdIsNeverFetched() {
    String external = "<?xml version=\"1.0\"?>\n<!DOCTYPE foo SYSTEM \"http://127.0.0.1:1/evil.dtd\">\n"
        + contactMessage(ORG_18).build().replaceFirst("<\\?xml[^>]*>\\n", "");

    assertThatThrownBy(() -> handler().handle(post(external))).isInstanceOf(ValidationException.class);
  }

  @Test
  void aBillionLaughsPayloadFailsFastWithoutExpandingAnything() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
    for (int i = 1; i <= 12; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) {
        dtd.append("&lol").append(i - 1).append(';');
      }
      dtd.append("\">");
    }
    String bomb = "<?xml version=\"1.0\"?>\n" + dtd.append("]>\n") + contactMessage(ORG_18).build()
        .replaceFirst("<\\?xml[^>]*>\\n", "").replace("Ana &amp; Bo &lt;Ltd&gt;", "&lol12;");
    long start = System.nanoTime();

    assertThatThrownBy(() -> handler().handle(post(bomb))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("DOCTYPE");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void anUndeclaredEntityReferenceIsMalformed() {
    String xml = contactMessage(ORG_18).build().replace("Ana &amp; Bo &lt;Ltd&gt;", "&nbsp;");

    assertThatThrownBy(() -> handler().handle(post(xml))).isInstanceOf(ValidationException.class);
  }

  @Test
  void anInboxThatCannotStoreMakesTheAnswerANegativeOneSoSalesforceRetries() {
    SalesforceOutboundMessageHandler h = SalesforceOutboundMessageHandler.builder().organizationId(ORG_18)
        .inbox(events -> {
          throw new IllegalStateException("database down");
        }).build();

    WebhookResult result = h.handle(post(contactMessage(ORG_18).build()));

    assertThat(result.response().status()).isEqualTo(500);
    assertThat(result.response().contentType()).isEqualTo("text/xml; charset=utf-8");
    assertThat(result.response().body()).contains("<soapenv:Fault>").contains("<faultcode>soapenv:Server</faultcode>")
        .doesNotContain("<Ack>true</Ack>").doesNotContain("database down");
    assertThat(result.events()).hasSize(1);
  }

  @Test
  void aBodyOverTheLimitIsAnswered413WithoutParsing() {
    SalesforceOutboundMessageHandler h = SalesforceOutboundMessageHandler.builder().organizationId(ORG_18)
        .maxBodyBytes(100).build();

    WebhookResult result = h.handle(post("<" + "x".repeat(200)));

    assertThat(result.response().status()).isEqualTo(413);
    assertThat(result.events()).isEmpty();
  }

  @Test
  void aNotificationWithoutARecordIdIsReportedNotDropped() {
    String xml = SalesforceOutboundMessages.builder(ORG_18)
        .notification("04l5g0000000005AAA", "Contact", Map.of("LastName", "No Id"))
        .notification("04l5g0000000006AAA", "Contact", Map.of("Id", CONTACT)).build();

    WebhookResult result = handler().handle(post(xml));

    assertThat(result.events()).extracting(ChangeEvent::eventId).containsExactly("04l5g0000000006AAA");
    assertThat(result.unparsed()).singleElement().satisfies(u -> {
      assertThat(u.index()).isEqualTo(0);
      assertThat(u.reason()).contains("Id");
    });
  }

  @Test
  void theBuilderRejectsBadSettingsNamingThem() {
    assertThatThrownBy(() -> SalesforceOutboundMessageHandler.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("organizationId");
    assertThatThrownBy(() -> SalesforceOutboundMessageHandler.builder().organizationId("0035g00000A1b2c"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("organizationId");
    assertThatThrownBy(() -> SalesforceOutboundMessageHandler.builder().organizationId(null))
        .isInstanceOf(NullPointerException.class).hasMessage("organizationId");
    for (String range : List.of("10.0.0.1/33", "10.0.0.1/8", "example.com/8", "2001:db8::/129", "1.2.3/24", "")) {
      assertThatThrownBy(() -> SalesforceOutboundMessageHandler.builder().ipRanges(List.of(range)), range)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ipRanges");
    }
    assertThatThrownBy(() -> SalesforceOutboundMessageHandler.builder().maxBodyBytes(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> SalesforceOutboundMessageHandler.builder().customerFields(Set.of("a b")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customerFields");
  }

  @Test
  void aTenantsSettingsGiveTheOrgTheRangesAndItsCustomFields() {
    TenantConfig config = TenantConfig.builder("t1", "salesforce")
        .setting("organizationId", ORG_15).setting("outboundMessageIpRanges", "13.108.0.0/14, 2001:db8::/32")
        .setting("customField.loyaltyId", "Loyalty_Id__c").build();
    SalesforceOutboundMessageHandler h = SalesforceCustomerSystemProvider.outboundMessageHandler(config).build();
    String xml = SalesforceOutboundMessages.builder(ORG_18)
        .notification("04l5g0000000007AAA", "Contact", Map.of("Id", CONTACT, "Loyalty_Id__c", "L-9")).build();

    assertThat(h.handle(post(xml, "13.108.1.1")).events().get(0).attributes()).containsEntry("Loyalty_Id__c", "L-9");
    assertThatThrownBy(() -> h.handle(post(xml, "192.0.2.1"))).isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> SalesforceCustomerSystemProvider.outboundMessageHandler(
        TenantConfig.builder("t1", "salesforce").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("organizationId");
    assertThatThrownBy(() -> SalesforceCustomerSystemProvider.outboundMessageHandler(TenantConfig
        .builder("t1", "salesforce").setting("organizationId", ORG_15).setting("outboundMessageIpRanges", "10.0.0.0/40")
        .build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("outboundMessageIpRanges");
  }
}
