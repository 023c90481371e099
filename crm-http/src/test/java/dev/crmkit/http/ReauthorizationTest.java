package dev.crmkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ValidationException;
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
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A 401 on a call makes the credential refresh once and the connector try the call once more. */
class ReauthorizationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  /** Valid for an hour by its announced expiry, yet the vendor has revoked it. */
  private static final OAuth2Token REVOKED = new OAuth2Token("access-0", "refresh-0", T0.plusSeconds(3_600), null);

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

  private OAuth2Tokens oauth(OAuth2Token initial) {
    return OAuth2Tokens.builder().vendor("acme").tokenUrl(server.url("/oauth/token").toString())
        .clientId("client-1").clientSecret("client-secret-xyz").clock(time).tokenStore(saved::add)
        .tokens(initial).build();
  }

  private HttpConnector connector(AccessTokenProvider auth) {
    return HttpConnector.builder().vendor("acme").baseUrl(server.url("/api").toString())
        .clock(time).sleeper(time).logger(line -> { }).auth(auth).build();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static MockResponse tokenResponse(String access, String refresh) {
    return json(200, "{\"access_token\":\"" + access + "\",\"refresh_token\":\"" + refresh + "\",\"expires_in\":1800}");
  }

  @Test
  void a401RefreshesTheTokenOnceAndRetriesEvenAPostWithTheNewToken() throws Exception {
    server.enqueue(json(401, "{\"message\":\"token revoked\"}"));
    server.enqueue(tokenResponse("access-1", "refresh-1"));
    server.enqueue(json(201, "{\"id\":\"7\"}"));

    ApiResponse response = connector(oauth(REVOKED)).send(ApiRequest.post("/contacts", Map.of("email", "ann@example.com")));

    assertThat(response.status()).isEqualTo(201);
    RecordedRequest first = server.takeRequest();
    assertThat(first.getTarget()).isEqualTo("/api/contacts");
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer access-0");
    RecordedRequest refresh = server.takeRequest();
    assertThat(refresh.getTarget()).isEqualTo("/oauth/token");
    assertThat(refresh.getBody().utf8()).startsWith("grant_type=refresh_token&refresh_token=refresh-0&");
    RecordedRequest retry = server.takeRequest();
    assertThat(retry.getMethod()).isEqualTo("POST");
    assertThat(retry.getTarget()).isEqualTo("/api/contacts");
    assertThat(retry.getHeaders().get("Authorization")).isEqualTo("Bearer access-1");
    assertThat(retry.getBody().utf8()).isEqualTo("{\"email\":\"ann@example.com\"}");
    assertThat(saved).singleElement().satisfies(t -> assertThat(t.accessToken()).isEqualTo("access-1"));
  }

  @Test
  void aSecond401AfterTheRefreshIsAnAuthenticationExceptionWithoutAnotherRefresh() throws Exception {
    server.enqueue(json(401, "{}"));
    server.enqueue(tokenResponse("access-1", "refresh-1"));
    server.enqueue(new MockResponse.Builder().code(401).addHeader("X-Request-Id", "req-2").body("{}").build());

    assertThatThrownBy(() -> connector(oauth(REVOKED)).send(ApiRequest.get("/contacts")))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));

    assertThat(server.getRequestCount()).isEqualTo(3);
    server.takeRequest();
    server.takeRequest();
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer access-1");
    assertThat(saved).hasSize(1);
  }

  @Test
  void a401WithAStaticTokenFailsAtOnceWithoutRetry() throws Exception {
    server.enqueue(json(401, "{}"));
    server.enqueue(json(200, "{}"));

    assertThatThrownBy(() -> connector(StaticToken.of("pat-1")).send(ApiRequest.get("/contacts")))
        .isInstanceOf(AuthenticationException.class);

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer pat-1");
  }

  @Test
  void a401WhenTheRefreshIsRejectedFailsWithTheRefreshError() throws Exception {
    server.enqueue(json(401, "{}"));
    server.enqueue(json(400, "{\"error\":\"invalid_grant\"}"));

    assertThatThrownBy(() -> connector(oauth(REVOKED)).send(ApiRequest.get("/contacts")))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.vendorCode()).isEqualTo("invalid_grant"));

    assertThat(server.getRequestCount()).isEqualTo(2);
    server.takeRequest();
    assertThat(server.takeRequest().getTarget()).isEqualTo("/oauth/token");
    assertThat(saved).isEmpty();
  }

  @Test
  void a401WithoutARefreshTokenFailsAtOnceWithoutCallingTheTokenEndpoint() throws Exception {
    server.enqueue(json(401, "{}"));

    assertThatThrownBy(() -> connector(oauth(new OAuth2Token("access-0", null, T0.plusSeconds(3_600), null)))
        .send(ApiRequest.get("/contacts")))
        .isInstanceOf(AuthenticationException.class);

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest().getTarget()).isEqualTo("/api/contacts");
  }

  @Test
  void concurrent401sWithTheSameStaleTokenCauseOneRefreshAndAllCallsSucceed() throws Exception {
    int threads = 4;
    CountDownLatch allHoldTheStaleToken = new CountDownLatch(threads);
    AtomicInteger refreshes = new AtomicInteger();
    List<String> retriedWith = new CopyOnWriteArrayList<>();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (request.getTarget().equals("/oauth/token")) {
          int n = refreshes.incrementAndGet();
          return tokenResponse("access-" + n, "refresh-" + n);
        }
        String auth = request.getHeaders().get("Authorization");
        if ("Bearer access-0".equals(auth)) {
          // Answer no 401 before every caller has sent the stale token, so all of them must recover.
          allHoldTheStaleToken.countDown();
          allHoldTheStaleToken.await(10, TimeUnit.SECONDS);
          return json(401, "{}");
        }
        retriedWith.add(auth);
        return json(200, "{}");
      }
    });
    HttpConnector connector = connector(oauth(REVOKED));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<ApiResponse>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> connector.send(ApiRequest.get("/contacts"))));
      }
      for (Future<ApiResponse> f : results) {
        assertThat(f.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(allHoldTheStaleToken.getCount()).isZero();
    assertThat(refreshes).hasValue(1);
    assertThat(retriedWith).hasSize(threads).containsOnly("Bearer access-1");
    assertThat(saved).hasSize(1);
  }

  @Test
  void invalidateRefreshesOnlyWhileTheStaleTokenIsStillCurrent() throws Exception {
    server.enqueue(tokenResponse("access-1", "refresh-1"));
    OAuth2Tokens tokens = oauth(REVOKED);

    assertThat(tokens.invalidate("access-0")).isTrue();
    assertThat(tokens.invalidate("access-0")).isTrue();

    assertThat(tokens.accessToken()).isEqualTo("access-1");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest().getBody().utf8()).startsWith("grant_type=refresh_token&refresh_token=refresh-0&");
  }

  @Test
  void invalidateSaysNoWhenNoNewTokenCanBeHadAndRejectsANullToken() {
    OAuth2Tokens none = OAuth2Tokens.builder().vendor("acme").tokenUrl(server.url("/oauth/token").toString())
        .clientId("client-1").clientSecret("client-secret-xyz").clock(time).tokenStore(saved::add).build();

    assertThat(none.invalidate("access-0")).isFalse();
    assertThat(oauth(new OAuth2Token("access-0", null, null, null)).invalidate("access-0")).isFalse();
    assertThat(StaticToken.of("pat-1").invalidate("pat-1")).isFalse();
    assertThatThrownBy(() -> oauth(REVOKED).invalidate(null))
        .isInstanceOf(NullPointerException.class).hasMessage("staleToken");
    assertThat(server.getRequestCount()).isZero();
  }
}
