package dev.crmkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.sync.spi.IdMapping;

class SyncEngineTest {
  private static final IntegrationKey KEY = new IntegrationKey("shop-1", "crm");

  /** A clock tests move by hand. */
  static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final CustomerSystem local = system();
  private final CustomerSystem remote = system();
  private final InMemorySyncStore store = new InMemorySyncStore(clock);

  private CustomerSystem system() {
    return new InMemoryCustomerSystem(new ProviderContext(TenantConfig.builder("shop-1", "memory").build(), clock, Map.of()));
  }

  private SyncEngine.Builder engineBuilder(ConflictStrategy strategy) {
    return SyncEngine.builder().local(local).remote(remote).store(store).key(KEY).mapping(FieldMapping.defaults())
        .strategy(strategy).clock(clock).pageSize(3).leaseOwner("test");
  }

  private SyncEngine engine(ConflictStrategy strategy) {
    return engineBuilder(strategy).build();
  }

  private static CustomerDraft person(String first, String email) {
    return CustomerDraft.builder().firstName(first).lastName("Doe").email(email).build();
  }

  private Customer later(CustomerSystem system, String id, CustomerUpdate update) {
    clock.advance(Duration.ofSeconds(1));
    return system.update(id, update);
  }

  private static void assertConverged(SyncEngine engine) {
    SyncAudit.Report report = SyncAudit.audit(engine);
    assertThat(report.problems()).isEmpty();
    assertThat(report.localRecords()).isEqualTo(report.remoteRecords());
  }

  @Test
  void anAuditOfAPushCountsARemoteRecordNoMappingLinksAndIsNotConverged() {
    for (int i = 0; i < 4; i++) {
      local.create(CustomerDraft.builder().firstName("NoKey" + i).build());
    }
    SyncEngine engine = engineBuilder(ConflictStrategy.lastWriteWins()).flow(SyncFlow.PUSH).build();
    engine.run(SyncMode.FULL);
    assertThat(SyncAudit.audit(engine).converged()).isTrue();

    Customer stray = remote.create(CustomerDraft.builder().firstName("NoKey0").build());
    SyncAudit.Report report = SyncAudit.audit(engine);

    assertThat(report.converged()).isFalse();
    assertThat(report.remoteRecords()).isEqualTo(5);
    assertThat(report.linkedPairs()).isEqualTo(4);
    assertThat(report.unlinkedRemoteRecords()).isEqualTo(1);
    assertThat(report.problems()).containsExactly("remote " + stray.id() + " is not linked");
  }

  @Test
  void syncCustomerPullsItsLinkedRemoteRecordThenPushesItAndLeavesOthersAndCursorsAlone() {
    Customer ana = local.create(person("Ana", "ana@example.com"));
    Customer ben = local.create(person("Ben", "ben@example.com"));
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());

    SyncResult first = engine.syncCustomer(ana.id());

    assertThat(first.kind()).isEqualTo("customer");
    assertThat(first.created()).isEqualTo(1);
    assertThat(remote.findByEmail("ana@example.com")).isPresent();
    assertThat(remote.findByEmail("ben@example.com")).isEmpty();
    assertThat(store.cursor(KEY, SyncFlow.PUSH)).isEmpty();

    String remoteId = store.mappingByLocalId(KEY, ana.id()).orElseThrow().externalId();
    later(remote, remoteId, CustomerUpdate.builder().lastName("Remote").build());
    later(local, ben.id(), CustomerUpdate.builder().lastName("Local").build());
    SyncResult second = engine.syncCustomer(ana.id());

