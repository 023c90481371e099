package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.integrations.internal.CredentialCipher;
import dev.crmkit.integrations.internal.IntegrationStore;
import dev.crmkit.integrations.internal.StoredIntegration;
import dev.crmkit.provider.CredentialListener;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.OAuthConsent;
import dev.crmkit.testkit.hubspot.HubSpotCounters;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OAuth connect end to end against the HubSpot and Salesforce emulators: startOAuth, the consent page
 * clicked through as a browser does, completeOAuth, and a working system from the sealed tokens; and
 * every way a state or a code can be abused. Runs on H2 and SQLite ({@link H2OAuthConnectTest},
 * {@link SqliteOAuthConnectTest}); the state table's SQL is checked on all four dialects by
 * {@code OAuthStatesTest}.
 */
abstract class OAuthConnectTest {
  private static final String HUBSPOT_CLIENT = "hs-client-id";
  private static final String HUBSPOT_SECRET = "hs-client-secret-1";
  private static final String SALESFORCE_CLIENT = "3MVG9-consumer-key";
  private static final String SALESFORCE_SECRET = "sf-consumer-secret-1";
  private static final long PORTAL = 24681357;
  private static final URI HUBSPOT_CALLBACK = URI.create("http://127.0.0.1:8080/api/v1/oauth/hubspot/callback");
  private static final URI SALESFORCE_CALLBACK = URI.create("http://127.0.0.1:8080/api/v1/oauth/salesforce/callback");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final HubSpotEmulator hubspot = HubSpotEmulator.builder().clock(clock).portalId(PORTAL).rateLimits(false)
      .oauthClient(HUBSPOT_CLIENT, HUBSPOT_SECRET).build();
  private final SalesforceEmulator salesforce = SalesforceEmulator.builder().clock(clock)
      .oauthClient(SALESFORCE_CLIENT, SALESFORCE_SECRET).build();
  private final DataSource db = database();
  private final KeyRing keys = keyRing();
  private final OAuthConsent browser = OAuthConsent.using(new OkHttpClient());
  private IntegrationFactory factory;
  private IntegrationService service;

  /** A fresh database of the dialect under test. */
  abstract DataSource database();

  OAuthConnectTest() {
    IntegrationSchema.migrate(db);
    service = build(IntegrationService.builder());
  }

  private IntegrationService build(IntegrationService.Builder builder) {
    builder.dataSource(db).keyRing(keys).clock(clock);
    factory = IntegrationFactory.builder().clock(clock)
        .resource(CredentialListener.class, builder.credentialListener()).build();
    return builder.factory(factory).build();
  }

  @AfterEach
  void stop() {
    service.close();
    factory.close();
    hubspot.close();
    salesforce.close();
  }

  private static KeyRing keyRing() {
    SecretKey key = new SecretKeySpec(new byte[32], "AES");
    return new KeyRing() {
      @Override
      public String currentKeyId() {
        return "k1";
      }

      @Override
      public Optional<SecretKey> key(String keyId) {
        return "k1".equals(keyId) ? Optional.of(key) : Optional.empty();
      }
    };
  }

  /** An integration created by the tenant: disconnected until the OAuth connect brings its tokens. */
  private String integration(String tenant, String provider, Map<String, String> settings, Map<String, String> secrets) {
    TenantIntegration created = service.create(tenant, new IntegrationDraft(provider, provider + " of " + tenant,
        SyncFlow.BIDIRECTIONAL, SyncSchedule.MANUAL, settings, secrets));
    return created.id();
  }

  private String hubspotIntegration(String tenant) {
    return integration(tenant, "hubspot", Map.of("baseUrl", hubspot.baseUrl(), "clientId", HUBSPOT_CLIENT,
        "proactiveRateLimiting", "false"), Map.of("clientSecret", HUBSPOT_SECRET));
  }

