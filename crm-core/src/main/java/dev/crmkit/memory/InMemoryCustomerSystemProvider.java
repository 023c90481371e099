package dev.crmkit.memory;

import dev.crmkit.Capability;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.ProviderContext;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Makes {@link InMemoryCustomerSystem}s; its name is {@value InMemoryCustomerSystem#PROVIDER_NAME}.
 * Needs no settings or credentials; honours the {@code defaultRegion} setting for phones and the
 * {@value dev.crmkit.Pipeline#SETTING} setting for deal pipelines.
 *
 * <p>The provider instance keeps one store per tenant id: systems it creates for the same tenant
 * share their customers (like systems on one database), and systems of different tenants never see
 * each other's. The stores live as long as this provider instance; there is no eviction.
 *
 * <p>Thread-safe.
 */
public final class InMemoryCustomerSystemProvider implements CustomerSystemProvider {
  /**
   * What this provider is: a {@link ProviderCategory#CRM} with every {@link Capability}, no
   * authentication, and the settings {@link ProviderDescriptor#DEAL_PIPELINES} and
   * {@link ProviderDescriptor#DEFAULT_REGION}.
   */
  public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor
      .builder(InMemoryCustomerSystem.PROVIDER_NAME, "In-memory store", ProviderCategory.CRM)
      .features(EnumSet.allOf(Capability.class))
      .auth(AuthKind.NONE)
      .setting(ProviderDescriptor.DEAL_PIPELINES)
      .build();

  private final ConcurrentMap<String, TenantStore> stores = new ConcurrentHashMap<>();

  /** A provider with no stores yet; {@link java.util.ServiceLoader} uses this constructor. */
  public InMemoryCustomerSystemProvider() {
    // Stores are created on first use per tenant.
  }

  /** {@value InMemoryCustomerSystem#PROVIDER_NAME}. */
  @Override
  public String name() {
    return InMemoryCustomerSystem.PROVIDER_NAME;
  }

  /** {@link #DESCRIPTOR}. */
  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /**
   * A system for the context's tenant, on that tenant's store in this provider.
   *
   * @throws NullPointerException when {@code context} is null
   * @throws dev.crmkit.error.ConfigurationException naming {@value dev.crmkit.Pipeline#SETTING} when
   *     that setting is malformed
   */
  @Override
  public CustomerSystem create(ProviderContext context) {
    Objects.requireNonNull(context, "context");
    return new InMemoryCustomerSystem(context, stores.computeIfAbsent(context.tenantId(), t -> new TenantStore()));
  }
}
