package dev.crmkit.examples.csvfile;

import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.ProviderContext;
import dev.crmkit.error.ConfigurationException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code "csv-file"} provider: customers kept in one CSV file, an example of how a host adds a
 * CRM of its own. Registered in {@code META-INF/services/dev.crmkit.CustomerSystemProvider}, so
 * {@link dev.crmkit.IntegrationFactory} finds it by name:
 *
 * <pre>{@code
 * CustomerSystem crm = factory.system(TenantConfig.builder("acme", "csv-file")
 *     .setting(CsvFileCustomerSystemProvider.PATH, "/var/lib/acme/customers.csv").build());
 * }</pre>
 *
 * <p>Setting {@value #PATH} (required): the file; created on the first write, its directory too.
 * Several tenants may share a file (each sees only its rows). Supported capabilities:
 * {@code SEARCH}, {@code DELETE} (soft), {@code RESTORE}, {@code BATCH_UPSERT}, {@code TAGS} and
 * {@code CUSTOM_FIELDS}; every other optional operation (merge, duplicate detection, notes,
 * activities, orders, the change feed) throws {@link dev.crmkit.error.UnsupportedCapabilityException}.
 * Order statistics are not stored. Every write rewrites the whole file (atomically), so it suits
 * thousands of customers, not millions.
 *
 * <p>Thread-safe: systems on the same file share one store per provider instance. Two processes
 * must not use the same file.
 */
public final class CsvFileCustomerSystemProvider implements CustomerSystemProvider {
  /** The provider name. */
  public static final String NAME = "csv-file";
  /** Setting: path of the CSV file. */
  public static final String PATH = "path";

  private final ConcurrentHashMap<Path, CsvFileStore> stores = new ConcurrentHashMap<>();

  /** For the service loader. */
  public CsvFileCustomerSystemProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> requiredSettings() {
    return List.of(PATH);
  }

  /**
   * @throws ConfigurationException when {@value #PATH} is missing or not a path, or the file exists
   *     but is not a csv-file store
   */
  @Override
  public CustomerSystem create(ProviderContext context) {
    String setting = context.config().requireSetting(PATH, requiredSettings());
    Path path;
    try {
      path = Path.of(setting).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigurationException("tenant '" + context.tenantId() + "': setting '" + PATH + "' is not a path: '"
          + setting + "'", e);
    }
    CsvFileStore store = stores.computeIfAbsent(path, CsvFileStore::open);
    return new CsvFileCustomerSystem(store, context.tenantId(), context.clock(), context.phoneNumbers());
  }
}
