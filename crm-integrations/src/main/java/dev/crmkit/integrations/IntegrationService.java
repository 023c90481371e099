package dev.crmkit.integrations;

import dev.crmkit.IntegrationFactory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.integrations.internal.Health;
import dev.crmkit.integrations.internal.Metrics;
import dev.crmkit.integrations.internal.Integrations;
import dev.crmkit.integrations.internal.Operations;
import dev.crmkit.integrations.internal.KeyRotation;
import dev.crmkit.integrations.internal.Runtime;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.SyncSide;
import java.util.Comparator;
import java.util.Locale;
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
 * The integrations layer a host puts behind "Settings, Integrations": the catalogue of installed
 * providers, each tenant's integrations in the host database ({@code crmkit_integration}, installed by
 * {@link IntegrationSchema#migrate}), their sealed credentials, connection tests, syncs, run history,
 * field mappings and conflicts, OAuth connect, webhook routing, credential rotation and health.
 *
 * <p>Tenants: every method taking a {@code tenantId} acts only on that tenant's integrations, compared
 * exactly: another tenant's id is a {@link dev.crmkit.error.NotFoundException}, never a hint that it
 * exists. Secrets: credentials are sealed with AES-256-GCM under the {@link KeyRing}'s current key
 * before they are stored, and no read returns them ({@link TenantIntegration#credentialKeys()} names
 * the keys only).
 *
 * <p>Errors: domain input ({@link IntegrationDraft}, {@link IntegrationUpdate}, {@link MappingRule},
 * limits) is a {@link dev.crmkit.error.ValidationException} naming each field; a stale
 * {@code expectedVersion} a {@link dev.crmkit.error.ConflictException}; a database failure a
 * {@link dev.crmkit.error.ServerException} or {@link dev.crmkit.error.ApiConnectionException} without the
 * driver's message.
 *
 * <p>Each integration syncs through a {@link dev.crmkit.sync.SyncEngine} between the tenant's native
 * store and its remote system, with its state in the native store's sync tables on the same data
 * source, keyed by (tenant, integration id). Thread-safe; build one per host and share it.
 */
public final class IntegrationService implements AutoCloseable {

  /** A builder; {@code dataSource}, {@code factory} and {@code keyRing} are required. */
  public static Builder builder() {
    return new Builder();
  }

  private final Runtime runtime;
  private final Metrics metrics;
  private final Integrations integrations;
  private final Operations operations;
  private final dev.crmkit.integrations.internal.WebhookRouting webhooks;

  private IntegrationService(Builder b) {
    this.runtime = new Runtime(b.dataSource, b.factory, b.keyRing, b.clock,
        b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry(), b.conflictStrategy);
    this.metrics = new Metrics(runtime.meters());
    this.integrations = new Integrations(runtime);
    this.operations = new Operations(runtime);
    this.webhooks = dev.crmkit.integrations.internal.WebhookRouting.of(runtime, b.webhookDrainExecutor, metrics);
    this.oauth = new OAuthConnections(runtime, b.oauthStateLifetime, b.oauthApps);
    b.credentialRelay.set(oauth);
  }

  private final OAuthConnections oauth;

  // ---- catalogue (A) ----
  /**
   * Every installed provider's descriptor (what a catalogue shows: display name, category, features,
   * auth kinds, settings), by category ({@link dev.crmkit.provider.ProviderCategory} order) then display
   * name. Providers that failed to load are left out ({@link IntegrationFactory#loadFailures()}).
   *
   * @return an unmodifiable list; empty when no provider is installed
   */
  public List<ProviderDescriptor> catalogue() {
    return runtime.factory().descriptors().stream()
        .sorted(Comparator.comparing(ProviderDescriptor::category)
            .thenComparing(d -> d.displayName().toLowerCase(Locale.ROOT))
            .thenComparing(ProviderDescriptor::name))
        .toList();
  }

  // ---- CRUD (A) ----
  /**
   * The tenant's integrations, oldest first.
   *
   * @param tenantId the tenant
   * @return an unmodifiable list; empty when it has none
   * @throws ValidationException naming {@code tenantId} when it is not a valid tenant id
   */
  public List<TenantIntegration> list(String tenantId) {
    return integrations.list(tenantId);
  }

  /**
   * One of the tenant's integrations.
   *
   * @throws NotFoundException ({@code "integration"}) when the tenant has none with this id
   */
  public TenantIntegration get(String tenantId, String integrationId) {
    return runtime.require(tenantId, integrationId);
  }

  /**
   * Creates an integration. The provider must be installed; settings and credentials are checked
   * against its descriptor: every key must be one it reads (an unknown key is named, with the nearest
   * known one), a secret setting must come in {@code credentials} (given in {@code settings} it is
   * refused, named), each value must have its type, required settings must be given. A blank value
   * counts as not given. Credentials are sealed (AES-256-GCM) before they are stored.
   *
   * <p>The status starts {@link IntegrationStatus#ACTIVE} when the provider can authenticate with what
   * was given (it needs no authentication, or one of its API-token credentials is given, and every
   * required credential is); else {@link IntegrationStatus#DISCONNECTED}, until credentials are given
   * by {@link #update}, an OAuth connect, or a successful {@link #testConnection}.
   *
   * <p>When the settings name the vendor account (Salesforce's {@code organizationId}), it becomes the
   * {@link TenantIntegration#accountId()} webhook deliveries are routed by, in the form the provider
   * routes by (an 18-character org id). Create makes no vendor call: an integration whose account only
   * the vendor can tell (HubSpot by API key) gets it at its first successful {@link #testConnection}.
   *
   * @param tenantId the tenant
   * @param draft what the tenant submitted
   * @return the integration, version 0
   * @throws ValidationException naming {@code tenantId}, {@code provider}, {@code settings.<key>} or
   *     {@code credentials.<key>} (every problem at once; a secret's value is never shown)
   * @throws ConflictException naming {@code settings.<key>} (such as {@code settings.organizationId}) when
   *     the account the settings name is connected to another integration of the provider already
   * @throws NullPointerException when {@code draft} is null
   */
  public TenantIntegration create(String tenantId, IntegrationDraft draft) {
    return integrations.create(tenantId, draft);
  }

  /**
   * Changes an integration: the non-null parts of {@code update}; settings and credentials merged key
   * by key (a null or blank value removes a key), the result checked as {@link #create} checks a draft.
   * Changing credentials re-seals them and re-derives the status: a disconnected integration that can
   * now authenticate becomes {@link IntegrationStatus#ACTIVE}; an enabled one that no longer can becomes
   * {@link IntegrationStatus#DISCONNECTED}; a paused one stays paused. An account the settings name
   * replaces the stored account id (as in {@link #create}); one they stop naming stays.
   *
   * @return the changed integration, its version raised by one
   * @throws NotFoundException when the tenant has no integration with this id
   * @throws ConflictException ({@code version}) when {@code update.expectedVersion()} is given and is not
   *     the stored version; naming {@code settings.<key>} when the account the settings name is connected
   *     to another integration (nothing is changed)
   * @throws ValidationException as {@link #create}
   */
  public TenantIntegration update(String tenantId, String integrationId, IntegrationUpdate update) {
    return integrations.update(tenantId, integrationId, update);
  }

  /**
   * Deletes an integration. Its scheduled jobs stop at their next run (they find no row); its cached
   * remote system is closed. With {@code eraseSyncState} its sync state is erased too (id mappings and
   * snapshots, cursors, lease, runs and their record errors, conflicts, inbox events); without, it is
   * kept and {@link #history} is no longer reachable through this service (the rows stay for the host).
   *
   * @throws NotFoundException when the tenant has no integration with this id
   */
  public void delete(String tenantId, String integrationId, boolean eraseSyncState) {
    integrations.delete(tenantId, integrationId, eraseSyncState);
  }

  /**
   * Enables a paused integration: {@link IntegrationStatus#ACTIVE} when it can authenticate with its
   * credentials, else {@link IntegrationStatus#DISCONNECTED}. Any other status is left as it is.
   *
   * @throws NotFoundException when the tenant has no integration with this id
   */
  public TenantIntegration enable(String tenantId, String integrationId) {
    return integrations.enable(tenantId, integrationId);
  }

  /**
   * Pauses an integration ({@link IntegrationStatus#PAUSED}): no scheduled sync, {@link #syncNow}
   * refused. Pausing a paused one changes nothing.
   *
   * @throws NotFoundException when the tenant has no integration with this id
   */
  public TenantIntegration disable(String tenantId, String integrationId) {
    return integrations.disable(tenantId, integrationId);
  }

  /**
   * The field-mapping rules in effect: the stored ones, or the provider's defaults when none are
   * stored ({@link TenantIntegration#mapping()} is then empty).
   *
   * @throws NotFoundException when the tenant has no integration with this id
   */
  public List<MappingRule> mapping(String tenantId, String integrationId) {
    return integrations.mapping(tenantId, integrationId);
  }

  /**
   * Stores the field mapping; an empty list goes back to the provider's defaults. Each rule is valid by
   * construction ({@link MappingRule}); together, a field or a remote field may be mapped once, and at
   * most 200 rules.
   *
   * @return the rules in effect afterwards
   * @throws ValidationException naming {@code rules}, or {@code rules[i].field} / {@code rules[i].remoteField}
   *     mapped twice
   * @throws NotFoundException when the tenant has no integration with this id
   */
  public List<MappingRule> updateMapping(String tenantId, String integrationId, List<MappingRule> rules) {
    return integrations.updateMapping(tenantId, integrationId, rules);
  }

  // ---- operations (A) ----
  /**
   * Makes one cheap authenticated call to the integration's back end (a one-record search where it
   * can search) and says what failed: {@link ConnectionTest.Failure#CREDENTIALS} (401, wrong or missing
   * token), {@link ConnectionTest.Failure#SCOPES} (403, missing scopes),
   * {@link ConnectionTest.Failure#NETWORK}, {@link ConnectionTest.Failure#RATE_LIMITED},
   * {@link ConnectionTest.Failure#CONFIGURATION} (settings), {@link ConnectionTest.Failure#SERVER}.
   * Success turns an {@link IntegrationStatus#ERROR} or {@link IntegrationStatus#DISCONNECTED}
   * integration {@link IntegrationStatus#ACTIVE} (its last error cleared); failure is recorded as its
   * last error, its status unchanged. A paused integration is tested too.
   *
   * <p>After a success, an integration without an account id has it looked up once through its provider
   * (HubSpot: {@code GET /account-info/v3/details}), so its webhook deliveries are routed to it; a failed
   * lookup (or an account another integration holds) leaves the answer as it is and is kept as the last
   * error until a later success looks it up.
   *
   * @return the answer; a failed call is an answer, not an exception
   * @throws NotFoundException when the tenant has no integration with this id
   */
  public ConnectionTest testConnection(String tenantId, String integrationId) {
    return metrics.test(runtime.require(tenantId, integrationId), () -> operations.testConnection(tenantId, integrationId));
  }

  /**
   * Syncs the integration now, in the calling thread, through a {@link dev.crmkit.sync.SyncEngine}
   * between the tenant's native store and the remote system ({@link dev.crmkit.sync.SyncEngine#run}).
   * Records the last sync time; a failed run makes an active integration {@link IntegrationStatus#ERROR}
   * with the failure as last error, a successful one makes an errored one active again.
   *
   * @param mode {@link SyncMode#FULL} every record, {@link SyncMode#DELTA} the changes since the last run
   * @return what the run did (its id is in {@link #history})
   * @throws NotFoundException when the tenant has no integration with this id
   * @throws ValidationException naming {@code mode} when null
   * @throws ConflictException ({@code status}) when paused, or ({@code lease}) when another run of it is going
   * @throws dev.crmkit.error.ConfigurationException when it is disconnected or its provider refuses its settings
   */
  public SyncResult syncNow(String tenantId, String integrationId, SyncMode mode) {
    return metrics.run(runtime.require(tenantId, integrationId), () -> operations.syncNow(tenantId, integrationId, mode));
  }

  /**
   * Syncs one customer now ({@link dev.crmkit.sync.SyncEngine#syncCustomer}): its linked remote record
   * when the flow pulls, then the local record when it pushes (created remotely when not linked yet).
   * Statuses and errors as {@link #syncNow}.
   *
   * @param customerId the customer's id in the tenant's native store
   * @throws NotFoundException ({@code "customer"}) when the tenant's native store has no such customer
   * @throws ValidationException naming {@code customerId} when null or blank
   */
  public SyncResult syncCustomer(String tenantId, String integrationId, String customerId) {
    return metrics.run(runtime.require(tenantId, integrationId),
        () -> operations.syncCustomer(tenantId, integrationId, customerId));
  }

  /**
   * The integration's latest sync runs (scheduled, manual, webhook drains), newest first.
   *
   * @param limit 1 to 1000
   * @throws ValidationException naming {@code limit}
   * @throws NotFoundException when the tenant has no integration with this id
   */
  public List<SyncRun> history(String tenantId, String integrationId, int limit) {
    return operations.history(tenantId, integrationId, limit);
  }

  /**
   * The integration's open conflicts (records changed on both sides that wait for a person), oldest first.
   *
   * @param limit 1 to 1000
   * @throws ValidationException naming {@code limit}
   * @throws NotFoundException when the tenant has no integration with this id
   */
  public List<SyncConflict> conflicts(String tenantId, String integrationId, int limit) {
    return operations.conflicts(tenantId, integrationId, limit);
  }

  /**
   * Resolves an open conflict by taking one side's values for every synced field, and writes them to
   * both records ({@link dev.crmkit.sync.ConflictQueue#resolve}).
   *
   * @param resolution {@link SyncSide#LOCAL} or {@link SyncSide#REMOTE}
   * @param resolvedBy who decided, such as a user id, 1 to 255 characters; null for {@code "integrations"}
   * @return the resolved conflict
   * @throws NotFoundException for an unknown integration (of this tenant) or conflict
   * @throws ValidationException naming {@code conflictId}, {@code resolution} or {@code resolvedBy}
   * @throws ConflictException when it is resolved already, or a run of the integration is going
   */
  public SyncConflict resolveConflict(String tenantId, String integrationId, String conflictId, SyncSide resolution,
      String resolvedBy) {
    return operations.resolveConflict(tenantId, integrationId, conflictId, resolution, resolvedBy);
  }

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
   *     {@code BAD_AUTH_CODE}, ...); the state is used up, so the tenant starts again; the refusal is
   *     also the integration's {@code lastError} ({@code "OAuth connect failed: ..."}), its status unchanged
   * @throws dev.crmkit.error.ConflictException naming {@code accountId} when another integration of the
   *     provider is connected to the same account
   * @throws dev.crmkit.error.NotFoundException when the integration was deleted meanwhile
   */
  public TenantIntegration completeOAuth(String platform, String code, String state) {
    return oauth.complete(platform, code, state);
  }

  // ---- webhooks (D) ----
  /** The most deliveries {@link #webhookDeliveries} returns at once. */
  public static final int MAX_WEBHOOK_DELIVERIES = 1000;

  /**
   * Handles one webhook delivery that arrived on a platform's route (such as {@code POST
   * /webhooks/integrations/{platform}}), for whichever tenant it belongs to, and says what to answer.
   * Never throws for anything the vendor (or anyone else) sent: every outcome is an answer, and every
   * delivery on a platform with routing is logged ({@link #webhookDeliveries}). The steps:
   * <ol>
   *   <li>The platform's provider and its {@link dev.crmkit.CustomerSystemProvider#webhooks() router}: none
   *       (unknown platform, or one without routing) is answered 404 in plain text and not logged.
   *   <li>A body over the provider's limit ({@link dev.crmkit.webhook.WebhookRouter#maxBodyBytes()}: 1 MiB
   *       for HubSpot, whose deliveries hold at most 100 events; 8 MiB for Salesforce, whose messages hold at
   *       most 100 notifications) is answered 413: {@code TOO_LARGE}.
   *   <li>The account the delivery names, not yet trusted (HubSpot: the {@code portalId} every event must
   *       share; Salesforce: the {@code OrganizationId}, read with a parser that refuses any DOCTYPE). None,
   *       or several, is 400: {@code BAD_PAYLOAD}.
   *   <li>The integration of that provider whose {@link TenantIntegration#accountId()} is that account
   *       (HubSpot: the portal id in decimal; Salesforce: the 18-character org id). None is answered as the
   *       vendor treats an endpoint that does not want the delivery, logged {@code UNROUTED}: HubSpot 404,
   *       which it does not retry; Salesforce a SOAP fault with 404, which it retries for up to 24 hours
   *       (long enough for an integration being connected to get its account id).
   *   <li>Verification with that integration's own settings: HubSpot's v3 signature (HMAC-SHA256 with
   *       the integration's {@code clientSecret} credential, timestamp within 5 minutes of the service's
   *       clock), Salesforce's org id and, when set, sender IP ranges. A refusal, or settings that cannot
   *       verify anything, is {@code BAD_SIGNATURE}: HubSpot 401, Salesforce a SOAP fault with 403.
   *   <li>A {@link IntegrationStatus#PAUSED} integration's verified delivery is acknowledged (HubSpot 200,
   *       Salesforce's SOAP ack) so the vendor stops retrying, and its events are dropped, logged {@code
   *       PAUSED}: the tenant turned the integration off; once enabled, its next delta sync reads the same
   *       changes from the vendor's change feed.
   *   <li>Otherwise each event goes into the integration's sync inbox (keyed by its tenant and id, so it
   *       can never reach another tenant's inbox), which drops an event id it already holds: a vendor's
   *       retry of a delivery is acknowledged again and logged with those events as duplicates. A failure
   *       to store is answered so that the vendor delivers again (HubSpot 500, Salesforce's SOAP fault with
   *       500), logged {@code NOT_STORED}. Stored events are logged {@code ACCEPTED} and answered with the
   *       handler's response (HubSpot 200, Salesforce's SOAP ack).
   * </ol>
   * The answer does not wait for the events to be applied: vendors give up on a slow endpoint (HubSpot
   * after 5 seconds, Salesforce after 60). New events are applied right after the answer by a drain of the
   * integration's inbox on the {@link Builder#webhookDrainExecutor drain executor}, at most one per
   * integration at a time (deliveries during a drain coalesce into one more). A drain that cannot run (the
   * queue is full, or a sync run holds the integration's lease) leaves the events in the inbox for the
   * next one; the integration's scheduled delta sync covers the same changes either way. A {@link
   * IntegrationStatus#DISCONNECTED} integration's events are stored but not drained until a later
   * delivery finds it connected.
   *
   * <p>Hand the request over exactly as received: the raw body bytes, and the full URL the vendor called
   * (behind a proxy, the public URL configured at the vendor), since HubSpot signs it; for Salesforce IP
   * ranges, the sender's address. The log keeps no header, secret or payload value.
   *
   * @param platform the route's platform, a provider name or alias such as {@code "hubspot"}; {@code null}
   *     is an unknown platform
   * @param request the delivery as received; not {@code null}
   * @return the status, content type and body to answer with; never {@code null}
   * @throws NullPointerException naming {@code request} when it is {@code null}
   * @see <a href="https://developers.hubspot.com/docs/api/webhooks">HubSpot: webhooks (retries, timeouts)</a>
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm">Salesforce: outbound messaging</a>
   */
  public WebhookResponse receiveWebhook(String platform, WebhookRequest request) {
    return webhooks.receive(platform, request);
  }

  /**
   * The tenant integration's logged webhook deliveries, newest first: accepted, duplicate, paused and
   * refused ones routed to it (deliveries that matched no integration belong to no tenant and are not
   * listed).
   *
   * @param tenantId the tenant; not {@code null}
   * @param integrationId one of the tenant's integrations
   * @param limit the most deliveries returned, 1 to {@value #MAX_WEBHOOK_DELIVERIES}
   * @return the deliveries, newest first; empty when none were logged
   * @throws dev.crmkit.error.NotFoundException ({@code integration}) when the tenant has no integration of
   *     that id, also when another tenant owns it
   * @throws dev.crmkit.error.ValidationException naming {@code limit} when it is out of range
   */
  public List<WebhookDelivery> webhookDeliveries(String tenantId, String integrationId, int limit) {
    if (limit < 1 || limit > MAX_WEBHOOK_DELIVERIES) {
      throw dev.crmkit.error.ValidationException.of("limit", Integer.toString(limit),
          "must be 1 to " + MAX_WEBHOOK_DELIVERIES);
    }
    TenantIntegration integration = runtime.require(tenantId, integrationId);
    return webhooks.deliveries(integration.tenantId(), integration.id(), limit);
  }

  // ---- keys (B) ----
  /**
   * Re-seals the stored credentials of every integration (all tenants) that are not sealed under the
   * key ring's current key, so that the old key can then be removed from the ring. Runs while the service
   * serves: batch by batch, each envelope is replaced with a compare-and-set on the one read, so a
   * credential update that lands meanwhile is kept; the integration's version and update time do not
   * change; every read meanwhile opens either envelope, as the ring still holds both keys. Call it from one
   * node after the new key is current on every node (procedure: {@link KeyRings}); calling it again
   * returns 0. Thread-safe; concurrent calls do no harm.
   *
   * @return how many envelopes this call re-sealed
   * @throws dev.crmkit.error.ConfigurationException after re-sealing every other envelope, when some
   *     cannot be opened (their key is no longer in the ring, or they were tampered with) or kept being
   *     rewritten under another key (a node still sealing under the old key); the message names those
   *     integrations, never content. Keep the old key in the ring until this returns normally.
   */
  public int rotateCredentials() {
    return new KeyRotation(runtime.store(), runtime.cipher(), KeyRotation.DEFAULT_BATCH_SIZE).rotate();
  }

  // ---- health (E) ----
  /**
   * The integration's health summary: its status, the runs and failed runs that started in the last 24
   * hours, their mean duration and error rate (failed / finished; 0 with none), its open conflicts (at
   * most 1,000 counted), and its last sync and last error. Reads the run log; thread-safe.
   *
   * @throws dev.crmkit.error.NotFoundException when the tenant has no integration with this id
   */
  public IntegrationHealth health(String tenantId, String integrationId) {
    return Health.of(runtime, tenantId, integrationId);
  }

  /** The shared context, for {@link IntegrationJobs}. */
  Runtime runtime() {
    return runtime;
  }

  /** The meters, for {@link IntegrationJobs}. */
  Metrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    webhooks.close();
  }

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
    /**
     * The keys credentials are sealed under; required. {@link KeyRings#fromEnvironment()} reads them from
     * {@code CRMKIT_KEYS} and {@code CRMKIT_CURRENT_KEY}, {@link KeyRings#of} takes bytes a KMS unwrapped,
     * or the host implements {@link KeyRing}; rotation: {@link #rotateCredentials()}.
     */
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

    java.util.concurrent.Executor webhookDrainExecutor;

    /**
     * Where the webhook inboxes are applied after a delivery was answered ({@link #receiveWebhook}).
     * Default: two daemon threads of the service's own, with a queue of 256 integrations, stopped by
     * {@link IntegrationService#close()}. A host may pass its own executor (it stops it itself), or
     * {@code Runnable::run} to apply the events before the answer, which only suits tests: vendors time
     * out a slow endpoint.
     *
     * @param v the executor; not {@code null}
     * @return this builder
     * @throws NullPointerException naming {@code webhookDrainExecutor} when {@code null}
     */
    public Builder webhookDrainExecutor(java.util.concurrent.Executor v) {
      webhookDrainExecutor = Objects.requireNonNull(v, "webhookDrainExecutor");
      return this;
    }

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
