package dev.crmkit.hubspot;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.jdbc.JdbcSyncStore;
import dev.crmkit.jdbc.NativeCustomerSystem;
import dev.crmkit.sync.spi.SyncStore;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The HubSpot sync scenarios with the native store on H2 as the local side and the sync state in
 * {@link JdbcSyncStore} in the same database, as a host running crmkit on its own database has them.
 */
class HubSpotSyncNativeH2Test extends HubSpotSyncTestBase {
  private final DataSource database = HubSpotSyncH2StoreTest.newDatabase();

  @Override
  SyncStore newStore(Clock clock) {
    return JdbcSyncStore.open(database, clock);
  }

  @Override
  CustomerSystem newLocal(Clock clock) {
    return NativeCustomerSystem.open(database,
        new ProviderContext(TenantConfig.builder("shop-1", "native").build(), clock, Map.of()));
  }
}
