package dev.crmkit.jdbc;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerStats;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealUpdate;
import dev.crmkit.DuplicateGroup;
import dev.crmkit.Interaction;
import dev.crmkit.MergeResult;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.OrderDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.spi.TenantIds;
import dev.crmkit.jdbc.internal.ActivityTable;
import dev.crmkit.jdbc.internal.BulkUpsert;
import dev.crmkit.jdbc.internal.ChangeCounter;
import dev.crmkit.jdbc.internal.CustomerTable;
import dev.crmkit.jdbc.internal.Cursors;
import dev.crmkit.jdbc.internal.DealTable;
import dev.crmkit.jdbc.internal.Dialect;
import dev.crmkit.jdbc.internal.Drafts;
import dev.crmkit.jdbc.internal.IdentityKeys;
import dev.crmkit.jdbc.internal.DuplicateKeyException;
import dev.crmkit.jdbc.internal.Jdbc;
import dev.crmkit.jdbc.internal.MergedIdTable;
import dev.crmkit.jdbc.internal.NoteTable;
import dev.crmkit.jdbc.internal.OrderTable;
import dev.crmkit.jdbc.internal.StoredCustomer;
import dev.crmkit.jdbc.internal.TimeOrderedIds;
import dev.crmkit.provider.ProviderDescriptor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The native CRM: customers, notes, activities, orders and deals of one tenant in the host's own
 * database, through a {@link DataSource}. Supports every {@link Capability}. The schema must be
 * installed first ({@link NativeSchema#migrate}; {@link NativeCustomerSystemProvider} does it for you).
 *
 * <p>Storage: ids are time-ordered UUID strings (version 7); times are stored as epoch milliseconds,
 * so every {@link Instant} read back is truncated to the millisecond; amounts are
 * {@code DECIMAL(19,4)} (text on SQLite) and read back with the currency's fraction digits; a deal's
 * expected close date is stored as an epoch day. Every statement filters by the tenant id. Emails and
 * phones are unique per tenant among live customers; a soft-deleted or merged customer releases them.
 *
 * <p>Keys compare exactly on every database: tenant ids, ids, email and phone keys, idempotency keys
 * and order ids match code point for code point, with no padding, case folding or Unicode
 * normalization (on MariaDB/MySQL the migrations give every text column a binary NO PAD collation).
 * On MariaDB/MySQL every connection the store takes gets strict SQL mode
 * ({@code STRICT_ALL_TABLES} and related modes, added to the session's own), so a value that does not
 * fit its column is refused, never truncated.
 *
 * <p>Database errors surface as {@link dev.crmkit.error.CrmException}s whose message names the kind of
 * statement, its table, the SQLState and the vendor code. The driver's own message, which may quote
 * bound values such as an email, is in neither the message nor the cause: the cause stands in for the
 * driver exception with its class, SQLState, vendor code and stack trace only, so a host that logs the
 * whole chain logs no customer data.
 *
 * <p>Limits: every value is checked against its column before anything is written, with the limits
 * the input types document ({@link CustomerDraft}, {@link NoteDraft}, {@link ActivityDraft},
 * {@link OrderDraft}, {@link DealDraft}, {@link DealUpdate}): a value over a limit, holding
 * {@code U+0000} or an unpaired surrogate, a time outside years 0001 to 9999, an order or deal amount
 * with more than 15 digits before the point or 4 after it, or an event time (an activity's
 * {@code occurredAt}, a note's {@code createdAt}, an order's {@code placedAt}, a {@code lastContactAt})
 * more than one day ahead of the clock is rejected with a {@link ValidationException} naming the field. In {@link #upsert} such a draft is rejected alone.
 *
 * <p>Writes: each runs in one transaction and writes nothing when it fails. A write locks the
 * customer rows it changes, then numbers them from the tenant's change counter just before writing
 * them and holds the counter until commit, so {@link #changesSince} sees changes in commit order
 * with none skipped, while writers of different customers of one tenant run concurrently up to that
 * point. A write the database aborts to break a deadlock is run again. A bulk {@link #upsert} holds
 * the counter for each whole chunk of {@value BulkUpsert#CHUNK} drafts, and refreshes the database's
 * planner statistics after it wrote a large share of the tenant's customers. On SQLite, which has one
 * write lock for the whole database, every write takes the counter first; give the data source a
 * {@code busy_timeout} (such as {@code jdbc:sqlite:crm.db?busy_timeout=10000}) so concurrent writers
 * wait instead of failing.
 *
 * <p>Deals: a deal belongs to one customer and moves through the tenant's {@link #pipelines()} (given
 * to {@link #open(DataSource, String, Clock, PhoneNumbers, List)}, or setting {@value Pipeline#SETTING}
 * through the provider; {@link Pipeline#DEFAULT} otherwise). A stage or pipeline the tenant does not
 * have is refused with a {@link ValidationException} naming {@code stageId} or {@code pipelineId}; a
 * deal stored under a pipeline or stage the tenant has since removed keeps it until an update moves it. A merge
 * moves the merged customer's deals to the survivor; deleting a customer keeps its deals, as its notes.
 * Notes and deals created with an idempotency key are written once per tenant and key, across
 * processes: the key's unique index decides, and every later or losing caller gets the first one.
 *
 * <p>Thread-safe. {@link #close()} releases nothing: the data source belongs to the host.
 */
public final class NativeCustomerSystem implements CustomerSystem {
  /** The provider name, {@value}. */
  public static final String PROVIDER_NAME = "native";

  /** What this system supports: the features its provider's descriptor declares, written once there. */
  private static final Set<Capability> CAPABILITIES = NativeCustomerSystemProvider.DESCRIPTOR.features();

  private final Jdbc jdbc;
  private final String tenantId;
  private final Clock clock;
  private final PhoneNumbers phones;
  private final TimeOrderedIds ids;
  private final ChangeCounter counter;
  private final CustomerTable table;
  private final NoteTable noteTable;
  private final ActivityTable activityTable;
  private final OrderTable orderTable;
  private final DealTable dealTable;
  private final List<Pipeline> pipelines;
  private final MergedIdTable mergedIdTable;
  private final BulkUpsert bulk;

  private NativeCustomerSystem(DataSource dataSource, Dialect dialect, String tenantId, Clock clock,
      PhoneNumbers phones, List<Pipeline> pipelines) {
    this.jdbc = new Jdbc(dataSource, dialect);
    this.tenantId = tenantId;
    this.clock = clock;
    this.phones = phones;
    this.ids = new TimeOrderedIds(clock);
    this.counter = new ChangeCounter(jdbc, tenantId);
    this.table = new CustomerTable(tenantId, dialect, phones);
    this.noteTable = new NoteTable(tenantId);
    this.activityTable = new ActivityTable(tenantId);
    this.orderTable = new OrderTable(tenantId, dialect);
    this.dealTable = new DealTable(tenantId, dialect);
    this.pipelines = pipelines;
    this.mergedIdTable = new MergedIdTable(tenantId);
    this.bulk = new BulkUpsert(jdbc, counter, table, ids, phones, clock, tenantId);
  }

  /**
   * Opens the store of one tenant. Opens one connection to detect the database; does not migrate.
   *
   * @param dataSource the host's data source, ideally pooled; not null
   * @param tenantId the tenant: 1 to 128 characters, compared exactly on every database (no padding,
   *     case folding or Unicode normalization); no leading or trailing whitespace, control characters or
   *     unpaired surrogates
   * @param clock the clock every timestamp comes from; not null
   * @param phoneNumbers phone normalization for the tenant's default region; not null
   * @throws ValidationException naming {@code tenantId} when it breaks one of those rules
   * @throws dev.crmkit.error.ConfigurationException when the database is not supported
   */
  public static NativeCustomerSystem open(DataSource dataSource, String tenantId, Clock clock,
      PhoneNumbers phoneNumbers) {
    return open(dataSource, tenantId, clock, phoneNumbers, List.of(Pipeline.DEFAULT));
  }

  /**
   * Opens the store of one tenant whose deals move through {@code pipelines}. Opens one connection to
   * detect the database; does not migrate. The other parameters are those of
   * {@link #open(DataSource, String, Clock, PhoneNumbers)}.
   *
   * @param pipelines the tenant's pipelines, the first being the default for new deals; not null, not
   *     empty, no null element, ids unique (parse a setting with {@link Pipeline#parse})
   * @throws NullPointerException naming the argument that is null or holds a null element
   * @throws IllegalArgumentException naming {@code pipelines} when it is empty or repeats an id
   * @throws ValidationException naming {@code tenantId} as {@link #open(DataSource, String, Clock, PhoneNumbers)}
   * @throws ConfigurationException when the database is not supported
   */
  public static NativeCustomerSystem open(DataSource dataSource, String tenantId, Clock clock,
      PhoneNumbers phoneNumbers, List<Pipeline> pipelines) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(phoneNumbers, "phoneNumbers");
    List<Pipeline> tenantPipelines = checkPipelines(pipelines);
    TenantIds.check(tenantId, "tenantId");
    return new NativeCustomerSystem(dataSource, NativeSchema.dialect(dataSource), tenantId, clock, phoneNumbers,
        tenantPipelines);
  }

  /**
   * {@link #open(DataSource, String, Clock, PhoneNumbers, List)} with the context's tenant, clock and
   * phones, and the pipelines of its setting {@value Pipeline#SETTING} ({@link Pipeline#parse}; when
   * absent or blank, {@link Pipeline#DEFAULT} alone), parsed once here.
   *
   * @throws ConfigurationException naming the tenant and the setting when {@value Pipeline#SETTING} is
   *     malformed, or when the database is not supported
   */
  public static NativeCustomerSystem open(DataSource dataSource, ProviderContext context) {
    return open(dataSource, context.tenantId(), context.clock(), context.phoneNumbers(), pipelines(context.config()));
  }

  private static List<Pipeline> pipelines(TenantConfig config) {
    String setting = ProviderDescriptor.DEAL_PIPELINES.value(config);
    if (setting == null || setting.isBlank()) {
      return List.of(Pipeline.DEFAULT);
    }
    try {
      return Pipeline.parse(setting);
    } catch (ConfigurationException e) {
      throw new ConfigurationException("tenant '" + config.tenantId() + "', provider '" + config.provider() + "': "
          + e.getMessage(), e);
    }
  }

  private static List<Pipeline> checkPipelines(List<Pipeline> pipelines) {
    Objects.requireNonNull(pipelines, "pipelines");
    List<Pipeline> copy = List.copyOf(pipelines);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("pipelines must not be empty: give List.of(Pipeline.DEFAULT) at least");
    }
    if (copy.stream().map(Pipeline::id).distinct().count() != copy.size()) {
      throw new IllegalArgumentException("pipelines repeat an id: " + copy.stream().map(Pipeline::id).toList());
    }
    return copy;
  }

  @Override
  public String providerName() {
    return PROVIDER_NAME;
  }

  @Override
  public String tenantId() {
    return tenantId;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Optional<Customer> get(String id) {
    if (id == null || id.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(jdbc.read(c -> table.findFollowingMerges(c, id))).map(StoredCustomer::customer);
  }

  @Override
  public Optional<Customer> findByEmail(String email) {
    String key;
    try {
      key = EmailAddresses.normalize(email);
    } catch (ValidationException e) {
      return Optional.empty();
    }
    return key == null ? Optional.empty() : findOne(CustomerTable.EMAIL_KEY, key);
  }

  @Override
  public Optional<Customer> findByPhone(String phone) {
    String key = phones.matchKey(phone);
    return key == null ? Optional.empty() : findOne(CustomerTable.PHONE_KEY, key);
  }

  private Optional<Customer> findOne(String column, String key) {
    return Optional.ofNullable(jdbc.read(c -> table.selectOne(c, column, key))).map(StoredCustomer::customer);
  }

  @Override
  public Page<Customer> search(CustomerQuery query) {
    if (query == null) {
      throw invalid("query", null, "must not be null");
    }
    String emailKey = null;
    if (query.email() != null) {
      try {
        emailKey = EmailAddresses.normalize(query.email());
      } catch (ValidationException e) {
        return Page.last(List.of());
      }
    }
    NormalizedPhone phone = null;
    if (query.phone() != null) {
      try {
        phone = phones.normalize(query.phone());
      } catch (ValidationException e) {
        return Page.last(List.of());
      }
      if (phone.identityKey() == null) {
        // A fragment such as "-4940" identifies nobody; as a criterion it matches nothing.
        return Page.last(List.of());
      }
    }
    String afterId = query.page().cursor() == null ? null : Cursors.decode("c", query.page().cursor());
    int limit = query.page().limit();
    CustomerTable.Filter filter = new CustomerTable.Filter(query.includeDeleted(), query.name(), emailKey,
        phone == null ? null : phone.identityKey(), phone == null ? null : phone.value(),
        query.segment() == null ? null : query.segment().name(), query.tag(), afterId, limit + 1);
    List<StoredCustomer> rows = jdbc.read(c -> table.search(c, filter));
    List<Customer> items = new ArrayList<>(Math.min(rows.size(), limit));
    for (int i = 0; i < Math.min(rows.size(), limit); i++) {
      items.add(rows.get(i).customer());
    }
    String next = rows.size() > limit ? Cursors.encode("c", items.get(items.size() - 1).id()) : null;
    return new Page<>(items, next, cursor -> search(query.withCursor(cursor)));
  }

  @Override
  public Customer create(CustomerDraft draft) {
    Drafts.Normalized n = Drafts.normalize(draft, phones, clock);
    Customer customer = Drafts.newCustomer(n, ids.next(), tenantId, now());
    try {
      return writeCustomers((c, seq) -> {
        long s = seq.next();
        table.insert(c, List.of(new StoredCustomer(customer, null, s, s)));
        return customer;
      });
    } catch (DuplicateKeyException e) {
      throw conflict(customer.email(), n.phone() == null ? null : n.phone().identityKey(), null, e);
    }
  }

  @Override
  public Customer update(String id, CustomerUpdate update) {
    if (update == null) {
      throw invalid("update", null, "must not be null");
    }
    if (update.isEmpty()) {
      return require(id);
    }
    if (update.touches(CustomerField.LAST_CONTACT_AT)) {
      Drafts.checkTime("lastContactAt", (Instant) update.valueOf(CustomerField.LAST_CONTACT_AT), now());
    }
    Customer[] wanted = new Customer[1];
    try {
      return writeCustomers((c, seq) -> {
        StoredCustomer stored = requireLocked(c, id);
        Customer current = stored.customer();
        Customer next = update.applyTo(current, now(), phones);
        if (next == current) {
          return current;
        }
        Drafts.check(current, next);
        wanted[0] = next;
        table.update(c, List.of(stored.rewritten(next, seq.next())));
        table.writeTagAndFieldChanges(c, Map.of(current.id(), current), Map.of(next.id(), next));
        return next;
      });
    } catch (DuplicateKeyException e) {
      Customer w = wanted[0];
      throw w == null ? e : conflict(w.email(), phoneKey(w.phone()), w.id(), e);
    }
  }

  @Override
  public void delete(String id) {
    writeCustomers((c, seq) -> {
      StoredCustomer stored = requireLocked(c, id);
      if (stored.customer().isDeleted()) {
        return null;
      }
      Instant now = now();
      Customer deleted = stored.customer().toBuilder().deletedAt(now).updatedAt(now).build();
      table.update(c, List.of(new StoredCustomer(deleted, null, stored.createdSeq(), seq.next())));
      return null;
    });
  }

  @Override
  public Customer restore(String id) {
    Customer[] wanted = new Customer[1];
    try {
      return writeCustomers((c, seq) -> {
        StoredCustomer stored = requireLocked(c, id);
        if (!stored.customer().isDeleted()) {
          return stored.customer();
        }
        Instant now = now();
        Customer live = stored.customer().toBuilder().deletedAt(null).updatedAt(now).build();
        wanted[0] = live;
        table.update(c, List.of(new StoredCustomer(live, null, stored.createdSeq(), seq.next())));
        return live;
      });
    } catch (DuplicateKeyException e) {
      Customer w = wanted[0];
      throw w == null ? e : conflict(w.email(), phoneKey(w.phone()), w.id(), e);
    }
  }

  @Override
  public MergeResult merge(String survivorId, String mergedId) {
    if (survivorId == null || survivorId.isBlank()) {
      throw invalid("survivorId", survivorId, "must not be blank");
    }
    if (mergedId == null || mergedId.isBlank()) {
      throw invalid("mergedId", mergedId, "must not be blank");
    }
    return writeCustomers((c, seq) -> {
      // Lock in id order, so two merges of the same pair the other way round cannot deadlock.
      boolean survivorFirst = survivorId.compareTo(mergedId) <= 0;
      StoredCustomer first = requireLocked(c, survivorFirst ? survivorId : mergedId);
      StoredCustomer second = requireLocked(c, survivorFirst ? mergedId : survivorId);
      StoredCustomer survivor = survivorFirst ? first : second;
      StoredCustomer merged = survivorFirst ? second : first;
      if (survivor.id().equals(merged.id())) {
        throw invalid("mergedId", mergedId, "is the same customer as survivorId '" + survivorId + "'");
      }
      Instant now = now();
      Customer gone = merged.customer();
      Customer goneAfter = gone.isDeleted() ? gone.toBuilder().updatedAt(now).build()
          : gone.toBuilder().deletedAt(now).updatedAt(now).build();
      Customer kept = absorb(survivor.customer(), gone, now);
      Drafts.check(survivor.customer(), kept);
      seq.reserve(2);
      table.update(c, List.of(new StoredCustomer(goneAfter, survivor.id(), merged.createdSeq(), seq.next())));
      table.update(c, List.of(survivor.rewritten(kept, seq.next())));
      table.writeTagAndFieldChanges(c, Map.of(kept.id(), survivor.customer()), Map.of(kept.id(), kept));
      int notes = noteTable.move(c, merged.id(), survivor.id());
      int activities = activityTable.move(c, merged.id(), survivor.id());
      orderTable.move(c, merged.id(), survivor.id());
      dealTable.move(c, merged.id(), survivor.id(), now);
      mergedIdTable.record(c, merged.id(), survivor.id(), now);
      return new MergeResult(kept, merged.id(), notes, activities);
    });
  }

  /** The survivor after taking the merged customer's values for the fields it lacks. */
  private static Customer absorb(Customer s, Customer m, Instant now) {
    Customer.Builder b = s.absorbing(m).toBuilder();
    if (s.segment() == Segment.PROSPECT) {
      b.segment(m.segment());
    }
    return b.stats(combine(s.stats(), m.stats())).updatedAt(now).build();
  }

  /** Both customers' orders when they share a currency (or one has none); else the survivor's alone. */
  private static CustomerStats combine(CustomerStats s, CustomerStats m) {
    if (m.totalOrders() == 0) {
      return s;
    }
    if (s.totalOrders() == 0) {
      return m;
    }
    if (!s.totalRevenue().currency().equals(m.totalRevenue().currency())) {
      return s;
    }
    int orders = s.totalOrders() + m.totalOrders();
    Money revenue = s.totalRevenue().plus(m.totalRevenue());
    Instant last = s.lastOrderAt() == null ? m.lastOrderAt()
        : m.lastOrderAt() == null || s.lastOrderAt().isAfter(m.lastOrderAt()) ? s.lastOrderAt() : m.lastOrderAt();
    return new CustomerStats(orders, revenue, CustomerStats.average(revenue, orders), last);
  }

  @Override
  public List<DuplicateGroup> findDuplicates(int limit) {
    if (limit < 1 || limit > 10_000) {
      throw invalid("limit", String.valueOf(limit), "must be between 1 and 10000");
    }
    return jdbc.read(c -> {
      List<DuplicateGroup> groups = new ArrayList<>();
      for (CustomerTable.LooseKey key : CustomerTable.LooseKey.values()) {
        int remaining = limit - groups.size();
        if (remaining == 0) {
          break;
        }
        String reason = key.name().toLowerCase(Locale.ROOT);
        table.duplicates(c, key, remaining).forEach((k, list) -> groups.add(new DuplicateGroup(reason, k, list)));
      }
      return groups;
    });
  }

  @Override
  public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    if (drafts == null) {
      throw invalid("drafts", null, "must not be null");
    }
    return bulk.run(drafts);
  }

  @Override
  public CustomerNote addNote(String customerId, NoteDraft note) {
    if (note == null) {
      throw invalid("note", null, "must not be null");
    }
    Drafts.checkTime("createdAt", note.createdAt(), now());
    Instant createdAt = note.createdAt() == null ? now() : Drafts.truncate(note.createdAt());
    counter.ensureRow();
    try {
      return jdbc.writeRetrying(c -> {
        String owner = lockedOwner(c, customerId);
        CustomerNote added = new CustomerNote(ids.next(), owner, note.content(), note.createdBy(), createdAt);
        noteTable.insert(c, added, note.idempotencyKey());
        return added;
      });
    } catch (DuplicateKeyException e) {
      // The key's unique index decided between racing callers: the note that committed is the answer.
      String key = note.idempotencyKey();
      CustomerNote earlier = key == null ? null : jdbc.read(c -> noteTable.findByIdempotencyKey(c, key));
      if (earlier == null) {
        throw e;
      }
      return earlier;
    }
  }

  @Override
  public Page<CustomerNote> listNotes(String customerId, PageRequest page) {
    PageRequest p = page == null ? PageRequest.first() : page;
    Object[] after = p.cursor() == null ? null : Cursors.timeAndId("n", p.cursor());
    List<CustomerNote> rows = jdbc.read(c -> {
      String owner = requireStored(c, customerId).id();
      return after == null ? noteTable.page(c, owner, 0, null, p.limit() + 1)
          : noteTable.page(c, owner, (Long) after[0], (String) after[1], p.limit() + 1);
    });
    List<CustomerNote> items = rows.subList(0, Math.min(rows.size(), p.limit()));
    String next = null;
    if (rows.size() > p.limit()) {
      CustomerNote lastNote = items.get(items.size() - 1);
      next = Cursors.encode("n", lastNote.createdAt().toEpochMilli() + ":" + lastNote.id());
    }
    return new Page<>(items, next, cursor -> listNotes(customerId, p.at(cursor)));
  }

  @Override
  public CustomerActivity addActivity(String customerId, ActivityDraft activity) {
    if (activity == null) {
      throw invalid("activity", null, "must not be null");
    }
    Drafts.checkTime("occurredAt", activity.occurredAt(), now());
    Instant occurredAt = activity.occurredAt() == null ? now() : Drafts.truncate(activity.occurredAt());
    counter.ensureRow();
    try {
      return jdbc.writeRetrying(c -> insertActivity(c, lockedOwner(c, customerId), activity, occurredAt));
    } catch (DuplicateKeyException e) {
      return findActivity(activity.idempotencyKey()).orElseThrow(() -> e);
    }
  }

  /**
   * One transaction: the activity, and the customer's last contact moved forward with a change number.
   * The idempotency key's unique index decides between racing callers in any number of processes: the
   * one whose insert commits gets {@code duplicate == false}; every other gets the earlier activity with
   * {@code duplicate == true}, and its transaction (including any last-contact update) is rolled back.
   */
  @Override
  public Interaction logInteraction(String customerId, ActivityDraft activity) {
    if (activity == null) {
      throw invalid("activity", null, "must not be null");
    }
    Drafts.checkTime("occurredAt", activity.occurredAt(), now());
    Instant occurredAt = activity.occurredAt() == null ? now() : Drafts.truncate(activity.occurredAt());
    try {
      return writeCustomers((c, seq) -> {
        Customer current = requireStored(c, customerId).customer();
        CustomerActivity logged = insertActivity(c, current.id(), activity, occurredAt);
        Instant now = now();
        if (current.lastContactAt() == null || current.lastContactAt().isBefore(occurredAt)) {
          if (table.moveLastContact(c, current.id(), occurredAt, now, seq.next())) {
            return Interaction.logged(logged, current.toBuilder().lastContactAt(occurredAt).updatedAt(now).build());
          }
          seq.release();
        }
        // Nothing to move (or a newer contact won meanwhile): lock the row, so that a merge cannot move
        // this customer's activities away before the one just inserted commits.
        StoredCustomer locked = table.lockFollowingMerges(c, current.id());
        if (locked == null || !locked.id().equals(current.id())) {
          throw new SQLTransactionRollbackException("customer merged meanwhile", "40001");
        }
        return Interaction.logged(logged, locked.customer());
      });
    } catch (DuplicateKeyException e) {
      CustomerActivity earlier = findActivity(activity.idempotencyKey()).orElseThrow(() -> e);
      return Interaction.earlier(earlier, require(earlier.customerId()));
    }
  }

  private CustomerActivity insertActivity(Connection c, String owner, ActivityDraft a, Instant occurredAt)
      throws SQLException {
    CustomerActivity added = new CustomerActivity(ids.next(), owner, a.type(), a.channel(), a.description(),
        occurredAt, a.metadata(), a.idempotencyKey());
    activityTable.insert(c, added);
    return added;
  }

  @Override
  public Page<CustomerActivity> listActivities(String customerId, PageRequest page) {
    PageRequest p = page == null ? PageRequest.first() : page;
    Object[] after = p.cursor() == null ? null : Cursors.timeAndId("a", p.cursor());
    List<CustomerActivity> rows = jdbc.read(c -> {
      String owner = requireStored(c, customerId).id();
      return after == null ? activityTable.page(c, owner, 0, null, p.limit() + 1)
          : activityTable.page(c, owner, (Long) after[0], (String) after[1], p.limit() + 1);
    });
    List<CustomerActivity> items = rows.subList(0, Math.min(rows.size(), p.limit()));
    String next = null;
    if (rows.size() > p.limit()) {
      CustomerActivity lastActivity = items.get(items.size() - 1);
      next = Cursors.encode("a", lastActivity.occurredAt().toEpochMilli() + ":" + lastActivity.id());
    }
    return new Page<>(items, next, cursor -> listActivities(customerId, p.at(cursor)));
  }

  @Override
  public Optional<CustomerActivity> findActivity(String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      throw invalid("idempotencyKey", idempotencyKey, "must not be blank");
    }
    return Optional.ofNullable(jdbc.read(c -> activityTable.findByIdempotencyKey(c, idempotencyKey)));
  }

  @Override
  public CustomerStats recordOrder(String customerId, OrderDraft order) {
    if (order == null) {
      throw invalid("order", null, "must not be null");
    }
    Drafts.checkTime("placedAt", order.placedAt(), now());
    Instant placedAt = Drafts.truncate(order.placedAt());
    return writeCustomers((c, seq) -> {
      StoredCustomer stored = requireLocked(c, customerId);
      Customer current = stored.customer();
      if (orderTable.exists(c, order.orderId())) {
        return current.stats();
      }
      CustomerStats stats;
      try {
        stats = current.stats().withOrder(order.amount(), placedAt);
      } catch (ValidationException e) {
        throw new ValidationException(PROVIDER_NAME, e.fieldErrors());
      }
      Customer next = current.toBuilder().stats(stats).updatedAt(now())
          .segment(current.segment() == Segment.PROSPECT ? Segment.STANDARD : current.segment()).build();
      Drafts.check(current, next);
      orderTable.insert(c, order.orderId(), current.id(), order.amount(), placedAt);
      table.update(c, List.of(stored.rewritten(next, seq.next())));
      insertActivity(c, current.id(), new ActivityDraft(ActivityType.ORDER_PLACED, null,
          "order " + order.orderId() + ": " + order.amount(), placedAt,
          Map.of("orderId", order.orderId(), "amount", order.amount().amount().toPlainString(),
              "currency", order.amount().currency().getCurrencyCode()), null), placedAt);
      return stats;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>The customer's row is locked while the deal is inserted, so a concurrent merge cannot leave the
   * deal on a merged-away id. The idempotency key's unique index decides between racing callers in any
   * number of processes: every caller but the one whose insert commits gets the committed deal.
   */
  @Override
  public Deal createDeal(String customerId, DealDraft deal) {
    if (deal == null) {
      throw invalid("deal", null, "must not be null");
    }
    Instant now = now();
    // Resolved before any statement: a bad pipeline or stage writes nothing and takes no lock.
    Deal resolved = resolve(() -> deal.toDeal(ids.next(), "-", pipelines, now));
    counter.ensureRow();
    try {
      return jdbc.writeRetrying(c -> {
        return dealTable.insert(c, resolved.withCustomerId(lockedOwner(c, customerId), now), deal.idempotencyKey());
      });
    } catch (DuplicateKeyException e) {
      String key = deal.idempotencyKey();
      Deal earlier = key == null ? null : jdbc.read(c -> dealTable.findByIdempotencyKey(c, key));
      if (earlier == null) {
        throw e;
      }
      return earlier;
    }
  }

  @Override
  public Optional<Deal> getDeal(String dealId) {
    if (dealId == null || dealId.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(jdbc.read(c -> dealTable.find(c, dealId)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction: the deal's row is locked, the update applied to it as it stands then, and
   * written back, so concurrent updates of one deal apply one after the other and none is lost. An empty
   * update returns the deal as it is and writes nothing.
   */
  @Override
  public Deal updateDeal(String dealId, DealUpdate update) {
    if (update == null) {
      throw invalid("update", null, "must not be null");
    }
    if (dealId == null || dealId.isBlank()) {
      throw new NotFoundException(PROVIDER_NAME, "deal", dealId);
    }
    if (update.isEmpty()) {
      return getDeal(dealId).orElseThrow(() -> new NotFoundException(PROVIDER_NAME, "deal", dealId));
    }
    counter.ensureRow();
    return jdbc.writeRetrying(c -> {
      // On SQLite, take the database's write lock before reading (see lockedOwner).
      counter.begin(c);
      Deal before = dealTable.lock(c, dealId);
      if (before == null) {
        throw new NotFoundException(PROVIDER_NAME, "deal", dealId);
      }
      return dealTable.update(c, before, resolve(() -> update.applyTo(before, pipelines, now())));
    });
  }

  @Override
  public Page<Deal> listDeals(String customerId, PageRequest page) {
    PageRequest p = page == null ? PageRequest.first() : page;
    Object[] after = p.cursor() == null ? null : Cursors.timeAndId("d", p.cursor());
    List<Deal> rows = jdbc.read(c -> {
      String owner = requireStored(c, customerId).id();
      return after == null ? dealTable.page(c, owner, 0, null, p.limit() + 1)
          : dealTable.page(c, owner, (Long) after[0], (String) after[1], p.limit() + 1);
    });
    List<Deal> items = rows.subList(0, Math.min(rows.size(), p.limit()));
    String next = null;
    if (rows.size() > p.limit()) {
      Deal lastDeal = items.get(items.size() - 1);
      next = Cursors.encode("d", lastDeal.createdAt().toEpochMilli() + ":" + lastDeal.id());
    }
    return new Page<>(items, next, cursor -> listDeals(customerId, p.at(cursor)));
  }

  /**
   * The tenant's pipelines: those given to {@link #open(DataSource, String, Clock, PhoneNumbers, List)},
   * or parsed from setting {@value Pipeline#SETTING} by the provider, else {@link Pipeline#DEFAULT} alone.
   */
  @Override
  public List<Pipeline> pipelines() {
    return pipelines;
  }

  /** A deal resolved against the tenant's pipelines; a refusal names this provider. */
  private static Deal resolve(java.util.function.Supplier<Deal> resolution) {
    try {
      return resolution.get();
    } catch (ValidationException e) {
      throw new ValidationException(PROVIDER_NAME, e.fieldErrors());
    }
  }

  @Override
  public ChangeBatch changesSince(String cursor, int limit) {
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw invalid("limit", String.valueOf(limit), "must be between 1 and " + PageRequest.MAX_LIMIT);
    }
    long after = parseSeq(cursor);
    List<StoredCustomer> rows = jdbc.read(c -> table.changedAfter(c, after, limit + 1));
    boolean more = rows.size() > limit;
    List<CustomerChange> changes = new ArrayList<>(Math.min(rows.size(), limit));
    long last = after;
    for (StoredCustomer s : rows.subList(0, Math.min(rows.size(), limit))) {
      Customer cu = s.customer();
      ChangeType type = cu.isDeleted() ? ChangeType.DELETED
          : s.createdSeq() > after ? ChangeType.CREATED : ChangeType.UPDATED;
      changes.add(new CustomerChange(type, cu.id(), cu, cu.updatedAt(), cu.isDeleted() ? s.mergedIntoId() : null));
      last = s.changeSeq();
    }
    return new ChangeBatch(changes, Long.toString(last), more);
  }

  private static long parseSeq(String cursor) {
    if (cursor == null) {
      return 0;
    }
    try {
      long v = Long.parseLong(cursor);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      throw invalid("cursor", cursor, "not a change cursor issued by the native store");
    }
    throw invalid("cursor", cursor, "not a change cursor issued by the native store");
  }

  /** Releases nothing: the data source belongs to the host. */
  @Override
  public void close() {
    // The host owns the data source and its connections.
  }

  @Override
  public String toString() {
    return "NativeCustomerSystem{tenantId=" + tenantId + ", dialect=" + jdbc.dialect() + "}";
  }

  /** Work in a customer-writing transaction, holding the tenant's change counter. */
  @FunctionalInterface
  private interface CustomerWork<T> {
    T run(Connection c, ChangeCounter.Sequence seq) throws SQLException;
  }

  /**
   * Runs customer-writing work in one transaction, retried when the database breaks a deadlock. The
   * work locks the customer rows it rewrites ({@link #requireLocked}) and takes change numbers from
   * {@code seq} just before writing them, so the tenant's counter is held only from then to commit.
   */
  private <T> T writeCustomers(CustomerWork<T> work) {
    counter.ensureRow();
    return jdbc.writeRetrying(c -> work.run(c, counter.begin(c)));
  }

  /**
   * The id notes and activities of {@code customerId} go to, with the customer's row locked until the
   * transaction ends. Every merge locks both customers' rows, so a merge cannot move a customer's notes
   * between this look-up and the insert that follows and leave the new row on the merged-away id. On
   * SQLite the tenant's counter is locked first instead, which makes the transaction's first statement
   * a write: SQLite cannot turn a read lock into a write lock while another connection writes.
   */
  private String lockedOwner(Connection c, String customerId) throws SQLException {
    counter.begin(c);
    return requireLocked(c, customerId).id();
  }

  private StoredCustomer requireLocked(Connection c, String id) throws SQLException {
    StoredCustomer s = id == null || id.isBlank() ? null : table.lockFollowingMerges(c, id);
    if (s == null) {
      throw new NotFoundException(PROVIDER_NAME, "customer", id);
    }
    return s;
  }

  private StoredCustomer requireStored(Connection c, String id) throws SQLException {
    StoredCustomer s = id == null || id.isBlank() ? null : table.findFollowingMerges(c, id);
    if (s == null) {
      throw new NotFoundException(PROVIDER_NAME, "customer", id);
    }
    return s;
  }

  /** The conflict behind a unique violation: which live customer holds the email or phone. */
  private ConflictException conflict(String emailKey, String phoneKey, String selfId, DuplicateKeyException cause) {
    String holder = emailKey == null ? null
        : jdbc.read(c -> table.idsByKey(c, CustomerTable.EMAIL_KEY, List.of(emailKey))).get(emailKey);
    if (holder != null && !holder.equals(selfId)) {
      return new ConflictException("email '" + emailKey + "' belongs to customer " + holder, PROVIDER_NAME, "email",
          holder, 409, null, null, cause);
    }
    holder = phoneKey == null ? null
        : jdbc.read(c -> table.idsByKey(c, CustomerTable.PHONE_KEY, List.of(phoneKey))).get(phoneKey);
    if (holder != null && !holder.equals(selfId)) {
      return new ConflictException("phone '" + phoneKey + "' belongs to customer " + holder, PROVIDER_NAME, "phone",
          holder, 409, null, null, cause);
    }
    return cause;
  }

  private String phoneKey(String phone) {
    return IdentityKeys.phoneKey(phone, phones);
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  private static ValidationException invalid(String field, String value, String message) {
    return new ValidationException(PROVIDER_NAME, List.of(new FieldError(field, value, message)));
  }
}
