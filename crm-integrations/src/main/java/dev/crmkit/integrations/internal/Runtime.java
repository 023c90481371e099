package dev.crmkit.integrations.internal;

import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.KeyRing;
import dev.crmkit.integrations.MappingRule;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.jdbc.JdbcSyncStore;
import dev.crmkit.jdbc.NativeCustomerSystem;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.spi.SyncStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * What every part of the integrations layer shares: the host's data source, the integration table,
 * the credential cipher, the provider factory, the clock, the meter registry and the sync store; and
 * the operations on a stored integration that several parts need (find, open credentials, change a
 * row under its optimistic version, build its systems and its sync engine). Thread-safe.
 *
 * <h2>Remote systems and the factory's cache</h2>
 * {@link IntegrationFactory} caches one system per {@link TenantConfig#tenantId()}. A tenant may have
 * several integrations (two HubSpot portals, HubSpot and Salesforce), so {@link #config} uses the
 * <em>integration id</em> as the config's tenant id: each integration keeps its own cached system, and
 * one integration's use never closes another's. The config's version is always 0, so a status or run
 * change (which raises the row's version) does not rebuild the system; a change of settings or
 * credentials does (the factory compares them). Messages of a remote system therefore name the
 * integration id as the "tenant".
 *
 * <h2>The local side</h2>
 * The local system of a tenant is the native store on the same data source
 * ({@link NativeCustomerSystem}), its phones read in the integration's {@code defaultRegion}.
 */
public final class Runtime {
  /** Longest {@code lastError} kept, in characters: {@value}. */
  public static final int MAX_ERROR = 1000;
  private static final int UPDATE_ATTEMPTS = 20;

  private final DataSource dataSource;
  private final IntegrationStore store;
  private final CredentialCipher cipher;
  private final IntegrationFactory factory;
  private final Clock clock;
  private final MeterRegistry meters;
  private final SyncStore syncStore;
  private final ConflictStrategy strategy;

  /**
   * @param dataSource the host's data source, {@code IntegrationSchema} migrated
   * @param factory the providers
   * @param keyRing the keys credentials are sealed under
   * @param clock the clock of every timestamp
   * @param meters where metrics go
   * @param strategy the conflict strategy of every integration's sync engine
   */
  public Runtime(DataSource dataSource, IntegrationFactory factory, KeyRing keyRing, Clock clock, MeterRegistry meters,
      ConflictStrategy strategy) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.cipher = new CredentialCipher(Objects.requireNonNull(keyRing, "keyRing"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.store = new IntegrationStore(dataSource);
    this.syncStore = JdbcSyncStore.open(dataSource, clock);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public IntegrationStore store() {
    return store;
  }

  public CredentialCipher cipher() {
    return cipher;
  }

  public IntegrationFactory factory() {
    return factory;
  }

  public Clock clock() {
    return clock;
  }

  public MeterRegistry meters() {
    return meters;
  }

  /** The sync state of every integration (id mappings, cursors, runs, conflicts, inbox). */
  public SyncStore syncStore() {
    return syncStore;
  }

  // ------------------------------------------------------------------------------------ finding

  /**
   * The tenant's integration.
   *
   * @throws NotFoundException ({@code "integration"}) when the tenant has none with this id, also when
   *     another tenant owns it
   */
  public TenantIntegration require(String tenantId, String id) {
    return requireStored(tenantId, id).integration();
  }

  /** {@link #require} with the sealed credentials. */
  public StoredIntegration requireStored(String tenantId, String id) {
    Objects.requireNonNull(tenantId, "tenantId");
    if (id == null) {
      throw notFound(null);
    }
    return store.find(tenantId, id).orElseThrow(() -> notFound(id));
  }

  /** The integration with this id, whichever tenant owns it (jobs, routing). */
  public Optional<StoredIntegration> byId(String id) {
    return store.byId(Objects.requireNonNull(id, "id"));
  }

  /** The integration of a provider connected to a vendor account (webhook and OAuth routing). */
  public Optional<StoredIntegration> byAccount(String provider, String accountId) {
    return store.byAccount(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(accountId, "accountId"));
  }

  /** Every integration of every tenant (jobs). */
  public List<StoredIntegration> all() {
    return store.all();
  }

  /** The error for an id the tenant does not have. */
  public static NotFoundException notFound(String id) {
    return new NotFoundException(null, "integration", id);
  }

  /** The installed provider's descriptor, or empty. */
  public Optional<ProviderDescriptor> descriptor(String provider) {
    return factory.descriptors().stream().filter(d -> d.name().equals(provider)).findFirst();
  }

  // ------------------------------------------------------------------------------- credentials

  /** The opened credentials; empty when none are set. */
  public Map<String, String> credentials(StoredIntegration s) {
    return s.sealedCredentials() == null ? Map.of() : cipher.open(s.tenantId(), s.id(), s.sealedCredentials());
  }

  /**
   * Seals and stores a new set of credentials (replacing all of them), and their keys.
   *
   * @param expectedVersion the version the caller read, or null to apply on whatever is stored
   * @return the changed integration
   * @throws NotFoundException when the integration is gone
   * @throws ConflictException ({@code version}) when {@code expectedVersion} is no longer current
   */
  public TenantIntegration replaceCredentials(String id, Map<String, String> credentials, Long expectedVersion) {
    Map<String, String> copy = Map.copyOf(credentials);
    return update(id, expectedVersion, e -> {
      e.sealedCredentials = copy.isEmpty() ? null : cipher.seal(e.before().tenantId(), id, copy);
      e.credentialKeys = new TreeSet<>(copy.keySet());
    }).integration();
  }

  // ----------------------------------------------------------------------------------- changes

  /**
   * Changes a stored row: reads it, lets {@code change} edit it, writes it with the version raised.
   * When another writer changed it in between, reads and edits again (without {@code expectedVersion}).
   *
   * @param id the integration
   * @param expectedVersion the version the caller read, or null for a change that applies to any version
   * @param change the edit; may run more than once, so it must only set fields from what it reads
   * @return the stored row after the change
   * @throws NotFoundException when the integration is gone
   * @throws ConflictException ({@code version}) when {@code expectedVersion} is not the stored version
   */
  public StoredIntegration update(String id, Long expectedVersion, Consumer<Edit> change) {
    for (int attempt = 1; ; attempt++) {
      StoredIntegration row = byId(id).orElseThrow(() -> notFound(id));
      long version = row.integration().version();
      if (expectedVersion != null && version != expectedVersion) {
        throw versionConflict(id, expectedVersion, version);
      }
      Edit edit = new Edit(row);
      change.accept(edit);
      StoredIntegration next = edit.build(clock.instant());
      // key rotation re-seals without raising the version: an edit that left the credentials alone
      // must not write back the envelope it read
      if (store.update(next, version, !Objects.equals(next.sealedCredentials(), row.sealedCredentials()))) {
        return next;
      }
      if (expectedVersion != null || attempt == UPDATE_ATTEMPTS) {
        throw new ConflictException(null, "version", null, "integration '" + id
            + "' was changed concurrently; read it again and retry");
      }
    }
  }

  private static ConflictException versionConflict(String id, long expected, long actual) {
    return new ConflictException(null, "version", null, "integration '" + id + "' is at version " + actual
        + ", not the expected " + expected + ": it was changed since it was read; read it again");
  }

  /** Longest vendor account id, in characters: {@value}. */
  public static final int MAX_ACCOUNT_ID = 255;

  /**
   * Sets the vendor account an integration is connected to (null to clear).
   *
   * @throws ValidationException naming {@code accountId} when blank or longer than {@value #MAX_ACCOUNT_ID}
   * @throws ConflictException ({@code accountId}) when another integration of the provider holds it
   * @throws NotFoundException when the integration is gone
   */
  public void setAccountId(String id, String accountId) {
    if (accountId != null && (accountId.isBlank() || accountId.length() > MAX_ACCOUNT_ID
        || accountId.indexOf('\0') >= 0)) {
      throw ValidationException.of("accountId", Validation.abbreviate(accountId),
          "must be 1 to " + MAX_ACCOUNT_ID + " characters, not blank, without U+0000");
    }
    update(id, null, e -> e.accountId = accountId);
  }

  /** Sets the status and the last error (null to clear it). */
  public void setStatus(String id, IntegrationStatus status, String lastError) {
    Objects.requireNonNull(status, "status");
    update(id, null, e -> {
      e.status = status;
      e.lastError = lastError;
    });
  }

  /**
   * Records a finished run: the last sync time; for a failed run the failure as last error and status
   * {@link IntegrationStatus#ERROR} (unless paused or disconnected, which stay); for a successful one
   * no last error and {@link IntegrationStatus#ERROR} back to {@link IntegrationStatus#ACTIVE}; for a
   * partly failed one the number of failed records as last error.
   */
  public TenantIntegration recordRun(String id, SyncResult result) {
    return update(id, null, e -> {
      e.lastSyncAt = clock.instant();
      if (result.status() == RunStatus.FAILED) {
        e.lastError = "sync run " + result.runId() + " failed: " + result.failure();
        if (e.status == IntegrationStatus.ACTIVE) {
          e.status = IntegrationStatus.ERROR;
        }
      } else {
        e.lastError = result.failed() == 0 ? null
            : result.failed() + " record(s) failed in sync run " + result.runId() + "; see its record errors";
        if (e.status == IntegrationStatus.ERROR) {
          e.status = IntegrationStatus.ACTIVE;
        }
      }
    }).integration();
  }

  static String cut(String text) {
    return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 3) + "...";
  }

  // ---------------------------------------------------------------------------- systems, engine

  /**
   * The config the provider builds the integration's remote system from: the integration id as tenant
   * id (see the class comment), version 0, its settings and opened credentials.
   */
  public TenantConfig config(StoredIntegration s) {
    TenantIntegration t = s.integration();
    return new TenantConfig(t.id(), t.provider(), 0, t.settings(), credentials(s));
  }

  /**
   * The integration's remote system, cached by the factory per integration.
   *
   * @throws dev.crmkit.error.ConfigurationException when the provider is not installed or refuses the config
   */
  public CustomerSystem remote(StoredIntegration s) {
    return factory.system(config(s));
  }

  /** Drops (and closes) the integration's cached remote system. */
  public void evict(String id) {
    factory.evict(id);
  }

  /** The tenant's native store on the host's data source, phones read in region US. */
  public CustomerSystem local(String tenantId) {
    return local(tenantId, "US");
  }

  private CustomerSystem local(String tenantId, String region) {
    return NativeCustomerSystem.open(dataSource, tenantId, clock, PhoneNumbers.forRegion(region));
  }

  /** The integration's key in the sync store: its tenant and its id. */
  public static IntegrationKey key(TenantIntegration t) {
    return new IntegrationKey(t.tenantId(), t.id());
  }

  /** The rules in effect: the stored ones, or the provider's defaults when none are stored. */
  public static List<MappingRule> effectiveMapping(TenantIntegration t) {
    return t.mapping().isEmpty() ? DefaultMappings.forProvider(t.provider()) : t.mapping();
  }

  /** {@link #effectiveMapping} as the sync engine takes it. */
  public static FieldMapping fieldMapping(TenantIntegration t) {
    FieldMapping.Builder b = FieldMapping.builder();
    for (MappingRule r : effectiveMapping(t)) {
      FieldMapping.Rule rule = r.toSyncRule();
      b.map(rule.localField(), rule.remoteField(), rule.flow(), rule.transform());
    }
    return b.build();
  }

  /**
   * A sync engine for the integration: the tenant's native store (local), its remote system, the JDBC
   * sync store on the same data source, key (tenant, integration id), its flow and mapping, and the
   * layer's conflict strategy.
   */
  public SyncEngine engine(StoredIntegration s) {
    TenantIntegration t = s.integration();
    String region = t.settings().getOrDefault(TenantConfig.DEFAULT_REGION, "US");
    return SyncEngine.builder()
        .local(local(t.tenantId(), region))
        .remote(remote(s))
        .store(syncStore)
        .key(key(t))
        .flow(t.flow())
        .mapping(fieldMapping(t))
        .strategy(strategy)
        .clock(clock)
        .build();
  }
}
