package dev.crmkit;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link CustomerSystemProvider} gets to build a system: the tenant's config, the clock, the
 * phone normalization for the tenant's region, and resources the host registered on the
 * {@link IntegrationFactory} (such as a {@code javax.sql.DataSource}).
 */
public final class ProviderContext {
  private final TenantConfig config;
  private final Clock clock;
  private final PhoneNumbers phoneNumbers;
  private final Map<Class<?>, Object> resources;

  /**
   * @param config the tenant's config
   * @param clock the clock every timestamp comes from
   * @param resources host objects by type
   * @throws NullPointerException naming {@code config}, {@code clock} or {@code resources} when null
   * @throws dev.crmkit.error.ConfigurationException naming the tenant and the {@code defaultRegion} setting when
   *     the config's region is unknown
   */
  public ProviderContext(TenantConfig config, Clock clock, Map<Class<?>, Object> resources) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.resources = Map.copyOf(Objects.requireNonNull(resources, "resources"));
    try {
      this.phoneNumbers = PhoneNumbers.forRegion(config.defaultRegion());
    } catch (IllegalArgumentException e) {
      throw new dev.crmkit.error.ConfigurationException("tenant '" + config.tenantId() + "': setting '"
          + TenantConfig.DEFAULT_REGION + "' is not an ISO 3166-1 alpha-2 region libphonenumber knows: '"
          + config.defaultRegion() + "'", e);
    }
  }

  /** The tenant's config. */
  public TenantConfig config() {
    return config;
  }

  /** The tenant id. */
  public String tenantId() {
    return config.tenantId();
  }

  /** The clock every timestamp must come from. */
  public Clock clock() {
    return clock;
  }

  /** Phone normalization for the tenant's default region. */
  public PhoneNumbers phoneNumbers() {
    return phoneNumbers;
  }

  /** A resource the host registered under this type, or empty. */
  public <T> Optional<T> resource(Class<T> type) {
    return Optional.ofNullable(type.cast(resources.get(type)));
  }

  /**
   * A required resource.
   *
   * @throws ConfigurationException saying which type is missing and how to register it
   */
  public <T> T requireResource(Class<T> type) {
    return resource(type).orElseThrow(() -> new ConfigurationException("provider '" + config.provider()
        + "' needs a " + type.getName() + ": register one with IntegrationFactory.builder().resource("
        + type.getSimpleName() + ".class, ...)"));
  }
}
