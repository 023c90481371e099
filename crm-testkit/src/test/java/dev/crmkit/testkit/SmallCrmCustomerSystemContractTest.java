package dev.crmkit.testkit;

import dev.crmkit.Capability;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.memory.InMemoryCustomerSystemProvider;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * The contract suite against a small vendor CRM: search, delete, notes, activities and deals, but no
 * custom fields, no idempotency keys on notes and no merge, with two pipelines. Checks the branches
 * of the suite that the in-memory system (which has everything) never takes: a deal's custom fields
 * refused, a keyed note refused, a deal started in a second pipeline.
 */
class SmallCrmCustomerSystemContractTest extends CustomerSystemContractTest {
  private static final String PIPELINES = "sales=Sales: new=New, won=Won!won, lost=Lost!lost; "
      + "repairs=Repairs: booked=Booked, visited=Visited, done=Done!won, cancelled=Cancelled!lost";

  private final InMemoryCustomerSystemProvider provider = new InMemoryCustomerSystemProvider();

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    TenantConfig config = TenantConfig.builder(tenantId, "memory").setting(Pipeline.SETTING, PIPELINES).build();
    return new CapabilityLimitedCustomerSystem(provider.create(new ProviderContext(config, clock, Map.of())),
        Set.of(Capability.SEARCH, Capability.DELETE, Capability.NOTES, Capability.ACTIVITIES, Capability.DEALS));
  }
}
