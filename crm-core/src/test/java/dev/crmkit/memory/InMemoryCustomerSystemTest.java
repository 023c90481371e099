package dev.crmkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerStats;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.DuplicateGroup;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.Money;
import dev.crmkit.OrderDraft;
import dev.crmkit.PageRequest;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryCustomerSystemTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private final InMemoryCustomerSystemProvider provider = new InMemoryCustomerSystemProvider();
  private final CustomerSystem system = open("shop-1", Clock.fixed(NOW, ZoneOffset.UTC));

  private CustomerSystem open(String tenant, Clock clock) {
    return provider.create(new ProviderContext(TenantConfig.builder(tenant, "memory").build(), clock, Map.of()));
  }

  private Customer create(String first, String email, String phone) {
    return system.create(CustomerDraft.builder().firstName(first).email(email).phone(phone).build());
  }

  private static CustomerDraft rawDraft(String email, String phone) {
    return new CustomerDraft("Raw", null, email, phone, null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void theProviderIsFoundByServiceLoaderUnderTheNameMemory() {
    // Through the factory: the core test classpath also lists a deliberately broken provider.
    assertThat(IntegrationFactory.builder().build().providerNames()).contains("memory");
    assertThat(system.providerName()).isEqualTo("memory");
    assertThat(system.tenantId()).isEqualTo("shop-1");
  }

  @Test
  void theSystemHasEveryCapability() {
    assertThat(system.capabilities()).containsExactlyInAnyOrder(Capability.values());
  }

  @Test
  void systemsOfOneProviderShareATenantsDataAndNothingAcrossTenants() {
    Customer c = create("Shared", "shared@example.com", null);
    system.close();
    CustomerSystem again = open("shop-1", Clock.systemUTC());
    CustomerSystem otherTenant = open("shop-2", Clock.systemUTC());
    assertThat(again.get(c.id())).contains(c);
    assertThat(otherTenant.get(c.id())).isEmpty();
  }

  @Test
  void aSystemBuiltDirectlyHasAStoreOfItsOwn() {
    ProviderContext ctx = new ProviderContext(TenantConfig.builder("shop-1", "memory").build(), Clock.systemUTC(), Map.of());
    InMemoryCustomerSystem first = new InMemoryCustomerSystem(ctx);
    InMemoryCustomerSystem second = new InMemoryCustomerSystem(ctx);
    Customer c = first.create(CustomerDraft.builder().email("own@example.com").build());
    assertThat(second.get(c.id())).isEmpty();
    assertThat(second.create(CustomerDraft.builder().email("own@example.com").build()).id()).isNotEqualTo(c.id());
  }

  @Test
  void phonesAreNormalizedForTheTenantsDefaultRegion() {
    CustomerSystem german = provider.create(new ProviderContext(
        TenantConfig.builder("shop-de", "memory").setting(TenantConfig.DEFAULT_REGION, "DE").build(),
        Clock.systemUTC(), Map.of()));
    Customer c = german.create(CustomerDraft.builder().phone("030 1234567").build());
    assertThat(c.phone()).isEqualTo("+49301234567");
    assertThat(german.findByPhone("+49 30 1234567")).map(Customer::id).contains(c.id());
  }

  @Test
  void aDraftBuiltWithoutItsBuilderIsStillValidatedNamingFieldAndValue() {
    assertThatThrownBy(() -> system.create(rawDraft("not-an-email", null)))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.provider()).isEqualTo("memory");
          assertThat(e.fieldErrors()).containsExactly(
              new FieldError("email", "not-an-email", "must contain exactly one '@'"));
        });
    assertThatThrownBy(() -> system.create(
        new CustomerDraft(null, null, null, null, null, null, null, null, null, null, null, null, null, null)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("firstName"));
  }

  @Test
  void getFollowsAChainOfMerges() {
    Customer a = create("A", "a@example.com", null);
    Customer b = create("B", "b@example.com", null);
    Customer c = create("C", "c@example.com", null);
    system.merge(b.id(), a.id());
    system.merge(c.id(), b.id());
    assertThat(system.require(a.id()).id()).isEqualTo(c.id());
    assertThat(system.update(a.id(), CustomerUpdate.builder().company("Via A").build()).id()).isEqualTo(c.id());
  }

  @Test
  void mergeAddsUpOrderStatsOfOneCurrencyAndTakesTheMergedSegmentForAProspect() {
    Customer survivor = create("Keep", null, null);
    Customer merged = create("Fold", null, null);
    system.recordOrder(merged.id(), new OrderDraft("o-1", Money.of("10", "EUR"), NOW.minusSeconds(60)));
    system.recordOrder(merged.id(), new OrderDraft("o-2", Money.of("20", "EUR"), NOW));
    Customer prospect = system.require(survivor.id());
    assertThat(prospect.segment()).isEqualTo(Segment.PROSPECT);

    Customer united = system.merge(survivor.id(), merged.id()).survivor();

    assertThat(united.stats().totalOrders()).isEqualTo(2);
    assertThat(united.stats().totalRevenue()).isEqualTo(Money.of("30", "EUR"));
    assertThat(united.segment()).isEqualTo(Segment.STANDARD);
    assertThat(system.recordOrder(survivor.id(), new OrderDraft("o-1", Money.of("10", "EUR"), NOW)).totalOrders())
        .as("an order recorded before the merge counts once").isEqualTo(2);
  }

  @Test
  void mergeKeepsTheSurvivorsStatsWhenCurrenciesDiffer() {
    Customer survivor = create("Keep", null, null);
    Customer merged = create("Fold", null, null);
    CustomerStats usd = system.recordOrder(survivor.id(), new OrderDraft("o-1", Money.of("10", "USD"), NOW));
    system.recordOrder(merged.id(), new OrderDraft("o-2", Money.of("99", "EUR"), NOW));
    assertThat(system.merge(survivor.id(), merged.id()).survivor().stats()).isEqualTo(usd);
  }

  @Test
  void mergeLeavesTheSurvivorsEmailEmptyWhenAnotherLiveCustomerTookTheMergedOnes() {
    Customer survivor = create("Keep", null, null);
    Customer merged = create("Fold", "contested@example.com", null);
    system.delete(merged.id());
    Customer taker = create("Taker", "contested@example.com", null);
    Customer united = system.merge(survivor.id(), merged.id()).survivor();
    assertThat(united.email()).isNull();
    assertThat(system.findByEmail("contested@example.com")).map(Customer::id).contains(taker.id());
  }

  @Test
  void anActivityMovedByAMergeIsFoundByItsKeyUnderTheSurvivor() {
    Customer survivor = create("Keep", null, null);
    Customer merged = create("Fold", null, null);
    system.addActivity(merged.id(), new ActivityDraft(ActivityType.CALL, Channel.PHONE, "call", null, null, "call:1"));
    system.merge(survivor.id(), merged.id());
    assertThat(system.findActivity("call:1")).map(CustomerActivity::customerId).contains(survivor.id());
    CustomerActivity again = system.addActivity(survivor.id(),
        new ActivityDraft(ActivityType.CALL, Channel.PHONE, "call again", null, null, "call:1"));
    assertThat(again.description()).isEqualTo("call");
  }

  @Test
  void upsertRejectsADraftWhosePhoneBelongsToAnotherCustomerThanItsEmailMatch() {
    Customer byEmail = create("Email", "match@example.com", null);
    Customer byPhone = create("Phone", null, "+14155550100");
    List<UpsertOutcome> outcomes = system.upsert(Arrays.asList(
        CustomerDraft.builder().email("match@example.com").phone("415-555-0100").build(),
        null,
        CustomerDraft.builder().email("fine@example.com").build()));
    assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(
        UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.CREATED);
    assertThat(outcomes.get(0).error()).isInstanceOfSatisfying(ConflictException.class, e -> {
      assertThat(e.field()).isEqualTo("phone");
      assertThat(e.existingId()).isEqualTo(byPhone.id());
    });
    assertThat(outcomes.get(1).error()).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("draft"));
    assertThat(system.require(byEmail.id()).phone()).isNull();
  }

  @Test
  void upsertCreatesADraftWhosePhoneBelongsToACustomerWithAnotherEmailAndReportsBothAsDuplicates() {
    Customer ann = create("Ann", "ann@example.com", "+14155550100");

    List<UpsertOutcome> outcomes = system.upsert(List.of(
        CustomerDraft.builder().firstName("Bea").email("bea@example.com").phone("415-555-0100").build(),
        CustomerDraft.builder().lastName("Stone").email("bea@example.com").phone("(415) 555-0100").build(),
        CustomerDraft.builder().company("Ann's shop").phone("415 555 0100").build()));

    assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(
        UpsertOutcome.Status.CREATED, UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.UPDATED);
    Customer bea = outcomes.get(0).customer();
    assertThat(outcomes.get(0).duplicateOfId()).isEqualTo(ann.id());
    assertThat(outcomes).extracting(UpsertOutcome::matchedBy)
        .containsExactly(null, UpsertOutcome.MatchedBy.EMAIL, UpsertOutcome.MatchedBy.PHONE);
    assertThat(outcomes.get(2).customer().id()).isEqualTo(ann.id());
    assertThat(system.require(ann.id()).firstName()).isEqualTo("Ann");
    assertThat(system.require(bea.id()).fullName()).isEqualTo("Bea Stone");
    assertThat(system.require(bea.id()).phone()).isEqualTo("+14155550100");
    assertThat(system.findByPhone("+14155550100")).map(Customer::id).contains(ann.id());
    assertThat(system.findDuplicates(10)).anySatisfy(g -> {
      assertThat(g.reason()).isEqualTo("phone");
      assertThat(g.customers()).extracting(Customer::id).containsExactlyInAnyOrder(ann.id(), bea.id());
    });
    assertThat(system.update(bea.id(), CustomerUpdate.builder().company("Stone Ltd").build()).company())
        .isEqualTo("Stone Ltd");
  }

  @Test
  void aPhoneFragmentIdentifiesNobodySoLaterPeopleWithItAreCreatedNotOverwritten() {
    List<UpsertOutcome> outcomes = system.upsert(List.of(
        CustomerDraft.builder().firstName("Kim").email("kim@example.com").phone("-4940").build(),
        CustomerDraft.builder().firstName("Lee").email("lee@example.com").phone("-4940").build(),
        CustomerDraft.builder().firstName("Max").phone("4940").build()));
    Customer viaCreate = system.create(CustomerDraft.builder().firstName("Noa").phone("-4940").build());

    assertThat(outcomes).extracting(UpsertOutcome::status).containsOnly(UpsertOutcome.Status.CREATED);
    assertThat(outcomes).extracting(o -> o.customer().firstName()).containsExactly("Kim", "Lee", "Max");
    assertThat(outcomes).extracting(UpsertOutcome::duplicateOfId).containsOnlyNulls();
    assertThat(system.findByEmail("kim@example.com")).map(Customer::phone).contains("-4940");
    assertThat(system.findByEmail("lee@example.com")).isPresent();
    assertThat(viaCreate.phone()).isEqualTo("-4940");
    assertThat(system.findByPhone("-4940")).isEmpty();
  }

  @Test
  void anInternationalDomainInUnicodeOrPunycodeIsOneCustomer() {
    Customer c = create("Jörg", "user@bücher.de", null);

    List<UpsertOutcome> outcomes = system.upsert(List.of(
        CustomerDraft.builder().lastName("Ahrens").email("user@xn--bcher-kva.de").build()));

    assertThat(outcomes.get(0).status()).isEqualTo(UpsertOutcome.Status.UPDATED);
    assertThat(outcomes.get(0).customer().id()).isEqualTo(c.id());
    assertThat(system.findByEmail("USER@XN--BCHER-KVA.DE")).map(Customer::id).contains(c.id());
    assertThatThrownBy(() -> create("Again", "user@xn--bcher-kva.de", null)).isInstanceOf(ConflictException.class);
  }

  @Test
  void upsertOfNoListIsRejectedNamingDrafts() {
    assertThatThrownBy(() -> system.upsert(null)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("drafts"));
  }

  @Test
  void anOrderIdCountsOncePerTenantEvenForAnotherCustomer() {
    Customer first = create("First", null, null);
    Customer second = create("Second", null, null);
    system.recordOrder(first.id(), new OrderDraft("o-1", Money.of("10", "USD"), NOW));
    assertThat(system.recordOrder(second.id(), new OrderDraft("o-1", Money.of("10", "USD"), NOW)))
        .isEqualTo(CustomerStats.NONE);
  }

  @Test
  void theOrderActivityCarriesTheOrderIdAndAmount() {
    Customer c = create("Buyer", null, null);
    system.recordOrder(c.id(), new OrderDraft("o-7", Money.of("12.50", "GBP"), NOW));
    CustomerActivity a = system.listActivities(c.id(), PageRequest.first()).items().get(0);
    assertThat(a.type()).isEqualTo(ActivityType.ORDER_PLACED);
    assertThat(a.metadata()).containsExactlyInAnyOrderEntriesOf(
        Map.of("orderId", "o-7", "amount", "12.50", "currency", "GBP"));
  }

  @Test
  void aCustomerCreatedAndChangedAfterTheCursorIsReportedAsCreatedAndARestoreAsUpdated() {
    String cursor = system.changesSince(null, 10).nextCursor();
    Customer c = create("New", null, null);
    system.update(c.id(), CustomerUpdate.builder().company("Acme").build());
    assertThat(system.changesSince(cursor, 10).changes()).singleElement()
        .satisfies(ch -> assertThat(ch.type()).isEqualTo(ChangeType.CREATED));
    system.delete(c.id());
    String afterDelete = system.changesSince(null, 10).nextCursor();
    system.restore(c.id());
    assertThat(system.changesSince(afterDelete, 10).changes()).singleElement()
        .satisfies(ch -> assertThat(ch.type()).isEqualTo(ChangeType.UPDATED));
  }

  @Test
  void aCursorOfAnotherListOrBeyondTheFeedIsRejectedNamingCursor() {
    for (int i = 0; i < 3; i++) {
      create("C" + i, null, null);
    }
    String searchCursor = system.search(CustomerQuery.builder().limit(1).build()).nextCursor();
    ChangeBatch batch = system.changesSince(null, 10);
    String beyond = Cursors.encode("feed", "999");
    for (String bad : List.of(searchCursor, beyond, Cursors.encode("feed", "x"), "a b")) {
      assertThatThrownBy(() -> system.changesSince(bad, 10)).as(bad)
          .isInstanceOfSatisfying(ValidationException.class,
              e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("cursor"));
    }
    assertThatThrownBy(() -> system.search(CustomerQuery.builder().cursor(batch.nextCursor()).build()))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void restoringALiveCustomerReturnsItUnchanged() {
    Customer c = create("Live", "live@example.com", null);
    assertThat(system.restore(c.id())).isEqualTo(c);
  }

  @Test
  void activitiesOfOneInstantAreListedNewestAddedFirst() {
    Customer c = create("Busy", null, null);
    for (int i = 0; i < 4; i++) {
      system.addActivity(c.id(), ActivityDraft.of(ActivityType.OTHER, null, "a" + i));
    }
    assertThat(system.listActivities(c.id(), PageRequest.first(3)).stream())
        .extracting(CustomerActivity::description).containsExactly("a3", "a2", "a1", "a0");
  }

  @Test
  void theNameKeyIgnoresCaseAndAccents() {
    Customer a = system.create(CustomerDraft.builder().firstName("José").lastName("Núñez").build());
    Customer b = system.create(CustomerDraft.builder().firstName("JOSE").lastName("nunez").build());
    List<DuplicateGroup> groups = system.findDuplicates(10);
    assertThat(groups).singleElement().satisfies(g -> {
      assertThat(g.reason()).isEqualTo("name");
      assertThat(g.key()).isEqualTo("jose|nunez|");
      assertThat(g.customers()).extracting(Customer::id).containsExactlyInAnyOrder(a.id(), b.id());
    });
  }

  @Test
  void aSoftDeletedCustomerCanBeUpdatedWithoutClaimingKeys() {
    Customer c = create("Gone", "gone@example.com", null);
    system.delete(c.id());
    Customer holder = create("Holder", "holder@example.com", null);
    Customer updated = system.update(c.id(), CustomerUpdate.builder().email("holder@example.com").build());
    assertThat(updated.isDeleted()).isTrue();
    assertThat(system.findByEmail("holder@example.com")).map(Customer::id).contains(holder.id());
    assertThatThrownBy(() -> system.restore(c.id())).isInstanceOf(ConflictException.class);
  }

  @Test
  void theTimestampsComeFromTheContextsClock() {
    Clock later = Clock.fixed(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC);
    CustomerSystem tomorrow = open("shop-1", later);
    Customer c = tomorrow.create(CustomerDraft.builder().firstName("Tomorrow").build());
    assertThat(c.createdAt()).isEqualTo(later.instant());
    assertThat(system.update(c.id(), CustomerUpdate.builder().company("Now").build()).updatedAt()).isEqualTo(NOW);
  }
}
