package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.Customer;
import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Outbound messages into a sync engine's webhook inbox, the way a host wires them: the handler's inbox
 * is {@link SyncEngine#accept}, and draining the inbox pulls each notified Contact into the local store.
 */
class SalesforceOutboundMessagesSyncTest {
  @Test
  void notifiedContactsArePulledIntoTheLocalStoreOnceWhateverSalesforceRedelivers() {
    Clock clock = Clock.systemUTC();
    try (SalesforceEmulator emulator = SalesforceEmulator.start()) {
      CustomerSystem local = new InMemoryCustomerSystem(
          new ProviderContext(TenantConfig.builder("shop-1", "memory").build(), clock, Map.of()));
      TenantConfig config = TenantConfig.builder("shop-1", "salesforce")
          .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
          .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl()).build();
      CustomerSystem remote = new SalesforceCustomerSystemProvider().create(new ProviderContext(config, clock, Map.of()));
      SyncEngine engine = SyncEngine.builder().local(local).remote(remote).store(new InMemorySyncStore(clock))
          .key(new IntegrationKey("shop-1", "salesforce")).flow(SyncFlow.PULL)
          .mapping(SalesforceFieldMappings.defaultsWithoutOrders()).strategy(ConflictStrategy.lastWriteWins())
          .clock(clock).leaseOwner("webhooks").build();
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger duplicates = new AtomicInteger();
      SalesforceOutboundMessageHandler handler = SalesforceOutboundMessageHandler.builder()
          .organizationId(emulator.orgId())
          .inbox(events -> events.forEach(e -> (engine.accept(e) ? accepted : duplicates).incrementAndGet()))
          .build();
      try (LoopbackEndpoint endpoint = new LoopbackEndpoint(call -> {
        WebhookResponse answer = handler.handle(WebhookRequest.builder().method(call.method())
            .url("http://127.0.0.1" + call.target()).headers(call.headers()).body(call.body())
            .remoteAddress(call.peer()).receivedAt(Instant.now()).build()).response();
        return new LoopbackEndpoint.Answer(answer.status(), answer.contentType(), answer.body());
      })) {
        emulator.outboundMessages().target(endpoint.url("/salesforce/outbound"), "Contact");
        emulator.insert("Contact", Map.of("FirstName", "Ana", "LastName", "Silva", "Email", "ana@example.com",
            "Customer_Segment__c", "VIP"));
        emulator.insert("Contact", Map.of("LastName", "Bo", "Email", "bo@example.com"));

        assertThat(emulator.outboundMessages().duplicateNextFlush().flush())
            .hasSize(2).allSatisfy(d -> assertThat(d.acknowledged()).isTrue());
        SyncResult drained = engine.drainInbox();

        assertThat(accepted.get()).isEqualTo(2);
        assertThat(duplicates.get()).isEqualTo(2);
        assertThat(drained.created()).isEqualTo(2);
        Customer ana = local.findByEmail("ana@example.com").orElseThrow();
        assertThat(ana.firstName()).isEqualTo("Ana");
        assertThat(ana.segment()).isEqualTo(Segment.VIP);
        assertThat(local.findByEmail("bo@example.com")).isPresent();
        assertThat(engine.drainInbox().created()).isZero();
        assertThat(emulator.outboundMessages().pending()).isZero();
      }
    }
  }
}
