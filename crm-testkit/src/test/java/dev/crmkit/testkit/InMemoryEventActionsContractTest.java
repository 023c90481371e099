package dev.crmkit.testkit;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.memory.InMemoryCustomerSystemProvider;
import java.time.Clock;
import java.util.Map;

/** The default event actions on the in-memory provider, through the in-memory outbox. */
class InMemoryEventActionsContractTest extends EventActionsContractTest {
  private final InMemoryCustomerSystemProvider provider = new InMemoryCustomerSystemProvider();

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    return provider.create(new ProviderContext(TenantConfig.builder(tenantId, "memory").build(), clock, Map.of()));
  }
}
