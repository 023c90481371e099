package dev.crmkit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.provider.OAuthConnector;
import dev.crmkit.provider.ProviderDescriptor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link CustomerSystem} of each tenant from its {@link TenantConfig}, through the
 * {@link CustomerSystemProvider}s found by {@link ServiceLoader}. Before a provider builds a system,
 * the config is checked against the provider's {@link ProviderDescriptor} ({@link
 * ProviderDescriptor#validate}); {@link #descriptors()} lists them all, for a catalogue.
 *
 * <p>One system is cached per tenant: asking again with the same tenant, provider (an alias counts
 * as its provider), version, settings and credentials returns the same instance; a config that
 * differs in any of these replaces (and closes) the old instance, so a host that forgets to bump
 * {@link TenantConfig#version()} still never gets a system built from another config. Entries
 * idle longer than {@link Builder#expireAfterAccess} or beyond {@link Builder#maximumSize} are
 * evicted and closed, so a host should not hold on to a system across long pauses: ask the factory.
 *
 * <p>Thread-safe. {@link #close()} closes every cached system.
 *
 * <pre>{@code
 * IntegrationFactory factory = IntegrationFactory.builder()
 *     .resource(DataSource.class, dataSource)
 *     .build();
 * CustomerSystem crm = factory.system(TenantConfig.builder("acme", "native").build());
 * }</pre>
 */
public final class IntegrationFactory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IntegrationFactory.class);

  private final Map<String, CustomerSystemProvider> providers;
  private final Map<CustomerSystemProvider, ProviderDescriptor> descriptors;
  private final Set<String> canonicalNames;
  private final List<ProviderLoadFailure> loadFailures;
  private final Clock clock;
  private final Map<Class<?>, Object> resources;
  private final Cache<String, Cached> cache;

  /** A cached system and what it was built from; the config's own toString keeps credentials out. */
  private record Cached(CustomerSystemProvider provider, TenantConfig config, CustomerSystem system) {
    boolean builtFrom(CustomerSystemProvider p, TenantConfig c) {
      return provider == p && config.version() == c.version() && config.settings().equals(c.settings())
          && config.credentials().equals(c.credentials());
    }
  }

  private IntegrationFactory(Builder b) {
    this.clock = b.clock;
    this.resources = Map.copyOf(b.resources);
    List<ProviderLoadFailure> failures = new ArrayList<>();
    List<CustomerSystemProvider> found = new ArrayList<>(b.providers);
    if (b.serviceLoading) {
      Iterator<CustomerSystemProvider> it = ServiceLoader.load(CustomerSystemProvider.class, b.classLoader).iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          found.add(it.next());
        } catch (ServiceConfigurationError e) {
          LOG.warn("crmkit provider failed to load and is skipped: {}", e.getMessage());
          failures.add(new ProviderLoadFailure(e.getMessage(), e));
        }
      }
    }
    Map<String, CustomerSystemProvider> byName = new LinkedHashMap<>();
    Map<CustomerSystemProvider, ProviderDescriptor> described = new IdentityHashMap<>();
    Set<String> names = new TreeSet<>();
    for (CustomerSystemProvider p : found) {
      String name = normalize(p.name());
      ProviderDescriptor descriptor = describe(p, name, failures);
      if (descriptor == null) {
        continue;
      }
      described.put(p, descriptor);
      names.add(name);
      register(byName, name, p);
      for (String alias : p.aliases()) {
        register(byName, normalize(alias), p);
      }
    }
    this.providers = Collections.unmodifiableMap(byName);
    this.descriptors = Collections.unmodifiableMap(described);
    this.canonicalNames = Collections.unmodifiableSet(names);
    this.loadFailures = List.copyOf(failures);
    this.cache = Caffeine.newBuilder()
        .maximumSize(b.maximumSize)
        .expireAfterAccess(b.expireAfterAccess)
        .ticker(b.nanoTime::getAsLong)
        .executor(Runnable::run)
        .<String, Cached>removalListener((tenant, cached, cause) -> {
          if (cached != null && cause != RemovalCause.REPLACED) {
            closeQuietly(tenant, cached.system());
          }
        })
        .build();
  }

  /** The provider's descriptor, or null (a load failure recorded) when it has none or one of another name. */
  private static ProviderDescriptor describe(CustomerSystemProvider p, String name, List<ProviderLoadFailure> failures) {
    String problem;
    RuntimeException error = null;
    ProviderDescriptor descriptor = null;
    try {
      descriptor = p.descriptor();
      problem = descriptor == null ? "descriptor() returned null"
          : descriptor.name().equals(name) ? null
          : "descriptor() is named '" + descriptor.name() + "', not '" + name + "'";
    } catch (RuntimeException e) {
      problem = "descriptor() failed: " + e;
      error = e;
    }
    if (problem == null) {
      return descriptor;
    }
    String description = "crmkit provider " + p.getClass().getName() + " ('" + name + "'): " + problem;
    LOG.warn("crmkit provider failed to load and is skipped: {}", description);
    failures.add(new ProviderLoadFailure(description, error != null ? error : new IllegalStateException(description)));
    return null;
  }

  private static void register(Map<String, CustomerSystemProvider> byName, String name, CustomerSystemProvider p) {
    CustomerSystemProvider earlier = byName.putIfAbsent(name, p);
    if (earlier != null && earlier != p) {
      throw new ConfigurationException("two crmkit providers claim the name '" + name + "': "
          + earlier.getClass().getName() + " and " + p.getClass().getName());
    }
  }

  private static String normalize(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** A new builder: the thread's context class loader, the UTC system clock, no resources. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The tenant's system: cached per tenant; reused only while the provider, version, settings and
   * credentials are all the same as those it was built from. A system is built only from a config
   * that passes {@link ProviderDescriptor#validate} of its provider's descriptor.
   *
   * @throws ConfigurationException when the provider name is unknown (the message lists the known
   *     names and any provider that failed to load), the config does not fit the provider's
   *     descriptor (a missing, unknown or malformed setting), or the provider rejects the config
   */
  public CustomerSystem system(TenantConfig config) {
    Objects.requireNonNull(config, "config");
    CustomerSystemProvider provider = providers.get(normalize(config.provider()));
    if (provider == null) {
      throw new ConfigurationException("unknown crmkit provider '" + config.provider() + "' for tenant '"
          + config.tenantId() + "'; known providers: " + providers.keySet()
          + (loadFailures.isEmpty() ? "" : "; failed to load: " + loadFailures.stream().map(ProviderLoadFailure::description).toList()));
    }
    List<CustomerSystem> replaced = new ArrayList<>(1);
    Cached cached = cache.asMap().compute(config.tenantId(), (tenant, current) -> {
      if (current != null && current.builtFrom(provider, config)) {
        return current;
      }
      descriptors.get(provider).validate(config);
      if (current != null) {
        replaced.add(current.system());
      }
      return new Cached(provider, config, provider.create(new ProviderContext(config, clock, resources)));
    });
    replaced.forEach(s -> closeQuietly(config.tenantId(), s));
    return cached.system();
  }

  /**
   * The OAuth connect of a provider, by name or alias ({@link CustomerSystemProvider#oauth()}).
   *
   * @param provider the provider name or alias, such as {@code "salesforce"}
   * @return the connector; empty when no such provider loaded or it has no OAuth connect
   * @throws NullPointerException when {@code provider} is null
   */
  public Optional<OAuthConnector> oauth(String provider) {
    return provider(Objects.requireNonNull(provider, "provider")).flatMap(CustomerSystemProvider::oauth);
  }

  /** Drops and closes the cached system of a tenant, if any. */
  public void evict(String tenantId) {
    cache.invalidate(tenantId);
  }

  /** Provider names (without aliases) that loaded, sorted. */
  public Set<String> providerNames() {
    return canonicalNames;
  }

  /**
   * The descriptors of the providers that loaded, sorted by provider name: what a catalogue lists.
   *
   * @return an unmodifiable list, one descriptor per provider (aliases do not repeat it)
   */
  public List<ProviderDescriptor> descriptors() {
    return descriptors.values().stream().sorted(Comparator.comparing(ProviderDescriptor::name)).toList();
  }

  /** Providers that were found but failed to load (or gave no usable descriptor); empty when all loaded. */
  public List<ProviderLoadFailure> loadFailures() {
    return loadFailures;
  }

  /**
   * The loaded provider of a name or alias, for its optional hooks (such as {@link
   * CustomerSystemProvider#webhooks()}).
   *
   * @param name a provider name or alias, any case; {@code null} finds none
   * @return the provider, or empty when none of that name loaded
   */
  public Optional<CustomerSystemProvider> provider(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(providers.get(normalize(name)));
  }

  /** Closes every cached system. The factory can still build new ones afterwards. */
  @Override
  public void close() {
    cache.invalidateAll();
    cache.cleanUp();
  }

  private static void closeQuietly(String tenant, CustomerSystem system) {
    try {
      system.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the crmkit system of tenant '{}' failed", tenant, e);
    }
  }

  /** Configures an {@link IntegrationFactory}; not thread-safe. */
  public static final class Builder {
    private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
    private Clock clock = Clock.systemUTC();
    private final Map<Class<?>, Object> resources = new HashMap<>();
    private final List<CustomerSystemProvider> providers = new ArrayList<>();
    private boolean serviceLoading = true;
    private long maximumSize = 10_000;
    private Duration expireAfterAccess = Duration.ofHours(1);
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    /** Class loader to find providers with; default the thread's context class loader. */
    public Builder classLoader(ClassLoader v) { classLoader = Objects.requireNonNull(v, "classLoader"); return this; }

    /** Clock for every timestamp systems write; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }

    /** Registers a host object providers may need, such as a {@code javax.sql.DataSource}. */
    public <T> Builder resource(Class<T> type, T value) {
      resources.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds a provider explicitly, in addition to those found by the service loader. */
    public Builder provider(CustomerSystemProvider v) { providers.add(Objects.requireNonNull(v, "provider")); return this; }

    /** Whether to look providers up with {@link ServiceLoader}; default true. */
    public Builder serviceLoading(boolean v) { serviceLoading = v; return this; }

    /**
     * Most tenants kept open at once; default 10,000.
     *
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maximumSize(long v) {
      if (v < 1) {
        throw new IllegalArgumentException("maximumSize must be at least 1, was " + v);
      }
      maximumSize = v;
      return this;
    }

    /**
     * How long an unused tenant's system stays open; default 1 hour.
     *
     * @throws NullPointerException naming {@code expireAfterAccess} when null
     * @throws IllegalArgumentException when zero or negative
     */
    public Builder expireAfterAccess(Duration v) {
      Objects.requireNonNull(v, "expireAfterAccess");
      if (v.isZero() || v.isNegative()) {
        throw new IllegalArgumentException("expireAfterAccess must be positive, was " + v);
      }
      expireAfterAccess = v;
      return this;
    }

    /** Nanosecond time source for cache expiry, for tests; default {@link System#nanoTime()}. */
    public Builder nanoTime(LongSupplier v) { nanoTime = Objects.requireNonNull(v, "nanoTime"); return this; }

    /**
     * @throws ConfigurationException when two providers claim the same name or alias
     */
    public IntegrationFactory build() {
      return new IntegrationFactory(this);
    }
  }
}
