package dev.crmkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.OrderDraft;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.http.Sleeper;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncAudit;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.FaultyCustomerSystem;
import dev.crmkit.testkit.FaultyCustomerSystem.Fault;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.hubspot.HubSpotCounters;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import dev.crmkit.testkit.hubspot.WebhookAttempt;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sync engine between a local system and HubSpot on the emulator; a subclass per local system
 * (in memory, or the native store on H2) and {@link SyncStore}. Every test ends with the one convergence check, {@link #assertConverged}. Time
 * only moves when a test (or a retry's sleep) moves it; nothing sleeps.
 */
abstract class HubSpotSyncTestBase {
  static final IntegrationKey KEY = new IntegrationKey("shop-1", "hubspot");

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
  HubSpotEmulator emulator;
  WebhookEndpoint endpoint;
  CustomerSystem local;
  CustomerSystem remote;
  SyncStore store;

  /** A new, empty store on the test's clock. */
  abstract SyncStore newStore(Clock clock);

  /** A new, empty local system of tenant {@code shop-1} on the test's clock; in memory unless a subclass says otherwise. */
  CustomerSystem newLocal(Clock clock) {
    return new InMemoryCustomerSystem(new ProviderContext(TenantConfig.builder("shop-1", "memory").build(), clock, Map.of()));
  }

  @BeforeEach
  void open() {
    endpoint = new WebhookEndpoint(clock);
    emulator = HubSpotEmulator.builder().clock(clock).rateLimits(false)
        .webhooks(endpoint.url(), WebhookEndpoint.CLIENT_SECRET).build();
    local = newLocal(clock);
    remote = hubspot();
    store = newStore(clock);
  }

  @AfterEach
  void close() {
    emulator.close();
    endpoint.close();
  }

  CustomerSystem hubspot() {
    TenantConfig config = TenantConfig.builder("shop-1", "hubspot")
        .credential(HubSpotCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(HubSpotCustomerSystemProvider.BASE_URL, emulator.baseUrl())
        .setting(HubSpotCustomerSystemProvider.PROACTIVE_RATE_LIMITING, "false")
        .setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + HubSpotFieldMappings.ORDERS_FIELD, "crmkit_orders_count")
        .setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + HubSpotFieldMappings.REVENUE_FIELD, "total_revenue")
        .build();
    return new HubSpotCustomerSystemProvider().create(
        new ProviderContext(config, clock, Map.of(Sleeper.class, (Sleeper) clock::advance)));
  }

  SyncEngine engine(ConflictStrategy strategy) {
    return engine(strategy, remote, "worker-1");
  }

  SyncEngine engine(ConflictStrategy strategy, CustomerSystem remoteSystem, String owner) {
    return engine(strategy, local, remoteSystem, owner);
  }

  SyncEngine engine(ConflictStrategy strategy, CustomerSystem localSystem, CustomerSystem remoteSystem, String owner) {
    return SyncEngine.builder().local(localSystem).remote(remoteSystem).store(store).key(KEY)
        .mapping(HubSpotFieldMappings.defaults()).strategy(strategy).clock(clock).pageSize(4).remoteBatchSize(3)
        .leaseOwner(owner).leaseTtl(Duration.ofMinutes(1)).build();
  }

  /** The one convergence check: every record linked once, both sides equal on the synced fields, no duplicates. */
  void assertConverged(SyncEngine engine) {
    SyncAudit.Report report = SyncAudit.audit(engine);
    assertThat(report.problems()).isEmpty();
    assertThat(report.localRecords()).isEqualTo(report.remoteRecords()).isEqualTo(emulator.liveContactCount());
    assertThat(report.linkedPairs() + report.parked()).isEqualTo(report.localRecords());
  }

  Customer localPerson(String first, String email) {
    return local.create(CustomerDraft.builder().firstName(first).lastName("Local").email(email).tag("shop").build());
  }

  String remotePerson(String first, String email) {
    return emulator.seedContact(Map.of("firstname", first, "lastname", "Remote", "email", email));
  }

  String remoteIdOf(Customer c) {
    return store.mappingByLocalId(KEY, c.id()).orElseThrow().externalId();
  }

  /** A user's edit in HubSpot's UI, a second after the last write. */
  void editInHubSpot(String contactId, Map<String, String> properties) {
    clock.advance(Duration.ofSeconds(1));
    emulator.updateContact(contactId, properties);
  }

  Customer editLocally(Customer c, CustomerUpdate update) {
    clock.advance(Duration.ofSeconds(1));
    return local.update(c.id(), update);
  }

  @Test
  void firstFullSyncLinksByEmailAndCreatesMissingRecordsInBothDirections() {
    for (int i = 0; i < 7; i++) {
      localPerson("L" + i, "l" + i + "@example.com");
    }
    remotePerson("L0", "l0@example.com");
    remotePerson("L1", "L1@Example.com");
    for (int i = 0; i < 5; i++) {
      remotePerson("R" + i, "r" + i + "@example.com");
    }
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());

    SyncResult run = engine.run(SyncMode.FULL);

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.created()).isEqualTo(10);
    assertThat(emulator.liveContactCount()).isEqualTo(12);
    assertThat(emulator.contactProperties(remoteIdOf(local.findByEmail("l6@example.com").orElseThrow())).orElseThrow())
        .containsEntry("crmkit_tags", "shop").containsEntry("lifecyclestage", "lead");
    assertConverged(engine);
  }

  @Test
  void aFullPushOfNewCustomersCostsOneBatchCallPerHundredAndNoPerRecordReads() {
    for (int i = 0; i < 250; i++) {
      localPerson("P" + i, "p" + i + "@example.com");
    }
    SyncEngine engine = SyncEngine.builder().local(local).remote(remote).store(store).key(KEY)
        .flow(dev.crmkit.sync.SyncFlow.PUSH).mapping(HubSpotFieldMappings.defaults())
        .strategy(ConflictStrategy.lastWriteWins()).clock(clock).leaseOwner("pusher").build();
    emulator.counters().reset();

    SyncResult run = engine.run(SyncMode.FULL);

    assertThat(run.created()).isEqualTo(250);
    HubSpotCounters calls = emulator.counters();
    assertThat(calls.requests(HubSpotCounters.BATCH_UPSERT) + calls.requests(HubSpotCounters.BATCH_CREATE))
        .isEqualTo(3);
    assertThat(calls.totalRequests()).isEqualTo(3);

    for (int i = 0; i < 250; i += 2) {
      editLocally(local.findByEmail("p" + i + "@example.com").orElseThrow(),
          CustomerUpdate.builder().lastName("Acme").build());
    }
    emulator.counters().reset();
    SyncResult delta = engine.run(SyncMode.DELTA);

    assertThat(delta.updated()).isEqualTo(125);
    assertThat(emulator.counters().requests(HubSpotCounters.BATCH_UPDATE)).isEqualTo(2);
    assertThat(emulator.counters().totalRequests()).isEqualTo(2);
    assertThat(emulator.contactProperties(remoteIdOf(local.findByEmail("p0@example.com").orElseThrow())).orElseThrow())
        .containsEntry("lastname", "Acme");
    assertConverged(engine);
  }

  @Test
  void deltaCarriesEditsEachWayPushesOrdersAndSkipsItsOwnEchoes() {
    Customer ana = localPerson("Ana", "ana@example.com");
    String cy = remotePerson("Cy", "cy@example.com");
    SyncEngine engine = engine(ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins()));
    engine.run(SyncMode.FULL);

    clock.advance(Duration.ofSeconds(1));
    local.recordOrder(ana.id(), new OrderDraft("o-1", new dev.crmkit.Money(new BigDecimal("40.50"),
        java.util.Currency.getInstance("EUR")), clock.instant()));
    editInHubSpot(cy, Map.of("lifecyclestage", "evangelist"));
    SyncResult delta = engine.run(SyncMode.DELTA);

    assertThat(delta.updated()).isEqualTo(2);
    assertThat(emulator.contactProperties(remoteIdOf(ana)).orElseThrow())
        .containsEntry("crmkit_orders_count", "1").containsEntry("total_revenue", "40.50");
    assertThat(local.findByEmail("cy@example.com").orElseThrow().segment()).isEqualTo(Segment.VIP);
    SyncResult echo = engine.run(SyncMode.DELTA);
    assertThat(echo.synced()).isZero();
    assertThat(echo.conflicts()).isZero();
    assertConverged(engine);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lastWriteWins", "localMaster", "externalMaster", "fieldLevelMerge", "manual"})
  void concurrentEditsOnBothSidesFollowTheStrategy(String name) {
    ConflictStrategy strategy = switch (name) {
      case "lastWriteWins" -> ConflictStrategy.lastWriteWins();
      case "localMaster" -> ConflictStrategy.localMaster();
      case "externalMaster" -> ConflictStrategy.externalMaster();
      case "fieldLevelMerge" -> ConflictStrategy.fieldLevelMerge(ConflictStrategy.localMaster());
      default -> ConflictStrategy.manual();
    };
    Customer ana = localPerson("Ana", "ana@example.com");
    SyncEngine engine = engine(strategy);
    engine.run(SyncMode.FULL);
    String contact = remoteIdOf(ana);

    editLocally(ana, CustomerUpdate.builder().firstName("Anna").lastName("Lopez").build());
    editInHubSpot(contact, Map.of("firstname", "Annie", "lifecyclestage", "customer"));
    SyncResult run = engine.run(SyncMode.DELTA);

    assertThat(run.conflicts()).as("one record changed on both sides, settled or parked").isEqualTo(1);
    Customer l = local.require(ana.id());
    switch (name) {
      case "lastWriteWins", "externalMaster" -> {
        assertThat(l.firstName()).isEqualTo("Annie");
        assertThat(l.lastName()).isEqualTo("Local");
        assertThat(l.segment()).isEqualTo(Segment.STANDARD);
      }
      case "localMaster" -> {
        assertThat(emulator.contactProperties(contact).orElseThrow())
            .containsEntry("firstname", "Anna").containsEntry("lastname", "Lopez").containsEntry("lifecyclestage", "lead");
      }
      case "fieldLevelMerge" -> {
        assertThat(l.firstName()).isEqualTo("Anna");
        assertThat(l.lastName()).isEqualTo("Lopez");
        assertThat(l.segment()).isEqualTo(Segment.STANDARD);
      }
      default -> {
        assertThat(l.firstName()).isEqualTo("Anna");
        SyncConflict c = engine.conflicts().open(10).get(0);
        assertThat(c.fields()).extracting(f -> f.field()).containsExactly("firstName");
        engine.conflicts().resolve(c.id(), SyncSide.MERGED, Map.of("firstName", "Ana María"), "agent");
        assertThat(emulator.contactProperties(contact).orElseThrow())
            .containsEntry("firstname", "Ana María").containsEntry("lastname", "Lopez");
        assertThat(local.require(ana.id()).segment()).isEqualTo(Segment.STANDARD);
      }
    }
    assertConverged(engine);
  }

  /** HubSpot delivers its queued webhooks to the endpoint, which puts them in the engine's inbox; every POST gets a 2xx. */
  List<WebhookAttempt> deliverWebhooks(SyncEngine engine) {
    List<WebhookAttempt> attempts = emulator.webhooks().flush();
    assertThat(endpoint.refused()).as("deliveries refused for their signature").isZero();
    return attempts;
  }

  /** Delivers the webhooks queued so far and applies them: after a full run they are all its own writes' echoes. */
  void drainEchoes(SyncEngine engine) {
    endpoint.into(engine);
    deliverWebhooks(engine);
    SyncResult echoes = engine.drainInbox();
    assertThat(echoes.processed()).isPositive();
    assertThat(echoes.created() + echoes.updated() + echoes.deleted() + echoes.conflicts() + echoes.failed())
        .as("webhooks of the engine's own writes are echoes").isZero();
  }

  @Test
  void aUiEditArrivesAsASignedWebhookAndIsAppliedAtOnceWhileTheEnginesOwnWritesComeBackAsEchoes() {
    Customer ana = localPerson("Ana", "ana@example.com");
    String cy = remotePerson("Cy", "cy@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    Customer anaSynced = local.require(ana.id());
    endpoint.into(engine);

    deliverWebhooks(engine);
    assertThat(endpoint.received()).anySatisfy(e -> {
      assertThat(e.objectId()).isEqualTo(remoteIdOf(ana));
      assertThat(e.attributes()).containsEntry("changeSource", "INTEGRATION");
    });
    SyncResult echoes = engine.drainInbox();

    assertThat(echoes.processed()).isEqualTo(endpoint.accepted());
    assertThat(echoes.skipped()).isEqualTo(echoes.processed());
    assertThat(local.require(ana.id()).updatedAt()).isEqualTo(anaSynced.updatedAt());

    editInHubSpot(cy, Map.of("lastname", "Dean", "company", "not synced"));
    List<WebhookAttempt> attempts = deliverWebhooks(engine);
    SyncResult applied = engine.drainInbox();

    assertThat(attempts).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(200));
    assertThat(applied.processed()).isEqualTo(2);
    assertThat(applied.updated()).isEqualTo(1);
    assertThat(local.findByEmail("cy@example.com").orElseThrow().lastName()).isEqualTo("Dean");
    assertThat(store.pendingEvents(KEY, 10)).isEmpty();
    assertThat(engine.run(SyncMode.DELTA).synced()).isZero();
    assertConverged(engine);
  }

  @Test
  void aWebhookBatchDeliveredTwiceIsAppliedOnce() {
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    endpoint.into(engine);
    String dee = remotePerson("Dee", "dee@example.com");
    editInHubSpot(dee, Map.of("lastname", "Dean"));

    List<WebhookAttempt> attempts = emulator.webhooks().duplicateNextBatch().flush();
    SyncResult first = engine.drainInbox();
    SyncResult again = engine.drainInbox();

    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1).eventIds()).isEqualTo(attempts.get(0).eventIds());
    assertThat(endpoint.duplicates()).isEqualTo(attempts.get(0).eventIds().size()).isEqualTo(endpoint.accepted());
    assertThat(first.processed()).isEqualTo(endpoint.accepted());
    assertThat(first.created()).isEqualTo(1);
    assertThat(again.processed()).isZero();
    assertThat(local.findByEmail("dee@example.com").orElseThrow().lastName()).isEqualTo("Dean");
    assertConverged(engine);
  }

  @Test
  void shuffledAndRetriedWebhooksOfSeveralEditsToOneContactEndOnTheLatest() {
    Customer ana = localPerson("Ana", "ana@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    drainEchoes(engine);
    String contact = remoteIdOf(ana);

    editInHubSpot(contact, Map.of("lastname", "One", "phone", "+14155550101"));
    endpoint.unavailableFor(1);
    List<WebhookAttempt> refused = deliverWebhooks(engine);
    editInHubSpot(contact, Map.of("lastname", "Two", "lifecyclestage", "customer"));
    editInHubSpot(contact, Map.of("lastname", "Three"));
    editInHubSpot(contact, Map.of("phone", "+14155550104", "firstname", "Anna"));
    List<Long> occurrenceOrder = emulator.webhooks().pendingEvents().stream().map(HubSpotSyncTestBase::eventId).toList();
    List<WebhookAttempt> delivered = emulator.webhooks().shuffleNextFlush(20260301L).flush();
    SyncResult applied = engine.drainInbox();

    assertThat(refused).singleElement().satisfies(a -> assertThat(a.willRetry()).isTrue());
    assertThat(delivered).singleElement().satisfies(a -> {
      assertThat(a.eventIds()).containsExactlyInAnyOrderElementsOf(occurrenceOrder).isNotEqualTo(occurrenceOrder);
      assertThat(a.attemptNumbers()).contains(0, 1);
    });
    assertThat(applied.failed()).isZero();
    Customer l = local.require(ana.id());
    assertThat(l.firstName()).isEqualTo("Anna");
    assertThat(l.lastName()).isEqualTo("Three");
    assertThat(l.phone()).isEqualTo("+14155550104");
    assertThat(l.segment()).isEqualTo(Segment.STANDARD);
    assertThat(store.pendingEvents(KEY, 10)).isEmpty();
    assertConverged(engine);
  }

  @Test
  void deletionRestoreAndMergeWebhooksFromTheUiApplyLocallyAndTheEnginesOwnComeBackAsEchoes() {
    Customer ana = localPerson("Ana", "ana@example.com");
    Customer ann = localPerson("Ann", "ann@example.com");
    Customer bo = localPerson("Bo", "bo@example.com");
    Customer cy = localPerson("Cy", "cy@example.com");
    Customer di = localPerson("Di", "di@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    drainEchoes(engine);

    clock.advance(Duration.ofSeconds(1));
    emulator.archiveContact(remoteIdOf(bo));
    emulator.archiveContact(remoteIdOf(cy));
    emulator.mergeContacts(remoteIdOf(ana), remoteIdOf(ann));
    deliverWebhooks(engine);
    SyncResult applied = engine.drainInbox();

    assertThat(applied.failed()).isZero();
    assertThat(applied.deleted()).isEqualTo(3);
    assertThat(local.require(bo.id()).isDeleted()).isTrue();
    assertThat(local.require(cy.id()).isDeleted()).isTrue();
    assertThat(local.require(ann.id()).id()).isEqualTo(ana.id());

    clock.advance(Duration.ofSeconds(1));
    emulator.restoreContact(remoteIdOf(cy));
    deliverWebhooks(engine);
    SyncResult restored = engine.drainInbox();

    assertThat(restored.failed()).isZero();
    assertThat(local.require(cy.id()).isDeleted()).isFalse();
    assertThat(endpoint.received()).extracting(ChangeEvent::type)
        .contains(ChangeEventType.DELETED, ChangeEventType.MERGED, ChangeEventType.RESTORED);

    clock.advance(Duration.ofSeconds(1));
    local.delete(di.id());
    assertThat(engine.run(SyncMode.DELTA).deleted()).isEqualTo(1);
    deliverWebhooks(engine);
    SyncResult echo = engine.drainInbox();

    assertThat(echo.processed()).isPositive();
    assertThat(echo.deleted() + echo.updated() + echo.created()).isZero();
    assertThat(emulator.contactProperties(remoteIdOf(di))).isEmpty();
    assertConverged(engine);
  }

  private static long eventId(String eventJson) {
    try {
      return new ObjectMapper().readTree(eventJson).get("eventId").asLong();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  ChangeEvent event(String id, ChangeEventType type, String contactId, String property) {
    return new ChangeEvent("hubspot", id, type, "contact." + type.name().toLowerCase(), "contact", contactId,
        clock.instant(), property, null, null, 0, Map.of("portalId", "1"));
  }

  @Test
  void aWebhookEventWhoseBatchedLocalCreateIsRejectedIsMarkedFailedUntilReplayed() {
    Customer ana = local.create(CustomerDraft.builder().firstName("Ana").email("ana@example.com")
        .phone("+14155550100").build());
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    String dee = emulator.seedContact(Map.of("firstname", "Dee", "email", "dee@example.com", "phone", "+14155550100"));
    String eve = remotePerson("Eve", "eve@example.com");

    SyncResult drained = engine.apply(List.of(event("1", ChangeEventType.CREATED, dee, null),
        event("2", ChangeEventType.CREATED, eve, null), event("3", ChangeEventType.UPDATED, dee, "phone")));

    assertThat(drained.status()).isEqualTo(RunStatus.PARTIALLY_FAILED);
    assertThat(drained.created()).isEqualTo(1);
    assertThat(drained.errors()).singleElement().satisfies(e -> assertThat(e.recordId()).isEqualTo(dee));
    assertThat(store.pendingEvents(KEY, 10)).isEmpty();
    assertThat(store.failedEvents(KEY, 10)).as("both events of Dee wait on the one rejected create")
        .extracting(entry -> entry.event().eventId()).containsExactly("1", "3");
    assertThat(store.failedEvents(KEY, 10).get(0)).satisfies(entry -> {
      assertThat(entry.attempts()).isEqualTo(1);
      assertThat(entry.lastError()).startsWith("ConflictException").contains("phone", ana.id());
    });
    assertThat(local.findByEmail("dee@example.com")).isEmpty();
    assertThat(local.findByEmail("eve@example.com")).isPresent();

    editInHubSpot(dee, Map.of("phone", "+14155550199"));
    assertThat(store.replayFailedEvents(KEY)).isEqualTo(2);
    SyncResult replayed = engine.drainInbox();

    assertThat(replayed.created()).isEqualTo(1);
    assertThat(store.failedEvents(KEY, 10)).isEmpty();
    assertThat(store.pendingEvents(KEY, 10)).isEmpty();
    assertThat(local.findByEmail("dee@example.com").orElseThrow().phone()).isEqualTo("+14155550199");
    assertConverged(engine);
  }

  @Test
  void aWebhookEventWhoseBatchedHubSpotUpdateIsRejectedIsMarkedFailedNotDone() {
    Customer ana = localPerson("Ana", "ana@example.com");
    SyncEngine engine = engine(ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins()));
    engine.run(SyncMode.FULL);
    String contact = remoteIdOf(ana);
    String zed = remotePerson("Zed", "new@example.com");
    editLocally(ana, CustomerUpdate.builder().email("new@example.com").build());
    editInHubSpot(contact, Map.of("firstname", "Annie"));

    SyncResult drained = engine.apply(List.of(event("1", ChangeEventType.UPDATED, contact, "firstname")));

    assertThat(drained.status()).isEqualTo(RunStatus.PARTIALLY_FAILED);
    assertThat(drained.errors()).singleElement().satisfies(e -> assertThat(e.errorType()).isEqualTo("ConflictException"));
    assertThat(store.failedEvents(KEY, 10)).extracting(entry -> entry.event().eventId()).containsExactly("1");
    assertThat(emulator.contactProperties(contact).orElseThrow()).containsEntry("email", "ana@example.com");

    editInHubSpot(zed, Map.of("email", "zed@example.com"));
    store.replayEvent(KEY, "1");
    SyncResult replayed = engine.drainInbox();
    engine.run(SyncMode.DELTA);

    assertThat(replayed.updated()).isEqualTo(1);
    assertThat(store.failedEvents(KEY, 10)).isEmpty();
    assertThat(emulator.contactProperties(contact).orElseThrow())
        .containsEntry("email", "new@example.com").containsEntry("firstname", "Annie");
    assertConverged(engine);
  }

  @Test
  void aWebhookEventWhoseBatchHitsAnOutageStaysPendingForTheNextDrain() {
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    String dee = remotePerson("Dee", "dee@example.com");
    CustomerSystem failingOnce = FaultyCustomerSystem.wrap(local, 0, Fault.SERVER_ERROR);
    SyncEngine flaky = engine(ConflictStrategy.lastWriteWins(), failingOnce, remote, "worker-1");

    SyncResult outage = flaky.apply(List.of(event("1", ChangeEventType.CREATED, dee, null)));

    assertThat(outage.status()).isEqualTo(RunStatus.FAILED);
    assertThat(store.pendingEvents(KEY, 10)).extracting(entry -> entry.event().eventId()).containsExactly("1");
    assertThat(store.failedEvents(KEY, 10)).isEmpty();
    assertThat(local.findByEmail("dee@example.com")).isEmpty();

    SyncResult next = flaky.drainInbox();

    assertThat(next.created()).isEqualTo(1);
    assertThat(store.pendingEvents(KEY, 10)).isEmpty();
    assertConverged(flaky);
  }

  @Test
  void deletionsArchiveRemotelyAndSoftDeleteLocally() {
    Customer ana = localPerson("Ana", "ana@example.com");
    Customer ben = localPerson("Ben", "ben@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    String anaContact = remoteIdOf(ana);
    String benContact = remoteIdOf(ben);

    clock.advance(Duration.ofSeconds(1));
    local.delete(ana.id());
    remote.delete(benContact);
    SyncResult run = engine.run(SyncMode.DELTA);

    assertThat(run.deleted()).isEqualTo(2);
    assertThat(emulator.contactProperties(anaContact)).isEmpty();
    assertThat(local.require(ben.id()).isDeleted()).isTrue();
    assertThat(engine.run(SyncMode.DELTA).deleted()).isZero();
    assertConverged(engine);
  }

  @Test
  void aMergeInHubSpotBecomesALocalMergeAndALocalMergeBecomesAHubSpotMerge() {
    Customer ana = localPerson("Ana", "ana@example.com");
    Customer ann = localPerson("Ann", "ann@example.com");
    Customer bo = localPerson("Bo", "bo@example.com");
    Customer bob = localPerson("Bob", "bob@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);

    clock.advance(Duration.ofSeconds(1));
    emulator.mergeContacts(remoteIdOf(ana), remoteIdOf(ann));
    local.merge(bo.id(), bob.id());
    engine.run(SyncMode.DELTA);
    engine.run(SyncMode.DELTA);

    assertThat(local.require(ann.id()).id()).isEqualTo(ana.id());
    assertThat(emulator.liveContactCount()).isEqualTo(2);
    assertConverged(engine);
  }

  @Test
  void shortThrottlingIsWaitedOutAndLong429Or5xxStormsStopTheRunUntilTheNextOne() {
    for (int i = 0; i < 9; i++) {
      localPerson("L" + i, "l" + i + "@example.com");
    }
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    emulator.faults().failNext(3, 429);
    SyncResult throttled = engine.run(SyncMode.FULL);
    assertThat(throttled.status()).isEqualTo(RunStatus.SUCCEEDED);

    localPerson("K", "k@example.com");
    emulator.faults().failNext(30, 429);
    SyncResult storm = engine.run(SyncMode.DELTA);
    emulator.faults().clear();
    assertThat(storm.status()).isEqualTo(RunStatus.FAILED);

    for (int i = 0; i < 6; i++) {
      localPerson("M" + i, "m" + i + "@example.com");
    }
    emulator.faults().failNext(40, 503);
    SyncResult outage = engine.run(SyncMode.DELTA);
    emulator.faults().clear();
    SyncResult after = engine.run(SyncMode.DELTA);

    assertThat(outage.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outage.failure()).isNotBlank();
    assertThat(after.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertConverged(engine);
  }

  @Test
  void aRunKilledAtRandomCallsResumesWithoutLossOrDuplicates() {
    Random random = new Random(20260301L);
    Set<String> emails = new HashSet<>();
    for (int i = 0; i < 13; i++) {
      localPerson("L" + i, "l" + i + "@example.com");
      emails.add("l" + i + "@example.com");
    }
    for (int i = 0; i < 11; i++) {
      remotePerson("R" + i, "r" + i + "@example.com");
      emails.add("r" + i + "@example.com");
    }
    for (int round = 0; round < 6; round++) {
      Fault fault = random.nextBoolean() ? Fault.CRASH_BEFORE : Fault.CRASH_AFTER;
      CustomerSystem dying = FaultyCustomerSystem.wrap(remote, 1 + random.nextInt(25), fault);
      SyncEngine doomed = engine(ConflictStrategy.lastWriteWins(), dying, "worker-" + round);
      try {
        doomed.run(SyncMode.FULL);
      } catch (FaultyCustomerSystem.SimulatedCrash expected) {
        // The process died mid-run; its lease stays until it expires.
      }
      clock.advance(Duration.ofMinutes(2));
      if (round % 2 == 1) {
        Customer c = localPerson("N" + round, "n" + round + "@example.com");
        emails.add(c.email());
      }
    }
    SyncEngine survivor = engine(ConflictStrategy.lastWriteWins(), remote, "survivor");
    SyncResult resumed = survivor.run(SyncMode.FULL);

    assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(emulator.liveContactCount()).isEqualTo(emails.size());
    for (String email : emails) {
      assertThat(local.findByEmail(email)).as(email).isPresent();
      assertThat(remote.findByEmail(email)).as(email).isPresent();
    }
    assertConverged(survivor);
  }

  @Test
  void runsKilledOnEitherSideInFullAndDeltaModesResumeWithoutLossOrDuplicates() {
    Random random = new Random(20261121L);
    int[] crashes = new int[2];
    Set<String> emails = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      localPerson("L" + i, "kl" + i + "@example.com");
      emails.add("kl" + i + "@example.com");
    }
    for (int i = 0; i < 7; i++) {
      remotePerson("R" + i, "kr" + i + "@example.com");
      emails.add("kr" + i + "@example.com");
    }
    for (int round = 0; round < 8; round++) {
      Fault fault = random.nextBoolean() ? Fault.CRASH_BEFORE : Fault.CRASH_AFTER;
      boolean localDies = random.nextBoolean();
      int calls = 1 + random.nextInt(20);
      CustomerSystem l = localDies ? FaultyCustomerSystem.wrap(local, calls, fault) : local;
      CustomerSystem r = localDies ? remote : FaultyCustomerSystem.wrap(remote, calls, fault);
      SyncEngine doomed = engine(ConflictStrategy.lastWriteWins(), l, r, "worker-" + round);
      try {
        doomed.run(round < 2 || random.nextBoolean() ? SyncMode.FULL : SyncMode.DELTA);
      } catch (FaultyCustomerSystem.SimulatedCrash expected) {
        // The process died mid-run, on the side chosen; its lease stays until it expires.
        crashes[localDies ? 0 : 1]++;
      }
      clock.advance(Duration.ofMinutes(2));
      Customer added = localPerson("N" + round, "kn" + round + "@example.com");
      emails.add(added.email());
      if (round % 3 == 2) {
        remotePerson("M" + round, "km" + round + "@example.com");
        emails.add("km" + round + "@example.com");
      }
    }
    SyncEngine survivor = engine(ConflictStrategy.lastWriteWins(), remote, "survivor");
    SyncResult resumed = survivor.run(SyncMode.DELTA);
    SyncResult full = survivor.run(SyncMode.FULL);

    assertThat(crashes[0]).as("runs killed in a local call").isPositive();
    assertThat(crashes[1]).as("runs killed in a HubSpot call").isPositive();
    assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(full.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(full.created()).as("the delta left nothing for a full run to create").isZero();
    assertThat(emulator.liveContactCount()).isEqualTo(emails.size());
    for (String email : emails) {
      assertThat(local.findByEmail(email)).as(email).isPresent();
      assertThat(remote.findByEmail(email)).as(email).isPresent();
    }
    assertConverged(survivor);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = dev.crmkit.sync.SyncFlow.class, names = {"PUSH", "BIDIRECTIONAL"})
  void runsKilledBetweenTheHubSpotCreateAndTheMappingWriteLeaveOneContactPerRecordWithoutEmailOrPhone(
      dev.crmkit.sync.SyncFlow flow) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      ids.add(local.create(CustomerDraft.builder().firstName("Walk-in " + i).lastName("Guest").build()).id());
    }
    for (int round = 0; round < 3; round++) {
      // The batch create reaches HubSpot; the process dies before the page's mappings are stored.
      CustomerSystem dying = FaultyCustomerSystem.wrap(remote, "bulkWrite", 0, Fault.CRASH_AFTER);
      SyncEngine doomed = SyncEngine.builder().local(local).remote(dying).store(store).key(KEY).flow(flow)
          .mapping(HubSpotFieldMappings.defaults()).strategy(ConflictStrategy.lastWriteWins()).clock(clock)
          .pageSize(4).remoteBatchSize(3).leaseOwner("worker-" + round).leaseTtl(Duration.ofMinutes(1)).build();
      assertThatThrownBy(() -> doomed.run(SyncMode.FULL)).isInstanceOf(FaultyCustomerSystem.SimulatedCrash.class);
      clock.advance(Duration.ofMinutes(2));
    }
    SyncEngine survivor = SyncEngine.builder().local(local).remote(remote).store(store).key(KEY).flow(flow)
        .mapping(HubSpotFieldMappings.defaults()).strategy(ConflictStrategy.lastWriteWins()).clock(clock)
        .pageSize(4).remoteBatchSize(3).leaseOwner("survivor").leaseTtl(Duration.ofMinutes(1)).build();
    SyncResult resumed = survivor.run(SyncMode.FULL);

    assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(emulator.liveContactCount()).as("one HubSpot contact per local record").isEqualTo(10);
    Set<String> remoteIds = new HashSet<>();
    for (String id : ids) {
      remoteIds.add(store.mappingByLocalId(KEY, id).orElseThrow().externalId());
    }
    assertThat(remoteIds).hasSize(10).allSatisfy(r -> assertThat(remote.get(r)).isPresent());
    assertConverged(survivor);
  }

  @Test
  void aSecondWorkerWaitsForTheLeaseOfAKilledRunToExpire() {
    localPerson("Ana", "ana@example.com");
    CustomerSystem dying = FaultyCustomerSystem.wrap(remote, 0, Fault.CRASH_BEFORE);
    assertThatThrownBy(() -> engine(ConflictStrategy.manual(), dying, "worker-a").run(SyncMode.FULL))
        .isInstanceOf(FaultyCustomerSystem.SimulatedCrash.class);

    assertThatThrownBy(() -> engine(ConflictStrategy.manual(), remote, "worker-b").run(SyncMode.FULL))
        .isInstanceOf(dev.crmkit.error.ConflictException.class);
    clock.advance(Duration.ofMinutes(1));
    SyncEngine b = engine(ConflictStrategy.manual(), remote, "worker-b");
    assertThat(b.run(SyncMode.FULL).created()).isEqualTo(1);
    assertConverged(b);
  }
}
