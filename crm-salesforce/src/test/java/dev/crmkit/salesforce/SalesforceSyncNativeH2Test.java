package dev.crmkit.salesforce;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.jdbc.JdbcSyncStore;
import dev.crmkit.jdbc.NativeCustomerSystem;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.sync.RemoteSide;
import dev.crmkit.testkit.sync.SyncScenarioSuite;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The sync scenarios against Salesforce with the native store on H2 as the local side and the sync state
 * in {@link JdbcSyncStore} in the same database, as a host running crmkit on its own database has them.
 */
class SalesforceSyncNativeH2Test extends SyncScenarioSuite {
  private final DataSource database = SalesforceSyncH2StoreTest.newDatabase();

  @Override
  protected RemoteSide newRemote(MutableClock clock) {
    return new SalesforceRemoteSide(clock);
  }

  @Override
  protected SyncStore newStore(Clock clock) {
    return JdbcSyncStore.open(database, clock);
  }

  @Override
  protected CustomerSystem newLocal(Clock clock) {
    return NativeCustomerSystem.open(database,
        new ProviderContext(TenantConfig.builder("shop-1", "native").build(), clock, Map.of()));
  }
}
