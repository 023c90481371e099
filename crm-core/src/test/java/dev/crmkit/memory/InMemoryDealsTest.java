package dev.crmkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealStatus;
import dev.crmkit.DealUpdate;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.NoteDraft;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What the memory provider adds to the contract suite's deal tests: pipelines from the setting, merges, races. */
class InMemoryDealsTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final String REPAIRS = "repairs=Repairs: booked=Booked, done=Done!won, cancelled=Cancelled!lost";

  private final InMemoryCustomerSystemProvider provider = new InMemoryCustomerSystemProvider();
  private final CustomerSystem system = open(TenantConfig.builder("shop-1", "memory").build());

  private CustomerSystem open(TenantConfig config) {
    return provider.create(new ProviderContext(config, Clock.fixed(NOW, ZoneOffset.UTC), Map.of()));
  }

  private Customer customer(String first) {
    return system.create(CustomerDraft.builder().firstName(first).build());
  }

  @Test
  void withoutTheSettingTheTenantHasTheDefaultPipeline() {
    assertThat(system.pipelines()).containsExactly(Pipeline.DEFAULT);
    assertThat(open(TenantConfig.builder("shop-2", "memory").setting(Pipeline.SETTING, "  ").build()).pipelines())
        .containsExactly(Pipeline.DEFAULT);
  }

  @Test
  void theSettingDefinesTheTenantsPipelinesAndTheFirstIsTheDefaultForNewDeals() {
    CustomerSystem repairs = open(TenantConfig.builder("shop-2", "memory")
        .setting(Pipeline.SETTING, REPAIRS + "; " + Pipeline.DEFAULT.format()).build());
    assertThat(repairs.pipelines()).extracting(Pipeline::id).containsExactly("repairs", "default");

    Customer c = repairs.create(CustomerDraft.builder().firstName("Fixer").build());
    Deal deal = repairs.createDeal(c.id(), DealDraft.builder("Boiler").build());
    assertThat(deal.pipelineId()).isEqualTo("repairs");
    assertThat(deal.stageId()).isEqualTo("booked");
    assertThat(repairs.createDeal(c.id(), DealDraft.builder("Sale").pipelineId("default").stageId("won").build()).status())
        .isEqualTo(DealStatus.WON);
  }

  @Test
  void aMalformedSettingIsAConfigurationErrorWhenTheSystemIsBuilt() {
    TenantConfig bad = TenantConfig.builder("shop-2", "memory").setting(Pipeline.SETTING, "sales: lead, won!won").build();
    assertThatThrownBy(() -> open(bad)).isInstanceOf(ConfigurationException.class).hasMessageContaining("dealPipelines");
    assertThatThrownBy(() -> new InMemoryCustomerSystem(new ProviderContext(bad, Clock.systemUTC(), Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("dealPipelines");
  }

  @Test
  void theFactoryAcceptsTheSettingAsOneTheProviderReads() {
    try (IntegrationFactory factory = IntegrationFactory.builder().serviceLoading(false).provider(provider)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
      CustomerSystem s = factory.system(TenantConfig.builder("shop-3", "memory").setting(Pipeline.SETTING, REPAIRS).build());
      assertThat(s.pipelines()).extracting(Pipeline::id).containsExactly("repairs");
    }
  }

  @Test
  void anUpdateThatChangesNothingLeavesTheDealAsItWas() {
    Customer c = customer("Same");
    Deal deal = system.createDeal(c.id(), DealDraft.builder("Steady").owner("agent-1").build());
    CustomerSystem later = provider.create(new ProviderContext(TenantConfig.builder("shop-1", "memory").build(),
        Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC), Map.of()));

    assertThat(later.updateDeal(deal.id(), DealUpdate.builder().owner("agent-1").stageId("lead").build())).isEqualTo(deal);
    Deal renamed = later.updateDeal(deal.id(), DealUpdate.builder().title("Moving").build());
    assertThat(renamed.updatedAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(system.getDeal(deal.id())).contains(renamed);
  }

  @Test
  void aRejectedUpdateWritesNothingAndNamesTheFieldAndTheProvider() {
    Customer c = customer("Kept");
    Deal deal = system.createDeal(c.id(), DealDraft.builder("Keep").build());
    assertThatThrownBy(() -> system.updateDeal(deal.id(), DealUpdate.builder().title("Lost").stageId("nowhere").build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.provider()).isEqualTo("memory");
          assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("stageId");
        });
    assertThat(system.getDeal(deal.id())).contains(deal);
  }

  @Test
  void nullArgumentsAreRefusedNamingThem() {
    Customer c = customer("Null");
    assertThatThrownBy(() -> system.createDeal(c.id(), null)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("deal"));
    assertThatThrownBy(() -> system.updateDeal(null, DealUpdate.builder().build()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("dealId"));
    assertThatThrownBy(() -> system.updateDeal("d", null)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("update"));
    assertThat(system.getDeal(null)).isEmpty();
  }

  @Test
  void aDealCursorIsNotANoteCursor() {
    Customer c = customer("Busy");
    for (int i = 0; i < 3; i++) {
      system.addNote(c.id(), NoteDraft.of("n" + i));
      system.createDeal(c.id(), DealDraft.builder("d" + i).build());
    }
    String noteCursor = system.listNotes(c.id(), PageRequest.first(1)).nextCursor();
    assertThatThrownBy(() -> system.listDeals(c.id(), new PageRequest(1, noteCursor)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("cursor"));
  }

  @Test
  void aMergeMovesDealsAndTheirKeysAndNoteKeysFollowTheNotes() {
    Customer survivor = customer("Keep");
    Customer merged = customer("Fold");
    Deal deal = system.createDeal(merged.id(), DealDraft.builder("Folded").idempotencyKey("evt:1:deal").build());
    CustomerNote note = system.addNote(merged.id(), NoteDraft.of("folded note").withIdempotencyKey("evt:1:note"));

    system.merge(survivor.id(), merged.id());

    Deal moved = system.getDeal(deal.id()).orElseThrow();
    assertThat(moved.customerId()).isEqualTo(survivor.id());
    assertThat(system.listDeals(survivor.id(), PageRequest.first()).items()).containsExactly(moved);
    assertThat(system.createDeal(survivor.id(), DealDraft.builder("Again").idempotencyKey("evt:1:deal").build()))
        .isEqualTo(moved);
    CustomerNote again = system.addNote(survivor.id(), NoteDraft.of("again").withIdempotencyKey("evt:1:note"));
    assertThat(again.id()).isEqualTo(note.id());
    assertThat(again.customerId()).isEqualTo(survivor.id());
    assertThat(system.updateDeal(deal.id(), DealUpdate.builder().stageId("won").build()).customerId())
        .isEqualTo(survivor.id());
  }

  @Test
  void concurrentCreatesWithOneKeyCreateOneDeal() throws Exception {
    Customer c = customer("Racer");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    Set<String> ids = new HashSet<>();
    try {
      List<Callable<Deal>> tasks = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        tasks.add(() -> system.createDeal(c.id(), DealDraft.builder("Race").idempotencyKey("race").build()));
      }
      for (Future<Deal> f : pool.invokeAll(tasks)) {
        ids.add(f.get().id());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ids).hasSize(1);
    assertThat(system.listDeals(c.id(), PageRequest.first()).items()).hasSize(1);
  }

  @Test
  void aKeyIsCheckedOnlyAfterTheCustomerIsFound() {
    Customer c = customer("Known");
    system.createDeal(c.id(), DealDraft.builder("First").idempotencyKey("k").build());
    assertThatThrownBy(() -> system.createDeal("no-such-customer", DealDraft.builder("First").idempotencyKey("k").build()))
        .isInstanceOf(NotFoundException.class);
  }
}
