package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.RateLimitedException;
import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.StaticToken;
import dev.crmkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Daily usage from {@code /limits} and {@code Sforce-Limit-Info}, the proactive budget, REQUEST_LIMIT_EXCEEDED, the long-request cap. */
class SalesforceLimitsTest {
  private static final String DATA = "/services/data/v59.0";
  private static final MockResponse DESCRIBE = json(200, "{\"name\":\"Contact\",\"fields\":[]}");

  private final MockWebServer server = new MockWebServer();
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-14T09:00:00Z"));
  private final List<String> paths = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void theFirstCallReadsLimitsAndABudgetOtherClientsSpentIsRefusedWithoutCalling() throws Exception {
    serve(r -> r.getUrl().encodedPath().endsWith("/limits")
        ? json(200, "{\"DailyApiRequests\":{\"Max\":1000,\"Remaining\":50}}") : DESCRIBE);
    SalesforceApi api = api(new LongRequests(5, Duration.ZERO));

    assertThatThrownBy(() -> api.describe("Contact")).isInstanceOfSatisfying(RateLimitedException.class, e -> {
      assertThat(e.vendorCode()).isEqualTo("API_BUDGET_RESERVE");
      assertThat(e.retryAfter()).isEqualTo(ApiUsage.PROBE_INTERVAL);
      assertThat(e.getMessage()).contains("950 of 1000");
    });
    assertThat(paths).containsExactly(DATA + "/limits");
  }

  @Test
  void limitsAreReadAgainOnlyWhenNoUsageWasReportedForFifteenMinutes() throws Exception {
    serve(r -> r.getUrl().encodedPath().endsWith("/limits")
        ? json(200, "{\"DailyApiRequests\":{\"Max\":1000,\"Remaining\":900}}") : DESCRIBE);
    SalesforceApi api = api(new LongRequests(5, Duration.ZERO));

    api.describe("Contact");
    clock.advance(Duration.ofMinutes(14));
    api.describe("Contact");
    clock.advance(ApiUsage.STALE_AFTER);
    api.describe("Contact");

    assertThat(paths).containsExactly(DATA + "/limits", DATA + "/sobjects/Contact/describe",
        DATA + "/sobjects/Contact/describe", DATA + "/limits", DATA + "/sobjects/Contact/describe");
    assertThat(api.usage().used()).isEqualTo(100);
  }

  @Test
  void theUsageHeaderOfEveryAnswerKeepsTheBudgetCurrent() throws Exception {
    AtomicInteger used = new AtomicInteger(880);
    serve(r -> r.getUrl().encodedPath().endsWith("/limits")
        ? json(200, "{\"DailyApiRequests\":{\"Max\":1000,\"Remaining\":200}}")
        : DESCRIBE.newBuilder().setHeader(ApiUsage.HEADER, "api-usage=" + used.addAndGet(10) + "/1000").build());
    SalesforceApi api = api(new LongRequests(5, Duration.ZERO));

    api.describe("Contact");
    clock.advance(Duration.ofMinutes(10));
    api.describe("Contact");
    clock.advance(Duration.ofMinutes(10));

    assertThat(api.usage().used()).isEqualTo(900);
    assertThatThrownBy(() -> api.describe("Contact")).isInstanceOf(RateLimitedException.class);
    assertThat(paths).containsExactly(DATA + "/limits", DATA + "/sobjects/Contact/describe",
        DATA + "/sobjects/Contact/describe");
  }

  @Test
  void limitsTheUserMayNotReadLeaveTheBudgetToTheUsageHeaders() throws Exception {
    serve(r -> r.getUrl().encodedPath().endsWith("/limits")
        ? json(403, "[{\"errorCode\":\"INSUFFICIENT_ACCESS\",\"message\":\"no View Setup permission\"}]") : DESCRIBE);
    SalesforceApi api = api(new LongRequests(5, Duration.ZERO));

    api.describe("Contact");
    api.describe("Contact");

    assertThat(paths).containsExactly(DATA + "/limits", DATA + "/sobjects/Contact/describe",
        DATA + "/sobjects/Contact/describe");
  }