  private String salesforceIntegration(String tenant) {
    // No instanceUrl: a tenant about to connect does not know it; the connect stores the token response's.
    return integration(tenant, "salesforce", Map.of("loginUrl", salesforce.baseUrl(), "clientId", SALESFORCE_CLIENT),
        Map.of("clientSecret", SALESFORCE_SECRET));
  }

  private StoredIntegration stored(String id) {
    return new IntegrationStore(db).byId(id).orElseThrow();
  }

  private Map<String, String> credentials(String id) {
    StoredIntegration s = stored(id);
    return new CredentialCipher(keys).open(s.tenantId(), id, s.sealedCredentials());
  }

  /** The integration's system as the integrations layer builds it: the integration id as tenant id. */
  private CustomerSystem system(String id) {
    StoredIntegration s = stored(id);
    return factory.system(new TenantConfig(id, s.integration().provider(), 0, s.integration().settings(), credentials(id)));
  }

  /** The consent page clicked through: the redirect's code and state. */
  private HttpUrl consent(OAuthStart start) {
    return browser.allow(start.authorizationUrl());
  }

  @Test
  void hubSpotConnectsThroughTheConsentPageAndTheSystemWorks() {
    String id = hubspotIntegration("acme");

    OAuthStart start = service.startOAuth("acme", id, HUBSPOT_CALLBACK);
    assertThat(start.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    assertThat(start.authorizationUrl().toString()).startsWith(hubspot.baseUrl() + "/oauth/authorize?")
        .doesNotContain("code_challenge");
    HttpUrl back = consent(start);
    assertThat(back.newBuilder().query(null).build().toString()).isEqualTo(HUBSPOT_CALLBACK.toString());
    TenantIntegration connected = service.completeOAuth("hubspot", back.queryParameter("code"), back.queryParameter("state"));

    assertThat(connected.status()).isEqualTo(IntegrationStatus.ACTIVE);
    assertThat(connected.accountId()).isEqualTo(Long.toString(PORTAL));
    assertThat(connected.lastError()).isNull();
    assertThat(connected.credentialKeys()).containsExactlyInAnyOrder("accessToken", "refreshToken", "clientSecret");
    assertThat(connected.toString()).doesNotContain(credentials(id).get("accessToken"));
    assertThat(service.testConnection("acme", id).ok()).isTrue();
    CustomerSystem system = system(id);
    system.create(CustomerDraft.builder().email("ada@example.com").firstName("Ada").build());
    assertThat(system.search(CustomerQuery.builder().build()).items()).extracting(c -> c.email())
        .containsExactly("ada@example.com");
  }

  @Test
  void salesforceConnectsWithPkceStoresTheInstanceUrlAndTheSystemWorks() {
    String id = salesforceIntegration("acme");

    OAuthStart start = service.startOAuth("acme", id, SALESFORCE_CALLBACK);
    HttpUrl url = HttpUrl.get(start.authorizationUrl());
    assertThat(url.queryParameter("code_challenge_method")).isEqualTo("S256");
    assertThat(url.queryParameter("code_challenge")).isNotBlank();
    HttpUrl back = consent(start);
    TenantIntegration connected = service.completeOAuth("salesforce", back.queryParameter("code"),
        back.queryParameter("state"));

    assertThat(connected.status()).isEqualTo(IntegrationStatus.ACTIVE);
    assertThat(connected.accountId()).isEqualTo(salesforce.orgId());
    assertThat(connected.settings()).containsEntry("instanceUrl", salesforce.baseUrl());
    assertThat(connected.credentialKeys()).contains("accessToken", "refreshToken");
    assertThat(service.testConnection("acme", id).ok()).isTrue();
    CustomerSystem system = system(id);
    system.create(CustomerDraft.builder().email("grace@example.com").lastName("Hopper").build());
    assertThat(system.search(CustomerQuery.builder().build()).items()).extracting(c -> c.email())
        .containsExactly("grace@example.com");
  }

  @Test
  void tokensTheProviderRefreshesAreSealedBackIntoTheIntegration() {
    String id = salesforceIntegration("acme");
    HttpUrl back = consent(service.startOAuth("acme", id, SALESFORCE_CALLBACK));
    service.completeOAuth("salesforce", back.queryParameter("code"), back.queryParameter("state"));
    Map<String, String> before = credentials(id);
    CustomerSystem system = system(id);

    salesforce.expireSessions();
    system.findByEmail("nobody@example.com");

    Map<String, String> after = credentials(id);
    assertThat(after.get("accessToken")).isNotEqualTo(before.get("accessToken"));
    assertThat(after.get("refreshToken")).isEqualTo(before.get("refreshToken"));
    assertThat(after.get("clientSecret")).isEqualTo(SALESFORCE_SECRET);
    assertThat(system(id).findByEmail("nobody@example.com")).isEmpty();
  }

  @Test
  void aForgedStateIsRefusedBeforeAnyCallToTheVendor() {
    hubspotIntegration("acme");

    assertThatThrownBy(() -> service.completeOAuth("hubspot", "some-code", "forged-state-value"))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.fieldErrors()).extracting(f -> f.field()).containsExactly("state");
          assertThat(e.getMessage()).contains("not one this service issued").doesNotContain("forged-state-value");
        });
    assertThatThrownBy(() -> service.completeOAuth("hubspot", "some-code", " "))
        .isInstanceOf(ValidationException.class).hasMessageContaining("state");
    assertThat(hubspot.counters().requests(HubSpotCounters.OAUTH_TOKEN)).isZero();
  }

  @Test
  void aReplayedStateIsRefused() {
    String id = hubspotIntegration("acme");
    HttpUrl back = consent(service.startOAuth("acme", id, HUBSPOT_CALLBACK));
    String state = back.queryParameter("state");
    service.completeOAuth("hubspot", back.queryParameter("code"), state);

    assertThatThrownBy(() -> service.completeOAuth("hubspot", back.queryParameter("code"), state))
        .isInstanceOf(ValidationException.class).hasMessageContaining("used already");
    assertThat(hubspot.counters().requests(HubSpotCounters.OAUTH_TOKEN)).isEqualTo(1);
  }

  @Test
  void ofConcurrentCallbacksWithOneStateOnlyOneExchangesTheCode() throws Exception {
    String id = hubspotIntegration("acme");
    HttpUrl back = consent(service.startOAuth("acme", id, HUBSPOT_CALLBACK));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<String>> callbacks = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        callbacks.add(() -> {
          try {
            service.completeOAuth("hubspot", back.queryParameter("code"), back.queryParameter("state"));
            return "connected";
          } catch (ValidationException e) {
            return "refused";
          }
        });
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : pool.invokeAll(callbacks)) {
        outcomes.add(f.get());
      }
      assertThat(outcomes).containsOnlyOnce("connected").containsOnly("connected", "refused");
    } finally {
      pool.shutdownNow();
    }
    assertThat(hubspot.counters().requests(HubSpotCounters.OAUTH_TOKEN)).isEqualTo(1);
  }

  @Test
  void anExpiredStateIsRefused() {
    String id = hubspotIntegration("acme");
    HttpUrl back = consent(service.startOAuth("acme", id, HUBSPOT_CALLBACK));
    clock.advance(Duration.ofMinutes(10));

    assertThatThrownBy(() -> service.completeOAuth("hubspot", back.queryParameter("code"), back.queryParameter("state")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("expired");
    assertThat(stored(id).integration().status()).isEqualTo(IntegrationStatus.DISCONNECTED);
  }

  @Test
  void aStateIsAcceptedUntilItsConfiguredLifetimeEnds() {
    service.close();
    factory.close();
    service = build(IntegrationService.builder().oauthStateLifetime(Duration.ofMinutes(2)));
    String id = hubspotIntegration("acme");
    OAuthStart start = service.startOAuth("acme", id, HUBSPOT_CALLBACK);
    assertThat(start.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
    HttpUrl back = consent(start);
    clock.advance(Duration.ofSeconds(119));

    assertThat(service.completeOAuth("hubspot", back.queryParameter("code"), back.queryParameter("state")).status())
        .isEqualTo(IntegrationStatus.ACTIVE);
    assertThatThrownBy(() -> IntegrationService.builder().oauthStateLifetime(Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oauthStateLifetime");
  }

  @Test
  void aStateOfAnotherPlatformIsRefusedAndStaysUsableOnItsOwn() {
    String id = hubspotIntegration("acme");
    HttpUrl back = consent(service.startOAuth("acme", id, HUBSPOT_CALLBACK));

    assertThatThrownBy(() -> service.completeOAuth("salesforce", back.queryParameter("code"), back.queryParameter("state")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("another platform");
    assertThat(service.completeOAuth("hubspot", back.queryParameter("code"), back.queryParameter("state")).accountId())
        .isEqualTo(Long.toString(PORTAL));
  }

  @Test
  void aTenantCannotStartAConnectForAnotherTenantsIntegrationAndAStateConnectsOnlyItsOwn() {
    String acme = hubspotIntegration("acme");
    String globex = hubspotIntegration("globex");

    assertThatThrownBy(() -> service.startOAuth("globex", acme, HUBSPOT_CALLBACK))
        .isInstanceOf(NotFoundException.class);
    HttpUrl back = consent(service.startOAuth("acme", acme, HUBSPOT_CALLBACK));
    TenantIntegration connected = service.completeOAuth("hubspot", back.queryParameter("code"), back.queryParameter("state"));

    assertThat(connected.id()).isEqualTo(acme);
    assertThat(connected.tenantId()).isEqualTo("acme");
    assertThat(stored(globex).integration().status()).isEqualTo(IntegrationStatus.DISCONNECTED);
    assertThat(stored(globex).integration().credentialKeys()).containsExactly("clientSecret");
  }

  @Test
  void aCodeUsedOnceIsRefusedByTheVendorEvenWithAFreshState() {
    String id = salesforceIntegration("acme");
    HttpUrl first = consent(service.startOAuth("acme", id, SALESFORCE_CALLBACK));
    service.completeOAuth("salesforce", first.queryParameter("code"), first.queryParameter("state"));
    OAuthStart again = service.startOAuth("acme", id, SALESFORCE_CALLBACK);
    String freshState = HttpUrl.get(again.authorizationUrl()).queryParameter("state");

    assertThatThrownBy(() -> service.completeOAuth("salesforce", first.queryParameter("code"), freshState))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"));
  }

  @Test
  void aCodeFromAnotherAttemptFailsItsPkceCheckAtTheVendor() {
    String id = salesforceIntegration("acme");
    HttpUrl victim = consent(service.startOAuth("acme", id, SALESFORCE_CALLBACK));
    OAuthStart attacker = service.startOAuth("acme", id, SALESFORCE_CALLBACK);
    String attackerState = HttpUrl.get(attacker.authorizationUrl()).queryParameter("state");

    assertThatThrownBy(() -> service.completeOAuth("salesforce", victim.queryParameter("code"), attackerState))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.vendorCode()).isEqualTo("invalid_grant");
          assertThat(e.getMessage()).contains("invalid code verifier");
        });
    TenantIntegration after = stored(id).integration();
    assertThat(after.status()).isEqualTo(IntegrationStatus.DISCONNECTED);
    assertThat(after.lastError()).startsWith("OAuth connect failed: ").contains("invalid_grant")
        .doesNotContain(victim.queryParameter("code"));
  }

  @Test
  void aReusedHubSpotCodeIsHubSpotsBadAuthCode() {
    String id = hubspotIntegration("acme");
    HttpUrl first = consent(service.startOAuth("acme", id, HUBSPOT_CALLBACK));
    service.completeOAuth("hubspot", first.queryParameter("code"), first.queryParameter("state"));
    String freshState = HttpUrl.get(service.startOAuth("acme", id, HUBSPOT_CALLBACK).authorizationUrl())
        .queryParameter("state");

    assertThatThrownBy(() -> service.completeOAuth("hubspot", first.queryParameter("code"), freshState))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("BAD_AUTH_CODE"));
  }

  @Test
  void theHostsAppIsUsedWhereTheIntegrationHasNoneAndKeptForRefreshes() {
    service.close();
    factory.close();
    service = build(IntegrationService.builder().oauthApp("hubspot", HUBSPOT_CLIENT, HUBSPOT_SECRET));
    String id = integration("acme", "hubspot", Map.of("baseUrl", hubspot.baseUrl(), "proactiveRateLimiting", "false"),
        Map.of());

    HttpUrl back = consent(service.startOAuth("acme", id, HUBSPOT_CALLBACK));
    assertThat(back.queryParameter("code")).isNotNull();
    TenantIntegration connected = service.completeOAuth("hubspot", back.queryParameter("code"), back.queryParameter("state"));

    assertThat(connected.settings()).containsEntry("clientId", HUBSPOT_CLIENT);
    assertThat(credentials(id)).containsEntry("clientSecret", HUBSPOT_SECRET);
    hubspot.expireAccessTokens();
    assertThat(system(id).findByEmail("nobody@example.com")).isEmpty();
  }

  @Test
  void noStateNorVerifierNorTokenIsStoredInTheClear() throws Exception {
    String id = salesforceIntegration("acme");
    OAuthStart start = service.startOAuth("acme", id, SALESFORCE_CALLBACK);
    String state = HttpUrl.get(start.authorizationUrl()).queryParameter("state");
    HttpUrl back = consent(start);
    service.completeOAuth("salesforce", back.queryParameter("code"), state);
    Map<String, String> secrets = credentials(id);

    String raw = rawTables("crmkit_oauth_state", "crmkit_integration");
    assertThat(raw).doesNotContain(state).doesNotContain(secrets.get("accessToken"))
        .doesNotContain(secrets.get("refreshToken")).doesNotContain(SALESFORCE_SECRET).doesNotContain(back.queryParameter("code"));
    assertThat(start.toString()).doesNotContain(state);
  }

  @Test
  void badRequestsAreRefusedWithTheFieldNamed() {
    String id = hubspotIntegration("acme");
    String memory = integration("acme", "memory", Map.of(), Map.of());

    assertThatThrownBy(() -> service.startOAuth("acme", id, URI.create("/relative/callback")))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(f -> f.field()).containsExactly("redirectUri"));
    assertThatThrownBy(() -> service.startOAuth("acme", id, null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("redirectUri");
    assertThatThrownBy(() -> service.startOAuth("acme", memory, HUBSPOT_CALLBACK))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("no OAuth connect");
    assertThatThrownBy(() -> service.startOAuth("acme", "no-such-id", HUBSPOT_CALLBACK))
        .isInstanceOf(NotFoundException.class);
    HttpUrl back = consent(service.startOAuth("acme", id, HUBSPOT_CALLBACK));
    assertThatThrownBy(() -> service.completeOAuth("hubspot", "", back.queryParameter("state")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("code");
    assertThatThrownBy(() -> IntegrationService.builder().oauthApp("hubspot", "id", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientSecret");
    assertThatThrownBy(() -> IntegrationService.builder().credentialListener()
        .credentialsChanged(TenantConfig.builder("x", "hubspot").build(), Map.of("accessToken", "t")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not built");
  }

  private String rawTables(String... tables) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (String table : tables) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              all.append(rs.getString(i)).append('|');
            }
          }
        }
      }
    }
    return all.toString();
  }
}
