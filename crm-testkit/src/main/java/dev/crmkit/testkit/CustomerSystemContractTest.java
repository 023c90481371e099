package dev.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealStage;
import dev.crmkit.DealStatus;
import dev.crmkit.DealUpdate;
import dev.crmkit.Interaction;
import dev.crmkit.MergeResult;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.OptInStatus;
import dev.crmkit.OrderDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.Segment;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.provider.ProviderDescriptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The provider contract suite (TCK): every {@link CustomerSystem} must pass it. A provider's test
 * extends this class and says how to open a system for a tenant on a given clock:
 *
 * <pre>{@code
 * class NativeCustomerSystemContractTest extends CustomerSystemContractTest {
 *   private final DataSource dataSource = ...; // one database shared by all tenants of the test
 *
 *   @Override
 *   protected CustomerSystem newSystem(String tenantId, Clock clock) {
 *     TenantConfig config = TenantConfig.builder(tenantId, "native").build();
 *     return new NativeCustomerSystemProvider()
 *         .create(new ProviderContext(config, clock, Map.of(DataSource.class, dataSource)));
 *   }
 *
 *   @Override
 *   protected ProviderDescriptor descriptor() { // optional: checks capabilities against the descriptor
 *     return NativeCustomerSystemProvider.DESCRIPTOR;
 *   }
 * }
 * }</pre>
 *
 * <p>What the suite relies on, and nothing else:
 * <ul>
 *   <li>Each test uses fresh tenant ids ({@link #newTenantId()}, random by default), so a back end
 *       may keep data between tests. Two systems opened for different tenants must share one back
 *       end (one database, one vendor account emulator) so that tenant isolation is really tested.
 *   <li>The system takes every timestamp from the given clock, a {@link MutableClock} that starts
 *       at {@link #START} (a whole second) and only moves when a test moves it, in whole
 *       milliseconds. Many writes therefore share one instant, which the change feed must survive.
 *   <li>The tenant's default region is {@code US} (the {@link dev.crmkit.TenantConfig} default), so
 *       {@code (415) 555-0100} normalizes to {@code +14155550100}.
 *   <li>Ids are opaque: the suite never assumes a format, only that they are non-blank and stable.
 *       "Ordered by id" is checked as a stable order across pages, not as a particular comparator.
 *   <li>Money amounts are compared by value ({@code 35.5} equals {@code 35.50}).
 * </ul>
 *
 * <p>Every optional operation is guarded by its {@link Capability}: when the system lacks it, the
 * test asserts that the operation throws {@link UnsupportedCapabilityException} and stops. Tests
 * that need a second capability to observe the first (listing notes after a merge, say) are skipped
 * through an assumption when it is missing.
 *
 * <p>Readings of the {@link CustomerSystem} javadoc this suite takes where it could be read two
 * ways:
 * <ul>
 *   <li>Every per-customer operation (update, delete, restore, merge, notes, activities, orders)
 *       throws {@link NotFoundException} for an unknown id, including {@code listNotes} and
 *       {@code listActivities}.
 *   <li>A malformed email or a phone without digits given to {@code findByEmail} /
 *       {@code findByPhone} finds nothing rather than throwing.
 *   <li>In {@code upsert}, a later draft with the same email or phone as an earlier one in the same
 *       call updates the customer the earlier one created; a draft whose phone has no digits is
 *       rejected with a {@link ValidationException} naming {@code phone}.
 *   <li>Idempotency keys of activities, of notes and of deals are unique per tenant, not per
 *       customer: a key used again, on any customer of the tenant, returns the earlier record.
 *   <li>Order ids count once per customer at least (the suite records the same order twice for one
 *       customer only); the first order moves a {@link Segment#PROSPECT} to {@link Segment#STANDARD}.
 *   <li>A customer created before a change-feed cursor and changed after it is reported as
 *       {@link ChangeType#UPDATED}; a soft-deleted one as {@link ChangeType#DELETED} without
 *       {@code mergedIntoId}. The suite does not decide how a customer both created and changed
 *       after the cursor is typed.
 *   <li>Search cursors, note, activity and deal cursors and change-feed cursors that the system did
 *       not issue are rejected with a {@link ValidationException} naming {@code cursor}.
 *   <li>Deals: pipeline and stage ids are the back end's and opaque; the suite takes them from
 *       {@link CustomerSystem#pipelines()} and never names one. A deal's status is its stage's. Deals
 *       are listed newest created first. {@code getDeal} of an unknown id (or another tenant's) is
 *       empty; {@code createDeal}, {@code listDeals} and {@code updateDeal} of an unknown customer or
 *       deal throw {@link NotFoundException}. A deal's owner is the value of {@link #dealOwner()}.
 *   <li>A note with an idempotency key is recorded once on a system with
 *       {@link Capability#IDEMPOTENT_ACTIVITIES}; a system with {@link Capability#NOTES} but without
 *       it refuses such a note with a {@link ValidationException} naming {@code idempotencyKey}.
 *   <li>A customer merged away is not listed by a search without {@code includeDeleted}.
 *   <li>Tags and custom fields are written only when {@link Capability#TAGS} /
 *       {@link Capability#CUSTOM_FIELDS} are listed. Without them, a draft carrying tags or custom
 *       fields must be refused with {@link UnsupportedCapabilityException} or
 *       {@link ValidationException}, never stored without them. The same holds for a deal's custom
 *       fields.
 * </ul>
 *
 * <p>Not thread-safe: JUnit creates one instance per test method.
 */
public abstract class CustomerSystemContractTest {
  /** Where every test's clock starts: {@value}. */
  public static final String START_TEXT = "2025-03-14T09:26:53Z";
  /** {@link #START_TEXT} as an instant. */
  protected static final Instant START = Instant.parse(START_TEXT);

  /** For subclasses, one per provider under test. */
  protected CustomerSystemContractTest() {}

  /** The clock of every system this test opens; moved only by the test. */
  protected MutableClock clock;
  /** The tenant of {@link #system}. */
  protected String tenantId;
  /** A system for a fresh tenant, opened before each test and closed after it. */
  protected CustomerSystem system;

  private final List<CustomerSystem> opened = new ArrayList<>();

  /**
   * Opens a system for a tenant on the given clock. Called once per test for {@link #system} and
   * again by tests that need a second tenant.
   *
   * @param tenantId a tenant id no earlier test used (see {@link #newTenantId()})
   * @param clock the clock the system must take every timestamp from
   * @return an open system; the suite closes it after the test
   */
  protected abstract CustomerSystem newSystem(String tenantId, Clock clock);

  /**
   * The descriptor of the provider under test, such as {@code NativeCustomerSystemProvider.DESCRIPTOR};
   * by default {@code null}, which skips {@link #capabilitiesAreTheDescribedFeatures}. A provider's
   * test overrides it so that the catalogue cannot promise what its systems do not do.
   */
  protected ProviderDescriptor descriptor() {
    return null;
  }

  /**
   * The owner the deal tests write and expect back: by default {@code "agent-7"}. A back end whose
   * owners are its own user ids (HubSpot's {@code hubspot_owner_id}) returns one its test account knows.
   */
  protected String dealOwner() {
    return "agent-7";
  }

  /**
   * The precision at which the back end keeps times, by default one millisecond: change times are compared
   * after truncation to it. A back end that keeps whole seconds (Salesforce's date-times) returns one second.
   */
  protected Duration timestampPrecision() {
    return Duration.ofMillis(1);
  }

  private Instant atPrecision(Instant t) {
    long unit = timestampPrecision().toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), unit) * unit);
  }

  /** A tenant id for one test; by default {@code "tck-"} and a random UUID (40 characters). */
  protected String newTenantId() {
    return "tck-" + UUID.randomUUID();
  }

  @BeforeEach
  final void openSystemForFreshTenant() {
    clock = new MutableClock(START);
    tenantId = newTenantId();
    system = open(tenantId);
  }

  @AfterEach
  final void closeSystems() {
    for (CustomerSystem s : opened) {
      s.close();
    }
    opened.clear();
  }

  /** Opens a further system (for another tenant) that the suite closes after the test. */
  protected final CustomerSystem open(String tenant) {
    CustomerSystem s = newSystem(tenant, clock);
    opened.add(s);
    return s;
  }

  // ------------------------------------------------------------------------------------ helpers

  /**
   * When {@link #system} lacks the capability, asserts that {@code call} throws
   * {@link UnsupportedCapabilityException} for it and returns true; otherwise returns false without
   * running {@code call}.
   */
  protected final boolean lacks(Capability capability, ThrowingCallable call) {
    if (system.supports(capability)) {
      return false;
    }
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(UnsupportedCapabilityException.class,
            e -> assertThat(e.capability()).isEqualTo(capability));
    return true;
  }

  /** Skips the test unless {@link #system} has every given capability. */
  protected final void assumeCapabilities(Capability... capabilities) {
    for (Capability c : capabilities) {
      assumeTrue(system.supports(c), () -> system.providerName() + " lacks " + c + ", which this test needs");
    }
  }

  private static CustomerDraft.Builder person(String first, String last) {
    return CustomerDraft.builder().firstName(first).lastName(last);
  }

  /** Adds the tags when the system stores tags; a system without {@link Capability#TAGS} gets none. */
  private CustomerDraft.Builder tagged(CustomerDraft.Builder draft, String... tags) {
    if (system.supports(Capability.TAGS)) {
      for (String t : tags) {
        draft.tag(t);
      }
    }
    return draft;
  }

  /** Adds a custom field when the system stores them ({@link Capability#CUSTOM_FIELDS}). */
  private CustomerDraft.Builder withField(CustomerDraft.Builder draft, String name, String value) {
    if (system.supports(Capability.CUSTOM_FIELDS)) {
      draft.customField(name, value);
    }
    return draft;
  }

  /** The customer has exactly these tags, or none when the system lacks {@link Capability#TAGS}. */
  private void assertTags(Customer c, String... expected) {
    if (system.supports(Capability.TAGS)) {
      assertThat(c.tags()).containsExactlyInAnyOrder(expected);
    } else {
      assertThat(c.tags()).isEmpty();
    }
  }

  /** The customer has exactly these custom fields, or none without {@link Capability#CUSTOM_FIELDS}. */
  private void assertCustomFields(Customer c, Map<String, String> expected) {
    if (system.supports(Capability.CUSTOM_FIELDS)) {
      assertThat(c.customFields()).containsExactlyInAnyOrderEntriesOf(expected);
    } else {
      assertThat(c.customFields()).isEmpty();
    }
  }

  private Customer create(CustomerDraft.Builder draft) {
    return system.create(draft.build());
  }

  private Customer createWithEmail(String first, String email) {
    return create(person(first, "Tester").email(email));
  }

  private static void assertValidationNaming(ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).extracting(FieldError::field).contains(field));
  }

  private static void assertValidationNaming(ThrowingCallable call, String field, String value) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).anySatisfy(f -> {
          assertThat(f.field()).isEqualTo(field);
          assertThat(f.value()).isEqualTo(value);
        }));
  }

  private static void assertConflict(ThrowingCallable call, String field, String existingId) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ConflictException.class, e -> {
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.existingId()).isEqualTo(existingId);
    });
  }

  private static void assertNotFound(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(NotFoundException.class);
  }

  private static <T> List<T> all(Page<T> page) {
    return StreamSupport.stream(page.autoPaging().spliterator(), false).collect(Collectors.toList());
  }

  private static List<String> ids(List<Customer> customers) {
    return customers.stream().map(Customer::id).collect(Collectors.toList());
  }

  private List<CustomerChange> drainChanges(String cursor, int limit) {
    List<CustomerChange> changes = new ArrayList<>();
    String c = cursor;
    for (int round = 0; round < 10_000; round++) {
      ChangeBatch batch = system.changesSince(c, limit);
      assertThat(batch.changes()).hasSizeLessThanOrEqualTo(limit);
      changes.addAll(batch.changes());
      c = batch.nextCursor();
      if (!batch.hasMore()) {
        return changes;
      }
    }
    throw new AssertionError("the change feed never ran dry");
  }

  private static String unknownId() {
    return UUID.randomUUID().toString();
  }

  // ------------------------------------------------------------------------------------ descriptor

  /**
   * The system's capabilities are its provider's {@link ProviderDescriptor#features()}, and its
   * provider name is the descriptor's. Skipped when {@link #descriptor()} is {@code null}.
   */
  @Test
  protected final void capabilitiesAreTheDescribedFeatures() {
    ProviderDescriptor d = descriptor();
    assumeTrue(d != null, "the test gives no descriptor()");
    assertThat(system.capabilities()).isEqualTo(d.features());
    assertThat(system.providerName()).isEqualTo(d.name());
  }

  // ------------------------------------------------------------------------------------ lookups

  @Nested
  class Lookups {
    @Test
    void aCreatedCustomerIsReadBackByIdWithEveryField() {
      Instant lastContact = START.minus(Duration.ofDays(2));
      CustomerDraft.Builder draft = person("Ada", "Lovelace")
          .email("  Ada.Lovelace@Example.COM ")
          .phone("(415) 555-0100 ext. 12")
          .company("Analytical Engines")
          .preferredChannel(Channel.WHATSAPP)
          .language("pt_BR")
          .address(new Address("1 Main St", null, "London", null, "N1 9GU", "GB"))
          .optIn(Channel.EMAIL, OptInStatus.OPTED_IN)
          .lastContactAt(lastContact);
      Customer created = create(withField(tagged(draft, "vip-lead"), "source", "fair"));

      assertThat(created.id()).isNotBlank();
      assertThat(created.tenantId()).isEqualTo(tenantId);
      assertThat(created.email()).isEqualTo("ada.lovelace@example.com");
      assertThat(created.phone()).isEqualTo("+14155550100");
      assertThat(created.phoneExtension()).isEqualTo("12");
      assertThat(created.company()).isEqualTo("Analytical Engines");
      assertThat(created.preferredChannel()).isEqualTo(Channel.WHATSAPP);
      assertThat(created.language()).isEqualTo("pt-BR");
      assertThat(created.address()).isEqualTo(new Address("1 Main St", null, "London", null, "N1 9GU", "GB"));
      assertThat(created.contactPreferences().isOptedIn(Channel.EMAIL)).isTrue();
      assertTags(created, "vip-lead");
      assertCustomFields(created, Map.of("source", "fair"));
      assertThat(created.segment()).isEqualTo(Segment.PROSPECT);
      assertThat(created.stats()).isEqualTo(CustomerStats.NONE);
      assertThat(created.createdAt()).isEqualTo(START);
      assertThat(created.updatedAt()).isEqualTo(START);
      assertThat(created.lastContactAt()).isEqualTo(lastContact);
      assertThat(created.deletedAt()).isNull();

      assertThat(system.get(created.id())).contains(created);
      assertThat(system.require(created.id())).isEqualTo(created);
    }

    @Test
    void getOfAnUnknownIdIsEmptyAndRequireThrowsNotFound() {
      String id = unknownId();
      assertThat(system.get(id)).isEmpty();
      assertThatThrownBy(() -> system.require(id))
          .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.id()).isEqualTo(id));
    }

    @Test
    void getOfAnIdInAnotherShapeThanTheSystemsIsEmpty() {
      assertThat(system.get("no such customer")).isEmpty();
    }

    @Test
    void findByEmailMatchesTheAddressInAnyCaseWithSurroundingSpaces() {
      Customer c = createWithEmail("Jo", "jo.smith@example.com");
      assertThat(system.findByEmail("  JO.Smith@EXAMPLE.com ")).map(Customer::id).contains(c.id());
      assertThat(system.findByEmail("jo.smith@example.com")).map(Customer::id).contains(c.id());
    }

    @Test
    void findByEmailOfAnUnknownOrMalformedAddressFindsNothing() {
      createWithEmail("Jo", "jo@example.com");
      assertThat(system.findByEmail("someone.else@example.com")).isEmpty();
      assertThat(system.findByEmail("not an email")).isEmpty();
      assertThat(system.findByEmail("jo@@example.com")).isEmpty();
    }

    @Test
    void findByPhoneMatchesTheNumberInEveryFormat() {
      Customer c = create(person("Pat", "Doe").phone("+1 415-555-0100"));
      for (String format : List.of("(415) 555-0100", "415.555.0100", "+14155550100", "001 415 555 0100", "1-415-555-0100")) {
        assertThat(system.findByPhone(format)).as(format).map(Customer::id).contains(c.id());
      }
    }

    @Test
    void findByPhoneOfAnUnknownNumberOrOneWithoutDigitsFindsNothing() {
      create(person("Pat", "Doe").phone("+1 415-555-0100"));
      assertThat(system.findByPhone("(415) 555-0199")).isEmpty();
      assertThat(system.findByPhone("call me maybe")).isEmpty();
    }

    @Test
    void aNumberThatCannotBeParsedIsKeptAsTypedAndFoundByItsDigits() {
      // Seven digits or more: a shorter value is a fragment that identifies nobody (PhoneNumbers).
      Customer c = create(person("Short", "Number").phone("1234567"));
      assertThat(c.phone()).isEqualTo("1234567");
      assertThat(system.findByPhone("1-2-3-4-5-6-7")).map(Customer::id).contains(c.id());
    }
  }

  // ------------------------------------------------------------------------------------ create

  @Nested
  class Creating {
    @Test
    void createKeepsTheCreationTimeOfAnImportedRecord() {
      Instant imported = START.minus(Duration.ofDays(400));
      Customer c = create(person("Old", "Record").createdAt(imported));
      assertThat(c.createdAt()).isEqualTo(imported);
      assertThat(c.updatedAt()).isEqualTo(START);
    }

    @Test
    void createWithAnEmailAnotherCustomerHoldsThrowsConflictNamingEmailAndTheHolder() {
      Customer first = createWithEmail("First", "taken@example.com");
      assertConflict(() -> create(person("Second", "Tester").email("TAKEN@example.com")), "email", first.id());
      assertThat(system.findByEmail("taken@example.com")).map(Customer::id).contains(first.id());
    }

    @Test
    void createWithAPhoneAnotherCustomerHoldsInAnotherFormatThrowsConflictNamingPhone() {
      Customer first = create(person("First", "Tester").phone("+14155550100"));
      assertConflict(() -> create(person("Second", "Tester").phone("(415) 555-0100")), "phone", first.id());
    }

    @Test
    void aRejectedCreateWritesNothing() {
      createWithEmail("First", "taken@example.com");
      assertThatThrownBy(() -> create(person("Second", "Tester").email("taken@example.com").phone("+14155550177")))
          .isInstanceOf(ConflictException.class);
      assertThat(system.findByPhone("+14155550177")).isEmpty();
    }

    @Test
    void createWithAPhoneWithoutDigitsThrowsValidationNamingPhoneAndValue() {
      assertValidationNaming(() -> create(person("No", "Digits").phone("call me")), "phone", "call me");
    }

    @Test
    void tagsAreStoredOrTheDraftIsRejectedButNeverDropped() {
      CustomerDraft.Builder draft = person("Tagged", "One").tag("first-contact");
      if (system.supports(Capability.TAGS)) {
        assertThat(system.require(create(draft).id()).tags()).containsExactly("first-contact");
      } else {
        assertThatThrownBy(() -> create(draft))
            .isInstanceOfAny(UnsupportedCapabilityException.class, ValidationException.class);
      }
    }

    @Test
    void customFieldsAreStoredOrTheDraftIsRejectedButNeverDropped() {
      CustomerDraft.Builder draft = person("Fielded", "One").customField("loyaltyId", "L-1");
      if (system.supports(Capability.CUSTOM_FIELDS)) {
        assertThat(system.require(create(draft).id()).customFields()).containsExactlyEntriesOf(Map.of("loyaltyId", "L-1"));
      } else {
        assertThatThrownBy(() -> create(draft))
            .isInstanceOfAny(UnsupportedCapabilityException.class, ValidationException.class);
      }
    }

    @Test
    void createOfNoDraftThrowsValidation() {
      assertThatThrownBy(() -> system.create(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void twoTenantsCanHoldTheSameEmailAndPhone() {
      createWithEmail("Here", "shared@example.com");
      CustomerSystem other = open(newTenantId());
      Customer there = other.create(person("There", "Tester").email("shared@example.com").phone("+14155550100").build());
      assertThat(other.findByEmail("shared@example.com")).map(Customer::id).contains(there.id());
    }

    @Test
    void concurrentCreatesWithTheSamePhoneCreateExactlyOneCustomer() throws Exception {
      int threads = 6;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Callable<Customer>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          int n = i;
          tasks.add(() -> create(person("Racer", "No" + n).phone("+1 415 555 0123")));
        }
        int created = 0;
        int conflicts = 0;
        for (Future<Customer> f : pool.invokeAll(tasks)) {
          try {
            f.get();
            created++;
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ConflictException.class);
            conflicts++;
          }
        }
        assertThat(created).isEqualTo(1);
        assertThat(conflicts).isEqualTo(threads - 1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(system.findByPhone("4155550123")).isPresent();
    }
  }

  // ------------------------------------------------------------------------------------ update

  @Nested
  class Updating {
    @Test
    void updateSetsClearsAndLeavesFields() {
      Customer c = create(person("Grace", "Hopper").company("Navy").email("grace@example.com"));
      Instant later = clock.advance(Duration.ofMinutes(5));

      CustomerUpdate.Builder update = CustomerUpdate.builder().company("Harvard").lastName(null);
      if (system.supports(Capability.TAGS)) {
        update.tags(Set.of("speaker"));
      }
      if (system.supports(Capability.CUSTOM_FIELDS)) {
        update.customFields(Map.of("rank", "admiral"));
      }
      Customer updated = system.update(c.id(), update.build());

      assertThat(updated.id()).isEqualTo(c.id());
      assertThat(updated.firstName()).isEqualTo("Grace");
      assertThat(updated.lastName()).isNull();
      assertThat(updated.company()).isEqualTo("Harvard");
      assertThat(updated.email()).isEqualTo("grace@example.com");
      assertTags(updated, "speaker");
      assertCustomFields(updated, Map.of("rank", "admiral"));
      assertThat(updated.createdAt()).isEqualTo(START);
      assertThat(updated.updatedAt()).isEqualTo(later);
      assertThat(system.require(c.id())).isEqualTo(updated);
    }

    @Test
    void updateOfTheEmailMovesTheLookup() {
      Customer c = createWithEmail("Moving", "old@example.com");
      system.update(c.id(), CustomerUpdate.builder().email("New@Example.com").build());
      assertThat(system.findByEmail("old@example.com")).isEmpty();
      assertThat(system.findByEmail("new@example.com")).map(Customer::id).contains(c.id());
    }

    @Test
    void updateOfThePhoneNormalizesItAndMovesTheLookup() {
      Customer c = create(person("Moving", "Phone").phone("+14155550100"));
      Customer updated = system.update(c.id(), CustomerUpdate.builder().phone("(415) 555-0142").build());
      assertThat(updated.phone()).isEqualTo("+14155550142");
      assertThat(system.findByPhone("+14155550100")).isEmpty();
      assertThat(system.findByPhone("415 555 0142")).map(Customer::id).contains(c.id());
    }

    @Test
    void updateToTheCustomersOwnEmailInAnotherCaseIsNoConflict() {
      Customer c = createWithEmail("Same", "same@example.com");
      Customer updated = system.update(c.id(), CustomerUpdate.builder().email("SAME@example.com").firstName("Still").build());
      assertThat(updated.email()).isEqualTo("same@example.com");
      assertThat(updated.firstName()).isEqualTo("Still");
    }

    @Test
    void updateToAnotherCustomersEmailThrowsConflictAndChangesNothing() {
      Customer holder = createWithEmail("Holder", "holder@example.com");
      Customer c = createWithEmail("Other", "other@example.com");
      assertConflict(() -> system.update(c.id(), CustomerUpdate.builder().email("holder@example.com").firstName("X").build()),
          "email", holder.id());
      assertThat(system.require(c.id())).isEqualTo(c);
    }

    @Test
    void updateToAnotherCustomersPhoneThrowsConflictNamingPhone() {
      Customer holder = create(person("Holder", "Tester").phone("+14155550100"));
      Customer c = create(person("Other", "Tester").phone("+14155550101"));
      assertConflict(() -> system.update(c.id(), CustomerUpdate.builder().phone("415-555-0100").build()),
          "phone", holder.id());
      assertThat(system.require(c.id()).phone()).isEqualTo("+14155550101");
    }

    @Test
    void updateWithAPhoneWithoutDigitsThrowsValidationNamingPhone() {
      Customer c = create(person("Some", "One").phone("+14155550100"));
      assertValidationNaming(() -> system.update(c.id(), CustomerUpdate.builder().phone("none").build()), "phone");
      assertThat(system.require(c.id()).phone()).isEqualTo("+14155550100");
    }

    @Test
    void updateOfAnUnknownIdThrowsNotFound() {
      assertNotFound(() -> system.update(unknownId(), CustomerUpdate.builder().firstName("X").build()));
    }
  }

  // ------------------------------------------------------------------------------------ delete and restore

  @Nested
  class DeletingAndRestoring {
    @Test
    void aDeletedCustomerIsNotFoundByEmailOrPhoneButGetReturnsItMarkedDeleted() {
      Customer c = create(person("Gone", "Soon").email("gone@example.com").phone("+14155550100"));
      if (lacks(Capability.DELETE, () -> system.delete(c.id()))) {
        return;
      }
      Instant when = clock.advance(Duration.ofSeconds(3));
      system.delete(c.id());
      assertThat(system.findByEmail("gone@example.com")).isEmpty();
      assertThat(system.findByPhone("+14155550100")).isEmpty();
      Customer deleted = system.get(c.id()).orElseThrow();
      assertThat(deleted.isDeleted()).isTrue();
      assertThat(deleted.deletedAt()).isEqualTo(when);
    }

    @Test
    void deletingADeletedCustomerDoesNothing() {
      Customer c = create(person("Gone", "Twice"));
      if (lacks(Capability.DELETE, () -> system.delete(c.id()))) {
        return;
      }
      system.delete(c.id());
      Customer deleted = system.require(c.id());
      clock.advance(Duration.ofMinutes(1));
      system.delete(c.id());
      assertThat(system.require(c.id())).isEqualTo(deleted);
    }

    @Test
    void deleteReleasesTheEmailAndPhoneForANewCustomer() {
      Customer c = create(person("Gone", "Soon").email("reuse@example.com").phone("+14155550100"));
      if (lacks(Capability.DELETE, () -> system.delete(c.id()))) {
        return;
      }
      system.delete(c.id());
      Customer next = create(person("Next", "One").email("reuse@example.com").phone("415 555 0100"));
      assertThat(next.id()).isNotEqualTo(c.id());
      assertThat(system.findByEmail("reuse@example.com")).map(Customer::id).contains(next.id());
    }

    @Test
    void restoreMakesTheCustomerLiveAndFindableAgain() {
      Customer c = create(person("Back", "Again").email("back@example.com").phone("+14155550100"));
      assumeCapabilities(Capability.DELETE);
      system.delete(c.id());
      if (lacks(Capability.RESTORE, () -> system.restore(c.id()))) {
        return;
      }
      Customer restored = system.restore(c.id());
      assertThat(restored.isDeleted()).isFalse();
      assertThat(restored.id()).isEqualTo(c.id());
      assertThat(system.findByEmail("back@example.com")).map(Customer::id).contains(c.id());
      assertThat(system.findByPhone("4155550100")).map(Customer::id).contains(c.id());
    }

    @Test
    void restoreWhenTheEmailWasTakenMeanwhileThrowsConflictAndKeepsItDeleted() {
      Customer c = createWithEmail("Old", "contested@example.com");
      assumeCapabilities(Capability.DELETE);
      system.delete(c.id());
      Customer taker = createWithEmail("New", "contested@example.com");
      if (lacks(Capability.RESTORE, () -> system.restore(c.id()))) {
        return;
      }
      assertConflict(() -> system.restore(c.id()), "email", taker.id());
      assertThat(system.require(c.id()).isDeleted()).isTrue();
    }

    @Test
    void restoreWhenThePhoneWasTakenMeanwhileThrowsConflictNamingPhone() {
      Customer c = create(person("Old", "Tester").phone("+14155550100"));
      assumeCapabilities(Capability.DELETE);
      system.delete(c.id());
      Customer taker = create(person("New", "Tester").phone("(415) 555-0100"));
      if (lacks(Capability.RESTORE, () -> system.restore(c.id()))) {
        return;
      }
      assertConflict(() -> system.restore(c.id()), "phone", taker.id());
    }
  }

  // ------------------------------------------------------------------------------------ merge

  @Nested
  class Merging {
    @Test
    void mergeKeepsTheSurvivorsValuesFillsWhatItLacksAndUnitesTagsAndCustomFields() {
      Customer survivor = create(withField(tagged(person("Sam", null).email("sam@example.com"), "a"), "tier", "gold"));
      clock.advance(Duration.ofSeconds(1));
      Customer merged = create(withField(withField(
          tagged(person("Samuel", "Jones").phone("+14155550100").company("Acme"), "b"),
          "tier", "silver"), "source", "import"));
      if (lacks(Capability.MERGE, () -> system.merge(survivor.id(), merged.id()))) {
        return;
      }
      MergeResult result = system.merge(survivor.id(), merged.id());

      Customer s = result.survivor();
      assertThat(s.id()).isEqualTo(survivor.id());
      assertThat(result.mergedId()).isEqualTo(merged.id());
      assertThat(s.firstName()).isEqualTo("Sam");
      assertThat(s.lastName()).isEqualTo("Jones");
      assertThat(s.company()).isEqualTo("Acme");
      assertThat(s.email()).isEqualTo("sam@example.com");
      assertThat(s.phone()).isEqualTo("+14155550100");
      assertTags(s, "a", "b");
      assertCustomFields(s, Map.of("tier", "gold", "source", "import"));
      assertThat(system.require(survivor.id())).isEqualTo(s);
    }

    @Test
    void getWithTheMergedIdReturnsTheSurvivor() {
      Customer survivor = create(person("Keep", "Me"));
      Customer merged = create(person("Fold", "Me"));
      if (lacks(Capability.MERGE, () -> system.merge(survivor.id(), merged.id()))) {
        return;
      }
      system.merge(survivor.id(), merged.id());
      assertThat(system.get(merged.id())).map(Customer::id).contains(survivor.id());
      assertThat(system.require(merged.id()).id()).isEqualTo(survivor.id());
    }

    @Test
    void mergeMovesNotesAndActivitiesToTheSurvivor() {
      Customer survivor = create(person("Keep", "Me"));
      Customer merged = create(person("Fold", "Me"));
      assumeCapabilities(Capability.MERGE, Capability.NOTES, Capability.ACTIVITIES);
      system.addNote(survivor.id(), NoteDraft.of("survivor's note"));
      system.addNote(merged.id(), NoteDraft.of("merged note 1"));
      system.addNote(merged.id(), NoteDraft.of("merged note 2"));
      system.addActivity(merged.id(), ActivityDraft.of(ActivityType.CALL, Channel.PHONE, "called"));

      MergeResult result = system.merge(survivor.id(), merged.id());

      assertThat(result.notesMoved()).isEqualTo(2);
      assertThat(result.activitiesMoved()).isEqualTo(1);
      List<CustomerNote> notes = all(system.listNotes(survivor.id(), PageRequest.first()));
      assertThat(notes).extracting(CustomerNote::content)
          .containsExactlyInAnyOrder("survivor's note", "merged note 1", "merged note 2");
      assertThat(notes).extracting(CustomerNote::customerId).containsOnly(survivor.id());
      List<CustomerActivity> activities = all(system.listActivities(survivor.id(), PageRequest.first()));
      assertThat(activities).extracting(CustomerActivity::description).containsExactly("called");
      assertThat(activities).extracting(CustomerActivity::customerId).containsOnly(survivor.id());
    }

    @Test
    void theChangeFeedReportsTheMergedCustomerAsDeletedIntoTheSurvivor() {
      Customer survivor = create(person("Keep", "Me"));
      Customer merged = create(person("Fold", "Me"));
      assumeCapabilities(Capability.MERGE, Capability.CHANGE_FEED);
      String cursor = drainAndCursor();
      system.merge(survivor.id(), merged.id());

      List<CustomerChange> changes = drainChanges(cursor, 100);
      assertThat(changes).filteredOn(c -> c.customerId().equals(merged.id())).singleElement().satisfies(c -> {
        assertThat(c.type()).isEqualTo(ChangeType.DELETED);
        assertThat(c.mergedIntoId()).isEqualTo(survivor.id());
      });
    }

    @Test
    void aMergedCustomerIsNotListedBySearch() {
      Customer survivor = create(person("Keep", "Me"));
      Customer merged = create(person("Fold", "Me"));
      assumeCapabilities(Capability.MERGE, Capability.SEARCH);
      system.merge(survivor.id(), merged.id());
      assertThat(ids(all(system.search(CustomerQuery.builder().build())))).containsExactly(survivor.id());
    }

    @Test
    void mergingACustomerIntoItselfThrowsValidationNamingMergedId() {
      Customer c = create(person("Only", "One"));
      if (lacks(Capability.MERGE, () -> system.merge(c.id(), c.id()))) {
        return;
      }
      assertValidationNaming(() -> system.merge(c.id(), c.id()), "mergedId");
    }

    @Test
    void mergingWithAnUnknownCustomerThrowsNotFound() {
      Customer c = create(person("Only", "One"));
      if (lacks(Capability.MERGE, () -> system.merge(c.id(), unknownId()))) {
        return;
      }
      assertNotFound(() -> system.merge(c.id(), unknownId()));
      assertNotFound(() -> system.merge(unknownId(), c.id()));
      assertThat(system.require(c.id()).isDeleted()).isFalse();
    }

    private String drainAndCursor() {
      String cursor = null;
      ChangeBatch batch;
      do {
        batch = system.changesSince(cursor, PageRequest.MAX_LIMIT);
        cursor = batch.nextCursor();
      } while (batch.hasMore());
      return cursor;
    }
  }

  // ------------------------------------------------------------------------------------ duplicates

  @Nested
  class FindingDuplicates {
    @Test
    void customersWhoseEmailsReachTheSameMailboxFormAnEmailGroupOldestFirst() {
      Customer older = createWithEmail("Jane", "jane.doe@gmail.com");
      clock.advance(Duration.ofSeconds(1));
      Customer newer = createWithEmail("Janet", "janedoe+shop@gmail.com");
      if (lacks(Capability.DUPLICATE_DETECTION, () -> system.findDuplicates(10))) {
        return;
      }
      assertThat(system.findDuplicates(10)).filteredOn(g -> g.reason().equals("email")).singleElement()
          .satisfies(g -> {
            assertThat(g.key()).isEqualTo("janedoe@gmail.com");
            assertThat(ids(g.customers())).containsExactly(older.id(), newer.id());
          });
    }

    @Test
    void customersWithTheSameNationalNumberFormAPhoneGroup() {
      Customer parsed = create(person("Lee", "One").phone("+1 415 555 0100"));
      clock.advance(Duration.ofSeconds(1));
      Customer typed = create(person("Lee", "Two").phone("999 415 555 0100"));
      if (lacks(Capability.DUPLICATE_DETECTION, () -> system.findDuplicates(10))) {
        return;
      }
      assertThat(system.findDuplicates(10)).filteredOn(g -> g.reason().equals("phone")).singleElement()
          .satisfies(g -> {
            assertThat(g.key()).isEqualTo("4155550100");
            assertThat(ids(g.customers())).containsExactly(parsed.id(), typed.id());
          });
    }

    @Test
    void customersWithTheSameNameAndCompanyFormANameGroup() {
      Customer a = create(person("Ana", "Silva").company("Acme").email("ana1@example.com"));
      clock.advance(Duration.ofSeconds(1));
      Customer b = create(person("ANA", "silva").company("acme").email("ana.s@example.org"));
      create(person("Ana", "Silva").company("Other Corp").email("ana3@example.net"));
      if (lacks(Capability.DUPLICATE_DETECTION, () -> system.findDuplicates(10))) {
        return;
      }
      assertThat(system.findDuplicates(10)).filteredOn(g -> g.reason().equals("name")).singleElement()
          .satisfies(g -> assertThat(ids(g.customers())).containsExactly(a.id(), b.id()));
    }

    @Test
    void distinctCustomersAndDeletedOnesFormNoGroup() {
      createWithEmail("One", "one@example.com");
      createWithEmail("Two", "o.n.e+x@example.com");
      createWithEmail("Three", "three@example.com");
      if (lacks(Capability.DUPLICATE_DETECTION, () -> system.findDuplicates(10))) {
        return;
      }
      Customer twin = createWithEmail("Four", "three+news@example.com");
      assumeCapabilities(Capability.DELETE);
      system.delete(twin.id());
      assertThat(system.findDuplicates(10)).isEmpty();
    }

    @Test
    void findDuplicatesReturnsAtMostTheLimitAndRejectsALimitOutOfRange() {
      for (int i = 0; i < 3; i++) {
        createWithEmail("A" + i, "dup" + i + "@example.com");
        createWithEmail("B" + i, "dup" + i + "+again@example.com");
      }
      if (lacks(Capability.DUPLICATE_DETECTION, () -> system.findDuplicates(10))) {
        return;
      }
      assertThat(system.findDuplicates(10)).hasSize(3);
      assertThat(system.findDuplicates(2)).hasSize(2);
      assertValidationNaming(() -> system.findDuplicates(0), "limit");
      assertValidationNaming(() -> system.findDuplicates(10_001), "limit");
    }
  }

  // ------------------------------------------------------------------------------------ upsert

  @Nested
  class Upserting {
    @Test
    void upsertCreatesAndUpdatesAndReportsOneOutcomePerDraftInInputOrder() {
      Customer existing = create(withField(tagged(person("Existing", "Customer").email("existing@example.com"), "old"),
          "a", "1"));
      List<CustomerDraft> drafts = List.of(
          person("New", "One").email("new1@example.com").build(),
          withField(tagged(CustomerDraft.builder().email("EXISTING@example.com").company("Acme"), "new"), "b", "2").build(),
          person("New", "Two").phone("+14155550100").build());
      if (lacks(Capability.BATCH_UPSERT, () -> system.upsert(drafts))) {
        return;
      }
      clock.advance(Duration.ofSeconds(1));
      List<UpsertOutcome> outcomes = system.upsert(drafts);

      assertThat(outcomes).extracting(UpsertOutcome::index).containsExactly(0, 1, 2);
      assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(
          UpsertOutcome.Status.CREATED, UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.CREATED);
      assertThat(outcomes).extracting(UpsertOutcome::error).containsOnlyNulls();
      Customer updated = outcomes.get(1).customer();
      assertThat(updated.id()).isEqualTo(existing.id());
      assertThat(updated.firstName()).isEqualTo("Existing");
      assertThat(updated.company()).isEqualTo("Acme");
      assertTags(updated, "old", "new");
      assertCustomFields(updated, Map.of("a", "1", "b", "2"));
      assertThat(system.require(existing.id())).isEqualTo(updated);
      assertThat(system.findByEmail("new1@example.com")).map(Customer::id).contains(outcomes.get(0).customer().id());
      assertThat(system.findByPhone("4155550100")).map(Customer::id).contains(outcomes.get(2).customer().id());
    }

    @Test
    void upsertMatchesByPhoneWhenTheEmailIsUnknown() {
      Customer existing = create(person("By", "Phone").phone("+14155550100"));
      List<CustomerDraft> drafts = List.of(CustomerDraft.builder().phone("(415) 555-0100").email("found@example.com").build());
      if (lacks(Capability.BATCH_UPSERT, () -> system.upsert(drafts))) {
        return;
      }
      UpsertOutcome outcome = system.upsert(drafts).get(0);
      assertThat(outcome.status()).isEqualTo(UpsertOutcome.Status.UPDATED);
      assertThat(outcome.customer().id()).isEqualTo(existing.id());
      assertThat(system.findByEmail("found@example.com")).map(Customer::id).contains(existing.id());
    }

    @Test
    void upsertRejectsABadDraftAloneAndStoresTheOthers() {
      List<CustomerDraft> drafts = List.of(
          person("Good", "One").email("good1@example.com").build(),
          person("Bad", "Phone").phone("no digits here").build(),
          person("Good", "Two").email("good2@example.com").build());
      if (lacks(Capability.BATCH_UPSERT, () -> system.upsert(drafts))) {
        return;
      }
      List<UpsertOutcome> outcomes = system.upsert(drafts);
      assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(
          UpsertOutcome.Status.CREATED, UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.CREATED);
      UpsertOutcome rejected = outcomes.get(1);
      assertThat(rejected.customer()).isNull();
      assertThat(rejected.error()).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).extracting(FieldError::field).contains("phone"));
      assertThat(system.findByEmail("good1@example.com")).isPresent();
      assertThat(system.findByEmail("good2@example.com")).isPresent();
    }

    @Test
    void aLaterDraftWithTheSameEmailUpdatesTheCustomerAnEarlierDraftCreated() {
      List<CustomerDraft> drafts = List.of(
          tagged(person("Twice", null).email("twice@example.com"), "first").build(),
          tagged(CustomerDraft.builder().email("twice@example.com").lastName("Seen"), "second").build());
      if (lacks(Capability.BATCH_UPSERT, () -> system.upsert(drafts))) {
        return;
      }
      List<UpsertOutcome> outcomes = system.upsert(drafts);
      assertThat(outcomes).extracting(UpsertOutcome::status)
          .containsExactly(UpsertOutcome.Status.CREATED, UpsertOutcome.Status.UPDATED);
      assertThat(outcomes.get(1).customer().id()).isEqualTo(outcomes.get(0).customer().id());
      Customer stored = system.findByEmail("twice@example.com").orElseThrow();
      assertThat(stored.fullName()).isEqualTo("Twice Seen");
      assertTags(stored, "first", "second");
    }

    @Test
    void upsertOfManyDraftsLosesNone() {
      List<CustomerDraft> drafts = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        drafts.add(person("Bulk", "No" + i).email("bulk" + i + "@example.com").phone("+1 415 555 " + (1000 + i)).build());
      }
      if (lacks(Capability.BATCH_UPSERT, () -> system.upsert(drafts))) {
        return;
      }
      List<UpsertOutcome> outcomes = system.upsert(drafts);
      assertThat(outcomes).hasSize(250).allSatisfy(o -> assertThat(o.status()).isEqualTo(UpsertOutcome.Status.CREATED));
      Set<String> distinct = outcomes.stream().map(o -> o.customer().id()).collect(Collectors.toSet());
      assertThat(distinct).hasSize(250);
      for (int i = 0; i < 250; i++) {
        assertThat(system.findByEmail("bulk" + i + "@example.com")).as("bulk %d", i)
            .map(Customer::id).contains(outcomes.get(i).customer().id());
      }
    }

    @Test
    void upsertOfNoDraftsReturnsNoOutcomes() {
      if (lacks(Capability.BATCH_UPSERT, () -> system.upsert(List.of()))) {
        return;
      }
      assertThat(system.upsert(List.of())).isEmpty();
    }
  }

  // ------------------------------------------------------------------------------------ bulk write

  @Nested
  class BulkWriting {
    @Test
    void bulkWriteCreatesAndUpdatesAsGivenAndReportsOneOutcomePerWriteInInputOrder() {
      boolean tags = system.supports(Capability.TAGS);
      CustomerDraft.Builder old = person("Existing", "Customer").email("bw-existing@example.com");
      Customer existing = create(tags ? tagged(old, "old") : old);
      clock.advance(Duration.ofSeconds(1));
      CustomerUpdate.Builder change = CustomerUpdate.builder().company("Acme");
      CustomerDraft.Builder fresh = person("New", "One").email("bw-new@example.com");
      List<UpsertOutcome> outcomes = system.bulkWrite(List.of(
          CustomerWrite.create((tags ? tagged(fresh, "fresh") : fresh).build()),
          CustomerWrite.update(existing.id(), (tags ? change.tags(Set.of("new")) : change).build()),
          CustomerWrite.create(person("No", "Email").phone("+14155550123").build())));

      assertThat(outcomes).extracting(UpsertOutcome::index).containsExactly(0, 1, 2);
      assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(
          UpsertOutcome.Status.CREATED, UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.CREATED);
      assertThat(outcomes).extracting(UpsertOutcome::error).containsOnlyNulls();
      Customer updated = system.require(existing.id());
      assertThat(updated.company()).isEqualTo("Acme");
      assertThat(updated.firstName()).isEqualTo("Existing");
      assertThat(outcomes.get(1).customer().id()).isEqualTo(existing.id());
      Customer created = system.findByEmail("bw-new@example.com").orElseThrow();
      assertThat(created.id()).isEqualTo(outcomes.get(0).customer().id());
      if (tags) {
        assertTags(updated, "new");
        assertTags(created, "fresh");
      }
      assertThat(system.findByPhone("4155550123")).map(Customer::id).contains(outcomes.get(2).customer().id());
    }

    @Test
    void bulkWriteRejectsAnUpdateOfAnUnknownIdAloneAndStoresTheOthers() {
      Customer existing = create(person("Still", "Here").email("bw-here@example.com"));
      List<UpsertOutcome> outcomes = system.bulkWrite(List.of(
          CustomerWrite.update(existing.id(), CustomerUpdate.builder().company("Kept").build()),
          CustomerWrite.update("no-such-customer-" + existing.id(), CustomerUpdate.builder().company("Lost").build()),
          CustomerWrite.create(person("After", "Bad").email("bw-after@example.com").build())));

      assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(
          UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.CREATED);
      assertThat(outcomes.get(1).error()).isInstanceOf(NotFoundException.class);
      assertThat(outcomes.get(1).customer()).isNull();
      assertThat(system.require(existing.id()).company()).isEqualTo("Kept");
      assertThat(system.findByEmail("bw-after@example.com")).isPresent();
    }

    @Test
    void aCreateWithAnEmailAlreadyStoredNeverStoresASecondCustomerWithIt() {
      Customer existing = create(person("First", "Owner").email("bw-taken@example.com"));
      UpsertOutcome outcome = system.bulkWrite(List.of(
          CustomerWrite.create(person("Second", "Owner").email("BW-TAKEN@example.com").build()))).get(0);

      if (outcome.status() == UpsertOutcome.Status.UPDATED) {
        assertThat(outcome.customer().id()).isEqualTo(existing.id());
        assertThat(system.require(existing.id()).firstName()).isEqualTo("Second");
      } else {
        assertThat(outcome.status()).isEqualTo(UpsertOutcome.Status.REJECTED);
        assertThat(outcome.error()).isInstanceOf(ConflictException.class);
        assertThat(system.require(existing.id()).firstName()).isEqualTo("First");
      }
      if (system.supports(Capability.SEARCH)) {
        assertThat(system.search(CustomerQuery.builder().email("bw-taken@example.com").build()).items()).hasSize(1);
      }
    }

    @Test
    void bulkWriteOfManyWritesLosesNone() {
      List<CustomerWrite> writes = new ArrayList<>();
      for (int i = 0; i < 230; i++) {
        writes.add(CustomerWrite.create(person("Bulk", "Write" + i).email("bw" + i + "@example.com").build()));
      }
      List<UpsertOutcome> created = system.bulkWrite(writes);
      assertThat(created).hasSize(230).allSatisfy(o -> assertThat(o.status()).isEqualTo(UpsertOutcome.Status.CREATED));

      List<CustomerWrite> updates = new ArrayList<>();
      for (UpsertOutcome o : created) {
        updates.add(CustomerWrite.update(o.customer().id(), CustomerUpdate.builder().company("Co " + o.index()).build()));
      }
      List<UpsertOutcome> updated = system.bulkWrite(updates);
      assertThat(updated).allSatisfy(o -> assertThat(o.status()).isEqualTo(UpsertOutcome.Status.UPDATED));
      for (int i = 0; i < 230; i += 23) {
        Customer c = system.findByEmail("bw" + i + "@example.com").orElseThrow();
        assertThat(c.id()).isEqualTo(created.get(i).customer().id());
        assertThat(c.company()).isEqualTo("Co " + i);
      }
    }

    @Test
    void bulkWriteRefusesANullListOrElementAndTakesAnEmptyOne() {
      assertValidationNaming(() -> system.bulkWrite(null), "writes");
      List<CustomerWrite> withNull = new ArrayList<>();
      withNull.add(null);
      assertValidationNaming(() -> system.bulkWrite(withNull), "writes");
      assertThat(system.bulkWrite(List.of())).isEmpty();
    }
  }

  // ------------------------------------------------------------------------------------ notes

  @Nested
  class Notes {
    @Test
    void addNoteStoresTheNoteWithANewIdAndTheClocksTime() {
      Customer c = create(person("Noted", "Customer"));
      if (lacks(Capability.NOTES, () -> system.addNote(c.id(), NoteDraft.of("hi")))) {
        return;
      }
      CustomerNote note = system.addNote(c.id(), new NoteDraft("  Prefers mornings  ", "agent-7", null));
      assertThat(note.id()).isNotBlank();
      assertThat(note.customerId()).isEqualTo(c.id());
      assertThat(note.content()).isEqualTo("Prefers mornings");
      assertThat(note.createdBy()).isEqualTo("agent-7");
      assertThat(note.createdAt()).isEqualTo(START);
      assertThat(system.listNotes(c.id(), PageRequest.first()).items()).containsExactly(note);
    }

    @Test
    void notesAreListedNewestFirst() {
      Customer c = create(person("Noted", "Customer"));
      if (lacks(Capability.NOTES, () -> system.listNotes(c.id(), PageRequest.first()))) {
        return;
      }
      system.addNote(c.id(), new NoteDraft("middle", null, START.minusSeconds(60)));
      system.addNote(c.id(), new NoteDraft("oldest", null, START.minusSeconds(120)));
      system.addNote(c.id(), new NoteDraft("newest", null, START));
      assertThat(system.listNotes(c.id(), PageRequest.first()).items()).extracting(CustomerNote::content)
          .containsExactly("newest", "middle", "oldest");
    }

    @Test
    void notesPageByCursorAndAutoPagingReadsThemAll() {
      Customer c = create(person("Noted", "Customer"));
      if (lacks(Capability.NOTES, () -> system.listNotes(c.id(), PageRequest.first()))) {
        return;
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        clock.advance(Duration.ofSeconds(1));
        system.addNote(c.id(), NoteDraft.of("note " + i));
        expected.add(0, "note " + i);
      }
      Page<CustomerNote> first = system.listNotes(c.id(), PageRequest.first(3));
      assertThat(first.items()).extracting(CustomerNote::content).containsExactlyElementsOf(expected.subList(0, 3));
      assertThat(first.hasNext()).isTrue();
      Page<CustomerNote> second = system.listNotes(c.id(), new PageRequest(3, first.nextCursor()));
      assertThat(second.items()).extracting(CustomerNote::content).containsExactlyElementsOf(expected.subList(3, 6));
      Page<CustomerNote> third = second.next();
      assertThat(third.items()).extracting(CustomerNote::content).containsExactly(expected.get(6));
      assertThat(third.hasNext()).isFalse();
      assertThat(all(system.listNotes(c.id(), PageRequest.first(2)))).extracting(CustomerNote::content)
          .containsExactlyElementsOf(expected);
    }

    @Test
    void aNoteCursorTheSystemDidNotIssueIsRejectedNamingCursor() {
      Customer c = create(person("Noted", "Customer"));
      if (lacks(Capability.NOTES, () -> system.listNotes(c.id(), PageRequest.first()))) {
        return;
      }
      system.addNote(c.id(), NoteDraft.of("one"));
      assertValidationNaming(() -> system.listNotes(c.id(), new PageRequest(10, "%%not-a-cursor%%")), "cursor");
    }

    @Test
    void aNoteWithARecordedIdempotencyKeyReturnsTheEarlierOneAndWritesNothing() {
      Customer c = create(person("Noted", "Customer"));
      Customer other = create(person("Other", "Customer"));
      NoteDraft first = new NoteDraft("first", "agent-7", null, "evt:N-1:note");
      if (lacks(Capability.NOTES, () -> system.addNote(c.id(), first))) {
        return;
      }
      assumeCapabilities(Capability.IDEMPOTENT_ACTIVITIES);
      CustomerNote recorded = system.addNote(c.id(), first);
      clock.advance(Duration.ofMinutes(1));
      CustomerNote again = system.addNote(c.id(), new NoteDraft("second", null, null, "evt:N-1:note"));
      CustomerNote elsewhere = system.addNote(other.id(), NoteDraft.of("third").withIdempotencyKey("evt:N-1:note"));

      assertThat(again.id()).isEqualTo(recorded.id());
      assertThat(again.content()).isEqualTo("first");
      assertThat(elsewhere.id()).isEqualTo(recorded.id());
      assertThat(all(system.listNotes(c.id(), PageRequest.first()))).extracting(CustomerNote::id)
          .containsExactly(recorded.id());
      assertThat(all(system.listNotes(other.id(), PageRequest.first()))).isEmpty();
      CustomerNote unkeyed = system.addNote(c.id(), NoteDraft.of("first"));
      assertThat(unkeyed.id()).isNotEqualTo(recorded.id());
    }

    @Test
    void aNoteWithAKeyIsRefusedNamingIdempotencyKeyWhereKeysAreNotKept() {
      Customer c = create(person("Noted", "Customer"));
      NoteDraft keyed = NoteDraft.of("once only").withIdempotencyKey("evt:N-2:note");
      if (lacks(Capability.NOTES, () -> system.addNote(c.id(), keyed))) {
        return;
      }
      assumeTrue(!system.supports(Capability.IDEMPOTENT_ACTIVITIES), "the system keeps idempotency keys");
      assertValidationNaming(() -> system.addNote(c.id(), keyed), "idempotencyKey");
      assertThat(all(system.listNotes(c.id(), PageRequest.first()))).isEmpty();
    }
  }

  // ------------------------------------------------------------------------------------ activities

  @Nested
  class Activities {
    @Test
    void addActivityStoresEveryPartAndDefaultsTheTimeToTheClock() {
      Customer c = create(person("Active", "Customer"));
      ActivityDraft draft = new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "Hello there", null,
          Map.of("messageId", "SM1"), null);
      if (lacks(Capability.ACTIVITIES, () -> system.addActivity(c.id(), draft))) {
        return;
      }
      CustomerActivity a = system.addActivity(c.id(), draft);
      assertThat(a.id()).isNotBlank();
      assertThat(a.customerId()).isEqualTo(c.id());
      assertThat(a.type()).isEqualTo(ActivityType.MESSAGE_RECEIVED);
      assertThat(a.channel()).isEqualTo(Channel.SMS);
      assertThat(a.description()).isEqualTo("Hello there");
      assertThat(a.occurredAt()).isEqualTo(START);
      assertThat(a.metadata()).containsExactlyEntriesOf(Map.of("messageId", "SM1"));
      assertThat(system.listActivities(c.id(), PageRequest.first()).items()).containsExactly(a);
    }

    @Test
    void activitiesAreListedNewestFirstAndPageAcrossPages() {
      Customer c = create(person("Active", "Customer"));
      if (lacks(Capability.ACTIVITIES, () -> system.listActivities(c.id(), PageRequest.first()))) {
        return;
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Instant at = START.minus(Duration.ofHours(i));
        system.addActivity(c.id(), new ActivityDraft(ActivityType.OTHER, null, "a" + i, at, null, null));
        expected.add("a" + i);
      }
      Page<CustomerActivity> first = system.listActivities(c.id(), PageRequest.first(2));
      assertThat(first.items()).extracting(CustomerActivity::description).containsExactly("a0", "a1");
      assertThat(first.hasNext()).isTrue();
      assertThat(all(first)).extracting(CustomerActivity::description).containsExactlyElementsOf(expected);
    }

    @Test
    void anActivityWithARecordedIdempotencyKeyReturnsTheEarlierOneAndWritesNothing() {
      Customer c = create(person("Active", "Customer"));
      Customer other = create(person("Other", "Customer"));
      ActivityDraft first = new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "first", null, null, "sms:SM42");
      if (lacks(Capability.ACTIVITIES, () -> system.addActivity(c.id(), first))) {
        return;
      }
      assumeCapabilities(Capability.IDEMPOTENT_ACTIVITIES);
      CustomerActivity recorded = system.addActivity(c.id(), first);
      clock.advance(Duration.ofMinutes(1));
      CustomerActivity again = system.addActivity(c.id(),
          new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "second", null, null, "sms:SM42"));
      CustomerActivity elsewhere = system.addActivity(other.id(),
          new ActivityDraft(ActivityType.CALL, null, "third", null, null, "sms:SM42"));

      assertThat(again).isEqualTo(recorded);
      assertThat(elsewhere).isEqualTo(recorded);
      assertThat(recorded.idempotencyKey()).isEqualTo("sms:SM42");
      assertThat(all(system.listActivities(c.id(), PageRequest.first()))).containsExactly(recorded);
      assertThat(all(system.listActivities(other.id(), PageRequest.first()))).isEmpty();
    }

    @Test
    void findActivityReturnsTheActivityRecordedUnderAKey() {
      Customer c = create(person("Active", "Customer"));
      if (lacks(Capability.IDEMPOTENT_ACTIVITIES, () -> system.findActivity("any"))) {
        return;
      }
      assumeCapabilities(Capability.ACTIVITIES);
      CustomerActivity recorded = system.addActivity(c.id(),
          new ActivityDraft(ActivityType.TICKET, Channel.WEB, "ticket #9", null, null, "zendesk:9"));
      assertThat(system.findActivity("zendesk:9")).contains(recorded);
      assertThat(system.findActivity("zendesk:10")).isEmpty();
    }

    @Test
    void loggingAnInteractionMovesLastContactForwardButNeverBack() {
      Customer c = create(person("Chatty", "Customer"));
      ActivityDraft now = new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "now", START, null, "sms:i1");
      if (lacks(Capability.ACTIVITIES, () -> system.logInteraction(c.id(), now))) {
        return;
      }
      Interaction first = system.logInteraction(c.id(), now);
      Interaction older = system.logInteraction(c.id(),
          new ActivityDraft(ActivityType.CALL, Channel.PHONE, "earlier", START.minus(Duration.ofHours(1)), null, null));

      assertThat(first.activity().description()).isEqualTo("now");
      assertThat(first.customer().id()).isEqualTo(c.id());
      assertThat(first.customer().lastContactAt()).isEqualTo(START);
      assertThat(older.customer().lastContactAt()).isEqualTo(START);
      assertThat(system.require(c.id()).lastContactAt()).isEqualTo(START);
      assertThat(all(system.listActivities(c.id(), PageRequest.first()))).hasSize(2);
    }

    @Test
    void loggingAnInteractionTwiceUnderOneKeyRecordsItOnce() {
      Customer c = create(person("Chatty", "Customer"));
      assumeCapabilities(Capability.ACTIVITIES, Capability.IDEMPOTENT_ACTIVITIES);
      ActivityDraft draft = new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "hi", START, null, "sms:i2");

      Interaction first = system.logInteraction(c.id(), draft);
      clock.advance(Duration.ofMinutes(5));
      Interaction again = system.logInteraction(c.id(), draft);

      assertThat(first.duplicate()).isFalse();
      assertThat(again.duplicate()).isTrue();
      assertThat(again.activity()).isEqualTo(first.activity());
      assertThat(again.customer().lastContactAt()).isEqualTo(START);
      assertThat(all(system.listActivities(c.id(), PageRequest.first()))).containsExactly(first.activity());
    }

    @Test
    void loggingAnInteractionOnAMergedAwayIdReachesTheSurvivor() {
      Customer survivor = create(person("Sur", "Vivor"));
      Customer merged = create(person("Mer", "Ged"));
      assumeCapabilities(Capability.ACTIVITIES, Capability.MERGE);
      system.merge(survivor.id(), merged.id());

      Interaction logged = system.logInteraction(merged.id(),
          new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.EMAIL, "hello", START, null, null));

      assertThat(logged.activity().customerId()).isEqualTo(survivor.id());
      assertThat(logged.customer().id()).isEqualTo(survivor.id());
      assertThat(logged.customer().lastContactAt()).isEqualTo(START);
    }

    @Test
    void loggingAnInteractionForAnUnknownCustomerIsNotFound() {
      assumeCapabilities(Capability.ACTIVITIES);
      assertThatThrownBy(() -> system.logInteraction("no-such-customer",
          ActivityDraft.of(ActivityType.CALL, Channel.PHONE, "ring")))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    void concurrentActivitiesWithTheSameKeyRecordOneActivity() throws Exception {
      Customer c = create(person("Active", "Customer"));
      assumeCapabilities(Capability.ACTIVITIES, Capability.IDEMPOTENT_ACTIVITIES);
      int threads = 6;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      Set<String> ids = new HashSet<>();
      try {
        List<Callable<CustomerActivity>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          tasks.add(() -> system.addActivity(c.id(),
              new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.WHATSAPP, "hi", null, null, "wa:dup")));
        }
        for (Future<CustomerActivity> f : pool.invokeAll(tasks)) {
          ids.add(f.get().id());
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(ids).hasSize(1);
      assertThat(all(system.listActivities(c.id(), PageRequest.first()))).hasSize(1);
    }
  }

  // ------------------------------------------------------------------------------------ deals

  @Nested
  class Deals {
    private Customer customer;

    /**
     * Creates {@link #customer}; when the system lacks {@link Capability#DEALS}, asserts that every
     * deal operation throws {@link UnsupportedCapabilityException} for it and returns true.
     */
    private boolean lacksDeals() {
      customer = create(person("Deal", "Maker"));
      if (system.supports(Capability.DEALS)) {
        return false;
      }
      List<ThrowingCallable> calls = List.of(
          () -> system.pipelines(),
          () -> system.createDeal(customer.id(), DealDraft.builder("x").build()),
          () -> system.getDeal(unknownId()),
          () -> system.updateDeal(unknownId(), DealUpdate.builder().title("y").build()),
          () -> system.listDeals(customer.id(), PageRequest.first()));
      for (ThrowingCallable call : calls) {
        assertThat(lacks(Capability.DEALS, call)).isTrue();
      }
      return true;
    }

    private Pipeline first() {
      return system.pipelines().get(0);
    }

    private DealStage firstStage(Pipeline p, DealStatus status) {
      return p.stages().stream().filter(s -> s.status() == status).findFirst()
          .orElseThrow(() -> new AssertionError("pipeline " + p.id() + " has no " + status + " stage"));
    }

    private Deal createDeal(String title) {
      return system.createDeal(customer.id(), DealDraft.builder(title).build());
    }

    /** Every field the suite writes, compared by value (amounts) and without {@code customFields}. */
    private void assertSameDeal(Deal actual, Deal expected) {
      assertThat(actual.id()).isEqualTo(expected.id());
      assertThat(actual.customerId()).isEqualTo(expected.customerId());
      assertThat(actual.title()).isEqualTo(expected.title());
      if (expected.amount() == null) {
        assertThat(actual.amount()).isNull();
      } else {
        assertThat(actual.amount()).isNotNull();
        assertThat(actual.amount().amount()).isEqualByComparingTo(expected.amount().amount());
        assertThat(actual.amount().currency()).isEqualTo(expected.amount().currency());
      }
      assertThat(actual.pipelineId()).isEqualTo(expected.pipelineId());
      assertThat(actual.stageId()).isEqualTo(expected.stageId());
      assertThat(actual.status()).isEqualTo(expected.status());
      assertThat(actual.expectedCloseDate()).isEqualTo(expected.expectedCloseDate());
      assertThat(actual.owner()).isEqualTo(expected.owner());
      assertThat(actual.createdAt()).isEqualTo(expected.createdAt());
      assertThat(actual.updatedAt()).isEqualTo(expected.updatedAt());
    }

    @Test
    void withoutTheCapabilityEveryDealOperationIsUnsupported() {
      assumeTrue(!system.supports(Capability.DEALS), "the system has deals");
      assertThat(lacksDeals()).isTrue();
    }

    @Test
    void pipelinesAreListedAndTheFirstHasAnOpenAWonAndALostStage() {
      if (lacksDeals()) {
        return;
      }
      List<Pipeline> pipelines = system.pipelines();
      assertThat(pipelines).isNotEmpty();
      assertThat(pipelines).extracting(Pipeline::id).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotBlank());
      for (DealStatus status : DealStatus.values()) {
        assertThat(first().stages()).as("a %s stage", status).anySatisfy(s -> assertThat(s.status()).isEqualTo(status));
      }
      assertThat(system.pipelines()).isEqualTo(pipelines);
    }

    @Test
    void aDealWithOnlyATitleStartsInTheFirstPipelinesFirstOpenStage() {
      if (lacksDeals()) {
        return;
      }
      Deal deal = system.createDeal(customer.id(), DealDraft.builder("  Kitchen remodel ").build());

      assertThat(deal.id()).isNotBlank();
      assertThat(deal.customerId()).isEqualTo(customer.id());
      assertThat(deal.title()).isEqualTo("Kitchen remodel");
      assertThat(deal.amount()).isNull();
      assertThat(deal.pipelineId()).isEqualTo(first().id());
      assertThat(deal.stageId()).isEqualTo(firstStage(first(), DealStatus.OPEN).id());
      assertThat(deal.status()).isEqualTo(DealStatus.OPEN);
      assertThat(deal.expectedCloseDate()).isNull();
      assertThat(deal.owner()).isNull();
      assertThat(deal.customFields()).isEmpty();
      assertThat(deal.createdAt()).isEqualTo(START);
      assertThat(deal.updatedAt()).isEqualTo(START);
      assertSameDeal(system.getDeal(deal.id()).orElseThrow(), deal);
    }

    @Test
    void aDealCreatedInANamedStageHasThatStagesStatus() {
      if (lacksDeals()) {
        return;
      }
      Pipeline p = first();
      DealStage won = firstStage(p, DealStatus.WON);
      DealStage lastOpen = p.stages().stream().filter(s -> s.status() == DealStatus.OPEN)
          .reduce((a, b) -> b).orElseThrow();

      Deal closed = system.createDeal(customer.id(), DealDraft.builder("Won at once").pipelineId(p.id()).stageId(won.id()).build());
      Deal open = system.createDeal(customer.id(), DealDraft.builder("Further on").stageId(lastOpen.id()).build());

      assertThat(closed.pipelineId()).isEqualTo(p.id());
      assertThat(closed.stageId()).isEqualTo(won.id());
      assertThat(closed.status()).isEqualTo(DealStatus.WON);
      assertThat(open.stageId()).isEqualTo(lastOpen.id());
      assertThat(open.status()).isEqualTo(DealStatus.OPEN);
      assertThat(system.getDeal(closed.id()).orElseThrow().status()).isEqualTo(DealStatus.WON);
    }

    @Test
    void aDealInAnotherPipelineStartsInThatPipelinesFirstOpenStage() {
      if (lacksDeals()) {
        return;
      }
      assumeTrue(system.pipelines().size() > 1, "the tenant has one pipeline");
      Pipeline second = system.pipelines().get(1);
      assumeTrue(second.stages().stream().anyMatch(s -> s.status() == DealStatus.OPEN), "no open stage");
      Deal deal = system.createDeal(customer.id(), DealDraft.builder("Elsewhere").pipelineId(second.id()).build());
      assertThat(deal.pipelineId()).isEqualTo(second.id());
      assertThat(deal.stageId()).isEqualTo(firstStage(second, DealStatus.OPEN).id());
    }

    @Test
    void everyFieldOfADealIsReadBackAndAmountsCompareByValue() {
      if (lacksDeals()) {
        return;
      }
      Deal deal = system.createDeal(customer.id(), DealDraft.builder("Remodel")
          .amount(Money.of("1200.50", "EUR"))
          .expectedCloseDate(LocalDate.of(2025, 4, 30))
          .owner(dealOwner())
          .build());

      assertThat(deal.amount().amount()).isEqualByComparingTo("1200.5");
      assertThat(deal.amount().currency().getCurrencyCode()).isEqualTo("EUR");
      assertThat(deal.expectedCloseDate()).isEqualTo(LocalDate.of(2025, 4, 30));
      assertThat(deal.owner()).isEqualTo(dealOwner());
      assertSameDeal(system.getDeal(deal.id()).orElseThrow(), deal);
      assertSameDeal(system.listDeals(customer.id(), PageRequest.first()).items().get(0), deal);
    }

    @Test
    void customFieldsOfADealAreStoredOrTheDraftIsRejectedButNeverDropped() {
      if (lacksDeals()) {
        return;
      }
      DealDraft draft = DealDraft.builder("Fielded").customField("source", "fair").build();
      if (system.supports(Capability.CUSTOM_FIELDS)) {
        Deal deal = system.createDeal(customer.id(), draft);
        assertThat(deal.customFields()).containsExactlyInAnyOrderEntriesOf(Map.of("source", "fair"));
        assertThat(system.getDeal(deal.id()).orElseThrow().customFields())
            .containsExactlyInAnyOrderEntriesOf(Map.of("source", "fair"));
        Deal updated = system.updateDeal(deal.id(), DealUpdate.builder().customField("source", "web").build());
        assertThat(updated.customFields()).containsExactlyInAnyOrderEntriesOf(Map.of("source", "web"));
      } else {
        assertThatThrownBy(() -> system.createDeal(customer.id(), draft))
            .isInstanceOfAny(UnsupportedCapabilityException.class, ValidationException.class);
        assertThat(all(system.listDeals(customer.id(), PageRequest.first()))).isEmpty();
      }
    }

    @Test
    void anUnknownStageOrPipelineIsRejectedNamingItAndWritesNothing() {
      if (lacksDeals()) {
        return;
      }
      assertValidationNaming(() -> system.createDeal(customer.id(),
          DealDraft.builder("Nowhere").stageId("no-such-stage").build()), "stageId");
      assertValidationNaming(() -> system.createDeal(customer.id(),
          DealDraft.builder("Nowhere").pipelineId("no-such-pipeline").build()), "pipelineId");
      assertThat(all(system.listDeals(customer.id(), PageRequest.first()))).isEmpty();
    }

    @Test
    void aDealForAnUnknownCustomerIsNotFound() {
      if (lacksDeals()) {
        return;
      }
      assertNotFound(() -> system.createDeal(unknownId(), DealDraft.builder("Orphan").build()));
      assertNotFound(() -> system.listDeals(unknownId(), PageRequest.first()));
    }

    @Test
    void aDealCreatedTwiceUnderOneKeyIsCreatedOnce() {
      if (lacksDeals()) {
        return;
      }
      Customer other = create(person("Other", "Buyer"));
      Deal recorded = system.createDeal(customer.id(), DealDraft.builder("First").idempotencyKey("evt:A-17:deal").build());
      clock.advance(Duration.ofMinutes(1));
      Deal again = system.createDeal(customer.id(), DealDraft.builder("Second").idempotencyKey("evt:A-17:deal").build());
      Deal elsewhere = system.createDeal(other.id(), DealDraft.builder("Third").idempotencyKey("evt:A-17:deal").build());

      assertThat(again.id()).isEqualTo(recorded.id());
      assertThat(again.title()).isEqualTo("First");
      assertThat(elsewhere.id()).isEqualTo(recorded.id());
      assertThat(all(system.listDeals(customer.id(), PageRequest.first()))).extracting(Deal::id)
          .containsExactly(recorded.id());
      assertThat(all(system.listDeals(other.id(), PageRequest.first()))).isEmpty();
      assertThat(system.createDeal(customer.id(), DealDraft.builder("First").build()).id()).isNotEqualTo(recorded.id());
    }

    @Test
    void getDealOfAnUnknownIdIsEmpty() {
      if (lacksDeals()) {
        return;
      }
      createDeal("Known");
      assertThat(system.getDeal(unknownId())).isEmpty();
      assertThat(system.getDeal("no such deal")).isEmpty();
    }

    @Test
    void movingADealToAWonStageMakesItWon() {
      if (lacksDeals()) {
        return;
      }
      Deal deal = createDeal("Closing");
      DealStage won = firstStage(first(), DealStatus.WON);
      Instant later = clock.advance(Duration.ofMinutes(5));

      Deal updated = system.updateDeal(deal.id(), DealUpdate.builder().stageId(won.id()).build());

      assertThat(updated.id()).isEqualTo(deal.id());
      assertThat(updated.stageId()).isEqualTo(won.id());
      assertThat(updated.status()).isEqualTo(DealStatus.WON);
      assertThat(updated.title()).isEqualTo("Closing");
      assertThat(updated.createdAt()).isEqualTo(START);
      assertThat(updated.updatedAt()).isEqualTo(later);
      assertSameDeal(system.getDeal(deal.id()).orElseThrow(), updated);
    }

    @Test
    void settingOnlyAStatusMovesTheDealToTheFirstStageWithIt() {
      if (lacksDeals()) {
        return;
      }
      Deal deal = createDeal("Status only");
      Deal lost = system.updateDeal(deal.id(), DealUpdate.builder().status(DealStatus.LOST).build());
      assertThat(lost.stageId()).isEqualTo(firstStage(first(), DealStatus.LOST).id());
      assertThat(lost.status()).isEqualTo(DealStatus.LOST);
      assertThat(system.getDeal(deal.id()).orElseThrow().stageId()).isEqualTo(lost.stageId());

      Deal reopened = system.updateDeal(deal.id(), DealUpdate.builder().status(DealStatus.OPEN).build());
      assertThat(reopened.stageId()).isEqualTo(firstStage(first(), DealStatus.OPEN).id());
      assertThat(system.getDeal(deal.id()).orElseThrow().status()).isEqualTo(DealStatus.OPEN);
    }

    @Test
    void anUpdateSetsAndClearsFieldsAndLeavesTheRest() {
      if (lacksDeals()) {
        return;
      }
      Deal deal = system.createDeal(customer.id(), DealDraft.builder("Remodel").amount(Money.of("99.90", "USD"))
          .expectedCloseDate(LocalDate.of(2025, 5, 1)).owner(dealOwner()).build());
      clock.advance(Duration.ofSeconds(1));

      Deal updated = system.updateDeal(deal.id(), DealUpdate.builder().title("Bigger remodel").amount(null)
          .expectedCloseDate(LocalDate.of(2025, 6, 1)).build());

      assertThat(updated.title()).isEqualTo("Bigger remodel");
      assertThat(updated.amount()).isNull();
      assertThat(updated.expectedCloseDate()).isEqualTo(LocalDate.of(2025, 6, 1));
      assertThat(updated.owner()).isEqualTo(dealOwner());
      assertThat(updated.stageId()).isEqualTo(deal.stageId());
      assertSameDeal(system.getDeal(deal.id()).orElseThrow(), updated);

      Deal cleared = system.updateDeal(deal.id(), DealUpdate.builder().expectedCloseDate(null).owner(null).build());
      assertThat(cleared.expectedCloseDate()).isNull();
      assertThat(cleared.owner()).isNull();
      assertThat(cleared.title()).isEqualTo("Bigger remodel");
    }

    @Test
    void aBadUpdateIsRejectedNamingTheFieldAndChangesNothing() {
      if (lacksDeals()) {
        return;
      }
      Deal deal = createDeal("Steady");
      DealStage won = firstStage(first(), DealStatus.WON);
      assertValidationNaming(() -> system.updateDeal(deal.id(),
          DealUpdate.builder().title("Changed").stageId("no-such-stage").build()), "stageId");
      assertValidationNaming(() -> system.updateDeal(deal.id(),
          DealUpdate.builder().stageId(won.id()).status(DealStatus.LOST).build()), "status");
      assertValidationNaming(() -> system.updateDeal(deal.id(),
          DealUpdate.builder().pipelineId("no-such-pipeline").build()), "pipelineId");
      assertSameDeal(system.getDeal(deal.id()).orElseThrow(), deal);
    }

    @Test
    void updateOfAnUnknownDealIsNotFound() {
      if (lacksDeals()) {
        return;
      }
      assertNotFound(() -> system.updateDeal(unknownId(), DealUpdate.builder().title("Ghost").build()));
    }

    @Test
    void dealsAreListedNewestFirstAndPageAcrossPages() {
      if (lacksDeals()) {
        return;
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        clock.advance(Duration.ofSeconds(1));
        expected.add(0, createDeal("deal " + i).id());
      }
      Page<Deal> firstPage = system.listDeals(customer.id(), PageRequest.first(2));
      assertThat(firstPage.items()).extracting(Deal::id).containsExactlyElementsOf(expected.subList(0, 2));
      assertThat(firstPage.hasNext()).isTrue();
      Page<Deal> second = system.listDeals(customer.id(), new PageRequest(2, firstPage.nextCursor()));
      assertThat(second.items()).extracting(Deal::id).containsExactlyElementsOf(expected.subList(2, 4));
      Page<Deal> third = second.next();
      assertThat(third.items()).extracting(Deal::id).containsExactly(expected.get(4));
      assertThat(third.hasNext()).isFalse();
      assertThat(all(system.listDeals(customer.id(), PageRequest.first(3)))).extracting(Deal::id)
          .containsExactlyElementsOf(expected);
      assertThat(all(system.listDeals(create(person("No", "Deals")).id(), PageRequest.first()))).isEmpty();
    }

    @Test
    void aDealCursorTheSystemDidNotIssueIsRejectedNamingCursor() {
      if (lacksDeals()) {
        return;
      }
      createDeal("One");
      assertValidationNaming(() -> system.listDeals(customer.id(), new PageRequest(10, "%%not-a-cursor%%")), "cursor");
    }

    @Test
    void anotherTenantNeverSeesOrWritesThisTenantsDeals() {
      if (lacksDeals()) {
        return;
      }
      Deal mine = system.createDeal(customer.id(), DealDraft.builder("Mine").idempotencyKey("evt:same:deal").build());
      CustomerSystem other = open(newTenantId());
      Customer theirs = other.create(person("Theirs", "Only").build());

      assertThat(other.getDeal(mine.id())).isEmpty();
      assertNotFound(() -> other.updateDeal(mine.id(), DealUpdate.builder().title("Hijack").build()));
      assertNotFound(() -> other.listDeals(customer.id(), PageRequest.first()));
      assertNotFound(() -> other.createDeal(customer.id(), DealDraft.builder("Sneaky").build()));
      Deal their = other.createDeal(theirs.id(), DealDraft.builder("Theirs").idempotencyKey("evt:same:deal").build());
      assertThat(their.id()).isNotEqualTo(mine.id());
      assertThat(their.customerId()).isEqualTo(theirs.id());
      assertThat(system.getDeal(their.id())).isEmpty();
      assertSameDeal(system.getDeal(mine.id()).orElseThrow(), mine);
    }

    @Test
    void mergeMovesTheMergedCustomersDealsToTheSurvivor() {
      if (lacksDeals()) {
        return;
      }
      assumeCapabilities(Capability.MERGE);
      Customer merged = create(person("Fold", "Me"));
      Deal kept = createDeal("Survivor's deal");
      clock.advance(Duration.ofSeconds(1));
      Deal moved = system.createDeal(merged.id(), DealDraft.builder("Merged deal").build());

      system.merge(customer.id(), merged.id());

      assertThat(system.getDeal(moved.id()).orElseThrow().customerId()).isEqualTo(customer.id());
      List<Deal> deals = all(system.listDeals(customer.id(), PageRequest.first()));
      assertThat(deals).extracting(Deal::id).containsExactly(moved.id(), kept.id());
      assertThat(deals).extracting(Deal::customerId).containsOnly(customer.id());
    }
  }

  // ------------------------------------------------------------------------------------ orders

  @Nested
  class Orders {
    private final Instant monday = START.minus(Duration.ofDays(3));

    @Test
    void recordOrderUpdatesTheStatsAndLogsAnOrderPlacedActivity() {
      Customer c = create(person("Buyer", "One"));
      OrderDraft first = new OrderDraft("o-1", Money.of("10.00", "USD"), monday);
      if (lacks(Capability.ORDERS, () -> system.recordOrder(c.id(), first))) {
        return;
      }
      system.recordOrder(c.id(), first);
      CustomerStats stats = system.recordOrder(c.id(), new OrderDraft("o-2", Money.of("25.50", "USD"), START));

      assertThat(stats.totalOrders()).isEqualTo(2);
      assertThat(stats.totalRevenue().amount()).isEqualByComparingTo("35.50");
      assertThat(stats.totalRevenue().currency().getCurrencyCode()).isEqualTo("USD");
      assertThat(stats.averageOrderValue().amount()).isEqualByComparingTo("17.75");
      assertThat(stats.lastOrderAt()).isEqualTo(START);
      assertThat(system.require(c.id()).stats().totalOrders()).isEqualTo(2);
      if (system.supports(Capability.ACTIVITIES)) {
        assertThat(all(system.listActivities(c.id(), PageRequest.first())))
            .extracting(CustomerActivity::type).containsExactly(ActivityType.ORDER_PLACED, ActivityType.ORDER_PLACED);
      }
    }

    @Test
    void theFirstOrderMakesAProspectAStandardCustomerAndLeavesAVipAlone() {
      Customer prospect = create(person("Buyer", "One"));
      Customer vip = create(person("Buyer", "Two").segment(Segment.VIP));
      OrderDraft order = new OrderDraft("o-1", Money.of("5", "EUR"), monday);
      if (lacks(Capability.ORDERS, () -> system.recordOrder(prospect.id(), order))) {
        return;
      }
      system.recordOrder(prospect.id(), order);
      system.recordOrder(vip.id(), new OrderDraft("o-2", Money.of("5", "EUR"), monday));
      assertThat(system.require(prospect.id()).segment()).isEqualTo(Segment.STANDARD);
      assertThat(system.require(vip.id()).segment()).isEqualTo(Segment.VIP);
    }

    @Test
    void recordingTheSameOrderIdTwiceCountsItOnce() {
      Customer c = create(person("Buyer", "One"));
      OrderDraft order = new OrderDraft("o-1", Money.of("10.00", "USD"), monday);
      if (lacks(Capability.ORDERS, () -> system.recordOrder(c.id(), order))) {
        return;
      }
      CustomerStats once = system.recordOrder(c.id(), order);
      CustomerStats twice = system.recordOrder(c.id(), order);
      assertThat(twice.totalOrders()).isEqualTo(1);
      assertThat(twice.totalRevenue().amount()).isEqualByComparingTo(once.totalRevenue().amount());
      if (system.supports(Capability.ACTIVITIES)) {
        assertThat(all(system.listActivities(c.id(), PageRequest.first()))).hasSize(1);
      }
    }

    @Test
    void anOrderInAnotherCurrencyThanEarlierOnesIsRejectedNamingCurrency() {
      Customer c = create(person("Buyer", "One"));
      OrderDraft order = new OrderDraft("o-1", Money.of("10.00", "USD"), monday);
      if (lacks(Capability.ORDERS, () -> system.recordOrder(c.id(), order))) {
        return;
      }
      system.recordOrder(c.id(), order);
      assertValidationNaming(() -> system.recordOrder(c.id(), new OrderDraft("o-2", Money.of("3", "EUR"), START)),
          "currency");
      assertThat(system.require(c.id()).stats().totalOrders()).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------------------------ search

  @Nested
  class Searching {
    private Customer ada;
    private Customer alan;
    private Customer grace;

    private boolean setUpCustomers() {
      ada = create(tagged(person("Ada", "Lovelace").email("ada@example.com").phone("+14155550100"), "math"));
      alan = create(tagged(person("Alan", "Turing").email("alan@example.com").segment(Segment.VIP), "math"));
      grace = create(tagged(person("Grace", "Hopper").email("grace@example.com"), "navy"));
      return lacks(Capability.SEARCH, () -> system.search(CustomerQuery.builder().build()));
    }

    private List<String> search(CustomerQuery.Builder query) {
      return ids(all(system.search(query.build())));
    }

    @Test
    void searchByNameMatchesACaseInsensitivePartOfFirstLastOrFullName() {
      if (setUpCustomers()) {
        return;
      }
      assertThat(search(CustomerQuery.builder().name("LOVE"))).containsExactly(ada.id());
      assertThat(search(CustomerQuery.builder().name("ada"))).containsExactly(ada.id());
      assertThat(search(CustomerQuery.builder().name("ace h"))).containsExactly(grace.id());
      assertThat(search(CustomerQuery.builder().name("a"))).containsExactlyInAnyOrder(ada.id(), alan.id(), grace.id());
      assertThat(search(CustomerQuery.builder().name("nobody"))).isEmpty();
    }

    @Test
    void searchByEmailPhoneTagAndSegmentMatchesExactly() {
      if (setUpCustomers()) {
        return;
      }
      assertThat(search(CustomerQuery.builder().email("ALAN@example.com"))).containsExactly(alan.id());
      assertThat(search(CustomerQuery.builder().phone("(415) 555-0100"))).containsExactly(ada.id());
      if (system.supports(Capability.TAGS)) {
        assertThat(search(CustomerQuery.builder().tag("math"))).containsExactlyInAnyOrder(ada.id(), alan.id());
        assertThat(search(CustomerQuery.builder().tag("mat"))).isEmpty();
      }
      assertThat(search(CustomerQuery.builder().segment(Segment.VIP))).containsExactly(alan.id());
      assertThat(search(CustomerQuery.builder().segment(Segment.PROSPECT))).containsExactlyInAnyOrder(ada.id(), grace.id());
    }

    @Test
    void allCriteriaOfASearchMustHold() {
      if (setUpCustomers()) {
        return;
      }
      assertThat(search(CustomerQuery.builder().name("a").segment(Segment.PROSPECT)))
          .containsExactlyInAnyOrder(ada.id(), grace.id());
      assertThat(search(CustomerQuery.builder().name("grace").email("ada@example.com"))).isEmpty();
      if (system.supports(Capability.TAGS)) {
        assertThat(search(CustomerQuery.builder().tag("math").segment(Segment.PROSPECT))).containsExactly(ada.id());
        assertThat(search(CustomerQuery.builder().name("grace").tag("math"))).isEmpty();
      }
      assertThat(search(CustomerQuery.builder())).containsExactlyInAnyOrder(ada.id(), alan.id(), grace.id());
    }

    @Test
    void searchPagesByCursorInAStableOrderAndAutoPagingReadsEveryMatch() {
      if (setUpCustomers()) {
        return;
      }
      for (int i = 0; i < 5; i++) {
        create(person("Extra", "No" + i));
      }
      List<String> onePage = system.search(CustomerQuery.builder().limit(100).build()).items()
          .stream().map(Customer::id).collect(Collectors.toList());
      assertThat(onePage).hasSize(8).doesNotHaveDuplicates();

      Page<Customer> first = system.search(CustomerQuery.builder().limit(3).build());
      assertThat(first.items()).hasSize(3);
      assertThat(first.hasNext()).isTrue();
      Page<Customer> second = first.next();
      assertThat(second.items()).hasSize(3);
      Page<Customer> third = second.next();
      assertThat(third.items()).hasSize(2);
      assertThat(third.hasNext()).isFalse();
      List<String> paged = new ArrayList<>(ids(first.items()));
      paged.addAll(ids(second.items()));
      paged.addAll(ids(third.items()));
      assertThat(paged).containsExactlyElementsOf(onePage);
      assertThat(search(CustomerQuery.builder().limit(1))).containsExactlyElementsOf(onePage);
    }

    @Test
    void searchListsDeletedCustomersOnlyWhenAskedTo() {
      if (setUpCustomers()) {
        return;
      }
      assumeCapabilities(Capability.DELETE);
      system.delete(grace.id());
      assertThat(search(CustomerQuery.builder())).containsExactlyInAnyOrder(ada.id(), alan.id());
      assertThat(search(CustomerQuery.builder().includeDeleted(true))).containsExactlyInAnyOrder(ada.id(), alan.id(), grace.id());
      assertThat(search(CustomerQuery.builder().name("grace").includeDeleted(true))).containsExactly(grace.id());
    }

    @Test
    void aSearchCursorTheSystemDidNotIssueIsRejectedNamingCursor() {
      if (setUpCustomers()) {
        return;
      }
      assertValidationNaming(() -> system.search(CustomerQuery.builder().cursor("%%not-a-cursor%%").build()), "cursor");
    }
  }

  // ------------------------------------------------------------------------------------ change feed

  @Nested
  class ChangeFeed {
    @Test
    void theFeedFromTheBeginningReportsCreatedCustomersOldestFirst() {
      if (lacks(Capability.CHANGE_FEED, () -> system.changesSince(null, 10))) {
        return;
      }
      Customer a = create(person("First", "One"));
      clock.advance(Duration.ofMillis(1));
      Customer b = create(person("Second", "One"));
      ChangeBatch batch = system.changesSince(null, 10);
      assertThat(batch.changes()).extracting(CustomerChange::customerId).containsExactly(a.id(), b.id());
      assertThat(batch.changes()).extracting(CustomerChange::type).containsOnly(ChangeType.CREATED);
      assertThat(batch.changes().get(1).customer()).isEqualTo(b);
      assertThat(batch.changes().get(1).changedAt()).isEqualTo(atPrecision(START.plusMillis(1)));
      assertThat(batch.hasMore()).isFalse();
      assertThat(batch.nextCursor()).isNotNull();
    }

    @Test
    void anEmptyFeedStillIssuesACursor() {
      if (lacks(Capability.CHANGE_FEED, () -> system.changesSince(null, 10))) {
        return;
      }
      ChangeBatch empty = system.changesSince(null, 10);
      assertThat(empty.changes()).isEmpty();
      assertThat(empty.hasMore()).isFalse();
      Customer c = create(person("Later", "One"));
      assertThat(system.changesSince(empty.nextCursor(), 10).changes())
          .extracting(CustomerChange::customerId).containsExactly(c.id());
    }

    @Test
    void theCursorMovesOnSoEachChangeIsReadOnceAndLaterChangesFollow() {
      if (lacks(Capability.CHANGE_FEED, () -> system.changesSince(null, 10))) {
        return;
      }
      Customer c = create(person("Changing", "One"));
      ChangeBatch first = system.changesSince(null, 10);

      ChangeBatch nothing = system.changesSince(first.nextCursor(), 10);
      assertThat(nothing.changes()).isEmpty();
      assertThat(nothing.hasMore()).isFalse();
      assertThat(nothing.nextCursor()).isEqualTo(first.nextCursor());

      clock.advance(Duration.ofSeconds(1));
      Customer updated = system.update(c.id(), CustomerUpdate.builder().company("Acme").build());
      ChangeBatch next = system.changesSince(first.nextCursor(), 10);
      assertThat(next.changes()).singleElement().satisfies(ch -> {
        assertThat(ch.type()).isEqualTo(ChangeType.UPDATED);
        assertThat(ch.customer()).isEqualTo(updated);
        assertThat(ch.mergedIntoId()).isNull();
      });
    }

    @Test
    void aCustomerChangedManyTimesAppearsOnceWithItsLatestState() {
      if (lacks(Capability.CHANGE_FEED, () -> system.changesSince(null, 10))) {
        return;
      }
      Customer c = create(person("Busy", "One"));
      Customer other = create(person("Quiet", "One"));
      String cursor = system.changesSince(null, 10).nextCursor();
      for (int i = 0; i < 4; i++) {
        clock.advance(Duration.ofMillis(1));
        system.update(c.id(), CustomerUpdate.builder().company("Co " + i).build());
      }
      Customer latest = system.require(c.id());
      assertThat(latest.company()).isEqualTo("Co 3");
      assertThat(system.changesSince(cursor, 10).changes()).singleElement()
          .satisfies(ch -> assertThat(ch.customer()).isEqualTo(latest));
      assertThat(system.changesSince(null, 10).changes()).extracting(CustomerChange::customerId)
          .containsExactlyInAnyOrder(c.id(), other.id());
    }

    @Test
    void aSoftDeleteAppearsAsDeletedWithoutAMergeTarget() {
      Customer c = create(person("Gone", "One"));
      assumeCapabilities(Capability.DELETE);
      if (lacks(Capability.CHANGE_FEED, () -> system.changesSince(null, 10))) {
        return;
      }
      String cursor = system.changesSince(null, 10).nextCursor();
      system.delete(c.id());
      assertThat(system.changesSince(cursor, 10).changes()).singleElement().satisfies(ch -> {
        assertThat(ch.type()).isEqualTo(ChangeType.DELETED);
        assertThat(ch.customerId()).isEqualTo(c.id());
        assertThat(ch.customer().isDeleted()).isTrue();
        assertThat(ch.mergedIntoId()).isNull();
      });
    }

    @Test
    void noWriteIsMissedWhenManyShareOneMillisecondAndBatchesAreSmall() {
      if (lacks(Capability.CHANGE_FEED, () -> system.changesSince(null, 10))) {
        return;
      }
      Set<String> created = new HashSet<>();
      for (int i = 0; i < 23; i++) {
        created.add(create(person("Same", "Instant" + i)).id());
      }
      ChangeBatch first = system.changesSince(null, 4);
      assertThat(first.changes()).hasSize(4);
      assertThat(first.hasMore()).isTrue();

      List<CustomerChange> rest = drainChanges(first.nextCursor(), 4);
      List<String> seen = new ArrayList<>();
      first.changes().forEach(ch -> seen.add(ch.customerId()));
      rest.forEach(ch -> seen.add(ch.customerId()));
      assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);

      String cursor = system.changesSince(null, PageRequest.MAX_LIMIT).nextCursor();
      Set<String> later = new HashSet<>();
      for (int i = 0; i < 9; i++) {
        later.add(create(person("Same", "Later" + i)).id());
      }
      assertThat(drainChanges(cursor, 2)).extracting(CustomerChange::customerId)
          .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(later);
    }

    @Test
    void aCursorTheSystemDidNotIssueIsRejectedNamingCursor() {
      if (lacks(Capability.CHANGE_FEED, () -> system.changesSince("%%not-a-cursor%%", 10))) {
        return;
      }
      assertValidationNaming(() -> system.changesSince("%%not-a-cursor%%", 10), "cursor", "%%not-a-cursor%%");
    }

    @Test
    void aLimitOutOfRangeIsRejectedNamingLimit() {
      if (lacks(Capability.CHANGE_FEED, () -> system.changesSince(null, 10))) {
        return;
      }
      assertValidationNaming(() -> system.changesSince(null, 0), "limit");
      assertValidationNaming(() -> system.changesSince(null, PageRequest.MAX_LIMIT + 1), "limit");
    }
  }

  // ------------------------------------------------------------------------------------ tenants

  @Nested
  class TenantIsolation {
    @Test
    void anotherTenantNeverSeesThisTenantsCustomers() {
      Customer mine = create(person("Mine", "Only").email("mine@example.com").phone("+14155550100"));
      CustomerSystem other = open(newTenantId());

      assertThat(other.tenantId()).isNotEqualTo(tenantId);
      assertThat(other.get(mine.id())).isEmpty();
      assertThat(other.findByEmail("mine@example.com")).isEmpty();
      assertThat(other.findByPhone("+14155550100")).isEmpty();
      if (other.supports(Capability.SEARCH)) {
        assertThat(all(other.search(CustomerQuery.builder().includeDeleted(true).build()))).isEmpty();
      }
      if (other.supports(Capability.CHANGE_FEED)) {
        assertThat(other.changesSince(null, 10).changes()).isEmpty();
      }
      if (other.supports(Capability.DUPLICATE_DETECTION)) {
        other.create(person("Twin", "Elsewhere").email("mine+x@example.com").build());
        assertThat(other.findDuplicates(10)).isEmpty();
      }
    }

    @Test
    void anotherTenantCannotWriteThisTenantsCustomers() {
      Customer mine = create(person("Mine", "Only"));
      CustomerSystem other = open(newTenantId());
      assertNotFound(() -> other.update(mine.id(), CustomerUpdate.builder().company("Hijack").build()));
      if (other.supports(Capability.DELETE)) {
        assertNotFound(() -> other.delete(mine.id()));
      }
      if (other.supports(Capability.NOTES)) {
        assertNotFound(() -> other.addNote(mine.id(), NoteDraft.of("sneaky")));
      }
      assertThat(system.require(mine.id())).isEqualTo(mine);
    }

    @Test
    void idempotencyKeysBelongToOneTenant() {
      assumeCapabilities(Capability.ACTIVITIES, Capability.IDEMPOTENT_ACTIVITIES);
      Customer mine = create(person("Mine", "Only"));
      CustomerSystem other = open(newTenantId());
      Customer theirs = other.create(person("Theirs", "Only").build());
      ActivityDraft draft = new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "hi", null, null, "sms:same");
      CustomerActivity a = system.addActivity(mine.id(), draft);
      CustomerActivity b = other.addActivity(theirs.id(), draft);
      assertThat(b.id()).isNotEqualTo(a.id());
      assertThat(b.customerId()).isEqualTo(theirs.id());
      assertThat(other.findActivity("sms:same")).contains(b);
    }

    @Test
    void noteIdempotencyKeysBelongToOneTenant() {
      assumeCapabilities(Capability.NOTES, Capability.IDEMPOTENT_ACTIVITIES);
      Customer mine = create(person("Mine", "Only"));
      CustomerSystem other = open(newTenantId());
      Customer theirs = other.create(person("Theirs", "Only").build());
      NoteDraft draft = NoteDraft.of("hello").withIdempotencyKey("evt:same:note");
      CustomerNote a = system.addNote(mine.id(), draft);
      CustomerNote b = other.addNote(theirs.id(), draft);
      assertThat(b.id()).isNotEqualTo(a.id());
      assertThat(b.customerId()).isEqualTo(theirs.id());
      assertThat(all(other.listNotes(theirs.id(), PageRequest.first()))).extracting(CustomerNote::id).containsExactly(b.id());
    }
  }

  // ------------------------------------------------------------------------------------ unknown ids

  /** An operation on one customer id, and the capability it needs ({@code null}: none). */
  private record Operation(String name, Capability capability, ThrowingCallable call) {}

  @TestFactory
  Stream<DynamicTest> everyPerCustomerOperationThrowsNotFoundForAnUnknownId() {
    String id = unknownId();
    Customer known = create(person("Known", "Customer"));
    List<Operation> operations = List.of(
        new Operation("require", null, () -> system.require(id)),
        new Operation("update", null, () -> system.update(id, CustomerUpdate.builder().firstName("X").build())),
        new Operation("delete", Capability.DELETE, () -> system.delete(id)),
        new Operation("restore", Capability.RESTORE, () -> system.restore(id)),
        new Operation("merge with an unknown survivor", Capability.MERGE, () -> system.merge(id, known.id())),
        new Operation("merge of an unknown customer", Capability.MERGE, () -> system.merge(known.id(), id)),
        new Operation("addNote", Capability.NOTES, () -> system.addNote(id, NoteDraft.of("x"))),
        new Operation("listNotes", Capability.NOTES, () -> system.listNotes(id, PageRequest.first())),
        new Operation("addActivity", Capability.ACTIVITIES,
            () -> system.addActivity(id, ActivityDraft.of(ActivityType.OTHER, null, "x"))),
        new Operation("listActivities", Capability.ACTIVITIES, () -> system.listActivities(id, PageRequest.first())),
        new Operation("recordOrder", Capability.ORDERS,
            () -> system.recordOrder(id, new OrderDraft("o-1", Money.of("1", "USD"), START))),
        new Operation("createDeal", Capability.DEALS, () -> system.createDeal(id, DealDraft.builder("x").build())),
        new Operation("listDeals", Capability.DEALS, () -> system.listDeals(id, PageRequest.first())));
    return operations.stream().map(op -> DynamicTest.dynamicTest(op.name(), () -> {
      if (op.capability() == null || system.supports(op.capability())) {
        assertThatThrownBy(op.call())
            .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.id()).isEqualTo(id));
        assertThat(system.require(known.id()).isDeleted()).isFalse();
      } else {
        assertThatThrownBy(op.call()).isInstanceOf(UnsupportedCapabilityException.class);
      }
    }));
  }
}
