package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealStage;
import dev.crmkit.DealStatus;
import dev.crmkit.DealUpdate;
import dev.crmkit.MergeResult;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.jdbc.internal.Dialect;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deals and idempotent notes on the native store, run on each database by a subclass: every field
 * stored and read back at its limits, idempotency keys under concurrency, merges, per-tenant pipelines
 * and tenant isolation. Every test works in fresh tenants of one schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NativeDealsContract {
  private static final int THREADS = 8;

  private final TickingClock clock = new TickingClock(Instant.parse("2025-03-01T10:00:00Z"));
  private DataSource dataSource;
  private ExecutorService pool;
  private NativeCustomerSystem crm;

  /** A data source on an empty database (or schema) of this name, made afresh for this run. */
  abstract DataSource freshDatabase(String name);

  @BeforeAll
  void installSchema() {
    dataSource = freshDatabase("crmkit_deals_test");
    NativeSchema.migrate(dataSource);
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterAll
  void stopThreads() {
    pool.shutdownNow();
  }

  @BeforeEach
  void openFreshTenant() {
    crm = open("tenant-" + UUID.randomUUID());
  }

  private NativeCustomerSystem open(String tenantId) {
    return NativeCustomerSystem.open(dataSource, tenantId, clock, PhoneNumbers.forRegion("US"));
  }

  private CustomerSystem openWithSettings(String tenantId, Map<String, String> settings) {
    TenantConfig.Builder config = TenantConfig.builder(tenantId, "native").setting("migrate", "false");
    settings.forEach(config::setting);
    return new NativeCustomerSystemProvider().create(
        new ProviderContext(config.build(), clock, Map.of(DataSource.class, dataSource)));
  }

  private Customer customer(CustomerSystem system, String name) {
    return system.create(CustomerDraft.builder().firstName(name).build());
  }

  private static List<Deal> all(Page<Deal> first) {
    List<Deal> out = new ArrayList<>();
    first.autoPaging().forEach(out::add);
    return out;
  }

  private static void assertNames(ValidationException e, String field, String... inMessage) {
    assertThat(e.provider()).isEqualTo("native");
    assertThat(e.fieldErrors()).extracting(FieldError::field).contains(field);
    FieldError error = e.fieldErrors().stream().filter(f -> f.field().equals(field)).findFirst().orElseThrow();
    for (String part : inMessage) {
      assertThat(error.message() + " " + error.value()).contains(part);
    }
  }

  // --- create, get, update, list

  @Test
  void declaresDealsAndTheDefaultPipeline() {
    assertThat(crm.capabilities()).contains(Capability.DEALS)
        .isEqualTo(NativeCustomerSystemProvider.DESCRIPTOR.features());
    assertThat(crm.pipelines()).containsExactly(Pipeline.DEFAULT);
  }

  @Test
  void createStoresEveryFieldAndGetReadsItBack() {
    Customer ada = customer(crm, "Ada");

    Deal created = crm.createDeal(ada.id(), DealDraft.builder("  Engine order  ").amount(Money.of("1234.5", "EUR"))
        .stageId("qualified").expectedCloseDate(LocalDate.of(2025, 6, 30)).owner(" grace ")
        .customField("source", "web").customField("priority", "high").build());

    assertThat(created.customerId()).isEqualTo(ada.id());
    assertThat(created.title()).isEqualTo("Engine order");
    assertThat(created.amount()).isEqualTo(Money.of("1234.50", "EUR"));
    assertThat(created.pipelineId()).isEqualTo("default");
    assertThat(created.stageId()).isEqualTo("qualified");
    assertThat(created.status()).isEqualTo(DealStatus.OPEN);
    assertThat(created.expectedCloseDate()).isEqualTo(LocalDate.of(2025, 6, 30));
    assertThat(created.owner()).isEqualTo("grace");
    assertThat(created.customFields()).isEqualTo(Map.of("source", "web", "priority", "high"));
    assertThat(created.createdAt()).isEqualTo(created.updatedAt());
    assertThat(crm.getDeal(created.id())).contains(created);
  }

  @Test
  void aDraftWithoutPipelineOrStageStartsInTheFirstOpenStageOfTheFirstPipeline() {
    Customer ada = customer(crm, "Ada");

    Deal d = crm.createDeal(ada.id(), DealDraft.builder("Minimal").build());

    assertThat(d.pipelineId()).isEqualTo("default");
    assertThat(d.stageId()).isEqualTo("lead");
    assertThat(d.status()).isEqualTo(DealStatus.OPEN);
    assertThat(d.amount()).isNull();
    assertThat(d.expectedCloseDate()).isNull();
    assertThat(d.owner()).isNull();
    assertThat(d.customFields()).isEmpty();
    assertThat(crm.getDeal(d.id())).contains(d);
  }

  @Test
  void everyValueAtItsLimitFitsItsColumn() {
    String longId = "s".repeat(255);
    String pipelines = "p" + "x".repeat(254) + "=" + "L".repeat(255) + ": " + longId
        + "=Open, won=Won!won, lost=Lost!lost";
    CustomerSystem system = openWithSettings("tenant-" + UUID.randomUUID(), Map.of(Pipeline.SETTING, pipelines));
    Customer ada = customer(system, "Ada");
    String title = "é".repeat(255);
    String fieldName = "f" + "x".repeat(63);

    Deal created = system.createDeal(ada.id(), DealDraft.builder(title)
        .amount(new Money(new BigDecimal("999999999999999.9999"), Money.currency("USD")))
        .stageId(longId).expectedCloseDate(LocalDate.of(1, 1, 1)).owner("ø".repeat(255))
        .customField(fieldName, "v".repeat(65_536)).idempotencyKey("k".repeat(200)).build());
    Deal later = system.createDeal(ada.id(), DealDraft.builder("😀".repeat(127))
        .amount(Money.of("0.0001", "BHD")).expectedCloseDate(LocalDate.of(9999, 12, 31)).build());

    Deal read = system.getDeal(created.id()).orElseThrow();
    assertThat(read).isEqualTo(created);
    assertThat(read.amount().amount()).isEqualByComparingTo("999999999999999.9999");
    assertThat(read.pipelineId()).hasSize(255);
    assertThat(read.stageId()).isEqualTo(longId);
    assertThat(read.customFields().get(fieldName)).hasSize(65_536);
    assertThat(system.getDeal(later.id())).contains(later);
    assertThat(later.amount()).isEqualTo(Money.of("0.0001", "BHD"));
    assertThat(later.expectedCloseDate()).isEqualTo(LocalDate.of(9999, 12, 31));
  }

  @Test
  void amountsAndTextBeyondTheColumnsAreRejectedBeforeAnythingIsWritten() {
    Customer ada = customer(crm, "Ada");

    assertThatThrownBy(() -> DealDraft.builder("Big").amount(Money.of("1000000000000000", "USD")).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
            .extracting(FieldError::field).containsExactly("amount"));
    assertThatThrownBy(() -> DealDraft.builder("Fine").amount(Money.of("1.00001", "USD")).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
            .extracting(FieldError::field).containsExactly("amount"));
    assertThatThrownBy(() -> DealDraft.builder("x".repeat(256)).owner("o".repeat(256)).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
            .extracting(FieldError::field).containsExactlyInAnyOrder("title", "owner"));
    assertThatThrownBy(() -> DealUpdate.builder().amount(Money.of("-1", "USD")).build())
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> crm.createDeal(ada.id(), null))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertNames(e, "deal"));
    assertThat(crm.listDeals(ada.id(), PageRequest.first()).items()).isEmpty();
  }

  @Test
  void anAmountWithTrailingZerosPastFourPlacesIsStoredExactly() {
    Customer ada = customer(crm, "Ada");

    Deal d = crm.createDeal(ada.id(), DealDraft.builder("Zeros").amount(Money.of("12.500000", "USD")).build());

    assertThat(crm.getDeal(d.id()).orElseThrow().amount()).isEqualTo(Money.of("12.50", "USD"));
  }

  @Test
  void updateSetsClearsAndLeavesEachFieldAndKeepsCreatedAt() {
    Customer ada = customer(crm, "Ada");
    Deal d = crm.createDeal(ada.id(), DealDraft.builder("Engine").amount(Money.of("10", "USD")).owner("grace")
        .expectedCloseDate(LocalDate.of(2025, 1, 1)).customField("keep", "1").customField("drop", "2")
        .customField("change", "3").build());

    Deal updated = crm.updateDeal(d.id(), DealUpdate.builder().title("Engine v2").amount(null).owner(null)
        .stageId("proposal").customField("drop", null).customField("change", "33").customField("add", "4").build());

    assertThat(updated.title()).isEqualTo("Engine v2");
    assertThat(updated.amount()).isNull();
    assertThat(updated.owner()).isNull();
    assertThat(updated.expectedCloseDate()).isEqualTo(LocalDate.of(2025, 1, 1));
    assertThat(updated.stageId()).isEqualTo("proposal");
    assertThat(updated.status()).isEqualTo(DealStatus.OPEN);
    assertThat(updated.customFields()).isEqualTo(Map.of("keep", "1", "change", "33", "add", "4"));
    assertThat(updated.createdAt()).isEqualTo(d.createdAt());
    assertThat(updated.updatedAt()).isAfter(d.updatedAt());
    assertThat(updated.customerId()).isEqualTo(ada.id());
    assertThat(crm.getDeal(d.id())).contains(updated);
  }

  @Test
  void aStageSetsTheStatusAndAStatusAloneMovesToItsFirstStage() {
    Customer ada = customer(crm, "Ada");
    Deal d = crm.createDeal(ada.id(), DealDraft.builder("Engine").build());

    Deal won = crm.updateDeal(d.id(), DealUpdate.builder().stageId("won").build());
    Deal lost = crm.updateDeal(d.id(), DealUpdate.builder().status(DealStatus.LOST).build());
    Deal reopened = crm.updateDeal(d.id(), DealUpdate.builder().status(DealStatus.OPEN).build());

    assertThat(won.status()).isEqualTo(DealStatus.WON);
    assertThat(lost.stageId()).isEqualTo("lost");
    assertThat(lost.status()).isEqualTo(DealStatus.LOST);
    assertThat(reopened.stageId()).isEqualTo("lead");
    assertThat(crm.getDeal(d.id())).contains(reopened);
  }

  @Test
  void anEmptyUpdateChangesNothing() {
    Customer ada = customer(crm, "Ada");
    Deal d = crm.createDeal(ada.id(), DealDraft.builder("Engine").build());

    assertThat(crm.updateDeal(d.id(), DealUpdate.builder().build())).isEqualTo(d);
    assertThat(crm.getDeal(d.id())).contains(d);
  }

  @Test
  void aStageOrPipelineTheTenantLacksIsRefusedNamingTheFieldAndNothingIsWritten() {
    Customer ada = customer(crm, "Ada");

    assertThatThrownBy(() -> crm.createDeal(ada.id(), DealDraft.builder("Engine").stageId("negotiation").build()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertNames(e, "stageId", "negotiation", "lead, qualified, proposal, won, lost"));
    assertThatThrownBy(() -> crm.createDeal(ada.id(), DealDraft.builder("Engine").pipelineId("repairs").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertNames(e, "pipelineId", "repairs", "default"));
    assertThat(crm.listDeals(ada.id(), PageRequest.first()).items()).isEmpty();

    Deal d = crm.createDeal(ada.id(), DealDraft.builder("Engine").build());
    assertThatThrownBy(() -> crm.updateDeal(d.id(), DealUpdate.builder().stageId("closedwon").title("new").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertNames(e, "stageId", "closedwon"));
    assertThatThrownBy(() -> crm.updateDeal(d.id(),
        DealUpdate.builder().stageId("won").status(DealStatus.LOST).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertNames(e, "status", "won"));
    assertThat(crm.getDeal(d.id())).contains(d);
  }

  @Test
  void unknownCustomersAndDealsAreNotFound() {
    assertThatThrownBy(() -> crm.createDeal("no-such-customer", DealDraft.builder("Engine").build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> crm.listDeals("no-such-customer", PageRequest.first()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> crm.updateDeal("no-such-deal", DealUpdate.builder().title("x").build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> crm.updateDeal("no-such-deal", DealUpdate.builder().build()))
        .isInstanceOf(NotFoundException.class);
    assertThat(crm.getDeal("no-such-deal")).isEmpty();
    assertThat(crm.getDeal(" ")).isEmpty();
    assertThat(crm.getDeal(null)).isEmpty();
  }

  @Test
  void listsACustomersDealsNewestFirstPageByPage() {
    Customer ada = customer(crm, "Ada");
    Customer bob = customer(crm, "Bob");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(crm.createDeal(ada.id(), DealDraft.builder("Deal " + i).build()).id());
    }
    crm.createDeal(bob.id(), DealDraft.builder("Bob's").build());

    Page<Deal> first = crm.listDeals(ada.id(), new PageRequest(2, null));

    assertThat(first.items()).extracting(Deal::id).containsExactly(created.get(4), created.get(3));
    assertThat(first.nextCursor()).isNotNull();
    List<String> newestFirst = new ArrayList<>(created);
    Collections.reverse(newestFirst);
    assertThat(all(first)).extracting(Deal::id).containsExactlyElementsOf(newestFirst);
    assertThat(crm.listDeals(bob.id(), null).items()).extracting(Deal::title).containsExactly("Bob's");
    assertThatThrownBy(() -> crm.listDeals(ada.id(), new PageRequest(2, "not-a-cursor")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertNames(e, "cursor"));
  }

  // --- idempotency keys

  @Test
  void aSecondCreateWithTheSameKeyReturnsTheFirstDealAndWritesNothing() {
    Customer ada = customer(crm, "Ada");
    Customer bob = customer(crm, "Bob");
    Deal first = crm.createDeal(ada.id(), DealDraft.builder("Engine").idempotencyKey("evt:A-17:deal").build());

    Deal again = crm.createDeal(bob.id(), DealDraft.builder("Other title").stageId("won")
        .idempotencyKey("evt:A-17:deal").build());

    assertThat(again).isEqualTo(first);
    assertThat(crm.listDeals(ada.id(), null).items()).containsExactly(first);
    assertThat(crm.listDeals(bob.id(), null).items()).isEmpty();
  }

  @Test
  void idempotencyKeysCompareExactly() {
    Customer ada = customer(crm, "Ada");

    Set<String> ids = List.of("evt-1", "evt-1 ", "EVT-1", "evt-1\t").stream()
        .map(k -> crm.createDeal(ada.id(), DealDraft.builder("Engine").idempotencyKey(k).build()).id())
        .collect(Collectors.toSet());
    Set<String> noteIds = List.of("n-1", "n-1 ", "N-1").stream()
        .map(k -> crm.addNote(ada.id(), NoteDraft.of("hello").withIdempotencyKey(k)).id())
        .collect(Collectors.toSet());

    assertThat(ids).hasSize(4);
    assertThat(noteIds).hasSize(3);
    assertThat(crm.listDeals(ada.id(), null).items()).hasSize(4);
  }

  @Test
  void concurrentCreatesWithOneKeyStoreOneDeal() throws Exception {
    for (int round = 0; round < 3; round++) {
      Customer ada = customer(crm, "Ada" + round);
      Customer bob = customer(crm, "Bob" + round);
      String key = "evt:race-" + round;
      List<Deal> results = race(i -> crm.createDeal(i % 2 == 0 ? ada.id() : bob.id(),
          DealDraft.builder("Racer " + i).idempotencyKey(key).build()));

      assertThat(results.stream().map(Deal::id).distinct()).hasSize(1);
      Deal winner = results.get(0);
      assertThat(results).allMatch(winner::equals);
      int stored = crm.listDeals(ada.id(), null).items().size() + crm.listDeals(bob.id(), null).items().size();
      assertThat(stored).isEqualTo(1);
      assertThat(crm.getDeal(winner.id())).contains(winner);
    }
  }

  @Test
  void concurrentNotesWithOneKeyStoreOneNote() throws Exception {
    Customer ada = customer(crm, "Ada");

    List<CustomerNote> results = race(i -> crm.addNote(ada.id(),
        new NoteDraft("note " + i, "thread-" + i, null, "evt:note-race")));

    assertThat(results.stream().map(CustomerNote::id).distinct()).hasSize(1);
    assertThat(crm.listNotes(ada.id(), null).items()).containsExactly(results.get(0));
  }

  @Test
  void aNoteWithAKeyTheTenantUsedReturnsTheEarlierNote() {
    Customer ada = customer(crm, "Ada");
    CustomerNote first = crm.addNote(ada.id(), NoteDraft.of("first").withIdempotencyKey("evt:9:note"));

    CustomerNote again = crm.addNote(ada.id(), NoteDraft.of("second").withIdempotencyKey("evt:9:note"));
    CustomerNote unkeyed = crm.addNote(ada.id(), NoteDraft.of("first"));

    assertThat(again).isEqualTo(first);
    assertThat(unkeyed.id()).isNotEqualTo(first.id());
    assertThat(crm.listNotes(ada.id(), null).items()).extracting(CustomerNote::id)
        .containsExactly(unkeyed.id(), first.id());
  }

  @Test
  void concurrentUpdatesOfOneDealApplyOneAfterAnother() throws Exception {
    Customer ada = customer(crm, "Ada");
    Deal d = crm.createDeal(ada.id(), DealDraft.builder("Engine").build());

    race(i -> crm.updateDeal(d.id(), DealUpdate.builder().title("t" + i).customField("lastWriter", "t" + i)
        .customField("writer" + i, "yes").build()));

    Deal after = crm.getDeal(d.id()).orElseThrow();
    assertThat(after.customFields().get("lastWriter")).isEqualTo(after.title());
    for (int i = 0; i < THREADS; i++) {
      assertThat(after.customFields()).containsEntry("writer" + i, "yes");
    }
  }

  /** Runs {@link #THREADS} calls at once (released together) and returns their results. */
  private <T> List<T> race(IndexedCall<T> call) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int n = i;
      Callable<T> task = () -> {
        start.await();
        return call.run(n);
      };
      futures.add(pool.submit(task));
    }
    start.countDown();
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) {
      out.add(f.get());
    }
    return out;
  }

  @FunctionalInterface
  private interface IndexedCall<T> {
    T run(int index);
  }

  // --- merges, deletes, pipelines, tenants

  @Test
  void mergingMovesTheMergedCustomersDealsToTheSurvivor() {
    Customer ada = customer(crm, "Ada");
    Customer dup = customer(crm, "Ada again");
    Deal kept = crm.createDeal(ada.id(), DealDraft.builder("Ada's").build());
    Deal moved = crm.createDeal(dup.id(), DealDraft.builder("Dup's").customField("x", "1").build());

    MergeResult result = crm.merge(ada.id(), dup.id());

    assertThat(result.survivor().id()).isEqualTo(ada.id());
    Deal after = crm.getDeal(moved.id()).orElseThrow();
    assertThat(after.customerId()).isEqualTo(ada.id());
    assertThat(after.customFields()).isEqualTo(Map.of("x", "1"));
    assertThat(after.updatedAt()).isAfter(moved.updatedAt());
    assertThat(crm.listDeals(ada.id(), null).items()).extracting(Deal::id).containsExactly(moved.id(), kept.id());
    assertThat(crm.listDeals(dup.id(), null).items()).extracting(Deal::id).containsExactly(moved.id(), kept.id());
    assertThat(crm.createDeal(dup.id(), DealDraft.builder("Via old id").build()).customerId()).isEqualTo(ada.id());
  }

  @Test
  void dealsCreatedWhileTheCustomerIsMergedAwayEndOnTheSurvivor() throws Exception {
    for (int round = 0; round < 3; round++) {
      Customer ada = customer(crm, "Ada" + round);
      Customer dup = customer(crm, "Dup" + round);

      race(i -> i == 0 ? crm.merge(ada.id(), dup.id())
          : crm.createDeal(dup.id(), DealDraft.builder("Racer " + i).build()));

      List<Deal> survivors = all(crm.listDeals(ada.id(), PageRequest.first(3)));
      assertThat(survivors).hasSize(THREADS - 1).allMatch(d -> d.customerId().equals(ada.id()));
    }
  }

  @Test
  void deletingACustomerKeepsItsDealsAsItKeepsItsNotes() {
    Customer ada = customer(crm, "Ada");
    Deal d = crm.createDeal(ada.id(), DealDraft.builder("Engine").build());

    crm.delete(ada.id());

    assertThat(crm.getDeal(d.id())).contains(d);
    assertThat(crm.listDeals(ada.id(), null).items()).containsExactly(d);
  }

  @Test
  void eachTenantHasThePipelinesOfItsSetting() {
    String repairs = "repairs=Repairs: booked=Booked, done=Done!won, cancelled=Cancelled!lost;"
        + " default=Sales: lead=Lead, won=Won!won, lost=Lost!lost";
    CustomerSystem shop = openWithSettings("tenant-" + UUID.randomUUID(), Map.of(Pipeline.SETTING, repairs));
    CustomerSystem plain = openWithSettings("tenant-" + UUID.randomUUID(), Map.of());
    Customer a = customer(shop, "Ada");
    Customer b = customer(plain, "Bob");

    Deal booked = shop.createDeal(a.id(), DealDraft.builder("Fix").build());
    Deal done = shop.updateDeal(booked.id(), DealUpdate.builder().status(DealStatus.WON).build());

    assertThat(shop.pipelines()).isEqualTo(Pipeline.parse(repairs));
    assertThat(shop.pipelines().get(0).stages()).extracting(DealStage::id)
        .containsExactly("booked", "done", "cancelled");
    assertThat(plain.pipelines()).containsExactly(Pipeline.DEFAULT);
    assertThat(booked.pipelineId()).isEqualTo("repairs");
    assertThat(booked.stageId()).isEqualTo("booked");
    assertThat(done.stageId()).isEqualTo("done");
    assertThat(shop.updateDeal(booked.id(), DealUpdate.builder().pipelineId("default").build()).stageId())
        .isEqualTo("lead");
    assertThatThrownBy(() -> shop.createDeal(a.id(), DealDraft.builder("Fix").stageId("qualified").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertNames(e, "stageId", "qualified"));
    assertThat(plain.createDeal(b.id(), DealDraft.builder("Sell").stageId("qualified").build()).stageId())
        .isEqualTo("qualified");
    assertThatThrownBy(() -> plain.createDeal(b.id(), DealDraft.builder("Sell").stageId("booked").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertNames(e, "stageId", "booked"));
  }

  @Test
  void aDealKeepsAPipelineTheTenantHasSinceRemovedUntilAnUpdateMovesIt() {
    String tenant = "tenant-" + UUID.randomUUID();
    CustomerSystem before = openWithSettings(tenant, Map.of(Pipeline.SETTING,
        "repairs=Repairs: booked=Booked, done=Done!won, cancelled=Cancelled!lost"));
    Customer ada = customer(before, "Ada");
    Deal d = before.createDeal(ada.id(), DealDraft.builder("Fix").build());
    CustomerSystem after = openWithSettings(tenant, Map.of());

    Deal renamed = after.updateDeal(d.id(), DealUpdate.builder().title("Fix it").build());

    assertThat(after.getDeal(d.id())).contains(renamed);
    assertThat(renamed.pipelineId()).isEqualTo("repairs");
    assertThat(renamed.stageId()).isEqualTo("booked");
    assertThatThrownBy(() -> after.updateDeal(d.id(), DealUpdate.builder().stageId("done").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertNames(e, "pipelineId", "repairs"));
    Deal moved = after.updateDeal(d.id(), DealUpdate.builder().pipelineId("default").build());
    assertThat(moved.pipelineId()).isEqualTo("default");
    assertThat(moved.stageId()).isEqualTo("lead");
  }

  @Test
  void aMalformedPipelineSettingFailsCreationNamingTheTenantAndSetting() {
    assertThatThrownBy(() -> openWithSettings("tenant-bad", Map.of(Pipeline.SETTING, "sales=Sales: a=A, b=B")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tenant-bad").hasMessageContaining(Pipeline.SETTING);
  }

  @Test
  void openRefusesEmptyOrRepeatedPipelines() {
    assertThatThrownBy(() -> NativeCustomerSystem.open(dataSource, "t", clock, PhoneNumbers.forRegion("US"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pipelines");
    assertThatThrownBy(() -> NativeCustomerSystem.open(dataSource, "t", clock, PhoneNumbers.forRegion("US"),
        List.of(Pipeline.DEFAULT, Pipeline.DEFAULT)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default");
    assertThatThrownBy(() -> NativeCustomerSystem.open(dataSource, "t", clock, PhoneNumbers.forRegion("US"), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("pipelines");
  }

  @Test
  void tenantsSeeOnlyTheirOwnDealsAndKeys() {
    String tenant = "tenant-" + UUID.randomUUID();
    NativeCustomerSystem mine = open(tenant);
    NativeCustomerSystem other = open(tenant.toUpperCase(java.util.Locale.ROOT));
    Customer ada = customer(mine, "Ada");
    Customer eve = customer(other, "Eve");
    Deal d = mine.createDeal(ada.id(), DealDraft.builder("Mine").idempotencyKey("evt:1").build());
    CustomerNote n = mine.addNote(ada.id(), NoteDraft.of("mine").withIdempotencyKey("evt:1:note"));

    Deal theirs = other.createDeal(eve.id(), DealDraft.builder("Theirs").idempotencyKey("evt:1").build());
    CustomerNote theirNote = other.addNote(eve.id(), NoteDraft.of("theirs").withIdempotencyKey("evt:1:note"));

    assertThat(theirs.id()).isNotEqualTo(d.id());
    assertThat(theirNote.id()).isNotEqualTo(n.id());
    assertThat(other.getDeal(d.id())).isEmpty();
    assertThatThrownBy(() -> other.updateDeal(d.id(), DealUpdate.builder().title("stolen").build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> other.listDeals(ada.id(), null)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> other.createDeal(ada.id(), DealDraft.builder("x").build()))
        .isInstanceOf(NotFoundException.class);
    assertThat(mine.getDeal(d.id())).contains(d);
    assertThat(mine.listDeals(ada.id(), null).items()).containsExactly(d);
  }

  // --- upgrade path

  @Test
  void migratingADatabaseAtVersion3KeepsItsDataAndAddsDealsAndNoteKeys() throws Exception {
    DataSource old = freshDatabase("crmkit_upgrade_test");
    Dialect dialect;
    String collation;
    try (Connection c = old.getConnection()) {
      dialect = Dialect.of(c.getMetaData());
      collation = dialect.noPadBinaryCollation(c.getMetaData());
    }
    Flyway.configure(getClass().getClassLoader()).dataSource(old).locations("classpath:db/crmkit/" + dialect.folder())
        .table(NativeSchema.HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0")
        .placeholders(collation == null ? Map.of() : Map.of(NativeSchema.COLLATION_PLACEHOLDER, collation))
        .target("3").load().migrate();
    NativeCustomerSystem oldStore = NativeCustomerSystem.open(old, "tenant-old", clock, PhoneNumbers.forRegion("US"));
    Customer ada = oldStore.create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").build());
    CustomerActivity call = oldStore.addActivity(ada.id(), new ActivityDraft(ActivityType.CALL, null, "called", null,
        Map.of("minutes", "3"), "evt:call-1"));
    try (Connection c = old.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO crm_notes (tenant_id, id, customer_id, content,"
            + " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, "tenant-old");
      ps.setString(2, "note-from-v3");
      ps.setString(3, ada.id());
      ps.setString(4, "written at version 3");
      ps.setString(5, "grace");
      ps.setLong(6, Instant.parse("2025-02-01T00:00:00Z").toEpochMilli());
      ps.executeUpdate();
    }

    int applied = NativeSchema.migrate(old);

    assertThat(applied).isEqualTo(dialect == Dialect.MARIADB ? 2 : 1);
    // Flyway quotes its lower-case names on H2, where unquoted ones fold to upper case.
    String q = dialect == Dialect.H2 ? "\"" : "";
    try (Connection c = old.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + q + "version" + q + ", " + q + "success" + q + " FROM " + q
            + NativeSchema.HISTORY_TABLE + q + " WHERE " + q + "description" + q + " = 'crmkit deals'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(dialect == Dialect.MARIADB ? "4.1" : "4");
      assertThat(rs.getBoolean(2)).isTrue();
    }
    assertThat(oldStore.get(ada.id())).contains(ada);
    assertThat(oldStore.listActivities(ada.id(), null).items()).containsExactly(call);
    assertThat(oldStore.listNotes(ada.id(), null).items()).extracting(CustomerNote::id, CustomerNote::content)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("note-from-v3", "written at version 3"));
    CustomerNote keyed = oldStore.addNote(ada.id(), NoteDraft.of("keyed").withIdempotencyKey("evt:n"));
    assertThat(oldStore.addNote(ada.id(), NoteDraft.of("again").withIdempotencyKey("evt:n"))).isEqualTo(keyed);
    oldStore.addNote(ada.id(), NoteDraft.of("unkeyed"));
    oldStore.addNote(ada.id(), NoteDraft.of("unkeyed too"));
    Deal d = oldStore.createDeal(ada.id(), DealDraft.builder("After the upgrade").idempotencyKey("evt:d").build());
    assertThat(oldStore.createDeal(ada.id(), DealDraft.builder("Twice").idempotencyKey("evt:d").build())).isEqualTo(d);
    assertThat(oldStore.listNotes(ada.id(), null).items()).hasSize(4);
    assertThat(oldStore.listDeals(ada.id(), null).items()).containsExactly(d);
    assertThat(NativeSchema.migrate(old)).isZero();
  }
}
