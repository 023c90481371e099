package dev.crmkit.testkit;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.memory.InMemoryCustomerSystem;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * The contract suite against a system with no optional capability at all: checks that the suite's
 * capability guards expect {@link dev.crmkit.error.UnsupportedCapabilityException} and that no test
 * silently depends on an optional operation.
 */
class CoreOnlyCustomerSystemContractTest extends CustomerSystemContractTest {
  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    ProviderContext context = new ProviderContext(TenantConfig.builder(tenantId, "memory").build(), clock, Map.of());
    return new CapabilityLimitedCustomerSystem(new InMemoryCustomerSystem(context), Set.of());
  }
}
