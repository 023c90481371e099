package dev.crmkit.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.hubspot.HubSpotSignatures;
import dev.crmkit.integrations.IntegrationSchema;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.TestDatabases;
import dev.crmkit.integrations.WebhookDelivery;
import dev.crmkit.integrations.WebhookDelivery.Outcome;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.salesforce.SalesforceOutboundMessageHandler;
import dev.crmkit.salesforce.SalesforceOutboundMessages;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.spi.InboxEntry;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routing on its own, over the real HubSpot and Salesforce routers, the V3 table on H2 and
 * in-memory sync engines, with drains recorded instead of run.
 */
class WebhookRoutingTest {
  private static final Instant NOW = Instant.parse("2026-12-06T22:40:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String HUBSPOT_URL = "https://crm.example/webhooks/integrations/hubspot";
  private static final String SALESFORCE_URL = "https://crm.example/webhooks/integrations/salesforce";
  private static final String ORG_A = "00D5g000004SbcDEAS";
  private static final String ORG_UNKNOWN = "00D5g000009ZzzZEAS";

  private final InMemorySyncStore store = new InMemorySyncStore(CLOCK);
  private final Map<String, WebhookRouting.Route> byAccount = new HashMap<>();
  private final List<String> drained = new ArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private DataSource dataSource;
  private WebhookRouting routing;
  private boolean storeBroken;

  @BeforeEach
  void setUp() {
    dataSource = TestDatabases.h2();
    IntegrationSchema.migrate(dataSource);
    IntegrationFactory factory = IntegrationFactory.builder().clock(CLOCK).build();
    InboxDrains drains = new InboxDrains(task -> drained.add("drain"));
    routing = new WebhookRouting(factory, (provider, account) -> Optional.ofNullable(byAccount.get(provider + "/" + account)),
        new WebhookDeliveryLog(dataSource), drains, new Metrics(meters), CLOCK);
    hubspot("tenant-a", "int-a", "111", "secret-a", IntegrationStatus.ACTIVE);
    hubspot("tenant-b", "int-b", "222", "secret-b", IntegrationStatus.ACTIVE);
  }

  private void hubspot(String tenant, String id, String portal, String secret, IntegrationStatus status) {
    TenantConfig.Builder config = TenantConfig.builder(tenant, "hubspot");
    if (secret != null) {
      config.credential("clientSecret", secret);
    }
    route("hubspot/" + portal, tenant, id, status, config.build());
  }

  private void salesforce(String tenant, String id, String org, String ranges) {
    TenantConfig.Builder config = TenantConfig.builder(tenant, "salesforce").setting("organizationId", org);
    if (ranges != null) {
      config.setting("outboundMessageIpRanges", ranges);
    }
    route("salesforce/" + org, tenant, id, IntegrationStatus.ACTIVE, config.build());
  }

  private void route(String key, String tenant, String id, IntegrationStatus status, TenantConfig config) {
    byAccount.put(key, new WebhookRouting.Route(tenant, id, status, () -> config, event -> {
      if (storeBroken) {
        throw new IllegalStateException("database down");
      }
      return store.putEvent(new IntegrationKey(tenant, id), event);
    }, () -> engine(tenant, id)));
  }

  private SyncEngine engine(String tenant, String id) {
    return SyncEngine.builder().local(memory(tenant)).remote(memory(tenant)).store(store)
        .key(new IntegrationKey(tenant, id)).mapping(FieldMapping.defaults()).strategy(ConflictStrategy.manual())
        .clock(CLOCK).build();
  }

  private static CustomerSystem memory(String tenant) {
    return new InMemoryCustomerSystem(new ProviderContext(TenantConfig.builder(tenant, "memory").build(), CLOCK, Map.of()));
  }

  private List<String> inbox(String tenant, String id) {
    return store.pendingEvents(new IntegrationKey(tenant, id), 100).stream().map(InboxEntry::event)
        .map(e -> e.eventId()).toList();
  }

  private static String events(long portal, long... eventIds) {
    StringBuilder sb = new StringBuilder("[");
    for (long id : eventIds) {
      sb.append(sb.length() > 1 ? "," : "").append("{\"eventId\":").append(id).append(",\"portalId\":").append(portal)
          .append(",\"subscriptionType\":\"contact.propertyChange\",\"propertyName\":\"email\",")
          .append("\"propertyValue\":\"ana@example.com\",\"occurredAt\":1765060800000,\"objectId\":901}");
    }
    return sb.append("]").toString();
  }

  private static WebhookRequest signed(String body, String secret) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long ts = NOW.minusSeconds(1).toEpochMilli();
    return WebhookRequest.builder().method("POST").url(HUBSPOT_URL).body(bytes).receivedAt(NOW)
        .header("Content-Type", "application/json")
        .header("X-HubSpot-Signature-v3", HubSpotSignatures.v3(secret, "POST", HUBSPOT_URL, bytes, ts))
        .header("X-HubSpot-Request-Timestamp", Long.toString(ts)).build();
  }

