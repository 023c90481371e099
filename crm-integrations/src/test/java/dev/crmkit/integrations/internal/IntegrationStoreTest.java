package dev.crmkit.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConflictException;
import dev.crmkit.integrations.IntegrationSchema;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.MappingRule;
import dev.crmkit.integrations.SyncSchedule;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.integrations.TestDatabases;
import dev.crmkit.sync.SyncFlow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class IntegrationStoreTest {
  private final DataSource db = TestDatabases.h2();

  @Test
  void migratesOnceAndRoundTripsEveryColumn() {
    assertThat(IntegrationSchema.migrate(db)).isPositive();
    assertThat(IntegrationSchema.migrate(db)).isZero();
    IntegrationStore store = new IntegrationStore(db);
    Instant at = Instant.ofEpochMilli(1_700_000_000_123L);
    TenantIntegration t = new TenantIntegration("id-1", "acme", "hubspot", "Main portal", IntegrationStatus.ACTIVE,
        SyncFlow.PUSH, SyncSchedule.HOURLY, Map.of("baseUrl", "https://example.test", "empty", ""),
        Set.of("accessToken"), List.of(new MappingRule("email", "email", SyncFlow.BIDIRECTIONAL, "lowercase")),
        "portal-1", at, "boom", at, at, 3);
    store.insert(new StoredIntegration(t, "v1.k.n.c"));

    StoredIntegration read = store.find("acme", "id-1").orElseThrow();
    assertThat(read.integration()).isEqualTo(t);
    assertThat(read.sealedCredentials()).isEqualTo("v1.k.n.c");
    assertThat(store.find("ACME", "id-1")).isEmpty();
    assertThat(store.byAccount("hubspot", "portal-1")).contains(read);

    TenantIntegration other = new TenantIntegration("id-2", "globex", "hubspot", "x", IntegrationStatus.ACTIVE,
        SyncFlow.PUSH, SyncSchedule.HOURLY, null, null, null, "portal-1", null, null, at, at, 0);
    assertThatThrownBy(() -> store.insert(new StoredIntegration(other, null)))
        .isInstanceOf(ConflictException.class).hasMessageContaining("portal-1");
  }
}
