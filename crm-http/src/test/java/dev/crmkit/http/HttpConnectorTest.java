package dev.crmkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.crmkit.Page;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ServerException;
import dev.crmkit.error.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpConnectorTest {
  private static final String TOKEN = "pat-na1-secret-token-123";
  private static final RetryPolicy NO_JITTER = new RetryPolicy(
      3, Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.0, Duration.ofSeconds(60));

  private final MockWebServer server = new MockWebServer();
  private final FakeTime time = new FakeTime(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> logLines = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpConnector.Builder connector() {
    return HttpConnector.builder()
        .vendor("acme")
        .baseUrl(server.url("/api").toString())
        .clock(time)
        .sleeper(time)
        .logger(logLines::add)
        .auth(StaticToken.of(TOKEN))
        .retryPolicy(NO_JITTER);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void sendsPathQueryHeadersJsonBodyAndBearerToken() throws Exception {
    server.enqueue(json(201, "{\"id\":\"42\"}"));

    ApiResponse response = connector().build().send(
        ApiRequest.post("/contacts", Map.of("email", "ann@example.com")).withQuery("archived", "false")
            .withHeader("Idempotency-Key", "k-1"));

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.json()).containsEntry("id", "42");
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getMethod()).isEqualTo("POST");
    assertThat(recorded.getTarget()).isEqualTo("/api/contacts?archived=false");
    assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(recorded.getHeaders().get("Idempotency-Key")).isEqualTo("k-1");
    assertThat(recorded.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(recorded.getBody().utf8()).isEqualTo("{\"email\":\"ann@example.com\"}");
  }

  @Test
  void sendsARawBodyAsGivenWithItsOwnContentType() throws Exception {
    server.enqueue(new MockResponse.Builder().code(201).build());
    byte[] csv = "LastName\n\"O\"\"Brien, Jr\"\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    connector().build().send(ApiRequest.put("/jobs/1/batches", new RawBody("text/csv", csv)));

    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getMethod()).isEqualTo("PUT");
    assertThat(recorded.getHeaders().get("Content-Type")).startsWith("text/csv");
    assertThat(recorded.getBody().toByteArray()).isEqualTo(csv);
    assertThat(new RawBody("text/csv", csv).toString()).isEqualTo("RawBody[text/csv, " + csv.length + " bytes]");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RawBody(" ", csv))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contentType");
  }

  @Test
  void putsTheCredentialInAVendorHeaderWhenConfigured() throws Exception {
    server.enqueue(json(200, "{}"));

    connector().authHeader("X-Shopify-Access-Token", "").build().send(ApiRequest.get("/shop.json"));

    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getHeaders().get("X-Shopify-Access-Token")).isEqualTo(TOKEN);
    assertThat(recorded.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void retriesAfterRateLimitWithRetryAfterSeconds() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3").build());
    server.enqueue(json(200, "{\"ok\":true}"));

    ApiResponse response = connector().build().send(ApiRequest.get("/contacts/1"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(3));
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(server.takeRequest().getTarget()).isEqualTo("/api/contacts/1");
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void retriesAfterRateLimitWithRetryAfterHttpDate() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "Thu, 01 Jan 2026 00:00:07 GMT").build());
    server.enqueue(json(200, "{}"));

    connector().build().send(ApiRequest.get("/contacts/1"));

    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(7));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void retriesPostAfterRateLimitBecauseTheVendorDidNotProcessIt() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
    server.enqueue(json(201, "{}"));

    connector().build().send(ApiRequest.post("/contacts", Map.of("a", 1)));

    assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"a\":1}");
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"a\":1}");
  }

  @Test
  void rateLimitThatOutlastsRetriesBecomesRateLimitedExceptionWithRetryAfter() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2")
          .addHeader("X-Request-Id", "req-" + i).body("{\"message\":\"slow down\"}").build());
    }

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> connector().build().send(ApiRequest.get("/contacts")));

    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.requestId()).isEqualTo("req-2");
    assertThat(e.provider()).isEqualTo("acme");
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  @Test
  void retryAfterLongerThanTheMaximumFailsAtOnce() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3600").build());

    assertThatThrownBy(() -> connector().build().send(ApiRequest.get("/contacts")))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(1)));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void serverErrorsAreRetriedWithExponentialBackoffThenSucceed() throws Exception {
    server.enqueue(json(503, "{}"));
    server.enqueue(json(500, "{}"));
    server.enqueue(json(200, "{\"id\":\"1\"}"));

    ApiResponse response = connector().build().send(ApiRequest.get("/contacts/1"));

    assertThat(response.json()).containsEntry("id", "1");
    assertThat(time.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    for (int i = 0; i < 3; i++) {
      assertThat(server.takeRequest().getTarget()).isEqualTo("/api/contacts/1");
    }
  }

  @Test
  void jitterShortensEachBackoffByAtMostItsFraction() {
    server.enqueue(json(500, "{}"));
    server.enqueue(json(200, "{}"));

    connector().retryPolicy(NO_JITTER.withJitter(0.5)).build().send(ApiRequest.get("/x"));

    assertThat(time.sleeps).singleElement()
        .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(50), Duration.ofMillis(100)));
  }

  @Test
  void postIsNotRetriedAfterServerErrorUnlessMarkedRetrySafe() throws Exception {
    server.enqueue(json(502, "{\"message\":\"bad gateway\"}"));

    assertThatThrownBy(() -> connector().build().send(ApiRequest.post("/contacts", Map.of("email", "a@b.co"))))
        .isInstanceOf(ServerException.class)
        .hasMessageContaining("HTTP 502");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"email\":\"a@b.co\"}");
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void postMarkedRetrySafeIsRetriedAfterServerError() throws Exception {
    server.enqueue(json(500, "{}"));
    server.enqueue(json(200, "{\"results\":[]}"));

    connector().build().send(ApiRequest.post("/contacts/search", Map.of("limit", 10)).retrySafe());

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"limit\":10}");
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"limit\":10}");
  }

  @Test
  void connectionFailureIsRetriedThenBecomesApiConnectionException() throws Exception {
    String deadUrl = server.url("/api").toString();
    server.close();

    HttpConnector connector = connector().baseUrl(deadUrl).build();

    assertThatThrownBy(() -> connector.send(ApiRequest.get("/contacts")))
        .isInstanceOfSatisfying(ApiConnectionException.class, e -> {
          assertThat(e.provider()).isEqualTo("acme");
          assertThat(e.getMessage()).contains("GET /contacts").contains("after 3 attempt(s)");
          assertThat(e.getCause()).isInstanceOf(java.io.IOException.class);
        });
    assertThat(time.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void connectionFailureOfAPostIsNotRetried() throws Exception {
    String deadUrl = server.url("/api").toString();
    server.close();

    assertThatThrownBy(() -> connector().baseUrl(deadUrl).build().send(ApiRequest.post("/contacts", Map.of())))
        .isInstanceOf(ApiConnectionException.class);
    assertThat(time.sleeps).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "401, dev.crmkit.error.AuthenticationException",
      "403, dev.crmkit.error.AuthenticationException",
      "404, dev.crmkit.error.NotFoundException",
      "409, dev.crmkit.error.ConflictException",
      "400, dev.crmkit.error.ValidationException",
      "422, dev.crmkit.error.ValidationException",
      "418, dev.crmkit.error.CrmException",
      "500, dev.crmkit.error.ServerException"})
  void mapsEachStatusToItsTypedExceptionKeepingRequestIdAndVendorCode(int status, Class<?> type) throws Exception {
    server.enqueue(new MockResponse.Builder().code(status).addHeader("X-Request-Id", "req-77")
        .body("{\"message\":\"nope\",\"code\":\"E_NOPE\"}").build());

    CrmException e = catchThrowableOfType(CrmException.class,
        () -> connector().retryPolicy(RetryPolicy.none()).build().send(ApiRequest.get("/contacts/9")));

    assertThat(e).isExactlyInstanceOf(type);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.requestId()).isEqualTo("req-77");
    assertThat(e.vendorCode()).isEqualTo("E_NOPE");
    assertThat(e.provider()).isEqualTo("acme");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/api/contacts/9");
  }

  @Test
  void validationErrorCarriesTheVendorsFieldErrors() {
    server.enqueue(json(400, "{\"message\":\"invalid\",\"errors\":[{\"field\":\"email\",\"value\":\"x@\",\"message\":\"not an email\"}]}"));

    ValidationException e = catchThrowableOfType(ValidationException.class,
        () -> connector().build().send(ApiRequest.post("/contacts", Map.of("email", "x@"))));

    assertThat(e.fieldErrors()).containsExactly(new FieldError("email", "x@", "not an email"));
  }

  @Test
  void notFoundNamesThePathAndConflictNamesTheField() {
    server.enqueue(json(404, "{}"));
    server.enqueue(json(409, "{\"errors\":[{\"field\":\"email\",\"message\":\"taken\"}]}"));
    HttpConnector connector = connector().build();

    assertThatThrownBy(() -> connector.send(ApiRequest.get("/contacts/9")))
        .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.resource()).isEqualTo("/contacts/9"));
    assertThatThrownBy(() -> connector.send(ApiRequest.post("/contacts", Map.of())))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("email"));
  }

  @Test
  void vendorParserReadsTheCorrelationIdHeader() {
    server.enqueue(new MockResponse.Builder().code(401).addHeader("X-HubSpot-Correlation-Id", "corr-1")
        .body("{\"status\":\"error\",\"category\":\"INVALID_AUTHENTICATION\",\"message\":\"expired\"}").build());

    AuthenticationException e = catchThrowableOfType(AuthenticationException.class, () -> connector()
        .errorParser(ErrorParser.withRequestIdHeader("X-HubSpot-Correlation-Id")).build()
        .send(ApiRequest.get("/crm/v3/objects/contacts")));

    assertThat(e.requestId()).isEqualTo("corr-1");
    assertThat(e.vendorCode()).isEqualTo("INVALID_AUTHENTICATION");
    assertThat(e.getMessage()).contains("expired").doesNotContain(TOKEN);
  }

  @Test
  void vendorRateLimitHeadersPauseTheSharedLimiter() throws Exception {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("burst", 100, Duration.ofSeconds(10))));
    server.enqueue(new MockResponse.Builder().code(200).addHeader("X-RateLimit-Remaining", "0")
        .addHeader("X-RateLimit-Reset", "4").body("{}").build());
    server.enqueue(json(200, "{}"));
    HttpConnector connector = connector().rateLimiter(limiter)
        .rateLimitHeaders(RateLimitHeaders.remainingAndReset("X-RateLimit-Remaining", "X-RateLimit-Reset", Duration.ofSeconds(1)))
        .build();

    connector.send(ApiRequest.get("/a"));
    assertThat(limiter.tryAcquire(ApiRequest.DEFAULT_COST_CLASS)).isFalse();
    connector.send(ApiRequest.get("/b"));

    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(4));
    assertThat(server.takeRequest().getTarget()).isEqualTo("/api/a");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/api/b");
  }

  @Test
  void aSpentBudgetTheLimiterCountedItselfWaitsForItsOldestSlotNotTheVendorsWholeInterval() throws Exception {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("burst", 2, Duration.ofSeconds(10))));
    server.enqueue(json(200, "{}"));
    server.enqueue(new MockResponse.Builder().code(200).addHeader("X-RateLimit-Remaining", "0")
        .addHeader("X-RateLimit-Reset", "10").body("{}").build());
    server.enqueue(json(200, "{}"));
    HttpConnector connector = connector().rateLimiter(limiter)
        .rateLimitHeaders(RateLimitHeaders.remainingAndReset("X-RateLimit-Remaining", "X-RateLimit-Reset", Duration.ofSeconds(1)))
        .build();

    connector.send(ApiRequest.get("/a"));
    time.advance(Duration.ofSeconds(3));
    connector.send(ApiRequest.get("/b"));
    connector.send(ApiRequest.get("/c"));

    assertThat(time.sleeps).as("the first call's slot frees 7 s later; no 10 s pause on top")
        .containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void aNearlySpentDailyQuotaDoesNotHideOtherClientsSpendingTheBurstBudget() throws Exception {
    RateLimiter limiter = RateLimiter.of(time, List.of(
        RateLimitWindow.of("burst", 100, Duration.ofSeconds(10)),
        RateLimitWindow.dailyResettingAt(10, java.time.ZoneOffset.UTC)));
    for (int i = 0; i < 8; i++) {
      assertThat(limiter.tryAcquire(ApiRequest.DEFAULT_COST_CLASS)).isTrue();
    }
    server.enqueue(new MockResponse.Builder().code(200).addHeader("X-RateLimit-Remaining", "0")
        .addHeader("X-RateLimit-Reset", "4").body("{}").build());
    server.enqueue(json(200, "{}"));
    HttpConnector connector = connector().rateLimiter(limiter)
        .rateLimitHeaders(RateLimitHeaders.remainingAndReset("X-RateLimit-Remaining", "X-RateLimit-Reset", Duration.ofSeconds(1)))
        .build();

    connector.send(ApiRequest.get("/a"));
    connector.send(ApiRequest.get("/b"));

    assertThat(time.sleeps).as("the burst window holds 9 of 100: the spent budget is other clients'")
        .containsExactly(Duration.ofSeconds(4));
  }

  @Test
  void proactiveLimiterDelaysTheRequestOverItsWindow() {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("search", 2, Duration.ofSeconds(1), Set.of("search"))));
    for (int i = 0; i < 3; i++) {
      server.enqueue(json(200, "{}"));
    }
    HttpConnector connector = connector().rateLimiter(limiter).build();
    ApiRequest search = ApiRequest.post("/contacts/search", Map.of()).withCostClass("search");

    connector.send(search);
    connector.send(search);
    assertThat(time.sleeps).isEmpty();
    connector.send(search);

    assertThat(time.sleeps).singleElement().satisfies(d -> assertThat(d).isEqualTo(Duration.ofSeconds(1)));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void autoPagingRepeatsTheRequestWithOnlyTheCursorChangedOverThreePages() throws Exception {
    server.enqueue(json(200, "{\"results\":[\"a\",\"b\"],\"paging\":{\"next\":{\"after\":\"c2\"}}}"));
    server.enqueue(json(200, "{\"results\":[\"c\"],\"paging\":{\"next\":{\"after\":\"c3\"}}}"));
    server.enqueue(json(200, "{\"results\":[\"d\"]}"));

    Page<String> first = connector().build().page(
        ApiRequest.get("/contacts").withQuery("limit", "2"),
        (request, cursor) -> request.withQuery("after", cursor),
        HttpConnectorTest::results,
        HttpConnectorTest::after);

    assertThat(first.items()).containsExactly("a", "b");
    assertThat(first.stream().toList()).containsExactly("a", "b", "c", "d");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/api/contacts?limit=2");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/api/contacts?limit=2&after=c2");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/api/contacts?limit=2&after=c3");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @SuppressWarnings("unchecked")
  private static List<String> results(ApiResponse response) {
    return (List<String>) response.json().get("results");
  }

  @SuppressWarnings("unchecked")
  private static String after(ApiResponse response) {
    Object paging = response.json().get("paging");
    if (paging instanceof Map<?, ?> p && p.get("next") instanceof Map<?, ?> next) {
      return (String) next.get("after");
    }
    return null;
  }

  @Test
  void logLinesAndToStringNeverShowTheToken() {
    server.enqueue(json(500, "{}"));
    server.enqueue(json(200, "{}"));
    HttpConnector connector = connector().build();
    ApiRequest request = ApiRequest.get("/deals").withQuery("api_token", TOKEN).withQuery("limit", "5")
        .withHeader("X-Api-Key", TOKEN);

    connector.send(request);

    assertThat(logLines).hasSizeGreaterThanOrEqualTo(4).noneMatch(l -> l.contains(TOKEN))
        .anyMatch(l -> l.contains("GET /deals?api_token=***&limit=5"));
    assertThat(connector.toString()).doesNotContain(TOKEN).contains("acme");
    assertThat(request.toString()).doesNotContain(TOKEN).contains("X-Api-Key=***").contains("limit=5");
    assertThat(StaticToken.of(TOKEN).toString()).doesNotContain(TOKEN);
  }

  @Test
  void builderNamesTheMissingOrBadSetting() {
    assertThatThrownBy(() -> HttpConnector.builder().vendor("acme").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("base URL").hasMessageContaining("baseUrl(");
    assertThatThrownBy(() -> HttpConnector.builder().baseUrl("https://x.example").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("vendor");
    assertThatThrownBy(() -> HttpConnector.builder().baseUrl("ftp:/nope"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("baseUrl must be an http or https URL: 'ftp:/nope'");
    assertThatThrownBy(() -> HttpConnector.builder().readTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("readTimeout must be a positive duration: PT0S");
  }

  @Test
  void builderRejectsNullZeroNegativeAndBlankArgumentsNamingThem() {
    HttpConnector.Builder b = HttpConnector.builder();
    assertThatThrownBy(() -> b.vendor(null)).isInstanceOf(NullPointerException.class).hasMessage("vendor");
    assertThatThrownBy(() -> b.vendor(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vendor");
    assertThatThrownBy(() -> b.baseUrl(null)).isInstanceOf(NullPointerException.class).hasMessage("baseUrl");
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> b.auth(null)).isInstanceOf(NullPointerException.class).hasMessage("auth");
    assertThatThrownBy(() -> b.authHeader(null, "")).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> b.authHeader("", "")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> b.authHeader("X-Key", null)).isInstanceOf(NullPointerException.class).hasMessage("prefix");
    assertThatThrownBy(() -> b.rateLimiter(null)).isInstanceOf(NullPointerException.class).hasMessage("rateLimiter");
    assertThatThrownBy(() -> b.retryPolicy(null)).isInstanceOf(NullPointerException.class).hasMessage("retryPolicy");
    assertThatThrownBy(() -> b.errorParser(null)).isInstanceOf(NullPointerException.class).hasMessage("errorParser");
    assertThatThrownBy(() -> b.rateLimitHeaders(null)).isInstanceOf(NullPointerException.class).hasMessage("rateLimitHeaders");
    assertThatThrownBy(() -> b.sleeper(null)).isInstanceOf(NullPointerException.class).hasMessage("sleeper");
    assertThatThrownBy(() -> b.logger(null)).isInstanceOf(NullPointerException.class).hasMessage("logger");
    assertThatThrownBy(() -> b.okHttpClient(null)).isInstanceOf(NullPointerException.class).hasMessage("okHttpClient");
    assertThatThrownBy(() -> b.connectTimeout(null)).isInstanceOf(NullPointerException.class).hasMessage("connectTimeout");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be a positive duration: PT-0.001S");
    assertThatThrownBy(() -> b.writeTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeTimeout");
    assertThatThrownBy(() -> b.callTimeout(Duration.ofSeconds(-5))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callTimeout");
    assertThatThrownBy(() -> connector().build().send(null)).isInstanceOf(NullPointerException.class).hasMessage("request");
    HttpConnector built = connector().build();
    assertThatThrownBy(() -> built.page(null, (r, c) -> r, r -> List.of(), r -> null))
        .isInstanceOf(NullPointerException.class).hasMessage("first");
    assertThatThrownBy(() -> built.page(ApiRequest.get("/x"), null, r -> List.of(), r -> null))
        .isInstanceOf(NullPointerException.class).hasMessage("atCursor");
    assertThatThrownBy(() -> built.page(ApiRequest.get("/x"), (r, c) -> r, null, r -> null))
        .isInstanceOf(NullPointerException.class).hasMessage("items");
    assertThatThrownBy(() -> built.page(ApiRequest.get("/x"), (r, c) -> r, r -> List.of(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("nextCursor");
  }

  @Test
  void rateLimitHeadersAndResponsesNameEachBadArgument() {
    assertThatThrownBy(() -> RateLimitHeaders.remainingAndReset(null, "Reset", Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class).hasMessage("remainingHeader");
    assertThatThrownBy(() -> RateLimitHeaders.remainingAndReset("Remaining", null, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class).hasMessage("resetHeader");
    assertThatThrownBy(() -> RateLimitHeaders.remainingAndReset("Remaining", "Reset", null))
        .isInstanceOf(NullPointerException.class).hasMessage("resetUnit");
    assertThatThrownBy(() -> RateLimitHeaders.remainingAndReset("Remaining", "Reset", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("resetUnit must be positive: PT0S");
    assertThatThrownBy(() -> new ApiResponse(200, null, "{}"))
        .isInstanceOf(NullPointerException.class).hasMessage("headers");
  }

  @Test
  void staticTokensRejectNullAndBlankWithoutEchoingTheValue() {
    assertThatThrownBy(() -> StaticToken.of(null)).isInstanceOf(NullPointerException.class).hasMessage("token");
    assertThatThrownBy(() -> StaticToken.of("  ")).isInstanceOf(IllegalArgumentException.class).hasMessage("token must not be blank");
  }

  @Test
  void requestsRejectBadMethodPathAndBody() {
    assertThatThrownBy(() -> ApiRequest.of("TRACE", "/x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("method").hasMessageContaining("'TRACE'");
    assertThatThrownBy(() -> ApiRequest.get("contacts")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path").hasMessageContaining("'contacts'");
    assertThatThrownBy(() -> ApiRequest.get("/x?a=1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
    assertThatThrownBy(() -> ApiRequest.post("/x", 42)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body").hasMessageContaining("java.lang.Integer");
    assertThatThrownBy(() -> ApiRequest.get("/x").withBody(Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET");
    assertThatThrownBy(() -> ApiRequest.get("/x").withCostClass(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("costClass");
  }

  @Test
  void requestsNameEachNullOrBlankArgument() {
    assertThatThrownBy(() -> ApiRequest.of(null, "/x")).isInstanceOf(NullPointerException.class).hasMessage("method");
    assertThatThrownBy(() -> ApiRequest.of("GET", null)).isInstanceOf(NullPointerException.class).hasMessage("path");
    assertThatThrownBy(() -> ApiRequest.get("/x").withQuery(null, "1")).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> ApiRequest.get("/x").withQuery(" ", "1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> ApiRequest.get("/x").withHeader(null, "1")).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> ApiRequest.get("/x").withHeader("", "1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> ApiRequest.get("/x").withCostClass(null)).isInstanceOf(NullPointerException.class).hasMessage("costClass");
  }

  @Test
  void onlyIdempotentOrMarkedRequestsAreRetryable() {
    assertThat(ApiRequest.get("/x").isRetryable()).isTrue();
    assertThat(ApiRequest.put("/x", Map.of()).isRetryable()).isTrue();
    assertThat(ApiRequest.delete("/x").isRetryable()).isTrue();
    assertThat(ApiRequest.post("/x", Map.of()).isRetryable()).isFalse();
    assertThat(ApiRequest.patch("/x", Map.of()).isRetryable()).isFalse();
    assertThat(ApiRequest.patch("/x", Map.of()).retrySafe().isRetryable()).isTrue();
  }

  @Test
  void retryPolicyRejectsOutOfRangeValuesNamingThem() {
    assertThatThrownBy(() -> RetryPolicy.defaults().withMaxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be at least 1: 0");
    assertThatThrownBy(() -> RetryPolicy.defaults().withMaxAttempts(-3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be at least 1: -3");
    assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must be between 0.0 and 1.0: 1.5");
    assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(-0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
    assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, Duration.ofSeconds(1), 2.0, 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("initialBackoff must be positive: PT0S");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier").hasMessageContaining("0.5");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 0, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetryAfter");
    assertThatThrownBy(() -> new RetryPolicy(2, null, Duration.ofSeconds(1), 2.0, 0, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class).hasMessage("initialBackoff");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(1), null, 2.0, 0, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class).hasMessage("maxBackoff");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 0, null))
        .isInstanceOf(NullPointerException.class).hasMessage("maxRetryAfter");
    assertThat(RetryPolicy.defaults().backoff(10)).isEqualTo(Duration.ofSeconds(30));
  }
}
