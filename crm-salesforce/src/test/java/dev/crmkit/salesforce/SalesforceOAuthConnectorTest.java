package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider's OAuthConnector clicked through the emulator's consent page, as a browser would. */
class SalesforceOAuthConnectorTest {
  private static final String CLIENT_ID = "3MVG9-consumer-key";
  private static final String CLIENT_SECRET = "consumer-secret-1";
  private static final URI REDIRECT = URI.create("http://127.0.0.1:9/oauth/salesforce/callback");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock)
      .oauthClient(CLIENT_ID, CLIENT_SECRET).build();
  private final OAuthConnector connector = new SalesforceCustomerSystemProvider().oauth().orElseThrow();
  private final OAuthConsent browser = OAuthConsent.using(new OkHttpClient());

  @AfterEach
  void stop() {
    emulator.close();
  }

  private TenantConfig config() {
    return TenantConfig.builder("acme", "salesforce").setting("clientId", CLIENT_ID).setting("loginUrl", emulator.baseUrl())
        .credential("clientSecret", CLIENT_SECRET).build();
  }

  @Test
  void authorizationUrlCarriesStateAndAnS256ChallengeOnTheLoginHost() {
    OAuthAuthorization authorization = connector.authorize(config(), REDIRECT, "state-1");

    HttpUrl url = HttpUrl.get(authorization.url());
    assertThat(url.encodedPath()).isEqualTo("/services/oauth2/authorize");
    assertThat(url.toString()).startsWith(emulator.baseUrl());
    assertThat(url.queryParameter("response_type")).isEqualTo("code");
    assertThat(url.queryParameter("client_id")).isEqualTo(CLIENT_ID);
    assertThat(url.queryParameter("redirect_uri")).isEqualTo(REDIRECT.toString());
    assertThat(url.queryParameter("state")).isEqualTo("state-1");
    assertThat(url.queryParameter("code_challenge_method")).isEqualTo("S256");
    assertThat(url.queryParameter("code_challenge")).isEqualTo(SalesforceOAuth.codeChallenge(authorization.codeVerifier()));
    assertThat(authorization.toString()).doesNotContain(authorization.codeVerifier());
  }

  @Test
  void allowingOnTheConsentPageRedirectsWithACodeThatExchangesForAWorkingSession() {
    OAuthAuthorization authorization = connector.authorize(config(), REDIRECT, "state-1");

    HttpUrl back = browser.allow(authorization.url());
    assertThat(back.newBuilder().query(null).build().toString()).isEqualTo(REDIRECT.toString());
    assertThat(back.queryParameter("state")).isEqualTo("state-1");
    OAuthGrant grant = connector.exchange(config(), REDIRECT, back.queryParameter("code"), authorization.codeVerifier());

    assertThat(grant.accountId()).isEqualTo(emulator.orgId());
    assertThat(grant.settings()).containsExactly(Map.entry("instanceUrl", emulator.baseUrl()));
    assertThat(grant.credentials()).containsOnlyKeys("accessToken", "refreshToken");
    assertThat(grant.toString()).doesNotContain(grant.credentials().get("accessToken"))
        .doesNotContain(grant.credentials().get("refreshToken"));
    assertThat(emulator.counters().requests(SalesforceCounters.OAUTH_AUTHORIZE)).isEqualTo(1);
    assertThat(emulator.counters().requests(SalesforceCounters.OAUTH_ALLOW)).isEqualTo(1);

    List<Map<String, String>> rotated = new CopyOnWriteArrayList<>();
    CredentialListener listener = (config, changed) -> rotated.add(changed);
    TenantConfig.Builder connected = TenantConfig.builder("acme", "salesforce");
    config().settings().forEach(connected::setting);
    config().credentials().forEach(connected::credential);
    grant.settings().forEach(connected::setting);
    grant.credentials().forEach(connected::credential);
    try (IntegrationFactory factory = IntegrationFactory.builder().clock(clock)
        .resource(CredentialListener.class, listener).build()) {
      CustomerSystem system = factory.system(connected.build());
      system.create(CustomerDraft.builder().email("ada@example.com").build());
      emulator.expireSessions();
      assertThat(system.findByEmail("ada@example.com")).isPresent();
    }
    assertThat(rotated).hasSize(1);
    assertThat(rotated.get(0).get("accessToken")).isNotEqualTo(grant.credentials().get("accessToken"));
    assertThat(rotated.get(0).get("refreshToken")).isEqualTo(grant.credentials().get("refreshToken"));
  }

  @Test
  void aCodeIsSingleUse() {
    OAuthAuthorization authorization = connector.authorize(config(), REDIRECT, "s");
    String code = browser.allow(authorization.url()).queryParameter("code");
    connector.exchange(config(), REDIRECT, code, authorization.codeVerifier());

    assertThatThrownBy(() -> connector.exchange(config(), REDIRECT, code, authorization.codeVerifier()))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"));
  }

  @Test
  void aVerifierThatDoesNotMatchTheChallengeIsRefused() {
    OAuthAuthorization authorization = connector.authorize(config(), REDIRECT, "s");
    OAuthAuthorization other = connector.authorize(config(), REDIRECT, "s");
    String code = browser.allow(authorization.url()).queryParameter("code");

    assertThatThrownBy(() -> connector.exchange(config(), REDIRECT, code, other.codeVerifier()))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"))
        .hasMessageContaining("invalid code verifier");
  }

  @Test
  void aCodeWithoutItsVerifierIsRefused() {
    OAuthAuthorization authorization = connector.authorize(config(), REDIRECT, "s");
    String code = browser.allow(authorization.url()).queryParameter("code");

    assertThatThrownBy(() -> connector.exchange(config(), REDIRECT, code, null))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"));
  }

  @Test
  void aCodeOlderThanFifteenMinutesIsRefused() {
    OAuthAuthorization authorization = connector.authorize(config(), REDIRECT, "s");
    String code = browser.allow(authorization.url()).queryParameter("code");
    clock.advance(Duration.ofMinutes(15));

    assertThatThrownBy(() -> connector.exchange(config(), REDIRECT, code, authorization.codeVerifier()))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"))
        .hasMessageContaining("expired authorization code");
  }

  @Test
  void anotherRedirectUriIsRefused() {
    OAuthAuthorization authorization = connector.authorize(config(), REDIRECT, "s");
    String code = browser.allow(authorization.url()).queryParameter("code");

    assertThatThrownBy(() -> connector.exchange(config(), URI.create("http://127.0.0.1:9/elsewhere"), code,
        authorization.codeVerifier()))
        .isInstanceOfSatisfying(AuthenticationException.class,
            e -> assertThat(e.vendorCode()).isEqualTo("redirect_uri_mismatch"));
  }

  @Test
  void denyingRedirectsWithAccessDeniedAndTheState() {
    HttpUrl back = browser.deny(connector.authorize(config(), REDIRECT, "state-9").url());

    assertThat(back.queryParameter("error")).isEqualTo("access_denied");
    assertThat(back.queryParameter("state")).isEqualTo("state-9");
    assertThat(back.queryParameter("code")).isNull();
  }

  @Test
  void anUnknownClientIdGetsAnErrorPageNotARedirect() {
    TenantConfig wrong = TenantConfig.builder("acme", "salesforce").setting("clientId", "someone-else")
        .setting("loginUrl", emulator.baseUrl()).credential("clientSecret", CLIENT_SECRET).build();

    assertThatThrownBy(() -> browser.allow(connector.authorize(wrong, REDIRECT, "s").url()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 400").hasMessageContaining("invalid_client_id");
  }

  @Test
  void connectNeedsTheClientIdAndTheClientSecret() {
    TenantConfig noSecret = TenantConfig.builder("acme", "salesforce").setting("clientId", CLIENT_ID).build();
    TenantConfig noId = TenantConfig.builder("acme", "salesforce").credential("clientSecret", CLIENT_SECRET).build();

    assertThatThrownBy(() -> connector.authorize(noSecret, REDIRECT, "s"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("clientSecret");
    assertThatThrownBy(() -> connector.authorize(noId, REDIRECT, "s"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("clientId");
    assertThatThrownBy(() -> connector.authorize(config(), URI.create("/relative"), "s"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redirectUri");
    assertThatThrownBy(() -> connector.authorize(config(), REDIRECT, " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state");
  }
}
