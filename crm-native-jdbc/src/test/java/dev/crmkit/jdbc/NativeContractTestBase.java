package dev.crmkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.testkit.CustomerSystemContractTest;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/**
 * The provider contract suite (crm-testkit) on the native store; a subclass per database. Each
 * database is pooled the way a host would run it; every test works in a fresh tenant of one shared schema.
 * Tenants have two deal pipelines (setting {@value Pipeline#SETTING}), the default one first, so the
 * suite's second-pipeline checks run too.
 */
abstract class NativeContractTestBase extends CustomerSystemContractTest {
  private static final String PIPELINES = Pipeline.DEFAULT.format()
      + "; repairs=Repairs: booked=Booked, visited=Visited, done=Done!won, cancelled=Cancelled!lost";

  private static HikariDataSource pool;

  static void open(DataSource raw, String name) {
    pool = TestPools.pool(raw, "tck-" + name);
  }

  @AfterAll
  static void closePool() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    return new NativeCustomerSystemProvider().create(new ProviderContext(
        TenantConfig.builder(tenantId, "native").setting(Pipeline.SETTING, PIPELINES).build(), clock, Map.of(DataSource.class, pool)));
  }

  @Override
  protected ProviderDescriptor descriptor() {
    return NativeCustomerSystemProvider.DESCRIPTOR;
  }
}
