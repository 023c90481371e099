package dev.crmkit.testkit;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.memory.InMemoryCustomerSystemProvider;
import dev.crmkit.provider.ProviderDescriptor;
import java.time.Clock;
import java.util.Map;

/**
 * The in-memory provider passes the contract suite. Both tenants of a test come from one provider
 * instance, which shares its stores between them, so isolation is tested on shared state.
 */
class InMemoryCustomerSystemContractTest extends CustomerSystemContractTest {
  private final InMemoryCustomerSystemProvider provider = new InMemoryCustomerSystemProvider();

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    return provider.create(new ProviderContext(TenantConfig.builder(tenantId, "memory").build(), clock, Map.of()));
  }

  @Override
  protected ProviderDescriptor descriptor() {
    return InMemoryCustomerSystemProvider.DESCRIPTOR;
  }
}
