package dev.crmkit;

import dev.crmkit.error.UnsupportedCapabilityException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** Minimal systems and providers for factory tests: they only remember who built and closed them. */
final class TestSystems {
  private TestSystems() {}

  /** A system that supports nothing but knows its tenant and whether it was closed. */
  static final class BareSystem implements CustomerSystem {
    final ProviderContext context;
    final AtomicBoolean closed = new AtomicBoolean();

    BareSystem(ProviderContext context) {
      this.context = context;
    }

    @Override public String providerName() { return context.config().provider(); }
    @Override public String tenantId() { return context.tenantId(); }
    @Override public Set<Capability> capabilities() { return Set.of(); }
    @Override public Optional<Customer> get(String id) { return Optional.empty(); }
    @Override public Optional<Customer> findByEmail(String email) { return Optional.empty(); }
    @Override public Optional<Customer> findByPhone(String phone) { return Optional.empty(); }
    @Override public Page<Customer> search(CustomerQuery query) { throw unsupported(Capability.SEARCH); }
    @Override public Customer create(CustomerDraft draft) { throw unsupported(Capability.BATCH_UPSERT); }
    @Override public Customer update(String id, CustomerUpdate update) { throw unsupported(Capability.BATCH_UPSERT); }
    @Override public void delete(String id) { throw unsupported(Capability.DELETE); }
    @Override public Customer restore(String id) { throw unsupported(Capability.RESTORE); }
    @Override public MergeResult merge(String survivorId, String mergedId) { throw unsupported(Capability.MERGE); }
    @Override public List<DuplicateGroup> findDuplicates(int limit) { throw unsupported(Capability.DUPLICATE_DETECTION); }
    @Override public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) { throw unsupported(Capability.BATCH_UPSERT); }
    @Override public CustomerNote addNote(String customerId, NoteDraft note) { throw unsupported(Capability.NOTES); }
    @Override public Page<CustomerNote> listNotes(String customerId, PageRequest page) { throw unsupported(Capability.NOTES); }
    @Override public CustomerActivity addActivity(String customerId, ActivityDraft activity) { throw unsupported(Capability.ACTIVITIES); }
    @Override public Page<CustomerActivity> listActivities(String customerId, PageRequest page) { throw unsupported(Capability.ACTIVITIES); }
    @Override public Optional<CustomerActivity> findActivity(String key) { throw unsupported(Capability.IDEMPOTENT_ACTIVITIES); }
    @Override public CustomerStats recordOrder(String customerId, OrderDraft order) { throw unsupported(Capability.ORDERS); }
    @Override public ChangeBatch changesSince(String cursor, int limit) { throw unsupported(Capability.CHANGE_FEED); }
    @Override public void close() { closed.set(true); }

    private UnsupportedCapabilityException unsupported(Capability c) {
      return new UnsupportedCapabilityException(providerName(), c);
    }
  }

  /** A provider with a given name and aliases, building {@link BareSystem}s. */
  static class NamedProvider implements CustomerSystemProvider {
    private final String name;
    private final Set<String> aliases;

    NamedProvider(String name, String... aliases) {
      this.name = name;
      this.aliases = Set.of(aliases);
    }

    @Override public String name() { return name; }
    @Override public Set<String> aliases() { return aliases; }
    @Override public CustomerSystem create(ProviderContext context) { return new BareSystem(context); }
  }

  /** Found by the service loader in tests (listed in test resources). */
  public static final class LoadableProvider extends NamedProvider {
    public LoadableProvider() {
      super("loadable", "loadable-alias");
    }
  }

  /** Listed in test resources but cannot be instantiated: the loader must survive it. */
  public static final class BrokenProvider extends NamedProvider {
    public BrokenProvider() {
      super("broken");
      throw new IllegalStateException("this provider is broken on purpose");
    }
  }
}
