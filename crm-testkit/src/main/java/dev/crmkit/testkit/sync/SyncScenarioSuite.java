package dev.crmkit.testkit.sync;

import static dev.crmkit.testkit.sync.RemoteSide.Field.EMAIL;
import static dev.crmkit.testkit.sync.RemoteSide.Field.FIRST_NAME;
import static dev.crmkit.testkit.sync.RemoteSide.Field.LAST_NAME;
import static dev.crmkit.testkit.sync.RemoteSide.Field.ORDERS_COUNT;
import static dev.crmkit.testkit.sync.RemoteSide.Field.PHONE;
import static dev.crmkit.testkit.sync.RemoteSide.Field.REVENUE;
import static dev.crmkit.testkit.sync.RemoteSide.Field.SEGMENT;
import static dev.crmkit.testkit.sync.RemoteSide.Field.TAGS;
import static dev.crmkit.testkit.sync.RemoteSide.Field.UNSYNCED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Money;
import dev.crmkit.OrderDraft;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConflictException;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncAudit;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.FaultyCustomerSystem;
import dev.crmkit.testkit.FaultyCustomerSystem.Fault;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.sync.RemoteSide.Call;
import dev.crmkit.testkit.sync.RemoteSide.Capability;
import dev.crmkit.testkit.sync.RemoteSide.Delivery;
import dev.crmkit.testkit.sync.RemoteSide.Failure;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
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
 * The sync scenarios every remote provider runs: {@link SyncEngine} between a local system and a
 * vendor CRM on its emulator, both ways, with the five conflict strategies, deletions, restores and
 * merges, real-time deliveries through the inbox (redelivered, shuffled, refused), throttling and
 * outages, and runs killed at random calls and resumed. Every scenario ends with the one convergence
 * check, {@link SyncAudit}: every record linked once, both sides equal on the synced fields, no
 * duplicates.
 *
 * <p>A provider adopts the suite by implementing {@link RemoteSide} for its emulator once and
 * extending this class, once per local system and {@link SyncStore} it wants covered:
 *
 * <pre>{@code
 * class HubSpotSyncInMemoryStoreTest extends SyncScenarioSuite {
 *   @Override
 *   protected RemoteSide newRemote(MutableClock clock) {
 *     return new HubSpotRemoteSide(clock);
 *   }
 *
 *   @Override
 *   protected SyncStore newStore(Clock clock) {
 *     return new InMemorySyncStore(clock);
 *   }
 * }
 * }</pre>
 *
 * <p>What the suite relies on:
 * <ul>
 *   <li>Each test gets a new remote ({@link #newRemote}), a new empty local system of tenant
 *       {@code shop-1} ({@link #newLocal}, in memory unless overridden) and a new empty store
 *       ({@link #newStore}), all on one {@link MutableClock} starting at {@link #START}. Time moves
 *       only when a test, or a retry's sleep through the remote, moves it; nothing sleeps.
 *   <li>The integration key is {@code shop-1} and {@link RemoteSide#provider()}.
 *   <li>The engines use {@link RemoteSide#mapping()}, pages of 4 and remote batches of 3 (many pages
 *       and batches from a few records), and a lease of one minute; the push-cost scenario alone
 *       writes pages and batches of {@link RemoteSide#batchLimit()} and expects one write request per batch,
 *       at most one {@link Call#READ_BACK read-back} per batch, the provider's {@link Call#SETUP first-use}
 *       requests, and nothing else.
 *   <li>A scenario needing a {@link Capability} the remote lacks is skipped with a message naming it,
 *       never passed silently. {@link Capability#OWN_WRITE_MARKER} and {@link Capability#NUMBERED_ATTEMPTS}
 *       only add checks to scenarios that run without them.
 * </ul>
 *
 * <p>Adopting it for a new vendor: implement each {@link RemoteSide} method as its javadoc says, over
 * the vendor's emulator in {@code dev.crmkit.testkit}; keep the vendor's field names and values in a
 * literal table in the adapter; declare only the capabilities the vendor really has (a Salesforce
 * outbound message fires on create and edit only, so it has no {@link Capability#REALTIME_DELETIONS}).
 *
 * <p>Not thread-safe: JUnit creates one instance per test method.
 */
public abstract class SyncScenarioSuite {
  /** Where every test's clock starts. */
  protected static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

  /** For subclasses, one per remote, local system and store combination. */
  protected SyncScenarioSuite() {}

  final MutableClock clock = new MutableClock(START);
  RemoteSide remote;
  CustomerSystem remoteSystem;
  CustomerSystem local;
  SyncStore store;
  IntegrationKey key;

  /**
   * A new remote on its own emulator, empty, taking every instant from {@code clock}; the suite closes it
   * after the test.
   *
   * @param clock the test's clock; the remote's retry sleeps advance it
   * @return the remote, not null
   */
  protected abstract RemoteSide newRemote(MutableClock clock);

  /**
   * A new, empty sync store on the test's clock.
   *
   * @param clock the test's clock
   * @return the store, not null
   */
  protected abstract SyncStore newStore(Clock clock);

  /**
   * A new, empty local system of tenant {@code shop-1} on the test's clock; {@link InMemoryCustomerSystem}
   * unless overridden.
   *
   * @param clock the test's clock
   * @return the local system, not null
   */
  protected CustomerSystem newLocal(Clock clock) {
    return new InMemoryCustomerSystem(new ProviderContext(TenantConfig.builder("shop-1", "memory").build(), clock, Map.of()));
  }

  @BeforeEach
  final void open() {
    remote = newRemote(clock);
    remoteSystem = remote.system();
    local = newLocal(clock);
    store = newStore(clock);
    key = new IntegrationKey("shop-1", remote.provider());
  }

  @AfterEach
  final void close() {
    remote.close();
  }

  SyncEngine engine(ConflictStrategy strategy) {
    return engine(strategy, remoteSystem, "worker-1");
  }

  SyncEngine engine(ConflictStrategy strategy, CustomerSystem remoteSystem, String owner) {
    return engine(strategy, local, remoteSystem, owner);
  }

  SyncEngine engine(ConflictStrategy strategy, CustomerSystem localSystem, CustomerSystem remoteSystem, String owner) {
    return engineBuilder(localSystem, remoteSystem, owner).strategy(strategy).build();
  }

  SyncEngine.Builder engineBuilder(CustomerSystem localSystem, CustomerSystem remoteSystem, String owner) {
    return SyncEngine.builder().local(localSystem).remote(remoteSystem).store(store).key(key)
        .mapping(remote.mapping()).clock(clock).pageSize(4).remoteBatchSize(3)
        .leaseOwner(owner).leaseTtl(Duration.ofMinutes(1));
  }

  /** The one convergence check: every record linked once, both sides equal on the synced fields, no duplicates. */
  void assertConverged(SyncEngine engine) {
    SyncAudit.Report report = SyncAudit.audit(engine);
    assertThat(report.problems()).isEmpty();
    assertThat(report.localRecords()).isEqualTo(report.remoteRecords()).isEqualTo(remote.liveCount());
    assertThat(report.linkedPairs() + report.parked()).isEqualTo(report.localRecords());
  }

  void assumeCapable(Capability... needed) {
    for (Capability c : needed) {
      assumeTrue(remote.capabilities().contains(c), () -> remote.provider() + " cannot do " + c);
    }
  }

  /** Whether the remote's mapping syncs the local field {@code localField} (Salesforce's does not sync tags). */
  boolean syncs(String localField) {
    return remote.mapping().rules().stream().anyMatch(rule -> rule.localField().equals(localField));
  }

  /** How many batch requests {@code records} records take at the remote's batch limit. */
  long batchesOf(int records) {
    return (records + remote.batchLimit() - 1) / remote.batchLimit();
  }

  Customer localPerson(String first, String email) {
    return local.create(CustomerDraft.builder().firstName(first).lastName("Local").email(email).tag("shop").build());
  }

  String remotePerson(String first, String email) {
    return remote.createInUi(Map.of(FIRST_NAME, first, LAST_NAME, "Remote", EMAIL, email));
  }

  /**
   * Creates {@code locals} local persons ({@code <prefix>l<i>@example.com}) and {@code remotes} remote
   * ones ({@code <prefix>r<i>@example.com}).
   *
   * @return their emails, modifiable
   */
  Set<String> peopleOnBothSides(String prefix, int locals, int remotes) {
    Set<String> emails = new HashSet<>();
    for (int i = 0; i < locals; i++) {
      emails.add(localPerson("L" + i, prefix + "l" + i + "@example.com").email());
    }
    for (int i = 0; i < remotes; i++) {
      String email = prefix + "r" + i + "@example.com";
      remotePerson("R" + i, email);
      emails.add(email);
    }
    return emails;
  }

  /** Each email is on both sides, and the remote holds no other live record. */
  void assertOnBothSidesOnce(Set<String> emails) {
    assertThat(remote.liveCount()).isEqualTo(emails.size());
    for (String email : emails) {
      assertThat(local.findByEmail(email)).as(email).isPresent();
      assertThat(remoteSystem.findByEmail(email)).as(email).isPresent();
    }
  }

  String remoteIdOf(Customer c) {
    return store.mappingByLocalId(key, c.id()).orElseThrow().externalId();
  }

  /** A user's edit in the vendor's UI, a second after the last write. */
  void editInUi(String id, Map<RemoteSide.Field, String> fields) {
    clock.advance(Duration.ofSeconds(1));
    remote.editInUi(id, fields);
  }

  Customer editLocally(Customer c, CustomerUpdate update) {
    clock.advance(Duration.ofSeconds(1));
    return local.update(c.id(), update);
  }

  /** The vendor delivers its queued events to the host's endpoint, which puts them in the inbox; none is refused. */
  List<Delivery> deliver() {
    List<Delivery> attempts = remote.deliver();
    assertThat(remote.refused()).as("deliveries refused for their signature or body").isZero();
    return attempts;
  }

  /** Delivers the events queued so far and applies them: after a full run they are all its own writes' echoes. */
  void drainEchoes(SyncEngine engine) {
    remote.deliverInto(engine);
    deliver();
    SyncResult echoes = engine.drainInbox();
    assertThat(echoes.processed()).isPositive();
    assertThat(echoes.created() + echoes.updated() + echoes.deleted() + echoes.conflicts() + echoes.failed())
        .as("events of the engine's own writes are echoes").isZero();
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
    assertThat(remote.liveCount()).isEqualTo(12);
    Map<RemoteSide.Field, String> created = remote.readInUi(remoteIdOf(local.findByEmail("l6@example.com").orElseThrow()))
        .orElseThrow();
    assertThat(created).containsEntry(SEGMENT, "PROSPECT");
    if (syncs("tags")) {
      assertThat(created).containsEntry(TAGS, "shop");
    }
    assertConverged(engine);
  }

  @Test
  void aFullPushOfNewCustomersCostsOneBatchCallPerBatchLimitAndNoPerRecordReads() {
    for (int i = 0; i < 250; i++) {
      localPerson("P" + i, "p" + i + "@example.com");
    }
    SyncEngine engine = SyncEngine.builder().local(local).remote(remoteSystem).store(store).key(key)
        .flow(SyncFlow.PUSH).mapping(remote.mapping()).pageSize(remote.batchLimit()).remoteBatchSize(remote.batchLimit())
        .strategy(ConflictStrategy.lastWriteWins()).clock(clock).leaseOwner("pusher").build();
    remote.resetCalls();

    SyncResult run = engine.run(SyncMode.FULL);

    assertThat(run.created()).isEqualTo(250);
    assertThat(remote.calls(Call.BATCH_CREATE)).isEqualTo(batchesOf(250));
    assertThat(remote.calls(Call.READ_BACK)).isLessThanOrEqualTo(batchesOf(250));
    assertThat(remote.calls(Call.SETUP)).as("first-use requests").isLessThanOrEqualTo(2);
    assertThat(remote.calls(Call.ANY)).as("no other request")
        .isEqualTo(batchesOf(250) + remote.calls(Call.READ_BACK) + remote.calls(Call.SETUP));

    for (int i = 0; i < 250; i += 2) {
      editLocally(local.findByEmail("p" + i + "@example.com").orElseThrow(),
          CustomerUpdate.builder().lastName("Acme").build());
    }
    remote.resetCalls();
    SyncResult delta = engine.run(SyncMode.DELTA);

    assertThat(delta.updated()).isEqualTo(125);
    assertThat(remote.calls(Call.BATCH_UPDATE)).isEqualTo(batchesOf(125));
    assertThat(remote.calls(Call.READ_BACK)).isLessThanOrEqualTo(batchesOf(125));
    assertThat(remote.calls(Call.ANY)).as("no other request, no first-use request again")
        .isEqualTo(batchesOf(125) + remote.calls(Call.READ_BACK));
    assertThat(remote.readInUi(remoteIdOf(local.findByEmail("p0@example.com").orElseThrow())).orElseThrow())
        .containsEntry(LAST_NAME, "Acme");
    assertConverged(engine);
  }

  @Test
  void deltaCarriesEditsEachWayPushesOrdersAndSkipsItsOwnEchoes() {
    Customer ana = localPerson("Ana", "ana@example.com");
    String cy = remotePerson("Cy", "cy@example.com");
    SyncEngine engine = engine(ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins()));
    engine.run(SyncMode.FULL);

    clock.advance(Duration.ofSeconds(1));
    local.recordOrder(ana.id(), new OrderDraft("o-1", new Money(new BigDecimal("40.50"),
        Currency.getInstance("EUR")), clock.instant()));
    editInUi(cy, Map.of(SEGMENT, "VIP"));
    SyncResult delta = engine.run(SyncMode.DELTA);

    assertThat(delta.updated()).isEqualTo(2);
    assertThat(remote.readInUi(remoteIdOf(ana)).orElseThrow())
        .containsEntry(ORDERS_COUNT, "1").containsEntry(REVENUE, "40.50");
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
    editInUi(contact, Map.of(FIRST_NAME, "Annie", SEGMENT, "STANDARD"));
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
        assertThat(remote.readInUi(contact).orElseThrow())
            .containsEntry(FIRST_NAME, "Anna").containsEntry(LAST_NAME, "Lopez").containsEntry(SEGMENT, "PROSPECT");
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
        assertThat(remote.readInUi(contact).orElseThrow())
            .containsEntry(FIRST_NAME, "Ana María").containsEntry(LAST_NAME, "Lopez");
        assertThat(local.require(ana.id()).segment()).isEqualTo(Segment.STANDARD);
      }
    }
    assertConverged(engine);
  }

  @Test
  void aUiEditArrivesInRealTimeAndIsAppliedAtOnceWhileTheEnginesOwnWritesComeBackAsEchoes() {
    assumeCapable(Capability.REALTIME_CHANGES);
    Customer ana = localPerson("Ana", "ana@example.com");
    String cy = remotePerson("Cy", "cy@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    Customer anaSynced = local.require(ana.id());
    remote.deliverInto(engine);

    deliver();
    assertThat(remote.received()).anySatisfy(e -> {
      assertThat(e.objectId()).isEqualTo(remoteIdOf(ana));
      if (remote.capabilities().contains(Capability.OWN_WRITE_MARKER)) {
        assertThat(remote.isOwnWrite(e)).as("marked as the integration's write: %s", e).isTrue();
      }
    });
    SyncResult echoes = engine.drainInbox();

    assertThat(echoes.processed()).isEqualTo(remote.accepted());
    assertThat(echoes.skipped()).isEqualTo(echoes.processed());
    assertThat(local.require(ana.id()).updatedAt()).isEqualTo(anaSynced.updatedAt());

    editInUi(cy, Map.of(LAST_NAME, "Dean", UNSYNCED, "not synced"));
    int acceptedBefore = remote.accepted();
    List<Delivery> attempts = deliver();
    SyncResult applied = engine.drainInbox();

    assertThat(attempts).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(200));
    assertThat(applied.processed()).as("every event of the edit, the unsynced field's too")
        .isEqualTo(remote.accepted() - acceptedBefore).isPositive();
    assertThat(applied.updated()).isEqualTo(1);
    assertThat(local.findByEmail("cy@example.com").orElseThrow().lastName()).isEqualTo("Dean");
    assertThat(store.pendingEvents(key, 10)).isEmpty();
    assertThat(engine.run(SyncMode.DELTA).synced()).isZero();
    assertConverged(engine);
  }

  @Test
  void aDeliveryMadeTwiceIsAppliedOnce() {
    assumeCapable(Capability.REALTIME_CHANGES);
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    remote.deliverInto(engine);
    String dee = remotePerson("Dee", "dee@example.com");
    editInUi(dee, Map.of(LAST_NAME, "Dean"));

    List<Delivery> attempts = remote.deliverTwice();
    SyncResult first = engine.drainInbox();
    SyncResult again = engine.drainInbox();

    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1).eventIds()).isEqualTo(attempts.get(0).eventIds());
    assertThat(remote.duplicates()).isEqualTo(attempts.get(0).eventIds().size()).isEqualTo(remote.accepted());
    assertThat(first.processed()).isEqualTo(remote.accepted());
    assertThat(first.created()).isEqualTo(1);
    assertThat(again.processed()).isZero();
    assertThat(local.findByEmail("dee@example.com").orElseThrow().lastName()).isEqualTo("Dean");
    assertConverged(engine);
  }

  @Test
  void shuffledAndRetriedDeliveriesOfSeveralEditsToOneRecordEndOnTheLatest() {
    assumeCapable(Capability.REALTIME_CHANGES);
    Customer ana = localPerson("Ana", "ana@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    drainEchoes(engine);
    String contact = remoteIdOf(ana);

    editInUi(contact, Map.of(LAST_NAME, "One", PHONE, "+14155550101"));
    remote.refuseNextDeliveries(1);
    List<Delivery> refused = deliver();
    editInUi(contact, Map.of(LAST_NAME, "Two", SEGMENT, "STANDARD"));
    editInUi(contact, Map.of(LAST_NAME, "Three"));
    editInUi(contact, Map.of(PHONE, "+14155550104", FIRST_NAME, "Anna"));
    List<String> occurrenceOrder = remote.pendingEventIds();
    List<Delivery> delivered = remote.deliverShuffled(20260301L);
    SyncResult applied = engine.drainInbox();

    assertThat(refused).singleElement().satisfies(a -> assertThat(a.willRetry()).isTrue());
    assertThat(delivered).singleElement().satisfies(a -> {
      assertThat(a.eventIds()).containsExactlyInAnyOrderElementsOf(occurrenceOrder).isNotEqualTo(occurrenceOrder);
      if (remote.capabilities().contains(Capability.NUMBERED_ATTEMPTS)) {
        assertThat(a.attemptNumbers()).as("first deliveries and the refused one's retry").contains(0, 1);
      }
    });
    assertThat(applied.failed()).isZero();
    Customer l = local.require(ana.id());
    assertThat(l.firstName()).isEqualTo("Anna");
    assertThat(l.lastName()).isEqualTo("Three");
    assertThat(l.phone()).isEqualTo("+14155550104");
    assertThat(l.segment()).isEqualTo(Segment.STANDARD);
    assertThat(store.pendingEvents(key, 10)).isEmpty();
    assertConverged(engine);
  }

  @Test
  void deletionRestoreAndMergeEventsFromTheUiApplyLocallyAndTheEnginesOwnComeBackAsEchoes() {
    assumeCapable(Capability.REALTIME_DELETIONS, Capability.MERGE_IN_UI, Capability.RESTORE_IN_UI);
    Customer ana = localPerson("Ana", "ana@example.com");
    Customer ann = localPerson("Ann", "ann@example.com");
    Customer bo = localPerson("Bo", "bo@example.com");
    Customer cy = localPerson("Cy", "cy@example.com");
    Customer di = localPerson("Di", "di@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    drainEchoes(engine);

    clock.advance(Duration.ofSeconds(1));
    remote.deleteInUi(remoteIdOf(bo));
    remote.deleteInUi(remoteIdOf(cy));
    remote.mergeInUi(remoteIdOf(ana), remoteIdOf(ann));
    deliver();
    SyncResult applied = engine.drainInbox();

    assertThat(applied.failed()).isZero();
    assertThat(applied.deleted()).isEqualTo(3);
    assertThat(local.require(bo.id()).isDeleted()).isTrue();
    assertThat(local.require(cy.id()).isDeleted()).isTrue();
    assertThat(local.require(ann.id()).id()).isEqualTo(ana.id());

    clock.advance(Duration.ofSeconds(1));
    remote.restoreInUi(remoteIdOf(cy));
    deliver();
    SyncResult restored = engine.drainInbox();

    assertThat(restored.failed()).isZero();
    assertThat(local.require(cy.id()).isDeleted()).isFalse();
    assertThat(remote.received()).extracting(ChangeEvent::type)
        .contains(ChangeEventType.DELETED, ChangeEventType.MERGED, ChangeEventType.RESTORED);

    clock.advance(Duration.ofSeconds(1));
    local.delete(di.id());
    assertThat(engine.run(SyncMode.DELTA).deleted()).isEqualTo(1);
    deliver();
    SyncResult echo = engine.drainInbox();

    assertThat(echo.processed()).isPositive();
    assertThat(echo.deleted() + echo.updated() + echo.created()).isZero();
    assertThat(remote.readInUi(remoteIdOf(di))).isEmpty();
    assertConverged(engine);
  }

  @Test
  void deletionRestoreAndMergeInTheUiReachTheLocalSideThroughTheChangeFeed() {
    assumeCapable(Capability.MERGE_IN_UI, Capability.RESTORE_IN_UI);
    Customer ana = localPerson("Ana", "ana@example.com");
    Customer ann = localPerson("Ann", "ann@example.com");
    Customer bo = localPerson("Bo", "bo@example.com");
    Customer cy = localPerson("Cy", "cy@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);

    clock.advance(Duration.ofSeconds(1));
    remote.deleteInUi(remoteIdOf(bo));
    remote.deleteInUi(remoteIdOf(cy));
    remote.mergeInUi(remoteIdOf(ana), remoteIdOf(ann));
    SyncResult deleted = engine.run(SyncMode.DELTA);

    assertThat(deleted.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(local.require(bo.id()).isDeleted()).isTrue();
    assertThat(local.require(cy.id()).isDeleted()).isTrue();
    assertThat(local.require(ann.id()).id()).isEqualTo(ana.id());

    clock.advance(Duration.ofSeconds(1));
    remote.restoreInUi(remoteIdOf(cy));
    SyncResult restored = engine.run(SyncMode.DELTA);

    assertThat(restored.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(local.require(cy.id()).isDeleted()).isFalse();
    assertThat(engine.run(SyncMode.DELTA).synced()).isZero();
    assertConverged(engine);
  }

  @Test
  void anEventWhoseBatchedLocalCreateIsRejectedIsMarkedFailedUntilReplayed() {
    Customer ana = local.create(CustomerDraft.builder().firstName("Ana").email("ana@example.com")
        .phone("+14155550100").build());
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    String dee = remote.createInUi(Map.of(FIRST_NAME, "Dee", EMAIL, "dee@example.com", PHONE, "+14155550100"));
    String eve = remotePerson("Eve", "eve@example.com");

    SyncResult drained = engine.apply(List.of(remote.event("1", ChangeEventType.CREATED, dee, null),
        remote.event("2", ChangeEventType.CREATED, eve, null), remote.event("3", ChangeEventType.UPDATED, dee, PHONE)));

    assertThat(drained.status()).isEqualTo(RunStatus.PARTIALLY_FAILED);
    assertThat(drained.created()).isEqualTo(1);
    assertThat(drained.errors()).singleElement().satisfies(e -> assertThat(e.recordId()).isEqualTo(dee));
    assertThat(store.pendingEvents(key, 10)).isEmpty();
    assertThat(store.failedEvents(key, 10)).as("both events of Dee wait on the one rejected create")
        .extracting(entry -> entry.event().eventId()).containsExactly("1", "3");
    assertThat(store.failedEvents(key, 10).get(0)).satisfies(entry -> {
      assertThat(entry.attempts()).isEqualTo(1);
      assertThat(entry.lastError()).startsWith("ConflictException").contains("phone", ana.id());
    });
    assertThat(local.findByEmail("dee@example.com")).isEmpty();
    assertThat(local.findByEmail("eve@example.com")).isPresent();

    editInUi(dee, Map.of(PHONE, "+14155550199"));
    assertThat(store.replayFailedEvents(key)).isEqualTo(2);
    SyncResult replayed = engine.drainInbox();

    assertThat(replayed.created()).isEqualTo(1);
    assertThat(store.failedEvents(key, 10)).isEmpty();
    assertThat(store.pendingEvents(key, 10)).isEmpty();
    assertThat(local.findByEmail("dee@example.com").orElseThrow().phone()).isEqualTo("+14155550199");
    assertConverged(engine);
  }

  @Test
  void anEventWhoseBatchedRemoteUpdateIsRejectedIsMarkedFailedNotDone() {
    Customer ana = localPerson("Ana", "ana@example.com");
    SyncEngine engine = engine(ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins()));
    engine.run(SyncMode.FULL);
    String contact = remoteIdOf(ana);
    String zed = remotePerson("Zed", "new@example.com");
    editLocally(ana, CustomerUpdate.builder().email("new@example.com").build());
    editInUi(contact, Map.of(FIRST_NAME, "Annie"));

    SyncResult drained = engine.apply(List.of(remote.event("1", ChangeEventType.UPDATED, contact, FIRST_NAME)));

    assertThat(drained.status()).isEqualTo(RunStatus.PARTIALLY_FAILED);
    assertThat(drained.errors()).singleElement().satisfies(e -> assertThat(e.errorType()).isEqualTo("ConflictException"));
    assertThat(store.failedEvents(key, 10)).extracting(entry -> entry.event().eventId()).containsExactly("1");
    assertThat(remote.readInUi(contact).orElseThrow()).containsEntry(EMAIL, "ana@example.com");

    editInUi(zed, Map.of(EMAIL, "zed@example.com"));
    store.replayEvent(key, "1");
    SyncResult replayed = engine.drainInbox();
    engine.run(SyncMode.DELTA);

    assertThat(replayed.updated()).isEqualTo(1);
    assertThat(store.failedEvents(key, 10)).isEmpty();
    assertThat(remote.readInUi(contact).orElseThrow())
        .containsEntry(EMAIL, "new@example.com").containsEntry(FIRST_NAME, "Annie");
    assertConverged(engine);
  }

  @Test
  void anEventWhoseBatchHitsAnOutageStaysPendingForTheNextDrain() {
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    String dee = remotePerson("Dee", "dee@example.com");
    CustomerSystem failingOnce = FaultyCustomerSystem.wrap(local, 0, Fault.SERVER_ERROR);
    SyncEngine flaky = engine(ConflictStrategy.lastWriteWins(), failingOnce, remoteSystem, "worker-1");

    SyncResult outage = flaky.apply(List.of(remote.event("1", ChangeEventType.CREATED, dee, null)));

    assertThat(outage.status()).isEqualTo(RunStatus.FAILED);
    assertThat(store.pendingEvents(key, 10)).extracting(entry -> entry.event().eventId()).containsExactly("1");
    assertThat(store.failedEvents(key, 10)).isEmpty();
    assertThat(local.findByEmail("dee@example.com")).isEmpty();

    SyncResult next = flaky.drainInbox();

    assertThat(next.created()).isEqualTo(1);
    assertThat(store.pendingEvents(key, 10)).isEmpty();
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
    remoteSystem.delete(benContact);
    SyncResult run = engine.run(SyncMode.DELTA);

    assertThat(run.deleted()).isEqualTo(2);
    assertThat(remote.readInUi(anaContact)).isEmpty();
    assertThat(local.require(ben.id()).isDeleted()).isTrue();
    assertThat(engine.run(SyncMode.DELTA).deleted()).isZero();
    assertConverged(engine);
  }

  @Test
  void aMergeInTheVendorUiBecomesALocalMergeAndALocalMergeBecomesARemoteMerge() {
    assumeCapable(Capability.MERGE_IN_UI);
    Customer ana = localPerson("Ana", "ana@example.com");
    Customer ann = localPerson("Ann", "ann@example.com");
    Customer bo = localPerson("Bo", "bo@example.com");
    Customer bob = localPerson("Bob", "bob@example.com");
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);

    clock.advance(Duration.ofSeconds(1));
    remote.mergeInUi(remoteIdOf(ana), remoteIdOf(ann));
    local.merge(bo.id(), bob.id());
    engine.run(SyncMode.DELTA);
    engine.run(SyncMode.DELTA);

    assertThat(local.require(ann.id()).id()).isEqualTo(ana.id());
    assertThat(remote.liveCount()).isEqualTo(2);
    assertConverged(engine);
  }

  @Test
  void shortThrottlingIsWaitedOutAndA429StormStopsTheRunUntilTheNextOne() {
    assumeCapable(Capability.SHORT_THROTTLING);
    for (int i = 0; i < 9; i++) {
      localPerson("L" + i, "l" + i + "@example.com");
    }
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    remote.failNext(3, Failure.THROTTLED);
    SyncResult throttled = engine.run(SyncMode.FULL);
    assertThat(throttled.status()).isEqualTo(RunStatus.SUCCEEDED);

    localPerson("K", "k@example.com");
    remote.failNext(30, Failure.THROTTLED);
    SyncResult storm = engine.run(SyncMode.DELTA);
    remote.clearFaults();
    SyncResult after = engine.run(SyncMode.DELTA);

    assertThat(storm.status()).isEqualTo(RunStatus.FAILED);
    assertThat(storm.failure()).isNotBlank();
    assertThat(after.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertConverged(engine);
  }

  @Test
  void a5xxStormStopsTheRunUntilTheNextOne() {
    for (int i = 0; i < 9; i++) {
      localPerson("L" + i, "l" + i + "@example.com");
    }
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    assertThat(engine.run(SyncMode.FULL).status()).isEqualTo(RunStatus.SUCCEEDED);

    for (int i = 0; i < 6; i++) {
      localPerson("M" + i, "m" + i + "@example.com");
    }
    remote.failNext(40, Failure.UNAVAILABLE);
    SyncResult outage = engine.run(SyncMode.DELTA);
    remote.clearFaults();
    SyncResult after = engine.run(SyncMode.DELTA);

    assertThat(outage.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outage.failure()).isNotBlank();
    assertThat(after.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(after.created()).isEqualTo(6);
    assertConverged(engine);
  }

  @Test
  void aRunKilledAtRandomCallsResumesWithoutLossOrDuplicates() {
    Random random = new Random(20260301L);
    Set<String> emails = peopleOnBothSides("", 13, 11);
    for (int round = 0; round < 6; round++) {
      Fault fault = random.nextBoolean() ? Fault.CRASH_BEFORE : Fault.CRASH_AFTER;
      CustomerSystem dying = FaultyCustomerSystem.wrap(remoteSystem, 1 + random.nextInt(25), fault);
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
    SyncEngine survivor = engine(ConflictStrategy.lastWriteWins(), remoteSystem, "survivor");
    SyncResult resumed = survivor.run(SyncMode.FULL);

    assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertOnBothSidesOnce(emails);
    assertConverged(survivor);
  }

  @Test
  void runsKilledOnEitherSideInFullAndDeltaModesResumeWithoutLossOrDuplicates() {
    Random random = new Random(20261121L);
    int[] crashes = new int[2];
    Set<String> emails = peopleOnBothSides("k", 9, 7);
    for (int round = 0; round < 8; round++) {
      Fault fault = random.nextBoolean() ? Fault.CRASH_BEFORE : Fault.CRASH_AFTER;
      boolean localDies = random.nextBoolean();
      int calls = 1 + random.nextInt(20);
      CustomerSystem l = localDies ? FaultyCustomerSystem.wrap(local, calls, fault) : local;
      CustomerSystem r = localDies ? remoteSystem : FaultyCustomerSystem.wrap(remoteSystem, calls, fault);
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
    SyncEngine survivor = engine(ConflictStrategy.lastWriteWins(), remoteSystem, "survivor");
    SyncResult resumed = survivor.run(SyncMode.DELTA);
    SyncResult full = survivor.run(SyncMode.FULL);

    assertThat(crashes[0]).as("runs killed in a local call").isPositive();
    assertThat(crashes[1]).as("runs killed in a remote call").isPositive();
    assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(full.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(full.created()).as("the delta left nothing for a full run to create").isZero();
    assertOnBothSidesOnce(emails);
    assertConverged(survivor);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = SyncFlow.class, names = {"PUSH", "BIDIRECTIONAL"})
  void runsKilledBetweenTheRemoteCreateAndTheMappingWriteLeaveOneContactPerRecordWithoutEmailOrPhone(
      SyncFlow flow) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      ids.add(local.create(CustomerDraft.builder().firstName("Walk-in " + i).lastName("Guest").build()).id());
    }
    for (int round = 0; round < 3; round++) {
      // The batch create reaches the vendor; the process dies before the page's mappings are stored.
      CustomerSystem dying = FaultyCustomerSystem.wrap(remoteSystem, "bulkWrite", 0, Fault.CRASH_AFTER);
      SyncEngine doomed = engineBuilder(local, dying, "worker-" + round).flow(flow)
          .strategy(ConflictStrategy.lastWriteWins()).build();
      assertThatThrownBy(() -> doomed.run(SyncMode.FULL)).isInstanceOf(FaultyCustomerSystem.SimulatedCrash.class);
      clock.advance(Duration.ofMinutes(2));
    }
    SyncEngine survivor = engineBuilder(local, remoteSystem, "survivor").flow(flow)
        .strategy(ConflictStrategy.lastWriteWins()).build();
    SyncResult resumed = survivor.run(SyncMode.FULL);

    assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(remote.liveCount()).as("one remote record per local record").isEqualTo(10);
    Set<String> remoteIds = new HashSet<>();
    for (String id : ids) {
      remoteIds.add(store.mappingByLocalId(key, id).orElseThrow().externalId());
    }
    assertThat(remoteIds).hasSize(10).allSatisfy(r -> assertThat(remoteSystem.get(r)).isPresent());
    assertConverged(survivor);
  }

  @Test
  void aSecondWorkerWaitsForTheLeaseOfAKilledRunToExpire() {
    localPerson("Ana", "ana@example.com");
    CustomerSystem dying = FaultyCustomerSystem.wrap(remoteSystem, 0, Fault.CRASH_BEFORE);
    assertThatThrownBy(() -> engine(ConflictStrategy.manual(), dying, "worker-a").run(SyncMode.FULL))
        .isInstanceOf(FaultyCustomerSystem.SimulatedCrash.class);

    assertThatThrownBy(() -> engine(ConflictStrategy.manual(), remoteSystem, "worker-b").run(SyncMode.FULL))
        .isInstanceOf(ConflictException.class);
    clock.advance(Duration.ofMinutes(1));
    SyncEngine b = engine(ConflictStrategy.manual(), remoteSystem, "worker-b");
    assertThat(b.run(SyncMode.FULL).created()).isEqualTo(1);
    assertConverged(b);
  }
}
