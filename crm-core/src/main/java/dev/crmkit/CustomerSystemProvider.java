package dev.crmkit;

import java.util.Set;

/**
 * Makes {@link CustomerSystem}s of one kind. Found by {@link java.util.ServiceLoader}: list the
 * implementing class in {@code META-INF/services/dev.crmkit.CustomerSystemProvider}. Implementations
 * need a public no-argument constructor and must be thread-safe.
 */
public interface CustomerSystemProvider {

  /** The stable, lower-case name tenants configure, such as {@code "native"} or {@code "hubspot"}. */
  String name();

  /** Other names that select this provider; default none. */
  default Set<String> aliases() {
    return Set.of();
  }

  /** The settings a tenant must give; listed in configuration errors. Default none. */
  default java.util.List<String> requiredSettings() {
    return java.util.List.of();
  }

  /**
   * Builds a system for one tenant.
   *
   * @throws dev.crmkit.error.ConfigurationException naming a missing or malformed setting or resource
   */
  CustomerSystem create(ProviderContext context);
}
