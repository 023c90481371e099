package dev.crmkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.AuthenticationException;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.provider.CredentialListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuth2TokensTest {
  private static final String SECRET = "client-secret-xyz";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final MockWebServer server = new MockWebServer();
  private final FakeTime time = new FakeTime(T0);
  private final List<OAuth2Token> saved = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OAuth2Tokens.Builder tokens() {
    return OAuth2Tokens.builder()
        .vendor("acme")
        .authorizationUrl("https://auth.example.com/oauth/authorize")
        .tokenUrl(server.url("/oauth/token").toString())
        .clientId("client-1")
        .clientSecret(SECRET)
        .redirectUri("https://host.example.com/callback")
        .scopes(List.of("crm.read", "crm.write"))
        .refreshSkew(Duration.ofSeconds(60))
        .clock(time)
        .tokenStore(saved::add);
  }

  private static MockResponse tokenResponse(String access, String refresh, int expiresIn) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body("{\"access_token\":\"" + access + "\",\"refresh_token\":\"" + refresh + "\",\"expires_in\":" + expiresIn + "}")
        .build();
  }

  @Test
  void authorizationUrlCarriesClientRedirectScopesAndState() {
    String url = tokens().build().authorizationUrl("st-1");

    assertThat(url).startsWith("https://auth.example.com/oauth/authorize?response_type=code&client_id=client-1")
        .contains("redirect_uri=https%3A%2F%2Fhost.example.com%2Fcallback")
        .contains("scope=crm.read%20crm.write")
        .endsWith("state=st-1")
        .doesNotContain(SECRET);
  }

  @Test
  void codeExchangePostsTheFormAndHandsTheTokensToTheStore() throws Exception {
    server.enqueue(tokenResponse("access-1", "refresh-1", 1800));

    OAuth2Token t = tokens().build().exchangeCode("code-abc");

    assertThat(t.accessToken()).isEqualTo("access-1");
    assertThat(t.expiresAt()).isEqualTo(T0.plusSeconds(1800));
    assertThat(saved).containsExactly(t);
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getMethod()).isEqualTo("POST");
    assertThat(recorded.getTarget()).isEqualTo("/oauth/token");
    assertThat(recorded.getBody().utf8()).isEqualTo(
        "grant_type=authorization_code&code=code-abc&redirect_uri=https%3A%2F%2Fhost.example.com%2Fcallback"
            + "&client_id=client-1&client_secret=" + SECRET);
  }

  @Test
  void freshTokenIsUsedWithoutCallingTheVendor() {
    OAuth2Tokens oauth = tokens().tokens(new OAuth2Token("access-0", "refresh-0", T0.plusSeconds(600), null)).build();

    assertThat(oauth.accessToken()).isEqualTo("access-0");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void refreshesBeforeExpiryWithinTheSkewAndPassesTheRotatedTokenToTheStore() throws Exception {
    server.enqueue(tokenResponse("access-1", "refresh-1-rotated", 1800));
    OAuth2Tokens oauth = tokens().tokens(new OAuth2Token("access-0", "refresh-0", T0.plusSeconds(600), null)).build();

    time.advance(Duration.ofSeconds(541));
    String token = oauth.accessToken();

    assertThat(token).isEqualTo("access-1");
    assertThat(saved).singleElement().satisfies(t -> {
      assertThat(t.refreshToken()).isEqualTo("refresh-1-rotated");
      assertThat(t.expiresAt()).isEqualTo(T0.plusSeconds(541 + 1800));
    });
    assertThat(server.takeRequest().getBody().utf8())
        .startsWith("grant_type=refresh_token&refresh_token=refresh-0&client_id=client-1");
  }

  @Test
  void refreshWithoutANewRefreshTokenKeepsTheOldOne() {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"access_token\":\"access-1\",\"expires_in\":60}").build());
    OAuth2Tokens oauth = tokens().tokens(new OAuth2Token("access-0", "refresh-0", T0, null)).build();

    oauth.accessToken();

    assertThat(oauth.current().refreshToken()).isEqualTo("refresh-0");
  }

  @Test
  void eightConcurrentCallersShareOneRefresh() throws Exception {
    server.enqueue(new MockResponse.Builder(tokenResponse("access-1", "refresh-1", 1800))
        .headersDelay(200, TimeUnit.MILLISECONDS).build());
    server.enqueue(tokenResponse("access-2", "refresh-2", 1800));
    OAuth2Tokens oauth = tokens().tokens(new OAuth2Token("access-0", "refresh-0", T0, null)).build();
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return oauth.accessToken();
        }));
      }
      go.countDown();
      for (Future<String> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("access-1");
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(saved).hasSize(1);
  }

  @Test
  void rejectedRefreshBecomesAuthenticationException() {
    server.enqueue(new MockResponse.Builder().code(400).body("{\"error\":\"invalid_grant\"}").build());
    OAuth2Tokens oauth = tokens().tokens(new OAuth2Token("access-0", "refresh-0", T0, null)).build();

    assertThatThrownBy(oauth::accessToken)
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.vendorCode()).isEqualTo("invalid_grant");
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.getMessage()).doesNotContain("refresh-0").doesNotContain(SECRET);
        });
    assertThat(saved).isEmpty();
  }

  @Test
  void expiredTokenWithoutRefreshTokenOrNoTokenAtAllIsAnAuthenticationFailure() {
    assertThatThrownBy(() -> tokens().build().accessToken())
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("exchange an authorization code");
    assertThatThrownBy(() -> tokens().tokens(new OAuth2Token("a", null, T0, null)).build().accessToken())
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("no refresh token");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void connectorSendsTheRefreshedTokenAsBearer() throws Exception {
    server.enqueue(tokenResponse("access-1", "refresh-1", 1800));
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    OAuth2Tokens oauth = tokens().tokens(new OAuth2Token("access-0", "refresh-0", T0, null)).build();
    HttpConnector connector = HttpConnector.builder().vendor("acme").baseUrl(server.url("/").toString())
        .clock(time).sleeper(time).auth(oauth).build();

    connector.send(ApiRequest.get("/contacts"));

    server.takeRequest();
    RecordedRequest call = server.takeRequest();
    assertThat(call.getTarget()).isEqualTo("/contacts");
    assertThat(call.getHeaders().get("Authorization")).isEqualTo("Bearer access-1");
  }

  @Test
  void toStringNeverShowsTokensOrTheClientSecret() {
    OAuth2Token t = new OAuth2Token("access-secret-0", "refresh-secret-0", T0, "crm.read");
    OAuth2Tokens oauth = tokens().tokens(t).build();

    assertThat(t.toString()).doesNotContain("access-secret-0").doesNotContain("refresh-secret-0").contains("crm.read");
    assertThat(oauth.toString()).doesNotContain("access-secret-0").doesNotContain("refresh-secret-0")
        .doesNotContain(SECRET).contains("client-1");
  }

  @Test
  void builderNamesTheMissingOrBadSetting() {
    assertThatThrownBy(() -> OAuth2Tokens.builder().vendor("acme").clientId("c").clientSecret("s").tokenStore(x -> { }).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tokenUrl");
    assertThatThrownBy(() -> tokens().tokenUrl("not a url"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("tokenUrl must be an http or https URL: 'not a url'");
    assertThatThrownBy(() -> tokens().refreshSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("refreshSkew must be zero or positive: PT-1S");
    assertThatThrownBy(() -> tokens().build().exchangeCode(" "))
        .hasMessageContaining("code");
  }

  @Test
  void builderAndAuthorizationUrlNameEachNullOrBlankArgument() {
    assertThatThrownBy(() -> OAuth2Tokens.builder().vendor(null)).isInstanceOf(NullPointerException.class).hasMessage("vendor");
    assertThatThrownBy(() -> OAuth2Tokens.builder().clientId(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId");
    assertThatThrownBy(() -> OAuth2Tokens.builder().clientSecret(null)).isInstanceOf(NullPointerException.class).hasMessage("clientSecret");
    assertThatThrownBy(() -> OAuth2Tokens.builder().clientSecret(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("clientSecret must not be blank");
    assertThatThrownBy(() -> OAuth2Tokens.builder().scopes(null)).isInstanceOf(NullPointerException.class).hasMessage("scopes");
    assertThatThrownBy(() -> OAuth2Tokens.builder().refreshSkew(null)).isInstanceOf(NullPointerException.class).hasMessage("refreshSkew");
    assertThatThrownBy(() -> OAuth2Tokens.builder().clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> OAuth2Tokens.builder().tokenStore(null)).isInstanceOf(NullPointerException.class).hasMessage("tokenStore");
    assertThatThrownBy(() -> OAuth2Tokens.builder().tokens(null)).isInstanceOf(NullPointerException.class).hasMessage("tokens");
    assertThatThrownBy(() -> OAuth2Tokens.builder().okHttpClient(null)).isInstanceOf(NullPointerException.class).hasMessage("okHttpClient");
    assertThatThrownBy(() -> OAuth2Tokens.builder().authorizationUrl(null)).isInstanceOf(NullPointerException.class).hasMessage("authorizationUrl");
    assertThatThrownBy(() -> new OAuth2Token(null, null, null, null)).isInstanceOf(NullPointerException.class).hasMessage("accessToken");
    assertThatThrownBy(() -> new OAuth2Token(" ", "refresh-secret", null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("accessToken must not be blank");
    assertThatThrownBy(() -> tokens().build().authorizationUrl(null)).isInstanceOf(NullPointerException.class).hasMessage("state");
    assertThatThrownBy(() -> tokens().build().authorizationUrl(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state");
    assertThatThrownBy(() -> OAuth2Tokens.builder().vendor("acme").tokenUrl("https://auth.example.com/token").clientId("c")
            .clientSecret("s").tokenStore(x -> { }).build().authorizationUrl("st-1"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("authorizationUrl(");
  }

  @Test
  void aRejectedCodeCarriesTheCodeTheVendorsErrorParserReads() {
    server.enqueue(new MockResponse.Builder().code(400)
        .body("{\"status\":\"BAD_AUTH_CODE\",\"message\":\"missing or unknown auth code\"}").build());
    ErrorParser statusAsCode = response -> new VendorError(String.valueOf(response.json().get("status")), null, null,
        List.of());

    assertThatThrownBy(() -> tokens().errorParser(statusAsCode).build().exchangeCode("used-code"))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.vendorCode()).isEqualTo("BAD_AUTH_CODE");
          assertThat(e.getMessage()).doesNotContain("used-code").doesNotContain(SECRET);
        });
    assertThatThrownBy(() -> tokens().errorParser(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("errorParser");
  }

  @Test
  void forwardingToACredentialListenerHandsOverTheTokensUnderTheCredentialKeys() {
    List<Map<String, String>> changes = new ArrayList<>();
    TenantConfig config = TenantConfig.builder("int-1", "acme").credential("refreshToken", "old").build();
    CredentialListener listener = (c, changed) -> {
      assertThat(c).isSameAs(config);
      changes.add(changed);
    };

    TokenStore store = TokenStore.forwardingTo(listener, config);
    store.save(new OAuth2Token("a1", "r1", null, null));
    store.save(new OAuth2Token("a2", null, null, null));

    assertThat(changes).containsExactly(Map.of("accessToken", "a1", "refreshToken", "r1"), Map.of("accessToken", "a2"));
    assertThatThrownBy(() -> TokenStore.forwardingTo(null, config)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("listener");
  }
}