  @Test
  void requestLimitExceededForTheDailyTotalIsRateLimitedAndSpendsTheBudget() throws Exception {
    serve(r -> r.getUrl().encodedPath().endsWith("/limits")
        ? json(200, "{\"DailyApiRequests\":{\"Max\":1000,\"Remaining\":500}}")
        : json(403, "[{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"TotalRequests Limit exceeded.\"}]"));
    SalesforceApi api = api(new LongRequests(5, Duration.ZERO));

    assertThatThrownBy(() -> api.describe("Contact")).isInstanceOfSatisfying(RateLimitedException.class, e -> {
      assertThat(e.vendorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
      assertThat(e.retryAfter()).isEqualTo(ApiUsage.PROBE_INTERVAL);
    });
    assertThatThrownBy(() -> api.describe("Contact")).isInstanceOfSatisfying(RateLimitedException.class,
        e -> assertThat(e.vendorCode()).isEqualTo("API_BUDGET_RESERVE"));
    assertThat(paths).containsExactly(DATA + "/limits", DATA + "/sobjects/Contact/describe");
  }

  @Test
  void requestLimitExceededForConcurrentLongRequestsAsksForAShortWaitAndKeepsTheBudget() throws Exception {
    serve(r -> r.getUrl().encodedPath().endsWith("/limits")
        ? json(200, "{\"DailyApiRequests\":{\"Max\":1000,\"Remaining\":500}}")
        : json(403, "[{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"ConcurrentPerOrgLongTxn Limit exceeded.\"}]"));
    SalesforceApi api = api(new LongRequests(5, Duration.ZERO));

    assertThatThrownBy(() -> api.describe("Contact")).isInstanceOfSatisfying(RateLimitedException.class,
        e -> assertThat(e.retryAfter()).isEqualTo(SalesforceApi.CONCURRENCY_RETRY));
    assertThatThrownBy(() -> api.describe("Contact")).isInstanceOfSatisfying(RateLimitedException.class,
        e -> assertThat(e.vendorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED"));
    assertThat(paths).hasSize(3);
  }

  @Test
  void noMoreQueriesThanTheCapAreInFlightAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    serve(r -> {
      if (r.getUrl().encodedPath().endsWith("/limits")) {
        return json(200, "{\"DailyApiRequests\":{\"Max\":100000,\"Remaining\":99000}}");
      }
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight.decrementAndGet();
      return json(200, "{\"done\":true,\"totalSize\":0,\"records\":[]}");
    });
    SalesforceApi api = api(new LongRequests(2, Duration.ofSeconds(10)));
    api.readLimits();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      List<Future<?>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(pool.submit(() -> api.query("SELECT Id FROM Contact", false, 200).items()));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (inFlight.get() < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(api.longRequests().available()).isZero();
      release.countDown();
      for (Future<?> f : calls) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(most.get()).isEqualTo(2);
    assertThat(api.longRequests().available()).isEqualTo(2);
  }

  @Test
  void aCallFindingEverySlotBusyPastTheWaitIsRateLimited() {
    LongRequests slots = new LongRequests(1, Duration.ZERO);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread holder = new Thread(() -> slots.run(() -> {
      inside.countDown();
      try {
        done.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    holder.start();
    try {
      assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> slots.run(() -> "x")).isInstanceOfSatisfying(RateLimitedException.class,
          e -> assertThat(e.vendorCode()).isEqualTo("CONCURRENCY_CAP"));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    } finally {
      done.countDown();
    }
    assertThatThrownBy(() -> new LongRequests(26, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("26");
  }

  private void serve(Function<RecordedRequest, MockResponse> answer) throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        paths.add(request.getUrl().encodedPath());
        return answer.apply(request);
      }
    });
    server.start();
  }

  private SalesforceApi api(LongRequests slots) {
    HttpConnector connector = HttpConnector.builder().vendor("salesforce").baseUrl(server.url("/").toString())
        .clock(clock).auth(StaticToken.of("t")).errorParser(new SalesforceErrors()).build();
    return new SalesforceApi(connector, "v59.0", new ApiUsage(clock, 10), slots);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }
}
