package dev.crmkit.memory;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.Channel;
import dev.crmkit.ContactPreferences;
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
import dev.crmkit.OptInStatus;
import dev.crmkit.OrderDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PersonNames;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.spi.Validation;
import dev.crmkit.memory.TenantStore.Entry;
import dev.crmkit.memory.TenantStore.Stamped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A complete {@link CustomerSystem} held in memory, for tests, prototypes and demos. It has every
 * {@link Capability} and follows every contract of {@link CustomerSystem}; nothing survives the JVM.
 *
 * <p>Behaviour worth knowing:
 * <ul>
 *   <li>Ids of customers, notes, activities and deals are random UUID strings. Every timestamp comes from
 *       the {@link ProviderContext#clock()}; phones are normalized with
 *       {@link ProviderContext#phoneNumbers()}, emails with {@link EmailAddresses}.
 *   <li>Email and phone are unique per tenant among live customers. A soft-deleted or merged customer
 *       releases its keys; {@link #restore} claims them again or throws
 *       {@link ConflictException}. A phone identifies a customer only when it is a whole number
 *       ({@link dev.crmkit.identity.NormalizedPhone#identifying()}): fragments such as {@code -4940}
 *       are stored but are no key, and two customers may hold the same fragment.
 *   <li>Every per-customer operation follows merges: an id merged away addresses the survivor.
 *       Notes, activities, deals and orders may be added to a soft-deleted customer. A merge moves
 *       the merged customer's notes, activities and deals to the survivor.
 *   <li>Idempotency keys of notes, of activities and of deals are unique per tenant, each kind on its
 *       own: a key used once returns the earlier note, activity or deal (as it is now, on whichever
 *       customer holds it) and writes nothing.
 *   <li>Deal pipelines come from the tenant's {@value Pipeline#SETTING} setting, parsed by
 *       {@link Pipeline#parse} when the system is built; without it (or when blank) they are
 *       {@link Pipeline#DEFAULT} alone. Deals are listed newest created first, ties broken by the
 *       order they were created in; an update that changes nothing returns the deal as it was.
 *   <li>The change feed numbers every write with a per-tenant sequence, so writes sharing a
 *       timestamp are never skipped. A customer created after the cursor is reported as
 *       {@link ChangeType#CREATED} even if it was updated since; a soft-deleted or merged one as
 *       {@link ChangeType#DELETED}.
 *   <li>Order ids are unique per tenant: an order id recorded once (for any customer) is not counted
 *       again. Merging unites order statistics when both customers' orders share a currency;
 *       otherwise the survivor keeps its own.
 *   <li>{@link #search} never lists customers merged away, even with {@code includeDeleted}: they
 *       are reached through their survivor.
 *   <li>Duplicate groups come by reason ({@code email}, {@code phone}, then {@code name}), each group's
 *       customers oldest first. The name key is {@code "first|last|company"} lower-cased with accents
 *       removed (company empty when unknown), formed only when first and last name are known.
 *   <li>Values are held to the same limits as the native store's (see {@link CustomerDraft},
 *       {@link NoteDraft}, {@link ActivityDraft}, {@link OrderDraft}), so that code tested against
 *       memory behaves the same in production: a draft over a limit is rejected alone in
 *       {@link #upsert}, and an event time (occurredAt, a note's createdAt, placedAt, lastContactAt)
 *       more than one day ahead of the clock is rejected with a {@link ValidationException}.
 * </ul>
 *
 * <p>Data lives in a store per tenant. A system built with the public constructor has a store of its
 * own; systems built by one {@link InMemoryCustomerSystemProvider} for the same tenant share one
 * store, as systems of one database would, and different tenants never see each other's data.
 *
 * <p>Thread-safe: each operation runs under the tenant store's lock, so operations are atomic and a
 * failed write writes nothing. {@link #close()} releases nothing and leaves the data in place.
 */
public final class InMemoryCustomerSystem implements CustomerSystem {
  /** The provider name, {@value}. */
  public static final String PROVIDER_NAME = "memory";

  private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.allOf(Capability.class));
  private static final int MAX_DUPLICATE_GROUPS = 10_000;
  private static final Comparator<Stamped<?>> NEWEST_FIRST =
      Comparator.<Stamped<?>, Instant>comparing(Stamped::at).thenComparingLong(Stamped::insertion).reversed();

  private final String tenantId;
  private final Clock clock;
  private final PhoneNumbers phones;
  private final TenantStore store;
  private final List<Pipeline> pipelines;

  /**
   * A system with a store of its own, empty at first.
   *
   * @param context the tenant's config (its {@code defaultRegion} setting drives phone
   *     normalization, its {@value Pipeline#SETTING} setting the deal pipelines), the clock;
   *     resources are not used
   * @throws NullPointerException when {@code context} is null
   * @throws dev.crmkit.error.ConfigurationException naming {@value Pipeline#SETTING} when that setting
   *     is malformed
   */
  public InMemoryCustomerSystem(ProviderContext context) {
    this(context, new TenantStore());
  }

  InMemoryCustomerSystem(ProviderContext context, TenantStore store) {
    Objects.requireNonNull(context, "context");
    this.tenantId = context.tenantId();
    this.clock = context.clock();
    this.phones = context.phoneNumbers();
    this.store = Objects.requireNonNull(store, "store");
    this.pipelines = pipelines(context);
  }

  private static List<Pipeline> pipelines(ProviderContext context) {
    String setting = ProviderDescriptor.DEAL_PIPELINES.value(context.config());
    return setting == null || setting.isBlank() ? List.of(Pipeline.DEFAULT) : Pipeline.parse(setting);
  }

  @Override
  public String providerName() {
    return PROVIDER_NAME;
  }

  @Override
  public String tenantId() {
    return tenantId;
  }

  /** Every {@link Capability}. */
  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  // ---------------------------------------------------------------- lookups

  @Override
  public Optional<Customer> get(String id) {
    if (id == null) {
      return Optional.empty();
    }
    synchronized (store) {
      Entry e = resolve(id);
      return e == null ? Optional.empty() : Optional.of(e.customer);
    }
  }

  @Override
  public Optional<Customer> findByEmail(String email) {
    String key = emailKeyOrNull(email);
    if (key == null) {
      return Optional.empty();
    }
    synchronized (store) {
      return owner(store.emailOwners, key);
    }
  }

  @Override
  public Optional<Customer> findByPhone(String phone) {
    String key = phones.matchKey(phone);
    if (key == null) {
      return Optional.empty();
    }
    synchronized (store) {
      return owner(store.phoneOwners, key);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A malformed email, or a phone that identifies nobody (no digits, or a fragment such as
   * {@code -4940}; see {@link PhoneNumbers}), as a criterion matches nothing. Customers merged away
   * are never listed.
   *
   * @throws ValidationException naming {@code cursor} when the query's cursor was not issued by a search
   */
  @Override
  public Page<Customer> search(CustomerQuery query) {
    Objects.requireNonNull(query, "query");
    PageRequest page = query.page();
    String after = page.cursor() == null ? null : Cursors.decode("search", page.cursor());
    String email = query.email() == null ? null : emailKeyOrNull(query.email());
    String phoneKey = query.phone() == null ? null : phones.matchKey(query.phone());
    boolean impossible = (query.email() != null && email == null) || (query.phone() != null && phoneKey == null);
    String name = query.name() == null ? null : query.name().toLowerCase(Locale.ROOT);
    List<Customer> items = new ArrayList<>();
    boolean more = false;
    synchronized (store) {
      if (!impossible) {
        Map<String, Entry> tail = after == null ? store.customers : store.customers.tailMap(after, false);
        for (Entry e : tail.values()) {
          if (!matches(e, query, name, email, phoneKey)) {
            continue;
          }
          if (items.size() == page.limit()) {
            more = true;
            break;
          }
          items.add(e.customer);
        }
      }
    }
    String next = more ? Cursors.encode("search", items.get(items.size() - 1).id()) : null;
    return new Page<>(items, next, c -> search(query.withCursor(c)));
  }

  private static boolean matches(Entry e, CustomerQuery q, String name, String email, String phoneKey) {
    Customer c = e.customer;
    if (e.isMerged() || (!q.includeDeleted() && c.isDeleted())) {
      return false;
    }
    if (email != null && !email.equals(e.emailKey)) {
      return false;
    }
    if (phoneKey != null && !phoneKey.equals(e.phoneKey)) {
      return false;
    }
    if (q.tag() != null && !c.tags().contains(q.tag())) {
      return false;
    }
    if (q.segment() != null && c.segment() != q.segment()) {
      return false;
    }
    if (name != null) {
      String full = c.fullName();
      return full != null && (contains(c.firstName(), name) || contains(c.lastName(), name) || contains(full, name));
    }
    return true;
  }

  private static boolean contains(String value, String lowerNeedle) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(lowerNeedle);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public Customer create(CustomerDraft draft) {
    Prepared p = prepare(draft);
    synchronized (store) {
      checkFree(p.email, p.phone == null ? null : p.phone.identityKey(), null);
      return insert(p, now(), false).customer;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Updating a soft-deleted customer is allowed; it stays deleted and claims no key until restored.
   *
   * @throws ValidationException naming {@code phone} when a set phone has no digits
   */
  @Override
  public Customer update(String id, CustomerUpdate update) {
    requireArgument(update, "update");
    if (update.touches(CustomerField.LAST_CONTACT_AT)) {
      checkTime("lastContactAt", (Instant) update.valueOf(CustomerField.LAST_CONTACT_AT));
    }
    synchronized (store) {
      Entry e = entry(id);
      Customer updated = wrap(() -> update.applyTo(e.customer, now(), phones));
      if (updated == e.customer) {
        return updated;
      }
      check(e.customer, updated);
      if (e.isLive()) {
        checkFree(updated.email(), claimedPhoneKey(e, updated), e.id);
      }
      write(e, updated);
      return updated;
    }
  }

  @Override
  public void delete(String id) {
    synchronized (store) {
      Entry e = entry(id);
      if (e.customer.isDeleted()) {
        return;
      }
      Instant now = now();
      write(e, e.customer.toBuilder().deletedAt(now).updatedAt(now).build());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Restoring a live customer returns it unchanged.
   */
  @Override
  public Customer restore(String id) {
    synchronized (store) {
      Entry e = entry(id);
      if (!e.customer.isDeleted()) {
        return e.customer;
      }
      checkFree(e.emailKey, e.phoneKey, e.id);
      Customer restored = e.customer.toBuilder().deletedAt(null).updatedAt(now()).build();
      write(e, restored);
      return restored;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The survivor takes the merged customer's email or phone only when it has none and no other
   * live customer holds it. Opt-ins are united (the survivor's win), {@code lastContactAt} is the
   * later one, a {@link Segment#PROSPECT} survivor takes the merged one's segment, and order
   * statistics are added up when both customers' orders share a currency. Either customer may be
   * soft-deleted; the survivor keeps its deleted state.
   */
  @Override
  public MergeResult merge(String survivorId, String mergedId) {
    synchronized (store) {
      Entry survivor = entry(survivorId);
      Entry merged = entry(mergedId);
      if (survivor == merged) {
        throw invalid("mergedId", mergedId, "is the same customer as survivorId '" + survivorId + "'");
      }
      Instant now = now();
      Customer gone = merged.customer;
      if (!gone.isDeleted()) {
        gone = gone.toBuilder().deletedAt(now).updatedAt(now).build();
      }
      merged.mergedIntoId = survivor.id;
      write(merged, gone);

      Customer united = unite(survivor, merged.customer, now);
      int notesMoved = merged.notes.size();
      Map<String, CustomerNote> movedNotes = new HashMap<>();
      for (Stamped<CustomerNote> s : merged.notes) {
        CustomerNote n = s.value();
        CustomerNote moved = new CustomerNote(n.id(), survivor.id, n.content(), n.createdBy(), n.createdAt());
        survivor.notes.add(new Stamped<>(moved, s.at(), s.insertion()));
        movedNotes.put(n.id(), moved);
      }
      merged.notes.clear();
      store.notesByKey.replaceAll((key, note) -> movedNotes.getOrDefault(note.id(), note));
      for (Stamped<Deal> s : merged.deals.values()) {
        Deal moved = s.value().withCustomerId(survivor.id, now);
        survivor.deals.put(moved.id(), new Stamped<>(moved, s.at(), s.insertion()));
        store.dealOwners.put(moved.id(), survivor.id);
      }
      merged.deals.clear();
      int activitiesMoved = merged.activities.size();
      for (Stamped<CustomerActivity> s : merged.activities) {
        CustomerActivity moved = withCustomer(s.value(), survivor.id);
        survivor.activities.add(new Stamped<>(moved, s.at(), s.insertion()));
        if (moved.idempotencyKey() != null) {
          store.activitiesByKey.put(moved.idempotencyKey(), moved);
        }
      }
      merged.activities.clear();
      store.orders.replaceAll((order, owner) -> owner.equals(merged.id) ? survivor.id : owner);
      write(survivor, united);
      return new MergeResult(united, merged.id, notesMoved, activitiesMoved);
    }
  }

  private Customer unite(Entry survivorEntry, Customer m, Instant now) {
    Customer s = survivorEntry.customer;
    Customer.Builder b = s.toBuilder();
    b.firstName(s.firstName() != null ? s.firstName() : m.firstName());
    b.lastName(s.lastName() != null ? s.lastName() : m.lastName());
    b.company(s.company() != null ? s.company() : m.company());
    b.preferredChannel(s.preferredChannel() != null ? s.preferredChannel() : m.preferredChannel());
    b.language(s.language() != null ? s.language() : m.language());
    b.address(s.address() != null ? s.address() : m.address());
    if (s.email() == null && m.email() != null && store.emailOwners.get(m.email()) == null) {
      b.email(m.email());
    }
    String mergedPhoneKey = phones.matchKey(m.phone());
    if (s.phone() == null && m.phone() != null
        && (mergedPhoneKey == null || store.phoneOwners.get(mergedPhoneKey) == null)) {
      b.phone(m.phone()).phoneExtension(m.phoneExtension());
    }
    if (s.lastContactAt() == null
        || (m.lastContactAt() != null && m.lastContactAt().isAfter(s.lastContactAt()))) {
      b.lastContactAt(m.lastContactAt() != null ? m.lastContactAt() : s.lastContactAt());
    }
    if (s.segment() == Segment.PROSPECT) {
      b.segment(m.segment());
    }
    Set<String> tags = new TreeSet<>(s.tags());
    tags.addAll(m.tags());
    b.tags(tags);
    Map<String, String> fields = new TreeMap<>(m.customFields());
    fields.putAll(s.customFields());
    b.customFields(fields);
    EnumMap<Channel, OptInStatus> optIns = new EnumMap<>(Channel.class);
    optIns.putAll(m.contactPreferences().optIns());
    optIns.putAll(s.contactPreferences().optIns());
    b.contactPreferences(new ContactPreferences(optIns));
    b.stats(uniteStats(s.stats(), m.stats()));
    return b.updatedAt(now).build();
  }

  private static CustomerStats uniteStats(CustomerStats s, CustomerStats m) {
    if (m.totalOrders() == 0) {
      return s;
    }
    if (s.totalOrders() == 0) {
      return m;
    }
    if (!s.totalRevenue().currency().equals(m.totalRevenue().currency())) {
      return s;
    }
    Money revenue = s.totalRevenue().plus(m.totalRevenue());
    int orders = s.totalOrders() + m.totalOrders();
    Instant last = s.lastOrderAt().isAfter(m.lastOrderAt()) ? s.lastOrderAt() : m.lastOrderAt();
    return new CustomerStats(orders, revenue, CustomerStats.average(revenue, orders), last);
  }

  /**
   * {@inheritDoc}
   *
   * @throws ValidationException naming {@code limit} when it is not between 1 and 10,000
   */
  @Override
  public List<DuplicateGroup> findDuplicates(int limit) {
    if (limit < 1 || limit > MAX_DUPLICATE_GROUPS) {
      throw invalid("limit", String.valueOf(limit), "must be between 1 and " + MAX_DUPLICATE_GROUPS);
    }
    Map<String, List<Customer>> byEmail = new TreeMap<>();
    Map<String, List<Customer>> byPhone = new TreeMap<>();
    Map<String, List<Customer>> byName = new TreeMap<>();
    synchronized (store) {
      for (Entry e : store.customers.values()) {
        if (!e.isLive()) {
          continue;
        }
        group(byEmail, e.looseEmailKey, e.customer);
        group(byPhone, e.loosePhoneKey, e.customer);
        group(byName, e.nameKey, e.customer);
      }
    }
    Comparator<Customer> oldestFirst = Comparator.comparing(Customer::createdAt).thenComparing(Customer::id);
    Map<String, Map<String, List<Customer>>> reasons = new LinkedHashMap<>();
    reasons.put("email", byEmail);
    reasons.put("phone", byPhone);
    reasons.put("name", byName);
    List<DuplicateGroup> groups = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<Customer>>> reason : reasons.entrySet()) {
      for (Map.Entry<String, List<Customer>> g : reason.getValue().entrySet()) {
        if (groups.size() == limit) {
          return groups;
        }
        if (g.getValue().size() > 1) {
          g.getValue().sort(oldestFirst);
          groups.add(new DuplicateGroup(reason.getKey(), g.getKey(), g.getValue()));
        }
      }
    }
    return groups;
  }

  private static void group(Map<String, List<Customer>> map, String key, Customer c) {
    if (key != null) {
      map.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Drafts are applied in order under one lock, so a later draft with the same email or phone as
   * an earlier one updates the customer the earlier one created. Each update says whether it was
   * matched by {@linkplain UpsertOutcome.MatchedBy#EMAIL email} or by
   * {@linkplain UpsertOutcome.MatchedBy#PHONE phone}. A draft whose phone belongs to a customer with
   * another email is created, never written over that customer: the new customer keeps the phone
   * without holding it as a key (the earlier one still answers {@link #findByPhone}), its outcome
   * names the earlier one in {@link UpsertOutcome#duplicateOfId()}, and {@link #findDuplicates}
   * lists both under {@code "phone"}. A match's email or phone is only
   * changed when no other live customer holds the new value; otherwise the draft is rejected with a
   * {@link ConflictException}. A {@code null} draft, a malformed email or a phone without digits
   * rejects the draft with a {@link ValidationException}.
   *
   * @throws ValidationException naming {@code drafts} when the list is null
   */
  @Override
  public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    requireArgument(drafts, "drafts");
    List<UpsertOutcome> outcomes = new ArrayList<>(drafts.size());
    synchronized (store) {
      for (int i = 0; i < drafts.size(); i++) {
        try {
          outcomes.add(upsertOne(i, prepare(drafts.get(i))));
        } catch (CrmException e) {
          outcomes.add(UpsertOutcome.rejected(i, e));
        }
      }
    }
    return outcomes;
  }

  private UpsertOutcome upsertOne(int index, Prepared p) {
    String phoneKey = p.phone == null ? null : p.phone.identityKey();
    String matchId = p.email == null ? null : store.emailOwners.get(p.email);
    UpsertOutcome.MatchedBy by = UpsertOutcome.MatchedBy.EMAIL;
    if (matchId == null && phoneKey != null) {
      String holder = store.phoneOwners.get(phoneKey);
      String holderEmail = holder == null ? null : store.customers.get(holder).customer.email();
      if (holder != null && p.email != null && holderEmail != null) {
        // Another person's email behind the same number: never written over; created beside it.
        checkFree(p.email, null, null);
        Entry e = insert(p, now(), true);
        return UpsertOutcome.created(index, e.customer, holder);
      }
      matchId = holder;
      by = UpsertOutcome.MatchedBy.PHONE;
    }
    if (matchId == null) {
      checkFree(p.email, phoneKey, null);
      return UpsertOutcome.created(index, insert(p, now(), false).customer, null);
    }
    Entry e = store.customers.get(matchId);
    Customer c = e.customer;
    Customer updated = p.draft.applyTo(c, p.email, p.phone);
    if (!updated.equals(c)) {
      checkFree(updated.email(), claimedPhoneKey(e, updated), e.id);
      updated = updated.toBuilder().updatedAt(now()).build();
      write(e, updated);
    }
    return UpsertOutcome.updated(index, updated, by);
  }

  // ---------------------------------------------------------------- notes and activities

  /**
   * {@inheritDoc}
   *
   * <p>A key already used by the tenant returns the earlier note, on whichever customer holds it now.
   *
   * @throws NotFoundException when the customer does not exist
   * @throws ValidationException naming {@code createdAt} when it lies more than a day ahead of the clock
   */
  @Override
  public CustomerNote addNote(String customerId, NoteDraft note) {
    requireArgument(note, "note");
    checkTime("createdAt", note.createdAt());
    synchronized (store) {
      Entry e = entry(customerId);
      if (note.idempotencyKey() != null) {
        CustomerNote earlier = store.notesByKey.get(note.idempotencyKey());
        if (earlier != null) {
          return earlier;
        }
      }
      Instant at = note.createdAt() != null ? note.createdAt() : now();
      CustomerNote stored = new CustomerNote(UUID.randomUUID().toString(), e.id, note.content(), note.createdBy(), at);
      e.notes.add(new Stamped<>(stored, at, store.nextInsertion()));
      if (note.idempotencyKey() != null) {
        store.notesByKey.put(note.idempotencyKey(), stored);
      }
      return stored;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Notes with the same {@code createdAt} come newest-added first.
   *
   * @throws NotFoundException when the customer does not exist
   * @throws ValidationException naming {@code cursor} when the page's cursor was not issued by this list
   */
  @Override
  public Page<CustomerNote> listNotes(String customerId, PageRequest page) {
    PageRequest request = page == null ? PageRequest.first() : page;
    synchronized (store) {
      Entry e = entry(customerId);
      return pageOf("notes", e.notes, request, c -> listNotes(customerId, request.at(c)));
    }
  }

  @Override
  public CustomerActivity addActivity(String customerId, ActivityDraft activity) {
    requireArgument(activity, "activity");
    checkTime("occurredAt", activity.occurredAt());
    synchronized (store) {
      Entry e = entry(customerId);
      if (activity.idempotencyKey() != null) {
        CustomerActivity earlier = store.activitiesByKey.get(activity.idempotencyKey());
        if (earlier != null) {
          return earlier;
        }
      }
      return log(e, activity);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Decided under the store's lock, so of concurrent calls with one idempotency key, on any of the
   * systems sharing this store, exactly one is not a {@link Interaction#duplicate() duplicate}.
   */
  @Override
  public Interaction logInteraction(String customerId, ActivityDraft activity) {
    requireArgument(activity, "activity");
    // The default's look-up, add and update, made atomic by the store's (reentrant) lock.
    synchronized (store) {
      return CustomerSystem.super.logInteraction(customerId, activity);
    }
  }

  private CustomerActivity log(Entry e, ActivityDraft d) {
    Instant at = d.occurredAt() != null ? d.occurredAt() : now();
    CustomerActivity stored = new CustomerActivity(UUID.randomUUID().toString(), e.id, d.type(), d.channel(),
        d.description(), at, d.metadata(), d.idempotencyKey());
    e.activities.add(new Stamped<>(stored, at, store.nextInsertion()));
    if (d.idempotencyKey() != null) {
      store.activitiesByKey.put(d.idempotencyKey(), stored);
    }
    return stored;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Activities with the same {@code occurredAt} come newest-added first.
   *
   * @throws NotFoundException when the customer does not exist
   * @throws ValidationException naming {@code cursor} when the page's cursor was not issued by this list
   */
  @Override
  public Page<CustomerActivity> listActivities(String customerId, PageRequest page) {
    PageRequest request = page == null ? PageRequest.first() : page;
    synchronized (store) {
      Entry e = entry(customerId);
      return pageOf("activities", e.activities, request, c -> listActivities(customerId, request.at(c)));
    }
  }

  /** {@inheritDoc} A {@code null} or blank key finds nothing. */
  @Override
  public Optional<CustomerActivity> findActivity(String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      return Optional.empty();
    }
    synchronized (store) {
      return Optional.ofNullable(store.activitiesByKey.get(idempotencyKey));
    }
  }

  private static <T> Page<T> pageOf(
      String kind, List<Stamped<T>> all, PageRequest request, Function<String, Page<T>> fetch) {
    List<Stamped<T>> sorted = new ArrayList<>(all);
    sorted.sort(NEWEST_FIRST);
    int from = 0;
    if (request.cursor() != null) {
      Stamped<T> position = parsePosition(kind, request.cursor());
      while (from < sorted.size() && NEWEST_FIRST.compare(sorted.get(from), position) <= 0) {
        from++;
      }
    }
    int to = Math.min(sorted.size(), from + request.limit());
    List<T> items = new ArrayList<>(to - from);
    for (Stamped<T> s : sorted.subList(from, to)) {
      items.add(s.value());
    }
    String next = null;
    if (to < sorted.size()) {
      Stamped<T> last = sorted.get(to - 1);
      next = Cursors.encode(kind, last.at().getEpochSecond() + "." + last.at().getNano() + "." + last.insertion());
    }
    return new Page<>(items, next, fetch);
  }

  private static <T> Stamped<T> parsePosition(String kind, String cursor) {
    String[] parts = Cursors.decode(kind, cursor).split("\\.");
    try {
      if (parts.length != 3) {
        throw Cursors.malformed(cursor);
      }
      Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      return new Stamped<>(null, at, Long.parseLong(parts[2]));
    } catch (RuntimeException e) {
      throw Cursors.malformed(cursor);
    }
  }

  // ---------------------------------------------------------------- deals

  /**
   * {@inheritDoc}
   *
   * <p>The deal is created at the clock's time. A key already used by the tenant returns the deal
   * created under it as it is now (updated since, perhaps, or on another customer) and writes nothing.
   *
   * @throws ValidationException naming {@code deal} when it is null
   */
  @Override
  public Deal createDeal(String customerId, DealDraft deal) {
    requireArgument(deal, "deal");
    synchronized (store) {
      Entry e = entry(customerId);
      if (deal.idempotencyKey() != null) {
        String earlier = store.dealsByKey.get(deal.idempotencyKey());
        if (earlier != null) {
          return dealEntry(earlier).deals.get(earlier).value();
        }
      }
      Instant now = now();
      Deal created = wrap(() -> deal.toDeal(UUID.randomUUID().toString(), e.id, pipelines, now));
      e.deals.put(created.id(), new Stamped<>(created, now, store.nextInsertion()));
      store.dealOwners.put(created.id(), e.id);
      if (deal.idempotencyKey() != null) {
        store.dealsByKey.put(deal.idempotencyKey(), created.id());
      }
      return created;
    }
  }

  /** {@inheritDoc} A {@code null} id finds nothing. */
  @Override
  public Optional<Deal> getDeal(String dealId) {
    if (dealId == null) {
      return Optional.empty();
    }
    synchronized (store) {
      Entry e = dealEntry(dealId);
      return e == null ? Optional.empty() : Optional.of(e.deals.get(dealId).value());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>An update that changes nothing returns the deal as it was, its {@code updatedAt} untouched.
   *
   * @throws ValidationException naming {@code dealId} or {@code update} when null
   */
  @Override
  public Deal updateDeal(String dealId, DealUpdate update) {
    if (dealId == null) {
      throw invalid("dealId", null, "a deal id is required");
    }
    requireArgument(update, "update");
    synchronized (store) {
      Entry e = dealEntry(dealId);
      if (e == null) {
        throw new NotFoundException(PROVIDER_NAME, "deal", dealId);
      }
      Stamped<Deal> before = e.deals.get(dealId);
      Instant now = now();
      Deal after = wrap(() -> update.applyTo(before.value(), pipelines, now));
      if (after.equals(before.value().withCustomerId(before.value().customerId(), now))) {
        return before.value();
      }
      e.deals.put(dealId, new Stamped<>(after, before.at(), before.insertion()));
      return after;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Deals created at the same instant come newest-created first.
   *
   * @throws ValidationException naming {@code cursor} when the page's cursor was not issued by this list
   */
  @Override
  public Page<Deal> listDeals(String customerId, PageRequest page) {
    PageRequest request = page == null ? PageRequest.first() : page;
    synchronized (store) {
      Entry e = entry(customerId);
      return pageOf("deals", new ArrayList<>(e.deals.values()), request, c -> listDeals(customerId, request.at(c)));
    }
  }

  /** {@inheritDoc} Read from the {@value Pipeline#SETTING} setting when the system was built. */
  @Override
  public List<Pipeline> pipelines() {
    return pipelines;
  }

  /** The entry holding a deal of this tenant; {@code null} when there is none. */
  private Entry dealEntry(String dealId) {
    String owner = store.dealOwners.get(dealId);
    return owner == null ? null : store.customers.get(owner);
  }

  // ---------------------------------------------------------------- orders

  /**
   * {@inheritDoc}
   *
   * <p>The first order moves a {@link Segment#PROSPECT} to {@link Segment#STANDARD}. An order id
   * already recorded for the tenant returns the customer's current stats and writes nothing. The
   * {@link ActivityType#ORDER_PLACED} activity occurs at {@code placedAt} and carries the metadata
   * {@code orderId}, {@code amount} (plain decimal) and {@code currency} (ISO 4217).
   *
   * @throws NotFoundException when the customer does not exist
   */
  @Override
  public CustomerStats recordOrder(String customerId, OrderDraft order) {
    requireArgument(order, "order");
    checkTime("placedAt", order.placedAt());
    synchronized (store) {
      Entry e = entry(customerId);
      if (store.orders.containsKey(order.orderId())) {
        return e.customer.stats();
      }
      CustomerStats stats = wrap(() -> e.customer.stats().withOrder(order.amount(), order.placedAt()));
      Customer c = e.customer;
      Customer updated = c.toBuilder()
          .stats(stats)
          .segment(c.segment() == Segment.PROSPECT ? Segment.STANDARD : c.segment())
          .updatedAt(now())
          .build();
      check(c, updated);
      write(e, updated);
      store.orders.put(order.orderId(), e.id);
      log(e, new ActivityDraft(ActivityType.ORDER_PLACED, null, "Order " + order.orderId() + ": " + order.amount(),
          order.placedAt(), Map.of(
              "orderId", order.orderId(),
              "amount", order.amount().amount().toPlainString(),
              "currency", order.amount().currency().getCurrencyCode()), null));
      return stats;
    }
  }

  // ---------------------------------------------------------------- change feed

  @Override
  public ChangeBatch changesSince(String cursor, int limit) {
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw invalid("limit", String.valueOf(limit), "must be between 1 and " + PageRequest.MAX_LIMIT);
    }
    synchronized (store) {
      long after = 0;
      if (cursor != null) {
        try {
          after = Long.parseLong(Cursors.decode("feed", cursor));
        } catch (NumberFormatException e) {
          throw Cursors.malformed(cursor);
        }
        if (after < 0 || after > store.lastSeq) {
          throw Cursors.malformed(cursor);
        }
      }
      List<CustomerChange> changes = new ArrayList<>();
      long last = after;
      boolean more = false;
      for (Map.Entry<Long, String> f : store.feed.tailMap(after, false).entrySet()) {
        if (changes.size() == limit) {
          more = true;
          break;
        }
        Entry e = store.customers.get(f.getValue());
        ChangeType type = !e.isLive() ? ChangeType.DELETED
            : e.createdSeq > after ? ChangeType.CREATED : ChangeType.UPDATED;
        changes.add(new CustomerChange(type, e.id, e.customer, e.changedAt, e.mergedIntoId));
        last = f.getKey();
      }
      String next = cursor != null && last == after ? cursor : Cursors.encode("feed", Long.toString(last));
      return new ChangeBatch(changes, next, more);
    }
  }

  /** Does nothing: the data stays in the store, and this instance keeps working. */
  @Override
  public void close() {
    // Nothing to release: the store is plain heap memory shared with the provider.
  }

  // ---------------------------------------------------------------- internals (hold the store lock)

  /** A validated draft with its normalized identity. */
  private record Prepared(
      CustomerDraft draft, String email, NormalizedPhone phone, Set<String> tags, Map<String, String> customFields) {}

  private Prepared prepare(CustomerDraft draft) {
    requireArgument(draft, "draft");
    List<FieldError> errors = new ArrayList<>();
    String email = Validation.email(draft.email(), "email", errors);
    NormalizedPhone phone = Validation.phone(draft.phone(), "phone", phones, errors);
    Validation.draft(draft, now(), errors);
    if (errors.isEmpty() && draft.firstName() == null && draft.lastName() == null && email == null
        && phone == null && draft.company() == null) {
      errors.add(new FieldError("firstName", null,
          "a customer needs at least one of firstName, lastName, email, phone or company"));
    }
    Validation.throwIfAny(PROVIDER_NAME, errors);
    // Checked above: these add no error now, they trim and sort.
    Set<String> tags = Validation.tags(draft.tags(), errors);
    Map<String, String> fields = Validation.customFields(draft.customFields(), errors);
    return new Prepared(draft, email, phone, tags, fields);
  }

  private Entry insert(Prepared p, Instant now, boolean sharesPhone) {
    CustomerDraft d = p.draft;
    String id = UUID.randomUUID().toString();
    Customer c = Customer.builder()
        .id(id).tenantId(tenantId)
        .firstName(d.firstName()).lastName(d.lastName())
        .email(p.email)
        .phone(p.phone == null ? null : p.phone.value())
        .phoneExtension(p.phone == null ? null : p.phone.extension())
        .company(d.company()).preferredChannel(d.preferredChannel()).language(d.language())
        .segment(d.segment()).tags(p.tags).address(d.address()).contactPreferences(d.contactPreferences())
        .customFields(p.customFields)
        .createdAt(d.createdAt() != null ? d.createdAt() : now).updatedAt(now)
        .lastContactAt(d.lastContactAt())
        .build();
    Entry e = new Entry(id);
    e.sharesPhone = sharesPhone && p.phone != null;
    store.customers.put(id, e);
    write(e, c);
    e.createdSeq = e.seq;
    return e;
  }

  /** Stores a new state of a customer: re-indexes its keys and moves it to the end of the change feed. */
  private void write(Entry e, Customer c) {
    if (e.customer != null) {
      if (e.emailKey != null) {
        store.emailOwners.remove(e.emailKey, e.id);
      }
      if (e.phoneKey != null) {
        store.phoneOwners.remove(e.phoneKey, e.id);
      }
    }
    String phoneKey = claimedPhoneKey(e, c);
    e.sharesPhone = e.sharesPhone && phoneKey == null && c.phone() != null;
    e.customer = c;
    e.emailKey = c.email();
    NormalizedPhone phone = c.phone() == null ? null : phones.normalize(c.phone());
    e.phoneKey = phoneKey;
    e.looseEmailKey = EmailAddresses.looseKey(c.email());
    e.loosePhoneKey = phone == null ? null : phone.looseKey();
    e.nameKey = PersonNames.looseKey(c.firstName(), c.lastName(), c.company());
    if (e.isLive()) {
      if (e.emailKey != null) {
        store.emailOwners.put(e.emailKey, e.id);
      }
      if (e.phoneKey != null) {
        store.phoneOwners.put(e.phoneKey, e.id);
      }
    }
    if (e.seq > 0) {
      store.feed.remove(e.seq);
    }
    e.seq = ++store.lastSeq;
    e.changedAt = c.updatedAt();
    store.feed.put(e.seq, e.id);
  }

  /**
   * The phone identity key customer {@code c} claims as the new state of entry {@code e}: none for a
   * fragment, and none while the entry {@linkplain Entry#sharesPhone shares} an unchanged phone.
   */
  private String claimedPhoneKey(Entry e, Customer c) {
    if (c.phone() == null) {
      return null;
    }
    boolean samePhone = e.customer != null && c.phone().equals(e.customer.phone());
    if (e.sharesPhone && (samePhone || e.customer == null)) {
      return null;
    }
    return phones.normalize(c.phone()).identityKey();
  }

  /** Throws when a live customer other than {@code selfId} holds the email or phone key. */
  private void checkFree(String emailKey, String phoneKey, String selfId) {
    String emailOwner = emailKey == null ? null : store.emailOwners.get(emailKey);
    if (emailOwner != null && !emailOwner.equals(selfId)) {
      throw new ConflictException(PROVIDER_NAME, "email", emailOwner,
          "email '" + emailKey + "' belongs to customer '" + emailOwner + "'");
    }
    String phoneOwner = phoneKey == null ? null : store.phoneOwners.get(phoneKey);
    if (phoneOwner != null && !phoneOwner.equals(selfId)) {
      throw new ConflictException(PROVIDER_NAME, "phone", phoneOwner,
          "phone '" + store.customers.get(phoneOwner).customer.phone() + "' belongs to customer '" + phoneOwner + "'");
    }
  }

  /** The entry an id addresses, following merges; {@code null} when there is none. */
  private Entry resolve(String id) {
    Entry e = store.customers.get(id);
    Set<String> seen = new HashSet<>();
    while (e != null && e.isMerged() && seen.add(e.id)) {
      e = store.customers.get(e.mergedIntoId);
    }
    return e;
  }

  private Entry entry(String id) {
    if (id == null) {
      throw invalid("id", null, "a customer id is required");
    }
    Entry e = resolve(id);
    if (e == null) {
      throw new NotFoundException(PROVIDER_NAME, "customer", id);
    }
    return e;
  }

  private Optional<Customer> owner(Map<String, String> owners, String key) {
    String id = owners.get(key);
    return id == null ? Optional.empty() : Optional.of(store.customers.get(id).customer);
  }

  private static String emailKeyOrNull(String email) {
    return EmailAddresses.isValid(email) ? EmailAddresses.normalize(email) : null;
  }

  private static CustomerActivity withCustomer(CustomerActivity a, String customerId) {
    return new CustomerActivity(a.id(), customerId, a.type(), a.channel(), a.description(), a.occurredAt(),
        a.metadata(), a.idempotencyKey());
  }

  private Instant now() {
    return clock.instant();
  }

  /** Rejects an event's time out of range or more than {@link Validation#MAX_AHEAD} ahead of the clock. */
  private void checkTime(String field, Instant t) {
    List<FieldError> errors = new ArrayList<>();
    Validation.notAhead(t, field, now(), errors);
    Validation.throwIfAny(PROVIDER_NAME, errors);
  }

  /** Rejects a write whose changed values break a limit (an update from {@code between} skips the builder). */
  private static void check(Customer before, Customer after) {
    List<FieldError> errors = new ArrayList<>();
    Validation.changes(before, after, errors);
    Validation.throwIfAny(PROVIDER_NAME, errors);
  }

  private static void requireArgument(Object value, String field) {
    if (value == null) {
      throw invalid(field, null, "must not be null");
    }
  }

  private static ValidationException invalid(String field, String value, String message) {
    return new ValidationException(PROVIDER_NAME, List.of(new FieldError(field, value, message)));
  }

  /** Runs a computation that validates with provider-less exceptions and re-raises them as this provider's. */
  private static <T> T wrap(Supplier<T> computation) {
    try {
      return computation.get();
    } catch (ValidationException e) {
      throw new ValidationException(PROVIDER_NAME, e.fieldErrors());
    }
  }
}
