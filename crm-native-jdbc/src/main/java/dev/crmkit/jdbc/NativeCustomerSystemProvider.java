package dev.crmkit.jdbc;

import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The {@code "native"} provider (alias {@code "coccinelle-native"}): builds a
 * {@link NativeCustomerSystem} per tenant.
 *
 * <p>Data source: the {@link DataSource} the host registered as a resource (preferred: pooled and
 * shared by every tenant), or else one built from settings: {@value #JDBC_URL} (required then),
 * with {@value #JDBC_USER} and {@value #JDBC_PASSWORD} taken from the credentials (or settings) when
 * given. Such a data source opens a connection per operation, without a pool.
 *
 * <p>Schema: migrates the database ({@link NativeSchema#migrate}) the first time this provider
 * instance sees a data source or URL, unless setting {@value #MIGRATE} is {@code "false"}.
 *
 * <p>Thread-safe.
 */
public final class NativeCustomerSystemProvider implements CustomerSystemProvider {
  /** Setting: JDBC URL used when no {@link DataSource} resource is registered. */
  public static final String JDBC_URL = "jdbcUrl";
  /** Credential (or setting): database user for {@value #JDBC_URL}; optional. */
  public static final String JDBC_USER = "jdbcUser";
  /** Credential (or setting): database password for {@value #JDBC_URL}; optional. */
  public static final String JDBC_PASSWORD = "jdbcPassword";
  /** Setting: {@code "false"} skips the schema migration; default {@code "true"}. */
  public static final String MIGRATE = "migrate";

  private final Set<DataSource> migratedSources = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<>()));
  private final Set<String> migratedUrls = ConcurrentHashMap.newKeySet();

  /** For {@link java.util.ServiceLoader}. */
  public NativeCustomerSystemProvider() {}

  @Override
  public String name() {
    return NativeCustomerSystem.PROVIDER_NAME;
  }

  @Override
  public Set<String> aliases() {
    return Set.of("coccinelle-native");
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConfigurationException when there is neither a {@link DataSource} resource nor a
   *     {@value #JDBC_URL} setting, when {@value #MIGRATE} is neither {@code true} nor {@code false},
   *     when the database is not supported, or when migrating fails
   */
  @Override
  public CustomerSystem create(ProviderContext context) {
    TenantConfig config = context.config();
    String migrate = config.setting(MIGRATE);
    if (migrate != null && !migrate.equalsIgnoreCase("true") && !migrate.equalsIgnoreCase("false")) {
      throw new ConfigurationException("tenant '" + config.tenantId() + "': setting '" + MIGRATE + "' must be"
          + " 'true' or 'false', not '" + migrate + "'");
    }
    boolean runMigrations = !"false".equalsIgnoreCase(migrate);
    DataSource dataSource = context.resource(DataSource.class).orElse(null);
    if (dataSource != null) {
      if (runMigrations && !migratedSources.contains(dataSource)) {
        NativeSchema.migrate(dataSource);
        migratedSources.add(dataSource);
      }
    } else {
      String url = config.setting(JDBC_URL);
      if (url == null || url.isBlank()) {
        throw new ConfigurationException("tenant '" + config.tenantId() + "': provider 'native' needs a "
            + DataSource.class.getName() + " (register one with IntegrationFactory.builder().resource(DataSource.class,"
            + " ...)) or setting '" + JDBC_URL + "'");
      }
      dataSource = new DriverManagerDataSource(url, secret(config, JDBC_USER), secret(config, JDBC_PASSWORD));
      if (runMigrations && !migratedUrls.contains(url)) {
        NativeSchema.migrate(dataSource);
        migratedUrls.add(url);
      }
    }
    return NativeCustomerSystem.open(dataSource, context);
  }

  private static String secret(TenantConfig config, String key) {
    Map<String, String> credentials = config.credentials();
    String v = credentials.get(key);
    return v != null ? v : config.setting(key);
  }

  @Override
  public List<String> requiredSettings() {
    return List.of();
  }
}
