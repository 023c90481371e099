package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.OrderDraft;
import dev.crmkit.PageRequest;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Values the native store cannot hold are rejected with a {@link ValidationException} naming the
 * field, before anything is written; one bad draft in a batch rejects that draft only. Run on each
 * database by a subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NativeInputLimitsContract {
  private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

  private DataSource dataSource;
  private final TickingClock clock = new TickingClock(START);
  private NativeCustomerSystem crm;
  private Customer ada;

  abstract DataSource createDataSource();

  @BeforeAll
  void installSchema() {
    dataSource = createDataSource();
    NativeSchema.migrate(dataSource);
  }

  @BeforeEach
  void openFreshTenant() {
    crm = NativeCustomerSystem.open(dataSource, "tenant-" + UUID.randomUUID(), clock, PhoneNumbers.forRegion("US"));
    ada = crm.create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").build());
  }

  /** A draft made with the canonical constructor, which skips the builder's checks. */
  private static CustomerDraft raw(String firstName, String email, Map<String, String> customFields) {
    return new CustomerDraft(firstName, null, email, null, null, null, null, null, null, null, null, customFields,
        null, null);
  }

  private static FieldError rejection(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ValidationException.class);
    return ((ValidationException) thrown).fieldErrors().get(0);
  }

  @Test
  void anOverLongCustomFieldValueRejectsItsDraftAloneAndTheRowsBesideItAreStored() {
    List<CustomerDraft> drafts = new ArrayList<>();
    drafts.add(raw("Before", "before@example.com", Map.of("plan", "pro")));
    drafts.add(raw("Huge", "huge@example.com", Map.of("bio", "x".repeat(1_000_001))));
    drafts.add(raw("After", "after@example.com", Map.of("plan", "basic")));

    List<UpsertOutcome> out = crm.upsert(drafts);

    assertThat(out).extracting(UpsertOutcome::status).containsExactly(UpsertOutcome.Status.CREATED,
        UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.CREATED);
    assertThat(out.get(1).error()).isInstanceOfSatisfying(ValidationException.class, e -> {
      FieldError f = e.fieldErrors().get(0);
      assertThat(f.field()).isEqualTo("customFields.bio");
      assertThat(f.message()).contains("65536");
      assertThat(f.value()).hasSizeLessThan(100);
    });
    assertThat(crm.findByEmail("before@example.com").orElseThrow().customFields()).containsEntry("plan", "pro");
    assertThat(crm.findByEmail("after@example.com").orElseThrow().customFields()).containsEntry("plan", "basic");
    assertThat(crm.findByEmail("huge@example.com")).isEmpty();
  }

  @Test
  void aNulOrALoneSurrogateInAnyTextRejectsItsDraftAloneNamingTheField() {
    List<CustomerDraft> drafts = new ArrayList<>();
    drafts.add(raw("Nul\u0000Name", "nul@example.com", Map.of()));
    drafts.add(raw("Kept", "kept@example.com", Map.of()));
    drafts.add(raw("Half\uD83D", "half@example.com", Map.of()));
    drafts.add(raw("Field", "field@example.com", Map.of("note", "a\u0000b")));

    List<UpsertOutcome> out = crm.upsert(drafts);

    assertThat(out).extracting(UpsertOutcome::status).containsExactly(UpsertOutcome.Status.REJECTED,
        UpsertOutcome.Status.CREATED, UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.REJECTED);
    assertThat(out).extracting(o -> o.error() == null ? null
        : ((ValidationException) o.error()).fieldErrors().get(0).field())
        .containsExactly("firstName", null, "firstName", "customFields.note");
    assertThat(crm.findByEmail("kept@example.com")).isPresent();
    assertThat(rejection(() -> crm.create(raw("Nul\u0000", "n2@example.com", Map.of()))).field())
        .isEqualTo("firstName");
    assertThat(rejection(() -> crm.addNote(ada.id(), NoteDraft.of("see\u0000you"))).field()).isEqualTo("content");
    assertThat(rejection(() -> crm.update(ada.id(), CustomerUpdate.builder().company("Acme\uDC00").build())).field())
        .isEqualTo("company");
    assertThat(crm.require(ada.id()).company()).isNull();
  }

  @Test
  void namesOfTwoHundredFiftyFiveDottedCapitalIsAreStoredAndFoundByName() {
    String name = "\u0130".repeat(255);

    Customer stored = crm.create(CustomerDraft.builder().firstName(name).lastName(name).company(name).build());

    assertThat(crm.require(stored.id()).firstName()).isEqualTo(name);
    assertThat(crm.search(CustomerQuery.builder().name("\u0130\u0130\u0130").build()).items())
        .extracting(Customer::id).containsExactly(stored.id());
    Customer twin = crm.create(CustomerDraft.builder().firstName(name).lastName(name).company(name).build());
    assertThat(crm.findDuplicates(10)).anySatisfy(g -> assertThat(g.customers()).extracting(Customer::id)
        .containsExactlyInAnyOrder(stored.id(), twin.id()));
  }

  @Test
  void createdByMetadataKeysAndOrderIdsOverTwoHundredFiftyFiveCharactersAreRejected() {
    String long256 = "k".repeat(256);

    assertThat(rejection(() -> crm.addNote(ada.id(), new NoteDraft("hello", long256, null))).field())
        .isEqualTo("createdBy");
    assertThat(rejection(() -> crm.addActivity(ada.id(), new ActivityDraft(ActivityType.OTHER, null, "x", null,
        Map.of(long256, "v"), null))).field()).isEqualTo("metadata");
    assertThat(rejection(() -> crm.recordOrder(ada.id(), new OrderDraft(long256, Money.of("1", "USD"), START)))
        .field()).isEqualTo("orderId");
    assertThat(crm.listNotes(ada.id(), PageRequest.first()).items()).isEmpty();
    assertThat(crm.listActivities(ada.id(), PageRequest.first()).items()).isEmpty();
    assertThat(crm.require(ada.id()).stats().totalOrders()).isZero();
  }

  @Test
  void anAmountBeyondTheColumnOrWithMoreThanFourDecimalsIsRejectedAndAStoredAmountReadsBackAsRecorded() {
    FieldError huge = rejection(() -> crm.recordOrder(ada.id(), new OrderDraft("o-1", Money.of("1e20", "USD"), START)));
    FieldError fine = rejection(() -> crm.recordOrder(ada.id(), new OrderDraft("o-2", Money.of("0.12345", "USD"),
        START)));

    assertThat(huge.field()).isEqualTo("amount");
    assertThat(fine.field()).isEqualTo("amount");
    assertThat(fine.message()).contains("4");
    assertThat(crm.require(ada.id()).stats().totalOrders()).isZero();
    assertThat(crm.recordOrder(ada.id(), new OrderDraft("o-3", Money.of("0.1234", "USD"), START)).totalRevenue())
        .isEqualTo(crm.require(ada.id()).stats().totalRevenue());
    assertThat(crm.require(ada.id()).stats().totalRevenue().amount()).isEqualByComparingTo("0.1234");
  }

  @Test
  void anOrderThatWouldTakeTheTotalRevenueBeyondTheColumnIsRejectedAndNothingIsCounted() {
    crm.recordOrder(ada.id(), new OrderDraft("o-1", Money.of("999999999999999", "USD"), START));

    FieldError e = rejection(() -> crm.recordOrder(ada.id(), new OrderDraft("o-2", Money.of("1", "USD"), START)));

    assertThat(e.field()).isEqualTo("amount");
    assertThat(crm.require(ada.id()).stats().totalOrders()).isEqualTo(1);
    assertThat(crm.listActivities(ada.id(), PageRequest.first()).items()).hasSize(1);
  }

  @Test
  void aCustomerStoredUnderLooserLimitsCanStillBeUpdatedWhileNewValuesMeetTheLimits() throws Exception {
    Customer bio = crm.create(CustomerDraft.builder().firstName("Bio").customField("bio", "short").build());
    String legacy = "x".repeat(70_000);
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement(
            "UPDATE crm_customer_fields SET field_value = ? WHERE tenant_id = ? AND customer_id = ?")) {
      ps.setString(1, legacy);
      ps.setString(2, crm.tenantId());
      ps.setString(3, bio.id());
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    Customer renamed = crm.update(bio.id(), CustomerUpdate.builder().company("Acme").build());

    assertThat(renamed.company()).isEqualTo("Acme");
    assertThat(crm.require(bio.id()).customFields()).containsEntry("bio", legacy);
    Customer wanted = renamed.toBuilder().customFields(Map.of("bio", legacy, "cv", legacy)).build();
    assertThat(rejection(() -> crm.update(bio.id(), CustomerUpdate.between(renamed, wanted))).field())
        .isEqualTo("customFields.cv");
  }

  @Test
  void instantsOutsideYearsOneToNineThousandNineHundredNinetyNineAreRejectedNamingTheField() {
    assertThat(rejection(() -> crm.addActivity(ada.id(), new ActivityDraft(ActivityType.OTHER, null, "x",
        Instant.MIN, null, null))).field()).isEqualTo("occurredAt");
    assertThat(rejection(() -> crm.addNote(ada.id(), new NoteDraft("x", null, Instant.MAX))).field())
        .isEqualTo("createdAt");
    assertThat(rejection(() -> crm.create(CustomerDraft.builder().firstName("Old").createdAt(Instant.MIN).build()))
        .field()).isEqualTo("createdAt");
    assertThat(rejection(() -> crm.recordOrder(ada.id(), new OrderDraft("o-1", Money.of("1", "USD"), Instant.MAX)))
        .field()).isEqualTo("placedAt");
    Instant year1 = Instant.parse("0001-01-01T00:00:00Z");
    assertThat(crm.addNote(ada.id(), new NoteDraft("first note", null, year1)).createdAt()).isEqualTo(year1);
  }

  @Test
  void aMessageDatedTooFarAheadOfTheClockIsRejectedAndLastContactKeepsMovingWithLaterMessages() {
    Instant far = Instant.parse("2999-01-01T00:00:00Z");

    FieldError error = rejection(() -> crm.logInteraction(ada.id(), new ActivityDraft(
        ActivityType.MESSAGE_RECEIVED, Channel.SMS, "from the future", far, null, "sms:future")));

    assertThat(error.field()).isEqualTo("occurredAt");
    assertThat(crm.require(ada.id()).lastContactAt()).isNull();
    assertThat(crm.findActivity("sms:future")).isEmpty();
    Instant soon = START.plus(Duration.ofHours(23));
    assertThat(crm.logInteraction(ada.id(), new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "skewed",
        soon, null, "sms:soon")).customer().lastContactAt()).isEqualTo(soon);
    assertThat(rejection(() -> crm.addActivity(ada.id(), new ActivityDraft(ActivityType.CALL, null, "call",
        START.plus(Duration.ofDays(3)), null, null))).field()).isEqualTo("occurredAt");
    assertThat(rejection(() -> crm.update(ada.id(), CustomerUpdate.builder().lastContactAt(far).build())).field())
        .isEqualTo("lastContactAt");
    assertThat(rejection(() -> crm.create(CustomerDraft.builder().firstName("Time").lastContactAt(far).build()))
        .field()).isEqualTo("lastContactAt");
    List<UpsertOutcome> out = crm.upsert(List.of(
        CustomerDraft.builder().email("ada@example.com").lastContactAt(far).build(),
        CustomerDraft.builder().firstName("Now").email("now@example.com").build()));
    assertThat(out).extracting(UpsertOutcome::status)
        .containsExactly(UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.CREATED);
    assertThat(crm.require(ada.id()).lastContactAt()).isEqualTo(soon);
  }

  @Test
  void aRejectionShowsOnlyAShortPrefixOfTheValueWithItsNulEscaped() {
    Throwable e = catchThrowable(() -> crm.create(raw("Ada\u0000" + "x".repeat(300), "ada2@example.com", Map.of())));

    assertThat(e).isInstanceOf(ValidationException.class);
    assertThat(e.getMessage()).hasSizeLessThan(300).contains("firstName").contains("Ada\\u0000xx")
        .doesNotContain("\u0000");
    CustomerDraft longKeys = new CustomerDraft("Ada", null, "a".repeat(100_000) + "@example.com", "5".repeat(100_000),
        null, null, null, null, null, null, null, null, null, null);
    Throwable keys = catchThrowable(() -> crm.create(longKeys));
    assertThat(keys).isInstanceOfSatisfying(ValidationException.class, v -> {
      assertThat(v.fieldErrors()).extracting(FieldError::field).containsExactlyInAnyOrder("email", "phone");
      assertThat(v.getMessage()).hasSizeLessThan(400);
    });
  }
}
