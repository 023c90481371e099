package dev.crmkit.integrations;

import dev.crmkit.IntegrationFactory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.sync.ConflictResolution;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.integrations.internal.Runtime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * SKELETON — the shared signatures of the integrations layer; helpers fill in the bodies (A: CRUD,
 * catalogue, test, sync, history, conflicts, mapping; B: key rotation; C: OAuth; D: webhooks;
 * E: metrics and health). Every method taking a {@code tenantId} acts only on that tenant's
 * integrations: another tenant's id is {@link dev.crmkit.error.NotFoundException}.
 */
public final class IntegrationService implements AutoCloseable {

  /** A builder; {@code dataSource}, {@code factory} and {@code keyRing} are required. */
  public static Builder builder() {
    return new Builder();
  }

  private final Runtime runtime;

  private IntegrationService(Builder b) {
    this.runtime = new Runtime(b.dataSource, b.factory, b.keyRing, b.clock,
        b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry(), b.conflictStrategy);
  }

  // ---- catalogue (A) ----
  /** Every installed provider's descriptor, by category then display name. */
  public List<ProviderDescriptor> catalogue() { throw new UnsupportedOperationException("skeleton"); }

  // ---- CRUD (A) ----
  public List<TenantIntegration> list(String tenantId) { throw new UnsupportedOperationException("skeleton"); }
  public TenantIntegration get(String tenantId, String integrationId) { throw new UnsupportedOperationException("skeleton"); }
  public TenantIntegration create(String tenantId, IntegrationDraft draft) { throw new UnsupportedOperationException("skeleton"); }
  public TenantIntegration update(String tenantId, String integrationId, IntegrationUpdate update) { throw new UnsupportedOperationException("skeleton"); }
  /** Deletes it and stops its jobs; {@code eraseSyncState} also erases its id mappings, cursors, runs and conflicts. */
  public void delete(String tenantId, String integrationId, boolean eraseSyncState) { throw new UnsupportedOperationException("skeleton"); }
  public TenantIntegration enable(String tenantId, String integrationId) { throw new UnsupportedOperationException("skeleton"); }
  public TenantIntegration disable(String tenantId, String integrationId) { throw new UnsupportedOperationException("skeleton"); }
  public List<MappingRule> mapping(String tenantId, String integrationId) { throw new UnsupportedOperationException("skeleton"); }
  public List<MappingRule> updateMapping(String tenantId, String integrationId, List<MappingRule> rules) { throw new UnsupportedOperationException("skeleton"); }

  // ---- operations (A) ----
  public ConnectionTest testConnection(String tenantId, String integrationId) { throw new UnsupportedOperationException("skeleton"); }
  public SyncResult syncNow(String tenantId, String integrationId, SyncMode mode) { throw new UnsupportedOperationException("skeleton"); }
  public SyncResult syncCustomer(String tenantId, String integrationId, String customerId) { throw new UnsupportedOperationException("skeleton"); }
  public List<SyncRun> history(String tenantId, String integrationId, int limit) { throw new UnsupportedOperationException("skeleton"); }
  public List<SyncConflict> conflicts(String tenantId, String integrationId, int limit) { throw new UnsupportedOperationException("skeleton"); }
  public SyncConflict resolveConflict(String tenantId, String integrationId, String conflictId, ConflictResolution resolution) { throw new UnsupportedOperationException("skeleton"); }

  // ---- OAuth (C) ----
  public OAuthStart startOAuth(String tenantId, String integrationId, URI redirectUri) { throw new UnsupportedOperationException("skeleton"); }
  public TenantIntegration completeOAuth(String platform, String code, String state) { throw new UnsupportedOperationException("skeleton"); }

  // ---- webhooks (D) ----
  public WebhookResponse receiveWebhook(String platform, WebhookRequest request) { throw new UnsupportedOperationException("skeleton"); }
  public List<WebhookDelivery> webhookDeliveries(String tenantId, String integrationId, int limit) { throw new UnsupportedOperationException("skeleton"); }

  // ---- keys (B) ----
  /** Re-seals every stored secret not under the key ring's current key; returns how many. */
  public int rotateCredentials() { throw new UnsupportedOperationException("skeleton"); }

  // ---- health (E) ----
  public IntegrationHealth health(String tenantId, String integrationId) { throw new UnsupportedOperationException("skeleton"); }

  @Override
  public void close() {}

  /** Builds an {@link IntegrationService}. */
  public static final class Builder {
    DataSource dataSource;
    IntegrationFactory factory;
    KeyRing keyRing;
    Clock clock = Clock.systemUTC();
    MeterRegistry meterRegistry;
    ConflictStrategy conflictStrategy = ConflictStrategy.fieldLevelMerge(ConflictStrategy.manual());

    private Builder() {}

    public Builder dataSource(DataSource v) { dataSource = Objects.requireNonNull(v, "dataSource"); return this; }
    public Builder factory(IntegrationFactory v) { factory = Objects.requireNonNull(v, "factory"); return this; }
    public Builder keyRing(KeyRing v) { keyRing = Objects.requireNonNull(v, "keyRing"); return this; }
    public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }
    public Builder meterRegistry(MeterRegistry v) { meterRegistry = Objects.requireNonNull(v, "meterRegistry"); return this; }

    /**
     * The conflict strategy of every integration's sync engine; default
     * {@code ConflictStrategy.fieldLevelMerge(ConflictStrategy.manual())}: a field changed on one side
     * only takes that side's value, a field changed on both sides parks the record in the conflict queue
     * ({@link #conflicts}, {@link #resolveConflict}).
     */
    public Builder conflictStrategy(ConflictStrategy v) { conflictStrategy = Objects.requireNonNull(v, "conflictStrategy"); return this; }

    /**
     * The service. Opens one connection to detect the database; does not migrate: run
     * {@link IntegrationSchema#migrate} first.
     *
     * @throws IllegalStateException naming the first missing required part
     * @throws dev.crmkit.error.ConfigurationException when the database is not supported
     */
    public IntegrationService build() {
      if (dataSource == null) {
        throw new IllegalStateException("dataSource is required: the host database holding the integrations");
      }
      if (factory == null) {
        throw new IllegalStateException("factory is required: the IntegrationFactory with the installed providers");
      }
      if (keyRing == null) {
        throw new IllegalStateException("keyRing is required: the keys credentials are sealed under");
      }
      return new IntegrationService(this);
    }
  }
}
