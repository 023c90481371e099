package dev.crmkit;

import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.provider.SettingType;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** Minimal systems and providers for factory tests: they only remember who built and closed them. */
final class TestSystems {
  private TestSystems() {}

  /**
   * A system that supports nothing but knows its tenant and whether it was closed: every optional
   * operation is {@link CustomerSystem}'s default.
   */
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
    @Override public Customer create(CustomerDraft draft) { throw unsupported(Capability.BATCH_UPSERT); }
    @Override public Customer update(String id, CustomerUpdate update) { throw unsupported(Capability.BATCH_UPSERT); }
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
    @Override public ProviderDescriptor descriptor() {
      return ProviderDescriptor.builder(name.toLowerCase(java.util.Locale.ROOT), name, ProviderCategory.CRM)
          .auth(AuthKind.NONE)
          .setting(SettingDescriptor.builder("s", SettingType.STRING).description("A test setting.").build())
          .setting(SettingDescriptor.builder("token", SettingType.STRING).secret().description("A test credential.").build())
          .build();
    }
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
