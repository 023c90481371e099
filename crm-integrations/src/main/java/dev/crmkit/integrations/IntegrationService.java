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
import dev.crmkit.integrations.internal.OAuthConnections;
import dev.crmkit.provider.CredentialListener;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
    this.oauth = new OAuthConnections(runtime, b.oauthStateLifetime, b.oauthApps);
    b.credentialRelay.set(oauth);
  }

  private final OAuthConnections oauth;

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
  /**
   * Starts connecting an integration by OAuth 2.0: the URL of the vendor's consent page, for the
   * tenant's browser. The URL carries a fresh {@code state} (32 random bytes, Base64url) bound to the
   * tenant, the integration, its provider and {@code redirectUri}, accepted once until
   * {@link OAuthStart#expiresAt()} ({@link Builder#oauthStateLifetime}, default 10 minutes), and, where
   * the vendor supports PKCE (Salesforce; not HubSpot, which documents none), an S256 code challenge whose
   * verifier stays server-side, sealed. Only the state's SHA-256 is stored ({@code crmkit_oauth_state}).
   * The app is the integration's {@code clientId} setting and {@code clientSecret} credential, else the
   * host's {@link Builder#oauthApp} for the provider.
   *
   * @param tenantId the tenant
   * @param integrationId one of its integrations whose provider has OAuth connect
   *     ({@link dev.crmkit.CustomerSystemProvider#oauth()})
   * @param redirectUri the host's callback, registered with the vendor's app, which hands the
   *     redirect's {@code code} and {@code state} to {@link #completeOAuth}; absolute http(s), no fragment
   * @return the authorization URL and when its state expires
   * @throws dev.crmkit.error.NotFoundException when the tenant has no such integration
   * @throws dev.crmkit.error.ValidationException naming {@code redirectUri} when it is missing or not
   *     an absolute http(s) URL
   * @throws dev.crmkit.error.ConfigurationException when the provider has no OAuth connect, or the app's
   *     client id or secret is missing
   */
  public OAuthStart startOAuth(String tenantId, String integrationId, URI redirectUri) {
    return oauth.start(tenantId, integrationId, redirectUri);
  }

  /**
   * Completes an OAuth connect from the vendor's redirect: checks the state (issued by
   * {@link #startOAuth}, for this platform, not used, not expired), consumes it atomically (of two
   * callbacks with one state, across nodes, one goes on), exchanges the code (with the PKCE verifier)
   * at the vendor, seals the tokens into the integration's credentials (with the host's app when it
   * came from {@link Builder#oauthApp}), stores the settings the vendor names (Salesforce's
   * {@code instanceUrl}), sets the account id (HubSpot hub id, Salesforce org id) and the status
   * {@link IntegrationStatus#ACTIVE}. No tenant is passed: the state names it.
   *
   * @param platform the provider of the callback route, such as {@code "salesforce"}
   * @param code the redirect's {@code code}
   * @param state the redirect's {@code state}
   * @return the connected integration
   * @throws dev.crmkit.error.ValidationException naming {@code state} when it is missing, forged, for
   *     another platform, used or expired (the state is never echoed), or {@code code} when it is missing
   * @throws dev.crmkit.error.AuthenticationException when the vendor refuses the code (reused, expired,
   *     wrong verifier or redirect URI, wrong client): its vendor code says which ({@code invalid_grant},
   *     {@code BAD_AUTH_CODE}, ...); the state is used up, so the tenant starts again
   * @throws dev.crmkit.error.ConflictException naming {@code accountId} when another integration of the
   *     provider is connected to the same account
   * @throws dev.crmkit.error.NotFoundException when the integration was deleted meanwhile
   */
  public TenantIntegration completeOAuth(String platform, String code, String state) {
    return oauth.complete(platform, code, state);
  }

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
    Duration oauthStateLifetime = DEFAULT_OAUTH_STATE_LIFETIME;
    final Map<String, OAuthConnections.App> oauthApps = new HashMap<>();
    final AtomicReference<OAuthConnections> credentialRelay = new AtomicReference<>();

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

    /** Default of {@link #oauthStateLifetime}: 10 minutes. */
    public static final Duration DEFAULT_OAUTH_STATE_LIFETIME = Duration.ofMinutes(10);

    /**
     * How long a state from {@link IntegrationService#startOAuth} is accepted; default
     * {@link #DEFAULT_OAUTH_STATE_LIFETIME}.
     *
     * @throws IllegalArgumentException naming the value when it is under one second or over one hour
     */
    public Builder oauthStateLifetime(Duration v) {
      Objects.requireNonNull(v, "oauthStateLifetime");
      if (v.compareTo(Duration.ofSeconds(1)) < 0 || v.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("oauthStateLifetime must be 1 second to 1 hour, was " + v);
      }
      oauthStateLifetime = v;
      return this;
    }

    /**
     * The host's own OAuth app for a provider (a SaaS host registers one app with HubSpot or Salesforce
     * for all its tenants): used by {@link IntegrationService#startOAuth} and
     * {@link IntegrationService#completeOAuth} for an integration that has no {@code clientId} setting
     * or {@code clientSecret} credential of its own, and copied into it on connect (its refreshes need
     * it). An integration's own app wins. Default none: each integration names its app.
     *
     * @param provider the provider name, such as {@code "hubspot"}
     * @param clientId the app's client id (consumer key)
     * @param clientSecret the app's client secret; never shown
     * @throws NullPointerException naming the argument that is null
     * @throws IllegalArgumentException naming the argument that is blank (never echoing the secret)
     */
    public Builder oauthApp(String provider, String clientId, String clientSecret) {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      if (provider.isBlank() || clientId.isBlank() || clientSecret.isBlank()) {
        throw new IllegalArgumentException((provider.isBlank() ? "provider" : clientId.isBlank() ? "clientId"
            : "clientSecret") + " must not be blank");
      }
      oauthApps.put(provider.strip().toLowerCase(java.util.Locale.ROOT),
          new OAuthConnections.App(clientId.strip(), clientSecret));
      return this;
    }

    /**
     * The listener to register on the {@link IntegrationFactory} given to {@link #factory}, with
     * {@code resource(CredentialListener.class, builder.credentialListener())}, so OAuth tokens the
     * HubSpot and Salesforce providers refresh (and rotate) are sealed back into the integration's
     * credentials. It forwards to the service this builder builds; called before {@link #build()}, it
     * throws {@link IllegalStateException}. A change computed from stale credentials (the integration
     * was reconnected since) is dropped.
     *
     * @return the listener; the same one on every call
     */
    public CredentialListener credentialListener() {
      return relay;
    }

    private final CredentialListener relay = (config, changed) -> {
      OAuthConnections connections = credentialRelay.get();
      if (connections == null) {
        throw new IllegalStateException("the IntegrationService of this credentialListener() is not built yet");
      }
      connections.credentialsChanged(config, changed);
    };

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
