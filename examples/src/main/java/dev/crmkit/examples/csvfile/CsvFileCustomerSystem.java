package dev.crmkit.examples.csvfile;

import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Page;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** One tenant's view of a {@link CsvFileStore}; see {@link CsvFileCustomerSystemProvider}. Thread-safe. */
final class CsvFileCustomerSystem implements CustomerSystem {
  private static final Set<Capability> CAPABILITIES = CsvFileCustomerSystemProvider.DESCRIPTOR.features();

  private final CsvFileStore store;
  private final String tenantId;
  private final Clock clock;
  private final PhoneNumbers phones;

  CsvFileCustomerSystem(CsvFileStore store, String tenantId, Clock clock, PhoneNumbers phones) {
    this.store = store;
    this.tenantId = tenantId;
    this.clock = clock;
    this.phones = phones;
  }

  @Override
  public String providerName() {
    return CsvFileCustomerSystemProvider.NAME;
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
    requireId(id);
    return Optional.ofNullable(ours(store.snapshot(), id)).map(CsvFileStore.Row::customer);
  }

  @Override
  public Optional<Customer> findByEmail(String email) {
    String key;
    try {
      key = EmailAddresses.normalize(email);
    } catch (ValidationException e) {
      return Optional.empty();
    }
    return key == null ? Optional.empty() : live(store.snapshot()).filter(r -> key.equals(r.emailKey()))
        .map(CsvFileStore.Row::customer).findFirst();
  }

  @Override
  public Optional<Customer> findByPhone(String phone) {
    String key = phones.matchKey(phone);
    return key == null ? Optional.empty() : live(store.snapshot()).filter(r -> key.equals(r.phoneKey()))
        .map(CsvFileStore.Row::customer).findFirst();
  }

  @Override
  public Page<Customer> search(CustomerQuery query) {
    Objects.requireNonNull(query, "query");
    String email = query.email() == null ? null : EmailAddresses.normalize(query.email(), "email");
    String phone = query.phone() == null ? null : phones.matchKey(query.phone());
    String name = query.name() == null ? null : query.name().toLowerCase(Locale.ROOT);
    String after = query.page().cursor();
    List<Customer> matches = store.snapshot().values().stream()
        .filter(r -> r.customer().tenantId().equals(tenantId))
        .filter(r -> query.includeDeleted() || !r.customer().isDeleted())
        .filter(r -> email == null || email.equals(r.emailKey()))
        .filter(r -> query.phone() == null || (phone != null && phone.equals(r.phoneKey())))
        .map(CsvFileStore.Row::customer)
        .filter(c -> query.tag() == null || c.tags().contains(query.tag()))
        .filter(c -> query.segment() == null || c.segment() == query.segment())
        .filter(c -> name == null || (c.fullName() != null && c.fullName().toLowerCase(Locale.ROOT).contains(name)))
        .filter(c -> after == null || c.id().compareTo(after) > 0)
        .sorted((a, b) -> a.id().compareTo(b.id()))
        .limit(query.page().limit() + 1L)
        .toList();
    if (matches.size() <= query.page().limit()) {
      return Page.last(matches);
    }
    List<Customer> page = matches.subList(0, query.page().limit());
    return new Page<>(page, page.get(page.size() - 1).id(), cursor -> search(query.withCursor(cursor)));
  }

  @Override
  public Customer create(CustomerDraft draft) {
    Objects.requireNonNull(draft, "draft");
    return store.write(rows -> {
      Customer c = newCustomer(draft);
      checkUnique(rows, c, null);
      rows.put(c.id(), CsvFileStore.Row.of(c, phones));
      return c;
    });
  }

  @Override
  public Customer update(String id, CustomerUpdate update) {
    requireId(id);
    Objects.requireNonNull(update, "update");
    return store.write(rows -> apply(rows, require(rows, id).customer(), update));
  }

  @Override
  public void delete(String id) {
    requireId(id);
    store.write(rows -> {
      Customer c = require(rows, id).customer();
      if (!c.isDeleted()) {
        Instant now = clock.instant();
        rows.put(id, CsvFileStore.Row.of(c.toBuilder().deletedAt(now).updatedAt(now).build(), phones));
      }
      return null;
    });
  }

  @Override
  public Customer restore(String id) {
    requireId(id);
    return store.write(rows -> {
      Customer c = require(rows, id).customer();
      if (!c.isDeleted()) {
        return c;
      }
      Customer restored = c.toBuilder().deletedAt(null).updatedAt(clock.instant()).build();
      checkUnique(rows, restored, id);
      rows.put(id, CsvFileStore.Row.of(restored, phones));
      return restored;
    });
  }