    assertThat(second.updated()).isEqualTo(1);
    assertThat(local.require(ana.id()).lastName()).isEqualTo("Remote");
    assertThat(remote.findByEmail("ben@example.com")).isEmpty();
    assertThat(engine.syncCustomer("no-such-id").status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThatThrownBy(() -> engine.syncCustomer(" ")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("localId");

    engine.run(SyncMode.DELTA);
    assertConverged(engine);
  }

  @Test
  void firstFullSyncLinksRecordsByEmailAndCreatesTheRestOnBothSides() {
    Customer ana = local.create(person("Ana", "ana@example.com"));
    local.create(person("Ben", "ben@example.com"));
    remote.create(person("Ana", "ANA@example.com"));
    remote.create(person("Cy", "cy@example.com"));
    for (int i = 0; i < 5; i++) {
      remote.create(person("R" + i, "r" + i + "@example.com"));
    }

    SyncResult result = engine(ConflictStrategy.lastWriteWins()).run(SyncMode.FULL);

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(result.created()).isEqualTo(7);
    assertThat(result.errors()).isEmpty();
    assertThat(store.mappingByLocalId(KEY, ana.id())).get()
        .extracting(IdMapping::externalId).isEqualTo(remote.findByEmail("ana@example.com").orElseThrow().id());
    assertThat(local.findByEmail("cy@example.com")).isPresent();
    assertThat(remote.findByEmail("ben@example.com")).isPresent();
    assertConverged(engine(ConflictStrategy.lastWriteWins()));
    assertThat(SyncAudit.audit(engine(ConflictStrategy.lastWriteWins())).localRecords()).isEqualTo(8);
  }

  @Test
  void aDeltaRunAfterwardsSkipsTheEngineOwnWritesAsEchoes() {
    local.create(person("Ana", "ana@example.com"));
    remote.create(person("Cy", "cy@example.com"));
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);

    SyncResult again = engine.run(SyncMode.DELTA);
    SyncResult third = engine.run(SyncMode.DELTA);

    assertThat(again.synced()).isZero();
    assertThat(again.skipped()).isEqualTo(again.processed()).isPositive();
    assertThat(third.processed()).isZero();
  }

  @Test
  void deltaCarriesAnEditEachWayAndAFullRunAfterwardsWritesNothing() {
    Customer ana = local.create(person("Ana", "ana@example.com"));
    SyncEngine engine = engine(ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins()));
    engine.run(SyncMode.FULL);
    String remoteId = store.mappingByLocalId(KEY, ana.id()).orElseThrow().externalId();

    later(local, ana.id(), CustomerUpdate.builder().company("Acme").build());
    later(remote, remoteId, CustomerUpdate.builder().segment(Segment.VIP).build());
    SyncResult delta = engine.run(SyncMode.DELTA);

