package dev.crmkit.examples.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import javax.sql.DataSource;

/**
 * An open store: a HikariCP pool on the JDBC URL, an {@link IntegrationFactory} with it registered,
 * and the tenant's {@link CustomerSystem} from the {@code "native"} provider (which migrates the
 * schema itself). Closing closes all three.
 */
public final class StoreSession implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final IntegrationFactory factory;
  private final CustomerSystem system;

  private StoreSession(HikariDataSource dataSource, IntegrationFactory factory, CustomerSystem system) {
    this.dataSource = dataSource;
    this.factory = factory;
    this.system = system;
  }

  /**
   * Opens a store.
   *
   * @param jdbcUrl the database
   * @param user user, or {@code null}
   * @param password password, or {@code null}
   * @param tenantId the tenant
   * @param region default phone region
   * @throws dev.crmkit.error.ConfigurationException when the native provider is missing or cannot start
   */
  public static StoreSession open(String jdbcUrl, String user, String password, String tenantId, String region) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      // SQLite has one writer at a time: wait for its lock rather than fail, and let reads go on beside it.
      config.addDataSourceProperty("busy_timeout", "30000");
      config.addDataSourceProperty("journal_mode", "WAL");
    }
    config.setMaximumPoolSize(4);
    config.setPoolName("crmkit");
    HikariDataSource ds = new HikariDataSource(config);
    try {
      IntegrationFactory factory = IntegrationFactory.builder().resource(DataSource.class, ds).build();
      CustomerSystem system = factory.system(TenantConfig.builder(tenantId, "native")
          .setting(TenantConfig.DEFAULT_REGION, region).build());
      return new StoreSession(ds, factory, system);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  static StoreSession open(StoreOptions o, String tenantId) {
    return open(o.jdbcUrl, o.jdbcUser, o.jdbcPassword, tenantId, o.region);
  }

  /** The pooled data source of the store's database; closed with the session. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The tenant's system. */
  public CustomerSystem system() {
    return system;
  }

  @Override
  public void close() {
    factory.close();
    dataSource.close();
  }
}