  @Override
  public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    Objects.requireNonNull(drafts, "drafts");
    return store.write(rows -> {
      List<UpsertOutcome> out = new ArrayList<>(drafts.size());
      for (int i = 0; i < drafts.size(); i++) {
        CustomerDraft d = drafts.get(i);
        try {
          if (d == null) {
            throw ValidationException.of("drafts[" + i + "]", null, "a draft must not be null");
          }
          Customer byEmail = emailMatchOf(rows, d);
          Customer match = byEmail != null ? byEmail : phoneMatchOf(rows, d);
          if (match == null) {
            Customer c = newCustomer(d);
            checkUnique(rows, c, null);
            rows.put(c.id(), CsvFileStore.Row.of(c, phones));
            out.add(UpsertOutcome.created(i, c, null));
          } else {
            Customer c = apply(rows, match, CustomerUpdate.upsertOf(match, d));
            out.add(UpsertOutcome.updated(i, c,
                byEmail != null ? UpsertOutcome.MatchedBy.EMAIL : UpsertOutcome.MatchedBy.PHONE));
          }
        } catch (ValidationException | ConflictException e) {
          out.add(UpsertOutcome.rejected(i, e));
        }
      }
      return out;
    });
  }

  /** Nothing to release: the store belongs to the provider and every write is already on disk. */
  @Override
  public void close() {
    // Intentionally empty: see the javadoc.
  }

  private static void requireId(String id) {
    if (id == null || id.isBlank()) {
      throw ValidationException.of("id", id, "a customer id must not be blank");
    }
  }

  private Stream<CsvFileStore.Row> live(Map<String, CsvFileStore.Row> rows) {
    return rows.values().stream().filter(r -> r.customer().tenantId().equals(tenantId) && !r.customer().isDeleted());
  }

  private CsvFileStore.Row ours(Map<String, CsvFileStore.Row> rows, String id) {
    CsvFileStore.Row r = rows.get(id);
    return r != null && r.customer().tenantId().equals(tenantId) ? r : null;
  }

  private CsvFileStore.Row require(Map<String, CsvFileStore.Row> rows, String id) {
    CsvFileStore.Row r = ours(rows, id);
    if (r == null) {
      throw new NotFoundException(providerName(), "customer", id);
    }
    return r;
  }

  private Customer newCustomer(CustomerDraft d) {
    Instant now = clock.instant();
    NormalizedPhone p = phones.normalize(d.phone());
    return Customer.builder()
        .id(UUID.randomUUID().toString()).tenantId(tenantId)
        .firstName(d.firstName()).lastName(d.lastName()).email(d.email())
        .phone(p == null ? null : p.value()).phoneExtension(p == null ? null : p.extension())
        .company(d.company()).preferredChannel(d.preferredChannel()).language(d.language()).segment(d.segment())
        .tags(d.tags()).address(d.address()).contactPreferences(d.contactPreferences()).customFields(d.customFields())
        .createdAt(d.createdAt() == null ? now : d.createdAt()).updatedAt(now).lastContactAt(d.lastContactAt())
        .build();
  }

  private Customer apply(Map<String, CsvFileStore.Row> rows, Customer current, CustomerUpdate update) {
    Customer updated = update.applyTo(current, clock.instant(), phones);
    if (updated != current) {
      checkUnique(rows, updated, current.id());
      rows.put(updated.id(), CsvFileStore.Row.of(updated, phones));
    }
    return updated;
  }

  private void checkUnique(Map<String, CsvFileStore.Row> rows, Customer c, String self) {
    if (c.isDeleted()) {
      return;
    }
    String phoneKey = phones.matchKey(c.phone());
    for (CsvFileStore.Row r : (Iterable<CsvFileStore.Row>) live(rows)::iterator) {
      if (r.customer().id().equals(self)) {
        continue;
      }
      if (c.email() != null && c.email().equals(r.emailKey())) {
        throw new ConflictException(providerName(), "email", r.customer().id(),
            "email '" + c.email() + "' belongs to customer " + r.customer().id());
      }
      if (phoneKey != null && phoneKey.equals(r.phoneKey())) {
        throw new ConflictException(providerName(), "phone", r.customer().id(),
            "phone '" + c.phone() + "' belongs to customer " + r.customer().id());
      }
    }
  }

  private Customer emailMatchOf(Map<String, CsvFileStore.Row> rows, CustomerDraft d) {
    return d.email() == null ? null
        : live(rows).filter(r -> d.email().equals(r.emailKey())).map(CsvFileStore.Row::customer).findFirst().orElse(null);
  }

  /**
   * The customer holding the draft's phone, unless it has another email than the draft: another
   * person behind the same number is never written over (this provider keeps phones unique, so such
   * a draft is then rejected as a conflict).
   */
  private Customer phoneMatchOf(Map<String, CsvFileStore.Row> rows, CustomerDraft d) {
    NormalizedPhone phone = phones.normalize(d.phone());
    String key = phone == null ? null : phone.identityKey();
    if (key == null) {
      return null;
    }
    return live(rows).filter(r -> key.equals(r.phoneKey())).map(CsvFileStore.Row::customer)
        .filter(c -> d.email() == null || c.email() == null).findFirst().orElse(null);
  }


  @Override
  public String toString() {
    return "CsvFileCustomerSystem{tenant=" + tenantId + "}";
  }
}
