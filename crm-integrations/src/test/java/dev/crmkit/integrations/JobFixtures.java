package dev.crmkit.integrations;

import dev.crmkit.integrations.internal.IntegrationStore;
import dev.crmkit.integrations.internal.StoredIntegration;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.sync.SyncFlow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/** Integration rows for the job tests, on the in-memory provider (no settings, no credentials). */
final class JobFixtures {
  private JobFixtures() {}

  static TenantIntegration insert(DataSource ds, String id, IntegrationStatus status, SyncSchedule schedule) {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    TenantIntegration t = new TenantIntegration(id, "tenant-" + id, InMemoryCustomerSystem.PROVIDER_NAME,
        "Memory " + id, status, SyncFlow.BIDIRECTIONAL, schedule, Map.of(), Set.of(), List.of(), null, null, null,
        at, at, 0);
    new IntegrationStore(ds).insert(new StoredIntegration(t, null));
    return t;
  }
}