    assertThat(delta.updated()).isEqualTo(1);
    assertThat(remote.require(remoteId).company()).isEqualTo("Acme");
    assertThat(local.require(ana.id()).segment()).isEqualTo(Segment.VIP);
    assertThat(engine.run(SyncMode.FULL).synced()).isZero();
    assertConverged(engine);
  }

  private record Edited(Customer local, Customer remote) {}

  /** Links one record, then edits the first name on both sides, the remote one written last. */
  private Edited concurrentEdits(SyncEngine engine) {
    Customer ana = local.create(person("Ana", "ana@example.com"));
    engine.run(SyncMode.FULL);
    String remoteId = store.mappingByLocalId(KEY, ana.id()).orElseThrow().externalId();
    Customer l = later(local, ana.id(), CustomerUpdate.builder().firstName("Anna").company("Local Co").build());
    Customer r = later(remote, remoteId, CustomerUpdate.builder().firstName("Annie").language("de").build());
    return new Edited(l, r);
  }

  @Test
  void lastWriteWinsTakesTheRecordWrittenLast() {
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    Edited e = concurrentEdits(engine);

    engine.run(SyncMode.DELTA);

    assertThat(local.require(e.local().id()).firstName()).isEqualTo("Annie");
    assertThat(local.require(e.local().id()).company()).isNull();
    assertConverged(engine);
  }

  @Test
  void localMasterKeepsTheLocalRecordWhole() {
    SyncEngine engine = engine(ConflictStrategy.localMaster());
    Edited e = concurrentEdits(engine);

    engine.run(SyncMode.DELTA);

    Customer r = remote.require(e.remote().id());
    assertThat(r.firstName()).isEqualTo("Anna");
    assertThat(r.company()).isEqualTo("Local Co");
    assertThat(r.language()).isNull();
    assertConverged(engine);
  }

  @Test
  void externalMasterKeepsTheRemoteRecordWhole() {
    SyncEngine engine = engine(ConflictStrategy.externalMaster());
    Edited e = concurrentEdits(engine);

    engine.run(SyncMode.DELTA);

    Customer l = local.require(e.local().id());
    assertThat(l.firstName()).isEqualTo("Annie");
    assertThat(l.language()).isEqualTo("de");
    assertThat(l.company()).isNull();
    assertConverged(engine);
  }

  @Test
  void fieldLevelMergeKeepsChangesToDifferentFieldsAndFallsBackOnTheClash() {
    SyncEngine engine = engine(ConflictStrategy.fieldLevelMerge(ConflictStrategy.localMaster()));
    Edited e = concurrentEdits(engine);

    engine.run(SyncMode.DELTA);

    Customer l = local.require(e.local().id());
    assertThat(l.firstName()).isEqualTo("Anna");
    assertThat(l.company()).isEqualTo("Local Co");
    assertThat(l.language()).isEqualTo("de");
    assertConverged(engine);
  }

  @Test
  void manualParksTheRecordUntilAPersonChoosesASide() {
    SyncEngine engine = engine(ConflictStrategy.manual());
    Edited e = concurrentEdits(engine);

    SyncResult run = engine.run(SyncMode.DELTA);

    assertThat(run.conflicts()).isEqualTo(1);
    List<SyncConflict> open = engine.conflicts().open(10);
    assertThat(open).hasSize(1);
    SyncConflict c = engine.conflicts().get(open.get(0).id()).orElseThrow();
    assertThat(c.fields()).extracting(FieldConflict::field).containsExactly("firstName");
    assertThat(c.fields().get(0)).isEqualTo(new FieldConflict("firstName", "Anna", "Annie", "Ana"));
    assertThat(engine.run(SyncMode.DELTA).conflicts()).isZero();
    assertThat(local.require(e.local().id()).firstName()).isEqualTo("Anna");

    engine.conflicts().resolve(c.id(), SyncSide.REMOTE, null, "agent-7");

    assertThat(local.require(e.local().id()).firstName()).isEqualTo("Annie");
    assertThat(local.require(e.local().id()).language()).isEqualTo("de");
    assertThat(engine.conflicts().open(10)).isEmpty();
    assertConverged(engine);
  }

  @Test
  void aManualConflictResolvedWithMergedValuesWritesThemToBothSides() {
    SyncEngine engine = engine(ConflictStrategy.manual());
    Edited e = concurrentEdits(engine);
    engine.run(SyncMode.DELTA);
    SyncConflict c = engine.conflicts().open(10).get(0);

    engine.conflicts().resolve(c.id(), SyncSide.MERGED, Map.of("firstName", "Ann"), "agent-7");

    Customer l = local.require(e.local().id());
    Customer r = remote.require(e.remote().id());
    assertThat(l.firstName()).isEqualTo("Ann");
    assertThat(r.firstName()).isEqualTo("Ann");
    assertThat(r.company()).isEqualTo("Local Co");
    assertThat(l.language()).isEqualTo("de");
    assertConverged(engine);
  }

  @Test
  void aConflictCannotBeResolvedWhileARunHoldsTheLease() {
    SyncEngine engine = engine(ConflictStrategy.manual());
    Edited e = concurrentEdits(engine);
    engine.run(SyncMode.DELTA);
    SyncConflict c = engine.conflicts().open(10).get(0);
    store.acquireLease(KEY, "someone-else", Duration.ofMinutes(1));

    assertThatThrownBy(() -> engine.conflicts().resolve(c.id(), SyncSide.LOCAL, null, "agent-7"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("in progress");
    assertThat(engine.conflicts().open(10)).hasSize(1);
    store.releaseLease(KEY, "someone-else");
    engine.conflicts().resolve(c.id(), SyncSide.LOCAL, null, "agent-7");

    assertThat(remote.require(e.remote().id()).firstName()).isEqualTo("Anna");
    assertThat(engine.conflicts().get(c.id()).orElseThrow().resolution().resolvedBy()).isEqualTo("agent-7");
    assertThatThrownBy(() -> engine.conflicts().resolve(c.id(), SyncSide.LOCAL, null, "agent-8"))
        .isInstanceOf(ConflictException.class);
    assertConverged(engine);
  }

  @Test
  void pushOnlyAndPullOnlyFieldsFlowOneWayAndCustomFieldsAreTransformed() {
    FieldMapping mapping = FieldMapping.defaults().toBuilder()
        .field("company", SyncFlow.PUSH)
        .field("language", SyncFlow.PULL)
        .map("custom.tier", "custom.level", SyncFlow.BIDIRECTIONAL,
            FieldMapping.ValueTransform.of(v -> v == null ? null : v.toUpperCase(), v -> v == null ? null : v.toLowerCase()))
        .build();
    SyncEngine engine = engineBuilder(ConflictStrategy.lastWriteWins()).mapping(mapping).build();
    Customer ana = local.create(CustomerDraft.builder().firstName("Ana").email("ana@example.com")
        .company("Acme").language("fr").customField("tier", "gold").build());

    engine.run(SyncMode.FULL);
    String remoteId = store.mappingByLocalId(KEY, ana.id()).orElseThrow().externalId();
    Customer r = remote.require(remoteId);
    assertThat(r.company()).isEqualTo("Acme");
    assertThat(r.language()).isNull();
    assertThat(r.customFields()).containsEntry("level", "GOLD");

    later(remote, remoteId, CustomerUpdate.builder().company("Other").language("de").build());
    engine.run(SyncMode.DELTA);

    Customer l = local.require(ana.id());
    assertThat(l.company()).isEqualTo("Acme");
    assertThat(l.language()).isEqualTo("de");
  }

  @Test
  void deletionsPropagateBothWays() {
    Customer ana = local.create(person("Ana", "ana@example.com"));
    Customer ben = local.create(person("Ben", "ben@example.com"));
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    String anaRemote = store.mappingByLocalId(KEY, ana.id()).orElseThrow().externalId();
    String benRemote = store.mappingByLocalId(KEY, ben.id()).orElseThrow().externalId();

    local.delete(ana.id());
    remote.delete(benRemote);
    SyncResult run = engine.run(SyncMode.DELTA);

    assertThat(run.deleted()).isEqualTo(2);
    assertThat(remote.require(anaRemote).isDeleted()).isTrue();
    assertThat(local.require(ben.id()).isDeleted()).isTrue();
    assertThat(engine.run(SyncMode.DELTA).deleted()).isZero();
    assertConverged(engine);
  }

  @Test
  void aRemoteMergeBecomesALocalMerge() {
    Customer ana = local.create(person("Ana", "ana@example.com"));
    Customer ann = local.create(person("Ann", "ann@example.com"));
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    String anaRemote = store.mappingByLocalId(KEY, ana.id()).orElseThrow().externalId();
    String annRemote = store.mappingByLocalId(KEY, ann.id()).orElseThrow().externalId();

    clock.advance(Duration.ofSeconds(1));
    remote.merge(anaRemote, annRemote);
    engine.run(SyncMode.DELTA);

    assertThat(local.require(ann.id()).id()).isEqualTo(ana.id());
    assertThat(store.mappingByLocalId(KEY, ann.id())).isEmpty();
    assertConverged(engine);
  }

  @Test
  void webhookEventsDeliveredTwiceAndOutOfOrderConverge() {
    SyncEngine engine = engine(ConflictStrategy.lastWriteWins());
    engine.run(SyncMode.FULL);
    Customer r = remote.create(person("Dee", "dee@example.com"));
    Customer r2 = later(remote, r.id(), CustomerUpdate.builder().company("Dee Inc").build());
    ChangeEvent created = event("e1", ChangeEventType.CREATED, r.id(), r.createdAt());
    ChangeEvent changed = event("e2", ChangeEventType.UPDATED, r.id(), r2.updatedAt());

    SyncResult first = engine.apply(List.of(changed, created, changed));
    SyncResult second = engine.apply(List.of(created));

    assertThat(first.created()).isEqualTo(1);
    assertThat(second.processed()).isZero();
    assertThat(local.findByEmail("dee@example.com").orElseThrow().company()).isEqualTo("Dee Inc");
    assertConverged(engine);
  }

  @Test
  void aWriteTheBackEndGivesNoOutcomeForFailsItsWebhookEventInsteadOfLeavingItPending() {
    CustomerSystem silentLocal = (CustomerSystem) Proxy.newProxyInstance(CustomerSystem.class.getClassLoader(),
        new Class<?>[] {CustomerSystem.class}, (proxy, method, args) -> {
          if (method.getName().equals("bulkWrite")) {
            return List.of();
          }
          try {
            return method.invoke(local, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    SyncEngine engine = engineBuilder(ConflictStrategy.lastWriteWins()).local(silentLocal).build();
    Customer dee = remote.create(person("Dee", "dee@example.com"));

    SyncResult drained = engine.apply(List.of(event("e1", ChangeEventType.CREATED, dee.id(), dee.createdAt())));

    assertThat(drained.failed()).isEqualTo(1);
    assertThat(store.pendingEvents(KEY, 10)).isEmpty();
    assertThat(store.failedEvents(KEY, 10)).singleElement()
        .satisfies(e -> assertThat(e.lastError()).contains("gave no outcome for this write"));
    assertThat(local.findByEmail("dee@example.com")).isEmpty();
  }

  private static ChangeEvent event(String id, ChangeEventType type, String objectId, Instant at) {
    return new ChangeEvent("memory", id, type, type.name(), "contact", objectId, at, null, null, null, 0, null);
  }

  @Test
  void aSecondEngineCannotRunWhileTheLeaseIsHeld() {
    store.acquireLease(KEY, "other-process", Duration.ofMinutes(1));

    assertThatThrownBy(() -> engine(ConflictStrategy.lastWriteWins()).run(SyncMode.DELTA))
        .isInstanceOf(ConflictException.class).hasMessageContaining("shop-1/crm");
  }

  @Test
  void theListenerHearsTheRunAndItsPages() {
    List<String> heard = new ArrayList<>();
    SyncListener listener = new SyncListener() {
      @Override
      public void runStarted(IntegrationKey key, String runId, String kind) {
        heard.add("start " + kind);
      }

      @Override
      public void pageCommitted(IntegrationKey key, String runId, RunCounts countsSoFar) {
        heard.add("page " + countsSoFar.processed());
      }

      @Override
      public void runFinished(IntegrationKey key, SyncResult result) {
        heard.add("end " + result.status());
      }
    };
    for (int i = 0; i < 4; i++) {
      remote.create(person("R" + i, "r" + i + "@example.com"));
    }

    engineBuilder(ConflictStrategy.lastWriteWins()).flow(SyncFlow.PULL).listener(listener).build().run(SyncMode.FULL);

    assertThat(heard).containsExactly("start pull/full", "page 3", "page 4", "end SUCCEEDED");
    assertThat(store.recentRuns(KEY, 1).get(0).counts().created()).isEqualTo(4);
  }

  @Test
  void builderMisuseThrowsTheJavaExceptionNamingTheArgument() {
    assertThatThrownBy(() -> SyncEngine.builder().local(null))
        .isInstanceOf(NullPointerException.class).hasMessage("local");
    assertThatThrownBy(() -> engineBuilder(ConflictStrategy.manual()).flow(null))
        .isInstanceOf(NullPointerException.class).hasMessage("flow");
    assertThatThrownBy(() -> engineBuilder(ConflictStrategy.manual()).remoteBatchSize(1001))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("remoteBatchSize must be 1 to 1000: 1001");
    assertThatThrownBy(() -> engineBuilder(ConflictStrategy.manual()).leaseOwner(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leaseOwner");
    assertThatThrownBy(() -> engineBuilder(ConflictStrategy.manual()).leaseTtl(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leaseTtl");
    assertThatThrownBy(() -> engineBuilder(ConflictStrategy.manual()).webhookObjectTypes(Set.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("webhookObjectTypes");
    assertThatThrownBy(() -> SyncEngine.builder().local(local).remote(remote).store(store).key(KEY)
        .mapping(FieldMapping.defaults()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("strategy");
    assertThatThrownBy(() -> FieldMapping.builder().field("email", null))
        .isInstanceOf(NullPointerException.class).hasMessage("flow");
    assertThatThrownBy(() -> new FieldMapping.Rule("email", "email", SyncFlow.PUSH, null))
        .isInstanceOf(NullPointerException.class).hasMessage("transform");
    assertThatThrownBy(() -> FieldMapping.builder().customField("", "tier"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("localField");
    assertThatThrownBy(() -> FieldMapping.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one field");
  }

  @Test
  void badSettingsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> SyncEngine.builder().local(local).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("remote");
    assertThatThrownBy(() -> engineBuilder(ConflictStrategy.manual()).pageSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pageSize");
    assertThatThrownBy(() -> engineBuilder(ConflictStrategy.manual()).remote(local).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remote");
    assertThatThrownBy(() -> FieldMapping.builder().field("shoeSize"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shoeSize");
    assertThatThrownBy(() -> FieldMapping.builder().field("stats.totalOrders"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flow must be PUSH");
    assertThatThrownBy(() -> FieldMapping.builder().field("email").map("custom.mail", "email",
        SyncFlow.BIDIRECTIONAL, FieldMapping.ValueTransform.identity()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remoteField");
    assertThatThrownBy(() -> engine(ConflictStrategy.manual()).run(null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("mode");
  }

  @Test
  void recordsTheOtherSideRejectsAreLoggedAsRecordErrorsAndTheRunGoesOn() {
    FieldMapping mapping = FieldMapping.defaults().toBuilder().map("custom.tier", "custom.tier",
        SyncFlow.BIDIRECTIONAL, FieldMapping.ValueTransform.of(v -> {
          throw new IllegalArgumentException("no remote tier for " + v);
        }, v -> v)).build();
    local.create(CustomerDraft.builder().firstName("Ana").email("ana@example.com").customField("tier", "x").build());
    local.create(person("Ben", "ben@example.com"));

    SyncResult run = engineBuilder(ConflictStrategy.lastWriteWins()).mapping(mapping).build().run(SyncMode.FULL);

    assertThat(run.status()).isEqualTo(RunStatus.PARTIALLY_FAILED);
    assertThat(run.created()).isEqualTo(1);
    assertThat(run.errors()).singleElement().satisfies(err -> {
      assertThat(err.errorType()).isEqualTo("IllegalArgumentException");
      assertThat(err.side()).isEqualTo(SyncSide.LOCAL);
    });
    assertThat(store.recordErrors(KEY, run.runId())).hasSize(1);
    assertThat(Set.of(run.errors().get(0).recordId())).containsExactly(local.findByEmail("ana@example.com").orElseThrow().id());
  }

  @Test
  void aTransformThatThrowsOnANullValueFailsThatRecordNotTheRun() {
    // A transform written without a null check: toLocal(null) throws a NullPointerException.
    FieldMapping mapping = FieldMapping.defaults().toBuilder().map("custom.tier", "custom.tier",
        SyncFlow.BIDIRECTIONAL, FieldMapping.ValueTransform.of(v -> v.toUpperCase(java.util.Locale.ROOT),
            v -> v.toLowerCase(java.util.Locale.ROOT))).build();
    local.create(CustomerDraft.builder().firstName("Ana").email("ana@example.com").customField("tier", "gold").build());
    Customer ben = local.create(person("Ben", "ben@example.com"));

    SyncResult run = engineBuilder(ConflictStrategy.lastWriteWins()).mapping(mapping).build().run(SyncMode.FULL);

    assertThat(run.status()).isEqualTo(RunStatus.PARTIALLY_FAILED);
    assertThat(run.created()).isEqualTo(1);
    assertThat(remote.findByEmail("ana@example.com").orElseThrow().customFields()).containsEntry("tier", "GOLD");
    assertThat(run.errors()).singleElement().satisfies(err -> {
      assertThat(err.recordId()).isEqualTo(ben.id());
      assertThat(err.errorType()).isEqualTo("ValidationException");
      assertThat(err.message()).contains("custom.tier").contains("NullPointerException");
    });
  }

  @Test
  void theLeaseIsReleasedEvenWhenTheRunCannotBeFinishedInTheStore() {
    SyncStore failingFinish = storeSpy(method -> {
      if (method.equals("finishRun")) {
        throw new dev.crmkit.error.ApiConnectionException("sync store unreachable");
      }
    });
    local.create(person("Ana", "ana@example.com"));

    assertThatThrownBy(() -> engineBuilder(ConflictStrategy.lastWriteWins()).store(failingFinish).build()
        .run(SyncMode.FULL)).hasMessageContaining("sync store unreachable");

    assertThat(store.acquireLease(KEY, "next-run", Duration.ofMinutes(1))).isPresent();
  }

  @Test
  void aFullPushLooksUpTheCreatedRecordsMappingsInOneBatchPerPageNotOneByOne() {
    java.util.concurrent.atomic.AtomicInteger singleLookups = new java.util.concurrent.atomic.AtomicInteger();
    SyncStore counting = storeSpy(method -> {
      if (method.equals("mappingByLocalId") || method.equals("mappingByExternalId")) {
        singleLookups.incrementAndGet();
      }
    });
    for (int i = 0; i < 5; i++) {
      local.create(person("P" + i, "p" + i + "@example.com"));
    }

    SyncResult run = engineBuilder(ConflictStrategy.lastWriteWins()).store(counting).build().run(SyncMode.FULL);

    assertThat(run.created()).isEqualTo(5);
    assertThat(singleLookups).hasValue(0);
    assertConverged(engine(ConflictStrategy.lastWriteWins()));
  }

  /** {@link #store} behind a proxy that shows {@code before} each method's name first; it may throw. */
  private SyncStore storeSpy(java.util.function.Consumer<String> before) {
    return (SyncStore) Proxy.newProxyInstance(SyncStore.class.getClassLoader(), new Class<?>[] {SyncStore.class},
        (proxy, method, args) -> {
          before.accept(method.getName());
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
