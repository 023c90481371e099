package dev.crmkit.integrations.internal;

import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.OAuthStart;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.provider.OAuthAuthorization;
import dev.crmkit.provider.OAuthConnector;
import dev.crmkit.provider.OAuthGrant;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth connect of the integrations layer: {@link #start} makes an unguessable state, has the
 * provider's {@link OAuthConnector} build the authorization URL (with PKCE where the vendor has it) and
 * stores the attempt ({@link OAuthStates}: the state's hash, the tenant, integration, provider and
 * redirect URI it is bound to, the sealed verifier, the expiry); {@link #complete} refuses a state that
 * is unknown (forged), for another platform, used (replayed) or expired, consumes it atomically, has the
 * connector exchange the code, seals the tokens into the integration's credentials, sets its account id
 * and marks it active. {@link #credentialsChanged} keeps tokens the providers refresh later.
 *
 * <p>The OAuth app (client id and secret) is the integration's own {@code clientId} setting and
 * {@code clientSecret} credential, as the providers' descriptors define them; where the integration has
 * none, the host's app for the provider ({@code IntegrationService.Builder#oauthApp}) is used and copied
 * into the integration on connect, since every later token refresh needs it. Thread-safe.
 */
public final class OAuthConnections {
  /** Where the host's app settings go in a config: the descriptors' keys of HubSpot and Salesforce. */
  static final String CLIENT_ID = "clientId";
  static final String CLIENT_SECRET = "clientSecret";
  /** How long after expiry an attempt's row is deleted (a day), so a late replay still reads "expired". */
  static final Duration KEEP_EXPIRED = Duration.ofHours(24);
  private static final String VERIFIER = "codeVerifier";
  private static final Logger LOG = LoggerFactory.getLogger(OAuthConnections.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A host's OAuth app for one provider. {@link #toString()} hides the secret. */
  public record App(String clientId, String clientSecret) {
    public App {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
    }

    @Override
    public String toString() {
      return "App[clientId=" + clientId + ", clientSecret=***]";
    }
  }

  private final Runtime runtime;
  private final OAuthStates states;
  private final Duration stateLifetime;
  private final Map<String, App> apps;

  /**
   * @param runtime the shared context
   * @param stateLifetime how long a state is accepted
   * @param apps the host's OAuth apps by provider name
   */
  public OAuthConnections(Runtime runtime, Duration stateLifetime, Map<String, App> apps) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.states = new OAuthStates(runtime.dataSource());
    this.stateLifetime = Objects.requireNonNull(stateLifetime, "stateLifetime");
    this.apps = Map.copyOf(apps);
  }

  /** See {@code IntegrationService.startOAuth}. */
  public OAuthStart start(String tenantId, String integrationId, URI redirectUri) {
    StoredIntegration stored = runtime.requireStored(tenantId, integrationId);
    checkRedirect(redirectUri);
    TenantIntegration t = stored.integration();
    OAuthConnector connector = connector(t.provider());
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String state = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    OAuthAuthorization authorization = connector.authorize(config(stored), redirectUri, state);
    Instant now = runtime.clock().instant();
    Instant expiresAt = now.plus(stateLifetime);
    String verifier = authorization.codeVerifier() == null ? null
        : runtime.cipher().seal(t.tenantId(), t.id(), Map.of(VERIFIER, authorization.codeVerifier()));
    states.deleteExpiredBefore(now.minus(KEEP_EXPIRED));
    states.insert(new OAuthStates.Row(hash(state), t.tenantId(), t.id(), t.provider(), redirectUri.toString(), verifier,
        now, expiresAt, null));
    return new OAuthStart(authorization.url(), expiresAt);
  }

  /** See {@code IntegrationService.completeOAuth}. */
  public TenantIntegration complete(String platform, String code, String state) {
    Objects.requireNonNull(platform, "platform");
    if (state == null || state.isBlank()) {
      throw ValidationException.of("state", null, "the callback has no state: a connect must start at startOAuth");
    }
    if (code == null || code.isBlank()) {
      throw ValidationException.of("code", null, "the callback has no authorization code");
    }
    String provider = platform.strip().toLowerCase(Locale.ROOT);
    String hash = hash(state);
    OAuthStates.Row row = states.find(hash).orElseThrow(() -> refused("is not one this service issued"));
    if (!row.provider().equals(provider)) {
      throw refused("was issued for another platform");
    }
    Instant now = runtime.clock().instant();
    if (row.consumedAt() != null) {
      throw refused("was used already");
    }
    if (!now.isBefore(row.expiresAt())) {
      throw refused("expired at " + row.expiresAt());
    }
    if (!states.consume(hash, now)) {
      // Another callback consumed it between the read and here, or it expired in between.
      throw refused("was used already");
    }
    StoredIntegration stored = runtime.byId(row.integrationId())
        .filter(s -> s.tenantId().equals(row.tenantId()) && s.integration().provider().equals(row.provider()))
        .orElseThrow(() -> new NotFoundException(null, "integration", row.integrationId()));
    String verifier = row.verifierSealed() == null ? null
        : runtime.cipher().open(row.tenantId(), row.integrationId(), row.verifierSealed()).get(VERIFIER);
    TenantConfig config = config(stored);
    OAuthGrant grant;
    try {
      grant = connector(row.provider()).exchange(config, URI.create(row.redirectUri()), code, verifier);
    } catch (CrmException e) {
      // The tenant's page shows why the connect failed; crmkit's vendor messages hold no secret.
      runtime.update(row.integrationId(), null, edit -> edit.lastError = "OAuth connect failed: " + e.getMessage());
      throw e;
    }
    App app = apps.get(row.provider());
    return runtime.update(row.integrationId(), null, e -> {
      Map<String, String> credentials = new TreeMap<>(open(e.before()));
      Map<String, String> settings = new TreeMap<>(e.settings);
      if (app != null) {
        // The host's app signed this grant, and every refresh must repeat it.
        if (!given(new TenantConfig(row.integrationId(), row.provider(), 0, settings, credentials), CLIENT_ID)) {
          settings.put(CLIENT_ID, app.clientId());
        }
        credentials.putIfAbsent(CLIENT_SECRET, app.clientSecret());
      }
      credentials.putAll(grant.credentials());
      settings.putAll(grant.settings());
      e.settings = settings;
      e.sealedCredentials = runtime.cipher().seal(row.tenantId(), row.integrationId(), credentials);
      e.credentialKeys = new TreeSet<>(credentials.keySet());
      e.accountId = grant.accountId();
      e.status = IntegrationStatus.ACTIVE;
      e.lastError = null;
    }).integration();
  }

  /**
   * Keeps credentials a provider refreshed on its own for an integration's system (the
   * {@link dev.crmkit.provider.CredentialListener} the host registers on its factory). The config's
   * tenant id is the integration id ({@link Runtime#config}). A change made from stale credentials (the
   * integration was reconnected or edited since its system was built) is dropped, so it cannot undo a
   * newer connect.
   */
  public void credentialsChanged(TenantConfig config, Map<String, String> changed) {
    String id = config.tenantId();
    if (runtime.byId(id).filter(s -> s.integration().provider().equals(config.provider())).isEmpty()) {
      LOG.warn("refreshed credentials of integration '{}' dropped: no {} integration has this id", id, config.provider());
      return;
    }
    runtime.update(id, null, e -> {
      Map<String, String> credentials = new TreeMap<>(open(e.before()));
      if (!credentials.equals(config.credentials())) {
        LOG.info("refreshed credentials of integration '{}' dropped: its credentials changed since its system was built", id);
        return;
      }
      credentials.putAll(changed);
      e.sealedCredentials = runtime.cipher().seal(e.before().tenantId(), id, credentials);
      e.credentialKeys = new TreeSet<>(credentials.keySet());
    });
  }

  private Map<String, String> open(StoredIntegration s) {
    return runtime.credentials(s);
  }

  /** The integration's config, with the host's app where the integration names none. */
  private TenantConfig config(StoredIntegration s) {
    TenantConfig config = runtime.config(s);
    App app = apps.get(s.integration().provider());
    if (app == null) {
      return config;
    }
    Map<String, String> settings = new TreeMap<>(config.settings());
    Map<String, String> credentials = new TreeMap<>(config.credentials());
    if (!given(config, CLIENT_ID)) {
      settings.put(CLIENT_ID, app.clientId());
    }
    credentials.putIfAbsent(CLIENT_SECRET, app.clientSecret());
    return new TenantConfig(config.tenantId(), config.provider(), config.version(), settings, credentials);
  }

  private static boolean given(TenantConfig config, String key) {
    String v = config.credentials().getOrDefault(key, config.settings().get(key));
    return v != null && !v.isBlank();
  }

  private OAuthConnector connector(String provider) {
    return runtime.factory().oauth(provider).orElseThrow(() -> new ConfigurationException("provider '" + provider
        + "' has no OAuth connect: its integrations are configured with their credentials"));
  }

  private static void checkRedirect(URI redirectUri) {
    if (redirectUri == null) {
      throw ValidationException.of("redirectUri", null, "is required: the host's OAuth callback URL");
    }
    String scheme = redirectUri.getScheme();
    if (!redirectUri.isAbsolute() || redirectUri.getHost() == null || redirectUri.getFragment() != null
        || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
      throw ValidationException.of("redirectUri", redirectUri.toString(),
          "must be an absolute http or https URL without a fragment");
    }
  }

  private static ValidationException refused(String why) {
    return ValidationException.of("state", null, "the OAuth state " + why + "; start the connect again");
  }

  /** Lower-case hex SHA-256 of the state, the only form in which it is stored. */
  static String hash(String state) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
