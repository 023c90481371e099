package dev.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConflictException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.ConflictStatus;
import dev.crmkit.sync.FieldConflict;
import dev.crmkit.sync.spi.IdMapping;
import dev.crmkit.sync.spi.InboxEntry;
import dev.crmkit.sync.spi.InboxStatus;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RecordError;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.spi.SyncCheckpoint;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.spi.SyncLease;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.sync.spi.SyncSnapshot;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract suite for {@link SyncStore} implementations. A store's test extends this class and
 * says how to open a store on a clock:
 *
 * <pre>{@code
 * class JdbcSyncStoreH2Test extends SyncStoreContractTest {
 *   @Override
 *   protected SyncStore newStore(Clock clock) {
 *     return JdbcSyncStore.open(dataSource, clock);
 *   }
 * }
 * }</pre>
 *
 * <p>What the suite relies on:
 * <ul>
 *   <li>Each test works on fresh integration keys (random tenant ids), so a back end may keep data
 *       between tests.
 *   <li>Every store {@link #newStore} opens during one test shares one back end, the way two
 *       processes share one database; leases and inbox dedupe are tested across such stores.
 *   <li>The stores take every time from the given {@link MutableClock}, which starts at
 *       {@link #START} and moves only when a test moves it.
 * </ul>
 *
 * <p>Not thread-safe: JUnit creates one instance per test method.
 */
public abstract class SyncStoreContractTest {
  /** Where every test's clock starts. */
  protected static final Instant START = Instant.parse("2025-03-14T09:26:53Z");

  /** For subclasses, one per store under test. */
  protected SyncStoreContractTest() {}

  /** The clock of every store this test opens; moved only by the test. */
  protected MutableClock clock;
  /** A store opened before each test. */
  protected SyncStore store;
  /** A fresh integration of a fresh tenant. */
  protected IntegrationKey key;

  /**
   * Opens a store on the given clock. Called once per test for {@link #store}, and again by tests
   * that need a second process's view of the same back end.
   *
   * @param clock the clock the store must take every time from
   * @return a store sharing its back end with every other store of the test
   */
  protected abstract SyncStore newStore(Clock clock);

  @BeforeEach
  final void openStoreForFreshTenant() {
    clock = new MutableClock(START);
    store = newStore(clock);
    key = freshKey("hubspot");
  }

  private static IntegrationKey freshKey(String integration) {
    return new IntegrationKey("sync-" + UUID.randomUUID(), integration);
  }

  private static SyncSnapshot snapshot(String... fieldsAndValues) {
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      fields.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
    }
    return new SyncSnapshot(fields, START, "v1");
  }

  private void link(String localId, String externalId, SyncSnapshot snapshot) {
    store.checkpoint(key, SyncCheckpoint.builder().link(localId, externalId, snapshot).build());
  }

  private static ChangeEvent event(String eventId, String objectId, Instant occurredAt) {
    return new ChangeEvent("hubspot", eventId, ChangeEventType.UPDATED, "contact.propertyChange", "contact",
        objectId, occurredAt, "email", "ada@example.com", List.of(), 0, Map.of("portalId", "62515"));
  }

  private static List<String> eventIds(List<InboxEntry> entries) {
    return entries.stream().map(e -> e.event().eventId()).toList();
  }

  private static void assertValidationNaming(ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).extracting(FieldError::field).contains(field));
  }

  private static void assertConflict(ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ConflictException.class,
        e -> assertThat(e.field()).isEqualTo(field));
  }

  private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class IdMappings {
    @Test
    void aLinkIsFoundFromBothSidesWithItsSnapshot() {
      SyncSnapshot snap = snapshot("email", "ada@example.com", "firstName", "Ada");
      link("L1", "E1", snap);

      IdMapping byLocal = store.mappingByLocalId(key, "L1").orElseThrow();
      assertThat(byLocal).isEqualTo(new IdMapping("L1", "E1", snap));
      assertThat(store.mappingByExternalId(key, "E1")).contains(byLocal);
      assertThat(byLocal.snapshot().hash()).isEqualTo(snap.hash());
      assertThat(store.mappingByLocalId(key, "L2")).isEmpty();
      assertThat(store.mappingByExternalId(key, "E2")).isEmpty();
    }

    @Test
    void aPageOfIdsIsLookedUpAtOnceFromEitherSideAndUnlinkedIdsAreAbsent() {
      SyncSnapshot snap = snapshot("email", "ada@example.com");
      link("L1", "E1", snap);
      link("L2", "E2", null);
      store.checkpoint(freshKey("other"), SyncCheckpoint.builder().link("L3", "E3", null).build());

      Map<String, IdMapping> byLocal = store.mappingsByLocalIds(key, List.of("L1", "L2", "L3", "L1", "nope"));
      Map<String, IdMapping> byExternal = store.mappingsByExternalIds(key, List.of("E2", "E1", "L1"));

      assertThat(byLocal).containsOnlyKeys("L1", "L2").containsEntry("L1", new IdMapping("L1", "E1", snap));
      assertThat(byExternal).containsOnlyKeys("E1", "E2").containsEntry("E2", new IdMapping("L2", "E2", null));
      assertThat(store.mappingsByLocalIds(key, List.of())).isEmpty();
    }

    @Test
    void aBatchLookupTakesAThousandIdsAndRejectsMoreOrABlankOne() {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        ids.add("L" + i);
      }
      link("L999", "E999", null);

      assertThat(store.mappingsByLocalIds(key, ids)).containsOnlyKeys("L999");
      ids.add("L1000");
      assertValidationNaming(() -> store.mappingsByLocalIds(key, ids), "localIds");
      assertValidationNaming(() -> store.mappingsByExternalIds(key, List.of("E1", " ")), "externalIds");
      assertValidationNaming(() -> store.mappingsByExternalIds(key, null), "externalIds");
    }

    @Test
    void snapshotsKeepAwkwardValuesExactly() {
      SyncSnapshot snap = new SyncSnapshot(Map.of("note", "3:abc-", "empty", "", "name", "Zoë 李 \n\t\"x\"",
          "long", "x".repeat(20_000)), START.plusNanos(123_456_789), null);
      link("L1", "E1", snap);

      SyncSnapshot stored = store.mappingByLocalId(key, "L1").orElseThrow().snapshot();
      assertThat(stored).isEqualTo(snap);
      assertThat(stored.syncedAt()).isEqualTo(START.plusMillis(123));
      assertThat(stored.fields()).containsOnlyKeys("empty", "long", "name", "note");
    }

    @Test
    void linkingTheSamePairAgainReplacesTheSnapshotOrKeepsItWhenNoneIsGiven() {
      link("L1", "E1", snapshot("email", "old@example.com"));
      SyncSnapshot newer = snapshot("email", "new@example.com");
      link("L1", "E1", newer);
      assertThat(store.mappingByLocalId(key, "L1").orElseThrow().snapshot()).isEqualTo(newer);

      link("L1", "E1", null);
      assertThat(store.mappingByLocalId(key, "L1").orElseThrow().snapshot()).isEqualTo(newer);
    }

    @Test
    void anUnlinkThenALinkOfTheSameLocalIdInOneCheckpointMovesItToTheNewRemoteId() {
      // The sync engine settles a pending create this way: its placeholder gives way to the real record.
      link("L1", "crmkit-pending:8f14e45f-ceea-467f-a2d6-1c0ad8b4c2f1", snapshot("@pending", "1", "@nobase", "1"));
      SyncSnapshot synced = snapshot("firstName", "Ada");

      store.checkpoint(key, SyncCheckpoint.builder().unlink("L1").link("L1", "E7", synced).build());

      assertThat(store.mappingByLocalId(key, "L1")).hasValueSatisfying(m -> {
        assertThat(m.externalId()).isEqualTo("E7");
        assertThat(m.snapshot()).isEqualTo(synced);
      });
      assertThat(store.mappingByExternalId(key, "crmkit-pending:8f14e45f-ceea-467f-a2d6-1c0ad8b4c2f1")).isEmpty();
    }

    @Test
    void aLinkWithoutSnapshotHasNone() {
      link("L1", "E1", null);
      assertThat(store.mappingByExternalId(key, "E1").orElseThrow().snapshot()).isNull();
    }

    @Test
    void aRecordLinkedAlreadyCannotBeLinkedToAnother() {
      link("L1", "E1", null);
      link("L2", "E2", null);

      assertThatThrownBy(() -> link("L1", "E3", null)).isInstanceOfSatisfying(ConflictException.class, e -> {
        assertThat(e.field()).isEqualTo("localId");
        assertThat(e.existingId()).isEqualTo("E1");
      });
      assertThatThrownBy(() -> link("L3", "E2", null)).isInstanceOfSatisfying(ConflictException.class, e -> {
        assertThat(e.field()).isEqualTo("externalId");
        assertThat(e.existingId()).isEqualTo("L2");
      });
      assertConflict(() -> link("L1", "E2", null), "localId");
      assertThat(store.mappingByLocalId(key, "L1").orElseThrow().externalId()).isEqualTo("E1");
      assertThat(store.mappingByLocalId(key, "L3")).isEmpty();
      assertThat(store.mappingByExternalId(key, "E3")).isEmpty();
    }

    @Test
    void unlinkingRemovesTheMappingAndItsSnapshotAndAnUnknownIdIsANoOp() {
      link("L1", "E1", snapshot("email", "a@example.com"));
      store.checkpoint(key, SyncCheckpoint.builder().unlink("L1").unlink("L9").build());

      assertThat(store.mappingByLocalId(key, "L1")).isEmpty();
      assertThat(store.mappingByExternalId(key, "E1")).isEmpty();
      link("L1", "E2", null);
      assertThat(store.mappingByLocalId(key, "L1").orElseThrow().snapshot()).isNull();
    }

    @Test
    void aLocalMergeMovesTheMappingWithItsSnapshotToTheSurvivor() {
      SyncSnapshot snap = snapshot("email", "a@example.com");
      link("merged", "E1", snap);
      store.checkpoint(key, SyncCheckpoint.builder().remapLocal("merged", "survivor").build());

      assertThat(store.mappingByLocalId(key, "merged")).isEmpty();
      assertThat(store.mappingByLocalId(key, "survivor")).contains(new IdMapping("survivor", "E1", snap));
      assertThat(store.mappingByExternalId(key, "E1").orElseThrow().localId()).isEqualTo("survivor");
    }

    @Test
    void aRemoteMergeMovesTheMappingToTheSurvivingExternalId() {
      SyncSnapshot snap = snapshot("email", "a@example.com");
      link("L1", "E-merged", snap);
      store.checkpoint(key, SyncCheckpoint.builder().remapExternal("E-merged", "E-survivor").build());

      assertThat(store.mappingByExternalId(key, "E-merged")).isEmpty();
      assertThat(store.mappingByLocalId(key, "L1")).contains(new IdMapping("L1", "E-survivor", snap));
    }

    @Test
    void remappingAnUnlinkedIdOrOntoALinkedOneIsRefused() {
      link("L1", "E1", null);
      link("L2", "E2", null);

      assertThatThrownBy(() -> store.checkpoint(key, SyncCheckpoint.builder().remapLocal("L9", "L8").build()))
          .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.id()).isEqualTo("L9"));
      assertThatThrownBy(() -> store.checkpoint(key, SyncCheckpoint.builder().remapExternal("E9", "E8").build()))
          .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.id()).isEqualTo("E9"));
      assertConflict(() -> store.checkpoint(key, SyncCheckpoint.builder().remapLocal("L1", "L2").build()),
          "localId");
      assertConflict(() -> store.checkpoint(key, SyncCheckpoint.builder().remapExternal("E1", "E2").build()),
          "externalId");
      assertThat(store.mappingByLocalId(key, "L1").orElseThrow().externalId()).isEqualTo("E1");
      assertThat(store.mappingByLocalId(key, "L2").orElseThrow().externalId()).isEqualTo("E2");
    }
  }

  @Nested
  class Checkpoints {
    @Test
    void eachDirectionKeepsItsOwnCursor() {
      assertThat(store.cursor(key, SyncFlow.PULL)).isEmpty();
      store.checkpoint(key, SyncCheckpoint.builder().cursor(SyncFlow.PULL, "pull-1").build());
      store.checkpoint(key, SyncCheckpoint.builder().cursor(SyncFlow.PUSH, "push-1").build());
      store.checkpoint(key, SyncCheckpoint.builder().cursor(SyncFlow.PULL, "pull-2").build());

      assertThat(store.cursor(key, SyncFlow.PULL)).contains("pull-2");
      assertThat(store.cursor(key, SyncFlow.PUSH)).contains("push-1");
    }

    @Test
    void aPageIsStoredWholeMappingsCursorAndDoneEvents() {
      store.putEvent(key, event("ev-1", "E1", START));
      store.checkpoint(key, SyncCheckpoint.builder()
          .link("L1", "E1", snapshot("email", "a@example.com"))
          .link("L2", "E2", null)
          .cursor(SyncFlow.PULL, "after-page-1")
          .eventDone("ev-1")
          .build());

      assertThat(store.mappingByExternalId(key, "E1")).isPresent();
      assertThat(store.mappingByExternalId(key, "E2")).isPresent();
      assertThat(store.cursor(key, SyncFlow.PULL)).contains("after-page-1");
      assertThat(store.pendingEvents(key, 10)).isEmpty();
      assertThat(store.failedEvents(key, 10)).isEmpty();
    }

    @Test
    void operationsApplyInOrderSoALinkCanFollowTheUnlinkThatFreesItsId() {
      link("L1", "E1", null);
      store.checkpoint(key, SyncCheckpoint.builder().unlink("L1").link("L2", "E1", null).build());

      assertThat(store.mappingByExternalId(key, "E1").orElseThrow().localId()).isEqualTo("L2");
      assertThat(store.mappingByLocalId(key, "L1")).isEmpty();
    }

    @Test
    void aCheckpointThatFailsMidwayLeavesMappingsCursorAndInboxAsBefore() {
      SyncSnapshot before = snapshot("email", "before@example.com");
      link("L1", "E1", before);
      link("L5", "E5", null);
      store.checkpoint(key, SyncCheckpoint.builder().cursor(SyncFlow.PULL, "page-1").build());
      store.putEvent(key, event("ev-1", "E1", START));

      SyncCheckpoint failing = SyncCheckpoint.builder()
          .link("L1", "E1", snapshot("email", "after@example.com"))
          .link("L2", "E2", null)
          .unlink("L5")
          .remapLocal("L1", "L1-survivor")
          .cursor(SyncFlow.PULL, "page-2")
          .cursor(SyncFlow.PUSH, "push-2")
          .eventDone("ev-1")
          .link("L3", "E2", null)
          .build();
      assertConflict(() -> store.checkpoint(key, failing), "externalId");

      assertThat(store.mappingByLocalId(key, "L1")).contains(new IdMapping("L1", "E1", before));
      assertThat(store.mappingByLocalId(key, "L1-survivor")).isEmpty();
      assertThat(store.mappingByLocalId(key, "L2")).isEmpty();
      assertThat(store.mappingByExternalId(key, "E2")).isEmpty();
      assertThat(store.mappingByLocalId(key, "L5")).contains(new IdMapping("L5", "E5", null));
      assertThat(store.cursor(key, SyncFlow.PULL)).contains("page-1");
      assertThat(store.cursor(key, SyncFlow.PUSH)).isEmpty();
      assertThat(eventIds(store.pendingEvents(key, 10))).containsExactly("ev-1");
    }

    @Test
    void aCheckpointFailingOnItsDoneEventsStoresNoneOfItsMappings() {
      store.putEvent(key, event("ev-1", "E1", START));
      store.markEventDone(key, "ev-1");

      assertThatThrownBy(() -> store.checkpoint(key, SyncCheckpoint.builder()
          .link("L1", "E1", null).cursor(SyncFlow.PULL, "c").eventDone("ev-1").build()))
          .isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> store.checkpoint(key, SyncCheckpoint.builder()
          .link("L1", "E1", null).cursor(SyncFlow.PULL, "c").eventDone("ev-unknown").build()))
          .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.resource()).isEqualTo("event"));

      assertThat(store.mappingByLocalId(key, "L1")).isEmpty();
      assertThat(store.cursor(key, SyncFlow.PULL)).isEmpty();
    }

    @Test
    void anEmptyCheckpointChangesNothing() {
      link("L1", "E1", null);
      store.checkpoint(key, SyncCheckpoint.builder().build());
      assertThat(store.mappingByLocalId(key, "L1")).isPresent();
      assertThat(store.cursor(key, SyncFlow.PUSH)).isEmpty();
    }

    @Test
    void integrationsAndTenantsNeverSeeEachOthersState() {
      IntegrationKey sameTenantOtherIntegration = new IntegrationKey(key.tenantId(), "salesforce");
      IntegrationKey otherTenant = freshKey("hubspot");
      link("L1", "E1", null);
      store.checkpoint(key, SyncCheckpoint.builder().cursor(SyncFlow.PULL, "c1").build());
      store.putEvent(key, event("ev-1", "E1", START));
      store.addConflict(key, "L1", "E1", List.of(), "manual");
      store.startRun(key, "pull/delta");
      store.acquireLease(key, "worker-a", Duration.ofMinutes(1));

      for (IntegrationKey other : List.of(sameTenantOtherIntegration, otherTenant)) {
        assertThat(store.mappingByLocalId(other, "L1")).isEmpty();
        assertThat(store.mappingByExternalId(other, "E1")).isEmpty();
        assertThat(store.cursor(other, SyncFlow.PULL)).isEmpty();
        assertThat(store.pendingEvents(other, 10)).isEmpty();
        assertThat(store.openConflicts(other, 10)).isEmpty();
        assertThat(store.recentRuns(other, 10)).isEmpty();
        assertThat(store.acquireLease(other, "worker-b", Duration.ofMinutes(1))).isPresent();
        link("L1", "E1", null);
        assertThat(store.putEvent(other, event("ev-1", "E1", START))).isTrue();
      }
    }
  }

  @Nested
  class Leases {
    private final Duration ttl = Duration.ofSeconds(30);

    @Test
    void anOwnerTakesAFreeLeaseUntilItExpires() {
      SyncLease lease = store.acquireLease(key, "worker-a", ttl).orElseThrow();

      assertThat(lease).isEqualTo(new SyncLease(key, "worker-a", START, START.plus(ttl), 1));
    }

    @Test
    void anotherOwnerIsRefusedUntilTheLeaseExpires() {
      store.acquireLease(key, "worker-a", ttl);
      clock.advance(ttl.minusMillis(1));
      assertThat(store.acquireLease(key, "worker-b", ttl)).isEmpty();

      clock.advance(Duration.ofMillis(1));
      SyncLease taken = store.acquireLease(key, "worker-b", ttl).orElseThrow();
      assertThat(taken.owner()).isEqualTo("worker-b");
      assertThat(taken.acquiredAt()).isEqualTo(clock.instant());
      assertThat(store.acquireLease(key, "worker-a", ttl)).isEmpty();
    }

    @Test
    void theGenerationRisesOnlyWhenAnotherOwnerOrAnOwnerAfterReleaseTakesTheLease() {
      assertThat(store.acquireLease(key, "worker-a", ttl).orElseThrow().generation()).isEqualTo(1);
      assertThat(store.acquireLease(key, "worker-a", ttl).orElseThrow().generation()).isEqualTo(1);
      assertThat(store.renewLease(key, "worker-a", ttl).generation()).isEqualTo(1);

      clock.advance(ttl);
      assertThat(store.acquireLease(key, "worker-b", ttl).orElseThrow().generation()).isEqualTo(2);
      assertThat(store.releaseLease(key, "worker-b")).isTrue();
      assertThat(store.acquireLease(key, "worker-b", ttl).orElseThrow().generation()).isEqualTo(3);
      assertThat(newStore(clock).acquireLease(freshKey("other"), "worker-b", ttl).orElseThrow().generation())
          .isEqualTo(1);
    }

    @Test
    void aFencedCheckpointOfAnOwnerThatLostItsLeaseStoresNothing() {
      SyncLease a = store.acquireLease(key, "worker-a", ttl).orElseThrow();
      store.checkpoint(key, SyncCheckpoint.builder().link("L1", "E1", null).fence("worker-a", a.generation()).build());
      clock.advance(ttl);
      store.checkpoint(key, SyncCheckpoint.builder().link("L2", "E2", null).fence("worker-a", a.generation()).build());

      SyncLease b = newStore(clock).acquireLease(key, "worker-b", ttl).orElseThrow();
      assertConflict(() -> store.checkpoint(key, SyncCheckpoint.builder().link("L3", "E3", null)
          .cursor(SyncFlow.PULL, "c-3").fence("worker-a", a.generation()).build()), "lease");
      assertConflict(() -> store.checkpoint(key, SyncCheckpoint.builder().link("L3", "E3", null)
          .fence("worker-b", a.generation()).build()), "lease");

      assertThat(store.mappingByLocalId(key, "L2")).isPresent();
      assertThat(store.mappingByLocalId(key, "L3")).isEmpty();
      assertThat(store.cursor(key, SyncFlow.PULL)).isEmpty();
      store.checkpoint(key, SyncCheckpoint.builder().link("L3", "E3", null).fence("worker-b", b.generation()).build());
      assertThat(store.mappingByLocalId(key, "L3")).isPresent();
      assertThatThrownBy(() -> SyncCheckpoint.builder().fence("worker-b", 0))
          .isInstanceOf(ValidationException.class);
    }

    @Test
    void theHolderAcquiringAgainExtendsItsLeaseAndKeepsItsStart() {
      store.acquireLease(key, "worker-a", ttl);
      clock.advance(Duration.ofSeconds(10));

      SyncLease again = store.acquireLease(key, "worker-a", ttl).orElseThrow();
      assertThat(again.acquiredAt()).isEqualTo(START);
      assertThat(again.expiresAt()).isEqualTo(clock.instant().plus(ttl));
    }

    @Test
    void renewingExtendsTheHoldersLease() {
      store.acquireLease(key, "worker-a", ttl);
      clock.advance(Duration.ofSeconds(20));

      SyncLease renewed = store.renewLease(key, "worker-a", Duration.ofMinutes(5));
      assertThat(renewed).isEqualTo(new SyncLease(key, "worker-a", START, clock.instant().plus(Duration.ofMinutes(5)), 1));
      clock.advance(Duration.ofMinutes(1));
      assertThat(store.acquireLease(key, "worker-b", ttl)).isEmpty();
    }

    @Test
    void renewingByTheWrongOwnerOrAfterExpiryOrWithoutLeaseIsRefused() {
      assertConflict(() -> store.renewLease(key, "worker-a", ttl), "owner");
      store.acquireLease(key, "worker-a", ttl);
      assertConflict(() -> store.renewLease(key, "worker-b", ttl), "owner");

      clock.advance(ttl);
      assertConflict(() -> store.renewLease(key, "worker-a", ttl), "owner");
      assertThat(store.acquireLease(key, "worker-b", ttl)).isPresent();
      assertConflict(() -> store.renewLease(key, "worker-a", ttl), "owner");
    }

    @Test
    void releasingFreesTheLeaseOnlyForItsHolder() {
      store.acquireLease(key, "worker-a", ttl);
      assertThat(store.releaseLease(key, "worker-b")).isFalse();
      assertThat(store.acquireLease(key, "worker-b", ttl)).isEmpty();

      assertThat(store.releaseLease(key, "worker-a")).isTrue();
      assertThat(store.releaseLease(key, "worker-a")).isFalse();
      assertThat(store.acquireLease(key, "worker-b", ttl)).isPresent();
    }

    @Test
    void ofConcurrentOwnersInSeparateStoresExactlyOneGetsTheLease() throws Exception {
      for (int round = 0; round < 3; round++) {
        IntegrationKey contested = freshKey("hubspot");
        List<Optional<SyncLease>> results = concurrently(8, () -> newStore(clock)
            .acquireLease(contested, "worker-" + UUID.randomUUID(), ttl));
        assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(1);
      }
    }

    @Test
    void ofConcurrentOwnersOfAnExpiredLeaseExactlyOneTakesIt() throws Exception {
      store.acquireLease(key, "worker-old", ttl);
      clock.advance(ttl);
      List<Optional<SyncLease>> results = concurrently(8, () -> newStore(clock)
          .acquireLease(key, "worker-" + UUID.randomUUID(), ttl));
      assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(1);
    }
  }

  @Nested
  class RunLog {
    @Test
    void aCheckpointStoresTheRunsCountsAndErrorsWithThePageOrNothing() {
      SyncRun run = store.startRun(key, "pull/full");
      RecordError e1 = new RecordError("L1", SyncSide.LOCAL, "ValidationException", "bad email");
      store.checkpoint(key, SyncCheckpoint.builder().link("L1", "E1", null)
          .runProgress(run.id(), new RunCounts(4, 1, 1, 0, 1, 0, 1), List.of(e1)).build());

      assertThat(store.run(key, run.id()).orElseThrow().counts()).isEqualTo(new RunCounts(4, 1, 1, 0, 1, 0, 1));
      assertThat(store.run(key, run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
      assertThat(store.recordErrors(key, run.id())).containsExactly(e1);

      link("L2", "E2", null);
      assertConflict(() -> store.checkpoint(key, SyncCheckpoint.builder().link("L2", "E9", null)
          .runProgress(run.id(), new RunCounts(8, 1, 1, 0, 1, 0, 2), List.of(e1)).build()), "localId");
      assertThat(store.run(key, run.id()).orElseThrow().counts().processed()).isEqualTo(4);
      assertThat(store.recordErrors(key, run.id())).hasSize(1);

      store.finishRun(key, run.id(), RunStatus.FAILED, RunCounts.ZERO);
      assertConflict(() -> store.checkpoint(key, SyncCheckpoint.builder()
          .runProgress(run.id(), RunCounts.ZERO, List.of()).build()), "runId");
      assertThatThrownBy(() -> store.checkpoint(key, SyncCheckpoint.builder()
          .runProgress("no-such-run", RunCounts.ZERO, List.of()).build())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aRunIsLoggedFromStartToFinishWithCountsAndDuration() {
      SyncRun started = store.startRun(key, "pull/delta");
      assertThat(started.status()).isEqualTo(RunStatus.RUNNING);
      assertThat(started.startedAt()).isEqualTo(START);
      assertThat(started.finishedAt()).isNull();
      assertThat(started.counts()).isEqualTo(RunCounts.ZERO);
      assertThat(started.duration()).isEmpty();
      assertThat(store.run(key, started.id())).contains(started);

      clock.advance(Duration.ofMillis(1500));
      RunCounts counts = new RunCounts(10, 3, 4, 1, 1, 0, 1);
      SyncRun finished = store.finishRun(key, started.id(), RunStatus.PARTIALLY_FAILED, counts);

      assertThat(finished).isEqualTo(new SyncRun(started.id(), key, "pull/delta", RunStatus.PARTIALLY_FAILED,
          START, START.plusMillis(1500), counts));
      assertThat(finished.duration()).contains(Duration.ofMillis(1500));
      assertThat(finished.counts().synced()).isEqualTo(8);
      assertThat(store.run(key, started.id())).contains(finished);
    }

    @Test
    void recordErrorsAreKeptInTheOrderAdded() {
      SyncRun run = store.startRun(key, "push/full");
      RecordError first = new RecordError("L1", SyncSide.REMOTE, "ValidationException", "email: invalid");
      RecordError second = new RecordError("E7", SyncSide.LOCAL, "ConflictException", "phone taken");
      RecordError third = new RecordError("L3", SyncSide.REMOTE, "ServerException", "HTTP 502 " + "x".repeat(5000));
      store.addRecordErrors(key, run.id(), List.of(first, second));
      store.addRecordErrors(key, run.id(), List.of());
      store.addRecordErrors(key, run.id(), List.of(third));

      assertThat(store.recordErrors(key, run.id())).containsExactly(first, second, third);
      assertThat(store.recordErrors(key, store.startRun(key, "push/full").id())).isEmpty();
    }

    @Test
    void aFinishedRunTakesNoMoreErrorsAndCannotFinishAgain() {
      SyncRun run = store.startRun(key, "pull/delta");
      store.finishRun(key, run.id(), RunStatus.SUCCEEDED, RunCounts.ZERO);

      assertConflict(() -> store.finishRun(key, run.id(), RunStatus.FAILED, RunCounts.ZERO), "runId");
      assertConflict(() -> store.addRecordErrors(key, run.id(),
          List.of(new RecordError("L1", SyncSide.LOCAL, "X", "late"))), "runId");
      assertThat(store.run(key, run.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void anUnknownRunIsNotFound() {
      String runId = UUID.randomUUID().toString();
      String otherKeysRun = store.startRun(freshKey("hubspot"), "pull/delta").id();
      for (String id : List.of(runId, otherKeysRun)) {
        assertThat(store.run(key, id)).isEmpty();
        assertThatThrownBy(() -> store.finishRun(key, id, RunStatus.FAILED, RunCounts.ZERO))
            .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.resource()).isEqualTo("run"));
        assertThatThrownBy(() -> store.recordErrors(key, id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.addRecordErrors(key, id, List.of())).isInstanceOf(NotFoundException.class);
      }
    }

    @Test
    void recentRunsComeNewestFirstUpToTheLimit() {
      SyncRun first = store.startRun(key, "pull/full");
      clock.advance(Duration.ofSeconds(1));
      SyncRun second = store.startRun(key, "pull/delta");
      SyncRun third = store.startRun(key, "push/delta");

      assertThat(store.recentRuns(key, 10)).extracting(SyncRun::id)
          .containsExactly(third.id(), second.id(), first.id());
      assertThat(store.recentRuns(key, 2)).extracting(SyncRun::id).containsExactly(third.id(), second.id());
    }
  }

  @Nested
  class ConflictQueue {
    private final List<FieldConflict> fields = List.of(
        new FieldConflict("email", "local@example.com", "remote@example.com", "base@example.com"),
        new FieldConflict("phone", null, "+14155550100", null));

    @Test
    void aRecordHasOneOpenConflictWhichASecondParkingUpdatesUntilItIsResolved() {
      SyncConflict first = store.addConflict(key, "L1", "E1",
          List.of(new FieldConflict("firstName", "Ana", "Anna", "An")), "manual");
      clock.advance(Duration.ofSeconds(5));
      SyncConflict again = store.addConflict(key, "L1", "E1",
          List.of(new FieldConflict("lastName", "Li", "Lee", null)), "manual");

      assertThat(again.id()).isEqualTo(first.id());
      assertThat(again.detectedAt()).isEqualTo(first.detectedAt());
      assertThat(again.fields()).extracting(FieldConflict::field).containsExactly("lastName");
      assertThat(store.openConflicts(key, 10)).containsExactly(again);

      store.resolveConflict(key, first.id(), SyncSide.LOCAL, null, "agent");
      SyncConflict later = store.addConflict(key, "L1", "E1", List.of(), "manual");
      assertThat(later.id()).isNotEqualTo(first.id());
      assertThat(store.openConflicts(key, 10)).extracting(SyncConflict::id).containsExactly(later.id());
    }

    @Test
    void aParkedConflictIsListedAndReadBack() {
      SyncConflict c = store.addConflict(key, "L1", "E1", fields, "manual");

      assertThat(c.status()).isEqualTo(ConflictStatus.OPEN);
      assertThat(c.detectedAt()).isEqualTo(START);
      assertThat(c.fields()).isEqualTo(fields);
      assertThat(c.resolution()).isNull();
      assertThat(store.conflict(key, c.id())).contains(c);
      assertThat(store.openConflicts(key, 10)).containsExactly(c);
      assertThat(store.conflict(key, UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void openConflictsComeOldestFirstUpToTheLimit() {
      clock.advance(Duration.ofSeconds(5));
      SyncConflict later = store.addConflict(key, "L2", "E2", fields, "manual");
      clock.set(START);
      SyncConflict earlier = store.addConflict(key, "L1", "E1", fields, "manual");
      SyncConflict sameTime = store.addConflict(key, "L3", "E3", List.of(), "manual");

      assertThat(store.openConflicts(key, 10)).extracting(SyncConflict::id)
          .containsExactly(earlier.id(), sameTime.id(), later.id());
      assertThat(store.openConflicts(key, 1)).extracting(SyncConflict::id).containsExactly(earlier.id());
    }

    @Test
    void resolvingRecordsTheChoiceWhoAndWhenAndClosesTheConflict() {
      SyncConflict c = store.addConflict(key, "L1", "E1", fields, "manual");
      clock.advance(Duration.ofMinutes(3));

      SyncConflict resolved = store.resolveConflict(key, c.id(), SyncSide.REMOTE, null, "agent-7");

      assertThat(resolved.status()).isEqualTo(ConflictStatus.RESOLVED);
      assertThat(resolved.resolution().choice()).isEqualTo(SyncSide.REMOTE);
      assertThat(resolved.resolution().mergedValues()).isEmpty();
      assertThat(resolved.resolution().resolvedBy()).isEqualTo("agent-7");
      assertThat(resolved.resolution().resolvedAt()).isEqualTo(START.plus(Duration.ofMinutes(3)));
      assertThat(store.conflict(key, c.id())).contains(resolved);
      assertThat(store.openConflicts(key, 10)).isEmpty();
    }

    @Test
    void aMergedChoiceKeepsItsValuesIncludingClearedOnes() {
      SyncConflict c = store.addConflict(key, "L1", "E1", fields, "fieldLevelMerge");
      Map<String, String> merged = new HashMap<>();
      merged.put("email", "chosen@example.com");
      merged.put("phone", null);

      SyncConflict resolved = store.resolveConflict(key, c.id(), SyncSide.MERGED, merged, "agent-7");

      assertThat(resolved.resolution().mergedValues()).isEqualTo(merged);
      assertThat(store.conflict(key, c.id()).orElseThrow().resolution().mergedValues()).isEqualTo(merged);
    }

    @Test
    void resolvingTwiceIsRefusedAndKeepsTheFirstDecision() {
      SyncConflict c = store.addConflict(key, "L1", "E1", fields, "manual");
      store.resolveConflict(key, c.id(), SyncSide.LOCAL, Map.of(), "agent-1");

      assertConflict(() -> store.resolveConflict(key, c.id(), SyncSide.REMOTE, null, "agent-2"), "conflictId");
      assertThat(store.conflict(key, c.id()).orElseThrow().resolution().resolvedBy()).isEqualTo("agent-1");
    }

    @Test
    void ofConcurrentResolutionsExactlyOneSucceeds() throws Exception {
      SyncConflict c = store.addConflict(key, "L1", "E1", fields, "manual");
      List<Boolean> results = concurrently(6, () -> {
        try {
          newStore(clock).resolveConflict(key, c.id(), SyncSide.LOCAL, null, "agent-" + UUID.randomUUID());
          return true;
        } catch (ConflictException e) {
          return false;
        }
      });
      assertThat(results).containsOnlyOnce(true);
    }

    @Test
    void badDecisionsAreRefusedAndLeaveTheConflictOpen() {
      SyncConflict c = store.addConflict(key, "L1", "E1", fields, "manual");

      assertValidationNaming(() -> store.resolveConflict(key, c.id(), SyncSide.MERGED, null, "a"), "mergedValues");
      assertValidationNaming(() -> store.resolveConflict(key, c.id(), SyncSide.MERGED, Map.of("company", "X"), "a"),
          "mergedValues");
      assertValidationNaming(() -> store.resolveConflict(key, c.id(), SyncSide.LOCAL, Map.of("email", "x"), "a"),
          "mergedValues");
      assertValidationNaming(() -> store.resolveConflict(key, c.id(), null, null, "a"), "choice");
      assertValidationNaming(() -> store.resolveConflict(key, c.id(), SyncSide.LOCAL, null, " "), "resolvedBy");
      assertThatThrownBy(() -> store.resolveConflict(key, "no-such-conflict", SyncSide.LOCAL, null, "a"))
          .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.resource()).isEqualTo("conflict"));
      assertThat(store.conflict(key, c.id()).orElseThrow().status()).isEqualTo(ConflictStatus.OPEN);
    }
  }

  @Nested
  class WebhookInbox {
    @Test
    void anEventIsStoredOnceAndReadBackWhole() {
      ChangeEvent e = new ChangeEvent("hubspot", "ev-1", ChangeEventType.MERGED, "contact.merge", "contact", "E1",
          START.plusNanos(7_654_321), null, null, List.of("E2", "E3"), 2, Map.of("portalId", "62515", "x", "y:1-"));

      assertThat(store.putEvent(key, e)).isTrue();
      clock.advance(Duration.ofSeconds(1));
      assertThat(store.putEvent(key, event("ev-1", "E9", START))).isFalse();

      InboxEntry entry = store.pendingEvents(key, 10).get(0);
      assertThat(entry.event()).isEqualTo(new ChangeEvent("hubspot", "ev-1", ChangeEventType.MERGED, "contact.merge",
          "contact", "E1", START.plusMillis(7), null, null, List.of("E2", "E3"), 2,
          Map.of("portalId", "62515", "x", "y:1-")));
      assertThat(entry.status()).isEqualTo(InboxStatus.PENDING);
      assertThat(entry.attempts()).isZero();
      assertThat(entry.lastError()).isNull();
      assertThat(entry.receivedAt()).isEqualTo(START);
      assertThat(store.pendingEvents(key, 10)).hasSize(1);
    }

    @Test
    void aDoneEventStaysADuplicate() {
      store.putEvent(key, event("ev-1", "E1", START));
      store.markEventDone(key, "ev-1");
      assertThat(store.putEvent(key, event("ev-1", "E1", START))).isFalse();
      assertThat(store.pendingEvents(key, 10)).isEmpty();
    }

    @Test
    void ofConcurrentPutsOfOneEventExactlyOneIsNew() throws Exception {
      for (int round = 0; round < 3; round++) {
        String eventId = "ev-" + round;
        List<Boolean> results = concurrently(8, () -> newStore(clock).putEvent(key, event(eventId, "E1", START)));
        assertThat(results).containsOnlyOnce(true);
      }
      assertThat(store.pendingEvents(key, 10)).hasSize(3);
    }

    @Test
    void pendingEventsComeInOccurrenceOrderWhateverTheArrivalOrder() {
      store.putEvent(key, event("b-2", "B", START.plusSeconds(2)));
      store.putEvent(key, event("a-3", "A", START.plusSeconds(3)));
      store.putEvent(key, event("a-1", "A", START.plusSeconds(1)));
      store.putEvent(key, event("b-1", "B", START.plusSeconds(1)));
      store.putEvent(key, event("a-2", "A", START.plusSeconds(2)));

      assertThat(eventIds(store.pendingEvents(key, 10))).containsExactly("a-1", "b-1", "b-2", "a-2", "a-3");
      assertThat(eventIds(store.pendingEvents(key, 2))).containsExactly("a-1", "b-1");
    }

    @Test
    void anEventWithoutOccurrenceTimeIsOrderedByItsReceiveTime() {
      clock.advance(Duration.ofSeconds(2));
      store.putEvent(key, event("undated", "A", null));
      store.putEvent(key, event("dated-3", "A", START.plusSeconds(3)));
      store.putEvent(key, event("dated-1", "A", START.plusSeconds(1)));

      assertThat(eventIds(store.pendingEvents(key, 10))).containsExactly("dated-1", "undated", "dated-3");
    }

    @Test
    void aFailedEventWaitsForReplayAndThenComesInItsOriginalPlace() {
      store.putEvent(key, event("ev-1", "A", START.plusSeconds(1)));
      store.putEvent(key, event("ev-2", "A", START.plusSeconds(2)));

      InboxEntry failed = store.markEventFailed(key, "ev-1", "HTTP 502 from the remote");
      assertThat(failed.status()).isEqualTo(InboxStatus.FAILED);
      assertThat(failed.attempts()).isEqualTo(1);
      assertThat(failed.lastError()).isEqualTo("HTTP 502 from the remote");
      assertThat(eventIds(store.pendingEvents(key, 10))).containsExactly("ev-2");
      assertThat(store.failedEvents(key, 10)).containsExactly(failed);

      assertThat(store.replayEvent(key, "ev-1")).isTrue();
      assertThat(store.replayEvent(key, "ev-1")).isFalse();
      assertThat(eventIds(store.pendingEvents(key, 10))).containsExactly("ev-1", "ev-2");
      InboxEntry replayed = store.pendingEvents(key, 1).get(0);
      assertThat(replayed.attempts()).isEqualTo(1);
      assertThat(replayed.lastError()).isEqualTo("HTTP 502 from the remote");

      assertThat(store.markEventFailed(key, "ev-1", "again").attempts()).isEqualTo(2);
    }

    @Test
    void replayingAllFailedEventsLeavesDoneAndPendingOnesAlone() {
      for (String id : List.of("ev-1", "ev-2", "ev-3", "ev-4")) {
        store.putEvent(key, event(id, "A", START));
      }
      store.markEventFailed(key, "ev-1", "x");
      store.markEventFailed(key, "ev-3", "y");
      store.markEventDone(key, "ev-4");

      assertThat(store.replayFailedEvents(key)).isEqualTo(2);
      assertThat(store.replayFailedEvents(key)).isZero();
      assertThat(eventIds(store.pendingEvents(key, 10))).containsExactly("ev-1", "ev-2", "ev-3");
      assertThat(store.failedEvents(key, 10)).isEmpty();
    }

    @Test
    void onlyAPendingEventCanBeMarked() {
      store.putEvent(key, event("ev-1", "A", START));
      store.markEventDone(key, "ev-1");

      assertConflict(() -> store.markEventDone(key, "ev-1"), "eventId");
      assertConflict(() -> store.markEventFailed(key, "ev-1", "x"), "eventId");
      assertThat(store.replayEvent(key, "ev-1")).isFalse();
      for (ThrowingCallable call : List.<ThrowingCallable>of(
          () -> store.markEventDone(key, "ev-unknown"),
          () -> store.markEventFailed(key, "ev-unknown", "x"),
          () -> store.replayEvent(key, "ev-unknown"))) {
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.resource()).isEqualTo("event"));
      }
    }
  }

  @Nested
  class Erase {
    @Test
    void eraseRemovesEveryStateOfTheIntegrationAndNoOtherOne() {
      IntegrationKey other = new IntegrationKey(key.tenantId(), "salesforce");
      for (IntegrationKey k : List.of(key, other)) {
        SyncRun run = store.startRun(k, "pull/full");
        store.checkpoint(k, SyncCheckpoint.builder().link("L1", "E1", snapshot("email", "ada@example.com"))
            .cursor(SyncFlow.PULL, "c-1")
            .runProgress(run.id(), new RunCounts(1, 0, 0, 0, 0, 0, 1),
                List.of(new RecordError("L1", SyncSide.LOCAL, "ValidationException", "bad email"))).build());
        store.finishRun(k, run.id(), RunStatus.SUCCEEDED, RunCounts.ZERO);
        store.addConflict(k, "L2", "E2", List.of(), "manual");
        store.putEvent(k, event("ev-1", "E1", START));
        assertThat(store.acquireLease(k, "owner", Duration.ofMinutes(1))).isPresent();
      }
      String runId = store.recentRuns(key, 1).get(0).id();

      store.erase(key);

      assertThat(store.mappingByLocalId(key, "L1")).isEmpty();
      assertThat(store.mappingByExternalId(key, "E1")).isEmpty();
      assertThat(store.cursor(key, SyncFlow.PULL)).isEmpty();
      assertThat(store.recentRuns(key, 10)).isEmpty();
      assertThatThrownBy(() -> store.recordErrors(key, runId)).isInstanceOf(NotFoundException.class);
      assertThat(store.openConflicts(key, 10)).isEmpty();
      assertThat(store.pendingEvents(key, 10)).isEmpty();
      assertThat(store.acquireLease(key, "someone-else", Duration.ofMinutes(1))).isPresent();
      assertThat(store.mappingByLocalId(other, "L1")).isPresent();
      assertThat(store.cursor(other, SyncFlow.PULL)).contains("c-1");
      assertThat(store.recentRuns(other, 10)).hasSize(1);
      assertThat(store.openConflicts(other, 10)).hasSize(1);
      assertThat(store.pendingEvents(other, 10)).hasSize(1);
      assertThat(store.acquireLease(other, "someone-else", Duration.ofMinutes(1))).isEmpty();
      store.erase(key);
    }
  }

  @Nested
  class BadInputs {
    @Test
    void malformedIdsAndArgumentsAreRefusedNamingTheParameter() {
      String tooLong = "x".repeat(256);
      assertValidationNaming(() -> store.mappingByLocalId(key, " "), "localId");
      assertValidationNaming(() -> store.mappingByExternalId(key, tooLong), "externalId");
      assertValidationNaming(() -> store.cursor(key, null), "flow");
      assertValidationNaming(() -> store.cursor(key, SyncFlow.BIDIRECTIONAL), "flow");
      assertValidationNaming(() -> store.checkpoint(key, null), "checkpoint");
      assertValidationNaming(() -> store.acquireLease(key, "", Duration.ofSeconds(1)), "owner");
      assertValidationNaming(() -> store.acquireLease(key, "w", Duration.ZERO), "ttl");
      assertValidationNaming(() -> store.acquireLease(key, "w", Duration.ofSeconds(-1)), "ttl");
      assertValidationNaming(() -> store.renewLease(key, "w", null), "ttl");
      assertValidationNaming(() -> store.releaseLease(key, null), "owner");
      assertValidationNaming(() -> store.startRun(key, "k".repeat(65)), "kind");
      assertValidationNaming(() -> store.finishRun(key, "r", RunStatus.RUNNING, RunCounts.ZERO), "status");
      assertValidationNaming(() -> store.finishRun(key, "r", RunStatus.FAILED, null), "counts");
      assertValidationNaming(() -> store.recentRuns(key, 0), "limit");
      assertValidationNaming(() -> store.openConflicts(key, 1001), "limit");
      assertValidationNaming(() -> store.pendingEvents(key, -1), "limit");
      assertValidationNaming(() -> store.failedEvents(key, 0), "limit");
      assertValidationNaming(() -> store.addConflict(key, "L1", "E1", null, "manual"), "fields");
      assertValidationNaming(() -> store.addConflict(key, "L1", "E1", List.of(
          new FieldConflict("email", "a", "b", null), new FieldConflict("email", "c", "d", null)), "manual"), "fields");
      assertValidationNaming(() -> store.addConflict(key, "L1", "E1", List.of(), ""), "strategy");
      assertValidationNaming(() -> store.addConflict(key, "", "E1", List.of(), "manual"), "localId");
      assertValidationNaming(() -> store.putEvent(key, null), "event");
      assertValidationNaming(() -> store.putEvent(key, event(tooLong, "A", START)), "eventId");
      assertValidationNaming(() -> store.markEventFailed(key, "ev-1", " "), "error");

      assertThat(store.openConflicts(key, 10)).isEmpty();
      assertThat(store.recentRuns(key, 10)).isEmpty();
      assertThat(store.pendingEvents(key, 10)).isEmpty();
    }

    @Test
    void malformedValuesAreRefusedWhereTheyAreMade() {
      assertValidationNaming(() -> new IntegrationKey(" ", "hubspot"), "tenantId");
      assertValidationNaming(() -> new IntegrationKey("t".repeat(129), "hubspot"), "tenantId");
      assertValidationNaming(() -> new IntegrationKey("acme", "hub spot"), "integration");
      assertValidationNaming(() -> SyncCheckpoint.builder().link("L1", "", null), "externalId");
      assertValidationNaming(() -> SyncCheckpoint.builder().remapLocal("L1", "L1"), "toLocalId");
      assertValidationNaming(() -> SyncCheckpoint.builder().cursor(SyncFlow.PULL, ""), "cursor");
      assertValidationNaming(() -> SyncCheckpoint.builder().cursor(null, "c"), "flow");
      assertValidationNaming(() -> SyncCheckpoint.builder().cursor(SyncFlow.BIDIRECTIONAL, "c"), "flow");
      assertValidationNaming(() -> SyncCheckpoint.builder().eventDone(null), "eventId");
      assertValidationNaming(() -> new SyncSnapshot(Map.of(" ", "v"), START, null), "fields");
      assertValidationNaming(() -> new SyncSnapshot(Map.of(), null, null), "syncedAt");
      assertValidationNaming(() -> new RunCounts(1, -1, 0, 0, 0, 0, 0), "created");
      assertValidationNaming(() -> new RecordError("L1", null, "X", "m"), "side");
      assertValidationNaming(() -> new RecordError("L1", SyncSide.MERGED, "X", "m"), "side");
      assertThatThrownBy(() -> store.cursor(null, SyncFlow.PULL)).isInstanceOf(NullPointerException.class);
    }
  }
}
