package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.SyncAudit;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.sync.RemoteSide.Delivery;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the provider-neutral scenarios cannot say about Salesforce's real-time path: a merge made in the UI
 * edits the survivor, so an outbound message reports the survivor (with the values the merge gave it), while
 * the merged-away record is deleted, which no outbound message reports. Until the change feed brings the
 * merge, the survivor's new values can clash with the local record merged into it; the event then waits as
 * failed, and a replay after the next delta run finds nothing left to do.
 */
class SalesforceSyncMergeDeliveryTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
  private final SalesforceRemoteSide remote = new SalesforceRemoteSide(clock);
  private final CustomerSystem local =
      new InMemoryCustomerSystem(new ProviderContext(TenantConfig.builder("shop-1", "memory").build(), clock, Map.of()));
  private final SyncStore store = new InMemorySyncStore(clock);
  private final IntegrationKey key = new IntegrationKey("shop-1", "salesforce");

  @AfterEach
  void stop() {
    remote.close();
  }

  @Test
  void aMergeInTheUiArrivesAsAnUpdateOfTheSurvivorAndTheMergedRecordThroughTheChangeFeed() {
    Customer ana = local.create(CustomerDraft.builder().firstName("Ana").lastName("Silva").email("ana@example.com").build());
    Customer ann = local.create(CustomerDraft.builder().firstName("Ann").lastName("Silva").email("ann@example.com")
        .phone("+14155550123").build());
    SyncEngine engine = SyncEngine.builder().local(local).remote(remote.system()).store(store).key(key)
        .mapping(remote.mapping()).strategy(ConflictStrategy.lastWriteWins()).clock(clock).leaseOwner("worker").build();
    engine.run(SyncMode.FULL);
    remote.deliverInto(engine);
    remote.deliver();
    assertThat(remote.received()).hasSize(2).allSatisfy(e -> assertThat(remote.isOwnWrite(e)).isTrue());
    assertThat(engine.drainInbox().skipped()).as("echoes of the engine's creates").isEqualTo(2);
    String survivor = store.mappingByLocalId(key, ana.id()).orElseThrow().externalId();
    String merged = store.mappingByLocalId(key, ann.id()).orElseThrow().externalId();

    clock.advance(Duration.ofSeconds(1));
    remote.mergeInUi(survivor, merged);
    List<Delivery> attempts = remote.deliver();
    SyncResult applied = engine.drainInbox();

    assertThat(attempts).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(200));
    ChangeEvent event = remote.received().get(2);
    assertThat(event.type()).isEqualTo(ChangeEventType.UPDATED);
    assertThat(event.objectId()).isEqualTo(survivor);
    assertThat(remote.isOwnWrite(event)).as("a person merged them").isFalse();
    assertThat(applied.failed()).as("the local merged record still holds the phone the survivor took").isEqualTo(1);
    assertThat(applied.errors()).singleElement().satisfies(e -> {
      assertThat(e.recordId()).isEqualTo(survivor);
      assertThat(e.errorType()).isEqualTo("ConflictException");
    });
    assertThat(local.require(ann.id()).isDeleted()).as("no outbound message reports the merged record").isFalse();

    engine.run(SyncMode.DELTA);
    assertThat(store.replayFailedEvents(key)).isEqualTo(1);
    SyncResult replayed = engine.drainInbox();

    assertThat(local.require(ann.id()).id()).as("the change feed brought the merge").isEqualTo(ana.id());
    assertThat(local.require(ana.id()).phone()).as("the merge filled the survivor's blank phone").isEqualTo("+14155550123");
    assertThat(replayed.failed()).isZero();
    assertThat(store.failedEvents(key, 10)).isEmpty();
    assertThat(SyncAudit.audit(engine).problems()).isEmpty();
    assertThat(remote.liveCount()).isEqualTo(1);
  }
}
