package dev.crmkit.jdbc;

import dev.crmkit.Capability;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.provider.SettingType;
import java.util.Collections;
import java.util.EnumSet;
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
 * <p>Every setting, its type and default: {@link #DESCRIPTOR}.
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

  private static final SettingDescriptor JDBC_URL_SETTING = SettingDescriptor.builder(JDBC_URL, SettingType.STRING)
      .description("JDBC URL of the database (H2, SQLite, PostgreSQL, MariaDB or MySQL), used when the host "
          + "registered no DataSource resource, which is then required. Such a data source opens a connection per "
          + "operation, without a pool.")
      .build();
  private static final SettingDescriptor JDBC_USER_SETTING = SettingDescriptor.builder(JDBC_USER, SettingType.STRING)
      .description("Database user for jdbcUrl; a credential or a setting; optional.")
      .build();
  private static final SettingDescriptor JDBC_PASSWORD_SETTING = SettingDescriptor
      .builder(JDBC_PASSWORD, SettingType.STRING).secret()
      .description("Database password for jdbcUrl; optional.")
      .build();
  private static final SettingDescriptor MIGRATE_SETTING = SettingDescriptor.builder(MIGRATE, SettingType.BOOLEAN)
      .defaultValue("true")
      .description("Whether to migrate the schema the first time this provider instance sees the data source or "
          + "URL; false when the host migrates it (NativeSchema.migrate).")
      .build();

  /**
   * What this provider is: a {@link ProviderCategory#CRM} on the host's database with every
   * {@link Capability}, no authentication of its own (database credentials are settings), and the
   * settings {@value #JDBC_URL}, {@value #JDBC_USER}, {@value #JDBC_PASSWORD} (secret), {@value #MIGRATE} and
   * {@link ProviderDescriptor#DEAL_PIPELINES} (the tenant's deal pipelines, see {@link Pipeline#parse}).
   */
  public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor
      .builder(NativeCustomerSystem.PROVIDER_NAME, "Native store (host database)", ProviderCategory.CRM)
      .features(EnumSet.allOf(Capability.class))
      .auth(AuthKind.NONE)
      .setting(JDBC_URL_SETTING, JDBC_USER_SETTING, JDBC_PASSWORD_SETTING, MIGRATE_SETTING,
          ProviderDescriptor.DEAL_PIPELINES)
      .build();

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

  /** {@link #DESCRIPTOR}. */
  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConfigurationException when there is neither a {@link DataSource} resource nor a
   *     {@value #JDBC_URL} setting, when {@value #MIGRATE} is neither {@code true} nor {@code false},
   *     when the database is not supported, when migrating fails, or when {@value Pipeline#SETTING} is
   *     malformed (the message names the tenant, the setting and the bad part)
   */
  @Override
  public CustomerSystem create(ProviderContext context) {
    TenantConfig config = context.config();
    boolean runMigrations = MIGRATE_SETTING.booleanValue(config);
    DataSource dataSource = context.resource(DataSource.class).orElse(null);
    if (dataSource != null) {
      if (runMigrations && !migratedSources.contains(dataSource)) {
        NativeSchema.migrate(dataSource);
        migratedSources.add(dataSource);
      }
    } else {
      String url = JDBC_URL_SETTING.value(config);
      if (url == null || url.isBlank()) {
        throw new ConfigurationException("tenant '" + config.tenantId() + "': provider 'native' needs a "
            + DataSource.class.getName() + " (register one with IntegrationFactory.builder().resource(DataSource.class,"
            + " ...)) or setting '" + JDBC_URL + "'");
      }
      dataSource = new DriverManagerDataSource(url, JDBC_USER_SETTING.value(config), JDBC_PASSWORD_SETTING.value(config));
      if (runMigrations && !migratedUrls.contains(url)) {
        NativeSchema.migrate(dataSource);
        migratedUrls.add(url);
      }
    }
    return NativeCustomerSystem.open(dataSource, context);
  }
}
