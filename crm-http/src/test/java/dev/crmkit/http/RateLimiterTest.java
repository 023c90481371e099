package dev.crmkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final FakeTime time = new FakeTime(Instant.parse("2026-01-01T00:00:00Z"));

  private RateLimiter hubSpotLike() {
    return RateLimiter.of(time, List.of(
        RateLimitWindow.of("burst", 10, Duration.ofSeconds(10)),
        RateLimitWindow.of("search", 4, Duration.ofSeconds(1), Set.of("search")),
        RateLimitWindow.of("daily", 25, Duration.ofDays(1))));
  }

  private static int takeAll(RateLimiter limiter, String costClass, int tries) {
    int taken = 0;
    for (int i = 0; i < tries; i++) {
      if (limiter.tryAcquire(costClass)) {
        taken++;
      }
    }
    return taken;
  }

  @Test
  void burstWindowAdmitsItsLimitThenRefillsAsTheClockMoves() {
    RateLimiter limiter = hubSpotLike();

    assertThat(takeAll(limiter, "default", 20)).isEqualTo(10);
    time.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter, "default", 20)).isEqualTo(1);
    time.advance(Duration.ofSeconds(10));
    assertThat(takeAll(limiter, "default", 20)).isEqualTo(10);
  }

  @Test
  void searchWindowLimitsOnlySearchRequestsWhichAlsoCountAgainstTheBurstWindow() {
    RateLimiter limiter = hubSpotLike();

    assertThat(takeAll(limiter, "search", 10)).isEqualTo(4);
    assertThat(takeAll(limiter, "default", 10)).isEqualTo(6);
    time.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter, "search", 10)).isEqualTo(1);
  }

  @Test
  void dailyQuotaHoldsAcrossManyBurstWindows() {
    RateLimiter limiter = hubSpotLike();

    int taken = 0;
    for (int window = 0; window < 5; window++) {
      taken += takeAll(limiter, "default", 20);
      time.advance(Duration.ofSeconds(10));
    }

    assertThat(taken).isEqualTo(25);
    assertThat(limiter.tryAcquire("default")).isFalse();
  }

  @Test
  void acquireWaitsThroughTheSleeperForTheLongestBlockingWindow() {
    RateLimiter limiter = hubSpotLike();
    takeAll(limiter, "search", 4);

    limiter.acquire("search", time);

    assertThat(time.sleeps).containsExactly(Duration.ofMillis(250));
  }

  @Test
  void pauseHoldsEveryCostClassUntilItEnds() {
    RateLimiter limiter = hubSpotLike();

    limiter.pauseFor(Duration.ofSeconds(3));
    limiter.pauseFor(Duration.ofSeconds(1));

    assertThat(limiter.tryAcquire("default")).isFalse();
    assertThat(limiter.tryAcquire("search")).isFalse();
    limiter.acquire("default", time);
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void oneLimiterIsSharedByAllThreadsOfTheAccount() throws Exception {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("burst", 50, Duration.ofSeconds(10))));
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<Integer> worker = () -> {
          go.await();
          return takeAll(limiter, "default", 100);
        };
        results.add(pool.submit(worker));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isEqualTo(50);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badWindowsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> RateLimitWindow.of("burst", 0, Duration.ofSeconds(1)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("limit '0'");
    assertThatThrownBy(() -> RateLimitWindow.of("burst", 1, Duration.ZERO))
        .isInstanceOf(ValidationException.class).hasMessageContaining("period 'PT0S'");
    assertThatThrownBy(() -> RateLimiter.of(time, List.of()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("windows");
  }
}
