package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Address;
import dev.crmkit.Capability;
import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerStats;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.DuplicateGroup;
import dev.crmkit.MergeResult;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.OptInStatus;
import dev.crmkit.OrderDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Segment;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every operation of the native store, run on each database by a subclass. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NativeCustomerSystemContract {
  private DataSource dataSource;
  private final TickingClock clock = new TickingClock(Instant.parse("2025-03-01T10:00:00Z"));
  private NativeCustomerSystem crm;

  abstract DataSource createDataSource();

  @BeforeAll
  void installSchema() {
    dataSource = createDataSource();
    NativeSchema.migrate(dataSource);
  }

  @BeforeEach
  void openFreshTenant() {
    crm = newSystem("tenant-" + UUID.randomUUID());
  }

  NativeCustomerSystem newSystem(String tenantId) {
    return NativeCustomerSystem.open(dataSource, tenantId, clock, PhoneNumbers.forRegion("US"));
  }

  private static CustomerDraft.Builder ada() {
    return CustomerDraft.builder().firstName("Ada").lastName("Lovelace").email("Ada@Example.com")
        .phone("(415) 555-0100");
  }

  @Test
  void migratingTwiceAppliesNothingTheSecondTime() {
    assertThat(NativeSchema.migrate(dataSource)).isZero();
  }

  @Test
  void supportsEveryCapability() {
    assertThat(crm.capabilities()).isEqualTo(EnumSet.allOf(Capability.class));
    assertThat(crm.providerName()).isEqualTo("native");
  }

  @Test
  void createStoresEveryFieldAndGetReadsItBack() {
    Customer created = crm.create(ada().phone("415-555-0100 x12").company("Analytical Engines")
        .preferredChannel(Channel.WHATSAPP).language("en-GB").segment(Segment.VIP).tag("vip").tag("auto-created")
        .address(new Address("1 Main St", null, "London", null, "N1", "GB"))
        .optIn(Channel.EMAIL, OptInStatus.OPTED_IN).optIn(Channel.SMS, OptInStatus.OPTED_OUT)
        .customField("shoeSize", "38").customField("notes.long", "x".repeat(5000))
        .createdAt(Instant.parse("2020-01-01T00:00:00.123456Z")).lastContactAt(Instant.parse("2024-05-05T05:05:05Z"))
        .build());

    assertThat(created.email()).isEqualTo("ada@example.com");
    assertThat(created.phone()).isEqualTo("+14155550100");
    assertThat(created.phoneExtension()).isEqualTo("12");
    assertThat(created.createdAt()).isEqualTo(Instant.parse("2020-01-01T00:00:00.123Z"));
    assertThat(crm.get(created.id())).contains(created);
    assertThat(crm.require(created.id()).customFields()).containsEntry("shoeSize", "38");
  }

  @Test
  void findsByEmailAndPhoneTypedAnyWayButNotMalformedOnes() {
    Customer ada = crm.create(ada().build());

    assertThat(crm.findByEmail("  ADA@example.COM ")).contains(ada);
    assertThat(crm.findByPhone("+1 415 555 0100")).contains(ada);
    assertThat(crm.findByPhone("4155550100")).contains(ada);
    assertThat(crm.findByEmail("not an email")).isEmpty();
    assertThat(crm.findByPhone("no digits")).isEmpty();
    assertThat(crm.get("missing")).isEmpty();
    assertThatThrownBy(() -> crm.require("missing")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void createRejectsAnEmailOrPhoneAnotherCustomerHolds() {
    Customer ada = crm.create(ada().build());

    assertThatThrownBy(() -> crm.create(CustomerDraft.builder().email("ada@example.com").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.field()).isEqualTo("email");
          assertThat(e.existingId()).isEqualTo(ada.id());
        });
    assertThatThrownBy(() -> crm.create(CustomerDraft.builder().phone("+1 (415) 555-0100").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.field()).isEqualTo("phone");
          assertThat(e.existingId()).isEqualTo(ada.id());
        });
    assertThat(crm.search(CustomerQuery.builder().build()).items()).containsExactly(ada);
  }

  @Test
  void createRejectsAPhoneWithoutDigitsNamingTheField() {
    assertThatThrownBy(() -> crm.create(CustomerDraft.builder().firstName("X").phone("call me").build()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("phone"));
    assertThatThrownBy(() -> crm.create(null)).isInstanceOf(ValidationException.class);
  }

  @Test
  void updateSetsAndClearsFieldsAndReplacesTagsAndCustomFields() {
    Customer ada = crm.create(ada().tag("old").customField("a", "1").customField("b", "2").build());

    Customer updated = crm.update(ada.id(), CustomerUpdate.builder().company("Engines Ltd").lastName(null)
        .phone("+44 20 7946 0958").tags(Set.of("new", "vip")).customFields(Map.of("b", "3", "c", "4")).build());

    assertThat(updated.company()).isEqualTo("Engines Ltd");
    assertThat(updated.lastName()).isNull();
    assertThat(updated.phone()).isEqualTo("+442079460958");
    assertThat(updated.updatedAt()).isAfter(ada.updatedAt());
    assertThat(crm.require(ada.id())).isEqualTo(updated);
    assertThat(updated.tags()).containsExactly("new", "vip");
    assertThat(updated.customFields()).isEqualTo(Map.of("b", "3", "c", "4"));
    assertThat(crm.findByPhone("4155550100")).isEmpty();
    assertThat(crm.update(ada.id(), CustomerUpdate.builder().company("Engines Ltd").build())).isEqualTo(updated);
  }

  @Test
  void updateRejectsUnknownIdsAndKeysOfOtherCustomers() {
    Customer ada = crm.create(ada().build());
    Customer bob = crm.create(CustomerDraft.builder().firstName("Bob").email("bob@example.com").build());

    assertThatThrownBy(() -> crm.update("missing", CustomerUpdate.builder().company("X").build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> crm.update(bob.id(), CustomerUpdate.builder().email("ada@example.com").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.field()).isEqualTo("email");
          assertThat(e.existingId()).isEqualTo(ada.id());
        });
    assertThat(crm.require(bob.id()).email()).isEqualTo("bob@example.com");
  }

  @Test
  void deleteIsSoftReleasesTheKeysAndRestoreTakesThemBack() {
    Customer ada = crm.create(ada().build());

    crm.delete(ada.id());
    crm.delete(ada.id());

    assertThat(crm.require(ada.id()).isDeleted()).isTrue();
    assertThat(crm.findByEmail("ada@example.com")).isEmpty();
    Customer restored = crm.restore(ada.id());
    assertThat(restored.isDeleted()).isFalse();
    assertThat(crm.findByEmail("ada@example.com")).contains(restored);
    assertThatThrownBy(() -> crm.delete("missing")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void restoreFailsWhenAnotherCustomerTookTheKeysMeanwhile() {
    Customer ada = crm.create(ada().build());
    crm.delete(ada.id());
    Customer newcomer = crm.create(CustomerDraft.builder().firstName("New").phone("415 555 0100").build());

    assertThatThrownBy(() -> crm.restore(ada.id()))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.field()).isEqualTo("phone");
          assertThat(e.existingId()).isEqualTo(newcomer.id());
        });
    assertThat(crm.require(ada.id()).isDeleted()).isTrue();
  }

  @Test
  void searchFiltersByNameTagSegmentEmailAndPhoneAndPagesInIdOrder() {
    Customer ada = crm.create(ada().tag("vip").build());
    Customer grace = crm.create(CustomerDraft.builder().firstName("Grace").lastName("Hopper").tag("vip")
        .segment(Segment.ACTIVE).build());
    Customer alan = crm.create(CustomerDraft.builder().firstName("Alan").lastName("Turing_100%").build());

    assertThat(crm.search(CustomerQuery.builder().name("ADA LOVE").build()).items()).containsExactly(ada);
    assertThat(crm.search(CustomerQuery.builder().name("g_100%").build()).items()).containsExactly(alan);
    assertThat(crm.search(CustomerQuery.builder().name("_").build()).items()).containsExactly(alan);
    assertThat(crm.search(CustomerQuery.builder().tag("vip").build()).items()).containsExactly(ada, grace);
    assertThat(crm.search(CustomerQuery.builder().segment(Segment.ACTIVE).build()).items()).containsExactly(grace);
    assertThat(crm.search(CustomerQuery.builder().email("ADA@example.com").build()).items()).containsExactly(ada);
    assertThat(crm.search(CustomerQuery.builder().phone("+14155550100").build()).items()).containsExactly(ada);
    assertThat(crm.search(CustomerQuery.builder().email("bad").build()).items()).isEmpty();

    Page<Customer> first = crm.search(CustomerQuery.builder().limit(2).build());
    assertThat(first.items()).containsExactly(ada, grace);
    assertThat(first.hasNext()).isTrue();
    assertThat(first.stream().map(Customer::id)).containsExactly(ada.id(), grace.id(), alan.id());
    assertThatThrownBy(() -> crm.search(CustomerQuery.builder().cursor("garbage!").build()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("cursor"));
  }

  @Test
  void searchListsDeletedCustomersOnlyWhenAsked() {
    Customer ada = crm.create(ada().build());
    crm.delete(ada.id());

    assertThat(crm.search(CustomerQuery.builder().build()).items()).isEmpty();
    assertThat(crm.search(CustomerQuery.builder().includeDeleted(true).email("ada@example.com").build()).items())
        .extracting(Customer::id).containsExactly(ada.id());
    assertThat(crm.search(CustomerQuery.builder().includeDeleted(true).phone("4155550100").build()).items())
        .extracting(Customer::id).containsExactly(ada.id());
  }

  @Test
  void mergeFillsGapsUnitesTagsMovesNotesAndActivitiesAndFollowsTheMergedId() {
    Customer survivor = crm.create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").tag("a")
        .customField("x", "survivor").build());
    Customer merged = crm.create(CustomerDraft.builder().firstName("Augusta").lastName("King").phone("4155550100")
        .tag("b").customField("x", "merged").customField("y", "merged").build());
    crm.addNote(merged.id(), NoteDraft.of("met at the fair"));
    crm.addActivity(merged.id(), ActivityDraft.of(ActivityType.CALL, Channel.PHONE, "called"));
    crm.recordOrder(merged.id(), new OrderDraft("o-1", Money.of("10.50", "EUR"), clock.instant()));
    crm.recordOrder(survivor.id(), new OrderDraft("o-2", Money.of("4.50", "EUR"), clock.instant()));
    ChangeBatch before = crm.changesSince(null, 100);

    MergeResult result = crm.merge(survivor.id(), merged.id());

    Customer kept = result.survivor();
    assertThat(kept.firstName()).isEqualTo("Ada");
    assertThat(kept.lastName()).isEqualTo("King");
    assertThat(kept.phone()).isEqualTo("+14155550100");
    assertThat(kept.tags()).containsExactly("a", "b");
    assertThat(kept.customFields()).isEqualTo(Map.of("x", "survivor", "y", "merged"));
    assertThat(kept.stats().totalOrders()).isEqualTo(2);
    assertThat(kept.stats().totalRevenue()).isEqualTo(Money.of("15.00", "EUR"));
    assertThat(result.notesMoved()).isEqualTo(1);
    assertThat(result.activitiesMoved()).isEqualTo(2);
    assertThat(crm.get(merged.id())).contains(kept);
    assertThat(crm.findByPhone("4155550100")).contains(kept);
    assertThat(crm.listNotes(merged.id(), PageRequest.first()).items()).hasSize(1);
    assertThat(crm.listActivities(survivor.id(), PageRequest.first()).items()).hasSize(3);

    ChangeBatch after = crm.changesSince(before.nextCursor(), 100);
    assertThat(after.changes()).extracting(CustomerChange::customerId).containsExactly(merged.id(), survivor.id());
    CustomerChange gone = after.changes().get(0);
    assertThat(gone.type()).isEqualTo(ChangeType.DELETED);
    assertThat(gone.mergedIntoId()).isEqualTo(survivor.id());
  }

  @Test
  void mergeChainsFollowToTheLastSurvivorAndRejectsMergingACustomerIntoItself() {
    Customer a = crm.create(CustomerDraft.builder().firstName("A").build());
    Customer b = crm.create(CustomerDraft.builder().firstName("B").build());
    Customer c = crm.create(CustomerDraft.builder().firstName("C").build());
    crm.merge(b.id(), a.id());
    crm.merge(c.id(), b.id());

    assertThat(crm.require(a.id()).id()).isEqualTo(c.id());
    assertThatThrownBy(() -> crm.merge(c.id(), a.id()))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("mergedId"));
    assertThatThrownBy(() -> crm.merge(c.id(), "missing")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void searchByNameMatchesTheLikeEscapeCharacterAsText() {
    Customer bang = crm.create(CustomerDraft.builder().firstName("Bang!").lastName("Oops").build());
    crm.create(CustomerDraft.builder().firstName("Bang").lastName("Oops").build());
    crm.create(CustomerDraft.builder().firstName("Bang%").lastName("Oops").build());

    assertThat(crm.search(CustomerQuery.builder().name("g!").build()).items()).containsExactly(bang);
    assertThat(crm.search(CustomerQuery.builder().name("!%").build()).items()).isEmpty();
    assertThat(crm.search(CustomerQuery.builder().name("!!").build()).items()).isEmpty();
  }

  @Test
  void findDuplicatesStopsAtTheLimitAcrossReasonsAndSkipsMergedCustomers() {
    Customer a1 = crm.create(CustomerDraft.builder().firstName("Ann").email("ann.lee@gmail.com").build());
    Customer a2 = crm.create(CustomerDraft.builder().firstName("Annie").email("annlee+shop@gmail.com").build());
    Customer p1 = crm.create(CustomerDraft.builder().company("P1").phone("+1 415 555 0199").build());
    Customer p2 = crm.create(CustomerDraft.builder().company("P2").phone("99 415 555 0199").email("p2@x.io").build());
    crm.create(CustomerDraft.builder().firstName("Jose").lastName("Nunez").build());
    crm.create(CustomerDraft.builder().firstName("jose").lastName("NUNEZ").build());

    assertThat(crm.findDuplicates(2)).extracting(DuplicateGroup::reason).containsExactly("email", "phone");

    crm.merge(p1.id(), p2.id());

    List<DuplicateGroup> groups = crm.findDuplicates(10);
    assertThat(groups).extracting(DuplicateGroup::reason).containsExactly("email", "name");
    assertThat(groups.get(0).customers()).extracting(Customer::id).containsExactly(a1.id(), a2.id());
  }

  @Test
  void findDuplicatesGroupsLiveCustomersByLooseEmailPhoneAndName() {
    Customer a1 = crm.create(CustomerDraft.builder().firstName("Ann").email("ann.lee@gmail.com").build());
    Customer a2 = crm.create(CustomerDraft.builder().firstName("Annie").email("annlee+shop@gmail.com").build());
    Customer p1 = crm.create(CustomerDraft.builder().company("P1").phone("+1 415 555 0199").build());
    Customer p2 = crm.create(CustomerDraft.builder().company("P2").phone("99 415 555 0199").email("p2@x.io").build());
    Customer n1 = crm.create(CustomerDraft.builder().firstName("José").lastName("Núñez").build());
    Customer n2 = crm.create(CustomerDraft.builder().firstName("jose").lastName("NUNEZ").build());
    Customer gone = crm.create(CustomerDraft.builder().firstName("Jose").lastName("Nunez").email("j@x.io").build());
    crm.delete(gone.id());

    List<DuplicateGroup> groups = crm.findDuplicates(10);

    assertThat(groups).extracting(DuplicateGroup::reason).containsExactly("email", "phone", "name");
    assertThat(groups.get(0).customers()).containsExactly(a1, a2);
    assertThat(groups.get(1).customers()).extracting(Customer::id).containsExactly(p1.id(), p2.id());
    assertThat(groups.get(2).key()).isEqualTo("jose|nunez|");
    assertThat(groups.get(2).customers()).containsExactly(n1, n2);
    assertThat(crm.findDuplicates(1)).hasSize(1);
    assertThatThrownBy(() -> crm.findDuplicates(0)).isInstanceOf(ValidationException.class);
  }

  @Test
  void upsertCreatesUpdatesByEmailThenPhoneAndRejectsBadDraftsAlone() {
    Customer ada = crm.create(ada().tag("old").build());
    Customer bob = crm.create(CustomerDraft.builder().firstName("Bob").phone("+1 212 555 0111").build());
    List<CustomerDraft> drafts = new ArrayList<>();
    drafts.add(CustomerDraft.builder().email("ada@example.com").company("Engines").tag("new").build());
    drafts.add(CustomerDraft.builder().firstName("Robert").phone("212-555-0111").email("bob@example.com").build());
    drafts.add(CustomerDraft.builder().firstName("Carl").email("carl@example.com").build());
    drafts.add(CustomerDraft.builder().lastName("Gauss").email("carl@example.com").build());
    drafts.add(CustomerDraft.builder().firstName("Bad").phone("no digits").build());
    drafts.add(null);
    drafts.add(CustomerDraft.builder().email("ada@example.com").phone("212 555 0111").build());

    List<UpsertOutcome> out = crm.upsert(drafts);

    assertThat(out).extracting(UpsertOutcome::status).containsExactly(UpsertOutcome.Status.UPDATED,
        UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.CREATED, UpsertOutcome.Status.UPDATED,
        UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.REJECTED);
    assertThat(out.get(4).error()).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("phone"));
    assertThat(out.get(6).error()).isInstanceOfSatisfying(ConflictException.class,
        e -> assertThat(e.existingId()).isEqualTo(bob.id()));
    Customer adaNow = crm.require(ada.id());
    assertThat(adaNow.company()).isEqualTo("Engines");
    assertThat(adaNow.firstName()).isEqualTo("Ada");
    assertThat(adaNow.tags()).containsExactly("new", "old");
    assertThat(crm.require(bob.id()).email()).isEqualTo("bob@example.com");
    Customer carl = crm.findByEmail("carl@example.com").orElseThrow();
    assertThat(carl.fullName()).isEqualTo("Carl Gauss");
    assertThat(out.get(3).customer()).isEqualTo(carl);
  }

  @Test
  void upsertCreatesADraftWhosePhoneBelongsToACustomerWithAnotherEmailAndReportsBothAsDuplicates() {
    Customer ann = crm.create(CustomerDraft.builder().firstName("Ann").email("ann@example.com")
        .phone("+14155550100").build());

    List<UpsertOutcome> out = crm.upsert(List.of(
        CustomerDraft.builder().firstName("Bea").email("bea@example.com").phone("415-555-0100").build(),
        CustomerDraft.builder().lastName("Stone").email("bea@example.com").phone("(415) 555-0100").build(),
        CustomerDraft.builder().company("Ann's shop").phone("415 555 0100").build()));
    List<UpsertOutcome> later = crm.upsert(List.of(
        CustomerDraft.builder().company("Stone Ltd").email("bea@example.com").phone("415.555.0100").build()));

    assertThat(out).extracting(UpsertOutcome::status).containsExactly(
        UpsertOutcome.Status.CREATED, UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.UPDATED);
    assertThat(out).extracting(UpsertOutcome::matchedBy)
        .containsExactly(null, UpsertOutcome.MatchedBy.EMAIL, UpsertOutcome.MatchedBy.PHONE);
    Customer bea = out.get(0).customer();
    assertThat(out.get(0).duplicateOfId()).isEqualTo(ann.id());
    assertThat(out.get(2).customer().id()).isEqualTo(ann.id());
    assertThat(later.get(0).status()).isEqualTo(UpsertOutcome.Status.UPDATED);
    assertThat(crm.require(ann.id()).firstName()).isEqualTo("Ann");
    assertThat(crm.require(bea.id()).fullName()).isEqualTo("Bea Stone");
    assertThat(crm.require(bea.id()).company()).isEqualTo("Stone Ltd");
    assertThat(crm.require(bea.id()).phone()).isEqualTo("+14155550100");
    assertThat(crm.findByPhone("+14155550100")).map(Customer::id).contains(ann.id());
    assertThat(crm.findDuplicates(10)).anySatisfy(g -> {
      assertThat(g.reason()).isEqualTo("phone");
      assertThat(g.customers()).extracting(Customer::id).containsExactly(ann.id(), bea.id());
    });
    assertThat(crm.update(bea.id(), CustomerUpdate.builder().lastName("Stein").build()).lastName()).isEqualTo("Stein");
    crm.logInteraction(bea.id(), new ActivityDraft(ActivityType.CALL, Channel.PHONE, "call", null, null, null));
    assertThat(crm.require(bea.id()).lastContactAt()).isNotNull();
  }

  @Test
  void aPhoneFragmentIdentifiesNobodySoLaterPeopleWithItAreCreatedNotOverwritten() {
    List<CustomerDraft> drafts = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      drafts.add(CustomerDraft.builder().firstName("First" + i).email("user" + i + "@example.com")
          .phone(i % 100 == 3 ? "-4940" : String.format("+1 415 555 %04d", i)).build());
    }

    List<UpsertOutcome> out = crm.upsert(drafts);
    Customer viaCreate = crm.create(CustomerDraft.builder().firstName("Noa").phone("-4940").build());

    assertThat(out).extracting(UpsertOutcome::status).containsOnly(UpsertOutcome.Status.CREATED);
    assertThat(crm.findByEmail("user1103@example.com")).map(Customer::firstName).contains("First1103");
    assertThat(crm.findByEmail("user3@example.com")).map(Customer::phone).contains("-4940");
    assertThat(viaCreate.phone()).isEqualTo("-4940");
    assertThat(crm.findByPhone("-4940")).isEmpty();
    assertThat(crm.search(CustomerQuery.builder().phone("-4940").build()).items()).isEmpty();
  }

  @Test
  void anInternationalDomainInUnicodeOrPunycodeIsOneCustomer() {
    Customer c = crm.create(CustomerDraft.builder().firstName("Jörg").email("user@bücher.de").build());

    List<UpsertOutcome> out = crm.upsert(List.of(
        CustomerDraft.builder().lastName("Ahrens").email("user@xn--bcher-kva.de").build()));

    assertThat(out.get(0).status()).isEqualTo(UpsertOutcome.Status.UPDATED);
    assertThat(out.get(0).customer().id()).isEqualTo(c.id());
    assertThat(crm.findByEmail("USER@XN--BCHER-KVA.DE")).map(Customer::id).contains(c.id());
    assertThatThrownBy(() -> crm.create(CustomerDraft.builder().email("user@xn--bcher-kva.de").build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void bulkUpsertOfFiveThousandDraftsStoresTheGoodAndRejectsTheBad() {
    List<CustomerDraft> drafts = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      CustomerDraft.Builder b = CustomerDraft.builder().firstName("First" + i).lastName("Last" + i)
          .email("user" + i + "@example.com").tag("import").customField("row", Integer.toString(i));
      b.phone(i % 500 == 7 ? "n/a" : String.format("+1 415 %03d %04d", 200 + i / 10_000, i));
      drafts.add(b.build());
    }
    drafts.add(CustomerDraft.builder().email("user3@example.com").company("Again").build());

    List<UpsertOutcome> out = crm.upsert(drafts);

    Map<UpsertOutcome.Status, Long> counts = out.stream()
        .collect(Collectors.groupingBy(UpsertOutcome::status, Collectors.counting()));
    assertThat(counts).containsEntry(UpsertOutcome.Status.REJECTED, 10L)
        .containsEntry(UpsertOutcome.Status.CREATED, 4_990L).containsEntry(UpsertOutcome.Status.UPDATED, 1L);
    assertThat(crm.findByEmail("user3@example.com").orElseThrow().company()).isEqualTo("Again");
    assertThat(crm.findByPhone("+1 415 200 4999").orElseThrow().customFields()).containsEntry("row", "4999");
    assertThat(crm.search(CustomerQuery.builder().tag("import").limit(1000).build()).stream()).hasSize(4_990);
    assertThat(crm.changesSince(null, 1000).changes()).hasSize(1000);
  }

  @Test
  void notesAreListedNewestFirstPageByPage() {
    Customer ada = crm.create(ada().build());
    List<CustomerNote> written = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      written.add(crm.addNote(ada.id(), new NoteDraft("note " + i, "agent", null)));
    }

    Page<CustomerNote> first = crm.listNotes(ada.id(), PageRequest.first(2));

    assertThat(first.items()).extracting(CustomerNote::content).containsExactly("note 4", "note 3");
    assertThat(first.stream().map(CustomerNote::content)).containsExactly("note 4", "note 3", "note 2", "note 1",
        "note 0");
    assertThat(first.items().get(0)).isEqualTo(written.get(4));
    assertThatThrownBy(() -> crm.addNote("missing", NoteDraft.of("x"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> crm.listNotes(ada.id(), new PageRequest(2, "bogus")))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void activitiesWithAnIdempotencyKeyAreRecordedOnce() {
    Customer ada = crm.create(ada().build());
    ActivityDraft inbound = new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "hello",
        Instant.parse("2025-01-01T00:00:00Z"), Map.of("messageId", "SM1"), "sms:SM1");

    CustomerActivity first = crm.addActivity(ada.id(), inbound);
    CustomerActivity again = crm.addActivity(ada.id(), inbound);

    assertThat(again).isEqualTo(first);
    assertThat(first.metadata()).containsEntry("messageId", "SM1");
    assertThat(crm.findActivity("sms:SM1")).contains(first);
    assertThat(crm.findActivity("sms:unknown")).isEmpty();
    crm.addActivity(ada.id(), ActivityDraft.of(ActivityType.CALL, null, null));
    assertThat(crm.listActivities(ada.id(), PageRequest.first(1)).stream())
        .extracting(CustomerActivity::type).containsExactly(ActivityType.CALL, ActivityType.MESSAGE_RECEIVED);
    assertThatThrownBy(() -> crm.addActivity("missing", inbound)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void recordOrderCountsEachOrderOnceAndRejectsAnotherCurrency() {
    Customer ada = crm.create(ada().build());
    Instant t1 = Instant.parse("2025-02-01T00:00:00Z");

    crm.recordOrder(ada.id(), new OrderDraft("A-1", Money.of("19.99", "USD"), t1));
    CustomerStats stats = crm.recordOrder(ada.id(), new OrderDraft("A-2", Money.of("10", "USD"), t1.plusSeconds(60)));
    CustomerStats repeated = crm.recordOrder(ada.id(), new OrderDraft("A-2", Money.of("10", "USD"), t1));

    assertThat(stats.totalOrders()).isEqualTo(2);
    assertThat(stats.totalRevenue().amount()).isEqualByComparingTo(new BigDecimal("29.99"));
    assertThat(stats.averageOrderValue()).isEqualTo(Money.of("15.00", "USD"));
    assertThat(stats.lastOrderAt()).isEqualTo(t1.plusSeconds(60));
    assertThat(repeated).isEqualTo(crm.require(ada.id()).stats());
    assertThat(repeated.totalOrders()).isEqualTo(2);
    assertThat(crm.require(ada.id()).segment()).isEqualTo(Segment.STANDARD);
    assertThat(crm.listActivities(ada.id(), PageRequest.first()).items())
        .extracting(CustomerActivity::type).containsOnly(ActivityType.ORDER_PLACED).hasSize(2);
    assertThatThrownBy(() -> crm.recordOrder(ada.id(), new OrderDraft("A-3", Money.of("5", "EUR"), t1)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("currency"));
    assertThat(crm.require(ada.id()).stats().totalOrders()).isEqualTo(2);
  }

  @Test
  void changesSinceReportsEveryWriteOnceInSequenceOrder() {
    Customer a = crm.create(CustomerDraft.builder().firstName("A").build());
    Customer b = crm.create(CustomerDraft.builder().firstName("B").build());
    ChangeBatch first = crm.changesSince(null, 1);
    assertThat(first.changes()).extracting(CustomerChange::customerId).containsExactly(a.id());
    assertThat(first.changes().get(0).type()).isEqualTo(ChangeType.CREATED);
    assertThat(first.hasMore()).isTrue();

    crm.update(a.id(), CustomerUpdate.builder().lastName("Z").build());
    crm.delete(b.id());
    ChangeBatch rest = crm.changesSince(first.nextCursor(), 10);

    assertThat(rest.changes()).extracting(CustomerChange::customerId).containsExactly(a.id(), b.id());
    assertThat(rest.changes()).extracting(CustomerChange::type).containsExactly(ChangeType.UPDATED, ChangeType.DELETED);
    assertThat(rest.hasMore()).isFalse();
    ChangeBatch none = crm.changesSince(rest.nextCursor(), 10);
    assertThat(none.changes()).isEmpty();
    assertThat(none.nextCursor()).isEqualTo(rest.nextCursor());
    assertThatThrownBy(() -> crm.changesSince("not-a-cursor", 10))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("cursor"));
    assertThatThrownBy(() -> crm.changesSince(null, 0)).isInstanceOf(ValidationException.class);
  }

  @Test
  void tenantsNeverSeeEachOthersCustomers() {
    NativeCustomerSystem other = newSystem("other-" + UUID.randomUUID());
    Customer ada = crm.create(ada().tag("t").build());
    crm.addActivity(ada.id(), new ActivityDraft(ActivityType.CALL, null, null, null, null, "key-1"));

    Customer twin = other.create(ada().build());

    assertThat(twin.id()).isNotEqualTo(ada.id());
    assertThat(other.get(ada.id())).isEmpty();
    assertThat(other.findByEmail("ada@example.com")).contains(twin);
    assertThat(other.search(CustomerQuery.builder().tag("t").build()).items()).isEmpty();
    assertThat(other.findActivity("key-1")).isEmpty();
    assertThat(other.changesSince(null, 10).changes()).extracting(CustomerChange::customerId)
        .containsExactly(twin.id());
    assertThatThrownBy(() -> other.addNote(ada.id(), NoteDraft.of("x"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> other.merge(twin.id(), ada.id())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void twoThreadsCreatingTheSamePhoneAtOnceMakeOneCustomer() throws Exception {
    List<Object> results = race(() -> crm.create(CustomerDraft.builder().firstName("Racer").phone("+1 415 555 0177")
        .build()));

    assertThat(results).filteredOn(Customer.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(ConflictException.class::isInstance).hasSize(1);
    assertThat(crm.search(CustomerQuery.builder().phone("4155550177").build()).items()).hasSize(1);
  }

  @Test
  void twoThreadsLoggingTheSameIdempotencyKeyAtOnceRecordOneActivity() throws Exception {
    Customer ada = crm.create(ada().build());
    ActivityDraft draft = new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.WHATSAPP, "hi", null, null,
        "wa:1");

    List<Object> results = race(() -> crm.addActivity(ada.id(), draft));

    assertThat(results).hasSize(2).allMatch(CustomerActivity.class::isInstance);
    assertThat(results.get(0)).isEqualTo(results.get(1));
    assertThat(crm.listActivities(ada.id(), PageRequest.first()).items()).hasSize(1);
  }

  @Test
  void notesAndActivitiesWrittenWhileTheirCustomerIsMergedAwayAllReachTheSurvivor() throws Exception {
    Customer survivor = crm.create(ada().build());
    Customer merged = crm.create(CustomerDraft.builder().firstName("Ada").lastName("L.").email("ada.l@example.org")
        .build());
    int writes = 40;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      Future<?> writer = pool.submit(() -> {
        start.await();
        for (int i = 0; i < writes; i++) {
          crm.addActivity(merged.id(), ActivityDraft.of(ActivityType.CALL, Channel.PHONE, "call " + i));
          crm.addNote(merged.id(), NoteDraft.of("note " + i));
        }
        return null;
      });
      Future<?> merger = pool.submit(() -> {
        start.await();
        Thread.sleep(5);
        return crm.merge(survivor.id(), merged.id());
      });
      start.countDown();
      writer.get();
      merger.get();
    } finally {
      pool.shutdownNow();
    }

    assertThat(crm.listActivities(survivor.id(), PageRequest.first(100)).stream()).hasSize(writes);
    assertThat(crm.listNotes(survivor.id(), PageRequest.first(100)).stream()).hasSize(writes);
  }

  /** Runs the task on two threads released at once; returns each result or the CrmException it threw. */
  private static List<Object> race(Callable<Object> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          try {
            return task.call();
          } catch (CrmException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<Object> results = new ArrayList<>();
      for (Future<Object> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
