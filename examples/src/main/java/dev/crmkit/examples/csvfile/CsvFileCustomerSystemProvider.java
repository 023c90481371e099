package dev.crmkit.examples.csvfile;

import dev.crmkit.Capability;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.ProviderContext;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.provider.SettingType;
import java.nio.file.Path;
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

  private static final SettingDescriptor PATH_SETTING = SettingDescriptor.builder(PATH, SettingType.PATH).required()
      .description("The CSV file; created on the first write, its directory too. Several tenants may share a file "
          + "(each sees only its rows); two processes must not.")
      .build();

  /**
   * What this provider is: a {@link ProviderCategory#CRM} kept in a file, with the features listed
   * above, no authentication, and the required setting {@value #PATH}.
   */
  public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder(NAME, "CSV file", ProviderCategory.CRM)
      .features(Capability.SEARCH, Capability.DELETE, Capability.RESTORE, Capability.BATCH_UPSERT, Capability.TAGS,
          Capability.CUSTOM_FIELDS)
      .auth(AuthKind.NONE)
      .setting(PATH_SETTING)
      .build();

  private final ConcurrentHashMap<Path, CsvFileStore> stores = new ConcurrentHashMap<>();

  /** For the service loader. */
  public CsvFileCustomerSystemProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /** {@link #DESCRIPTOR}. */
  @Override
  public ProviderDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /**
   * @throws ConfigurationException when {@value #PATH} is missing or not a path, or the file exists
   *     but is not a csv-file store
   */
  @Override
  public CustomerSystem create(ProviderContext context) {
    Path path = Path.of(PATH_SETTING.value(context.config())).toAbsolutePath().normalize();
    CsvFileStore store = stores.computeIfAbsent(path, CsvFileStore::open);
    return new CsvFileCustomerSystem(store, context.tenantId(), context.clock(), context.phoneNumbers());
  }
}
