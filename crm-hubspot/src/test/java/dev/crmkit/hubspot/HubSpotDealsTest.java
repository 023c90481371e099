package dev.crmkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Capability;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealStage;
import dev.crmkit.DealStatus;
import dev.crmkit.DealUpdate;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ServerException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.Sleeper;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.hubspot.HubSpotCounters;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deals and keyed notes of {@link HubSpotCustomerSystem} against the {@link HubSpotEmulator}. */
class HubSpotDealsTest {
  private static final Instant START = Instant.parse("2025-03-14T09:26:53Z");

  private final MutableClock clock = new MutableClock(START);
  private final HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).rateLimits(false)
      .dealCurrencies("EUR", "USD").build();
  private final HubSpotCustomerSystemProvider provider = new HubSpotCustomerSystemProvider();
  private final CustomerSystem system = open(Map.of(HubSpotCustomerSystemProvider.DEAL_CUSTOM_FIELD_PREFIX + "source",
      "crmkit_source", HubSpotCustomerSystemProvider.DEAL_CURRENCY, "EUR"));
  private final String ada = emulator.seedContact(Map.of("email", "ada@example.com", "firstname", "Ada"));

  @AfterEach
  void close() {
    emulator.close();
  }

  private CustomerSystem open(Map<String, String> settings) {
    TenantConfig.Builder c = TenantConfig.builder("t1", "hubspot")
        .credential(HubSpotCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(HubSpotCustomerSystemProvider.BASE_URL, emulator.baseUrl())
        .setting(HubSpotCustomerSystemProvider.PROACTIVE_RATE_LIMITING, "false");
    settings.forEach(c::setting);
    return provider.create(new ProviderContext(c.build(), clock, Map.of(Sleeper.class, (Sleeper) clock::advance)));
  }

  @Test
  void declaresDealsAndAsksForTheDealScopes() {
    assertThat(system.capabilities()).contains(Capability.DEALS);
    assertThat(HubSpotCustomerSystemProvider.DESCRIPTOR.toString()).contains("crm.objects.deals.read",
        "crm.objects.deals.write");
  }

  @Test
  void pipelinesMapHubSpotsDefaultStagesToStatusesAndAreCachedForAMinute() {
    List<Pipeline> pipelines = system.pipelines();

    assertThat(pipelines).hasSize(1);
    Pipeline p = pipelines.get(0);
    assertThat(p.id()).isEqualTo("default");
    assertThat(p.label()).isEqualTo("Sales Pipeline");
    assertThat(p.stages()).extracting(DealStage::id).containsExactly("appointmentscheduled", "qualifiedtobuy",
        "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost");
    assertThat(p.stages()).extracting(DealStage::status).containsExactly(DealStatus.OPEN, DealStatus.OPEN,
        DealStatus.OPEN, DealStatus.OPEN, DealStatus.OPEN, DealStatus.WON, DealStatus.LOST);
    assertThat(p.stage("decisionmakerboughtin")).map(DealStage::label).contains("Decision Maker Bought-In");

    emulator.addDealPipeline(new Pipeline("repairs", "Repairs", List.of(DealStage.open("booked", "Booked"),
        new DealStage("done", "Done", DealStatus.WON), new DealStage("cancelled", "Cancelled", DealStatus.LOST))));
    system.pipelines();
    assertThat(emulator.counters().requests(HubSpotCounters.PIPELINES)).as("cached").isEqualTo(1);

    clock.advance(Duration.ofSeconds(61));
    assertThat(system.pipelines()).extracting(Pipeline::id).containsExactly("default", "repairs");
    assertThat(emulator.counters().requests(HubSpotCounters.PIPELINES)).isEqualTo(2);
  }

  @Test
  void createStoresEveryFieldAssociatedToTheContactAndReadsItBack() {
    Deal deal = system.createDeal(ada, DealDraft.builder("Spring order").amount(Money.of("1200.5", "USD"))
        .stageId("qualifiedtobuy").expectedCloseDate(LocalDate.of(2025, 4, 30)).owner("101")
        .customField("source", "whatsapp").build());

    assertThat(deal.customerId()).isEqualTo(ada);
    assertThat(deal.pipelineId()).isEqualTo("default");
    assertThat(deal.stageId()).isEqualTo("qualifiedtobuy");
    assertThat(deal.status()).isEqualTo(DealStatus.OPEN);
    assertThat(deal.amount()).isEqualTo(new Money(new BigDecimal("1200.5"), Money.currency("USD")));
    assertThat(deal.expectedCloseDate()).isEqualTo(LocalDate.of(2025, 4, 30));
    assertThat(deal.owner()).isEqualTo("101");
    assertThat(deal.customFields()).containsExactly(Map.entry("source", "whatsapp"));
    assertThat(deal.createdAt()).isEqualTo(START);
    assertThat(emulator.dealContactIds(deal.id())).containsExactly(ada);
    assertThat(emulator.dealProperties(deal.id()).orElseThrow()).containsEntry("dealname", "Spring order")
        .containsEntry("amount", "1200.5").containsEntry("deal_currency_code", "USD")
        .containsEntry("dealstage", "qualifiedtobuy").containsEntry("pipeline", "default")
        .containsEntry("closedate", "2025-04-30T00:00:00Z").containsEntry("hubspot_owner_id", "101")
        .containsEntry("crmkit_source", "whatsapp");
    assertThat(system.getDeal(deal.id())).contains(deal);
  }

  @Test
  void aDraftWithoutPipelineOrStageGoesToTheFirstOpenStage() {
    Deal deal = system.createDeal(ada, DealDraft.builder("Walk-in").build());

    assertThat(deal.pipelineId()).isEqualTo("default");
    assertThat(deal.stageId()).isEqualTo("appointmentscheduled");
    assertThat(deal.amount()).isNull();
    assertThat(deal.owner()).isNull();
  }

  @Test
  void anAmountWithoutCurrencyCodeIsInTheTenantsDealCurrency() {
    String id = emulator.seedDeal(Map.of("dealname", "Old", "dealstage", "closedwon", "amount", "80"), ada);

    Deal deal = system.getDeal(id).orElseThrow();

    assertThat(deal.amount()).isEqualTo(Money.of("80", "EUR"));
    assertThat(deal.status()).isEqualTo(DealStatus.WON);
  }

  @Test
  void aCurrencyTheAccountDoesNotHaveIsHubSpotsValidationError() {
    assertThatThrownBy(() -> system.createDeal(ada, DealDraft.builder("x").amount(Money.of("5", "JPY")).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors())
            .extracting(FieldError::field).contains("deal_currency_code"));
    assertThat(emulator.liveDealCount()).isZero();
  }

  @Test
  void anUnknownStageOrPipelineIsRefusedBeforeAnyWrite() {
    long before = emulator.counters().totalRequests();

    assertThatThrownBy(() -> system.createDeal(ada, DealDraft.builder("x").stageId("closedwonn").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("stageId");
          assertThat(e.getMessage()).contains("closedwonn", "closedwon");
        });
    assertThatThrownBy(() -> system.createDeal(ada, DealDraft.builder("x").pipelineId("renewals").build()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("pipelineId"));
    assertThat(emulator.liveDealCount()).isZero();
    assertThat(emulator.counters().requests(HubSpotCounters.CREATE_DEAL)).isZero();
    assertThat(emulator.counters().totalRequests() - before).as("contact reads and one pipelines read only")
        .isEqualTo(3);
  }

  @Test
  void ownersAndCustomFieldsHubSpotCannotHoldAreRejected() {
    assertThatThrownBy(() -> system.createDeal(ada, DealDraft.builder("x").owner("alice").build()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("owner"));
    assertThatThrownBy(() -> system.createDeal(ada, DealDraft.builder("x").customField("tier", "gold").build()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("customFields.tier"));
    assertThat(emulator.liveDealCount()).isZero();
  }

  @Test
  void aDealForAnUnknownContactIsNotFound() {
    assertThatThrownBy(() -> system.createDeal("999999", DealDraft.builder("x").build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> system.listDeals("999999", PageRequest.first()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void anIdempotencyKeyCreatesOneDealAndReturnsTheFirstUnchanged() {
    DealDraft draft = DealDraft.builder("Booking A-17").amount(Money.of("40", "EUR")).idempotencyKey("evt:A-17:deal")
        .build();
    Deal first = system.createDeal(ada, draft);
    clock.advance(Duration.ofMinutes(5));

    Deal again = system.createDeal(ada, DealDraft.builder("Changed title").idempotencyKey("evt:A-17:deal").build());

    assertThat(again).isEqualTo(first);
    assertThat(emulator.liveDealCount()).isEqualTo(1);
    assertThat(emulator.dealProperties(first.id()).orElseThrow()).containsEntry("crmkit_idempotency_key",
        "evt:A-17:deal");
    assertThat(system.createDeal(ada, DealDraft.builder("Other").idempotencyKey("evt:A-18:deal").build()).id())
        .isNotEqualTo(first.id());
  }

  @Test
  void concurrentCreatesWithOneKeyInOneProcessMakeOneDeal() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Deal>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(() -> system.createDeal(ada, DealDraft.builder("Once").idempotencyKey("k1").build())));
      }
      List<String> ids = new ArrayList<>();
      for (Future<Deal> f : futures) {
        ids.add(f.get().id());
      }
      assertThat(ids).containsOnly(ids.get(0));
      assertThat(emulator.liveDealCount()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void updateResolvesStatusToAStageAndPatchesOnlyWhatChanges() {
    Deal deal = system.createDeal(ada, DealDraft.builder("Spring order").amount(Money.of("10", "EUR"))
        .owner("7").customField("source", "web").build());
    clock.advance(Duration.ofSeconds(3));

    Deal won = system.updateDeal(deal.id(), DealUpdate.builder().status(DealStatus.WON).owner(null)
        .customField("source", null).build());

    assertThat(won.stageId()).isEqualTo("closedwon");
    assertThat(won.status()).isEqualTo(DealStatus.WON);
    assertThat(won.customerId()).isEqualTo(ada);
    assertThat(won.title()).isEqualTo("Spring order");
    assertThat(won.amount()).isEqualTo(Money.of("10", "EUR"));
    assertThat(won.owner()).isNull();
    assertThat(won.customFields()).isEmpty();
    assertThat(won.updatedAt()).isEqualTo(START.plusSeconds(3));
    assertThat(emulator.dealProperties(deal.id()).orElseThrow()).containsEntry("dealstage", "closedwon")
        .doesNotContainKeys("hubspot_owner_id", "crmkit_source");

    Deal lost = system.updateDeal(deal.id(), DealUpdate.builder().stageId("closedlost").amount(null).build());
    assertThat(lost.status()).isEqualTo(DealStatus.LOST);
    assertThat(lost.amount()).isNull();
    assertThat(system.getDeal(deal.id())).contains(lost);
  }

  @Test
  void anUpdateToAnotherPipelineGoesToItsFirstOpenStage() {
    emulator.addDealPipeline(new Pipeline("repairs", "Repairs", List.of(DealStage.open("booked", "Booked"),
        new DealStage("done", "Done", DealStatus.WON), new DealStage("cancelled", "Cancelled", DealStatus.LOST))));
    Deal deal = system.createDeal(ada, DealDraft.builder("Fix").build());

    Deal moved = system.updateDeal(deal.id(), DealUpdate.builder().pipelineId("repairs").build());

    assertThat(moved.pipelineId()).isEqualTo("repairs");
    assertThat(moved.stageId()).isEqualTo("booked");
    assertThat(system.updateDeal(deal.id(), DealUpdate.builder().status(DealStatus.WON).build()).stageId())
        .isEqualTo("done");
  }

  @Test
  void anInvalidStageOnUpdateIsRefusedBeforeAnyWrite() {
    Deal deal = system.createDeal(ada, DealDraft.builder("Spring order").build());

    assertThatThrownBy(() -> system.updateDeal(deal.id(), DealUpdate.builder().stageId("booked").build()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("stageId"));
    assertThatThrownBy(() -> system.updateDeal(deal.id(), DealUpdate.builder().stageId("closedwon")
        .status(DealStatus.LOST).build()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("status"));
    assertThat(emulator.counters().requests(HubSpotCounters.UPDATE_DEAL)).isZero();
    assertThat(emulator.dealProperties(deal.id()).orElseThrow()).containsEntry("dealstage", "appointmentscheduled");
  }

  @Test
  void updatingOrGettingAnUnknownDeal() {
    assertThat(system.getDeal("424242")).isEmpty();
    assertThat(system.getDeal("not-an-id")).isEmpty();
    assertThatThrownBy(() -> system.updateDeal("424242", DealUpdate.builder().title("x").build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void listDealsPagesTheContactsDealsNewestFirst() {
    String grace = emulator.seedContact(Map.of("email", "grace@example.com"));
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(system.createDeal(ada, DealDraft.builder("d" + i).build()).id());
      clock.advance(Duration.ofSeconds(1));
    }
    system.createDeal(grace, DealDraft.builder("not Ada's").build());
    // A deal associated from HubSpot's side (another integration, the UI) is listed too.
    String seeded = emulator.seedDeal(Map.of("dealname", "seeded", "dealstage", "contractsent"), ada);

    Page<Deal> first = system.listDeals(ada, PageRequest.first(2));
    assertThat(first.items()).extracting(Deal::title).containsExactly("seeded", "d4");
    // A new deal between pages does not shift what comes after the cursor.
    clock.advance(Duration.ofSeconds(1));
    system.createDeal(ada, DealDraft.builder("newer").build());
    Page<Deal> second = system.listDeals(ada, PageRequest.first(2).at(first.nextCursor()));
    assertThat(second.items()).extracting(Deal::title).containsExactly("d3", "d2");
    Page<Deal> third = system.listDeals(ada, PageRequest.first(2).at(second.nextCursor()));
    assertThat(third.items()).extracting(Deal::title).containsExactly("d1", "d0");
    assertThat(third.nextCursor()).isNull();
    assertThat(first.items()).extracting(Deal::customerId).containsOnly(ada);
    assertThat(created).doesNotContain(seeded);
  }

  @Test
  void aCursorOfAnotherKindIsRefused() {
    assertThatThrownBy(() -> system.listDeals(ada, PageRequest.first(2).at("garbage")))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void fivexxOnReadsAndUpdatesIsRetried() {
    Deal deal = system.createDeal(ada, DealDraft.builder("x").build());

    emulator.faults().failNext(1, 503);
    assertThat(system.getDeal(deal.id())).isPresent();
    emulator.faults().failNext(1, 502);
    assertThat(system.updateDeal(deal.id(), DealUpdate.builder().title("y").build()).title()).isEqualTo("y");
    emulator.faults().failNext(1, 500);
    assertThat(system.listDeals(ada, PageRequest.first()).items()).hasSize(1);
    assertThat(emulator.faults().pending()).isZero();
  }

  @Test
  void a5xxOnCreateIsNotRepeatedAndSurfacesAsAServerError() {
    system.pipelines();
    emulator.counters().reset();
    // The contact read passes (1 ms late); the create answers 503 and must not be sent again: a repeat
    // could make a second deal.
    emulator.faults().slowNext(1, Duration.ofMillis(1)).failNext(1, 503);

    assertThatThrownBy(() -> system.createDeal(ada, DealDraft.builder("x").build()))
        .isInstanceOf(ServerException.class);
    assertThat(emulator.counters().requests(HubSpotCounters.CREATE_DEAL)).isEqualTo(1);
    assertThat(emulator.liveDealCount()).isZero();
  }

  @Test
  void a429OnCreateIsRetriedAndADroppedConnectionIsAConnectionError() {
    system.pipelines();
    emulator.counters().reset();
    emulator.faults().slowNext(1, Duration.ofMillis(1)).failNext(1, 429);
    assertThat(system.createDeal(ada, DealDraft.builder("x").build()).title()).isEqualTo("x");
    assertThat(emulator.counters().requests(HubSpotCounters.CREATE_DEAL)).isEqualTo(2);

    emulator.faults().slowNext(1, Duration.ofMillis(1)).dropNext(1);
    assertThatThrownBy(() -> system.createDeal(ada, DealDraft.builder("y").build()))
        .isInstanceOf(ApiConnectionException.class);
    assertThat(emulator.liveDealCount()).isEqualTo(1);
  }

  @Test
  void a4xxOnAPipelinesReadIsTyped() {
    emulator.faults().failNext(1, 401);
    assertThatThrownBy(system::pipelines).isInstanceOf(dev.crmkit.error.AuthenticationException.class);
    assertThat(system.pipelines()).isNotEmpty();
  }

  @Test
  void aKeyedNoteIsWrittenOnceAndTheRepeatReturnsTheFirst() {
    CustomerNote first = system.addNote(ada, NoteDraft.of("met at the salon").withIdempotencyKey("evt:9:note"));
    clock.advance(Duration.ofMinutes(1));

    CustomerNote again = system.addNote(ada, NoteDraft.of("different text").withIdempotencyKey("evt:9:note"));

    assertThat(again).isEqualTo(first);
    assertThat(emulator.engagements(ada)).hasSize(1);
    assertThat(emulator.engagements(ada).get(0).properties()).containsEntry("crmkit_idempotency_key", "evt:9:note");
    assertThat(system.listNotes(ada, PageRequest.first()).items()).extracting(CustomerNote::id)
        .containsExactly(first.id());
    // A note without a key is always written.
    system.addNote(ada, NoteDraft.of("plain"));
    assertThat(emulator.engagements(ada)).hasSize(2);
  }

  @Test
  void aNoteUnderAKeyIsNotTakenForAnActivityUnderTheSameKey() {
    CustomerNote note = system.addNote(ada, NoteDraft.of("quote sent").withIdempotencyKey("evt:10:x"));

    assertThat(system.findActivity("evt:10:x")).isEmpty();
    dev.crmkit.CustomerActivity call = system.addActivity(ada, new dev.crmkit.ActivityDraft(
        dev.crmkit.ActivityType.CALL, dev.crmkit.Channel.PHONE, "called back", null, Map.of(), "evt:10:x"));

    // Ids are per object type in HubSpot: the call is told apart from the note by its type and by the count.
    assertThat(call.type()).isEqualTo(dev.crmkit.ActivityType.CALL);
    assertThat(emulator.engagements(ada)).hasSize(2);
    assertThat(system.findActivity("evt:10:x")).map(dev.crmkit.CustomerActivity::type)
        .contains(dev.crmkit.ActivityType.CALL);
    assertThat(system.listNotes(ada, PageRequest.first()).items()).extracting(CustomerNote::id)
        .containsExactly(note.id());
  }
}