  private static WebhookRequest unsigned(String body) {
    return WebhookRequest.builder().method("POST").url(HUBSPOT_URL).body(body).receivedAt(NOW).build();
  }

  private static WebhookRequest outbound(String org, String from) {
    return SalesforceOutboundMessages.builder(org)
        .notification("04l5g0000000001AAA", "Contact", Map.of("Id", "0035g00000A1b2cAAB", "LastName", "Ng"))
        .toRequest(SALESFORCE_URL, from, NOW);
  }

  private List<Map<String, Object>> rows() throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM crmkit_webhook_delivery ORDER BY id")) {
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void aSignedHubSpotDeliveryLandsInTheInboxOfTheIntegrationConnectedToItsPortalOnly() {
    WebhookResponse answer = routing.receive("hubspot", signed(events(111, 1, 2), "secret-a"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(inbox("tenant-a", "int-a")).containsExactly("1", "2");
    assertThat(inbox("tenant-b", "int-b")).isEmpty();
    assertThat(routing.deliveries("tenant-a", "int-a", 10)).singleElement().satisfies(d -> {
      assertThat(d.outcome()).isEqualTo(Outcome.ACCEPTED);
      assertThat(d).extracting(WebhookDelivery::status, WebhookDelivery::events, WebhookDelivery::duplicates,
          WebhookDelivery::platform, WebhookDelivery::integrationId, WebhookDelivery::detail)
          .containsExactly(200, 2, 0, "hubspot", "int-a", null);
      assertThat(d.receivedAt()).isEqualTo(NOW);
    });
    assertThat(routing.deliveries("tenant-b", "int-b", 10)).isEmpty();
    assertThat(drained).hasSize(1);
    assertThat(meters.get(Metrics.WEBHOOK_DELIVERIES)
        .tags("provider", "hubspot", "integration", "int-a", "outcome", "accepted").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aDeliveryForTenantAsPortalSignedWithTenantBsSecretIsRefused401AndStoresNothing() {
    WebhookResponse answer = routing.receive("hubspot", signed(events(111, 1), "secret-b"));

    assertThat(answer.status()).isEqualTo(401);
    assertThat(inbox("tenant-a", "int-a")).isEmpty();
    assertThat(inbox("tenant-b", "int-b")).isEmpty();
    assertThat(routing.deliveries("tenant-a", "int-a", 10)).singleElement().satisfies(d -> {
      assertThat(d.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
      assertThat(d.status()).isEqualTo(401);
      assertThat(d.events()).isZero();
    });
    assertThat(drained).isEmpty();
  }

  @Test
  void anUnsignedDeliveryIsRefused401() {
    assertThat(routing.receive("hubspot", unsigned(events(111, 1))).status()).isEqualTo(401);
    assertThat(inbox("tenant-a", "int-a")).isEmpty();
    assertThat(routing.deliveries("tenant-a", "int-a", 1)).extracting(WebhookDelivery::outcome)
        .containsExactly(Outcome.BAD_SIGNATURE);
  }

  @Test
  void aReplayedDeliveryIsAcknowledgedAgainAndCountedAsDuplicatesWithoutASecondEvent() {
    WebhookRequest delivery = signed(events(111, 7), "secret-a");
    routing.receive("hubspot", delivery);

    WebhookResponse again = routing.receive("hubspot", delivery);

    assertThat(again.status()).isEqualTo(200);
    assertThat(inbox("tenant-a", "int-a")).containsExactly("7");
    assertThat(routing.deliveries("tenant-a", "int-a", 10))
        .extracting(WebhookDelivery::outcome, WebhookDelivery::events, WebhookDelivery::duplicates)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.ACCEPTED, 1, 1),
            org.assertj.core.groups.Tuple.tuple(Outcome.ACCEPTED, 1, 0));
    assertThat(drained).as("nothing new to apply after the replay").hasSize(1);
  }

  @Test
  void aDeliveryForAnUnknownPortalIsLoggedUnroutedAndAnswered404WhichHubSpotDoesNotRetry() throws Exception {
    WebhookResponse answer = routing.receive("hubspot", signed(events(333, 1), "secret-a"));

    assertThat(answer.status()).isEqualTo(404);
    assertThat(rows()).singleElement().satisfies(r -> {
      assertThat(r).containsEntry("outcome", "UNROUTED").containsEntry("status", 404)
          .containsEntry("tenant_id", null).containsEntry("integration_id", null).containsEntry("platform", "hubspot");
      assertThat((String) r.get("detail")).doesNotContain("333");
    });
    assertThat(meters.get(Metrics.WEBHOOK_DELIVERIES)
        .tags("provider", "hubspot", "integration", "none", "outcome", "unrouted").counter().count()).isEqualTo(1.0);
    assertThat(inbox("tenant-a", "int-a")).isEmpty();
  }

  @Test
  void malformedMixedAndOversizedBodiesAreRefusedBeforeAnyIntegrationIsTouched() throws Exception {
    assertThat(routing.receive("hubspot", signed("{not json", "secret-a")).status()).isEqualTo(400);
    assertThat(routing.receive("hubspot", signed(events(111, 1).replace("]", "," + events(222, 2).substring(1)),
        "secret-a")).status()).isEqualTo(400);
    String huge = events(111, 1).replace("ana@example.com", "x".repeat(1 << 20));
    assertThat(routing.receive("hubspot", signed(huge, "secret-a")).status()).isEqualTo(413);

    assertThat(rows()).extracting(r -> r.get("outcome"), r -> r.get("integration_id"))
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("BAD_PAYLOAD", null),
            org.assertj.core.groups.Tuple.tuple("BAD_PAYLOAD", null), org.assertj.core.groups.Tuple.tuple("TOO_LARGE", null));
    assertThat(rows()).extracting(r -> (String) r.get("detail"))
        .allSatisfy(d -> assertThat(d).doesNotContain("222").doesNotContain("not json").doesNotContain("xxxx"));
    assertThat(inbox("tenant-a", "int-a")).isEmpty();
    assertThat(inbox("tenant-b", "int-b")).isEmpty();
  }

  @Test
  void aVerifiedDeliveryOfElementsThatAreNotEventsIsAcknowledgedWithNoEventsAndOneWithoutAPortalIsRefused() {
    assertThat(routing.receive("hubspot", signed("[{\"portalId\":111}]", "secret-a")).status()).isEqualTo(200);
    assertThat(routing.receive("hubspot", signed("[{\"portalId\":111}, 5]", "secret-a")).status()).isEqualTo(400);

    assertThat(routing.deliveries("tenant-a", "int-a", 10)).extracting(WebhookDelivery::outcome, WebhookDelivery::events)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.ACCEPTED, 0));
    assertThat(drained).isEmpty();
  }

