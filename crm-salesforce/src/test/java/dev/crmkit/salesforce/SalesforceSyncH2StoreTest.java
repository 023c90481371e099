package dev.crmkit.salesforce;

import dev.crmkit.jdbc.JdbcSyncStore;
import dev.crmkit.jdbc.NativeSchema;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.sync.RemoteSide;
import dev.crmkit.testkit.sync.SyncScenarioSuite;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The sync scenarios against Salesforce with the sync state in {@link JdbcSyncStore} on an in-memory H2 database per test. */
class SalesforceSyncH2StoreTest extends SyncScenarioSuite {
  @Override
  protected RemoteSide newRemote(MutableClock clock) {
    return new SalesforceRemoteSide(clock);
  }

  @Override
  protected SyncStore newStore(Clock clock) {
    return JdbcSyncStore.open(newDatabase(), clock);
  }

  /** A new in-memory H2 database with the native schema, kept until the JVM ends. */
  static DataSource newDatabase() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:sync-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("sa");
    NativeSchema.migrate(h2);
    return h2;
  }
}
