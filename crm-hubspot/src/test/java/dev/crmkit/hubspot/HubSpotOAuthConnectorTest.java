package dev.crmkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.provider.CredentialListener;
import dev.crmkit.provider.OAuthAuthorization;
import dev.crmkit.provider.OAuthConnector;
import dev.crmkit.provider.OAuthGrant;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.OAuthConsent;
import dev.crmkit.testkit.hubspot.HubSpotCounters;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider's OAuthConnector (app install) clicked through the emulator's consent page, as a browser would. */
class HubSpotOAuthConnectorTest {
  private static final String CLIENT_ID = "7fff1e36-2d40-4ae1-bbb1-5266d59564fb";
  private static final String CLIENT_SECRET = "hubspot-client-secret-1";
  private static final URI REDIRECT = URI.create("http://127.0.0.1:9/oauth/hubspot/callback");
  private static final long PORTAL = 24681357;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).portalId(PORTAL).rateLimits(false)
      .oauthClient(CLIENT_ID, CLIENT_SECRET).build();
  private final OAuthConnector connector = new HubSpotCustomerSystemProvider().oauth().orElseThrow();
  private final OAuthConsent browser = OAuthConsent.using(new OkHttpClient());

  @AfterEach
  void stop() {
    emulator.close();
  }

  private TenantConfig config() {
    return TenantConfig.builder("acme", "hubspot").setting("baseUrl", emulator.baseUrl()).setting("clientId", CLIENT_ID)
        .setting("proactiveRateLimiting", "false").credential("clientSecret", CLIENT_SECRET).build();
  }

  @Test
  void authorizationUrlAsksForTheDescriptorsScopesWithStateAndNoPkce() {
    OAuthAuthorization authorization = connector.authorize(config(), REDIRECT, "state-1");

    HttpUrl url = HttpUrl.get(authorization.url());
    assertThat(url.toString()).startsWith(emulator.baseUrl() + "/oauth/authorize?");
    assertThat(url.queryParameter("client_id")).isEqualTo(CLIENT_ID);
    assertThat(url.queryParameter("redirect_uri")).isEqualTo(REDIRECT.toString());
    assertThat(url.queryParameter("state")).isEqualTo("state-1");
    assertThat(url.queryParameter("scope")).isEqualTo(
        "crm.objects.contacts.read crm.objects.contacts.write crm.objects.deals.read crm.objects.deals.write");
    assertThat(url.queryParameter("code_challenge")).isNull();
    assertThat(authorization.codeVerifier()).isNull();
  }

  @Test
  void onHubSpotsOwnApiRootConsentIsOnAppHubSpotCom() {
    TenantConfig production = TenantConfig.builder("acme", "hubspot").setting("clientId", CLIENT_ID)
        .credential("clientSecret", CLIENT_SECRET).build();

    assertThat(connector.authorize(production, URI.create("https://app.example/cb"), "s").url().toString())
        .startsWith("https://app.hubspot.com/oauth/authorize?");
  }

  @Test
  void allowingRedirectsWithACodeThatExchangesForTokensOfTheHub() {
    HttpUrl back = browser.allow(connector.authorize(config(), REDIRECT, "state-1").url());
    assertThat(back.newBuilder().query(null).build().toString()).isEqualTo(REDIRECT.toString());
    assertThat(back.queryParameter("state")).isEqualTo("state-1");

    OAuthGrant grant = connector.exchange(config(), REDIRECT, back.queryParameter("code"), null);

    assertThat(grant.accountId()).isEqualTo(Long.toString(PORTAL));
    assertThat(grant.settings()).isEmpty();
    assertThat(grant.credentials()).containsOnlyKeys("accessToken", "refreshToken");
    assertThat(grant.toString()).doesNotContain(grant.credentials().get("accessToken"));
    assertThat(emulator.counters().requests(HubSpotCounters.OAUTH_AUTHORIZE)).isEqualTo(1);
    assertThat(emulator.counters().requests(HubSpotCounters.OAUTH_ALLOW)).isEqualTo(1);
    assertThat(emulator.counters().requests(HubSpotCounters.OAUTH_TOKEN)).isEqualTo(1);
    assertThat(emulator.counters().requests(HubSpotCounters.ACCESS_TOKEN_INFO)).isEqualTo(1);
  }

  @Test
  void theGrantBuildsAWorkingSystemWhoseRefreshesReachTheCredentialListener() {
    OAuthGrant grant = connector.exchange(config(), REDIRECT,
        browser.allow(connector.authorize(config(), REDIRECT, "s").url()).queryParameter("code"), null);
    TenantConfig.Builder connected = TenantConfig.builder("acme", "hubspot");
    config().settings().forEach(connected::setting);
    config().credentials().forEach(connected::credential);
    grant.credentials().forEach(connected::credential);
    List<Map<String, String>> rotated = new CopyOnWriteArrayList<>();
    CredentialListener listener = (config, changed) -> rotated.add(changed);

    try (IntegrationFactory factory = IntegrationFactory.builder().clock(clock)
        .resource(CredentialListener.class, listener).build()) {
      CustomerSystem system = factory.system(connected.build());
      system.create(CustomerDraft.builder().email("ada@example.com").build());
      emulator.expireAccessTokens();
      assertThat(system.findByEmail("ada@example.com")).isPresent();
    }
    assertThat(rotated).hasSize(1);
    assertThat(rotated.get(0)).containsOnlyKeys("accessToken", "refreshToken");
    assertThat(rotated.get(0).get("accessToken")).isNotEqualTo(grant.credentials().get("accessToken"));
  }

  @Test
  void aCodeIsSingleUse() {
    String code = browser.allow(connector.authorize(config(), REDIRECT, "s").url()).queryParameter("code");
    connector.exchange(config(), REDIRECT, code, null);

    assertThatThrownBy(() -> connector.exchange(config(), REDIRECT, code, null))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.vendorCode()).isEqualTo("BAD_AUTH_CODE");
          assertThat(e.httpStatus()).isEqualTo(400);
        });
  }

  @Test
  void aCodeOlderThanTenMinutesIsRefused() {
    String code = browser.allow(connector.authorize(config(), REDIRECT, "s").url()).queryParameter("code");
    clock.advance(Duration.ofMinutes(10));

    assertThatThrownBy(() -> connector.exchange(config(), REDIRECT, code, null))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("BAD_AUTH_CODE"));
  }

  @Test
  void anotherRedirectUriIsRefused() {
    String code = browser.allow(connector.authorize(config(), REDIRECT, "s").url()).queryParameter("code");

    assertThatThrownBy(() -> connector.exchange(config(), URI.create("http://127.0.0.1:9/elsewhere"), code, null))
        .isInstanceOfSatisfying(AuthenticationException.class,
            e -> assertThat(e.vendorCode()).isEqualTo("BAD_REDIRECT_URI"));
  }

  @Test
  void aWrongClientSecretIsRefused() {
    String code = browser.allow(connector.authorize(config(), REDIRECT, "s").url()).queryParameter("code");
    TenantConfig wrong = TenantConfig.builder("acme", "hubspot").setting("baseUrl", emulator.baseUrl())
        .setting("clientId", CLIENT_ID).credential("clientSecret", "not-the-secret").build();

    assertThatThrownBy(() -> connector.exchange(wrong, REDIRECT, code, null))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.vendorCode()).isEqualTo("BAD_CLIENT_SECRET");
          assertThat(e.getMessage()).doesNotContain("not-the-secret");
        });
  }

  @Test
  void denyingRedirectsWithAccessDenied() {
    HttpUrl back = browser.deny(connector.authorize(config(), REDIRECT, "state-9").url());

    assertThat(back.queryParameter("error")).isEqualTo("access_denied");
    assertThat(back.queryParameter("state")).isEqualTo("state-9");
  }

  @Test
  void anUnknownClientIdGetsAnErrorPage() {
    TenantConfig wrong = TenantConfig.builder("acme", "hubspot").setting("baseUrl", emulator.baseUrl())
        .setting("clientId", "someone-else").credential("clientSecret", CLIENT_SECRET).build();

    assertThatThrownBy(() -> browser.allow(connector.authorize(wrong, REDIRECT, "s").url()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 400");
  }

  @Test
  void badInputIsRefusedBeforeAnyCall() {
    TenantConfig noSecret = TenantConfig.builder("acme", "hubspot").setting("clientId", CLIENT_ID).build();

    assertThatThrownBy(() -> connector.authorize(noSecret, REDIRECT, "s"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("clientSecret");
    assertThatThrownBy(() -> connector.exchange(config(), REDIRECT, "code", "a-verifier"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codeVerifier");
    assertThatThrownBy(() -> connector.authorize(config(), URI.create("ftp://x/cb"), "s"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redirectUri");
    assertThat(emulator.counters().totalRequests()).isZero();
  }

  @Test
  void theEmulatorDescribesALiveAccessTokenAndNotAnUnknownOrExpiredOne() throws Exception {
    OAuthGrant grant = connector.exchange(config(), REDIRECT,
        browser.allow(connector.authorize(config(), REDIRECT, "s").url()).queryParameter("code"), null);
    OkHttpClient http = new OkHttpClient();
    String token = grant.credentials().get("accessToken");

    try (Response r = http.newCall(new Request.Builder()
        .url(emulator.baseUrl() + "/oauth/v1/access-tokens/" + token).build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(r.body().string());
      assertThat(body.path("hub_id").asLong()).isEqualTo(PORTAL);
      assertThat(body.path("app_id").asLong()).isEqualTo(1_000_001);
      assertThat(body.path("token").asText()).isEqualTo(token);
      assertThat(body.path("expires_in").asLong()).isPositive();
    }
    try (Response r = http.newCall(new Request.Builder()
        .url(emulator.baseUrl() + "/oauth/v1/access-tokens/not-a-token").build()).execute()) {
      assertThat(r.code()).isEqualTo(404);
    }
    emulator.expireAccessTokens();
    try (Response r = http.newCall(new Request.Builder()
        .url(emulator.baseUrl() + "/oauth/v1/access-tokens/" + token).build()).execute()) {
      assertThat(r.code()).isEqualTo(404);
    }
  }
}