  @Test
  void aPausedIntegrationsDeliveryIsVerifiedAcknowledgedAndNotApplied() {
    hubspot("tenant-c", "int-c", "444", "secret-c", IntegrationStatus.PAUSED);

    assertThat(routing.receive("hubspot", signed(events(444, 1), "secret-x")).status()).isEqualTo(401);
    assertThat(routing.receive("hubspot", signed(events(444, 1), "secret-c")).status()).isEqualTo(200);

    assertThat(inbox("tenant-c", "int-c")).isEmpty();
    assertThat(drained).isEmpty();
    assertThat(routing.deliveries("tenant-c", "int-c", 1)).singleElement().satisfies(d -> {
      assertThat(d.outcome()).isEqualTo(Outcome.PAUSED);
      assertThat(d.events()).isEqualTo(1);
    });
  }

  @Test
  void anIntegrationWithoutAClientSecretCannotVerifyAndSaysSoWithoutDetailsOfTheConfig() {
    hubspot("tenant-d", "int-d", "555", null, IntegrationStatus.ACTIVE);

    assertThat(routing.receive("hubspot", signed(events(555, 1), "whatever")).status()).isEqualTo(401);

    assertThat(routing.deliveries("tenant-d", "int-d", 1)).singleElement().satisfies(d -> {
      assertThat(d.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
      assertThat(d.detail()).contains("settings are missing or malformed");
    });
  }

  @Test
  void eventsThatCannotBeStoredAreAnswered500SoHubSpotDeliversThemAgain() {
    storeBroken = true;

    assertThat(routing.receive("hubspot", signed(events(111, 1), "secret-a")).status()).isEqualTo(500);

    assertThat(routing.deliveries("tenant-a", "int-a", 1)).extracting(WebhookDelivery::outcome)
        .containsExactly(Outcome.NOT_STORED);
    storeBroken = false;
    assertThat(routing.receive("hubspot", signed(events(111, 1), "secret-a")).status()).isEqualTo(200);
    assertThat(inbox("tenant-a", "int-a")).containsExactly("1");
  }

  @Test
  void aSalesforceOutboundMessageForTheConnectedOrgIsAcknowledgedWithSoap() {
    salesforce("tenant-a", "sf-a", ORG_A, null);

    WebhookResponse answer = routing.receive("salesforce", outbound(ORG_A.substring(0, 15), null));

    assertThat(answer).isEqualTo(SalesforceOutboundMessageHandler.acknowledgement());
    assertThat(inbox("tenant-a", "sf-a")).containsExactly("04l5g0000000001AAA");
    assertThat(routing.receive("salesforce", outbound(ORG_A, null)).status()).isEqualTo(200);
    assertThat(routing.deliveries("tenant-a", "sf-a", 5)).extracting(WebhookDelivery::duplicates).containsExactly(1, 0);
  }

  @Test
  void aSalesforceOutboundMessageForAnotherOrgOrFromOutsideTheRangesIsRefusedWithASoapFault() {
    salesforce("tenant-a", "sf-a", ORG_A, "13.108.0.0/14");

    WebhookResponse unknown = routing.receive("salesforce", outbound(ORG_UNKNOWN, "13.108.0.1"));
    WebhookResponse outside = routing.receive("salesforce", outbound(ORG_A, "10.1.2.3"));
    WebhookResponse doctype = routing.receive("salesforce", WebhookRequest.builder().method("POST").url(SALESFORCE_URL)
        .body("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
        .receivedAt(NOW).build());

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(outside.status()).isEqualTo(403);
    assertThat(doctype.status()).isEqualTo(400);
    assertThat(List.of(unknown, outside, doctype)).allSatisfy(r -> assertThat(r.body()).contains("<soapenv:Fault>"));
    assertThat(inbox("tenant-a", "sf-a")).isEmpty();
    assertThat(routing.deliveries("tenant-a", "sf-a", 5)).extracting(WebhookDelivery::outcome)
        .containsExactly(Outcome.BAD_SIGNATURE);
  }

  @Test
  void anIntegrationWhoseOrgSettingDisagreesWithItsAccountIdRefusesTheMessage() {
    route("salesforce/" + ORG_A, "tenant-a", "sf-a", IntegrationStatus.ACTIVE,
        TenantConfig.builder("tenant-a", "salesforce").setting("organizationId", ORG_UNKNOWN).build());

    assertThat(routing.receive("salesforce", outbound(ORG_A, null)).status()).isEqualTo(403);
    assertThat(inbox("tenant-a", "sf-a")).isEmpty();
  }

  @Test
  void aPlatformWithoutWebhookRoutingIsAnswered404AndNotLogged() throws Exception {
    assertThat(routing.receive("memory", signed(events(111, 1), "secret-a")).status()).isEqualTo(404);
    assertThat(routing.receive("no-such-platform", signed(events(111, 1), "secret-a")).status()).isEqualTo(404);
    assertThat(rows()).isEmpty();
  }

  @Test
  void noLoggedDetailHoldsASecretOrAPayloadValue() throws Exception {
    routing.receive("hubspot", signed(events(111, 1), "secret-b"));
    routing.receive("hubspot", signed(events(333, 1), "secret-a"));
    routing.receive("hubspot", signed("[{\"portalId\":\"ana@example.com\"}]", "secret-a"));
    routing.receive("hubspot", signed(events(111, 1).replace("]", ",{\"portalId\":222,\"eventId\":9}]"), "secret-a"));
    routing.receive("hubspot", signed(events(111, 1), "secret-a"));

    assertThat(rows()).hasSize(5).allSatisfy(r -> assertThat(String.valueOf(r.get("detail")))
        .doesNotContain("secret-a", "secret-b", "ana@example.com", "333", "222", "901"));
  }

  @Test
  void deliveriesAreListedNewestFirstUpToTheLimitAndOnlyForTheirTenant() {
    for (int i = 1; i <= 4; i++) {
      routing.receive("hubspot", signed(events(111, i), "secret-a"));
    }

    assertThat(routing.deliveries("tenant-a", "int-a", 3)).hasSize(3)
        .extracting(WebhookDelivery::id).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(routing.deliveries("tenant-b", "int-a", 10)).isEmpty();
  }
}
