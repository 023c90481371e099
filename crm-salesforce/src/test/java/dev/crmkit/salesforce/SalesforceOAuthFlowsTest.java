package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.OAuth2Token;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The web-server flow with PKCE and the JWT bearer flow, against the emulator's token endpoint. */
class SalesforceOAuthFlowsTest {
  private static final String CLIENT_ID = "3MVG9-consumer-key";
  private static final String CLIENT_SECRET = "consumer-secret-1";
  private static final String REDIRECT = "https://app.example/oauth/salesforce/callback";
  private static final KeyPair KEYS = rsa();

  private final SalesforceEmulator emulator = SalesforceEmulator.builder().oauthClient(CLIENT_ID, CLIENT_SECRET)
      .jwtBearer(CLIENT_ID, KEYS.getPublic()).build();

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(KeyPair keys) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static Map<String, String> query(String url) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return out;
  }

  private SalesforceOAuth oauth() {
    return SalesforceOAuth.builder().clientId(CLIENT_ID).clientSecret(CLIENT_SECRET).redirectUri(REDIRECT)
        .loginUrl(emulator.baseUrl()).build();
  }

  @Test
  void theAuthorizationUrlCarriesStateScopesAndAnS256ChallengeOfTheVerifier() throws Exception {
    SalesforceOAuth.AuthorizationRequest request = SalesforceOAuth.builder().clientId(CLIENT_ID).redirectUri(REDIRECT)
        .build().authorizationRequest("st-1");

    assertThat(request.url()).startsWith("https://login.salesforce.com/services/oauth2/authorize?");
    Map<String, String> q = query(request.url());
    assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
        .containsEntry("redirect_uri", REDIRECT).containsEntry("scope", "api refresh_token offline_access")
        .containsEntry("state", "st-1").containsEntry("code_challenge_method", "S256");
    assertThat(request.codeVerifier()).matches("[A-Za-z0-9_-]{43}");
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(request.codeVerifier().getBytes(StandardCharsets.US_ASCII));
    assertThat(q.get("code_challenge")).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(sha));
    assertThat(request.toString()).doesNotContain(request.codeVerifier());
    assertThat(SalesforceOAuth.builder().clientId(CLIENT_ID).redirectUri(REDIRECT).build().authorizationRequest("st-1")
        .codeVerifier()).isNotEqualTo(request.codeVerifier());
  }

  @Test
  void theLoginHostFollowsSandboxAndMyDomainSettings() {
    TenantConfig sandbox = TenantConfig.builder("t1", "salesforce").setting("clientId", CLIENT_ID)
        .setting("sandbox", "true").build();
    TenantConfig myDomain = TenantConfig.builder("t1", "salesforce").setting("clientId", CLIENT_ID)
        .setting("loginUrl", "https://acme.my.salesforce.com/").build();

    assertThat(SalesforceCustomerSystemProvider.oauth(sandbox).redirectUri(REDIRECT).build().authorizationRequest("s").url())
        .startsWith("https://test.salesforce.com/services/oauth2/authorize?");
    assertThat(SalesforceCustomerSystemProvider.oauth(myDomain).redirectUri(REDIRECT).build().loginUrl())
        .isEqualTo("https://acme.my.salesforce.com");
    assertThatThrownBy(() -> SalesforceCustomerSystemProvider.oauth(TenantConfig.builder("t1", "salesforce").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("clientId");
    assertThatThrownBy(() -> SalesforceOAuth.builder().loginUrl("https://login.salesforce.com/services"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loginUrl");
    assertThatThrownBy(() -> SalesforceOAuth.builder().clientId(CLIENT_ID).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("redirectUri");
  }

  @Test
  void theCodeExchangeGivesTheInstanceUrlAndARefreshTokenThatRefreshes() {
    SalesforceOAuth oauth = oauth();
    SalesforceOAuth.AuthorizationRequest request = oauth.authorizationRequest("st-2");
    String code = emulator.authorizationCode(REDIRECT, query(request.url()).get("code_challenge"));

    SalesforceSession session = oauth.exchangeCode(code, request.codeVerifier());

    assertThat(session.instanceUrl()).isEqualTo(emulator.baseUrl());
    assertThat(session.tokens().refreshToken()).isNotBlank();
    assertThat(session.organizationId()).isEqualTo(emulator.orgId());
    assertThat(session.issuedAt()).isNotNull();
    assertThat(session.toString()).doesNotContain(session.tokens().accessToken());

    SalesforceSession refreshed = oauth.refresh(session.tokens().refreshToken());

    assertThat(refreshed.tokens().accessToken()).isNotEqualTo(session.tokens().accessToken());
    assertThat(refreshed.tokens().refreshToken()).isEqualTo(session.tokens().refreshToken());
    // A code is single-use.
    assertThatThrownBy(() -> oauth.exchangeCode(code, request.codeVerifier()))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"));
  }

  @Test
  void aCodeIssuedForAChallengeIsRefusedWithAnotherVerifierOrNone() {
    SalesforceOAuth oauth = oauth();
    SalesforceOAuth.AuthorizationRequest request = oauth.authorizationRequest("st-3");
    String challenge = query(request.url()).get("code_challenge");
    String other = oauth.authorizationRequest("st-4").codeVerifier();

    assertThatThrownBy(() -> oauth.exchangeCode(emulator.authorizationCode(REDIRECT, challenge), other))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"));
    assertThatThrownBy(() -> oauth.exchangeCode(emulator.authorizationCode(REDIRECT, challenge), null))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"));
    assertThat(oauth.exchangeCode(emulator.authorizationCode(REDIRECT, challenge), request.codeVerifier()).instanceUrl())
        .isEqualTo(emulator.baseUrl());
  }

  @Test
  void rejectedGrantsAndClientsAreAuthenticationErrorsWithSalesforcesCode() {
    String code = emulator.authorizationCode(REDIRECT);
    SalesforceOAuth wrongSecret = SalesforceOAuth.builder().clientId(CLIENT_ID).clientSecret("nope").redirectUri(REDIRECT)
        .loginUrl(emulator.baseUrl()).build();
    SalesforceOAuth otherRedirect = SalesforceOAuth.builder().clientId(CLIENT_ID).clientSecret(CLIENT_SECRET)
        .redirectUri("https://evil.example/cb").loginUrl(emulator.baseUrl()).build();

    assertThatThrownBy(() -> wrongSecret.exchangeCode(code, null))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_client"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("nope"));
    assertThatThrownBy(() -> otherRedirect.exchangeCode(code, null))
        .isInstanceOfSatisfying(AuthenticationException.class,
            e -> assertThat(e.vendorCode()).isEqualTo("redirect_uri_mismatch"));
    assertThatThrownBy(() -> oauth().refresh("5Aep861-unknown"))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"));
    assertThatThrownBy(() -> oauth().exchangeCode(" ", null)).isInstanceOf(ValidationException.class);
  }

  @Test
  void aTokenResponseWhoseSignatureDoesNotMatchIsRefused() throws Exception {
    try (MockWebServer login = new MockWebServer()) {
      login.enqueue(new MockResponse.Builder().code(200).body("{\"access_token\":\"00D!x\",\"instance_url\":"
          + "\"https://acme.my.salesforce.com\",\"id\":\"https://login.salesforce.com/id/00D5g000004SbcDEAS/0055g00000AbCdEAAV\","
          + "\"issued_at\":\"1700000000000\",\"signature\":\"bm90IHRoZSBzaWduYXR1cmU=\",\"token_type\":\"Bearer\"}").build());
      login.start();
      SalesforceOAuth oauth = SalesforceOAuth.builder().clientId(CLIENT_ID).clientSecret(CLIENT_SECRET)
          .redirectUri(REDIRECT).loginUrl(login.url("/").toString()).build();

      assertThatThrownBy(() -> oauth.refresh("r-1"))
          .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_signature"));
      assertThat(login.takeRequest().getBody().utf8()).contains("grant_type=refresh_token").contains("refresh_token=r-1")
          .contains("client_id=" + CLIENT_ID);
    }
  }

  @Test
  void tokenRequestsGoThroughTheHostsOkHttpClient() {
    List<String> seen = new CopyOnWriteArrayList<>();
    OkHttpClient host = new OkHttpClient.Builder().addInterceptor(chain -> {
      seen.add(chain.request().method() + " " + chain.request().url().encodedPath());
      return chain.proceed(chain.request());
    }).build();
    SalesforceOAuth oauth = SalesforceOAuth.builder().clientId(CLIENT_ID).clientSecret(CLIENT_SECRET)
        .redirectUri(REDIRECT).loginUrl(emulator.baseUrl()).okHttpClient(host).build();
    SalesforceOAuth.AuthorizationRequest request = oauth.authorizationRequest("st-3");
    String code = emulator.authorizationCode(REDIRECT, query(request.url()).get("code_challenge"));

    oauth.refresh(oauth.exchangeCode(code, request.codeVerifier()).tokens().refreshToken());
    TenantConfig config = TenantConfig.builder("t1", "salesforce").credential("privateKey", pem(KEYS))
        .setting("clientId", CLIENT_ID).setting("username", "int@acme.com")
        .setting("instanceUrl", emulator.baseUrl()).setting("loginUrl", emulator.baseUrl()).build();
    new SalesforceCustomerSystemProvider().create(new ProviderContext(config, Clock.systemUTC(),
        Map.of(OkHttpClient.class, host))).findByEmail("nobody@example.com");

    // The code exchange, the refresh, the JWT bearer grant, then the provider's REST calls.
    assertThat(seen).startsWith("POST /services/oauth2/token", "POST /services/oauth2/token",
        "POST /services/oauth2/token").hasSizeGreaterThan(3);
    assertThat(seen.get(3)).startsWith("GET /services/data/");
    assertThatThrownBy(() -> SalesforceOAuth.builder().okHttpClient(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("okHttpClient");
    assertThatThrownBy(() -> SalesforceJwtBearer.builder().okHttpClient(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("okHttpClient");
  }

  @Test
  void aTokenRequestIsNeverRedirected() throws Exception {
    try (MockWebServer login = new MockWebServer(); MockWebServer elsewhere = new MockWebServer()) {
      elsewhere.start();
      login.enqueue(new MockResponse.Builder().code(307).setHeader("Location", elsewhere.url("/services/oauth2/token"))
          .body("").build());
      login.start();
      SalesforceOAuth oauth = SalesforceOAuth.builder().clientId(CLIENT_ID).clientSecret(CLIENT_SECRET)
          .redirectUri(REDIRECT).loginUrl(login.url("/").toString()).okHttpClient(new OkHttpClient()).build();

      assertThatThrownBy(() -> oauth.refresh("r-1")).isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("HTTP 307");
      assertThat(login.getRequestCount()).isEqualTo(1);
      assertThat(elsewhere.getRequestCount()).isZero();
    }
  }

  @Test
  void anExpiredSessionIsRefreshedAndTheCallRepeatedOnceWithTheNewTokenStored() {
    String refreshToken = emulator.newRefreshToken();
    List<OAuth2Token> saved = new CopyOnWriteArrayList<>();
    TenantConfig config = TenantConfig.builder("t1", "salesforce").credential("refreshToken", refreshToken)
        .credential("clientSecret", CLIENT_SECRET).setting("clientId", CLIENT_ID)
        .setting("instanceUrl", emulator.baseUrl()).setting("loginUrl", emulator.baseUrl()).build();
    CustomerSystem system = new SalesforceCustomerSystemProvider().create(new ProviderContext(config, Clock.systemUTC(),
        Map.of(SalesforceTokenStore.class, (SalesforceTokenStore) (tenant, tokens) -> saved.add(tokens))));

    String id = system.create(CustomerDraft.builder().lastName("Silva").email("ana@example.com").build()).id();
    assertThat(saved).hasSize(1);
    emulator.expireSessions();

    assertThat(system.get(id)).isPresent();
    assertThat(saved).hasSize(2);
    assertThat(saved.get(1).accessToken()).isNotEqualTo(saved.get(0).accessToken());
    assertThat(saved).allSatisfy(t -> assertThat(t.refreshToken()).isEqualTo(refreshToken));
  }

  @Test
  void theJwtBearerAssertionIsRs256WithIssSubAudAndAShortExp() throws Exception {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");
    SalesforceJwtBearer jwt = SalesforceJwtBearer.builder().clientId(CLIENT_ID).username("int@acme.com")
        .loginUrl(SalesforceOAuth.SANDBOX_LOGIN_URL).privateKeyPem(pem(KEYS))
        .clock(Clock.fixed(now, java.time.ZoneOffset.UTC)).build();

    String[] parts = jwt.assertion().split("\\.");

    assertThat(parts).hasSize(3);
    ObjectMapper json = new ObjectMapper();
    JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
    JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(header.get("alg").asText()).isEqualTo("RS256");
    assertThat(claims.get("iss").asText()).isEqualTo(CLIENT_ID);
    assertThat(claims.get("sub").asText()).isEqualTo("int@acme.com");
    assertThat(claims.get("aud").asText()).isEqualTo("https://test.salesforce.com");
    assertThat(claims.get("exp").asLong()).isEqualTo(now.getEpochSecond() + 180);
    java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
    rsa.initVerify(KEYS.getPublic());
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    assertThat(jwt.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void theJwtBearerFlowGetsASessionAndANewOneWhenItExpires() {
    TenantConfig config = TenantConfig.builder("t1", "salesforce").credential("privateKey", pem(KEYS))
        .setting("clientId", CLIENT_ID).setting("username", "int@acme.com")
        .setting("instanceUrl", emulator.baseUrl()).setting("loginUrl", emulator.baseUrl()).build();
    CustomerSystem system = new SalesforceCustomerSystemProvider().create(new ProviderContext(config, Clock.systemUTC(),
        Map.of()));

    String id = system.create(CustomerDraft.builder().lastName("Silva").email("jwt@example.com").build()).id();
    emulator.expireSessions();

    assertThat(system.get(id)).isPresent();
  }

  @Test
  void jwtBearerErrorsAreTyped() {
    SalesforceJwtBearer otherApp = SalesforceJwtBearer.builder().clientId("another-app").username("int@acme.com")
        .loginUrl(emulator.baseUrl()).privateKeyPem(pem(KEYS)).build();
    SalesforceJwtBearer otherKey = SalesforceJwtBearer.builder().clientId(CLIENT_ID).username("int@acme.com")
        .loginUrl(emulator.baseUrl()).privateKeyPem(pem(rsa())).build();

    assertThatThrownBy(otherApp::requestSession)
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_client_id"));
    assertThatThrownBy(otherKey::requestSession)
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"));
    assertThatThrownBy(() -> SalesforceJwtBearer.builder().privateKeyPem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS#8");
    assertThatThrownBy(() -> SalesforceJwtBearer.builder().privateKeyPem("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("privateKey");
    assertThatThrownBy(() -> SalesforceJwtBearer.builder().assertionLifetime(java.time.Duration.ofMinutes(4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifetime");
    assertThatThrownBy(() -> SalesforceJwtBearer.builder().clientId(CLIENT_ID).username("u").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("privateKey");
    TenantConfig noUser = TenantConfig.builder("t1", "salesforce").credential("privateKey", pem(KEYS))
        .setting("clientId", CLIENT_ID).setting("instanceUrl", emulator.baseUrl()).build();
    assertThatThrownBy(() -> new SalesforceCustomerSystemProvider().create(new ProviderContext(noUser, Clock.systemUTC(), Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("username");
    TenantConfig badKey = TenantConfig.builder("t1", "salesforce").credential("privateKey", "not a key")
        .setting("clientId", CLIENT_ID).setting("username", "u").setting("instanceUrl", emulator.baseUrl()).build();
    assertThatThrownBy(() -> new SalesforceCustomerSystemProvider().create(new ProviderContext(badKey, Clock.systemUTC(), Map.of())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("privateKey")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not a key"));
  }
}
