package dev.crmkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.SyncStoreContractTest;
import java.time.Clock;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/**
 * The sync store contract suite (crm-testkit) on {@link JdbcSyncStore}; a subclass per database.
 * Every store of a test is a separate instance on one pooled data source, as two processes on one
 * database would be; every test works on fresh integration keys in one shared, migrated schema.
 */
abstract class JdbcSyncStoreContractTestBase extends SyncStoreContractTest {
  private static HikariDataSource pool;

  static void open(DataSource raw, String name) {
    pool = TestPools.pool(raw, "sync-" + name);
    NativeSchema.migrate(pool);
  }

  @AfterAll
  static void closePool() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  @Override
  protected SyncStore newStore(Clock clock) {
    return JdbcSyncStore.open(pool, clock);
  }
}
